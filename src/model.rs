//! The normalized model: alerts, entities, evidence and incidents as plain data.
//!
//! Every ingest format converts its wire structs into these types and drops them; correlation,
//! queries and exports see only this module. Ids are newtypes derived from the input, never random,
//! so the same files give the same model byte for byte. Everything here serializes as-is (the
//! worker answers the page with these types, and hand-over files will carry them).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A moment in time, always UTC.
pub type Timestamp = DateTime<Utc>;

macro_rules! id_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Shared text: an id is cloned into indexes, receipts and incidents, and 100,000 alerts
        /// hold each of their entities' ids; a clone is a reference count, not a copy.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
        #[serde(transparent)]
        pub struct $name(pub std::sync::Arc<str>);

        impl $name {
            pub fn new(text: impl Into<std::sync::Arc<str>>) -> Self {
                $name(text.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                $name(text.into())
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name(text.into())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_newtype!(
    /// The alert's own id in its export (Graph `id`, Defender `alertId`, AH `AlertId`, Sentinel `SystemAlertId`).
    AlertId
);
id_newtype!(
    /// A stable id of a resolved entity, derived from its identifiers.
    EntityId
);
id_newtype!(
    /// An incident id derived from its member alerts; URL-safe.
    IncidentId
);

/// Alert and incident severity, ordered from least to most severe.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    #[default]
    Unknown,
    Informational,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Reads the casings the Microsoft APIs use (`high`, `High`, `UnSpecified`, ...).
    pub fn parse(text: &str) -> Severity {
        match text.trim().to_ascii_lowercase().as_str() {
            "informational" | "info" => Severity::Informational,
            "low" => Severity::Low,
            "medium" | "med" => Severity::Medium,
            "high" => Severity::High,
            "critical" | "crit" => Severity::Critical,
            _ => Severity::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unknown => "unknown",
            Severity::Informational => "informational",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// Workflow status of an alert or incident.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    New,
    InProgress,
    Resolved,
}

impl Status {
    /// Reads `new`, `inProgress`, `InProgress`, `resolved`, ...; `active` (open) and unknown values count as new.
    pub fn parse(text: &str) -> Status {
        match text.trim().to_ascii_lowercase().as_str() {
            "inprogress" | "in_progress" | "in progress" | "awaitingaction" => Status::InProgress,
            "resolved" | "closed" => Status::Resolved,
            _ => Status::New,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in_progress",
            Status::Resolved => "resolved",
        }
    }
}

/// The kinds of entity the contract names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Device,
    User,
    Mailbox,
    MailMessage,
    Ip,
    Url,
    Domain,
    File,
    Process,
    CloudApp,
    RegistryKey,
    RegistryValue,
    Other,
}

impl EntityKind {
    pub const ALL: [EntityKind; 13] = [
        EntityKind::Device,
        EntityKind::User,
        EntityKind::Mailbox,
        EntityKind::MailMessage,
        EntityKind::Ip,
        EntityKind::Url,
        EntityKind::Domain,
        EntityKind::File,
        EntityKind::Process,
        EntityKind::CloudApp,
        EntityKind::RegistryKey,
        EntityKind::RegistryValue,
        EntityKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Device => "device",
            EntityKind::User => "user",
            EntityKind::Mailbox => "mailbox",
            EntityKind::MailMessage => "mail_message",
            EntityKind::Ip => "ip",
            EntityKind::Url => "url",
            EntityKind::Domain => "domain",
            EntityKind::File => "file",
            EntityKind::Process => "process",
            EntityKind::CloudApp => "cloud_app",
            EntityKind::RegistryKey => "registry_key",
            EntityKind::RegistryValue => "registry_value",
            EntityKind::Other => "other",
        }
    }

    /// Impacted assets in Defender's sense: what the incident is *about*, not its artifacts.
    pub fn is_asset(self) -> bool {
        matches!(
            self,
            EntityKind::Device | EntityKind::User | EntityKind::Mailbox | EntityKind::CloudApp
        )
    }
}

/// One identifier of an entity, as a normalized key (`"sid:s-1-5-21-…"`, `"fqdn:host.corp.local"`).
///
/// `strong` identifiers name one real-world thing (Sentinel's strong identifiers); weak ones (a bare
/// host or account name) are kept for display and search but never merge or link entities.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Identifier {
    pub key: String,
    pub strong: bool,
}

/// An entity as one alert's evidence names it, before resolution merges mentions across alerts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EntityMention {
    pub kind: EntityKind,
    /// The best display name this mention offers.
    pub name: String,
    pub identifiers: Vec<Identifier>,
    /// Extra facts worth showing (OS, country, command line...), in a stable order.
    pub attributes: Vec<(String, String)>,
}

/// A resolved entity: every mention whose strong identifiers connect is one entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub entity_id: EntityId,
    pub kind: EntityKind,
    pub name: String,
    /// Every identifier seen, sorted.
    pub identifiers: Vec<Identifier>,
    pub attributes: Vec<(String, String)>,
    /// Built-in accounts and similar names that are never identifiers of a real thing.
    pub builtin: bool,
}

/// The analyst-facing verdict on a piece of evidence.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    #[default]
    Unknown,
    NoThreatsFound,
    Suspicious,
    Malicious,
}

impl Verdict {
    pub fn parse(text: &str) -> Verdict {
        match text.trim().to_ascii_lowercase().as_str() {
            "malicious" => Verdict::Malicious,
            "suspicious" => Verdict::Suspicious,
            "nothreatsfound" | "clean" | "benign" => Verdict::NoThreatsFound,
            _ => Verdict::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Unknown => "unknown",
            Verdict::NoThreatsFound => "no_threats_found",
            Verdict::Suspicious => "suspicious",
            Verdict::Malicious => "malicious",
        }
    }
}

/// One entity in one alert, with what the alert says about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub entity_id: EntityId,
    pub verdict: Verdict,
    /// As the export writes it (`remediated`, `prevented`, ...); empty when absent.
    pub remediation_status: String,
    pub roles: Vec<String>,
    pub first_seen: Option<Timestamp>,
}

/// Where a record came from: the file and the record's position in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub struct Provenance {
    pub file: String,
    pub location: String,
}

/// A comment carried by the export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub author: String,
    pub created: Option<Timestamp>,
    pub text: String,
}

/// A normalized alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Alert {
    pub alert_id: AlertId,
    /// Other ids the same alert carries in other exports (provider ids); see CONTRACT.md.
    pub aliases: Vec<String>,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub status: Status,
    /// Graph category / MITRE tactic as exported (`InitialAccess`, `Ransomware`...).
    pub category: String,
    pub mitre_techniques: Vec<String>,
    pub service_source: String,
    pub detection_source: String,
    pub product_name: String,
    pub created: Option<Timestamp>,
    pub first_activity: Timestamp,
    pub last_activity: Timestamp,
    pub resolved: Option<Timestamp>,
    pub classification: String,
    pub determination: String,
    pub assigned_to: String,
    pub threat_name: String,
    /// Automated-investigation fields as exported; empty when the export has none.
    pub investigation_id: String,
    pub investigation_state: String,
    /// The incident id the export itself assigns (Graph/Defender `incidentId`).
    pub source_incident_id: Option<String>,
    pub tenant_id: String,
    pub comments: Vec<Comment>,
    pub evidence: Vec<Evidence>,
    /// The formats (contract ids) of the records that described this alert.
    #[serde(default)]
    pub sources: Vec<String>,
    pub provenance: Provenance,
}

impl Alert {
    /// An alert with its id, activity span (in either order) and origin; every other field empty,
    /// for converters to fill with what their format carries.
    pub fn new(
        alert_id: String,
        first: Timestamp,
        last: Timestamp,
        provenance: Provenance,
    ) -> Alert {
        Alert {
            alert_id: AlertId::new(alert_id),
            title: "(untitled alert)".to_owned(),
            first_activity: first.min(last),
            last_activity: last.max(first),
            provenance,
            ..Alert::default()
        }
    }

    /// Fields one copy lacks and another has (an AlertEvidence row has no detection source, an
    /// AlertInfo row no evidence): the merged alert keeps whatever any copy knew.
    pub fn fill_missing_from(&mut self, other: &Alert) {
        let alert = self;
        for (field, value) in [
            (&mut alert.title, &other.title),
            (&mut alert.description, &other.description),
            (&mut alert.category, &other.category),
            (&mut alert.service_source, &other.service_source),
            (&mut alert.detection_source, &other.detection_source),
            (&mut alert.product_name, &other.product_name),
            (&mut alert.classification, &other.classification),
            (&mut alert.determination, &other.determination),
            (&mut alert.assigned_to, &other.assigned_to),
            (&mut alert.threat_name, &other.threat_name),
            (&mut alert.investigation_id, &other.investigation_id),
            (&mut alert.investigation_state, &other.investigation_state),
            (&mut alert.tenant_id, &other.tenant_id),
        ] {
            if field.trim().is_empty() || field == "(untitled alert)" {
                field.clone_from(value);
            }
        }
        for source in &other.sources {
            if !alert.sources.contains(source) {
                alert.sources.push(source.clone());
            }
        }
        alert.sources.sort();
        if alert.mitre_techniques.is_empty() {
            alert.mitre_techniques.clone_from(&other.mitre_techniques);
        }
        if alert.severity == Severity::Unknown {
            alert.severity = other.severity;
        }
        if alert.source_incident_id.is_none() {
            alert
                .source_incident_id
                .clone_from(&other.source_incident_id);
        }
    }

    /// The canonical order of alerts: earliest activity first, then by id.
    pub fn sort_key(&self) -> (Timestamp, &str) {
        (self.first_activity, self.alert_id.as_str())
    }
}

/// Why two alerts are in one incident: one edge of the incident's spanning tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub from: AlertId,
    pub to: AlertId,
    /// `shared-entity` (correlation) or `source-incident` (the export's own grouping).
    pub rule: String,
    pub entity_id: Option<EntityId>,
    pub identifier: Option<String>,
    pub gap_seconds: i64,
}

/// An incident: a set of alerts with its derived facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub incident_id: IncidentId,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub first_activity: Timestamp,
    pub last_activity: Timestamp,
    /// Member alerts in canonical order.
    pub alert_ids: Vec<AlertId>,
    /// Every entity the member alerts name, in a stable order.
    pub entity_ids: Vec<EntityId>,
    /// Categories in kill-chain order, as display names.
    pub categories: Vec<String>,
    pub service_sources: Vec<String>,
    pub detection_sources: Vec<String>,
    pub receipts: Vec<Receipt>,
    /// Entities the incident touches that were too prevalent to link alerts.
    pub noisy_entity_ids: Vec<EntityId>,
    /// The export's own incident ids for the member alerts.
    pub source_incident_ids: Vec<String>,
    pub assigned_to: String,
    pub classification: String,
    pub determination: String,
    /// Set when this incident is one part of a group of linked alerts too large to be one
    /// incident (the runaway guard, `max_incident_alerts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<SplitNote>,
}

/// Why a group of linked alerts became several incidents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitNote {
    /// Alerts in the whole linked group.
    pub group_alerts: usize,
    /// Incidents it became.
    pub parts: usize,
    /// The cap in force.
    pub cap: usize,
}

/// Something that went wrong reading a file; the rest of the file and the other files still load.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Problem {
    pub file: String,
    /// `line 3, column 17`, `record 12`, or empty when it concerns the whole file.
    pub location: String,
    pub message: String,
    /// How many times the same message repeated in this file (the first location is kept).
    pub count: usize,
}

/// An incident as the export itself describes it (Graph or Defender incident, Sentinel
/// SecurityIncident): its own id, name and workflow fields, and the alerts it claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceIncident {
    pub source_incident_id: String,
    pub display_name: String,
    pub severity: Severity,
    pub status: Status,
    /// The incident this one was merged into (`redirectIncidentId`).
    pub redirected_to: Option<String>,
    pub classification: String,
    pub determination: String,
    pub assigned_to: String,
    pub tags: Vec<String>,
    pub comments: Vec<Comment>,
    pub created: Option<Timestamp>,
    pub last_update: Option<Timestamp>,
    pub alert_ids: Vec<AlertId>,
    pub provenance: Provenance,
}
