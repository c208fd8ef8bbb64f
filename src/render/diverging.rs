//! Diverging bars of percentage change: the outcome panels and the change by category. Each bar
//! says its value and verdict in words beside it (colour is never the only cue), and the axis
//! spans the data with room for every label, never below -100%.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::Result;
use crate::render::chart::{
    Axis, Draw, DrawResult, Figure, Formats, INK, LATER, Labels, PanelChart, band_chart,
    band_names, draw_frame, draw_legend, figure, name_style, text,
};
use crate::render::format::signed_pct;
use crate::stats::Comparison;
use crate::stats::compare::Across;

/// Okabe-Ito vermillion, bluish green and greys: worsening, improving, no change, not judged.
const WORSE: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const BETTER: RGBColor = RGBColor(0x00, 0x9E, 0x73);
const SAME: RGBColor = RGBColor(0x99, 0x99, 0x99);
const UNJUDGED: RGBColor = RGBColor(0xCC, 0xCC, 0xCC);

/// One bar of an outcome panel: the indicator, its percentage change (if defined) and verdict.
pub struct PanelBar {
    pub label: String,
    pub pct: Option<f64>,
    pub verdict: crate::outcomes::Verdict,
    /// Rests on small numbers: said on the chart, not only in the table.
    pub small_numbers: bool,
}

/// One bar of a diverging chart: its label, percentage change, colour and the words beside it
/// (which carry the meaning, so colour is never the only cue).
pub struct Bar {
    pub label: String,
    pub pct: Option<f64>,
    pub colour: RGBColor,
    pub note: String,
}

/// Rows a chart makes room for: at least three, so a one-indicator outcome still has a readable plot.
fn slots(bars: usize) -> usize {
    bars.max(3)
}

/// Bars beyond this are cut at it, and their words say so beside their true value.
const PCT_LIMIT: f64 = 300.0;

fn verdict_colour(v: crate::outcomes::Verdict) -> RGBColor {
    use crate::outcomes::Verdict::*;
    match v {
        Worsening => WORSE,
        Improving => BETTER,
        NoChange => SAME,
        NotAssessable | Context => UNJUDGED,
    }
}

/// An outcome's indicators: percentage change as diverging bars, each labelled with its verdict.
pub fn outcome_panel(bars: &[PanelBar], labels: &Labels, formats: Formats) -> Result<Figure> {
    use crate::outcomes::Verdict::*;
    let legend: Vec<(String, RGBColor)> = [Worsening, Improving, NoChange, NotAssessable]
        .iter()
        .map(|v| (v.label().to_string(), verdict_colour(*v)))
        .collect();
    let bars: Vec<Bar> = bars
        .iter()
        .map(|b| {
            let caveat = if b.small_numbers {
                " (small numbers)"
            } else {
                ""
            };
            Bar {
                label: b.label.clone(),
                pct: b.pct,
                colour: verdict_colour(b.verdict),
                note: format!("{}{caveat}", b.verdict.label()),
            }
        })
        .collect();
    diverging(&bars, &legend, labels, formats)
}

/// Percentage change by category: significant rises and falls marked, small numbers caveated.
pub fn change_by_category(cmp: &Comparison, labels: &Labels, formats: Formats) -> Result<Figure> {
    let legend = [
        ("significant rise".to_string(), WORSE),
        ("significant fall".to_string(), LATER),
        ("no significant change".to_string(), SAME),
        ("small numbers".to_string(), UNJUDGED),
    ];
    let bars: Vec<Bar> = cmp
        .rows
        .iter()
        .map(|c| {
            let (colour, words) = match (c.small_numbers, c.significant, c.change > 0) {
                (true, sig, _) => (
                    UNJUDGED,
                    if sig {
                        "significant, small numbers"
                    } else {
                        "small numbers"
                    },
                ),
                (false, true, true) => (WORSE, "significant rise"),
                (false, true, false) => (LATER, "significant fall"),
                (false, false, _) => (SAME, "not significant"),
            };
            let note = match &c.across {
                Some(Across::Changed { series_break: b }) => {
                    format!("not comparable: definition changed from {}", b.from)
                }
                _ => words.to_string(),
            };
            Bar {
                label: c.category.to_string(),
                pct: c.pct_change,
                colour,
                note,
            }
        })
        .collect();
    diverging(&bars, &legend, labels, formats)
}

/// Diverging horizontal bars of percentage change, with a legend and a note beside each bar.
pub fn diverging(
    bars: &[Bar],
    legend: &[(String, RGBColor)],
    labels: &Labels,
    formats: Formats,
) -> Result<Figure> {
    struct Chart<'a>(&'a [Bar], &'a [(String, RGBColor)], &'a Labels);
    impl Draw for Chart<'_> {
        fn draw<DB: DrawingBackend>(
            &self,
            root: &DrawingArea<DB, Shift>,
            scale: f64,
        ) -> DrawResult<DB> {
            draw_diverging(root, self.0, self.1, self.2, scale)
        }
    }
    let size = (1000, 160 + 30 * slots(bars.len()) as u32);
    figure(
        size,
        "percentage-change chart",
        &Chart(bars, legend, labels),
        formats,
    )
}

fn draw_diverging<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    bars: &[Bar],
    legend: &[(String, RGBColor)],
    labels: &Labels,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    draw_frame(root, labels, s)?;
    draw_legend(root, legend, s)?;
    let names: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
    let n = slots(bars.len()) as f64;
    let mut name_width = 0;
    for name in &names {
        name_width = name_width.max(root.estimate_text_size(name, &name_style(s))?.0);
    }
    let mut spans = Vec::new();
    for b in bars {
        let (w, _) = root.estimate_text_size(&bar_note(b), &note_style(s))?;
        spans.push((
            b.pct.map_or(0.0, |p| p.min(PCT_LIMIT)),
            f64::from(w) + f64::from(px(6.0)),
        ));
    }
    let (w, _) = root.dim_in_pixel();
    let plot_width = f64::from(w) - f64::from(px(60.0) + px(14.0)) - f64::from(name_width);
    let (lo, hi) = pct_axis(&spans, plot_width);
    let area = root.margin(px(104.0), px(44.0), px(20.0), px(40.0));
    let axis = Axis {
        range: lo..hi,
        labels: 9,
        format: &|v| {
            if v.abs() < 0.5 {
                "0%".into()
            } else {
                format!("{v:+.0}%")
            }
        },
        desc: "Percentage change",
    };
    let mut chart = band_chart(root, &area, &names, n, &axis, s)?;
    chart.draw_series([PathElement::new(
        vec![(0.0, 0.0), (0.0, n)],
        INK.stroke_width(px(1.0).max(1) as u32),
    )])?;
    for (i, b) in bars.iter().enumerate() {
        draw_bar(&mut chart, b, n - i as f64, s)?;
    }
    band_names(root, &chart, &names, n, s)
}

/// The percentage-change axis for bars `(value, label width in pixels)` on a plot `width`
/// pixels wide: it spans the data and zero, never below -100% (no count falls further), with
/// room on the right for every label (each is drawn right of its bar's end, or of zero for a
/// fall), so none is clipped (a label wider than 90% of the plot is given 90%). Values beyond
/// [`PCT_LIMIT`] arrive clamped to it.
pub(crate) fn pct_axis(bars: &[(f64, f64)], width: f64) -> (f64, f64) {
    let low = bars.iter().map(|b| b.0).fold(0.0, f64::min).max(-100.0);
    let high = bars.iter().map(|b| b.0).fold(0.0, f64::max);
    let pad = ((high - low) * 0.04).max(1.0);
    let lo = if low < 0.0 {
        (low - pad).max(-100.0)
    } else {
        0.0
    };
    // A label w pixels wide after value v ends inside the plot when
    // (v - lo) / (hi - lo) * width + w <= width, that is hi - lo >= (v - lo) / (1 - w / width).
    let span = bars
        .iter()
        .map(|&(v, w)| (v.max(0.0) - lo) / (1.0 - (w / width.max(1.0)).min(0.9)))
        .fold(high + pad - lo, f64::max)
        .max(10.0);
    let hi = lo + span;
    (lo, hi)
}

/// The words beside a bar: its value and note.
fn bar_note(b: &Bar) -> String {
    let value = b.pct.map_or_else(
        || "n/a".to_string(),
        |p| format!("{}%", signed_pct(Some(p))),
    );
    let cut = if b.pct.is_some_and(|p| p > PCT_LIMIT) {
        format!(" (bar cut at +{PCT_LIMIT:.0}%)")
    } else {
        String::new()
    };
    format!("{value} {}{cut}", b.note)
}

fn note_style(s: f64) -> TextStyle<'static> {
    text(11.0, &INK, s).pos(Pos::new(HPos::Left, VPos::Center))
}

/// A bar from zero to its value (clamped to [`PCT_LIMIT`]; its label gives the true value), and
/// its words right of the bar's end, or of zero for a fall.
fn draw_bar<DB: DrawingBackend>(
    chart: &mut PanelChart<'_, DB>,
    b: &Bar,
    top: f64,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    let (y1, y2) = (top - 0.2, top - 0.8);
    let shown = b.pct.map(|p| p.clamp(-100.0, PCT_LIMIT));
    if let Some(v) = shown {
        chart.draw_series([Rectangle::new([(0.0, y1), (v, y2)], b.colour.filled())])?;
    }
    let x = shown.unwrap_or(0.0).max(0.0);
    let label = Text::new(bar_note(b), (px(6.0), 0), note_style(s));
    chart.draw_series([EmptyElement::at((x, (y1 + y2) / 2.0)) + label])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::pct_axis;

    /// Where each label ends, in pixels, on a plot `width` wide with axis `(lo, hi)`.
    fn label_ends(bars: &[(f64, f64)], (lo, hi): (f64, f64), width: f64) -> Vec<f64> {
        bars.iter()
            .map(|&(v, w)| (v.max(0.0) - lo) / (hi - lo) * width + w)
            .collect()
    }

    #[test]
    fn the_axis_spans_the_data_and_every_label_fits() {
        let width = 700.0;
        // Every change within +-60%: the axis stays near the data, never -300% to +300%.
        let modest = [(-28.8, 160.0), (17.1, 170.0), (60.0, 150.0), (-5.0, 150.0)];
        let (lo, hi) = pct_axis(&modest, width);
        assert!((-35.0..=-28.8).contains(&lo), "{lo}");
        assert!(hi > 60.0 && hi < 150.0, "{hi}");
        // +170% with a long label ("+170.0% worsening (small numbers)", about 200 px): it fits.
        let rape = [(170.0, 200.0), (45.1, 120.0), (-90.0, 120.0)];
        let axis = pct_axis(&rape, width);
        assert!(axis.0 >= -100.0, "{axis:?}");
        for end in label_ends(&rape, axis, width) {
            assert!(end <= width + 1e-6, "{end} > {width}: {axis:?}");
        }
        // A fall of 100% is the floor of the axis.
        assert_eq!(pct_axis(&[(-100.0, 80.0)], width).0, -100.0);
        // Only rises: the axis starts at zero.
        assert_eq!(pct_axis(&[(10.0, 80.0)], width).0, 0.0);
    }
}
