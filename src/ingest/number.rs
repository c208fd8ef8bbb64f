//! Reading a published figure: thousands separators, signs and suppression markers.

use crate::model::Value;

/// Markers publishers use for a withheld or unavailable figure. They become
/// [`Value::Suppressed`], never zero.
pub const SUPPRESSION_MARKERS: [&str; 7] = ["*", "..", "-", "[x]", "[c]", "[z]", "[u]"];

/// Parses a count such as `1506`, `1,506`, `-3` or a suppression marker. `None` when the text is
/// neither (the caller reports it with its file, line and column).
pub fn parse_count(raw: &str) -> Option<Value> {
    let s = raw.trim();
    if SUPPRESSION_MARKERS.contains(&s.to_ascii_lowercase().as_str()) {
        return Some(Value::Suppressed(s.to_string()));
    }
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let plain = strip_thousands(digits)?;
    let n: i64 = plain.parse().ok()?;
    Some(Value::Count(if negative { -n } else { n }))
}

/// Parses a decimal measure such as `87.4` or `1,954.5`, or a suppression marker.
pub fn parse_measure(raw: &str) -> Option<Value> {
    let s = raw.trim();
    if SUPPRESSION_MARKERS.contains(&s.to_ascii_lowercase().as_str()) {
        return Some(Value::Suppressed(s.to_string()));
    }
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    let (negative, whole) = whole
        .strip_prefix('-')
        .map_or((false, whole), |w| (true, w));
    let whole = strip_thousands(whole)?;
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let x: f64 = format!("{whole}.{fraction}0").parse().ok()?;
    x.is_finite()
        .then_some(Value::Measure(if negative { -x } else { x }))
}

/// `1,506` -> `1506`; digits only, and commas only between groups of three.
fn strip_thousands(s: &str) -> Option<String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return None;
    }
    let groups: Vec<&str> = s.split(',').collect();
    let well_grouped = groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
    (groups.len() == 1 || (well_grouped && !groups[0].is_empty())).then(|| groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_with_separators_signs_and_markers() {
        let cases: [(&str, Option<Value>); 12] = [
            ("1506", Some(Value::Count(1506))),
            (" 1,506 ", Some(Value::Count(1506))),
            ("1,234,567", Some(Value::Count(1_234_567))),
            ("-3", Some(Value::Count(-3))),
            ("0", Some(Value::Count(0))),
            ("[x]", Some(Value::Suppressed("[x]".into()))),
            ("[C]", Some(Value::Suppressed("[C]".into()))),
            ("..", Some(Value::Suppressed("..".into()))),
            ("1,50", None),
            ("12.5", None),
            ("", None),
            ("ten", None),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse_count(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn measures() {
        assert_eq!(parse_measure("87.4"), Some(Value::Measure(87.4)));
        assert_eq!(parse_measure("1,954.5"), Some(Value::Measure(1954.5)));
        assert_eq!(parse_measure("72"), Some(Value::Measure(72.0)));
        assert_eq!(parse_measure("*"), Some(Value::Suppressed("*".into())));
        assert_eq!(parse_measure("8 7"), None);
        assert_eq!(parse_measure("1e3"), None);
    }
}
