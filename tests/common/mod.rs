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

/// A path as a TOML string in a config can hold it (forward slashes).
pub fn toml_path(path: &Path) -> String {
    path.display().to_string().replace('\\', "/")
}

/// `../shared` beside the repository, or `None` (with the reason printed) when it is absent.
pub fn shared() -> Option<PathBuf> {
    shared_path("")
}

/// A file or folder under `../shared`, or `None` (with the reason printed) when it is absent.
pub fn shared_path(rel: &str) -> Option<PathBuf> {
    let path = repo().join("../shared").join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent (it is there in CI)", path.display());
        None
    }
}

/// The shipped config, `saferstats.toml`, which the default run reads.
pub fn default_config_path() -> PathBuf {
    repo().join("saferstats.toml")
}

/// The shipped config, parsed.
pub fn default_config() -> saferstats::config::Config {
    saferstats::config::Config::from_file(&default_config_path()).unwrap()
}

/// The default run written to a fresh folder, which the caller keeps while it reads it.
pub fn default_run() -> tempfile::TempDir {
    let mut cfg = default_config();
    let dir = tempfile::tempdir().unwrap();
    cfg.out_dir = dir.path().to_path_buf();
    saferstats::pipeline::run(&cfg).unwrap();
    dir
}

/// `--config <repo>/saferstats.toml`, for CLI runs of the default data.
pub fn config_arg() -> [String; 2] {
    [
        "--config".into(),
        default_config_path().display().to_string(),
    ]
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

    /// Adds `--config` for the shipped config.
    pub fn default_config(self) -> Cli {
        self.args(config_arg())
    }

    /// Adds `--source KIND=<fixture>`.
    pub fn source(self, kind: &str, fixture_name: &str) -> Cli {
        self.source_path(kind, &fixture(fixture_name))
    }

    /// Adds `--source KIND=<path>` for any file or folder.
    pub fn source_path(self, kind: &str, path: &Path) -> Cli {
        self.args(["--source".to_string(), format!("{kind}={}", path.display())])
    }

    /// Adds `counts --period <period> --format csv` (options after it still reach `counts`).
    pub fn counts_csv(self, period: &str) -> Cli {
        self.args(["counts", "--period", period, "--format", "csv"])
    }

    /// Writes `text` as `s.toml` in the run's folder and adds `--config` for it.
    pub fn config(self, text: &str) -> Cli {
        let path = self.dir.path().join("s.toml");
        std::fs::write(&path, text).unwrap();
        self.args(["--config".to_string(), path.display().to_string()])
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

/// One month's City of London street file of the shared archive, read with the csv crate
/// (independently of saferstats): each row's (LSOA code, crime type).
#[allow(dead_code)]
pub fn city_street_rows(archive: &Path, month: &str) -> Vec<(String, String)> {
    let path = archive
        .join(month)
        .join(format!("{month}-city-of-london-street.csv"));
    let mut r = csv::Reader::from_path(&path).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |c: &str| h.iter().position(|x| x == c).unwrap();
    let (code, kind) = (col("LSOA code"), col("Crime type"));
    r.records()
        .map(Result::unwrap)
        .map(|rec| (rec[code].to_string(), rec[kind].to_string()))
        .collect()
}
