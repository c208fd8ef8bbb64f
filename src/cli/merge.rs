//! Flags over the config: the one place where the command line becomes a typed [`Config`].

use std::path::{Path, PathBuf};

use super::args::{By, Cli, Command, DEFAULT_CONFIG};
use crate::config::{Config, OutcomesConfig, Source, SourceKind, default_force_areas};
use crate::error::{Error, Result};
use crate::harmonise::Period;
use crate::ingest::police_uk::Selection;
use crate::outcomes::{RagRule, VerdictSettings};

impl Cli {
    /// The config file merged with the flags; flags win.
    pub fn config(&self) -> Result<Config> {
        let mut cfg = self.config_file()?;
        self.merge_sources(&mut cfg);
        self.merge_global(&mut cfg)?;
        self.merge_command(&mut cfg)?;
        Ok(cfg)
    }

    /// `--config`, else `saferstats.toml` in the current folder, else the defaults.
    fn config_file(&self) -> Result<Config> {
        match &self.global.config {
            Some(path) => Config::from_file(path),
            None if Path::new(DEFAULT_CONFIG).is_file() => {
                Config::from_file(Path::new(DEFAULT_CONFIG))
            }
            None => Ok(Config::default()),
        }
    }

    /// `--source` replaces the config's sources of the same role; archive flags narrow every
    /// source's selection.
    fn merge_sources(&self, cfg: &mut Config) {
        let g = &self.global;
        if !g.sources.is_empty() {
            let encoding = g.encoding.unwrap_or_default();
            let flagged = g
                .sources
                .iter()
                .map(|(kind, path)| flag_source(*kind, path, &g.area, encoding));
            let flagged: Vec<Source> = flagged.collect();
            cfg.sources
                .retain(|s| !flagged.iter().any(|f| f.kind.role() == s.kind.role()));
            cfg.sources.extend(flagged);
        }
        let points = matches!(self.command, Command::Place { .. });
        // `run --all-areas` counts every local authority from the rows located in its LSOAs.
        let batch = matches!(
            self.command,
            Command::Run {
                all_areas: true,
                ..
            }
        );
        let lsoa_detail = points || batch || self.lsoa_detail(cfg);
        for source in &mut cfg.sources {
            self.select(&mut source.selection);
            source.selection.lsoa_detail = lsoa_detail;
            source.selection.point_detail = points;
            // A batch keeps no area's points or outcome rows: its areas are many.
            source.selection.point_area = (!batch)
                .then(|| g.area.clone().or(cfg.area.clone()))
                .flatten();
            // `run` keeps them for the report's sections on outcomes and stop and search, of
            // the area's forces only (without an area: none).
            source.selection.justice_detail = source.selection.justice_only
                || matches!(
                    self.command,
                    Command::Justice { .. } | Command::Searches { .. }
                )
                || (matches!(
                    self.command,
                    Command::Run { .. } | Command::Outcomes { .. } | Command::Check
                ) && source.selection.point_area.is_some());
            source.selection.point_months = self.point_months();
        }
    }

    /// Whether a one-area command keeps the LSOA detail. An area asked for may be a local
    /// authority inside a force: counting its rows takes the LSOA detail. `compare --all-areas`
    /// compares what the archive names (its forces), so a config's area does not make it keep
    /// every LSOA (1.7 times the memory and time).
    fn lsoa_detail(&self, cfg: &Config) -> bool {
        let g = &self.global;
        let all_areas = matches!(
            self.command,
            Command::Compare {
                all_areas: true,
                ..
            }
        );
        g.export_parquet.is_some()
            || g.area.is_some()
            || (cfg.area.is_some() && !all_areas)
            || matches!(
                self.command,
                Command::Counts {
                    by: Some(By::Lsoa),
                    ..
                }
            )
    }

    /// `place`: the months of its periods, whose files alone keep their points.
    fn point_months(&self) -> Option<Vec<(crate::harmonise::Month, crate::harmonise::Month)>> {
        let Command::Place {
            period, from, to, ..
        } = &self.command
        else {
            return None;
        };
        let periods: Vec<_> = [period, from, to].into_iter().flatten().collect();
        (!periods.is_empty()).then(|| {
            periods
                .iter()
                .map(|p| (p.first_month(), p.last_month()))
                .collect()
        })
    }

    /// The options every command takes.
    fn merge_global(&self, cfg: &mut Config) -> Result<()> {
        let g = &self.global;
        cfg.area = g.area.clone().or(cfg.area.take());
        cfg.settings.alpha = g.alpha.unwrap_or(cfg.settings.alpha);
        cfg.settings.small_numbers = g.small_numbers.unwrap_or(cfg.settings.small_numbers);
        cfg.settings
            .validate()
            .map_err(|m| Error::Usage(format!("--alpha/--small-numbers: {m}")))?;
        cfg.fail_on = g.fail_on.map_or(cfg.fail_on, Into::into);
        cfg.quiet = g.quiet;
        cfg.allow_partial |= g.allow_partial;
        cfg.export_parquet = g.export_parquet.clone();
        Ok(())
    }

    /// The command's own options: periods, the output folder, `--per`, `--framework`.
    fn merge_command(&self, cfg: &mut Config) -> Result<()> {
        match &self.command {
            Command::Run {
                out,
                from,
                to,
                dump_context,
                png,
                ..
            } => {
                cfg.out_dir = out.clone().unwrap_or(cfg.out_dir.clone());
                if *png {
                    cfg.png = Some(true);
                }
                cfg.dump_context = dump_context.clone();
                merge_periods(cfg, *from, *to);
            }
            Command::Compare { from, to, .. } | Command::Peers { from, to, .. } => {
                merge_periods(cfg, *from, *to);
            }
            Command::Outcomes {
                from,
                to,
                framework,
                ..
            } => {
                merge_periods(cfg, *from, *to);
                if let Some(path) = framework {
                    merge_framework(cfg, path);
                }
            }
            Command::Rates { per: Some(per), .. } => {
                if !(*per > 0.0 && per.is_finite()) {
                    return Err(Error::Usage(format!(
                        "--per: {per} is not a positive number"
                    )));
                }
                cfg.per = *per;
            }
            _ => {}
        }
        Ok(())
    }
}

/// `--from` and `--to` over the config's `[compare]` periods.
fn merge_periods(cfg: &mut Config, from: Option<Period>, to: Option<Period>) {
    cfg.from = from.or(cfg.from);
    cfg.to = to.or(cfg.to);
}

/// `outcomes --framework FILE` over the config's `outcomes.framework`, keeping its settings.
fn merge_framework(cfg: &mut Config, path: &Path) {
    let mut o = cfg.outcomes.take().unwrap_or_else(|| OutcomesConfig {
        framework: PathBuf::new(),
        display: String::new(),
        verdicts: VerdictSettings::default(),
        rule: RagRule::default(),
        report: None,
    });
    o.framework = path.to_path_buf();
    o.display = path.display().to_string();
    cfg.outcomes = Some(o);
}

impl Cli {
    /// Archive flags narrow (or make strict or lenient) every source's selection.
    fn select(&self, selection: &mut Selection) {
        let g = &self.global;
        if !g.forces.is_empty() {
            selection.forces = g.forces.clone();
        }
        if let Some((first, last)) = g.months {
            selection.from = Some(first);
            selection.to = Some(last);
        }
        if g.reject_bad_rows {
            selection.bad_rows = crate::ingest::police_uk::file::BadRows::Reject;
        }
        selection.progress = !g.quiet;
        selection.rehash = g.rehash;
        selection.cache_dir = if g.no_cache {
            None
        } else {
            g.cache_dir
                .clone()
                .or_else(crate::ingest::police_uk::cache::default_dir)
        };
    }
}

fn flag_source(
    kind: SourceKind,
    path: &Path,
    area: &Option<String>,
    encoding: crate::ingest::read::Encoding,
) -> Source {
    Source {
        encoding,
        area: area.clone(),
        selection: Selection {
            force_areas: default_force_areas(),
            ..Selection::default()
        },
        ..Source::new(kind, path, path.display().to_string())
    }
}
