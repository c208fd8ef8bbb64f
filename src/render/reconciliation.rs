//! The reconciliation ledger and the data-quality table: for every file, rows read = rows counted +
//! rows rejected, with each rejected row's line and reason.

use crate::model::{Dataset, DigestBasis, InputFile};
use crate::render::format::thousands;
use crate::render::table::{defuse, write_csv};

/// `reports/reconciliation.csv` columns: one row per file, then one per rejected row.
pub const COLUMNS: [&str; 9] = [
    "file",
    "kind",
    "digest",
    "digest_basis",
    "rows_read",
    "rows_counted",
    "rows_rejected",
    "rejected_line",
    "reason",
];

/// The ledger as CSV.
pub fn csv(data: &Dataset) -> String {
    let mut rows = vec![COLUMNS.map(String::from).to_vec()];
    for f in &data.inputs {
        let counts = f.published().map(|n| n.to_string());
        rows.push(
            [
                identity(f),
                counts.to_vec(),
                vec![String::new(), String::new()],
            ]
            .concat(),
        );
    }
    for f in &data.inputs {
        for r in &f.rejections {
            let blank = || String::new();
            let rest = vec![
                blank(),
                blank(),
                blank(),
                r.line.to_string(),
                defuse(&r.reason),
            ];
            rows.push([identity(f), rest].concat());
        }
    }
    write_csv(&rows)
}

/// A file's path, kind, digest and how the run knows that digest.
fn identity(f: &InputFile) -> Vec<String> {
    vec![
        defuse(&f.path),
        f.kind.clone(),
        f.digest.clone(),
        digest_basis(f.digest_basis).to_string(),
    ]
}

/// How the run knows a digest, in words: a digest taken by a record says so.
pub fn digest_basis(basis: DigestBasis) -> &'static str {
    match basis {
        DigestBasis::Computed => "computed from the bytes",
        DigestBasis::ZipRecord => {
            "recorded: by the zip's CRC-32 and size, not recomputed (--rehash recomputes)"
        }
        DigestBasis::FileRecord => {
            "recorded: by the file's size, times and inode, not recomputed (--rehash recomputes)"
        }
    }
}

/// `reports/data-quality.csv`: per force-month rows, no-location, outside-area and duplicates.
pub fn quality_csv(data: &Dataset) -> String {
    let header = [
        "area",
        "month",
        "rows",
        "no_location",
        "outside_area",
        "duplicate_ids",
        "rejected",
    ];
    let mut rows = vec![header.map(String::from).to_vec()];
    for q in &data.quality {
        let outside = q
            .outside_area
            .map_or_else(|| "not checked".into(), |n| n.to_string());
        rows.push(vec![
            defuse(&q.area),
            q.month.to_string(),
            q.rows.to_string(),
            q.no_location.to_string(),
            outside,
            q.duplicate_ids.to_string(),
            q.rejected.to_string(),
        ]);
    }
    write_csv(&rows)
}

/// A few lines for `check`: files and rows read, counted and rejected, by kind.
pub fn summary(data: &Dataset) -> String {
    let mut kinds: Vec<&str> = data.inputs.iter().map(|f| f.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut out = String::from("reconciliation (rows read = counted + rejected, per file):\n");
    for kind in kinds {
        let all: Vec<_> = data.inputs.iter().filter(|f| f.kind == kind).collect();
        // Files under disclosure control are listed apart: a sum with them in would reveal them.
        let files: Vec<_> = all.iter().copied().filter(|f| !f.withheld).collect();
        let withheld = all.len() - files.len();
        let sum = |g: fn(&crate::model::InputFile) -> u64| {
            thousands(files.iter().map(|f| g(f)).sum::<u64>() as i64)
        };
        if !files.is_empty() {
            out += &format!(
                "  {kind}: {} files, {} rows read, {} counted, {} rejected\n",
                files.len(),
                sum(|f| f.rows_read),
                sum(|f| f.rows_counted),
                sum(|f| f.rows_rejected)
            );
        }
        if withheld > 0 {
            out += &format!(
                "  {kind}: {withheld} files under disclosure control: balanced, row counts withheld [c]\n"
            );
        }
    }
    out
}
