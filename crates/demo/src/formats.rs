//! The demo tenant ([`crate`]) written again in the other Microsoft export formats: the same
//! alerts and entities as the Defender XDR incidents API, the Defender for Endpoint alerts API,
//! advanced hunting `AlertInfo` / `AlertEvidence` CSV and Sentinel `SecurityAlert` rows, so that
//! the readers can be checked against each other (`tests/cross_format.rs`).
//!
//! Every writer takes the generator's Graph alerts v2 and is deterministic: no clock, no
//! randomness, alerts in input order, object keys sorted. Ids, field names and value casing follow
//! each format as its documentation and the public samples (`../shared/samples`) show it:
//!
//! | format | alert id | incident | entities |
//! |---|---|---|---|
//! | incidents API (`/api/incidents`) | `alertId` = Graph `id` | `incidentId` (int) | `devices[]` + flat `entities[]` (`entityType`) |
//! | MDE alerts API (`/api/alerts`) | `id` = Graph `id` | `incidentId` (int) | `machineId`, `relatedUser`, flat `evidence[]` |
//! | advanced hunting | `AlertId` = Graph `id` | none | one `AlertEvidence` row per entity |
//! | Sentinel `SecurityAlert` | `SystemAlertId` = Graph `id`, `VendorOriginalId` = `providerAlertId` | none | `Entities`: JSON text with `$id` / `$ref` |
//!
//! Real Sentinel gives each alert a `SystemAlertId` GUID of its own and keeps the provider's id in
//! `VendorOriginalId`; here `SystemAlertId` is the Defender alert id so that the copies meet by id
//! (the dataset merges copies by alert id only).
//!
//! A format that cannot say something leaves it out rather than inventing a field:
//! - incidents API: no cloud apps (no such `entityType`), no network message id on `MailMessage`
//!   records, no registry value name (`Registry` records carry hive, key, type and data), no MD5;
//! - MDE alerts API: only Defender for Endpoint alerts (Graph `serviceSource`
//!   `microsoftDefenderForEndpoint`); one machine per alert (`machineId`), so an alert's other
//!   devices (a lateral movement's source) are absent; no mailboxes, messages or cloud apps; no
//!   MD5, no registry value name;
//! - advanced hunting: one time per row (written as the alert's first activity), no incident id,
//!   no status; MD5 and the Entra device id only inside `AdditionalFields`;
//! - Sentinel: no incident id (SecurityIncident rows would carry it); MITRE ids split into
//!   `Techniques` (parents) and `SubTechniques`.
//!
//! Graph names some accounts inside other evidence (`deviceEvidence.loggedOnUsers`, the
//! `userAccount` of mailbox and process evidence); the other formats list them as user entities
//! of their own. Only the evidence types the demo generates are written (device, user, mailbox,
//! analyzed message, IP, URL, file, process, cloud application, registry key and value).

use crate::GeneratedAlert;
use alertweave_core::correlate::naming;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// Defender XDR incidents API records (`GET /api/incidents`), one incident per line (NDJSON, as
/// connectors store them). Alerts are grouped by their Graph `incidentId`, incidents in id
/// order; an alert without a numeric `incidentId` is left out (the API lists incidents only).
pub fn to_defender_incidents_api(alerts: &[GeneratedAlert]) -> String {
    let mut incidents: BTreeMap<u64, Vec<&Value>> = BTreeMap::new();
    for a in alerts {
        if let Some(n) = text(&a.alert, "incidentId").and_then(|i| i.parse::<u64>().ok()) {
            incidents.entry(n).or_default().push(&a.alert);
        }
    }
    let mut out = String::new();
    for (incident_id, members) in incidents {
        let record = incident_record(incident_id, &members);
        out.push_str(&record.to_string());
        out.push('\n');
    }
    out
}

/// A Defender for Endpoint alerts API page (`GET /api/alerts?$expand=evidence`):
/// `{"@odata.context", "value": [...]}`. Only Defender for Endpoint alerts exist in this API:
/// alerts whose Graph `serviceSource` is not `microsoftDefenderForEndpoint` are left out.
pub fn to_mde_alerts_api(alerts: &[GeneratedAlert]) -> String {
    let value: Vec<Value> = alerts
        .iter()
        .map(|a| &a.alert)
        .filter(|a| text(a, "serviceSource") == Some("microsoftDefenderForEndpoint"))
        .map(mde_record)
        .collect();
    let page = json!({"@odata.context": "https://api.security.microsoft.com/api/$metadata#Alerts",
        "value": value});
    let mut out = page.to_string();
    out.push('\n');
    out
}

/// The advanced hunting `AlertInfo` table as the Defender portal exports a result: UTF-8 with a
/// byte-order mark, CRLF line ends, a header row, one row per alert.
pub fn to_ah_alertinfo_csv(alerts: &[GeneratedAlert]) -> String {
    let rows: Vec<Row> = alerts
        .iter()
        .map(|a| {
            let a = &a.alert;
            let mut row = Row::new();
            put(&mut row, "Timestamp", text(a, "firstActivityDateTime"));
            put(&mut row, "AlertId", text(a, "id"));
            put(&mut row, "Title", text(a, "title"));
            put(&mut row, "Category", text(a, "category"));
            put(
                &mut row,
                "Severity",
                Some(&pascal(text(a, "severity").unwrap_or(""))),
            );
            put(&mut row, "ServiceSource", text(a, "productName"));
            put(&mut row, "DetectionSource", Some(ah_detection_source(a)));
            put(&mut row, "AttackTechniques", Some(&attack_techniques(a)));
            row
        })
        .collect();
    csv_text(ALERT_INFO_COLUMNS, &rows)
}

/// The advanced hunting `AlertEvidence` table as the portal exports it (BOM, CRLF, header): one
/// row per alert and entity, `EntityType` `Machine`, `User`, `Mailbox`, `MailMessage`, `Ip`,
/// `Url`, `File`, `Process`, `CloudApplication`, `RegistryKey` or `RegistryValue`.
pub fn to_ah_alertevidence_csv(alerts: &[GeneratedAlert]) -> String {
    let rows: Vec<Row> = alerts
        .iter()
        .flat_map(|a| evidence_rows(&a.alert))
        .collect();
    csv_text(ALERT_EVIDENCE_COLUMNS, &rows)
}

/// Sentinel `SecurityAlert` rows as a Log Analytics table export in JSON, one row per line:
/// `Entities`, `ExtendedProperties`, `Techniques` and `SubTechniques` are JSON written into
/// strings; entities refer to each other by `$id` / `{"$ref": …}` (a process to its host, image
/// file and account; a registry value to its key).
pub fn to_sentinel_securityalert_json(alerts: &[GeneratedAlert]) -> String {
    let mut out = String::new();
    for a in alerts {
        out.push_str(&sentinel_row(&a.alert).to_string());
        out.push('\n');
    }
    out
}

/// The same Sentinel `SecurityAlert` rows as a Log Analytics CSV export (BOM, CRLF, a header in
/// the table's column order; `Entities` and the other JSON columns quoted, booleans `True`/`False`,
/// nulls empty), the form a consultant most often receives.
pub fn to_sentinel_securityalert_csv(alerts: &[GeneratedAlert]) -> String {
    let cell = |v: Option<&Value>| match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => if *b { "True" } else { "False" }.to_owned(),
        Some(other) => other.to_string(),
    };
    let rows: Vec<Row> = alerts
        .iter()
        .map(|a| {
            let row = sentinel_row(&a.alert);
            SENTINEL_COLUMNS
                .iter()
                .map(|c| (*c, cell(row.get(*c))))
                .collect()
        })
        .collect();
    csv_text(SENTINEL_COLUMNS, &rows)
}

/// `SecurityAlert`'s columns in the order Log Analytics exports them.
const SENTINEL_COLUMNS: &[&str] = &[
    "TenantId",
    "TimeGenerated",
    "DisplayName",
    "AlertName",
    "AlertSeverity",
    "Description",
    "ProviderName",
    "VendorName",
    "VendorOriginalId",
    "SystemAlertId",
    "ResourceId",
    "SourceComputerId",
    "AlertType",
    "ConfidenceLevel",
    "ConfidenceScore",
    "IsIncident",
    "StartTime",
    "EndTime",
    "ProcessingEndTime",
    "RemediationSteps",
    "ExtendedProperties",
    "Entities",
    "SourceSystem",
    "WorkspaceSubscriptionId",
    "WorkspaceResourceGroup",
    "ExtendedLinks",
    "ProductName",
    "ProductComponentName",
    "AlertLink",
    "Status",
    "CompromisedEntity",
    "Tactics",
    "Techniques",
    "SubTechniques",
    "Type",
    "_ItemId",
    "_Internal_WorkspaceResourceId",
];

// ---------------------------------------------------------------------------------------------
// Reading the Graph alert.

/// A non-blank string field.
fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A string or number field, as text.
fn scalar(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `inProgress` → `InProgress`, `high` → `High`.
fn pascal(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A Graph enum value in the Defender APIs' casing, or null.
fn pascal_or_null(v: &Value, key: &str) -> Value {
    text(v, key).map_or(Value::Null, |s| json!(pascal(s)))
}

/// A field copied as it is (null when absent).
fn copy(v: &Value, key: &str) -> Value {
    v.get(key).cloned().unwrap_or(Value::Null)
}

fn evidence_type(e: &Value) -> &str {
    let t = text(e, "@odata.type").unwrap_or("");
    t.rsplit('.').next().unwrap_or(t)
}

fn evidence(alert: &Value) -> &[Value] {
    alert
        .get("evidence")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn devices(alert: &Value) -> impl Iterator<Item = &Value> {
    evidence(alert)
        .iter()
        .filter(|e| evidence_type(e) == "deviceEvidence")
}

fn device_by_id<'a>(alert: &'a Value, mde: Option<&str>) -> Option<&'a Value> {
    let mde = mde?;
    devices(alert).find(|d| text(d, "mdeDeviceId") == Some(mde))
}

/// The alert's own device: the one its process, file or registry evidence ran on, else the first.
fn machine(alert: &Value) -> Option<&Value> {
    let on = evidence(alert)
        .iter()
        .filter(|e| {
            matches!(
                evidence_type(e),
                "processEvidence" | "fileEvidence" | "registryValueEvidence"
            )
        })
        .find_map(|e| text(e, "mdeDeviceId"));
    device_by_id(alert, on).or_else(|| devices(alert).next())
}

/// File details: `fileEvidence.fileDetails`, or a process's `imageFile` (Graph writes the
/// details there directly; some exports nest them under `fileDetails`).
fn file_details<'a>(e: &'a Value, key: &str) -> Option<&'a Value> {
    let f = e.get(key).filter(|f| f.is_object())?;
    Some(f.get("fileDetails").filter(|d| d.is_object()).unwrap_or(f))
}

/// An account as Graph's `userAccount` (or a `loggedOnUsers` entry) names it.
#[derive(Debug, Clone, Default, PartialEq)]
struct Account {
    name: Option<String>,
    domain: Option<String>,
    sid: Option<String>,
    aad: Option<String>,
    upn: Option<String>,
    display: Option<String>,
}

impl Account {
    fn of(v: &Value) -> Account {
        let field = |key: &str| text(v, key).map(str::to_owned);
        Account {
            name: field("accountName"),
            domain: field("domainName"),
            sid: field("userSid"),
            aad: field("azureAdUserId"),
            upn: field("userPrincipalName"),
            display: field("displayName"),
        }
    }

    fn is_empty(&self) -> bool {
        self.name.is_none() && self.sid.is_none() && self.aad.is_none() && self.upn.is_none()
    }

    fn is_builtin(&self) -> bool {
        self.domain
            .as_deref()
            .is_some_and(|d| d.eq_ignore_ascii_case("NT AUTHORITY"))
            || self
                .sid
                .as_deref()
                .is_some_and(|s| matches!(s, "S-1-5-18" | "S-1-5-19" | "S-1-5-20"))
    }
}

/// One entity of a Graph alert, as the readers name entities.
enum Item<'a> {
    Device(&'a Value),
    User(Account),
    Mailbox(&'a Value),
    Message(&'a Value),
    Ip(&'a Value),
    Url(&'a Value),
    File(&'a Value),
    Process(&'a Value),
    CloudApp(&'a Value),
    RegistryKey(&'a Value),
    RegistryValue(&'a Value),
}

/// An entity and the evidence object it came from (roles, verdict, time).
struct Named<'a> {
    item: Item<'a>,
    from: &'a Value,
}

/// The entities of an alert in evidence order; accounts nested in device (`loggedOnUsers`),
/// mailbox and process evidence come right after their evidence.
fn items(alert: &Value) -> Vec<Named<'_>> {
    let mut out = Vec::new();
    for e in evidence(alert) {
        let account = |key: &str| e.get(key).map(Account::of).filter(|a| !a.is_empty());
        let mut push = |item| out.push(Named { item, from: e });
        match evidence_type(e) {
            "deviceEvidence" => {
                push(Item::Device(e));
                let logged = e.get("loggedOnUsers").and_then(Value::as_array);
                for u in logged.into_iter().flatten() {
                    let a = Account::of(u);
                    if !a.is_empty() {
                        push(Item::User(a));
                    }
                }
            }
            "userEvidence" => push_account(&mut push, account("userAccount")),
            "mailboxEvidence" => {
                push(Item::Mailbox(e));
                push_account(&mut push, account("userAccount"));
            }
            "analyzedMessageEvidence" => push(Item::Message(e)),
            "ipEvidence" => push(Item::Ip(e)),
            "urlEvidence" => push(Item::Url(e)),
            "fileEvidence" => push(Item::File(e)),
            "processEvidence" => {
                push(Item::Process(e));
                push_account(&mut push, account("userAccount"));
            }
            "cloudApplicationEvidence" => push(Item::CloudApp(e)),
            "registryKeyEvidence" => push(Item::RegistryKey(e)),
            "registryValueEvidence" => push(Item::RegistryValue(e)),
            _ => {}
        }
    }
    out
}

fn push_account<'a>(push: &mut impl FnMut(Item<'a>), account: Option<Account>) {
    if let Some(a) = account {
        push(Item::User(a));
    }
}

/// `HKEY_LOCAL_MACHINE\SOFTWARE\…`: the key with its hive, as advanced hunting writes it.
fn registry_path(e: &Value) -> Option<String> {
    let key = text(e, "registryKey")?;
    Some(match text(e, "registryHive") {
        Some(hive)
            if !key
                .to_ascii_lowercase()
                .starts_with(&hive.to_ascii_lowercase()) =>
        {
            format!("{hive}\\{key}")
        }
        _ => key.to_owned(),
    })
}

fn roles(e: &Value) -> Vec<&str> {
    e.get("roles")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Technique names as advanced hunting writes them (`Spearphishing Link (T1566.002)`).
#[rustfmt::skip]
const TECHNIQUE_NAMES: &[(&str, &str)] = &[
    ("T1003.001", "LSASS Memory"), ("T1003.006", "DCSync"),
    ("T1021.002", "SMB/Windows Admin Shares"), ("T1046", "Network Service Discovery"),
    ("T1053.005", "Scheduled Task"), ("T1059.001", "PowerShell"),
    ("T1069.002", "Domain Groups"), ("T1078.004", "Cloud Accounts"),
    ("T1087.002", "Domain Account"), ("T1090.003", "Multi-hop Proxy"),
    ("T1098", "Account Manipulation"), ("T1110.001", "Password Guessing"),
    ("T1110.003", "Password Spraying"), ("T1114.003", "Email Forwarding Rule"),
    ("T1486", "Data Encrypted for Impact"), ("T1490", "Inhibit System Recovery"),
    ("T1528", "Steal Application Access Token"), ("T1530", "Data from Cloud Storage"),
    ("T1534", "Internal Spearphishing"), ("T1543.003", "Windows Service"),
    ("T1547.001", "Registry Run Keys / Startup Folder"), ("T1550.001", "Application Access Token"),
    ("T1550.002", "Pass the Hash"), ("T1550.003", "Pass the Ticket"),
    ("T1564.008", "Email Hiding Rules"), ("T1566", "Phishing"),
    ("T1566.001", "Spearphishing Attachment"), ("T1566.002", "Spearphishing Link"),
    ("T1569.002", "Service Execution"),
];

fn techniques(alert: &Value) -> Vec<&str> {
    alert
        .get("mitreTechniques")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The flat entity records of the Defender APIs.

/// The entity fields of `/api/incidents` (defender-xdr/api-list-incidents.md), and the evidence
/// time, verdict and remediation status newer records carry (the incidents sample's last line).
#[rustfmt::skip]
const INCIDENT_ENTITY_FIELDS: &[&str] = &[
    "entityType", "sha1", "sha256", "fileName", "filePath",
    "processId", "processCommandLine", "processCreationTime", "parentProcessId", "parentProcessCreationTime",
    "ipAddress", "url", "accountName", "domainName", "userSid",
    "aadUserId", "userPrincipalName", "mailboxDisplayName", "mailboxAddress", "clusterBy",
    "sender", "recipient", "subject", "deliveryAction", "securityGroupId",
    "securityGroupName", "registryHive", "registryKey", "registryValueType", "registryValue",
    "deviceId", "evidenceCreationTime", "verdict", "remediationStatus",
];
#[rustfmt::skip]
const INCIDENT_ENTITY_TYPES: &[&str] = &[
    "User", "Ip", "Url", "File", "Process", "MailBox", "MailMessage", "Registry",
];

/// The evidence fields of `/api/alerts` (defender-endpoint/api/alerts.md).
#[rustfmt::skip]
const MDE_EVIDENCE_FIELDS: &[&str] = &[
    "entityType", "evidenceCreationTime", "sha1", "sha256", "fileName",
    "filePath", "processId", "processCommandLine", "processCreationTime", "parentProcessId",
    "parentProcessCreationTime", "parentProcessFileName", "parentProcessFilePath", "ipAddress", "url",
    "registryKey", "registryHive", "registryValueType", "registryValue", "accountName",
    "domainName", "userSid", "aadUserId", "userPrincipalName", "detectionStatus",
];
const MDE_EVIDENCE_TYPES: &[&str] = &["User", "Ip", "Url", "File", "Process", "Registry"];

/// Every flat entity record of an alert with every field either API knows; each API keeps the
/// types and fields of its own schema ([`project`]). Identical records are written once.
fn flat_records(alert: &Value) -> Vec<Map<String, Value>> {
    let mut out: Vec<Map<String, Value>> = Vec::new();
    for Named { item, from } in items(alert) {
        let mut r = Map::new();
        let mut put = |key: &str, value: Value| {
            if !value.is_null() {
                r.insert(key.to_owned(), value);
            }
        };
        let entity_type = match item {
            Item::Device(_) => continue,
            Item::User(a) => {
                put("accountName", json!(a.name));
                put("domainName", json!(a.domain));
                put("userSid", json!(a.sid));
                put("aadUserId", json!(a.aad));
                put("userPrincipalName", json!(a.upn));
                "User"
            }
            Item::Mailbox(e) => {
                put("mailboxAddress", copy(e, "primaryAddress"));
                put("userPrincipalName", copy(e, "upn"));
                put("mailboxDisplayName", copy(e, "displayName"));
                "MailBox"
            }
            Item::Message(e) => {
                let sender = e.pointer("/p1Sender/emailAddress").cloned();
                put("sender", sender.unwrap_or(Value::Null));
                put("recipient", copy(e, "recipientEmailAddress"));
                put("userPrincipalName", copy(e, "recipientEmailAddress"));
                put("subject", copy(e, "subject"));
                put("deliveryAction", pascal_or_null(e, "deliveryAction"));
                // Neither API has these fields; kept here to say so.
                put("networkMessageId", copy(e, "networkMessageId"));
                put("internetMessageId", copy(e, "internetMessageId"));
                "MailMessage"
            }
            Item::Ip(e) => {
                put("ipAddress", copy(e, "ipAddress"));
                "Ip"
            }
            Item::Url(e) => {
                put("url", copy(e, "url"));
                "Url"
            }
            Item::File(e) => {
                if let Some(f) = file_details(e, "fileDetails") {
                    for key in ["sha1", "sha256", "fileName", "filePath"] {
                        put(key, copy(f, key));
                    }
                }
                put("deviceId", copy(e, "mdeDeviceId"));
                put("detectionStatus", pascal_or_null(e, "detectionStatus"));
                "File"
            }
            Item::Process(e) => {
                if let Some(f) = file_details(e, "imageFile") {
                    for key in ["sha1", "sha256", "fileName", "filePath"] {
                        put(key, copy(f, key));
                    }
                }
                if let Some(f) = file_details(e, "parentProcessImageFile") {
                    put("parentProcessFileName", copy(f, "fileName"));
                    put("parentProcessFilePath", copy(f, "filePath"));
                }
                put("processId", copy(e, "processId"));
                put("processCommandLine", copy(e, "processCommandLine"));
                put("processCreationTime", copy(e, "processCreationDateTime"));
                put("parentProcessId", copy(e, "parentProcessId"));
                put(
                    "parentProcessCreationTime",
                    copy(e, "parentProcessCreationDateTime"),
                );
                put("deviceId", copy(e, "mdeDeviceId"));
                put("detectionStatus", pascal_or_null(e, "detectionStatus"));
                "Process"
            }
            // No `entityType` for cloud apps in either API.
            Item::CloudApp(_) => continue,
            Item::RegistryKey(e) => {
                put("registryHive", copy(e, "registryHive"));
                put("registryKey", copy(e, "registryKey"));
                "Registry"
            }
            Item::RegistryValue(e) => {
                put("registryHive", copy(e, "registryHive"));
                put("registryKey", copy(e, "registryKey"));
                put("registryValueType", copy(e, "registryValueType"));
                put("registryValue", copy(e, "registryValue"));
                // Not in either API's schema: the value's name is lost there.
                put("registryValueName", copy(e, "registryValueName"));
                put("deviceId", copy(e, "mdeDeviceId"));
                "Registry"
            }
        };
        put("entityType", json!(entity_type));
        put("evidenceCreationTime", copy(from, "createdDateTime"));
        put("verdict", pascal_or_null(from, "verdict"));
        put(
            "remediationStatus",
            pascal_or_null(from, "remediationStatus"),
        );
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// A record with exactly an API's fields (absent ones null), if the API has its type.
fn project(record: &Map<String, Value>, types: &[&str], fields: &[&str]) -> Option<Value> {
    let entity_type = record.get("entityType").and_then(Value::as_str)?;
    if !types.contains(&entity_type) {
        return None;
    }
    let map: Map<String, Value> = fields
        .iter()
        .map(|f| {
            (
                (*f).to_owned(),
                record.get(*f).cloned().unwrap_or(Value::Null),
            )
        })
        .collect();
    Some(Value::Object(map))
}

/// A small, stable automated-investigation id for the alerts the products investigate.
fn investigation_id(alert: &Value) -> Value {
    let investigated = text(alert, "investigationState")
        .is_some_and(|s| !s.eq_ignore_ascii_case("unsupportedAlertType"));
    if !investigated {
        return Value::Null;
    }
    let d = Sha256::digest(text(alert, "id").unwrap_or("").as_bytes());
    json!(1000 + ((u32::from(d[0]) << 8) | u32::from(d[1])))
}

/// The incidents API's `detectionSource` values (`WindowsDefenderAv`, `OfficeATP`, `MCAS`…).
fn defender_detection_source(alert: &Value) -> String {
    let source = text(alert, "detectionSource").unwrap_or("");
    match source {
        "antivirus" => "WindowsDefenderAv",
        "microsoftDefenderForEndpoint" => "WindowsDefenderAtp",
        "microsoftDefenderForOffice365" => "OfficeATP",
        "microsoftDefenderForIdentity" => "AzureATP",
        "cloudAppSecurity" | "microsoftDefenderForCloudApps" => "MCAS",
        "azureAdIdentityProtection" => "AadIdentityProtection",
        "microsoft365Defender" => "Microsoft365Defender",
        other => return pascal(other),
    }
    .to_owned()
}

fn number(v: &Value, key: &str) -> Value {
    match text(v, key).and_then(|s| s.parse::<u64>().ok()) {
        Some(n) => json!(n),
        None => copy(v, key),
    }
}

fn comments(alert: &Value) -> Vec<Value> {
    let list = alert.get("comments").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .map(|c| {
            json!({"comment": copy(c, "comment"), "createdBy": copy(c, "createdByDisplayName"),
                "createdTime": copy(c, "createdDateTime")})
        })
        .collect()
}

fn incident_record(incident_id: u64, members: &[&Value]) -> Value {
    let times = |key: &'static str| members.iter().filter_map(move |a| text(a, key));
    let all_resolved = members
        .iter()
        .all(|a| text(a, "status") == Some("resolved"));
    let first_resolved = members.iter().find(|a| text(a, "classification").is_some());
    let (classification, determination) = match (all_resolved, first_resolved) {
        (true, Some(a)) => (
            pascal_or_null(a, "classification"),
            pascal_or_null(a, "determination"),
        ),
        _ => (json!("Unknown"), json!("NotAvailable")),
    };
    let severity = members
        .iter()
        .filter_map(|a| text(a, "severity"))
        .max_by_key(|s| alertweave_core::model::Severity::parse(s));
    let alerts: Vec<Value> = members
        .iter()
        .map(|a| incident_alert(a, incident_id))
        .collect();
    json!({
        "incidentId": incident_id,
        "redirectIncidentId": null,
        "incidentName": incident_name(members),
        "incidentUri": members.first().map_or(Value::Null, |a| copy(a, "incidentWebUrl")),
        "createdTime": times("createdDateTime").min(),
        "lastUpdateTime": times("lastUpdateDateTime").max(),
        "assignedTo": members.iter().find_map(|a| text(a, "assignedTo")),
        "classification": classification,
        "determination": determination,
        "status": if all_resolved { "Resolved" } else { "Active" },
        "severity": severity.map(pascal),
        "tags": [],
        "comments": [],
        "alerts": alerts,
    })
}

/// Defender's way of naming a multi-alert incident, from the alerts' categories and devices.
fn incident_name(members: &[&Value]) -> String {
    if let [only] = members {
        return text(only, "title").unwrap_or("").to_owned();
    }
    let mut categories: Vec<&str> = members.iter().filter_map(|a| text(a, "category")).collect();
    categories.sort_by_key(|c| (naming::category_rank(c), *c));
    categories.dedup();
    let endpoints: BTreeSet<&str> = members
        .iter()
        .flat_map(|a| devices(a))
        .filter_map(|d| text(d, "mdeDeviceId"))
        .collect();
    let scope = match endpoints.len() {
        0 => "",
        1 => " on one endpoint",
        _ => " on multiple endpoints",
    };
    match categories.as_slice() {
        [] => format!("Multi-stage incident{scope}"),
        [only] => format!(
            "Multi-stage incident involving {}{scope}",
            naming::category_label(only)
        ),
        [first, .., last] => format!(
            "Multi-stage incident involving {} & {}{scope}",
            naming::category_label(first),
            naming::category_label(last)
        ),
    }
}

fn incident_alert(alert: &Value, incident_id: u64) -> Value {
    let mut seen = BTreeSet::new();
    let devices: Vec<Value> = devices(alert)
        .filter(|d| seen.insert(text(d, "mdeDeviceId").unwrap_or("")))
        .map(|d| {
            json!({"mdatpDeviceId": copy(d, "mdeDeviceId"), "aadDeviceId": copy(d, "azureAdDeviceId"),
                "deviceDnsName": copy(d, "deviceDnsName"), "osPlatform": copy(d, "osPlatform"),
                "version": copy(d, "version"), "osProcessor": "x64", "osBuild": copy(d, "osBuild"),
                "healthStatus": pascal_or_null(d, "healthStatus"), "riskScore": pascal_or_null(d, "riskScore"),
                "rbacGroupName": copy(d, "rbacGroupName"), "rbacGroupId": copy(d, "rbacGroupId"),
                "firstSeen": copy(d, "firstSeenDateTime")})
        })
        .collect();
    let entities: Vec<Value> = flat_records(alert)
        .iter()
        .filter_map(|r| project(r, INCIDENT_ENTITY_TYPES, INCIDENT_ENTITY_FIELDS))
        .collect();
    let service = text(alert, "serviceSource").map(pascal);
    json!({
        "alertId": copy(alert, "id"),
        "providerAlertId": copy(alert, "providerAlertId"),
        "incidentId": incident_id,
        "serviceSource": service,
        "creationTime": copy(alert, "createdDateTime"),
        "lastUpdatedTime": copy(alert, "lastUpdateDateTime"),
        "resolvedTime": copy(alert, "resolvedDateTime"),
        "firstActivity": copy(alert, "firstActivityDateTime"),
        "lastActivity": copy(alert, "lastActivityDateTime"),
        "title": copy(alert, "title"),
        "description": copy(alert, "description"),
        "category": copy(alert, "category"),
        "status": pascal_or_null(alert, "status"),
        "severity": pascal_or_null(alert, "severity"),
        "investigationId": investigation_id(alert),
        "investigationState": pascal_or_null(alert, "investigationState"),
        "classification": pascal_or_null(alert, "classification"),
        "determination": pascal_or_null(alert, "determination"),
        "detectionSource": defender_detection_source(alert),
        "detectorId": copy(alert, "detectorId"),
        "assignedTo": copy(alert, "assignedTo"),
        "actorName": null,
        "threatFamilyName": copy(alert, "threatFamilyName"),
        "mitreTechniques": techniques(alert),
        "devices": devices,
        "entities": entities,
    })
}

fn mde_record(alert: &Value) -> Value {
    let machine = machine(alert);
    let on = |key: &str| machine.map_or(Value::Null, |m| copy(m, key));
    // The account the alert is about: the machine's signed-in user, else the first other one.
    let logged: Vec<Account> = machine
        .and_then(|m| m.get("loggedOnUsers"))
        .and_then(Value::as_array)
        .map(|l| l.iter().map(Account::of).collect())
        .unwrap_or_default();
    let related = logged
        .into_iter()
        .chain(items(alert).into_iter().filter_map(|n| match n.item {
            Item::User(a) => Some(a),
            _ => None,
        }))
        .find(|a| a.name.is_some() && a.domain.is_some() && !a.is_builtin())
        .map_or(
            Value::Null,
            |a| json!({"userName": a.name, "domainName": a.domain}),
        );
    let evidence: Vec<Value> = flat_records(alert)
        .iter()
        .filter_map(|r| project(r, MDE_EVIDENCE_TYPES, MDE_EVIDENCE_FIELDS))
        .collect();
    let incident = number(alert, "incidentId");
    json!({
        "id": copy(alert, "id"),
        "incidentId": incident,
        "investigationId": investigation_id(alert),
        "assignedTo": copy(alert, "assignedTo"),
        "severity": pascal_or_null(alert, "severity"),
        "status": pascal_or_null(alert, "status"),
        "classification": pascal_or_null(alert, "classification"),
        "determination": pascal_or_null(alert, "determination"),
        "investigationState": pascal_or_null(alert, "investigationState"),
        "detectionSource": defender_detection_source(alert),
        "detectorId": copy(alert, "detectorId"),
        "category": copy(alert, "category"),
        "threatFamilyName": copy(alert, "threatFamilyName"),
        "threatName": copy(alert, "threatDisplayName"),
        "title": copy(alert, "title"),
        "description": copy(alert, "description"),
        "alertCreationTime": copy(alert, "createdDateTime"),
        "firstEventTime": copy(alert, "firstActivityDateTime"),
        "lastEventTime": copy(alert, "lastActivityDateTime"),
        "lastUpdateTime": copy(alert, "lastUpdateDateTime"),
        "resolvedTime": copy(alert, "resolvedDateTime"),
        "machineId": on("mdeDeviceId"),
        "computerDnsName": on("deviceDnsName"),
        "rbacGroupName": on("rbacGroupName"),
        "aadTenantId": copy(alert, "tenantId"),
        "mitreTechniques": techniques(alert),
        "relatedUser": related,
        "comments": comments(alert),
        "evidence": evidence,
    })
}

// ---------------------------------------------------------------------------------------------
// Advanced hunting.

/// AlertInfo columns (defender-xdr/advanced-hunting-alertinfo-table.md).
#[rustfmt::skip]
const ALERT_INFO_COLUMNS: &[&str] = &[
    "Timestamp", "AlertId", "Title", "Category", "Severity", "ServiceSource", "DetectionSource", "AttackTechniques",
];

/// AlertEvidence columns (defender-xdr/advanced-hunting-alertevidence-table.md).
#[rustfmt::skip]
const ALERT_EVIDENCE_COLUMNS: &[&str] = &[
    "Timestamp", "AlertId", "Title", "Categories", "AttackTechniques", "ServiceSource", "DetectionSource",
    "EntityType", "EvidenceRole", "EvidenceDirection", "FileName", "FolderPath", "SHA1", "SHA256",
    "FileSize", "ThreatFamily", "RemoteIP", "RemoteUrl", "AccountName", "AccountDomain", "AccountSid",
    "AccountObjectId", "AccountUpn", "DeviceId", "DeviceName", "LocalIP", "NetworkMessageId", "EmailSubject",
    "Application", "ApplicationId", "OAuthApplicationId", "ProcessCommandLine", "RegistryKey", "RegistryValueName", "RegistryValueData",
    "AdditionalFields", "Severity", "CloudResource", "CloudPlatform", "ResourceType", "ResourceID", "SubscriptionId",
];

type Row = BTreeMap<&'static str, String>;

fn put(row: &mut Row, column: &'static str, value: Option<&str>) {
    if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
        row.insert(column, v.to_owned());
    }
}

fn put_value(row: &mut Row, column: &'static str, value: Option<&Value>) {
    match value {
        Some(Value::String(s)) => put(row, column, Some(s)),
        Some(Value::Number(n)) => put(row, column, Some(&n.to_string())),
        _ => {}
    }
}

/// Advanced hunting's `DetectionSource` values (`EDR`, `Antivirus`, product names).
fn ah_detection_source(alert: &Value) -> &str {
    match text(alert, "detectionSource").unwrap_or("") {
        "antivirus" => "Antivirus",
        "microsoftDefenderForEndpoint" => "EDR",
        "microsoftDefenderForOffice365" => "Microsoft Defender for Office 365",
        "microsoftDefenderForIdentity" => "Microsoft Defender for Identity",
        "cloudAppSecurity" | "microsoftDefenderForCloudApps" => "Microsoft Defender for Cloud Apps",
        "azureAdIdentityProtection" => "Microsoft Entra ID Protection",
        "microsoft365Defender" => "Microsoft Defender XDR",
        _ => text(alert, "productName").unwrap_or(""),
    }
}

/// `["Spearphishing Link (T1566.002)"]`, as a JSON string.
fn attack_techniques(alert: &Value) -> String {
    let named: Vec<String> = techniques(alert)
        .into_iter()
        .map(|id| match TECHNIQUE_NAMES.iter().find(|t| t.0 == id) {
            Some((_, name)) => format!("{name} ({id})"),
            None => id.to_owned(),
        })
        .collect();
    json!(named).to_string()
}

/// A host as Sentinel's entity schema writes it (also advanced hunting's `AdditionalFields`).
fn host_entity(d: &Value) -> Map<String, Value> {
    let logged: Vec<Value> = d
        .get("loggedOnUsers")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .map(|u| json!({"AccountName": copy(u, "accountName"), "DomainName": copy(u, "domainName")}))
                .collect()
        })
        .unwrap_or_default();
    let os = text(d, "osPlatform").unwrap_or("");
    let family = if os.starts_with("Windows") {
        "Windows"
    } else {
        os
    };
    let mut m = Map::new();
    for (key, value) in [
        ("HostName", copy(d, "hostName")),
        ("DnsDomain", copy(d, "dnsDomain")),
        ("NTDomain", copy(d, "ntDomain")),
        ("FQDN", copy(d, "deviceDnsName")),
        ("MdatpDeviceId", copy(d, "mdeDeviceId")),
        ("AadDeviceId", copy(d, "azureAdDeviceId")),
        ("OSFamily", json!(family)),
        ("OSVersion", copy(d, "version")),
        ("RiskScore", pascal_or_null(d, "riskScore")),
        ("HealthStatus", pascal_or_null(d, "healthStatus")),
        ("LoggedOnUsers", json!(logged)),
        ("IsDomainJoined", json!(text(d, "ntDomain").is_some())),
    ] {
        if !value.is_null() {
            m.insert(key.to_owned(), value);
        }
    }
    m.insert("Type".to_owned(), json!("host"));
    m
}

fn evidence_rows(alert: &Value) -> Vec<Row> {
    let mut base = Row::new();
    put(&mut base, "Timestamp", text(alert, "firstActivityDateTime"));
    put(&mut base, "AlertId", text(alert, "id"));
    put(&mut base, "Title", text(alert, "title"));
    let categories: Vec<&str> = text(alert, "category").into_iter().collect();
    put(
        &mut base,
        "Categories",
        Some(&json!(categories).to_string()),
    );
    put(
        &mut base,
        "AttackTechniques",
        Some(&attack_techniques(alert)),
    );
    put(&mut base, "ServiceSource", text(alert, "productName"));
    put(
        &mut base,
        "DetectionSource",
        Some(ah_detection_source(alert)),
    );
    let severity = pascal(text(alert, "severity").unwrap_or(""));
    put(&mut base, "Severity", Some(&severity));
    let mut rows: Vec<Row> = Vec::new();
    for Named { item, from } in items(alert) {
        let mut row = base.clone();
        let r = &mut row;
        let from_roles = roles(from);
        let impacted = from_roles
            .iter()
            .any(|x| matches!(*x, "compromised" | "attacked"));
        put(
            r,
            "EvidenceRole",
            Some(if impacted { "Impacted" } else { "Related" }),
        );
        let direction = from_roles.iter().find_map(|x| match *x {
            "source" => Some("Source"),
            "destination" => Some("Destination"),
            _ => None,
        });
        put(r, "EvidenceDirection", direction);
        let on_device = |r: &mut Row, e: &Value| {
            let d = device_by_id(alert, text(e, "mdeDeviceId"));
            put(r, "DeviceId", text(e, "mdeDeviceId"));
            put(r, "DeviceName", d.and_then(|d| text(d, "deviceDnsName")));
        };
        let file = |r: &mut Row, f: &Value| {
            put(r, "FileName", text(f, "fileName"));
            put(r, "FolderPath", text(f, "filePath"));
            put(r, "SHA1", text(f, "sha1"));
            put(r, "SHA256", text(f, "sha256"));
            put_value(r, "FileSize", f.get("fileSize"));
        };
        let entity_type = match item {
            Item::Device(d) => {
                put(r, "DeviceId", text(d, "mdeDeviceId"));
                put(r, "DeviceName", text(d, "deviceDnsName"));
                let host = Value::Object(host_entity(d)).to_string();
                put(r, "AdditionalFields", Some(&host));
                "Machine"
            }
            Item::User(a) => {
                put(r, "AccountName", a.name.as_deref());
                put(r, "AccountDomain", a.domain.as_deref());
                put(r, "AccountSid", a.sid.as_deref());
                put(r, "AccountObjectId", a.aad.as_deref());
                put(r, "AccountUpn", a.upn.as_deref());
                "User"
            }
            Item::Mailbox(e) => {
                put(r, "AccountUpn", text(e, "primaryAddress"));
                if let Some(a) = e.get("userAccount") {
                    put(r, "AccountName", text(a, "accountName"));
                    put(r, "AccountObjectId", text(a, "azureAdUserId"));
                }
                "Mailbox"
            }
            Item::Message(e) => {
                put(r, "NetworkMessageId", text(e, "networkMessageId"));
                put(r, "EmailSubject", text(e, "subject"));
                put(r, "AccountUpn", text(e, "recipientEmailAddress"));
                let extra = json!({"Recipient": copy(e, "recipientEmailAddress"),
                    "P1Sender": e.pointer("/p1Sender/emailAddress"), "SenderIP": copy(e, "senderIp"),
                    "InternetMessageId": copy(e, "internetMessageId"),
                    "DeliveryAction": pascal_or_null(e, "deliveryAction"),
                    "DeliveryLocation": pascal_or_null(e, "deliveryLocation"),
                    "ReceivedDate": copy(e, "receivedDateTime"), "Urls": copy(e, "urls"),
                    "Threats": copy(e, "threats")});
                put(r, "AdditionalFields", Some(&extra.to_string()));
                "MailMessage"
            }
            Item::Ip(e) => {
                put(r, "RemoteIP", text(e, "ipAddress"));
                if let Some(cc) = text(e, "countryLetterCode") {
                    let extra = json!({"CountryCode": cc}).to_string();
                    put(r, "AdditionalFields", Some(&extra));
                }
                "Ip"
            }
            Item::Url(e) => {
                put(r, "RemoteUrl", text(e, "url"));
                "Url"
            }
            Item::File(e) => {
                if let Some(f) = file_details(e, "fileDetails") {
                    file(r, f);
                    let hashes = json!({"MD5": copy(f, "md5")}).to_string();
                    put(r, "AdditionalFields", Some(&hashes));
                }
                put(r, "ThreatFamily", text(alert, "threatFamilyName"));
                on_device(r, e);
                "File"
            }
            Item::Process(e) => {
                if let Some(f) = file_details(e, "imageFile") {
                    file(r, f);
                }
                put(r, "ProcessCommandLine", text(e, "processCommandLine"));
                if let Some(a) = e.get("userAccount") {
                    put(r, "AccountName", text(a, "accountName"));
                    put(r, "AccountDomain", text(a, "domainName"));
                    put(r, "AccountSid", text(a, "userSid"));
                }
                on_device(r, e);
                let extra = json!({"ProcessId": scalar(e, "processId"),
                    "CommandLine": copy(e, "processCommandLine"),
                    "CreationTimeUtc": copy(e, "processCreationDateTime"), "Type": "process"});
                put(r, "AdditionalFields", Some(&extra.to_string()));
                "Process"
            }
            Item::CloudApp(e) => {
                put(r, "Application", text(e, "displayName"));
                put_value(r, "ApplicationId", e.get("appId"));
                "CloudApplication"
            }
            Item::RegistryKey(e) => {
                put(r, "RegistryKey", registry_path(e).as_deref());
                "RegistryKey"
            }
            Item::RegistryValue(e) => {
                put(r, "RegistryKey", registry_path(e).as_deref());
                put(r, "RegistryValueName", text(e, "registryValueName"));
                put(r, "RegistryValueData", text(e, "registryValue"));
                on_device(r, e);
                "RegistryValue"
            }
        };
        put(r, "EntityType", Some(entity_type));
        if !rows.contains(&row) {
            rows.push(row);
        }
    }
    rows
}

/// Rows as the portal writes a CSV export: UTF-8 BOM, CRLF, a header, quoting where needed.
fn csv_text(columns: &[&str], rows: &[Row]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(columns).expect("writing to memory");
    for row in rows {
        let cells = columns
            .iter()
            .map(|c| row.get(c).map_or("", String::as_str));
        writer.write_record(cells).expect("writing to memory");
    }
    let bytes = writer.into_inner().expect("writing to memory");
    String::from_utf8_lossy(&bytes).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Sentinel.

/// The Log Analytics workspace the rows were exported from.
const WORKSPACE_GROUP: &str = "kestrelridge-soc";
const WORKSPACE: &str = "kestrelridge-sentinel";

/// A GUID derived from a text (stable bookkeeping ids: no randomness).
fn guid(seed: &str) -> String {
    let h = hex::encode(Sha256::digest(seed.as_bytes()));
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// SecurityAlert `ProductName` and `ProviderName` of each Defender product.
fn sentinel_product(alert: &Value) -> (&'static str, &'static str) {
    match text(alert, "serviceSource").unwrap_or("") {
        "microsoftDefenderForEndpoint" => {
            ("Microsoft Defender Advanced Threat Protection", "MDATP")
        }
        "microsoftDefenderForOffice365" => ("Office 365 Advanced Threat Protection", "OATP"),
        "microsoftDefenderForIdentity" => (
            "Azure Advanced Threat Protection",
            "Azure Advanced Threat Protection",
        ),
        "microsoftDefenderForCloudApps" => ("Microsoft Cloud App Security", "MCAS"),
        "azureAdIdentityProtection" => ("Azure Active Directory Identity Protection", "IPC"),
        _ => ("Microsoft 365 Defender", "Microsoft 365 Defender"),
    }
}

/// The `Entities` list of one alert: definitions with `$id`s, references with `$ref`.
struct Entities {
    list: Vec<Value>,
    next_id: u32,
    hosts: BTreeMap<String, String>,
    accounts: Vec<(Account, String)>,
    files: BTreeMap<String, String>,
    keys: BTreeMap<String, String>,
}

impl Entities {
    fn new() -> Self {
        Entities {
            list: Vec::new(),
            // Sentinel numbers from 2 (the list itself is 1).
            next_id: 2,
            hosts: BTreeMap::new(),
            accounts: Vec::new(),
            files: BTreeMap::new(),
            keys: BTreeMap::new(),
        }
    }

    fn id(&mut self) -> String {
        let id = self.next_id.to_string();
        self.next_id += 1;
        id
    }

    /// An entity object with a fresh `$id`, its non-null fields and its `Type`.
    fn define(&mut self, entity_type: &str, fields: Vec<(&str, Value)>) -> (String, Value) {
        let id = self.id();
        let mut m = Map::new();
        m.insert("$id".to_owned(), json!(id));
        for (k, v) in fields {
            if !v.is_null() {
                m.insert(k.to_owned(), v);
            }
        }
        m.insert("Type".to_owned(), json!(entity_type));
        (id, Value::Object(m))
    }

    fn top(&mut self, entity_type: &str, fields: Vec<(&str, Value)>) -> String {
        let (id, v) = self.define(entity_type, fields);
        self.list.push(v);
        id
    }

    fn host(&mut self, d: &Value) {
        let mde = text(d, "mdeDeviceId").unwrap_or("").to_owned();
        if self.hosts.contains_key(&mde) {
            return;
        }
        let mut m = host_entity(d);
        let id = self.id();
        m.insert("$id".to_owned(), json!(id));
        self.list.push(Value::Object(m));
        self.hosts.insert(mde, id);
    }

    fn account(&mut self, a: &Account) -> String {
        if let Some((_, id)) = self.accounts.iter().find(|(x, _)| x == a) {
            return id.clone();
        }
        // A NetBIOS domain is `NTDomain`; Graph's cloud accounts give a DNS name instead.
        let dotted = a.domain.as_deref().is_some_and(|d| d.contains('.'));
        let domain = |dns: bool| match dotted == dns {
            true => json!(a.domain),
            false => Value::Null,
        };
        let suffix = a
            .upn
            .as_deref()
            .and_then(|u| u.split_once('@'))
            .map(|p| p.1);
        let id = self.top(
            "account",
            vec![
                ("Name", json!(a.name)),
                ("NTDomain", domain(false)),
                ("DnsDomain", domain(true)),
                ("UPNSuffix", json!(suffix)),
                ("UserPrincipalName", json!(a.upn)),
                ("Sid", json!(a.sid)),
                ("AadUserId", json!(a.aad)),
                ("DisplayName", json!(a.display)),
                ("IsDomainJoined", json!(a.sid.is_some())),
            ],
        );
        self.accounts.push((a.clone(), id.clone()));
        id
    }

    /// A file: a reference when the same file (by SHA-256, else path) is already defined, else
    /// a definition with nested `filehash` entities.
    fn file(&mut self, f: &Value) -> (String, Value) {
        let key = text(f, "sha256")
            .map(str::to_owned)
            .or_else(|| {
                Some(format!(
                    "{}\\{}",
                    text(f, "filePath")?,
                    text(f, "fileName")?
                ))
            })
            .unwrap_or_default();
        if let Some(id) = self.files.get(&key) {
            return (id.clone(), json!({"$ref": id}));
        }
        let id = self.id();
        let mut hashes = Vec::new();
        for (algorithm, field) in [("SHA1", "sha1"), ("SHA256", "sha256"), ("MD5", "md5")] {
            if let Some(value) = text(f, field) {
                let hash_id = self.id();
                hashes.push(
                    json!({"$id": hash_id, "Algorithm": algorithm, "Value": value,
                    "Type": "filehash"}),
                );
            }
        }
        let mut m = Map::new();
        m.insert("$id".to_owned(), json!(id));
        for (k, v) in [
            ("Name", copy(f, "fileName")),
            ("Directory", copy(f, "filePath")),
            ("SizeInBytes", copy(f, "fileSize")),
            ("FileHashes", json!(hashes)),
        ] {
            if !v.is_null() {
                m.insert(k.to_owned(), v);
            }
        }
        m.insert("Type".to_owned(), json!("file"));
        self.files.insert(key, id.clone());
        (id, Value::Object(m))
    }

    fn reference(id: Option<&String>) -> Value {
        id.map_or(Value::Null, |id| json!({"$ref": id}))
    }
}

/// The Sentinel entities of an alert: hosts, accounts, files and the other plain entities first,
/// then processes and registry values, which refer back to them.
fn sentinel_entities(alert: &Value) -> Vec<Value> {
    let named = items(alert);
    let mut es = Entities::new();
    for Named { item, .. } in &named {
        match item {
            Item::Device(d) => es.host(d),
            Item::User(a) => {
                es.account(a);
            }
            Item::Mailbox(e) => {
                let aad = e.pointer("/userAccount/azureAdUserId").cloned();
                es.top(
                    "mailbox",
                    vec![
                        ("MailboxPrimaryAddress", copy(e, "primaryAddress")),
                        ("Upn", copy(e, "upn")),
                        ("DisplayName", copy(e, "displayName")),
                        ("AadId", aad.unwrap_or(Value::Null)),
                    ],
                );
            }
            Item::Message(e) => {
                let sender = e.pointer("/p1Sender/emailAddress").cloned();
                let p2 = e.pointer("/p2Sender/emailAddress").cloned();
                es.top(
                    "mailMessage",
                    vec![
                        ("NetworkMessageId", copy(e, "networkMessageId")),
                        ("InternetMessageId", copy(e, "internetMessageId")),
                        ("Recipient", copy(e, "recipientEmailAddress")),
                        ("Subject", copy(e, "subject")),
                        ("Sender", sender.clone().unwrap_or(Value::Null)),
                        ("P1Sender", sender.unwrap_or(Value::Null)),
                        ("P2Sender", p2.unwrap_or(Value::Null)),
                        ("SenderIP", copy(e, "senderIp")),
                        ("ReceiveDate", copy(e, "receivedDateTime")),
                        ("DeliveryAction", pascal_or_null(e, "deliveryAction")),
                        ("DeliveryLocation", pascal_or_null(e, "deliveryLocation")),
                        ("AntispamDirection", pascal_or_null(e, "antiSpamDirection")),
                        ("Language", copy(e, "language")),
                        ("Urls", copy(e, "urls")),
                        ("Threats", copy(e, "threats")),
                    ],
                );
            }
            Item::Ip(e) => {
                let location = text(e, "countryLetterCode").map(|cc| json!({"CountryCode": cc}));
                es.top(
                    "ip",
                    vec![
                        ("Address", copy(e, "ipAddress")),
                        ("Location", location.unwrap_or(Value::Null)),
                    ],
                );
            }
            Item::Url(e) => {
                es.top("url", vec![("Url", copy(e, "url"))]);
            }
            Item::File(e) => {
                if let Some(f) = file_details(e, "fileDetails") {
                    let (_, v) = es.file(f);
                    if v.get("$ref").is_none() {
                        es.list.push(v);
                    }
                }
            }
            Item::CloudApp(e) => {
                es.top(
                    "cloud-application",
                    vec![
                        ("AppId", copy(e, "appId")),
                        ("Name", copy(e, "displayName")),
                        ("InstanceName", copy(e, "instanceName")),
                    ],
                );
            }
            Item::RegistryKey(e) => {
                let path = registry_path(e).unwrap_or_default();
                if !es.keys.contains_key(&path) {
                    let id = es.top(
                        "registry-key",
                        vec![
                            ("Hive", copy(e, "registryHive")),
                            ("Key", copy(e, "registryKey")),
                        ],
                    );
                    es.keys.insert(path, id);
                }
            }
            Item::Process(_) | Item::RegistryValue(_) => {}
        }
    }
    for Named { item, .. } in &named {
        match item {
            Item::Process(e) => {
                let host =
                    Entities::reference(text(e, "mdeDeviceId").and_then(|m| es.hosts.get(m)));
                let account = e
                    .get("userAccount")
                    .map(Account::of)
                    .filter(|a| !a.is_empty())
                    .map(|a| {
                        let id = es.account(&a);
                        json!({"$ref": id})
                    });
                let image = file_details(e, "imageFile").map(|f| es.file(f).1);
                es.top(
                    "process",
                    vec![
                        ("ProcessId", json!(scalar(e, "processId"))),
                        ("CommandLine", copy(e, "processCommandLine")),
                        ("CreationTimeUtc", copy(e, "processCreationDateTime")),
                        ("ImageFile", image.unwrap_or(Value::Null)),
                        ("Account", account.unwrap_or(Value::Null)),
                        ("Host", host),
                    ],
                );
            }
            Item::RegistryValue(e) => {
                let path = registry_path(e).unwrap_or_default();
                let key = match es.keys.get(&path) {
                    Some(id) => json!({"$ref": id}),
                    None => {
                        let (id, v) = es.define(
                            "registry-key",
                            vec![
                                ("Hive", copy(e, "registryHive")),
                                ("Key", copy(e, "registryKey")),
                            ],
                        );
                        es.keys.insert(path, id);
                        v
                    }
                };
                es.top(
                    "registry-value",
                    vec![
                        ("Key", key),
                        ("Name", copy(e, "registryValueName")),
                        ("Value", copy(e, "registryValue")),
                        ("ValueType", copy(e, "registryValueType")),
                    ],
                );
            }
            _ => {}
        }
    }
    es.list
}

/// Sentinel's `Tactics`: MITRE tactics only (`Unknown` for Defender's other categories).
fn sentinel_tactics(alert: &Value) -> &str {
    match text(alert, "category") {
        Some(c) if naming::is_tactic(c) => c,
        Some("Ransomware") => "Impact",
        _ => "Unknown",
    }
}

fn sentinel_row(alert: &Value) -> Value {
    let (product, provider) = sentinel_product(alert);
    let ids = techniques(alert);
    let mut parents: Vec<&str> = Vec::new();
    for id in &ids {
        let parent = id.split('.').next().unwrap_or(id);
        if !parents.contains(&parent) {
            parents.push(parent);
        }
    }
    let subs: Vec<&str> = ids.iter().copied().filter(|t| t.contains('.')).collect();
    let entities = sentinel_entities(alert);
    let extended = json!({
        "Category": copy(alert, "category"),
        "DetectionSource": copy(alert, "detectionSource"),
        "ServiceSource": copy(alert, "serviceSource"),
        "ThreatFamilyName": copy(alert, "threatFamilyName"),
    });
    let compromised = machine(alert)
        .and_then(|m| text(m, "deviceDnsName"))
        .or_else(|| {
            evidence(alert).iter().find_map(|e| {
                e.pointer("/userAccount/userPrincipalName")
                    .and_then(Value::as_str)
            })
        });
    let status = match text(alert, "status") {
        Some("resolved") => "Resolved",
        Some("inProgress") => "InProgress",
        _ => "New",
    };
    let remediation: Vec<&str> = text(alert, "recommendedActions").into_iter().collect();
    let tenant = text(alert, "tenantId").unwrap_or("");
    let subscription = guid(&format!("subscription:{tenant}"));
    let workspace = format!("/subscriptions/{subscription}/resourcegroups/{WORKSPACE_GROUP}/providers/microsoft.operationalinsights/workspaces/{WORKSPACE}");
    json!({
        "TenantId": copy(alert, "tenantId"),
        "TimeGenerated": copy(alert, "createdDateTime"),
        "DisplayName": copy(alert, "title"),
        "AlertName": copy(alert, "title"),
        "AlertSeverity": pascal_or_null(alert, "severity"),
        "Description": copy(alert, "description"),
        "ProviderName": provider,
        "VendorName": "Microsoft",
        "VendorOriginalId": copy(alert, "providerAlertId"),
        "SystemAlertId": copy(alert, "id"),
        "ResourceId": "",
        "SourceComputerId": "",
        "AlertType": copy(alert, "detectorId"),
        "ConfidenceLevel": "",
        "ConfidenceScore": null,
        "IsIncident": false,
        "StartTime": copy(alert, "firstActivityDateTime"),
        "EndTime": copy(alert, "lastActivityDateTime"),
        "ProcessingEndTime": copy(alert, "createdDateTime"),
        "RemediationSteps": json!(remediation).to_string(),
        "ExtendedProperties": extended.to_string(),
        "Entities": Value::Array(entities).to_string(),
        "SourceSystem": "Detection",
        "WorkspaceSubscriptionId": subscription,
        "WorkspaceResourceGroup": WORKSPACE_GROUP,
        "_ItemId": guid(&format!("item:{}", text(alert, "id").unwrap_or(""))),
        "_Internal_WorkspaceResourceId": workspace,
        "ExtendedLinks": "",
        "ProductName": product,
        "ProductComponentName": "",
        "AlertLink": copy(alert, "alertWebUrl"),
        "Status": status,
        "CompromisedEntity": compromised.unwrap_or(""),
        "Tactics": sentinel_tactics(alert),
        "Techniques": json!(parents).to_string(),
        "SubTechniques": json!(subs).to_string(),
        "Type": "SecurityAlert",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{generate, DemoConfig};

    fn demo() -> Vec<GeneratedAlert> {
        generate(&DemoConfig::default())
    }

    type Writer = fn(&[GeneratedAlert]) -> String;
    const WRITERS: [(&str, Writer); 6] = [
        ("incidents", to_defender_incidents_api),
        ("mde", to_mde_alerts_api),
        ("alertinfo", to_ah_alertinfo_csv),
        ("alertevidence", to_ah_alertevidence_csv),
        ("sentinel", to_sentinel_securityalert_json),
        ("sentinel-csv", to_sentinel_securityalert_csv),
    ];

    #[test]
    fn every_writer_is_deterministic_and_depends_on_the_seed() {
        let (a, b) = (demo(), demo());
        let other = generate(&DemoConfig {
            seed: 7,
            ..DemoConfig::default()
        });
        for (name, write) in WRITERS {
            let text = write(&a);
            assert!(!text.is_empty(), "{name}");
            assert_eq!(text, write(&b), "{name} is not deterministic");
            assert_ne!(text, write(&other), "{name} ignores the seed");
        }
    }

    #[test]
    fn csv_exports_have_a_bom_crlf_and_the_documented_header() {
        let alerts = demo();
        for (text, columns, min_rows) in [
            (
                to_ah_alertinfo_csv(&alerts),
                ALERT_INFO_COLUMNS,
                alerts.len(),
            ),
            (
                to_ah_alertevidence_csv(&alerts),
                ALERT_EVIDENCE_COLUMNS,
                alerts.len() + 1,
            ),
        ] {
            let body = text.strip_prefix('\u{feff}').expect("a byte-order mark");
            assert_eq!(body.split("\r\n").next(), Some(columns.join(",").as_str()));
            assert!(!body.replace("\r\n", "").contains('\n'), "a bare LF");
            let rows = body.matches("\r\n").count() - 1;
            assert!(rows >= min_rows, "{rows} rows");
        }
        assert_eq!(
            to_ah_alertinfo_csv(&alerts).matches("\r\n").count(),
            alerts.len() + 1
        );
    }

    #[test]
    fn the_mde_api_holds_only_endpoint_alerts_and_incidents_hold_every_alert() {
        let alerts = demo();
        let page: Value = serde_json::from_str(&to_mde_alerts_api(&alerts)).expect("JSON");
        let n_mde = alerts
            .iter()
            .filter(|a| a.alert["serviceSource"] == "microsoftDefenderForEndpoint")
            .count();
        let value = page["value"].as_array().expect("value");
        assert_eq!(value.len(), n_mde);
        assert!(value
            .iter()
            .all(|a| a["machineId"].is_string() && a["incidentId"].is_u64()));
        let mut listed = 0;
        for line in to_defender_incidents_api(&alerts).lines() {
            let incident: Value = serde_json::from_str(line).expect("one incident per line");
            assert!(incident["incidentId"].is_u64());
            listed += incident["alerts"].as_array().map_or(0, Vec::len);
        }
        assert_eq!(listed, alerts.len());
    }

    #[test]
    fn sentinel_entities_are_json_text_with_ids_and_references() {
        let alerts = demo();
        let text = to_sentinel_securityalert_json(&alerts);
        let mut refs = 0;
        for line in text.lines() {
            let row: Value = serde_json::from_str(line).expect("one row per line");
            let entities: Value = row["Entities"]
                .as_str()
                .and_then(|s| serde_json::from_str(s).ok())
                .expect("Entities is JSON text");
            let list = entities.as_array().expect("a list");
            assert!(list.iter().all(|e| e["$id"].is_string()));
            refs += line.matches("$ref").count();
        }
        assert!(refs > 0);
    }
}
