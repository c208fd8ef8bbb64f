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

/// The two-force, three-authority archive of `tests/batch.rs` and `tests/parquet.rs`.
#[allow(dead_code)]
pub mod two_forces {
    use std::path::Path;

    const HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";

    /// The months of the fixture, 2016-04 to 2018-03.
    fn fixture_months() -> Vec<String> {
        (0..24)
            .map(|i| {
                let m = 3 + i; // 0-based month index from January 2016
                format!("{}-{:02}", 2016 + m / 12, m % 12 + 1)
            })
            .collect()
    }

    fn rows(force: &str, month: &str, (code, name): (&str, &str), kind: &str, n: usize) -> String {
        (0..n)
        .map(|_| {
            format!("{id},{month},{force},{force},0.5,51.2,On or near High Street,{code},{name},{kind},,\n", id = "")
        })
        .collect()
    }

    const MAIDSTONE: (&str, &str) = ("E01024001", "Maidstone 001A");
    const DOVER: (&str, &str) = ("E01024100", "Dover 001A");
    const BRIGHTON: (&str, &str) = ("E01016001", "Brighton and Hove 001A");

    /// Writes a two-force archive (Kent Police, Sussex Police; 2016-04 to 2018-03, Sussex without
    /// 2017-05) located in three local authorities. By hand, Maidstone has 72 crimes in 2016/17 (criminal damage 2, 3, 4
    /// a month in turn: 36; shoplifting 3 a month: 36) and 84 in 2017/18 (shoplifting 4 a month);
    /// Dover 24 and 24 (vehicle crime 2 a month); Kent also located 1 other theft a month in
    /// Brighton and Hove and 1 a month nowhere.
    pub fn write(root: &Path) {
        for (i, month) in fixture_months().iter().enumerate() {
            let dir = root.join(month);
            std::fs::create_dir_all(&dir).unwrap();
            let later = i >= 12;
            let kent = "Kent Police";
            let mut text = format!("{HEADER}\n");
            text += &rows(
                kent,
                month,
                MAIDSTONE,
                "Criminal damage and arson",
                i % 3 + 2,
            );
            text += &rows(
                kent,
                month,
                MAIDSTONE,
                "Shoplifting",
                if later { 4 } else { 3 },
            );
            text += &rows(kent, month, DOVER, "Vehicle crime", 2);
            text += &rows(kent, month, BRIGHTON, "Other theft", 1);
            text += &rows(kent, month, ("", ""), "Other theft", 1);
            std::fs::write(dir.join(format!("{month}-kent-street.csv")), text).unwrap();
            if month == "2017-05" {
                continue;
            }
            let sussex = "Sussex Police";
            let mut text = format!("{HEADER}\n");
            text += &rows(sussex, month, BRIGHTON, "Violence and sexual offences", 5);
            text += &rows(sussex, month, BRIGHTON, "Anti-social behaviour", 4);
            std::fs::write(dir.join(format!("{month}-sussex-street.csv")), text).unwrap();
        }
    }
}
