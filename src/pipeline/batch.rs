//! `run --all-areas`: every area's evidence base from one ingest, in parallel.
//!
//! The areas are the local authorities a data.police.uk archive's LSOA names give (each counted
//! from every force's rows located in its LSOAs; one a force's alias already names, such as the
//! City of London, keeps its force's figures as a one-area run does), else every area the sources
//! hold (a Home Office CSP table's partnerships). Each area's evidence base goes to
//! `areas/<slug>/` exactly as a one-area run writes it, with a "Fair benchmarks" section when a
//! population is given; an area whose data fails is listed with its error and fails alone. The
//! index (`index.html`, `index.csv`, the national funnel) is written last.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::{RunOutcome, add_attributed, add_framework_inputs, build_area, load_all, periods};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::findings::{Finding, Severity};
use crate::harmonise::Period;
use crate::model::Dataset;
use crate::report::index::{self, Entry};
use crate::report::output;
use crate::stats::funnel::{self, AreaCount, Benchmarks, FunnelPoint};

/// An area's crimes in the benchmark period and its population, either absent where the
/// sources give none.
type Counted = (String, Option<u64>, Option<f64>);

/// What the batch is given beyond the config.
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    /// A family file (`area,family`) and its path as written.
    pub families: Option<(PathBuf, String)>,
}

/// The whole batch: load once, build every area, write the index.
pub fn run_all(cfg: &Config, opts: &BatchOptions) -> Result<RunOutcome> {
    let deferred = Config {
        export_parquet: None,
        ..cfg.clone()
    };
    let mut data = load_all(&deferred)?;
    let areas = batch_areas(&mut data);
    let first = areas.first().ok_or_else(|| {
        Error::Usage("--all-areas: the sources hold no area to build an evidence base for".into())
    })?;
    add_framework_inputs(cfg, &mut data)?;
    // One pair of periods for every area, so that the index compares like with like.
    let (from, to) = periods(&deferred, &data, first)?;
    let cfg = Config {
        from: Some(from),
        to: Some(to),
        ..deferred
    };
    let families = match &opts.families {
        Some((path, display)) => crate::ingest::families::load(path, display)?,
        None => BTreeMap::new(),
    };
    let counts = area_counts(&cfg, &data, &areas, to);
    let denominator = denominator_name(&cfg, &data).unwrap_or_default();
    let funnels = funnels(&cfg, &counts, (&families, denominator.as_str(), to));
    let slugs = slugs(&areas);
    let entries: Vec<(Entry, Vec<PathBuf>)> = areas
        .par_iter()
        .zip(&slugs)
        .map(|(a, slug)| {
            let b = funnels.as_ref().map(|f| f.of_area(&families, a));
            one_area(&cfg, &data, (a, slug), b)
        })
        .collect();
    let national = funnels.as_ref().map(|f| f.of_area(&BTreeMap::new(), ""));
    let (entries, mut written): (Vec<Entry>, Vec<Vec<PathBuf>>) = entries.into_iter().unzip();
    let batch = index::Batch {
        title: format!("{}: every area", cfg.title),
        from: from.to_string(),
        to: to.to_string(),
        per: cfg.per,
        national: national.as_ref(),
        generator: format!("saferstats {}", env!("CARGO_PKG_VERSION")),
        formats: cfg.formats(true),
    };
    let artefacts = index::build(&entries, &batch)?;
    let inputs: Vec<PathBuf> = cfg.sources.iter().map(|s| s.path.clone()).collect();
    written.push(output::commit(&cfg.out_dir, &artefacts, &inputs)?);
    super::export(&cfg, &data)?;
    let mut findings = data.findings.clone();
    findings.extend(entries.iter().filter_map(failed));
    Ok(RunOutcome {
        written: written.into_iter().flatten().collect(),
        findings,
    })
}

/// The areas to build, by name; the local authorities are added to `data` as they are counted.
fn batch_areas(data: &mut Dataset) -> Vec<String> {
    if data.lsoa.is_empty() {
        return data.areas().into_iter().map(str::to_string).collect();
    }
    let mut areas = Vec::new();
    for a in crate::harmonise::area::attribute_all(data) {
        // A force whose area is this authority: its own figures, as a one-area run.
        let force = (data.aliases.contains_key(&a.name))
            .then(|| crate::stats::counts::select_area(data, Some(&a.name)).ok())
            .flatten();
        match force {
            Some(force) => areas.push(force),
            None => areas.push(add_attributed(data, a)),
        }
    }
    areas.sort();
    areas.dedup();
    areas
}

/// Each area's folder name: its slug, with `-2`, `-3`... after the first of names that slug
/// alike ("St Helens", "St. Helens"), so that no area writes over another's.
fn slugs(areas: &[String]) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    areas
        .iter()
        .map(|a| {
            let slug = crate::harmonise::label::slug(a);
            let n = seen.entry(slug.clone()).or_default();
            *n += 1;
            if *n == 1 { slug } else { format!("{slug}-{n}") }
        })
        .collect()
}

/// Each area's crimes (anti-social behaviour apart) in `period` and its population, where it has
/// both; `None` for the population where the sources give none.
fn area_counts(cfg: &Config, data: &Dataset, areas: &[String], period: Period) -> Vec<Counted> {
    let all = super::denominators(cfg, data);
    let name = denominator_name(cfg, data);
    areas
        .iter()
        .map(|a| {
            let events = crate::stats::rates::counts(data, a, period, cfg.allow_partial)
                .ok()
                .and_then(|(counts, _)| total_crime(&counts));
            let names = data.names_of(a);
            let population = name.as_deref().and_then(|n| {
                crate::stats::rates::denominator_for(&all, n, &names, period)
                    .ok()
                    .map(|d| d.population)
            });
            (a.clone(), events, population)
        })
        .collect()
}

/// The crime total of [`crate::stats::rates::counts`]' rows (anti-social behaviour is apart).
fn total_crime(counts: &[(String, i64)]) -> Option<u64> {
    let labels = [true, false].map(crate::stats::compare::total_label);
    let total = counts.iter().find(|(c, _)| labels.contains(&c.as_str()))?;
    u64::try_from(total.1).ok()
}

/// Every area's funnel points, national and by family, computed once for the batch: each
/// area's benchmarks are these with the area named.
struct Funnels {
    period: Period,
    denominator: String,
    per: f64,
    national: Vec<FunnelPoint>,
    /// Each family's members' points, against the family's own benchmark rate.
    families: BTreeMap<String, Vec<FunnelPoint>>,
    /// Areas with crimes but no population for the period.
    without_population: Vec<String>,
}

/// The batch's funnels; `None` when no area has a population.
fn funnels(
    cfg: &Config,
    counts: &[Counted],
    (families, denominator, period): (&BTreeMap<String, String>, &str, Period),
) -> Option<Funnels> {
    let with: Vec<AreaCount> = counts
        .iter()
        .filter_map(|(a, e, p)| {
            Some(AreaCount {
                area: a.clone(),
                events: (*e)?,
                population: (*p)?,
            })
        })
        .collect();
    let theta = funnel::benchmark(&with)?;
    let mut members: BTreeMap<&String, Vec<AreaCount>> = BTreeMap::new();
    for c in &with {
        if let Some(f) = family_of(families, &c.area) {
            members.entry(f).or_default().push(c.clone());
        }
    }
    let by_family = members.into_iter().map(|(f, m)| {
        let theta = funnel::benchmark(&m).unwrap_or(theta);
        (f.clone(), funnel::funnel(&m, theta, cfg.per))
    });
    let without = counts.iter().filter(|(_, e, p)| e.is_some() && p.is_none());
    Some(Funnels {
        period,
        denominator: denominator.to_string(),
        per: cfg.per,
        national: funnel::funnel(&with, theta, cfg.per),
        families: by_family.collect(),
        without_population: without.map(|(a, _, _)| a.clone()).collect(),
    })
}

/// The family the family file gives `area` (names matched as everywhere else).
fn family_of<'a>(families: &'a BTreeMap<String, String>, area: &str) -> Option<&'a String> {
    let found = families
        .iter()
        .find(|(k, _)| crate::model::same_name(k, area));
    found.map(|(_, f)| f)
}

impl Funnels {
    /// `area`'s benchmarks: every area's points and its family's, the area named.
    fn of_area(&self, families: &BTreeMap<String, String>, area: &str) -> Benchmarks {
        let family = family_of(families, area).map(|name| {
            let points = self.families.get(name).cloned().unwrap_or_default();
            (name.clone(), points)
        });
        Benchmarks {
            area: area.to_string(),
            period: self.period,
            denominator: self.denominator.clone(),
            per: self.per,
            national: self.national.clone(),
            family,
            without_population: self.without_population.clone(),
        }
    }
}

/// The denominator the funnels are per: `[peers] denominator`, else the first population given.
fn denominator_name(cfg: &Config, data: &Dataset) -> Option<String> {
    let all = super::denominators(cfg, data);
    cfg.peers_denominator
        .clone()
        .or_else(|| all.first().map(|d| d.name.clone()))
}

/// One area's evidence base written to `areas/<slug>/`, and its index entry; an error is the
/// entry's, not the batch's.
fn one_area(
    cfg: &Config,
    data: &Dataset,
    (area, slug): (&str, &str),
    benchmarks: Option<Benchmarks>,
) -> (Entry, Vec<PathBuf>) {
    let slug = slug.to_string();
    let out = cfg.out_dir.join("areas").join(&slug);
    let acfg = Config {
        area: Some(area.to_string()),
        out_dir: out.clone(),
        dump_context: None,
        quiet: true,
        // The area's run draws what a batch draws.
        png: Some(cfg.formats(true).png),
        ..cfg.clone()
    };
    let mut scope = vec![area.to_string()];
    scope.extend(data.attributed.get(area).into_iter().flatten().cloned());
    let view = data.view(&scope, area);
    let built = build_area(&acfg, &view, (area, &scope), benchmarks).and_then(|(a, _, _, h)| {
        let inputs: Vec<PathBuf> = cfg.sources.iter().map(|s| s.path.clone()).collect();
        Ok((output::commit(&out, &a, &inputs)?, h))
    });
    let (result, written) = match built {
        Ok((written, h)) => (Ok(h), written),
        Err(e) => (Err(e.to_string()), Vec::new()),
    };
    let entry = Entry {
        area: area.to_string(),
        slug,
        result,
    };
    (entry, written)
}

/// A failed area as a finding: an error under `--fail-on error`.
fn failed(e: &Entry) -> Option<Finding> {
    let why = e.result.as_ref().err()?;
    Some(Finding {
        severity: Severity::Error,
        code: "area-failed",
        message: format!("{}: no evidence base: {why}", e.area),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_slug_alike_get_their_own_folders() {
        let areas = ["St Helens", "St. Helens", "Dover"].map(String::from);
        assert_eq!(slugs(&areas), ["st-helens", "st-helens-2", "dover"]);
    }
}
