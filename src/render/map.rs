//! Maps in the house style of the charts: an LSOA choropleth and a Gi* hotspot grid, drawn with
//! plotters to SVG and PNG from National Grid metres (equal scale on both axes, north up: grid
//! north is within a degree of true north across England and Wales). Each map has its finding as
//! title, a legend, a scale bar, a north arrow, the source and the OS copyright line.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::Result;
use crate::render::chart::{
    Draw, DrawResult, Figure, Formats, INK, Key, Labels, MUTED, draw_frame, draw_keyed_legend,
    figure, text,
};

/// A map colour (plotters' RGB), as the palettes here give them.
pub type Colour = RGBColor;

/// The copyright line ONS boundary files ask for.
pub const OS_COPYRIGHT: &str = "Contains OS data \u{a9} Crown copyright and database right 2022";

/// ColorBrewer's 5-class Blues: sequential, readable with any colour vision and in grey.
pub const BLUES: [RGBColor; 5] = [
    RGBColor(0xEF, 0xF3, 0xFF),
    RGBColor(0xBD, 0xD7, 0xE7),
    RGBColor(0x6B, 0xAE, 0xD6),
    RGBColor(0x31, 0x82, 0xBD),
    RGBColor(0x08, 0x51, 0x9C),
];
/// Okabe-Ito vermillion and blue for hot and cold spots; grey for context outlines.
pub const HOT: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub const COLD: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Each class's colour: ColorBrewer Oranges for the hot patterns and Blues for the cold,
/// darker the more persistent; grey for mixed; no fill for no pattern.
pub fn class_colour(c: crate::stats::hotspot::Class) -> Option<RGBColor> {
    use crate::stats::hotspot::Class;
    use RGBColor as C;
    Some(match c {
        Class::PersistentHotspot => C(0xA6, 0x36, 0x03),
        Class::EmergingHotspot => C(0xE6, 0x55, 0x0D),
        Class::IntermittentHotspot => C(0xFD, 0x8D, 0x3C),
        Class::FormerHotspot => C(0xFD, 0xBE, 0x85),
        Class::PersistentColdspot => C(0x08, 0x51, 0x9C),
        Class::EmergingColdspot => C(0x31, 0x82, 0xBD),
        Class::IntermittentColdspot => C(0x6B, 0xAE, 0xD6),
        Class::FormerColdspot => C(0xBD, 0xD7, 0xE7),
        Class::Mixed => C(0x96, 0x96, 0x96),
        Class::NoPattern => return None,
    })
}

/// The change map's classes (ColorBrewer PuOr, safe for colour-blind readers): rise beyond
/// chance, rise within ordinary variation, no change, fall within it, fall beyond chance.
pub const CHANGE: [RGBColor; 5] = [
    RGBColor(0xE6, 0x61, 0x01),
    RGBColor(0xFD, 0xB8, 0x63),
    RGBColor(0xF0, 0xF0, 0xF0),
    RGBColor(0xB2, 0xAB, 0xD2),
    RGBColor(0x5E, 0x3C, 0x99),
];
const OUTLINE: RGBColor = RGBColor(0x9A, 0xA0, 0xA6);

/// A map: filled shapes with their colours, outlines drawn over them, the legend, and the extent
/// (National Grid metres: min x, min y, max x, max y).
pub struct MapSpec {
    pub filled: Vec<(geo::MultiPolygon<f64>, RGBColor)>,
    pub outlines: Vec<geo::MultiPolygon<f64>>,
    /// Outlines drawn heavier: the partnership's own area.
    pub area: Vec<geo::MultiPolygon<f64>>,
    pub legend: Vec<(String, RGBColor)>,
    pub extent: (f64, f64, f64, f64),
}

pub fn map(spec: &MapSpec, labels: &Labels, formats: Formats) -> Result<Figure> {
    struct Chart<'a>(&'a MapSpec, &'a Labels);
    impl Draw for Chart<'_> {
        fn draw<DB: DrawingBackend>(
            &self,
            root: &DrawingArea<DB, Shift>,
            s: f64,
        ) -> DrawResult<DB> {
            draw(root, self.0, self.1, s)
        }
    }
    figure((1000, 820), "map", &Chart(spec, labels), formats)
}

/// National Grid metres to pixels in `body`: one scale for both axes, centred.
struct Frame {
    x0: f64,
    y1: f64,
    scale: f64,
    left: f64,
    top: f64,
}

impl Frame {
    fn new((x0, y0, x1, y1): (f64, f64, f64, f64), (w, h): (u32, u32)) -> Frame {
        let scale = (f64::from(w) / (x1 - x0)).min(f64::from(h) / (y1 - y0));
        let left = (f64::from(w) - (x1 - x0) * scale) / 2.0;
        let top = (f64::from(h) - (y1 - y0) * scale) / 2.0;
        Frame {
            x0,
            y1,
            scale,
            left,
            top,
        }
    }

    fn px(&self, x: f64, y: f64) -> (i32, i32) {
        (
            (self.left + (x - self.x0) * self.scale).round() as i32,
            (self.top + (self.y1 - y) * self.scale).round() as i32,
        )
    }

    fn ring(&self, ring: &geo::LineString<f64>) -> Vec<(i32, i32)> {
        ring.0.iter().map(|c| self.px(c.x, c.y)).collect()
    }
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &MapSpec,
    labels: &Labels,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    let framed = Labels {
        source: String::new(),
        ..labels.clone()
    };
    draw_frame(root, &framed, s)?;
    let keyed: Vec<(String, RGBColor, Key)> = spec
        .legend
        .iter()
        .map(|(l, c)| (l.clone(), *c, Key::Swatch))
        .collect();
    draw_keyed_legend(root, &keyed, s)?;
    let (w, h) = root.dim_in_pixel();
    let style = text(12.0, &MUTED, s);
    let mut lines = vec![OS_COPYRIGHT.to_string()];
    lines.extend(wrap(
        root,
        &labels.source,
        w.saturating_sub(px(40.0) as u32),
        &style,
    )?);
    for (i, line) in lines.iter().rev().enumerate() {
        let y = h as i32 - px(24.0 + 17.0 * i as f64);
        root.draw_text(line, &style, (px(20.0), y))?;
    }
    let bottom = 28.0 + 17.0 * lines.len() as f64;
    let body = root.margin(px(104.0), px(bottom), px(20.0), px(20.0));
    let frame = Frame::new(spec.extent, body.dim_in_pixel());
    for (shape, colour) in &spec.filled {
        for polygon in &shape.0 {
            body.draw(&Polygon::new(
                frame.ring(polygon.exterior()),
                colour.filled(),
            ))?;
            for hole in polygon.interiors() {
                body.draw(&Polygon::new(frame.ring(hole), WHITE.filled()))?;
            }
        }
    }
    let lines = |shapes: &[geo::MultiPolygon<f64>], colour: RGBColor, width: f64| {
        shapes.iter().flat_map(|m| m.0.iter()).try_for_each(|p| {
            let stroke = colour.stroke_width(px(width).max(1) as u32);
            body.draw(&PathElement::new(frame.ring(p.exterior()), stroke))
        })
    };
    lines(&spec.outlines, OUTLINE, 0.8)?;
    lines(&spec.area, INK, 2.0)?;
    scale_bar(&body, &frame, s)?;
    north_arrow(&body, s)
}

/// `line` broken between words into lines no wider than `room` pixels.
fn wrap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    line: &str,
    room: u32,
    style: &TextStyle,
) -> std::result::Result<Vec<String>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in line.split(' ') {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if !current.is_empty() && root.estimate_text_size(&candidate, style)?.0 > room {
            out.push(std::mem::replace(&mut current, word.to_string()));
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    Ok(out)
}

/// A scale bar of a round length about a fifth of the map's width, bottom left.
fn scale_bar<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    frame: &Frame,
    s: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    let (w, h) = body.dim_in_pixel();
    let wanted = f64::from(w) / 5.0 / frame.scale;
    let metres = [
        50.0, 100.0, 200.0, 250.0, 500.0, 1000.0, 2000.0, 5000.0, 10_000.0, 20_000.0,
    ]
    .into_iter()
    .rev()
    .find(|m| *m <= wanted)
    .unwrap_or(50.0);
    let (x, y) = (px(10.0), h as i32 - px(14.0));
    let end = x + (metres * frame.scale).round() as i32;
    let stroke = INK.stroke_width(px(2.0).max(1) as u32);
    body.draw(&PathElement::new(vec![(x, y), (end, y)], stroke))?;
    for tick in [x, end] {
        body.draw(&PathElement::new(
            vec![(tick, y - px(5.0)), (tick, y + px(1.0))],
            stroke,
        ))?;
    }
    let label = if metres >= 1000.0 {
        format!("{} km", metres / 1000.0)
    } else {
        format!("{metres} m")
    };
    let style = text(12.0, &INK, s).pos(Pos::new(HPos::Center, VPos::Bottom));
    body.draw_text(&label, &style, ((x + end) / 2, y - px(6.0)))
}

/// "N" over an arrow pointing up, top right.
fn north_arrow<DB: DrawingBackend>(body: &DrawingArea<DB, Shift>, s: f64) -> DrawResult<DB> {
    let px = |v: f64| (v * s) as i32;
    let (w, _) = body.dim_in_pixel();
    let x = w as i32 - px(24.0);
    let (tip, base) = (px(22.0), px(50.0));
    body.draw(&Polygon::new(
        vec![
            (x, tip),
            (x - px(8.0), base),
            (x, base - px(7.0)),
            (x + px(8.0), base),
        ],
        INK.filled(),
    ))?;
    let style = text(14.0, &INK, s).pos(Pos::new(HPos::Center, VPos::Bottom));
    body.draw_text("N", &style, (x, tip - px(2.0)))
}

/// Quintile class breaks of `values` (equal numbers of places in each class, as far as ties
/// allow): the upper bound of each class but the last.
pub fn quintiles(values: &[u64]) -> Vec<u64> {
    let mut v = values.to_vec();
    v.sort_unstable();
    let mut breaks: Vec<u64> = (1..5)
        .filter_map(|k| v.get(k * v.len() / 5).copied())
        .collect();
    breaks.dedup();
    // A break at the smallest value would leave the first class empty.
    breaks.retain(|b| Some(b) != v.first());
    breaks
}

/// The class (0 to 4) of `x` among `breaks`, spread over the palette.
pub fn class_of(x: u64, breaks: &[u64]) -> usize {
    let k = breaks.iter().filter(|b| x >= **b).count();
    if breaks.is_empty() {
        4
    } else {
        k * 4 / breaks.len()
    }
}

/// The legend of quintile classes: `a to b` per class with `noun`.
pub fn class_legend(values: &[u64], breaks: &[u64]) -> Vec<(String, RGBColor)> {
    let (lo, hi) = (
        values.iter().min().copied().unwrap_or(0),
        values.iter().max().copied().unwrap_or(0),
    );
    let mut bounds = vec![lo];
    bounds.extend(breaks.iter().copied());
    (0..bounds.len())
        .map(|i| {
            let from = bounds[i];
            let to = bounds
                .get(i + 1)
                .map_or(hi, |b| b.saturating_sub(1).max(from));
            let label = if from == to {
                from.to_string()
            } else {
                format!("{from} to {to}")
            };
            (label, BLUES[class_of(from, breaks)])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quintiles_by_hand() {
        // Ten places: 1..=10. Breaks at the 2nd, 4th, 6th, 8th of ten (indices 2, 4, 6, 8):
        // 3, 5, 7, 9; classes 1-2, 3-4, 5-6, 7-8, 9-10.
        let v: Vec<u64> = (1..=10).collect();
        let b = quintiles(&v);
        assert_eq!(b, vec![3, 5, 7, 9]);
        assert_eq!(
            (class_of(1, &b), class_of(3, &b), class_of(10, &b)),
            (0, 1, 4)
        );
        let legend: Vec<String> = class_legend(&v, &b).into_iter().map(|(l, _)| l).collect();
        assert_eq!(legend, ["1 to 2", "3 to 4", "5 to 6", "7 to 8", "9 to 10"]);
        // Ties collapse classes rather than invent empty ones.
        let zeros = [0, 0, 0, 0, 0, 0, 0, 0, 5, 9];
        assert_eq!(quintiles(&zeros), vec![5]);
        let legend: Vec<String> = class_legend(&zeros, &[5])
            .into_iter()
            .map(|(l, _)| l)
            .collect();
        assert_eq!(legend, ["0 to 4", "5 to 9"]);
    }
}
