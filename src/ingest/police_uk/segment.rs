//! The cache's LSOA segment of one run, written while the files are parsed (see [`super::cache`]
//! for the layout): one row per file and LSOA, each file known by its number in the segment.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use polars::io::ipc::BatchedWriter as IpcBatched;
use polars::prelude::*;

use rustc_hash::FxHashMap;

use super::cache::{Index, commit};
use crate::ingest::police_uk::file::StreetCounts;

/// LSOAs (of all files) gathered before they are written as one row group.
const ROW_GROUP: usize = 1 << 16;

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
        let tmp = dir.join(format!("segment-{}-{n}.parquet.tmp", std::process::id()));
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

    /// Adds the rows of one file (`key`, numbered `id` in the segment) to the columns that wait;
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

    /// Writes what waits, finishes the segment and moves it to `path`; the files' numbers in it,
    /// by key.
    pub(super) fn commit(
        &self,
        path: &Path,
        index: &mut Index,
    ) -> Result<HashMap<String, u32>, String> {
        let rest = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        self.write(rest.rows);
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        match writer.take() {
            Some(Ok(mut batched)) => batched.finish().map_err(|e| e.to_string())?,
            Some(Err(why)) => return Err(why),
            None => return Err("the segment was never opened".into()),
        };
        commit(&self.tmp, path, index)?;
        Ok(rest.ids)
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

/// The segment's LSOA numbers, given force by force: each force numbers the (LSOA code, name)
/// pairs its files name, in blocks of [`BLOCK`] numbers taken from one count, so no two pairs
/// share a number. A pair two forces both name (British Transport Police's stations lie in other
/// forces' LSOAs) has a number from each; the reader finds either.
///
/// Why by force: a file's LSOAs are looked up in its force's table (about a thousand pairs, tens
/// of kB), which its first lookups bring into the core's cache, where one table of every force's
/// 35,000 pairs cost a cache miss or three a lookup (the file being read had pushed it out since
/// the force's last file).
#[derive(Default)]
struct Numbering {
    forces: FxHashMap<String, Lsoas>,
    /// The first number of the next block.
    next: u32,
}

/// Numbers a force takes at a time.
const BLOCK: u32 = 256;

impl Numbering {
    /// `force`'s pairs, and the count their blocks come from.
    fn of(&mut self, force: &str) -> (&mut Lsoas, &mut u32) {
        if !self.forces.contains_key(force) {
            self.forces.insert(force.to_string(), Lsoas::default());
        }
        let lsoas = self.forces.get_mut(force).expect("inserted above");
        (lsoas, &mut self.next)
    }
}

/// Each (LSOA code, name) pair one force's files name, in the order first met. Only the first
/// row of a pair carries its code and name; later rows carry its number alone (null strings), so
/// the strings of an LSOA met in every month are stored once, not once per month.
///
/// The pairs' text sits in one buffer and the table holds numbers only: a lookup per file and
/// LSOA reads a few compact arrays, not three heap strings apiece.
#[derive(Default)]
struct Lsoas {
    /// Each pair's place in `spans`, found by the hash of its code and name.
    table: hashbrown::HashTable<u32>,
    /// Every pair's code then name, one pair after another.
    text: String,
    /// Pair `i`'s code and name in `text`: where they start, and their lengths.
    spans: Vec<(u32, u32, u32)>,
    /// The first number of each block of [`BLOCK`] pairs.
    blocks: Vec<u32>,
}

impl Lsoas {
    /// Pair `i`'s code and name.
    fn pair(&self, i: u32) -> (&str, &str) {
        spanned(&self.text, self.spans[i as usize])
    }

    /// Pair `i`'s number in the segment.
    fn number_of(&self, i: u32) -> u32 {
        self.blocks[(i / BLOCK) as usize] + i % BLOCK
    }

    /// The pair's number, and whether this is its first row; a new block comes from `next`.
    fn number(&mut self, code: &str, name: &str, next: &mut u32) -> (u32, bool) {
        let hash = hash_pair(code, name);
        if let Some(&i) = self.table.find(hash, |&i| self.pair(i) == (code, name)) {
            return (self.number_of(i), false);
        }
        let i = u32::try_from(self.spans.len()).expect("fewer than 2^32 LSOAs");
        if i % BLOCK == 0 {
            self.blocks.push(*next);
            *next = next
                .checked_add(BLOCK)
                .expect("fewer than 2^32 LSOA numbers");
        }
        let u32_of = |n: usize| u32::try_from(n).expect("under 4 GB of LSOA text");
        let start = u32_of(self.text.len());
        self.spans
            .push((start, u32_of(code.len()), u32_of(name.len())));
        self.text.push_str(code);
        self.text.push_str(name);
        let Lsoas {
            table, text, spans, ..
        } = self;
        let rehash = |&m: &u32| {
            let (code, name) = spanned(text, spans[m as usize]);
            hash_pair(code, name)
        };
        table.insert_unique(hash, i, rehash);
        (self.number_of(i), true)
    }
}

/// The code and name a span of [`Lsoas::text`] holds.
fn spanned(text: &str, (start, code, name): (u32, u32, u32)) -> (&str, &str) {
    let (start, code_end) = (start as usize, start as usize + code as usize);
    (
        &text[start..code_end],
        &text[code_end..code_end + name as usize],
    )
}

fn hash_pair(code: &str, name: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one((code, name))
}

impl Drop for Detail {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Segment rows as columns, appended file by file: one frame (one chunk) per row group, with no
/// frame per file to stack.
struct Rows {
    file: Vec<u32>,
    lsoa: Vec<u32>,
    codes: StringChunkedBuilder,
    names: StringChunkedBuilder,
    /// Counts by crime type, as u16: a file whose counts do not fit keeps no detail (see
    /// [`fits`]).
    by_type: [Vec<u16>; 14],
}

impl Default for Rows {
    fn default() -> Rows {
        Rows {
            file: Vec::new(),
            lsoa: Vec::new(),
            codes: StringChunkedBuilder::new("lsoa_code".into(), 0),
            names: StringChunkedBuilder::new("lsoa_name".into(), 0),
            by_type: Default::default(),
        }
    }
}

impl Rows {
    /// Room for a row group and a file more, so that the columns do not grow by copying.
    fn sized() -> Rows {
        let n = ROW_GROUP + ROW_GROUP / 4;
        Rows {
            file: Vec::with_capacity(n),
            lsoa: Vec::with_capacity(n),
            codes: StringChunkedBuilder::new("lsoa_code".into(), n),
            names: StringChunkedBuilder::new("lsoa_name".into(), n),
            by_type: std::array::from_fn(|_| Vec::with_capacity(n)),
        }
    }

    fn len(&self) -> usize {
        self.file.len()
    }

    /// Adds one row per LSOA of `street`, the file numbered `file`.
    fn add(&mut self, file: u32, street: &StreetCounts, (lsoas, next): (&mut Lsoas, &mut u32)) {
        for (code, (name, counts)) in &street.by_lsoa {
            let (n, first) = lsoas.number(code, name, next);
            self.file.push(file);
            self.lsoa.push(n);
            if first {
                self.codes.append_value(code.as_ref());
                self.names.append_value(name.as_ref());
            } else {
                self.codes.append_null();
                self.names.append_null();
            }
            for (column, &n) in self.by_type.iter_mut().zip(counts) {
                // Checked by `fits` before the file's rows are added.
                debug_assert!(n <= u32::from(u16::MAX), "{code}: {n} does not fit");
                column.push(n as u16);
            }
        }
    }

    fn frame(self) -> PolarsResult<DataFrame> {
        let mut columns = vec![
            Column::new("file".into(), self.file),
            Column::new("lsoa".into(), self.lsoa),
            self.codes.finish().into_column(),
            self.names.finish().into_column(),
        ];
        for (t, values) in self.by_type.into_iter().enumerate() {
            columns.push(Column::new(format!("c{t}").into(), values));
        }
        DataFrame::new_infer_height(columns)
    }
}

/// A segment with no rows (its schema).
fn no_detail() -> PolarsResult<DataFrame> {
    Rows::default().frame()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn street(lsoas: &[(&str, &str, u32)]) -> StreetCounts {
        let mut s = StreetCounts::default();
        for &(code, name, burglaries) in lsoas {
            let mut by_type = [0; 14];
            by_type[2] = burglaries;
            s.by_lsoa.insert(code.into(), (name.into(), by_type));
        }
        s
    }

    /// An LSOA's code and name are written on its first row only, and every later row (another
    /// file, another row group) finds them by its number; a code met under another name (a
    /// renamed LSOA) is another pair.
    #[test]
    fn each_lsoa_is_named_once_and_found_by_number() {
        let mut lsoas = Numbering::default();
        let (mut first, mut second) = (Rows::default(), Rows::default());
        let city = ("E01000001", "City of London 001A", 5);
        first.add(
            0,
            &street(&[("E01000001", "City of London 001A", 3)]),
            lsoas.of("city-of-london"),
        );
        second.add(
            1,
            &street(&[city, ("E01000914", "Camden 028B", 1)]),
            lsoas.of("city-of-london"),
        );
        let renamed = ("E01000914", "Camden 028B (2021 name)", 7);
        second.add(2, &street(&[city, renamed]), lsoas.of("city-of-london"));
        let mut frame = first.frame().unwrap();
        frame.vstack_mut(&second.frame().unwrap()).unwrap();
        let column = |name: &str| frame.column(name).unwrap().clone();
        let (n, codes, names) = (column("lsoa"), column("lsoa_code"), column("lsoa_name"));
        // 5 rows, 3 pairs: only each pair's first row carries strings.
        assert_eq!(
            (frame.height(), codes.null_count(), names.null_count()),
            (5, 2, 2)
        );
        let table = crate::ingest::police_uk::cache::lsoa_table(
            n.u32().unwrap(),
            codes.str().unwrap(),
            names.str().unwrap(),
        );
        assert_eq!(table.len(), 3);
        let rows: Vec<(u32, &str, &str, u16)> = (0..frame.height())
            .map(|i| {
                let (code, name) = table[n.u32().unwrap().get(i).unwrap() as usize].unwrap();
                let file = frame.column("file").unwrap().u32().unwrap().get(i).unwrap();
                (
                    file,
                    code,
                    name,
                    frame.column("c2").unwrap().u16().unwrap().get(i).unwrap(),
                )
            })
            .collect();
        let mut sorted = rows.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            vec![
                (0, "E01000001", "City of London 001A", 3),
                (1, "E01000001", "City of London 001A", 5),
                (1, "E01000914", "Camden 028B", 1),
                (2, "E01000001", "City of London 001A", 5),
                (2, "E01000914", "Camden 028B (2021 name)", 7),
            ]
        );
    }

    /// Each force numbers its pairs in blocks of one count: a force's 300 pairs take two blocks,
    /// around another force's, and a pair both forces name has a number from each; every number
    /// is one pair's, and the reader finds each row's code and name.
    #[test]
    fn forces_number_their_pairs_in_blocks_that_never_overlap() {
        let mut numbering = Numbering::default();
        let codes: Vec<String> = (0..300).map(|k| format!("E01{k:06}")).collect();
        let many: Vec<(&str, &str, u32)> = codes.iter().map(|c| (c.as_str(), "A", 1)).collect();
        let mut rows = Rows::default();
        rows.add(0, &street(&many[..200]), numbering.of("kent"));
        rows.add(1, &street(&[("E01000005", "A", 2)]), numbering.of("btp"));
        rows.add(2, &street(&many), numbering.of("kent"));
        let frame = rows.frame().unwrap();
        let column = |name: &str| frame.column(name).unwrap().clone();
        let (n, codes, names) = (column("lsoa"), column("lsoa_code"), column("lsoa_name"));
        let n = n.u32().unwrap();
        // Kent: 0..256 then, after BTP's block at 256..512, 512..556; BTP's pair is 256.
        let numbers: std::collections::BTreeSet<u32> = n.into_no_null_iter().collect();
        let expected: std::collections::BTreeSet<u32> =
            (0..256).chain(256..257).chain(512..556).collect();
        assert_eq!(numbers, expected);
        // 501 rows; strings on the first row of each of the 301 numbers.
        assert_eq!((frame.height(), codes.null_count()), (501, 200));
        let table = crate::ingest::police_uk::cache::lsoa_table(
            n,
            codes.str().unwrap(),
            names.str().unwrap(),
        );
        let file = column("file");
        let found: Vec<(u32, &str, u16)> = (0..frame.height())
            .map(|i| {
                let (code, _) = table[n.get(i).unwrap() as usize].unwrap();
                let count = column("c2").u16().unwrap().get(i).unwrap();
                (file.u32().unwrap().get(i).unwrap(), code, count)
            })
            .filter(|&(_, code, _)| code == "E01000005")
            .collect();
        assert_eq!(
            found,
            vec![
                (0, "E01000005", 1),
                (1, "E01000005", 2),
                (2, "E01000005", 1)
            ]
        );
    }
}
