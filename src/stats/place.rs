//! Crimes by place: each anonymised street point put in a boundary file's places, the
//! year-on-year change per LSOA with the comparison's tests, and Gi* hotspots on a grid.
//!
//! A boundary file of the LSOAs data.police.uk names (its codes are the points' LSOA codes) is
//! joined **by code**: data.police.uk assigns each snap point its LSOA on full-resolution
//! boundaries, and published boundary files are generalised and clipped to the river bank, so a
//! point on a Thames bridge falls in no polygon while its LSOA is known. Such points stay in
//! their LSOA and are counted as lying outside its drawn shape. A file of another geography
//! (wards, say) is joined **by location**: point in polygon, in National Grid metres.
//!
//! A point whose LSOA is not in the file, or (by location) that falls in no place, is counted
//! apart with its location, never dropped; so is a point whose coordinates cannot be put on the
//! National Grid. A point on the edge two places share goes to the first of them in file order.

use std::collections::BTreeMap;

use geo::Intersects;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use serde::Serialize;

use crate::harmonise::crs;
use crate::harmonise::police_uk::CRIME_TYPES;
use crate::model::place::{Boundaries, PointRecord};
use crate::model::{Dataset, Period};
use crate::stats::dispersion;
pub use crate::stats::place_change::{PlaceChange, PointChange, lsoa_changes, point_changes};

/// The places of a boundary file, indexed by their bounding boxes.
pub struct Index<'a> {
    boundaries: &'a Boundaries,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    by_code: std::collections::HashMap<&'a str, usize>,
}

impl<'a> Index<'a> {
    pub fn new(boundaries: &'a Boundaries) -> Self {
        let boxes = boundaries.places.iter().enumerate().filter_map(|(i, p)| {
            let r = geo::BoundingRect::bounding_rect(&p.shape)?;
            let rect = Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
            Some(GeomWithData::new(rect, i))
        });
        let mut by_code = std::collections::HashMap::new();
        for (i, p) in boundaries.places.iter().enumerate() {
            by_code.entry(p.code.as_str()).or_insert(i);
        }
        Index {
            boundaries,
            tree: RTree::bulk_load(boxes.collect()),
            by_code,
        }
    }

    /// Whether the place `i` holds the National Grid point (e, n).
    pub fn holds(&self, i: usize, e: f64, n: f64) -> bool {
        self.boundaries.places[i]
            .shape
            .intersects(&geo::point!(x: e, y: n))
    }

    /// The first place (in file order) holding the National Grid point (e, n).
    pub fn place_of(&self, e: f64, n: f64) -> Option<usize> {
        let point = geo::point!(x: e, y: n);
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_point([e, n]))
            .map(|g| g.data)
            .filter(|&i| self.boundaries.places[i].shape.intersects(&point))
            .min()
    }
}

/// A point that no place holds, with its crimes (over every month of the period).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unplaced {
    pub location: String,
    pub longitude: f64,
    pub latitude: f64,
    /// The LSOA data.police.uk gave it.
    pub lsoa_code: String,
    pub crimes: u64,
}

/// How points were put in places.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Join {
    /// By the LSOA code data.police.uk gives each point.
    #[default]
    ByCode,
    /// Point in polygon.
    ByLocation,
}

/// Where an area's crimes of one period fall among a boundary file's places.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Placed {
    pub join: Join,
    /// Crimes by place code and crime type.
    pub by_place: BTreeMap<(String, String), u64>,
    /// Points in no place of the file (by code: their LSOA is not in it).
    pub outside: Vec<Unplaced>,
    /// Points whose coordinates cannot be put on the National Grid (by location only: by code
    /// they are placed by their LSOA).
    pub off_grid: Vec<Unplaced>,
    /// By code: points outside the drawn shape of their own LSOA (generalised or clipped
    /// boundaries), kept in it.
    pub astray: Vec<Unplaced>,
    /// Recorded crimes placed, in all (anti-social behaviour apart).
    pub placed: u64,
}

/// The points of `area` within `period`.
pub fn points_in<'a>(
    data: &'a Dataset,
    area: &'a str,
    period: Period,
) -> impl Iterator<Item = &'a PointRecord> + 'a {
    data.points
        .iter()
        .filter(move |p| &*p.area == area && period.contains(p.month))
}

/// Why a point is apart: no place holds it, it is off the grid, or (by code) it lies outside
/// its own LSOA's drawn shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Apart {
    Outside,
    OffGrid,
    Astray,
}

/// A point apart: why, its location, its coordinates as text and its LSOA code.
type ApartKey = (Apart, String, String, String);

/// Puts each point in `index`'s places: by code when most of the points' crimes have an LSOA
/// code the file holds, by location otherwise.
pub fn place(points: &[&PointRecord], index: &Index) -> Placed {
    let join = join_of(points, index);
    let mut out = Placed {
        join,
        ..Placed::default()
    };
    let mut apart: BTreeMap<ApartKey, (f64, f64, u64)> = BTreeMap::new();
    let mut tally = Tally::default();
    for p in points {
        let grid = crs::to_bng(p.longitude, p.latitude);
        let mut note = |why: Apart| {
            let at = format!("{},{}", p.longitude, p.latitude);
            let key = (why, p.location.to_string(), at, p.lsoa_code.to_string());
            apart.entry(key).or_insert((p.longitude, p.latitude, 0)).2 += crimes(p);
        };
        match find(p, grid, index, join) {
            Ok(i) => {
                if join == Join::ByCode && !grid.is_some_and(|(e, n)| index.holds(i, e, n)) {
                    note(Apart::Astray);
                }
                tally.add(&index.boundaries.places[i].code, p);
            }
            Err(why) => note(why),
        }
    }
    tally.into_placed(&mut out);
    for ((why, location, _, lsoa_code), (longitude, latitude, crimes)) in apart {
        let u = Unplaced {
            location,
            longitude,
            latitude,
            lsoa_code,
            crimes,
        };
        match why {
            Apart::Outside => out.outside.push(u),
            Apart::OffGrid => out.off_grid.push(u),
            Apart::Astray => out.astray.push(u),
        }
    }
    out
}

/// The place of point `p` (at `grid` in National Grid metres, if it can be put there).
fn find(
    p: &PointRecord,
    grid: Option<(f64, f64)>,
    index: &Index,
    join: Join,
) -> Result<usize, Apart> {
    match join {
        Join::ByCode => index
            .by_code
            .get(&*p.lsoa_code)
            .copied()
            .ok_or(Apart::Outside),
        Join::ByLocation => {
            let (e, n) = grid.ok_or(Apart::OffGrid)?;
            index.place_of(e, n).ok_or(Apart::Outside)
        }
    }
}

/// Crimes by place code and crime type while points are placed: keyed by the borrowed code, so
/// a point costs no allocation (a `String` pair per point and type cost a fifth of `place` on a
/// force's year); sorted into [`Placed::by_place`] once at the end.
#[derive(Default)]
struct Tally<'a>(rustc_hash::FxHashMap<&'a str, [u64; 14]>);

impl<'a> Tally<'a> {
    /// Counts point `p`'s crimes in the place `code`.
    fn add(&mut self, code: &'a str, p: &PointRecord) {
        let by_type = self.0.entry(code).or_default();
        for (n, &c) in by_type.iter_mut().zip(&p.counts) {
            *n += u64::from(c);
        }
    }

    /// The counts into `out`: its crimes placed (anti-social behaviour apart) and, by place and
    /// type, every non-zero count.
    fn into_placed(self, out: &mut Placed) {
        for (code, by_type) in self.0 {
            out.placed += by_type[1..].iter().sum::<u64>();
            for (t, &n) in by_type.iter().enumerate().filter(|(_, n)| **n > 0) {
                out.by_place
                    .insert((code.to_string(), CRIME_TYPES[t].to_string()), n);
            }
        }
    }
}

/// A point's month, and its National Grid position and recorded crimes.
pub type Located = (crate::model::Month, (f64, f64, u64));

/// The points with recorded crime, each with its month and its National Grid position and
/// crimes; and the crimes at points whose coordinates are off the grid.
pub fn located(points: &[&PointRecord]) -> (Vec<Located>, u64) {
    let (mut on, mut off) = (Vec::new(), 0);
    for p in points.iter().filter(|p| crimes(p) > 0) {
        match crs::to_bng(p.longitude, p.latitude) {
            Some((x, y)) => on.push((p.month, (x, y, crimes(p)))),
            None => off += crimes(p),
        }
    }
    (on, off)
}

/// Crimes by the LSOA data.police.uk gives each point, without a boundary file.
pub fn by_published_code(points: &[&PointRecord]) -> Placed {
    let mut out = Placed::default();
    let mut tally = Tally::default();
    for p in points {
        tally.add(&p.lsoa_code, p);
    }
    tally.into_placed(&mut out);
    out
}

/// The point's recorded crimes: every type but anti-social behaviour (the first), which is not
/// recorded crime and is never added in.
pub fn crimes(p: &PointRecord) -> u64 {
    p.crimes()
}

/// The point's anti-social behaviour incidents.
pub fn asb(p: &PointRecord) -> u64 {
    u64::from(p.counts[0])
}

/// By code when most of the points' crimes have an LSOA code the file holds.
fn join_of(points: &[&PointRecord], index: &Index) -> Join {
    let known: u64 = points
        .iter()
        .filter(|p| index.by_code.contains_key(&*p.lsoa_code))
        .map(|p| crimes(p))
        .sum();
    let all: u64 = points.iter().map(|p| crimes(p)).sum();
    if 2 * known > all {
        Join::ByCode
    } else {
        Join::ByLocation
    }
}

/// One anonymised point's crimes over a period, and its share of its LSOA's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointTotal {
    pub location: String,
    pub longitude: f64,
    pub latitude: f64,
    pub lsoa_code: String,
    /// Recorded crimes (anti-social behaviour apart).
    pub crimes: u64,
    /// Anti-social behaviour incidents at the point, never added into `crimes`.
    pub asb: u64,
    /// Of all the crimes data.police.uk put in the point's LSOA in the period.
    pub share_of_lsoa: f64,
    /// Holds most (over half) of an LSOA's crime, where the LSOA has at least
    /// [`ARTEFACT_MIN_CRIMES`]: most likely a snap point taking a whole area's crimes (a station,
    /// a shopping centre, the LSOA's default point), a data artefact rather than a hotspot.
    pub artefact: bool,
}

/// The fewest crimes in an LSOA for one point holding most of them to be flagged.
pub const ARTEFACT_MIN_CRIMES: u64 = 10;

/// Each point's crimes over the period (summed over its months), busiest first.
pub fn point_totals(points: &[&PointRecord]) -> Vec<PointTotal> {
    // (LSOA, location, coordinates as text) -> (longitude, latitude, crimes, ASB).
    type Cell = (f64, f64, u64, u64);
    let mut by_point: BTreeMap<(String, String, String), Cell> = BTreeMap::new();
    let mut by_lsoa: BTreeMap<String, u64> = BTreeMap::new();
    for p in points {
        let key = (
            p.lsoa_code.to_string(),
            p.location.to_string(),
            format!("{},{}", p.longitude, p.latitude),
        );
        let cell = by_point
            .entry(key)
            .or_insert((p.longitude, p.latitude, 0, 0));
        (cell.2, cell.3) = (cell.2 + crimes(p), cell.3 + asb(p));
        *by_lsoa.entry(p.lsoa_code.to_string()).or_default() += crimes(p);
    }
    let mut out: Vec<PointTotal> = by_point
        .into_iter()
        .map(
            |((lsoa_code, location, _), (longitude, latitude, n, asb))| {
                let lsoa = by_lsoa[&lsoa_code];
                PointTotal {
                    artefact: 2 * n > lsoa && lsoa >= ARTEFACT_MIN_CRIMES,
                    share_of_lsoa: if lsoa > 0 {
                        n as f64 / lsoa as f64
                    } else {
                        0.0
                    },
                    location,
                    longitude,
                    latitude,
                    lsoa_code,
                    crimes: n,
                    asb,
                }
            },
        )
        .collect();
    out.sort_by_key(|p| std::cmp::Reverse(p.crimes));
    out
}

/// Every grid cell's Gi* with its adjusted p-value, and the cell size in metres.
pub type Hotspots = (Vec<(crate::stats::hotspot::Hot, Option<f64>)>, f64);

/// What the report's place section rests on: one area's points over one period, placed in a
/// boundary file's places when one could be read, with its hotspot grid and concentration.
#[derive(Debug, Clone)]
pub struct PlaceEvidence {
    pub area: String,
    pub period: Period,
    pub boundaries: Option<Boundaries>,
    /// Why there are no boundaries (none declared, or the file is absent).
    pub no_boundaries: Option<String>,
    pub placed: Option<Placed>,
    pub points: Vec<PointTotal>,
    /// Gi* of every grid cell with its adjusted p-value, and the cell size in metres.
    pub grid: Option<Hotspots>,
    /// The same grid's cells classified over the period's months, and the cell size.
    pub classes: Option<(Vec<CellPattern>, f64)>,
    /// Each LSOA's change in recorded crime between two periods of equal length (see
    /// [`crate::stats::place_change::change_periods`]), when the points cover two.
    pub change: Option<((Period, Period), Vec<PlaceChange>)>,
}

/// The months `area`'s points cover.
pub fn point_months(data: &Dataset, area: &str) -> std::collections::BTreeSet<crate::model::Month> {
    data.points
        .iter()
        .filter(|p| &*p.area == area)
        .map(|p| p.month)
        .collect()
}

/// The latest financial year all of whose months `area`'s points cover.
pub fn latest_whole_year(data: &Dataset, area: &str) -> Option<Period> {
    let months = point_months(data, area);
    let mut years: Vec<_> = months.iter().map(|m| m.financial_year()).collect();
    years.dedup();
    years
        .into_iter()
        .rev()
        .map(Period::FinancialYear)
        .find(|p| p.months().all(|m| months.contains(&m)))
}

/// Gi* on sfhotspot's grid over `located` recorded crimes (see [`located`]; anti-social behaviour apart),
/// p-values adjusted across the cells; `None` with too few located crimes for a grid.
pub fn hotspots(
    located: &[Located],
    size: Option<f64>,
    adjust: dispersion::Adjust,
) -> Option<Hotspots> {
    use crate::stats::hotspot;
    let weighted: Vec<(f64, f64, u64)> = located.iter().map(|l| l.1).collect();
    let xy: Vec<(f64, f64)> = weighted.iter().map(|&(x, y, _)| (x, y)).collect();
    let size = size.or_else(|| hotspot::cell_size(&xy))?;
    let grid = hotspot::grid(&xy, size)?;
    let (counts, _) = grid.count(&weighted);
    let hot = hotspot::gistar(&grid, &counts);
    let p: Vec<Option<f64>> = hot.iter().map(|h| Some(h.p)).collect();
    let q = dispersion::adjust(&p, adjust);
    Some((hot.into_iter().zip(q).collect(), size))
}

/// One grid cell's pattern over the months of a period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellPattern {
    /// The cell's lower-left corner and its crimes over the whole period.
    pub x: f64,
    pub y: f64,
    pub n: u64,
    /// Months it was a hotspot (coldspot) in, after Holm's adjustment across the months.
    pub hot: usize,
    pub cold: usize,
    pub class: crate::stats::hotspot::Class,
}

/// Each cell of the period's grid classified over the period's months (sfhotspot's
/// `hotspot_classify`): the grid is built once over every crime of the period, then Gi* is
/// computed month by month on it; `None` with too few located crimes or fewer than two months.
pub fn classify_cells(
    points: &[&PointRecord],
    period: Period,
    size: Option<f64>,
    params: &crate::stats::hotspot::ClassifyParams,
) -> Option<(Vec<CellPattern>, f64)> {
    use crate::stats::hotspot;
    let months: Vec<crate::model::Month> = period.months().collect();
    if months.len() < 2 {
        return None;
    }
    let located = located(points).0;
    let xy: Vec<(f64, f64)> = located.iter().map(|&(_, (x, y, _))| (x, y)).collect();
    let size = size.or_else(|| hotspot::cell_size(&xy))?;
    let grid = hotspot::grid(&xy, size)?;
    let of_month = |m: crate::model::Month| -> Vec<(f64, f64, u64)> {
        located.iter().filter(|l| l.0 == m).map(|l| l.1).collect()
    };
    let monthly: Vec<Vec<hotspot::Hot>> = months
        .iter()
        .map(|&m| hotspot::gistar(&grid, &grid.count(&of_month(m)).0))
        .collect();
    let all: Vec<(f64, f64, u64)> = located.iter().map(|l| l.1).collect();
    let (totals, _) = grid.count(&all);
    let cells = (0..grid.cells.len())
        .map(|k| {
            // A month with no crime anywhere has no Gi* (0/0): it is neither hot nor cold.
            let series: Vec<(f64, f64)> = monthly
                .iter()
                .map(|m| {
                    if m[k].z.is_finite() {
                        (m[k].z, m[k].p)
                    } else {
                        (0.0, 1.0)
                    }
                })
                .collect();
            let (hot, cold) = hotspot::marks(&series, params);
            let count = |m: &[bool]| m.iter().filter(|&&x| x).count();
            let h = &monthly[0][k];
            CellPattern {
                x: h.x,
                y: h.y,
                n: totals[k],
                hot: count(&hot),
                cold: count(&cold),
                class: hotspot::classify(&series, params),
            }
        })
        .collect();
    Some((cells, size))
}

/// Each LSOA's population for `period` (an estimate declared for it, else one for every period).
pub fn lsoa_populations(data: &Dataset, period: Period) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for l in data.lsoa_population.iter().filter(|l| l.period.is_none()) {
        out.insert(l.code.clone(), l.population);
    }
    for l in data
        .lsoa_population
        .iter()
        .filter(|l| l.period == Some(period))
    {
        out.insert(l.code.clone(), l.population);
    }
    out
}
