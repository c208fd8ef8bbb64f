//! The `place` tables: crimes by place, the change per LSOA, and grid hotspots.

use std::collections::BTreeMap;

use crate::render::format::{p_value, sig4};
use crate::stats::hotspot::Hot;
use crate::stats::place::{PlaceChange, Placed};

/// `place --by lsoa --period` columns.
pub const PLACE_COLUMNS: [&str; 6] = [
    "area",
    "period",
    "lsoa_code",
    "lsoa_name",
    "category",
    "count",
];

/// Located counts by place and crime type, each place named as its boundary file names it.
pub fn place_rows(
    area: &str,
    period: &str,
    placed: &Placed,
    names: &BTreeMap<&str, &str>,
) -> Vec<Vec<String>> {
    placed
        .by_place
        .iter()
        .map(|((code, category), n)| {
            vec![
                area.to_string(),
                period.to_string(),
                code.clone(),
                names
                    .get(code.as_str())
                    .map_or_else(String::new, |n| n.to_string()),
                category.clone(),
                n.to_string(),
            ]
        })
        .collect()
}

/// `place --by lsoa --from --to` columns.
pub const CHANGE_COLUMNS: [&str; 14] = [
    "area",
    "from_period",
    "to_period",
    "lsoa_code",
    "lsoa_name",
    "category",
    "from_count",
    "to_count",
    "change",
    "pct_change",
    "p_value",
    "q_value",
    "significant",
    "test",
];

/// Each LSOA x crime type's change, with its test.
pub fn change_rows(area: &str, from: &str, to: &str, changes: &[PlaceChange]) -> Vec<Vec<String>> {
    changes
        .iter()
        .map(|c| {
            let ch = &c.change;
            vec![
                area.to_string(),
                from.to_string(),
                to.to_string(),
                shown_code(&c.lsoa_code),
                c.lsoa_name.clone(),
                ch.category.to_string(),
                ch.from_count.to_string(),
                ch.to_count.to_string(),
                ch.change.to_string(),
                ch.pct_change
                    .map_or_else(String::new, |p| format!("{p:.1}")),
                p_value(ch.p_value),
                p_value(ch.q_value),
                ch.significant.to_string(),
                ch.test.label().to_string(),
            ]
        })
        .collect()
}

/// An LSOA code, or `(no location)` for the rows data.police.uk gives none (as `counts --by lsoa`).
fn shown_code(code: &str) -> String {
    if code.is_empty() {
        "(no location)".into()
    } else {
        code.to_string()
    }
}

/// `place --by grid` columns.
pub const GRID_COLUMNS: [&str; 9] = [
    "area", "period", "x_min", "y_min", "count", "gistar", "p_value", "q_value", "hotspot",
];

/// Each grid cell (lower-left corner in National Grid metres), its Gi* and adjusted p-value, and
/// `hot` or `cold` where the adjusted p-value is at or below `alpha`.
pub fn grid_rows(
    area: &str,
    period: &str,
    cells: &[(Hot, Option<f64>)],
    alpha: f64,
) -> Vec<Vec<String>> {
    cells
        .iter()
        .map(|(h, q)| {
            let class = h.spot(*q, alpha);
            vec![
                area.to_string(),
                period.to_string(),
                format!("{:.1}", h.x),
                format!("{:.1}", h.y),
                h.n.to_string(),
                sig4(Some(h.z)),
                p_value(Some(h.p)),
                p_value(*q),
                class.to_string(),
            ]
        })
        .collect()
}

/// `place --by point` columns.
pub const POINT_COLUMNS: [&str; 10] = [
    "area",
    "period",
    "location",
    "longitude",
    "latitude",
    "lsoa_code",
    "count",
    "asb",
    "share_of_lsoa",
    "artefact",
];

/// Each anonymised point, busiest first (recorded crime; anti-social behaviour apart), with its
/// share of its LSOA's crime and the artefact flag.
pub fn point_rows(
    area: &str,
    period: &str,
    points: &[crate::stats::place::PointTotal],
) -> Vec<Vec<String>> {
    points
        .iter()
        .map(|p| {
            vec![
                area.to_string(),
                period.to_string(),
                p.location.clone(),
                p.longitude.to_string(),
                p.latitude.to_string(),
                shown_code(&p.lsoa_code),
                p.crimes.to_string(),
                p.asb.to_string(),
                format!("{:.3}", p.share_of_lsoa),
                p.artefact.to_string(),
            ]
        })
        .collect()
}

/// Every month, point and crime type with crimes, in the `points` source's columns, in order of
/// month, area, LSOA, location and coordinates.
pub fn point_detail_rows(points: &[&crate::model::place::PointRecord]) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for p in points {
        for (t, &n) in p.counts.iter().enumerate().filter(|(_, n)| **n > 0) {
            rows.push(vec![
                p.month.to_string(),
                p.area.to_string(),
                p.location.to_string(),
                p.longitude.to_string(),
                p.latitude.to_string(),
                p.lsoa_code.to_string(),
                crate::harmonise::police_uk::CRIME_TYPES[t].to_string(),
                n.to_string(),
            ]);
        }
    }
    rows.sort_by(|a, b| {
        (&a[0], &a[1], &a[5], &a[2], &a[3], &a[4], &a[6])
            .cmp(&(&b[0], &b[1], &b[5], &b[2], &b[3], &b[4], &b[6]))
    });
    rows
}

/// `place --by grid --classify` columns.
pub const CLASS_COLUMNS: [&str; 8] = [
    "area",
    "period",
    "x_min",
    "y_min",
    "count",
    "hot_months",
    "cold_months",
    "class",
];

/// Each cell's pattern over the period's months.
pub fn class_rows(
    area: &str,
    period: &str,
    cells: &[crate::stats::place::CellPattern],
) -> Vec<Vec<String>> {
    cells
        .iter()
        .map(|c| {
            vec![
                area.to_string(),
                period.to_string(),
                format!("{:.1}", c.x),
                format!("{:.1}", c.y),
                c.n.to_string(),
                c.hot.to_string(),
                c.cold.to_string(),
                c.class.label().to_string(),
            ]
        })
        .collect()
}

/// `place --by point --from --to` columns.
pub const POINT_CHANGE_COLUMNS: [&str; 15] = [
    "area",
    "from_period",
    "to_period",
    "location",
    "longitude",
    "latitude",
    "lsoa_code",
    "from_count",
    "to_count",
    "change",
    "pct_change",
    "p_value",
    "q_value",
    "significant",
    "test",
];

/// Each point's change in recorded crime, with its test.
pub fn point_change_rows(
    area: &str,
    (from, to): (&str, &str),
    changes: &[crate::stats::place::PointChange],
) -> Vec<Vec<String>> {
    changes
        .iter()
        .map(|c| {
            let ch = &c.change;
            vec![
                area.to_string(),
                from.to_string(),
                to.to_string(),
                c.location.clone(),
                c.longitude.to_string(),
                c.latitude.to_string(),
                shown_code(&c.lsoa_code),
                ch.from_count.to_string(),
                ch.to_count.to_string(),
                ch.change.to_string(),
                ch.pct_change
                    .map_or_else(String::new, |p| format!("{p:.1}")),
                p_value(ch.p_value),
                p_value(ch.q_value),
                ch.significant.to_string(),
                ch.test.label().to_string(),
            ]
        })
        .collect()
}

/// `place --by lsoa --period` columns when LSOA populations are given.
pub const PLACE_RATE_COLUMNS: [&str; 10] = [
    "area",
    "period",
    "lsoa_code",
    "lsoa_name",
    "category",
    "count",
    "population",
    "rate",
    "rate_low",
    "rate_high",
];

/// [`PLACE_COLUMNS`] rows with each LSOA's population and the rate per `per` residents with its
/// interval (Byar; exact Poisson below 10, as `rates`); blank where the LSOA has no population.
pub fn with_rates(
    rows: Vec<Vec<String>>,
    populations: &BTreeMap<String, f64>,
    per: f64,
    confidence: f64,
) -> Vec<Vec<String>> {
    rows.into_iter()
        .map(|mut row| {
            let count: u64 = row[5].parse().unwrap_or(0);
            let rate = populations.get(&row[2]).and_then(|&p| {
                crate::stats::rates::rate(count, p, per, confidence).map(|r| (p, r))
            });
            match rate {
                Some((p, r)) => row.extend([
                    format!("{p}"),
                    format!("{:.3}", r.rate),
                    format!("{:.3}", r.low),
                    format!("{:.3}", r.high),
                ]),
                None => row.extend(std::iter::repeat_n(String::new(), 4)),
            }
            row
        })
        .collect()
}
