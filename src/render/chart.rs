//! Charts, one function per figure. Each figure is drawn once by a backend-generic function and
//! written as SVG (for the web report) and PNG (for slides); text uses the bundled DejaVu Sans,
//! so the same input gives the same bytes on any machine.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::{Error, Result};
use crate::render::format::{signed_pct, thousands};
use crate::stats::Comparison;

/// Okabe-Ito sky blue and blue: distinguishable with any colour vision, and by lightness alone.
pub(crate) const EARLIER: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub(crate) const LATER: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub(crate) const INK: RGBColor = RGBColor(0x0B, 0x0C, 0x0C);
pub(crate) const MUTED: RGBColor = RGBColor(0x50, 0x5A, 0x5F);
const FONT: &str = "sans-serif";

static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Registers the bundled font once; every chart draws text with it.
pub(crate) fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES)
            .unwrap_or_else(|_| panic!("the bundled DejaVu Sans font is a valid TrueType file"));
    });
}

/// The words around a chart: what it shows and where the numbers came from.
#[derive(Debug, Clone)]
pub struct Labels {
    pub title: String,
    pub subtitle: String,
    pub source: String,
}

/// A figure drawn as SVG and, where asked, as PNG.
pub struct Figure {
    pub svg: String,
    pub png: Option<Vec<u8>>,
}

/// Which formats a figure is drawn to. SVG always: the report embeds it. PNG, for slides, only
/// where asked: rasterising is most of a batch's time, and a batch's readers open the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub png: bool,
}

impl Formats {
    /// SVG and PNG: a one-area run's default.
    pub const BOTH: Formats = Formats { png: true };
    /// SVG only: a batch's default.
    pub const SVG: Formats = Formats { png: false };
}

/// Scale of the PNG relative to the SVG's pixel size (2 = 1920 px wide, print resolution at
/// about 16 cm).
pub(crate) const PNG_SCALE: u32 = 2;

/// Grouped horizontal bars: two values per row (earlier, later), labelled with `format`.
pub struct Grouped<'a> {
    pub rows: Vec<(String, f64, f64)>,
    pub series: [String; 2],
    pub x_desc: &'a str,
    pub format: fn(f64) -> String,
}

/// The two-period comparison by category as grouped horizontal bars.
pub fn comparison_bars(cmp: &Comparison, labels: &Labels, formats: Formats) -> Result<Figure> {
    let rows = cmp
        .rows
        .iter()
        .map(|r| {
            (
                r.category.to_string(),
                r.from_count.max(0) as f64,
                r.to_count.max(0) as f64,
            )
        })
        .collect();
    let spec = Grouped {
        rows,
        series: [cmp.label(false), cmp.label(true)],
        x_desc: "Number of recorded crimes",
        format: |v| thousands(v.round() as i64),
    };
    grouped_bars(&spec, labels, formats)
}

/// Each offence group's share of the total in both periods.
pub fn share_bars(
    shares: &[crate::stats::shares::Share],
    cmp: &Comparison,
    labels: &Labels,
    formats: Formats,
) -> Result<Figure> {
    let spec = Grouped {
        rows: shares
            .iter()
            .map(|s| (s.group.clone(), s.from_pct, s.to_pct))
            .collect(),
        series: [cmp.label(false), cmp.label(true)],
        x_desc: "Share of all recorded crime (%)",
        format: |v| format!("{v:.1}%"),
    };
    grouped_bars(&spec, labels, formats)
}

/// Draws `spec` in `formats`.
pub fn grouped_bars(spec: &Grouped, labels: &Labels, formats: Formats) -> Result<Figure> {
    struct Chart<'a>(&'a Grouped<'a>, &'a Labels);
    impl Draw for Chart<'_> {
        fn draw<DB: DrawingBackend>(
            &self,
            root: &DrawingArea<DB, Shift>,
            scale: f64,
        ) -> DrawResult<DB> {
            draw_grouped(root, self.0, self.1, scale)
        }
    }
    figure(
        (1000, 150 + 30 * spec.rows.len() as u32),
        "bar chart",
        &Chart(spec, labels),
        formats,
    )
}

/// A figure that draws itself at a scale (1 for SVG, [`PNG_SCALE`] for PNG) on any backend.
pub(crate) trait Draw {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scale: f64)
    -> DrawResult<DB>;
}

/// Draws `chart` as SVG at `size` pixels and, when `formats` asks, as PNG at [`PNG_SCALE`] times
/// that, with the bundled font; `what` names it in errors.
pub(crate) fn figure(
    size: (u32, u32),
    what: &str,
    chart: &impl Draw,
    formats: Formats,
) -> Result<Figure> {
    register_font();
    let (w, h) = size;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        chart
            .draw(&root, 1.0)
            .and_then(|()| root.present())
            .map_err(|e| render_error(&format!("{what} (SVG)"), e))?;
    }
    let png = match formats.png {
        true => Some(raster(size, what, chart)?),
        false => None,
    };
    Ok(Figure { svg, png })
}

/// `chart` as PNG at [`PNG_SCALE`] times `size`.
fn raster((w, h): (u32, u32), what: &str, chart: &impl Draw) -> Result<Vec<u8>> {
    let (pw, ph) = (w * PNG_SCALE, h * PNG_SCALE);
    let mut pixels = vec![0u8; (pw * ph * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (pw, ph)).into_drawing_area();
        let scale = f64::from(PNG_SCALE);
        chart
            .draw(&root, scale)
            .and_then(|()| root.present())
            .map_err(|e| render_error(&format!("{what} (PNG)"), e))?;
    }
    encode_png(&pixels, pw, ph)
}

pub(crate) fn render_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Render {
        what: what.to_string(),
        message: e.to_string(),
    }
}

pub(crate) fn encode_png(pixels: &[u8], w: u32, h: u32) -> Result<Vec<u8>> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(pixels, w, h, image::ExtendedColorType::Rgb8)
        .map_err(|e| render_error("PNG encoding", e))?;
    Ok(out)
}

pub(crate) type DrawResult<DB> =
    std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

pub(crate) fn text(size: f64, colour: &'static RGBColor, s: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, size * s).into_font()).color(colour)
}

/// Title, subtitle and source line, shared by every chart.
pub(crate) fn draw_frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    labels: &Labels,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    root.fill(&WHITE)?;
    let (w, _) = root.dim_in_pixel();
    let room = w.saturating_sub(px(40.0) as u32);
    let (lines, size) = fit_title(root, &labels.title, room, s)?;
    let two = lines.len() > 1;
    for (i, line) in lines.iter().enumerate() {
        let y = px(if two { 10.0 + 17.0 * i as f64 } else { 16.0 });
        root.draw_text(line, &text(size, &INK, s), (px(20.0), y))?;
    }
    root.draw_text(
        &labels.subtitle,
        &text(if two { 13.0 } else { 14.0 }, &MUTED, s),
        (px(20.0), px(if two { 50.0 } else { 46.0 })),
    )?;
    let (_, h) = root.dim_in_pixel();
    root.draw_text(
        &labels.source,
        &text(12.0, &MUTED, s),
        (px(20.0), h as i32 - px(24.0)),
    )
}

/// The title in one line that fits `room` pixels, shrinking from 20 to 14 points; else in two
/// lines at 14 points, broken between words (a finding title is never cut short).
fn fit_title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    room: u32,
    s: f64,
) -> std::result::Result<(Vec<String>, f64), DrawingAreaErrorKind<DB::ErrorType>> {
    let width = |t: &str, size: f64| {
        root.estimate_text_size(t, &text(size, &INK, s))
            .map(|d| d.0)
    };
    for size in [20.0, 18.0, 16.0, 14.0] {
        if width(title, size)? <= room {
            return Ok((vec![title.to_string()], size));
        }
    }
    let words: Vec<&str> = title.split(' ').collect();
    let mut split = words.len();
    while split > 1 && width(&words[..split].join(" "), 14.0)? > room {
        split -= 1;
    }
    let (first, rest) = words.split_at(split);
    Ok((vec![first.join(" "), rest.join(" ")], 14.0))
}

/// How a legend item is drawn: as its chart draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// A filled square, for bars.
    Swatch,
    /// A line with a point, for a monthly series.
    Line,
    /// A dashed line, for a rolling average.
    Dashed,
    /// A ring, for a marked point.
    Ring,
}

pub(crate) fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: &[(String, RGBColor)],
    s: f64,
) -> DrawResult<DB> {
    let keyed: Vec<(String, RGBColor, Key)> = items
        .iter()
        .map(|(l, c)| (l.clone(), *c, Key::Swatch))
        .collect();
    draw_keyed_legend(root, &keyed, s)
}

/// A legend whose items are drawn as their series are (a dashed line as a dashed line).
pub(crate) fn draw_keyed_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: &[(String, RGBColor, Key)],
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    let mut x = px(20.0);
    for (label, colour, key) in items {
        let stroke = colour.stroke_width(px(2.0).max(1) as u32);
        let (y, end) = (px(83.0), x + px(28.0));
        match key {
            Key::Swatch => {
                let square = [(x, px(76.0)), (x + px(14.0), px(90.0))];
                root.draw(&Rectangle::new(square, colour.filled()))?;
            }
            Key::Line => {
                root.draw(&PathElement::new(vec![(x, y), (end, y)], stroke))?;
                root.draw(&Circle::new((x + px(14.0), y), px(2.5), colour.filled()))?;
            }
            Key::Ring => {
                let ring = colour.stroke_width(px(1.5).max(1) as u32);
                root.draw(&Circle::new((x + px(7.0), y), px(5.0), ring))?;
            }
            Key::Dashed => {
                for dash in 0..4 {
                    let from = x + px(8.0) * dash;
                    root.draw(&PathElement::new(
                        vec![(from, y), (from + px(5.0), y)],
                        stroke,
                    ))?;
                }
            }
        }
        let text_x = match key {
            Key::Swatch | Key::Ring => x,
            _ => x + px(14.0),
        };
        let style = text(13.0, &INK, s).pos(Pos::new(HPos::Left, VPos::Center));
        root.draw_text(label, &style, (text_x + px(20.0), px(83.0)))?;
        let (tw, _) = root.estimate_text_size(label, &style)?;
        x = text_x + px(44.0) + tw as i32;
    }
    Ok(())
}

fn draw_grouped<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &Grouped,
    labels: &Labels,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    draw_frame(root, labels, s)?;
    let legend = [
        (spec.series[0].clone(), EARLIER),
        (spec.series[1].clone(), LATER),
    ];
    draw_legend(root, &legend, s)?;
    let names: Vec<&str> = spec.rows.iter().map(|r| r.0.as_str()).collect();
    let n = spec.rows.len() as f64;
    let max = spec.rows.iter().map(|r| r.1.max(r.2)).fold(1.0, f64::max);
    let area = root.margin(px(104.0), px(44.0), px(20.0), px(40.0));
    let axis = Axis {
        range: 0f64..max * 1.12,
        labels: 8,
        format: &|v| (spec.format)(*v),
        desc: spec.x_desc,
    };
    let mut chart = band_chart(root, &area, &names, n, &axis, s)?;
    let value_style = text(11.0, &INK, s).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, (_, a, b)) in spec.rows.iter().enumerate() {
        let top = n - i as f64;
        for (v, colour, y1, y2) in [
            (*a, EARLIER, top - 0.1, top - 0.48),
            (*b, LATER, top - 0.52, top - 0.9),
        ] {
            chart.draw_series([Rectangle::new([(0.0, y1), (v, y2)], colour.filled())])?;
            let at = (v, (y1 + y2) / 2.0);
            chart.draw_series([EmptyElement::at(at)
                + Text::new((spec.format)(v), (px(4.0), 0), value_style.clone())])?;
        }
    }
    band_names(root, &chart, &names, n, s)
}

/// The x axis of a chart with one horizontal band per row.
pub(crate) struct Axis<'a> {
    pub range: std::ops::Range<f64>,
    pub labels: usize,
    pub format: &'a dyn Fn(&f64) -> String,
    pub desc: &'a str,
}

/// The style of the row names left of the bands.
pub(crate) fn name_style(s: f64) -> TextStyle<'static> {
    text(13.0, &INK, s).pos(Pos::new(HPos::Right, VPos::Center))
}

/// A chart on `area` with `n` bands from the top, room on the left for the widest of `names`,
/// and the mesh drawn along `axis`.
pub(crate) fn band_chart<'a, DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &'a DrawingArea<DB, Shift>,
    names: &[&str],
    n: f64,
    axis: &Axis,
    s: f64,
) -> std::result::Result<PanelChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * s) as i32;
    let mut label_width = 0;
    for name in names {
        label_width = label_width.max(root.estimate_text_size(name, &name_style(s))?.0);
    }
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(px(44.0))
        .y_label_area_size(label_width as i32 + px(14.0))
        .build_cartesian_2d(axis.range.clone(), 0f64..n)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(axis.labels)
        .x_label_formatter(axis.format)
        .x_desc(axis.desc)
        .label_style(text(12.0, &INK, s))
        .axis_desc_style(text(13.0, &INK, s))
        .light_line_style(RGBColor(0xEE, 0xEE, 0xEE))
        .bold_line_style(RGBColor(0xDD, 0xDD, 0xDD))
        .draw()?;
    Ok(chart)
}

/// Each row's name, centred on its band, right-aligned against the plotting area.
pub(crate) fn band_names<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &PanelChart<'_, DB>,
    names: &[&str],
    n: f64,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let band = f64::from(yr.end - yr.start) / n;
    for (i, name) in names.iter().enumerate() {
        let y = yr.start + (band * (i as f64 + 0.5)) as i32;
        root.draw_text(name, &name_style(s), (xr.start - px(8.0), y))?;
    }
    Ok(())
}

/// The chart title, stating the finding for the total.
pub fn comparison_title(cmp: &Comparison, measure: &str) -> String {
    let t = &cmp.total;
    let (from, to) = (thousands(t.from_count), thousands(t.to_count));
    let verb = match t.direction() {
        std::cmp::Ordering::Greater => "rose",
        std::cmp::Ordering::Less => "fell",
        std::cmp::Ordering::Equal => "was unchanged",
    };
    let pct = match t.pct_change {
        Some(p) if t.change != 0 => {
            format!(" by {}%", signed_pct(Some(p.abs())).trim_start_matches('+'))
        }
        _ => String::new(),
    };
    let chance = if t.significant || t.change == 0 {
        ""
    } else {
        ", within chance variation"
    };
    format!(
        "{measure} {verb}{pct} from {} to {} ({from} to {to}){chance}",
        cmp.from, cmp.to
    )
}

pub(crate) type PanelChart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

pub use crate::render::diverging::{Bar, PanelBar, change_by_category, diverging, outcome_panel};
