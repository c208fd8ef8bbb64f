//! Rates and peers: an area's counts per each denominator known for it, and beside its peers,
//! for the `rates` and `peers` commands and the report's sections on them.

use super::{load, periods};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::findings::Finding;
use crate::harmonise::Period;
use crate::model::Dataset;
use crate::stats::{self, Comparison};

/// Every denominator: from population tables and from the config.
pub fn denominators(cfg: &Config, data: &Dataset) -> Vec<crate::model::Denominator> {
    data.denominators
        .iter()
        .chain(&cfg.denominators)
        .cloned()
        .collect()
}

/// Rates per `cfg.per` for the area in `period`, per the named denominator or every one known
/// for the area.
pub fn rates(
    cfg: &Config,
    period: Period,
    wanted: Option<&str>,
) -> Result<(Vec<stats::rates::RateRow>, Vec<Finding>)> {
    let (data, area) = load(cfg)?;
    let all = denominators(cfg, &data);
    let names: Vec<&str> = match wanted {
        Some(w) => vec![w],
        None => stats::rates::names_for(&all, &data.names_of(&area)),
    };
    if names.is_empty() {
        return Err(Error::Usage(format!(
            "no denominator for {area}: add a [[denominator]] to the config (e.g. the workday population) or name a population table with --source population=FILE"
        )));
    }
    let (counts, coverage) = stats::rates::counts(&data, &area, period, cfg.allow_partial)?;
    let rows = stats::rates::rate_rows(
        &counts,
        period,
        &data.names_of(&area),
        &all,
        &names,
        cfg.per,
        1.0 - cfg.settings.alpha,
    )?;
    let mut findings = data.findings;
    findings.extend(coverage.filter(|c| c.is_partial()).map(|c| Finding {
        severity: crate::findings::Severity::Warning,
        code: "partial-rates",
        message: format!(
            "{area}: rates for {period} rest on {} of its {} months of counts, so they understate a whole period's",
            c.have, c.of
        ),
    }));
    Ok((rows, findings))
}

/// The area beside its peers (the flagged list, else the config's), changes and rates.
pub fn peers(
    cfg: &Config,
    flagged: &[String],
) -> Result<(Vec<stats::peers::PeerRow>, Vec<Finding>)> {
    let peers = if flagged.is_empty() {
        &cfg.peers
    } else {
        flagged
    };
    if peers.is_empty() {
        return Err(Error::Usage(
            "no peer areas: list them under [peers] areas in the config or give --peers A,B".into(),
        ));
    }
    let (data, area) = load(cfg)?;
    let (from, to) = periods(cfg, &data, &area)?;
    let all = denominators(cfg, &data);
    let q = peer_query(cfg, &area, peers, (from, to), &all);
    Ok((stats::peers::peers(&data, &q)?, data.findings))
}

/// What the peer table compares, with the config's settings.
fn peer_query<'a>(
    cfg: &'a Config,
    area: &'a str,
    peers: &'a [String],
    (from, to): (Period, Period),
    denominators: &'a [crate::model::Denominator],
) -> stats::peers::PeerQuery<'a> {
    stats::peers::PeerQuery {
        area,
        peers,
        from,
        to,
        settings: &cfg.settings,
        allow_partial: cfg.allow_partial,
        denominator: cfg.peers_denominator.as_deref().map(|n| (n, denominators)),
        per: cfg.per,
    }
}

/// The report's rates: the later period per each denominator known for the area.
pub(super) fn section_rates(
    cfg: &Config,
    data: &Dataset,
    cmp: &Comparison,
) -> Result<Vec<stats::rates::RateRow>> {
    let all = denominators(cfg, data);
    let areas = data.names_of(&cmp.area);
    let names = stats::rates::names_for(&all, &areas);
    if names.is_empty() {
        return Ok(Vec::new());
    }
    // A partial period is labelled through the comparison's own label in the report.
    let (counts, _) = stats::rates::counts(data, &cmp.area, cmp.to, cfg.allow_partial)?;
    let confidence = 1.0 - cfg.settings.alpha;
    stats::rates::rate_rows(&counts, cmp.to, &areas, &all, &names, cfg.per, confidence)
}

/// The report's peer table, when the config names peers.
pub(super) fn section_peers(
    cfg: &Config,
    data: &Dataset,
    cmp: &Comparison,
) -> Result<Vec<stats::peers::PeerRow>> {
    if cfg.peers.is_empty() {
        return Ok(Vec::new());
    }
    let all = denominators(cfg, data);
    let q = peer_query(cfg, &cmp.area, &cfg.peers, (cmp.from, cmp.to), &all);
    stats::peers::peers(data, &q)
}
