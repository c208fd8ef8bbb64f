//! Shared test helpers: paths into the repository and a fluent builder for CLI runs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture under tests/data.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/data").join(name)
}

/// `../shared` beside the repository, or `None` (with the reason printed) when it is absent.
pub fn shared() -> Option<PathBuf> {
    let dir = repo().join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent (it is there in CI)", dir.display());
        None
    }
}

/// A CLI run in a fresh temporary folder (so no saferstats.toml is picked up by accident).
pub struct Cli {
    pub dir: tempfile::TempDir,
    args: Vec<String>,
}

impl Cli {
    pub fn new() -> Cli {
        Cli {
            dir: tempfile::tempdir().unwrap(),
            args: Vec::new(),
        }
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, args: I) -> Cli {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    /// Adds `--source KIND=<fixture>`.
    pub fn source(self, kind: &str, fixture_name: &str) -> Cli {
        let path = fixture(fixture_name);
        self.args(["--source".to_string(), format!("{kind}={}", path.display())])
    }

    /// Runs it: (exit code, stdout, stderr).
    pub fn run(&self) -> (i32, String, String) {
        let out = assert_cmd::Command::cargo_bin("saferstats")
            .unwrap()
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env("SAFERSTATS_CACHE_DIR", self.dir.path().join("cache"))
            .args(&self.args)
            .output()
            .unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (
            out.status.code().unwrap_or(-1),
            text(&out.stdout),
            text(&out.stderr),
        )
    }

    /// Runs it, asserting the exit code, and returns stdout.
    pub fn expect(&self, code: i32) -> (String, String) {
        let (got, stdout, stderr) = self.run();
        assert_eq!(
            got, code,
            "args {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            self.args
        );
        (stdout, stderr)
    }
}
