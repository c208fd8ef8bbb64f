//! data.police.uk archives: the real City of London files in ../shared (figures from the issue,
//! checked by hand with Python's csv module), the zip form, and each kind of bad archive.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use common::{Cli, fixture};

fn shared_archive() -> Option<PathBuf> {
    common::shared_path("data/police-uk/city-of-london")
}

fn arg(kind: &str, path: &Path) -> [String; 2] {
    ["--source".into(), format!("{kind}={}", path.display())]
}

#[test]
fn financial_year_2016_17_on_the_real_files() {
    let Some(archive) = shared_archive() else {
        return;
    };
    let (out, _) = Cli::new()
        .args(arg("police-uk", &archive))
        .args(["counts", "--period", "2016/17", "--format", "csv"])
        .expect(0);
    let expected = [
        ("Anti-social behaviour", 1463),
        ("Violence and sexual offences", 918),
        ("Other theft", 1520),
        ("Shoplifting", 729),
        ("Theft from the person", 464),
        ("Bicycle theft", 372),
        ("Drugs", 327),
        ("Burglary", 253),
        ("Criminal damage and arson", 227),
        ("Public order", 223),
        ("Vehicle crime", 183),
        ("Other crime", 179),
        ("Possession of weapons", 41),
        ("Robbery", 28),
    ];
    let mut total = 0;
    for (category, n) in expected {
        assert!(
            out.contains(&format!("2016/17,City of London Police,{category},{n}\n")),
            "{category} {n}:\n{out}"
        );
        total += n;
    }
    assert_eq!(total, 6927);
    assert_eq!(out.lines().count(), 1 + 14);
}

#[test]
fn crime_and_asb_are_separate_totals() {
    let Some(archive) = shared_archive() else {
        return;
    };
    let (out, _) = Cli::new()
        .args(arg("police-uk", &archive))
        .args([
            "--allow-partial",
            "compare",
            "--from",
            "2016/17",
            "--to",
            "2017/18",
            "--format",
            "csv",
        ])
        .expect(0);
    let total = out.lines().find(|l| l.starts_with("Total crime,")).unwrap();
    assert!(
        total.starts_with("Total crime,2016/17,2017/18 (partial: 3 of 12 months),5464,"),
        "{total}"
    );
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("Anti-social behaviour,2016/17,2017/18 (partial: 3 of 12 months),1463,"),
        "{last}"
    );
    assert!(!out.lines().any(|l| l.starts_with("Total,")));
}

#[test]
fn a_partial_year_is_refused_naming_the_missing_months() {
    let Some(archive) = shared_archive() else {
        return;
    };
    let (_, err) = Cli::new()
        .args(arg("police-uk", &archive))
        .args([
            "--area",
            "city-of-london",
            "compare",
            "--from",
            "2016/17",
            "--to",
            "2017/18",
        ])
        .expect(2);
    let missing =
        "missing 2017-07, 2017-08, 2017-09, 2017-10, 2017-11, 2017-12, 2018-01, 2018-02, 2018-03";
    assert!(err.contains("--to: 2017/18 is a partial year in the data: City of London Police has 3 of its 12 months"), "{err}");
    assert!(err.contains(missing), "{err}");
}

#[test]
fn check_reconciles_every_file_on_the_real_archive() {
    let Some(archive) = shared_archive() else {
        return;
    };
    let (out, _) = Cli::new()
        .args(arg("police-uk", &archive))
        .args(["check"])
        .expect(0);
    assert!(
        out.contains("police-uk street: 18 files, 10,118 rows read, 10,118 counted, 0 rejected"),
        "{out}"
    );
    assert!(out.contains("police-uk outcomes: 18 files"), "{out}");
    assert!(out.contains("police-uk stop-and-search: 15 files"), "{out}");
    assert!(
        out.contains(
            "2017/18 is a partial year, built from 3 of 12 months (missing 2017-07 to 2018-03)"
        ),
        "{out}"
    );
    assert!(
        out.contains("465 of 10,118 street rows (4.6%) have no location"),
        "{out}"
    );
    assert!(
        out.contains("493 of 9,653 located rows (5.1%) are in LSOAs outside the force's own area"),
        "{out}"
    );
}

/// Zips a folder tree (stored, no compression) into `zip_path`, entry names relative to `root`.
fn zip_folder(root: &Path, zip_path: &Path) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(zip_path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p)
            } else {
                files.push(p)
            }
        }
    }
    files.sort();
    for f in files {
        let name = f
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        zip.start_file(name, options).unwrap();
        zip.write_all(&std::fs::read(&f).unwrap()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn a_zip_reads_the_same_as_its_folder() {
    let Some(archive) = shared_archive() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("city-of-london.zip");
    zip_folder(&archive, &zip_path);
    let counts = |source: &Path| {
        Cli::new()
            .args(arg("police-uk", source))
            .args(["counts", "--period", "2016/17", "--format", "csv"])
            .expect(0)
            .0
    };
    assert_eq!(counts(&zip_path), counts(&archive));
}

#[test]
fn good_fixture_counts_quality_and_breakdowns() {
    let good = fixture("police-uk/good");
    let (out, _) = Cli::new()
        .args(arg("police-uk", &good))
        .args([
            "compare", "--from", "2016-04", "--to", "2016-05", "--format", "csv",
        ])
        .expect(0);
    assert!(
        out.contains("\nTotal crime,2016-04,2016-05,4,1,-3,-75.0,"),
        "{out}"
    );
    assert!(
        out.contains("\nAnti-social behaviour,2016-04,2016-05,1,2,1,100.0,"),
        "{out}"
    );
    // The City of London Police's area is one local authority, so the CSP's name finds it.
    let (by_csp, _) = Cli::new()
        .args(arg("police-uk", &good))
        .args(["--area", "City of London", "compare", "--from", "2016-04"])
        .args(["--to", "2016-05", "--format", "csv"])
        .expect(0);
    assert_eq!(by_csp, out);
    let (out, _) = Cli::new()
        .args(arg("police-uk", &good))
        .args(["check"])
        .expect(0);
    assert!(
        out.contains("police-uk street: 2 files, 8 rows read, 8 counted, 0 rejected"),
        "{out}"
    );
    assert!(
        out.contains("police-uk outcomes: 1 files, 1 rows read"),
        "{out}"
    );
    assert!(
        out.contains("1 of 8 street rows (12.5%) have no location"),
        "{out}"
    );
    assert!(
        out.contains("2 of 7 located rows (28.6%) are in LSOAs outside"),
        "{out}"
    );
    assert!(
        out.contains("repeated Crime IDs within a month (1 in 2016-04)"),
        "{out}"
    );
    let (out, _) = Cli::new()
        .args(arg("police-uk", &good))
        .args(["--allow-partial"])
        .counts_csv("2016/17 Q1")
        .args(["--by", "lsoa"])
        .expect(0);
    assert!(
        // Labelled with the period asked for, not its first month.
        out.contains("2016/17 Q1,City of London Police,E01000914,Camden 028B,Robbery,2\n"),
        "{out}"
    );
    assert!(out.contains("(no location),,Bicycle theft,1\n"), "{out}");
    let (out, _) = Cli::new()
        .args(arg("police-uk", &good))
        .counts_csv("2016/17 Q1")
        .args(["--by", "month"])
        .expect(0);
    assert!(
        out.contains("2016-05,City of London Police,Anti-social behaviour,2\n"),
        "{out}"
    );
}

#[test]
fn bad_archives_are_refused_with_file_and_line() {
    let cases = [
        (
            "ragged",
            "2016-04-city-of-london-street.csv:3: malformed CSV: this row has 3 fields but the header has 12",
        ),
        (
            "other-kind-header",
            "2016-04-city-of-london-street.csv:1: the name says street but the header is a outcomes header",
        ),
        (
            "row-month-mismatch",
            "2016-04-city-of-london-street.csv:3: the row is for month `2016-05` but the file is for 2016-04",
        ),
        (
            "file-in-wrong-folder",
            "the file is for 2016-05 but sits in the folder 2016-04",
        ),
        (
            "empty",
            "2016-04-city-of-london-street.csv: the file is empty",
        ),
        (
            "unknown-type",
            "crime type `Cyber crime` matches none of data.police.uk's categories (Anti-social behaviour, Bicycle theft",
        ),
        (
            "twice",
            "city-of-london street for 2016-04 is supplied twice (release-1/2016-04/2016-04-city-of-london-street.csv and release-2/2016-04/2016-04-city-of-london-street.csv)",
        ),
        ("future", "is for 2099-01, which has not happened yet"),
    ];
    for (case, expected) in cases {
        let (_, err) = Cli::new()
            .args(arg("police-uk", &fixture(&format!("police-uk/{case}"))))
            .args(["check"])
            .expect(2);
        assert!(err.contains(expected), "{case}:\n{err}");
    }
}

#[test]
fn rejected_rows_are_ledgered_not_lost() {
    let ragged = fixture("police-uk/ragged");
    let cli = Cli::new();
    let out_dir = cli.dir.path().join("out");
    let (out, _) = Cli::new()
        .args(arg("police-uk", &ragged))
        .args(["--reject-bad-rows", "check"])
        .expect(0);
    assert!(
        out.contains("police-uk street: 1 files, 3 rows read, 2 counted, 1 rejected"),
        "{out}"
    );
    assert!(
        out.contains("error: City of London Police: 1 rows rejected"),
        "{out}"
    );
    Cli::new()
        .args(arg("police-uk", &ragged))
        .args(["--reject-bad-rows", "--fail-on", "error", "check"])
        .expect(1);
    // The run writes the ledger with the rejected row's line and reason.
    let out_arg = out_dir.display().to_string();
    Cli::new()
        .args(arg("police-uk", &ragged))
        .args([
            "--reject-bad-rows",
            "run",
            "--out",
            &out_arg,
            "--from",
            "2016/17 Q1",
            "--to",
            "2016/17 Q2",
        ])
        .expect(2);
    let (_, err) = Cli::new()
        .args(arg("police-uk", &good_and_ragged(cli.dir.path())))
        .args([
            "--reject-bad-rows",
            "run",
            "--out",
            &out_arg,
            "--from",
            "2016-04",
            "--to",
            "2016-05",
        ])
        .expect(0);
    assert!(err.contains("rows rejected"), "{err}");
    let ledger = std::fs::read_to_string(out_dir.join("reports/reconciliation.csv")).unwrap();
    assert!(
        ledger.starts_with(
            "file,kind,digest,digest_basis,rows_read,rows_counted,rows_rejected,rejected_line,reason\n"
        ),
        "{ledger}"
    );
    assert!(
        ledger.contains("2016-04-city-of-london-street.csv,police-uk street,"),
        "{ledger}"
    );
    // A folder's month-file is known by its record (size, times, inode) unless --rehash.
    let recorded =
        "\"recorded: by the file's size, times and inode, not recomputed (--rehash recomputes)\"";
    assert!(
        ledger.contains(&format!("{recorded},3,2,1,,\n")),
        "{ledger}"
    );
    assert!(
        ledger.contains(",,,,3,\"this row has 3 fields but the header has 12;"),
        "{ledger}"
    );
}

/// The ragged April file beside the good May file, so a comparison has two full months.
fn good_and_ragged(dir: &Path) -> PathBuf {
    let root = dir.join("archive");
    for (from, month) in [
        ("police-uk/ragged", "2016-04"),
        ("police-uk/good", "2016-05"),
    ] {
        std::fs::create_dir_all(root.join(month)).unwrap();
        for e in std::fs::read_dir(fixture(from).join(month)).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, root.join(month).join(p.file_name().unwrap())).unwrap();
        }
    }
    root
}

#[test]
fn zip_entries_cannot_escape_and_damaged_zips_are_named() {
    // bad/zip-slip.zip holds one entry, `../2016-04/2016-04-city-of-london-street.csv`.
    let (_, err) = Cli::new()
        .args(arg("police-uk", &fixture("bad/zip-slip.zip")))
        .args(["check"])
        .expect(2);
    assert!(
        err.contains("zip-slip.zip") && err.contains("would be written outside its folder"),
        "{err}"
    );
    // bad/truncated.zip is the first half of a zip of police-uk/good.
    let (_, err) = Cli::new()
        .args(arg("police-uk", &fixture("bad/truncated.zip")))
        .args(["check"])
        .expect(2);
    assert!(
        err.contains("truncated.zip") && err.contains("the zip is damaged"),
        "{err}"
    );
}

#[test]
fn older_labels_map_onto_current_types_and_the_change_is_reported() {
    let (out, _) = Cli::new()
        .args(arg("police-uk", &fixture("police-uk/legacy")))
        .args(["check"])
        .expect(0);
    assert!(
        out.contains("`Violent crime` counted as Violence and sexual offences"),
        "{out}"
    );
    assert!(
        out.contains("`Public disorder and weapons` counted as Public order"),
        "{out}"
    );
    assert!(
        out.contains("cross the May 2013 change of crime types"),
        "{out}"
    );
    let (out, _) = Cli::new()
        .args(arg("police-uk", &fixture("police-uk/legacy")))
        .args(["counts", "--period", "2013-04", "--format", "csv"])
        .expect(0);
    assert!(
        out.contains("2013-04,City of London Police,Violence and sexual offences,1\n"),
        "{out}"
    );
    assert!(
        out.contains("2013-04,City of London Police,Public order,1\n"),
        "{out}"
    );
}

/// Copies a fixture archive into `dir` so a test can change its files.
fn copy_tree(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

/// A copy of the good fixture archive in the run's folder, and a cache folder beside it.
fn archive_with_cache(cli: &Cli) -> (PathBuf, String) {
    let archive = cli.dir.path().join("archive");
    std::fs::create_dir_all(&archive).unwrap();
    copy_tree(&fixture("police-uk/good"), &archive);
    (archive, cli.dir.path().join("cache").display().to_string())
}

/// `check` of `archive` without the cache, expecting exit `code`: (stdout, stderr).
fn uncached_check(archive: &Path, code: i32) -> (String, String) {
    Cli::new()
        .args(arg("police-uk", archive))
        .args(["--no-cache", "check"])
        .expect(code)
}

/// A command over `archive` with its cache in `cache`.
fn cached(archive: &Path, cache: &str, extra: &[&str]) -> Cli {
    Cli::new()
        .args(arg("police-uk", archive))
        .args(["--cache-dir", cache])
        .args(extra.iter().copied())
}

/// Rewrites May's street file in `folder` with its first `from` replaced by `to`.
fn change_may(folder: &Path, from: &str, to: &str) -> PathBuf {
    let may = folder.join("2016-05/2016-05-city-of-london-street.csv");
    let text = std::fs::read_to_string(&may).unwrap();
    std::fs::write(&may, text.replacen(from, to, 1)).unwrap();
    may
}

#[test]
fn the_cache_reuses_unchanged_files_and_never_trusts_changed_ones() {
    let cli = Cli::new();
    let (archive, cache) = archive_with_cache(&cli);
    // What the cache served is a progress note on stderr; `check`'s report is stdout.
    let check = |extra: &[&str]| cached(&archive, &cache, extra).args(["check"]).expect(0);
    let run = |extra: &[&str]| check(extra).1;
    let (first_out, first) = check(&[]);
    assert!(
        first.contains("0 of 3 files taken from the cache (same name and bytes), 3 parsed"),
        "{first}"
    );
    let (second_out, second) = check(&[]);
    assert!(
        second.contains("3 of 3 files taken from the cache (same name and bytes), 0 parsed"),
        "{second}"
    );
    // Same findings and ledger either way, to the byte: the cache is never in the report.
    assert_eq!(first_out, second_out);
    assert!(!first_out.contains("[cache]"), "{first_out}");
    // Change May's file: it is parsed again, April's still comes from the cache.
    change_may(&archive, "Shoplifting", "Bicycle theft");
    let third = run(&[]);
    assert!(
        third.contains("2 of 3 files taken from the cache (same name and bytes), 1 parsed"),
        "{third}"
    );
    let (counts, _) = cached(&archive, &cache, &[])
        .args(["counts", "--period", "2016-05", "--format", "csv"])
        .expect(0);
    assert!(
        counts.contains("2016-05,City of London Police,Bicycle theft,1\n"),
        "{counts}"
    );
    assert!(
        counts.contains("2016-05,City of London Police,Shoplifting,0\n"),
        "{counts}"
    );
    // The cache is safe to delete, and --no-cache ignores it.
    std::fs::remove_dir_all(cli.dir.path().join("cache")).unwrap();
    assert!(run(&[]).contains("0 of 3 files taken from the cache"));
    assert!(!run(&["--no-cache"]).contains("[cache]"));
}

/// Long enough for a file to count as settled (the cache's SETTLED_SECS is 2).
fn let_files_settle() {
    std::thread::sleep(std::time::Duration::from_millis(2200));
}

#[cfg(unix)]
#[test]
fn a_folder_rerun_knows_settled_files_by_sight_and_sees_a_rewrite_that_hides_itself() {
    let cli = Cli::new();
    let (archive, cache) = archive_with_cache(&cli);
    let cli = |extra: &[&str]| cached(&archive, &cache, extra);
    // The cache's note (on stderr), and May's counts (taken from the cache as well).
    let run = |extra: &[&str]| {
        let note = cli(extra).args(["check"]).expect(0).1;
        let counts = cli(extra)
            .args(["counts", "--period", "2016-05", "--format", "csv"])
            .expect(0)
            .0;
        (counts, note)
    };
    let by_sight = |n: usize| {
        format!(
            "{n} of 3 files taken from the cache (same name and bytes, {n} of them by their unchanged size, times and inode without reading them), 0 parsed"
        )
    };
    // Just-written files are hashed, not known by sight (a second write in the same clock tick
    // could leave their times unchanged), so the first two runs read all three.
    let (_, err) = run(&[]);
    assert!(
        err.contains("0 of 3 files taken from the cache (same name and bytes), 3 parsed"),
        "{err}"
    );
    let_files_settle();
    let (_, err) = run(&[]);
    assert!(
        err.contains("3 of 3 files taken from the cache (same name and bytes), 0 parsed"),
        "{err}"
    );
    let (before, err) = run(&[]);
    assert!(err.contains(&by_sight(3)), "{err}");
    assert!(
        before.contains("2016-05,City of London Police,Shoplifting,1\n"),
        "{before}"
    );
    // Rewrite May's file to the same size, then set its modification time back: only its change
    // time (which no tool can set back) tells the cache.
    let before = std::fs::metadata(archive.join("2016-05/2016-05-city-of-london-street.csv"));
    let (size, modified) = before.map(|m| (m.len(), m.modified().unwrap())).unwrap();
    let may = change_may(&archive, "Shoplifting", "Other theft");
    let file = std::fs::File::options().write(true).open(&may).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    let meta = std::fs::metadata(&may).unwrap();
    assert_eq!((meta.len(), meta.modified().unwrap()), (size, modified));
    let_files_settle();
    let (after, err) = run(&[]);
    assert!(
        err.contains("2 of 3 files taken from the cache (same name and bytes, 2 of them by their unchanged size, times and inode without reading them), 1 parsed"),
        "{err}"
    );
    assert!(
        after.contains("2016-05,City of London Police,Shoplifting,0\n"),
        "{after}"
    );
    // --rehash reads and hashes every file; the next run knows the rewritten file by sight too.
    let (_, err) = run(&["--rehash"]);
    assert!(
        err.contains("3 of 3 files taken from the cache (same name and bytes), 0 parsed"),
        "{err}"
    );
    let (again, err) = run(&[]);
    assert!(err.contains(&by_sight(3)), "{err}");
    assert_eq!(again, after);
}

#[test]
fn a_file_with_rejected_rows_is_parsed_every_time_and_said_so() {
    let cli = Cli::new();
    let cache = cli.dir.path().join("cache").display().to_string();
    for _ in 0..2 {
        let out = cached(&fixture("police-uk/ragged"), &cache, &["--reject-bad-rows"])
            .args(["check"])
            .expect(0)
            .1;
        // Never cached (it has rejected rows), so never "taken from the cache".
        assert!(
            out.contains("0 of 1 files taken from the cache (same name and bytes), 1 parsed"),
            "{out}"
        );
    }
}

#[test]
fn a_damaged_cache_is_ignored() {
    let cli = Cli::new();
    let (archive, cache) = archive_with_cache(&cli);
    let check = || cached(&archive, &cache, &[]).args(["check"]).expect(0);
    check();
    for e in
        std::fs::read_dir(Path::new(&cache).join(saferstats::ingest::police_uk::cache::VERSION))
            .unwrap()
    {
        std::fs::write(e.unwrap().path(), b"not parquet").unwrap();
    }
    let (out, err) = check();
    assert!(err.contains("0 of 3 files taken from the cache"), "{err}");
    assert!(
        out.contains("police-uk street: 2 files, 8 rows read, 8 counted, 0 rejected"),
        "{out}"
    );
}

#[test]
fn export_writes_hive_partitions_by_year_and_force() {
    let cli = Cli::new();
    let dir = cli.dir.path().join("parquet");
    let dir_arg = dir.display().to_string();
    Cli::new()
        .args(arg("police-uk", &fixture("police-uk/good")))
        .args(["--export-parquet", &dir_arg, "check"])
        .expect(0);
    let part = dir.join("year=2016/force=city-of-london/part-0.parquet");
    use polars::prelude::SerReader;
    let df = polars::prelude::ParquetReader::new(std::fs::File::open(&part).unwrap())
        .finish()
        .unwrap();
    // 2016-04: Bicycle theft in 2 LSOAs (one unlocated), ASB, Robbery (2 in Camden); 2016-05:
    // Shoplifting, ASB (2 rows, same LSOA): 6 month x LSOA x type rows, 8 crimes and incidents.
    assert_eq!(df.height(), 6);
    let counts = df.column("count").unwrap().u32().unwrap();
    assert_eq!(
        (0..counts.len()).filter_map(|i| counts.get(i)).sum::<u32>(),
        8
    );
    let names: Vec<&str> = df.get_column_names().iter().map(|s| s.as_str()).collect();
    assert_eq!(
        names,
        [
            "month",
            "area",
            "lsoa_code",
            "lsoa_name",
            "crime_type",
            "count"
        ]
    );
}

/// Regression (found by `scripts/fuzz.sh`, target police_street): a row whose LSOA code is not
/// UTF-8 was rejected after its crime type had been counted, so it was both counted and rejected.
#[test]
fn regression_fuzz_a_rejected_row_is_never_also_counted() {
    let archive = fixture("police-uk/fuzz-lsoa-not-utf8");
    let (out, _) = Cli::new()
        .args(arg("police-uk", &archive))
        .args(["--reject-bad-rows", "check"])
        .expect(0);
    assert!(
        out.contains("police-uk street: 1 files, 3 rows read, 1 counted, 2 rejected"),
        "{out}"
    );
    let (counts, _) = Cli::new()
        .args(arg("police-uk", &archive))
        .args(["--reject-bad-rows"])
        .counts_csv("2016-04")
        .expect(0);
    let total: u64 = counts
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, 1, "{counts}");
    let (_, err) = Cli::new()
        .args(arg("police-uk", &archive))
        .args(["check"])
        .expect(2);
    assert!(
        err.contains("2016-04-city-of-london-street.csv:3:"),
        "{err}"
    );
}

#[test]
fn the_same_bytes_under_another_months_name_are_parsed_not_taken_from_the_cache() {
    // April's file, cached, then copied by mistake into June under June's name: its rows say
    // 2016-04, so it must be refused as a fresh parse would, not counted as June from the cache.
    let cli = Cli::new();
    let (archive, cache) = archive_with_cache(&cli);
    cached(&archive, &cache, &["check"]).expect(0);
    let june = archive.join("2016-06");
    std::fs::create_dir_all(&june).unwrap();
    std::fs::copy(
        archive.join("2016-04/2016-04-city-of-london-street.csv"),
        june.join("2016-06-city-of-london-street.csv"),
    )
    .unwrap();
    let (_, err) = cached(&archive, &cache, &["check"]).expect(2);
    assert!(
        err.contains("2016-06-city-of-london-street.csv") && err.contains("2016-04"),
        "{err}"
    );
}

#[test]
fn a_zip_rerun_knows_unchanged_entries_by_the_zips_checksum() {
    let cli = Cli::new();
    let (folder, cache) = archive_with_cache(&cli);
    let zip_path = cli.dir.path().join("archive.zip");
    zip_folder(&folder, &zip_path);
    let check = || cached(&zip_path, &cache, &["check"]).expect(0).1;
    let first = check();
    assert!(
        first.contains("0 of 3 files taken from the cache"),
        "{first}"
    );
    let second = check();
    assert!(
        second.contains("3 of 3 files taken from the cache (same name and bytes, 3 of them by the zip's checksum without decompressing), 0 parsed"),
        "{second}"
    );
    // A new download where May's street file changed: its checksum differs, so it is read again.
    change_may(&folder, "Shoplifting", "Bicycle theft");
    zip_folder(&folder, &zip_path);
    let (third_out, third) = cached(&zip_path, &cache, &["check"]).expect(0);
    assert!(
        third.contains("2 of 3 files taken from the cache (same name and bytes, 2 of them by the zip's checksum without decompressing), 1 parsed"),
        "{third}"
    );
    let fresh = uncached_check(&zip_path, 0).0;
    assert_eq!(third_out, fresh);
}

#[test]
fn a_month_missing_from_the_release_is_said_not_read_as_none() {
    // The real City of London street file for 2017-05 holds no anti-social behaviour rows at all,
    // where the other 17 months average 116 (1,980 in all): P(0) under Poisson is about e^-116.
    let Some(city) = shared_archive() else { return };
    let (out, _) = uncached_check(&city, 0);
    assert!(
        out.contains("warning: City of London Police: Anti-social behaviour is 0 in 2017-05 where its other 17 months average 116: most likely missing from the release rather than none"),
        "{out}"
    );
    assert_eq!(out.matches("[implausible-zero]").count(), 1, "{out}");
}

/// Every file below `dir`, by its path relative to it.
fn tree_bytes(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn a_run_with_and_without_the_cache_writes_the_same_bytes() {
    let cli = Cli::new();
    let (archive, cache) = archive_with_cache(&cli);
    let run = |out: &str, extra: &[&str]| {
        let out = cli.dir.path().join(out);
        let args = ["run", "--from", "2016-04", "--to", "2016-05", "--out"];
        let (_, err) = cached(&archive, &cache, extra)
            .args(args)
            .args([out.display().to_string()])
            .expect(0);
        (tree_bytes(&out), err)
    };
    let (fresh, err) = run("no-cache", &["--no-cache"]);
    assert!(!err.contains("[cache]"), "{err}");
    let (cold, err) = run("cold", &[]);
    assert!(err.contains("0 of 3 files taken from the cache"), "{err}");
    let (warm, err) = run("warm", &[]);
    assert!(err.contains("3 of 3 files taken from the cache"), "{err}");
    assert!(
        fresh.contains_key("reports/manifest.json"),
        "{:?}",
        fresh.keys()
    );
    for (name, other) in [("cold cache", &cold), ("warm cache", &warm)] {
        assert_eq!(
            fresh.keys().collect::<Vec<_>>(),
            other.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &fresh {
            assert!(other[path] == *bytes, "{path} differs with a {name}");
        }
    }
}

#[test]
fn every_file_kind_gets_the_month_check() {
    // The real City of London archive has street and outcomes files for 2016-01 to 2017-06, but
    // stop-and-search files only to 2017-03.
    let Some(city) = shared_archive() else { return };
    let (out, _) = uncached_check(&city, 0);
    assert!(
        out.contains("warning: City of London Police: no stop-and-search file for 2017-04 to 2017-06 (the archive runs 2016-01 to 2017-06) [missing-months]"),
        "{out}"
    );
    assert!(!out.contains("no outcomes file"), "{out}");
    assert!(!out.contains("no street file"), "{out}");
}

/// The comparison a config (TOML text) asks for, with LSOA detail and without the cache.
fn comparison_of(
    cfg: &str,
) -> (
    saferstats::stats::Comparison,
    Vec<saferstats::model::Finding>,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.toml");
    std::fs::write(&path, cfg).unwrap();
    let mut config = saferstats::config::Config::from_file(&path).unwrap();
    for s in &mut config.sources {
        s.selection.lsoa_detail = true;
        s.selection.cache_dir = None;
    }
    let (_, cmp, findings) = saferstats::pipeline::comparison(&config).unwrap();
    (cmp, findings)
}

/// The months of 2016/17, as the archive's folders name them.
fn months_2016_17() -> Vec<String> {
    (4..=12)
        .map(|m| format!("2016-{m:02}"))
        .chain((1..=3).map(|m| format!("2017-{m:02}")))
        .collect()
}

/// `tests/data/police-uk/kent`: Kent Police, 2017-04 (Maidstone 3 shoplifting and 2 violence and
/// 2 ASB incidents, Tonbridge and Malling 4 shoplifting, 1 burglary with no location) and 2017-05
/// (Maidstone 5 shoplifting, Tonbridge and Malling 2 burglary, 2 shoplifting with no location).
#[test]
fn an_authority_inside_a_force_is_the_rows_located_in_its_lsoas() {
    let kent = fixture("police-uk/kent");
    let (out, _) = Cli::new()
        .args(arg("police-uk", &kent))
        .args(["--no-cache", "--area", "Maidstone"])
        .counts_csv("2017-04")
        .expect(0);
    for line in [
        "2017-04,Maidstone,Shoplifting,3\n",
        "2017-04,Maidstone,Violence and sexual offences,2\n",
        "2017-04,Maidstone,Anti-social behaviour,2\n",
        "2017-04,Maidstone,Burglary,0\n",
    ] {
        assert!(out.contains(line), "{line}{out}");
    }
    // The comparison counts Maidstone's rows only: crimes 5 -> 5, shoplifting 3 -> 5.
    let cfg = format!(
        "area = \"Maidstone\"\n[[source]]\nkind = \"police-uk\"\npath = \"{}\"\n[compare]\nfrom = \"2017-04\"\nto = \"2017-05\"\n",
        common::toml_path(&kent)
    );
    let (cmp, findings) = comparison_of(&cfg);
    assert_eq!((cmp.total.from_count, cmp.total.to_count), (5, 5));
    let shop = cmp
        .rows
        .iter()
        .find(|r| r.category == "Shoplifting")
        .unwrap();
    assert_eq!((shop.from_count, shop.to_count), (3, 5));
    // What could not be attributed is said, with its share: 10 crimes in 2017-04 (ASB apart), 5 in
    // Maidstone, 4 elsewhere, 1 with no location.
    let said: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
    assert!(
        said.contains(&"Maidstone: its figures are the 5 crimes Kent Police located in Maidstone LSOAs in 2017-04 (data.police.uk street files). Of the force's 10, 4 are located elsewhere, outside Maidstone, and 1 (10.0%) have no location, so no area can claim them"),
        "{said:#?}"
    );
    assert!(
        said.iter()
            .any(|m| m.contains("the 5 crimes Kent Police located in Maidstone LSOAs in 2017-05")),
        "{said:#?}"
    );
    // The ledger still balances, the force's rows all counted.
    let (check, _) = uncached_check(&kent, 0);
    assert!(
        check.contains("police-uk street: 2 files, 21 rows read, 21 counted, 0 rejected"),
        "{check}"
    );
}

/// Crimes (ASB apart) in the real street files of `months`, by crime type, counted here with the
/// csv crate: (located in `authority`'s LSOAs, all, with no location).
fn real_counts(city: &Path, months: &[&str], authority: &str) -> (BTreeMap<String, i64>, i64, i64) {
    let (mut located, mut all, mut none) = (BTreeMap::new(), 0, 0);
    for m in months {
        let file = city.join(m).join(format!("{m}-city-of-london-street.csv"));
        let mut reader = csv::Reader::from_path(file).unwrap();
        for row in reader.records() {
            let row = row.unwrap();
            if &row[9] == "Anti-social behaviour" {
                continue;
            }
            all += 1;
            none += i64::from(row[7].is_empty());
            if row[8]
                .strip_prefix(authority)
                .is_some_and(|rest| rest.starts_with(' '))
            {
                *located.entry(row[9].to_string()).or_insert(0) += 1;
            }
        }
    }
    (located, all, none)
}

#[test]
fn westminster_is_the_rows_the_city_police_located_there_and_the_city_says_both_figures() {
    let Some(city) = shared_archive() else { return };
    let (located, _, _) = real_counts(&city, &["2016-04"], "Westminster");
    let (out, _) = Cli::new()
        .args(arg("police-uk", &city))
        .args(["--no-cache", "--area", "Westminster"])
        .counts_csv("2016-04")
        .expect(0);
    let crimes: i64 = located.values().sum();
    assert!(crimes > 0);
    for (category, n) in &located {
        assert!(
            out.contains(&format!("2016-04,Westminster,{category},{n}\n")),
            "{category} {n}\n{out}"
        );
    }
    let (_, err) = Cli::new()
        .args(arg("police-uk", &city))
        .args([
            "--no-cache",
            "--area",
            "Westminster",
            "compare",
            "--from",
            "2016-04",
            "--to",
            "2016-05",
        ])
        .expect(0);
    assert!(!err.contains("error"), "{err}");
    // The City: the tables use the force's figure; the located figure and the difference beside it.
    let months = months_2016_17();
    let months: Vec<&str> = months.iter().map(String::as_str).collect();
    let (in_city, force, none) = real_counts(&city, &months, "City of London");
    let in_city: i64 = in_city.values().sum();
    assert_eq!(force, 5464, "FORMATS.md: 5,464 crimes in 2016/17");
    let cfg = format!(
        "area = \"City of London\"\n[[source]]\nkind = \"police-uk\"\npath = \"{}\"\n[compare]\nfrom = \"2016/17\"\nto = \"2017/18\"\nallow_partial = true\n",
        common::toml_path(&city)
    );
    let (cmp, findings) = comparison_of(&cfg);
    assert_eq!(cmp.area, "City of London Police");
    assert_eq!(cmp.total.from_count, 5464);
    let diff = force - in_city;
    let expected = format!(
        "City of London: the tables use City of London Police's figures (the force's, from data.police.uk): 5,464 crimes in 2016/17, of which {} are located in City of London LSOAs; the difference is {diff} ({:.1}%): {} located elsewhere and {none} with no location",
        indicatif::HumanCount(in_city as u64),
        100.0 * diff as f64 / force as f64,
        diff - none
    );
    assert!(
        findings.iter().any(|f| f.message == expected),
        "{expected}\n{findings:#?}"
    );
}

#[test]
fn a_csp_table_is_authoritative_and_the_archive_beside_it_says_where_they_disagree() {
    let Some(city) = shared_archive() else { return };
    let months = months_2016_17();
    let months: Vec<&str> = months.iter().map(String::as_str).collect();
    let (in_city, _, _) = real_counts(&city, &months, "City of London");
    let in_city: i64 = in_city.values().sum();
    let cfg = format!(
        "area = \"London, City of\"\n\
         [[source]]\nkind = \"home-office\"\npath = \"{}\"\n\
         [[source]]\nkind = \"police-uk\"\npath = \"{}\"\n\
         [compare]\nfrom = \"2016/17\"\nto = \"2017/18\"\n",
        common::toml_path(&fixture("ok/home-office-csp.csv")),
        common::toml_path(&city)
    );
    let (cmp, findings) = comparison_of(&cfg);
    // The tables are the CSP's: 24 -> 41 in the fixture.
    assert_eq!((cmp.total.from_count, cmp.total.to_count), (24, 41));
    let notes: Vec<&str> = findings
        .iter()
        .filter(|f| f.code == "csp-and-archive")
        .map(|f| f.message.as_str())
        .collect();
    // 2016/17 only: the archive holds three months of 2017/18.
    assert_eq!(notes.len(), 1, "{notes:#?}");
    let expected = format!(
        "London, City of: the Home Office CSP figure, which the tables use, is 24 crimes in 2016/17; data.police.uk rows located in its LSOAs give {} ({:+}, ",
        indicatif::HumanCount(in_city as u64),
        in_city - 24
    );
    assert!(notes[0].starts_with(&expected), "{expected}\n{}", notes[0]);
}

/// `tests/data/police-uk/kent-wards.csv`: a ward lookup (ONS columns) for the Kent fixture:
/// High Street is Maidstone 001A; Bridge is Maidstone 002B and Tonbridge and Malling 001A; its
/// last row has no ward.
#[test]
fn a_lookup_names_the_areas_of_another_geography() {
    let cfg = |area: &str| {
        format!(
            "area = \"{area}\"\n[[source]]\nkind = \"police-uk\"\npath = \"{}\"\n\
             [source.lookup]\npath = \"{}\"\ncode = \"LSOA11CD\"\narea = \"WD19NM\"\n\
             [compare]\nfrom = \"2017-04\"\nto = \"2017-05\"\n",
            common::toml_path(&fixture("police-uk/kent")),
            common::toml_path(&fixture("police-uk/kent-wards.csv"))
        )
    };
    // Bridge: 2 violence + 4 shoplifting in 2017-04, 2 burglary in 2017-05.
    let (cmp, findings) = comparison_of(&cfg("bridge"));
    assert_eq!(cmp.area, "Bridge");
    assert_eq!((cmp.total.from_count, cmp.total.to_count), (6, 2));
    let row = |c: &str| {
        let r = cmp.rows.iter().find(|r| r.category == c).unwrap();
        (r.from_count, r.to_count)
    };
    assert_eq!(row("Shoplifting"), (4, 0));
    assert_eq!(row("Violence and sexual offences"), (2, 0));
    assert_eq!(row("Burglary"), (0, 2));
    assert!(
        findings.iter().any(|f| f.message.starts_with(
            "Bridge: its figures are the 6 crimes Kent Police located in Bridge LSOAs in 2017-04"
        )),
        "{findings:#?}"
    );
    // The lookup's rows are in the ledger: 4 read, 3 counted, 1 rejected.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    std::fs::write(&path, cfg("High Street")).unwrap();
    let (out, _) = Cli::new()
        .args([
            "--config",
            &path.display().to_string(),
            "--no-cache",
            "check",
        ])
        .expect(0);
    assert!(
        out.contains("lsoa-lookup: 1 files, 4 rows read, 3 counted, 1 rejected"),
        "{out}"
    );
}

#[test]
fn a_street_file_with_cr_line_ends_loses_no_row() {
    // tests/data/police-uk/cr-only: the good fixture's 2016-04 file with every line ended by CR
    // alone; before, it was read as a header and 0 rows.
    let count = |archive: &str| {
        let (out, _) = Cli::new()
            .args(arg("police-uk", &fixture(archive)))
            .args(["--no-cache", "--months", "2016-04..2016-04"])
            .counts_csv("2016-04")
            .expect(0);
        out
    };
    let cr = count("police-uk/cr-only");
    assert_eq!(cr, count("police-uk/good"));
    assert!(
        cr.contains("2016-04,City of London Police,Bicycle theft,2\n"),
        "{cr}"
    );
    let (check, _) = uncached_check(&fixture("police-uk/cr-only"), 0);
    assert!(
        check.contains("police-uk street: 1 files, 5 rows read, 5 counted, 0 rejected"),
        "{check}"
    );
}

#[test]
fn a_month_with_no_rows_is_no_new_area() {
    // tests/data/police-uk/header-only-month: 2016-04 as in the good fixture, 2016-05 a header only
    // (no crimes): one area, the force, with 0 of everything in May.
    let (out, _) = Cli::new()
        .args(arg("police-uk", &fixture("police-uk/header-only-month")))
        .args(["--no-cache"])
        .counts_csv("2016-05")
        .expect(0);
    assert!(
        out.contains("2016-05,City of London Police,Shoplifting,0\n"),
        "{out}"
    );
    assert!(!out.contains("city-of-london,"), "{out}");
}

/// A zip of the good fixture's 2016-04 street file under each of `names`.
fn zip_named(zip_path: &Path, names: &[&str]) {
    let bytes = std::fs::read(fixture(
        "police-uk/good/2016-04/2016-04-city-of-london-street.csv",
    ))
    .unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(zip_path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    // The zip writer refuses a repeated name: a repeat is written as `@...` of the same length and
    // the bytes patched after, as a hand-made or damaged archive would hold it.
    let mut written: Vec<String> = Vec::new();
    for name in names {
        let unique = if written.iter().any(|w| w == name) {
            format!("@{}", &name[1..])
        } else {
            name.to_string()
        };
        zip.start_file(unique.as_str(), options).unwrap();
        zip.write_all(&bytes).unwrap();
        written.push(unique);
    }
    zip.finish().unwrap();
    let mut raw = std::fs::read(zip_path).unwrap();
    for name in names {
        let placeholder = format!("@{}", &name[1..]);
        let (from, to) = (placeholder.as_bytes(), name.as_bytes());
        let mut i = 0;
        while let Some(at) = raw[i..].windows(from.len()).position(|w| w == from) {
            raw[i + at..i + at + to.len()].copy_from_slice(to);
            i += at + to.len();
        }
    }
    std::fs::write(zip_path, raw).unwrap();
}

#[test]
fn zip_entries_that_are_absolute_carry_a_drive_or_repeat_a_name_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let month = "2016-04/2016-04-city-of-london-street.csv";
    let cases: [(&[&str], &str); 3] = [
        (
            &["/2016-04/2016-04-city-of-london-street.csv"],
            "would be written outside its folder",
        ),
        (
            &["C:/2016-04/2016-04-city-of-london-street.csv"],
            "would be written outside its folder",
        ),
        (&[month, month], "two entries share a name"),
    ];
    for (i, (names, expected)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("{i}.zip"));
        zip_named(&path, names);
        let (_, err) = uncached_check(&path, 2);
        assert!(err.contains(expected), "{names:?}: {err}");
    }
}

#[cfg(unix)]
#[test]
fn only_regular_files_inside_the_archive_are_read() {
    let cli = Cli::new();
    let (archive, _) = archive_with_cache(&cli);
    let june = archive.join("2016-06");
    std::fs::create_dir_all(&june).unwrap();
    let file = june.join("2016-06-city-of-london-street.csv");
    // A FIFO would block the reader for ever: refused unread, in well under the timeout.
    let made = std::process::Command::new("mkfifo")
        .arg(&file)
        .status()
        .unwrap();
    assert!(made.success());
    let started = std::time::Instant::now();
    let (_, err) = uncached_check(&archive, 2);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(
        err.contains("2016-06-city-of-london-street.csv: is not a regular file"),
        "{err}"
    );
    // A link out of the archive's folder: refused, and nothing of the file it leads to is printed.
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", &file).unwrap();
    let (_, err) = uncached_check(&archive, 2);
    assert!(
        err.contains("is a link that leads outside the archive's folder"),
        "{err}"
    );
    assert!(!err.contains("root:"), "{err}");
    // A device as a source.
    let started = std::time::Instant::now();
    let (_, err) = Cli::new()
        .args(["--source", "summary=/dev/zero", "check"])
        .expect(2);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(err.contains("/dev/zero: is not a regular file"), "{err}");
}

#[test]
fn a_cache_file_edited_into_another_valid_one_is_not_trusted() {
    let cli = Cli::new();
    let (archive, cache) = archive_with_cache(&cli);
    let check = |extra: &[&str]| cached(&archive, &cache, extra).args(["check"]).expect(0);
    check(&[]);
    let (_, err) = check(&[]);
    assert!(err.contains("3 of 3 files taken from the cache"), "{err}");
    // Add 1,000 to every file's rows read, in a Parquet file that reads as well as the real one.
    use polars::prelude::{IntoColumn, ParquetReader, ParquetWriter, SerReader};
    let dir = Path::new(&cache).join(saferstats::ingest::police_uk::cache::VERSION);
    let tamper = || {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if !path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("files-")
            {
                continue;
            }
            let file = std::fs::File::open(&path).unwrap();
            let mut df = ParquetReader::new(file).finish().unwrap();
            let more = df.column("rows_read").unwrap().u64().unwrap() + 1000u64;
            df.with_column(more.into_column()).unwrap();
            let out = std::fs::File::create(&path).unwrap();
            ParquetWriter::new(out).finish(&mut df).unwrap();
        }
    };
    // With and without --rehash: the edited file is not read, its month-files are parsed (and
    // cached afresh), and the ledger holds the true counts.
    for extra in [&[][..], &["--rehash"][..]] {
        tamper();
        let (out, err) = check(extra);
        assert!(
            err.contains("0 of 3 files taken from the cache"),
            "{extra:?}: {err}"
        );
        assert!(
            out.contains("police-uk street: 2 files, 8 rows read, 8 counted, 0 rejected"),
            "{out}"
        );
    }
    let (out, err) = check(&[]);
    assert!(err.contains("3 of 3 files taken from the cache"), "{err}");
    assert!(out.contains("8 rows read, 8 counted"), "{out}");
}

#[test]
fn under_rehash_a_forged_checksum_does_not_keep_an_old_release() {
    let cli = Cli::new();
    let (folder, cache) = archive_with_cache(&cli);
    let zip_path = cli.dir.path().join("archive.zip");
    zip_folder(&folder, &zip_path);
    let crc_of = |zip: &Path| {
        let mut z = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
        let name = "2016-05/2016-05-city-of-london-street.csv";
        z.by_name(name).unwrap().crc32()
    };
    let old_crc = crc_of(&zip_path);
    cached(&zip_path, &cache, &["check"]).expect(0);
    // A new release of May, of the same size, whose zip claims the old release's CRC-32.
    change_may(&folder, "Shoplifting", "Shopliftinx");
    zip_folder(&folder, &zip_path);
    let new_crc = crc_of(&zip_path);
    assert_ne!(old_crc, new_crc);
    let mut raw = std::fs::read(&zip_path).unwrap();
    let (from, to) = (new_crc.to_le_bytes(), old_crc.to_le_bytes());
    let mut i = 0;
    while let Some(at) = raw[i..].windows(4).position(|w| w == from) {
        raw[i + at..i + at + 4].copy_from_slice(&to);
        i += at + 4;
    }
    std::fs::write(&zip_path, raw).unwrap();
    // Without --rehash the cache takes the forged entry by its record, and the ledger says so:
    // its digest was recorded for the content that CRC-32 named, not recomputed.
    let out_dir = cli.dir.path().join("out");
    let out_arg = out_dir.display().to_string();
    cached(
        &zip_path,
        &cache,
        &[
            "run", "--out", &out_arg, "--from", "2016-04", "--to", "2016-05",
        ],
    )
    .expect(0);
    let ledger = std::fs::read_to_string(out_dir.join("reports/reconciliation.csv")).unwrap();
    let may = ledger
        .lines()
        .find(|l| l.contains("2016-05-city-of-london-street.csv"))
        .unwrap();
    assert!(
        may.contains(
            "\"recorded: by the zip's CRC-32 and size, not recomputed (--rehash recomputes)\""
        ),
        "{ledger}"
    );
    let manifest = std::fs::read_to_string(out_dir.join("reports/manifest.json")).unwrap();
    assert!(
        manifest.contains("\"digest_basis\": \"zip-record\""),
        "{manifest}"
    );
    let (code, out, err) = cached(&zip_path, &cache, &["--rehash", "check"]).run();
    // --rehash decompresses and hashes every entry: the forged entry is read, its checksum found
    // false, and the archive refused, never counted as the old release.
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("entry 2016-05/2016-05-city-of-london-street.csv: Invalid checksum"),
        "{err}"
    );
}

#[test]
fn the_shipped_framework_runs_on_the_real_archive() {
    // The 2018-23 framework names Home Office subgroups; data.police.uk publishes coarser types.
    // 2017/18 holds April to June 2017 only, so every verdict is a partial year, saying so.
    let Some(archive) = shared_archive() else {
        return;
    };
    let cli = Cli::new();
    let out = cli.dir.path().join("out");
    let out_arg = out.display().to_string();
    let run = cli.default_config().args(arg("police-uk", &archive)).args([
        "--allow-partial",
        "run",
        "--out",
        &out_arg,
    ]);
    run.expect(0);
    let report = std::fs::read_to_string(out.join("reports/evidence-base.md")).unwrap();
    for line in [
        "| Violence with injury | down | not assessable | measured as Violence and sexual offences (data.police.uk), which also holds other offences: partial year: 2016/17 compared with 2017/18 (partial: 3 of 12 months); SPC of Violence and sexual offences: ",
        "| Rape | down | not assessable | measured as Violence and sexual offences, which this outcome already judges under Violence with injury; SPC of Violence and sexual offences: ",
        "| Burglary – Residential | down | not assessable | measured as Burglary (data.police.uk), which also holds other offences: partial year",
        "| Anti-social behaviour | down | not assessable | partial year: 2016/17 compared with 2017/18 (partial: 3 of 12 months); SPC: special cause, concerning (high) since 2016-09 |",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
    }
    // No outcome has an assessable indicator: none is amber, red or green on these months.
    assert_eq!(
        report
            .matches("Data RAG **no evidence either way**")
            .count(),
        5,
        "{report}"
    );
}

/// The segment is written while the files are parsed, and a run that needs no LSOA detail lets
/// each file's table go once written: a later run that needs the detail gets it from the cache,
/// the same as parsing gives it.
#[test]
fn the_lsoa_detail_written_while_parsing_serves_a_later_run() {
    let cli = Cli::new();
    let (archive, cache) = archive_with_cache(&cli);
    // `check` needs no LSOA detail; it fills the cache with it all the same.
    cached(&archive, &cache, &[]).args(["check"]).expect(0);
    let by_lsoa = |extra: &[&str]| {
        cached(&archive, &cache, extra)
            .args(["--allow-partial"])
            .counts_csv("2016/17 Q1")
            .args(["--by", "lsoa"])
            .expect(0)
    };
    let (from_cache, err) = by_lsoa(&[]);
    assert!(err.contains("3 of 3 files taken from the cache"), "{err}");
    let (parsed, _) = by_lsoa(&["--no-cache"]);
    assert_eq!(from_cache, parsed);
    // Hand count from the fixture: Camden 028B's two robberies in April 2016.
    assert!(
        from_cache.contains("2016/17 Q1,City of London Police,E01000914,Camden 028B,Robbery,2\n"),
        "{from_cache}"
    );
    let dir = Path::new(&cache).join(saferstats::ingest::police_uk::cache::VERSION);
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// One street file of `month` holding `n` rows of each (crime type, n), with distinct Crime IDs.
fn write_street_month(root: &Path, month: &str, rows: &[(&str, usize)]) {
    let dir = root.join(month);
    std::fs::create_dir_all(&dir).unwrap();
    let mut csv = String::from(
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n",
    );
    for (k, (crime_type, n)) in rows.iter().enumerate() {
        for i in 0..*n {
            csv.push_str(&format!(
                "{month}-{k:02}-{i:04},{month},Essex Police,Essex Police,0.5,51.7,On or near High Street,E01021500,Basildon 001A,{crime_type},Under investigation,\n"
            ));
        }
    }
    std::fs::write(dir.join(format!("{month}-essex-street.csv")), csv).unwrap();
}

#[test]
fn a_type_before_its_category_existed_is_no_missing_month() {
    // data.police.uk published six categories until August 2011: shoplifting was inside Other
    // crime, so its 0 in 2011-06 to 2011-08 (where 2011-09 to 2011-11 hold 40 each: 24 a month over
    // the other five, over the threshold of 20 had those months counted) is no missing
    // month. Burglary's 0 in 2011-10, where the other 2 months of the same (eleven-category)
    // scheme hold 25 each, is one: each scheme's months are judged apart.
    let dir = tempfile::tempdir().unwrap();
    for month in ["2011-06", "2011-07", "2011-08"] {
        write_street_month(dir.path(), month, &[("Other crime", 30), ("Burglary", 25)]);
    }
    for (month, burglary) in [("2011-09", 25), ("2011-10", 0), ("2011-11", 25)] {
        let rows = [
            ("Other crime", 5),
            ("Shoplifting", 40),
            ("Burglary", burglary),
        ];
        write_street_month(dir.path(), month, &rows);
    }
    let (out, _) = uncached_check(dir.path(), 0);
    assert!(
        out.contains("warning: Essex Police: Burglary is 0 in 2011-10 where its other 2 months average 25: most likely missing"),
        "{out}"
    );
    assert_eq!(out.matches("[implausible-zero]").count(), 1, "{out}");
    assert!(
        out.contains("the months read cross September 2011, when data.police.uk's six crime categories became eleven: Criminal damage and arson, Drugs, Other theft, Public order, Shoplifting were counted in Other crime before it"),
        "{out}"
    );
    assert!(!out.contains("May 2013"), "{out}");
}

/// A cache opened for the LSOA detail of some files (known by their fingerprints) reads that
/// detail only; the other files' summaries serve alone, marked as without detail, so a run that
/// does need theirs parses them.
#[test]
fn the_cache_reads_only_the_lsoa_detail_a_run_asks_for() {
    use saferstats::ingest::police_uk::cache::{Cache, Cached, Wanted};
    use saferstats::ingest::police_uk::file::StreetCounts;
    let dir = tempfile::tempdir().unwrap();
    let street = |code: &str, robberies: u32| {
        let mut s = StreetCounts::default();
        let mut by_type = [0; 14];
        by_type[9] = robberies;
        s.by_lsoa.insert(code.into(), ("an LSOA".into(), by_type));
        s.has_lsoa_detail = true;
        s
    };
    let mut cache = Cache::open(dir.path(), &Wanted::None);
    for (key, print, code, n) in [
        ("k-kent", "p-kent", "E01024000", 4),
        ("k-york", "p-york", "E01013000", 6),
    ] {
        let s = street(code, n);
        cache.keep_detail((key, &key[2..]), &s);
        let cached = Cached {
            digest: format!("blake3:{key}"),
            rows_read: n as u64,
            street: Some(s.into()),
        };
        cache.add(key.into(), cached);
        cache.learn(print.into(), key.into());
    }
    cache.save().unwrap();
    let detail = |wanted: &Wanted, key: &str| {
        let cache = Cache::open(dir.path(), wanted);
        let street = cache.get(key).unwrap().street.clone().unwrap();
        (
            street.has_lsoa_detail,
            street.by_lsoa.values().map(|(_, t)| t[9]).sum::<u32>(),
        )
    };
    let kent_only = Wanted::Of(vec!["p-kent".into()]);
    assert_eq!(detail(&kent_only, "k-kent"), (true, 4));
    assert_eq!(detail(&kent_only, "k-york"), (false, 0));
    assert_eq!(detail(&Wanted::All, "k-york"), (true, 6));
    assert_eq!(detail(&Wanted::None, "k-kent"), (false, 0));
}

/// The segment keeps counts as u16. A file with an LSOA count above 65,535 of one crime type (far
/// above any real LSOA's month) keeps its summary in the cache but no LSOA detail, so that a run
/// that needs the detail parses it again; a count of 65,535 is kept exactly.
#[test]
fn a_count_too_large_for_the_segment_leaves_the_file_without_detail() {
    use saferstats::ingest::police_uk::cache::{Cache, Cached, Wanted};
    use saferstats::ingest::police_uk::file::StreetCounts;
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(dir.path(), &Wanted::None);
    for (key, thefts) in [("k-fits", 65_535), ("k-over", 65_536)] {
        let mut s = StreetCounts::default();
        let mut by_type = [0; 14];
        by_type[13] = thefts;
        by_type[1] = 2;
        s.by_lsoa
            .insert("E01000001".into(), ("City of London 001A".into(), by_type));
        s.by_type = by_type.map(u64::from);
        s.has_lsoa_detail = true;
        cache.keep_detail((key, "city-of-london"), &s);
        let cached = Cached {
            digest: format!("blake3:{key}"),
            rows_read: u64::from(thefts) + 2,
            street: Some(s.into()),
        };
        cache.add(key.into(), cached);
    }
    cache.save().unwrap();
    let cache = Cache::open(dir.path(), &Wanted::All);
    let street = |key: &str| cache.get(key).unwrap().street.clone().unwrap();
    let (fits, over) = (street("k-fits"), street("k-over"));
    assert!(fits.has_lsoa_detail);
    let (_, counts) = &fits.by_lsoa["E01000001"];
    assert_eq!((counts[13], counts[1]), (65_535, 2));
    // The summary serves (its totals are u64); the detail is left to a parse.
    assert_eq!((over.has_lsoa_detail, over.by_lsoa.len()), (false, 0));
    assert_eq!((over.by_type[13], over.by_type[1]), (65_536, 2));
}
