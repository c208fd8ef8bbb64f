//! Category labels: how two spellings of one name are recognised as the same.
//!
//! Sources write "Burglary – Residential" (en dash), "Burglary - Residential" and
//! "burglary -residential". Matching ignores case, dash style and spacing; the label a source
//! wrote is kept for display.

/// The key two labels are matched on (defined with the ground's [`Category`]).
///
/// [`Category`]: crate::model::Category
pub use crate::model::label_key as match_key;

/// A label trimmed, with runs of white space folded, for display.
pub fn tidy(label: &str) -> String {
    visible(&label.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Control characters (NUL, ESC, ...) and the bidirectional overrides that can reorder what a
/// reader sees, written as `\u{1B}`: every output (terminal, CSV, Markdown, HTML, SVG, xlsx) then
/// shows them as text, and an SVG stays well-formed XML.
pub fn visible(label: &str) -> String {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !label.chars().any(hidden) {
        return label.to_string();
    }
    label
        .chars()
        .map(|c| {
            if hidden(c) {
                format!("\\u{{{:X}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `City of London Police` -> `city-of-london-police`.
pub fn slug(name: &str) -> String {
    let lowered: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    lowered
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Up to three known labels nearest to `wanted`, nearest first.
pub fn closest<'a>(wanted: &str, known: &[&'a str]) -> Vec<&'a str> {
    let key = match_key(wanted);
    let mut scored: Vec<(f64, &str)> = known
        .iter()
        .map(|k| (strsim::jaro_winkler(&key, &match_key(k)), *k))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, k)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dash_case_and_spacing_are_ignored() {
        let same = [
            "Burglary – Residential",
            "Burglary - Residential",
            "burglary-residential",
            "  BURGLARY —  Residential ",
        ];
        for label in same {
            assert_eq!(match_key(label), "burglary-residential", "{label}");
        }
        assert_ne!(
            match_key("Burglary – Residential"),
            match_key("Burglary – Business/Community")
        );
    }

    #[test]
    fn hidden_characters_are_shown() {
        assert_eq!(tidy("Rape\u{0}\u{1b}[31m"), "Rape\\u{0}\\u{1B}[31m");
        assert_eq!(tidy("Theft \u{202E}tfeht"), "Theft \\u{202E}tfeht");
        assert_eq!(tidy("Burglary – Residential"), "Burglary – Residential");
    }

    #[test]
    fn tidy_keeps_the_dash_as_written() {
        assert_eq!(tidy("  Burglary –  Residential "), "Burglary – Residential");
    }

    #[test]
    fn closest_labels_rank_the_near_miss_first() {
        let known = [
            "Violence with injury",
            "Violence without injury",
            "Rape",
            "Bicycle theft",
        ];
        assert_eq!(
            closest("Violense with injury", &known)[0],
            "Violence with injury"
        );
        assert_eq!(closest("bicycle thefts", &known)[0], "Bicycle theft");
    }
}
