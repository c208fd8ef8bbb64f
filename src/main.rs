//! The `saferstats` binary: parse the command line, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use saferstats::cli::{Cli, execute};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match execute(&cli) {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(e) => {
            saferstats::error::say(format_args!("error: {e}"));
            ExitCode::from(2)
        }
    }
}
