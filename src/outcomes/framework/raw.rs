//! The framework file as written (serde's view of the TOML) and its checks: unique ids, known
//! themes and outcomes, valid years and directions.

use std::collections::HashSet;

use serde::Deserialize;

use super::*;
use crate::harmonise::FinancialYear;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFramework {
    pub(super) plan: RawPlan,
    #[serde(default, rename = "theme")]
    pub(super) themes: Vec<Theme>,
    #[serde(default, rename = "outcome")]
    pub(super) outcomes: Vec<RawOutcome>,
    #[serde(default, rename = "rag_key")]
    pub(super) keys: Vec<RagKey>,
    #[serde(default, rename = "activity_report")]
    pub(super) reports: Vec<RawReport>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlan {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) first_year: Option<String>,
    pub(super) last_year: Option<String>,
    pub(super) source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOutcome {
    pub(super) id: String,
    pub(super) title: String,
    #[serde(default, rename = "indicator")]
    pub(super) indicators: Vec<RawIndicator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIndicator {
    pub(super) category: Option<String>,
    pub(super) measure: Option<String>,
    pub(super) direction: Direction,
    pub(super) why: String,
    #[serde(default)]
    pub(super) themes: Vec<String>,
    pub(super) target: Option<String>,
    #[serde(default)]
    pub(super) breaks: Vec<RawBreak>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBreak {
    pub(super) from: String,
    pub(super) reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReport {
    pub(super) date: String,
    pub(super) key: String,
    pub(super) activities: String,
    #[serde(default)]
    pub(super) outcome_rag: BTreeMap<String, String>,
}

/// A framework error for `entry` in `file`.
pub(super) fn plan(raw: RawPlan, file: &str) -> Result<Plan> {
    let year = |v: Option<String>, key: &str| {
        v.map(|s| {
            s.parse::<FinancialYear>()
                .map_err(|e| err(file, format!("plan.{key}"), e.to_string()))
        })
        .transpose()
    };
    Ok(Plan {
        first_year: year(raw.first_year, "first_year")?,
        last_year: year(raw.last_year, "last_year")?,
        id: raw.id,
        title: raw.title,
        source: raw.source,
    })
}

pub(super) fn outcome(raw: RawOutcome, themes: &HashSet<&str>, file: &str) -> Result<Outcome> {
    let entry = format!("outcome `{}`", raw.id);
    if raw.indicators.is_empty() {
        return Err(err(
            file,
            &entry,
            "the outcome has no indicators; add at least one [[outcome.indicator]]",
        ));
    }
    let mut indicators = Vec::new();
    for i in raw.indicators {
        indicators.push(indicator(i, themes, file, &entry)?);
    }
    Ok(Outcome {
        id: raw.id,
        title: raw.title,
        indicators,
    })
}

pub(super) fn indicator(
    raw: RawIndicator,
    themes: &HashSet<&str>,
    file: &str,
    outcome: &str,
) -> Result<Indicator> {
    let subject = match (raw.category, raw.measure) {
        (Some(c), None) => Subject::Category(Category::from(c)),
        (None, Some(m)) => Subject::Measure(Category::from(m)),
        _ => {
            return Err(err(
                file,
                outcome,
                "each indicator names exactly one of `category` or `measure`",
            ));
        }
    };
    let entry = format!("{outcome}, indicator `{}`", subject.label());
    if let Some(t) = raw.themes.iter().find(|t| !themes.contains(t.as_str())) {
        return Err(err(
            file,
            &entry,
            format!("theme `{t}` is not a [[theme]] in this file"),
        ));
    }
    let mut breaks = Vec::new();
    for b in raw.breaks {
        let from = b
            .from
            .parse()
            .map_err(|e| err(file, &entry, format!("breaks.from: {e}")))?;
        breaks.push(SeriesBreak {
            from,
            reason: b.reason,
        });
    }
    Ok(Indicator {
        subject,
        direction: raw.direction,
        why: raw.why,
        themes: raw.themes,
        target: raw.target,
        breaks,
    })
}

pub(super) fn unique<'a>(ids: impl Iterator<Item = &'a str>, file: &str, what: &str) -> Result<()> {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            return Err(err(
                file,
                format!("{what} `{id}`"),
                format!("the id `{id}` is used twice; ids must be unique"),
            ));
        }
    }
    Ok(())
}
