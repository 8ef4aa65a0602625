//! Microsoft Graph security alerts v2 (`microsoft.graph.security.alert`) with polymorphic evidence.
//!
//! The wire structs are private: a record is read into them, converted into a [`RawAlert`] and
//! dropped. Evidence is dispatched on `@odata.type`; every type that names a device, user,
//! mailbox, message, IP, URL, file, process, cloud app, registry key or value, or domain becomes an
//! entity mention. Unknown evidence types are counted, never fatal.

use super::mentions::{self, DeviceFacts, FileFacts, MailFacts, ProcessFacts, UserFacts};
use super::text::TextList as Tags;
use super::text::{lenient_values, lenient_vec, Str, Text, TextList};
use super::{parse_time, RawAlert, RawEvidence, SourceIncident};
use crate::model::{Alert, Comment, Provenance, Severity, Status, Sym, Verdict};
use serde::Deserialize;
use serde_json::Value;

/// An alert record. `E` is how its evidence is read: not at all ([`Skip`], the value path, which
/// reads the evidence from the value) or straight into evidence structs ([`EvidenceItems`], the
/// typed path that [`TypedAlert`] takes from the bytes).
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
#[serde(bound(deserialize = "'de: 'a, E: Deserialize<'de> + Default"))]
struct WireAlert<'a, E> {
    id: Str<'a>,
    provider_alert_id: Str<'a>,
    incident_id: Str<'a>,
    status: Str<'a>,
    severity: Str<'a>,
    classification: Str<'a>,
    determination: Str<'a>,
    service_source: Str<'a>,
    detection_source: Str<'a>,
    product_name: Str<'a>,
    tenant_id: Str<'a>,
    title: Str<'a>,
    description: Str<'a>,
    category: Str<'a>,
    assigned_to: Str<'a>,
    threat_display_name: Str<'a>,
    threat_family_name: Str<'a>,
    investigation_state: Str<'a>,
    mitre_techniques: TextList,
    created_date_time: Str<'a>,
    first_activity_date_time: Str<'a>,
    last_activity_date_time: Str<'a>,
    resolved_date_time: Str<'a>,
    #[serde(deserialize_with = "lenient_vec")]
    comments: Vec<WireComment<'a>>,
    evidence: E,
    // What the record classifier looks at beyond the fields above (`ingest::classify`): read by
    // the typed path only, to take a record as a Graph alert exactly when the classifier would.
    #[serde(rename = "@odata.type")]
    odata_type: Str<'a>,
    properties: Present,
    display_name: Present,
    alerts: Present,
    incident_name: Present,
    last_update_time: Present,
    security_event_data_enrichment: Present,
    #[serde(rename = "SecurityEventDataEnrichment")]
    security_event_data_enrichment_pascal: Present,
    assessment_event_data_enrichment: Present,
}

/// Whether a key was there at all (with any value, `null` too).
#[derive(Default)]
struct Present(bool);

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| Present(true))
    }
}

/// The typed path's evidence: an array of objects, or one object, read straight into
/// [`WireEvidence`]. Anything else (`null`, a string, an array among the items) is an error, and
/// the record is then read again on the value path, which says what it makes of it.
#[derive(Default)]
#[allow(
    clippy::vec_box,
    reason = "an item is 2,336 bytes: boxed, it is written once, not moved at every growth"
)]
pub(crate) struct EvidenceItems<'a>(Vec<Box<WireEvidence<'a, Nested<'a>>>>);

impl<'de: 'a, 'a> Deserialize<'de> for EvidenceItems<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{MapAccess, SeqAccess, Visitor};
        struct Items;
        impl<'de> Visitor<'de> for Items {
            type Value = EvidenceItems<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("evidence objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(ObjectOnly(item)) = seq.next_element()? {
                    items.push(item);
                }
                Ok(EvidenceItems(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let item =
                    Deserialize::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(EvidenceItems(vec![Box::new(item)]))
            }
        }
        deserializer.deserialize_any(Items)
    }
}

/// One evidence object; any other JSON is an error.
struct ObjectOnly<'a>(Box<WireEvidence<'a, Nested<'a>>>);

impl<'de: 'a, 'a> Deserialize<'de> for ObjectOnly<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{MapAccess, Visitor};
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = ObjectOnly<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an evidence object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Deserialize::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|item| ObjectOnly(Box::new(item)))
            }
        }
        deserializer.deserialize_any(Object)
    }
}

/// Evidence nested in evidence (a network connection's addresses, a logon session's account and
/// host) on the typed path: an object read as evidence, anything else ignored, as
/// [`read_nested`] does on the value path.
#[derive(Default)]
pub(crate) struct Nested<'a>(Option<Box<WireEvidence<'a, Nested<'a>>>>);

impl<'de: 'a, 'a> Deserialize<'de> for Nested<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct Inner;
        impl<'de> Visitor<'de> for Inner {
            type Value = Nested<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("nested evidence")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let inner =
                    Deserialize::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Nested(Some(Box::new(inner))))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Nested(None))
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Nested(None))
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Nested(None))
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Nested(None))
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Nested(None))
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Nested(None))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(Nested(None))
            }
        }
        deserializer.deserialize_any(Inner)
    }
}

/// Evidence on the value path: not read here ([`convert`] and [`read_nested`] read it from the
/// value).
#[derive(Default)]
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| Skip)
    }
}

/// A Graph alert read straight from a record's bytes (the typed path: no `serde_json::Value` in
/// between). The JSON reader tries it on each element of a list; [`TypedAlert::is_graph_alert`]
/// and [`needs_value`] send the records it cannot take to the value path.
pub struct TypedAlert<'a>(WireAlert<'a, EvidenceItems<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for TypedAlert<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        WireAlert::deserialize(deserializer).map(TypedAlert)
    }
}

impl TypedAlert<'_> {
    /// True when `ingest::classify` would take the record as a Graph alert: none of the keys of
    /// the other formats, and one of a Graph alert's. Conservative: a record it says no to is
    /// classified on the value path.
    pub(crate) fn is_graph_alert(&self) -> bool {
        let w = &self.0;
        // `classify` reads `@odata.type` only when it is a string, untrimmed.
        let odata = w.odata_type.0.as_deref().unwrap_or("");
        let other_format = w.properties.0
            || w.display_name.0
            || w.alerts.0
            || w.incident_name.0
            || w.last_update_time.0
            || w.security_event_data_enrichment.0
            || w.security_event_data_enrichment_pascal.0
            || w.assessment_event_data_enrichment.0
            || odata.ends_with("security.incident");
        !other_format
            && (odata.ends_with("security.alert")
                || w.provider_alert_id.get().is_some()
                || w.first_activity_date_time.get().is_some()
                || (!w.evidence.0.is_empty() && w.service_source.get().is_some()))
    }
}

/// True when a record's text may hold a string that a depth-limited PowerShell export leaves
/// (`System.Object[]`, `@{...}`), literally or through `\u` escapes of its characters: such a
/// record is read on the value path, which reports it.
pub(crate) fn needs_value(text: &[u8]) -> bool {
    use memchr::memmem;
    if memmem::find(text, b"@{").is_some() || memmem::find(text, b"System.Object[]").is_some() {
        return true;
    }
    // Characters of those two strings, escaped: . @ O S [ ] b c e j m s t y { }
    const SPELLED: &[u8] = b".@OS[]bcejmsty{}";
    memmem::find_iter(text, b"\\u00").any(|at| {
        let hex = text
            .get(at + 4..at + 6)
            .and_then(|h| std::str::from_utf8(h).ok());
        hex.and_then(|h| u8::from_str_radix(h, 16).ok())
            .is_none_or(|b| SPELLED.contains(&b))
    })
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
#[serde(bound(deserialize = "'de: 'a"))]
struct WireComment<'a> {
    comment: Str<'a>,
    created_by_display_name: Str<'a>,
    created_date_time: Str<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
#[serde(bound(deserialize = "'de: 'a"))]
struct WireUserAccount<'a> {
    account_name: Str<'a>,
    domain_name: Str<'a>,
    user_sid: Str<'a>,
    azure_ad_user_id: Str<'a>,
    user_principal_name: Str<'a>,
    display_name: Str<'a>,
}

impl WireUserAccount<'_> {
    fn facts<'f>(&'f self, tenant_id: &'f str) -> UserFacts<'f> {
        UserFacts {
            tenant_id: Some(tenant_id),
            account_name: self.account_name.get(),
            domain_name: self.domain_name.get(),
            sid: self.user_sid.get(),
            aad_user_id: self.azure_ad_user_id.get(),
            upn: self.user_principal_name.get(),
            display_name: self.display_name.get(),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
#[serde(bound(deserialize = "'de: 'a"))]
struct WireFileDetails<'a> {
    file_name: Str<'a>,
    file_path: Str<'a>,
    sha1: Str<'a>,
    sha256: Str<'a>,
    md5: Str<'a>,
    file_size: Str<'a>,
    signer: Str<'a>,
    file_publisher: Str<'a>,
    /// On a process's image file ([`WireImageFile`]): its details nested; ignored elsewhere.
    file_details: Option<Box<WireFileDetails<'a>>>,
}

impl WireFileDetails<'_> {
    fn facts(&self) -> FileFacts<'_> {
        FileFacts {
            name: self.file_name.get(),
            path: self.file_path.get(),
            sha256: self.sha256.get(),
            sha1: self.sha1.get(),
            md5: self.md5.get(),
            size: self.file_size.get(),
            signer: self.signer.get(),
            publisher: self.file_publisher.get(),
        }
    }
}

/// A process's image file: file details, nested in `fileDetails` or (as real Graph exports write
/// them) straight on the image file. Read as [`WireFileDetails`], whose `file_details` holds the
/// nested ones (the fields are spelled out once rather than flattened: a flattened struct is
/// read through a buffer of every key).
type WireImageFile<'a> = WireFileDetails<'a>;

impl WireImageFile<'_> {
    fn name(&self) -> Option<&str> {
        self.file_details
            .as_ref()
            .and_then(|d| d.file_name.get())
            .or(self.file_name.get())
    }
}

/// Every field any supported evidence type carries; each type reads its own. `N` is how evidence
/// nested in it is read: [`Nested`] on the typed path, [`Skip`] on the value path (which reads it
/// from the value).
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
#[serde(bound(deserialize = "'de: 'a, N: Deserialize<'de> + Default"))]
pub(crate) struct WireEvidence<'a, N> {
    // every type: `None` when absent or null (nested evidence then takes its container's)
    #[serde(rename = "@odata.type")]
    odata_type: Str<'a>,
    created_date_time: Option<Str<'a>>,
    verdict: Option<Str<'a>>,
    remediation_status: Option<Str<'a>>,
    roles: Option<TextList>,
    // nested evidence
    source_address: N,
    destination_address: N,
    account: N,
    host: N,
    // device
    mde_device_id: Str<'a>,
    azure_ad_device_id: Str<'a>,
    device_dns_name: Str<'a>,
    host_name: Str<'a>,
    dns_domain: Str<'a>,
    os_platform: Str<'a>,
    os_build: Str<'a>,
    risk_score: Str<'a>,
    health_status: Str<'a>,
    rbac_group_name: Str<'a>,
    #[serde(deserialize_with = "lenient_vec")]
    logged_on_users: Vec<WireUserAccount<'a>>,
    // user, mailbox, process
    user_account: Option<WireUserAccount<'a>>,
    primary_address: Str<'a>,
    upn: Str<'a>,
    display_name: Str<'a>,
    // message
    network_message_id: Str<'a>,
    internet_message_id: Str<'a>,
    subject: Str<'a>,
    p1_sender: Str<'a>,
    p2_sender: Str<'a>,
    recipient_email_address: Str<'a>,
    sender_ip: Str<'a>,
    delivery_action: Str<'a>,
    delivery_location: Str<'a>,
    received_date_time: Str<'a>,
    // ip, url, dns
    ip_address: Str<'a>,
    country_letter_code: Str<'a>,
    url: Str<'a>,
    domain_name: Str<'a>,
    // file, process
    file_details: Option<WireFileDetails<'a>>,
    process_id: Str<'a>,
    process_command_line: Str<'a>,
    process_creation_date_time: Str<'a>,
    image_file: Option<WireImageFile<'a>>,
    parent_process_id: Str<'a>,
    parent_process_image_file: Option<WireImageFile<'a>>,
    // cloud apps
    app_id: Str<'a>,
    instance_name: Str<'a>,
    // registry
    registry_hive: Str<'a>,
    registry_key: Str<'a>,
    registry_value_name: Str<'a>,
    registry_value: Str<'a>,
    // file hashes
    algorithm: Str<'a>,
    value: Str<'a>,
    // malware, groups, resources
    name: Str<'a>,
    category: Str<'a>,
    security_group_id: Str<'a>,
    resource_id: Str<'a>,
    resource_name: Str<'a>,
}

/// A Graph `security.incident` with its alerts expanded (`$expand=alerts`): an array, or one
/// alert object per record as some connectors write it.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireIncident {
    id: Text,
    display_name: Text,
    status: Text,
    severity: Text,
    classification: Text,
    determination: Text,
    assigned_to: Text,
    redirect_incident_id: Text,
    created_date_time: Text,
    last_update_date_time: Text,
    tags: Tags,
    custom_tags: Tags,
    #[serde(deserialize_with = "lenient_vec")]
    comments: Vec<WireIncidentComment>,
    #[serde(deserialize_with = "lenient_values")]
    alerts: Vec<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireIncidentComment {
    comment: Text,
    created_by_display_name: Text,
    created_by: Text,
    created_date_time: Text,
    created_time: Text,
}

/// Converts a Graph incident record: the incident, and each alert (or why it could not be read).
pub fn convert_incident(
    value: Value,
    provenance: Provenance,
) -> Result<(SourceIncident, Vec<Result<RawAlert, String>>), String> {
    let wire: WireIncident =
        serde_json::from_value(value).map_err(|e| format!("not a Graph security incident: {e}"))?;
    let incident_id = wire
        .id
        .get()
        .ok_or("a Graph security incident without an `id`")?
        .to_owned();
    let alerts: Vec<Result<RawAlert, String>> = wire
        .alerts
        .into_iter()
        .map(|alert| {
            convert(alert, provenance.clone()).map(|mut raw| {
                // Membership in this incident is what the export says; the alert's own
                // `incidentId` may lag behind a merge.
                raw.alert.source_incident_id = Some(Sym::new(&incident_id));
                raw
            })
        })
        .collect();
    let mut tags = wire.tags.0;
    tags.extend(wire.custom_tags.0);
    let incident = SourceIncident {
        source_incident_id: incident_id.clone(),
        display_name: wire.display_name.or_empty().to_owned(),
        severity: Severity::parse(wire.severity.or_empty()),
        status: Status::parse(wire.status.or_empty()),
        redirected_to: wire.redirect_incident_id.get().map(str::to_owned),
        classification: wire
            .classification
            .get()
            .filter(|c| *c != "unknown")
            .unwrap_or("")
            .to_owned(),
        determination: wire
            .determination
            .get()
            .filter(|c| *c != "unknown")
            .unwrap_or("")
            .to_owned(),
        assigned_to: wire.assigned_to.or_empty().to_owned(),
        tags,
        comments: wire
            .comments
            .iter()
            .filter_map(|c| {
                Some(Comment {
                    text: c.comment.get()?.to_owned(),
                    author: c
                        .created_by_display_name
                        .get()
                        .or(c.created_by.get())
                        .unwrap_or("")
                        .to_owned(),
                    created: parse_time(c.created_date_time.get().or(c.created_time.get())),
                })
            })
            .collect(),
        created: parse_time(wire.created_date_time.get()),
        last_update: parse_time(wire.last_update_date_time.get()),
        alert_ids: alerts
            .iter()
            .filter_map(|a| a.as_ref().ok().map(|r| r.alert.alert_id.clone()))
            .collect(),
        provenance,
    };
    Ok((incident, alerts))
}

/// Converts one record; `Err` carries a message for the load's problem list.
pub fn convert(mut value: Value, provenance: Provenance) -> Result<RawAlert, String> {
    // The evidence is taken out and read item by item from its values (an array's items,
    // anything else, `null` too, as one item); the rest is read borrowing the value's strings.
    let evidence = value
        .as_object_mut()
        .and_then(|fields| fields.remove("evidence"));
    let wire = WireAlert::<Skip>::deserialize(&value)
        .map_err(|e| format!("not a Graph security alert: {e}"))?;
    let items = match evidence {
        Some(Value::Array(items)) => items,
        Some(other) => vec![other],
        None => Vec::new(),
    };
    from_wire(wire, provenance, |Skip, tenant_id, evidence, unknown| {
        for item in items {
            read_evidence(item, tenant_id, evidence, unknown);
        }
    })
}

/// Converts a record read on the typed path; the same alert as [`convert`] makes of its value.
pub(crate) fn convert_typed(
    alert: TypedAlert<'_>,
    provenance: Provenance,
) -> Result<RawAlert, String> {
    from_wire(
        alert.0,
        provenance,
        |items, tenant_id, evidence, unknown| {
            for item in &items.0 {
                read_typed(item, None, None, tenant_id, evidence, unknown);
            }
        },
    )
}

fn from_wire<E>(
    wire: WireAlert<'_, E>,
    provenance: Provenance,
    read: impl FnOnce(E, &str, &mut Vec<RawEvidence>, &mut Vec<String>),
) -> Result<RawAlert, String> {
    let alert_id = wire
        .id
        .get()
        .ok_or("a Graph security alert without an `id`")?
        .to_owned();
    let created = parse_time(wire.created_date_time.get());
    let first = parse_time(wire.first_activity_date_time.get()).or(created);
    let last = parse_time(wire.last_activity_date_time.get()).or(first);
    let (Some(first_activity), Some(last_activity)) = (first, last) else {
        return Err(format!(
            "alert {alert_id} has no usable time (createdDateTime / firstActivityDateTime)"
        ));
    };
    let tenant_id = wire.tenant_id.or_empty().to_owned();
    let mut evidence = Vec::new();
    let mut unknown_types = Vec::new();
    read(wire.evidence, &tenant_id, &mut evidence, &mut unknown_types);
    let aliases = wire
        .provider_alert_id
        .get()
        .filter(|p| *p != alert_id)
        .map(|p| vec![p.to_owned()])
        .unwrap_or_default();
    let alert = Alert {
        aliases,
        title: wire.title.get().unwrap_or("(untitled alert)").into(),
        description: wire.description.or_empty().into(),
        severity: Severity::parse(wire.severity.or_empty()),
        status: Status::parse(wire.status.or_empty()),
        category: wire.category.or_empty().into(),
        mitre_techniques: wire.mitre_techniques.0.into_iter().map(Sym::from).collect(),
        service_source: wire.service_source.or_empty().into(),
        detection_source: wire.detection_source.or_empty().into(),
        product_name: wire.product_name.or_empty().into(),
        created,
        resolved: parse_time(wire.resolved_date_time.get()),
        classification: wire.classification.or_empty().into(),
        determination: wire.determination.or_empty().into(),
        assigned_to: wire.assigned_to.or_empty().into(),
        threat_name: wire
            .threat_display_name
            .get()
            .or(wire.threat_family_name.get())
            .unwrap_or("")
            .into(),
        investigation_id: Sym::default(),
        investigation_state: wire.investigation_state.or_empty().into(),
        source_incident_id: wire.incident_id.get().map(Sym::from),
        tenant_id: tenant_id.into(),
        comments: wire
            .comments
            .iter()
            .filter_map(|c| {
                Some(Comment {
                    text: c.comment.get()?.to_owned(),
                    author: c.created_by_display_name.or_empty().to_owned(),
                    created: parse_time(c.created_date_time.get()),
                })
            })
            .collect(),
        ..Alert::new(alert_id, first_activity, last_activity, provenance)
    };
    Ok(RawAlert {
        alert,
        evidence,
        unknown_evidence_types: unknown_types,
    })
}

/// Reads `item[key]` (an evidence object without its own type) as evidence of `type_name`,
/// inheriting the outer item's verdict, remediation status and roles.
fn read_nested(
    item: &Value,
    key: &str,
    type_name: &str,
    tenant_id: &str,
    out: &mut Vec<RawEvidence>,
    unknown: &mut Vec<String>,
) {
    let Some(Value::Object(inner)) = item.get(key) else {
        return;
    };
    let mut nested = inner.clone();
    nested.insert(
        "@odata.type".to_owned(),
        Value::from(format!("#microsoft.graph.security.{type_name}")),
    );
    for inherited in ["verdict", "remediationStatus", "roles", "createdDateTime"] {
        if nested.get(inherited).is_none_or(|v| v.is_null()) {
            if let Some(v) = item.get(inherited) {
                nested.insert(inherited.to_owned(), v.clone());
            }
        }
    }
    read_evidence(Value::Object(nested), tenant_id, out, unknown);
}

/// Reads one evidence item given as a JSON value (the value path).
fn read_evidence(
    item: Value,
    tenant_id: &str,
    out: &mut Vec<RawEvidence>,
    unknown: &mut Vec<String>,
) {
    let read = match &item {
        Value::Object(_) => WireEvidence::<Skip>::deserialize(&item).ok(),
        _ => None,
    };
    let Some(ev) = read else {
        unknown.push("(unreadable evidence)".to_owned());
        return;
    };
    let odata = ev.odata_type.or_empty();
    let type_name = odata.rsplit('.').next().unwrap_or(odata);
    let base = Base::of(&ev, None::<&WireEvidence<Skip>>);
    read_item(
        &ev,
        &base,
        type_name,
        tenant_id,
        out,
        unknown,
        &mut |key, type_name, out, unknown| {
            read_nested(&item, key, type_name, tenant_id, out, unknown)
        },
    );
}

/// Reads one evidence item of the typed path; `outer` is the item it is nested in, whose
/// verdict, remediation status, roles and time it takes where it has none, and `type_name` the
/// type the container gives it.
fn read_typed(
    ev: &WireEvidence<'_, Nested<'_>>,
    outer: Option<&WireEvidence<'_, Nested<'_>>>,
    type_name: Option<&str>,
    tenant_id: &str,
    out: &mut Vec<RawEvidence>,
    unknown: &mut Vec<String>,
) {
    let odata = ev.odata_type.or_empty();
    let type_name = type_name.unwrap_or_else(|| odata.rsplit('.').next().unwrap_or(odata));
    let base = Base::of(ev, outer);
    read_item(
        ev,
        &base,
        type_name,
        tenant_id,
        out,
        unknown,
        &mut |key, type_name, out, unknown| {
            let inner = match key {
                "sourceAddress" => &ev.source_address,
                "destinationAddress" => &ev.destination_address,
                "account" => &ev.account,
                _ => &ev.host,
            };
            if let Some(inner) = &inner.0 {
                read_typed(inner, Some(ev), Some(type_name), tenant_id, out, unknown);
            }
        },
    );
}

static NO_TEXT: Str<'static> = Text(None);
static NO_TEXTS: TextList = TextList(Vec::new());

/// The fields every evidence type has, taken from the container where the item has none.
struct Base<'a, 'w> {
    created: &'a Str<'w>,
    verdict: &'a Str<'w>,
    remediation_status: &'a Str<'w>,
    roles: &'a TextList,
}

impl<'a, 'w> Base<'a, 'w> {
    fn of<N>(ev: &'a WireEvidence<'w, N>, outer: Option<&'a WireEvidence<'w, N>>) -> Base<'a, 'w> {
        Base {
            created: (ev.created_date_time.as_ref())
                .or(outer.and_then(|o| o.created_date_time.as_ref()))
                .unwrap_or(&NO_TEXT),
            verdict: (ev.verdict.as_ref())
                .or(outer.and_then(|o| o.verdict.as_ref()))
                .unwrap_or(&NO_TEXT),
            remediation_status: (ev.remediation_status.as_ref())
                .or(outer.and_then(|o| o.remediation_status.as_ref()))
                .unwrap_or(&NO_TEXT),
            roles: (ev.roles.as_ref())
                .or(outer.and_then(|o| o.roles.as_ref()))
                .unwrap_or(&NO_TEXTS),
        }
    }
}

/// What one evidence item of `type_name` names; `nested(key, type, ..)` reads the evidence nested
/// under `key` as `type`.
type ReadNested<'r> = dyn FnMut(&str, &str, &mut Vec<RawEvidence>, &mut Vec<String>) + 'r;

fn read_item<N>(
    ev: &WireEvidence<'_, N>,
    base: &Base,
    type_name: &str,
    tenant_id: &str,
    out: &mut Vec<RawEvidence>,
    unknown: &mut Vec<String>,
    nested: &mut ReadNested,
) {
    let push = |out: &mut Vec<RawEvidence>, mention: Option<crate::model::EntityMention>| {
        if let Some(mention) = mention {
            out.push(RawEvidence {
                mention: mention.into(),
                verdict: Verdict::parse(base.verdict.or_empty()),
                remediation_status: base.remediation_status.or_empty().into(),
                roles: base.roles.0.iter().map(Sym::from).collect(),
                first_seen: parse_time(base.created.get()),
            });
        }
    };
    let user_of = |account: &Option<WireUserAccount<'_>>| {
        account
            .as_ref()
            .and_then(|a| mentions::user(&a.facts(tenant_id)))
    };
    match type_name {
        "deviceEvidence" => {
            push(
                out,
                mentions::device(&DeviceFacts {
                    mde_device_id: ev.mde_device_id.get(),
                    aad_device_id: ev.azure_ad_device_id.get(),
                    dns_name: ev.device_dns_name.get(),
                    host_name: ev.host_name.get(),
                    dns_domain: ev.dns_domain.get(),
                    os_platform: ev.os_platform.get(),
                    os_build: ev.os_build.get(),
                    risk_score: ev.risk_score.get(),
                    health_status: ev.health_status.get(),
                    rbac_group: ev.rbac_group_name.get(),
                }),
            );
            for logged_on in &ev.logged_on_users {
                push(out, mentions::user(&logged_on.facts(tenant_id)));
            }
        }
        "userEvidence" => push(out, user_of(&ev.user_account)),
        "mailboxEvidence" => {
            push(
                out,
                mentions::mailbox(
                    ev.primary_address.get(),
                    ev.upn.get(),
                    ev.display_name.get(),
                ),
            );
            push(out, user_of(&ev.user_account));
        }
        "analyzedMessageEvidence" => push(
            out,
            mentions::mail_message(&MailFacts {
                network_message_id: ev.network_message_id.get(),
                internet_message_id: ev.internet_message_id.get(),
                recipient: ev.recipient_email_address.get(),
                subject: ev.subject.get(),
                sender: ev.p1_sender.get().or(ev.p2_sender.get()),
                sender_ip: ev.sender_ip.get(),
                delivery_action: ev.delivery_action.get(),
                delivery_location: ev.delivery_location.get(),
                received: ev.received_date_time.get(),
            }),
        ),
        "ipEvidence" => push(
            out,
            mentions::ip(ev.ip_address.get(), tenant_id, ev.country_letter_code.get()),
        ),
        "urlEvidence" => push(out, mentions::url(ev.url.get())),
        "fileEvidence" => {
            if let Some(details) = &ev.file_details {
                push(out, mentions::file(&details.facts()));
            }
        }
        "processEvidence" => {
            let image_name = ev.image_file.as_ref().and_then(WireImageFile::name);
            push(
                out,
                mentions::process(&ProcessFacts {
                    device_key: ev.mde_device_id.get(),
                    process_id: ev.process_id.get(),
                    created: ev.process_creation_date_time.get(),
                    image_name,
                    command_line: ev.process_command_line.get(),
                    parent_process_id: ev.parent_process_id.get(),
                    parent_image_name: ev
                        .parent_process_image_file
                        .as_ref()
                        .and_then(WireImageFile::name),
                }),
            );
            // The image file is named too (its hash and path show), as context.
            let before = out.len();
            if let Some(details) = ev.image_file.as_ref().and_then(|i| i.file_details.as_ref()) {
                push(out, mentions::file(&details.facts()));
            } else if let Some(image) = &ev.image_file {
                // Hashes, path and name straight on `imageFile`, as Graph writes them.
                push(out, mentions::file(&image.facts()));
            }
            super::mark_process_image(&mut out[before..]);
            push(out, user_of(&ev.user_account));
        }
        "cloudApplicationEvidence" | "oauthApplicationEvidence" => push(
            out,
            mentions::cloud_app(
                ev.app_id.get(),
                ev.display_name.get(),
                ev.instance_name.get(),
            ),
        ),
        "registryKeyEvidence" => push(
            out,
            mentions::registry_key(ev.registry_hive.get(), ev.registry_key.get()),
        ),
        "registryValueEvidence" => push(
            out,
            mentions::registry_value(
                ev.registry_hive.get(),
                ev.registry_key.get(),
                ev.registry_value_name.get(),
                ev.registry_value.get(),
            ),
        ),
        "dnsEvidence" => push(out, mentions::domain(ev.domain_name.get())),
        "fileHashEvidence" => {
            let value = ev.value.get();
            let algorithm = ev.algorithm.or_empty().to_ascii_lowercase();
            push(
                out,
                mentions::file(&FileFacts {
                    sha256: value.filter(|_| algorithm == "sha256"),
                    sha1: value.filter(|_| algorithm == "sha1"),
                    md5: value.filter(|_| algorithm == "md5"),
                    ..Default::default()
                }),
            );
        }
        // Evidence that nests other evidence: each nested object is read as its own type, with
        // this item's verdict and roles.
        "networkConnectionEvidence" => {
            for key in ["sourceAddress", "destinationAddress"] {
                nested(key, "ipEvidence", out, unknown);
            }
        }
        "hostLogonSessionEvidence" => {
            nested("account", "userEvidence", out, unknown);
            nested("host", "deviceEvidence", out, unknown);
        }
        "cloudLogonSessionEvidence" => {
            nested("account", "userEvidence", out, unknown);
        }
        "malwareEvidence" => push(out, mentions::other("malware", None, ev.name.get())),
        "securityGroupEvidence" => push(
            out,
            mentions::other(
                "security-group",
                ev.security_group_id.get(),
                ev.display_name.get(),
            ),
        ),
        "azureResourceEvidence" => push(
            out,
            mentions::other(
                "azure-resource",
                ev.resource_id.get(),
                ev.resource_name.get(),
            ),
        ),
        other => unknown.push(if other.is_empty() {
            "(untyped)".to_owned()
        } else {
            other.to_owned()
        }),
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
            location: "record 1".into(),
        }
    }

    /// What each path makes of a record's text: the value path always, the typed path when it
    /// takes the record.
    fn both_paths(text: &str) -> (String, Option<String>) {
        let value: Value = serde_json::from_str(text).expect("valid test json");
        let by_value = format!("{:?}", convert(value, provenance()));
        let typed = serde_json::from_str::<TypedAlert>(text)
            .ok()
            .filter(|t| t.is_graph_alert() && !needs_value(text.as_bytes()))
            .map(|t| format!("{:?}", convert_typed(t, provenance())));
        (by_value, typed)
    }

    #[test]
    fn the_typed_path_reads_what_the_value_path_reads() {
        let records = [
            // Nested evidence: the container's verdict, roles and time where the nested object
            // has none (absent or null), its own where it has them, `[]` roles kept as its own.
            r##"{"@odata.type":"#microsoft.graph.security.alert","id":"a1","createdDateTime":"2026-09-01T08:00:00Z","evidence":[
                {"@odata.type":"#microsoft.graph.security.networkConnectionEvidence","verdict":"malicious","roles":["attacker"],"createdDateTime":"2026-09-01T07:00:00Z",
                 "sourceAddress":{"ipAddress":"10.1.2.3","verdict":null,"roles":[]},"destinationAddress":{"ipAddress":"198.51.100.7","verdict":"suspicious","@odata.type":"x.urlEvidence"}},
                {"@odata.type":"#microsoft.graph.security.hostLogonSessionEvidence","roles":null,
                 "account":{"userAccount":{"accountName":"eve","domainName":"CORP","userSid":"S-1-5-21-4-5-6-1107"}},
                 "host":"not an object"},
                {"@odata.type":"#microsoft.graph.security.cloudLogonSessionEvidence","account":[1,2],"verdict":{"odd":1}}
            ]}"##,
            // Every type read, scalars of every JSON type, unknown keys and types.
            r##"{"id":"a2","providerAlertId":"p2","tenantId":"t1","severity":"high","status":"new","firstActivityDateTime":"2026-09-01T08:00:00Z","lastActivityDateTime":"2026-09-01T09:00:00Z",
                "mitreTechniques":"T1059","comments":{"comment":"one","createdByDisplayName":"ann"},"extra":{"deep":[{"x":"y"}]},"serviceSource":"microsoftDefenderForEndpoint",
                "evidence":[
                {"@odata.type":"#microsoft.graph.security.deviceEvidence","mdeDeviceId":"d1","deviceDnsName":"ws1.corp.example","osBuild":22621,"riskScore":"high","loggedOnUsers":[{"accountName":"bob","domainName":"CORP"}],"detailedRoles":["x"]},
                {"@odata.type":"#microsoft.graph.security.userEvidence","userAccount":{"accountName":"bob","domainName":"CORP","userSid":"S-1-5-21-1-2-3-1001","userPrincipalName":"bob@corp.example"}},
                {"@odata.type":"#microsoft.graph.security.mailboxEvidence","primaryAddress":"bob@corp.example","displayName":"Bob"},
                {"@odata.type":"#microsoft.graph.security.analyzedMessageEvidence","networkMessageId":"n1","p2Sender":"x@evil.example","senderIp":"203.0.113.9","recipientEmailAddress":"bob@corp.example"},
                {"@odata.type":"#microsoft.graph.security.urlEvidence","url":"https://evil.example/a"},
                {"@odata.type":"#microsoft.graph.security.fileEvidence","fileDetails":{"fileName":"a.exe","sha256":"AB","fileSize":1234}},
                {"@odata.type":"#microsoft.graph.security.processEvidence","processId":7,"mdeDeviceId":"d1","imageFile":{"fileName":"b.exe","sha1":"CD"},"parentProcessImageFile":{"fileDetails":{"fileName":"c.exe"}}},
                {"@odata.type":"#microsoft.graph.security.cloudApplicationEvidence","appId":11,"displayName":"App"},
                {"@odata.type":"#microsoft.graph.security.registryValueEvidence","registryHive":"HKLM","registryKey":"Run","registryValueName":"x","registryValue":"y"},
                {"@odata.type":"#microsoft.graph.security.dnsEvidence","domainName":"evil.example"},
                {"@odata.type":"#microsoft.graph.security.fileHashEvidence","algorithm":"SHA1","value":"EF"},
                {"@odata.type":"#microsoft.graph.security.malwareEvidence","name":"Mal"},
                {"@odata.type":"#microsoft.graph.security.kubernetesPodEvidence"},
                {"verdict":"benign"}
            ]}"##,
            // One evidence object where a list is expected; no time (an error on both paths).
            r##"{"id":"a3","firstActivityDateTime":"2026-09-01T08:00:00Z","evidence":{"@odata.type":"#microsoft.graph.security.ipEvidence","ipAddress":"192.0.2.1"}}"##,
            r##"{"id":"a4","providerAlertId":"a4","evidence":[]}"##,
        ];
        for text in records {
            let (by_value, typed) = both_paths(text);
            assert_eq!(typed.as_deref(), Some(by_value.as_str()), "{text}");
        }
    }

    #[test]
    fn records_the_typed_path_leaves_to_the_value_path() {
        let records = [
            // Evidence that is not objects.
            r##"{"id":"b1","providerAlertId":"p","createdDateTime":"2026-09-01T08:00:00Z","evidence":null}"##,
            r##"{"id":"b2","providerAlertId":"p","createdDateTime":"2026-09-01T08:00:00Z","evidence":["@ip"]}"##,
            // Another export's keys.
            r##"{"id":"b3","providerAlertId":"p","properties":{"SystemAlertId":"x"}}"##,
            r##"{"id":"b4","displayName":"inc","alerts":[]}"##,
            r##"{"@odata.type":"#microsoft.graph.security.incident","id":"b5"}"##,
            r##"{"id":"b6","incidentId":"1","incidentName":"x","firstActivityDateTime":"2026-09-01T08:00:00Z"}"##,
            r##"{"id":"b7","title":"no Graph key"}"##,
            // What a depth-limited PowerShell export leaves, plain or escaped.
            r##"{"id":"b8","providerAlertId":"p","evidence":[{"userAccount":"@{accountName=x}"}]}"##,
            r##"{"id":"b9","providerAlertId":"p","roles":"System.Object[]"}"##,
            r##"{"id":"b10","providerAlertId":"p","x":"\u0040{a=1}"}"##,
            // A duplicate key: the value keeps the last, the wire struct refuses it.
            r##"{"id":"b11","id":"b12","providerAlertId":"p","createdDateTime":"2026-09-01T08:00:00Z"}"##,
        ];
        for text in records {
            assert_eq!(both_paths(text).1, None, "{text}");
        }
        assert!(!needs_value(br#"{"x":"it\u0027s \u003cb\u003e"}"#));
    }

    #[test]
    fn an_alert_without_id_or_time_is_a_problem_not_a_panic() {
        assert!(convert(json!({"title": "x"}), provenance()).is_err());
        assert!(convert(json!({"id": "a1"}), provenance()).is_err());
        assert!(convert(json!("text"), provenance()).is_err());
    }

    #[test]
    fn nested_and_hash_evidence_become_entities() {
        let raw = convert(
            json!({
                "id": "a2", "createdDateTime": "2026-09-01T08:00:00Z",
                "evidence": [
                    {"@odata.type": "#microsoft.graph.security.networkConnectionEvidence", "verdict": "suspicious",
                     "sourceAddress": {"ipAddress": "10.1.2.3"}, "destinationAddress": {"ipAddress": "198.51.100.7"}, "destinationPort": 443},
                    {"@odata.type": "#microsoft.graph.security.hostLogonSessionEvidence",
                     "account": {"userAccount": {"accountName": "eve", "domainName": "CORP", "userSid": "S-1-5-21-4-5-6-1107"}},
                     "host": {"deviceDnsName": "ws-9.corp.example", "mdeDeviceId": "beef"}},
                    {"@odata.type": "#microsoft.graph.security.fileHashEvidence", "algorithm": "sha256", "value": "AB12"}
                ]
            }),
            provenance(),
        )
        .expect("a valid alert");
        let kinds: Vec<EntityKind> = raw.evidence.iter().map(|e| e.mention.kind).collect();
        assert_eq!(
            kinds,
            vec![
                EntityKind::Ip,
                EntityKind::Ip,
                EntityKind::User,
                EntityKind::Device,
                EntityKind::File
            ]
        );
        assert_eq!(
            raw.evidence[1].verdict,
            Verdict::Suspicious,
            "nested evidence inherits the verdict"
        );
        assert!(
            raw.unknown_evidence_types.is_empty(),
            "{:?}",
            raw.unknown_evidence_types
        );
    }

    #[test]
    fn process_evidence_yields_process_image_file_and_user() {
        let raw = convert(
            json!({
                "id": "a1", "createdDateTime": "2026-09-01T08:00:00Z", "severity": "High",
                "evidence": [{
                    "@odata.type": "#microsoft.graph.security.processEvidence",
                    "verdict": "malicious", "remediationStatus": "prevented", "roles": ["attacker"],
                    "processId": 4321, "mdeDeviceId": "ABC", "processCreationDateTime": "2026-09-01T07:59:00Z",
                    "processCommandLine": "evil.exe -x",
                    "imageFile": {"fileDetails": {"fileName": "evil.exe", "filePath": "C:\\t", "sha256": "AA"}},
                    "userAccount": {"accountName": "bob", "domainName": "CORP", "userSid": "S-1-5-21-9-9-9-1001"}
                }, {"@odata.type": "#microsoft.graph.security.kubernetesPodEvidence"}]
            }),
            provenance(),
        )
        .expect("a valid alert");
        let kinds: Vec<EntityKind> = raw.evidence.iter().map(|e| e.mention.kind).collect();
        assert_eq!(
            kinds,
            vec![EntityKind::Process, EntityKind::File, EntityKind::User]
        );
        let verdicts: Vec<Verdict> = raw.evidence.iter().map(|e| e.verdict).collect();
        // The image file is context: the process's verdict is not the file's.
        assert_eq!(
            verdicts,
            vec![Verdict::Malicious, Verdict::Unknown, Verdict::Malicious]
        );
        assert_eq!(
            raw.evidence[1].roles,
            vec![crate::ingest::ROLE_PROCESS_IMAGE]
        );
        assert_eq!(raw.unknown_evidence_types, vec!["kubernetesPodEvidence"]);
        assert_eq!(raw.alert.severity, Severity::High);
    }
}
