//! The stages in order: ingest -> harmonise -> stats -> findings -> render -> report -> write.
//!
//! Everything is computed and rendered in memory before the first byte is written, so bad input
//! never leaves partial output (see [`crate::output`]).

use std::path::PathBuf;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::findings::{self, Finding};
use crate::harmonise::Period;
use crate::model::Dataset;
use crate::output::{self, Artefact};
use crate::render::{chart, table};
use crate::report::{self, manifest};
use crate::stats::{self, Comparison, counts};

/// What a finished run did.
#[derive(Debug)]
pub struct RunOutcome {
    pub written: Vec<PathBuf>,
    pub findings: Vec<Finding>,
}

/// Reads every source and picks the area to report on.
pub fn load(cfg: &Config) -> Result<(Dataset, String)> {
    if cfg.sources.is_empty() {
        return Err(Error::Usage(
            "no sources: name one with --source KIND=PATH (e.g. --source summary=table.csv) or add a [[source]] to the config".into(),
        ));
    }
    let data = crate::ingest::load_all(&cfg.sources)?;
    let area = counts::select_area(&data, cfg.area.as_deref())?;
    Ok((data, area))
}

/// The two periods to compare: from the flags or the config.
pub fn periods(cfg: &Config) -> Result<(Period, Period)> {
    match (cfg.from, cfg.to) {
        (Some(from), Some(to)) => Ok((from, to)),
        _ => Err(Error::Usage(
            "no periods to compare: give --from and --to (e.g. --from 2016/17 --to 2017/18) or set them under [compare] in the config".into(),
        )),
    }
}

/// Loads the data and compares the configured periods.
pub fn comparison(cfg: &Config) -> Result<(Dataset, Comparison, Vec<Finding>)> {
    let (from, to) = periods(cfg)?;
    let (data, area) = load(cfg)?;
    let cmp = stats::compare(&data, &area, from, to, &cfg.settings)?;
    let findings = findings::from_comparison(&cmp);
    Ok((data, cmp, findings))
}

/// The whole job: compare, render every artefact, write them all or none.
pub fn run(cfg: &Config) -> Result<RunOutcome> {
    let (data, cmp, findings) = comparison(cfg)?;
    let artefacts = artefacts(cfg, &data, &cmp, &findings)?;
    let written = output::commit(&cfg.out_dir, &artefacts)?;
    Ok(RunOutcome { written, findings })
}

/// Every artefact of a run, the manifest last.
pub fn artefacts(
    cfg: &Config,
    data: &Dataset,
    cmp: &Comparison,
    findings: &[Finding],
) -> Result<Vec<Artefact>> {
    let stem = format!("yoy-{}-to-{}", cmp.from.slug(), cmp.to.slug());
    let labels = chart::Labels {
        title: chart::comparison_title(cmp, &format!("Recorded crime in {}", cmp.area)),
        subtitle: format!("Recorded crimes by category, {} and {}", cmp.from, cmp.to),
        source: source_line(data, &cmp.inputs),
    };
    let figure = chart::comparison_bars(cmp, &labels)?;
    let chart_view = report::ChartView {
        title: labels.title.clone(),
        source: labels.source.clone(),
        svg: figure.svg.clone(),
        svg_path: format!("../charts/{stem}.svg"),
    };
    let ctx = report::context(&cfg.title, cmp, chart_view, findings, &data.inputs);
    let table_md = table::comparison_markdown(cmp);
    let mut artefacts = vec![
        Artefact::new(format!("charts/{stem}.svg"), figure.svg),
        Artefact::new(format!("charts/{stem}.png"), figure.png),
        Artefact::new(
            format!("reports/tables/{stem}.csv"),
            table::comparison_csv(cmp),
        ),
        Artefact::new(format!("reports/tables/{stem}.md"), table_md.clone()),
        Artefact::new("reports/evidence-base.html", report::html(&ctx)?),
        Artefact::new(
            "reports/evidence-base.md",
            report::markdown(&ctx, &table_md)?,
        ),
    ];
    let manifest = manifest::build(cfg.file.as_deref(), &data.inputs, &artefacts, &cmp.inputs);
    let json = serde_json::to_string_pretty(&manifest).expect("the manifest serialises") + "\n";
    artefacts.push(Artefact::new("reports/manifest.json", json));
    Ok(artefacts)
}

/// `Source: <publishers>`, naming each input's publisher (or its file when none is given).
fn source_line(data: &Dataset, used: &[usize]) -> String {
    let mut names: Vec<String> = Vec::new();
    for &i in used {
        let f = &data.inputs[i];
        let name = f.publisher.clone().unwrap_or_else(|| f.path.clone());
        if !names.contains(&name) {
            names.push(name);
        }
    }
    format!("Source: {}.", names.join("; "))
}
