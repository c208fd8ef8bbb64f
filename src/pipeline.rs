//! The stages in order: ingest -> harmonise -> stats -> findings -> outcomes -> render -> report
//! -> write. This module only calls them; each stage owns its work.
//!
//! Everything is computed and rendered in memory before the first byte is written, so bad input
//! never leaves partial output (see [`crate::report::output`]).

use std::path::PathBuf;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::findings::{self, Finding};
use crate::harmonise::Period;
use crate::model::{Dataset, InputFile, Month};
use crate::outcomes::{self, Framework, OutcomeAssessment};
use crate::report;
use crate::report::output::{self, Artefact};
use crate::stats::{self, Comparison, counts};

mod batch;
mod place;
mod rates;
pub use batch::{BatchOptions, run_all};
pub use place::{load_points, place_evidence};
pub use rates::{denominators, peers, rates};
use rates::{section_peers, section_rates};

/// What a finished run did.
#[derive(Debug)]
pub struct RunOutcome {
    pub written: Vec<PathBuf>,
    pub findings: Vec<Finding>,
}

/// Reads every source; fails if any file's ledger does not balance.
pub fn load_all(cfg: &Config) -> Result<Dataset> {
    if cfg.sources.is_empty() {
        return Err(Error::Usage(
            "no sources: name one with --source KIND=PATH (e.g. --source summary=table.csv) or add a [[source]] to the config".into(),
        ));
    }
    let mut data = crate::ingest::load_all(&cfg.sources, &cfg.taxonomy)?;
    let gaps = stats::gaps::implausible_zeros(&data);
    data.findings.extend(findings::gaps(&gaps));
    data.mark_gaps(gaps);
    if let Some(f) = data
        .inputs
        .iter()
        .find(|f| f.rows_read != f.rows_counted + f.rows_rejected)
    {
        return Err(Error::Usage(format!(
            "{}: the reconciliation does not balance ({} rows read, {} counted, {} rejected); this is a bug in saferstats, please report it",
            f.path, f.rows_read, f.rows_counted, f.rows_rejected
        )));
    }
    export(cfg, &data)?;
    Ok(data)
}

/// `--export-parquet`: the monthly LSOA counts as Hive-partitioned Parquet, once the data has
/// loaded and balanced (for `run`, once its evidence base is written).
fn export(cfg: &Config, data: &Dataset) -> Result<()> {
    let Some(dir) = &cfg.export_parquet else {
        return Ok(());
    };
    let written = crate::ingest::police_uk::export::write(data, dir)?;
    if !cfg.quiet {
        crate::error::say(format_args!(
            "exported {} Parquet files below {}",
            written.len(),
            dir.display()
        ));
    }
    Ok(())
}

/// Reads every source and picks the area to report on: one the sources hold, else a local
/// authority whose figures are the rows forces located in its LSOAs.
pub fn load(cfg: &Config) -> Result<(Dataset, String)> {
    pick_area(cfg, load_all(cfg)?)
}

/// The area to report on in `data`: the one asked for (or the only one), else a local authority
/// counted from the rows forces located in its LSOAs.
fn pick_area(cfg: &Config, mut data: Dataset) -> Result<(Dataset, String)> {
    let area = match (counts::select_area(&data, cfg.area.as_deref()), &cfg.area) {
        (Err(e @ Error::AreaNotInData { .. }), Some(wanted)) => {
            attribute(&mut data, wanted).ok_or(e)?
        }
        (found, _) => found?,
    };
    Ok((data, area))
}

/// Adds `wanted`'s figures counted from the rows located in its LSOAs; its name as they spell it.
fn attribute(data: &mut Dataset, wanted: &str) -> Option<String> {
    let a = crate::harmonise::area::attribute(data, wanted)?;
    Some(add_attributed(data, a))
}

/// Adds an authority's attributed figures to `data`, with the gaps of the forces they come from;
/// its name.
fn add_attributed(data: &mut Dataset, a: crate::harmonise::area::Attributed) -> String {
    data.coverage.insert(a.name.clone(), a.months);
    data.observations.extend(a.observations);
    // A month missing from a force's release is missing from every area counted from it.
    let gaps: Vec<crate::model::Gap> = data
        .gaps
        .iter()
        .filter(|g| a.forces.contains(&g.area))
        .map(|g| crate::model::Gap {
            area: a.name.clone(),
            ..g.clone()
        })
        .collect();
    data.mark_gaps(gaps);
    data.attributed.insert(a.name.clone(), a.forces);
    a.name
}

/// The two periods to compare: from the flags or the config, else (neither given) the data's
/// own: its only two periods, or its latest complete financial year and the one before, said on
/// stderr.
pub fn periods(cfg: &Config, data: &Dataset, area: &str) -> Result<(Period, Period)> {
    let none = || {
        Error::Usage(
            "no periods to compare: give --from and --to (e.g. --from 2016/17 --to 2017/18) or set them under [compare] in the config".into(),
        )
    };
    match (cfg.from, cfg.to) {
        (Some(from), Some(to)) => Ok((from, to)),
        (None, None) => {
            let (from, to, why) = counts::default_periods(data, area).ok_or_else(none)?;
            if !cfg.quiet {
                crate::error::say(format_args!(
                    "note: comparing {from} with {to}, {}; give --from and --to to choose",
                    why.describe()
                ));
            }
            Ok((from, to))
        }
        _ => Err(none()),
    }
}

/// Loads the data and compares the configured periods.
pub fn comparison(cfg: &Config) -> Result<(Dataset, Comparison, Vec<Finding>)> {
    let (data, area) = load(cfg)?;
    let (cmp, findings) = compare_area(cfg, &data, &area)?;
    Ok((data, cmp, findings))
}

/// The configured periods compared for `area`, with the data's findings and the comparison's.
fn compare_area(cfg: &Config, data: &Dataset, area: &str) -> Result<(Comparison, Vec<Finding>)> {
    let (from, to) = periods(cfg, data, area)?;
    let cmp = stats::compare(data, area, from, to, &cfg.settings, cfg.allow_partial)?;
    let mut findings = data.findings.clone();
    findings.extend(findings::whose(data, &cmp, cfg.area.as_deref()));
    findings.extend(findings::from_comparison(&cmp));
    Ok((cmp, findings))
}

/// The outcome framework assessed against `cmp` and the partner data in `data`, when the config
/// names one; with the framework files' provenance.
pub fn outcome_assessment(
    cfg: &Config,
    data: &Dataset,
    cmp: &Comparison,
) -> Result<Option<(OutcomeAssessment, Vec<InputFile>)>> {
    let (Some(o), Some(fw)) = (&cfg.outcomes, framework(cfg)?) else {
        return Ok(None);
    };
    if let Some(date) = o.report
        && fw.report_at(Some(date)).is_none()
    {
        return Err(Error::Usage(format!(
            "outcomes.activity_report: {} has no activity report dated {date}",
            o.display
        )));
    }
    let partner =
        outcomes::PartnerEvidence::from_figures(&data.partner, &data.names_of(&cmp.area), cmp);
    let evidence = outcomes::Evidence {
        cmp,
        partner: &partner,
        taxonomy: &cfg.taxonomy,
        data,
    };
    let oa = outcomes::assess(&fw, &evidence, &o.verdicts, &o.rule, o.report)?;
    Ok(Some((oa, fw.inputs)))
}

/// `spc`: an XmR chart of every monthly series of the area, each judged by its indicator's
/// desired direction in the outcome framework (when the config names one) and recalculated only
/// at a declared series break (the taxonomy's, and the framework indicator's).
pub fn spc(
    cfg: &Config,
    baseline: Option<(Month, Month)>,
) -> Result<(Vec<stats::spc::SpcRow>, Vec<Finding>)> {
    let (data, area) = load(cfg)?;
    let fw = framework(cfg)?;
    let mut rows = Vec::new();
    for series in stats::trend::monthly_series(&data, &area) {
        let indicators = indicators_of(cfg, fw.as_ref(), &series.category);
        rows.extend(chart(cfg, &data, &area, &series, &indicators, baseline));
    }
    Ok((rows, data.findings))
}

/// `trend`: each category's long view over the area's last `years` complete financial years,
/// with the area's name.
pub fn longterm(
    cfg: &Config,
    years: usize,
) -> Result<(String, Vec<stats::longterm::LongView>, Vec<Finding>)> {
    let (data, area) = load(cfg)?;
    let views = stats::longterm::long_views(&data, &area, years, 1.0 - cfg.settings.alpha);
    if views.is_empty() {
        return Err(Error::Usage(format!(
            "{area}: no complete financial year in the data, so no long view; give a source with whole years (or all twelve months of each)"
        )));
    }
    Ok((area, views, data.findings))
}

/// The report's long views: the compared area's, then each other area in `scope` with months.
fn long_views(
    cfg: &Config,
    data: &Dataset,
    area: &str,
    scope: &[String],
) -> Vec<crate::render::sections::AreaViews> {
    let mut areas = vec![area.to_string()];
    areas.extend(scope.iter().filter(|a| *a != area).cloned());
    let confidence = 1.0 - cfg.settings.alpha;
    let years = crate::render::sections::LONG_YEARS;
    areas
        .into_iter()
        .map(|a| {
            let views = stats::longterm::long_views(data, &a, years, confidence);
            (a, views)
        })
        .filter(|(_, views)| !views.is_empty())
        .collect()
}

/// The framework the config names, named through the taxonomy.
fn framework(cfg: &Config) -> Result<Option<Framework>> {
    let Some(o) = &cfg.outcomes else {
        return Ok(None);
    };
    let mut fw = Framework::load(&o.framework, &o.display)?;
    fw.name_with(&cfg.taxonomy);
    Ok(Some(fw))
}

/// The framework's indicators the series `category` measures, with their outcome's id.
fn indicators_of<'a>(
    cfg: &Config,
    fw: Option<&'a Framework>,
    category: &str,
) -> Vec<(&'a str, &'a outcomes::framework::Indicator)> {
    let category = cfg.taxonomy.category(category);
    fw.iter()
        .flat_map(|fw| fw.outcomes.iter())
        .flat_map(|o| o.indicators.iter().map(move |i| (o.id.as_str(), i)))
        .filter(|(_, i)| measures(cfg, i, &category))
        .collect()
}

/// One series' XmR chart, judged by the first indicator it measures and broken at every break
/// the taxonomy or those indicators declare.
fn chart(
    cfg: &Config,
    data: &Dataset,
    area: &str,
    series: &stats::trend::Series,
    indicators: &[(&str, &outcomes::framework::Indicator)],
    baseline: Option<(Month, Month)>,
) -> Vec<stats::spc::SpcRow> {
    let category = cfg.taxonomy.category(&series.category);
    let wanted = indicators
        .first()
        .map_or(0, |(_, i)| direction(i.direction));
    let taxonomy_breaks = data.breaks.iter().filter(|b| b.changed(&category));
    let indicator_breaks = indicators
        .iter()
        .flat_map(|(_, i)| i.breaks.iter().map(|b| b.from));
    let breaks: Vec<Month> = taxonomy_breaks
        .map(|b| b.from)
        .chain(indicator_breaks)
        .collect();
    stats::spc::series_chart(area, series, &breaks, baseline, wanted)
}

/// The XmR chart of every monthly series of every area in `scope` the data holds months for (the
/// report's trends), and each framework indicator's latest SPC state, with its assurance where its
/// target is a monthly count.
pub fn spc_evidence(
    cfg: &Config,
    data: &Dataset,
    scope: &[String],
) -> Result<stats::spc::SpcEvidence> {
    let fw = framework(cfg)?;
    let mut out = stats::spc::SpcEvidence::default();
    for area in scope.iter().filter(|a| data.coverage.contains_key(*a)) {
        for series in stats::trend::monthly_series(data, area) {
            let indicators = indicators_of(cfg, fw.as_ref(), &series.category);
            let rows = chart(cfg, data, area, &series, &indicators, None);
            for (outcome, i) in &indicators {
                let target = i
                    .target
                    .as_deref()
                    .and_then(|t| t.trim().parse::<f64>().ok());
                if let Some(summary) = stats::spc::summary(&rows, target, direction(i.direction)) {
                    out.indicators.push(stats::spc::IndicatorSpc {
                        outcome: outcome.to_string(),
                        indicator: i.subject.label().to_string(),
                        area: area.clone(),
                        series: series.category.clone(),
                        summary,
                    });
                }
            }
            out.series.push(stats::spc::SeriesSpc {
                area: area.clone(),
                category: series.category.clone(),
                rows,
            });
        }
    }
    Ok(out)
}

fn direction(d: outcomes::Direction) -> i8 {
    match d {
        outcomes::Direction::Up => 1,
        outcomes::Direction::Down => -1,
        outcomes::Direction::Context => 0,
    }
}

/// Whether indicator `i` is measured by the series `category`: its own, or the data.police.uk
/// type the taxonomy says holds it.
fn measures(
    cfg: &Config,
    i: &outcomes::framework::Indicator,
    category: &crate::model::Category,
) -> bool {
    let own = i.subject.category();
    own.key() == category.key()
        || own.names_same(category)
        || cfg
            .taxonomy
            .police_uk_type_holding(own.as_str())
            .is_some_and(|t| crate::model::same_name(&t.crime_type, category.as_str()))
}

/// The narrative's text and its path as written, when the config names one.
fn narrative_text(cfg: &Config) -> Result<Option<(String, String)>> {
    let Some((path, display)) = &cfg.narrative else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
        path: display.clone(),
        source: e,
    })?;
    Ok(Some((text, display.clone())))
}

/// The whole job: compare, assess outcomes, render every artefact, write them all or none.
pub fn run(cfg: &Config) -> Result<RunOutcome> {
    // The export waits for the evidence base: a run that fails exports nothing.
    let deferred = Config {
        export_parquet: None,
        ..cfg.clone()
    };
    let (artefacts, ctx, findings, data) = build(&deferred)?;
    let inputs: Vec<PathBuf> = cfg.sources.iter().map(|s| s.path.clone()).collect();
    let written = output::commit(&cfg.out_dir, &artefacts, &inputs)?;
    // Only a run that wrote its evidence base writes the view-model beside it.
    if let Some(path) = &cfg.dump_context {
        let json = serde_json::to_string_pretty(&ctx).expect("the view-model serialises") + "\n";
        std::fs::write(path, json).map_err(|e| Error::Write {
            path: path.clone(),
            source: e,
        })?;
    }
    export(cfg, &data)?;
    Ok(RunOutcome { written, findings })
}

/// The report's view-model for the configured run, computed without writing anything.
pub fn context(cfg: &Config) -> Result<report::Context> {
    Ok(build(cfg)?.1)
}

/// Every stage in order, in memory: load, compare, assess, compute the sections, render.
fn build(cfg: &Config) -> Result<(Vec<Artefact>, report::Context, Vec<Finding>, Dataset)> {
    let (mut data, area) = load(cfg)?;
    add_framework_inputs(cfg, &mut data)?;
    // One area's run reports every area its sources hold months for (the force beside the
    // authority counted from it).
    let scope: Vec<String> = data.coverage.keys().cloned().collect();
    let (artefacts, ctx, findings, _) = build_area(cfg, &data, (&area, &scope), None)?;
    Ok((artefacts, ctx, findings, data))
}

/// The outcome framework's files among the inputs (after the sources'), when the config names one.
fn add_framework_inputs(cfg: &Config, data: &mut Dataset) -> Result<()> {
    if cfg.outcomes.is_some()
        && let Some(fw) = framework(cfg)?
    {
        data.inputs.extend(fw.inputs);
    }
    Ok(())
}

/// One area's evidence base from data already loaded: compare, assess, compute the sections,
/// render; the trends and long views of the areas in `scope`, and in a batch the area's
/// benchmarks.
fn build_area(
    cfg: &Config,
    data: &Dataset,
    (area, scope): (&str, &[String]),
    benchmarks: Option<stats::funnel::Benchmarks>,
) -> Result<Built> {
    let (cmp, findings) = compare_area(cfg, data, area)?;
    let oa = outcome_assessment(cfg, data, &cmp)?.map(|(oa, _)| oa);
    let headline = report::index::headline(&cmp, oa.as_ref(), &findings, benchmarks.as_ref());
    let evidence = report::artefacts::Evidence {
        rates: section_rates(cfg, data, &cmp)?,
        peers: section_peers(cfg, data, &cmp)?,
        shares: shares(cfg, &cmp)?,
        spc: spc_evidence(cfg, data, scope)?,
        long: long_views(cfg, data, &cmp.area, scope),
        place: place_evidence(cfg, data, &cmp.area)?,
        justice: justice_evidence(cfg, data, &cmp.area),
        benchmarks,
        formats: cfg.formats(false),
        data,
        cmp: &cmp,
        outcomes: oa.as_ref(),
        findings: &findings,
    };
    let narrative = narrative_text(cfg)?;
    let settings = report::artefacts::Settings {
        title: &cfg.title,
        config_file: cfg.file.as_deref(),
        per: cfg.per,
        peers_denominator: cfg.peers_denominator.as_deref(),
        disclosure: cfg.sources.iter().filter_map(|s| s.sensitive).max(),
        published: cfg.published.as_deref(),
        contact: cfg.contact.as_deref(),
        narrative: narrative
            .as_ref()
            .map(|(text, file)| (text.as_str(), file.as_str())),
    };
    let (artefacts, ctx) = report::artefacts::build(&evidence, &settings)?;
    Ok((artefacts, ctx, findings, headline))
}

/// One area's artefacts, view-model, findings and its line in a batch's index.
type Built = (
    Vec<Artefact>,
    report::Context,
    Vec<Finding>,
    report::index::Headline,
);

/// The report's outcome and stop-and-search sections, when the sources hold an archive's outcome
/// and stop-and-search files; an archive declared for them and absent is said.
fn justice_evidence(
    cfg: &Config,
    data: &crate::model::Dataset,
    compared: &str,
) -> Option<stats::justice_evidence::JusticeEvidence> {
    if !cfg.quiet {
        for path in &data.justice.absent {
            crate::error::say(format_args!(
                "{path} is absent: the report has no sections on investigation outcomes or stop and search"
            ));
        }
    }
    stats::justice_evidence::justice_evidence(&data.justice, compared, &cfg.settings)
}

/// Each offence group's share, when the config asks for the share chart.
fn shares(cfg: &Config, cmp: &Comparison) -> Result<Option<(Vec<stats::shares::Share>, f64)>> {
    if !cfg.shares_chart {
        return Ok(None);
    }
    let (shares, (_, acquisitive)) = stats::shares::shares(cmp, &cfg.taxonomy)?;
    Ok(Some((shares, acquisitive)))
}
