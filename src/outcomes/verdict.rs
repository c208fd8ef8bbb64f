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
//! A category that no source provides is an error, not a verdict: it is a typo or a missing source.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::harmonise::label;
use crate::model::{PartnerFigure, Value};
use crate::outcomes::framework::{Direction, Framework, Indicator, Subject};
use crate::render::format::{sig4, signed_pct, thousands};
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
    pub reason: String,
    /// Not significant, but moving against the desired direction.
    pub wrong_way: bool,
    pub small_numbers: bool,
    pub themes: Vec<String>,
    pub change: Option<Change>,
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

/// What the partner datasets say about the framework's partner measures in the compared periods:
/// a change where a measure is a count in both, else why it cannot be judged.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartnerEvidence {
    pub changes: Vec<Change>,
    /// By the measure's match key.
    pub reasons: std::collections::BTreeMap<String, String>,
}

impl PartnerEvidence {
    /// From the partner figures of an area (`areas`: its name and aliases) for `cmp`'s periods.
    pub fn from_figures(figures: &[PartnerFigure], areas: &[String], cmp: &Comparison) -> Self {
        let settings = crate::stats::CompareSettings {
            alpha: cmp.alpha,
            small_numbers: cmp.small_numbers,
        };
        let in_area = |f: &&PartnerFigure| {
            areas
                .iter()
                .any(|a| label::match_key(a) == label::match_key(&f.area))
        };
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
            match partner_change(m, at(cmp.from), at(cmp.to), cmp, &settings) {
                Ok(c) => out.changes.push(c),
                Err(reason) => {
                    out.reasons.insert(label::match_key(m), reason);
                }
            }
        }
        out
    }
}

/// A partner measure's change, or why there is none.
fn partner_change(
    measure: &str,
    from: Option<&PartnerFigure>,
    to: Option<&PartnerFigure>,
    cmp: &Comparison,
    settings: &crate::stats::CompareSettings,
) -> std::result::Result<Change, String> {
    let (Some(a), Some(b)) = (from, to) else {
        let lacking = if from.is_none() { cmp.from } else { cmp.to };
        return Err(format!(
            "missing data: the partner data has no `{measure}` for {lacking}"
        ));
    };
    if let Some(note) = [a, b]
        .iter()
        .find_map(|f| f.note.as_deref().filter(|n| n.starts_with("partial")))
    {
        return Err(format!("partial year: {note}"));
    }
    match (&a.value, &b.value) {
        (Value::Count(x), Value::Count(y)) => Ok(Change::new(measure, *x, *y, settings)),
        (Value::Suppressed(m), _) | (_, Value::Suppressed(m)) => Err(format!(
            "suppressed: `{measure}` is withheld ({m}) in {} or {}",
            cmp.from, cmp.to
        )),
        (Value::Measure(x), Value::Measure(y)) => Err(format!(
            "a {} with no count behind it ({x} in {}, {y} in {}): no test of the change is possible",
            format!("{:?}", b.unit).to_lowercase(),
            cmp.from,
            cmp.to
        )),
        _ => Err(format!(
            "`{measure}` is published in different units in {} and {}",
            cmp.from, cmp.to
        )),
    }
}

/// Assesses every indicator of every outcome against `cmp` (and partner measures against the
/// partner data), in framework order.
pub fn assess_all(
    fw: &Framework,
    cmp: &Comparison,
    settings: &VerdictSettings,
    partner: &PartnerEvidence,
) -> Result<Vec<Assessment>> {
    let mut out = Vec::new();
    for outcome in &fw.outcomes {
        for indicator in &outcome.indicators {
            let change = find_change(fw, &outcome.id, indicator, cmp)?.or_else(|| {
                let key = label::match_key(indicator.subject.label());
                partner
                    .changes
                    .iter()
                    .find(|c| label::match_key(&c.category) == key)
            });
            let why_not = partner
                .reasons
                .get(&label::match_key(indicator.subject.label()));
            let (verdict, reason) = judge(indicator, change, why_not, cmp, settings);
            out.push(Assessment {
                outcome: outcome.id.clone(),
                indicator: indicator.subject.label().to_string(),
                direction: indicator.direction,
                verdict,
                wrong_way: verdict == Verdict::NoChange
                    && change.is_some_and(|c| against(indicator.direction, c)),
                small_numbers: change.is_some_and(|c| c.small_numbers),
                reason,
                themes: indicator.themes.clone(),
                change: change.cloned(),
            });
        }
    }
    Ok(out)
}

/// The comparison row for an indicator: `None` for a measure no source has; an error for a
/// category no source has, naming the closest categories there are.
fn find_change<'a>(
    fw: &Framework,
    outcome: &str,
    ind: &Indicator,
    cmp: &'a Comparison,
) -> Result<Option<&'a Change>> {
    let key = label::match_key(ind.subject.label());
    let found = cmp
        .rows
        .iter()
        .find(|r| label::match_key(&r.category) == key);
    match (&ind.subject, found) {
        (_, Some(c)) => Ok(Some(c)),
        (Subject::Measure(_), None) => Ok(None),
        (Subject::Category(c), None) => {
            let known: Vec<&str> = cmp.rows.iter().map(|r| r.category.as_str()).collect();
            Err(Error::Framework {
                file: fw.file.clone(),
                entry: format!("outcome `{outcome}`, indicator `{c}`"),
                message: format!(
                    "no source provides this category for {} and {}; closest: {}",
                    cmp.from,
                    cmp.to,
                    label::closest(c, &known).join(", ")
                ),
            })
        }
    }
}

fn judge(
    ind: &Indicator,
    change: Option<&Change>,
    why_not: Option<&String>,
    cmp: &Comparison,
    s: &VerdictSettings,
) -> (Verdict, String) {
    let Some(c) = change else {
        let reason = why_not.cloned().unwrap_or_else(|| {
            format!(
                "missing data: no source provides the measure `{}`",
                ind.subject.label()
            )
        });
        return (Verdict::NotAssessable, reason);
    };
    if cmp.is_partial() {
        let reason = format!(
            "partial year: {} compared with {}",
            cmp.label(false),
            cmp.label(true)
        );
        return (Verdict::NotAssessable, reason);
    }
    let (first, last) = (cmp.from.first_month(), cmp.to.last_month());
    if let Some(b) = ind.breaks.iter().find(|b| first < b.from && b.from <= last) {
        return (
            Verdict::NotAssessable,
            format!("series break from {}: {}", b.from, b.reason),
        );
    }
    if ind.direction == Direction::Context {
        return (
            Verdict::Context,
            format!("context only: {}; {}", ind.why, figures(c)),
        );
    }
    let events = c.from_count + c.to_count;
    if events < s.min_events {
        let reason = format!(
            "small numbers: {events} events in the two periods (fewer than {})",
            s.min_events
        );
        return (Verdict::NotAssessable, reason);
    }
    let caveat = if c.small_numbers {
        format!(
            "; small numbers ({} in {})",
            thousands(c.from_count.min(c.to_count)),
            smaller_period(c, cmp)
        )
    } else {
        String::new()
    };
    if !c.significant {
        let way = if against(ind.direction, c) {
            ", moving the wrong way"
        } else {
            ""
        };
        return (
            Verdict::NoChange,
            format!("no significant change{way}: {}{caveat}", figures(c)),
        );
    }
    let verdict = if against(ind.direction, c) {
        Verdict::Worsening
    } else {
        Verdict::Improving
    };
    (
        verdict,
        format!("{}: {}{caveat}", verdict.label(), figures(c)),
    )
}

/// Whether the change runs against the desired direction.
fn against(direction: Direction, c: &Change) -> bool {
    match direction {
        Direction::Down => c.change > 0,
        Direction::Up => c.change < 0,
        Direction::Context => false,
    }
}

fn figures(c: &Change) -> String {
    let pct = c
        .pct_change
        .map_or_else(String::new, |p| format!(" ({}%)", signed_pct(Some(p))));
    let p = c
        .p_value
        .map_or_else(|| "no test".to_string(), |p| format!("p {}", sig4(Some(p))));
    format!(
        "{} to {}{pct}, {p}",
        thousands(c.from_count),
        thousands(c.to_count)
    )
}

fn smaller_period(c: &Change, cmp: &Comparison) -> String {
    if c.from_count <= c.to_count {
        cmp.from.to_string()
    } else {
        cmp.to.to_string()
    }
}
