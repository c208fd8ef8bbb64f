// Splitting only: every street file of the archive, counting rows and summing the byte length of
// the Crime type field (index 9), with the csv crate and with simd-csv's zero-copy reader.
use rayon::prelude::*;
use std::time::Instant;
fn files(root: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for m in std::fs::read_dir(root).unwrap() {
        for f in std::fs::read_dir(m.unwrap().path()).unwrap() {
            out.push(f.unwrap().path());
        }
    }
    out.sort();
    out
}
fn with_csv(bytes: &[u8]) -> (u64, u64) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let mut rec = csv::ByteRecord::new();
    let (mut n, mut len) = (0u64, 0u64);
    while r.read_byte_record(&mut rec).unwrap() {
        n += 1;
        len += rec.get(9).map_or(0, |f| f.len() as u64);
    }
    (n, len)
}
fn with_simd(bytes: &[u8]) -> (u64, u64) {
    let mut r = simd_csv::ZeroCopyReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let (mut n, mut len) = (0u64, 0u64);
    while let Some(rec) = r.read_byte_record().unwrap() {
        n += 1;
        len += rec.get(9).map_or(0, |f| f.len() as u64);
    }
    (n, len)
}
fn main() {
    let root = std::env::args().nth(1).unwrap();
    let fs = files(&root);
    let data: Vec<Vec<u8>> = fs.iter().map(|f| std::fs::read(f).unwrap()).collect();
    for round in 0..3 {
        for (name, f) in [
            ("csv", with_csv as fn(&[u8]) -> (u64, u64)),
            ("simd-csv", with_simd),
        ] {
            let t = Instant::now();
            let (n, len) = data
                .par_iter()
                .map(|b| f(b))
                .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
            println!(
                "round {round} {name}: {:.3} s, {n} rows, {len} type bytes",
                t.elapsed().as_secs_f64()
            );
        }
    }
}
