//! The command line: clap definitions ([`args`]), the flag-to-config merge ([`merge`]) and one
//! small runner per command ([`commands`]).
//!
//! Exit codes: 0 ok; 1 the run succeeded but its findings fail the `--fail-on` policy; 2 bad
//! input, config or usage (nothing was written).

pub mod args;
mod commands;
mod justice;
mod merge;
mod place;

use std::io::Write;
use std::path::PathBuf;

pub use args::{By, Cli, Command, DEFAULT_CONFIG, FailOnArg, Format, Global, PlaceBy};

use crate::error::{Error, Result};
use crate::findings::{self, Finding};

/// How a successful command ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// Findings fail the `--fail-on` policy.
    Findings = 1,
}

/// Runs the command; the binary maps the result to an exit code.
pub fn execute(cli: &Cli) -> Result<Exit> {
    let cfg = cli.config()?;
    let findings = match &cli.command {
        Command::Run {
            all_areas: true,
            families,
            ..
        } => commands::run_all(&cfg, families.as_deref())?,
        Command::Run { .. } => commands::run(&cfg)?,
        Command::Compare {
            format, all_areas, ..
        } => commands::compare(&cfg, *all_areas, (*format).into())?,
        Command::Trend {
            years,
            rolling,
            format,
        } => commands::trend(&cfg, *years, *rolling, (*format).into())?,
        Command::Spc { baseline, format } => {
            commands::spc(&cfg, baseline.as_deref(), (*format).into())?
        }
        Command::Place { .. } => place::from_command(&cfg, &cli.command)?,
        Command::Justice { .. } | Command::Searches { .. } => {
            justice::from_command(&cfg, &cli.command)?
        }
        Command::Counts { period, by, format } => {
            commands::counts(&cfg, *period, *by, (*format).into())?
        }
        Command::Check => {
            let findings = commands::check(&cfg)?;
            return Ok(exit(&findings, &cfg));
        }
        Command::Rates {
            period,
            denominator,
            format,
            ..
        } => commands::rates(&cfg, *period, denominator.as_deref(), (*format).into())?,
        Command::Peers { peers, format, .. } => commands::peers(&cfg, peers, (*format).into())?,
        Command::Measures { format } => commands::measures(&cfg, (*format).into())?,
        Command::Outcomes { detail, format, .. } => {
            commands::outcomes(&cfg, *detail, (*format).into())?
        }
    };
    // `check` prints its findings to stdout itself; the others say what needs attention here.
    report_findings(&findings, cfg.quiet);
    Ok(exit(&findings, &cfg))
}

/// How a run with these findings ends under the config's `--fail-on` policy.
fn exit(findings: &[Finding], cfg: &crate::config::Config) -> Exit {
    if findings::fails(findings, cfg.fail_on) {
        Exit::Findings
    } else {
        Exit::Ok
    }
}

/// Writes `text` to standard output; a closed pipe (`| head`) is not an error.
fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Write {
            path: PathBuf::from("<stdout>"),
            source: e,
        }),
        _ => Ok(()),
    }
}

fn report_findings(findings: &[Finding], quiet: bool) {
    if quiet {
        return;
    }
    // Notes are for `check` and the report; commands print what needs attention.
    let colour = use_colour();
    for f in findings
        .iter()
        .filter(|f| f.severity > findings::Severity::Note)
    {
        let label = findings::severity_label(f.severity);
        let label = match (colour, f.severity) {
            (true, findings::Severity::Error) => format!("\x1b[1;31m{label}\x1b[0m"),
            (true, _) => format!("\x1b[1;33m{label}\x1b[0m"),
            _ => label.to_string(),
        };
        crate::error::say(format_args!("{label}: {} [{}]", f.message, f.code));
    }
}

/// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
fn use_colour() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}
