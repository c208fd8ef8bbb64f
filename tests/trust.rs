//! Hostile and broken inputs beyond the per-loader tests: encodings, unbalanced quotes, zip bombs.
//! Every case is refused with exit code 2 and a message naming the file and line, or accepted
//! exactly as declared.

mod common;

use std::io::Write;

use common::{Cli, fixture};

#[test]
fn windows_1252_is_accepted_when_declared_and_refused_when_not() {
    let (out, _) = Cli::new()
        .source("summary", "ok/windows-1252.csv")
        .args([
            "--encoding",
            "windows-1252",
            "counts",
            "--period",
            "2016/17",
            "--format",
            "csv",
        ])
        .expect(0);
    assert!(out.contains(",Burglary – Residential,14\n"), "{out}");
    let (_, err) = Cli::new()
        .source("summary", "ok/windows-1252.csv")
        .args(["counts", "--period", "2016/17"])
        .expect(2);
    assert!(
        err.contains("windows-1252.csv:2: malformed CSV: the text is not UTF-8"),
        "{err}"
    );
    assert!(
        err.contains("declare `encoding = \"windows-1252\"`"),
        "{err}"
    );
}

#[test]
fn an_unbalanced_quote_names_the_line_it_opens_on() {
    let (_, err) = Cli::new()
        .source("summary", "bad/unbalanced-quote.csv")
        .args(["counts", "--period", "2016/17"])
        .expect(2);
    assert!(
        err.contains(
            "unbalanced-quote.csv:3: malformed CSV: a quote opens here and is never closed"
        ),
        "{err}"
    );
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_decompressed() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("2016-04/2016-04-city-of-london-street.csv", options)
        .unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..32 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    assert!(
        std::fs::metadata(&bomb).unwrap().len() < 200_000,
        "the test zip should compress far beyond 200:1"
    );
    let (_, err) = Cli::new()
        .args([
            "--source",
            &format!("police-uk={}", bomb.display()),
            "check",
        ])
        .expect(2);
    assert!(
        err.contains("bomb.zip: entry 2016-04/2016-04-city-of-london-street.csv expands"),
        "{err}"
    );
    assert!(err.contains("refusing to decompress it"), "{err}");
}

#[test]
fn config_typos_are_errors_not_silences() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("saferstats.toml");
    let source = fixture("ok/bom-crlf-thousands.csv");
    std::fs::write(
        &config,
        format!(
            "[[source]]\nkind = \"summary\"\npath = \"{}\"\nencodig = \"utf-8\"\n",
            source.display()
        ),
    )
    .unwrap();
    let (_, err) = Cli::new()
        .args([
            "--config",
            &config.display().to_string(),
            "counts",
            "--period",
            "2016/17",
        ])
        .expect(2);
    assert!(err.contains("unknown field `encodig`"), "{err}");
}
