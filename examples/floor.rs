//! The floor for ingest speed (issue 13): the same bytes through a validate-only parse, no
//! model built. JSON (a page, an array, NDJSON, concatenated pages) through `serde_json` into
//! `IgnoredAny`; CSV through the `csv` crate's byte records.
//! `cargo run --release --example floor -- FILE...` prints one line per file: bytes, seconds,
//! MB/s (1 MB = 10^6 bytes). `scripts/bench-throughput.sh` runs it beside the CLI.

use serde::de::IgnoredAny;
use std::time::Instant;

fn main() -> std::process::ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: floor FILE...");
        return std::process::ExitCode::from(2);
    }
    for path in files {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                return std::process::ExitCode::FAILURE;
            }
        };
        let start = Instant::now();
        let (what, units) = if path.ends_with(".csv") {
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(bytes.as_slice());
            let mut record = csv::ByteRecord::new();
            let mut n = 0usize;
            while reader.read_byte_record(&mut record).unwrap_or(false) {
                n += 1;
            }
            ("csv records", n)
        } else {
            let mut n = 0usize;
            for value in serde_json::Deserializer::from_slice(&bytes).into_iter::<IgnoredAny>() {
                if value.is_err() {
                    break;
                }
                n += 1;
            }
            ("json values", n)
        };
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "{path}\t{}\t{seconds:.3}\t{:.1}\t{units} {what}",
            bytes.len(),
            bytes.len() as f64 / 1e6 / seconds.max(1e-9)
        );
    }
    std::process::ExitCode::SUCCESS
}
