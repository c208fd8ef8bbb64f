//! Boundary files in the three forms ONS's Open Geography Portal offers: a CSV with a WKT
//! geometry column, an ESRI shapefile (`.shp` beside its `.dbf`, `.shx` and `.prj`), and
//! GeoJSON; in British National Grid or WGS84 (turned into National Grid metres by OSTN15, see
//! [`crate::harmonise::crs`]). Every feature becomes a [`Place`]; a feature that is not a
//! polygon, or has no code, is an error naming the file and line (or feature), never a drop.

use std::str::FromStr;

use geo::{BoundingRect, MapCoords, MultiPolygon};

use crate::error::{Error, Location, Result};
use crate::harmonise::crs::{self, Crs};
use crate::model::place::{Boundaries, BoundarySpec, Place};

/// Reads the boundary file `spec` names.
pub fn read(spec: &BoundarySpec) -> Result<Boundaries> {
    let ext = spec
        .path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let (raw, declared) = match ext.as_str() {
        "csv" => (from_csv(spec)?, None),
        "shp" => from_shapefile(spec)?,
        "geojson" | "json" => (from_geojson(spec)?, Some(Crs::Wgs84)),
        _ => {
            return Err(Error::Header {
                at: Location::file(&spec.display),
                message: "a boundary file is a .csv with a WKT column, a .shp shapefile or a .geojson file".into(),
            });
        }
    };
    let crs = crs_of(spec, declared, &raw)?;
    let places = raw
        .into_iter()
        .map(|(at, code, name, shape)| {
            Ok(Place {
                code,
                name,
                shape: in_bng(shape, crs).ok_or_else(|| Error::Row {
                    at: at.clone(),
                    message: "the shape lies outside Great Britain's National Grid (OSTN15 covers Great Britain only); check the coordinate system declared (crs)".into(),
                })?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Boundaries {
        name: spec.name.clone(),
        display: spec.display.clone(),
        crs,
        places,
    })
}

/// A feature as read, before any transform: where it is, its code, name and shape.
type Raw = (Location, String, String, MultiPolygon<f64>);

/// The coordinate system: as declared (checked against the coordinates), else as the file says,
/// else as the coordinates' range says (longitude and latitude never exceed 180).
fn crs_of(spec: &BoundarySpec, from_file: Option<Crs>, raw: &[Raw]) -> Result<Crs> {
    let rect = raw
        .iter()
        .filter_map(|(_, _, _, s)| s.bounding_rect())
        .reduce(|a, b| {
            geo::Rect::new(
                geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        });
    let looks = rect.map(|r| {
        if r.max().x.abs().max(r.min().x.abs()) <= 180.0 && r.max().y.abs() <= 90.0 {
            Crs::Wgs84
        } else {
            Crs::Bng
        }
    });
    let crs = spec.crs.or(from_file).or(looks).unwrap_or(Crs::Bng);
    match looks {
        Some(l) if l != crs => Err(Error::Config {
            path: spec.display.clone(),
            message: format!(
                "the boundaries are said to be in {crs} but their coordinates look like {l}; declare the right crs for [[boundaries]] `{}`",
                spec.name
            ),
        }),
        _ => Ok(crs),
    }
}

fn in_bng(shape: MultiPolygon<f64>, crs: Crs) -> Option<MultiPolygon<f64>> {
    match crs {
        Crs::Bng => Some(shape),
        Crs::Wgs84 => shape
            .try_map_coords(|c| {
                crs::to_bng(c.x, c.y)
                    .map(|(x, y)| geo::coord! { x: x, y: y })
                    .ok_or(())
            })
            .ok(),
    }
}

/// A polygon or multipolygon as one multipolygon; anything else says what it is.
fn polygons(g: geo::Geometry<f64>) -> std::result::Result<MultiPolygon<f64>, String> {
    match g {
        geo::Geometry::Polygon(p) => Ok(MultiPolygon(vec![p])),
        geo::Geometry::MultiPolygon(m) => Ok(m),
        other => Err(format!(
            "the geometry is a {}, not a polygon: a boundary file holds areas",
            geometry_kind(&other)
        )),
    }
}

fn geometry_kind(g: &geo::Geometry<f64>) -> &'static str {
    match g {
        geo::Geometry::Point(_) | geo::Geometry::MultiPoint(_) => "point",
        geo::Geometry::Line(_)
        | geo::Geometry::LineString(_)
        | geo::Geometry::MultiLineString(_) => "line",
        _ => "collection of geometries",
    }
}

fn read_bytes(spec: &BoundarySpec) -> Result<Vec<u8>> {
    std::fs::read(&spec.path).map_err(|source| Error::Read {
        path: spec.display.clone(),
        source,
    })
}

fn missing_column(spec: &BoundarySpec, column: &str, found: &[String]) -> Error {
    Error::Header {
        at: Location::line(&spec.display, 1),
        message: format!(
            "no column `{column}` (found: {}); name the columns with code_column, name_column and geometry_column in [[boundaries]]",
            found.join(", ")
        ),
    }
}

fn from_csv(spec: &BoundarySpec) -> Result<Vec<Raw>> {
    let bytes = read_bytes(spec)?;
    let text =
        String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Error::Csv {
            at: Location::line(&spec.display, 1),
            message: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let find = |c: &str| header.iter().position(|h| h.eq_ignore_ascii_case(c));
    let column = |c: &str| find(c).ok_or_else(|| missing_column(spec, c, &header));
    let (code, name) = (column(&spec.code_column)?, column(&spec.name_column)?);
    let geometry = match &spec.geometry_column {
        Some(g) => column(g)?,
        None => ["geometry", "wkt", "the_geom"]
            .iter()
            .find_map(|c| find(c))
            .ok_or_else(|| missing_column(spec, "geometry", &header))?,
    };
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let at = Location::line(&spec.display, i as u64 + 2);
        let record = record.map_err(|e| Error::Csv {
            at: at.clone(),
            message: e.to_string(),
        })?;
        let field = |j: usize| record.get(j).unwrap_or_default().trim().to_string();
        let shape = wkt::Wkt::<f64>::from_str(&field(geometry))
            .map_err(|e| format!("the geometry is not WKT: {e}"))
            .and_then(|w| geo::Geometry::try_from(w).map_err(|e| format!("the geometry: {e}")));
        out.push(feature(at, field(code), field(name), shape)?);
    }
    Ok(out)
}

/// A feature: its geometry a polygon or multipolygon, its code present; else an error at `at`.
fn feature(
    at: Location,
    code: String,
    name: String,
    geometry: std::result::Result<geo::Geometry<f64>, String>,
) -> Result<Raw> {
    let shape = geometry.and_then(polygons).map_err(|message| Error::Row {
        at: at.clone(),
        message,
    })?;
    if code.is_empty() {
        return Err(Error::Row {
            at,
            message:
                "the feature has no code: every place needs one to be joined to the crime data"
                    .into(),
        });
    }
    Ok((at, code, name, shape))
}

fn from_shapefile(spec: &BoundarySpec) -> Result<(Vec<Raw>, Option<Crs>)> {
    let bad = |message: String| Error::Header {
        at: Location::file(&spec.display),
        message,
    };
    let rows =
        shapefile::read(&spec.path).map_err(|e| bad(format!("cannot read the shapefile: {e}")))?;
    let mut out = Vec::new();
    for (i, (shape, record)) in rows.into_iter().enumerate() {
        let at = Location::line(&spec.display, i as u64 + 1);
        let text = |c: &str| match record.get(c) {
            Some(shapefile::dbase::FieldValue::Character(v)) => Ok(v.clone().unwrap_or_default()),
            Some(other) => Ok(other.to_string()),
            None => Err(missing_column(
                spec,
                c,
                &record
                    .clone()
                    .into_iter()
                    .map(|(k, _)| k)
                    .collect::<Vec<_>>(),
            )),
        };
        let (code, name) = (text(&spec.code_column)?, text(&spec.name_column)?);
        let shape = geo::Geometry::<f64>::try_from(shape).map_err(|e| format!("the shape: {e}"));
        out.push(feature(
            at,
            code.trim().to_string(),
            name.trim().to_string(),
            shape,
        )?);
    }
    let prj = std::fs::read_to_string(spec.path.with_extension("prj")).ok();
    Ok((out, prj.as_deref().and_then(crs_of_prj)))
}

/// The coordinate system a shapefile's `.prj` names, when it is one saferstats reads.
fn crs_of_prj(prj: &str) -> Option<Crs> {
    let p = prj.to_ascii_lowercase();
    if p.contains("british_national_grid") || p.contains("osgb") {
        Some(Crs::Bng)
    } else if p.starts_with("geogcs") && (p.contains("wgs_1984") || p.contains("etrs")) {
        Some(Crs::Wgs84)
    } else {
        None
    }
}

fn from_geojson(spec: &BoundarySpec) -> Result<Vec<Raw>> {
    let bytes = read_bytes(spec)?;
    let bad = |message: String| Error::Header {
        at: Location::file(&spec.display),
        message,
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| bad("GeoJSON is UTF-8 text".into()))?;
    let collection = geojson::FeatureCollection::from_str(text)
        .map_err(|e| bad(format!("not a GeoJSON FeatureCollection: {e}")))?;
    let mut out = Vec::new();
    for (i, f) in collection.features.into_iter().enumerate() {
        let at = Location::line(&spec.display, i as u64 + 1);
        let prop = |c: &str| match f.property(c) {
            Some(serde_json::Value::String(s)) => s.trim().to_string(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(v) => v.to_string(),
        };
        let shape = f
            .geometry
            .clone()
            .ok_or_else(|| "the feature has no geometry".to_string())
            .and_then(|g| {
                geo::Geometry::<f64>::try_from(g).map_err(|e| format!("the geometry: {e}"))
            });
        out.push(feature(
            at,
            prop(&spec.code_column),
            prop(&spec.name_column),
            shape,
        )?);
    }
    Ok(out)
}
