//! Place by larger geographies: LSOAs regrouped into MSOAs (or wards) through a `[[lookup]]`,
//! checked against counts made here with the csv crate straight from the raw street files.

mod common;

use std::collections::BTreeMap;

/// The City's archive, with the shared London LSOA file as the lookup to MSOAs (its own
/// `MSOA11CD,MSOA11NM` columns, as ONS publishes them).
fn config() -> Option<(String, std::path::PathBuf, std::path::PathBuf)> {
    let archive = common::shared_path("data/police-uk/city-of-london")?;
    let lsoas = common::shared_path("data/boundaries/london-lsoa-2011.csv")?;
    let text = format!(
        "area = \"City of London Police\"\n[[source]]\nkind = \"police-uk\"\npath = \"{}\"\n\n[[lookup]]\nname = \"msoa\"\npath = \"{}\"\nlsoa_column = \"LSOA11CD\"\ncode_column = \"MSOA11CD\"\nname_column = \"MSOA11NM\"\n",
        common::toml_path(&archive),
        common::toml_path(&lsoas)
    );
    Some((text, archive, lsoas))
}

/// Crimes by (MSOA, crime type) over the months `from..=to`, counted from the raw street files.
fn by_hand(
    archive: &std::path::Path,
    lsoas: &std::path::Path,
    months: &[&str],
) -> BTreeMap<(String, String), u64> {
    let mut msoa = BTreeMap::new();
    let mut r = csv::Reader::from_path(lsoas).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (l, m) = (col("LSOA11CD"), col("MSOA11CD"));
    for rec in r.records() {
        let rec = rec.unwrap();
        msoa.insert(rec[l].to_string(), rec[m].to_string());
    }
    let mut out = BTreeMap::new();
    for month in months {
        for (code, kind) in common::city_street_rows(archive, month) {
            if code.is_empty() {
                continue;
            }
            *out.entry((msoa[&code].clone(), kind)).or_default() += 1;
        }
    }
    out
}

fn cells(text: &str, code: usize, cat: usize, n: usize) -> BTreeMap<(String, String), u64> {
    text.lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>())
        .filter(|f| f[code] != "(no location)")
        .map(|f| ((f[code].clone(), f[cat].clone()), f[n].parse().unwrap()))
        .collect()
}

#[test]
fn msoa_counts_equal_the_raw_files_regrouped_by_the_lookup() {
    let Some((config, archive, lsoas)) = config() else {
        return;
    };
    let (out, warnings) = common::Cli::new()
        .config(&config)
        .args([
            "place", "--period", "2016/17", "--lookup", "msoa", "--format", "csv",
        ])
        .expect(0);
    assert!(
        out.starts_with("area,period,msoa_code,msoa_name,category,count\n"),
        "{out}"
    );
    let months = [
        "2016-04", "2016-05", "2016-06", "2016-07", "2016-08", "2016-09", "2016-10", "2016-11",
        "2016-12", "2017-01", "2017-02", "2017-03",
    ];
    let expected = by_hand(&archive, &lsoas, &months);
    assert_eq!(cells(&out, 2, 4, 5), expected);
    // The six City LSOAs make one MSOA, City of London 001; 6,658 located rows in all.
    assert!(
        out.contains(",E02000001,City of London 001,Bicycle theft,"),
        "{out}"
    );
    assert_eq!(expected.values().sum::<u64>(), 6658);
    // Every LSOA the City's police located a crime in is in the London lookup.
    assert!(warnings.contains("LSOAs regrouped into"), "{warnings}");
    assert!(!warnings.contains("[lookup-unmatched]"), "{warnings}");
}

#[test]
fn the_change_by_msoa_and_an_unknown_lookup() {
    let Some((config, archive, lsoas)) = config() else {
        return;
    };
    let run = |args: &[&str], code| common::Cli::new().config(&config).args(args).expect(code);
    let (change, _) = run(
        &[
            "place", "--from", "2016-06", "--to", "2017-06", "--lookup", "msoa", "--format", "csv",
        ],
        0,
    );
    assert!(change.starts_with(
        "area,from_period,to_period,msoa_code,msoa_name,category,from_count,to_count,"
    ));
    let (a, b) = (
        by_hand(&archive, &lsoas, &["2016-06"]),
        by_hand(&archive, &lsoas, &["2017-06"]),
    );
    let key = ("E02000001".to_string(), "Other theft".to_string());
    let row = format!(
        ",2016-06,2017-06,E02000001,City of London 001,Other theft,{},{},",
        a[&key], b[&key]
    );
    assert!(change.contains(&row), "{row}\n{change}");
    let (_, err) = run(&["place", "--period", "2016/17", "--lookup", "ward"], 2);
    assert!(
        err.contains("--lookup ward: no [[lookup]] of that name (declared: msoa)"),
        "{err}"
    );
}

#[test]
fn the_shipped_points_give_the_archives_change_and_the_forces_name() {
    // The shipped config compares "City of London" (the published table's area); its points
    // are the force's, and `place` says whose they are. Its change by LSOA equals the one the
    // archive gives (E01000001, other theft: 4 in June 2016, 9 in June 2017; p = 0.2668 by hand,
    // see tests/place.rs).
    let (out, err) = common::Cli::new()
        .default_config()
        .args([
            "place", "--from", "2016-06", "--to", "2017-06", "--format", "csv",
        ])
        .expect(0);
    assert!(
        err.contains(
            "City of London: no street points of its own; place uses those of City of London Police"
        ),
        "{err}"
    );
    let name = if common::shared_path("data/boundaries/london-lsoa-2011.csv").is_some() {
        "City of London 001A"
    } else {
        ""
    };
    let row = format!(
        "City of London Police,2016-06,2017-06,E01000001,{name},Other theft,4,9,5,125.0,0.2668,"
    );
    assert!(out.contains(&row), "{row}\n{out}");
}
