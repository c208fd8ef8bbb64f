//! Which figures measure an indicator.
//!
//! In order: the comparison row of the indicator's own category (by spelling, else by the
//! taxonomy's name); for a Home Office subgroup no loaded source holds that finely, the row of the
//! data.police.uk type the taxonomy says holds it, noted as what it is measured as; for a partner
//! measure, the partner data's change. Where nothing in the compared periods measures it, the
//! reason says what the loaded data does hold. A label the taxonomy does not know and no source
//! provides is an error: it is a typo or a missing source, never a silent "not assessable".

use serde::Serialize;

use crate::error::{Error, Result};
use crate::harmonise::label;
use crate::harmonise::taxonomy::Taxonomy;
use crate::model::{Category, Dataset, Period};
use crate::outcomes::framework::{Framework, Indicator, Subject};
use crate::outcomes::verdict::{PartnerEvidence, Reason};
use crate::stats::{Change, Comparison};

/// What an indicator is judged against.
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    pub cmp: &'a Comparison,
    pub partner: &'a PartnerEvidence,
    pub taxonomy: &'a Taxonomy,
    /// Everything loaded, to say what exists where the compared periods hold nothing.
    pub data: &'a Dataset,
}

/// The category that stands for an indicator the data does not hold as finely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasuredAs {
    /// The data.police.uk type, as the comparison names it.
    pub category: String,
    /// The type holds other subgroups too, so it is coarser than the indicator.
    pub coarser: bool,
}

/// What the loaded data holds of a category outside the compared periods, in one area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub area: String,
    pub first: Period,
    pub last: Period,
    /// The sources (config names) that hold it.
    pub sources: Vec<String>,
}

/// How an indicator is measured.
pub enum Measure<'a> {
    /// A change: the indicator's own, or (with `MeasuredAs`) the category that holds it.
    Change(&'a Change, Option<MeasuredAs>),
    /// Nothing to judge, and why.
    Nothing(Reason),
    /// Judged where it was measured (an outcome rate, by its own test).
    Judged(crate::outcomes::verdict::Verdict, Reason),
}

/// How `ind` of `outcome` is measured in `ev`.
pub fn measure<'a>(
    fw: &Framework,
    outcome: &str,
    ind: &Indicator,
    ev: &Evidence<'a>,
) -> Result<Measure<'a>> {
    let wanted = ind.subject.category();
    let named = ev.taxonomy.category(wanted.as_str());
    let rows = compared(ev.cmp);
    if let Some(c) = find(rows.clone(), wanted).or_else(|| find(rows, &named)) {
        return Ok(Measure::Change(c, None));
    }
    match &ind.subject {
        Subject::Measure(m) => match super::rate::parse(m.as_str()) {
            Some(rate) => {
                let (verdict, reason) =
                    super::rate::judge((fw, outcome), ind, rate, ev.cmp, ev.data)?;
                Ok(Measure::Judged(verdict, reason))
            }
            None => Ok(partner(ev, m.as_str(), wanted)),
        },
        Subject::Category(c) => {
            if let Some(found) = through_taxonomy(ev, c.as_str()) {
                return Ok(found);
            }
            if !ev.taxonomy.knows(c.as_str()) {
                return Err(unknown(fw, outcome, c.as_str(), ev.cmp));
            }
            Ok(Measure::Nothing(Reason::NoFigures {
                category: c.as_str().to_string(),
                from: ev.cmp.from,
                to: ev.cmp.to,
                held: held(ev.data, wanted),
            }))
        }
    }
}

/// The change for `wanted`: the row spelt the same way, else the row the taxonomy names the same.
pub fn find<'a, I>(changes: I, wanted: &Category) -> Option<&'a Change>
where
    I: IntoIterator<Item = &'a Change> + Clone,
{
    let mut all = changes.clone().into_iter();
    all.find(|c| c.category.key() == wanted.key())
        .or_else(|| changes.into_iter().find(|c| c.category.names_same(wanted)))
}

/// Every row of a comparison an indicator can name: the categories, the rows shown apart from
/// the total (anti-social behaviour) and categories compared together across a break.
fn compared(cmp: &Comparison) -> impl Iterator<Item = &Change> + Clone {
    cmp.rows.iter().chain(&cmp.separate).chain(&cmp.together)
}

/// A partner measure's change, or why there is none.
fn partner<'a>(ev: &Evidence<'a>, measure: &str, wanted: &Category) -> Measure<'a> {
    if let Some(c) = find(&ev.partner.changes, wanted) {
        return Measure::Change(c, None);
    }
    let reason = ev.partner.reasons.get(wanted.key()).cloned().map_or_else(
        || Reason::NoSource {
            measure: measure.to_string(),
        },
        Reason::Partner,
    );
    Measure::Nothing(reason)
}

/// The row of the data.police.uk type that holds the subgroup `label` names, if one was compared.
fn through_taxonomy<'a>(ev: &Evidence<'a>, label: &str) -> Option<Measure<'a>> {
    let holder = ev.taxonomy.police_uk_type_holding(label)?;
    let change = find(
        compared(ev.cmp),
        &Category::from(holder.crime_type.as_str()),
    )?;
    let measured_as = MeasuredAs {
        category: change.category.as_str().to_string(),
        coarser: holder.subgroups.len() > 1,
    };
    Some(Measure::Change(change, Some(measured_as)))
}

/// Per area, the span of periods the loaded observations hold `wanted` for, and their sources.
fn held(data: &Dataset, wanted: &Category) -> Vec<Held> {
    let mut out: Vec<Held> = Vec::new();
    let same = |c: &Category| c.key() == wanted.key() || c.names_same(wanted);
    for o in data.observations.iter().filter(|o| same(&o.category)) {
        let source = &data.inputs[o.input].source;
        match out.iter_mut().find(|h| h.area == o.area) {
            Some(h) => {
                h.first = h.first.min(o.period);
                h.last = h.last.max(o.period);
                if !h.sources.contains(source) {
                    h.sources.push(source.clone());
                }
            }
            None => out.push(Held {
                area: o.area.clone(),
                first: o.period,
                last: o.period,
                sources: vec![source.clone()],
            }),
        }
    }
    out.sort_by(|a, b| a.area.cmp(&b.area));
    out
}

/// The error for a category no source provides and the taxonomy does not know.
fn unknown(fw: &Framework, outcome: &str, c: &str, cmp: &Comparison) -> Error {
    let known: Vec<&str> = compared(cmp).map(|r| r.category.as_str()).collect();
    Error::Framework {
        file: fw.file.clone(),
        entry: format!("outcome `{outcome}`, indicator `{c}`"),
        message: format!(
            "no source provides this category for {} and {}, and the taxonomy does not know it; closest: {}",
            cmp.from,
            cmp.to,
            label::closest(c, &known).join(", ")
        ),
    }
}
