//! Correlation alone, timed on the alerts of an export (issue 12: alerts per second of
//! correlation at 300,000 alerts): `cargo run --release --example correlate_speed -- FILE [RUNS]`.
//! Loads the file once, then runs `correlate` RUNS times (default 5) on the same alerts and
//! entities and prints the median. Figures go to docs/benchmarks.md.

use alertweave_core::analysis::Dataset;
use alertweave_core::correlate::{correlate, Grouping, Settings};
use alertweave_core::ingest::ingest_file;
use std::time::Instant;

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: correlate_speed FILE [RUNS]");
        return std::process::ExitCode::from(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let file = match std::fs::File::open(&path) {
        Ok(f) => std::io::BufReader::new(f),
        Err(e) => {
            eprintln!("{path}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let ingest = ingest_file(&path, file, &mut |_| {});
    let ds = Dataset::build(vec![ingest], Settings::default(), Grouping::Correlate);
    let settings = Settings::default();
    let mut seconds: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let c = correlate(
                &ds.alerts,
                &ds.entities,
                &settings,
                Grouping::Correlate,
                &alertweave_core::spread::InTurn,
            );
            let s = t.elapsed().as_secs_f64();
            std::hint::black_box(c.incidents.len());
            s
        })
        .collect();
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    println!(
        "{path}: {} alerts, {} entities; correlate median of {runs}: {median:.2} s ({:.0} alerts/s); runs {:?}",
        ds.alerts.len(),
        ds.entities.len(),
        ds.alerts.len() as f64 / median,
        seconds.iter().map(|s| format!("{s:.2}")).collect::<Vec<_>>()
    );
    std::process::ExitCode::SUCCESS
}
