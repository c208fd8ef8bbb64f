//! The progress bar of a long ingest, and its messages (how much the cache served): on stderr, for
//! the person watching, never a finding in any artefact, so a run reads the same with or without
//! the cache.

/// A progress message on stderr, unless the run is quiet (`--quiet`).
pub(super) fn say(wanted: bool, message: &str) {
    if wanted {
        crate::error::say(format_args!("note: {message} [cache]"));
    }
}

/// The progress bar of a long ingest, on stderr: files done of all, rows done and their rate.
/// Hidden when stderr is not a terminal or with `--quiet`.
pub(super) struct Progress {
    pub(super) bar: indicatif::ProgressBar,
    rows: std::sync::atomic::AtomicU64,
}

impl Progress {
    pub(super) fn new(files: u64, wanted: bool) -> Progress {
        use std::io::IsTerminal;
        let bar = if wanted && std::io::stderr().is_terminal() {
            let style = indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} files  {msg}  {elapsed}",
            )
            .expect("the progress template is valid");
            indicatif::ProgressBar::new(files).with_style(style)
        } else {
            indicatif::ProgressBar::hidden()
        };
        Progress {
            bar,
            rows: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// One more file done, with its rows.
    pub(super) fn file_done(&self, rows: u64) {
        use std::sync::atomic::Ordering;
        let total = self.rows.fetch_add(rows, Ordering::Relaxed) + rows;
        if !self.bar.is_hidden() {
            let secs = self.bar.elapsed().as_secs_f64();
            self.bar.set_message(rows_message(total, secs));
        }
        self.bar.inc(1);
    }
}

/// `1,234,567 rows, 617,283 rows/s`.
fn rows_message(rows: u64, secs: f64) -> String {
    let rate = (rows as f64 / secs.max(1e-3)).round() as u64;
    format!(
        "{} rows, {} rows/s",
        indicatif::HumanCount(rows),
        indicatif::HumanCount(rate)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_bar_says_rows_and_their_rate() {
        assert_eq!(
            rows_message(1_234_567, 2.0),
            "1,234,567 rows, 617,284 rows/s"
        );
        assert_eq!(rows_message(0, 0.0), "0 rows, 0 rows/s");
    }
}
