//! The committed charts/ and reports/ are exactly what the default run writes today. If this
//! fails after an intended change, rerun `cargo run --release -- run` and commit the result.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use saferstats::pipeline;

fn files_below(root: &Path, sub: &str, into: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(root.join(sub)) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if path.is_dir() {
            files_below(root, &rel, into);
        } else {
            into.insert(rel, std::fs::read(&path).unwrap());
        }
    }
}

#[test]
fn committed_outputs_match_a_fresh_run() {
    // The committed evidence base draws its maps from the shared boundaries.
    if common::shared_path("data/boundaries/london-lsoa-2011.csv").is_none() {
        return;
    }
    let repo = common::repo();
    let mut cfg = common::default_config();
    let fresh = tempfile::tempdir().unwrap();
    cfg.out_dir = fresh.path().to_path_buf();
    pipeline::run(&cfg).unwrap();

    let (mut committed, mut regenerated) = (BTreeMap::new(), BTreeMap::new());
    for sub in ["charts", "reports"] {
        files_below(repo, sub, &mut committed);
        files_below(fresh.path(), sub, &mut regenerated);
    }
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&committed),
        names(&regenerated),
        "the set of artefacts differs: rerun `cargo run --release -- run` and commit"
    );
    for (name, bytes) in &regenerated {
        assert!(
            committed[name] == *bytes,
            "{name} differs from a fresh run: rerun `cargo run --release -- run` and commit"
        );
    }
}

#[test]
fn a_second_run_changes_no_byte() {
    let mut cfg = common::default_config();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut runs = Vec::new();
    for dir in [&a, &b] {
        cfg.out_dir = dir.path().to_path_buf();
        pipeline::run(&cfg).unwrap();
        let mut files = BTreeMap::new();
        files_below(dir.path(), "charts", &mut files);
        files_below(dir.path(), "reports", &mut files);
        runs.push(files);
    }
    assert_eq!(runs[0], runs[1]);
}
