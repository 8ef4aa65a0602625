//! The Defender APIs with flat, nullable entity records: the Defender for Endpoint alerts API
//! (`/api/alerts`, `evidence[]`) and the Defender XDR incidents API (`/api/incidents`, incidents
//! with `alerts[]`, each with `devices[]` and `entities[]`).
//!
//! Both write an entity as one record with an `entityType` and whichever of ~30 fields apply;
//! [`flat_entity`] turns one into mentions. Connectors often write one alert (or one entity) per
//! line: the same alert then arrives several times, and the dataset merges its evidence.

use super::mentions::{self, DeviceFacts, FileFacts, MailFacts, ProcessFacts, UserFacts};
use super::text::{lenient_vec, Text, TextList};
use super::{parse_time, RawAlert, RawEvidence, SourceIncident};
use crate::model::{
    Alert, AlertId, Comment, EntityMention, Provenance, Severity, Status, Sym, Verdict,
};
use serde::Deserialize;
use serde_json::Value;

/// One entity as both APIs write it.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireEntity {
    entity_type: Text,
    sha1: Text,
    sha256: Text,
    file_name: Text,
    file_path: Text,
    process_id: Text,
    process_command_line: Text,
    process_creation_time: Text,
    parent_process_id: Text,
    parent_process_file_name: Text,
    ip_address: Text,
    url: Text,
    account_name: Text,
    domain_name: Text,
    user_sid: Text,
    aad_user_id: Text,
    user_principal_name: Text,
    mailbox_display_name: Text,
    mailbox_address: Text,
    sender: Text,
    recipient: Text,
    subject: Text,
    delivery_action: Text,
    network_message_id: Text,
    security_group_id: Text,
    security_group_name: Text,
    registry_hive: Text,
    registry_key: Text,
    registry_value_name: Text,
    registry_value: Text,
    device_id: Text,
    detection_status: Text,
    evidence_creation_time: Text,
}

/// A device as the incidents API lists it under an alert.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireDevice {
    mdatp_device_id: Text,
    device_id: Text,
    aad_device_id: Text,
    device_dns_name: Text,
    os_platform: Text,
    os_build: Text,
    risk_score: Text,
    health_status: Text,
    rbac_group_name: Text,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireComment {
    comment: Text,
    created_by: Text,
    created_time: Text,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireRelatedUser {
    user_name: Text,
    domain_name: Text,
}

/// An alert of either API (the fields differ in name; both sets are read).
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireAlert {
    // MDE: `id`; incidents API: `alertId`.
    id: Text,
    alert_id: Text,
    incident_id: Text,
    investigation_id: Text,
    investigation_state: Text,
    assigned_to: Text,
    severity: Text,
    status: Text,
    classification: Text,
    determination: Text,
    detection_source: Text,
    service_source: Text,
    category: Text,
    threat_family_name: Text,
    threat_name: Text,
    title: Text,
    description: Text,
    mitre_techniques: TextList,
    // MDE times.
    alert_creation_time: Text,
    first_event_time: Text,
    last_event_time: Text,
    // Incidents API times.
    creation_time: Text,
    first_activity: Text,
    last_activity: Text,
    resolved_time: Text,
    machine_id: Text,
    computer_dns_name: Text,
    rbac_group_name: Text,
    aad_tenant_id: Text,
    related_user: Option<WireRelatedUser>,
    #[serde(deserialize_with = "lenient_vec")]
    comments: Vec<WireComment>,
    #[serde(deserialize_with = "lenient_vec")]
    evidence: Vec<WireEntity>,
    #[serde(deserialize_with = "lenient_vec")]
    entities: Vec<WireEntity>,
    #[serde(deserialize_with = "lenient_vec")]
    devices: Vec<WireDevice>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireIncident {
    incident_id: Text,
    incident_name: Text,
    redirect_incident_id: Text,
    created_time: Text,
    last_update_time: Text,
    assigned_to: Text,
    classification: Text,
    determination: Text,
    status: Text,
    severity: Text,
    tags: TextList,
    #[serde(deserialize_with = "lenient_vec")]
    comments: Vec<WireComment>,
    #[serde(deserialize_with = "lenient_vec")]
    alerts: Vec<WireAlert>,
}

/// A Defender for Endpoint `/api/alerts` record.
pub fn convert_mde_alert(value: Value, provenance: Provenance) -> Result<RawAlert, String> {
    let wire: WireAlert = serde_json::from_value(value)
        .map_err(|e| format!("not a Defender for Endpoint alert: {e}"))?;
    convert_alert(wire, None, provenance)
}

/// A Defender XDR `/api/incidents` record: the incident and its alerts.
pub fn convert_incident(
    value: Value,
    provenance: Provenance,
) -> Result<(SourceIncident, Vec<Result<RawAlert, String>>), String> {
    let wire: WireIncident =
        serde_json::from_value(value).map_err(|e| format!("not a Defender incident: {e}"))?;
    let incident_id = wire
        .incident_id
        .get()
        .ok_or("a Defender incident without an `incidentId`")?
        .to_owned();
    let incident = SourceIncident {
        source_incident_id: incident_id.clone(),
        display_name: wire.incident_name.or_empty().to_owned(),
        severity: Severity::parse(wire.severity.or_empty()),
        status: Status::parse(wire.status.or_empty()),
        redirected_to: wire.redirect_incident_id.get().map(str::to_owned),
        classification: wire
            .classification
            .get()
            .filter(|c| !c.eq_ignore_ascii_case("unknown"))
            .unwrap_or("")
            .to_owned(),
        determination: wire
            .determination
            .get()
            .filter(|c| !c.eq_ignore_ascii_case("notavailable"))
            .unwrap_or("")
            .to_owned(),
        assigned_to: wire.assigned_to.or_empty().to_owned(),
        tags: wire.tags.0,
        comments: comments(&wire.comments),
        created: parse_time(wire.created_time.get()),
        last_update: parse_time(wire.last_update_time.get()),
        alert_ids: wire
            .alerts
            .iter()
            .filter_map(|a| {
                a.alert_id
                    .get()
                    .or(a.id.get())
                    .map(|id| AlertId::new(id.to_owned()))
            })
            .collect(),
        provenance: provenance.clone(),
    };
    let alerts = wire
        .alerts
        .into_iter()
        .map(|alert| convert_alert(alert, Some(&incident_id), provenance.clone()))
        .collect();
    Ok((incident, alerts))
}

fn comments(wire: &[WireComment]) -> Vec<Comment> {
    wire.iter()
        .filter_map(|c| {
            Some(Comment {
                text: c.comment.get()?.to_owned(),
                author: c.created_by.or_empty().to_owned(),
                created: parse_time(c.created_time.get()),
            })
        })
        .collect()
}

fn convert_alert(
    wire: WireAlert,
    incident_id: Option<&str>,
    provenance: Provenance,
) -> Result<RawAlert, String> {
    let alert_id = wire
        .alert_id
        .get()
        .or(wire.id.get())
        .ok_or("a Defender alert without an `id` / `alertId`")?
        .to_owned();
    let created = parse_time(wire.alert_creation_time.get().or(wire.creation_time.get()));
    let first = parse_time(wire.first_event_time.get().or(wire.first_activity.get())).or(created);
    let last = parse_time(wire.last_event_time.get().or(wire.last_activity.get())).or(first);
    let (Some(first_activity), Some(last_activity)) = (first, last) else {
        return Err(format!("alert {alert_id} has no usable time (alertCreationTime / firstEventTime / creationTime)"));
    };
    let tenant_id = wire.aad_tenant_id.or_empty().to_owned();
    let mut evidence = Vec::new();
    let mut unknown = Vec::new();
    let context = |mention: Option<EntityMention>| {
        mention.map(|mention| RawEvidence {
            mention: mention.into(),
            verdict: Verdict::Unknown,
            remediation_status: Sym::default(),
            roles: vec![Sym::new("contextual")],
            first_seen: None,
        })
    };
    // The alert's own device and user (MDE), and the devices the incidents API lists.
    evidence.extend(context(mentions::device(&DeviceFacts {
        mde_device_id: wire.machine_id.get(),
        dns_name: wire.computer_dns_name.get(),
        rbac_group: wire.rbac_group_name.get(),
        ..Default::default()
    })));
    if let Some(user) = &wire.related_user {
        evidence.extend(context(mentions::user(&UserFacts {
            account_name: user.user_name.get(),
            domain_name: user.domain_name.get(),
            tenant_id: Some(&tenant_id),
            ..Default::default()
        })));
    }
    for device in &wire.devices {
        evidence.extend(context(mentions::device(&DeviceFacts {
            mde_device_id: device.mdatp_device_id.get().or(device.device_id.get()),
            aad_device_id: device.aad_device_id.get(),
            dns_name: device.device_dns_name.get(),
            os_platform: device.os_platform.get(),
            os_build: device.os_build.get(),
            risk_score: device.risk_score.get(),
            health_status: device.health_status.get(),
            rbac_group: device.rbac_group_name.get(),
            ..Default::default()
        })));
    }
    let device_key = wire.machine_id.get().map(str::to_owned);
    for entity in wire.evidence.iter().chain(&wire.entities) {
        flat_entity(
            entity,
            &tenant_id,
            device_key.as_deref(),
            &mut evidence,
            &mut unknown,
        );
    }
    let alert = Alert {
        aliases: Vec::new(),
        title: wire.title.get().unwrap_or("(untitled alert)").into(),
        description: wire.description.or_empty().into(),
        severity: Severity::parse(wire.severity.or_empty()),
        status: Status::parse(wire.status.or_empty()),
        category: wire.category.or_empty().into(),
        mitre_techniques: wire.mitre_techniques.0.into_iter().map(Sym::from).collect(),
        service_source: wire
            .service_source
            .get()
            .unwrap_or(if wire.machine_id.get().is_some() {
                "microsoftDefenderForEndpoint"
            } else {
                ""
            })
            .into(),
        detection_source: wire.detection_source.or_empty().into(),
        product_name: Sym::default(),
        created,
        resolved: parse_time(wire.resolved_time.get()),
        classification: wire.classification.or_empty().into(),
        determination: wire.determination.or_empty().into(),
        assigned_to: wire.assigned_to.or_empty().into(),
        threat_name: wire
            .threat_family_name
            .get()
            .or(wire.threat_name.get())
            .unwrap_or("")
            .into(),
        investigation_id: wire.investigation_id.or_empty().into(),
        investigation_state: wire.investigation_state.or_empty().into(),
        source_incident_id: incident_id
            .map(Sym::from)
            .or(wire.incident_id.get().map(Sym::from)),
        tenant_id: tenant_id.into(),
        comments: comments(&wire.comments),
        ..Alert::new(alert_id, first_activity, last_activity, provenance)
    };
    Ok(RawAlert {
        alert,
        evidence,
        unknown_evidence_types: unknown,
    })
}

/// One flat entity record → mentions (a process also names its image file and its user).
fn flat_entity(
    e: &WireEntity,
    tenant_id: &str,
    alert_device: Option<&str>,
    out: &mut Vec<RawEvidence>,
    unknown: &mut Vec<String>,
) {
    let mut push = |mention: Option<EntityMention>| {
        if let Some(mention) = mention {
            out.push(RawEvidence {
                mention: mention.into(),
                verdict: match e.detection_status.or_empty().to_ascii_lowercase().as_str() {
                    "detected" | "blocked" | "prevented" => Verdict::Malicious,
                    _ => Verdict::Unknown,
                },
                remediation_status: e.detection_status.or_empty().into(),
                roles: Vec::new(),
                first_seen: parse_time(e.evidence_creation_time.get()),
            });
        }
    };
    let file = FileFacts {
        name: e.file_name.get(),
        path: e.file_path.get(),
        sha256: e.sha256.get(),
        sha1: e.sha1.get(),
        ..Default::default()
    };
    let user = UserFacts {
        account_name: e.account_name.get(),
        domain_name: e.domain_name.get(),
        sid: e.user_sid.get(),
        aad_user_id: e.aad_user_id.get(),
        upn: e.user_principal_name.get(),
        display_name: None,
        tenant_id: Some(tenant_id),
    };
    match e.entity_type.or_empty().to_ascii_lowercase().as_str() {
        "file" => push(mentions::file(&file)),
        "process" => {
            push(mentions::process(&ProcessFacts {
                device_key: e.device_id.get().or(alert_device),
                process_id: e.process_id.get(),
                created: e.process_creation_time.get(),
                image_name: e.file_name.get(),
                command_line: e.process_command_line.get(),
                parent_process_id: e.parent_process_id.get(),
                parent_image_name: e.parent_process_file_name.get(),
            }));
            push(mentions::user(&user));
            out.extend(super::process_image(mentions::file(&file)));
        }
        "user" | "account" => push(mentions::user(&user)),
        "ip" => push(mentions::ip(e.ip_address.get(), tenant_id, None)),
        "url" => push(mentions::url(e.url.get())),
        "mailbox" => push(mentions::mailbox(
            e.mailbox_address.get(),
            e.user_principal_name.get(),
            e.mailbox_display_name.get(),
        )),
        "mailmessage" => push(mentions::mail_message(&MailFacts {
            network_message_id: e.network_message_id.get(),
            recipient: e.recipient.get(),
            subject: e.subject.get(),
            sender: e.sender.get(),
            delivery_action: e.delivery_action.get(),
            ..Default::default()
        })),
        "registry" => {
            if e.registry_value_name.get().is_some() {
                push(mentions::registry_value(
                    e.registry_hive.get(),
                    e.registry_key.get(),
                    e.registry_value_name.get(),
                    e.registry_value.get(),
                ));
            } else {
                push(mentions::registry_key(
                    e.registry_hive.get(),
                    e.registry_key.get(),
                ));
            }
        }
        "securitygroup" => push(mentions::other(
            "security-group",
            e.security_group_id.get(),
            e.security_group_name.get(),
        )),
        "mailcluster" => {}
        "" => {}
        other => unknown.push(other.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;
    use serde_json::json;

    fn provenance() -> Provenance {
        Provenance {
            file: "t.json".into(),
            location: "line 1".into(),
        }
    }

    #[test]
    fn an_mde_alert_names_its_machine_user_and_evidence() {
        let raw = convert_mde_alert(
            json!({"id": "da1_2", "incidentId": 11, "alertCreationTime": "2020-06-30T09:08:11Z", "severity": "Medium",
                   "machineId": "abc", "computerDnsName": "testserver4", "relatedUser": {"userName": "bob", "domainName": "CORP"},
                   "evidence": [{"entityType": "Process", "fileName": "notepad.exe", "filePath": "C:\\Windows", "sha1": "AA",
                                 "processId": 4104, "processCreationTime": "2020-06-30T09:45:38Z", "accountName": "bob", "domainName": "CORP"},
                                {"entityType": "Ip", "ipAddress": "198.51.100.4"}, {"entityType": "Widget"}]}),
            provenance(),
        )
        .expect("valid");
        let kinds: Vec<EntityKind> = raw.evidence.iter().map(|e| e.mention.kind).collect();
        assert_eq!(
            kinds,
            vec![
                EntityKind::Device,
                EntityKind::User,
                EntityKind::Process,
                EntityKind::User,
                EntityKind::File,
                EntityKind::Ip
            ]
        );
        assert_eq!(raw.alert.source_incident_id.as_deref(), Some("11"));
        assert_eq!(raw.alert.service_source, "microsoftDefenderForEndpoint");
        assert_eq!(raw.unknown_evidence_types, vec!["widget"]);
    }

    #[test]
    fn an_incident_carries_its_fields_and_its_alerts() {
        let (incident, alerts) = convert_incident(
            json!({"incidentId": 12, "incidentName": "Multi-stage", "redirectIncidentId": "None", "status": "Resolved",
                   "classification": "TruePositive", "determination": "NotAvailable", "tags": ["a"], "lastUpdateTime": "2020-09-23T19:44:36.29Z",
                   "alerts": {"alertId": "da9", "creationTime": "2020-06-30T10:00:00Z", "devices": [{"mdatpDeviceId": "75a6", "deviceDnsName": "TestServer4"}],
                              "entities": {"entityType": "File", "fileName": "x.exe", "sha1": "ff"}}}),
            provenance(),
        )
        .expect("valid");
        assert_eq!(incident.source_incident_id, "12");
        assert_eq!(incident.redirected_to, None);
        assert_eq!(incident.classification, "TruePositive");
        assert_eq!(incident.determination, "");
        assert_eq!(incident.alert_ids, vec![AlertId::new("da9")]);
        let alert = alerts.into_iter().next().expect("one").expect("valid");
        assert_eq!(alert.alert.source_incident_id.as_deref(), Some("12"));
        assert_eq!(alert.evidence.len(), 2);
    }
}
