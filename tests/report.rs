//! Issue 6: the incident report holds everything (no caps), escapes what came from files, names
//! its time zone, and with a key leaves no person, host or address named.

use crate::support::*;
use alertweave_core::correlate::{Grouping, Settings};
use alertweave_core::edits::Op;
use alertweave_core::model::AlertId;
use alertweave_text::i18n::Lang;
use alertweave_text::report::{incident_report, ReportOptions};
use serde_json::Value;

fn when(text: &str) -> alertweave_core::model::Timestamp {
    chrono::DateTime::parse_from_rfc3339(text)
        .expect("time")
        .with_timezone(&chrono::Utc)
}

fn options(key: Option<&[u8]>) -> ReportOptions<'_> {
    ReportOptions {
        lang: Lang::En,
        utc_offset_minutes: 120,
        generated: when("2026-10-02T08:00:00Z"),
        app_version: "0.1.0-test",
        pseudonym_key: key,
    }
}

#[test]
fn the_demo_ransomware_report_holds_everything_in_one_zone() {
    let text = std::fs::read_to_string("static/demo/graph-alerts-demo.json").expect("demo");
    let mut ds = dataset(
        &[("demo.json", text)],
        Settings::default(),
        Grouping::Correlate,
    );
    let incident = ds
        .incidents()
        .iter()
        .max_by_key(|i| i.alert_ids.len())
        .expect("incidents")
        .clone();
    let anchor = incident.alert_ids[0].clone();
    ds.edit(
        when("2026-10-01T09:00:00Z"),
        "ana",
        Op::Comment {
            incident: anchor.clone(),
            text: "Isolated FS01 at 09:00.".into(),
        },
    );
    ds.edit(
        when("2026-10-01T09:05:00Z"),
        "ana",
        Op::Classify {
            incident: anchor.clone(),
            classification: "truePositive".into(),
            determination: "malware".into(),
        },
    );
    let view = alertweave_core::query::incident_view(&ds, &incident.incident_id).expect("a view");
    assert!(
        view.entities.iter().all(|e| e.first_seen <= e.last_seen),
        "an entity last seen before it was first seen"
    );
    let report = incident_report(&ds, &incident.incident_id, &options(None)).expect("a report");
    for (out, markdown) in [(&report.markdown, true), (&report.html, false)] {
        for id in &incident.alert_ids {
            // Markdown escapes the underscore of MDE ids.
            let written = if markdown {
                id.as_str().replace('_', "\\_")
            } else {
                id.to_string()
            };
            assert!(out.contains(&written), "alert {id} missing");
        }
        assert!(out.contains("UTC+02:00"));
        assert!(out.contains("Isolated FS01 at 09:00."));
        assert!(out.contains("truePositive"));
        assert!(out.contains(&ds.files[0].sha256));
        assert!(out.contains("noisy_fan_out"), "the settings are cited");
        // Every entity, by name (HTML escapes a backslash-free name as is).
        for e in &incident.entity_ids {
            let name = &ds.entities[e].name;
            if !name.contains([
                '\\', '<', '>', '&', '*', '_', '[', ']', '|', '#', '!', '`', '~', '\'', '"',
            ]) {
                assert!(out.contains(name.as_str()), "entity {name} missing");
            }
        }
    }
    // The first alert's time, two hours east of UTC.
    let first = ds
        .alert(&incident.alert_ids[0])
        .expect("alert")
        .first_activity;
    let zoned = (first + chrono::Duration::hours(2))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    assert!(report.markdown.contains(&zoned));
    // Self-contained: no external reference of any kind.
    let html = &report.html;
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg"));
    for outside in ["src=", "href=", "url(", "@import", "<script"] {
        assert!(!html.contains(outside), "{outside}");
    }
}

#[test]
fn text_from_files_is_escaped_and_a_key_hides_people_and_hosts() {
    let mut a = alert(
        "e1",
        "2026-09-01T10:00:00Z",
        5,
        vec![device("krl-ws-7180"), user("1234")],
    );
    a["title"] = Value::from("<script>alert(1)</script> [x](javascript:alert(1)) | on krl-ws-7180");
    let ds = dataset(
        &[("f.json", page(&[a]))],
        Settings::default(),
        Grouping::Correlate,
    );
    let incident = ds
        .incident_of(&AlertId::new("e1"))
        .expect("e1")
        .incident_id
        .clone();
    let report = incident_report(&ds, &incident, &options(None)).expect("a report");
    assert!(!report.html.contains("<script>"));
    assert!(report.html.contains("&lt;script&gt;"));
    assert!(report.markdown.contains("\\<script\\>"));
    assert!(report.markdown.contains("\\[x\\](javascript:alert(1))"));
    assert!(
        !report.markdown.contains(" | on "),
        "a cell boundary from a title"
    );

    let private = incident_report(&ds, &incident, &options(Some(b"case-key"))).expect("a report");
    for out in [&private.markdown, &private.html] {
        let lower = out.to_lowercase();
        assert!(!lower.contains("krl-ws-7180"), "the host is named");
        assert!(
            !lower.contains("s-1-5-21-1-2-3-1234") && !lower.contains("u1234"),
            "the user is named"
        );
        assert!(out.contains("host-") && out.contains("user-"));
    }
}

#[test]
fn the_report_speaks_the_interfaces_language() {
    let a = alert("n1", "2026-09-01T10:00:00Z", 5, vec![device("ws-9")]);
    let ds = dataset(
        &[("f.json", page(&[a]))],
        Settings::default(),
        Grouping::Correlate,
    );
    let incident = ds
        .incident_of(&AlertId::new("n1"))
        .expect("n1")
        .incident_id
        .clone();
    let dutch = ReportOptions {
        lang: Lang::Nl,
        ..options(None)
    };
    let report = incident_report(&ds, &incident, &dutch).expect("a report");
    for word in [
        "Incidentrapport",
        "Tijdlijn",
        "Herkomst",
        "Tijden in UTC+02:00",
        "Ernst",
    ] {
        assert!(report.markdown.contains(word), "{word}");
        assert!(report.html.contains(word), "{word}");
    }
    assert!(!report.markdown.contains("Timeline"));
}

/// Issue 12: a campaign is told in the report too (source, targets, the one used afterwards),
/// and a pseudonymized report names neither the attacker's address nor the accounts.
#[test]
fn a_campaign_is_in_the_report_and_a_key_hides_its_source_and_targets() {
    let mut alerts: Vec<Value> = (0..12)
        .map(|i| {
            let mut a = alert(
                &format!("sp{i:02}"),
                &format!("2026-09-01T09:{:02}:00Z", i * 4),
                1,
                vec![user(&format!("{}", 700 + i)), ip("192.0.2.66")],
            );
            a["title"] = Value::from("Password spray");
            a
        })
        .collect();
    let mut token = alert(
        "tok",
        "2026-09-01T11:30:00Z",
        5,
        vec![user("703"), ip("192.0.2.66")],
    );
    token["title"] = Value::from("Anomalous Token");
    alerts.push(token);
    let ds = dataset(
        &[("f.json", page(&alerts))],
        Settings::default(),
        Grouping::Correlate,
    );
    let incident = ds
        .incident_of(&AlertId::new("sp00"))
        .expect("sp00")
        .incident_id
        .clone();
    let report = incident_report(&ds, &incident, &options(None)).expect("a report");
    for out in [&report.markdown, &report.html] {
        assert!(
            out.contains("IP address 192.0.2.66: 12 “Password spray” alerts against 12 accounts within 45 min: one campaign"),
            "{out}"
        );
        assert!(out.contains("Anomalous Token"));
    }
    let private = incident_report(&ds, &incident, &options(Some(b"case-key"))).expect("a report");
    for out in [&private.markdown, &private.html] {
        assert!(
            !out.contains("192.0.2.66"),
            "the attacker's address is named"
        );
        assert!(!out.to_lowercase().contains("u703"), "a target is named");
        assert!(out.contains("one campaign"));
    }
}
