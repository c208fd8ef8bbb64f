//! Icons for the "indicators at a glance" table, as board papers show them (NHS England's Making
//! Data Count): a variation icon and an assurance icon beside each indicator's year-on-year
//! verdict. Each is inline SVG with its meaning as its accessible name, and the table says the same
//! in words, so neither colour nor shape is ever the only cue.

use crate::outcomes::Verdict;
use crate::stats::spc::{Assurance, Cause, Variation};

/// Okabe-Ito blue (improving, pass), vermillion (concerning, fail), reddish purple (neither) and
/// grey (common cause, inconsistent).
const BLUE: &str = "#0072B2";
const ORANGE: &str = "#D55E00";
const PURPLE: &str = "#CC79A7";
const GREY: &str = "#767676";

/// A round icon with a letter, named for screen readers.
fn icon(colour: &str, letter: &str, name: &str) -> String {
    format!(
        "<svg class=\"icon\" role=\"img\" aria-label=\"{name}\" width=\"28\" height=\"28\" viewBox=\"0 0 28 28\"><title>{name}</title><circle cx=\"14\" cy=\"14\" r=\"12\" fill=\"{colour}\"/><text x=\"14\" y=\"19\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\" fill=\"#fff\" font-family=\"sans-serif\">{letter}</text></svg>"
    )
}

/// The year-on-year verdict's icon: an arrow for a change beyond chance, a dash otherwise.
pub fn verdict_icon(v: Verdict) -> String {
    match v {
        Verdict::Improving => icon(BLUE, "\u{2713}", "improving"),
        Verdict::Worsening => icon(ORANGE, "!", "worsening"),
        Verdict::NoChange => icon(GREY, "\u{2013}", "no significant change"),
        Verdict::NotAssessable | Verdict::Context => icon(GREY, "?", "not assessable"),
    }
}

/// The SPC variation icon: H or L for a high or low special cause, ~ for common cause.
pub fn variation_icon(v: Variation, cause: Cause) -> String {
    let letter = match cause.side() {
        1 => "H",
        -1 => "L",
        _ => "~",
    };
    let name = variation_words(v, cause);
    match v {
        Variation::Common => icon(GREY, letter, &name),
        Variation::Improving => icon(BLUE, letter, &name),
        Variation::Concerning => icon(ORANGE, letter, &name),
        Variation::Neither => icon(PURPLE, letter, &name),
    }
}

/// The variation in words: "special cause, concerning (high)".
pub fn variation_words(v: Variation, cause: Cause) -> String {
    let side = match cause.side() {
        1 => " (high)",
        -1 => " (low)",
        _ => "",
    };
    match v {
        Variation::Common => "common cause variation".into(),
        Variation::Improving => format!("special cause, improving{side}"),
        Variation::Concerning => format!("special cause, concerning{side}"),
        Variation::Neither => format!("special cause, no desired direction{side}"),
    }
}

/// The assurance icon: P (the target is consistently met), F (consistently missed), ? (either).
pub fn assurance_icon(a: Assurance) -> String {
    match a {
        Assurance::ConsistentPass => icon(BLUE, "P", "target consistently met"),
        Assurance::ConsistentFail => icon(ORANGE, "F", "target consistently missed"),
        Assurance::Inconsistent => icon(GREY, "?", "target met and missed by chance"),
    }
}

/// The assurance in words.
pub fn assurance_words(a: Option<Assurance>) -> &'static str {
    match a {
        Some(Assurance::ConsistentPass) => "target consistently met",
        Some(Assurance::ConsistentFail) => "target consistently missed",
        Some(Assurance::Inconsistent) => "target met and missed by chance",
        None => "no numeric target",
    }
}
