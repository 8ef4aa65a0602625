//! Indicators of compromise out of an incident (issue 6): the file hashes, IP addresses, URLs and
//! domains its alerts name, as CSV and as a STIX 2.1 bundle; and spreadsheet-safe CSV cells.
//!
//! Private addresses are exported with their scope noted (they mean something only inside the
//! customer's network); built-in and weakly identified entities never become indicators.

use crate::model::{EntityKind, Timestamp, Verdict};
use crate::query::EntityView;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// What kind of indicator, named as STIX names the observable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IocKind {
    Sha256,
    Sha1,
    Md5,
    Ipv4,
    Ipv6,
    Url,
    Domain,
}

impl IocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IocKind::Sha256 => "sha256",
            IocKind::Sha1 => "sha1",
            IocKind::Md5 => "md5",
            IocKind::Ipv4 => "ipv4",
            IocKind::Ipv6 => "ipv6",
            IocKind::Url => "url",
            IocKind::Domain => "domain",
        }
    }

    /// The STIX 2.1 pattern that matches `value`.
    fn pattern(self, value: &str) -> String {
        let v = value.replace('\\', "\\\\").replace('\'', "\\'");
        match self {
            IocKind::Sha256 => format!("[file:hashes.'SHA-256' = '{v}']"),
            IocKind::Sha1 => format!("[file:hashes.'SHA-1' = '{v}']"),
            IocKind::Md5 => format!("[file:hashes.MD5 = '{v}']"),
            IocKind::Ipv4 => format!("[ipv4-addr:value = '{v}']"),
            IocKind::Ipv6 => format!("[ipv6-addr:value = '{v}']"),
            IocKind::Url => format!("[url:value = '{v}']"),
            IocKind::Domain => format!("[domain-name:value = '{v}']"),
        }
    }
}

/// One indicator, with what the incident says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ioc {
    pub kind: IocKind,
    pub value: String,
    /// The entity's display name (a file name for a hash).
    pub name: String,
    pub verdict: Verdict,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    pub alerts: usize,
    /// `private` for addresses that mean something only inside the tenant.
    pub scope: &'static str,
}

/// The indicators among an incident's entities, sorted by kind then value.
pub fn indicators(entities: &[EntityView]) -> Vec<Ioc> {
    let mut out = Vec::new();
    for view in entities {
        let entity = &view.entity;
        if entity.builtin {
            continue;
        }
        for identifier in entity.identifiers.iter().filter(|i| i.strong) {
            let Some((kind_and_type, value)) = identifier.key.split_once(':') else {
                continue;
            };
            let (value, scope) = match value.split_once(crate::ingest::mentions::TENANT_SCOPE) {
                Some((v, _)) => (v, "private"),
                None => (value, ""),
            };
            let kind = match (entity.kind, kind_and_type) {
                (EntityKind::File, "file/sha256") => IocKind::Sha256,
                (EntityKind::File, "file/sha1") => IocKind::Sha1,
                (EntityKind::File, "file/md5") => IocKind::Md5,
                (EntityKind::Ip, _) if value.contains(':') => IocKind::Ipv6,
                (EntityKind::Ip, _) => IocKind::Ipv4,
                (EntityKind::Url, _) => IocKind::Url,
                (EntityKind::Domain, _) => IocKind::Domain,
                _ => continue,
            };
            out.push(Ioc {
                kind,
                value: value.to_owned(),
                name: entity.name.clone(),
                verdict: view.verdict,
                first_seen: view.first_seen,
                last_seen: view.last_seen,
                alerts: view.alert_ids.len(),
                scope,
            });
        }
    }
    out.sort_by(|a, b| (a.kind, &a.value).cmp(&(b.kind, &b.value)));
    out.dedup_by(|a, b| a.kind == b.kind && a.value == b.value);
    out
}

/// A CSV cell that a spreadsheet will not run: text starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return (a formula, or DDE) gets a leading apostrophe (OWASP's advice).
pub fn safe_cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// Rows as CSV (RFC 4180 quoting by the csv crate), every cell made safe.
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut write = |cells: Vec<String>| {
        // Writing to memory cannot fail.
        let _ = writer.write_record(cells.iter().map(|c| safe_cell(c)));
    };
    write(header.iter().map(|h| (*h).to_owned()).collect());
    for row in rows {
        write(row.clone());
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The indicators as CSV.
pub fn indicators_csv(incident_id: &str, iocs: &[Ioc]) -> String {
    let rows: Vec<Vec<String>> = iocs
        .iter()
        .map(|i| {
            vec![
                i.kind.as_str().to_owned(),
                i.value.clone(),
                i.name.clone(),
                i.verdict.as_str().to_owned(),
                i.scope.to_owned(),
                i.first_seen.to_rfc3339(),
                i.last_seen.to_rfc3339(),
                i.alerts.to_string(),
                incident_id.to_owned(),
            ]
        })
        .collect();
    csv(
        &[
            "type",
            "value",
            "name",
            "verdict",
            "scope",
            "first_seen",
            "last_seen",
            "alerts",
            "incident_id",
        ],
        &rows,
    )
}

/// A STIX id: `type--` and a UUID derived from `seed` (version 5 layout), so the same incident
/// exports the same ids.
fn stix_id(kind: &str, seed: &str) -> String {
    let digest = Sha256::digest(seed.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{kind}--{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

fn stix_time(t: &Timestamp) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The indicators as a STIX 2.1 bundle: one `indicator` per value, and an `identity` for the
/// tool, labelled with the incident. `now` stamps `created`/`modified`.
pub fn indicators_stix(
    incident_id: &str,
    incident_title: &str,
    iocs: &[Ioc],
    now: Timestamp,
) -> Value {
    let identity_id = stix_id("identity", "alertweave");
    let mut objects = vec![json!({
        "type": "identity", "spec_version": "2.1", "id": identity_id,
        "created": stix_time(&now), "modified": stix_time(&now),
        "name": "Alertweave", "identity_class": "system"
    })];
    for ioc in iocs {
        let seed = format!("{incident_id}|{}|{}", ioc.kind.as_str(), ioc.value);
        let mut indicator = json!({
            "type": "indicator", "spec_version": "2.1", "id": stix_id("indicator", &seed),
            "created_by_ref": identity_id,
            "created": stix_time(&now), "modified": stix_time(&now),
            "name": format!("{} {}", ioc.kind.as_str(), ioc.value),
            "description": format!("{} in incident {incident_id} ({incident_title}), named by {} alert(s); verdict {}", ioc.name, ioc.alerts, ioc.verdict.as_str()),
            "indicator_types": [match ioc.verdict { Verdict::Malicious => "malicious-activity", _ => "anomalous-activity" }],
            "pattern": ioc.kind.pattern(&ioc.value), "pattern_type": "stix", "pattern_version": "2.1",
            "valid_from": stix_time(&ioc.first_seen),
            "labels": [format!("alertweave-incident:{incident_id}")]
        });
        if ioc.scope == "private" {
            if let Some(labels) = indicator["labels"].as_array_mut() {
                labels.push(json!("internal-address"));
            }
        }
        objects.push(indicator);
    }
    json!({
        "type": "bundle",
        "id": stix_id("bundle", &format!("{incident_id}|{}", stix_time(&now))),
        "objects": objects
    })
}
