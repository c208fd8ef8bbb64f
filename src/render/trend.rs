//! The monthly trend figure: one small panel per category, monthly counts as a line with points and
//! the rolling 12-month average as a dashed line, each panel on its own scale. Where an XmR chart
//! is given for a series, its mean (dark grey) and process limits (light grey) are drawn and each
//! special-cause month is ringed in the colour of its variation (blue improving, vermillion
//! concerning, purple with no desired direction).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::Result;
use crate::render::chart::{
    Draw, DrawResult, EARLIER, Figure, Formats, INK, Key, LATER, Labels, PanelChart, draw_frame,
    draw_keyed_legend, figure, text,
};
use crate::render::format::thousands;
use crate::stats::spc::SeriesSpc;
use crate::stats::trend::{Point, Series};

const COLUMNS: usize = 4;

/// Monthly counts and their rolling 12-month average, one panel per series, with its XmR chart
/// where `spc` holds one.
pub fn monthly_panels(
    series: &[Series],
    labels: &Labels,
    spc: &[&SeriesSpc],
    formats: Formats,
) -> Result<Figure> {
    struct Chart<'a>(&'a [Series], &'a Labels, &'a [&'a SeriesSpc]);
    impl Draw for Chart<'_> {
        fn draw<DB: DrawingBackend>(
            &self,
            root: &DrawingArea<DB, Shift>,
            scale: f64,
        ) -> DrawResult<DB> {
            draw(root, self.0, self.1, self.2, scale)
        }
    }
    let rows = series.len().div_ceil(COLUMNS) as u32;
    figure(
        (1200, 170 + 200 * rows),
        "trend chart",
        &Chart(series, labels, spc),
        formats,
    )
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[Series],
    labels: &Labels,
    spc: &[&SeriesSpc],
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    draw_frame(root, labels, s)?;
    let mut legend = vec![
        ("Monthly count".to_string(), EARLIER, Key::Line),
        ("Rolling 12-month average".to_string(), LATER, Key::Dashed),
    ];
    if !spc.is_empty() {
        legend.extend([
            ("XmR mean".to_string(), LIMITS, Key::Line),
            ("process limits".to_string(), BOUNDS, Key::Line),
            ("Special cause: concerning".to_string(), CONCERN, Key::Ring),
            ("improving".to_string(), IMPROVE, Key::Ring),
        ]);
    }
    draw_keyed_legend(root, &legend, s)?;
    let body = root.margin(px(104.0), px(44.0), px(10.0), px(10.0));
    let rows = series.len().div_ceil(COLUMNS);
    let cells = body.split_evenly((rows, COLUMNS));
    for (cell, one) in cells.iter().zip(series) {
        let chart = spc.iter().find(|c| c.category == one.category).copied();
        panel(cell, one, chart, s)?;
    }
    Ok(())
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &Series,
    spc: Option<&SeriesSpc>,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    let n = series.points.len();
    let upper = spc
        .iter()
        .flat_map(|c| {
            c.rows
                .iter()
                .filter_map(|r| r.point.map(|p| p.limits.upper))
        })
        .fold(0.0, f64::max);
    let max = (series
        .points
        .iter()
        .filter_map(|p| p.count)
        .max()
        .unwrap_or(0)
        .max(1) as f64)
        .max(upper);
    let mut chart = ChartBuilder::on(area)
        .caption(&series.category, text(12.0, &INK, s))
        .margin(px(6.0))
        .x_label_area_size(px(22.0))
        .y_label_area_size(px(40.0))
        .build_cartesian_2d(0f64..(n.max(2) - 1) as f64, 0f64..max * 1.15)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(4)
        .y_label_formatter(&|v| thousands(v.round() as i64))
        .label_style(text(9.0, &INK, s))
        .light_line_style(RGBColor(0xF0, 0xF0, 0xF0))
        .bold_line_style(RGBColor(0xE0, 0xE0, 0xE0))
        .draw()?;
    if let Some(c) = spc {
        draw_limits(&mut chart, c, s)?;
    }
    draw_lines(&mut chart, series, s)?;
    if let Some(c) = spc {
        ring_special_causes(&mut chart, c, s)?;
    }
    year_ticks(area, &chart, series, s)?;
    latest_label(area, &chart, series, s)
}

/// Grey for the XmR mean and limits; the variation colours of the icons.
const LIMITS: RGBColor = RGBColor(0x76, 0x76, 0x76);
const BOUNDS: RGBColor = RGBColor(0xB1, 0xB4, 0xB6);
const CONCERN: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const IMPROVE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const NEITHER: RGBColor = RGBColor(0xCC, 0x79, 0xA7);

/// The mean (dark grey) and process limits (light grey) of each segment, at 0 at the least.
fn draw_limits<DB: DrawingBackend>(
    chart: &mut PanelChart<'_, DB>,
    spc: &SeriesSpc,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    let points: Vec<(f64, crate::stats::spc::Limits)> = spc
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.point.map(|p| (i as f64, p.limits)))
        .collect();
    for segment in points.chunk_by(|a, b| a.1 == b.1) {
        let (x0, x1, l) = (segment[0].0, segment[segment.len() - 1].0, segment[0].1);
        let thin = LIMITS.stroke_width(px(1.0).max(1) as u32);
        chart.draw_series(LineSeries::new([(x0, l.mean), (x1, l.mean)], thin))?;
        let light = BOUNDS.stroke_width(px(1.0).max(1) as u32);
        for y in [l.lower.max(0.0), l.upper] {
            chart.draw_series(LineSeries::new([(x0, y), (x1, y)], light))?;
        }
    }
    Ok(())
}

/// A ring around each special-cause month, in the colour of its variation.
fn ring_special_causes<DB: DrawingBackend>(
    chart: &mut PanelChart<'_, DB>,
    spc: &SeriesSpc,
    s: f64,
) -> DrawResult<DB> {
    use crate::stats::spc::Variation;
    let px = |v: f64| (v * s) as i32;
    for (i, r) in spc.rows.iter().enumerate() {
        let Some(p) = r.point else { continue };
        let colour = match p.variation {
            Variation::Common => continue,
            Variation::Improving => IMPROVE,
            Variation::Concerning => CONCERN,
            Variation::Neither => NEITHER,
        };
        let ring = colour.stroke_width(px(1.5).max(1) as u32);
        chart.draw_series([Circle::new((i as f64, p.value), px(4.0), ring)])?;
    }
    Ok(())
}

/// Where the x axis is labelled: each January by its year (every other year past 8), or the
/// first month (`Mar 2016`) when the series holds no January.
pub fn ticks(months: &[crate::model::Month]) -> Vec<(usize, String)> {
    let januaries: Vec<usize> = (0..months.len())
        .filter(|&i| months[i].month() == 1)
        .collect();
    if januaries.is_empty() {
        let first = months.first().map(|m| short_month(*m)).unwrap_or_default();
        return vec![(0, first)];
    }
    let step = if januaries.len() > 8 { 2 } else { 1 };
    januaries
        .into_iter()
        .step_by(step)
        .map(|i| (i, months[i].year().to_string()))
        .collect()
}

fn short_month(m: crate::model::Month) -> String {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!("{} {}", NAMES[usize::from(m.month() - 1)], m.year())
}

/// The year labels and their tick marks under the panel's x axis.
fn year_ticks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &PanelChart<'_, DB>,
    series: &Series,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    let months: Vec<_> = series.points.iter().map(|p| p.month).collect();
    let (base_x, base_y) = area.get_base_pixel();
    let style = text(10.0, &INK, s).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, label) in ticks(&months) {
        let (x, y) = chart.backend_coord(&(i as f64, 0.0));
        let (x, y) = (x - base_x, y - base_y);
        area.draw(&PathElement::new(
            vec![(x, y), (x, y + px(4.0))],
            INK.stroke_width(1),
        ))?;
        area.draw_text(&label, &style, (x, y + px(6.0)))?;
    }
    Ok(())
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

/// The trend chart's title, stating a finding on recorded crime (anti-social behaviour left out):
/// the latest 12 months against the 12 before when the series holds 24 complete months, else
/// the monthly average and the highest month. A month any category is missing from is left out.
pub fn trend_title(area: &str, series: &[Series]) -> String {
    let crime: Vec<&Series> = series
        .iter()
        .filter(|s| !crate::harmonise::police_uk::is_asb(&s.category))
        .collect();
    let months: Vec<crate::model::Month> = crime
        .first()
        .map(|s| s.points.iter().map(|p| p.month).collect())
        .unwrap_or_default();
    let totals: Vec<Option<i64>> = (0..months.len())
        .map(|i| {
            crime
                .iter()
                .map(|s| s.points.get(i).and_then(|p| p.count))
                .sum()
        })
        .collect();
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return format!("{area}: no monthly figures");
    };
    let n = totals.len();
    let sum = |r: std::ops::Range<usize>| -> Option<i64> { totals[r].iter().copied().sum() };
    if n >= 24
        && let (Some(before), Some(latest)) = (sum(n - 24..n - 12), sum(n - 12..n))
    {
        let verb = match latest.cmp(&before) {
            std::cmp::Ordering::Greater => "rose",
            std::cmp::Ordering::Less => "fell",
            std::cmp::Ordering::Equal => "was unchanged",
        };
        let pct = crate::render::format::signed_pct(
            (before > 0).then(|| 100.0 * (latest - before) as f64 / before as f64),
        );
        return format!(
            "{area}: recorded crime {verb} in the 12 months to {last} ({} to {}, {pct}%)",
            thousands(before),
            thousands(latest)
        );
    }
    let known: Vec<(usize, i64)> = totals
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.map(|t| (i, t)))
        .collect();
    let Some(&(top, most)) = known
        .iter()
        .max_by_key(|(i, t)| (*t, std::cmp::Reverse(*i)))
    else {
        return format!("{area}: monthly counts by crime type, {first} to {last}");
    };
    let mean = known.iter().map(|(_, t)| *t).sum::<i64>() as f64 / known.len() as f64;
    format!(
        "{area}: recorded crime averaged {} a month from {first} to {last}, highest in {} ({})",
        thousands(mean.round() as i64),
        months[top],
        thousands(most)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Month;

    fn months(from: (i32, u8), n: usize) -> Vec<Month> {
        let first = Month::new(from.0, from.1).unwrap();
        (0..n as i32).map(|i| first.plus(i)).collect()
    }

    fn series(category: &str, counts: &[Option<i64>], start: (i32, u8)) -> Series {
        let points = months(start, counts.len())
            .into_iter()
            .zip(counts)
            .map(|(month, &count)| Point {
                month,
                count,
                rolling_12: None,
            })
            .collect();
        Series {
            category: category.into(),
            points,
        }
    }

    #[test]
    fn the_x_axis_is_labelled_by_year() {
        let ticks_of = |from, n| ticks(&months(from, n));
        assert_eq!(
            ticks_of((2016, 1), 18),
            [(0, "2016".into()), (12, "2017".into())]
        );
        assert_eq!(ticks_of((2016, 4), 12), [(9, "2017".into())]);
        assert_eq!(ticks_of((2016, 3), 6), [(0, "Mar 2016".into())]);
        // Ten years: every other January, so the labels never crowd.
        assert_eq!(ticks_of((2010, 1), 120).len(), 5);
    }

    #[test]
    fn the_trend_title_states_a_finding() {
        // 24 months: 100 a month then 110 a month, ASB (not crime) left out: 1,200 to 1,320.
        let mut counts = vec![Some(100); 12];
        counts.extend(vec![Some(110); 12]);
        let crime = series("Shoplifting", &counts, (2016, 4));
        let asb = series("Anti-social behaviour", &[Some(999); 24], (2016, 4));
        assert_eq!(
            trend_title("Area", &[asb.clone(), crime]),
            "Area: recorded crime rose in the 12 months to 2018-03 (1,200 to 1,320, +10.0%)"
        );
        // Fewer months: the average and the highest month; a month missing is left out.
        let short = series(
            "Shoplifting",
            &[Some(10), None, Some(30), Some(20)],
            (2016, 1),
        );
        assert_eq!(
            trend_title("Area", &[asb, short]),
            "Area: recorded crime averaged 20 a month from 2016-01 to 2016-04, highest in 2016-03 (30)"
        );
    }
}
