//! `place`: where an area's crimes fall, from the street points of its data.police.uk archive.

use std::collections::BTreeMap;

use super::args::PlaceBy;
use super::commands::print_rows;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::findings::Finding;
use crate::harmonise::Period;
use crate::model::place::Boundaries;
use crate::model::{Dataset, Severity};
use crate::pipeline;
use crate::render::export::Format;
use crate::render::place as table;
use crate::stats::{self, counts, place};

/// One period, or two for the change by LSOA.
#[derive(Debug, Clone, Copy)]
pub enum PlacePeriods {
    One(Period),
    Two(Period, Period),
}

/// What `place` was asked.
pub struct PlaceAsk<'a> {
    pub periods: PlacePeriods,
    pub by: PlaceBy,
    pub boundaries: Option<&'a str>,
    /// `--lookup`: the `[[lookup]]` the LSOAs are regrouped by.
    pub lookup: Option<&'a str>,
    pub cell_size: Option<f64>,
    /// Write the results as GeoJSON here too.
    pub geojson: Option<std::path::PathBuf>,
    /// `--by point`: every month, point and crime type, as a `points` source reads them.
    pub detail: bool,
    /// `--by grid`: classify each cell over the period's months.
    pub classify: bool,
}

/// `place` as the command line gives it.
pub fn from_command(cfg: &Config, command: &super::Command) -> Result<Vec<Finding>> {
    let super::Command::Place {
        period,
        from,
        to,
        by,
        boundaries,
        lookup,
        cell_size,
        geojson,
        detail,
        classify,
        format,
    } = command
    else {
        unreachable!("from_command is called for `place` only");
    };
    let periods = match (period, from, to) {
        (Some(p), _, _) => PlacePeriods::One(*p),
        (None, Some(a), Some(b)) => PlacePeriods::Two(*a, *b),
        _ => {
            return Err(Error::Usage(
                "place: give --period, or --from and --to for the change by LSOA".into(),
            ));
        }
    };
    let ask = PlaceAsk {
        periods,
        by: *by,
        boundaries: boundaries.as_deref(),
        lookup: lookup.as_deref(),
        cell_size: *cell_size,
        geojson: geojson.clone(),
        detail: *detail,
        classify: *classify,
    };
    place(cfg, &ask, (*format).into())
}

pub fn place(cfg: &Config, ask: &PlaceAsk, format: Format) -> Result<Vec<Finding>> {
    let (mut data, area) = pipeline::load_points(cfg)?;
    let names = match ask.lookup {
        Some(name) => regroup(cfg, name, ask.by, &mut data, &area)?,
        None => BTreeMap::new(),
    };
    for (p, flag) in periods_of(ask.periods) {
        // Refuses a partial period as every comparison does (or labels it with --allow-partial).
        if data.observations.iter().any(|o| o.area == area) {
            counts::period_figures(&data, &area, p, flag, cfg.allow_partial)?;
        } else if !cfg.allow_partial {
            whole_in_points(&data, &area, p, flag)?;
        }
    }
    if let PlacePeriods::Two(from, to) = ask.periods {
        stats::compare::comparable_periods(from, to)?;
    }
    let (header, cells, geojson) = table_of(cfg, ask, &mut data, (&area, &names))?;
    if let Some(path) = &ask.geojson {
        let text = geojson.ok_or_else(|| {
            Error::Usage(
                "--geojson: LSOAs are written with their shapes, so declare a [[boundaries]] file"
                    .into(),
            )
        })?;
        write_geojson(cfg, path, text)?;
    }
    let header = renamed(header, ask.lookup);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    print_rows(format, &header, &cells, None::<&()>)?;
    Ok(data.findings)
}

/// The columns, `lsoa_` renamed for the lookup's geography when there is one.
fn renamed(header: &[&str], lookup: Option<&str>) -> Vec<String> {
    header
        .iter()
        .map(|h| match (lookup, h.strip_prefix("lsoa_")) {
            (Some(name), Some(rest)) => format!("{name}_{rest}"),
            _ => h.to_string(),
        })
        .collect()
}

/// Regroups the area's LSOAs by the `[[lookup]]` named `name`, saying how on stderr and as
/// findings; the name of every code the rows now carry.
fn regroup(
    cfg: &Config,
    name: &str,
    by: PlaceBy,
    data: &mut Dataset,
    area: &str,
) -> Result<BTreeMap<String, String>> {
    if by != PlaceBy::Lsoa {
        return Err(Error::Usage(
            "--lookup regroups LSOAs: use it with --by lsoa".into(),
        ));
    }
    let spec = cfg.lookups.iter().find(|l| l.name == name).ok_or_else(|| {
        let known: Vec<&str> = cfg.lookups.iter().map(|l| l.name.as_str()).collect();
        Error::Usage(format!(
            "--lookup {name}: no [[lookup]] of that name (declared: {})",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ))
    })?;
    let lookup = crate::ingest::lookup::read(spec)?;
    let r = crate::harmonise::lookup::regroup(data, area, &lookup);
    if !cfg.quiet {
        crate::error::say(format_args!(
            "{area}: {} LSOAs regrouped into {} places of {name} by {} (a best-fit lookup puts each LSOA wholly in one place)",
            r.lsoas, r.groups, lookup.display
        ));
    }
    if !r.unmatched.is_empty() {
        let list: Vec<String> = r
            .unmatched
            .iter()
            .map(|(c, n)| format!("{c}: {n}"))
            .collect();
        data.findings.push(finding(
            Severity::Warning,
            "lookup-unmatched",
            format!(
                "{area}: {} LSOAs are not in {}: kept under their own codes, not dropped (crimes in the whole archive: {})",
                r.unmatched.len(), lookup.display, list.join("; ")
            ),
        ));
    }
    Ok(r.names)
}

/// A table: its columns, its rows, and the GeoJSON of the same where there is one.
type Tabled = (&'static [&'static str], Vec<Vec<String>>, Option<String>);

/// The table `ask` asks for.
/// `names`: what a `--lookup` named the codes it gave.
fn table_of(
    cfg: &Config,
    ask: &PlaceAsk,
    data: &mut Dataset,
    (area, names): (&str, &BTreeMap<String, String>),
) -> Result<Tabled> {
    Ok(match (ask.by, ask.periods) {
        (PlaceBy::Lsoa, PlacePeriods::Two(from, to)) => {
            lsoa_change_table(cfg, ask, data, (area, names), (from, to))?
        }
        (PlaceBy::Lsoa, PlacePeriods::One(period)) => {
            let boundaries = boundaries(cfg, ask)?;
            let (cells, geojson) = by_place(data, (area, names), period, boundaries.as_ref());
            rated(cfg, data, period, cells, geojson)
        }
        (PlaceBy::Grid, PlacePeriods::One(period)) if ask.classify => {
            classified(ask, data, area, period)?
        }
        (PlaceBy::Grid, PlacePeriods::One(period)) => {
            let (cells, geojson) = grid(cfg, data, area, period, ask.cell_size)?;
            (&table::GRID_COLUMNS[..], cells, Some(geojson))
        }
        (PlaceBy::Point, PlacePeriods::One(period)) if ask.detail => {
            let points: Vec<_> = place::points_in(data, area, period).collect();
            (
                &crate::ingest::points::COLUMNS[..],
                table::point_detail_rows(&points),
                None,
            )
        }
        (PlaceBy::Point, PlacePeriods::One(period)) => {
            let points: Vec<_> = place::points_in(data, area, period).collect();
            let totals = place::point_totals(&points);
            summarise(cfg, area, period, &totals);
            let cells = table::point_rows(area, &period.to_string(), &totals);
            let geojson = crate::render::geojson::points(&totals, &period.to_string());
            (&table::POINT_COLUMNS[..], cells, Some(geojson))
        }
        (PlaceBy::Point, PlacePeriods::Two(from, to)) => {
            let changes = place::point_changes(data, area, (from, to), &cfg.settings);
            let cells =
                table::point_change_rows(area, (&from.to_string(), &to.to_string()), &changes);
            (&table::POINT_CHANGE_COLUMNS[..], cells, None)
        }
        (PlaceBy::Grid, PlacePeriods::Two(..)) => {
            return Err(Error::Usage(
                "place --by grid takes one --period (the change by place is --by lsoa or --by point)".into(),
            ));
        }
    })
}

/// Each grid cell's pattern over the period's months, and the cells as GeoJSON.
fn classified(ask: &PlaceAsk, data: &Dataset, area: &str, period: Period) -> Result<Tabled> {
    let points: Vec<_> = place::points_in(data, area, period).collect();
    let params = stats::hotspot::ClassifyParams::default();
    let (cells, size) = place::classify_cells(&points, period, ask.cell_size, &params)
        .ok_or_else(|| Error::Usage(format!("place --classify: {area} has too few located crimes in {period}, or {period} is a single month")))?;
    let label = period.to_string();
    Ok((
        &table::CLASS_COLUMNS[..],
        table::class_rows(area, &label, &cells),
        Some(crate::render::geojson::classes(&cells, size, &label)),
    ))
}

/// Each LSOA's (or lookup place's) change with its test, and its GeoJSON where there are shapes.
fn lsoa_change_table(
    cfg: &Config,
    ask: &PlaceAsk,
    data: &Dataset,
    (area, names): (&str, &BTreeMap<String, String>),
    (from, to): (Period, Period),
) -> Result<Tabled> {
    let mut changes = place::lsoa_changes(data, area, (from, to), &cfg.settings);
    let b = boundaries(cfg, ask)?;
    name_changes(&mut changes, names, b.as_ref());
    let cells = table::change_rows(area, &from.to_string(), &to.to_string(), &changes);
    let geojson = b.map(|b| crate::render::geojson::changes(&b, &changes, (from, to)));
    Ok((&table::CHANGE_COLUMNS[..], cells, geojson))
}

/// Names the places a `points` source left unnamed: as a lookup or the boundary file names them.
fn name_changes(
    changes: &mut [place::PlaceChange],
    names: &BTreeMap<String, String>,
    b: Option<&Boundaries>,
) {
    let drawn: BTreeMap<&str, &str> = b
        .iter()
        .flat_map(|b| b.places.iter().map(|p| (p.code.as_str(), p.name.as_str())))
        .collect();
    for c in changes.iter_mut().filter(|c| c.lsoa_name.is_empty()) {
        let name = names.get(&c.lsoa_code).map(String::as_str);
        if let Some(n) = name.or_else(|| drawn.get(c.lsoa_code.as_str()).copied()) {
            c.lsoa_name = n.to_string();
        }
    }
}

/// Writes the GeoJSON as the run writes its artefacts: all or nothing, never over an input.
fn write_geojson(cfg: &Config, path: &std::path::Path, text: String) -> Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| Error::Usage(format!("--geojson {}: name a file", path.display())))?;
    let mut inputs: Vec<std::path::PathBuf> = cfg.sources.iter().map(|s| s.path.clone()).collect();
    inputs.extend(cfg.boundaries.iter().map(|b| b.path.clone()));
    let artefact = crate::report::output::Artefact::new(name.to_string_lossy(), text);
    crate::report::output::commit(&folder, &[artefact], &inputs)?;
    Ok(())
}

/// A period every month of which the area's points cover (a points source has no counts to
/// check it against).
fn whole_in_points(data: &Dataset, area: &str, p: Period, flag: &str) -> Result<()> {
    let months = place::point_months(data, area);
    let missing: Vec<String> = p
        .months()
        .filter(|m| !months.contains(m))
        .map(|m| m.to_string())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{flag}: {p} is partial in the points of {area}: no rows for {}; choose a period they cover, or pass --allow-partial",
        missing.join(", ")
    )))
}

/// Each period with the flag that gave it.
fn periods_of(p: PlacePeriods) -> Vec<(Period, &'static str)> {
    match p {
        PlacePeriods::One(a) => vec![(a, "--period")],
        PlacePeriods::Two(a, b) => vec![(a, "--from"), (b, "--to")],
    }
}

/// Counts by place with each LSOA's rate per resident, where the sources give LSOA populations.
fn rated(
    cfg: &Config,
    data: &Dataset,
    period: Period,
    cells: Vec<Vec<String>>,
    geojson: Option<String>,
) -> Tabled {
    let populations = place::lsoa_populations(data, period);
    if populations.is_empty() {
        return (&table::PLACE_COLUMNS[..], cells, geojson);
    }
    let confidence = 1.0 - cfg.settings.alpha;
    let cells = table::with_rates(cells, &populations, cfg.per, confidence);
    (&table::PLACE_RATE_COLUMNS[..], cells, geojson)
}

/// The boundary file asked for (by name), or the first declared; `None` when none is declared,
/// or when a `--lookup` regroups the LSOAs and no boundary file of its places is named.
fn boundaries(cfg: &Config, ask: &PlaceAsk) -> Result<Option<Boundaries>> {
    if ask.lookup.is_some() && ask.boundaries.is_none() {
        return Ok(None);
    }
    let spec = match ask.boundaries {
        Some(n) => Some(cfg.boundaries.iter().find(|b| b.name == n).ok_or_else(|| {
            let known: Vec<&str> = cfg.boundaries.iter().map(|b| b.name.as_str()).collect();
            Error::Usage(format!(
                "--boundaries {n}: no [[boundaries]] of that name (declared: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ))
        })?),
        None => cfg.boundaries.first().filter(|spec| present(cfg, spec)),
    };
    spec.map(crate::ingest::boundaries::read).transpose()
}

/// Whether the declared (not asked-for) boundary file is there: absent, the places are
/// data.police.uk's own LSOA codes, as the report's "Where" section does without it, and said.
fn present(cfg: &Config, spec: &crate::model::place::BoundarySpec) -> bool {
    let there = spec.path.exists();
    if !there && !cfg.quiet {
        crate::error::say(format_args!(
            "the boundary file {} is absent: places are data.police.uk's own LSOA codes (name it with --boundaries to require it)",
            spec.display
        ));
    }
    there
}

/// Counts by place: located in the boundary file's places when there is one (points outside
/// every place and off the grid reported as findings), else by data.police.uk's own LSOA codes.
fn by_place(
    data: &mut Dataset,
    (area, given): (&str, &BTreeMap<String, String>),
    period: Period,
    boundaries: Option<&Boundaries>,
) -> (Vec<Vec<String>>, Option<String>) {
    let Some(b) = boundaries else {
        let points: Vec<_> = place::points_in(data, area, period).collect();
        let placed = place::by_published_code(&points);
        let names: BTreeMap<&str, &str> = data
            .lsoa
            .iter()
            .map(|l| (&*l.lsoa_code, &*l.lsoa_name))
            .chain(given.iter().map(|(c, n)| (c.as_str(), n.as_str())))
            .collect();
        return (
            table::place_rows(area, &period.to_string(), &placed, &names),
            None,
        );
    };
    let index = place::Index::new(b);
    let points: Vec<_> = place::points_in(data, area, period).collect();
    let placed = place::place(&points, &index);
    let findings = unplaced_findings(&placed, b, area, period);
    let names: BTreeMap<&str, &str> = b
        .places
        .iter()
        .map(|p| (p.code.as_str(), p.name.as_str()))
        .collect();
    let rows = table::place_rows(area, &period.to_string(), &placed, &names);
    data.findings.extend(findings);
    let geojson = crate::render::geojson::places(b, &placed, &period.to_string());
    (rows, Some(geojson))
}

/// What no place of the boundary file holds, said as findings (each point with its crimes).
fn unplaced_findings(
    placed: &place::Placed,
    b: &Boundaries,
    area: &str,
    period: Period,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let list = |points: &[place::Unplaced]| -> String {
        points
            .iter()
            .map(|p| {
                format!(
                    "{} ({}, {}; LSOA {}): {}",
                    p.location, p.longitude, p.latitude, p.lsoa_code, p.crimes
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let crimes = |points: &[place::Unplaced]| points.iter().map(|p| p.crimes).sum::<u64>();
    if !placed.outside.is_empty() {
        out.push(finding(
            Severity::Warning,
            "outside-boundaries",
            format!(
                "{area}, {period}: {} crimes at {} points lie outside every place of {} ({}, joined {}): counted apart, not in the table: {}",
                crimes(&placed.outside), placed.outside.len(), b.name, b.display,
                match placed.join { place::Join::ByCode => "by LSOA code", place::Join::ByLocation => "by location" },
                list(&placed.outside)
            ),
        ));
    }
    if !placed.off_grid.is_empty() {
        out.push(finding(
            Severity::Warning,
            "off-grid",
            format!(
                "{area}, {period}: {} crimes at {} points have coordinates outside Great Britain's National Grid: counted apart: {}",
                crimes(&placed.off_grid), placed.off_grid.len(), list(&placed.off_grid)
            ),
        ));
    }
    if !placed.astray.is_empty() {
        out.push(finding(
            Severity::Warning,
            "outside-own-lsoa",
            format!(
                "{area}, {period}: {} crimes at {} points lie outside the drawn shape of their own LSOA in {} (its boundaries are generalised or clipped to the river bank; data.police.uk placed them on full-resolution ones): kept in their LSOA: {}",
                crimes(&placed.astray), placed.astray.len(), b.display, list(&placed.astray)
            ),
        ));
    }
    out
}

/// Gi* hotspots of the period's points on a grid (sfhotspot's cell size unless given), p-values
/// adjusted across the cells by the comparison's method.
fn grid(
    cfg: &Config,
    data: &mut Dataset,
    area: &str,
    period: Period,
    size: Option<f64>,
) -> Result<(Vec<Vec<String>>, String)> {
    if let Some(s) = size.filter(|s| !(*s > 0.0 && s.is_finite())) {
        return Err(Error::Usage(format!(
            "--cell-size: {s} is not a positive number of metres"
        )));
    }
    let points: Vec<_> = place::points_in(data, area, period).collect();
    let (located, off_grid) = place::located(&points);
    let (cells, size) = place::hotspots(&located, size, cfg.settings.adjust).ok_or_else(|| {
        Error::Usage(format!(
            "place --by grid: {area} has too few located crimes in {period} for a grid"
        ))
    })?;
    if off_grid > 0 {
        data.findings.push(finding(
            Severity::Warning,
            "off-grid",
            format!("{area}, {period}: {off_grid} crimes have coordinates outside Great Britain's National Grid: not on the grid"),
        ));
    }
    data.findings.push(finding(
        Severity::Note,
        "grid",
        format!(
            "{area}, {period}: {} cells of {size} m ({} adjustment of the {} cells' p-values)",
            cells.len(),
            cfg.settings.adjust.label(),
            cells.len()
        ),
    ));
    let label = period.to_string();
    let geojson = crate::render::geojson::cells(&cells, size, cfg.settings.alpha, &label);
    Ok((
        table::grid_rows(area, &label, &cells, cfg.settings.alpha),
        geojson,
    ))
}

fn finding(severity: Severity, code: &'static str, message: String) -> Finding {
    Finding {
        severity,
        code,
        message,
    }
}

/// How concentrated the period's crime is, across LSOAs and across points, said on stderr.
fn summarise(cfg: &Config, area: &str, period: Period, points: &[place::PointTotal]) {
    if cfg.quiet {
        return;
    }
    let mut lsoas: BTreeMap<&str, u64> = BTreeMap::new();
    for p in points.iter().filter(|p| p.crimes > 0) {
        *lsoas.entry(p.lsoa_code.as_str()).or_default() += p.crimes;
    }
    let by_lsoa: Vec<u64> = lsoas.into_values().collect();
    let by_point: Vec<u64> = points.iter().map(|p| p.crimes).filter(|&n| n > 0).collect();
    let line = |what: &str, counts: &[u64]| {
        let c = stats::concentration::concentration(counts);
        let f = |x: Option<f64>| x.map_or_else(|| "n/a".to_string(), |x| format!("{x:.3}"));
        format!(
            "across the {} {what} with crime, Gini {} (generalised {}), the busiest 5% hold {}",
            c.places,
            f(c.gini),
            f(c.generalised),
            c.top5
                .map_or_else(|| "n/a".to_string(), |s| format!("{:.1}%", 100.0 * s)),
        )
    };
    let artefacts = points.iter().filter(|p| p.artefact).count();
    crate::error::say(format_args!(
        "concentration, {area}, {period}: {}; {}; points holding most of their LSOA's crime (flagged as artefacts): {artefacts}",
        line("LSOAs", &by_lsoa),
        line("points", &by_point)
    ));
}
