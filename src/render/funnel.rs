//! The funnel plot: every area's rate per 1,000 residents against its population (log scale),
//! the benchmark rate as a line, the exact Poisson 95% and 99.8% control limits around it, and
//! one area highlighted and named.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::Result;
use crate::render::chart::{
    Draw, DrawResult, Figure, Formats, INK, LATER, Labels, MUTED, draw_frame, figure, text,
};
use crate::stats::funnel::FunnelPoint;

/// Okabe-Ito vermillion: the 99.8% limits, and the highlighted area's ring when outside them.
const OUTER: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const POINT: RGBColor = RGBColor(0xA0, 0xA8, 0xAC);

/// What one funnel plot shows.
pub struct Funnel<'a> {
    pub points: &'a [FunnelPoint],
    /// `(population, lower_95, upper_95, lower_998, upper_998)`, from `stats::funnel::curves`.
    pub curves: &'a [[f64; 5]],
    /// The area drawn larger and named.
    pub highlight: Option<&'a str>,
    /// Per how many residents the rates are (for the axis).
    pub per: f64,
}

/// The funnel plot, as SVG and PNG.
pub fn funnel_plot(f: &Funnel, labels: &Labels, formats: Formats) -> Result<Figure> {
    struct Chart<'a>(&'a Funnel<'a>, &'a Labels);
    impl Draw for Chart<'_> {
        fn draw<DB: DrawingBackend>(
            &self,
            root: &DrawingArea<DB, Shift>,
            s: f64,
        ) -> DrawResult<DB> {
            draw_funnel(root, self.0, self.1, s)
        }
    }
    figure((1000, 560), "funnel plot", &Chart(f, labels), formats)
}

fn draw_funnel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    f: &Funnel,
    labels: &Labels,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as u32;
    draw_frame(root, labels, s)?;
    let (x0, x1) = x_range(f);
    let y1 = y_max(f);
    let area = root.margin(px(70.0), px(40.0), px(20.0), px(30.0));
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(px(40.0))
        .y_label_area_size(px(60.0))
        .build_cartesian_2d((x0..x1).log_scale(), 0.0..y1)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .label_style(text(12.0, &MUTED, s))
        .axis_desc_style(text(13.0, &INK, s))
        .x_desc("Residents (log scale)")
        .y_desc(format!(
            "Crimes per {} residents",
            crate::render::format::thousands(f.per as i64)
        ))
        .x_label_formatter(&|v| crate::render::format::thousands(v.round() as i64))
        .draw()?;
    draw_limits(&mut chart, f, s)?;
    draw_points(&mut chart, f, s)
}

type Funnelled<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<
        plotters::coord::combinators::LogCoord<f64>,
        plotters::coord::types::RangedCoordf64,
    >,
>;

fn draw_limits<DB: DrawingBackend>(
    chart: &mut Funnelled<DB>,
    f: &Funnel,
    s: f64,
) -> DrawResult<DB> {
    let width = (1.5 * s).max(1.0) as u32;
    let line = |i: usize| f.curves.iter().map(move |c| (c[0], c[i]));
    for (i, colour) in [(1, LATER), (2, LATER), (3, OUTER), (4, OUTER)] {
        chart.draw_series(LineSeries::new(line(i), colour.stroke_width(width)))?;
    }
    if let (Some(first), Some(last), Some(p)) =
        (f.curves.first(), f.curves.last(), f.points.first())
    {
        let bench = [(first[0], p.benchmark), (last[0], p.benchmark)];
        chart.draw_series(LineSeries::new(bench, INK.stroke_width(width)))?;
    }
    Ok(())
}

fn draw_points<DB: DrawingBackend>(
    chart: &mut Funnelled<DB>,
    f: &Funnel,
    s: f64,
) -> DrawResult<DB> {
    let r = (3.0 * s) as i32;
    let others = f
        .points
        .iter()
        .filter(|p| Some(p.area.as_str()) != f.highlight);
    chart.draw_series(others.map(|p| Circle::new((p.population, p.rate), r, POINT.filled())))?;
    let Some(p) = f
        .points
        .iter()
        .find(|p| Some(p.area.as_str()) == f.highlight)
    else {
        return Ok(());
    };
    let ring = if p.position.is_outside() { OUTER } else { INK };
    chart.draw_series([
        Circle::new((p.population, p.rate), 2 * r, LATER.filled()),
        Circle::new(
            (p.population, p.rate),
            2 * r,
            ring.stroke_width((1.5 * s).max(1.0) as u32),
        ),
    ])?;
    let label = Text::new(p.area.clone(), (p.population, p.rate), text(13.0, &INK, s));
    chart.draw_series([label])?;
    Ok(())
}

/// The populations drawn: every point's and the curves', with a margin either side.
fn x_range(f: &Funnel) -> (f64, f64) {
    let pops = f
        .points
        .iter()
        .map(|p| p.population)
        .chain(f.curves.iter().map(|c| c[0]));
    let (lo, hi) = pops.fold((f64::MAX, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        return (1.0, 10.0);
    }
    ((lo * 0.8).max(1.0), hi * 1.25)
}

/// The top of the rate axis: above every point and the benchmark's upper 95% limit at the
/// smallest population drawn, capped at three times the highest point so tiny areas' limits do
/// not flatten the rest.
fn y_max(f: &Funnel) -> f64 {
    let top = f.points.iter().map(|p| p.rate).fold(0.0_f64, f64::max);
    let bench = f.points.first().map_or(0.0, |p| p.benchmark);
    let limit = f.curves.first().map_or(0.0, |c| c[2]);
    (top.max(bench * 1.5).max(limit.min(3.0 * top.max(bench)))) * 1.08 + 1e-9
}
