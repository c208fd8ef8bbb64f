//! The two charts of the outcome and stop-and-search sections: each crime type's crimes by
//! outcome group as one bar of 100%, and the find rate by object of search with its interval.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::Result;
use crate::harmonise::outcome_groups::Group;
use crate::render::chart::{
    Axis, Draw, DrawResult, Figure, Formats, INK, LATER, Labels, MUTED, band_chart, band_names,
    draw_frame, draw_legend, figure, text,
};

/// Each group's colour: Okabe-Ito, the groups that end with an offender brought to justice the
/// blues, the awaiting grey.
pub fn group_colour(g: Group) -> RGBColor {
    match g {
        Group::Charged => RGBColor(0x00, 0x72, 0xB2),
        Group::OutOfCourt => RGBColor(0x56, 0xB4, 0xE9),
        Group::Evidential => RGBColor(0xE6, 0x9F, 0x00),
        Group::PublicInterest => RGBColor(0xCC, 0x79, 0xA7),
        Group::NoSuspect => RGBColor(0xD5, 0x5E, 0x00),
        Group::OtherBody => RGBColor(0x00, 0x9E, 0x73),
        Group::Awaiting => RGBColor(0xBB, 0xBB, 0xBB),
    }
}

/// The groups' short names, for the legend and the report's table.
pub fn short(g: Group) -> &'static str {
    match g {
        Group::Charged => "Charged",
        Group::OutOfCourt => "Out of court",
        Group::Evidential => "Evidential difficulties",
        Group::PublicInterest => "Public interest",
        Group::NoSuspect => "No suspect",
        Group::OtherBody => "Other body",
        Group::Awaiting => "Awaiting",
    }
}

/// One crime type's bar: its name (with its crimes) and each group's share (0 to 1) in the
/// order of [`Group::ALL`].
pub struct GroupBar {
    pub label: String,
    pub shares: [f64; 7],
}

/// Every crime type's crimes by outcome group, each as one bar of 100%.
pub fn outcome_groups(bars: &[GroupBar], labels: &Labels, formats: Formats) -> Result<Figure> {
    struct Chart<'a>(&'a [GroupBar], &'a Labels);
    impl Draw for Chart<'_> {
        fn draw<DB: DrawingBackend>(
            &self,
            root: &DrawingArea<DB, Shift>,
            s: f64,
        ) -> DrawResult<DB> {
            draw_groups(root, self.0, self.1, s)
        }
    }
    let size = (1000, 170 + 30 * bars.len().max(1) as u32);
    figure(size, "outcome-groups chart", &Chart(bars, labels), formats)
}

fn draw_groups<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    bars: &[GroupBar],
    labels: &Labels,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    draw_frame(root, labels, s)?;
    let legend: Vec<(String, RGBColor)> = Group::ALL
        .iter()
        .map(|&g| (short(g).to_string(), group_colour(g)))
        .collect();
    draw_legend(root, &legend, s)?;
    let names: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
    let n = bars.len().max(1) as f64;
    let area = root.margin(px(104.0), px(44.0), px(20.0), px(30.0));
    let axis = Axis {
        range: 0.0..100.0,
        labels: 6,
        format: &|v| format!("{v:.0}%"),
        desc: "Share of the crimes",
    };
    let mut chart = band_chart(root, &area, &names, n, &axis, s)?;
    for (i, b) in bars.iter().enumerate() {
        let top = n - i as f64;
        let mut x = 0.0;
        for (g, share) in Group::ALL.iter().zip(b.shares) {
            let end = (x + 100.0 * share).min(100.0);
            let rect = [(x, top - 0.2), (end, top - 0.8)];
            chart.draw_series([Rectangle::new(rect, group_colour(*g).filled())])?;
            x = end;
        }
    }
    band_names(root, &chart, &names, n, s)
}

/// One object of search: its name (with its searches), find rate and interval (0 to 1).
pub struct RateBar {
    pub label: String,
    pub rate: f64,
    pub ci: (f64, f64),
}

/// The find rate by object of search: a point at each rate, a line across its interval, the
/// all-searches rate as a dashed line down the chart.
pub fn find_rates(
    bars: &[RateBar],
    overall: Option<f64>,
    labels: &Labels,
    formats: Formats,
) -> Result<Figure> {
    struct Chart<'a>(&'a [RateBar], Option<f64>, &'a Labels);
    impl Draw for Chart<'_> {
        fn draw<DB: DrawingBackend>(
            &self,
            root: &DrawingArea<DB, Shift>,
            s: f64,
        ) -> DrawResult<DB> {
            draw_rates(root, (self.0, self.1), self.2, s)
        }
    }
    let size = (1000, 150 + 30 * bars.len().max(1) as u32);
    figure(
        size,
        "find-rate chart",
        &Chart(bars, overall, labels),
        formats,
    )
}

fn draw_rates<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (bars, overall): (&[RateBar], Option<f64>),
    labels: &Labels,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    draw_frame(root, labels, s)?;
    let names: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
    let n = bars.len().max(1) as f64;
    let high = bars.iter().map(|b| b.ci.1).fold(0.0, f64::max);
    // The axis in steps of 10% to the widest interval; each rate's words in a column right of it.
    let top = ((100.0 * high / 10.0).ceil() * 10.0).clamp(10.0, 100.0);
    let area = root.margin(px(80.0), px(44.0), px(20.0), px(230.0));
    let axis = Axis {
        range: 0.0..top,
        labels: 6,
        format: &|v| format!("{v:.0}%"),
        desc: "Searches whose outcome was linked to the object of search",
    };
    let mut chart = band_chart(root, &area, &names, n, &axis, s)?;
    let thin = LATER.stroke_width(px(2.0).max(1) as u32);
    if let Some(all) = overall {
        let x = 100.0 * all;
        for dash in 0..(2 * n as usize) {
            let y = n - dash as f64 * 0.5;
            let line = vec![(x, y), (x, y - 0.25)];
            chart.draw_series([PathElement::new(
                line,
                MUTED.stroke_width(px(1.0).max(1) as u32),
            )])?;
        }
    }
    let words = text(12.0, &INK, s).pos(Pos::new(HPos::Left, VPos::Center));
    let (xr, _) = chart.plotting_area().get_pixel_range();
    for (i, b) in bars.iter().enumerate() {
        let y = n - i as f64 - 0.5;
        let (lo, hi) = (100.0 * b.ci.0, (100.0 * b.ci.1).min(top));
        chart.draw_series([PathElement::new(vec![(lo, y), (hi, y)], thin)])?;
        chart.draw_series([Circle::new((100.0 * b.rate, y), px(4.0), LATER.filled())])?;
        let note = format!(
            "{:.1}% ({:.1}% to {:.1}%)",
            100.0 * b.rate,
            100.0 * b.ci.0,
            100.0 * b.ci.1
        );
        let (_, py) = chart.backend_coord(&(0.0, y));
        root.draw_text(&note, &words, (xr.end + px(12.0), py))?;
    }
    band_names(root, &chart, &names, n, s)
}
