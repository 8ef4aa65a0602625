//! Helpers shared by the integration tests: fixtures built in code, and sample paths.

use alertweave_core::analysis::Dataset;
use alertweave_core::correlate::{Grouping, Settings};
use alertweave_core::ingest::ingest_file;
use serde_json::{json, Value};
use std::path::PathBuf;

/// `../shared/samples/<relative>` beside the repository.
pub fn sample(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/samples")
        .join(relative)
}

/// Loads named in-memory files (name, content) into a dataset.
pub fn dataset(files: &[(&str, String)], settings: Settings, grouping: Grouping) -> Dataset {
    let ingests = files
        .iter()
        .map(|(name, text)| ingest_file(name, text.as_bytes(), &mut |_| {}))
        .collect();
    Dataset::build(ingests, settings, grouping)
}

/// A Graph alert with the given evidence, active over `minutes` from `start`.
pub fn alert(id: &str, start: &str, minutes: i64, evidence: Vec<Value>) -> Value {
    let begin = chrono::DateTime::parse_from_rfc3339(start).expect("test time");
    let end = begin + chrono::Duration::minutes(minutes);
    json!({
        "@odata.type": "#microsoft.graph.security.alert",
        "id": id, "providerAlertId": id, "title": format!("Alert {id}"), "severity": "medium",
        "status": "new", "category": "Execution", "serviceSource": "microsoftDefenderForEndpoint",
        "createdDateTime": end.to_rfc3339(), "firstActivityDateTime": begin.to_rfc3339(),
        "lastActivityDateTime": end.to_rfc3339(), "evidence": evidence
    })
}

pub fn device(name: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.security.deviceEvidence", "deviceDnsName": format!("{name}.corp.example"),
           "mdeDeviceId": format!("{:0>40}", name.bytes().map(|b| format!("{b:02x}")).collect::<String>()), "verdict": "suspicious", "hostName": name})
}

pub fn user(sid: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.security.userEvidence",
           "userAccount": {"accountName": format!("u{sid}"), "domainName": "CORP", "userSid": format!("S-1-5-21-1-2-3-{sid}")}})
}

pub fn ip(address: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.security.ipEvidence", "ipAddress": address})
}

/// A `{"value": [...]}` page.
pub fn page(alerts: &[Value]) -> String {
    json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2", "value": alerts}).to_string()
}

/// The partition of alert ids into incidents, sorted, for comparisons.
pub fn partition(ds: &Dataset) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = ds
        .incidents()
        .iter()
        .map(|i| {
            let mut ids: Vec<String> = i.alert_ids.iter().map(|a| a.to_string()).collect();
            ids.sort();
            ids
        })
        .collect();
    groups.sort();
    groups
}
