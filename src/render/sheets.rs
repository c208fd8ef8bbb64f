//! The one-table sections as data-appendix sheets: the same figures as the report's tables, typed
//! for a spreadsheet. A rate and its interval bounds are three numeric columns, percentages and
//! percentage points are numbers with a number format, p-values show small values, and periods
//! are text (2019 is a year, never the number 2,019).

use crate::model::{PartnerFigure, Unit, Value};
use crate::render::format::thousands;
use crate::render::table::xlsx::{Cell, ONE_DP, P_VALUE, THREE_DP};
use crate::stats::Change;
use crate::stats::peers::PeerRow;
use crate::stats::rates::RateRow;

/// A sheet's header and typed rows.
pub type Sheet = (Vec<String>, Vec<Vec<Cell>>);

fn number(x: Option<f64>, format: &'static str) -> Cell {
    x.filter(|x| x.is_finite())
        .map_or(Cell::Unavailable, |x| Cell::Number(x, format))
}

/// Rates: category and count, then per denominator the rate and its interval's bounds.
pub fn rates(rows: &[RateRow], names: &[&str], per: f64, confidence: &str) -> Sheet {
    let per = thousands(per as i64);
    let mut header = vec!["Category".to_string(), "Count".to_string()];
    for n in names {
        header.push(format!("Rate per {per} {n}"));
        header.push(format!("{n}: {confidence} interval, lower"));
        header.push(format!("{n}: {confidence} interval, upper"));
    }
    let mut body: Vec<Vec<Cell>> = Vec::new();
    let mut order: Vec<&str> = Vec::new();
    for r in rows {
        let cells = [r.rate, r.ci_low, r.ci_high].map(|x| number(Some(x), THREE_DP));
        match order.iter().position(|c| *c == r.category) {
            Some(i) => body[i].extend(cells),
            None => {
                order.push(&r.category);
                let mut row = vec![Cell::Text(r.category.clone()), Cell::Count(r.count)];
                row.extend(cells);
                body.push(row);
            }
        }
    }
    (header, body)
}

/// The comparison's change columns as numbers: counts, change, percentage and p-value.
pub fn change_cells(c: &Change) -> Vec<Cell> {
    vec![
        Cell::Count(c.from_count),
        Cell::Count(c.to_count),
        Cell::Count(c.change),
        number(c.pct_change, ONE_DP),
        number(c.p_value, P_VALUE),
        Cell::Text(if c.significant { "yes" } else { "no" }.into()),
    ]
}

/// Peers: the shown header (area, periods, change, test), then the rate and its bounds.
pub fn peers(rows: &[PeerRow], shown_header: &[String], rate_named: bool) -> Sheet {
    let mut header: Vec<String> = shown_header.to_vec();
    if rate_named {
        let rate = header.pop().unwrap_or_default();
        header.extend([
            rate,
            "Rate interval, lower".into(),
            "Rate interval, upper".into(),
        ]);
    }
    let body = rows
        .iter()
        .map(|r| {
            let mut row = vec![Cell::Text(r.area.clone())];
            row.extend(change_cells(&r.change));
            if rate_named {
                let rate = r.rate.as_ref();
                row.extend([
                    number(rate.map(|x| x.rate), THREE_DP),
                    number(rate.map(|x| x.low), THREE_DP),
                    number(rate.map(|x| x.high), THREE_DP),
                ]);
            }
            row
        })
        .collect();
    (header, body)
}

/// Partner figures, sorted as the section shows them (with each figure's previous one).
pub fn partner(rows: &[(&PartnerFigure, Option<&PartnerFigure>)]) -> Sheet {
    let header = [
        "Measure",
        "Area",
        "Period",
        "Unit",
        "Value",
        "Change on previous period (percentage points for a percentage)",
        "Source",
        "Note",
    ]
    .map(String::from)
    .to_vec();
    let body = rows
        .iter()
        .map(|(f, before)| {
            vec![
                Cell::Text(f.measure.clone()),
                Cell::Text(f.area.clone()),
                Cell::Text(f.period.to_string()),
                Cell::Text(format!("{:?}", f.unit).to_lowercase()),
                value(f),
                before.map_or(Cell::Text(String::new()), |b| change(b, f)),
                Cell::Text(f.source.clone()),
                Cell::Text(f.note.clone().unwrap_or_default()),
            ]
        })
        .collect();
    (header, body)
}

fn value(f: &PartnerFigure) -> Cell {
    match (&f.value, f.unit) {
        (Value::Count(n), _) => Cell::Count(*n),
        (Value::Measure(x), Unit::Percent) => number(Some(*x), ONE_DP),
        (Value::Measure(x), _) => number(Some(*x), "General"),
        (Value::Suppressed(marker), _) => Cell::Text(marker.clone()),
    }
}

fn change(before: &PartnerFigure, after: &PartnerFigure) -> Cell {
    match (&before.value, &after.value, after.unit) {
        (Value::Count(a), Value::Count(b), _) => Cell::Count(b - a),
        (Value::Measure(a), Value::Measure(b), Unit::Percent) => number(Some(b - a), ONE_DP),
        (Value::Measure(a), Value::Measure(b), _) => number(Some(b - a), "General"),
        _ => Cell::Text(String::new()),
    }
}

/// Every category's long view in full: the trend's change and bounds as numbers.
pub fn long_term(areas: &[crate::render::sections::AreaViews]) -> Sheet {
    let header = [
        "Category",
        "Area",
        "From",
        "To",
        "Years",
        "Average annual change (%)",
        "Lower bound (%)",
        "Upper bound (%)",
        "Dispersion",
        "Seasonal peak",
        "Peak index",
        "Note",
    ]
    .map(String::from)
    .to_vec();
    let mut body = Vec::new();
    for (area, views) in areas {
        for v in views {
            let t = v.trend.as_ref();
            body.push(vec![
                Cell::Text(v.category.clone()),
                Cell::Text(area.clone()),
                Cell::Text(v.from.to_string()),
                Cell::Text(v.to.to_string()),
                t.map_or(Cell::Unavailable, |t| Cell::Count(t.years as i64)),
                number(t.map(|t| t.annual_change), ONE_DP),
                number(t.map(|t| t.low), ONE_DP),
                number(t.map(|t| t.high), ONE_DP),
                number(t.map(|t| t.dispersion), THREE_DP),
                v.peak
                    .as_ref()
                    .map_or(Cell::Unavailable, |p| Cell::Text(p.0.clone())),
                number(v.peak.as_ref().map(|p| p.1), ONE_DP),
                Cell::Text(crate::render::spc::long_note(v)),
            ]);
        }
    }
    (header, body)
}

/// A sheet header from its column names.
pub fn plain_header(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}
