//! Microsoft Sentinel: `SecurityAlert` and `SecurityIncident` rows (Log Analytics table exports as
//! CSV or JSON, where `Entities`, `ExtendedProperties`, `AlertIds` and `Owner` are JSON written
//! into a string), and the same objects from the Sentinel REST API (`properties.systemAlertId`,
//! `properties.incidentNumber`).
//!
//! `Entities` is a list whose members refer to each other by `$id` / `{"$ref": n}` (a process
//! names its host and image file by reference); references are resolved before conversion, and
//! every entity object met, nested or not, becomes a mention.

use super::json_cell::{Json, Object};
use super::mentions::{self, DeviceFacts, FileFacts, MailFacts, ProcessFacts, UserFacts};
use super::tabular::Row;
use super::{parse_time, RawAlert, RawEvidence, SourceIncident};
use crate::model::{
    Alert, AlertId, Comment, EntityMention, Provenance, Severity, Status, Sym, Verdict, UNTITLED,
};
use crate::model::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::borrow::Cow;
use std::hash::{BuildHasher, Hasher};

pub fn convert_alert(row: &Row, provenance: Provenance) -> Result<RawAlert, String> {
    let alert_id = row
        .text(&["SystemAlertId"])
        .ok_or("a Sentinel alert without a `SystemAlertId`")?;
    let start = parse_time(row.text(&["StartTime", "StartTimeUtc"]).as_deref());
    let generated = parse_time(row.text(&["TimeGenerated"]).as_deref());
    let end = parse_time(row.text(&["EndTime", "EndTimeUtc"]).as_deref());
    let (Some(first), Some(last)) = (start.or(generated), end.or(start).or(generated)) else {
        return Err(format!(
            "alert {alert_id} has no usable time (StartTime / TimeGenerated)"
        ));
    };
    let tenant_id = row
        .text(&["TenantId", "WorkspaceSubscriptionId"])
        .unwrap_or_default();
    let mut evidence = Vec::new();
    let mut unknown = Vec::new();
    if let Some(Json::Array(entities)) = row.json_cell("Entities") {
        for object in resolve_references(entities) {
            let Some(mention) = entity(&object, &tenant_id, &mut unknown) else {
                continue;
            };
            evidence.push(RawEvidence {
                mention: mention.into(),
                verdict: Verdict::Unknown,
                remediation_status: Sym::default(),
                roles: Vec::new(),
                first_seen: None,
            });
        }
    }
    let aliases = row
        .text(&["VendorOriginalId", "ProviderAlertId"])
        .filter(|v| *v != alert_id)
        .into_iter()
        .map(String::from)
        .collect();
    let tactics = row.list("Tactics");
    let alert = Alert {
        aliases,
        title: row
            .text(&["DisplayName", "AlertDisplayName", "AlertName"])
            .map_or_else(|| Sym::new(UNTITLED), Sym::from),
        description: row.text(&["Description"]).unwrap_or_default().into(),
        severity: Severity::parse(&row.text(&["AlertSeverity", "Severity"]).unwrap_or_default()),
        status: Status::parse(&row.text(&["Status"]).unwrap_or_default()),
        category: tactics
            .into_iter()
            .find(|t| !t.eq_ignore_ascii_case("unknown"))
            .unwrap_or_default()
            .into(),
        mitre_techniques: row
            .list("Techniques")
            .into_iter()
            .chain(row.list("SubTechniques"))
            .map(Sym::from)
            .collect(),
        service_source: row.text(&["ProductName"]).unwrap_or_default().into(),
        detection_source: row
            .text(&["ProviderName", "ProductComponentName"])
            .unwrap_or_default()
            .into(),
        product_name: row.text(&["ProductName"]).unwrap_or_default().into(),
        created: generated,
        tenant_id: tenant_id.into(),
        ..Alert::new(alert_id.into_owned(), first, last, provenance)
    };
    Ok(RawAlert {
        alert,
        evidence,
        unknown_evidence_types: unknown,
    })
}

pub fn convert_incident(row: &Row, provenance: Provenance) -> Result<SourceIncident, String> {
    let number = row
        .text(&["IncidentNumber", "ProviderIncidentId", "IncidentName"])
        .ok_or("a Sentinel incident without an `IncidentNumber`")?;
    let owner = row.json_cell("Owner");
    let owner_text = |key: &str| {
        owner
            .as_ref()
            .and_then(|o| o.get(key))
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let labels = match row.json_cell("Labels") {
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(|l| {
                l.get("labelName")
                    .or(l.get("LabelName"))
                    .and_then(Json::as_str)
                    .map(str::to_owned)
            })
            .collect(),
        _ => Vec::new(),
    };
    let comments = match row.json_cell("Comments") {
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(|c| {
                Some(Comment {
                    text: c
                        .get("message")
                        .or(c.get("Message"))
                        .and_then(Json::as_str)?
                        .to_owned(),
                    author: c
                        .get("author")
                        .and_then(|a| a.get("name"))
                        .and_then(Json::as_str)
                        .unwrap_or("")
                        .to_owned(),
                    created: parse_time(c.get("createdTimeUtc").and_then(Json::as_str)),
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(SourceIncident {
        source_incident_id: number.into_owned(),
        display_name: row.text(&["Title"]).unwrap_or_default().into_owned(),
        severity: Severity::parse(&row.text(&["Severity"]).unwrap_or_default()),
        status: Status::parse(&row.text(&["Status"]).unwrap_or_default()),
        redirected_to: None,
        classification: row
            .text(&["Classification"])
            .filter(|c| c != "Undetermined")
            .unwrap_or_default()
            .into_owned(),
        determination: row
            .text(&["ClassificationReason"])
            .unwrap_or_default()
            .into_owned(),
        assigned_to: owner_text("assignedTo")
            .or(owner_text("userPrincipalName"))
            .or(owner_text("email"))
            .unwrap_or_default(),
        tags: labels,
        comments,
        created: parse_time(row.text(&["CreatedTime", "CreatedTimeUtc"]).as_deref()),
        last_update: parse_time(
            row.text(&["LastModifiedTime", "LastModifiedTimeUtc", "TimeGenerated"])
                .as_deref(),
        ),
        alert_ids: row
            .list("AlertIds")
            .into_iter()
            .map(AlertId::from)
            .collect(),
        provenance,
    })
}

/// Every entity object of a Sentinel `Entities` list, nested ones included, with `{"$ref": n}`
/// replaced by the object defined as `"$id": n`. Exports reuse `$id` values (several entity
/// lists written one after another), so a reference means the latest definition before it, in
/// document order; and the same entity written twice is emitted once.
fn resolve_references(entities: Vec<Json<'_>>) -> Vec<Object<'_>> {
    /// A `$id` or `$ref`: a string (borrowed) or a number (written out), which name alike.
    fn id_of<'a>(v: &Json<'a>) -> Option<Cow<'a, str>> {
        match v {
            Json::String(s) => Some(s.clone()),
            _ => v.as_u64().map(|n| Cow::Owned(n.to_string())),
        }
    }
    /// The ids some `$ref` names, looked for where the walk below looks (a definition no
    /// reference names need not be kept).
    fn referenced<'a>(value: &Json<'a>, depth: usize, ids: &mut HashSet<Cow<'a, str>>) {
        match value {
            Json::Object(map) if depth < 8 => {
                if let Some(reference) = map.get("$ref").and_then(id_of) {
                    ids.insert(reference);
                    return;
                }
                for (_, v) in map.iter() {
                    referenced(v, depth + 1, ids);
                }
            }
            Json::Array(items) if depth < 8 => {
                for v in items {
                    referenced(v, depth + 1, ids);
                }
            }
            _ => {}
        }
    }
    struct Walk<'a> {
        /// The ids a `$ref` names somewhere in the list.
        referenced: HashSet<Cow<'a, str>>,
        defined: HashMap<Cow<'a, str>, Json<'a>>,
        out: Vec<Object<'a>>,
        /// The entities in `out` by a digest of their content (without `$id`); equal content is
        /// then compared in full, so a collision never drops an entity.
        emitted: HashMap<u64, Vec<usize>>,
        digest: foldhash::fast::FixedState,
    }
    impl<'a> Walk<'a> {
        /// `value` with its references replaced. `kept` is false for an item of the list itself,
        /// whose result is not used (so an entity there is moved, not copied, into `out`).
        fn resolve(&mut self, value: Json<'a>, depth: usize, kept: bool) -> Json<'a> {
            match value {
                Json::Object(mut resolved) if depth < 8 => {
                    if let Some(reference) = resolved.get("$ref").and_then(id_of) {
                        return self.defined.get(&reference).cloned().unwrap_or(Json::Null);
                    }
                    let id = resolved.get("$id").and_then(id_of);
                    // In place: only objects and lists change (a scalar resolves to itself).
                    for v in resolved.values_mut() {
                        if matches!(v, Json::Object(_) | Json::Array(_)) {
                            *v = self.resolve(std::mem::replace(v, Json::Null), depth + 1, true);
                        }
                    }
                    if let Some(id) = id.filter(|id| self.referenced.contains(id)) {
                        self.defined.insert(id, Json::Object(resolved.clone()));
                    }
                    if resolved.contains_key("Type") || resolved.contains_key("type") {
                        let digest = {
                            let mut h = self.digest.build_hasher();
                            hash_content(&resolved, &mut h);
                            h.finish()
                        };
                        let out = &self.out;
                        let seen = self.emitted.entry(digest).or_default();
                        if !seen.iter().any(|&i| same_content(&out[i], &resolved)) {
                            seen.push(self.out.len());
                            if !kept {
                                self.out.push(resolved);
                                return Json::Null;
                            }
                            self.out.push(resolved.clone());
                        }
                    }
                    Json::Object(resolved)
                }
                Json::Array(mut items) if depth < 8 => {
                    for v in &mut items {
                        if matches!(v, Json::Object(_) | Json::Array(_)) {
                            *v = self.resolve(std::mem::replace(v, Json::Null), depth + 1, true);
                        }
                    }
                    Json::Array(items)
                }
                Json::Object(_) | Json::Array(_) => Json::Null,
                other => other,
            }
        }
    }
    let mut ids = HashSet::new();
    for entity in &entities {
        referenced(entity, 0, &mut ids);
    }
    let mut walk = Walk {
        referenced: ids,
        defined: HashMap::new(),
        out: Vec::new(),
        emitted: HashMap::new(),
        digest: foldhash::fast::FixedState::default(),
    };
    for entity in entities {
        walk.resolve(entity, 0, false);
    }
    walk.out
}

/// An entity object's members but `$id`, in order.
fn content<'o, 'a>(map: &'o Object<'a>) -> impl Iterator<Item = (&'o str, &'o Json<'a>)> {
    map.iter().filter(|(k, _)| *k != "$id")
}

/// Whether two entity objects say the same thing (`$id` aside).
fn same_content(a: &Object, b: &Object) -> bool {
    content(a).eq(content(b))
}

/// A digest of what [`same_content`] compares: equal content, equal digest.
fn hash_content<H: std::hash::Hasher>(map: &Object, h: &mut H) {
    for (k, v) in content(map) {
        h.write(k.as_bytes());
        h.write_u8(0xff);
        hash_value(v, h);
    }
}

fn hash_value<H: std::hash::Hasher>(v: &Json, h: &mut H) {
    match v {
        Json::Null => h.write_u8(0),
        Json::Bool(b) => h.write_u8(if *b { 1 } else { 2 }),
        Json::Number(n) => {
            h.write_u8(3);
            // Equal numbers have equal f64 values; 0.0 == -0.0 hash alike.
            let f = n.as_f64().unwrap_or(0.0);
            h.write_u64(if f == 0.0 { 0 } else { f.to_bits() });
        }
        Json::String(s) => {
            h.write_u8(4);
            h.write(s.as_bytes());
            h.write_u8(0xff);
        }
        Json::Array(items) => {
            h.write_u8(5);
            h.write_usize(items.len());
            for item in items {
                hash_value(item, h);
            }
        }
        Json::Object(map) => {
            h.write_u8(6);
            h.write_usize(map.len());
            for (k, v) in map.iter() {
                h.write(k.as_bytes());
                h.write_u8(0xff);
                hash_value(v, h);
            }
        }
    }
}

/// One Sentinel entity object → a mention (see the entities reference in FORMATS.md).
fn entity(object: &Object, tenant_id: &str, unknown: &mut Vec<String>) -> Option<EntityMention> {
    let t = |names: &[&str]| object.text(names);
    let kind = t(&["Type"]).unwrap_or_default().to_ascii_lowercase();
    match kind.as_str() {
        "account" => {
            let (name, nt, dns, upn_suffix, upn, sid, aad, display) = (
                t(&["Name"]),
                t(&["NTDomain"]),
                t(&["DnsDomain"]),
                t(&["UPNSuffix"]),
                t(&["UserPrincipalName"]),
                t(&["Sid"]),
                t(&["AadUserId"]),
                t(&["DisplayName"]),
            );
            // The UPN as written when the entity has it; Name@UPNSuffix is only a reconstruction.
            let upn = upn.or_else(|| match (&name, &upn_suffix) {
                (Some(n), Some(s)) => Some(Cow::Owned(format!("{n}@{s}"))),
                _ => None,
            });
            mentions::user(&UserFacts {
                account_name: name.as_deref(),
                // Name + DnsDomain is strong too (Sentinel's rules) when there is no NTDomain.
                domain_name: nt.as_deref().or(dns.as_deref()),
                sid: sid.as_deref(),
                aad_user_id: aad.as_deref(),
                upn: upn.as_deref(),
                display_name: display.as_deref(),
                tenant_id: Some(tenant_id),
            })
        }
        "host" => {
            let (host, dns_domain, os, mde, aad) = (
                t(&["HostName"]),
                t(&["DnsDomain"]),
                t(&["OSFamily"]),
                t(&["MdatpDeviceId"]),
                t(&["AadDeviceId"]),
            );
            let mut mention = mentions::device(&DeviceFacts {
                mde_device_id: mde.as_deref(),
                aad_device_id: aad.as_deref(),
                host_name: host.as_deref().or(t(&["NetBiosName"]).as_deref()),
                dns_domain: dns_domain.as_deref(),
                os_platform: os.as_deref(),
                ..Default::default()
            })?;
            // An Azure resource id and a Log Analytics agent id name the machine too, each in its
            // own namespace (placeholder all-zero ids name nothing).
            for (kind_of_id, value) in [
                ("azure", t(&["AzureID"])),
                ("oms-agent", t(&["OMSAgentID"])),
            ] {
                if let Some(v) =
                    value.filter(|v| v.chars().any(|c| c.is_ascii_alphanumeric() && c != '0'))
                {
                    mention.identifiers.push(crate::model::Identifier {
                        key: format!("device/{kind_of_id}:{}", v.to_lowercase()),
                        strong: true,
                    });
                }
            }
            Some(mention)
        }
        "ip" => mentions::ip(
            t(&["Address"]).as_deref(),
            tenant_id,
            object
                .get("Location")
                .and_then(|l| l.get("CountryCode"))
                .and_then(Json::as_str),
        ),
        "url" => mentions::url(t(&["Url"]).as_deref()),
        "file" => {
            let hashes: Vec<(String, String)> = match object.get("FileHashes") {
                Some(Json::Array(items)) => items
                    .iter()
                    .filter_map(|h| {
                        Some((
                            h.get("Algorithm")?.as_str()?.to_ascii_lowercase(),
                            h.get("Value")?.as_str()?.to_owned(),
                        ))
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let hash = |alg: &str| {
                hashes
                    .iter()
                    .find(|(a, _)| a == alg)
                    .map(|(_, v)| v.as_str())
            };
            let (name, directory) = (t(&["Name"]), t(&["Directory"]));
            mentions::file(&FileFacts {
                name: name.as_deref(),
                path: directory.as_deref(),
                sha256: hash("sha256"),
                sha1: hash("sha1"),
                md5: hash("md5"),
                ..Default::default()
            })
        }
        "filehash" => {
            let (algorithm, value) = (
                t(&["Algorithm"]).unwrap_or_default().to_ascii_lowercase(),
                t(&["Value"]),
            );
            mentions::file(&FileFacts {
                sha256: value.as_deref().filter(|_| algorithm == "sha256"),
                sha1: value.as_deref().filter(|_| algorithm == "sha1"),
                md5: value.as_deref().filter(|_| algorithm == "md5"),
                ..Default::default()
            })
        }
        "process" => {
            let image = object
                .get("ImageFile")
                .and_then(Json::as_object)
                .and_then(|f| f.get("Name"))
                .and_then(Json::as_str)
                .map(str::to_owned);
            // The device key other formats use is the MDE device id; the host name only without it.
            let host = object.get("Host").and_then(Json::as_object).and_then(|h| {
                h.get("MdatpDeviceId")
                    .or(h.get("HostName"))
                    .and_then(Json::as_str)
                    .map(str::to_owned)
            });
            let (pid, created, command_line) = (
                t(&["ProcessId"]),
                t(&["CreationTimeUtc"]),
                t(&["CommandLine"]),
            );
            mentions::process(&ProcessFacts {
                device_key: host.as_deref(),
                process_id: pid.as_deref(),
                created: created.as_deref(),
                image_name: image.as_deref(),
                command_line: command_line.as_deref(),
                ..Default::default()
            })
        }
        "mailbox" => mentions::mailbox(
            t(&["MailboxPrimaryAddress"]).as_deref(),
            t(&["Upn"]).as_deref(),
            t(&["DisplayName"]).as_deref(),
        ),
        "mail-message" | "mailmessage" => {
            let (message_id, recipient, subject, sender, sender_ip, internet_id) = (
                t(&["NetworkMessageId"]),
                t(&["Recipient"]),
                t(&["Subject"]),
                t(&["P1Sender", "Sender"]),
                t(&["SenderIP"]),
                t(&["InternetMessageId"]),
            );
            mentions::mail_message(&MailFacts {
                network_message_id: message_id.as_deref(),
                recipient: recipient.as_deref(),
                subject: subject.as_deref(),
                sender: sender.as_deref(),
                sender_ip: sender_ip.as_deref(),
                internet_message_id: internet_id.as_deref(),
                ..Default::default()
            })
        }
        "registry-key" | "registrykey" => {
            mentions::registry_key(t(&["Hive"]).as_deref(), t(&["Key"]).as_deref())
        }
        "registry-value" | "registryvalue" => {
            let key = object.get("Key").and_then(Json::as_object);
            let hive = key.and_then(|k| k.get("Hive")).and_then(Json::as_str);
            let key_path = key.and_then(|k| k.get("Key")).and_then(Json::as_str);
            mentions::registry_value(
                hive,
                key_path,
                t(&["Name"]).as_deref(),
                t(&["Value"]).as_deref(),
            )
        }
        "cloud-application" | "cloudapplication" => mentions::cloud_app(
            t(&["AppId"]).as_deref(),
            t(&["Name"]).as_deref(),
            t(&["InstanceName"]).as_deref(),
        ),
        "dns" => mentions::domain(t(&["DomainName"]).as_deref()),
        "azure-resource" | "azureresource" => {
            mentions::other("azure-resource", t(&["ResourceId"]).as_deref(), None)
        }
        "malware" => mentions::other("malware", None, t(&["Name"]).as_deref()),
        "security-group" | "securitygroup" => mentions::other(
            "security-group",
            t(&["SID", "ObjectGuid"]).as_deref(),
            t(&["DistinguishedName", "Name"]).as_deref(),
        ),
        // Cloud workloads (Defender for Cloud): strong where the export gives a resource id,
        // context where it gives only a name.
        "container-image" => mentions::other("container-image", t(&["ImageId"]).as_deref(), None),
        "container"
        | "k8s-pod"
        | "k8s-namespace"
        | "k8s-cluster"
        | "kubernetes-pod"
        | "kubernetes-namespace"
        | "kubernetes-cluster" => {
            match t(&["ContainerId", "UID", "Uid", "ResourceId", "CloudResourceId"]) {
                Some(id) => mentions::other(&kind, Some(&id), t(&["Name"]).as_deref()),
                None => mentions::context(&kind, t(&["Name"]).as_deref()),
            }
        }
        "blob" | "blob-container" => match t(&["Url"]) {
            Some(url) => mentions::other(&kind, Some(&url), t(&["Name"]).as_deref()),
            None => mentions::context(&kind, t(&["Name"]).as_deref()),
        },
        "gcp-resource" => {
            let id = match (t(&["ProjectId"]), t(&["ResourceName"])) {
                (Some(project), Some(name)) => Some(Cow::Owned(format!("{project}/{name}"))),
                (_, name) => name,
            };
            mentions::other(&kind, id.as_deref(), t(&["ResourceName"]).as_deref())
        }
        "aws-resource" => mentions::other(
            &kind,
            t(&["AmazonResourceId"]).as_deref(),
            t(&["ResourceName"]).as_deref(),
        ),
        "iot-device" => mentions::other(
            &kind,
            t(&["IoTDeviceId", "DeviceId"]).as_deref(),
            t(&["DeviceName"]).as_deref(),
        ),
        "network-connection" => {
            let label = ["Protocol", "SourcePort", "DestinationPort"]
                .iter()
                .filter_map(|f| t(&[f]).map(|v| format!("{f} {v}")))
                .collect::<Vec<_>>()
                .join(", ");
            mentions::context(&kind, Some(label.as_str()).filter(|l| !l.is_empty()))
        }
        "" => None,
        other => {
            unknown.push(other.to_owned());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;
    use serde_json::{json, Map, Value};

    #[test]
    fn entities_with_references_resolve_once_each() {
        let entities = r#"[{"$id":"2","Type":"account","Name":"alice","UPNSuffix":"corp.example","Sid":"S-1-5-21-1-2-3-1001"},
            {"$id":"3","Type":"host","HostName":"ws-1","DnsDomain":"corp.example"},
            {"$id":"4","Type":"process","ProcessId":"42","CommandLine":"evil.exe","CreationTimeUtc":"2026-09-01T08:00:00Z",
             "Host":{"$ref":"3"},"ImageFile":{"$id":"5","Type":"file","Name":"evil.exe","Directory":"C:\\t",
             "FileHashes":[{"$id":"6","Type":"filehash","Algorithm":"SHA256","Value":"ab12"}]}},
            {"$ref":"2"}]"#;
        let row = json!({"SystemAlertId": "s1", "AlertName": "X", "StartTime": "2026-09-01T08:00:00Z", "Entities": entities,
                         "VendorOriginalId": "v1", "Tactics": "InitialAccess, Execution", "AlertSeverity": "High"});
        let Value::Object(row) = row else {
            panic!("object")
        };
        let raw = convert_alert(
            &Row::new(&row),
            Provenance {
                file: "s.json".into(),
                location: "record 1".into(),
            },
        )
        .expect("valid");
        let kinds: Vec<EntityKind> = raw.evidence.iter().map(|e| e.mention.kind).collect();
        // Nested entities come before the entity that holds them; each entity once.
        assert_eq!(
            kinds,
            vec![
                EntityKind::User,
                EntityKind::Device,
                EntityKind::File,
                EntityKind::File,
                EntityKind::Process
            ]
        );
        let process = &raw.evidence[4].mention;
        assert!(
            process
                .identifiers
                .iter()
                .any(|i| i.strong && i.key.starts_with("process/pid:ws-1:42:")),
            "{:?}",
            process.identifiers
        );
        assert_eq!(raw.alert.aliases, vec!["v1"]);
        assert_eq!(raw.alert.category, "InitialAccess");
        assert!(raw.evidence[0]
            .mention
            .identifiers
            .iter()
            .any(|i| i.key == "user/upn:alice@corp.example"));
    }

    /// The reading before entities were resolved in place: every object cloned, duplicates told
    /// by their JSON text. What [`resolve_references`] must still give.
    fn resolve_by_text(entities: &[Value]) -> Vec<Map<String, Value>> {
        fn id_of(v: &Value) -> Option<String> {
            v.as_str()
                .map(str::to_owned)
                .or_else(|| v.as_u64().map(|n| n.to_string()))
        }
        fn resolve(
            value: &Value,
            depth: usize,
            defined: &mut HashMap<String, Value>,
            out: &mut Vec<Map<String, Value>>,
            emitted: &mut Vec<String>,
        ) -> Value {
            match value {
                Value::Object(map) if depth < 8 => {
                    if let Some(reference) = map.get("$ref").and_then(id_of) {
                        return defined.get(&reference).cloned().unwrap_or(Value::Null);
                    }
                    let resolved: Map<String, Value> = map
                        .iter()
                        .map(|(k, v)| (k.clone(), resolve(v, depth + 1, defined, out, emitted)))
                        .collect();
                    if let Some(id) = map.get("$id").and_then(id_of) {
                        defined.insert(id, Value::Object(resolved.clone()));
                    }
                    if resolved.contains_key("Type") || resolved.contains_key("type") {
                        let mut content = resolved.clone();
                        content.remove("$id");
                        let text = Value::Object(content).to_string();
                        if !emitted.contains(&text) {
                            emitted.push(text);
                            out.push(resolved.clone());
                        }
                    }
                    Value::Object(resolved)
                }
                Value::Array(items) if depth < 8 => Value::Array(
                    items
                        .iter()
                        .map(|v| resolve(v, depth + 1, defined, out, emitted))
                        .collect(),
                ),
                Value::Object(_) | Value::Array(_) => Value::Null,
                other => other.clone(),
            }
        }
        let (mut defined, mut out, mut emitted) = (HashMap::new(), Vec::new(), Vec::new());
        for entity in entities {
            resolve(entity, 0, &mut defined, &mut out, &mut emitted);
        }
        out
    }

    #[test]
    fn entities_resolve_as_their_text_says() {
        let lists = [
            // The same entity under two ids once; other content twice; references to both.
            r#"[{"$id":"1","Type":"ip","Address":"10.0.0.1"},{"$id":"7","Type":"ip","Address":"10.0.0.1"},
                {"$id":"8","Type":"ip","Address":"10.0.0.2","Score":0.0},{"$id":"11","Type":"ip","Address":"10.0.0.2","Score":0},
                {"$id":"9","Type":"host","HostName":"h","Ips":[{"$ref":"1"}]},{"$id":"10","Type":"host","HostName":"h","Ips":[{"$ref":"7"}]},
                {"$id":"12","Type":"host","HostName":"h","Ips":[{"$ref":"1"}]},{"$ref":"9"},{"$ref":"99"},"text",3,null]"#,
            // Reused ids: a reference means the latest definition before it.
            r#"[{"$id":"1","Type":"account","Name":"a"},{"$id":"2","Type":"process","Account":{"$ref":"1"}},
                {"$id":"1","Type":"account","Name":"b"},{"$id":"3","Type":"process","Account":{"$ref":"1"}},
                {"$id":"4","type":"url","Url":"https://x.example","Nested":[[[[[[[[[{"Type":"deep"}]]]]]]]]]}]"#,
            // A reference before its definition, one too deep to be read, and ids nothing names
            // (only named definitions are kept).
            r#"[{"$id":"5","Type":"process","Account":{"$ref":"6"}},{"$id":"6","Type":"account","Name":"c"},
                {"$id":"7","Type":"host","HostName":"x","Deep":[[[[[[[{"$ref":"6"}]]]]]]]},
                {"$id":"8","Type":"file","Name":"f"},{"$ref":"6"},{"$ref":"7"}]"#,
        ];
        for list in lists {
            let Ok(Value::Array(entities)) = serde_json::from_str::<Value>(list) else {
                panic!("test list")
            };
            let Some(Json::Array(borrowed)) = Json::parse(list) else {
                panic!("test list")
            };
            let resolved: Vec<Map<String, Value>> = resolve_references(borrowed)
                .iter()
                .map(Object::to_map)
                .collect();
            assert_eq!(resolved, resolve_by_text(&entities), "{list}");
        }
    }

    #[test]
    fn incidents_take_their_alert_ids_and_owner() {
        let row = json!({"IncidentNumber": 42, "Title": "Bad", "Status": "Closed", "AlertIds": "[\"s1\",\"s2\"]",
                         "Owner": "{\"assignedTo\":\"Ann\",\"email\":\"ann@corp.example\"}", "LastModifiedTime": "2026-09-02T00:00:00Z"});
        let Value::Object(row) = row else {
            panic!("object")
        };
        let incident = convert_incident(
            &Row::new(&row),
            Provenance {
                file: "i.csv".into(),
                location: "line 2".into(),
            },
        )
        .expect("valid");
        assert_eq!(incident.source_incident_id, "42");
        assert_eq!(incident.status, Status::Resolved);
        assert_eq!(incident.assigned_to, "Ann");
        assert_eq!(
            incident.alert_ids,
            vec![AlertId::new("s1"), AlertId::new("s2")]
        );
    }
}
