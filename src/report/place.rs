//! The report's "Where" section: the LSOA map, the Gi* hotspot map, how concentrated crime is,
//! and the busiest anonymised places, each table also a sheet of the appendix.

use serde::Serialize;

use crate::error::Result;
use crate::model::Dataset;
use crate::render::chart::Labels;
use crate::render::map::{self, COLD, HOT, MapSpec};
use crate::render::sections::Section;
use crate::render::sheets;
use crate::render::table::xlsx::{Cell, ONE_DP};
use crate::report::artefacts::chart_artefact;
use crate::report::output::Artefact;
use crate::report::{FigureView, sources};
use crate::stats::concentration::concentration;
use crate::stats::place::{PlaceEvidence, PointTotal};

/// The section as the templates show it.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceView {
    pub heading: String,
    pub intro: String,
    pub concentration: String,
    pub maps: Vec<FigureView>,
    pub notes: Vec<String>,
    /// By LSOA, and the busiest points: in the section and in the appendix.
    pub tables: Vec<Section>,
}

/// How many of the busiest points the report lists.
const BUSIEST: usize = 10;

/// The view, its maps as artefacts, and its two tables.
pub fn build(
    ev: &PlaceEvidence,
    data: &Dataset,
    compared: &str,
    alpha: f64,
    artefacts: &mut Vec<Artefact>,
) -> Result<PlaceView> {
    let source = source_line(ev, data);
    let lsoas = lsoa_crimes(ev);
    let mut maps = Vec::new();
    let mut notes = Vec::new();
    if let Some(b) = &ev.boundaries {
        maps.push(choropleth(ev, b, &lsoas, compared, &source, artefacts)?);
        if let Some(m) = hotspot_map(ev, b, compared, alpha, &source, artefacts)? {
            maps.push(m);
        }
    } else if let Some(why) = &ev.no_boundaries {
        notes.push(format!(
            "No maps: {why}. The tables stand on data.police.uk's own LSOA codes."
        ));
    }
    let artefact_points = ev.points.iter().filter(|p| p.artefact).count();
    if artefact_points > 0 {
        notes.push(format!("{artefact_points} points hold over half of their LSOA's crime (of 10 or more): most likely snap points that take a whole area's crimes, a data artefact rather than a hotspot; flagged in the table."));
    }
    notes.push("Anti-social behaviour incidents are not recorded crime: they are counted apart and never in the totals, maps or hotspots.".into());
    Ok(PlaceView {
        heading: format!("Where crime concentrates: {}, {}", ev.area, ev.period),
        intro: format!(
            "Recorded crime by the LSOA and the anonymised street point data.police.uk gives each crime (its points are snapped to nearby streets to protect victims' privacy), {} (the latest financial year the street data covers whole).",
            ev.period
        ),
        concentration: concentration_sentence(&lsoas, &ev.points),
        maps,
        notes,
        tables: vec![
            lsoa_section(ev, &lsoas, &source),
            points_section(ev, &source),
        ],
    })
}

/// Each LSOA's recorded crimes and ASB incidents (code, name, crimes, ASB), busiest first.
fn lsoa_crimes(ev: &PlaceEvidence) -> Vec<(String, String, u64, u64)> {
    let mut by: std::collections::BTreeMap<&str, (u64, u64)> = std::collections::BTreeMap::new();
    for p in ev.points.iter().filter(|p| !p.lsoa_code.is_empty()) {
        let e = by.entry(p.lsoa_code.as_str()).or_default();
        (e.0, e.1) = (e.0 + p.crimes, e.1 + p.asb);
    }
    let name = |code: &str| {
        ev.boundaries
            .as_ref()
            .and_then(|b| b.places.iter().find(|p| p.code == code))
            .map_or_else(String::new, |p| p.name.clone())
    };
    let mut out: Vec<_> = by
        .into_iter()
        .map(|(c, (n, a))| (c.to_string(), name(c), n, a))
        .collect();
    out.sort_by_key(|r| std::cmp::Reverse(r.2));
    out
}

fn source_line(ev: &PlaceEvidence, data: &Dataset) -> String {
    let mut used: Vec<usize> = data
        .points
        .iter()
        .filter(|p| *p.area == *ev.area)
        .map(|p| p.input)
        .collect();
    used.sort_unstable();
    used.dedup();
    let mut line = format!("Source: {}", sources::line(data, &used));
    if let Some(b) = &ev.boundaries {
        line += &format!(
            "; boundaries: Office for National Statistics ({})",
            b.display
        );
    }
    line + "."
}

fn concentration_sentence(lsoas: &[(String, String, u64, u64)], points: &[PointTotal]) -> String {
    let by_lsoa: Vec<u64> = lsoas.iter().map(|l| l.2).filter(|&n| n > 0).collect();
    let by_point: Vec<u64> = points.iter().map(|p| p.crimes).filter(|&n| n > 0).collect();
    let (l, p) = (concentration(&by_lsoa), concentration(&by_point));
    let f = |x: Option<f64>| x.map_or_else(|| "n/a".to_string(), |x| format!("{x:.2}"));
    let pct =
        |x: Option<f64>| x.map_or_else(|| "n/a".to_string(), |x| format!("{:.1}%", 100.0 * x));
    let generalised = match (p.generalised, p.gini) {
        (Some(g), Some(s)) if (g - s).abs() > 5e-3 => format!(
            " (generalised for there being fewer crimes than points: {})",
            f(Some(g))
        ),
        _ => String::new(),
    };
    format!(
        "Across the {} LSOAs where crime was recorded, the Gini coefficient is {} (0: every LSOA alike; 1: all crime in one) and the busiest 5% of them hold {} of it; across the {} anonymised points, the Gini is {}{generalised} and the busiest 5% hold {}.",
        l.places,
        f(l.gini),
        pct(l.top5),
        p.places,
        f(p.gini),
        pct(p.top5)
    )
}

/// The extent of `shapes`, padded by a tenth on each side.
fn extent<'a>(
    shapes: impl Iterator<Item = &'a geo::MultiPolygon<f64>>,
) -> Option<(f64, f64, f64, f64)> {
    let rects: Vec<geo::Rect<f64>> = shapes
        .filter_map(geo::BoundingRect::bounding_rect)
        .collect();
    let x0 = rects.iter().map(|r| r.min().x).reduce(f64::min)?;
    let y0 = rects.iter().map(|r| r.min().y).reduce(f64::min)?;
    let x1 = rects.iter().map(|r| r.max().x).reduce(f64::max)?;
    let y1 = rects.iter().map(|r| r.max().y).reduce(f64::max)?;
    let (dx, dy) = ((x1 - x0) / 10.0, (y1 - y0) / 10.0);
    Some((x0 - dx, y0 - dy, x1 + dx, y1 + dy))
}

/// The places overlapping `extent`, for context outlines; and those named for `compared` (LSOA
/// names begin with their local authority's), drawn heavier.
fn context(
    b: &crate::model::place::Boundaries,
    ext: (f64, f64, f64, f64),
    compared: &str,
) -> (Vec<geo::MultiPolygon<f64>>, Vec<geo::MultiPolygon<f64>>) {
    use geo::Intersects;
    let window = geo::Rect::new(
        geo::coord! { x: ext.0, y: ext.1 },
        geo::coord! { x: ext.2, y: ext.3 },
    );
    let near: Vec<_> = b
        .places
        .iter()
        .filter(|p| p.shape.intersects(&window))
        .collect();
    let area = near
        .iter()
        .filter(|p| !compared.is_empty() && p.name.starts_with(compared))
        .map(|p| p.shape.clone())
        .collect();
    (near.iter().map(|p| p.shape.clone()).collect(), area)
}

/// A drawn map as a figure of the report, its SVG and PNG as artefacts.
fn drawn(
    name: String,
    spec: &MapSpec,
    labels: Labels,
    (heading, caption): (&str, &str),
    artefacts: &mut Vec<Artefact>,
) -> Result<FigureView> {
    let figure = map::map(spec, &labels)?;
    let chart = chart_artefact(&name, labels, figure, artefacts);
    Ok(FigureView {
        heading: heading.into(),
        caption: caption.into(),
        chart,
    })
}

/// The LSOA choropleth's title: the busiest LSOA's share, a finding.
fn choropleth_title(ev: &PlaceEvidence, lsoas: &[(String, String, u64, u64)]) -> String {
    let total: u64 = lsoas.iter().map(|l| l.2).sum();
    match lsoas.first() {
        Some(top) if total > 0 => format!(
            "{} holds {:.0}% of the recorded crime located in {} LSOAs, {}",
            if top.1.is_empty() { &top.0 } else { &top.1 },
            100.0 * top.2 as f64 / total as f64,
            lsoas.len(),
            ev.period
        ),
        _ => format!("Recorded crime by LSOA, {}", ev.period),
    }
}

fn choropleth(
    ev: &PlaceEvidence,
    b: &crate::model::place::Boundaries,
    lsoas: &[(String, String, u64, u64)],
    compared: &str,
    source: &str,
    artefacts: &mut Vec<Artefact>,
) -> Result<FigureView> {
    let shape = |code: &str| b.places.iter().find(|p| p.code == code).map(|p| &p.shape);
    let drawn_lsoas: Vec<_> = lsoas
        .iter()
        .filter_map(|l| Some((shape(&l.0)?, l.2)))
        .collect();
    let counts: Vec<u64> = drawn_lsoas.iter().map(|(_, n)| *n).collect();
    let breaks = map::quintiles(&counts);
    let filled: Vec<_> = drawn_lsoas
        .iter()
        .map(|(s, n)| ((*s).clone(), map::BLUES[map::class_of(*n, &breaks)]))
        .collect();
    let ext = extent(filled.iter().map(|(s, _)| s)).unwrap_or((0.0, 0.0, 1.0, 1.0));
    let (outlines, area) = context(b, ext, compared);
    let labels = Labels {
        title: choropleth_title(ev, lsoas),
        subtitle: format!(
            "Recorded crimes by LSOA, {} (quintile classes; the partnership's own LSOAs outlined in black)",
            ev.period
        ),
        source: source.to_string(),
    };
    let legend = map::class_legend(&counts, &breaks);
    let spec = MapSpec {
        filled,
        outlines,
        area,
        legend,
        extent: ext,
    };
    let words = (
        "Recorded crime by LSOA",
        "Darker LSOAs hold more recorded crime; classes are quintiles (as near equal numbers of LSOAs in each as ties allow). Counts are by the LSOA data.police.uk gives each crime.",
    );
    drawn(
        format!("map-lsoa-{}", ev.period.slug()),
        &spec,
        labels,
        words,
        artefacts,
    )
}

fn square(h: &crate::stats::hotspot::Hot, size: f64) -> geo::MultiPolygon<f64> {
    let r = geo::Rect::new(
        geo::coord! { x: h.x, y: h.y },
        geo::coord! { x: h.x + size, y: h.y + size },
    );
    geo::MultiPolygon(vec![r.to_polygon()])
}

fn hotspot_map(
    ev: &PlaceEvidence,
    b: &crate::model::place::Boundaries,
    compared: &str,
    alpha: f64,
    source: &str,
    artefacts: &mut Vec<Artefact>,
) -> Result<Option<FigureView>> {
    let Some((cells, size)) = &ev.grid else {
        return Ok(None);
    };
    let marked: Vec<_> = cells
        .iter()
        .filter_map(|(h, q)| match h.spot(*q, alpha) {
            "hot" => Some((h, HOT)),
            "cold" => Some((h, COLD)),
            _ => None,
        })
        .collect();
    let filled = marked.iter().map(|(h, c)| (square(h, *size), *c)).collect();
    let hot = marked.iter().filter(|(_, c)| *c == HOT).count();
    let squares: Vec<_> = cells.iter().map(|(h, _)| square(h, *size)).collect();
    let ext = extent(squares.iter()).unwrap_or((0.0, 0.0, 1.0, 1.0));
    let (outlines, area) = context(b, ext, compared);
    let n = cells.len();
    let labels = Labels {
        title: format!(
            "{hot} of {n} grid cells of {size:.0} m are hotspots of recorded crime beyond chance, {}",
            ev.period
        ),
        subtitle: format!(
            "Getis-Ord Gi* on sfhotspot's grid, neighbours within one cell diagonal; p-values adjusted for the {n} cells; hot or cold at q <= {alpha}"
        ),
        source: source.to_string(),
    };
    let legend = vec![("Hotspot".to_string(), HOT), ("Coldspot".to_string(), COLD)];
    let spec = MapSpec {
        filled,
        outlines,
        area,
        legend,
        extent: ext,
    };
    let words = (
        "Hotspots",
        "Cells where crime in and around the cell is higher (hot) or lower (cold) than across the whole grid by more than chance, after allowing for testing every cell. A hotspot of snapped points can be a snap artefact: see the busiest places below.",
    );
    let name = format!("map-hotspots-{}", ev.period.slug());
    drawn(name, &spec, labels, words, artefacts).map(Some)
}

/// A cell as the HTML and Markdown tables show it.
fn shown(c: &Cell) -> String {
    match c {
        Cell::Text(t) => t.clone(),
        Cell::Count(n) => crate::render::format::thousands(*n),
        Cell::Number(x, _) => format!("{x:.1}"),
        Cell::Unavailable => "[x]".into(),
    }
}

/// A table section from its typed cells: the report shows them as text, the appendix as they are.
fn typed_section(
    (id, heading, intro): (&str, String, String),
    names: &[&str],
    body: Vec<Vec<Cell>>,
    source: &str,
) -> Section {
    let numeric = body
        .first()
        .map(|r| {
            r.iter()
                .map(|c| matches!(c, Cell::Count(_) | Cell::Number(..)))
                .collect()
        })
        .unwrap_or_else(|| vec![false; names.len()]);
    Section {
        id: id.into(),
        heading,
        intro,
        header: sheets::plain_header(names),
        rows: body.iter().map(|r| r.iter().map(shown).collect()).collect(),
        notes: Vec::new(),
        numeric,
        sheet: (sheets::plain_header(names), body),
        source: source
            .trim_start_matches("Source: ")
            .trim_end_matches('.')
            .to_string(),
    }
}

fn lsoa_section(ev: &PlaceEvidence, lsoas: &[(String, String, u64, u64)], source: &str) -> Section {
    let total: u64 = lsoas.iter().map(|l| l.2).sum();
    let share = |n: u64| {
        if total > 0 {
            100.0 * n as f64 / total as f64
        } else {
            0.0
        }
    };
    let body = lsoas
        .iter()
        .map(|(c, name, n, a)| {
            vec![
                Cell::Text(c.clone()),
                Cell::Text(name.clone()),
                Cell::Count(*n as i64),
                Cell::Number(share(*n), ONE_DP),
                Cell::Count(*a as i64),
            ]
        })
        .collect();
    let intro = format!(
        "{} recorded crimes located by data.police.uk in {} LSOAs, busiest first; crimes without a location are not here.",
        crate::render::format::thousands(total as i64),
        lsoas.len()
    );
    let heading = format!("Where: recorded crime by LSOA, {}", ev.period);
    let names = [
        "LSOA",
        "Name",
        "Recorded crimes",
        "Share of located crime (%)",
        "ASB incidents",
    ];
    typed_section(("where-lsoa", heading, intro), &names, body, source)
}

fn points_section(ev: &PlaceEvidence, source: &str) -> Section {
    // The busiest points, and every point flagged as a snap artefact however busy.
    let top = ev
        .points
        .iter()
        .filter(|p| p.crimes > 0)
        .enumerate()
        .filter(|(i, p)| *i < BUSIEST || p.artefact)
        .map(|(_, p)| p);
    let flag = |p: &PointTotal| {
        if p.artefact {
            "snap artefact: most of its LSOA's crime"
        } else {
            ""
        }
    };
    let body = top
        .map(|p| {
            vec![
                Cell::Text(p.location.clone()),
                Cell::Text(p.lsoa_code.clone()),
                Cell::Count(p.crimes as i64),
                Cell::Number(100.0 * p.share_of_lsoa, ONE_DP),
                Cell::Text(flag(p).to_string()),
            ]
        })
        .collect();
    let intro = format!(
        "The {BUSIEST} anonymised street points with the most recorded crime, and any point that holds most of its LSOA's crime. `On or near` names the street a point was snapped to, not an address."
    );
    let heading = format!("Where: the busiest places, {}", ev.period);
    let names = [
        "Location",
        "LSOA",
        "Recorded crimes",
        "Share of its LSOA's crime (%)",
        "Note",
    ];
    typed_section(("where-points", heading, intro), &names, body, source)
}
