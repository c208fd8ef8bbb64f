//! The "Fair benchmarks" section of a batch run's area reports: the area's crime rate per 1,000
//! residents beside every area's and beside its family of similar areas', as funnel plots with
//! exact Poisson 95% and 99.8% limits, the area highlighted; and the areas outside the limits.
//! No league table of raw counts: a count means nothing without the population it is a rate of.

use crate::error::Result;
use crate::render::chart::{Formats, Labels};
use crate::render::format::thousands;
use crate::render::funnel::{Funnel, funnel_plot};
use crate::render::sections::Section;
use crate::render::table::{self, xlsx::Cell, xlsx::THREE_DP};
use crate::report::artefacts::chart_artefact;
use crate::report::output::Artefact;
use crate::report::place::typed_section;
use crate::report::{FigureView, TopicView};
use crate::stats::funnel::{Benchmarks, FunnelPoint, curves};

/// The columns of `reports/tables/benchmarks-<period>.csv` and `index.csv`'s funnel part.
pub const COLUMNS: [&str; 11] = [
    "group",
    "area",
    "events",
    "population",
    "rate",
    "benchmark",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "position",
];

/// The section, its charts and its table.
pub fn view(
    b: &Benchmarks,
    source: &str,
    formats: Formats,
    artefacts: &mut Vec<Artefact>,
) -> Result<TopicView> {
    let mut figures = vec![figure(
        b,
        ("national", "every area"),
        &b.national,
        (source, formats),
        artefacts,
    )?];
    if let Some((family, points)) = &b.family {
        let group = format!("its family, {family}");
        figures.push(figure(
            b,
            ("family", &group),
            points,
            (source, formats),
            artefacts,
        )?);
    }
    artefacts.push(Artefact::new(
        format!("reports/tables/benchmarks-{}.csv", b.period.slug()),
        table::csv_of(&COLUMNS, &rows(b)),
    ));
    Ok(TopicView {
        id: "benchmarks".into(),
        heading: format!(
            "Fair benchmarks: {} beside every area, {}",
            b.area, b.period
        ),
        intro: intro(b),
        paragraphs: own_sentence(b).into_iter().collect(),
        figures,
        notes: notes(b),
        tables: vec![outside_section(b, source)],
    })
}

fn intro(b: &Benchmarks) -> String {
    format!(
        "Each area's recorded crimes (anti-social behaviour apart) in {} per {} {}, against the benchmark rate of all the areas shown (their crimes over their {}). The funnel is the exact Poisson 95% and 99.8% control limits around the benchmark (Spiegelhalter 2005, as Public Health England's Fingertips computes them): a small area's rate varies more by chance, so its limits are wider. An area outside the 99.8% limits differs from the benchmark beyond what chance makes likely; one between the 95% and 99.8% limits, perhaps (about 1 area in 20 falls there by chance alone). No area is ranked by its count.",
        b.period,
        thousands(b.per as i64),
        b.denominator,
        b.denominator
    )
}

fn own_sentence(b: &Benchmarks) -> Option<String> {
    let p = b.own()?;
    Some(format!(
        "{}: {} crimes among {} {}, {:.1} per {} against the benchmark's {:.1}, {}.",
        p.area,
        thousands(p.events as i64),
        thousands(p.population.round() as i64),
        b.denominator,
        p.rate,
        thousands(b.per as i64),
        p.benchmark,
        p.position.describe()
    ))
}

fn notes(b: &Benchmarks) -> Vec<String> {
    let mut notes = Vec::new();
    if b.own().is_none() {
        notes.push(format!(
            "{} has no {} population for {}, so no rate: give one in the population table.",
            b.area, b.denominator, b.period
        ));
    }
    if !b.without_population.is_empty() {
        notes.push(format!(
            "{} areas have no {} population for {} and are not shown: {}.",
            b.without_population.len(),
            b.denominator,
            b.period,
            b.without_population.join(", ")
        ));
    }
    if b.family.is_none() {
        notes.push(
            "No family of similar areas is given for this area (a family file: area,family)."
                .into(),
        );
    }
    notes
}

fn figure(
    b: &Benchmarks,
    (key, group): (&str, &str),
    points: &[FunnelPoint],
    (source, formats): (&str, Formats),
    artefacts: &mut Vec<Artefact>,
) -> Result<FigureView> {
    let pops = points.iter().map(|p| p.population);
    let range = pops.fold((f64::MAX, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let theta = points.first().map_or(0.0, |p| p.benchmark / b.per);
    let drawn = curves(theta, b.per, (range.0 * 0.8, range.1 * 1.25), 80);
    let own = points.iter().find(|p| p.area == b.area);
    let labels = Labels {
        title: match own {
            Some(p) => format!("{} is {} of {}", b.area, p.position.describe(), group),
            None => format!("{}'s rate beside {}", b.area, group),
        },
        subtitle: format!(
            "Crimes per {} {}, {}: every point an area; lines the benchmark, 95% (blue) and 99.8% (orange) limits",
            thousands(b.per as i64),
            b.denominator,
            b.period
        ),
        source: source.to_string(),
    };
    let funnel = Funnel {
        points,
        curves: &drawn,
        highlight: Some(&b.area),
        per: b.per,
    };
    let figure = funnel_plot(&funnel, &labels, formats)?;
    let name = format!("funnel-{key}-{}", b.period.slug());
    Ok(FigureView {
        heading: format!("Beside {group}"),
        caption: "Read across: the further right, the more residents and the narrower the limits. A point above the upper lines has more crime per resident than chance makes likely at its size.".into(),
        chart: chart_artefact(&name, labels, figure, artefacts),
    })
}

/// Every point of both groups, as the CSV has them.
pub fn rows(b: &Benchmarks) -> Vec<Vec<String>> {
    let national = b.national.iter().map(|p| ("national", p));
    let family = b
        .family
        .iter()
        .flat_map(|(f, points)| points.iter().map(move |p| (f.as_str(), p)));
    national.chain(family).map(|(g, p)| row(g, p)).collect()
}

fn row(group: &str, p: &FunnelPoint) -> Vec<String> {
    let f = |v: f64| format!("{v:.3}");
    vec![
        group.to_string(),
        p.area.clone(),
        p.events.to_string(),
        format!("{:.0}", p.population),
        f(p.rate),
        f(p.benchmark),
        f(p.lower_95),
        f(p.upper_95),
        f(p.lower_998),
        f(p.upper_998),
        p.position.describe().to_string(),
    ]
}

/// The areas outside the national 95% limits, highest rate first.
fn outside_section(b: &Benchmarks, source: &str) -> Section {
    let mut outside: Vec<&FunnelPoint> = b
        .national
        .iter()
        .filter(|p| p.position.is_outside())
        .collect();
    outside.sort_by(|a, c| c.rate.total_cmp(&a.rate).then(a.area.cmp(&c.area)));
    let body: Vec<Vec<Cell>> = outside
        .iter()
        .map(|p| {
            vec![
                Cell::Text(p.area.clone()),
                Cell::Count(p.events as i64),
                Cell::Count(p.population.round() as i64),
                Cell::Number(p.rate, THREE_DP),
                Cell::Number(p.lower_95, THREE_DP),
                Cell::Number(p.upper_95, THREE_DP),
                Cell::Text(p.position.describe().into()),
            ]
        })
        .collect();
    let names = [
        "Area",
        "Crimes",
        "Residents",
        "Rate",
        "Lower 95%",
        "Upper 95%",
        "Where",
    ];
    typed_section(
        (
            "benchmarks-outside",
            format!("Areas outside the 95% limits, {}", b.period),
            format!(
                "The {} of {} areas whose rate per {} {} is outside the national funnel's 95% limits (the benchmark {:.1}), highest rate first.",
                outside.len(),
                b.national.len(),
                thousands(b.per as i64),
                b.denominator,
                b.national.first().map_or(0.0, |p| p.benchmark)
            ),
        ),
        &names,
        body,
        source,
    )
}
