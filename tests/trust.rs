//! Hostile and broken inputs beyond the per-loader tests: encodings, unbalanced quotes, zip bombs.
//! Every case is refused with exit code 2 and a message naming the file and line, or accepted
//! exactly as declared.

mod common;

use std::io::Write;

use common::{Cli, fixture};

#[test]
fn windows_1252_is_accepted_when_declared_and_refused_when_not() {
    let (out, _) = Cli::new()
        .source("summary", "ok/windows-1252.csv")
        .args(["--encoding", "windows-1252"])
        .counts_csv("2016/17")
        .expect(0);
    assert!(out.contains(",Burglary – Residential,14\n"), "{out}");
    let (_, err) = Cli::new()
        .source("summary", "ok/windows-1252.csv")
        .args(["counts", "--period", "2016/17"])
        .expect(2);
    assert!(
        err.contains("windows-1252.csv:2: malformed CSV: the text is not UTF-8"),
        "{err}"
    );
    assert!(
        err.contains("declare `encoding = \"windows-1252\"`"),
        "{err}"
    );
}

#[test]
fn an_unbalanced_quote_names_the_line_it_opens_on() {
    let (_, err) = Cli::new()
        .source("summary", "bad/unbalanced-quote.csv")
        .args(["counts", "--period", "2016/17"])
        .expect(2);
    assert!(
        err.contains(
            "unbalanced-quote.csv:3: malformed CSV: a quote opens here and is never closed"
        ),
        "{err}"
    );
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_decompressed() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("2016-04/2016-04-city-of-london-street.csv", options)
        .unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..32 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    assert!(
        std::fs::metadata(&bomb).unwrap().len() < 200_000,
        "the test zip should compress far beyond 200:1"
    );
    let (_, err) = Cli::new()
        .source_path("police-uk", &bomb)
        .args(["check"])
        .expect(2);

    assert!(
        err.contains("bomb.zip: entry 2016-04/2016-04-city-of-london-street.csv expands"),
        "{err}"
    );
    assert!(err.contains("refusing to decompress it"), "{err}");
}

#[test]
fn config_typos_are_errors_not_silences() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("saferstats.toml");
    let source = fixture("ok/bom-crlf-thousands.csv");
    std::fs::write(
        &config,
        format!(
            "[[source]]\nkind = \"summary\"\npath = \"{}\"\nencodig = \"utf-8\"\n",
            source.display()
        ),
    )
    .unwrap();
    let (_, err) = Cli::new()
        .args([
            "--config",
            &config.display().to_string(),
            "counts",
            "--period",
            "2016/17",
        ])
        .expect(2);
    assert!(err.contains("unknown field `encodig`"), "{err}");
}

/// Every text an artefact shows, SVG markup left out (its coordinates are not figures); xlsx
/// sheets read back cell by cell.
fn published_text(out: &std::path::Path) -> String {
    use calamine::Reader;
    let mut all = String::new();
    for entry in walk(out) {
        let name = entry.display().to_string();
        if name.ends_with(".xlsx") {
            let mut book = calamine::open_workbook_auto(&entry).unwrap();
            for sheet in book.sheet_names() {
                let range = book.worksheet_range(&sheet).unwrap();
                for row in range.rows() {
                    for cell in row {
                        all += &format!("{cell}\n");
                    }
                }
            }
        } else if !name.ends_with(".png") && !name.ends_with(".svg") {
            all += &without_svg(&std::fs::read_to_string(&entry).unwrap());
        }
    }
    all
}

/// The text less its inline SVG markup, whose coordinates are numbers of their own (the charts'
/// figures are in their titles and tables, which are kept).
fn without_svg(text: &str) -> String {
    let (mut all, mut rest) = (String::new(), text);
    while let Some(start) = rest.find("<svg") {
        all += &rest[..start];
        rest = rest[start..].split_once("</svg>").map_or("", |(_, r)| r);
    }
    all + rest
}

/// `text` without its hex digests (runs of 32 or more hex digits), whose digit runs are not numbers.
fn without_digests(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_hexdigit() {
            run.push(c);
            continue;
        }
        if run.len() < 32 {
            out += &run;
        }
        run.clear();
        out.push(c);
    }
    out
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn sensitive_partner_counts_never_reach_an_artefact() {
    let path = |f: &str| common::toml_path(&fixture(f));
    let crime = common::repo().join("data/city-of-london/recorded-crime-2016-17-to-2017-18.csv");
    let cli = Cli::new();
    let out = cli.dir.path().join("out");
    let cfg = format!(
        "area = \"City of London\"\n\
         [[source]]\nkind = \"summary\"\npath = \"{}\"\narea = \"City of London\"\n\
         [[source]]\nname = \"referrals\"\nkind = \"partner\"\npath = \"{}\"\narea = \"City of London\"\nsensitive = true\ntotal = \"All referrals\"\n\
         [source.columns]\nperiod = \"Period\"\ncategory = \"Measure\"\nvalue = \"Referrals\"\n\
         [[source]]\nname = \"incidents\"\nkind = \"partner\"\npath = \"{}\"\narea = \"City of London\"\nrows = \"incidents\"\nsensitive = true\n\
         [source.columns]\ndate = \"Date\"\ncategory = \"Type\"\n\
         [compare]\nfrom = \"2016/17\"\nto = \"2017/18\"\n",
        common::toml_path(&crime),
        path("ok/partner/referrals-sensitive.csv"),
        path("ok/partner/referral-incidents.csv"),
    );
    let config = cli.dir.path().join("s.toml");
    std::fs::write(&config, cfg).unwrap();
    let context = cli.dir.path().join("context.json");
    let cli = cli.args([
        "--config".to_string(),
        config.display().to_string(),
        "run".into(),
        "--out".into(),
        out.display().to_string(),
        "--dump-context".into(),
        context.display().to_string(),
    ]);
    cli.expect(0);
    let partner = std::fs::read_to_string(out.join("reports/tables/partner-data.csv")).unwrap();
    // Total 1,307 = 2 + 617 + 688: the 2 is withheld (1 to 4), and so is 617, the next smallest
    // part, else 1,307 - 617 - 688 would give it away. MARAC's 3 incidents are withheld; Channel's 9
    // are shown; the file's 12 rows (3 + 9) are withheld too, else 12 - 9 would give the 3 away.
    assert_eq!(
        partner,
        "source,area,measure,period,value,unit,note\n\
         referrals,City of London,All referrals,2018/19,1307,count,\n\
         referrals,City of London,Referred to the City MARAC,2018/19,[c],count,\n\
         referrals,City of London,Referred to other boroughs,2018/19,[c],count,\n\
         referrals,City of London,Referred by partners,2018/19,688,count,\n\
         incidents,City of London,Channel referral,2018/19,9,count,partial: the data covers 9 of its 12 months\n\
         incidents,City of London,MARAC referral,2018/19,[c],count,partial: the data covers 9 of its 12 months\n"
    );
    let mut published = published_text(&out);
    // The view-model carries the charts' SVG markup, as the HTML report inlines it.
    published += &without_svg(&std::fs::read_to_string(&context).unwrap());
    // As a number of its own: not inside 0.6171 or 26,170, nor a digit run inside a hex digest.
    let published = without_digests(&published);
    let numbers: Vec<&str> = published
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .map(|t| t.trim_matches(|c| c == '.' || c == ','))
        .collect();
    assert!(!numbers.contains(&"617"), "617 is published somewhere");
    assert!(numbers.contains(&"1307") || numbers.contains(&"1,307"));

    let ledger = std::fs::read_to_string(out.join("reports/reconciliation.csv")).unwrap();
    assert!(
        ledger.contains("referral-incidents.csv,partner,"),
        "{ledger}"
    );
    let line = ledger
        .lines()
        .find(|l| l.contains("referral-incidents.csv"))
        .unwrap();
    assert!(line.ends_with(",[c],[c],[c],,"), "{line}");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("reports/manifest.json")).unwrap())
            .unwrap();
    let input = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            i["path"]
                .as_str()
                .unwrap()
                .ends_with("referral-incidents.csv")
        })
        .unwrap();
    assert_eq!(input["rows_read"], "[c]");
    let ctx: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&context).unwrap()).unwrap();
    let source = ctx["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["path"]
                .as_str()
                .unwrap()
                .ends_with("referral-incidents.csv")
        })
        .unwrap();
    assert_eq!(source["rows_read"], "[c]");
    assert!(
        !ctx.to_string().contains("\"rows_read\":12"),
        "the incident count leaks into the view-model"
    );
}

#[test]
fn crlf_files_name_the_right_line() {
    // The csv crate counts a line at each `\n` it consumes, and after a CRLF record consumes the
    // `\n` only with the next one: every line it reported in a CRLF file was one short.
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("crlf.csv");
    std::fs::write(
        &table,
        "Category,2016/17,2017/18\r\nRape,10,27\r\nHomicide,one,2\r\nArson,3\r\n",
    )
    .unwrap();
    let (_, err) = Cli::new()
        .source_path("summary", &table)
        .args(["check"])
        .expect(2);
    assert!(
        err.contains("crlf.csv:3: column `2016/17`: `one` is not a number"),
        "{err}"
    );
    // An archive file with CRLF line ends: the short row is on line 3, as in police-uk/ragged.
    let month = dir.path().join("archive/2016-04");
    std::fs::create_dir_all(&month).unwrap();
    let ragged = std::fs::read_to_string(fixture(
        "police-uk/ragged/2016-04/2016-04-city-of-london-street.csv",
    ))
    .unwrap();
    std::fs::write(
        month.join("2016-04-city-of-london-street.csv"),
        ragged.replace('\n', "\r\n"),
    )
    .unwrap();
    let (_, err) = Cli::new()
        .source_path("police-uk", &dir.path().join("archive"))
        .args(["check"])
        .expect(2);
    assert!(err.contains("2016-04-city-of-london-street.csv:3: malformed CSV: this row has 3 fields but the header has 12"), "{err}");
}

/// Every file below `dir` but the commit's own lock and journal, by relative path.
fn tree(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walk(dir)
        .into_iter()
        .map(|p| (p.strip_prefix(dir).unwrap().display().to_string(), p))
        // A killed run's lock is stale (the next run takes it over); it is no artefact.
        .filter(|(name, _)| name != ".saferstats.lock")
        .map(|(name, p)| (name, std::fs::read(&p).unwrap()))
        .collect()
}

/// A summary table of two periods, as `<dir>/<name>`.
fn table(dir: &std::path::Path, name: &str, rape: (u32, u32)) -> std::path::PathBuf {
    let path = dir.join(name);
    let text = format!(
        "Category,2016/17,2017/18\nRape,{},{}\nShoplifting,700,720\n",
        rape.0, rape.1
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// `run` of `input` into `out`, with `env` set; the exit code.
fn run_into(
    input: &std::path::Path,
    out: &std::path::Path,
    env: Option<(&str, String)>,
) -> Option<i32> {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_saferstats"));
    cmd.args([
        "--quiet",
        "--source",
        &format!("summary={}", input.display()),
        "run",
        "--out",
    ])
    .arg(out)
    .current_dir(out.parent().unwrap())
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null());
    if let Some((k, v)) = env {
        cmd.env(k, v);
    }
    cmd.status().unwrap().code()
}

/// Kills the run after each of its commit's file operations in turn: after the next run's
/// recovery the folder holds exactly the old or exactly the new evidence base, never a mix.
#[test]
fn a_run_killed_at_any_point_leaves_the_old_or_the_new_tree() {
    let dir = tempfile::tempdir().unwrap();
    let (old_in, new_in) = (
        table(dir.path(), "old.csv", (10, 27)),
        table(dir.path(), "new.csv", (12, 30)),
    );
    let reference = |input: &std::path::Path, name: &str| {
        let out = dir.path().join(name);
        assert_eq!(run_into(input, &out, None), Some(0));
        tree(&out)
    };
    let (old, new) = (reference(&old_in, "old"), reference(&new_in, "new"));
    assert_ne!(old, new);
    let (mut saw_old, mut saw_new) = (false, false);
    for n in 1.. {
        let out = dir.path().join(format!("killed-{n}"));
        assert_eq!(run_into(&old_in, &out, None), Some(0));
        let code = run_into(
            &new_in,
            &out,
            Some(("SAFERSTATS_FAULT_AFTER", n.to_string())),
        );
        if code == Some(0) {
            // Past the last operation: nothing left to kill.
            assert_eq!(tree(&out), new);
            break;
        }
        saferstats::report::output::recover(&out).unwrap();
        let after = tree(&out);
        let files: Vec<&String> = after.keys().collect();
        assert!(
            after == old || after == new,
            "killed after operation {n}: a mix of {files:?}"
        );
        saw_old |= after == old;
        saw_new |= after == new;
        assert!(n < 500, "the commit never finished");
    }
    assert!(
        saw_old && saw_new,
        "the sweep reached both sides of the journal"
    );
}

#[test]
fn a_second_run_into_a_folder_being_written_waits_its_turn() {
    let dir = tempfile::tempdir().unwrap();
    let input = table(dir.path(), "t.csv", (10, 27));
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // This test process holds the lock, as a running saferstats would.
    let held = std::fs::File::create(out.join(".saferstats.lock")).unwrap();
    held.try_lock().unwrap();
    write!(&held, "{}", std::process::id()).unwrap();
    let (_, err) = Cli::new()
        .source_path("summary", &input)
        .args(["run", "--out", &out.display().to_string()])
        .expect(2);
    assert!(
        err.contains("is being written by another saferstats run"),
        "{err}"
    );
    assert!(
        err.contains(&format!("(process {})", std::process::id())),
        "{err}"
    );
    assert!(!out.join("reports").exists());
    // A lock file left by a process that is gone holds no lock: it is taken over.
    drop(held);
    std::fs::write(out.join(".saferstats.lock"), "4194304").unwrap();
    assert_eq!(run_into(&input, &out, None), Some(0));
    assert!(!out.join(".saferstats.lock").exists());
}

#[cfg(unix)]
#[test]
fn nothing_is_written_through_a_link_over_a_folder_or_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = table(dir.path(), "t.csv", (10, 27));
    let out = dir.path().join("out");
    assert_eq!(run_into(&input, &out, None), Some(0));
    let before = tree(&out);
    let run = |out: &std::path::Path| {
        let dump = dir.path().join("context.json");
        let (_, err) = Cli::new()
            .source_path("summary", &input)
            .args([
                "run",
                "--out",
                &out.display().to_string(),
                "--dump-context",
                &dump.display().to_string(),
            ])
            .expect(2);
        assert!(!dump.exists(), "a failed run wrote its view-model");
        err
    };
    // A folder where the manifest goes: refused before any file is replaced.
    std::fs::remove_file(out.join("reports/manifest.json")).unwrap();
    std::fs::create_dir(out.join("reports/manifest.json")).unwrap();
    let err = run(&out);
    assert!(
        err.contains("manifest.json is a folder where an artefact goes"),
        "{err}"
    );
    let mut expected = before.clone();
    expected.remove("reports/manifest.json");
    assert_eq!(tree(&out), expected);
    std::fs::remove_dir(out.join("reports/manifest.json")).unwrap();
    // A charts/ that is a link to another folder: that folder is left alone.
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::remove_dir_all(out.join("charts")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("charts")).unwrap();
    let err = run(&out);
    assert!(err.contains("charts is a symbolic link"), "{err}");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    // The input where an artefact goes: never overwritten.
    let clash = dir.path().join("clash");
    std::fs::create_dir_all(clash.join("reports/tables")).unwrap();
    let inside = table(
        &clash.join("reports/tables"),
        "yoy-2016-17-to-2017-18.csv",
        (10, 27),
    );
    let (_, err) = Cli::new()
        .source_path("summary", &inside)
        .args(["run", "--out", &clash.display().to_string()])
        .expect(2);
    assert!(err.contains("is one of the run's inputs"), "{err}");
    assert!(
        std::fs::read_to_string(&inside)
            .unwrap()
            .starts_with("Category,")
    );
}

#[test]
fn a_run_that_fails_exports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("reports/manifest.json")).unwrap();
    let parquet = dir.path().join("parquet");
    let run = Cli::new()
        .source("police-uk", "police-uk/good")
        .args([
            "--no-cache",
            "--export-parquet",
            &parquet.display().to_string(),
        ])
        .args([
            "run",
            "--from",
            "2016-04",
            "--to",
            "2016-05",
            "--out",
            &out.display().to_string(),
        ]);
    let (_, err) = run.expect(2);
    assert!(err.contains("is a folder where an artefact goes"), "{err}");
    assert!(!parquet.exists(), "a failed run exported its Parquet files");
    // The same run into a clean folder exports them.
    std::fs::remove_dir(out.join("reports/manifest.json")).unwrap();
    run.expect(0);
    assert!(
        parquet
            .join("year=2016/force=city-of-london/part-0.parquet")
            .exists()
    );
}

#[test]
fn two_runs_at_once_into_one_folder_never_interleave() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (
        table(dir.path(), "a.csv", (10, 27)),
        table(dir.path(), "b.csv", (12, 30)),
    );
    let reference = |input: &std::path::Path, name: &str| {
        let out = dir.path().join(name);
        assert_eq!(run_into(input, &out, None), Some(0));
        tree(&out)
    };
    let (tree_a, tree_b) = (reference(&a, "ref-a"), reference(&b, "ref-b"));
    for round in 0..3 {
        let out = dir.path().join(format!("shared-{round}"));
        std::fs::create_dir_all(&out).unwrap();
        let spawn = |input: &std::path::Path| {
            std::process::Command::new(env!("CARGO_BIN_EXE_saferstats"))
                .args([
                    "--quiet",
                    "--source",
                    &format!("summary={}", input.display()),
                    "run",
                    "--out",
                ])
                .arg(&out)
                .current_dir(dir.path())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (first, second) = (spawn(&a), spawn(&b));
        let results = [
            first.wait_with_output().unwrap(),
            second.wait_with_output().unwrap(),
        ];
        for r in &results {
            let err = String::from_utf8_lossy(&r.stderr);
            assert!(
                r.status.success() || err.contains("is being written by another saferstats run"),
                "{err}"
            );
        }
        assert!(results.iter().any(|r| r.status.success()));
        let after = tree(&out);
        assert!(
            after == tree_a || after == tree_b,
            "round {round}: an interleaved tree"
        );
    }
}
