//! The JSON that `alertweave analyze --json` prints (CONTRACT.md §1), and the queue as CSV.
//! The human summary printed without `--json` is `alertweave_text::summary`.

use crate::analysis::Dataset;
use crate::model::{AlertId, Problem, Receipt, Severity, Status, Sym, Timestamp};
use serde::Serialize;

/// Borrows from the dataset: 100,000 incidents are written, not copied first.
#[derive(Serialize)]
pub struct AnalyzeReport<'a> {
    pub files: Vec<FileEntry<'a>>,
    /// Distinct alerts after merging duplicates across files.
    pub alerts: usize,
    pub incidents: Vec<IncidentEntry<'a>>,
    pub problems: &'a [Problem],
    /// Extension: records that repeated an alert already read.
    pub duplicate_records: usize,
    /// Extension: `correlate` or `source_incidents`.
    pub grouping: crate::correlate::Grouping,
    /// Extension: signs that the exports are incomplete (see `analysis::Completeness`).
    pub completeness: &'a crate::analysis::Completeness,
    /// How far the correlation agrees with the exports' own incidents (absent when no alert
    /// carries one, or with `--source-incidents`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_agreement: Option<crate::analysis::SourceAgreement>,
}

#[derive(Serialize)]
pub struct FileEntry<'a> {
    pub name: &'a str,
    /// The contract's format id, or `null` when the content was not recognized.
    pub format: Option<&'static str>,
    pub sha256: &'a str,
    pub bytes: u64,
    pub records: usize,
    pub alerts: usize,
    pub problems: usize,
    /// Extension: the zip or gzip file this export was read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<&'a crate::ingest::ContainerInfo>,
}

#[derive(Serialize)]
pub struct IncidentEntry<'a> {
    pub incident_id: &'a str,
    pub title: &'a str,
    pub severity: Severity,
    pub status: Status,
    #[serde(serialize_with = "rfc3339")]
    pub first_activity: Timestamp,
    #[serde(serialize_with = "rfc3339")]
    pub last_activity: Timestamp,
    pub alert_ids: &'a [AlertId],
    pub entities: Vec<EntityEntry<'a>>,
    pub receipts: &'a [Receipt],
    /// Extension: the categories (MITRE tactics first, in kill-chain order).
    pub categories: &'a [Sym],
    /// Extension: the incident ids the export itself gave these alerts.
    pub source_incident_ids: &'a [Sym],
}

#[derive(Serialize)]
pub struct EntityEntry<'a> {
    pub entity_id: &'a str,
    pub kind: &'static str,
    pub name: &'a str,
}

fn rfc3339<S: serde::Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

pub fn analyze_report(dataset: &Dataset) -> AnalyzeReport<'_> {
    AnalyzeReport {
        files: dataset
            .files
            .iter()
            .map(|f| FileEntry {
                name: &f.name,
                format: f.format.map(|fmt| fmt.id()),
                sha256: &f.sha256,
                bytes: f.bytes,
                records: f.records,
                alerts: f.alerts,
                problems: f.problems,
                container: f.container.as_ref(),
            })
            .collect(),
        alerts: dataset.alerts.len(),
        incidents: dataset
            .incidents()
            .iter()
            .map(|inc| IncidentEntry {
                incident_id: inc.incident_id.as_str(),
                title: inc.title.as_str(),
                severity: inc.severity,
                status: inc.status,
                first_activity: inc.first_activity,
                last_activity: inc.last_activity,
                alert_ids: &inc.alert_ids,
                entities: inc
                    .entity_ids
                    .iter()
                    .filter_map(|id| dataset.entities.get(id))
                    .map(|e| EntityEntry {
                        entity_id: e.entity_id.as_str(),
                        kind: e.kind.as_str(),
                        name: &e.name,
                    })
                    .collect(),
                receipts: &inc.receipts,
                categories: &inc.categories,
                source_incident_ids: &inc.source_incident_ids,
            })
            .collect(),
        problems: &dataset.problems,
        duplicate_records: dataset.duplicate_records,
        grouping: dataset.grouping,
        completeness: &dataset.completeness,
        source_agreement: dataset.source_agreement(),
    }
}

/// The queue's rows (all that match, in its order) as spreadsheet-safe CSV, in the columns of
/// Defender's queue; times in UTC (RFC 3339).
pub fn queue_csv(rows: &[crate::query::QueueRow]) -> String {
    let header = [
        "incident_id",
        "incident_name",
        "severity",
        "status",
        "tags",
        "investigation_states",
        "categories",
        "impacted_assets",
        "active_alerts",
        "alerts",
        "service_sources",
        "detection_sources",
        "first_activity",
        "last_activity",
        "assigned_to",
        "classification",
        "determination",
    ];
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.incident_id.to_string(),
                r.title.clone(),
                r.severity.as_str().to_owned(),
                r.status.as_str().to_owned(),
                r.tags.join("; "),
                r.investigation_states.join("; "),
                r.categories.join("; "),
                r.impacted_assets
                    .iter()
                    .map(|a| format!("{}:{}", a.kind.as_str(), a.name))
                    .collect::<Vec<_>>()
                    .join("; "),
                r.n_active_alerts.to_string(),
                r.n_alerts.to_string(),
                r.service_sources.join("; "),
                r.detection_sources.join("; "),
                r.first_activity.to_rfc3339(),
                r.last_activity.to_rfc3339(),
                r.assigned_to.clone(),
                r.classification.clone(),
                r.determination.clone(),
            ]
        })
        .collect();
    crate::iocs::csv(&header, &body)
}
