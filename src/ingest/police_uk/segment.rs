//! The cache's LSOA segment of one run, written while the files are parsed (see [`super::cache`]
//! for the layout): one row per file and LSOA, each file known by its number in the segment.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use polars::prelude::*;

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
    writer: Mutex<Option<Result<BatchedWriter<std::fs::File>, String>>>,
}

impl Detail {
    pub(super) fn new(dir: &Path) -> Detail {
        static OPENED: AtomicU64 = AtomicU64::new(0); // two caches open never share a name
        let n = OPENED.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!("segment-{}-{n}.parquet.tmp", std::process::id()));
        Detail {
            tmp,
            next: AtomicU32::new(0),
            pending: Mutex::new(Pending::default()),
            writer: Mutex::new(None),
        }
    }

    /// Adds the rows of one file (`key`, numbered `id` in the segment, of `lsoas` LSOAs); writes
    /// what waits once it fills a row group.
    pub(super) fn keep(
        &self,
        (key, id): (&str, u32),
        frame: PolarsResult<DataFrame>,
        lsoas: usize,
    ) {
        let frame = match frame {
            Ok(frame) => frame,
            Err(e) => return self.fail(e.to_string()),
        };
        let full = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending.ids.insert(key.to_string(), id);
            pending.rows += lsoas;
            pending.frames.push(frame);
            if pending.rows < ROW_GROUP {
                return;
            }
            pending.rows = 0;
            std::mem::take(&mut pending.frames)
        };
        self.write(full);
    }

    /// Writes `frames` as one row group, opening the segment first if need be. After a failure
    /// nothing more is written, and the commit says why.
    fn write(&self, frames: Vec<DataFrame>) {
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let open = writer.get_or_insert_with(|| self.open());
        let Ok(batched) = open else { return };
        if let Err(e) = stacked(frames).and_then(|df| batched.write_batch(&df)) {
            *open = Err(e.to_string());
        }
    }

    fn open(&self) -> Result<BatchedWriter<std::fs::File>, String> {
        let dir = self.tmp.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let file = std::fs::File::create(&self.tmp).map_err(|e| e.to_string())?;
        let schema = no_detail().map_err(|e| e.to_string())?;
        ParquetWriter::new(file)
            // The workers are the parallelism: the segment is encoded on the thread that writes.
            .set_parallel(false)
            // LZ4 writes several times faster than polars' default zstd; the segment is a cache.
            .with_compression(ParquetCompression::Lz4Raw)
            // Nothing filters a segment by its columns' ranges: it is read whole.
            .with_statistics(StatisticsOptions::empty())
            .batched(schema.schema())
            .map_err(|e| e.to_string())
    }

    fn fail(&self, why: String) {
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        *writer = Some(Err(why));
    }

    /// Writes what waits, finishes the segment and moves it to `path`; the files' numbers in it,
    /// by key.
    pub(super) fn commit(
        &self,
        path: &Path,
        index: &mut Index,
    ) -> Result<HashMap<String, u32>, String> {
        let rest = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        self.write(rest.frames);
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        match writer.take() {
            Some(Ok(batched)) => batched.finish().map_err(|e| e.to_string())?,
            Some(Err(why)) => return Err(why),
            None => return Err("the segment was never opened".into()),
        };
        commit(&self.tmp, path, index)?;
        Ok(rest.ids)
    }
}

/// What waits to be written to a segment.
#[derive(Default)]
struct Pending {
    frames: Vec<DataFrame>,
    rows: usize,
    ids: HashMap<String, u32>,
}

impl Drop for Detail {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// One frame of `frames`, in one chunk (one row group).
fn stacked(frames: Vec<DataFrame>) -> PolarsResult<DataFrame> {
    let mut frames = frames.into_iter();
    let Some(mut all) = frames.next() else {
        return no_detail();
    };
    for frame in frames {
        all.vstack_mut(&frame)?;
    }
    all.rechunk_mut();
    Ok(all)
}

/// One file's LSOA detail as segment rows.
pub(super) fn counts_frame(file: u32, street: &StreetCounts) -> PolarsResult<DataFrame> {
    let n = street.by_lsoa.len();
    let (mut codes, mut names) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut by_type: Vec<Vec<u32>> = (0..14).map(|_| Vec::with_capacity(n)).collect();
    for (code, (name, counts)) in &street.by_lsoa {
        codes.push(code.as_ref());
        names.push(name.as_ref());
        for (t, n) in counts.iter().enumerate() {
            by_type[t].push(*n);
        }
    }
    let mut columns = vec![
        Column::new("file".into(), vec![file; codes.len()]),
        Column::new("lsoa_code".into(), codes),
        Column::new("lsoa_name".into(), names),
    ];
    for (t, values) in by_type.into_iter().enumerate() {
        columns.push(Column::new(format!("c{t}").into(), values));
    }
    DataFrame::new_infer_height(columns)
}

/// A segment with no rows (its schema).
fn no_detail() -> PolarsResult<DataFrame> {
    Ok(counts_frame(0, &StreetCounts::default())?.clear())
}
