//! The monthly trend figure: one small panel per category, monthly counts as a line with points and
//! the rolling 12-month average as a dashed line, each panel on its own scale.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::Result;
use crate::render::chart::{
    Draw, DrawResult, EARLIER, Figure, INK, LATER, Labels, PanelChart, draw_frame, draw_legend,
    figure, text,
};
use crate::render::format::thousands;
use crate::stats::trend::{Point, Series};

const COLUMNS: usize = 4;

/// Monthly counts and their rolling 12-month average, one panel per series.
pub fn monthly_panels(series: &[Series], labels: &Labels) -> Result<Figure> {
    struct Chart<'a>(&'a [Series], &'a Labels);
    impl Draw for Chart<'_> {
        fn draw<DB: DrawingBackend>(
            &self,
            root: &DrawingArea<DB, Shift>,
            scale: f64,
        ) -> DrawResult<DB> {
            draw(root, self.0, self.1, scale)
        }
    }
    let rows = series.len().div_ceil(COLUMNS) as u32;
    figure(
        (1200, 170 + 200 * rows),
        "trend chart",
        &Chart(series, labels),
    )
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[Series],
    labels: &Labels,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    draw_frame(root, labels, s)?;
    let legend = [
        ("Monthly count".to_string(), EARLIER),
        ("Rolling 12-month average (dashed)".to_string(), LATER),
    ];
    draw_legend(root, &legend, s)?;
    let body = root.margin(px(104.0), px(44.0), px(10.0), px(10.0));
    let rows = series.len().div_ceil(COLUMNS);
    let cells = body.split_evenly((rows, COLUMNS));
    for (cell, one) in cells.iter().zip(series) {
        panel(cell, one, s)?;
    }
    Ok(())
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &Series,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    let n = series.points.len();
    let max = series
        .points
        .iter()
        .filter_map(|p| p.count)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(&series.category, text(12.0, &INK, s))
        .margin(px(6.0))
        .x_label_area_size(px(22.0))
        .y_label_area_size(px(40.0))
        .build_cartesian_2d(0f64..(n.max(2) - 1) as f64, 0f64..max * 1.15)?;
    let months: Vec<String> = series.points.iter().map(|p| p.month.to_string()).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(3)
        .y_labels(4)
        .x_label_formatter(&|v| months.get(v.round() as usize).cloned().unwrap_or_default())
        .y_label_formatter(&|v| thousands(v.round() as i64))
        .label_style(text(9.0, &INK, s))
        .light_line_style(RGBColor(0xF0, 0xF0, 0xF0))
        .bold_line_style(RGBColor(0xE0, 0xE0, 0xE0))
        .draw()?;
    draw_lines(&mut chart, series, s)?;
    latest_label(area, &chart, series, s)
}

/// The monthly counts (line and points) and their rolling 12-month average (dashed); a month
/// missing from its release breaks both lines.
fn draw_lines<DB: DrawingBackend>(
    chart: &mut PanelChart<'_, DB>,
    series: &Series,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    let at = |f: fn(&Point) -> Option<f64>| -> Vec<Option<(f64, f64)>> {
        let xy = |(i, p): (usize, &Point)| f(p).map(|y| (i as f64, y));
        series.points.iter().enumerate().map(xy).collect()
    };
    let counts = at(|p| p.count.map(|n| n as f64));
    for run in runs(&counts) {
        let line = EARLIER.stroke_width(px(1.5).max(1) as u32);
        chart.draw_series(LineSeries::new(run, line))?;
    }
    let dots = counts.iter().flatten();
    chart.draw_series(dots.map(|&c| Circle::new(c, px(2.0), EARLIER.filled())))?;
    for run in runs(&at(|p| p.rolling_12)) {
        let style = LATER.stroke_width(px(2.0).max(1) as u32);
        chart.draw_series(DashedLineSeries::new(
            run,
            px(5.0) as u32,
            px(3.0) as u32,
            style,
        ))?;
    }
    Ok(())
}

/// The unbroken runs of points, split wherever one is missing.
fn runs(points: &[Option<(f64, f64)>]) -> Vec<Vec<(f64, f64)>> {
    points
        .split(Option::is_none)
        .filter(|run| !run.is_empty())
        .map(|run| run.iter().flatten().copied().collect())
        .collect()
}

/// `latest 1,234` in the panel's top right corner.
fn latest_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &PanelChart<'_, DB>,
    series: &Series,
    s: f64,
) -> DrawResult<DB> {
    let last = series
        .points
        .iter()
        .rev()
        .find_map(|p| p.count)
        .unwrap_or(0);
    let style = text(9.0, &INK, s).pos(Pos::new(HPos::Right, VPos::Top));
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    area.draw_text(
        &format!("latest {}", thousands(last)),
        &style,
        (
            xr.end - area.get_base_pixel().0,
            yr.start - area.get_base_pixel().1,
        ),
    )
}
