//! Properties of correlation: a partition, independent of order and of file splits, explained
//! by its receipts, deaf to prevalent entities, with ids that unrelated alerts do not move.

use crate::support::*;
use alertweave_core::analysis::Dataset;
use alertweave_core::correlate::{Grouping, NoLink, Settings};
use alertweave_core::entities::DisjointSets;
use alertweave_core::model::{AlertId, IncidentId};
use alertweave_demo::{generate, DemoConfig};
use proptest::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn demo_alerts(seed: u64, noise: usize) -> Vec<Value> {
    let config = DemoConfig {
        seed,
        n_noise_alerts: noise,
        ..DemoConfig::default()
    };
    generate(&config).into_iter().map(|g| g.alert).collect()
}

fn check_partition_and_receipts(ds: &Dataset) {
    let mut seen = BTreeSet::new();
    for incident in ds.incidents() {
        for id in &incident.alert_ids {
            assert!(seen.insert(id.clone()), "{id} in two incidents");
        }
        // The receipts form a spanning tree over the incident's alerts.
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
            "{}",
            incident.incident_id
        );
        for r in &incident.receipts {
            let (a, b) = (index[r.from.as_str()], index[r.to.as_str()]);
            assert!(sets.union(a, b), "a receipt that joins nothing new");
        }
    }
    assert_eq!(
        seen.len(),
        ds.alerts.len(),
        "every alert in exactly one incident"
    );
}

#[test]
fn the_demo_tenant_is_a_partition_explained_by_receipts() {
    let alerts = demo_alerts(
        DemoConfig::default().seed,
        DemoConfig::default().n_noise_alerts,
    );
    let ds = dataset(
        &[("demo.json", page(&alerts))],
        Settings::default(),
        Grouping::Correlate,
    );
    check_partition_and_receipts(&ds);
    assert!(
        ds.incidents().len() > 20,
        "noise stays in small incidents: {}",
        ds.incidents().len()
    );
    let largest = ds
        .incidents()
        .iter()
        .map(|i| i.alert_ids.len())
        .max()
        .unwrap_or(0);
    assert!(
        largest < 40,
        "no runaway incident: largest has {largest} alerts"
    );
    assert!(
        !ds.correlation.unlinked.is_empty(),
        "the demo's prevalent entities are recognized as noisy"
    );
}

/// Each attack story is one incident holding only that story's alerts, on the shipped seed and
/// on seeds the defaults were never looked at with.
#[test]
fn the_demo_stories_each_end_up_together_and_alone() {
    for seed in [DemoConfig::default().seed, 1, 2, 3] {
        let generated = generate(&DemoConfig {
            seed,
            ..DemoConfig::default()
        });
        let alerts: Vec<Value> = generated.iter().map(|g| g.alert.clone()).collect();
        let ds = dataset(
            &[("demo.json", page(&alerts))],
            Settings::default(),
            Grouping::Correlate,
        );
        let story_of: BTreeMap<String, &str> = generated
            .iter()
            .filter_map(|g| Some((g.alert["id"].as_str()?.to_owned(), g.story.as_str())))
            .collect();
        for story in ["phishing-ato", "ransomware", "password-spray"] {
            let ids: Vec<&String> = story_of
                .iter()
                .filter(|(_, s)| **s == story)
                .map(|(id, _)| id)
                .collect();
            assert!(!ids.is_empty(), "seed {seed}: story {story} exists");
            let incidents: BTreeSet<String> = ids
                .iter()
                .filter_map(|id| ds.incident_of(&AlertId::new((*id).clone())))
                .map(|i| i.incident_id.to_string())
                .collect();
            assert_eq!(
                incidents.len(),
                1,
                "seed {seed}: story {story} spread over {incidents:?}"
            );
            let incident = ds
                .incident(&IncidentId::new(
                    incidents.into_iter().next().unwrap_or_default(),
                ))
                .expect("the incident");
            let strangers: Vec<&str> = incident
                .alert_ids
                .iter()
                .map(|a| story_of[a.as_str()])
                .filter(|s| *s != story)
                .collect();
            assert!(
                strangers.is_empty(),
                "seed {seed}: story {story} pulled in {strangers:?}"
            );
        }
    }
}

#[test]
fn a_prevalent_entity_links_nothing_by_itself() {
    // Twelve unrelated alerts an hour apart all name the proxy IP; two also share a device.
    let mut alerts: Vec<Value> = (0..12)
        .map(|i| {
            alert(
                &format!("a{i:02}"),
                &format!("2026-09-01T{:02}:00:00Z", i + 1),
                5,
                vec![ip("203.0.113.1"), user(&format!("{}", 1000 + i))],
            )
        })
        .collect();
    alerts.push(alert(
        "b1",
        "2026-09-01T02:10:00Z",
        5,
        vec![ip("203.0.113.1"), device("ws-07")],
    ));
    alerts.push(alert(
        "b2",
        "2026-09-01T03:10:00Z",
        5,
        vec![device("ws-07")],
    ));
    let settings = Settings {
        noisy_min_alerts: 5,
        ..Settings::default()
    };
    let ds = dataset(&[("f.json", page(&alerts))], settings, Grouping::Correlate);
    assert_eq!(ds.incidents().len(), 13, "{:?}", partition(&ds));
    assert!(partition(&ds).contains(&vec!["b1".to_owned(), "b2".to_owned()]));
    let proxy = ds
        .correlation
        .unlinked
        .iter()
        .find(|u| u.n_alerts == 13)
        .expect("the proxy IP is reported");
    assert!(
        matches!(proxy.reason, NoLink::Prevalent { .. }),
        "{:?}",
        proxy.reason
    );
}

#[test]
fn alerts_sharing_an_entity_beyond_the_window_stay_apart() {
    let a = alert("a", "2026-09-01T08:00:00Z", 10, vec![device("ws-01")]);
    let b = alert("b", "2026-09-01T20:00:00Z", 10, vec![device("ws-01")]);
    let c = alert("c", "2026-09-05T08:00:00Z", 10, vec![device("ws-01")]);
    let ds = dataset(
        &[("f.json", page(&[a, b, c]))],
        Settings::default(),
        Grouping::Correlate,
    );
    assert_eq!(
        partition(&ds),
        vec![vec!["a".to_owned(), "b".to_owned()], vec!["c".to_owned()]]
    );
    let receipt = &ds
        .incidents()
        .iter()
        .find(|i| i.alert_ids.len() == 2)
        .expect("a pair")
        .receipts[0];
    assert_eq!(
        (
            receipt.from.as_str(),
            receipt.to.as_str(),
            receipt.gap_seconds
        ),
        ("a", "b", 11 * 3600 + 50 * 60)
    );
    assert_eq!(receipt.rule, "shared-entity");
    assert!(receipt
        .identifier
        .as_deref()
        .is_some_and(|i| i.starts_with("device/")));
}

#[test]
fn an_unrelated_alert_does_not_move_other_incident_ids() {
    let base = demo_alerts(7, 60);
    let before = dataset(
        &[("f.json", page(&base))],
        Settings::default(),
        Grouping::Correlate,
    );
    let mut more = base.clone();
    more.push(alert(
        "unrelated-1",
        "2026-09-15T12:00:00Z",
        5,
        vec![device("lonely-host")],
    ));
    let after = dataset(
        &[("f.json", page(&more))],
        Settings::default(),
        Grouping::Correlate,
    );
    let ids_before: BTreeSet<String> = before
        .incidents()
        .iter()
        .map(|i| i.incident_id.to_string())
        .collect();
    let ids_after: BTreeSet<String> = after
        .incidents()
        .iter()
        .map(|i| i.incident_id.to_string())
        .collect();
    assert!(ids_before.is_subset(&ids_after));
    assert_eq!(ids_after.len(), ids_before.len() + 1);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

    /// Same alerts in any order, split across any files, with duplicates: same incidents.
    #[test]
    fn order_and_file_split_do_not_change_the_incidents(seed in 0u64..1000, shuffle in any::<u64>(), cut in 0usize..100, dup in 0usize..40) {
        let alerts = demo_alerts(seed, 40);
        let reference = dataset(&[("all.json", page(&alerts))], Settings::default(), Grouping::Correlate);
        check_partition_and_receipts(&reference);

        let mut shuffled = alerts.clone();
        let mut state = shuffle | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let cut = cut.min(shuffled.len());
        let mut second: Vec<Value> = shuffled[cut..].to_vec();
        second.extend(shuffled.iter().take(dup).cloned()); // overlapping exports
        let ndjson: String = shuffled[..cut].iter().map(|a| format!("{a}\n")).collect();
        let split = dataset(&[("part-b.json", page(&second)), ("part-a.ndjson", ndjson)], Settings::default(), Grouping::Correlate);

        prop_assert_eq!(partition(&reference), partition(&split));
        let ids = |ds: &Dataset| ds.incidents().iter().map(|i| (i.incident_id.to_string(), i.title.clone(), i.receipts.clone())).collect::<Vec<_>>();
        prop_assert_eq!(ids(&reference), ids(&split));
    }
}

#[test]
fn source_grouping_follows_redirects_and_settles_claims_by_the_latest_incident() {
    use serde_json::json;
    let a = alert("a1", "2026-09-01T08:00:00Z", 5, vec![device("ws-1")]);
    let b = alert("b1", "2026-09-01T09:00:00Z", 5, vec![device("ws-2")]);
    let incident = |id: &str,
                    redirect: Option<&str>,
                    updated: &str,
                    alerts: Vec<serde_json::Value>| {
        json!({"@odata.type": "#microsoft.graph.security.incident", "id": id, "displayName": format!("Incident {id}"),
               "redirectIncidentId": redirect, "lastUpdateDateTime": updated, "status": "active", "alerts": alerts})
    };
    // 7 was merged into 9; a1 is also claimed by 5, which was modified earlier than 9.
    let records = [
        incident("7", Some("9"), "2026-09-02T00:00:00Z", vec![a.clone()]),
        incident("9", None, "2026-09-03T00:00:00Z", vec![b.clone()]),
        incident("5", None, "2026-09-01T12:00:00Z", vec![a.clone()]),
    ];
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    let ds = dataset(
        &[("incidents.json", text)],
        Settings::default(),
        Grouping::SourceIncidents,
    );
    assert_eq!(partition(&ds), vec![vec!["a1".to_owned(), "b1".to_owned()]]);
    assert_eq!(ds.incidents()[0].title, "Incident 9");
    let claim = ds
        .problems
        .iter()
        .find(|p| p.message.contains("claimed by incidents"))
        .expect("the double claim is reported");
    assert!(
        claim.message.contains("5, 9") && claim.message.ends_with("kept in 9 (modified last)"),
        "{}",
        claim.message
    );
}

/// Review finding: a stock binary named as the image of two unrelated processes joined them.
#[test]
fn a_process_image_file_alone_does_not_link_alerts() {
    use serde_json::json;
    let process = |pid: u32, device: &str| {
        json!({"@odata.type": "#microsoft.graph.security.processEvidence", "processId": pid, "mdeDeviceId": device,
               "processCreationDateTime": "2026-09-01T07:00:00Z", "verdict": "suspicious",
               "imageFile": {"fileName": "powershell.exe", "filePath": "C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
                             "sha256": "de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c"}})
    };
    let a = alert(
        "a",
        "2026-09-01T08:00:00Z",
        5,
        vec![process(100, "dev-a"), user("1001")],
    );
    let b = alert(
        "b",
        "2026-09-01T15:00:00Z",
        5,
        vec![process(200, "dev-b"), user("1002")],
    );
    let ds = dataset(
        &[("f.json", page(&[a.clone(), b.clone()]))],
        Settings::default(),
        Grouping::Correlate,
    );
    assert_eq!(ds.incidents().len(), 2, "{:?}", partition(&ds));
    // The same hash as a file the alerts are about does link them.
    let file = json!({"@odata.type": "#microsoft.graph.security.fileEvidence", "verdict": "malicious",
                      "fileDetails": {"fileName": "payload.exe", "sha256": "aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00"}});
    let mut a2 = a;
    let mut b2 = b;
    a2["evidence"]
        .as_array_mut()
        .expect("evidence")
        .push(file.clone());
    b2["evidence"].as_array_mut().expect("evidence").push(file);
    let ds = dataset(
        &[("f.json", page(&[a2, b2]))],
        Settings::default(),
        Grouping::Correlate,
    );
    assert_eq!(ds.incidents().len(), 1);
}

#[test]
fn private_ips_and_domain_accounts_are_one_entity_per_tenant() {
    let account = |name: &str| {
        serde_json::json!({"@odata.type": "#microsoft.graph.security.userEvidence",
            "userAccount": {"accountName": name, "domainName": "CORP"}})
    };
    let in_tenant = |mut a: Value, tenant: &str| {
        a["tenantId"] = Value::from(tenant);
        a
    };
    let evidence = || vec![account("jdoe"), ip("10.0.0.5")];
    let entities_named =
        |ds: &Dataset, name: &str| ds.entities.values().filter(|e| e.name == name).count();
    // Two customers in one workspace: CORP\jdoe and 10.0.0.5 are two things each.
    let a = in_tenant(
        alert("a1", "2024-03-01T10:00:00Z", 5, evidence()),
        "tenant-a",
    );
    let b = in_tenant(
        alert("b1", "2024-03-01T10:10:00Z", 5, evidence()),
        "tenant-b",
    );
    let ds = dataset(
        &[("two.json", page(&[a.clone(), b]))],
        Settings::default(),
        Grouping::Correlate,
    );
    let names: Vec<_> = ds
        .entities
        .values()
        .map(|e| (e.name.clone(), e.identifiers.clone()))
        .collect();
    assert_eq!(entities_named(&ds, "CORP\\jdoe"), 2, "{names:?}");
    assert_eq!(entities_named(&ds, "10.0.0.5"), 2);
    assert_eq!(ds.incidents().len(), 2, "nothing links the two customers");
    assert_eq!(ds.completeness.unscoped_alerts, 0);

    // An export without tenant ids (an advanced-hunting CSV) beside one tenant's Graph export:
    // its accounts and private IPs are that tenant's.
    let csv = "AlertId,Timestamp,Title,EntityType,AccountName,AccountDomain,RemoteIP\n\
               da1,2024-03-01T10:20:00Z,T,User,jdoe,CORP,\n\
               da1,2024-03-01T10:20:00Z,T,Ip,,,10.0.0.5\n";
    let ds = dataset(
        &[
            ("a.json", page(std::slice::from_ref(&a))),
            ("ah.csv", csv.to_owned()),
        ],
        Settings::default(),
        Grouping::Correlate,
    );
    assert_eq!(entities_named(&ds, "CORP\\jdoe"), 1);
    assert_eq!(entities_named(&ds, "10.0.0.5"), 1);
    assert_eq!(
        ds.incidents().len(),
        1,
        "linked through the tenant's account"
    );

    // With two tenants loaded, a tenant-less alert cannot be placed: kept apart, and reported.
    let b = in_tenant(
        alert("b1", "2024-03-01T10:10:00Z", 5, evidence()),
        "tenant-b",
    );
    let ds = dataset(
        &[("two.json", page(&[a, b])), ("ah.csv", csv.to_owned())],
        Settings::default(),
        Grouping::Correlate,
    );
    assert_eq!(entities_named(&ds, "CORP\\jdoe"), 3);
    assert_eq!(ds.completeness.unscoped_alerts, 1);
    assert_eq!(ds.incidents().len(), 3);
}

#[test]
fn an_entity_that_fans_out_across_many_machines_links_nothing_but_one_spray_alert_does_not_count() {
    // A domain controller named by twelve alerts of twelve different users, hours apart,
    // in a tenant large enough that its share is small: it fans out, so it links nothing.
    let mut alerts: Vec<Value> = (0..12)
        .map(|i| {
            alert(
                &format!("dc{i:02}"),
                &format!("2026-09-01T{:02}:00:00Z", i + 1),
                5,
                vec![device("dc01"), user(&format!("{}", 3000 + i))],
            )
        })
        .collect();
    for i in 0..200 {
        alerts.push(alert(
            &format!("z{i:03}"),
            "2026-08-01T00:00:00Z",
            1,
            vec![device(&format!("other-{i:03}"))],
        ));
    }
    // A password spray: one alert names fourteen accounts and the attacker IP; later alerts of the
    // same IP and its victim belong with it.
    let victims: Vec<Value> = (0..14).map(|i| user(&format!("{}", 2000 + i))).collect();
    alerts.push(alert(
        "spray",
        "2026-09-02T01:00:00Z",
        30,
        [vec![ip("198.51.100.7")], victims].concat(),
    ));
    alerts.push(alert(
        "spray-use",
        "2026-09-02T03:00:00Z",
        5,
        vec![ip("198.51.100.7"), user("2000")],
    ));
    let ds = dataset(
        &[("f.json", page(&alerts))],
        Settings::default(),
        Grouping::Correlate,
    );
    let groups = partition(&ds);
    assert!(
        groups
            .iter()
            .all(|g| !g.contains(&"dc00".to_owned()) || g.len() == 1),
        "the DC joined alerts: {groups:?}"
    );
    let dc = ds
        .correlation
        .unlinked
        .iter()
        .find(|u| u.n_alerts == 12)
        .expect("the DC is reported");
    assert!(
        matches!(dc.reason, NoLink::FansOut { .. }),
        "{:?}",
        dc.reason
    );
    // Each DC alert lists the others within the device window as related, not joined.
    let first = ds
        .incident_of(&AlertId::new("dc00"))
        .expect("dc00")
        .incident_id
        .clone();
    let view = alertweave_core::query::incident_view(&ds, &first).expect("a view");
    assert_eq!(view.n_related, 11, "{:?}", view.related);
    assert!(view
        .related
        .iter()
        .all(|r| matches!(r.reason, NoLink::FansOut { .. })));
    assert!(view
        .related
        .windows(2)
        .all(|w| w[0].gap_seconds <= w[1].gap_seconds));
    assert!(groups.contains(&vec!["spray".to_owned(), "spray-use".to_owned()]));
    // With the test off, the DC links its alerts again.
    let off = Settings {
        noisy_fan_out: 0,
        ..Settings::default()
    };
    let ds = dataset(&[("f.json", page(&alerts))], off, Grouping::Correlate);
    assert!(partition(&ds).iter().any(|g| g.len() == 12));
}

#[test]
fn a_detection_repeated_on_many_days_does_not_link_through_its_entity() {
    // The directory sync server raises the same benign detection every day; on day 3 an attack
    // on it also raises two other detections an hour apart.
    let mut alerts: Vec<Value> = (0..6)
        .map(|d| {
            let mut a = alert(
                &format!("sync{d}"),
                &format!("2026-09-0{}T10:00:00Z", d + 1),
                5,
                vec![device("aadc01")],
            );
            a["title"] = Value::from("Suspected DCSync attack");
            a
        })
        .collect();
    for (id, hour) in [("attack1", 10), ("attack2", 11)] {
        let mut a = alert(
            id,
            &format!("2026-09-03T{hour}:20:00Z"),
            5,
            vec![device("aadc01")],
        );
        a["title"] = Value::from(format!("Attack step {id}"));
        alerts.push(a);
    }
    let ds = dataset(
        &[("f.json", page(&alerts))],
        Settings::default(),
        Grouping::Correlate,
    );
    let groups = partition(&ds);
    assert!(
        groups.contains(&vec!["attack1".to_owned(), "attack2".to_owned()]),
        "{groups:?}"
    );
    assert_eq!(groups.len(), 7, "six lone syncs and the attack: {groups:?}");
    let repeated = &ds.correlation.repeated;
    assert_eq!(repeated.len(), 1, "{repeated:?}");
    // The first day's sync lists the next day's as related, not joined, with the reason.
    let first = ds
        .incident_of(&AlertId::new("sync0"))
        .expect("sync0 has an incident")
        .incident_id
        .clone();
    let view = alertweave_core::query::incident_view(&ds, &first).expect("a view");
    let next = ds.incident_of(&AlertId::new("sync1")).expect("sync1");
    assert_eq!(view.n_related, 1, "{:?}", view.related);
    assert_eq!(view.related[0].incident_id, next.incident_id);
    assert!(
        matches!(view.related[0].reason, NoLink::RepeatedDetection { .. }),
        "{:?}",
        view.related[0].reason
    );
    assert_eq!(
        (
            repeated[0].title.as_str(),
            repeated[0].n_alerts,
            repeated[0].n_days
        ),
        ("Suspected DCSync attack", 6, 6)
    );
}

#[test]
fn generated_multi_site_tenants_keep_their_stories_apart_and_whole() {
    // A regression guard on the quality benchmark (`bin/quality`, docs/benchmarks.md): three
    // sites, one untuned seed, small enough for every test run.
    use alertweave_core::quality::score;
    let config = DemoConfig {
        seed: 104,
        sites: 3,
        n_noise_alerts: 180,
        ..DemoConfig::default()
    };
    let generated = generate(&config);
    let alerts: Vec<Value> = generated.iter().map(|g| g.alert.clone()).collect();
    let ds = dataset(
        &[("f.json", page(&alerts))],
        Settings::default(),
        Grouping::Correlate,
    );
    let predicted: Vec<String> = generated
        .iter()
        .map(|g| {
            let id = AlertId::new(g.alert["id"].as_str().unwrap_or_default());
            ds.incident_of(&id)
                .map_or(String::new(), |i| i.incident_id.to_string())
        })
        .collect();
    let truth: Vec<&str> = generated.iter().map(|g| g.story.as_str()).collect();
    let s = score(&predicted, &truth);
    assert!(s.pairwise.f1 >= 0.95, "{s:?}");
    assert!(s.bcubed.f1 >= 0.95, "{s:?}");
    assert!(s.largest_predicted <= 13, "{s:?}");
}

#[test]
fn incidents_are_compared_with_the_exports_own_grouping() {
    let with_source = |mut a: Value, source: &str| {
        a["incidentId"] = Value::from(source);
        a
    };
    // a1 and a2 share a device (one incident here) but the export filed them as 7 and 8; the
    // export also put a3, unrelated, in 7; b1 and b2 agree with the export's 9.
    let alerts = vec![
        with_source(
            alert("a1", "2026-09-01T10:00:00Z", 5, vec![device("ws-1")]),
            "7",
        ),
        with_source(
            alert("a2", "2026-09-01T11:00:00Z", 5, vec![device("ws-1")]),
            "8",
        ),
        with_source(
            alert("a3", "2026-09-05T11:00:00Z", 5, vec![user("77")]),
            "7",
        ),
        with_source(
            alert("b1", "2026-09-03T11:00:00Z", 5, vec![user("88")]),
            "9",
        ),
        with_source(
            alert("b2", "2026-09-03T12:00:00Z", 5, vec![user("88")]),
            "9",
        ),
    ];
    let ds = dataset(
        &[("f.json", page(&alerts))],
        Settings::default(),
        Grouping::Correlate,
    );
    let compare = |id: &str| {
        let incident = ds.incident_of(&AlertId::new(id)).expect("an incident");
        ds.compare_with_source(incident).expect("a comparison")
    };
    let a = compare("a1");
    assert!(a.merged && !a.same, "{a:?}");
    assert_eq!(a.source_incident_ids, vec!["7", "8"]);
    assert_eq!(
        a.split_into,
        vec![ds
            .incident_of(&AlertId::new("a3"))
            .expect("a3")
            .incident_id
            .clone()]
    );
    let b = compare("b1");
    assert!(b.same && !b.merged && b.split_into.is_empty(), "{b:?}");
    let agreement = ds
        .source_agreement()
        .expect("alerts carry source incidents");
    assert_eq!(
        (
            agreement.incidents_compared,
            agreement.same,
            agreement.merged,
            agreement.sources_compared,
            agreement.sources_split
        ),
        (3, 1, 1, 3, 1)
    );
    assert!(agreement.pairwise_f1 < 1.0);
    // In the export's own grouping there is nothing to compare.
    let ds = dataset(
        &[("f.json", page(&alerts))],
        Settings::default(),
        Grouping::SourceIncidents,
    );
    assert!(ds.source_agreement().is_none());
}

#[test]
fn a_runaway_group_is_split_into_connected_parts_that_say_so() {
    // Nine alerts an hour apart chained by one device: one group of 9, with a cap of 4.
    let alerts: Vec<Value> = (0..9)
        .map(|i| {
            alert(
                &format!("r{i:02}"),
                &format!("2026-09-01T{:02}:00:00Z", i + 1),
                5,
                vec![device("ws-7")],
            )
        })
        .collect();
    let capped = Settings {
        max_incident_alerts: 4,
        ..Settings::default()
    };
    let ds = dataset(&[("f.json", page(&alerts))], capped, Grouping::Correlate);
    let groups = partition(&ds);
    assert_eq!(
        groups.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![4, 4, 1],
        "{groups:?}"
    );
    // Parts follow time: the first four, the next four, the last one.
    assert_eq!(groups[0][0], "r00");
    assert_eq!(groups[2], vec!["r08".to_owned()]);
    check_partition_and_receipts(&ds);
    for incident in ds.incidents() {
        let note = incident.split.as_ref().expect("every part says it is one");
        assert_eq!((note.group_alerts, note.parts, note.cap), (9, 3, 4));
    }
    assert_eq!(ds.correlation.cut.len(), 2, "two links not taken");
    // The parts list each other as related, not joined, with the reason.
    let first = ds.incidents()[0].incident_id.clone();
    let view = alertweave_core::query::incident_view(&ds, &first).expect("a view");
    assert!(
        view.related
            .iter()
            .any(|r| matches!(r.reason, NoLink::RunawayGuard { .. })),
        "{:?}",
        view.related
    );
    // Without the cap, one incident.
    let ds = dataset(
        &[("f.json", page(&alerts))],
        Settings::default(),
        Grouping::Correlate,
    );
    assert_eq!(ds.incidents().len(), 1);
    assert!(ds.incidents()[0].split.is_none());
}

#[test]
fn a_multistage_attack_links_though_no_entity_is_in_every_alert() {
    // Phishing mail (message, URL, mailbox) → click on its URL by the user → sign-in of that
    // user from a new IP: the mail and the sign-in share nothing, the chain joins them.
    let upn = "eva@corp.example";
    let url = serde_json::json!({"@odata.type": "#microsoft.graph.security.urlEvidence", "url": "https://evil.example/x"});
    let mail = serde_json::json!({"@odata.type": "#microsoft.graph.security.analyzedMessageEvidence",
        "networkMessageId": "6b8f2c1e-0000-4000-8000-000000000001", "recipientEmailAddress": upn, "urls": ["https://evil.example/x"]});
    let mailbox = serde_json::json!({"@odata.type": "#microsoft.graph.security.mailboxEvidence", "primaryAddress": upn});
    let account = serde_json::json!({"@odata.type": "#microsoft.graph.security.userEvidence",
        "userAccount": {"accountName": "eva", "userPrincipalName": upn, "azureAdUserId": "0f0e0d0c-0000-4000-8000-000000000009"}});
    let alerts = vec![
        alert(
            "mail",
            "2026-09-01T08:00:00Z",
            5,
            vec![mail, url.clone(), mailbox],
        ),
        alert(
            "click",
            "2026-09-01T08:30:00Z",
            1,
            vec![url, account.clone()],
        ),
        alert(
            "signin",
            "2026-09-01T11:00:00Z",
            1,
            vec![account, ip("198.51.100.77")],
        ),
    ];
    let ds = dataset(
        &[("f.json", page(&alerts))],
        Settings::default(),
        Grouping::Correlate,
    );
    assert_eq!(
        partition(&ds),
        vec![vec![
            "click".to_owned(),
            "mail".to_owned(),
            "signin".to_owned()
        ]]
    );
    let receipts = &ds.incidents()[0].receipts;
    let kinds: Vec<&str> = receipts
        .iter()
        .filter_map(|r| r.identifier.as_deref())
        .map(|i| i.split('/').next().unwrap_or(""))
        .collect();
    assert_eq!(kinds, vec!["url", "user"], "{receipts:?}");
}

/// `start` plus `minutes`, as the RFC 3339 text `alert` takes.
fn at_minutes(start: &str, minutes: i64) -> String {
    let begin = chrono::DateTime::parse_from_rfc3339(start).expect("test time");
    (begin + chrono::Duration::minutes(minutes)).to_rfc3339()
}

fn titled(mut a: Value, title: &str) -> Value {
    a["title"] = Value::from(title);
    a
}

/// Issue 12: a password spray from one IP (one alert per targeted account, 60 within three hours)
/// beside a proxy address present in 20 % of the alerts over 45 days. The spray is one incident;
/// the proxy links nothing; the campaign is reported as a burst.
#[test]
fn issue_12_a_spray_from_one_ip_is_one_incident_and_the_proxy_links_nothing() {
    let start = "2026-03-02T00:00:00Z";
    let mut alerts = Vec::new();
    // 240 background alerts, one every 4.5 hours over 45 days, each on a user of its own; 60 of
    // them (every fourth) signed in through the proxy.
    for i in 0..240i64 {
        let mut evidence = vec![user(&format!("{}", 5000 + i))];
        if i % 4 == 0 {
            evidence.push(ip("198.51.100.20"));
        }
        let title = if i % 4 == 0 {
            "Unfamiliar sign-in properties"
        } else {
            "Suspicious PowerShell command line"
        };
        alerts.push(titled(
            alert(
                &format!("bg{i:03}"),
                &at_minutes(start, i * 270),
                5,
                evidence,
            ),
            title,
        ));
    }
    // Day 20, 09:00: 60 accounts sprayed from one address within three hours.
    for i in 0..60i64 {
        let when = at_minutes(start, 20 * 1440 + 540 + i * 3);
        let title = if i % 10 == 0 {
            "Atypical travel"
        } else {
            "Password spray"
        };
        alerts.push(titled(
            alert(
                &format!("sp{i:02}"),
                &when,
                1,
                vec![user(&format!("{}", 9000 + i)), ip("192.0.2.66")],
            ),
            title,
        ));
    }
    // Entra ID Protection rates each sprayed sign-in low; an hour after the spray, one targeted
    // account's token is replayed from the same address.
    for a in alerts
        .iter_mut()
        .filter(|a| a["id"].as_str().is_some_and(|id| id.starts_with("sp")))
    {
        a["severity"] = Value::from("low");
    }
    alerts.push(titled(
        alert(
            "token",
            &at_minutes(start, 20 * 1440 + 540 + 240),
            5,
            vec![user("9003"), ip("192.0.2.66")],
        ),
        "Anomalous Token",
    ));
    let ds = dataset(
        &[("f.json", page(&alerts))],
        Settings::default(),
        Grouping::Correlate,
    );
    let mut spray: Vec<String> = (0..60).map(|i| format!("sp{i:02}")).collect();
    spray.push("token".to_owned());
    spray.sort();
    let groups = partition(&ds);
    assert!(
        groups.contains(&spray),
        "the spray and its follow-on are one incident: {groups:?}"
    );
    // It reads like Defender's: the campaign's title, and High once a target shows compromise.
    let campaign = ds.incident_of(&AlertId::new("sp00")).expect("sp00");
    assert_eq!(
        campaign.title.as_str(),
        "Password spray attack involving multiple users"
    );
    assert_eq!(campaign.severity, alertweave_core::model::Severity::High);
    // The proxy links nothing: every background alert is alone.
    assert_eq!(groups.len(), 241, "{groups:?}");
    let proxy = ds
        .correlation
        .unlinked
        .iter()
        .find(|u| {
            ds.entities
                .get(&u.entity_id)
                .is_some_and(|e| e.name.contains("198.51.100.20"))
        })
        .expect("the proxy is reported as background");
    assert_eq!(proxy.n_alerts, 60);
    // The campaign is reported: the attacker's address, 54 "Password spray" alerts (the
    // "Atypical travel" ones are fewer than the rest and link through the address by the window).
    let burst = ds.correlation.bursts.first().expect("a burst");
    assert_eq!(
        ds.correlation.bursts.len(),
        1,
        "{:?}",
        ds.correlation.bursts
    );
    let attacker = ds.entities.get(&burst.entity_id).expect("entity");
    assert!(attacker.name.contains("192.0.2.66"), "{}", attacker.name);
    assert!(burst.alert_ids.len() >= 54, "{}", burst.alert_ids.len());
    assert_eq!(burst.n_users, burst.targets.len());
}

/// Issue 12: an export of three years keeps an address that returns in short attacks months
/// apart: each attack is its own incident, neither silenced by a count over the whole span nor
/// joined across the months.
#[test]
fn issue_12_an_address_returning_every_quarter_for_three_years_still_links_each_attack() {
    let start = "2024-01-01T00:00:00Z";
    // The rest of the tenant: two unrelated alerts a day for three years, one through the proxy.
    let mut alerts: Vec<Value> = (0..2190i64)
        .map(|i| {
            let mut evidence = vec![user(&format!("{}", 10_000 + i))];
            if i % 2 == 0 {
                evidence.push(ip("198.51.100.20"));
            }
            alert(
                &format!("bg{i:04}"),
                &at_minutes(start, i * 720 + 200),
                5,
                evidence,
            )
        })
        .collect();
    for q in 0..12i64 {
        for k in 0..2i64 {
            alerts.push(titled(
                alert(
                    &format!("q{q:02}-{k}"),
                    &at_minutes(start, q * 91 * 1440 + 600 + k * 30),
                    5,
                    vec![ip("203.0.113.9"), user(&format!("{}", 100 + q * 2 + k))],
                ),
                "Anomalous Token",
            ));
        }
    }
    let ds = dataset(
        &[("f.json", page(&alerts))],
        Settings::default(),
        Grouping::Correlate,
    );
    let attacks: Vec<Vec<String>> = partition(&ds)
        .into_iter()
        .filter(|g| g.iter().any(|id| id.starts_with('q')))
        .collect();
    let expected: Vec<Vec<String>> = (0..12)
        .map(|q| vec![format!("q{q:02}-0"), format!("q{q:02}-1")])
        .collect();
    assert_eq!(attacks, expected);
    // The address is neither background nor a repeated detection; the proxy is background.
    let address = |u: &alertweave_core::model::EntityId| {
        ds.entities.get(u).map_or(String::new(), |e| e.name.clone())
    };
    let unlinked: Vec<String> = ds
        .correlation
        .unlinked
        .iter()
        .map(|u| address(&u.entity_id))
        .collect();
    assert!(
        unlinked.iter().all(|n| !n.contains("203.0.113.9")),
        "{unlinked:?}"
    );
    assert!(
        unlinked.iter().any(|n| n.contains("198.51.100.20")),
        "{unlinked:?}"
    );
    assert!(
        ds.correlation.repeated.is_empty(),
        "{:?}",
        ds.correlation.repeated
    );
}
