//! Writes the embedded demo tenant: `cargo run --bin gen-demo -- [--seed N] [--noise N] [--out PATH]`.
//! `--noise` sets the number of unrelated alerts per site; `--sites` the number of sites, each
//! with its own people, devices, six attack stories and noise (about 215 alerts per site).
//!
//! The default output, `static/demo/graph-alerts-demo.json`, is checked by a test in
//! `alertweave_demo`; rerun this after changing the generator.

use std::path::PathBuf;
use std::process::ExitCode;

use alertweave_demo::formats;
use alertweave_demo::harbourline::{generate_harbourline, HarbourConfig};
use alertweave_demo::{generate, to_graph_page, DemoConfig};

const FORMATS: [&str; 7] = [
    "graph",
    "incidents-api",
    "mde-api",
    "ah-alertinfo",
    "ah-alertevidence",
    "sentinel",
    "sentinel-csv",
];

const USAGE: &str = "usage: gen-demo [--tenant kestrel|harbourline] [--days N] [--seed N] [--noise N] [--sites N] [--format graph|incidents-api|mde-api|ah-alertinfo|ah-alertevidence|sentinel|sentinel-csv] [--out PATH]";
const DEFAULT_OUT: &str = "static/demo/graph-alerts-demo.json";

fn bad_usage(message: &str) -> ExitCode {
    eprintln!("gen-demo: {message}\n{USAGE}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut config = DemoConfig::default();
    let mut out = PathBuf::from(DEFAULT_OUT);
    let mut format = "graph".to_owned();
    // The second ground truth (docs/ground-truth.md): `--sites` counts its business units.
    let mut harbourline = false;
    let mut days = 90u32;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => match args.next().map(|v| v.parse::<u64>()) {
                Some(Ok(seed)) => config.seed = seed,
                Some(Err(_)) => return bad_usage("--seed needs a non-negative integer"),
                None => return bad_usage("--seed needs a value"),
            },
            "--tenant" => match args.next().as_deref() {
                Some("kestrel") => harbourline = false,
                Some("harbourline") => harbourline = true,
                _ => return bad_usage("--tenant needs kestrel or harbourline"),
            },
            "--days" => match args.next().map(|v| v.parse::<u32>()) {
                Some(Ok(n)) if n > 0 => days = n,
                _ => return bad_usage("--days needs a positive number of days"),
            },
            "--sites" => match args.next().map(|v| v.parse::<usize>()) {
                Some(Ok(n)) if n > 0 => config.sites = n,
                _ => return bad_usage("--sites needs a positive integer"),
            },
            "--noise" => match args.next().map(|v| v.parse::<usize>()) {
                Some(Ok(n)) => config.n_noise_alerts = n,
                _ => return bad_usage("--noise needs a non-negative integer"),
            },
            "--format" => match args.next() {
                Some(f) if FORMATS.contains(&f.as_str()) => format = f,
                _ => return bad_usage("--format needs one of graph, incidents-api, mde-api, ah-alertinfo, ah-alertevidence, sentinel, sentinel-csv"),
            },
            "--out" => match args.next() {
                Some(path) if !path.is_empty() => out = PathBuf::from(path),
                _ => return bad_usage("--out needs a path"),
            },
            "-h" | "--help" => {
                println!("{USAGE}\nWrites a deterministic Graph alerts_v2 demo export (default {DEFAULT_OUT}).");
                return ExitCode::SUCCESS;
            }
            other => return bad_usage(&format!("unknown argument `{other}`")),
        }
    }
    let alerts = if harbourline {
        generate_harbourline(&HarbourConfig {
            seed: config.seed,
            units: config.sites,
            days,
            ..HarbourConfig::default()
        })
    } else {
        generate(&config)
    };
    // The same alerts in another export format (benchmarks and cross-format checks).
    let page = match format.as_str() {
        "incidents-api" => formats::to_defender_incidents_api(&alerts),
        "mde-api" => formats::to_mde_alerts_api(&alerts),
        "ah-alertinfo" => formats::to_ah_alertinfo_csv(&alerts),
        "ah-alertevidence" => formats::to_ah_alertevidence_csv(&alerts),
        "sentinel" => formats::to_sentinel_securityalert_json(&alerts),
        "sentinel-csv" => formats::to_sentinel_securityalert_csv(&alerts),
        _ => to_graph_page(&alerts),
    };
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("gen-demo: cannot create {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    }
    if let Err(e) = std::fs::write(&out, &page) {
        eprintln!("gen-demo: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    eprintln!(
        "gen-demo: wrote {} alerts ({} bytes, seed {}) to {}",
        alerts.len(),
        page.len(),
        config.seed,
        out.display()
    );
    ExitCode::SUCCESS
}
