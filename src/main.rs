//! The `saferstats` binary: parse the command line, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use saferstats::cli::{Cli, execute};

/// mimalloc, not the system allocator: a run allocates two small strings per file and LSOA, and
/// glibc's malloc and free were about a sixth of a national run's instructions (BENCHMARKS.md).
/// Without transparent huge pages (`no_thp`): with them, a run's peak RSS doubled.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
