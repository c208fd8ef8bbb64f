//! The "Where" section's maps: recorded crime by LSOA, the Gi* hotspot grid, the grid's cells
//! classified over the months, and the change by LSOA with its test. Each has a finding as title
//! and is drawn by [`crate::render::map`] in the house style.

use crate::error::Result;
use crate::model::place::Boundaries;
use crate::render::chart::{Formats, Labels};
use crate::render::map::{self, COLD, HOT, MapSpec};
use crate::report::FigureView;
use crate::report::artefacts::chart_artefact;
use crate::report::output::Artefact;
use crate::stats::hotspot::Class;
use crate::stats::place::PlaceEvidence;

/// What every map of the section shares: the area compared (outlined), the source line.
pub(super) struct Context<'a> {
    pub compared: &'a str,
    pub source: &'a str,
    pub alpha: f64,
    pub formats: Formats,
}

/// Every map the evidence allows, in the section's order.
pub(super) fn maps(
    ev: &PlaceEvidence,
    b: &Boundaries,
    lsoas: &[(String, String, u64, u64)],
    cx: &Context,
    artefacts: &mut Vec<Artefact>,
) -> Result<Vec<FigureView>> {
    let mut out = vec![choropleth(ev, b, lsoas, cx, artefacts)?];
    out.extend(hotspot_map(ev, b, cx, artefacts)?);
    out.extend(class_map(ev, b, cx, artefacts)?);
    out.extend(change_map(ev, b, cx, artefacts)?);
    Ok(out)
}

const CLASSES: [Class; 9] = [
    Class::PersistentHotspot,
    Class::EmergingHotspot,
    Class::IntermittentHotspot,
    Class::FormerHotspot,
    Class::PersistentColdspot,
    Class::EmergingColdspot,
    Class::IntermittentColdspot,
    Class::FormerColdspot,
    Class::Mixed,
];

/// The grid's cells by their pattern over the period's months (sfhotspot's classes).
fn class_map(
    ev: &PlaceEvidence,
    b: &Boundaries,
    cx: &Context,
    artefacts: &mut Vec<Artefact>,
) -> Result<Option<FigureView>> {
    let Some((cells, size)) = &ev.classes else {
        return Ok(None);
    };
    let filled: Vec<_> = cells
        .iter()
        .filter_map(|c| Some((square(c.x, c.y, *size), map::class_colour(c.class)?)))
        .collect();
    let count = |k: Class| cells.iter().filter(|c| c.class == k).count();
    let legend: Vec<_> = CLASSES
        .iter()
        .filter(|&&k| count(k) > 0)
        .filter_map(|&k| {
            Some((
                format!("{} ({})", capitalised(k.label()), count(k)),
                map::class_colour(k)?,
            ))
        })
        .collect();
    let squares: Vec<_> = cells.iter().map(|c| square(c.x, c.y, *size)).collect();
    let ext = extent(squares.iter()).unwrap_or((0.0, 0.0, 1.0, 1.0));
    let persistent = count(Class::PersistentHotspot);
    let months = ev.period.month_count();
    let labels = Labels {
        title: format!(
            "{persistent} of {} grid cells were hotspots in at least 80% of the {months} months, {}",
            crate::render::format::thousands(cells.len() as i64),
            ev.period
        ),
        subtitle: format!(
            "Gi* month by month on the year's {size:.0} m grid, Holm-adjusted across the months; classes as sfhotspot's hotspot_classify defines them"
        ),
        source: cx.source.to_string(),
    };
    let spec = framed(b, cx.compared, filled, legend, ext);
    let words = (
        "Hotspots month by month",
        "Each cell's pattern over the year's months: persistent (a hotspot in 80% of them or more), emerging (in the recent months but not the earlier), former (the reverse), intermittent (now and then); the same for coldspots; mixed for both. Unshaded cells show no pattern.",
    );
    let name = format!("map-hotspot-classes-{}", ev.period.slug());
    drawn(name, &spec, labels, words, (cx.formats, artefacts)).map(Some)
}

/// A change's class on the map: 0 rise beyond chance, 1 rise within ordinary variation, 2 no
/// change, 3 fall within ordinary variation, 4 fall beyond chance.
fn change_class(c: &crate::stats::Change) -> usize {
    match (c.change.signum(), c.significant) {
        (1, true) => 0,
        (1, false) => 1,
        (0, _) => 2,
        (_, false) => 3,
        (_, true) => 4,
    }
}

/// The classes present, each with its count of LSOAs.
fn change_legend(tally: &[usize; 5]) -> Vec<(String, map::Colour)> {
    const NAMES: [&str; 5] = [
        "Rise beyond chance",
        "Rise within ordinary variation",
        "No change",
        "Fall within ordinary variation",
        "Fall beyond chance",
    ];
    map::CHANGE
        .into_iter()
        .enumerate()
        .filter(|(i, _)| tally[*i] > 0)
        .map(|(i, c)| (format!("{} ({})", NAMES[i], tally[i]), c))
        .collect()
}

/// Each LSOA's change in recorded crime between the two periods, classed by its test.
fn change_map(
    ev: &PlaceEvidence,
    b: &Boundaries,
    cx: &Context,
    artefacts: &mut Vec<Artefact>,
) -> Result<Option<FigureView>> {
    let Some(((from, to), changes)) = &ev.change else {
        return Ok(None);
    };
    let shape = |code: &str| b.places.iter().find(|p| p.code == code).map(|p| &p.shape);
    let drawn_lsoas: Vec<_> = changes
        .iter()
        .filter_map(|c| Some((shape(&c.lsoa_code)?, change_class(&c.change))))
        .collect();
    let filled: Vec<_> = drawn_lsoas
        .iter()
        .map(|(s, k)| ((*s).clone(), map::CHANGE[*k]))
        .collect();
    let mut tally = [0usize; 5];
    drawn_lsoas.iter().for_each(|(_, k)| tally[*k] += 1);
    let legend = change_legend(&tally);
    let ext = extent(filled.iter().map(|(s, _)| s)).unwrap_or((0.0, 0.0, 1.0, 1.0));
    let n = drawn_lsoas.len();
    let title = match (tally[0], tally[4]) {
        (0, 0) => {
            format!("No LSOA's recorded crime changed beyond ordinary variation, {from} to {to}")
        }
        (up, down) => {
            format!("{up} LSOAs rose and {down} fell beyond ordinary variation, {from} to {to}")
        }
    };
    let labels = Labels {
        title,
        subtitle: format!(
            "Recorded crime per LSOA (anti-social behaviour apart), the comparison's test; beyond chance at q <= {} across the {n} LSOAs",
            cx.alpha
        ),
        source: cx.source.to_string(),
    };
    let spec = framed(b, cx.compared, filled, legend, ext);
    let words = (
        "Change by LSOA",
        "Each LSOA's recorded crime in the later period against the earlier one of the same months, classed by the comparison's test, so a rise of a few crimes in a quiet LSOA is not shown as a surge. Darker shades changed beyond ordinary variation after allowing for testing every LSOA.",
    );
    let name = format!("map-change-{}-{}", from.slug(), to.slug());
    drawn(name, &spec, labels, words, (cx.formats, artefacts)).map(Some)
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

/// A map of `filled` shapes within `ext`, the boundary file's places around them outlined and
/// the partnership's own drawn heavier.
fn framed(
    b: &Boundaries,
    compared: &str,
    filled: Vec<(geo::MultiPolygon<f64>, map::Colour)>,
    legend: Vec<(String, map::Colour)>,
    ext: (f64, f64, f64, f64),
) -> MapSpec {
    let (outlines, area) = context(b, ext, compared);
    MapSpec {
        filled,
        outlines,
        area,
        legend,
        extent: ext,
    }
}

/// A drawn map as a figure of the report, its SVG (and PNG where asked) as artefacts.
fn drawn(
    name: String,
    spec: &MapSpec,
    labels: Labels,
    (heading, caption): (&str, &str),
    (formats, artefacts): (Formats, &mut Vec<Artefact>),
) -> Result<FigureView> {
    let figure = map::map(spec, &labels, formats)?;
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

pub(super) fn choropleth(
    ev: &PlaceEvidence,
    b: &crate::model::place::Boundaries,
    lsoas: &[(String, String, u64, u64)],
    cx: &Context,
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
    let labels = Labels {
        title: choropleth_title(ev, lsoas),
        subtitle: format!(
            "Recorded crimes by LSOA, {} (quintile classes; the partnership's own LSOAs outlined in black)",
            ev.period
        ),
        source: cx.source.to_string(),
    };
    let legend = map::class_legend(&counts, &breaks);
    let spec = framed(b, cx.compared, filled, legend, ext);
    let words = (
        "Recorded crime by LSOA",
        "Darker LSOAs hold more recorded crime; classes are quintiles (as near equal numbers of LSOAs in each as ties allow). Counts are by the LSOA data.police.uk gives each crime.",
    );
    drawn(
        format!("map-lsoa-{}", ev.period.slug()),
        &spec,
        labels,
        words,
        (cx.formats, artefacts),
    )
}

/// The grid cell whose lower-left corner is (`x`, `y`).
fn square(x: f64, y: f64, size: f64) -> geo::MultiPolygon<f64> {
    geo::MultiPolygon(vec![crate::stats::hotspot::cell_polygon(x, y, size)])
}

pub(super) fn hotspot_map(
    ev: &PlaceEvidence,
    b: &crate::model::place::Boundaries,
    cx: &Context,
    artefacts: &mut Vec<Artefact>,
) -> Result<Option<FigureView>> {
    let alpha = cx.alpha;
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
    let filled = marked
        .iter()
        .map(|(h, c)| (square(h.x, h.y, *size), *c))
        .collect();
    let hot = marked.iter().filter(|(_, c)| *c == HOT).count();
    let squares: Vec<_> = cells.iter().map(|(h, _)| square(h.x, h.y, *size)).collect();
    let ext = extent(squares.iter()).unwrap_or((0.0, 0.0, 1.0, 1.0));
    let n = cells.len();
    let labels = Labels {
        title: format!(
            "{hot} of {n} grid cells of {size:.0} m are hotspots of recorded crime beyond chance, {}",
            ev.period
        ),
        subtitle: format!(
            "Getis-Ord Gi* on sfhotspot's grid, neighbours within one cell diagonal; p-values adjusted for the {n} cells; hot or cold at q <= {alpha}"
        ),
        source: cx.source.to_string(),
    };
    let legend = vec![("Hotspot".to_string(), HOT), ("Coldspot".to_string(), COLD)];
    let spec = framed(b, cx.compared, filled, legend, ext);
    let words = (
        "Hotspots",
        "Cells where crime in and around the cell is higher (hot) or lower (cold) than across the whole grid by more than chance, after allowing for testing every cell. A hotspot of snapped points can be a snap artefact: see the busiest places below.",
    );
    let name = format!("map-hotspots-{}", ev.period.slug());
    drawn(name, &spec, labels, words, (cx.formats, artefacts)).map(Some)
}

/// `label` with its first letter a capital, as a legend entry.
fn capitalised(label: &str) -> String {
    let mut c = label.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
