//! Where the CLI's time goes, phase by phase, on one export (issue 13):
//! `cargo run --release --example phases -- FILE`. Prints seconds and MB/s for ingest (read,
//! decode, parse, convert), `Dataset::build` (entities, correlation, views), what the page asks
//! for first after a load (the summary, the queue's index and its first page) and the JSON report.

use alertweave_core::analysis::Dataset;
use alertweave_core::correlate::{Grouping, Settings};
use alertweave_core::export;
use alertweave_core::ingest::ingest_seekable;
use std::time::Instant;

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: phases FILE");
        return std::process::ExitCode::from(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let bytes = file.metadata().map(|m| m.len()).unwrap_or(0) as f64;
    let mb = |s: f64| bytes / 1e6 / s.max(1e-9);
    let t = Instant::now();
    let ingests = ingest_seekable(&path, file, &mut |_| {});
    let ingest_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let dataset = Dataset::build(ingests, Settings::default(), Grouping::Correlate);
    let build_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let summary = alertweave_core::query::load_summary(&dataset);
    let mut queue = alertweave_core::query::QueueIndex::build(&dataset);
    let first_page = queue.page(&dataset, &alertweave_core::query::QueueQuery::default());
    let views_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut out = Vec::new();
    if let Err(e) = serde_json::to_writer_pretty(&mut out, &export::analyze_report(&dataset)) {
        eprintln!("report: {e}");
    }
    let report_s = t.elapsed().as_secs_f64();
    let total = ingest_s + build_s + report_s;
    println!(
        "{path}: {:.1} MB, {} alerts\n  ingest {ingest_s:.2} s ({:.0} MB/s)\n  build  {build_s:.2} s\n  views  {views_s:.2} s (summary, queue index of {} incidents, first page of {} rows; not in the total)\n  report {report_s:.2} s ({} bytes)\n  total  {total:.2} s ({:.1} MB/s)",
        bytes / 1e6,
        dataset.alerts.len(),
        mb(ingest_s),
        summary.n_incidents,
        first_page.rows.len(),
        out.len(),
        mb(total)
    );
    std::process::ExitCode::SUCCESS
}
