//! Hotspots on a regular grid: Getis-Ord Gi* as sfhotspot computes it (Ashby, `sfhotspot` 1.0.0,
//! `hotspot_gistar()`, which calls `spdep::localG`).
//!
//! - **Cell size** (sfhotspot's `set_cell_size`): the shorter side of the points' bounding box
//!   over 50, rounded down to a whole 100 metres (unrounded below 5 km).
//! - **Grid**: square cells from the lower-left corner of the points' convex hull buffered by half
//!   a cell (round joins of 30 segments a quadrant, as GEOS draws them); only cells touching that
//!   buffered hull are kept, empty or not.
//! - **Gi\***: binary weights for every cell within one cell diagonal of a cell's centre (its 3 x 3
//!   block), the cell itself included. With n cells, mean x̄ and s² = Σ(x - x̄)² / n, a cell with W
//!   neighbours (itself counted) has z = (Σ x_j - W x̄) / sqrt(s² (n W - W²) / (n - 1)), and the
//!   two-sided normal p-value.
//!
//! One difference, stated: sfhotspot counts a point on a shared cell edge in both cells;
//! saferstats counts it once, in the cell above or to the right, so no crime is counted twice.

use geo::{Buffer, ConvexHull, Intersects};
use statrs::distribution::{ContinuousCDF, Normal};

/// A regular grid: origin (lower-left, metres), cell size, columns and rows, and the cells kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub x0: f64,
    pub y0: f64,
    pub size: f64,
    pub cols: usize,
    pub rows: usize,
    /// Indices (row-major from the lower left, x fastest) of the cells kept.
    pub cells: Vec<usize>,
}

/// One cell's count and Gi*.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hot {
    /// The cell's lower-left corner.
    pub x: f64,
    pub y: f64,
    pub n: u64,
    pub z: f64,
    pub p: f64,
}

impl Hot {
    /// `hot` or `cold` where the cell's adjusted p-value `q` is at or below `alpha` (by the sign
    /// of Gi*), else `""`.
    pub fn spot(&self, q: Option<f64>, alpha: f64) -> &'static str {
        match q {
            Some(q) if q <= alpha && self.z > 0.0 => "hot",
            Some(q) if q <= alpha && self.z < 0.0 => "cold",
            _ => "",
        }
    }
}

/// The square of the grid cell whose lower-left corner is (`x`, `y`), in National Grid metres.
pub fn cell_polygon(x: f64, y: f64, size: f64) -> geo::Polygon<f64> {
    geo::Rect::new(
        geo::coord! { x: x, y: y },
        geo::coord! { x: x + size, y: y + size },
    )
    .to_polygon()
}

/// sfhotspot's default cell size for points in metres; `None` for fewer than two distinct points.
pub fn cell_size(points: &[(f64, f64)]) -> Option<f64> {
    let (min, max) = bounds(points)?;
    let side = (max.0 - min.0).min(max.1 - min.1);
    let hundreds = (side / 50.0 / 100.0).floor();
    let size = if hundreds > 0.0 {
        hundreds * 100.0
    } else {
        side / 50.0
    };
    (size > 0.0).then_some(size)
}

fn bounds(points: &[(f64, f64)]) -> Option<((f64, f64), (f64, f64))> {
    let first = *points.first()?;
    Some(points.iter().fold((first, first), |(lo, hi), &(x, y)| {
        ((lo.0.min(x), lo.1.min(y)), (hi.0.max(x), hi.1.max(y)))
    }))
}

/// The grid of `size` cells over `points`, as sfhotspot builds it.
pub fn grid(points: &[(f64, f64)], size: f64) -> Option<Grid> {
    let multi: geo::MultiPoint<f64> = points
        .iter()
        .map(|&(x, y)| geo::point!(x: x, y: y))
        .collect();
    let style = geo::algorithm::buffer::BufferStyle::new(size / 2.0).line_join(
        geo::algorithm::buffer::LineJoin::Round(std::f64::consts::PI / 60.0),
    );
    let hull = multi.convex_hull().buffer_with_style(style);
    let rect = geo::BoundingRect::bounding_rect(&hull)?;
    let (x0, y0) = (rect.min().x, rect.min().y);
    let cols = ((rect.max().x - x0) / size).ceil().max(1.0) as usize;
    let rows = ((rect.max().y - y0) / size).ceil().max(1.0) as usize;
    let cells = (0..rows * cols)
        .filter(|i| {
            let (c, r) = ((i % cols) as f64, (i / cols) as f64);
            let cell = geo::Rect::new(
                geo::coord! { x: x0 + c * size, y: y0 + r * size },
                geo::coord! { x: x0 + (c + 1.0) * size, y: y0 + (r + 1.0) * size },
            );
            cell.intersects(&hull)
        })
        .collect();
    Some(Grid {
        x0,
        y0,
        size,
        cols,
        rows,
        cells,
    })
}

impl Grid {
    /// The index of the cell holding (x, y), if it is on the grid.
    pub fn cell_of(&self, x: f64, y: f64) -> Option<usize> {
        let c = ((x - self.x0) / self.size).floor();
        let r = ((y - self.y0) / self.size).floor();
        let inside = c >= 0.0 && r >= 0.0 && (c as usize) < self.cols && (r as usize) < self.rows;
        inside.then(|| r as usize * self.cols + c as usize)
    }

    /// Counts per kept cell of weighted points; what falls on no kept cell is returned apart.
    pub fn count(&self, points: &[(f64, f64, u64)]) -> (Vec<u64>, u64) {
        let mut at = vec![usize::MAX; self.rows * self.cols];
        for (k, &i) in self.cells.iter().enumerate() {
            at[i] = k;
        }
        let (mut counts, mut off) = (vec![0u64; self.cells.len()], 0);
        for &(x, y, n) in points {
            match self
                .cell_of(x, y)
                .map(|i| at[i])
                .filter(|&k| k != usize::MAX)
            {
                Some(k) => counts[k] += n,
                None => off += n,
            }
        }
        (counts, off)
    }
}

/// Gi* of every kept cell of `grid` with `counts` (one per kept cell).
pub fn gistar(grid: &Grid, counts: &[u64]) -> Vec<Hot> {
    let n = counts.len() as f64;
    let mean = counts.iter().sum::<u64>() as f64 / n;
    let s2 = counts
        .iter()
        .map(|&x| (x as f64 - mean).powi(2))
        .sum::<f64>()
        / n;
    let mut at = std::collections::HashMap::with_capacity(grid.cells.len());
    for (k, &i) in grid.cells.iter().enumerate() {
        at.insert(i, k);
    }
    let normal = Normal::standard();
    grid.cells
        .iter()
        .zip(counts)
        .map(|(&i, &x)| {
            let (c, r) = ((i % grid.cols) as i64, (i / grid.cols) as i64);
            let block = neighbours(grid, c, r)
                .filter_map(|j| at.get(&j))
                .map(|&k| counts[k]);
            let (w, sum) = block.fold((0.0, 0.0), |(w, s), x| (w + 1.0, s + x as f64));
            let z = (sum - w * mean) / (s2 * (n * w - w * w) / (n - 1.0)).sqrt();
            Hot {
                x: grid.x0 + c as f64 * grid.size,
                y: grid.y0 + r as f64 * grid.size,
                n: x,
                z,
                p: 2.0 * normal.cdf(-z.abs()),
            }
        })
        .collect()
}

/// The 3 x 3 block of grid indices around column `c`, row `r` (itself included).
fn neighbours(grid: &Grid, c: i64, r: i64) -> impl Iterator<Item = usize> + '_ {
    (-1..=1).flat_map(move |dr| {
        (-1..=1).filter_map(move |dc| {
            let (cc, rr) = (c + dc, r + dr);
            let on = cc >= 0 && rr >= 0 && (cc as usize) < grid.cols && (rr as usize) < grid.rows;
            on.then(|| rr as usize * grid.cols + cc as usize)
        })
    })
}

/// How a cell behaved over a run of periods (sfhotspot's `hotspot_classify` categories).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    PersistentHotspot,
    EmergingHotspot,
    FormerHotspot,
    IntermittentHotspot,
    PersistentColdspot,
    EmergingColdspot,
    FormerColdspot,
    IntermittentColdspot,
    /// Both a hot and a cold pattern.
    Mixed,
    NoPattern,
}

impl Class {
    pub fn label(self) -> &'static str {
        match self {
            Class::PersistentHotspot => "persistent hotspot",
            Class::EmergingHotspot => "emerging hotspot",
            Class::FormerHotspot => "former hotspot",
            Class::IntermittentHotspot => "intermittent hotspot",
            Class::PersistentColdspot => "persistent coldspot",
            Class::EmergingColdspot => "emerging coldspot",
            Class::FormerColdspot => "former coldspot",
            Class::IntermittentColdspot => "intermittent coldspot",
            Class::Mixed => "mixed hot/coldspot",
            Class::NoPattern => "no pattern",
        }
    }
}

/// The thresholds of the classification, with sfhotspot's defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassifyParams {
    /// A period is hot (cold) where the adjusted p-value is below this and Gi* is positive
    /// (not positive).
    pub critical_p: f64,
    /// The share of periods a cell must be hot in to be a hotspot at all.
    pub hotspot_prop: f64,
    /// The share of periods that makes a hotspot persistent.
    pub persistent_prop: f64,
    /// The share of periods (the last ones) that count as recent.
    pub recent_prop: f64,
}

impl Default for ClassifyParams {
    fn default() -> Self {
        ClassifyParams {
            critical_p: 0.05,
            hotspot_prop: 0.1,
            persistent_prop: 0.8,
            recent_prop: 0.2,
        }
    }
}

/// One cell's class from its Gi* and p-value in each period, in order. The p-values are first
/// adjusted across the periods (Holm, as sfhotspot's default does). With P periods and
/// r = max(1, floor(recent_prop x P)) recent ones, in this order: persistent if hot in at least
/// `persistent_prop` of all periods; emerging if hot in under `hotspot_prop` of the older
/// periods and at least `hotspot_prop` of the recent ones; former if hot in at least
/// `hotspot_prop` of the older and under it of the recent; intermittent if hot in at least
/// `hotspot_prop` of all; the same for cold; both is mixed. As sfhotspot's documentation defines
/// them: its 1.0.0 code counts r + 1 periods as recent and tests emerging against `recent_prop`.
pub fn classify(periods: &[(f64, f64)], params: &ClassifyParams) -> Class {
    let (hot, cold) = marks(periods, params);
    class_of(pattern(&hot, params), pattern(&cold, params))
}

/// Which periods a cell was hot in, and which cold: adjusted p below `critical_p` (Holm across
/// the periods), Gi* positive or not.
pub fn marks(periods: &[(f64, f64)], params: &ClassifyParams) -> (Vec<bool>, Vec<bool>) {
    let p: Vec<Option<f64>> = periods.iter().map(|&(_, p)| Some(p)).collect();
    let q = crate::stats::dispersion::adjust(&p, crate::stats::dispersion::Adjust::Holm);
    let mark = |hot: bool| -> Vec<bool> {
        periods
            .iter()
            .zip(&q)
            .map(|(&(z, _), q)| q.is_some_and(|q| q < params.critical_p) && ((z > 0.0) == hot))
            .collect()
    };
    (mark(true), mark(false))
}

fn class_of(hot: Option<Pattern>, cold: Option<Pattern>) -> Class {
    use Pattern::*;
    match (hot, cold) {
        (None, None) => Class::NoPattern,
        (Some(_), Some(_)) => Class::Mixed,
        (Some(Persistent), _) => Class::PersistentHotspot,
        (Some(Emerging), _) => Class::EmergingHotspot,
        (Some(Former), _) => Class::FormerHotspot,
        (Some(Intermittent), _) => Class::IntermittentHotspot,
        (_, Some(Persistent)) => Class::PersistentColdspot,
        (_, Some(Emerging)) => Class::EmergingColdspot,
        (_, Some(Former)) => Class::FormerColdspot,
        (_, Some(Intermittent)) => Class::IntermittentColdspot,
    }
}

enum Pattern {
    Persistent,
    Emerging,
    Former,
    Intermittent,
}

fn pattern(marks: &[bool], params: &ClassifyParams) -> Option<Pattern> {
    let n = marks.len();
    if n == 0 {
        return None;
    }
    let r = ((params.recent_prop * n as f64).floor() as usize).clamp(1, n);
    let share = |m: &[bool]| {
        if m.is_empty() {
            0.0
        } else {
            m.iter().filter(|&&x| x).count() as f64 / m.len() as f64
        }
    };
    let (all, older, recent) = (share(marks), share(&marks[..n - r]), share(&marks[n - r..]));
    if all >= params.persistent_prop {
        Some(Pattern::Persistent)
    } else if older < params.hotspot_prop && recent >= params.hotspot_prop {
        Some(Pattern::Emerging)
    } else if older >= params.hotspot_prop && recent < params.hotspot_prop {
        Some(Pattern::Former)
    } else if all >= params.hotspot_prop {
        Some(Pattern::Intermittent)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twelve points on a 500 m square; sfhotspot 1.0.0 run on them (EPSG:27700,
    /// `hotspot_gistar(cell_size = 100, kde = FALSE)`) gives a 5 x 5 grid from (0, 0).
    const POINTS: [(f64, f64); 12] = [
        (50.0, 50.0),
        (60.0, 60.0),
        (150.0, 50.0),
        (250.0, 250.0),
        (260.0, 240.0),
        (255.0, 255.0),
        (240.0, 260.0),
        (350.0, 350.0),
        (450.0, 450.0),
        (450.0, 50.0),
        (50.0, 450.0),
        (340.0, 260.0),
    ];

    fn run() -> Vec<Hot> {
        let g = grid(&POINTS, 100.0).unwrap();
        assert_eq!((g.cols, g.rows, g.cells.len()), (5, 5, 25));
        assert!(g.x0.abs() < 1e-6 && g.y0.abs() < 1e-6, "{g:?}");
        let weighted: Vec<(f64, f64, u64)> = POINTS.iter().map(|&(x, y)| (x, y, 1)).collect();
        let (counts, off) = g.count(&weighted);
        assert_eq!(off, 0);
        gistar(&g, &counts)
    }

    #[test]
    fn gistar_by_hand_on_a_small_grid() {
        // Cell (200, 200) holds 4 points; its 3 x 3 block (x and y 100 to 400) also holds
        // (340, 260) and (350, 350): 6, over W = 9 cells. The 25 cells hold 2, 1, 4 and five 1s
        // (12 points): x̄ = 0.48, Σx² = 4 + 1 + 16 + 5 = 26, s² = 26/25 - 0.48² = 0.8096, and
        // z = (6 - 9 x 0.48) / sqrt(0.8096 x (25 x 9 - 81) / 24) = 1.68 / sqrt(4.8576) = 0.76225.
        let hot = run();
        let cell = hot.iter().find(|h| h.x == 200.0 && h.y == 200.0).unwrap();
        assert_eq!(cell.n, 4);
        let z = 1.68 / 4.8576f64.sqrt();
        assert!((cell.z - z).abs() < 1e-12, "{cell:?} against {z}");
    }

    #[test]
    fn reproduces_sfhotspot_on_its_own_code() {
        // sfhotspot 1.0.0 (mpjashby/sfhotspot, commit 6b3caf7) with spdep 1.2-7, run on POINTS:
        // (xmin, ymin) -> n, gistar, p.
        let expected = [
            (
                0.0,
                0.0,
                2,
                0.641_585_416_304_372_6,
                Some(0.521_142_404_531_032),
            ),
            (100.0, 0.0, 1, 0.061_192_640_191_830_0, None),
            (200.0, 0.0, 0, -0.958_684_696_338_669_5, None),
            (400.0, 0.0, 1, -0.546_535_725_000_021, None),
            (
                100.0,
                100.0,
                0,
                1.215_972_964_473_051_3,
                Some(0.223_995_221_031_851),
            ),
            (
                200.0,
                200.0,
                4,
                0.762_251_709_072_658_9,
                Some(0.445_909_789_598_301),
            ),
            (0.0, 200.0, 0, -1.468_623_364_603_919_3, None),
            (100.0, 200.0, 0, -0.145_190_801_728_125_7, None),
            (100.0, 300.0, 0, 0.308_530_453_672_266_7, None),
            (400.0, 400.0, 1, 0.047_524_845_652_175_8, None),
        ];
        let hot = run();
        for (x, y, n, z, p) in expected {
            let h = hot.iter().find(|h| h.x == x && h.y == y).unwrap();
            assert_eq!(h.n, n, "({x}, {y})");
            assert!((h.z - z).abs() < 1e-9, "({x}, {y}): {} against {z}", h.z);
            if let Some(p) = p {
                assert!((h.p - p).abs() < 1e-9, "({x}, {y}): p {} against {p}", h.p);
            }
        }
    }

    #[test]
    fn classification_by_hand() {
        let p = ClassifyParams::default();
        // Ten periods, so r = 2 recent. A p of 1e-6 stays below 0.05 after Holm's x10.
        let (hot, none, cold) = ((3.0, 1e-6), (0.1, 0.9), (-3.0, 1e-6));
        let run = |cells: &[(f64, f64)]| classify(cells, &p);
        // Hot in 8 of 10 (0.8): persistent.
        let mut c = vec![hot; 8];
        c.extend([none; 2]);
        assert_eq!(run(&c), Class::PersistentHotspot);
        // Never hot in the 8 older, hot in 1 of the 2 recent (0.5 >= 0.1): emerging.
        let mut c = vec![none; 9];
        c.push(hot);
        assert_eq!(run(&c), Class::EmergingHotspot);
        // Hot in 2 of the 8 older (0.25), in neither recent: former.
        let mut c = vec![hot, hot];
        c.extend([none; 8]);
        assert_eq!(run(&c), Class::FormerHotspot);
        // Hot in 1 older (1/8 = 0.125) and 1 recent (0.5): neither emerging nor former; 2 of 10
        // (0.2 >= 0.1) overall: intermittent.
        let mut c = vec![hot];
        c.extend([none; 7]);
        c.extend([hot, none]);
        assert_eq!(run(&c), Class::IntermittentHotspot);
        // A hot and a cold pattern at once: mixed; nothing: no pattern.
        let mut c = vec![hot; 8];
        c.extend([cold; 2]);
        assert_eq!(run(&c), Class::Mixed);
        assert_eq!(run(&[none; 10]), Class::NoPattern);
        // Holm across the ten periods: p 0.01 is 0.1 once adjusted (x10), no longer hot.
        assert_eq!(run(&[(3.0, 0.01); 10]), Class::NoPattern);
    }

    #[test]
    fn the_default_cell_size_is_sfhotspots() {
        // sfhotspot's set_cell_size snapshot: a 15 km shorter side gives 300 m (15000 / 50 = 300);
        // 15.2 km gives 300 too (rounded down to 100 m); under 5 km it is side / 50 unrounded.
        assert_eq!(cell_size(&[(0.0, 0.0), (15_000.0, 20_000.0)]), Some(300.0));
        assert_eq!(cell_size(&[(0.0, 0.0), (15_230.0, 20_000.0)]), Some(300.0));
        assert_eq!(cell_size(&[(0.0, 0.0), (4_000.0, 9_000.0)]), Some(80.0));
        assert_eq!(cell_size(&[(1.0, 1.0)]), None);
    }
}
