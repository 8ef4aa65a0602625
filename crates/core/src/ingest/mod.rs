//! Ingest: bytes of an export file in, raw alerts and problems out.
//!
//! [`ingest_file`] hashes and counts the bytes as they stream past, detects the format from the
//! content (never from the file name), and hands each record to that format's converter. It never
//! fails as a whole: what it cannot read becomes a [`Problem`] naming the file and the position,
//! and every record it could read is kept. Entity resolution and duplicate merging happen later,
//! across all files (`crate::analysis`).

mod advanced_hunting;
mod container;
mod decode;
mod defender_api;
mod graph_alerts;
mod json_cell;
pub mod json_stream;
pub mod mentions;
mod sentinel;
pub mod tabular;
pub mod text;

pub use crate::model::SourceIncident;
use crate::model::{
    Alert, EntityMention, Interner, Problem, Provenance, Share, Sym, Timestamp, Verdict,
};
use crate::model::{HashMap, HashMapExt, HashSet};
use crate::spread::{InTurn, Spread};
pub use container::{ingest, ingest_seekable, ingest_seekable_hashing, sha256_hex, ContainerInfo};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufReader, Read};
use std::sync::{Arc, Mutex};

/// An alert as one file describes it, with its evidence not yet resolved to entities.
#[derive(Debug, Clone)]
pub struct RawAlert {
    pub alert: Alert,
    pub evidence: Vec<RawEvidence>,
    /// Evidence types this build does not read yet (reported, not fatal).
    pub unknown_evidence_types: Vec<String>,
}

impl RawAlert {
    /// Makes the alert's repeated texts (and its evidence's) share the interner's copies.
    pub fn share_text(&mut self, interner: &mut impl Share) {
        self.alert.share_text(interner);
        for evidence in &mut self.evidence {
            interner.share(&mut evidence.remediation_status);
            interner.share_all(&mut evidence.roles);
        }
        self.evidence.shrink_to_fit();
    }
}

/// One piece of evidence: the entity as named here, and what the alert says about it.
#[derive(Debug, Clone)]
pub struct RawEvidence {
    /// Shared: a file names the same device or user in thousands of alerts, and holds it once.
    pub mention: Arc<EntityMention>,
    pub verdict: Verdict,
    pub remediation_status: Sym,
    pub roles: Vec<Sym>,
    pub first_seen: Option<Timestamp>,
}

/// The role of a file that is only named as the image of a process: context (powershell.exe runs
/// everywhere), so correlation does not link alerts through it.
pub const ROLE_PROCESS_IMAGE: &str = "processImage";

/// Marks evidence just added as a process's image file.
fn mark_process_image(added: &mut [RawEvidence]) {
    for evidence in added {
        evidence.roles = vec![Sym::new(ROLE_PROCESS_IMAGE)];
        evidence.verdict = Verdict::Unknown;
        evidence.remediation_status = Sym::default();
    }
}

/// A process's image file as evidence (see [`ROLE_PROCESS_IMAGE`]).
fn process_image(mention: Option<EntityMention>) -> Option<RawEvidence> {
    mention.map(|mention| RawEvidence {
        mention: mention.into(),
        verdict: Verdict::Unknown,
        remediation_status: Sym::default(),
        roles: vec![Sym::new(ROLE_PROCESS_IMAGE)],
        first_seen: None,
    })
}

/// The export formats Alertweave recognizes; `id` is the contract's format id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Format {
    #[serde(rename = "graph-alerts-v2")]
    GraphAlertsV2,
    #[serde(rename = "graph-incidents")]
    GraphIncidents,
    #[serde(rename = "defender-incidents-api")]
    DefenderIncidentsApi,
    #[serde(rename = "mde-alerts-api")]
    MdeAlertsApi,
    #[serde(rename = "ah-alertinfo")]
    AhAlertInfo,
    #[serde(rename = "ah-alertevidence")]
    AhAlertEvidence,
    #[serde(rename = "sentinel-securityalert")]
    SentinelSecurityAlert,
    #[serde(rename = "sentinel-securityincident")]
    SentinelSecurityIncident,
}

impl Format {
    pub fn id(self) -> &'static str {
        match self {
            Format::GraphAlertsV2 => "graph-alerts-v2",
            Format::GraphIncidents => "graph-incidents",
            Format::DefenderIncidentsApi => "defender-incidents-api",
            Format::MdeAlertsApi => "mde-alerts-api",
            Format::AhAlertInfo => "ah-alertinfo",
            Format::AhAlertEvidence => "ah-alertevidence",
            Format::SentinelSecurityAlert => "sentinel-securityalert",
            Format::SentinelSecurityIncident => "sentinel-securityincident",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::GraphAlertsV2 => "Microsoft Graph security alerts (v2)",
            Format::GraphIncidents => "Microsoft Graph security incidents",
            Format::DefenderIncidentsApi => "Microsoft Defender XDR incidents API",
            Format::MdeAlertsApi => "Microsoft Defender for Endpoint alerts API",
            Format::AhAlertInfo => "Advanced hunting AlertInfo",
            Format::AhAlertEvidence => "Advanced hunting AlertEvidence",
            Format::SentinelSecurityAlert => "Microsoft Sentinel SecurityAlert",
            Format::SentinelSecurityIncident => "Microsoft Sentinel SecurityIncident",
        }
    }
}

/// What one record is, and where its fields are (unwrapped from API envelopes).
enum RecordKind<'a> {
    Known(Format, Fields<'a>),
    /// A record of a recognized export that is not an alert (another advanced-hunting table).
    NotAnAlert(Format),
}

/// Where a known record's fields are: the record itself, or the `properties` of its envelope.
#[derive(Clone, Copy)]
enum Fields<'a> {
    Record,
    Properties(&'a serde_json::Map<String, serde_json::Value>),
}

/// What the classifier reads of a record: its members by exact name, and the record as a
/// [`tabular::Row`]. A JSON object, or a CSV row (whose members are its non-empty cells).
trait Members {
    /// The member `key` is there and not null.
    fn has(&self, key: &str) -> bool;
    /// The member `key` is there (null too).
    fn contains(&self, key: &str) -> bool;
    /// The member `key` when it is a string, else "".
    fn text(&self, key: &str) -> &str;
    /// The member `key` when it is an object.
    fn object(&self, key: &str) -> Option<&serde_json::Map<String, serde_json::Value>>;
    fn row(&self) -> tabular::Row<'_>;
}

impl Members for serde_json::Map<String, serde_json::Value> {
    fn has(&self, key: &str) -> bool {
        self.get(key).is_some_and(|v| !v.is_null())
    }
    fn contains(&self, key: &str) -> bool {
        self.contains_key(key)
    }
    fn text(&self, key: &str) -> &str {
        self.get(key)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
    }
    fn object(&self, key: &str) -> Option<&serde_json::Map<String, serde_json::Value>> {
        self.get(key).and_then(serde_json::Value::as_object)
    }
    fn row(&self) -> tabular::Row<'_> {
        tabular::Row::new(self)
    }
}

/// A CSV row with distinct column names ([`tabular::CsvRecord::row`]).
struct Cells<'r, 'a>(&'r tabular::CsvRecord<'a>, tabular::Row<'r>);

impl Members for Cells<'_, '_> {
    fn has(&self, key: &str) -> bool {
        self.0.exact(key).is_some()
    }
    fn contains(&self, key: &str) -> bool {
        self.0.exact(key).is_some()
    }
    fn text(&self, key: &str) -> &str {
        self.0.exact(key).unwrap_or("")
    }
    fn object(&self, _: &str) -> Option<&serde_json::Map<String, serde_json::Value>> {
        None
    }
    fn row(&self) -> tabular::Row<'_> {
        self.1
    }
}

/// Which export a record comes from, by its keys (never by the file name).
fn classify(value: &serde_json::Value) -> Option<RecordKind<'_>> {
    match value {
        serde_json::Value::Object(map) => classify_members(map),
        _ => None,
    }
}

fn classify_members<M: Members>(map: &M) -> Option<RecordKind<'_>> {
    let has = |k: &str| map.has(k);
    let text = |k: &str| map.text(k);
    // Defender for Cloud continuous export writes its other streams (assessments, secure score,
    // regulatory compliance) beside the alerts: recognized, not alerts. (A member that is there
    // as null counts: `has` is for JSON objects, where null is written.)
    if [
        "securityEventDataEnrichment",
        "SecurityEventDataEnrichment",
        "assessmentEventDataEnrichment",
    ]
    .iter()
    .any(|k| map.contains(k))
        && !map.contains("SystemAlertId")
        && !map.contains("systemAlertId")
    {
        return Some(RecordKind::NotAnAlert(Format::SentinelSecurityAlert));
    }
    // Envelopes: the Defender streaming API and the Sentinel REST API.
    if let Some(properties) = map.object("properties") {
        if let Some(table) = text("category").strip_prefix("AdvancedHunting-") {
            return Some(match table {
                "AlertInfo" => {
                    RecordKind::Known(Format::AhAlertInfo, Fields::Properties(properties))
                }
                "AlertEvidence" => {
                    RecordKind::Known(Format::AhAlertEvidence, Fields::Properties(properties))
                }
                _ => RecordKind::NotAnAlert(Format::AhAlertInfo),
            });
        }
        let row = tabular::Row::new(properties);
        if text("kind") == "SecurityAlert" || row.has("systemAlertId") {
            return Some(RecordKind::Known(
                Format::SentinelSecurityAlert,
                Fields::Properties(properties),
            ));
        }
        if row.has("incidentNumber") {
            return Some(RecordKind::Known(
                Format::SentinelSecurityIncident,
                Fields::Properties(properties),
            ));
        }
    }
    let odata = text("@odata.type");
    let format = if odata.ends_with("security.incident") || (has("displayName") && has("alerts")) {
        Format::GraphIncidents
    } else if has("incidentId") && (has("incidentName") || (has("alerts") && has("lastUpdateTime")))
    {
        Format::DefenderIncidentsApi
    } else if odata.ends_with("security.alert")
        || has("providerAlertId")
        || has("firstActivityDateTime")
        || (has("evidence") && has("serviceSource"))
    {
        Format::GraphAlertsV2
    } else if has("alertCreationTime")
        || has("machineId")
        || has("computerDnsName")
        || has("firstEventTime")
    {
        Format::MdeAlertsApi
    } else {
        // Table rows: column names in any letter case.
        let row = map.row();
        if row.has("SystemAlertId") {
            Format::SentinelSecurityAlert
        } else if row.has("IncidentNumber") && (row.has("AlertIds") || row.has("Title")) {
            Format::SentinelSecurityIncident
        } else if row.has("AlertId") && row.has("EntityType") {
            Format::AhAlertEvidence
        } else if row.has("AlertId")
            && (row.has("Title") || row.has("Category") || row.has("Severity"))
        {
            Format::AhAlertInfo
        } else {
            return None;
        }
    };
    Some(RecordKind::Known(format, Fields::Record))
}

/// A table row of `format` converted, or `None` for a format that is not a table (JSON records
/// are converted from the whole value).
///
/// `known`: finds what earlier rows of this file made of an alert (advanced-hunting rows).
fn convert_row<'k>(
    format: Format,
    row: &tabular::Row,
    tenant: &str,
    provenance: &Provenance,
    known: impl FnOnce(&str) -> Option<&'k Alert>,
) -> Option<Result<Converted, String>> {
    let alert = |a: RawAlert| -> Converted { (None, vec![Ok(a)]) };
    let provenance = provenance.clone();
    let table = match format {
        Format::AhAlertInfo => Some(advanced_hunting::Table::AlertInfo),
        Format::AhAlertEvidence => Some(advanced_hunting::Table::AlertEvidence),
        _ => None,
    };
    if let Some(table) = table {
        let known = row.text(&["AlertId"]).and_then(|id| known(&id));
        return Some(advanced_hunting::convert(row, table, tenant, provenance, known).map(alert));
    }
    Some(match format {
        Format::SentinelSecurityAlert => sentinel::convert_alert(row, provenance).map(alert),
        Format::SentinelSecurityIncident => {
            sentinel::convert_incident(row, provenance).map(|i| (Some(i), Vec::new()))
        }
        _ => return None,
    })
}

/// What one record yields: the incident it describes, if any, and its alerts (or why each
/// could not be read).
type Converted = (Option<SourceIncident>, Vec<Result<RawAlert, String>>);

/// What the alerts of one file share: repeated texts (titles, categories, roles...) and every
/// distinct mention, held once however many alerts repeat them. Every record's alerts are
/// shared as soon as they are converted, before the collector takes them: Graph alerts and CSV
/// rows on either core ([`convert_graph`], [`make_cells`]), while still in that core's cache. Each text and mention
/// is shared under the lock of its shard (by its hash), so two cores rarely wait for each other.
struct Sharing {
    texts: [Mutex<Interner>; SHARDS],
    mentions: [Mutex<HashSet<Arc<EntityMention>>>; SHARDS],
    /// Whether the shards are used: with one core everything goes to the first, and nothing is
    /// hashed to choose a shard.
    sharded: bool,
}

/// Locks per kind of thing shared.
const SHARDS: usize = 16;

/// A lock poisoned by a panic elsewhere is still usable: sharing changes nothing but which of
/// equal copies is kept.
fn locked<T>(lock: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    lock.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Sharing {
    /// What a file's alerts share, for `spread`'s cores.
    fn new(spread: &dyn Spread) -> Self {
        Sharing {
            texts: std::array::from_fn(|_| Mutex::default()),
            mentions: std::array::from_fn(|_| Mutex::default()),
            sharded: spread.at_once(),
        }
    }

    /// The shard of `value`.
    fn shard<T: std::hash::Hash + ?Sized>(&self, value: &T) -> usize {
        use std::hash::BuildHasher;
        if !self.sharded {
            return 0;
        }
        let hash = foldhash::fast::FixedState::with_seed(0x5eed).hash_one(value);
        (hash % SHARDS as u64) as usize
    }

    /// Gives the alert, read from a record of `kind`, its source and the shared copies of its
    /// texts and mentions.
    fn share_alert(&self, raw: &mut RawAlert, kind: Format) {
        let mut texts = self;
        raw.alert.sources = vec![Sym::new(kind.id())];
        raw.share_text(&mut texts);
        for evidence in &mut raw.evidence {
            let mut mentions = locked(&self.mentions[self.shard(&*evidence.mention)]);
            match mentions.get(&*evidence.mention) {
                Some(shared) => evidence.mention = Arc::clone(shared),
                None => {
                    let mention = Arc::make_mut(&mut evidence.mention);
                    for (label, value) in &mut mention.attributes {
                        Share::share(&mut texts, label);
                        Share::share(&mut texts, value);
                    }
                    mentions.insert(Arc::clone(&evidence.mention));
                }
            }
        }
    }

    /// [`Self::share_alert`] for each alert a record of `kind` was converted into.
    fn share_converted(&self, converted: &mut Result<Converted, String>, kind: Format) {
        if let Ok((_, alerts)) = converted {
            for raw in alerts.iter_mut().flatten() {
                self.share_alert(raw, kind);
            }
        }
    }
}

impl Share for &Sharing {
    fn share(&mut self, text: &mut Sym) {
        if text.is_empty() {
            *text = Sym::default();
            return;
        }
        locked(&self.texts[self.shard(text.as_str())]).share(text);
    }
}

/// Converts records into alerts, incidents and problems for one file.
struct Collector<'s> {
    /// The file's name as every alert's provenance holds it.
    file_name: Sym,
    sharing: &'s Sharing,
    problems: ProblemList,
    alerts: Vec<RawAlert>,
    incidents: Vec<SourceIncident>,
    /// The format of the first recognized record.
    format: Option<Format>,
    skipped: usize,
    /// Advanced-hunting rows are partial alerts: the rows of one `AlertId` merge into one alert
    /// as they stream (its index in `alerts`, and whether an AlertInfo row was among them), so a
    /// file of 400,000 evidence rows holds 100,000 alerts, not 400,000.
    table_rows: HashMap<String, (usize, bool)>,
    /// AlertInfo rows for an alert this file had already described (overlapping exports).
    repeated_records: usize,
}

impl<'s> Collector<'s> {
    fn new(file: &str, sharing: &'s Sharing) -> Self {
        Collector {
            file_name: Sym::new(file),
            sharing,
            problems: ProblemList::new(file),
            alerts: Vec::new(),
            incidents: Vec::new(),
            format: None,
            skipped: 0,
            table_rows: HashMap::new(),
            repeated_records: 0,
        }
    }

    fn record(&mut self, location: &str, value: serde_json::Value) {
        if truncated_by_powershell(&value, 0) {
            self.problems.add(location, POWERSHELL_DEPTH.to_owned());
        }
        let provenance = Provenance {
            file: self.file_name.clone(),
            location: location.to_owned(),
        };
        // Table rows are converted from the borrowed object; whole JSON records are moved into
        // their converter after the borrow ends. Each record is classified once.
        let tenant = value
            .get("tenantId")
            .and_then(|t| t.as_str())
            .unwrap_or("")
            .to_owned();
        let (kind, from_row) = match classify(&value) {
            None => return self.problems.add(location, NOT_A_RECORD.to_owned()),
            Some(RecordKind::NotAnAlert(format)) => {
                self.format.get_or_insert(format);
                self.skipped += 1;
                return;
            }
            Some(RecordKind::Known(format, fields)) => {
                let object = match (fields, &value) {
                    (Fields::Properties(properties), _) => Some(properties),
                    (Fields::Record, serde_json::Value::Object(map)) => Some(map),
                    (Fields::Record, _) => None,
                };
                let from_row = object.and_then(|object| {
                    convert_row(
                        format,
                        &tabular::Row::new(object),
                        &tenant,
                        &provenance,
                        |id| self.known_alert(id),
                    )
                });
                (format, from_row)
            }
        };
        self.format.get_or_insert(kind);
        let mut converted: Result<Converted, String> = match from_row {
            Some(converted) => converted,
            None => match kind {
                Format::GraphIncidents => {
                    graph_alerts::convert_incident(value, provenance).map(|(i, a)| (Some(i), a))
                }
                Format::DefenderIncidentsApi => {
                    defender_api::convert_incident(value, provenance).map(|(i, a)| (Some(i), a))
                }
                Format::MdeAlertsApi => {
                    defender_api::convert_mde_alert(value, provenance).map(|a| (None, vec![Ok(a)]))
                }
                _ => graph_alerts::convert(value, provenance).map(|a| (None, vec![Ok(a)])),
            },
        };
        self.sharing.share_converted(&mut converted, kind);
        self.take(location, kind, converted);
    }

    /// A CSV row: what [`Self::record`] does with the row as a JSON object of strings, read from
    /// its cells (no object is built) when its columns are distinct.
    fn record_cells(&mut self, record: &tabular::CsvRecord) {
        let made = make_cells(&self.file_name, self.sharing, record, &|id| {
            self.known_alert(id)
        });
        self.take_cells(record, made);
    }

    /// A CSV file's rows on the two cores `spread` has, in batches: while the other core makes
    /// batch k's rows, this thread keeps batch k-1's and reads batch k+1, then helps with what
    /// is left of batch k ([`crate::spread::map_beside`]).
    fn read_rows_beside(
        &mut self,
        reader: impl Read,
        delimiter: u8,
        crlf: bool,
        spread: &dyn Spread,
        records_read: &std::cell::Cell<usize>,
    ) -> Vec<tabular::CsvError> {
        let mut rows = match tabular::CsvBatches::new(reader, delimiter, crlf) {
            Ok(rows) => rows,
            Err(error) => return vec![error],
        };
        let (file, sharing) = (self.file_name.clone(), self.sharing);
        let mut makers = (RowMaker::new(rows.columns()), RowMaker::new(rows.columns()));
        // Three batches' buffers, reused in turn.
        let (mut taking, mut making, mut reading): (Vec<tabular::CsvRow>, _, _) =
            (Vec::new(), Vec::new(), Vec::new());
        let (mut n_taking, mut n_making) = (0, rows.fill(&mut making, CSV_BATCH));
        let mut made: Vec<CellsMade> = Vec::new();
        while n_taking > 0 || n_making > 0 {
            makers.0.next_batch();
            makers.1.next_batch();
            let mut to_take = std::mem::take(&mut made).into_iter();
            let mut n_read = 0;
            made = crate::spread::map_beside(
                spread,
                &making[..n_making],
                CSV_CHUNK,
                (&mut makers.0, &mut makers.1),
                &mut || {
                    for row in &taking[..n_taking] {
                        if let Some(made) = to_take.next() {
                            self.take_cells(&row.record(rows.columns()), made);
                        }
                    }
                    if let Some(last) = taking[..n_taking].last() {
                        records_read.set(last.index);
                    }
                    n_read = rows.fill(&mut reading, CSV_BATCH);
                },
                &|maker, row| maker.make(&file, sharing, row),
            );
            std::mem::swap(&mut taking, &mut making);
            std::mem::swap(&mut making, &mut reading);
            (n_taking, n_making) = (n_making, n_read);
        }
        rows.finish()
    }

    /// Keeps what a CSV row was made into ([`make_cells`]).
    fn take_cells(&mut self, record: &tabular::CsvRecord, made: CellsMade) {
        let location = record.location;
        let powershell = match &made {
            CellsMade::AsValue => return self.record(location, record.to_value()),
            CellsMade::NotAnAlert(_, powershell)
            | CellsMade::Converted(_, _, powershell)
            | CellsMade::NotARecord(powershell) => *powershell,
        };
        if powershell {
            self.problems.add(location, POWERSHELL_DEPTH.to_owned());
        }
        match made {
            CellsMade::NotAnAlert(format, _) => {
                self.format.get_or_insert(format);
                self.skipped += 1;
            }
            CellsMade::Converted(format, converted, _) => {
                self.format.get_or_insert(format);
                self.take(location, format, converted);
            }
            _ => self.problems.add(location, NOT_A_RECORD.to_owned()),
        }
    }

    /// A Graph alert read on the typed path and converted ([`convert_graph`]): what
    /// [`Self::record`] does with the same record's value, without the value. The alert gets
    /// its location here, where records arrive in order.
    fn record_graph(&mut self, location: &str, converted: Result<RawAlert, String>) {
        self.format.get_or_insert(Format::GraphAlertsV2);
        let converted = converted.map(|mut a| {
            a.alert.provenance.location = location.to_owned();
            (None, vec![Ok(a)])
        });
        self.take(location, Format::GraphAlertsV2, converted);
    }

    /// The alert earlier advanced-hunting rows of this file made for `alert_id`.
    fn known_alert(&self, alert_id: &str) -> Option<&Alert> {
        let &(index, _) = self.table_rows.get(alert_id)?;
        self.alerts.get(index).map(|raw| &raw.alert)
    }

    /// Keeps what a record of `kind` converted into (its alerts shared already: [`Sharing`]),
    /// and its problems.
    fn take(&mut self, location: &str, kind: Format, converted: Result<Converted, String>) {
        match converted {
            Ok((incident, converted_alerts)) => {
                self.incidents.extend(incident);
                for converted_alert in converted_alerts {
                    match converted_alert {
                        Ok(raw) => {
                            for t in &raw.unknown_evidence_types {
                                self.problems.add(location, format!("evidence of type `{t}` is not read yet; the alert keeps its other evidence"));
                            }
                            if let Format::AhAlertInfo | Format::AhAlertEvidence = kind {
                                let info = kind == Format::AhAlertInfo;
                                let id = raw.alert.alert_id.as_str();
                                if let Some((index, had_info)) = self.table_rows.get_mut(id) {
                                    if info && *had_info {
                                        self.repeated_records += 1;
                                    }
                                    *had_info |= info;
                                    merge_row(&mut self.alerts[*index], raw);
                                    continue;
                                }
                                self.table_rows
                                    .insert(id.to_owned(), (self.alerts.len(), info));
                            }
                            self.alerts.push(raw);
                        }
                        Err(message) => self.problems.add(location, message),
                    }
                }
            }
            Err(message) => self.problems.add(location, message),
        }
    }
}

/// What a CSV row is made into before the collector keeps it; each says whether the row holds
/// what PowerShell writes for objects it cut.
#[expect(
    clippy::large_enum_variant,
    reason = "made and kept at once, per row: boxing the alerts would allocate per row"
)]
enum CellsMade {
    /// Read as the JSON object of the row: columns that repeat a name, or a JSON export's.
    AsValue,
    NotAnAlert(Format, bool),
    /// Its alerts shared already ([`Sharing`]).
    Converted(Format, Result<Converted, String>, bool),
    NotARecord(bool),
}

/// What each core making CSV rows ([`Collector::read_rows_beside`]) keeps from batch to batch:
/// its copy of the header (whose memo is not shared between threads), and the advanced-hunting
/// alerts it met in this batch and the one before, as their first row made them (what is known
/// of an alert is at most what the rows before this one made of it, so the fields it lets a
/// row skip are those the merge drops).
struct RowMaker {
    columns: tabular::Columns,
    met: HashMap<String, Alert>,
    older: HashMap<String, Alert>,
}

impl RowMaker {
    fn new(columns: &tabular::Columns) -> Self {
        RowMaker {
            columns: columns.copy(),
            met: HashMap::new(),
            older: HashMap::new(),
        }
    }

    /// Forgets the alerts met before the batch before.
    fn next_batch(&mut self) {
        self.older = std::mem::take(&mut self.met);
    }

    fn make(&mut self, file: &Sym, sharing: &Sharing, row: &tabular::CsvRow) -> CellsMade {
        let (met, older) = (&self.met, &self.older);
        let made = make_cells(file, sharing, &row.record(&self.columns), &|id| {
            met.get(id).or_else(|| older.get(id))
        });
        if let CellsMade::Converted(
            Format::AhAlertInfo | Format::AhAlertEvidence,
            Ok((_, made)),
            _,
        ) = &made
        {
            for raw in made.iter().flatten() {
                let id = raw.alert.alert_id.as_str();
                if !self.met.contains_key(id) && !self.older.contains_key(id) {
                    self.met.insert(id.to_owned(), raw.alert.clone());
                }
            }
        }
        made
    }
}

/// A CSV row of the file `file`, classified, converted and shared, on either core (it touches
/// nothing of the file's but its name and what it shares). `known`: what earlier rows of this
/// file made of an alert (advanced hunting), when they are at hand.
fn make_cells<'k>(
    file: &Sym,
    sharing: &Sharing,
    record: &tabular::CsvRecord,
    known: &dyn Fn(&str) -> Option<&'k Alert>,
) -> CellsMade {
    let Some(row) = record.row() else {
        return CellsMade::AsValue;
    };
    let cells = Cells(record, row);
    let provenance = Provenance {
        file: file.clone(),
        location: record.location.to_owned(),
    };
    let tenant = record.exact("tenantId").unwrap_or("");
    let kind = classify_members(&cells);
    let converted = match &kind {
        Some(RecordKind::Known(format, _)) => {
            match convert_row(*format, &cells.1, tenant, &provenance, known) {
                Some(converted) => Some((*format, converted)),
                // Columns of a JSON export (a CSV with `providerAlertId`): read as an object.
                None => return CellsMade::AsValue,
            }
        }
        _ => None,
    };
    let powershell = record.filled().any(written_by_powershell);
    match (kind, converted) {
        (Some(RecordKind::NotAnAlert(format)), _) => CellsMade::NotAnAlert(format, powershell),
        (_, Some((format, mut converted))) => {
            sharing.share_converted(&mut converted, format);
            CellsMade::Converted(format, converted, powershell)
        }
        _ => CellsMade::NotARecord(powershell),
    }
}

/// A Graph alert of the file `file` read on the typed path, converted and shared on either core
/// (it touches nothing of the file's but its name and what it shares);
/// [`Collector::record_graph`] gives it its location.
fn convert_graph(
    file: &Sym,
    sharing: &Sharing,
    alert: graph_alerts::TypedAlert<'_>,
) -> Result<RawAlert, String> {
    let provenance = Provenance {
        file: file.clone(),
        location: String::new(),
    };
    let mut raw = graph_alerts::convert_typed(alert, provenance)?;
    sharing.share_alert(&mut raw, Format::GraphAlertsV2);
    Ok(raw)
}

/// Adds one more advanced-hunting row of an alert to what earlier rows said: the activity span
/// widens, empty fields fill, and evidence already present (the same interned mention) gains the
/// row's roles instead of repeating.
fn merge_row(into: &mut RawAlert, row: RawAlert) {
    let alert = &mut into.alert;
    alert.first_activity = alert.first_activity.min(row.alert.first_activity);
    alert.last_activity = alert.last_activity.max(row.alert.last_activity);
    alert.created = match (alert.created, row.alert.created) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    alert.fill_missing_from(&row.alert);
    for evidence in row.evidence {
        match into
            .evidence
            .iter_mut()
            .find(|e| Arc::ptr_eq(&e.mention, &evidence.mention))
        {
            Some(known) => {
                known.verdict = known.verdict.max(evidence.verdict);
                for role in evidence.roles {
                    if !known.roles.contains(&role) {
                        known.roles.push(role);
                    }
                }
            }
            None => into.evidence.push(evidence),
        }
    }
}

/// What was read from one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    pub name: String,
    /// `None` when the content was not recognized.
    pub format: Option<Format>,
    pub sha256: String,
    pub bytes: u64,
    pub records: usize,
    /// Records of a recognized export that are not alerts (other advanced-hunting tables...).
    pub skipped_records: usize,
    pub alerts: usize,
    pub problems: usize,
    pub first_activity: Option<Timestamp>,
    pub last_activity: Option<Timestamp>,
    /// The zip or gzip file this export was read from, if any.
    pub container: Option<ContainerInfo>,
}

/// The outcome of reading one file.
pub struct FileIngest {
    pub report: FileReport,
    pub alerts: Vec<RawAlert>,
    /// Incidents the export describes (Graph and Defender incidents).
    pub incidents: Vec<SourceIncident>,
    pub problems: Vec<Problem>,
    /// Records that repeated an alert this file had already described, merged while reading.
    pub repeated_records: usize,
}

/// Progress of the file being read, for the page's progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub bytes_read: u64,
    pub records: usize,
}

/// How many bytes pass between two progress reports.
const PROGRESS_STEP: u64 = 1 << 20;
/// How much of a file's start the format detection looks at.
const SNIFF_BYTES: usize = 64 * 1024;
/// How much of a file is read before deciding how to read it (also the read buffer's size).
const HEAD_BYTES: usize = 1 << 20;

/// Up to `limit` bytes from the start of `reader` (fewer only at its end), and the error that
/// stopped reading early, if any.
fn read_head(reader: &mut impl Read, limit: usize) -> (Vec<u8>, Option<std::io::Error>) {
    let mut head = Vec::with_capacity(limit.min(64 * 1024));
    match reader.take(limit as u64).read_to_end(&mut head) {
        Ok(_) => (head, None),
        Err(e) => (head, Some(e)),
    }
}

/// Who computes a file's SHA-256.
pub enum FileHash<'a> {
    /// The ingest, over the bytes as it reads them.
    AsRead,
    /// The caller, beside the ingest (the CLI hashes the file on another core while this one
    /// parses it): called once the file is read, it gives the file's digest in hex. Only a
    /// file read as it is takes it; a zip or gzip file and its members are hashed as read.
    Given(&'a mut dyn FnMut() -> String),
}

/// Reads one export file completely. `progress` is called every megabyte or so.
pub fn ingest_file(
    name: &str,
    reader: impl Read,
    progress: &mut dyn FnMut(Progress),
) -> FileIngest {
    ingest_file_hashing(name, reader, progress, FileHash::AsRead, &InTurn)
}

/// [`ingest_file`], with the file's hash computed as `hashing` says and its records converted
/// on the cores `spread` has.
pub fn ingest_file_hashing(
    name: &str,
    reader: impl Read,
    progress: &mut dyn FnMut(Progress),
    hashing: FileHash,
    spread: &dyn Spread,
) -> FileIngest {
    let records_read = std::cell::Cell::new(0usize);
    let (hasher, mut given) = match hashing {
        FileHash::AsRead => (Some(Sha256::new()), None),
        FileHash::Given(digest) => (None, Some(digest)),
    };
    let mut counted = CountingReader {
        inner: reader,
        hasher,
        bytes: 0,
        next_report: PROGRESS_STEP,
        progress,
        records: &records_read,
    };
    let sharing = Sharing::new(spread);
    let mut sink = Collector::new(name, &sharing);
    {
        // The decisions below look at the file's start: read it whole first (a single read may
        // return only a few bytes, from a container member or a slow source), then go on from it.
        let (raw_head, read_error) = read_head(&mut counted, HEAD_BYTES);
        // Text that is not UTF-8 is decoded as it streams; the hash stays over the raw bytes.
        let encoding = decode::TextEncoding::of(&raw_head);
        if let Some(encoding) = encoding {
            sink.problems.add(
                "",
                format!(
                    "notice: the file is {} text, not UTF-8; it was read as such",
                    encoding.name()
                ),
            );
        }
        let raw = std::io::Cursor::new(raw_head).chain(&mut counted);
        let mut text: Box<dyn Read + '_> = match encoding {
            None => Box::new(raw),
            Some(encoding) => Box::new(decode::DecodingReader::new(raw, encoding)),
        };
        let (head, text_error) = read_head(&mut text, HEAD_BYTES);
        let sniffed = match read_error.or(text_error) {
            Some(e) if head.is_empty() => Err(e),
            _ => Ok(sniff(&head)),
        };
        let mut buffered =
            BufReader::with_capacity(HEAD_BYTES, std::io::Cursor::new(head).chain(text));
        match sniffed {
            Err(e) => sink
                .problems
                .add("", format!("could not read the file: {e}")),
            Ok(Sniffed::Empty) => sink.problems.add("", "the file is empty".to_owned()),
            Ok(Sniffed::Unrecognized(why)) => sink.problems.add("", why),
            Ok(Sniffed::Json { hint }) => {
                let file = sink.file_name.clone();
                let typed = json_stream::Typed {
                    spread,
                    convert: &|alert| convert_graph(&file, &sharing, alert),
                };
                let errors = json_stream::read_records(&mut buffered, &typed, &mut |record| {
                    records_read.set(record.index);
                    match record.value {
                        json_stream::Parsed::Value(value) => sink.record(&record.location, value),
                        json_stream::Parsed::GraphAlert(converted) => {
                            sink.record_graph(&record.location, converted)
                        }
                    }
                });
                for error in errors {
                    sink.problems.add(&error.location, error.message);
                }
                if sink.format.is_none() {
                    sink.format = hint;
                }
                if sink.format.is_none() && records_read.get() == 0 {
                    sink.problems.add("", NOT_AN_EXPORT.to_owned());
                }
            }
            Ok(Sniffed::Csv { delimiter, crlf }) => {
                let errors = if spread.at_once() {
                    sink.read_rows_beside(&mut buffered, delimiter, crlf, spread, &records_read)
                } else {
                    tabular::read_csv(&mut buffered, delimiter, crlf, &mut |record| {
                        records_read.set(record.index);
                        sink.record_cells(&record);
                    })
                };
                for error in errors {
                    sink.problems.add(&error.location, error.message);
                }
            }
        }
        // Hash what the parser did not need to read (trailing bytes after an error).
        let _ = std::io::copy(&mut buffered, &mut std::io::sink());
    }
    let Collector {
        problems,
        alerts,
        incidents,
        format,
        skipped,
        repeated_records,
        ..
    } = sink;
    let first_activity = alerts.iter().map(|a| a.alert.first_activity).min();
    let last_activity = alerts.iter().map(|a| a.alert.last_activity).max();
    let problems = problems.finish();
    let records = records_read.get();
    (counted.progress)(Progress {
        bytes_read: counted.bytes,
        records,
    });
    FileIngest {
        report: FileReport {
            name: name.to_owned(),
            format,
            sha256: match (counted.hasher, &mut given) {
                (Some(hasher), _) => hex::encode(hasher.finalize()),
                (None, Some(digest)) => digest(),
                (None, None) => String::new(),
            },
            bytes: counted.bytes,
            records,
            skipped_records: skipped,
            alerts: alerts.len(),
            problems: problems.iter().map(|p| p.count).sum(),
            first_activity,
            last_activity,
            container: None,
        },
        alerts,
        incidents,
        problems,
        repeated_records,
    }
}

/// CSV rows read while the other core makes the batch before: about a MB of Sentinel rows.
const CSV_BATCH: usize = 512;

/// CSV rows either core takes at a time from the batch being made.
const CSV_CHUNK: usize = 32;

const NOT_A_RECORD: &str = "not an alert or incident of a supported export (Microsoft Graph security alerts or incidents, Defender XDR incidents API, Defender for Endpoint alerts API, advanced hunting AlertInfo / AlertEvidence, Sentinel SecurityAlert / SecurityIncident)";
const POWERSHELL_DEPTH: &str = "PowerShell's ConvertTo-Json cut this record at its default depth: nested values were written as `@{…}` or `System.Object[]` and their evidence is lost; export again with `ConvertTo-Json -Depth 20`";

/// True for the text PowerShell writes for an object it did not descend into.
fn written_by_powershell(text: &str) -> bool {
    text == "System.Object[]" || (text.starts_with("@{") && text.ends_with('}'))
}

/// True when a record holds the strings PowerShell writes for objects it did not descend into.
fn truncated_by_powershell(value: &serde_json::Value, depth: usize) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) => written_by_powershell(s),
        Value::Array(items) if depth < 16 => {
            items.iter().any(|v| truncated_by_powershell(v, depth + 1))
        }
        Value::Object(map) if depth < 16 => {
            map.values().any(|v| truncated_by_powershell(v, depth + 1))
        }
        _ => false,
    }
}

const NOT_AN_EXPORT: &str = "not a recognized alert export: JSON without alert or incident records";

enum Sniffed {
    Empty,
    /// JSON: records are classified one by one; `hint` names the format of an export with no
    /// records at all (an empty Graph page).
    Json {
        hint: Option<Format>,
    },
    /// A table export with a header row naming alert or incident columns.
    Csv {
        delimiter: u8,
        crlf: bool,
    },
    Unrecognized(String),
}

/// Decides from the file's first bytes how to read it.
fn sniff(head: &[u8]) -> Sniffed {
    let head = &head[..head.len().min(SNIFF_BYTES)];
    if head.iter().all(u8::is_ascii_whitespace) {
        return Sniffed::Empty;
    }
    let text = String::from_utf8_lossy(head);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if !(start.starts_with('{') || start.starts_with('[')) {
        let header = start.lines().next().unwrap_or("").to_ascii_lowercase();
        let columns = ["alertid", "systemalertid", "incidentnumber"];
        if columns.iter().any(|c| {
            header
                .split([',', ';', '\t'])
                .any(|cell| cell.trim().trim_matches('"') == *c)
        }) {
            let crlf = start
                .split('\n')
                .next()
                .is_some_and(|line| line.ends_with('\r'));
            return Sniffed::Csv {
                delimiter: tabular::delimiter_of(&header),
                crlf,
            };
        }
        return Sniffed::Unrecognized(
            "not a recognized alert export: neither JSON nor a table with AlertId, SystemAlertId or IncidentNumber columns".to_owned(),
        );
    }
    let hint = if text.contains("security/alerts_v2") {
        Some(Format::GraphAlertsV2)
    } else if text.contains("security/incidents") {
        Some(Format::GraphIncidents)
    } else {
        None
    };
    Sniffed::Json { hint }
}

/// Parses the time formats the exports use; `None` for absent or unreadable values.
pub fn parse_time(text: Option<&str>) -> Option<Timestamp> {
    parse_any_time(text?.trim()).filter(is_plausible)
}

/// Alert times outside 1990–2100 are damaged values (`0001-01-01`, `9999-12-31`): read as absent,
/// so the alert falls back to another of its times or is reported, instead of spanning millennia.
fn is_plausible(t: &Timestamp) -> bool {
    (1990..=2100).contains(&chrono::Datelike::year(t))
}

fn parse_any_time(text: &str) -> Option<Timestamp> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    for pattern in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%m/%d/%Y %I:%M:%S%.f %p",
        "%m/%d/%Y %H:%M:%S%.f",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(text.trim_end_matches('Z'), pattern) {
            return Some(t.and_utc());
        }
    }
    None
}

struct CountingReader<'a, R> {
    inner: R,
    /// `None` when the caller hashes the file ([`FileHash::Given`]).
    hasher: Option<Sha256>,
    bytes: u64,
    next_report: u64,
    progress: &'a mut dyn FnMut(Progress),
    /// Records read so far (the parser counts them as it goes).
    records: &'a std::cell::Cell<usize>,
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&buf[..n]);
        }
        self.bytes += n as u64;
        if self.bytes >= self.next_report {
            self.next_report = self.bytes + PROGRESS_STEP;
            (self.progress)(Progress {
                bytes_read: self.bytes,
                records: self.records.get(),
            });
        }
        Ok(n)
    }
}

/// Collects problems for one file, folding repeats of one message into a count.
struct ProblemList {
    file: String,
    by_message: BTreeMap<String, (usize, String, usize)>,
    next_order: usize,
}

impl ProblemList {
    fn new(file: &str) -> Self {
        ProblemList {
            file: file.to_owned(),
            by_message: BTreeMap::new(),
            next_order: 0,
        }
    }

    fn add(&mut self, location: &str, message: String) {
        let order = self.next_order;
        let entry = self
            .by_message
            .entry(message)
            .or_insert_with(|| (order, location.to_owned(), 0));
        if entry.2 == 0 {
            self.next_order += 1;
        }
        entry.2 += 1;
    }

    /// Problems in the order they first occurred.
    fn finish(self) -> Vec<Problem> {
        let mut list: Vec<(usize, Problem)> = self
            .by_message
            .into_iter()
            .map(|(message, (order, location, count))| {
                (
                    order,
                    Problem {
                        file: self.file.clone(),
                        location,
                        message,
                        count,
                    },
                )
            })
            .collect();
        list.sort_by_key(|(order, _)| *order);
        list.into_iter().map(|(_, p)| p).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ingest(text: &str) -> FileIngest {
        ingest_file("f.json", text.as_bytes(), &mut |_| {})
    }

    /// A Graph page read with a spread that batches for two cores (its halves run second half
    /// first) reads exactly as one record at a time: records over several blocks and batches,
    /// with a record PowerShell cut, one that does not parse and, near the end, one of another
    /// export that turns the typed path off.
    #[test]
    fn a_graph_page_reads_the_same_in_batches_for_two_cores() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        struct Counted(AtomicUsize);
        impl Spread for Counted {
            fn join(&self, a: &mut (dyn FnMut() + Send), b: &mut (dyn FnMut() + Send)) {
                self.0.fetch_add(1, Ordering::Relaxed);
                b();
                a();
            }
            fn at_once(&self) -> bool {
                true
            }
        }
        let mut records: Vec<String> = (0..5000)
            .map(|i| {
                serde_json::json!({
                    "@odata.type": "#microsoft.graph.security.alert",
                    "id": format!("da{i}"),
                    "title": format!("Alert {i} with a title long enough to matter"),
                    "severity": "high",
                    "createdDateTime": "2024-03-01T10:00:00Z",
                    "firstActivityDateTime": format!("2024-03-01T{:02}:00:00Z", i % 24),
                    "evidence": [
                        {"@odata.type": "#microsoft.graph.security.userEvidence",
                         "userAccount": {"accountName": format!("user{}", i % 40), "domainName": "corp"}},
                        {"@odata.type": "#microsoft.graph.security.deviceEvidence",
                         "deviceDnsName": format!("host{}.corp", i % 25), "mdeDeviceId": format!("{:040}", i % 25)},
                        {"@odata.type": "#microsoft.graph.security.ipEvidence", "ipAddress": "203.0.113.7"}
                    ]
                })
                .to_string()
            })
            .collect();
        records[1300] = records[1300].replace("\"high\"", "\"System.Object[]\"");
        records[2700] = r#"{"id": "broken", "title": }"#.to_owned();
        records[4900] = r#"{"displayName": "an incident, not an alert", "alerts": []}"#.to_owned();
        let text = format!(
            "{{\"@odata.context\":\"x/security/alerts_v2\",\"value\":[\n{}\n]}}",
            records.join(",\n")
        );
        assert!(text.len() > 2 * 1024 * 1024, "over several blocks");
        let read = |spread: &dyn Spread| {
            let out = ingest_file_hashing(
                "f.json",
                text.as_bytes(),
                &mut |_| {},
                FileHash::AsRead,
                spread,
            );
            format!("{:?} {:?} {:?}", out.report, out.alerts, out.problems)
        };
        let two = Counted(AtomicUsize::new(0));
        let (one_by_one, batched) = (read(&InTurn), read(&two));
        assert!(two.0.load(Ordering::Relaxed) >= 3, "batches were made");
        assert!(one_by_one.contains("System.Object[]") || one_by_one.contains("PowerShell"));
        assert!(
            one_by_one == batched,
            "the same alerts, problems and report"
        );
    }

    #[test]
    fn hashes_and_counts_every_byte() {
        let text = r#"{"@odata.context":"x/security/alerts_v2","value":[]}"#;
        let out = ingest(text);
        assert_eq!(out.report.bytes, text.len() as u64);
        assert_eq!(
            out.report.sha256,
            hex::encode(Sha256::digest(text.as_bytes()))
        );
        assert_eq!(out.report.format, Some(Format::GraphAlertsV2));
        assert!(out.problems.is_empty());
    }

    #[test]
    fn advanced_hunting_rows_of_one_alert_merge_while_streaming() {
        // Streaming-API shape: both tables in one file, rows of two alerts interleaved, one
        // AlertInfo row repeated (an overlapping export), one evidence row repeated with another role.
        let info = |id: &str, t: &str| {
            format!(
                r#"{{"category":"AdvancedHunting-AlertInfo","properties":{{"AlertId":"{id}","Timestamp":"{t}","Title":"T {id}","Severity":"High","DetectionSource":"EDR"}}}}"#
            )
        };
        let ev = |id: &str, t: &str, device: &str, role: &str| {
            format!(
                r#"{{"category":"AdvancedHunting-AlertEvidence","properties":{{"AlertId":"{id}","Timestamp":"{t}","EntityType":"Machine","DeviceId":"{device}","DeviceName":"{device}.corp","EvidenceRole":"{role}"}}}}"#
            )
        };
        let lines = [
            ev("da1", "2024-01-01T10:05:00Z", "d1", "Impacted"),
            info("da1", "2024-01-01T10:00:00Z"),
            ev("da2", "2024-01-02T10:00:00Z", "d1", "Impacted"),
            ev("da1", "2024-01-01T10:07:00Z", "d2", "Impacted"),
            ev("da1", "2024-01-01T10:07:00Z", "d1", "Related"),
            info("da1", "2024-01-01T10:00:00Z"),
        ];
        let out = ingest(&lines.join("\n"));
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert_eq!(out.report.records, 6);
        assert_eq!(out.alerts.len(), 2, "one alert per AlertId");
        assert_eq!(out.repeated_records, 1, "the second AlertInfo row of da1");
        let da1 = &out.alerts[0];
        assert_eq!(da1.alert.alert_id.as_str(), "da1");
        assert_eq!(da1.alert.title, "T da1");
        assert_eq!(da1.alert.detection_source, "EDR");
        assert_eq!(
            da1.alert.first_activity.to_rfc3339(),
            "2024-01-01T10:00:00+00:00"
        );
        assert_eq!(
            da1.alert.last_activity.to_rfc3339(),
            "2024-01-01T10:07:00+00:00"
        );
        assert_eq!(da1.alert.sources, vec!["ah-alertevidence", "ah-alertinfo"]);
        assert_eq!(da1.evidence.len(), 2, "d1 once, d2 once");
        assert_eq!(da1.evidence[0].roles, vec!["impacted", "related"]);
        // The device d1 is one shared mention across both alerts.
        assert!(Arc::ptr_eq(
            &da1.evidence[0].mention,
            &out.alerts[1].evidence[0].mention
        ));
    }

    #[test]
    fn csv_rows_read_from_their_cells_as_from_objects() {
        let tables = [
            // AlertEvidence rows of two alerts, a cell left empty, a short row, a long row.
            "Timestamp,AlertId,Title,EntityType,DeviceId,DeviceName,AccountName,AccountDomain,EvidenceRole,tenantId\n\
             2024-01-01T10:00:00Z,da1,T1,Machine,d1,ws1.corp,,,Impacted,t1\n\
             2024-01-01T10:01:00Z,da1,T1,User,,,alice,CORP,Related,t1\n\
             2024-01-01T10:02:00Z,da2,T2,Machine,d2\n\
             2024-01-01T10:03:00Z,da2,T2,Machine,d3,ws3.corp,,,Impacted,t1,extra,cells\n",
            // Sentinel alerts with entities, one over a PowerShell-truncated cell, one without time.
            "SystemAlertId,AlertName,StartTime,EndTime,AlertSeverity,Entities,ExtendedProperties\n\
             s1,Bad,2024-01-01T10:00:00Z,2024-01-01T11:00:00Z,High,\"[{\"\"$id\"\":\"\"2\"\",\"\"Type\"\":\"\"host\"\",\"\"HostName\"\":\"\"ws1\"\"}]\",@{a=1}\n\
             s2,Worse,,,Low,[],System.Object[]\n",
            // Sentinel incidents.
            "IncidentNumber,Title,Status,AlertIds,Owner\n\
             42,Bad,Closed,\"[\"\"s1\"\"]\",\"{\"\"assignedTo\"\":\"\"Ann\"\"}\"\n",
            // Another Defender for Cloud stream (not alerts), then rows that are nothing known.
            "securityEventDataEnrichment,Title\nx,y\n",
            "Name,Value\na,b\n",
            // Columns of a JSON export: read as objects.
            "id,providerAlertId,createdDateTime,title\ng1,p1,2024-01-01T10:00:00Z,Graph in CSV\n",
            // Column names repeated in another letter case: read as objects.
            "AlertId,alertid,Title,EntityType,Timestamp\nda1,da9,T,Machine,2024-01-01T10:00:00Z\n",
        ];
        let summary = |c: &Collector| {
            format!(
                "{:?}\n{:?}\n{:?}\n{}\n{:?}\n{}",
                c.alerts,
                c.incidents,
                c.format,
                c.skipped,
                c.problems.by_message,
                c.repeated_records
            )
        };
        for table in tables {
            let (cells_sharing, value_sharing) = (Sharing::new(&InTurn), Sharing::new(&InTurn));
            let (mut by_cells, mut by_value) = (
                Collector::new("t.csv", &cells_sharing),
                Collector::new("t.csv", &value_sharing),
            );
            let errors = tabular::read_csv(table.as_bytes(), b',', false, &mut |record| {
                by_cells.record_cells(&record);
                by_value.record(record.location, record.to_value());
            });
            assert!(errors.is_empty(), "{table}");
            assert_eq!(summary(&by_cells), summary(&by_value), "{table}");
            assert!(
                !by_value.alerts.is_empty()
                    || !by_value.incidents.is_empty()
                    || by_value.skipped > 0
                    || !by_value.problems.by_message.is_empty(),
                "{table}"
            );
        }
    }

    #[test]
    fn repeated_texts_of_a_file_share_one_copy() {
        let alert = |id: &str| {
            format!(
                r##"{{"id":"{id}","title":"Suspicious sign-in","category":"InitialAccess","serviceSource":"microsoftDefenderForIdentity","createdDateTime":"2024-01-01T10:00:00Z","evidence":[{{"@odata.type":"#microsoft.graph.security.ipEvidence","ipAddress":"203.0.113.{id}","roles":["attacker"],"remediationStatus":"none"}}]}}"##
            )
        };
        let out = ingest(&[alert("1"), alert("2"), alert("3")].join("\n"));
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert_eq!(out.alerts.len(), 3);
        let same = |f: fn(&RawAlert) -> &str| {
            let first = f(&out.alerts[0]);
            assert!(!first.is_empty());
            out.alerts
                .iter()
                .all(|a| std::ptr::eq(f(a).as_ptr(), first.as_ptr()))
        };
        assert!(same(|a| &a.alert.title), "one title for three alerts");
        assert!(same(|a| &a.alert.category));
        assert!(same(|a| &a.alert.service_source));
        assert!(same(|a| &a.alert.provenance.file));
        assert!(same(|a| &a.evidence[0].roles[0]));
        assert!(same(|a| &a.alert.sources[0]));
    }

    #[test]
    fn unrecognized_content_is_one_problem_naming_the_file() {
        for text in ["Name,Value\n1,x\n", "{\"hello\": 1}", "", "\u{feff}  \n"] {
            let out = ingest(text);
            assert_eq!(out.report.format, None, "{text:?}");
            assert_eq!(out.problems.len(), 1, "{text:?}");
            assert_eq!(out.problems[0].file, "f.json");
        }
    }

    #[test]
    fn a_table_of_alerts_without_times_names_the_missing_column_per_row() {
        let out = ingest("AlertId,Title\nda1,x\nda2,y\n");
        assert_eq!(out.report.format, Some(Format::AhAlertInfo));
        assert_eq!(out.problems.len(), 2, "{:?}", out.problems);
        assert!(out.problems[0].message.contains("Timestamp"));
        assert_eq!(out.problems[0].location, "line 2");
    }

    #[test]
    fn utf16_from_powershell_and_windows_1252_from_excel_load_with_a_notice() {
        let alert = r#"{"id":"a1","providerAlertId":"a1","createdDateTime":"2026-09-01T08:00:00Z","title":"Café"}"#;
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(alert.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let out = ingest_file("ps.json", utf16.as_slice(), &mut |_| {});
        assert_eq!(out.alerts.len(), 1, "{:?}", out.problems);
        assert_eq!(out.alerts[0].alert.title, "Café");
        assert!(out.problems[0].message.contains("UTF-16LE"));
        assert_eq!(
            out.report.sha256,
            hex::encode(Sha256::digest(&utf16)),
            "the hash is of the file's bytes"
        );

        let mut cp1252 = b"Timestamp;AlertId;Title\r\n2026-09-01T08:00:00Z;da1;Verd".to_vec();
        cp1252.push(0xE4); // 'ä' in Windows-1252
        cp1252.extend_from_slice(b"chtig\r\n");
        let out = ingest_file("excel.csv", cp1252.as_slice(), &mut |_| {});
        assert_eq!(out.report.format, Some(Format::AhAlertInfo));
        assert_eq!(out.alerts.len(), 1, "{:?}", out.problems);
        assert_eq!(out.alerts[0].alert.title, "Verdächtig");
        assert!(out.problems[0].message.contains("windows-1252"));
    }

    #[test]
    fn powershell_depth_truncation_is_flagged_per_file() {
        let record = r#"{"id":"a1","providerAlertId":"a1","createdDateTime":"2026-09-01T08:00:00Z","evidence":["@{@odata.type=#microsoft.graph.security.deviceEvidence; deviceDnsName=ws-1}"],"comments":"System.Object[]"}"#;
        let out = ingest(&format!("{record}\n{record}\n"));
        assert_eq!(out.alerts.len(), 2, "the alerts still load");
        let flagged = out
            .problems
            .iter()
            .find(|p| p.message.contains("ConvertTo-Json"))
            .expect("flagged");
        assert_eq!(flagged.count, 2);
    }

    #[test]
    fn repeated_problems_fold_into_a_count() {
        let line = r#"{"id":"a","providerAlertId":"a"}"#;
        let out = ingest(&format!("{line}\n{line}\n{line}\n"));
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].count, 3);
        assert_eq!(out.problems[0].location, "line 1");
        assert_eq!(out.report.problems, 3);
    }

    #[test]
    fn times_in_the_shapes_exports_use() {
        for text in [
            "2026-09-01T08:00:00Z",
            "2026-09-01T08:00:00.1234567Z",
            "2026-09-01T10:00:00+02:00",
            "2026-09-01 08:00:00",
            "2026-09-01T08:00:00",
        ] {
            assert_eq!(
                parse_time(Some(text)).map(|t| t.to_rfc3339()),
                Some("2026-09-01T08:00:00+00:00".to_owned())
                    .filter(|_| !text.contains(".1"))
                    .or_else(|| Some("2026-09-01T08:00:00.123456700+00:00".to_owned())),
                "{text}"
            );
        }
        assert_eq!(parse_time(Some("yesterday")), None);
        assert_eq!(parse_time(Some("0001-01-01T00:00:00Z")), None);
        assert_eq!(parse_time(Some("9999-12-31T23:59:59Z")), None);
    }
}
