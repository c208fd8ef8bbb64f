//! Statistical process control for monthly series: XmR charts with the rules and defaults of
//! NHS England's "Making Data Count" as NHSRplotthedots implements them (version 0.2.0,
//! `R/ptd_spc_standard.R` and `R/ptd_calculate_point_type.R`).
//!
//! - Limits: the mean, and mean +- 2.66 x the mean moving range; moving ranges at or above
//!   3.267 x their mean are screened out and the mean moving range taken again. "Close to a limit"
//!   is beyond two thirds of the way (mean +- 1.7733 x the mean moving range).
//! - Limits come from a baseline when one is given (the points inside it), else from every point;
//!   they are recalculated only at a declared series break (each side has its own).
//! - Special cause, in order: a point beyond a limit; part of a run of 7 rising or 7 falling; part
//!   of 2 of 3 points close to a limit on one side; part of 7 points on one side of the mean.
//! - Variation: `improving` or `concerning` by the desired direction, `neither` without one, and
//!   `common` where there is no special cause.
//! - Assurance against a target: the latest limits both beyond it on the good side `consistent
//!   pass`, on the bad side `consistent fail`, else `inconsistent`.

use serde::Serialize;

/// The multiple of the mean moving range for the process limits.
const LIMIT: f64 = 2.66;
/// Moving ranges at or above this multiple of their mean are screened out.
const SCREEN: f64 = 3.267;

/// One segment's centre line and limits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limits {
    pub mean: f64,
    pub lower: f64,
    pub upper: f64,
}

impl Limits {
    /// From the values a segment's limits rest on (`None`: not in the baseline).
    pub fn of(values: &[Option<f64>]) -> Option<Limits> {
        let known: Vec<f64> = values.iter().flatten().copied().collect();
        if known.is_empty() {
            return None;
        }
        let mean = known.iter().sum::<f64>() / known.len() as f64;
        let ranges: Vec<f64> = values
            .windows(2)
            .filter_map(|w| Some((w[1]? - w[0]?).abs()))
            .collect();
        let average = |r: &[f64]| {
            if r.is_empty() {
                0.0
            } else {
                r.iter().sum::<f64>() / r.len() as f64
            }
        };
        let first = average(&ranges);
        let kept: Vec<f64> = ranges.into_iter().filter(|r| *r < SCREEN * first).collect();
        let amr = average(&kept);
        Some(Limits {
            mean,
            lower: mean - LIMIT * amr,
            upper: mean + LIMIT * amr,
        })
    }

    /// The band two thirds of the way to each limit.
    fn near(&self) -> (f64, f64) {
        let third = (self.upper - self.mean) * 2.0 / 3.0;
        (self.mean - third, self.mean + third)
    }
}

/// Why a point is special cause, or that it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    AboveUpperLimit,
    BelowLowerLimit,
    TrendUp,
    TrendDown,
    TwoInThreeHigh,
    TwoInThreeLow,
    RunAbove,
    RunBelow,
    Common,
}

impl Cause {
    /// +1 for a high signal, -1 for a low one, 0 for none.
    pub fn side(self) -> i8 {
        match self {
            Cause::AboveUpperLimit | Cause::TrendUp | Cause::TwoInThreeHigh | Cause::RunAbove => 1,
            Cause::BelowLowerLimit | Cause::TrendDown | Cause::TwoInThreeLow | Cause::RunBelow => {
                -1
            }
            Cause::Common => 0,
        }
    }
}

/// What a point's variation means for the indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Variation {
    Common,
    Improving,
    Concerning,
    /// Special cause on an indicator with no desired direction.
    Neither,
}

/// Variation of a point with `cause`, for an indicator wanted `up` (1), `down` (-1) or neither (0).
pub fn variation(cause: Cause, wanted: i8) -> Variation {
    match (cause.side() * wanted).signum() {
        _ if cause == Cause::Common => Variation::Common,
        1 => Variation::Improving,
        -1 => Variation::Concerning,
        _ => Variation::Neither,
    }
}

/// Assurance of meeting a target, from the latest limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Assurance {
    ConsistentPass,
    ConsistentFail,
    Inconsistent,
}

/// Assurance of `target` for an indicator wanted `up` (1) or `down` (-1); `None` without a
/// direction.
pub fn assurance(target: f64, limits: &Limits, wanted: i8) -> Option<Assurance> {
    let up = match wanted {
        1 => true,
        -1 => false,
        _ => return None,
    };
    Some(if target > limits.upper {
        if up {
            Assurance::ConsistentFail
        } else {
            Assurance::ConsistentPass
        }
    } else if target < limits.lower {
        if up {
            Assurance::ConsistentPass
        } else {
            Assurance::ConsistentFail
        }
    } else {
        Assurance::Inconsistent
    })
}

/// The special cause of each point of one segment, judged against `limits`.
pub fn causes(y: &[f64], limits: &Limits) -> Vec<Cause> {
    let (near_low, near_high) = limits.near();
    let outside: Vec<bool> = y
        .iter()
        .map(|&v| v > limits.upper || v < limits.lower)
        .collect();
    let side: Vec<i8> = y.iter().map(|&v| sign(v - limits.mean)).collect();
    let close: Vec<bool> = (0..y.len())
        .map(|i| !outside[i] && (y[i] < near_low || y[i] > near_high))
        .collect();
    let trend = part_of_seven(&seven_point_trend(y));
    let two_of_three = two_in_three(&close, &side);
    let run = part_of_seven(&seven_one_side(&side));
    (0..y.len())
        .map(|i| {
            let high = side[i] > 0;
            if outside[i] {
                return if side[i] == 1 {
                    Cause::AboveUpperLimit
                } else {
                    Cause::BelowLowerLimit
                };
            }
            if trend[i] {
                return if trend_direction(y, &trend, i) == 1 {
                    Cause::TrendUp
                } else {
                    Cause::TrendDown
                };
            }
            match (two_of_three[i] && close[i], run[i], high) {
                (true, _, true) => Cause::TwoInThreeHigh,
                (true, _, false) => Cause::TwoInThreeLow,
                (false, true, true) => Cause::RunAbove,
                (false, true, false) => Cause::RunBelow,
                _ => Cause::Common,
            }
        })
        .collect()
}

fn sign(x: f64) -> i8 {
    if x > 0.0 {
        1
    } else if x < 0.0 {
        -1
    } else {
        0
    }
}

/// +1 where the 7 points ending here all rise, -1 where they all fall, else 0.
fn seven_point_trend(y: &[f64]) -> Vec<i8> {
    (0..y.len())
        .map(|i| {
            if i < 6 {
                return 0;
            }
            let steps: Vec<i8> = (i - 5..=i).map(|j| sign(y[j] - y[j - 1])).collect();
            if steps.iter().all(|&s| s == 1) {
                1
            } else if steps.iter().all(|&s| s == -1) {
                -1
            } else {
                0
            }
        })
        .collect()
}

/// Nonzero where this point and the 6 before it sit on one side of the mean.
fn seven_one_side(side: &[i8]) -> Vec<i8> {
    (0..side.len())
        .map(|i| {
            let same = i >= 6 && (i - 6..i).all(|j| side[j] == side[i]);
            if same && side[i] != 0 { 1 } else { 0 }
        })
        .collect()
}

/// Whether a point is part of a run of 7 that ends at it or at one of the next 6.
fn part_of_seven(ends: &[i8]) -> Vec<bool> {
    (0..ends.len())
        .map(|i| (i..(i + 7).min(ends.len())).any(|j| ends[j].abs() == 1))
        .collect()
}

/// Whether a point is in a window of 3 with at least 2 close to a limit, all on one side.
fn two_in_three(close: &[bool], side: &[i8]) -> Vec<bool> {
    let n = close.len();
    let at = |k: isize| -> (u8, i8) {
        if k < 0 || k as usize >= n {
            (0, 0)
        } else {
            (u8::from(close[k as usize]), side[k as usize])
        }
    };
    (0..n as isize)
        .map(|i| {
            (i - 2..=i).any(|start| {
                let w: Vec<(u8, i8)> = (start..start + 3).map(at).collect();
                let closes: u8 = w.iter().map(|p| p.0).sum();
                let sides: i8 = w.iter().map(|p| p.1).sum();
                closes >= 2 && sides.abs() == 3
            })
        })
        .collect()
}

/// The direction of the trend a point belongs to: the step after it where the run continues
/// past it (the last point takes the step before), else the step before it.
fn trend_direction(y: &[f64], trend: &[bool], i: usize) -> i8 {
    let n = y.len();
    let continues = trend.get(i + 1).copied().unwrap_or(false);
    if continues && trend[i] {
        return if i + 1 < n {
            sign(y[i + 1] - y[i])
        } else {
            sign(y[i] - y[i - 1])
        };
    }
    if i == 0 { 0 } else { sign(y[i] - y[i - 1]) }
}

/// One point of an XmR chart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SpcPoint {
    pub value: f64,
    pub limits: Limits,
    pub cause: Cause,
    pub variation: Variation,
}

/// The XmR chart of `y`: segments split before each index in `breaks`, each with limits from its
/// points inside `baseline` (all its points when `None`, or when none of them is inside), for an
/// indicator wanted `up` (1), `down` (-1) or neither (0). `None` for a segment without points.
pub fn xmr(
    y: &[f64],
    breaks: &[usize],
    baseline: Option<&dyn Fn(usize) -> bool>,
    wanted: i8,
) -> Vec<Option<SpcPoint>> {
    let mut cuts: Vec<usize> = breaks
        .iter()
        .copied()
        .filter(|&b| b > 0 && b < y.len())
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let bounds: Vec<usize> = std::iter::once(0).chain(cuts).chain([y.len()]).collect();
    let mut out = Vec::with_capacity(y.len());
    for w in bounds.windows(2) {
        let segment = &y[w[0]..w[1]];
        let in_base = |i: usize| baseline.is_none_or(|b| b(w[0] + i));
        let fixed: Vec<Option<f64>> = (0..segment.len())
            .map(|i| in_base(i).then_some(segment[i]))
            .collect();
        let limits = Limits::of(&fixed)
            .or_else(|| Limits::of(&segment.iter().map(|v| Some(*v)).collect::<Vec<_>>()));
        let Some(limits) = limits else {
            out.extend(segment.iter().map(|_| None));
            continue;
        };
        for (value, cause) in segment.iter().zip(causes(segment, &limits)) {
            out.push(Some(SpcPoint {
                value: *value,
                limits,
                cause,
                variation: variation(cause, wanted),
            }));
        }
    }
    out
}

/// One month of a category's XmR chart, as `spc` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpcRow {
    pub area: String,
    pub category: String,
    pub month: crate::model::Month,
    /// `None` for a month missing from its release: no point, no judgement.
    pub count: Option<i64>,
    pub point: Option<SpcPoint>,
}

/// The XmR chart of one monthly series: breaks at the months given, a baseline of months, and
/// the desired direction (`up` 1, `down` -1, neither 0). Missing months are left out of the
/// chart and listed without a point.
pub fn series_chart(
    area: &str,
    series: &crate::stats::trend::Series,
    breaks: &[crate::model::Month],
    baseline: Option<(crate::model::Month, crate::model::Month)>,
    wanted: i8,
) -> Vec<SpcRow> {
    let present: Vec<(crate::model::Month, f64)> = series
        .points
        .iter()
        .filter_map(|p| p.count.map(|n| (p.month, n as f64)))
        .collect();
    let y: Vec<f64> = present.iter().map(|p| p.1).collect();
    let cuts: Vec<usize> = breaks
        .iter()
        .filter_map(|b| present.iter().position(|(m, _)| m >= b))
        .collect();
    let in_base = |i: usize| baseline.is_none_or(|(a, b)| present[i].0 >= a && present[i].0 <= b);
    let base: Option<&dyn Fn(usize) -> bool> = baseline.map(|_| &in_base as &dyn Fn(usize) -> bool);
    let mut points = xmr(&y, &cuts, base, wanted).into_iter();
    series
        .points
        .iter()
        .map(|p| SpcRow {
            area: area.to_string(),
            category: series.category.clone(),
            month: p.month,
            count: p.count,
            point: p.count.and_then(|_| points.next().flatten()),
        })
        .collect()
}

/// A series' latest SPC state: its variation, since when, and its assurance against a target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpcSummary {
    pub latest: crate::model::Month,
    pub variation: Variation,
    pub cause: Cause,
    /// The first month of the run of this variation that reaches the latest month.
    pub since: crate::model::Month,
    pub assurance: Option<Assurance>,
}

/// One area's monthly series as an XmR chart, for drawing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesSpc {
    pub area: String,
    pub category: String,
    pub rows: Vec<SpcRow>,
}

/// The charts of the report: every series' XmR rows, and each indicator's latest state.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SpcEvidence {
    pub series: Vec<SeriesSpc>,
    pub indicators: Vec<IndicatorSpc>,
}

/// An indicator's SPC state, from one area's monthly series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorSpc {
    pub outcome: String,
    pub indicator: String,
    pub area: String,
    /// The monthly series that measures it (a data.police.uk type may hold it among others).
    pub series: String,
    pub summary: SpcSummary,
}

/// The latest state of a chart's rows (`None` without a point), with assurance of `target`.
pub fn summary(rows: &[SpcRow], target: Option<f64>, wanted: i8) -> Option<SpcSummary> {
    let points: Vec<(crate::model::Month, SpcPoint)> = rows
        .iter()
        .filter_map(|r| r.point.map(|p| (r.month, p)))
        .collect();
    let &(latest, last) = points.last()?;
    let since = points
        .iter()
        .rev()
        .take_while(|(_, p)| p.variation == last.variation)
        .last()
        .map_or(latest, |(m, _)| *m);
    Some(SpcSummary {
        latest,
        variation: last.variation,
        cause: last.cause,
        since,
        assurance: target.and_then(|t| assurance(t, &last.limits, wanted)),
    })
}

#[cfg(test)]
mod tests {
    //! NHSRplotthedots' own published cases, from its tests (version 0.2.0):
    //! `tests/testthat/test-ptd_spc_standard.R` with its snapshot `_snaps/ptd_spc_standard.md`,
    //! and `tests/testthat/test-ptd_calculate_point_type.R`.
    use super::*;

    /// R's `set.seed(123); rnorm(20)`, the data of NHSRplotthedots' standard-calculation test.
    const RNORM_123: [f64; 20] = [
        -0.56047565,
        -0.23017749,
        1.55870831,
        0.07050839,
        0.12928774,
        1.71506499,
        0.46091621,
        -1.26506123,
        -0.68685285,
        -0.44566197,
        1.22408180,
        0.35981383,
        0.40077145,
        0.11068272,
        -0.55584113,
        1.78691314,
        0.49785048,
        -1.96661716,
        0.70135590,
        -0.47279141,
    ];

    fn limits_of(y: &[f64]) -> Limits {
        Limits::of(&y.iter().map(|v| Some(*v)).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn limits_reproduce_the_nhsrplotthedots_snapshot() {
        // r1: mean_col 0.1416238, lpl -3.01138, upl 3.294627.
        let r1 = limits_of(&RNORM_123);
        assert!((r1.mean - 0.1416238).abs() < 1e-7, "{r1:?}");
        assert!((r1.lower - -3.01138).abs() < 1e-5 && (r1.upper - 3.294627).abs() < 1e-6);
        // r2: y[15] = 10 (R's index), its moving ranges screened out: mean 0.6694159, lpl
        // -2.383666, upl 3.722497.
        let mut y = RNORM_123;
        y[14] = 10.0;
        let r2 = limits_of(&y);
        assert!((r2.mean - 0.6694159).abs() < 1e-7, "{r2:?}");
        assert!((r2.lower - -2.383666).abs() < 1e-6 && (r2.upper - 3.722497).abs() < 1e-6);
    }

    #[test]
    fn the_rules_reproduce_the_nhsrplotthedots_cases() {
        assert_eq!(seven_one_side(&[1; 6]), [0; 6]);
        assert_eq!(seven_one_side(&[1, 1, 1, 1, 1, 1, -1]), [0; 7]);
        assert_eq!(
            seven_one_side(&[1, 1, 1, 1, 1, 1, 1, 1, -1]),
            [0, 0, 0, 0, 0, 0, 1, 1, 0]
        );
        assert_eq!(
            seven_one_side(&[-1, -1, -1, -1, -1, -1, -1, -1, 1]),
            [0, 0, 0, 0, 0, 0, 1, 1, 0]
        );
        let part = |v: &[i8]| {
            part_of_seven(v)
                .iter()
                .map(|&b| u8::from(b))
                .collect::<Vec<_>>()
        };
        assert_eq!(part(&[0, 0, 0, 0, 0, 0, 1, 0]), [1, 1, 1, 1, 1, 1, 1, 0]);
        assert_eq!(
            part(&[0, 0, 0, 0, 0, 0, 0, -1, 0]),
            [0, 1, 1, 1, 1, 1, 1, 1, 0]
        );
        let trend = |v: &[f64]| seven_point_trend(v);
        assert_eq!(trend(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), [0; 6]);
        assert_eq!(trend(&[1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 6.0]), [0; 7]);
        assert_eq!(
            trend(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]),
            [0, 0, 0, 0, 0, 0, 1]
        );
        assert_eq!(
            trend(&[2.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 3.0]),
            [0, 0, 0, 0, 0, 0, 0, 1, 0]
        );
        assert_eq!(
            trend(&[7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]),
            [0, 0, 0, 0, 0, 0, -1]
        );
        let two = |v: &[u8], s: &[i8]| {
            let close: Vec<bool> = v.iter().map(|&x| x == 1).collect();
            two_in_three(&close, s)
                .iter()
                .map(|&b| u8::from(b))
                .collect::<Vec<_>>()
        };
        assert_eq!(two(&[1, 0, 1], &[1, 1, 1]), [1, 1, 1]);
        assert_eq!(two(&[0, 0, 1, 0, 1, 0, 0], &[1; 7]), [0, 0, 1, 1, 1, 0, 0]);
        assert_eq!(two(&[0, 0, 1, 1, 0, 0, 0], &[1; 7]), [0, 1, 1, 1, 1, 0, 0]);
        assert_eq!(two(&[1, 0, 1], &[1, -1, 1]), [0, 0, 0]);
        assert_eq!(
            two(&[0, 0, 1, 1, 0, 0, 0], &[-1, 1, -1, 1, -1, 1, -1]),
            [0; 7]
        );
    }

    #[test]
    fn two_close_points_on_opposite_sides_are_common_cause() {
        // NHSRplotthedots: rep(c(1, -1), 8) with points 15 and 16 set to 5.5 and -5.5.
        let mut y: Vec<f64> = (0..16)
            .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        y[14] = 5.5;
        y[15] = -5.5;
        let points = xmr(&y, &[], None, 1);
        let last: Vec<Variation> = points[14..].iter().map(|p| p.unwrap().variation).collect();
        assert_eq!(last, [Variation::Common, Variation::Common]);
    }

    #[test]
    fn direction_decides_improving_or_concerning_and_breaks_recalculate() {
        // Flat at 10 with noise, then a step to 20: above the upper limit.
        let mut y = vec![10.0, 11.0, 9.0, 10.0, 11.0, 9.0, 10.0, 11.0, 9.0, 10.0];
        y.push(20.0);
        let down = xmr(&y, &[], None, -1);
        assert_eq!(down[10].unwrap().cause, Cause::AboveUpperLimit);
        assert_eq!(down[10].unwrap().variation, Variation::Concerning);
        assert_eq!(
            xmr(&y, &[], None, 1)[10].unwrap().variation,
            Variation::Improving
        );
        assert_eq!(
            xmr(&y, &[], None, 0)[10].unwrap().variation,
            Variation::Neither
        );
        // A declared break before the step: the later segment has its own limits.
        let split = xmr(&y, &[10], None, -1);
        assert_eq!(split[10].unwrap().limits.mean, 20.0);
        // A baseline of the first five points fixes the limits for the rest.
        let base = |i: usize| i < 5;
        let fixed = xmr(&y, &[], Some(&base), -1);
        assert_eq!(fixed[9].unwrap().limits.mean, 10.2);
        // Assurance: a target of 5 a month lies below the lower limit: wanted down, always
        // missed; wanted up, always met.
        let limits = down[0].unwrap().limits;
        assert_eq!(assurance(5.0, &limits, -1), Some(Assurance::ConsistentFail));
        assert_eq!(assurance(5.0, &limits, 1), Some(Assurance::ConsistentPass));
        assert_eq!(assurance(10.5, &limits, 1), Some(Assurance::Inconsistent));
    }
}
