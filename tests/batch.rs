//! `run --all-areas`: every area's evidence base from one ingest, the index, and an area whose
//! data fails failing alone. The fixture is built here: two forces (Kent Police, Sussex Police),
//! 2016-04 to 2018-03, whose rows are located in three local authorities (Maidstone and Dover in
//! Kent; Brighton and Hove in Sussex, where Kent located a few crimes too). Sussex has no street
//! file for 2017-05, so Brighton and Hove's 2017/18 is partial and its comparison is refused.

mod common;

use std::path::Path;

use common::Cli;
use common::two_forces::write as write_archive;

fn batch(root: &Path, out: &Path) -> Cli {
    batch_with(root, out, &[])
}

fn batch_with(root: &Path, out: &Path, extra: &[&str]) -> Cli {
    let population = root.join("population.csv");
    std::fs::write(
        &population,
        "area,period,population\nMaidstone,2017/18,170000\nDover,2017/18,116000\nBrighton and Hove,2017/18,290000\n",
    )
    .unwrap();
    Cli::new()
        .source_path("police-uk", &root.join("archive"))
        .source_path("population", &population)
        .args([
            "--no-cache",
            "--fail-on",
            "error",
            "run",
            "--all-areas",
            "--from",
            "2016/17",
            "--to",
            "2017/18",
        ])
        .args(["--out".to_string(), out.display().to_string()])
        .args(extra)
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn every_area_gets_its_evidence_base_and_a_failing_area_fails_alone() {
    let tmp = tempfile::tempdir().unwrap();
    write_archive(&tmp.path().join("archive"));
    let out = tmp.path().join("out");
    // One area failed: an error under --fail-on error, so exit 1; the batch still wrote.
    let (_, stderr) = batch(tmp.path(), &out).expect(1);
    assert!(
        stderr.contains("Brighton and Hove: no evidence base"),
        "{stderr}"
    );
    for slug in ["maidstone", "dover"] {
        let report = out
            .join("areas")
            .join(slug)
            .join("reports/evidence-base.html");
        assert!(report.exists(), "{}", report.display());
        assert!(
            out.join("areas")
                .join(slug)
                .join("reports/manifest.json")
                .exists()
        );
    }
    assert!(!out.join("areas/brighton-and-hove/reports").exists());
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for a in ["Maidstone", "Dover", "Brighton and Hove"] {
        assert!(index.contains(a), "{a} missing from the index");
    }
    assert!(index.contains(r#"href="areas/maidstone/reports/evidence-base.html""#));
    assert!(
        !index.contains("areas/brighton-and-hove/reports"),
        "no link to a report not written"
    );
    assert!(index.contains("failed: "), "the failed area says so");
    let rows = csv_rows(&std::fs::read_to_string(out.join("index.csv")).unwrap());
    let by_area = |a: &str| rows.iter().find(|r| r[0] == a).unwrap().clone();
    let m = by_area("Maidstone");
    assert_eq!(
        (m[2].as_str(), m[3].as_str(), m[4].as_str(), m[5].as_str()),
        ("ok", "72", "84", "12")
    );
    let d = by_area("Dover");
    assert_eq!((d[3].as_str(), d[4].as_str()), ("24", "24"));
    let b = by_area("Brighton and Hove");
    assert!(
        b[2].starts_with("failed: ") && b[2].contains("2017-05"),
        "{b:?}"
    );
}

#[test]
fn the_batch_is_byte_identical_run_to_run_and_benchmarks_each_area() {
    let tmp = tempfile::tempdir().unwrap();
    write_archive(&tmp.path().join("archive"));
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    // Maidstone and Dover in one family; Brighton and Hove (which fails) alone in another.
    let families = tmp.path().join("families.csv");
    std::fs::write(
        &families,
        "area,family\nMaidstone,Kent districts\nDover,Kent districts\nBrighton and Hove,Coastal cities\n",
    )
    .unwrap();
    let families = families.display().to_string();
    batch_with(tmp.path(), &one, &["--families", &families]).expect(1);
    batch_with(tmp.path(), &two, &["--families", &families]).expect(1);
    let files = |d: &Path| -> Vec<(String, Vec<u8>)> {
        let read = |rel: String| (std::fs::read(d.join(&rel)).unwrap(), rel);
        listing(d)
            .into_iter()
            .map(read)
            .map(|(b, r)| (r, b))
            .collect()
    };
    let (a, b) = (files(&one), files(&two));
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        // The manifests name the output folder's inputs only, never the folder itself.
        assert!(ba == bb, "{pa} differs between two runs");
    }
    // Maidstone's report benchmarks it: 84 crimes among 170,000 residents is 0.494 per 1,000;
    // the benchmark is Maidstone's and Dover's together (Brighton's 2017/18 is partial, so it has
    // no count): 108 among 286,000, 0.378 per 1,000.
    let table =
        std::fs::read_to_string(one.join("areas/maidstone/reports/tables/benchmarks-2017-18.csv"))
            .unwrap();
    let rows = csv_rows(&table);
    let m = rows
        .iter()
        .find(|r| r[0] == "national" && r[1] == "Maidstone")
        .unwrap();
    assert_eq!(
        (m[2].as_str(), m[3].as_str(), m[4].as_str(), m[5].as_str()),
        ("84", "170000", "0.494", "0.378")
    );
    // Its family is Maidstone and Dover, whose benchmark is the national one here: the same
    // 108 among 286,000. Dover's 24 among 116,000 is 0.207 per 1,000.
    let family: Vec<_> = rows.iter().filter(|r| r[0] == "Kent districts").collect();
    let names: Vec<&str> = family.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(names, ["Dover", "Maidstone"]);
    assert_eq!(
        (family[0][4].as_str(), family[0][5].as_str()),
        ("0.207", "0.378")
    );
    let report =
        std::fs::read_to_string(one.join("areas/maidstone/reports/evidence-base.html")).unwrap();
    assert!(
        report.contains("Fair benchmarks"),
        "the report has the section"
    );
    assert!(
        one.join("areas/maidstone/charts/funnel-national-2017-18.svg")
            .exists()
    );
    assert!(one.join("charts/funnel-national-2017-18.svg").exists());
}

/// Every file under `dir`, relative to it, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                all.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    all.sort();
    all
}

#[test]
fn a_batch_draws_svg_only_unless_png_is_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    write_archive(&tmp.path().join("archive"));
    let (plain, slides) = (tmp.path().join("plain"), tmp.path().join("slides"));
    batch(tmp.path(), &plain).expect(1);
    batch_with(tmp.path(), &slides, &["--png"]).expect(1);
    let (a, b) = (listing(&plain), listing(&slides));
    let svgs: Vec<&String> = a.iter().filter(|f| f.ends_with(".svg")).collect();
    assert!(svgs.len() > 10, "{svgs:?}");
    assert!(!a.iter().any(|f| f.ends_with(".png")), "no PNG by default");
    // With --png every SVG has its PNG beside it, and nothing else differs in the listing.
    let pngs: Vec<String> = svgs.iter().map(|s| s.replace(".svg", ".png")).collect();
    let mut expected: Vec<String> = a.iter().cloned().chain(pngs).collect();
    expected.sort();
    assert_eq!(b, expected);
    // The manifest lists what was written: Maidstone's names its SVGs, and its PNGs only with --png.
    let manifest = |d: &Path| {
        std::fs::read_to_string(d.join("areas/maidstone/reports/manifest.json")).unwrap()
    };
    assert!(manifest(&plain).contains("funnel-national-2017-18.svg"));
    assert!(!manifest(&plain).contains(".png"));
    assert!(manifest(&slides).contains("charts/funnel-national-2017-18.png"));
}
