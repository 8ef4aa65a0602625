//! Heap in use after loading exports, and its peak during the load (peak_alloc's counting
//! allocator; native, 64-bit): `cargo run --release --example memprobe -- FILE...`.
//! Figures go to docs/benchmarks.md.

use peak_alloc::PeakAlloc;

#[global_allocator]
static PEAK: PeakAlloc = PeakAlloc;

fn main() -> std::process::ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: memprobe FILE...");
        return std::process::ExitCode::from(2);
    }
    let mut input = 0u64;
    let mut ingests = Vec::new();
    for name in &files {
        match std::fs::File::open(name) {
            Ok(file) => {
                input += file.metadata().map(|m| m.len()).unwrap_or(0);
                ingests.extend(alertweave_core::ingest::ingest_seekable(
                    name,
                    file,
                    &mut |_| {},
                ));
            }
            Err(e) => {
                eprintln!("memprobe: {name}: {e}");
                return std::process::ExitCode::from(1);
            }
        }
    }
    let dataset = alertweave_core::analysis::Dataset::build(
        ingests,
        alertweave_core::correlate::Settings::default(),
        alertweave_core::correlate::Grouping::Correlate,
    );
    let (live, peak) = (PEAK.current_usage(), PEAK.peak_usage());
    let input_mb = input as f64 / 1_048_576.0;
    let mb = |b: usize| b as f64 / 1_048_576.0;
    println!(
        "input {input_mb:.0} MB · {} alerts, {} incidents · heap after load {:.0} MB ({:.2}× the input) · peak during load {:.0} MB ({:.2}×)",
        dataset.alerts.len(),
        dataset.incidents().len(),
        mb(live),
        mb(live) / input_mb.max(1e-9),
        mb(peak),
        mb(peak) / input_mb.max(1e-9)
    );
    let (identifiers, attributes) = dataset.entities.values().fold((0, 0), |(i, a), e| {
        (i + e.identifiers.len(), a + e.attributes.len())
    });
    let evidence: usize = dataset.alerts.iter().map(|a| a.evidence.len()).sum();
    println!(
        "  {} entities ({identifiers} identifiers, {attributes} attributes) · {evidence} evidence items",
        dataset.entities.len()
    );
    // What holds it: each part's share, by dropping it.
    let mut dataset = dataset;
    let mut parts = Vec::new();
    let mut before = PEAK.current_usage();
    let mut took = |name: &str, before: &mut usize| {
        let now = PEAK.current_usage();
        parts.push(format!("{name} {:.0} MB", mb(before.saturating_sub(now))));
        *before = now;
    };
    drop(std::mem::take(&mut dataset.correlation));
    took("incidents", &mut before);
    drop(std::mem::take(&mut dataset.entities));
    took("entities", &mut before);
    drop(std::mem::take(&mut dataset.alerts));
    took("alerts", &mut before);
    drop(dataset);
    took("indexes and the rest", &mut before);
    println!("  of which: {}", parts.join(" · "));
    std::process::ExitCode::SUCCESS
}
