//! The "Where" section's hotspot-class and change maps, with the tables behind them, checked
//! against counts made here from the raw street files and against `place` itself.

mod common;

/// Recorded crimes (anti-social behaviour apart) in `lsoa` over `months` of the raw City files.
fn raw_crimes(archive: &std::path::Path, lsoa: &str, months: &[&str]) -> u64 {
    months
        .iter()
        .flat_map(|m| common::city_street_rows(archive, m))
        .filter(|(code, kind)| code == lsoa && kind != "Anti-social behaviour")
        .count() as u64
}

#[test]
fn the_change_map_sets_the_latest_whole_quarter_against_the_same_quarter_a_year_before() {
    if common::shared_path("data/boundaries/london-lsoa-2011.csv").is_none() {
        return;
    }
    let dir = common::default_run();
    let md = std::fs::read_to_string(dir.path().join("reports/evidence-base.md")).unwrap();
    // The shipped points run 2016-01 to 2017-06: one whole financial year, so the change map
    // compares April to June 2017 with April to June 2016, and says why.
    assert!(
        md.contains("The change by LSOA compares 2016/17 Q1 with 2017/18 Q1: the street points cover no two whole financial years"),
        "{md}"
    );
    assert!(md.contains("### Where: the change by LSOA, 2016/17 Q1 to 2017/18 Q1"));
    for map in [
        "charts/map-change-2016-17-Q1-2017-18-Q1.svg",
        "charts/map-change-2016-17-Q1-2017-18-Q1.png",
        "charts/map-hotspot-classes-2016-17.svg",
    ] {
        assert!(dir.path().join(map).exists(), "{map}");
    }
    if let Some(archive) = common::shared_path("data/police-uk/city-of-london") {
        let (a, b) = (
            raw_crimes(&archive, "E01000003", &["2016-04", "2016-05", "2016-06"]),
            raw_crimes(&archive, "E01000003", &["2017-04", "2017-05", "2017-06"]),
        );
        // 9 and 18 as counted here from the raw files.
        assert_eq!((a, b), (9, 18));
        let row = format!(
            "| E01000003 | City of London 001C | {a} | {b} | {} |",
            b - a
        );
        assert!(md.contains(&row), "{row}\n{md}");
    }
    // Islington 022H: 5 then 9. Three months each side, dispersion from the months where both
    // have them; whatever the test, 5 against 9 is within ordinary variation.
    assert!(
        md.contains("| E01033490 | Islington 022H | 5 | 9 | 4 |"),
        "{md}"
    );
    assert!(!md.contains("rise beyond chance"), "{md}");
}

#[test]
fn the_class_map_counts_the_cells_place_classifies() {
    if common::shared_path("data/boundaries/london-lsoa-2011.csv").is_none() {
        return;
    }
    let (out, _) = common::Cli::new()
        .default_config()
        .args([
            "place",
            "--period",
            "2016/17",
            "--by",
            "grid",
            "--classify",
            "--format",
            "csv",
        ])
        .expect(0);
    let count = |class: &str| {
        out.lines()
            .filter(|l| l.ends_with(&format!(",{class}")))
            .count()
    };
    let cells = out.lines().count() - 1;
    let persistent = count("persistent hotspot");
    assert!(persistent > 0, "{out}");
    let dir = common::default_run();
    let svg =
        std::fs::read_to_string(dir.path().join("charts/map-hotspot-classes-2016-17.svg")).unwrap();
    let title = format!(
        "{persistent} of {} grid cells were hotspots in at least 80% of the 12 months, 2016/17",
        saferstats::render::format::thousands(cells as i64)
    );
    assert!(svg.contains(&title), "{title}");
    assert!(
        svg.contains(&format!("Persistent hotspot ({persistent})")),
        "legend"
    );
}

#[test]
fn classified_cells_go_to_geojson_with_their_class() {
    if common::shared_path("data/boundaries/london-lsoa-2011.csv").is_none() {
        return;
    }
    let cli = common::Cli::new();
    let path = cli.dir.path().join("classes.geojson");
    let args = [
        "place",
        "--period",
        "2016/17",
        "--by",
        "grid",
        "--classify",
        "--format",
        "csv",
    ];
    let cli = cli
        .default_config()
        .args(args)
        .args(["--geojson", path.to_str().unwrap()]);
    let (out, _) = cli.expect(0);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let features = json["features"].as_array().unwrap();
    assert_eq!(features.len(), out.lines().count() - 1);
    let persistent = |f: &&serde_json::Value| f["properties"]["class"] == "persistent hotspot";
    let rows = out
        .lines()
        .filter(|l| l.ends_with(",persistent hotspot"))
        .count();
    assert_eq!(features.iter().filter(persistent).count(), rows);
    // Cells are squares in WGS84: five positions, longitudes about -0.1 in the City.
    let ring = &features[0]["geometry"]["coordinates"][0];
    assert_eq!(ring.as_array().unwrap().len(), 5);
    assert!((ring[0][0].as_f64().unwrap() + 0.09).abs() < 0.05, "{ring}");
}
