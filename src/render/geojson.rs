//! Place results as GeoJSON for GIS users (QGIS opens them as they are): LSOAs with their counts,
//! grid cells with their Gi*, points with their crimes. GeoJSON is WGS84 longitude and latitude
//! by definition (RFC 7946), so National Grid shapes go back through OSTN15; coordinates are
//! rounded to 6 decimals (about 0.1 m), one compact line, properties in a fixed order, so the
//! same inputs give the same bytes.

use std::collections::BTreeMap;

use geo::MapCoords;
use geojson::{Feature, FeatureCollection, Geometry, GeometryValue, JsonObject};
use serde_json::Value;

use crate::harmonise::crs;
use crate::model::place::Boundaries;
use crate::stats::hotspot::Hot;
use crate::stats::place::{Placed, PointTotal};

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A National Grid shape in WGS84; a corner outside the grid (never, for a place read from a
/// British boundary file) is kept where it is rather than dropped.
fn wgs84<G: MapCoords<f64, f64, Output = G>>(shape: &G) -> G {
    shape.map_coords(|c| match crs::to_wgs84(c.x, c.y) {
        Some((lon, lat)) => geo::coord! { x: round6(lon), y: round6(lat) },
        None => c,
    })
}

fn feature(geometry: GeometryValue, properties: JsonObject) -> Feature {
    Feature {
        geometry: Some(Geometry::new(geometry)),
        properties: Some(properties),
        ..Feature::default()
    }
}

fn collection(features: Vec<Feature>) -> String {
    let mut text = serde_json::to_string(&FeatureCollection {
        features,
        ..FeatureCollection::default()
    })
    .expect("GeoJSON serialises");
    text.push('\n');
    text
}

/// Every place that holds crime: code, name, period, total and the count per crime type.
pub fn places(b: &Boundaries, placed: &Placed, period: &str) -> String {
    let mut by_code: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
    for ((code, category), n) in &placed.by_place {
        by_code.entry(code).or_default().insert(category, *n);
    }
    let features = b
        .places
        .iter()
        .filter_map(|p| {
            let counts = by_code.get(p.code.as_str())?;
            let mut props = JsonObject::new();
            props.insert("code".into(), Value::from(p.code.clone()));
            props.insert("name".into(), Value::from(p.name.clone()));
            props.insert("period".into(), Value::from(period));
            // Recorded crime: anti-social behaviour is its own property, never in the total.
            let asb = counts
                .get(crate::harmonise::police_uk::ASB)
                .copied()
                .unwrap_or(0);
            props.insert(
                "total".into(),
                Value::from(counts.values().sum::<u64>() - asb),
            );
            for (category, n) in counts {
                props.insert((*category).to_string(), Value::from(*n));
            }
            Some(feature(GeometryValue::from(&wgs84(&p.shape)), props))
        })
        .collect();
    collection(features)
}

/// Every grid cell as a square, with its count, Gi*, p-values and class.
pub fn cells(cells: &[(Hot, Option<f64>)], size: f64, alpha: f64, period: &str) -> String {
    let features = cells
        .iter()
        .map(|(h, q)| {
            let mut props = cell_properties(period, (h.x, h.y), h.n);
            props.insert("gistar".into(), Value::from(h.z));
            props.insert("p_value".into(), Value::from(h.p));
            props.insert("q_value".into(), q.map_or(Value::Null, Value::from));
            props.insert("hotspot".into(), Value::from(h.spot(*q, alpha)));
            cell_feature((h.x, h.y), size, props)
        })
        .collect();
    collection(features)
}

/// Every grid cell as a square with its pattern over the period's months.
pub fn classes(cells: &[crate::stats::place::CellPattern], size: f64, period: &str) -> String {
    let features = cells
        .iter()
        .map(|c| {
            let mut props = cell_properties(period, (c.x, c.y), c.n);
            props.insert("hot_months".into(), Value::from(c.hot));
            props.insert("cold_months".into(), Value::from(c.cold));
            props.insert("class".into(), Value::from(c.class.label()));
            cell_feature((c.x, c.y), size, props)
        })
        .collect();
    collection(features)
}

/// What every grid cell says of itself: the period, its lower-left corner and its crimes.
fn cell_properties(period: &str, (x, y): (f64, f64), n: u64) -> JsonObject {
    let mut props = JsonObject::new();
    props.insert("period".into(), Value::from(period));
    props.insert("x_min".into(), Value::from(x));
    props.insert("y_min".into(), Value::from(y));
    props.insert("count".into(), Value::from(n));
    props
}

/// The cell at (`x`, `y`) as a WGS84 square.
fn cell_feature((x, y): (f64, f64), size: f64, props: JsonObject) -> Feature {
    let square = crate::stats::hotspot::cell_polygon(x, y, size);
    feature(GeometryValue::from(&wgs84(&square)), props)
}

/// Every anonymised point with its crimes, as published (WGS84 already).
pub fn points(points: &[PointTotal], period: &str) -> String {
    let features = points
        .iter()
        .map(|p| {
            let mut props = JsonObject::new();
            props.insert("period".into(), Value::from(period));
            props.insert("location".into(), Value::from(p.location.clone()));
            props.insert("lsoa_code".into(), Value::from(p.lsoa_code.clone()));
            props.insert("count".into(), Value::from(p.crimes));
            props.insert("asb".into(), Value::from(p.asb));
            props.insert("share_of_lsoa".into(), Value::from(p.share_of_lsoa));
            props.insert("artefact".into(), Value::from(p.artefact));
            let point = geo::point!(x: p.longitude, y: p.latitude);
            feature(GeometryValue::from(&point), props)
        })
        .collect();
    collection(features)
}

/// Every LSOA with a change (by data.police.uk's codes) that the boundary file holds: its
/// recorded crime in both periods and the change (anti-social behaviour apart).
pub fn changes(
    b: &Boundaries,
    changes: &[crate::stats::place::PlaceChange],
    (from, to): (crate::model::Period, crate::model::Period),
) -> String {
    let mut totals: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    // Recorded crime: anti-social behaviour is not added in.
    let asb = crate::harmonise::police_uk::ASB;
    for c in changes.iter().filter(|c| c.change.category.as_str() != asb) {
        let t = totals.entry(c.lsoa_code.as_str()).or_default();
        t.0 += c.change.from_count;
        t.1 += c.change.to_count;
    }
    let features = b
        .places
        .iter()
        .filter_map(|p| {
            let (a, z) = totals.get(p.code.as_str())?;
            let mut props = JsonObject::new();
            props.insert("code".into(), Value::from(p.code.clone()));
            props.insert("name".into(), Value::from(p.name.clone()));
            props.insert("from_period".into(), Value::from(from.to_string()));
            props.insert("to_period".into(), Value::from(to.to_string()));
            props.insert("from_count".into(), Value::from(*a));
            props.insert("to_count".into(), Value::from(*z));
            props.insert("change".into(), Value::from(z - a));
            Some(feature(GeometryValue::from(&wgs84(&p.shape)), props))
        })
        .collect();
    collection(features)
}
