//! Issue 6: indicators out of an incident as CSV and STIX 2.1; CSV cells a spreadsheet will not
//! run as formulas.

use crate::support::*;
use alertweave_core::correlate::{Grouping, Settings};
use alertweave_core::iocs::{csv, indicators, indicators_csv, indicators_stix, safe_cell, IocKind};
use alertweave_core::model::AlertId;
use serde_json::{json, Value};

#[test]
fn cells_that_start_a_formula_are_neutralized() {
    for (given, want) in [
        ("=1+2", "'=1+2"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
    ] {
        assert_eq!(safe_cell(given), want, "{given:?}");
    }
    let text = csv(
        &["name", "note"],
        &[
            vec![
                "=HYPERLINK(\"http://evil\",\"x\")".into(),
                "a, \"quoted\"\nline".into(),
            ],
            vec!["@cmd".into(), "-".into()],
        ],
    );
    let mut reader = ::csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec![
                "'=HYPERLINK(\"http://evil\",\"x\")".to_owned(),
                "a, \"quoted\"\nline".to_owned()
            ],
            vec!["'@cmd".to_owned(), "'-".to_owned()],
        ]
    );
    assert!(text.contains("\r\n"));
}

#[test]
fn an_incidents_indicators_export_as_csv_and_stix() {
    let file = json!({"@odata.type": "#microsoft.graph.security.fileEvidence", "verdict": "malicious",
        "fileDetails": {"fileName": "winupd.exe", "filePath": "C:\\ProgramData", "sha256": "AB".repeat(32), "sha1": "cd".repeat(20)}});
    let url = json!({"@odata.type": "#microsoft.graph.security.urlEvidence", "url": "http://bad.example/a'b"});
    let alerts = vec![
        alert(
            "x1",
            "2026-09-01T10:00:00Z",
            5,
            vec![device("ws-1"), file, ip("198.51.100.9")],
        ),
        alert(
            "x2",
            "2026-09-01T10:30:00Z",
            5,
            vec![device("ws-1"), url, ip("10.1.2.3")],
        ),
    ];
    let ds = dataset(
        &[("f.json", page(&alerts))],
        Settings::default(),
        Grouping::Correlate,
    );
    let incident = ds
        .incident_of(&AlertId::new("x1"))
        .expect("x1")
        .incident_id
        .clone();
    let view = alertweave_core::query::incident_view(&ds, &incident).expect("a view");
    let iocs = indicators(&view.entities);
    let kinds: Vec<(IocKind, &str, &str)> = iocs
        .iter()
        .map(|i| (i.kind, i.value.as_str(), i.scope))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (IocKind::Sha256, "ab".repeat(32).as_str(), ""),
            (IocKind::Sha1, "cd".repeat(20).as_str(), ""),
            (IocKind::Ipv4, "10.1.2.3", "private"),
            (IocKind::Ipv4, "198.51.100.9", ""),
            (IocKind::Url, "http://bad.example/a'b", ""),
        ]
    );
    let text = indicators_csv(incident.as_str(), &iocs);
    assert!(text
        .starts_with("type,value,name,verdict,scope,first_seen,last_seen,alerts,incident_id\r\n"));
    assert_eq!(text.lines().count(), 1 + iocs.len());

    let now = chrono::DateTime::parse_from_rfc3339("2026-10-01T12:00:00Z")
        .expect("time")
        .with_timezone(&chrono::Utc);
    let bundle = indicators_stix(incident.as_str(), "Test incident", &iocs, now);
    assert_eq!(bundle["type"], "bundle");
    let objects = bundle["objects"].as_array().expect("objects");
    assert_eq!(objects.len(), iocs.len() + 1);
    let uuid = regex_lite_uuid;
    for object in objects {
        let id = object["id"].as_str().expect("id");
        let (kind, rest) = id.split_once("--").expect("type--uuid");
        assert_eq!(kind, object["type"].as_str().expect("type"));
        assert!(uuid(rest), "{id}");
        assert_eq!(object["spec_version"], "2.1");
    }
    let patterns: Vec<&str> = objects[1..]
        .iter()
        .map(|o| o["pattern"].as_str().expect("pattern"))
        .collect();
    assert!(patterns.contains(&format!("[file:hashes.'SHA-256' = '{}']", "ab".repeat(32)).as_str()));
    assert!(
        patterns.contains(&"[url:value = 'http://bad.example/a\\'b']"),
        "{patterns:?}"
    );
    assert!(objects[1..]
        .iter()
        .all(|o| o["pattern_type"] == "stix" && o["valid_from"].is_string()));
    // The same incident exports the same ids.
    assert_eq!(
        bundle,
        indicators_stix(incident.as_str(), "Test incident", &iocs, now)
    );
}

/// `xxxxxxxx-xxxx-5xxx-[89ab]xxx-xxxxxxxxxxxx`.
fn regex_lite_uuid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && [8, 4, 4, 4, 12]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.chars().all(|c| c.is_ascii_hexdigit()))
        && parts[2].starts_with('5')
        && matches!(parts[3].chars().next(), Some('8' | '9' | 'a' | 'b'))
}

#[test]
fn the_queue_exports_every_selected_incident_with_formulas_neutralized() {
    use alertweave_core::query::{QueueIndex, QueueQuery};
    let mut hostile = alert("q1", "2026-09-01T10:00:00Z", 5, vec![device("ws-1")]);
    hostile["title"] = Value::from("=HYPERLINK(\"http://evil.example\",\"open\")");
    let alerts = vec![
        hostile,
        alert("q2", "2026-09-02T10:00:00Z", 5, vec![device("ws-2")]),
    ];
    let ds = dataset(
        &[("f.json", page(&alerts))],
        Settings::default(),
        Grouping::Correlate,
    );
    let query = QueueQuery {
        offset: 0,
        limit: usize::MAX,
        ..QueueQuery::default()
    };
    let rows = QueueIndex::build(&ds).page(&ds, &query).rows;
    assert_eq!(rows.len(), 2);
    let text = alertweave_core::export::queue_csv(&rows);
    let mut reader = ::csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(&header[..3], ["incident_id", "incident_name", "severity"]);
    let names: Vec<String> = reader
        .records()
        .map(|r| r.expect("valid CSV")[1].to_owned())
        .collect();
    assert!(
        names.iter().any(|n| n.starts_with("'=HYPERLINK(")),
        "{names:?}"
    );
    assert!(names.iter().all(|n| !n.starts_with('=')));
}
