//! Ingest: bytes of an export file in, raw alerts and problems out.
//!
//! [`ingest_file`] hashes and counts the bytes as they stream past, detects the format from the
//! content (never from the file name), and hands each record to that format's converter. It never
//! fails as a whole: what it cannot read becomes a [`Problem`] naming the file and the position,
//! and every record it could read is kept. Entity resolution and duplicate merging happen later,
//! across all files (`crate::analysis`).

mod container;
mod defender_api;
mod graph_alerts;
pub mod json_stream;
pub mod mentions;
pub mod text;

pub use crate::model::SourceIncident;
use crate::model::{Alert, EntityMention, Problem, Provenance, Timestamp, Verdict};
pub use container::{ingest, ContainerInfo};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};

/// An alert as one file describes it, with its evidence not yet resolved to entities.
#[derive(Debug, Clone)]
pub struct RawAlert {
    pub alert: Alert,
    pub evidence: Vec<RawEvidence>,
    /// Evidence types this build does not read yet (reported, not fatal).
    pub unknown_evidence_types: Vec<String>,
}

/// One piece of evidence: the entity as named here, and what the alert says about it.
#[derive(Debug, Clone)]
pub struct RawEvidence {
    pub mention: EntityMention,
    pub verdict: Verdict,
    pub remediation_status: String,
    pub roles: Vec<String>,
    pub first_seen: Option<Timestamp>,
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
}

impl Format {
    pub fn id(self) -> &'static str {
        match self {
            Format::GraphAlertsV2 => "graph-alerts-v2",
            Format::GraphIncidents => "graph-incidents",
            Format::DefenderIncidentsApi => "defender-incidents-api",
            Format::MdeAlertsApi => "mde-alerts-api",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::GraphAlertsV2 => "Microsoft Graph security alerts (v2)",
            Format::GraphIncidents => "Microsoft Graph security incidents",
            Format::DefenderIncidentsApi => "Microsoft Defender XDR incidents API",
            Format::MdeAlertsApi => "Microsoft Defender for Endpoint alerts API",
        }
    }

    /// Which export a JSON record comes from, by its keys (never by the file name).
    pub fn of_record(value: &serde_json::Value) -> Option<Format> {
        let serde_json::Value::Object(map) = value else {
            return None;
        };
        let has = |k: &str| map.get(k).is_some_and(|v| !v.is_null());
        let odata = map
            .get("@odata.type")
            .and_then(|v| v.as_str())
            .unwrap_or("");
        if odata.ends_with("security.incident") || (has("displayName") && has("alerts")) {
            Some(Format::GraphIncidents)
        } else if has("incidentId")
            && (has("incidentName") || (has("alerts") && has("lastUpdateTime")))
        {
            Some(Format::DefenderIncidentsApi)
        } else if odata.ends_with("security.alert")
            || has("providerAlertId")
            || has("firstActivityDateTime")
            || (has("evidence") && has("serviceSource"))
        {
            Some(Format::GraphAlertsV2)
        } else if has("alertCreationTime")
            || has("machineId")
            || has("computerDnsName")
            || has("firstEventTime")
        {
            Some(Format::MdeAlertsApi)
        } else {
            None
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

/// Reads one export file completely. `progress` is called every megabyte or so.
pub fn ingest_file(
    name: &str,
    reader: impl Read,
    progress: &mut dyn FnMut(Progress),
) -> FileIngest {
    let mut counted = CountingReader {
        inner: reader,
        hasher: Sha256::new(),
        bytes: 0,
        next_report: PROGRESS_STEP,
        progress,
    };
    let mut problems = ProblemList::new(name);
    let mut alerts = Vec::new();
    let mut incidents = Vec::new();
    let mut records = 0usize;
    let mut format = None;
    {
        let mut buffered = BufReader::with_capacity(1 << 20, &mut counted);
        match sniff(&mut buffered) {
            Err(e) => problems.add("", format!("could not read the file: {e}")),
            Ok(Sniffed::Empty) => problems.add("", "the file is empty".to_owned()),
            Ok(Sniffed::Unrecognized(why)) => problems.add("", why),
            Ok(Sniffed::Json { hint }) => {
                let mut on_record = |record: json_stream::JsonRecord| {
                    records = record.index;
                    let provenance = Provenance {
                        file: name.to_owned(),
                        location: record.location.clone(),
                    };
                    let Some(kind) = Format::of_record(&record.value) else {
                        problems.add(&record.location, NOT_A_RECORD.to_owned());
                        return;
                    };
                    format.get_or_insert(kind);
                    let converted = match kind {
                        Format::GraphAlertsV2 => graph_alerts::convert(record.value, provenance)
                            .map(|a| (None, vec![Ok(a)])),
                        Format::MdeAlertsApi => {
                            defender_api::convert_mde_alert(record.value, provenance)
                                .map(|a| (None, vec![Ok(a)]))
                        }
                        Format::GraphIncidents => {
                            graph_alerts::convert_incident(record.value, provenance)
                                .map(|(i, a)| (Some(i), a))
                        }
                        Format::DefenderIncidentsApi => {
                            defender_api::convert_incident(record.value, provenance)
                                .map(|(i, a)| (Some(i), a))
                        }
                    };
                    match converted {
                        Ok((incident, converted_alerts)) => {
                            incidents.extend(incident);
                            for converted_alert in converted_alerts {
                                match converted_alert {
                                    Ok(raw) => {
                                        for t in &raw.unknown_evidence_types {
                                            problems.add(
                                                &record.location,
                                                format!("evidence of type `{t}` is not read yet; the alert keeps its other evidence"),
                                            );
                                        }
                                        alerts.push(raw);
                                    }
                                    Err(message) => problems.add(&record.location, message),
                                }
                            }
                        }
                        Err(message) => problems.add(&record.location, message),
                    }
                };
                for error in json_stream::read_records(&mut buffered, &mut on_record) {
                    problems.add(&error.location, error.message);
                }
                if format.is_none() {
                    format = hint;
                }
                if format.is_none() && records == 0 {
                    problems.add("", NOT_AN_EXPORT.to_owned());
                }
            }
        }
        // Hash what the parser did not need to read (trailing bytes after an error).
        let _ = std::io::copy(&mut buffered, &mut std::io::sink());
    }
    let first_activity = alerts.iter().map(|a| a.alert.first_activity).min();
    let last_activity = alerts.iter().map(|a| a.alert.last_activity).max();
    let problems = problems.finish();
    (counted.progress)(Progress {
        bytes_read: counted.bytes,
        records,
    });
    FileIngest {
        report: FileReport {
            name: name.to_owned(),
            format,
            sha256: hex::encode(counted.hasher.finalize()),
            bytes: counted.bytes,
            records,
            alerts: alerts.len(),
            problems: problems.iter().map(|p| p.count).sum(),
            first_activity,
            last_activity,
            container: None,
        },
        alerts,
        incidents,
        problems,
    }
}

const NOT_A_RECORD: &str = "not an alert or incident of a supported export (Microsoft Graph security alerts or incidents, Defender XDR incidents API, Defender for Endpoint alerts API)";
const NOT_AN_EXPORT: &str = "not a recognized alert export: JSON without alert or incident records";

enum Sniffed {
    Empty,
    /// JSON: records are classified one by one; `hint` names the format of an export with no
    /// records at all (an empty Graph page).
    Json {
        hint: Option<Format>,
    },
    Unrecognized(String),
}

/// Decides from the first bytes whether the file is JSON at all, leaving them in the buffer.
fn sniff(reader: &mut impl BufRead) -> std::io::Result<Sniffed> {
    let head = reader.fill_buf()?;
    let head = &head[..head.len().min(SNIFF_BYTES)];
    if head.iter().all(u8::is_ascii_whitespace) {
        return Ok(Sniffed::Empty);
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Ok(Sniffed::Unrecognized(
            "the file is UTF-16 encoded (PowerShell `>`); this build reads UTF-8: re-save it as UTF-8".to_owned(),
        ));
    }
    let text = String::from_utf8_lossy(head);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if !(start.starts_with('{') || start.starts_with('[')) {
        return Ok(Sniffed::Unrecognized(
            "not a recognized alert export: the content is not JSON (expected Microsoft Graph or Defender API exports)".to_owned(),
        ));
    }
    let hint = if text.contains("security/alerts_v2") {
        Some(Format::GraphAlertsV2)
    } else if text.contains("security/incidents") {
        Some(Format::GraphIncidents)
    } else {
        None
    };
    Ok(Sniffed::Json { hint })
}

/// Parses the time formats the exports use; `None` for absent or unreadable values.
pub fn parse_time(text: Option<&str>) -> Option<Timestamp> {
    let text = text?.trim();
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
    hasher: Sha256,
    bytes: u64,
    next_report: u64,
    progress: &'a mut dyn FnMut(Progress),
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        if self.bytes >= self.next_report {
            self.next_report = self.bytes + PROGRESS_STEP;
            (self.progress)(Progress {
                bytes_read: self.bytes,
                records: 0,
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
    fn unrecognized_content_is_one_problem_naming_the_file() {
        for text in ["AlertId,Title\n1,x\n", "{\"hello\": 1}", "", "\u{feff}  \n"] {
            let out = ingest(text);
            assert_eq!(out.report.format, None, "{text:?}");
            assert_eq!(out.problems.len(), 1, "{text:?}");
            assert_eq!(out.problems[0].file, "f.json");
        }
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
    }
}
