//! Outcome tables: one row per outcome, and with detail one row per indicator.

use crate::outcomes::{Assessment, DataRag, OutcomeAssessment, OutcomeSummary, Verdict};
use crate::render::format::{and_list, p_value, pct};
use crate::render::table::{aligned, defuse, markdown, write_csv};

/// The outcome CSV's columns, in order. `not_assessable` includes context-only indicators.
pub const OUTCOME_COLUMNS: [&str; 7] = [
    "outcome",
    "data_rag",
    "improving",
    "worsening",
    "no_change",
    "not_assessable",
    "activity_rag",
];

/// The indicator detail CSV's columns, in order.
pub const DETAIL_COLUMNS: [&str; 11] = [
    "outcome",
    "indicator",
    "direction",
    "from_count",
    "to_count",
    "change",
    "pct_change",
    "p_value",
    "q_value",
    "verdict",
    "reason",
];

fn outcome_row(o: &OutcomeSummary) -> Vec<String> {
    vec![
        o.title.clone(),
        o.data_rag.label().to_string(),
        o.improving.to_string(),
        o.worsening.to_string(),
        o.no_change.to_string(),
        o.not_assessable.to_string(),
        o.activity_rag.clone().unwrap_or_default(),
    ]
}

fn detail_row(a: &Assessment, title: &str) -> Vec<String> {
    let c = a.change.as_ref();
    let n = |f: fn(&crate::stats::Change) -> i64| c.map_or_else(String::new, |c| f(c).to_string());
    vec![
        title.to_string(),
        a.indicator.clone(),
        format!("{:?}", a.direction).to_lowercase(),
        n(|c| c.from_count),
        n(|c| c.to_count),
        n(|c| c.change),
        c.map_or_else(String::new, |c| pct(c.pct_change)),
        c.map_or_else(String::new, |c| p_value(c.p_value)),
        c.map_or_else(String::new, |c| p_value(c.q_value)),
        a.verdict.label().to_string(),
        crate::render::reason::reason_text(a),
    ]
}

fn title<'a>(oa: &'a OutcomeAssessment, id: &'a str) -> &'a str {
    oa.outcomes
        .iter()
        .find(|o| o.id == id)
        .map_or(id, |o| o.title.as_str())
}

fn rows(oa: &OutcomeAssessment, detail: bool) -> (Vec<String>, Vec<Vec<String>>) {
    if detail {
        let rows = oa
            .indicators
            .iter()
            .map(|a| detail_row(a, title(oa, &a.outcome)))
            .collect();
        (DETAIL_COLUMNS.map(String::from).to_vec(), rows)
    } else {
        (
            OUTCOME_COLUMNS.map(String::from).to_vec(),
            oa.outcomes.iter().map(outcome_row).collect(),
        )
    }
}

/// Outcomes (or, with `detail`, indicators) as CSV.
pub fn csv(oa: &OutcomeAssessment, detail: bool) -> String {
    let (header, body) = rows(oa, detail);
    let numeric = numeric(&header);
    let safe = |r: Vec<String>| {
        r.into_iter()
            .zip(&numeric)
            .map(|(c, &n)| if n { c } else { defuse(&c) })
            .collect()
    };
    let mut all = vec![header];
    all.extend(body.into_iter().map(safe));
    write_csv(&all)
}

/// Outcomes (or indicators) as aligned text.
pub fn text(oa: &OutcomeAssessment, detail: bool) -> String {
    let (header, body) = rows(oa, detail);
    aligned(&header, &body, &numeric(&header))
}

/// Outcomes (or indicators) as a Markdown table.
pub fn markdown_table(oa: &OutcomeAssessment, detail: bool) -> String {
    let (header, body) = rows(oa, detail);
    markdown(&header, &body, &numeric(&header))
}

/// Which columns hold numbers (right-aligned).
fn numeric(header: &[String]) -> Vec<bool> {
    let numbers = [
        "improving",
        "worsening",
        "no_change",
        "not_assessable",
        "from_count",
        "to_count",
        "change",
        "pct_change",
        "p_value",
        "q_value",
    ];
    header
        .iter()
        .map(|h| numbers.contains(&h.as_str()))
        .collect()
}

/// An outcome's finding in one sentence, for its panel's title: which indicators rose or fell
/// beyond chance ("Violence without injury, rape and other sexual offences rose beyond chance"),
/// else that none did (naming those that moved the wrong way), else that none could be assessed.
pub fn finding_title(o: &OutcomeSummary, indicators: &[&Assessment]) -> String {
    if o.data_rag == DataRag::NoEvidence {
        return "No indicator could be assessed: the numbers cannot say either way".into();
    }
    let moved = |verdict: Verdict, rose: bool| -> Vec<&str> {
        indicators
            .iter()
            .filter(|a| a.verdict == verdict)
            .filter(|a| a.change.as_ref().is_some_and(|c| (c.change > 0) == rose))
            .map(|a| a.indicator.as_str())
            .collect()
    };
    let mut parts = Vec::new();
    for verdict in [Verdict::Worsening, Verdict::Improving] {
        for (rose, word) in [(true, "rose"), (false, "fell")] {
            let names = moved(verdict, rose);
            if !names.is_empty() {
                parts.push(format!("{} {word} beyond chance", names_in_prose(&names)));
            }
        }
    }
    if parts.is_empty() {
        let wrong: Vec<&str> = indicators
            .iter()
            .filter(|a| a.wrong_way)
            .map(|a| a.indicator.as_str())
            .collect();
        parts.push("No indicator changed beyond chance".into());
        if !wrong.is_empty() {
            parts.push(format!("{} moved the wrong way", names_in_prose(&wrong)));
        }
    }
    let mut text = parts.join("; ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text
}

/// Indicator names as a list in a sentence: words lower-cased except acronyms ("ASB").
fn names_in_prose(names: &[&str]) -> String {
    let lower = |name: &str| {
        name.split(' ')
            .map(|w| {
                let caps = w.chars().filter(|c| c.is_uppercase()).count();
                if caps > 1 {
                    w.to_string()
                } else {
                    w.to_lowercase()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let listed: Vec<String> = names.iter().map(|n| lower(n)).collect();
    and_list(&listed)
}
