//! The real Graph security alert exports in ../shared/samples/msgraph-alerts-v2.

use crate::support::*;
use alertweave_core::correlate::{Grouping, Settings};
use alertweave_core::ingest::{ingest_file, Format};
use alertweave_core::model::EntityKind;

fn load(relative: &str) -> alertweave_core::ingest::FileIngest {
    let path = sample(relative);
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ingest_file(relative, file, &mut |_| {})
}

#[test]
fn alert_sample_ndjson_reads_every_record_and_the_empty_page() {
    let out = load("msgraph-alerts-v2/alert-sample.log");
    assert_eq!(out.report.format, Some(Format::GraphAlertsV2));
    assert_eq!(out.report.records, 4);
    assert_eq!(out.alerts.len(), 4);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(out.report.bytes, 22_671);
}

#[test]
fn alert_sample_duplicates_merge_into_two_alerts_with_shared_entities() {
    let text = std::fs::read_to_string(sample("msgraph-alerts-v2/alert-sample.log"))
        .expect("sample present");
    let ds = dataset(
        &[("alert-sample.log", text)],
        Settings::default(),
        Grouping::Correlate,
    );
    assert_eq!(ds.alerts.len(), 2);
    assert_eq!(ds.duplicate_records, 2);
    // Both alerts name the same device, user and URL (SOURCES.md).
    for (kind, name) in [
        (EntityKind::Device, "clw555test"),
        (EntityKind::Url, "http://127.0.0.1/1.exe"),
    ] {
        let entity = ds
            .entities
            .values()
            .find(|e| e.kind == kind && e.name == name)
            .unwrap_or_else(|| panic!("{name}"));
        let n = ds
            .alerts
            .iter()
            .filter(|a| a.evidence.iter().any(|e| e.entity_id == entity.entity_id))
            .count();
        assert_eq!(n, 2, "{name} in both alerts");
    }
    let user = ds
        .entities
        .values()
        .find(|e| e.kind == EntityKind::User && e.name.contains("CDPUserIS-38411"))
        .expect("the user");
    assert!(
        user.identifiers
            .iter()
            .any(|i| i.strong && i.key.starts_with("user/sid:")),
        "{:?}",
        user.identifiers
    );
    // The copies were edited into 2024: months apart, so correlation keeps them apart,
    // while the export's own incident ids (23 and 33) do too.
    assert_eq!(ds.incidents().len(), 2);
    let source = dataset(
        &[(
            "alert-sample.log",
            std::fs::read_to_string(sample("msgraph-alerts-v2/alert-sample.log")).expect("sample"),
        )],
        Settings::default(),
        Grouping::SourceIncidents,
    );
    let mut ids: Vec<String> = source
        .incidents()
        .iter()
        .flat_map(|i| i.source_incident_ids.iter().map(|s| s.to_string()))
        .collect();
    ids.sort();
    assert_eq!(ids, vec!["23", "33"]);
}

#[test]
fn test_alert_single_object_yields_device_file_process_and_registry_key() {
    let out = load("msgraph-alerts-v2/test-alert.log");
    assert_eq!(out.alerts.len(), 1);
    let kinds: std::collections::BTreeSet<EntityKind> = out.alerts[0]
        .evidence
        .iter()
        .map(|e| e.mention.kind)
        .collect();
    for kind in [
        EntityKind::Device,
        EntityKind::File,
        EntityKind::Process,
        EntityKind::RegistryKey,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} in {kinds:?}");
    }
    let device = out.alerts[0]
        .evidence
        .iter()
        .find(|e| e.mention.kind == EntityKind::Device)
        .expect("device");
    assert_eq!(device.mention.name.to_lowercase(), "tempdns");
}

#[test]
fn a_malformed_file_names_its_position_and_the_other_files_still_load() {
    let good = std::fs::read_to_string(sample("msgraph-alerts-v2/test-alert.log")).expect("sample");
    let broken = "{\"value\": [\n{\"id\": \"x1\", \"providerAlertId\": \"x1\", \"createdDateTime\": \"2026-01-01T00:00:00Z\", \"title\": \"kept\"},\n{\"id\": ".to_owned();
    let ds = dataset(
        &[
            ("good.log", good),
            ("broken.json", broken),
            ("notes.txt", "hello".into()),
        ],
        Settings::default(),
        Grouping::Correlate,
    );
    assert_eq!(
        ds.alerts.len(),
        2,
        "the good alert and the one before the break"
    );
    let broken_problem = ds
        .problems
        .iter()
        .find(|p| p.file == "broken.json")
        .expect("a problem for broken.json");
    assert_eq!(broken_problem.location, "line 3, column 7");
    assert!(ds
        .problems
        .iter()
        .any(|p| p.file == "notes.txt" && p.message.contains("not a recognized")));
    assert!(ds.problems.iter().all(|p| p.file != "good.log"));
}

/// (sample, format, records, distinct alerts, source incidents) as SOURCES.md describes them.
const MICROSOFT_SAMPLES: &[(&str, Format, usize, usize, &[&str])] = &[
    (
        "msgraph-alerts-v2/alert-sample.log",
        Format::GraphAlertsV2,
        4,
        2,
        &["23", "33"],
    ),
    (
        "msgraph-alerts-v2/test-alert.log",
        Format::GraphAlertsV2,
        1,
        1,
        &["28282"],
    ),
    (
        "msgraph-incidents/test-incident.log",
        Format::GraphIncidents,
        1,
        1,
        &["2972395"],
    ),
    (
        "m365-defender-incidents-api/test-m365-defender-ndjson.log",
        Format::DefenderIncidentsApi,
        10,
        6,
        &["12", "14", "2"],
    ),
    (
        "defender-endpoint-alerts/test-defenderatp.log",
        Format::MdeAlertsApi,
        4,
        3,
        &["11", "12"],
    ),
    (
        "defender-for-cloud-alerts/test-alert.log",
        Format::SentinelSecurityAlert,
        5,
        1,
        &[],
    ),
];

#[test]
fn defender_for_cloud_export_skips_its_other_streams_and_reads_cloud_workload_entities() {
    let out = load("defender-for-cloud-alerts/test-alert.log");
    assert_eq!(
        out.report.skipped_records, 4,
        "assessments, secure score, compliance"
    );
    assert_eq!(out.alerts.len(), 1);
    let keys: Vec<(String, bool)> = out.alerts[0]
        .evidence
        .iter()
        .flat_map(|e| {
            e.mention
                .identifiers
                .iter()
                .map(|i| (i.key.clone(), i.strong))
        })
        .collect();
    let has = |key: &str, strong: bool| keys.iter().any(|(k, s)| k == key && *s == strong);
    assert!(
        has("other/container-image:sample-image:v1", true),
        "{keys:?}"
    );
    assert!(has("other/container:cc8ec8580f4c", true), "{keys:?}");
    assert!(
        has("other/gcp-resource:012345678901/sample-cluster", true),
        "{keys:?}"
    );
    assert!(
        keys.iter()
            .any(|(k, s)| k.starts_with("other/network-connection:") && !s),
        "a connection is context only: {keys:?}"
    );
}

#[test]
fn every_microsoft_sample_loads_with_its_alert_count_and_no_problems() {
    for &(relative, format, records, distinct, incidents) in MICROSOFT_SAMPLES {
        let out = load(relative);
        assert_eq!(out.report.format, Some(format), "{relative}");
        assert_eq!(out.report.records, records, "{relative}: records");
        assert!(out.problems.is_empty(), "{relative}: {:?}", out.problems);
        let text = std::fs::read_to_string(sample(relative)).expect("sample");
        let ds = dataset(
            &[(relative, text)],
            Settings::default(),
            Grouping::SourceIncidents,
        );
        assert_eq!(ds.alerts.len(), distinct, "{relative}: distinct alerts");
        let mut got: Vec<String> = ds
            .incidents()
            .iter()
            .flat_map(|i| i.source_incident_ids.iter().map(|s| s.to_string()))
            .collect();
        got.sort();
        let mut want: Vec<String> = incidents.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "{relative}: source incidents");
    }
}

#[test]
fn a_graph_incident_names_its_incident_in_source_grouping() {
    let text =
        std::fs::read_to_string(sample("msgraph-incidents/test-incident.log")).expect("sample");
    let ds = dataset(
        &[("incident.log", text)],
        Settings::default(),
        Grouping::SourceIncidents,
    );
    let incident = &ds.incidents()[0];
    assert!(
        incident
            .title
            .starts_with("Multi-stage incident involving Initial access"),
        "{}",
        incident.title
    );
    assert_eq!(incident.assigned_to, "KaiC@contoso.onmicrosoft.com");
    assert_eq!(incident.classification, "truePositive");
    // The alert says incidentId 28282, but the incident record that holds it is 2972395.
    assert_eq!(incident.source_incident_ids, vec!["2972395"]);
}

#[test]
fn the_completeness_report_finds_orphans_caps_and_missing_alerts() {
    let info = "Timestamp,AlertId,Title,Category,Severity\n2026-09-01T08:00:00Z,da1,One,Execution,High\n2026-09-01T09:00:00Z,da2,Two,Execution,Low\n";
    let evidence = "Timestamp,AlertId,EntityType,DeviceId,DeviceName\n2026-09-01T08:00:00Z,da1,Machine,d1,ws-1.corp.example\n2026-09-01T10:00:00Z,da3,Machine,d2,ws-2.corp.example\n";
    let incidents = "IncidentNumber,Title,AlertIds,LastModifiedTime\n7,Seven,\"[\"\"da1\"\",\"\"gone\"\"]\",2026-09-02T00:00:00Z\n";
    let ds = dataset(
        &[
            ("info.csv", info.into()),
            ("evidence.csv", evidence.into()),
            ("incidents.csv", incidents.into()),
        ],
        Settings::default(),
        Grouping::SourceIncidents,
    );
    assert!(ds.problems.is_empty(), "{:?}", ds.problems);
    let c = &ds.completeness;
    assert_eq!(
        (
            c.evidence_without_info.count,
            c.evidence_without_info.first.clone()
        ),
        (1, vec!["da3".to_owned()])
    );
    assert_eq!(
        (
            c.info_without_evidence.count,
            c.info_without_evidence.first.clone()
        ),
        (1, vec!["da2".to_owned()])
    );
    assert_eq!(c.incidents_missing_alerts, vec![("7".to_owned(), 1, 2)]);
    // The AlertInfo and AlertEvidence rows of da1 are one alert, in Sentinel incident 7.
    let da1 = ds
        .alert(&alertweave_core::model::AlertId::new("da1"))
        .expect("da1");
    assert_eq!(da1.sources, vec!["ah-alertevidence", "ah-alertinfo"]);
    assert_eq!((da1.title.as_str(), da1.evidence.len()), ("One", 1));
    assert_eq!(
        ds.incident_of(&da1.alert_id).map(|i| i.title.as_str()),
        Some("Seven")
    );
}

/// CONTRACT.md: one alert arriving in several exports, matched by provider ids, prints the first
/// id in the contract's order and keeps the others as aliases.
#[test]
fn copies_matched_by_provider_ids_are_one_alert_with_aliases() {
    use serde_json::json;
    let graph = json!({"id": "da111_1", "providerAlertId": "prov-111", "title": "Graph copy", "severity": "high",
                       "createdDateTime": "2026-09-01T08:00:00Z", "serviceSource": "microsoftDefenderForEndpoint",
                       "evidence": [{"@odata.type": "#microsoft.graph.security.ipEvidence", "ipAddress": "198.51.100.9"}]});
    let sentinel = json!({"SystemAlertId": "5f0c-guid", "VendorOriginalId": "prov-111", "AlertName": "Sentinel copy",
                          "AlertSeverity": "High", "StartTime": "2026-09-01T08:00:00Z", "ProductName": "Microsoft Defender Advanced Threat Protection",
                          "Entities": "[{\"$id\":\"1\",\"Type\":\"host\",\"HostName\":\"ws-9\",\"DnsDomain\":\"corp.example\"}]"});
    let incident = "IncidentNumber,Title,AlertIds,LastModifiedTime\n42,Case,\"[\"\"5f0c-guid\"\"]\",2026-09-02T00:00:00Z\n";
    for order in [[0usize, 1, 2], [2, 1, 0]] {
        let files = [
            ("graph.json", graph.to_string()),
            ("sentinel.json", sentinel.to_string()),
            ("incidents.csv", incident.to_owned()),
        ];
        let chosen: Vec<(&str, String)> = order
            .iter()
            .map(|&i| (files[i].0, files[i].1.clone()))
            .collect();
        let ds = dataset(&chosen, Settings::default(), Grouping::SourceIncidents);
        assert_eq!(
            ds.alerts.len(),
            1,
            "{:?}",
            ds.alerts.iter().map(|a| &a.alert_id).collect::<Vec<_>>()
        );
        let alert = &ds.alerts[0];
        assert_eq!(
            alert.alert_id.as_str(),
            "da111_1",
            "the Graph id is printed"
        );
        assert_eq!(alert.aliases, vec!["5f0c-guid", "prov-111"]);
        assert_eq!(alert.title, "Graph copy", "the fullest format's fields win");
        assert_eq!(alert.evidence.len(), 2, "the evidence of both copies");
        assert_eq!(
            ds.incidents()[0].title,
            "Case",
            "the Sentinel incident finds the alert by its alias"
        );
        assert!(ds.completeness.incidents_missing_alerts.is_empty());
        assert!(ds.problems.is_empty(), "{:?}", ds.problems);
    }
}
