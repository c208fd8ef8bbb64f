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
