//! Findings: what a reader must know about the data before trusting a figure (small numbers,
//! later: missing months, partial years). `--fail-on` turns them into exit code 1.

pub use crate::model::finding::{Finding, Severity, severity_label};
use crate::stats::Comparison;

/// Findings from a comparison: categories whose change rests on small numbers.
pub fn from_comparison(cmp: &Comparison) -> Vec<Finding> {
    let small: Vec<&str> = cmp
        .rows
        .iter()
        .filter(|r| r.small_numbers)
        .map(|r| r.category.as_str())
        .collect();
    let mut out = Vec::new();
    if cmp.is_partial() {
        out.push(Finding {
            severity: Severity::Warning,
            code: "partial-comparison",
            message: format!(
                "compared as asked although partial: {} with {}; counts cover different lengths of time",
                cmp.label(false),
                cmp.label(true)
            ),
        });
    }
    out.extend(series_breaks(cmp));
    if small.is_empty() {
        return out;
    }
    out.push(Finding {
        severity: Severity::Warning,
        code: "small-numbers",
        message: format!(
            "{} of {} categories have {} or fewer crimes in {} or {} ({}): their percentage changes rest on small numbers",
            small.len(),
            cmp.rows.len(),
            cmp.small_numbers,
            cmp.from,
            cmp.to,
            small.join(", ")
        ),
    });
    out
}

/// A warning for each change of definition inside the comparison's span: which rows it leaves
/// untested and what is compared in their place.
fn series_breaks(cmp: &Comparison) -> Vec<Finding> {
    let mut seen: Vec<&crate::model::SeriesBreak> = Vec::new();
    for c in &cmp.rows {
        if let Some(crate::stats::compare::Across::Changed { series_break }) = &c.across
            && !seen.contains(&series_break)
        {
            seen.push(series_break);
        }
    }
    seen.into_iter()
        .map(|b| {
            let whole = b.together.as_ref().map_or_else(
                || "; nothing is compared in their place".to_string(),
                |w| format!("; compared together as {w}, which is continuous"),
            );
            Finding {
                severity: Severity::Warning,
                code: "series-break",
                message: format!(
                    "{}: {} changed definition from {} ({}): shown for {} and {} but not tested, and their verdicts are not assessable{whole}",
                    cmp.area,
                    b.categories.join(" and "),
                    b.from,
                    b.reason,
                    cmp.from,
                    cmp.to
                ),
            }
        })
        .collect()
}

pub use crate::stats::gaps::IMPLAUSIBLE_ZERO_MEAN;

/// A warning for each month most likely missing from its release: what it is taken for.
pub fn gaps(gaps: &[crate::model::Gap]) -> Vec<Finding> {
    gaps.iter()
        .map(|g| Finding {
            severity: Severity::Warning,
            code: "implausible-zero",
            message: format!(
                "{}: {} is 0 in {} where its other {} months average {:.0}: most likely missing from the release rather than none; treated as missing (a gap in charts and rolling averages; a period holding it is partial for {})",
                g.area, g.category, g.month, g.others, g.mean, g.category
            ),
        })
        .collect()
}

/// When findings turn a successful run into exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    /// Never: findings are reported, the exit code stays 0.
    #[default]
    Never,
    /// When any finding is an error.
    Error,
    /// When any finding is a warning or an error.
    Warning,
}

/// Whether `findings` fail the `policy`.
pub fn fails(findings: &[Finding], policy: FailOn) -> bool {
    let worst = findings.iter().map(|f| f.severity).max();
    match policy {
        FailOn::Never => false,
        FailOn::Error => worst >= Some(Severity::Error),
        FailOn::Warning => worst >= Some(Severity::Warning),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        let warning = Finding {
            severity: Severity::Warning,
            code: "x",
            message: String::new(),
        };
        let findings = [warning];
        assert!(!fails(&findings, FailOn::Never));
        assert!(!fails(&findings, FailOn::Error));
        assert!(fails(&findings, FailOn::Warning));
        assert!(!fails(&[], FailOn::Warning));
    }
}
