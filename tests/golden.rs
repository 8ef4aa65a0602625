//! Golden files: the CLI's JSON for the real samples, one snapshot per input.
//! Refresh with `UPDATE_GOLDEN=1 cargo test --test tests golden` and review the diff.

use crate::support::*;
use alertweave::analysis::Dataset;
use alertweave::correlate::{Grouping, Settings};
use alertweave::export::analyze_report;
use alertweave::ingest::ingest_file;
use std::path::PathBuf;

fn check(name: &str, inputs: &[&str], grouping: Grouping) {
    let ingests = inputs
        .iter()
        .map(|relative| {
            let file =
                std::fs::File::open(sample(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"));
            ingest_file(relative, file, &mut |_| {})
        })
        .collect();
    let ds = Dataset::build(ingests, Settings::default(), grouping);
    let actual = serde_json::to_string_pretty(&analyze_report(&ds)).expect("serializable") + "\n";
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.json"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} missing: run UPDATE_GOLDEN=1 cargo test --test tests golden",
            path.display()
        )
    });
    assert!(expected == actual, "{name}: output differs from {}; if the change is intended, refresh with UPDATE_GOLDEN=1 and review the diff", path.display());
}

#[test]
fn golden_msgraph_alerts_v2_correlated() {
    check(
        "msgraph-alerts-v2",
        &[
            "msgraph-alerts-v2/alert-sample.log",
            "msgraph-alerts-v2/test-alert.log",
        ],
        Grouping::Correlate,
    );
}

#[test]
fn golden_msgraph_alerts_v2_source_incidents() {
    check(
        "msgraph-alerts-v2-source",
        &[
            "msgraph-alerts-v2/alert-sample.log",
            "msgraph-alerts-v2/test-alert.log",
        ],
        Grouping::SourceIncidents,
    );
}

#[test]
fn golden_defender_apis_source_incidents() {
    check(
        "defender-apis-source",
        &[
            "msgraph-incidents/test-incident.log",
            "m365-defender-incidents-api/test-m365-defender-ndjson.log",
            "defender-endpoint-alerts/test-defenderatp.log",
        ],
        Grouping::SourceIncidents,
    );
}

#[test]
fn golden_defender_apis_correlated() {
    check(
        "defender-apis",
        &[
            "msgraph-incidents/test-incident.log",
            "m365-defender-incidents-api/test-m365-defender-ndjson.log",
            "defender-endpoint-alerts/test-defenderatp.log",
        ],
        Grouping::Correlate,
    );
}
