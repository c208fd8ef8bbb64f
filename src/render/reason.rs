//! Verdict reasons and activity details in words: outcomes return them typed ([`Reason`],
//! [`ActivityDetail`]); this is the one place that says them. Each serialises as these words, so
//! every table, report and JSON output reads the same.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::model::Period;
use crate::outcomes::ActivityDetail;
use crate::outcomes::resolve::Held;
use crate::outcomes::verdict::{Assessment, Figures, PartnerGap, Reason, SmallCount, Verdict};
use crate::render::format::{and_list, p_value, sig4, signed_pct, thousands};

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NoSource { measure } => {
                write!(f, "no figures: no loaded source provides {measure}")
            }
            Reason::NoFigures {
                category,
                from,
                to,
                held,
            } => no_figures(f, category, (from, to), held),
            Reason::SameMeasure {
                measured_as,
                indicator,
            } => write!(
                f,
                "measured as {measured_as}, which this outcome already judges under {indicator}"
            ),
            Reason::Partner(gap) => gap.fmt(f),
            Reason::PartialYear { from, to } => {
                write!(f, "partial year: {from} compared with {to}")
            }
            Reason::MissingMonths { months } => {
                let note = crate::render::table::missing_note(months);
                write!(f, "partial year: {}", note.trim_start_matches("partial: "))
            }
            Reason::SeriesBreak { from, reason } => write!(f, "series break from {from}: {reason}"),
            Reason::Context { why, figures } => write!(f, "context only: {why}; {figures}"),
            Reason::SmallNumbers { events, min } => write!(
                f,
                "small numbers: {events} events in the two periods (fewer than {min})"
            ),
            Reason::NoChange {
                wrong_way,
                figures,
                caveat,
            } => {
                let way = if *wrong_way {
                    ", moving the wrong way"
                } else {
                    ""
                };
                write!(f, "no significant change{way}: {figures}{}", Caveat(caveat))
            }
            Reason::Significant {
                verdict,
                figures,
                caveat,
            } => write!(f, "{}: {figures}{}", verdict.label(), Caveat(caveat)),
            Reason::RateNotCompared { measure, why } => {
                write!(f, "{measure} not compared at equal follow-up: {why}")
            }
            Reason::Rate { verdict, figures } => write!(f, "{}: {figures}", rate_words(*verdict)),
        }
    }
}

/// No figures for either period, and what the data holds instead.
fn no_figures(
    f: &mut fmt::Formatter<'_>,
    category: &str,
    (from, to): (&Period, &Period),
    held: &[Held],
) -> fmt::Result {
    write!(f, "no figures for {from} or {to}")?;
    if held.is_empty() {
        return write!(f, "; no loaded source holds {category}");
    }
    let spans: Vec<String> = held.iter().map(held_span).collect();
    write!(f, "; the data holds {category} {}", spans.join("; "))
}

/// How an outcome rate's verdict leads its reason.
fn rate_words(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Improving | Verdict::Worsening => verdict.label(),
        Verdict::Context => "context only",
        _ => "no significant change",
    }
}

impl fmt::Display for crate::outcomes::verdict::RateFigures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let share = |(k, n): (u64, u64)| 100.0 * k as f64 / n.max(1) as f64;
        let ((from, a), (to, b)) = (self.from, self.to);
        let t = &self.test;
        write!(
            f,
            "{:.1}% of {from}'s {} crimes, {:.1}% of {to}'s {}, each {} months after its month ({}'s outcome files); {:+.1} points ({:+.1} to {:+.1}), p = {}, q = {}",
            share(a),
            thousands(a.1 as i64),
            share(b),
            thousands(b.1 as i64),
            self.follow_up,
            self.area,
            100.0 * t.difference,
            100.0 * t.ci.0,
            100.0 * t.ci.1,
            p_value(Some(t.p_value)),
            p_value(Some(self.q_value))
        )
    }
}

/// An indicator's reason as every output words it: led by what measures it where that is a
/// coarser category ("measured as Violence and sexual offences, which is coarser: ...").
pub fn reason_text(a: &Assessment) -> String {
    match &a.measured_as {
        Some(m) if m.coarser => format!(
            "measured as {} (data.police.uk), which also holds other offences: {}",
            m.category, a.reason
        ),
        Some(m) => format!("measured as {} (data.police.uk): {}", m.category, a.reason),
        None => a.reason.to_string(),
    }
}

impl fmt::Display for PartnerGap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartnerGap::Missing {
                measure,
                missing,
                held,
                withheld,
            } => {
                let periods: Vec<String> = missing.iter().map(Period::to_string).collect();
                let figure = if missing.len() > 1 {
                    "figures"
                } else {
                    "figure"
                };
                write!(f, "no {figure} for {}", periods.join(" or "))?;
                let held: Vec<String> = held.iter().map(Period::to_string).collect();
                match held.as_slice() {
                    [] => Ok(()),
                    [one] => write!(f, "; the partner data holds {measure} for {one} only"),
                    many => write!(
                        f,
                        "; the partner data holds {measure} for {}",
                        and_list(many)
                    ),
                }?;
                if *withheld {
                    f.write_str(" (withheld)")?;
                }
                Ok(())
            }
            PartnerGap::Partial { note } => write!(f, "partial year: {note}"),
            PartnerGap::Suppressed {
                measure,
                marker,
                from,
                to,
            } => write!(
                f,
                "suppressed: {measure} is withheld ({marker}) in {from} or {to}"
            ),
            PartnerGap::NoCount {
                unit,
                values: (x, y),
                from,
                to,
            } => write!(
                f,
                "a {} with no count behind it ({x} in {from}, {y} in {to}): no test of the change is possible",
                format!("{unit:?}").to_lowercase()
            ),
            PartnerGap::MixedUnits { measure, from, to } => write!(
                f,
                "{measure} is published in different units in {from} and {to}"
            ),
        }
    }
}

impl fmt::Display for Figures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = self
            .pct_change
            .map_or_else(String::new, |p| format!(" ({}%)", signed_pct(Some(p))));
        let p = self.p_value.map_or_else(
            || "no test".to_string(),
            |p| format!("p {}", p_value(Some(p))),
        );
        let q = self
            .q_value
            .map_or_else(String::new, |q| format!(", q {}", p_value(Some(q))));
        let variation = self.dispersion.map_or_else(String::new, |phi| {
            format!(
                ", allowing for month-to-month variation (dispersion {})",
                sig4(Some(phi))
            )
        });
        write!(
            f,
            "{} to {}{pct}, {p}{q}{variation}",
            thousands(self.from),
            thousands(self.to)
        )
    }
}

/// `for City of London Police from 2016-01 to 2017-06 (police-uk-monthly)`.
fn held_span(h: &Held) -> String {
    let span = if h.first == h.last {
        format!("in {}", h.first)
    } else {
        format!("from {} to {}", h.first, h.last)
    };
    format!("for {} {span} ({})", h.area, h.sources.join(", "))
}

/// `; small numbers (10 in 2016/17)`, or nothing.
struct Caveat<'a>(&'a Option<SmallCount>);

impl fmt::Display for Caveat<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(s) => write!(
                f,
                "; small numbers ({} in {})",
                thousands(s.count),
                s.period
            ),
            None => Ok(()),
        }
    }
}

impl fmt::Display for ActivityDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ActivityDetail::Rated { own, date, tally } = self else {
            return f.write_str("no activity report");
        };
        let by = if *own {
            "the report's own rating"
        } else {
            "worst activity rating"
        };
        let counts: Vec<String> = tally
            .iter()
            .map(|(n, code)| format!("{n} {code}"))
            .collect();
        if counts.is_empty() {
            write!(f, "{by}, {date}; no activities")
        } else {
            write!(f, "{by}, {date}; activities: {}", counts.join(", "))
        }
    }
}

impl Serialize for ActivityDetail {
    /// As its words, like a reason.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Serialize for Reason {
    /// As its words: the view-model, manifest and JSON outputs carry the sentence a reader sees.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcomes::Verdict;

    #[test]
    fn reasons_read_as_sentences() {
        let figures = Figures {
            from: 10,
            to: 27,
            pct_change: Some(170.0),
            p_value: Some(0.007632),
            q_value: Some(0.0392),
            dispersion: None,
        };
        let period = "2016/17".parse().unwrap();
        let caveat = Some(SmallCount { count: 10, period });
        let worse = Reason::Significant {
            verdict: Verdict::Worsening,
            figures,
            caveat,
        };
        assert_eq!(
            worse.to_string(),
            "worsening: 10 to 27 (+170.0%), p 0.007632, q 0.0392; small numbers (10 in 2016/17)"
        );
        let small = Reason::SmallNumbers { events: 3, min: 10 };
        assert_eq!(
            serde_json::to_string(&small).unwrap(),
            "\"small numbers: 3 events in the two periods (fewer than 10)\""
        );
    }
}
