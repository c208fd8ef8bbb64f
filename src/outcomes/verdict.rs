//! Indicator verdicts: did the indicator move the way its outcome needs, beyond chance?
//!
//! In order, an indicator is:
//! 1. *not assessable, missing data* when it is a partner measure no source provides;
//! 2. *not assessable, partial year* when either period is built from fewer months than it spans
//!    (compared only when the user allowed it), or *series break* when a break falls inside the span;
//! 3. *context only* (counted as not assessable, with that reason) when it has no direction;
//! 4. *not assessable, small numbers* when both periods together hold fewer than `min_events`;
//! 5. *improving* or *worsening* when the change is significant, by the desired direction;
//! 6. *no significant change* otherwise, noting when it moved the wrong way.
//!
//! Which figures measure an indicator is [`resolve`](crate::outcomes::resolve)'s: a category no
//! source provides and the taxonomy does not know is an error, not a verdict (a typo or a missing
//! source); a known one the compared periods lack is not assessable, saying what the data holds.

use serde::Serialize;

use crate::error::Result;
use crate::model::{Category, Month, PartnerFigure, Period, Unit, Value, same_name};
use crate::outcomes::framework::{Direction, Framework, Indicator};
use crate::outcomes::resolve::{self, Evidence, Held, Measure, MeasuredAs};
use crate::stats::{Change, Comparison};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Improving,
    Worsening,
    NoChange,
    NotAssessable,
    /// No desired direction: shown, never judged (tallied with not assessable).
    Context,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Improving => "improving",
            Verdict::Worsening => "worsening",
            Verdict::NoChange => "no significant change",
            Verdict::NotAssessable => "not assessable",
            Verdict::Context => "context only",
        }
    }
}

/// One indicator's verdict with its reason and the change behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub outcome: String,
    pub indicator: String,
    pub direction: Direction,
    pub verdict: Verdict,
    /// Why, typed; `render` words it (and serialises it as those words).
    pub reason: Reason,
    /// Not significant, but moving against the desired direction.
    pub wrong_way: bool,
    pub small_numbers: bool,
    pub themes: Vec<String>,
    pub change: Option<Change>,
    /// The coarser category that measures the indicator, where the data holds none finer.
    pub measured_as: Option<MeasuredAs>,
}

/// Settings for verdicts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VerdictSettings {
    /// Fewer events than this in the two periods together: not assessable.
    pub min_events: i64,
}

impl Default for VerdictSettings {
    fn default() -> Self {
        VerdictSettings { min_events: 10 }
    }
}

/// Why an indicator has the verdict it has. Data, not words: `render::reason` words it.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// A partner measure no source provides.
    NoSource { measure: String },
    /// A category the taxonomy knows with no figures for the compared periods, and what exists.
    NoFigures {
        category: String,
        from: Period,
        to: Period,
        held: Vec<Held>,
    },
    /// Measured by `measured_as`, which this outcome already judges under `indicator`.
    SameMeasure {
        measured_as: String,
        indicator: String,
    },
    /// A partner measure the partner data has but cannot judge.
    Partner(PartnerGap),
    /// Either period is built from fewer months than it spans (labels as the comparison gives them).
    PartialYear { from: String, to: String },
    /// Months missing from their release inside the compared periods.
    MissingMonths { months: Vec<Month> },
    /// A break in the series falls inside the compared span.
    SeriesBreak { from: Month, reason: String },
    /// No desired direction: shown, never judged.
    Context { why: String, figures: Figures },
    /// Fewer than `min` events in the two periods together.
    SmallNumbers { events: i64, min: i64 },
    /// Not significant; `wrong_way` when it moved against the desired direction.
    NoChange {
        wrong_way: bool,
        figures: Figures,
        caveat: Option<SmallCount>,
    },
    /// An outcome rate (`charge rate: ...`) that cannot be compared at equal follow-up, and why.
    RateNotCompared { measure: String, why: String },
    /// An outcome rate compared at equal follow-up: its verdict and figures.
    Rate {
        verdict: Verdict,
        figures: RateFigures,
    },
    /// Significant, improving or worsening.
    Significant {
        verdict: Verdict,
        figures: Figures,
        caveat: Option<SmallCount>,
    },
}

/// The figures a reason quotes: both counts, the percentage change and the p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    pub from: i64,
    pub to: i64,
    pub pct_change: Option<f64>,
    pub p_value: Option<f64>,
    /// The p-value adjusted for the other categories tested with it.
    pub q_value: Option<f64>,
    /// The dispersion the test allowed for, where it was above Poisson.
    pub dispersion: Option<f64>,
}

/// An outcome rate in both periods at the same follow-up, and the test of its change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateFigures {
    /// Whose crimes (the force whose outcome files they are).
    pub area: String,
    /// Each period's (crimes in the group, crimes).
    pub from: (Period, (u64, u64)),
    pub to: (Period, (u64, u64)),
    pub follow_up: u32,
    pub test: crate::stats::justice_change::ProportionTest,
    /// Adjusted with every crime type and group of the two cohorts.
    pub q_value: f64,
}

impl Figures {
    fn of(c: &Change) -> Figures {
        Figures {
            from: c.from_count,
            to: c.to_count,
            pct_change: c.pct_change,
            p_value: c.p_value,
            q_value: c.q_value.filter(|q| Some(*q) != c.p_value),
            dispersion: (c.test == crate::stats::dispersion::Test::QuasiPoisson)
                .then(|| c.dispersion.map(|d| d.phi))
                .flatten(),
        }
    }
}

/// The smaller of two small counts, and its period: the caveat on a small-number change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SmallCount {
    pub count: i64,
    pub period: Period,
}

/// Why a partner measure's figures give no change to judge.
#[derive(Debug, Clone, PartialEq)]
pub enum PartnerGap {
    /// No figure for the compared periods in `missing`; the partner data holds the measure for
    /// `held` only (withheld in some of them when `withheld`).
    Missing {
        measure: String,
        missing: Vec<Period>,
        held: Vec<Period>,
        withheld: bool,
    },
    /// A figure's note says it covers part of the period.
    Partial { note: String },
    /// Withheld (`marker`) in either period.
    Suppressed {
        measure: String,
        marker: String,
        from: Period,
        to: Period,
    },
    /// A percentage or rate with no count behind it.
    NoCount {
        unit: Unit,
        values: (f64, f64),
        from: Period,
        to: Period,
    },
    /// Published in different units in the two periods.
    MixedUnits {
        measure: String,
        from: Period,
        to: Period,
    },
}

/// What the partner datasets say about the framework's partner measures in the compared periods:
/// a change where a measure is a count in both, else why it cannot be judged.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartnerEvidence {
    pub changes: Vec<Change>,
    /// By the measure's match key.
    pub reasons: std::collections::BTreeMap<String, PartnerGap>,
}

impl PartnerEvidence {
    /// From the partner figures of an area (`areas`: its name and aliases) for `cmp`'s periods.
    pub fn from_figures(figures: &[PartnerFigure], areas: &[String], cmp: &Comparison) -> Self {
        let settings = crate::stats::CompareSettings {
            alpha: cmp.alpha,
            small_numbers: cmp.small_numbers,
            adjust: crate::stats::dispersion::Adjust::None,
        };
        let in_area = |f: &&PartnerFigure| areas.iter().any(|a| same_name(a, &f.area));
        let mut out = PartnerEvidence::default();
        let mut measures: Vec<&str> = Vec::new();
        for f in figures.iter().filter(in_area) {
            if !measures.contains(&f.measure.as_str()) {
                measures.push(&f.measure);
            }
        }
        for m in measures {
            let at = |p| {
                figures
                    .iter()
                    .filter(in_area)
                    .find(|f| f.measure == m && f.period == p)
            };
            let mine: Vec<&PartnerFigure> = figures
                .iter()
                .filter(in_area)
                .filter(|f| f.measure == m)
                .collect();
            match partner_change(m, at(cmp.from), at(cmp.to), cmp, &settings) {
                Ok(c) => out.changes.push(c),
                Err(reason) => {
                    out.reasons.insert(
                        Category::from(m).key().to_string(),
                        with_held(reason, &mine),
                    );
                }
            }
        }
        out
    }
}

/// A missing-figure gap with the periods the measure's figures do cover.
fn with_held(gap: PartnerGap, mine: &[&PartnerFigure]) -> PartnerGap {
    match gap {
        PartnerGap::Missing {
            measure, missing, ..
        } => {
            let mut held: Vec<Period> = mine.iter().map(|f| f.period).collect();
            held.sort();
            held.dedup();
            let withheld = mine.iter().any(|f| matches!(f.value, Value::Suppressed(_)));
            PartnerGap::Missing {
                measure,
                missing,
                held,
                withheld,
            }
        }
        other => other,
    }
}

/// A partner measure's change, or why there is none.
fn partner_change(
    measure: &str,
    from: Option<&PartnerFigure>,
    to: Option<&PartnerFigure>,
    cmp: &Comparison,
    settings: &crate::stats::CompareSettings,
) -> std::result::Result<Change, PartnerGap> {
    let (Some(a), Some(b)) = (from, to) else {
        let missing = [(cmp.from, from), (cmp.to, to)];
        let missing = missing.iter().filter(|(_, f)| f.is_none()).map(|(p, _)| *p);
        return Err(PartnerGap::Missing {
            measure: measure.to_string(),
            missing: missing.collect(),
            held: Vec::new(),
            withheld: false,
        });
    };
    if let Some(note) = [a, b]
        .iter()
        .find_map(|f| f.note.as_deref().filter(|n| n.starts_with("partial")))
    {
        let note = note.to_string();
        return Err(PartnerGap::Partial { note });
    }
    let (measure, from, to) = (measure.to_string(), cmp.from, cmp.to);
    match (&a.value, &b.value) {
        (Value::Count(x), Value::Count(y)) => Ok(Change::new(measure.as_str(), *x, *y, settings)),
        (Value::Suppressed(m), _) | (_, Value::Suppressed(m)) => Err(PartnerGap::Suppressed {
            measure,
            marker: m.clone(),
            from,
            to,
        }),
        (Value::Measure(x), Value::Measure(y)) => Err(PartnerGap::NoCount {
            unit: b.unit,
            values: (*x, *y),
            from,
            to,
        }),
        _ => Err(PartnerGap::MixedUnits { measure, from, to }),
    }
}

/// Assesses every indicator of every outcome against `ev`, in framework order. Within one
/// outcome, a coarser category stands for the first indicator it measures only: the others it
/// holds are not assessable, naming that one, so one count is never judged twice in an outcome.
pub fn assess_all(
    fw: &Framework,
    ev: &Evidence,
    settings: &VerdictSettings,
) -> Result<Vec<Assessment>> {
    let mut out = Vec::new();
    for outcome in &fw.outcomes {
        let mut standing: Vec<(String, String)> = Vec::new();
        for indicator in &outcome.indicators {
            let measure = resolve::measure(fw, &outcome.id, indicator, ev)?;
            let measure = once_per_outcome(measure, indicator, &mut standing);
            out.push(assessment(
                &outcome.id,
                indicator,
                measure,
                ev.cmp,
                settings,
            ));
        }
    }
    Ok(out)
}

/// `measure`, or "same measure" when a coarser category already stands for an earlier
/// indicator of the outcome (`standing`: category, indicator).
fn once_per_outcome<'a>(
    measure: Measure<'a>,
    ind: &Indicator,
    standing: &mut Vec<(String, String)>,
) -> Measure<'a> {
    let Measure::Change(_, Some(m)) = &measure else {
        return measure;
    };
    if let Some((_, first)) = standing.iter().find(|(cat, _)| *cat == m.category) {
        let reason = Reason::SameMeasure {
            measured_as: m.category.clone(),
            indicator: first.clone(),
        };
        return Measure::Nothing(reason);
    }
    standing.push((m.category.clone(), ind.subject.label().to_string()));
    measure
}

/// One indicator's assessment from how it is measured.
fn assessment(
    outcome: &str,
    indicator: &Indicator,
    measure: Measure,
    cmp: &Comparison,
    settings: &VerdictSettings,
) -> Assessment {
    let (change, measured_as) = match &measure {
        Measure::Change(c, m) => (Some(*c), m.clone()),
        Measure::Nothing(_) | Measure::Judged(..) => (None, None),
    };
    let (verdict, reason) = match measure {
        Measure::Change(c, _) => judge(indicator, c, cmp, settings),
        Measure::Nothing(reason) => (Verdict::NotAssessable, reason),
        Measure::Judged(verdict, reason) => (verdict, reason),
    };
    let rate_against = match &reason {
        Reason::Rate { figures, .. } => match indicator.direction {
            Direction::Down => figures.test.difference > 0.0,
            Direction::Up => figures.test.difference < 0.0,
            Direction::Context => false,
        },
        _ => false,
    };
    Assessment {
        outcome: outcome.to_string(),
        indicator: indicator.subject.label().to_string(),
        direction: indicator.direction,
        verdict,
        wrong_way: verdict == Verdict::NoChange
            && (rate_against || change.is_some_and(|c| against(indicator.direction, c))),
        small_numbers: change.is_some_and(|c| c.small_numbers),
        reason,
        themes: indicator.themes.clone(),
        change: change.cloned(),
        measured_as,
    }
}

fn judge(ind: &Indicator, c: &Change, cmp: &Comparison, s: &VerdictSettings) -> (Verdict, Reason) {
    if let Some(reason) = unassessable(ind, c, cmp, s) {
        let verdict = match reason {
            Reason::Context { .. } => Verdict::Context,
            _ => Verdict::NotAssessable,
        };
        return (verdict, reason);
    }
    let figures = Figures::of(c);
    let caveat = c.small_numbers.then(|| smaller(c, cmp));
    if !c.significant {
        let wrong_way = against(ind.direction, c);
        return (
            Verdict::NoChange,
            Reason::NoChange {
                wrong_way,
                figures,
                caveat,
            },
        );
    }
    let verdict = if against(ind.direction, c) {
        Verdict::Worsening
    } else {
        Verdict::Improving
    };
    let reason = Reason::Significant {
        verdict,
        figures,
        caveat,
    };
    (verdict, reason)
}

/// Why a change that exists cannot be judged, in the order the module doc gives, or `None`.
fn unassessable(
    ind: &Indicator,
    c: &Change,
    cmp: &Comparison,
    s: &VerdictSettings,
) -> Option<Reason> {
    if cmp.is_partial() {
        let (from, to) = (cmp.label(false), cmp.label(true));
        return Some(Reason::PartialYear { from, to });
    }
    if !c.missing.is_empty() {
        let months = c.missing.clone();
        return Some(Reason::MissingMonths { months });
    }
    if let Some(crate::stats::compare::Across::Changed { series_break: b }) = &c.across {
        let reason = b.reason.clone();
        return Some(Reason::SeriesBreak {
            from: b.from,
            reason,
        });
    }
    let (first, last) = (cmp.from.first_month(), cmp.to.last_month());
    if let Some(b) = ind.breaks.iter().find(|b| first < b.from && b.from <= last) {
        let reason = b.reason.clone();
        return Some(Reason::SeriesBreak {
            from: b.from,
            reason,
        });
    }
    if ind.direction == Direction::Context {
        let why = ind.why.clone();
        return Some(Reason::Context {
            why,
            figures: Figures::of(c),
        });
    }
    let events = c.from_count + c.to_count;
    (events < s.min_events).then_some(Reason::SmallNumbers {
        events,
        min: s.min_events,
    })
}

/// Whether the change runs against the desired direction.
fn against(direction: Direction, c: &Change) -> bool {
    match direction {
        Direction::Down => c.change > 0,
        Direction::Up => c.change < 0,
        Direction::Context => false,
    }
}

/// The smaller count and its period (the earlier on a tie).
fn smaller(c: &Change, cmp: &Comparison) -> SmallCount {
    if c.from_count <= c.to_count {
        SmallCount {
            count: c.from_count,
            period: cmp.from,
        }
    } else {
        SmallCount {
            count: c.to_count,
            period: cmp.to,
        }
    }
}
