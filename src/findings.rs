//! Findings: what a reader must know about the data before trusting a figure (small numbers,
//! later: missing months, partial years). `--fail-on` turns them into exit code 1.

use crate::model::Dataset;
use crate::model::finding::count as thousands;
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

/// Whose figures a comparison holds, where that is not plain: an authority's counted from the rows
/// forces located in its LSOAs (with what could not be attributed), or a force's where the area
/// asked for is the one authority it covers (with the located figure and the difference).
pub fn whose(data: &Dataset, cmp: &Comparison, wanted: Option<&str>) -> Vec<Finding> {
    use crate::harmonise::area::split;
    let periods = [cmp.from, cmp.to];
    if let Some(forces) = data.attributed.get(&cmp.area) {
        let area = &cmp.area;
        return forces
            .iter()
            .flat_map(|force| periods.map(|p| (force, p, split(data, force, area, p))))
            .map(|(force, period, s)| Finding {
                severity: Severity::Note,
                code: "attributed-area",
                message: format!(
                    "{area}: its figures are the {} crimes {force} located in {area} LSOAs in {period} (data.police.uk street files). Of the force's {}, {} are located elsewhere, outside {area}, and {} ({}) have no location, so no area can claim them",
                    thousands(s.located),
                    thousands(s.force),
                    thousands(s.elsewhere),
                    thousands(s.unlocated),
                    share(s.unlocated, s.force)
                ),
            })
            .collect();
    }
    let Some(wanted) = wanted.filter(|w| !crate::model::same_name(w, &cmp.area)) else {
        let mut out: Vec<Finding> = force_figures(data, cmp).into_iter().collect();
        out.extend(csp_and_archive(data, cmp));
        return out;
    };
    periods
        .iter()
        .map(|&p| (p, split(data, &cmp.area, wanted, p)))
        .filter(|(_, s)| s.located > 0)
        .map(|(period, s)| Finding {
            severity: Severity::Note,
            code: "force-and-area",
            message: format!(
                "{wanted}: the tables use {}'s figures (the force's, from data.police.uk): {} crimes in {period}, of which {} are located in {wanted} LSOAs; the difference is {} ({}): {} located elsewhere and {} with no location",
                cmp.area,
                thousands(s.force),
                thousands(s.located),
                thousands(s.force - s.located),
                share(s.force - s.located, s.force),
                thousands(s.elsewhere),
                thousands(s.unlocated)
            ),
        })
        .collect()
}

/// A Home Office CSP comparison beside an archive that locates rows in the CSP's LSOAs: the CSP
/// figure is authoritative, and the report says where the located rows disagree with it.
fn csp_and_archive(data: &Dataset, cmp: &Comparison) -> Vec<Finding> {
    if !drawn_from(data, cmp, "home-office") {
        return Vec::new();
    }
    [(cmp.from, cmp.total.from_count), (cmp.to, cmp.total.to_count)]
        .into_iter()
        .filter_map(|(period, csp)| {
            let located = crate::harmonise::area::located_in(data, &cmp.area, period)? as i64;
            (located != csp).then(|| Finding {
                severity: Severity::Note,
                code: "csp-and-archive",
                message: format!(
                    "{}: the Home Office CSP figure, which the tables use, is {} crimes in {period}; data.police.uk rows located in its LSOAs give {} ({:+}, {:+.1}%): recorded crime and the located street rows are counted differently, and the CSP figure is the authoritative one",
                    cmp.area,
                    thousands(csp.max(0) as u64),
                    thousands(located as u64),
                    located - csp,
                    100.0 * (located - csp) as f64 / csp.max(1) as f64
                ),
            })
        })
        .collect()
}

/// Whether any input of `cmp` is of a kind in the family `kind` (`police-uk`, `home-office`).
fn drawn_from(data: &Dataset, cmp: &Comparison, kind: &str) -> bool {
    cmp.inputs
        .iter()
        .any(|&i| data.inputs[i].kind.starts_with(kind))
}

/// A comparison of a force's data.police.uk figures says they are the force's.
fn force_figures(data: &Dataset, cmp: &Comparison) -> Option<Finding> {
    drawn_from(data, cmp, "police-uk").then(|| Finding {
        severity: Severity::Note,
        code: "force-figures",
        message: format!(
            "{}: these are the force's figures (data.police.uk street files), not a partnership's; a partnership inside the force is compared with --area naming its local authority",
            cmp.area
        ),
    })
}

/// `6.5%` of `whole`.
fn share(part: u64, whole: u64) -> String {
    format!("{:.1}%", 100.0 * part as f64 / whole.max(1) as f64)
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
