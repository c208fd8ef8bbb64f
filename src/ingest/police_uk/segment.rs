//! The cache's LSOA segment of one run, written while the files are parsed (see [`super::cache`]
//! for the layout): one row per file, known by its number in the segment, with its LSOAs and
//! their counts in lists.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use polars::io::ipc::BatchedWriter as IpcBatched;
use polars::prelude::*;
use polars_arrow::array::{Array, ListArray, MutablePlString, PrimitiveArray};
use polars_arrow::offset::OffsetsBuffer;
use polars_arrow::types::NativeType;

use super::cache::commit;
use crate::ingest::police_uk::file::StreetCounts;
use numbering::{Hint, Lsoas, Numbering};
pub(super) use read::tables;

mod numbering;
mod read;

/// LSOAs (of all files) gathered before they are written as one row group: small enough that
/// the columns waiting stay in a core's cache beside the file being parsed, and that the last
/// group, written once the parsing is over, is written quickly.
const ROW_GROUP: usize = 1 << 14;

/// This run's segment, written while the files are parsed: each worker encodes the table of the
/// file it parsed and, once enough rows wait, writes them as a row group, while the other workers
/// go on parsing. The rows' order follows the workers' (a segment is read by key, never by
/// order). The file is written under a temporary name and committed by [`super::cache::Cache::save`]; a run
/// that stops before that leaves no segment behind.
pub(super) struct Detail {
    tmp: PathBuf,
    /// The next file's number in the segment.
    pub(super) next: AtomicU32,
    /// Frames not yet written, their rows, and each file's number by key.
    pending: Mutex<Pending>,
    /// The segment being written (opened with its first rows), or why it could not be.
    writer: Mutex<Option<Result<IpcBatched<std::fs::File>, String>>>,
}

impl Detail {
    pub(super) fn new(dir: &Path) -> Detail {
        static OPENED: AtomicU64 = AtomicU64::new(0); // two caches open never share a name
        let n = OPENED.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!("segment-{}-{n}.arrow.tmp", std::process::id()));
        Detail {
            tmp,
            next: AtomicU32::new(0),
            pending: Mutex::new(Pending {
                rows: Rows::sized(),
                ids: HashMap::new(),
                lsoas: Numbering::default(),
            }),
            writer: Mutex::new(None),
        }
    }

    /// Adds the row of one file (`key`, numbered `id` in the segment) to the columns that wait;
    /// writes them once they fill a row group.
    pub(super) fn keep(&self, (key, id, force): (&str, u32, &str), street: &StreetCounts) {
        if !fits(street) {
            return;
        }
        let full = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            let Pending { rows, ids, lsoas } = &mut *pending;
            ids.insert(key.to_string(), id);
            rows.add(id, street, lsoas.of(force));
            if pending.rows.len() < ROW_GROUP {
                return;
            }
            std::mem::replace(&mut pending.rows, Rows::sized())
        };
        self.write(full);
    }

    /// Writes `rows` as one row group, opening the segment first if need be. After a failure
    /// nothing more is written, and the commit says why.
    fn write(&self, rows: Rows) {
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let open = writer.get_or_insert_with(|| self.open());
        let Ok(batched) = open else { return };
        if let Err(e) = rows.frame().and_then(|df| batched.write_batch(&df)) {
            *open = Err(e.to_string());
        }
    }

    fn open(&self) -> Result<IpcBatched<std::fs::File>, String> {
        let dir = self.tmp.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let file = std::fs::File::create(&self.tmp).map_err(|e| e.to_string())?;
        let schema = no_detail().map_err(|e| e.to_string())?.schema().clone();
        let arrow = schema.to_arrow(CompatLevel::newest());
        let fields = polars_arrow::io::ipc::write::default_ipc_fields(arrow.iter_values());
        // Arrow IPC, not Parquet: a segment is written once per run and read whole, and IPC
        // writes the columns' buffers as they are (Parquet's dictionary pass over every column
        // cost more than the parse of a sparse national archive's files).
        IpcWriter::new(file)
            .with_compression(Some(IpcCompression::LZ4))
            .with_parallel(false)
            .batched(&schema, fields)
            .map_err(|e| e.to_string())
    }

    /// The files' numbers in the segment, by key, taken once every file is kept.
    pub(super) fn take_ids(&self) -> HashMap<String, u32> {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut pending.ids)
    }

    /// Writes what waits, finishes the segment and moves it to `path`; its name and digest for
    /// the cache's index.
    pub(super) fn commit(&self, path: &Path) -> Result<(String, String), String> {
        let rest = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        self.write(rest.rows);
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        match writer.take() {
            Some(Ok(mut batched)) => batched.finish().map_err(|e| e.to_string())?,
            Some(Err(why)) => return Err(why),
            None => return Err("the segment was never opened".into()),
        };
        commit(&self.tmp, path)
    }
}

/// Whether every count of the file's LSOA table fits the segment's u16 columns. An LSOA counts
/// a few hundred crimes of one type in a month at most; a file with more keeps no LSOA detail in
/// the cache, and a run that needs it parses the file again.
fn fits(street: &StreetCounts) -> bool {
    let most = u16::MAX;
    // No LSOA counts more of a type than the file does: the totals settle nearly every file.
    street.by_type.iter().all(|&n| n <= u64::from(most))
        || street
            .by_lsoa
            .values()
            .all(|(_, counts)| counts.iter().all(|&n| n <= u32::from(most)))
}

/// What waits to be written to a segment, and the LSOAs it has named so far.
#[derive(Default)]
struct Pending {
    rows: Rows,
    ids: HashMap<String, u32>,
    lsoas: Numbering,
}

impl Drop for Detail {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Segment rows as columns, appended file by file: one row per file, its LSOAs in lists (one
/// frame, one chunk, per row group). A file's LSOAs are listed by number, each with the crime
/// types it counts as a mask (bit `t` for type `t`); `counts` lists the counts that are not zero,
/// LSOA by LSOA, type by type. An LSOA counts about four of the fourteen types in a month, so
/// this is under half the bytes of a count per type (LZ4 then takes the segment from 20 to 12 MB
/// on the bench's 10 million rows).
struct Rows {
    file: Vec<u32>,
    lsoa: Vec<u32>,
    types: Vec<u16>,
    /// Where each file's LSOAs end in `lsoa` and `types` (after a leading 0).
    lsoa_ends: Vec<i64>,
    /// Counts that are not zero, as u16: a file whose counts do not fit keeps no detail (see
    /// [`fits`]).
    counts: Vec<u16>,
    count_ends: Vec<i64>,
    /// The pairs each file names first: their numbers, codes and names.
    named: Vec<u32>,
    codes: MutablePlString,
    names: MutablePlString,
    named_ends: Vec<i64>,
}

impl Default for Rows {
    fn default() -> Rows {
        Rows::with_capacity(0)
    }
}

impl Rows {
    fn with_capacity(lsoas: usize) -> Rows {
        Rows {
            file: Vec::new(),
            lsoa: Vec::with_capacity(lsoas),
            types: Vec::with_capacity(lsoas),
            lsoa_ends: vec![0],
            counts: Vec::with_capacity(lsoas * 5),
            count_ends: vec![0],
            named: Vec::new(),
            codes: MutablePlString::new(),
            names: MutablePlString::new(),
            named_ends: vec![0],
        }
    }

    /// Room for a row group and a file more, so that the columns do not grow by copying.
    fn sized() -> Rows {
        Rows::with_capacity(ROW_GROUP + ROW_GROUP / 4)
    }

    /// The LSOAs listed so far (of all files).
    fn len(&self) -> usize {
        self.lsoa.len()
    }

    /// Adds the row of `street`, the file numbered `file`.
    fn add(&mut self, file: u32, street: &StreetCounts, (lsoas, next): (&mut Lsoas, &mut u32)) {
        self.file.push(file);
        let mut hint = Hint::default();
        for (code, (name, counts)) in &street.by_lsoa {
            let (n, first) = lsoas.number(code, name, next, &mut hint);
            self.lsoa.push(n);
            if first {
                self.named.push(n);
                self.codes.push_value(code);
                self.names.push_value(name);
            }
            // Branch-free (whether a type counts is as likely as not, past any prediction), and
            // written where the counts go: read back from a buffer of its own, the counts just
            // written a u16 at a time stalled the load (no store forwarding).
            let len = self.counts.len();
            self.counts.resize(len + counts.len(), 0);
            let packed = &mut self.counts[len..];
            let (mut mask, mut k) = (0u16, 0);
            for (t, &n) in counts.iter().enumerate() {
                // Checked by `fits` before the file's row is added.
                debug_assert!(n <= u32::from(u16::MAX), "{code}: {n} does not fit");
                packed[k] = n as u16;
                k += usize::from(n != 0);
                mask |= u16::from(n != 0) << t;
            }
            self.counts.truncate(len + k);
            self.types.push(mask);
        }
        let end = |v: usize| i64::try_from(v).expect("fewer than 2^63 values");
        self.lsoa_ends.push(end(self.lsoa.len()));
        self.count_ends.push(end(self.counts.len()));
        self.named_ends.push(end(self.named.len()));
    }

    fn frame(self) -> PolarsResult<DataFrame> {
        let columns = vec![
            Column::new("file".into(), self.file),
            numbers("lsoa", self.lsoa, self.lsoa_ends.clone())?,
            numbers("types", self.types, self.lsoa_ends)?,
            numbers("counts", self.counts, self.count_ends)?,
            numbers("named", self.named, self.named_ends.clone())?,
            list(
                "lsoa_code",
                self.codes.freeze().boxed(),
                self.named_ends.clone(),
            )?,
            list("lsoa_name", self.names.freeze().boxed(), self.named_ends)?,
        ];
        DataFrame::new_infer_height(columns)
    }
}

/// A list column of numbers: row `i` holds `values[ends[i]..ends[i + 1]]`.
fn numbers<T: NativeType>(name: &str, values: Vec<T>, ends: Vec<i64>) -> PolarsResult<Column> {
    list(name, PrimitiveArray::from_vec(values).boxed(), ends)
}

/// A list column: row `i` holds `values[ends[i]..ends[i + 1]]`.
fn list(name: &str, values: Box<dyn Array>, ends: Vec<i64>) -> PolarsResult<Column> {
    let dtype = ListArray::<i64>::default_datatype(values.dtype().clone());
    let array = ListArray::<i64>::try_new(dtype, OffsetsBuffer::try_from(ends)?, values, None)?;
    Ok(Series::from_arrow(name.into(), array.boxed())?.into_column())
}

/// A segment with no rows (its schema).
fn no_detail() -> PolarsResult<DataFrame> {
    Rows::default().frame()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::police_uk::lsoa_run::LsoaTable;

    /// A street file's LSOA table from (code, name, counts by crime type).
    fn street(lsoas: &[(&str, &str, [u32; 14])]) -> StreetCounts {
        let mut s = StreetCounts::default();
        for &(code, name, by_type) in lsoas {
            s.by_lsoa.insert(code.into(), (name.into(), by_type));
        }
        s
    }

    /// Counts with `n` burglaries (type 2) alone.
    fn burglaries(n: u32) -> [u32; 14] {
        let mut by_type = [0; 14];
        by_type[2] = n;
        by_type
    }

    /// The row groups as a segment is written (Arrow IPC, LZ4) and read back: every file's table.
    fn round_trip(groups: Vec<Rows>) -> Vec<(u32, LsoaTable)> {
        let mut frame = no_detail().unwrap();
        for rows in groups {
            frame.vstack_mut(&rows.frame().unwrap()).unwrap();
        }
        let mut bytes = Vec::new();
        IpcWriter::new(&mut bytes)
            .with_compression(Some(IpcCompression::LZ4))
            .finish(&mut frame)
            .unwrap();
        let read = IpcReader::new(std::io::Cursor::new(bytes))
            .finish()
            .unwrap();
        let mut tables = tables(&read, |_| true).unwrap();
        tables.sort_by_key(|(file, _)| *file);
        tables
    }

    /// Each file's table comes back as it went in, over two row groups: every crime type, a
    /// count at u16's limit, LSOAs with no crimes of a type between others. An LSOA's code and
    /// name are written by the first file that names it only, and every later file (in another
    /// row group too) finds them by its number; a code met under another name (a renamed LSOA)
    /// is another pair.
    #[test]
    fn each_file_reads_back_as_written_with_each_lsoa_named_once() {
        let mut lsoas = Numbering::default();
        let (mut first, mut second) = (Rows::default(), Rows::default());
        let mixed = [1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 65535];
        let every: [u32; 14] = std::array::from_fn(|t| t as u32 + 1);
        let files = [
            street(&[("E01000001", "City of London 001A", mixed)]),
            street(&[
                ("E01000001", "City of London 001A", every),
                ("E01000914", "Camden 028B", burglaries(1)),
                ("", "", burglaries(2)),
            ]),
            street(&[
                ("E01000001", "City of London 001A", [0; 14]),
                ("E01000914", "Camden 028B (2021 name)", burglaries(7)),
            ]),
        ];
        first.add(0, &files[0], lsoas.of("city-of-london"));
        for (n, file) in files.iter().enumerate().skip(1) {
            second.add(n as u32, file, lsoas.of("city-of-london"));
        }
        // Four pairs, each named by one file: the first names one, the second two more (the
        // no-location cell is a pair too), the third the renamed one.
        assert_eq!(second.named_ends, vec![0, 2, 3]);
        assert_eq!(first.named, vec![0]);
        let tables = round_trip(vec![first, second]);
        assert_eq!(tables.len(), 3);
        for ((file, table), expected) in tables.iter().zip(&files) {
            assert_eq!(table, &expected.by_lsoa, "file {file}");
            let order: Vec<&str> = table.keys().map(|k| k.as_ref()).collect();
            let sent: Vec<&str> = expected.by_lsoa.keys().map(|k| k.as_ref()).collect();
            assert_eq!(order, sent, "file {file}: LSOAs in the file's order");
        }
    }

    /// Each force numbers its pairs in blocks of one count: a force's 300 pairs take two blocks,
    /// around another force's, and a pair both forces name has a number from each; every number
    /// is one pair's, and the reader finds each file's counts. A file that lists its LSOAs in
    /// another order (against the hint) gets the same numbers.
    #[test]
    fn forces_number_their_pairs_in_blocks_that_never_overlap() {
        let mut numbering = Numbering::default();
        let codes: Vec<String> = (0..300).map(|k| format!("E01{k:06}")).collect();
        let many: Vec<(&str, &str, [u32; 14])> = codes
            .iter()
            .map(|c| (c.as_str(), "A", burglaries(1)))
            .collect();
        let reversed: Vec<_> = many.iter().rev().copied().collect();
        let mut rows = Rows::default();
        rows.add(0, &street(&many[..200]), numbering.of("kent"));
        rows.add(
            1,
            &street(&[("E01000005", "A", burglaries(2))]),
            numbering.of("btp"),
        );
        rows.add(2, &street(&many), numbering.of("kent"));
        rows.add(3, &street(&reversed), numbering.of("kent"));
        // Kent: 0..256 then, after BTP's block at 256..512, 512..556; BTP's pair is 256.
        let numbers: std::collections::BTreeSet<u32> = rows.lsoa.iter().copied().collect();
        let expected: std::collections::BTreeSet<u32> =
            (0..256).chain(256..257).chain(512..556).collect();
        assert_eq!(numbers, expected);
        let (of_2, of_3) = (&rows.lsoa[201..501], &rows.lsoa[501..801]);
        assert!(
            of_2.iter().eq(of_3.iter().rev()),
            "the same pairs, the same numbers"
        );
        // 301 numbers, each named once.
        assert_eq!(rows.named.len(), 301);
        let found: Vec<(u32, u32)> = round_trip(vec![rows])
            .into_iter()
            .filter_map(|(file, table)| Some((file, table.get("E01000005")?.1[2])))
            .collect();
        assert_eq!(found, vec![(0, 1), (1, 2), (2, 1), (3, 1)]);
    }

    /// A segment whose lists disagree is refused as a whole (its files are parsed), never read
    /// into wrong counts: a count too few or too many, a type past the fourteenth, a number no
    /// row names, fewer masks than LSOAs.
    #[test]
    fn a_segment_whose_lists_disagree_is_refused() {
        let frame = |lsoa: Vec<u32>, types: Vec<u16>, counts: Vec<u16>| {
            let ends = |n: usize| vec![0, n as i64];
            let (nl, nt, nc) = (lsoa.len(), types.len(), counts.len());
            let mut codes = MutablePlString::new();
            codes.push_value("E01000001");
            let mut names = MutablePlString::new();
            names.push_value("City of London 001A");
            DataFrame::new_infer_height(vec![
                Column::new("file".into(), vec![0u32]),
                numbers("lsoa", lsoa, ends(nl)).unwrap(),
                numbers("types", types, ends(nt)).unwrap(),
                numbers("counts", counts, ends(nc)).unwrap(),
                numbers("named", vec![0u32], ends(1)).unwrap(),
                list("lsoa_code", codes.freeze().boxed(), ends(1)).unwrap(),
                list("lsoa_name", names.freeze().boxed(), ends(1)).unwrap(),
            ])
            .unwrap()
        };
        let read = |f: DataFrame| tables(&f, |_| true).map(|t| t[0].1.clone());
        let good = read(frame(vec![0], vec![0b101], vec![3, 4])).unwrap();
        let mut expected = [0; 14];
        (expected[0], expected[2]) = (3, 4);
        assert_eq!(good["E01000001"].1, expected);
        for (what, lsoa, types, counts) in [
            ("a count too few", vec![0], vec![0b101], vec![3]),
            ("a count too many", vec![0], vec![0b101], vec![3, 4, 5]),
            ("a fifteenth type", vec![0], vec![1 << 14], vec![3]),
            ("an unnamed number", vec![1], vec![0b1], vec![3]),
            ("a mask missing", vec![0, 0], vec![0b1], vec![3]),
        ] {
            assert!(read(frame(lsoa, types, counts)).is_err(), "{what}");
        }
    }
}
