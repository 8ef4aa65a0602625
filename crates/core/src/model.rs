//! The normalized model: alerts, entities, evidence and incidents as plain data.
//!
//! Every ingest format converts its wire structs into these types and drops them; correlation,
//! queries and exports see only this module. Ids are newtypes derived from the input, never random,
//! so the same files give the same model byte for byte. Everything here serializes as-is (the
//! worker answers the page with these types, and hand-over files will carry them).

/// The core's hash maps and sets: std's, with foldhash's fast hasher (seeded per map, as std's
/// is) in place of SipHash. `HashMap::new()` and `with_capacity` come from the `…Ext` traits.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
pub use foldhash::{HashMapExt, HashSetExt};

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

/// Text that repeats across alerts (titles, categories, sources, tenants, roles, file names):
/// one shared copy, so 100,000 alerts titled alike hold one title. Reads as a `str`; the
/// ingest's `Interner` makes equal values share one allocation.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sym(std::sync::Arc<str>);

static EMPTY_SYM: std::sync::LazyLock<std::sync::Arc<str>> =
    std::sync::LazyLock::new(|| std::sync::Arc::from(""));

impl Sym {
    pub fn new(text: &str) -> Sym {
        if text.is_empty() {
            Sym::default()
        } else {
            Sym(text.into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Sym {
    fn default() -> Self {
        Sym(std::sync::Arc::clone(&EMPTY_SYM))
    }
}

impl std::ops::Deref for Sym {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Sym {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Sym {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Sym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Sym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Sym {
    fn from(text: String) -> Self {
        if text.is_empty() {
            Sym::default()
        } else {
            Sym(text.into())
        }
    }
}

impl From<std::borrow::Cow<'_, str>> for Sym {
    fn from(text: std::borrow::Cow<'_, str>) -> Self {
        Sym::new(&text)
    }
}

impl From<&str> for Sym {
    fn from(text: &str) -> Self {
        Sym::new(text)
    }
}

impl From<&String> for Sym {
    fn from(text: &String) -> Self {
        Sym::new(text)
    }
}

impl From<Sym> for String {
    fn from(text: Sym) -> Self {
        text.0.to_string()
    }
}

impl PartialEq<str> for Sym {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Sym {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Sym {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

/// Makes equal texts share one allocation (one per file while it streams, one per load).
#[derive(Debug, Default)]
pub struct Interner(HashSet<Sym>);

impl Interner {
    /// The shared copy of `text`.
    pub fn intern(&mut self, text: &Sym) -> Sym {
        self.shared(text.as_str(), || text.clone())
    }

    /// The shared copy of `text`, made the first time.
    pub fn intern_str(&mut self, text: &str) -> Sym {
        self.shared(text, || Sym::new(text))
    }

    /// The shared copy of `text`; `make` gives the copy to keep when there is none yet.
    fn shared(&mut self, text: &str, make: impl FnOnce() -> Sym) -> Sym {
        if text.is_empty() {
            return Sym::default();
        }
        match self.0.get(text) {
            Some(shared) => shared.clone(),
            None => {
                let shared = make();
                self.0.insert(shared.clone());
                shared
            }
        }
    }
}

/// What makes equal texts share one copy: an [`Interner`], or one shared between threads.
pub trait Share {
    /// Replaces `text` by its shared copy.
    fn share(&mut self, text: &mut Sym);

    fn share_all(&mut self, texts: &mut [Sym]) {
        for text in texts {
            self.share(text);
        }
    }
}

impl Share for Interner {
    fn share(&mut self, text: &mut Sym) {
        *text = self.intern(text);
    }
}

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
    /// Every severity, most severe first (as counts, filters and legends list them).
    pub const MOST_SEVERE_FIRST: [Severity; 6] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Informational,
        Severity::Unknown,
    ];

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
    pub attributes: Vec<(Sym, Sym)>,
}

/// A resolved entity: every mention whose strong identifiers connect is one entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub entity_id: EntityId,
    pub kind: EntityKind,
    pub name: String,
    /// Every identifier seen, sorted.
    pub identifiers: Vec<Identifier>,
    pub attributes: Vec<(Sym, Sym)>,
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
    pub remediation_status: Sym,
    pub roles: Vec<Sym>,
    pub first_seen: Option<Timestamp>,
}

/// Where a record came from: the file and the record's position in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub struct Provenance {
    pub file: Sym,
    pub location: String,
}

/// A comment carried by the export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub author: String,
    pub created: Option<Timestamp>,
    pub text: String,
}

/// The title of an alert whose export gives none.
pub const UNTITLED: &str = "(untitled alert)";

/// A normalized alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Alert {
    pub alert_id: AlertId,
    /// Other ids the same alert carries in other exports (provider ids); see CONTRACT.md.
    pub aliases: Vec<String>,
    pub title: Sym,
    pub description: Sym,
    pub severity: Severity,
    pub status: Status,
    /// Graph category / MITRE tactic as exported (`InitialAccess`, `Ransomware`...).
    pub category: Sym,
    pub mitre_techniques: Vec<Sym>,
    pub service_source: Sym,
    pub detection_source: Sym,
    pub product_name: Sym,
    pub created: Option<Timestamp>,
    pub first_activity: Timestamp,
    pub last_activity: Timestamp,
    pub resolved: Option<Timestamp>,
    pub classification: Sym,
    pub determination: Sym,
    pub assigned_to: Sym,
    pub threat_name: Sym,
    /// Automated-investigation fields as exported; empty when the export has none.
    pub investigation_id: Sym,
    pub investigation_state: Sym,
    /// The incident id the export itself assigns (Graph/Defender `incidentId`).
    pub source_incident_id: Option<Sym>,
    pub tenant_id: Sym,
    pub comments: Vec<Comment>,
    pub evidence: Vec<Evidence>,
    /// The formats (contract ids) of the records that described this alert.
    #[serde(default)]
    pub sources: Vec<Sym>,
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
            title: Sym::new(UNTITLED),
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
            if field.trim().is_empty() || *field == UNTITLED {
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

    /// Makes the alert's repeated texts share the interner's copies. The provenance's file
    /// name is left out: the ingest gives every alert of a file that file's one copy.
    pub fn share_text(&mut self, interner: &mut impl Share) {
        let alert = self;
        for field in [
            &mut alert.title,
            &mut alert.description,
            &mut alert.category,
            &mut alert.service_source,
            &mut alert.detection_source,
            &mut alert.product_name,
            &mut alert.classification,
            &mut alert.determination,
            &mut alert.assigned_to,
            &mut alert.threat_name,
            &mut alert.investigation_id,
            &mut alert.investigation_state,
            &mut alert.tenant_id,
        ] {
            interner.share(field);
        }
        if let Some(id) = &mut alert.source_incident_id {
            interner.share(id);
        }
        interner.share_all(&mut alert.mitre_techniques);
        interner.share_all(&mut alert.sources);
        for evidence in &mut alert.evidence {
            interner.share(&mut evidence.remediation_status);
            interner.share_all(&mut evidence.roles);
        }
        alert.mitre_techniques.shrink_to_fit();
        alert.sources.shrink_to_fit();
        alert.evidence.shrink_to_fit();
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
    pub title: Sym,
    pub severity: Severity,
    pub status: Status,
    pub first_activity: Timestamp,
    pub last_activity: Timestamp,
    /// Member alerts in canonical order.
    pub alert_ids: Vec<AlertId>,
    /// Every entity the member alerts name, in a stable order.
    pub entity_ids: Vec<EntityId>,
    /// Categories in kill-chain order, as display names.
    pub categories: Vec<Sym>,
    pub service_sources: Vec<Sym>,
    pub detection_sources: Vec<Sym>,
    pub receipts: Vec<Receipt>,
    /// Entities the incident touches that were too prevalent to link alerts.
    pub noisy_entity_ids: Vec<EntityId>,
    /// The export's own incident ids for the member alerts.
    pub source_incident_ids: Vec<Sym>,
    pub assigned_to: Sym,
    pub classification: Sym,
    pub determination: Sym,
    /// Set when this incident is one part of a group of linked alerts too large to be one
    /// incident (the runaway guard, `max_incident_alerts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<SplitNote>,
}

impl Incident {
    /// Makes the incident's repeated texts share the interner's copies (100,000 incidents
    /// hold a few hundred distinct titles and categories).
    pub fn share_text(&mut self, interner: &mut Interner) {
        for field in [
            &mut self.title,
            &mut self.assigned_to,
            &mut self.classification,
            &mut self.determination,
        ] {
            interner.share(field);
        }
        for list in [
            &mut self.categories,
            &mut self.service_sources,
            &mut self.detection_sources,
            &mut self.source_incident_ids,
        ] {
            interner.share_all(list);
            list.shrink_to_fit();
        }
        self.alert_ids.shrink_to_fit();
        self.entity_ids.shrink_to_fit();
        self.receipts.shrink_to_fit();
        self.noisy_entity_ids.shrink_to_fit();
    }
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
