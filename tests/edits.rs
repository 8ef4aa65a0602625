//! Issue 6: the analyst's changes are a log keyed by alert ids, applied after correlation; they
//! survive re-correlation, can be undone, and keep every incident explained by its receipts.

use crate::support::*;
use alertweave_core::analysis::Dataset;
use alertweave_core::correlate::{Grouping, Settings};
use alertweave_core::edits::{apply, Applied, EditLog, Op, RULE_MANUAL_KEPT, RULE_MANUAL_MERGE};
use alertweave_core::entities::DisjointSets;
use alertweave_core::model::{AlertId, Incident, Status};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn at(minute: u32) -> alertweave_core::model::Timestamp {
    chrono::DateTime::parse_from_rfc3339(&format!("2026-10-01T09:{minute:02}:00Z"))
        .expect("time")
        .with_timezone(&chrono::Utc)
}

/// Three incidents: {a1, a2, a3} on ws-1 an hour apart, {b1} on ws-2, {c1} on ws-3.
fn tenant() -> Vec<Value> {
    vec![
        alert("a1", "2026-09-01T10:00:00Z", 5, vec![device("ws-1")]),
        alert("a2", "2026-09-01T11:00:00Z", 5, vec![device("ws-1")]),
        alert("a3", "2026-09-01T12:00:00Z", 5, vec![device("ws-1")]),
        alert("b1", "2026-09-02T10:00:00Z", 5, vec![device("ws-2")]),
        alert("c1", "2026-09-03T10:00:00Z", 5, vec![device("ws-3")]),
    ]
}

fn load(settings: Settings) -> Dataset {
    dataset(
        &[("f.json", page(&tenant()))],
        settings,
        Grouping::Correlate,
    )
}

fn run(ds: &Dataset, log: &EditLog) -> Applied {
    apply(&ds.correlation, &ds.alerts, &ds.entities, log)
}

fn members(applied: &Applied) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = applied
        .incidents
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

fn holding<'a>(applied: &'a Applied, alert: &str) -> &'a Incident {
    applied
        .incidents
        .iter()
        .find(|i| i.alert_ids.iter().any(|a| a.as_str() == alert))
        .expect("every alert has an incident")
}

/// Every incident's receipts form a spanning tree over its alerts.
fn explained(applied: &Applied) {
    let mut seen = BTreeSet::new();
    for incident in &applied.incidents {
        let index: BTreeMap<&str, usize> = incident
            .alert_ids
            .iter()
            .enumerate()
            .map(|(i, a)| (a.as_str(), i))
            .collect();
        let mut sets = DisjointSets::new(incident.alert_ids.len());
        assert_eq!(
            incident.receipts.len() + 1,
            incident.alert_ids.len(),
            "{incident:?}"
        );
        for r in &incident.receipts {
            assert!(
                sets.union(index[r.from.as_str()], index[r.to.as_str()]),
                "{r:?}"
            );
        }
        for id in &incident.alert_ids {
            assert!(seen.insert(id.clone()), "{id} twice");
        }
    }
}

#[test]
fn annotations_follow_the_anchor_alert_through_recorrelation() {
    let ds = load(Settings::default());
    let mut log = EditLog::default();
    let a = AlertId::new("a1");
    log.push(
        at(1),
        "ana",
        Op::Rename {
            incident: a.clone(),
            title: "Workstation 1 compromise".into(),
        },
    );
    log.push(
        at(2),
        "ana",
        Op::Assign {
            incident: a.clone(),
            owner: "bob@soc.example".into(),
        },
    );
    log.push(
        at(3),
        "ana",
        Op::Tag {
            incident: a.clone(),
            tag: "customer-x".into(),
            add: true,
        },
    );
    log.push(
        at(4),
        "bob",
        Op::Comment {
            incident: a.clone(),
            text: "Isolated the device.".into(),
        },
    );
    log.push(
        at(5),
        "bob",
        Op::Classify {
            incident: a.clone(),
            classification: "truePositive".into(),
            determination: "malware".into(),
        },
    );
    let applied = run(&ds, &log);
    let incident = holding(&applied, "a1");
    assert_eq!(incident.title, "Workstation 1 compromise");
    assert_eq!(incident.assigned_to, "bob@soc.example");
    assert_eq!(incident.classification, "truePositive");
    let managed = &applied.managed[&incident.incident_id];
    assert_eq!(managed.tags, vec!["customer-x"]);
    assert_eq!(managed.comments[0].text, "Isolated the device.");
    assert_eq!(managed.comments[0].author, "bob");
    assert_eq!(managed.activity.len(), 5);
    assert!(applied.inert.is_empty());

    // Other settings (devices link over 30 minutes only): a1 is alone now, and keeps its edits.
    let mut narrow = Settings::default();
    narrow
        .time_window_hours
        .insert(alertweave_core::model::EntityKind::Device, 0.5);
    let ds = load(narrow);
    let applied = run(&ds, &log);
    assert_eq!(members(&applied).len(), 5);
    let incident = holding(&applied, "a1");
    assert_eq!(incident.title, "Workstation 1 compromise");
    assert_eq!(
        holding(&applied, "a2").title,
        ds.incident_of(&AlertId::new("a2")).expect("a2").title
    );
}

#[test]
fn merge_and_undo() {
    let ds = load(Settings::default());
    let mut log = EditLog::default();
    let merge = log.push(
        at(1),
        "ana",
        Op::Merge {
            incidents: vec![AlertId::new("a1"), AlertId::new("b1"), AlertId::new("c1")],
        },
    );
    log.push(
        at(2),
        "ana",
        Op::Comment {
            incident: AlertId::new("b1"),
            text: "same actor".into(),
        },
    );
    let applied = run(&ds, &log);
    assert_eq!(members(&applied), vec![vec!["a1", "a2", "a3", "b1", "c1"]]);
    explained(&applied);
    let incident = &applied.incidents[0];
    assert_eq!(
        incident
            .receipts
            .iter()
            .filter(|r| r.rule == RULE_MANUAL_MERGE)
            .count(),
        2
    );
    // The merged incident keeps the id of the first one (its anchor is the earliest alert) and
    // the comment made on b1's incident after the merge.
    assert_eq!(
        incident.incident_id,
        ds.incident_of(&AlertId::new("a1")).expect("a1").incident_id
    );
    assert_eq!(applied.managed[&incident.incident_id].comments.len(), 1);

    assert_eq!(log.last_undoable(), Some(2));
    log.push(at(3), "ana", Op::Undo { seq: merge });
    let applied = run(&ds, &log);
    assert_eq!(members(&applied).len(), 3, "back to three incidents");
    let activity = &applied.managed[&holding(&applied, "a1").incident_id].activity;
    assert!(
        activity.iter().any(|a| a.seq == merge && a.undone),
        "{activity:?}"
    );
    // Undoing the undo merges again.
    log.push(at(4), "ana", Op::Undo { seq: 3 });
    assert_eq!(members(&run(&ds, &log)).len(), 1);
}

#[test]
fn moving_and_splitting_keep_every_incident_explained() {
    let ds = load(Settings::default());
    let mut log = EditLog::default();
    // The middle alert goes to b1's incident: a1 and a3 stay one incident, kept together.
    log.push(
        at(1),
        "ana",
        Op::Move {
            alert: AlertId::new("a2"),
            to: Some(AlertId::new("b1")),
        },
    );
    let applied = run(&ds, &log);
    assert_eq!(
        members(&applied),
        vec![vec!["a1", "a3"], vec!["a2", "b1"], vec!["c1"]]
    );
    explained(&applied);
    assert!(holding(&applied, "a1")
        .receipts
        .iter()
        .any(|r| r.rule == RULE_MANUAL_KEPT));

    // Split a1 out on its own as a new incident.
    log.push(
        at(2),
        "ana",
        Op::Split {
            alerts: vec![AlertId::new("a1")],
        },
    );
    let applied = run(&ds, &log);
    assert_eq!(
        members(&applied),
        vec![vec!["a1"], vec!["a2", "b1"], vec!["a3"], vec!["c1"]]
    );
    explained(&applied);
}

#[test]
fn resolving_resolves_the_alerts_and_changes_on_missing_alerts_stay_inert() {
    let ds = load(Settings::default());
    let mut log = EditLog::default();
    log.push(
        at(1),
        "ana",
        Op::SetStatus {
            incident: AlertId::new("a1"),
            status: Status::Resolved,
            note: "Reimaged.".into(),
        },
    );
    let missing = log.push(
        at(2),
        "ana",
        Op::Rename {
            incident: AlertId::new("zz-not-loaded"),
            title: "x".into(),
        },
    );
    let applied = run(&ds, &log);
    let incident = holding(&applied, "a1");
    assert_eq!(incident.status, Status::Resolved);
    assert_eq!(
        applied.managed[&incident.incident_id].resolution_note,
        "Reimaged."
    );
    for id in ["a1", "a2", "a3"] {
        assert_eq!(
            applied.alerts[&AlertId::new(id)].status,
            Some(Status::Resolved)
        );
    }
    assert_eq!(applied.inert, vec![missing]);
    // The log round-trips as JSON (it is what a workspace file will carry).
    let text = serde_json::to_string(&log).expect("serializes");
    let back: EditLog = serde_json::from_str(&text).expect("reads back");
    assert_eq!(back, log);
}

#[test]
fn the_dataset_applies_its_change_log_and_keeps_it_across_recorrelation() {
    let mut ds = load(Settings::default());
    let n = ds.incidents().len();
    let seq = ds.edit(
        at(1),
        "ana",
        Op::Merge {
            incidents: vec![AlertId::new("a1"), AlertId::new("b1")],
        },
    );
    assert_eq!(ds.incidents().len(), n - 1);
    let merged = ds
        .incident_of(&AlertId::new("b1"))
        .expect("b1")
        .incident_id
        .clone();
    assert_eq!(
        merged,
        ds.incident_of(&AlertId::new("a1")).expect("a1").incident_id
    );
    assert_eq!(ds.managed[&merged].activity.len(), 1);
    // Other settings: the merge stays.
    let mut narrow = Settings::default();
    narrow
        .time_window_hours
        .insert(alertweave_core::model::EntityKind::Device, 0.5);
    ds.recorrelate(narrow, Grouping::Correlate);
    assert_eq!(
        ds.incident_of(&AlertId::new("b1")).expect("b1").incident_id,
        ds.incident_of(&AlertId::new("a1")).expect("a1").incident_id
    );
    // Undone, the incidents are the correlation's again.
    ds.edit(at(2), "ana", Op::Undo { seq });
    assert_ne!(
        ds.incident_of(&AlertId::new("b1")).expect("b1").incident_id,
        ds.incident_of(&AlertId::new("a1")).expect("a1").incident_id
    );
    ds.set_edits(EditLog::default());
    assert!(ds.managed.is_empty());
}
