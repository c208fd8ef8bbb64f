//! Place: boundary files in their three forms, the coordinate transform, and crimes by place.

mod common;

use saferstats::harmonise::crs::Crs;
use saferstats::ingest::boundaries;
use saferstats::model::place::BoundarySpec;

fn spec(path: std::path::PathBuf, code: &str, name: &str, crs: Option<Crs>) -> BoundarySpec {
    BoundarySpec {
        name: "lsoa".into(),
        display: path.display().to_string(),
        path,
        code_column: code.into(),
        name_column: name.into(),
        geometry_column: None,
        crs,
    }
}

#[test]
fn the_shared_london_lsoas_and_boroughs_read_in_british_national_grid() {
    let Some(lsoas) = common::shared_path("data/boundaries/london-lsoa-2011.csv") else {
        return;
    };
    let b = boundaries::read(&spec(lsoas, "LSOA11CD", "LSOA11NM", None)).unwrap();
    // 4,835 London LSOAs (its README); coordinates in metres, so British National Grid.
    assert_eq!(b.places.len(), 4835);
    assert_eq!(b.crs, Crs::Bng);
    let city: Vec<&str> = b
        .places
        .iter()
        .filter(|p| p.name.starts_with("City of London"))
        .map(|p| p.code.as_str())
        .collect();
    assert_eq!(
        city,
        [
            "E01000001",
            "E01000002",
            "E01000003",
            "E01000005",
            "E01032739",
            "E01032740"
        ]
    );
    let Some(lads) = common::shared_path("data/boundaries/london-lad-2022.shp") else {
        return;
    };
    let b = boundaries::read(&spec(lads, "LAD22CD", "LAD22NM", None)).unwrap();
    // 33 London local authorities; the .prj says British National Grid.
    assert_eq!(b.places.len(), 33);
    assert_eq!(b.crs, Crs::Bng);
    assert!(
        b.places
            .iter()
            .any(|p| p.code == "E09000001" && p.name == "City of London")
    );
}

#[test]
fn geojson_in_wgs84_becomes_national_grid_by_ostn15() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("square.geojson");
    // A square around OS test point TP09 (51.48936565 N, 0.119925572 W: E 530624.974,
    // N 178388.464 by the OS's own test output); its first corner is TP09 itself.
    let (lon, lat) = (-0.119925572, 51.48936565);
    let ring = format!(
        "[[{lon},{lat}],[{},{lat}],[{},{}],[{lon},{}],[{lon},{lat}]]",
        lon + 0.01,
        lon + 0.01,
        lat + 0.01,
        lat + 0.01
    );
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"code":"X1","name":"Square"}},"geometry":{{"type":"Polygon","coordinates":[{ring}]}}}}]}}"#
        ),
    )
    .unwrap();
    let b = boundaries::read(&spec(path, "code", "name", None)).unwrap();
    assert_eq!(b.crs, Crs::Wgs84);
    let first = b.places[0].shape.0[0].exterior().0[0];
    assert!(
        (first.x - 530624.974).abs() < 0.002 && (first.y - 178388.464).abs() < 0.002,
        "{first:?}"
    );
}

#[test]
fn a_bad_boundary_file_names_the_line_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.csv");
    std::fs::write(
        &path,
        "code,name,geometry\nA,Alpha,\"POLYGON ((0 0, 10 0, 10 10, 0 0))\"\nB,Beta,\"POINT (1 1)\"\n",
    )
    .unwrap();
    let err = boundaries::read(&spec(path.clone(), "code", "name", None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("b.csv:3") && err.contains("is a point, not a polygon"),
        "{err}"
    );
    let err = boundaries::read(&spec(path.clone(), "LSOA11CD", "name", None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no column `LSOA11CD` (found: code, name, geometry)"),
        "{err}"
    );
    // Metres declared as longitude and latitude: refused, not transformed into nonsense.
    std::fs::write(&path, "code,name,geometry\nA,Alpha,\"POLYGON ((530000 180000, 531000 180000, 531000 181000, 530000 180000))\"\n").unwrap();
    let err = boundaries::read(&spec(path, "code", "name", Some(Crs::Wgs84)))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("said to be in EPSG:4326 but their coordinates look like EPSG:27700"),
        "{err}"
    );
}

#[test]
fn reproduces_sfhotspots_published_memphis_example() {
    // sfhotspot's reference page for hotspot_gistar() (docs/reference/hotspot_gistar.html,
    // sfhotspot 1.0.0) prints `hotspot_gistar(st_transform(memphis_robberies_jan, 32615))`:
    // "Cell size set to 500 metres", 2,715 cells, and its first ten rows' n, gistar and p-value.
    // The input is the package's own data, the 206 robberies in Memphis in January 2019 (from the
    // Crime Open Database), its points here in UTM zone 15N metres as sf gives them.
    use saferstats::stats::hotspot;
    let text = std::fs::read_to_string(common::fixture(
        "sfhotspot/memphis_robberies_jan_utm15n.csv",
    ))
    .unwrap();
    let points: Vec<(f64, f64)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let (x, y) = l.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect();
    assert_eq!(points.len(), 206);
    let size = hotspot::cell_size(&points).unwrap();
    assert_eq!(size, 500.0);
    let grid = hotspot::grid(&points, size).unwrap();
    assert_eq!(grid.cells.len(), 2715);
    let weighted: Vec<(f64, f64, u64)> = points.iter().map(|&(x, y)| (x, y, 1)).collect();
    let (counts, off) = grid.count(&weighted);
    assert_eq!((counts.iter().sum::<u64>(), off), (206, 0));
    let hot = hotspot::gistar(&grid, &counts);
    // The published rows, to the three decimals printed: (n, gistar, p).
    let published = [
        (0, -0.546, 0.585),
        (0, -0.598, 0.550),
        (0, -0.598, 0.550),
        (0, 0.716, 0.474),
        (1, 0.716, 0.474),
        (0, 0.716, 0.474),
        (0, -0.598, 0.550),
        (0, -0.598, 0.550),
        (0, -0.546, 0.585),
        (0, 0.893, 0.372),
    ];
    for (i, (n, z, p)) in published.iter().enumerate() {
        let h = hot[i];
        assert_eq!(h.n, *n, "row {}", i + 1);
        assert!(
            (h.z - z).abs() < 5e-4 && (h.p - p).abs() < 5e-4,
            "row {}: {h:?}",
            i + 1
        );
    }
    // The bounding box it prints: 761986.2 3876436 794486.2 3905936.
    assert!((grid.x0 - 761986.2).abs() < 0.05 && (grid.y0 - 3876436.0).abs() < 0.5);
    assert!((grid.x0 + grid.cols as f64 * size - 794486.2).abs() < 0.05);
    // The strongest hotspot of the whole grid, from the same run to full precision.
    let top = hot.iter().max_by(|a, b| a.z.total_cmp(&b.z)).unwrap();
    assert!((top.z - 8.931432176212132).abs() < 1e-9, "{top:?}");
    assert!((top.x - 771986.181).abs() < 0.01 && (top.y - 3892435.519).abs() < 0.01);
}

/// A config reading the shared City archive with the shared 2011 LSOA boundaries.
fn city_place_config() -> Option<String> {
    let archive = common::shared_path("data/police-uk/city-of-london")?;
    let lsoas = common::shared_path("data/boundaries/london-lsoa-2011.csv")?;
    Some(format!(
        "area = \"City of London Police\"\n[[source]]\nkind = \"police-uk\"\npath = \"{}\"\n\n[[boundaries]]\nname = \"lsoa\"\npath = \"{}\"\ncode_column = \"LSOA11CD\"\nname_column = \"LSOA11NM\"\n",
        common::toml_path(&archive),
        common::toml_path(&lsoas)
    ))
}

#[test]
fn on_the_real_city_files_places_hold_exactly_the_lsoa_counts() {
    let Some(config) = city_place_config() else {
        return;
    };
    let run = |args: &[&str]| common::Cli::new().config(&config).args(args).expect(0);
    let (place, warnings) = run(&["place", "--period", "2016/17", "--format", "csv"]);
    let (counts, _) = run(&[
        "counts", "--period", "2016/17", "--by", "lsoa", "--format", "csv",
    ]);
    let cells = |text: &str,
                 code: usize,
                 cat: usize,
                 n: usize|
     -> std::collections::BTreeMap<(String, String), u64> {
        text.lines()
            .skip(1)
            .map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>())
            .filter(|f| f[code] != "(no location)")
            .map(|f| ((f[code].clone(), f[cat].clone()), f[n].parse().unwrap()))
            .collect()
    };
    assert!(place.starts_with("area,period,lsoa_code,lsoa_name,category,count\n"));
    let by_place = cells(&place, 2, 4, 5);
    // counts --by lsoa: period,area,lsoa_code,lsoa_name,category,count.
    assert_eq!(by_place, cells(&counts, 2, 4, 5));
    // The City's six LSOAs and the 18 neighbouring ones its police located crimes in, all in
    // the London file; 6,658 located crimes (6,927 street rows of 2016/17 less 269 without a
    // location).
    let lsoas: std::collections::BTreeSet<&str> =
        by_place.keys().map(|(c, _)| c.as_str()).collect();
    assert_eq!(lsoas.len(), 24);
    for city in [
        "E01000001",
        "E01000002",
        "E01000003",
        "E01000005",
        "E01032739",
        "E01032740",
    ] {
        assert!(lsoas.contains(city), "{city}");
    }
    assert_eq!(by_place.values().sum::<u64>(), 6658);
    assert!(
        place.contains(",E01000001,City of London 001A,Bicycle theft,34\n"),
        "{place}"
    );
    // Every LSOA code is in the file, so nothing lies outside it. 105 crimes at 17 points lie
    // outside the generalised polygon of their own LSOA (on Blackfriars Bridge, the A201, over
    // the river the polygons are clipped from; on boundary streets such as Mansell Street) and
    // stay in their LSOA.
    assert!(!warnings.contains("[outside-boundaries]"), "{warnings}");
    assert!(
        warnings.contains("105 crimes at 17 points lie outside the drawn shape of their own LSOA")
            && warnings.contains("On or near A201 (-0.104494, 51.509848; LSOA E01032739): 17;"),
        "{warnings}"
    );
}

#[test]
fn the_change_by_lsoa_and_the_grid_on_the_real_city_files() {
    let Some(config) = city_place_config() else {
        return;
    };
    let run = |args: &[&str]| common::Cli::new().config(&config).args(args).expect(0).0;
    let change = run(&[
        "place", "--from", "2016-06", "--to", "2017-06", "--format", "csv",
    ]);
    // E01000001 (City of London 001A), other theft: 4 in June 2016, 9 in June 2017 (as
    // `counts --by lsoa` gives them). One month each side, so no dispersion to estimate: the
    // exact conditional test, X ~ Bin(13, 1/2): p = 2 x (1 + 13 + 78 + 286 + 715) / 8192 =
    // 0.2668 (by hand).
    assert!(
        change.contains("\nCity of London Police,2016-06,2017-06,E01000001,City of London 001A,Other theft,4,9,5,125.0,0.2668,"),
        "{change}"
    );
    // Rows without a location are a place of their own, named as `counts --by lsoa` names them.
    assert!(
        change.contains(",2016-06,2017-06,(no location),,Drugs,2,6,4,200.0,"),
        "{change}"
    );
    let grid = run(&[
        "place", "--period", "2016/17", "--by", "grid", "--format", "csv",
    ]);
    assert!(grid.starts_with("area,period,x_min,y_min,count,gistar,p_value,q_value,hotspot\n"));
    // Every located crime of 2016/17 (5,195; anti-social behaviour is not crime) is in one cell.
    let total: u64 = grid
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(4).unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, 5195);
    assert!(
        grid.lines().any(|l| l.ends_with(",hot")),
        "no hotspot at all"
    );
}

#[test]
fn points_busiest_first_with_the_snap_artefact_flagged() {
    let Some(config) = city_place_config() else {
        return;
    };
    let (points, stderr) = common::Cli::new()
        .config(&config)
        .args([
            "place", "--period", "2016/17", "--by", "point", "--format", "csv",
        ])
        .expect(0);
    let rows: Vec<&str> = points.lines().skip(1).collect();
    // 447 anonymised points hold the 5,195 located crimes of 2016/17 (5,464 less 269 without a
    // location, as data/README.md counts them) and the 1,463 ASB incidents, kept apart; busiest
    // first by crime.
    assert_eq!(rows.len(), 447);
    assert!(rows[0].starts_with("City of London Police,2016/17,On or near Police Station,-0.079786,51.517576,E01032739,142,99,"), "{}", rows[0]);
    let column = |i: usize| -> u64 {
        rows.iter()
            .map(|r| r.split(',').nth(i).unwrap().parse::<u64>().unwrap())
            .sum()
    };
    assert_eq!((column(6), column(7)), (5195, 1463));
    // Bell Yard's point holds 11 of its LSOA's 14 crimes (E01004735, Westminster 018B): over
    // half of at least 10, so flagged as a snap artefact rather than a hotspot.
    assert!(
        points.contains(",On or near Bell Yard,-0.112039,51.514547,E01004735,11,0,0.786,true\n"),
        "{points}"
    );
    assert_eq!(rows.iter().filter(|r| r.ends_with(",true")).count(), 3);
    assert!(
        stderr.contains("across the 22 LSOAs with crime, Gini 0.917"),
        "{stderr}"
    );
}

#[test]
fn geojson_for_qgis_holds_the_same_figures_in_wgs84() {
    let Some(config) = city_place_config() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lsoa.geojson");
    let path_arg = path.display().to_string();
    let args = [
        "place",
        "--period",
        "2016/17",
        "--geojson",
        path_arg.as_str(),
        "--format",
        "csv",
    ];
    let (csv, _) = common::Cli::new().config(&config).args(args).expect(0);
    let first = std::fs::read(&path).unwrap();
    let text = String::from_utf8(first.clone()).unwrap();
    let fc: geojson::FeatureCollection = text.parse().unwrap();
    // One feature per LSOA with crime or ASB, each with the CSV's total of recorded crime.
    assert_eq!(fc.features.len(), 24);
    let a = fc
        .features
        .iter()
        .find(|f| f.property("code") == Some(&serde_json::json!("E01000001")))
        .unwrap();
    let total: u64 = csv
        .lines()
        .filter(|l| l.contains(",E01000001,") && !l.contains("Anti-social behaviour"))
        .map(|l| l.rsplit(',').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(a.property("total"), Some(&serde_json::json!(total)));
    assert_eq!(a.property("Bicycle theft"), Some(&serde_json::json!(34)));
    // E01000001's first vertex, E 532152 N 181867 in the boundary file, back through OSTN15.
    let (lon, lat) = saferstats::harmonise::crs::to_wgs84(532152.0, 181867.0).unwrap();
    let shape: geo::MultiPolygon<f64> = a.geometry.clone().unwrap().try_into().unwrap();
    let c = shape.0[0].exterior().0[0];
    assert!(
        (c.x - lon).abs() < 1e-6 && (c.y - lat).abs() < 1e-6,
        "{c:?} against {lon}, {lat}"
    );
    // The same inputs give the same bytes.
    common::Cli::new().config(&config).args(args).expect(0);
    assert_eq!(std::fs::read(&path).unwrap(), first);
}

#[test]
fn the_report_shows_where_crime_concentrates() {
    if common::shared_path("data/boundaries/london-lsoa-2011.csv").is_none() {
        return;
    }
    let dir = common::default_run();
    let md = std::fs::read_to_string(dir.path().join("reports/evidence-base.md")).unwrap();
    assert!(
        md.contains("## Where crime concentrates: City of London Police, 2016/17"),
        "{md}"
    );
    // The shipped points: 5,195 located crimes of 2016/17 (5,464 less 269 without a location),
    // 3,497 of them in E01032739 (City of London 001F): 67% (by hand: 3497 / 5195 = 0.673).
    assert!(
        md.contains(
            "City of London 001F holds 67% of the recorded crime located in 24 LSOAs, 2016/17"
        ),
        "{md}"
    );
    assert!(
        md.contains("| E01032739 | City of London 001F | 3,497 | 67.3 |"),
        "{md}"
    );
    assert!(md.contains("## Where: the busiest places, 2016/17"), "{md}");
    assert!(md.contains("| On or near Bell Yard | E01004735 | 11 | 78.6 | snap artefact: most of its LSOA's crime |"), "{md}");
    let html = std::fs::read_to_string(dir.path().join("reports/evidence-base.html")).unwrap();
    assert!(html.contains("<section class=\"where\" id=\"where\">"));
    assert!(html.contains("Contains OS data \u{a9} Crown copyright and database right 2022"));
    for map in [
        "charts/map-lsoa-2016-17.svg",
        "charts/map-hotspots-2016-17.svg",
        "charts/map-lsoa-2016-17.png",
    ] {
        assert!(dir.path().join(map).exists(), "{map}");
    }
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(dir.path().join("reports/data-appendix.xlsx")).unwrap();
    use calamine::Reader;
    let titles: Vec<String> = book
        .sheet_names()
        .iter()
        .filter_map(|s| match book.worksheet_range(s).ok()?.get_value((0, 0)) {
            Some(calamine::Data::String(t)) => Some(t.clone()),
            _ => None,
        })
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.contains("Where: recorded crime by LSOA, 2016/17")),
        "{titles:?}"
    );
}

#[test]
fn without_its_boundary_file_the_section_keeps_its_tables_and_says_why() {
    let mut cfg = common::default_config();
    cfg.boundaries[0].path = "/nonexistent/lsoa.csv".into();
    cfg.boundaries[0].display = "missing/lsoa.csv".into();
    let dir = tempfile::tempdir().unwrap();
    cfg.out_dir = dir.path().to_path_buf();
    saferstats::pipeline::run(&cfg).unwrap();
    let md = std::fs::read_to_string(dir.path().join("reports/evidence-base.md")).unwrap();
    assert!(
        md.contains("No maps: the boundary file missing/lsoa.csv is absent."),
        "{md}"
    );
    assert!(md.contains("| E01032739 |  | 3,497 | 67.3 |"), "{md}");
    assert!(!dir.path().join("charts/map-lsoa-2016-17.svg").exists());
}

#[test]
fn the_shipped_points_are_what_saferstats_makes_of_the_shared_archive() {
    let Some(archive) = common::shared_path("data/police-uk/city-of-london") else {
        return;
    };
    let source = format!("police-uk={}", archive.display());
    let detail = |period: &str| {
        let args = [
            "-q",
            "--source",
            &source,
            "place",
            "--period",
            period,
            "--by",
            "point",
            "--detail",
            "--format",
            "csv",
            "--allow-partial",
        ];
        common::Cli::new().args(args).expect(0).0
    };
    let mut made = detail("2016");
    made += detail("2017").split_once('\n').unwrap().1;
    let shipped = std::fs::read_to_string(
        common::repo().join("data/city-of-london/police-uk-points-2016-01-to-2017-06.csv"),
    )
    .unwrap();
    assert!(
        made == shipped,
        "the shipped points differ from what the archive gives: regenerate them as data/README.md says"
    );
}

#[test]
fn a_bad_points_row_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.csv");
    std::fs::write(&path, "month,area,location,longitude,latitude,lsoa_code,category,count\n2016-04,A,On or near X,-0.1,51.5,E1,Bicycle theft,2\n2016-04,A,On or near X,-0.1,51.5,E1,Theft of a bicycle,1\n").unwrap();
    let (_, err) = common::Cli::new()
        .source_path("points", &path)
        .args(["place", "--period", "2016-04"])
        .expect(2);
    assert!(
        err.contains("p.csv:3")
            && err.contains("`Theft of a bicycle` is not a data.police.uk crime type"),
        "{err}"
    );
}

#[test]
fn grid_cells_classified_over_the_months_follow_the_rules() {
    let Some(config) = city_place_config() else {
        return;
    };
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
    let (csv, _) = common::Cli::new().config(&config).args(args).expect(0);
    assert!(csv.starts_with("area,period,x_min,y_min,count,hot_months,cold_months,class\n"));
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    // The same grid as --by grid, every located crime of 2016/17 in one cell.
    assert_eq!(
        rows.iter()
            .map(|r| r[4].parse::<u64>().unwrap())
            .sum::<u64>(),
        5195
    );
    let mut seen = std::collections::BTreeSet::new();
    for r in &rows {
        let (hot, cold): (usize, usize) = (r[5].parse().unwrap(), r[6].parse().unwrap());
        seen.insert(r[7]);
        // Twelve months, the last two recent: persistent is hot in at least 0.8 x 12 (10); no
        // pattern means hot in under 10% of the months (none); a hotspot class needs hot months.
        match r[7] {
            "persistent hotspot" => assert!(hot >= 10, "{r:?}"),
            "no pattern" => assert_eq!((hot, cold), (0, 0), "{r:?}"),
            c if c.ends_with("hotspot") => assert!(hot >= 1 && cold == 0, "{r:?}"),
            c => panic!("unexpected class {c}"),
        }
    }
    assert!(
        seen.contains("persistent hotspot") && seen.contains("former hotspot"),
        "{seen:?}"
    );
}

#[test]
fn the_change_at_each_point_with_its_test() {
    let Some(config) = city_place_config() else {
        return;
    };
    let args = [
        "place", "--by", "point", "--from", "2016-06", "--to", "2017-06", "--format", "csv",
    ];
    let (csv, _) = common::Cli::new().config(&config).args(args).expect(0);
    // Fish Street Hill: 6 crimes in June 2016, 14 in June 2017. Exact conditional test, X ~
    // Bin(20, 1/2): p = 2 x (1 + 20 + 190 + 1140 + 4845 + 15504 + 38760) / 2^20 = 0.1153 (by
    // hand); across every point at once (BH) nothing is beyond chance.
    assert!(
        csv.contains("\nCity of London Police,2016-06,2017-06,On or near Fish Street Hill,-0.086278,51.509876,E01032739,6,14,8,133.3,0.1153,1,false,exact-poisson\n"),
        "{csv}"
    );
    assert!(!csv.contains(",true,"), "{csv}");
}

#[test]
fn rates_per_resident_by_lsoa_when_lsoa_populations_are_given() {
    let Some(mut config) = city_place_config() else {
        return;
    };
    config.insert_str(
        0,
        &format!(
            "[[source]]\nname = \"residents\"\nkind = \"population\"\npath = \"{}\"\n\n",
            common::toml_path(&common::fixture("ok/population/lsoa-mid-2017.csv"))
        ),
    );
    let args = ["place", "--period", "2016/17", "--format", "csv"];
    let (csv, _) = common::Cli::new().config(&config).args(args).expect(0);
    assert!(
        csv.starts_with(
            "area,period,lsoa_code,lsoa_name,category,count,population,rate,rate_low,rate_high\n"
        ),
        "{csv}"
    );
    // E01000001: 34 bicycle thefts among 1,544 residents: 22.021 per 1,000; Byar's interval
    // (by hand: 34 (1 - 1/306 - 1.95996/(3 sqrt 34))^3 = 23.54 and 35 (1 - 1/315 + 1.95996/(3
    // sqrt 35))^3 = 47.51 events) is 15.248 to 30.773 per 1,000.
    assert!(csv.contains("\nCity of London Police,2016/17,E01000001,City of London 001A,Bicycle theft,34,1544,22.021,15.248,30.773\n"), "{csv}");
    // An LSOA the table does not cover has no rate, never a made-up one.
    assert!(
        csv.lines()
            .any(|l| l.contains(",E01000916,") && l.ends_with(",,,,")),
        "{csv}"
    );
}

#[test]
fn a_point_outside_every_boundary_is_counted_apart_and_said() {
    let Some(lsoas) = common::shared_path("data/boundaries/london-lsoa-2011.csv") else {
        return;
    };
    let cli = common::Cli::new();
    // Two crimes in the City, and three at a point in Manchester (its LSOA code is in no London
    // boundary): a force's crimes located outside the boundary file, as a national archive has.
    let points = cli.dir.path().join("points.csv");
    let rows = "month,area,location,longitude,latitude,lsoa_code,category,count\n\
        2016-04,Force,On or near Carthusian Street,-0.097601,51.520699,E01000001,Bicycle theft,2\n\
        2016-04,Force,On or near Oxford Road,-2.236820,53.467200,E01005208,Shoplifting,3\n";
    std::fs::write(&points, rows).unwrap();
    let config = format!(
        "area = \"Force\"\n[[source]]\nkind = \"points\"\npath = \"{}\"\n\n[[boundaries]]\nname = \"lsoa\"\npath = \"{}\"\ncode_column = \"LSOA11CD\"\nname_column = \"LSOA11NM\"\n",
        common::toml_path(&points),
        common::toml_path(&lsoas)
    );
    let (code, out, err) = cli
        .config(&config)
        .args([
            "--allow-partial",
            "place",
            "--period",
            "2016-04",
            "--by",
            "lsoa",
            "--format",
            "csv",
        ])
        .run();
    assert_eq!(code, 0, "{err}");
    // The City's two crimes are in the table; Manchester's three are counted apart, never dropped.
    assert!(
        out.contains(",E01000001,City of London 001A,Bicycle theft,2"),
        "{out}"
    );
    assert!(!out.contains("Shoplifting"), "{out}");
    assert!(
        err.contains("Force, 2016-04: 3 crimes at 1 points lie outside every place of lsoa")
            && err.contains("counted apart, not in the table: On or near Oxford Road (-2.23682, 53.4672; LSOA E01005208): 3")
            && err.contains("[outside-boundaries]"),
        "{err}"
    );
}
