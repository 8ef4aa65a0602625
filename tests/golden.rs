//! Golden files: the CLI's JSON for the real samples, one snapshot per input.
//! Refresh with `UPDATE_GOLDEN=1 cargo test --test tests golden` and review the diff.

use crate::support::*;
use alertweave_core::analysis::Dataset;
use alertweave_core::correlate::{Grouping, Settings};
use alertweave_core::export::analyze_report;
use alertweave_core::ingest::ingest_file;
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

/// One snapshot per real sample of the normalized model: every alert (with its evidence by
/// entity id) and every entity, as the dataset holds them.
#[test]
fn golden_normalized_alerts_per_sample() {
    let samples = [
        ("msgraph-alerts-v2/alert-sample.log", "graph-alert-sample"),
        ("msgraph-alerts-v2/test-alert.log", "graph-test-alert"),
        ("msgraph-incidents/test-incident.log", "graph-incident"),
        (
            "m365-defender-incidents-api/test-m365-defender-ndjson.log",
            "defender-incidents-api",
        ),
        (
            "defender-endpoint-alerts/test-defenderatp.log",
            "mde-alerts-api",
        ),
        (
            "m365-advanced-hunting-streaming/test-alert.log",
            "advanced-hunting-streaming",
        ),
        (
            "sentinel-securityalert-table/test-event.log",
            "sentinel-securityalert",
        ),
        ("sentinel-api/alert/test-alert.log", "sentinel-api-alert"),
        (
            "sentinel-api/incident/test-incident.log",
            "sentinel-api-incident",
        ),
        (
            "defender-for-cloud-alerts/test-alert.log",
            "defender-for-cloud",
        ),
    ];
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/normalized");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    if update {
        std::fs::create_dir_all(&dir).expect("golden folder");
    }
    let mut differing = Vec::new();
    for (relative, name) in samples {
        let file =
            std::fs::File::open(sample(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"));
        let ds = Dataset::build(
            vec![ingest_file(relative, file, &mut |_| {})],
            Settings::default(),
            Grouping::SourceIncidents,
        );
        let mut entities: Vec<&alertweave_core::model::Entity> = ds.entities.values().collect();
        entities.sort_by(|a, b| a.entity_id.cmp(&b.entity_id));
        // Free text from the samples (descriptions, comments) is kept as a digest: the snapshot
        // still catches a change, and the repository does not copy the samples' prose.
        let digest = |text: &str| {
            use sha2::Digest;
            format!(
                "sha256:{}",
                &hex::encode(sha2::Sha256::digest(text.as_bytes()))[..16]
            )
        };
        let alerts: Vec<alertweave_core::model::Alert> = ds
            .alerts
            .iter()
            .cloned()
            .map(|mut a| {
                a.description = digest(&a.description).into();
                a.comments.iter_mut().for_each(|c| c.text = digest(&c.text));
                a
            })
            .collect();
        let snapshot = serde_json::json!({
            "alerts": alerts,
            "entities": entities,
            "source_incidents": ds.source_incidents,
            "problems": ds.problems,
        });
        let actual = serde_json::to_string_pretty(&snapshot).expect("serializable") + "\n";
        let path = dir.join(format!("{name}.json"));
        if update {
            std::fs::write(&path, &actual).expect("write golden file");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(actual.as_str()) {
            differing.push(path.display().to_string());
        }
    }
    assert!(differing.is_empty(), "normalized output differs from {differing:?}; if intended, refresh with UPDATE_GOLDEN=1 and review the diff");
}
