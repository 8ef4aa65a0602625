//! Advanced hunting `AlertInfo` and `AlertEvidence` rows (CSV or JSON from the portal, or the
//! streaming API's `{"category": "AdvancedHunting-AlertInfo", "properties": {...}}`).
//!
//! Both tables carry `AlertId`, so every row becomes a partial alert: AlertInfo rows give the
//! alert's fields, each AlertEvidence row one entity. The dataset merges the rows of one alert
//! (and the same alert from Graph or the Defender APIs, whose ids are the same) into one alert.

use super::mentions::{self, DeviceFacts, FileFacts, MailFacts, ProcessFacts, UserFacts};
use super::tabular::Row;
use super::{parse_time, RawAlert, RawEvidence};
use crate::model::{Alert, EntityMention, Provenance, Severity, Status, Sym, Verdict, UNTITLED};
use std::borrow::Cow;

/// Which table a row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    AlertInfo,
    AlertEvidence,
}

///
/// `known`: what earlier rows of the same alert made of it. Only the fields it lacks are read
/// from this row (the rest would be dropped by the merge): an AlertEvidence file repeats the
/// alert's title, categories and techniques on each of its evidence rows.
pub fn convert(
    row: &Row,
    table: Table,
    tenant_id: &str,
    provenance: Provenance,
    known: Option<&Alert>,
) -> Result<RawAlert, String> {
    let alert_id = row
        .text(&["AlertId"])
        .ok_or("an advanced-hunting row without an `AlertId`")?;
    let time = parse_time(row.text(&["Timestamp", "TimeGenerated"]).as_deref())
        .ok_or_else(|| format!("alert {alert_id}: no usable `Timestamp`"))?;
    // What `Alert::fill_missing_from` would take from this row.
    let missing = |field: fn(&Alert) -> &Sym| {
        known.is_none_or(|a| {
            let text = field(a);
            text.trim().is_empty() || *text == UNTITLED
        })
    };
    let category = match table {
        _ if !missing(|a| &a.category) => String::new(),
        Table::AlertInfo => row.text(&["Category"]).unwrap_or_default().into_owned(),
        // AlertEvidence writes a JSON list of categories; the first is the alert's.
        Table::AlertEvidence => row
            .list("Categories")
            .into_iter()
            .next()
            .or_else(|| row.text(&["Category"]).map(String::from))
            .unwrap_or_default(),
    };
    let mut evidence = Vec::new();
    let mut unknown = Vec::new();
    if table == Table::AlertEvidence {
        entity(row, tenant_id, &mut evidence, &mut unknown);
    }
    let text = |field: fn(&Alert) -> &Sym, name: &str| -> Sym {
        if missing(field) {
            row.text(&[name]).unwrap_or_default().into()
        } else {
            Sym::default()
        }
    };
    let alert = Alert {
        title: if missing(|a| &a.title) {
            row.text(&["Title"])
                .map_or_else(|| Sym::new(UNTITLED), Sym::from)
        } else {
            Sym::default()
        },
        severity: if known.is_none_or(|a| a.severity == Severity::Unknown) {
            Severity::parse(&row.text(&["Severity"]).unwrap_or_default())
        } else {
            Severity::Unknown
        },
        status: Status::New,
        category: category.into(),
        mitre_techniques: if known.is_none_or(|a| a.mitre_techniques.is_empty()) {
            row.list("AttackTechniques")
                .iter()
                .map(|t| Sym::from(technique_id(t)))
                .collect()
        } else {
            Vec::new()
        },
        service_source: text(|a| &a.service_source, "ServiceSource"),
        detection_source: text(|a| &a.detection_source, "DetectionSource"),
        created: Some(time),
        threat_name: text(|a| &a.threat_name, "ThreatFamily"),
        tenant_id: if missing(|a| &a.tenant_id) {
            tenant_id.into()
        } else {
            Sym::default()
        },
        ..Alert::new(alert_id.into_owned(), time, time, provenance)
    };
    Ok(RawAlert {
        alert,
        evidence,
        unknown_evidence_types: unknown,
    })
}

/// `Valid Accounts (T1078)` → `T1078`; an id alone stays as it is.
fn technique_id(text: &str) -> String {
    match (text.rfind('('), text.rfind(')')) {
        (Some(open), Some(close)) if close > open + 1 => text[open + 1..close].to_owned(),
        _ => text.to_owned(),
    }
}

fn entity(row: &Row, tenant_id: &str, out: &mut Vec<RawEvidence>, unknown: &mut Vec<String>) {
    let role = row.text(&["EvidenceRole"]);
    let mut push = |mention: Option<EntityMention>| {
        if let Some(mention) = mention {
            out.push(RawEvidence {
                mention: mention.into(),
                verdict: Verdict::Unknown,
                remediation_status: Sym::default(),
                roles: role.iter().map(|r| Sym::from(r.to_lowercase())).collect(),
                first_seen: None,
            });
        }
    };
    let t = |names: &[&str]| row.text(names);
    // Each entity type reads only its own columns.
    let file = || FileCells::read(row);
    let upn = || t(&["AccountUpn"]);
    let device_id = || t(&["DeviceId"]);
    let entity_type = t(&["EntityType"]).unwrap_or_default().to_ascii_lowercase();
    match entity_type.as_str() {
        "file" => push(mentions::file(&file().facts())),
        "process" => {
            let additional = row.json_cell("AdditionalFields");
            let pid = additional
                .as_ref()
                .and_then(|a| a.get("ProcessId"))
                .and_then(|p| {
                    p.as_str()
                        .map(str::to_owned)
                        .or_else(|| p.as_u64().map(|n| n.to_string()))
                });
            let created = additional
                .as_ref()
                .and_then(|a| a.get("CreationTimeUtc"))
                .and_then(|c| c.as_str().map(str::to_owned));
            let command_line = t(&["ProcessCommandLine"]);
            let (file, device_id) = (file(), device_id());
            let file = file.facts();
            push(mentions::process(&ProcessFacts {
                device_key: device_id.as_deref(),
                process_id: pid.as_deref(),
                created: created.as_deref(),
                image_name: file.name,
                command_line: command_line.as_deref(),
                ..Default::default()
            }));
            out.extend(super::process_image(mentions::file(&file)));
        }
        "user" | "account" => {
            let (account, domain, sid, object_id, upn) = (
                t(&["AccountName"]),
                t(&["AccountDomain"]),
                t(&["AccountSid"]),
                t(&["AccountObjectId"]),
                upn(),
            );
            push(mentions::user(&UserFacts {
                account_name: account.as_deref(),
                domain_name: domain.as_deref(),
                sid: sid.as_deref(),
                aad_user_id: object_id.as_deref(),
                upn: upn.as_deref(),
                display_name: None,
                tenant_id: Some(tenant_id),
            }))
        }
        "machine" | "device" => {
            let (device_id, device_name) = (device_id(), t(&["DeviceName"]));
            push(mentions::device(&DeviceFacts {
                mde_device_id: device_id.as_deref(),
                dns_name: device_name.as_deref(),
                ..Default::default()
            }))
        }
        "ip" => push(mentions::ip(
            t(&["RemoteIP"]).or(t(&["LocalIP"])).as_deref(),
            tenant_id,
            None,
        )),
        "url" => push(mentions::url(t(&["RemoteUrl"]).as_deref())),
        "mailbox" => push(mentions::mailbox(upn().as_deref(), None, None)),
        "mailmessage" => {
            let (message_id, subject, upn) =
                (t(&["NetworkMessageId"]), t(&["EmailSubject"]), upn());
            push(mentions::mail_message(&MailFacts {
                network_message_id: message_id.as_deref(),
                subject: subject.as_deref(),
                recipient: upn.as_deref(),
                ..Default::default()
            }))
        }
        "cloudapplication" => push(mentions::cloud_app(
            t(&["ApplicationId"]).as_deref(),
            t(&["Application"]).as_deref(),
            None,
        )),
        "oauthapplication" => push(mentions::cloud_app(
            t(&["OAuthApplicationId"]).as_deref(),
            t(&["Application"]).as_deref(),
            None,
        )),
        "registrykey" => push(mentions::registry_key(None, t(&["RegistryKey"]).as_deref())),
        "registryvalue" => push(mentions::registry_value(
            None,
            t(&["RegistryKey"]).as_deref(),
            t(&["RegistryValueName"]).as_deref(),
            t(&["RegistryValueData"]).as_deref(),
        )),
        "" => unknown.push("(no EntityType)".to_owned()),
        other => unknown.push(other.to_owned()),
    }
}

/// A row's file columns, read when its entity is a file or a process (whose image it is).
struct FileCells<'a>([Option<Cow<'a, str>>; 5]);

impl<'a> FileCells<'a> {
    fn read(row: &Row<'a>) -> Self {
        FileCells(["FileName", "FolderPath", "SHA1", "SHA256", "FileSize"].map(|n| row.text(&[n])))
    }

    fn facts(&self) -> FileFacts<'_> {
        let [name, path, sha1, sha256, size] = &self.0;
        FileFacts {
            name: name.as_deref(),
            path: path.as_deref(),
            sha1: sha1.as_deref(),
            sha256: sha256.as_deref(),
            size: size.as_deref(),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;
    use serde_json::json;

    fn provenance() -> Provenance {
        Provenance {
            file: "ah.csv".into(),
            location: "line 2".into(),
        }
    }

    fn evidence_row(
        row: &serde_json::Map<String, serde_json::Value>,
        known: Option<&Alert>,
    ) -> RawAlert {
        convert(
            &Row::new(row),
            Table::AlertEvidence,
            "t",
            provenance(),
            known,
        )
        .expect("valid")
    }

    #[test]
    fn alert_info_and_evidence_rows() {
        let info = json!({"Timestamp": "2022-11-08T08:42:17Z", "AlertId": "da1", "Title": "T", "Category": "Persistence",
                          "Severity": "Medium", "ServiceSource": "Microsoft Defender for Endpoint", "DetectionSource": "EDR",
                          "AttackTechniques": "[\"Valid Accounts (T1078)\",\"Cloud Accounts (T1078.004)\"]"});
        let serde_json::Value::Object(info) = info else {
            panic!("object")
        };
        let raw =
            convert(&Row::new(&info), Table::AlertInfo, "t", provenance(), None).expect("valid");
        assert_eq!(raw.alert.mitre_techniques, vec!["T1078", "T1078.004"]);
        assert_eq!(raw.alert.severity, Severity::Medium);
        assert!(raw.evidence.is_empty());

        let ev = json!({"Timestamp": "2022-11-08T08:41:56Z", "AlertId": "da1", "EntityType": "Process", "FileName": "a.exe",
                        "FolderPath": "C:\\T", "SHA1": "ab", "DeviceId": "dev1", "AdditionalFields": "{\"ProcessId\":\"1960\"}",
                        "Categories": "[\"Persistence\"]", "EvidenceRole": "Impacted"});
        let serde_json::Value::Object(ev) = ev else {
            panic!("object")
        };
        let raw = evidence_row(&ev, None);
        let kinds: Vec<EntityKind> = raw.evidence.iter().map(|e| e.mention.kind).collect();
        assert_eq!(kinds, vec![EntityKind::Process, EntityKind::File]);
        assert_eq!(raw.evidence[0].roles, vec!["impacted"]);
        assert_eq!(raw.alert.category, "Persistence");
    }

    /// A later row of an alert already read fills only what the alert lacks; what it already
    /// has is not read again (the merge would drop it), and its evidence and time always count.
    #[test]
    fn a_known_alert_takes_only_what_it_lacks_from_a_later_row() {
        let serde_json::Value::Object(row) = json!({"Timestamp": "2022-11-08T08:45:00Z", "AlertId": "da1",
            "Title": "Later title", "Severity": "High", "ServiceSource": "MDE", "ThreatFamily": "Qakbot",
            "EntityType": "Machine", "DeviceId": "dev1", "Categories": "[\"Execution\"]"})
        else {
            panic!("object")
        };
        let mut known = Alert::new(
            "da1".into(),
            chrono::DateTime::UNIX_EPOCH,
            chrono::DateTime::UNIX_EPOCH,
            provenance(),
        );
        known.title = "First title".into();
        known.severity = Severity::Medium;
        known.category = "Persistence".into();
        let raw = evidence_row(&row, Some(&known));
        assert_eq!(raw.alert.title, "", "the known title stays");
        assert_eq!(raw.alert.severity, Severity::Unknown);
        assert_eq!(raw.alert.category, "");
        assert_eq!(raw.alert.service_source, "MDE", "the known alert has none");
        assert_eq!(raw.alert.threat_name, "Qakbot");
        assert_eq!(raw.evidence.len(), 1);
        let mut merged = known.clone();
        merged.fill_missing_from(&raw.alert);
        let full = evidence_row(&row, None);
        let mut expected = known;
        expected.fill_missing_from(&full.alert);
        assert_eq!(
            merged, expected,
            "the merge is the same as with the whole row"
        );
    }
}
