//! What the page and the worker say to each other, and the engine that answers in the worker.
//!
//! Files cross as `File` handles in a JS message of their own (see `src/bin/worker.rs`); every
//! other message is a [`Request`] or [`Response`] serialized as JSON. The [`Engine`] holds the
//! dataset and answers requests with values, never by throwing: the worker entry is plumbing.

use alertweave_core::analysis::Dataset;
use alertweave_core::correlate::{Grouping, Settings};
use alertweave_core::ingest::{ingest_seekable_hashing, FileHash, FileIngest, Progress};
use alertweave_core::model::IncidentId;
use alertweave_core::query::{self, IncidentView, LoadSummary, QueueIndex, QueuePage, QueueQuery};
use serde::{Deserialize, Serialize};
use std::io::{Read, Seek};

// A request is serialized as soon as it is made, never stored in bulk: the queue's filters
// make its largest variant, which costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    Queue {
        query: QueueQuery,
    },
    Incident {
        incident_id: IncidentId,
    },
    Summary,
    /// The settings and grouping in use (answered with `Settings`, also before any load).
    Settings,
    /// Groups the loaded alerts anew with these settings, which later loads use too. Answered
    /// with `Recorrelated`; before any load, the settings are kept for it and the answer is
    /// `Settings`. Settings out of range are refused (`Failed`) and change nothing.
    Recorrelate {
        settings: Settings,
        grouping: Grouping,
    },
    /// One manual change (see `edits`), made while `incident_id` was shown; answered with
    /// `Edited`: the incident that now holds the change, as `Incident` would answer it.
    Edit {
        incident_id: IncidentId,
        op: alertweave_core::edits::Op,
        author: String,
        /// When the change was made, in milliseconds since 1970 (the page's clock).
        at_ms: i64,
    },
    /// Every incident the queue's view selects (its filters and order), as CSV and JSON.
    QueueExport {
        query: QueueQuery,
        /// A key (hex) turns on pseudonymization (see `pseudonym`).
        #[serde(default)]
        pseudonym_key: Option<String>,
    },
    /// The incident's indicators as CSV and a STIX 2.1 bundle.
    Iocs {
        incident_id: IncidentId,
        at_ms: i64,
        /// A key (hex) turns on pseudonymization: addresses become aliases (and leave the STIX
        /// bundle, whose patterns need real addresses), other values are scrubbed of names.
        #[serde(default)]
        pseudonym_key: Option<String>,
    },
    /// The incident report in the given language (`en`, `nl`) and zone.
    Report {
        incident_id: IncidentId,
        lang: String,
        utc_offset_minutes: i32,
        at_ms: i64,
        /// A key (hex) turns on pseudonymization; the report says it is pseudonymized.
        #[serde(default)]
        pseudonym_key: Option<String>,
    },
    /// One change made to several incidents in one go (the queue's bulk actions; merging from
    /// the incident page). Incidents are named by id, as shown; unknown ids are skipped. Each
    /// incident's change is its own entry in the change log (undone one by one), a merge is
    /// one entry. Answered with `EditedMany`.
    EditMany {
        incident_ids: Vec<IncidentId>,
        change: BulkChange,
        author: String,
        at_ms: i64,
    },
    /// Up to `limit` incidents whose title, id or impacted assets contain `search`, in the
    /// queue's default order (the pickers of "Merge with…" and "Move to…"): `Candidates`.
    FindIncidents {
        search: String,
        limit: usize,
        /// With an empty search: the incidents that share the most entities with this one
        /// (the pickers' first offer).
        #[serde(default)]
        near: Option<IncidentId>,
    },
    /// The ids of every incident the queue's view selects (its "select all"): `QueueIds`.
    QueueIds {
        query: QueueQuery,
    },
}

/// A change the queue applies to every selected incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum BulkChange {
    /// Resolving carries a note, as on the incident page.
    Status {
        status: alertweave_core::model::Status,
        #[serde(default)]
        note: String,
    },
    Assign {
        owner: String,
    },
    Classify {
        classification: String,
        determination: String,
    },
    Tag {
        tag: String,
        add: bool,
    },
    /// `None` returns to the severity of the alerts.
    Severity {
        severity: Option<alertweave_core::model::Severity>,
    },
    /// The incidents become one: the first one's (its title and changes lead).
    Merge,
}

impl BulkChange {
    /// The change for one incident (by its anchor); a merge is one change for all of them.
    fn op_for(
        &self,
        incident: alertweave_core::model::AlertId,
    ) -> Option<alertweave_core::edits::Op> {
        use alertweave_core::edits::Op;
        Some(match self {
            BulkChange::Status { status, note } => Op::SetStatus {
                incident,
                status: *status,
                note: note.clone(),
            },
            BulkChange::Assign { owner } => Op::Assign {
                incident,
                owner: owner.clone(),
            },
            BulkChange::Classify {
                classification,
                determination,
            } => Op::Classify {
                incident,
                classification: classification.clone(),
                determination: determination.clone(),
            },
            BulkChange::Tag { tag, add } => Op::Tag {
                incident,
                tag: tag.clone(),
                add: *add,
            },
            BulkChange::Severity { severity } => Op::SetSeverity {
                incident,
                severity: *severity,
            },
            BulkChange::Merge => return None,
        })
    }
}

/// An incident a picker offers, with the alert that anchors it (what `Op::Move` names).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub incident_id: IncidentId,
    pub title: String,
    pub severity: alertweave_core::model::Severity,
    pub status: alertweave_core::model::Status,
    pub n_alerts: usize,
    pub anchor: alertweave_core::model::AlertId,
}

// A response is serialized as soon as it is made, never stored in bulk: the size of its
// largest variant costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    /// Sent while files load.
    Progress(LoadProgress),
    /// The load finished (also the answer to `Summary`).
    Loaded {
        summary: LoadSummary,
    },
    Queue {
        page: QueuePage,
    },
    /// `view` is `None` when no incident has that id.
    Incident {
        incident_id: IncidentId,
        view: Option<Box<IncidentView>>,
    },
    /// A change was applied; the incident that holds it now.
    Edited {
        incident_id: IncidentId,
        view: Option<Box<IncidentView>>,
    },
    Report {
        incident_id: IncidentId,
        markdown: String,
        html: String,
    },
    Iocs {
        incident_id: IncidentId,
        count: usize,
        csv: String,
        stix: String,
    },
    QueueExport {
        count: usize,
        csv: String,
        json: String,
    },
    /// The settings and grouping in use.
    Settings {
        settings: Settings,
        grouping: Grouping,
    },
    /// The alerts were grouped anew: the incident count before and after, the new summary, and
    /// the settings now in use.
    Recorrelated {
        before: usize,
        after: usize,
        summary: LoadSummary,
        settings: Settings,
        grouping: Grouping,
    },
    /// Sent just before `Edited`: the change as the log keeps it (sequence number, time, author),
    /// so the page's autosave appends it. An undo is an entry too.
    Logged {
        entry: alertweave_core::edits::Entry,
    },
    /// A workspace file was written (the file itself travels beside this answer): its size,
    /// whether it is encrypted, and how long writing it took in the worker.
    WorkspaceWritten {
        bytes: u64,
        encrypted: bool,
        millis: f64,
    },
    /// A workspace file was opened and replaced what was loaded: its inputs (whose bytes travel
    /// beside this answer, in this order), settings, grouping and change log, now in use.
    WorkspaceOpened {
        summary: LoadSummary,
        files: Vec<alertweave_core::workspace::FileEntry>,
        settings: Settings,
        grouping: Grouping,
        edits: alertweave_core::edits::EditLog,
        encrypted: bool,
        millis: f64,
    },
    /// A workspace file could not be written or opened; nothing changed.
    WorkspaceFailed {
        error: alertweave_core::workspace::WorkspaceError,
    },
    /// A change was applied to several incidents: how many changes were recorded, the
    /// incidents that hold them now (in the order asked, without repeats), and the first of
    /// them as `Incident` would answer it.
    EditedMany {
        changed: usize,
        incident_ids: Vec<IncidentId>,
        view: Option<Box<IncidentView>>,
    },
    /// The incidents a picker found for `search`.
    Candidates {
        search: String,
        candidates: Vec<Candidate>,
    },
    /// Every incident id of the queue's view `spec`, in its order.
    QueueIds {
        spec: alertweave_core::query::QueueSpec,
        incident_ids: Vec<IncidentId>,
    },
    /// A request that could not be answered (no data loaded, a malformed message...).
    Failed {
        message: String,
    },
}

/// Loading progress across all files of one load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LoadProgress {
    pub file_index: usize,
    pub n_files: usize,
    pub bytes_read: u64,
    pub bytes_total: u64,
    pub records: usize,
}

/// The worker-resident model.
#[derive(Default)]
pub struct Engine {
    dataset: Option<Dataset>,
    /// The queue prepared for the current grouping, built at its first question.
    queue: Option<QueueIndex>,
    settings: Settings,
    grouping: Grouping,
    /// Changes made since the worker last took them (see [`Engine::take_logged`]).
    logged: Vec<alertweave_core::edits::Entry>,
    /// The digests the last load left to its caller ([`Engine::load_hashing_beside`]): each
    /// source's index, and the index of its file in the dataset.
    owed_digests: Vec<(usize, usize)>,
    /// The summary the last load or change log gave, while its digests are owed:
    /// [`Engine::set_digests`] fills them in rather than summing the dataset up again. Any
    /// request drops it (it might change what the summary says).
    owed_summary: Option<LoadSummary>,
}

/// Files by name, in order, with their bytes.
pub type NamedBytes = Vec<(String, Vec<u8>)>;

/// One file to load: its name, size, and a reader over its bytes.
pub struct Source<R> {
    pub name: String,
    pub size: u64,
    pub reader: R,
}

impl Engine {
    pub fn new() -> Self {
        Engine::default()
    }

    /// Replaces the dataset with these files, reporting progress as they are read.
    pub fn load<R: Read + Seek>(
        &mut self,
        sources: Vec<Source<R>>,
        progress: &mut dyn FnMut(LoadProgress),
    ) -> LoadSummary {
        self.load_with(sources, progress, false)
    }

    /// [`Engine::load`], with the SHA-256 of each file that is read as it is (not a zip or
    /// gzip file) left to the caller, who computes it beside the load (the worker, in a second
    /// worker) and gives it with [`Engine::set_digests`]. Until then those digests are empty.
    pub fn load_hashing_beside<R: Read + Seek>(
        &mut self,
        sources: Vec<Source<R>>,
        progress: &mut dyn FnMut(LoadProgress),
    ) -> LoadSummary {
        self.load_with(sources, progress, true)
    }

    /// The digests owed by the last load ([`Engine::load_hashing_beside`]), by the index of
    /// its sources: the summary with them in, or `None` when that load owes none (or another
    /// load came since). A source without a digest here keeps an empty one.
    pub fn set_digests(&mut self, digests: &[String]) -> Option<LoadSummary> {
        let owed = std::mem::take(&mut self.owed_digests);
        let summary = self.owed_summary.take();
        let ds = self.dataset.as_mut().filter(|_| !owed.is_empty())?;
        for (source, file) in owed {
            if let (Some(digest), Some(report)) = (digests.get(source), ds.files.get_mut(file)) {
                report.sha256.clone_from(digest);
            }
        }
        Some(match summary {
            Some(mut summary) => {
                summary.files.clone_from(&ds.files);
                summary
            }
            None => query::load_summary(ds),
        })
    }

    /// `summary`, kept while the digests are owed (see [`Self::owed_summary`]).
    fn keep_owed(&mut self, summary: LoadSummary) -> LoadSummary {
        self.owed_summary = (!self.owed_digests.is_empty()).then(|| summary.clone());
        summary
    }

    /// The indices of the sources whose digests the last load owes.
    pub fn owed_digests(&self) -> Vec<usize> {
        self.owed_digests
            .iter()
            .map(|&(source, _)| source)
            .collect()
    }

    fn load_with<R: Read + Seek>(
        &mut self,
        sources: Vec<Source<R>>,
        progress: &mut dyn FnMut(LoadProgress),
        hashing_beside: bool,
    ) -> LoadSummary {
        self.owed_digests.clear();
        let n_files = sources.len();
        let bytes_total = sources.iter().map(|s| s.size).sum();
        let mut done_bytes = 0u64;
        let mut ingests: Vec<FileIngest> = Vec::with_capacity(n_files);
        for (file_index, source) in sources.into_iter().enumerate() {
            let mut report = |p: Progress| {
                progress(LoadProgress {
                    file_index,
                    n_files,
                    bytes_read: done_bytes + p.bytes_read,
                    bytes_total,
                    records: p.records,
                });
            };
            let owed = std::cell::Cell::new(false);
            let mut owe = || {
                owed.set(true);
                String::new()
            };
            let hashing = match hashing_beside {
                true => FileHash::Given(&mut owe),
                false => FileHash::AsRead,
            };
            let file = ingests.len();
            ingests.extend(ingest_seekable_hashing(
                &source.name,
                source.reader,
                &mut report,
                hashing,
                &alertweave_core::spread::InTurn,
            ));
            if owed.get() {
                self.owed_digests.push((file_index, file));
            }
            done_bytes += source.size;
        }
        let dataset = Dataset::build(ingests, self.settings.clone(), self.grouping);
        let summary = query::load_summary(&dataset);
        self.dataset = Some(dataset);
        self.queue = None;
        self.keep_owed(summary)
    }

    /// Replaces the change log of what is loaded (a saved workspace's) and applies it; the
    /// summary afterwards. Without data, nothing is kept.
    /// The changes in force over what is loaded (empty before any load).
    pub fn edits(&self) -> alertweave_core::edits::EditLog {
        self.dataset
            .as_ref()
            .map(|ds| ds.edits.clone())
            .unwrap_or_default()
    }

    pub fn set_edits(&mut self, edits: alertweave_core::edits::EditLog) -> Option<LoadSummary> {
        let ds = self.dataset.as_mut()?;
        ds.set_edits(edits);
        self.queue = None;
        let summary = query::load_summary(ds);
        Some(self.keep_owed(summary))
    }

    /// The changes made since the last call, in order: the worker sends each as `Logged`.
    pub fn take_logged(&mut self) -> Vec<alertweave_core::edits::Entry> {
        std::mem::take(&mut self.logged)
    }

    /// Writes what is loaded as a workspace file: `sources` are the loaded inputs again (read
    /// twice: once for their SHA-256, which the manifest lists before the bytes, then copied),
    /// with the settings, grouping and change log in use.
    pub fn write_workspace<R: Read + Seek>(
        &self,
        sources: &mut [Source<R>],
        out: &mut dyn std::io::Write,
        protection: alertweave_core::workspace::Protection,
        created: alertweave_core::model::Timestamp,
    ) -> Result<(), alertweave_core::workspace::WorkspaceError> {
        use alertweave_core::workspace::{self, FileEntry, Manifest, WorkspaceError};
        use sha2::{Digest, Sha256};
        let io = |e: std::io::Error| WorkspaceError::Io(e.to_string());
        let ds = self
            .dataset
            .as_ref()
            .ok_or_else(|| WorkspaceError::Io("no data loaded".to_owned()))?;
        let mut files = Vec::with_capacity(sources.len());
        let mut buffer = vec![0u8; workspace::CHUNK_BYTES];
        for source in sources.iter_mut() {
            let (mut hasher, mut bytes) = (Sha256::new(), 0u64);
            loop {
                let n = source.reader.read(&mut buffer).map_err(io)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buffer[..n]);
                bytes += n as u64;
            }
            source.reader.rewind().map_err(io)?;
            files.push(FileEntry {
                name: source.name.clone(),
                bytes,
                sha256: hex::encode(hasher.finalize()),
            });
        }
        let manifest = Manifest {
            version: workspace::VERSION,
            created: Some(created),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            settings: self.settings.clone(),
            grouping: self.grouping,
            edits: ds.edits.clone(),
            files,
        };
        let mut readers: Vec<(&str, &mut dyn Read)> = sources
            .iter_mut()
            .map(|s| (s.name.as_str(), &mut s.reader as &mut dyn Read))
            .collect();
        workspace::write(out, &manifest, &mut readers, protection)
    }

    /// Opens a workspace file and, only once all of it was read and checked, replaces what is
    /// loaded with it: its settings, grouping, inputs and change log. Answers `WorkspaceOpened`
    /// (without `millis`) and the inputs' bytes; on any error nothing changed. The page's
    /// worker reads into browser `Blob`s instead (`workspace::read_into`, then `open_read`).
    pub fn open_workspace(
        &mut self,
        input: &mut dyn Read,
        passphrase: Option<&str>,
    ) -> Result<(Response, NamedBytes), alertweave_core::workspace::WorkspaceError> {
        let opened = alertweave_core::workspace::read(input, passphrase)?;
        let sources = opened
            .files
            .iter()
            .map(|(name, bytes)| Source {
                name: name.clone(),
                size: bytes.len() as u64,
                reader: std::io::Cursor::new(bytes.as_slice()),
            })
            .collect();
        let response = self.open_read(opened.manifest, opened.encrypted, sources)?;
        Ok((response, opened.files))
    }

    /// Puts a workspace already read (`workspace::read_into`) in place of what is loaded: its
    /// settings (checked as `--config` is: bad ones change nothing), its inputs as `sources`,
    /// and its change log.
    pub fn open_read<R: Read + Seek>(
        &mut self,
        manifest: alertweave_core::workspace::Manifest,
        encrypted: bool,
        sources: Vec<Source<R>>,
    ) -> Result<Response, alertweave_core::workspace::WorkspaceError> {
        use alertweave_core::workspace::WorkspaceError;
        let settings = serde_json::to_string(&manifest.settings)
            .map_err(|e| e.to_string())
            .and_then(|json| Settings::from_json(&json))
            .map_err(|e| WorkspaceError::Damaged(format!("its settings: {e}")))?;
        self.settings = settings.clone();
        self.grouping = manifest.grouping;
        self.load(sources, &mut |_| {});
        let summary = self
            .set_edits(manifest.edits.clone())
            .ok_or_else(|| WorkspaceError::Io("nothing was loaded".to_owned()))?;
        Ok(Response::WorkspaceOpened {
            summary,
            files: manifest.files,
            settings,
            grouping: self.grouping,
            edits: manifest.edits,
            encrypted,
            millis: 0.0,
        })
    }

    /// Answers one request. Only `Recorrelate` changes anything.
    pub fn handle(&mut self, request: &Request) -> Response {
        self.owed_summary = None;
        match request {
            Request::Settings => return self.settings_response(),
            Request::Recorrelate { settings, grouping } => {
                return self.recorrelate(settings, *grouping)
            }
            Request::Edit {
                incident_id,
                op,
                author,
                at_ms,
            } => return self.edit(incident_id, op, author, *at_ms),
            Request::EditMany {
                incident_ids,
                change,
                author,
                at_ms,
            } => return self.edit_many(incident_ids, change, author, *at_ms),
            _ => {}
        }
        let Some(ds) = &self.dataset else {
            return Response::Failed {
                message: "no data loaded".to_owned(),
            };
        };
        match request {
            Request::Summary => Response::Loaded {
                summary: query::load_summary(ds),
            },
            Request::Queue { query } => Response::Queue {
                page: self
                    .queue
                    .get_or_insert_with(|| QueueIndex::build(ds))
                    .page(ds, query),
            },
            Request::Incident { incident_id } => Response::Incident {
                incident_id: incident_id.clone(),
                view: query::incident_view(ds, incident_id).map(Box::new),
            },
            Request::QueueExport {
                query,
                pseudonym_key,
            } => {
                let mut all = query.clone();
                all.offset = 0;
                all.limit = usize::MAX;
                let mut page = self
                    .queue
                    .get_or_insert_with(|| QueueIndex::build(ds))
                    .page(ds, &all);
                if let Some(key) = pseudonym_key {
                    let p = alertweave_core::pseudonym::Pseudonymizer::new(
                        &key_bytes(key),
                        ds.entities.values(),
                    );
                    for row in &mut page.rows {
                        row.title = p.scrub(&row.title);
                        for asset in &mut row.impacted_assets {
                            asset.name = p.scrub(&asset.name);
                        }
                    }
                }
                Response::QueueExport {
                    count: page.rows.len(),
                    csv: alertweave_core::export::queue_csv(&page.rows),
                    json: serde_json::to_string_pretty(&page.rows).unwrap_or_default(),
                }
            }
            Request::Iocs {
                incident_id,
                at_ms,
                pseudonym_key,
            } => match query::incident_view(ds, incident_id) {
                Some(view) => {
                    let mut iocs = alertweave_core::iocs::indicators(&view.entities);
                    let mut title = view.incident.title.to_string();
                    let mut stix_iocs = iocs.clone();
                    if let Some(key) = pseudonym_key {
                        let p = alertweave_core::pseudonym::Pseudonymizer::new(
                            &key_bytes(key),
                            view.entities.iter().map(|e| &e.entity),
                        );
                        title = p.scrub(&title);
                        for ioc in &mut iocs {
                            ioc.value = p.scrub(&ioc.value);
                            ioc.name = p.scrub(&ioc.name);
                        }
                        // A STIX pattern needs a real address: aliases stay in the CSV only.
                        stix_iocs = iocs
                            .iter()
                            .filter(|i| {
                                !matches!(
                                    i.kind,
                                    alertweave_core::iocs::IocKind::Ipv4
                                        | alertweave_core::iocs::IocKind::Ipv6
                                )
                            })
                            .cloned()
                            .collect();
                    }
                    let stix = alertweave_core::iocs::indicators_stix(
                        incident_id.as_str(),
                        &title,
                        &stix_iocs,
                        time_of(*at_ms),
                    );
                    Response::Iocs {
                        incident_id: incident_id.clone(),
                        count: iocs.len(),
                        csv: alertweave_core::iocs::indicators_csv(incident_id.as_str(), &iocs),
                        stix: serde_json::to_string_pretty(&stix).unwrap_or_default(),
                    }
                }
                None => Response::Failed {
                    message: format!("no incident {incident_id}"),
                },
            },
            Request::Report {
                incident_id,
                lang,
                utc_offset_minutes,
                at_ms,
                pseudonym_key,
            } => {
                let key = pseudonym_key.as_deref().map(key_bytes);
                let options = alertweave_text::report::ReportOptions {
                    lang: alertweave_text::i18n::Lang::from_code(lang).unwrap_or_default(),
                    utc_offset_minutes: *utc_offset_minutes,
                    generated: time_of(*at_ms),
                    app_version: env!("CARGO_PKG_VERSION"),
                    pseudonym_key: key.as_deref(),
                };
                match alertweave_text::report::incident_report(ds, incident_id, &options) {
                    Some(report) => Response::Report {
                        incident_id: incident_id.clone(),
                        markdown: report.markdown,
                        html: report.html,
                    },
                    None => Response::Failed {
                        message: format!("no incident {incident_id}"),
                    },
                }
            }
            Request::FindIncidents {
                search,
                limit,
                near: Some(near),
            } if search.trim().is_empty() => Response::Candidates {
                search: String::new(),
                candidates: sharing_entities(ds, near, *limit),
            },
            Request::FindIncidents { search, limit, .. } => {
                let page = self
                    .queue
                    .get_or_insert_with(|| QueueIndex::build(ds))
                    .page(
                        ds,
                        &QueueQuery {
                            spec: alertweave_core::query::QueueSpec {
                                search: search.clone(),
                                ..Default::default()
                            },
                            offset: 0,
                            limit: *limit,
                        },
                    );
                Response::Candidates {
                    search: search.clone(),
                    candidates: page
                        .rows
                        .iter()
                        .filter_map(|row| {
                            let anchor = ds.incident(&row.incident_id)?.alert_ids.first()?;
                            Some(Candidate {
                                incident_id: row.incident_id.clone(),
                                title: row.title.clone(),
                                severity: row.severity,
                                status: row.status,
                                n_alerts: row.n_alerts,
                                anchor: anchor.clone(),
                            })
                        })
                        .collect(),
                }
            }
            Request::QueueIds { query } => {
                let mut all = query.clone();
                all.offset = 0;
                all.limit = usize::MAX;
                let page = self
                    .queue
                    .get_or_insert_with(|| QueueIndex::build(ds))
                    .page(ds, &all);
                Response::QueueIds {
                    spec: query.spec.clone(),
                    incident_ids: page.rows.into_iter().map(|r| r.incident_id).collect(),
                }
            }
            // Answered above, with or without data.
            Request::Settings
            | Request::Recorrelate { .. }
            | Request::Edit { .. }
            | Request::EditMany { .. } => self.settings_response(),
        }
    }

    fn edit_many(
        &mut self,
        incident_ids: &[IncidentId],
        change: &BulkChange,
        author: &str,
        at_ms: i64,
    ) -> Response {
        use alertweave_core::edits::Op;
        let Some(ds) = &mut self.dataset else {
            return Response::Failed {
                message: "no data loaded".to_owned(),
            };
        };
        let mut anchors: Vec<alertweave_core::model::AlertId> = Vec::new();
        for id in incident_ids {
            if let Some(anchor) = ds.incident(id).and_then(|i| i.alert_ids.first()) {
                if !anchors.contains(anchor) {
                    anchors.push(anchor.clone());
                }
            }
        }
        let ops: Vec<Op> = match change {
            BulkChange::Merge if anchors.len() < 2 => Vec::new(),
            BulkChange::Merge => vec![Op::Merge {
                incidents: anchors.clone(),
            }],
            _ => anchors
                .iter()
                .filter_map(|anchor| change.op_for(anchor.clone()))
                .collect(),
        };
        // All changes in one pass over the log.
        if !ops.is_empty() {
            let mut log = ds.edits.clone();
            for op in &ops {
                log.push(time_of(at_ms), author, op.clone());
            }
            ds.set_edits(log);
            // Each change goes to the page's autosave, as a single edit's does.
            let first_new = ds.edits.entries.len().saturating_sub(ops.len());
            self.logged
                .extend(ds.edits.entries[first_new..].iter().cloned());
            self.queue = None;
        }
        let mut now: Vec<IncidentId> = Vec::new();
        for anchor in &anchors {
            if let Some(i) = ds.incident_of(anchor) {
                if !now.contains(&i.incident_id) {
                    now.push(i.incident_id.clone());
                }
            }
        }
        Response::EditedMany {
            changed: ops.len(),
            view: now
                .first()
                .and_then(|id| query::incident_view(ds, id))
                .map(Box::new),
            incident_ids: now,
        }
    }

    fn edit(
        &mut self,
        incident_id: &IncidentId,
        op: &alertweave_core::edits::Op,
        author: &str,
        at_ms: i64,
    ) -> Response {
        let Some(ds) = &mut self.dataset else {
            return Response::Failed {
                message: "no data loaded".to_owned(),
            };
        };
        // An alert of the shown incident that the change does not take away (its anchor,
        // unless a move or split takes that): the incident holding it afterwards is the one
        // to show. When every alert leaves, the page follows them.
        let leaving: Vec<&alertweave_core::model::AlertId> = match op {
            alertweave_core::edits::Op::Move { alert, .. } => vec![alert],
            alertweave_core::edits::Op::Split { alerts } => alerts.iter().collect(),
            _ => Vec::new(),
        };
        let anchor = ds.incident(incident_id).and_then(|i| {
            i.alert_ids
                .iter()
                .find(|a| !leaving.contains(a))
                .or(i.alert_ids.first())
                .cloned()
        });
        let seq = ds.edit(time_of(at_ms), author, op.clone());
        self.logged.extend(
            ds.edits
                .entries
                .iter()
                .rev()
                .find(|e| e.seq == seq)
                .cloned(),
        );
        self.queue = None;
        let now = anchor
            .as_ref()
            .and_then(|a| ds.incident_of(a))
            .map_or_else(|| incident_id.clone(), |i| i.incident_id.clone());
        Response::Edited {
            view: query::incident_view(ds, &now).map(Box::new),
            incident_id: now,
        }
    }

    fn settings_response(&self) -> Response {
        Response::Settings {
            settings: self.settings.clone(),
            grouping: self.grouping,
        }
    }

    fn recorrelate(&mut self, settings: &Settings, grouping: Grouping) -> Response {
        // The same checks as `--config`: a request is JSON from the page, like a settings file.
        let settings = match serde_json::to_string(settings)
            .map_err(|e| e.to_string())
            .and_then(|json| Settings::from_json(&json))
        {
            Ok(s) => s,
            Err(e) => {
                return Response::Failed {
                    message: format!("settings not applied: {e}"),
                }
            }
        };
        self.settings = settings.clone();
        self.grouping = grouping;
        let Some(ds) = &mut self.dataset else {
            return self.settings_response();
        };
        let before = ds.incidents().len();
        ds.recorrelate(settings.clone(), grouping);
        self.queue = None;
        let summary = query::load_summary(ds);
        Response::Recorrelated {
            before,
            after: summary.n_incidents,
            summary,
            settings,
            grouping,
        }
    }

    /// Parses a JSON request and answers it as JSON; a malformed request gets a `Failed` answer.
    pub fn handle_json(&mut self, text: &str) -> String {
        let response = match serde_json::from_str::<Request>(text) {
            Ok(request) => self.handle(&request),
            Err(e) => Response::Failed {
                message: format!("malformed request: {e}"),
            },
        };
        encode(&response)
    }
}

/// The incidents that share the most (non-built-in) entities with `near`, most first.
fn sharing_entities(ds: &Dataset, near: &IncidentId, limit: usize) -> Vec<Candidate> {
    let Some(incident) = ds.incident(near) else {
        return Vec::new();
    };
    let mut shared: std::collections::HashMap<&IncidentId, usize> =
        std::collections::HashMap::new();
    for entity_id in &incident.entity_ids {
        if ds.entities.get(entity_id).is_none_or(|e| e.builtin) {
            continue;
        }
        for other in ds.incidents_touching(entity_id) {
            if other != near {
                *shared.entry(other).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<(&IncidentId, usize)> = shared.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    ranked
        .into_iter()
        .take(limit)
        .filter_map(|(id, _)| {
            let other = ds.incident(id)?;
            Some(Candidate {
                incident_id: id.clone(),
                title: other.title.to_string(),
                severity: other.severity,
                status: other.status,
                n_alerts: other.alert_ids.len(),
                anchor: other.alert_ids.first()?.clone(),
            })
        })
        .collect()
}

/// A pseudonymization key as the page keeps it (hex); any other text is used as it is.
fn key_bytes(key: &str) -> Vec<u8> {
    hex::decode(key.trim()).unwrap_or_else(|_| key.as_bytes().to_vec())
}

/// A page timestamp (milliseconds since 1970) as a time; out-of-range values read as 1970.
fn time_of(ms: i64) -> alertweave_core::model::Timestamp {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Serializes a response; serialization of these plain types cannot fail short of a bug.
pub fn encode(response: &Response) -> String {
    serde_json::to_string(response).unwrap_or_else(|e| {
        format!(r#"{{"type":"failed","message":"could not encode the answer: {e}"}}"#)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alertweave_core::model::EntityKind;
    use alertweave_demo::{generate, to_graph_page, DemoConfig};
    use std::io::Cursor;

    fn demo_source() -> Source<Cursor<Vec<u8>>> {
        let page = to_graph_page(&generate(&DemoConfig::default())).into_bytes();
        Source {
            name: "demo.json".to_owned(),
            size: page.len() as u64,
            reader: Cursor::new(page),
        }
    }

    fn loaded_engine() -> (Engine, LoadSummary) {
        let mut engine = Engine::new();
        let summary = engine.load(vec![demo_source()], &mut |_| {});
        assert!(summary.n_incidents > 1, "the demo makes incidents");
        (engine, summary)
    }

    #[test]
    fn a_load_hashing_beside_owes_each_plain_files_digest_until_it_is_given() {
        use sha2::{Digest, Sha256};
        let page = to_graph_page(&generate(&DemoConfig::default())).into_bytes();
        let source = |name: &str| Source {
            name: name.to_owned(),
            size: page.len() as u64,
            reader: Cursor::new(page.clone()),
        };
        let mut engine = Engine::new();
        let summary =
            engine.load_hashing_beside(vec![source("a.json"), source("b.json")], &mut |_| {});
        assert!(summary.files.iter().all(|f| f.sha256.is_empty()));
        assert_eq!(engine.owed_digests(), [0, 1]);
        let given = engine
            .set_digests(&["aa".to_owned(), "bb".to_owned()])
            .expect("the load owes digests");
        let digests: Vec<&str> = given.files.iter().map(|f| f.sha256.as_str()).collect();
        assert_eq!(digests, ["aa", "bb"]);
        assert_eq!(given.n_incidents, summary.n_incidents);
        assert!(
            engine.set_digests(&["cc".to_owned()]).is_none(),
            "paid once"
        );
        // An ordinary load hashes the file as it reads it, and owes nothing.
        let summary = engine.load(vec![source("a.json")], &mut |_| {});
        assert_eq!(summary.files[0].sha256, hex::encode(Sha256::digest(&page)));
        assert!(engine.owed_digests().is_empty());
    }

    #[test]
    fn the_summary_given_with_the_digests_is_what_the_dataset_says_then() {
        let summary_now = |engine: &mut Engine| match engine.handle(&Request::Summary) {
            Response::Loaded { summary } => summary,
            other => panic!("a summary, not {other:?}"),
        };
        let mut engine = Engine::new();
        engine.load_hashing_beside(vec![demo_source()], &mut |_| {});
        let given = engine.set_digests(&["aa".to_owned()]).expect("owed");
        assert_eq!(given.files[0].sha256, "aa");
        assert_eq!(given, summary_now(&mut engine));
        // A request answered between the load and its digests may change the summary.
        engine.load_hashing_beside(vec![demo_source()], &mut |_| {});
        let (settings, grouping) = current(&mut engine);
        assert_eq!(grouping, Grouping::Correlate);
        engine.handle(&Request::Recorrelate {
            settings,
            grouping: Grouping::SourceIncidents,
        });
        let given = engine.set_digests(&["bb".to_owned()]).expect("owed");
        assert_eq!(given, summary_now(&mut engine));
        assert_eq!(given.source_agreement, None);
    }

    fn current(engine: &mut Engine) -> (Settings, Grouping) {
        match engine.handle(&Request::Settings) {
            Response::Settings { settings, grouping } => (settings, grouping),
            other => panic!("not a settings answer: {other:?}"),
        }
    }

    #[test]
    fn an_edit_answers_the_incident_as_it_is_now_and_the_report_carries_it() {
        let (mut engine, _) = loaded_engine();
        let Some(ds) = &engine.dataset else {
            panic!("loaded")
        };
        let incident = ds.incidents()[0].clone();
        let answer = engine.handle_json(
            &serde_json::to_string(&Request::Edit {
                incident_id: incident.incident_id.clone(),
                op: alertweave_core::edits::Op::Rename {
                    incident: incident.alert_ids[0].clone(),
                    title: "Renamed <b>here</b>".into(),
                },
                author: "ana".into(),
                at_ms: 1_790_000_000_000,
            })
            .expect("request"),
        );
        let Ok(Response::Edited { incident_id, view }) = serde_json::from_str(&answer) else {
            panic!("not an edit answer: {answer}")
        };
        assert_eq!(incident_id, incident.incident_id);
        let view = view.expect("a view");
        assert_eq!(view.incident.title, "Renamed <b>here</b>");
        assert_eq!(view.last_undoable, Some(1));
        assert_eq!(view.managed.expect("managed").activity.len(), 1);
        match engine.handle(&Request::Report {
            incident_id: incident.incident_id.clone(),
            lang: "nl".into(),
            utc_offset_minutes: 60,
            at_ms: 1_790_000_000_000,
            pseudonym_key: None,
        }) {
            Response::Report { html, markdown, .. } => {
                assert!(html.contains("Renamed &lt;b&gt;here&lt;/b&gt;"));
                assert!(markdown.contains("Incidentrapport"));
            }
            other => panic!("not a report: {other:?}"),
        }
    }

    fn rename(engine: &mut Engine, title: &str) -> (IncidentId, alertweave_core::model::AlertId) {
        let Some(ds) = &engine.dataset else {
            panic!("loaded")
        };
        let incident = ds.incidents()[0].clone();
        let anchor = incident.alert_ids[0].clone();
        engine.handle(&Request::Edit {
            incident_id: incident.incident_id.clone(),
            op: alertweave_core::edits::Op::Rename {
                incident: anchor.clone(),
                title: title.into(),
            },
            author: "ana".into(),
            at_ms: 1_790_000_000_000,
        });
        (incident.incident_id, anchor)
    }

    fn title_of(engine: &mut Engine, incident_id: &IncidentId) -> String {
        match engine.handle(&Request::Incident {
            incident_id: incident_id.clone(),
        }) {
            Response::Incident {
                view: Some(view), ..
            } => view.incident.title.to_string(),
            other => panic!("not an incident: {other:?}"),
        }
    }

    #[test]
    fn each_change_is_logged_once_undo_included_and_a_saved_log_restores_it() {
        let (mut engine, _) = loaded_engine();
        assert!(engine.take_logged().is_empty());
        let (incident_id, _) = rename(&mut engine, "Saved title");
        let logged = engine.take_logged();
        assert_eq!(logged.len(), 1);
        assert_eq!((logged[0].seq, logged[0].author.as_str()), (1, "ana"));
        assert!(engine.take_logged().is_empty(), "taken once");
        engine.handle(&Request::Edit {
            incident_id: incident_id.clone(),
            op: alertweave_core::edits::Op::Undo { seq: 1 },
            author: "ana".into(),
            at_ms: 1_790_000_001_000,
        });
        let undo = engine.take_logged();
        assert_eq!(undo.len(), 1);
        assert_eq!(
            (undo[0].seq, &undo[0].op),
            (2, &alertweave_core::edits::Op::Undo { seq: 1 })
        );

        // The log as the page keeps it, one entry at a time, given to a fresh engine.
        let mut log = alertweave_core::edits::EditLog::default();
        log.entries.extend(logged);
        let mut fresh = Engine::new();
        assert_eq!(fresh.set_edits(log.clone()), None, "nothing loaded yet");
        fresh.load(vec![demo_source()], &mut |_| {});
        assert!(fresh.set_edits(log.clone()).is_some());
        assert_eq!(title_of(&mut fresh, &incident_id), "Saved title");
        log.entries.extend(undo);
        fresh.set_edits(log);
        assert_ne!(title_of(&mut fresh, &incident_id), "Saved title");
    }

    #[test]
    fn a_workspace_written_from_the_engine_opens_in_another_with_everything() {
        use alertweave_core::workspace::{KdfParams, Protection, WorkspaceError};
        let (mut engine, _) = loaded_engine();
        engine.handle(&Request::Recorrelate {
            settings: only_devices_link(),
            grouping: Grouping::Correlate,
        });
        let (incident_id, _) = rename(&mut engine, "Handed over");
        let protection = || Protection::Passphrase {
            passphrase: "correct horse",
            salt: [7; 16],
            nonce_prefix: [3; 7],
            params: KdfParams {
                m_kib: 256,
                t: 1,
                p: 1,
            },
        };
        let mut file = Vec::new();
        engine
            .write_workspace(
                &mut [demo_source()],
                &mut file,
                protection(),
                time_of(1_790_000_000_000),
            )
            .expect("written");
        assert!(alertweave_core::workspace::is_workspace(&file));

        // Another engine with other data: a wrong passphrase, a missing one, a changed byte and
        // a cut-off file each say so and leave it as it was.
        let (mut other, loaded) = loaded_engine();
        let before = queue_total(&mut other);
        let open = |engine: &mut Engine, bytes: &[u8], pass: Option<&str>| {
            engine
                .open_workspace(&mut std::io::Cursor::new(bytes), pass)
                .map(|(response, _)| response)
        };
        assert_eq!(
            open(&mut other, &file, Some("wrong")),
            Err(WorkspaceError::WrongPassphrase)
        );
        assert_eq!(
            open(&mut other, &file, None),
            Err(WorkspaceError::NeedsPassphrase)
        );
        let mut changed = file.clone();
        let at = changed.len() - 10;
        changed[at] ^= 1;
        assert!(matches!(
            open(&mut other, &changed, Some("correct horse")),
            Err(WorkspaceError::Tampered { .. })
        ));
        assert_eq!(
            open(&mut other, &file[..file.len() - 30], Some("correct horse")),
            Err(WorkspaceError::CutOff)
        );
        assert_eq!(queue_total(&mut other), before);
        assert_eq!(
            current(&mut other),
            (Settings::default(), Grouping::Correlate)
        );

        let (answer, files) = other
            .open_workspace(&mut std::io::Cursor::new(&file), Some("correct horse"))
            .expect("opened");
        let Response::WorkspaceOpened {
            summary,
            files: entries,
            settings,
            edits,
            encrypted,
            ..
        } = answer
        else {
            panic!("not opened: {answer:?}")
        };
        assert!(encrypted);
        assert_eq!(settings, only_devices_link());
        assert_eq!(edits.entries.len(), 1);
        assert_eq!(summary.n_alerts, loaded.n_alerts);
        assert_eq!(files.len(), 1);
        assert_eq!(entries[0].name, "demo.json");
        assert_eq!(entries[0].bytes, files[0].1.len() as u64);
        assert_eq!(
            current(&mut other),
            (only_devices_link(), Grouping::Correlate)
        );
        assert_eq!(title_of(&mut other, &incident_id), "Handed over");
        assert_eq!(queue_total(&mut other), queue_total(&mut engine));
        // The error reaches the page as JSON it can word.
        let failed = encode(&Response::WorkspaceFailed {
            error: WorkspaceError::Tampered { chunk: 2 },
        });
        assert_eq!(
            failed,
            r#"{"type":"workspace_failed","error":{"kind":"tampered","detail":{"chunk":2}}}"#
        );
    }

    #[test]
    fn indicators_come_as_csv_and_stix() {
        let (mut engine, _) = loaded_engine();
        let Some(ds) = &engine.dataset else {
            panic!("loaded")
        };
        let largest = ds
            .incidents()
            .iter()
            .max_by_key(|i| i.alert_ids.len())
            .map(|i| i.incident_id.clone())
            .expect("incidents");
        match engine.handle(&Request::Iocs {
            incident_id: largest,
            at_ms: 1_790_000_000_000,
            pseudonym_key: None,
        }) {
            Response::Iocs {
                count, csv, stix, ..
            } => {
                assert!(count > 0);
                assert_eq!(csv.lines().count(), count + 1);
                let bundle: serde_json::Value = serde_json::from_str(&stix).expect("JSON");
                assert_eq!(bundle["objects"].as_array().map(Vec::len), Some(count + 1));
            }
            other => panic!("not indicators: {other:?}"),
        }
    }

    const AT: i64 = 1_790_000_000_000;

    /// The demo's incidents, largest first (id, alert ids).
    fn incidents_by_size(
        engine: &Engine,
    ) -> Vec<(IncidentId, Vec<alertweave_core::model::AlertId>)> {
        let Some(ds) = &engine.dataset else {
            panic!("loaded")
        };
        let mut all: Vec<_> = ds
            .incidents()
            .iter()
            .map(|i| (i.incident_id.clone(), i.alert_ids.clone()))
            .collect();
        all.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        all
    }

    fn ids_in_queue(engine: &mut Engine) -> Vec<IncidentId> {
        let query = QueueQuery {
            limit: usize::MAX,
            ..Default::default()
        };
        match engine.handle(&Request::QueueIds { query }) {
            Response::QueueIds { incident_ids, .. } => incident_ids,
            other => panic!("not ids: {other:?}"),
        }
    }

    fn row(engine: &mut Engine, id: &IncidentId) -> alertweave_core::query::QueueRow {
        let query = QueueQuery {
            spec: alertweave_core::query::QueueSpec {
                search: id.to_string(),
                ..Default::default()
            },
            offset: 0,
            limit: 10,
        };
        match engine.handle(&Request::Queue { query }) {
            Response::Queue { page } => page
                .rows
                .into_iter()
                .find(|r| r.incident_id == *id)
                .expect("the row"),
            other => panic!("not a queue: {other:?}"),
        }
    }

    fn edit_many(engine: &mut Engine, ids: &[IncidentId], change: BulkChange) -> Response {
        let request = Request::EditMany {
            incident_ids: ids.to_vec(),
            change,
            author: "ana".into(),
            at_ms: AT,
        };
        // Through JSON, as the page sends it.
        let answer = engine.handle_json(&serde_json::to_string(&request).expect("request"));
        serde_json::from_str(&answer).expect("an answer")
    }

    #[test]
    fn a_bulk_change_reaches_every_chosen_incident_in_one_request() {
        let (mut engine, _) = loaded_engine();
        let ids: Vec<IncidentId> = incidents_by_size(&engine)
            .into_iter()
            .take(3)
            .map(|(id, _)| id)
            .collect();
        let Response::EditedMany {
            changed,
            incident_ids,
            ..
        } = edit_many(
            &mut engine,
            &ids,
            BulkChange::Status {
                status: alertweave_core::model::Status::Resolved,
                note: "bulk".into(),
            },
        )
        else {
            panic!("not a bulk answer")
        };
        assert_eq!((changed, &incident_ids), (3, &ids));
        // Each of the three changes goes to the autosave, once.
        let logged: Vec<u64> = engine.take_logged().iter().map(|e| e.seq).collect();
        assert_eq!(logged.len(), 3, "{logged:?}");
        assert!(engine.take_logged().is_empty());
        edit_many(
            &mut engine,
            &ids,
            BulkChange::Assign {
                owner: "ana@soc.example".into(),
            },
        );
        edit_many(
            &mut engine,
            &ids,
            BulkChange::Tag {
                tag: "wave-1".into(),
                add: true,
            },
        );
        // An unknown id is skipped.
        let Response::EditedMany { changed, .. } = edit_many(
            &mut engine,
            &[IncidentId::new("aw-none"), ids[0].clone()],
            BulkChange::Classify {
                classification: "truePositive".into(),
                determination: "malware".into(),
            },
        ) else {
            panic!("not a bulk answer")
        };
        assert_eq!(changed, 1);
        for id in &ids {
            let row = row(&mut engine, id);
            assert_eq!(row.status, alertweave_core::model::Status::Resolved);
            assert_eq!(row.n_active_alerts, 0, "resolving resolves the alerts");
            assert_eq!(row.assigned_to, "ana@soc.example");
            assert_eq!(row.tags, vec!["wave-1".to_owned()]);
        }
        assert_eq!(row(&mut engine, &ids[0]).classification, "truePositive");
        let Some(ds) = &engine.dataset else {
            panic!("loaded")
        };
        assert_eq!(ds.edits.entries.len(), 10, "one change per incident");
    }

    #[test]
    fn a_merge_makes_one_incident_and_its_undo_gives_both_back() {
        let (mut engine, loaded) = loaded_engine();
        let all = incidents_by_size(&engine);
        let (a, b) = (all[0].clone(), all[1].clone());
        let Response::EditedMany {
            changed,
            incident_ids,
            view,
        } = edit_many(&mut engine, &[a.0.clone(), b.0.clone()], BulkChange::Merge)
        else {
            panic!("not a bulk answer")
        };
        assert_eq!((changed, incident_ids.len()), (1, 1));
        let view = view.expect("the merged incident");
        assert_eq!(view.incident.incident_id, incident_ids[0]);
        assert_eq!(view.alerts.len(), a.1.len() + b.1.len());
        assert!(view
            .incident
            .receipts
            .iter()
            .any(|r| r.rule == alertweave_core::edits::RULE_MANUAL_MERGE));
        let queue = ids_in_queue(&mut engine);
        assert_eq!(queue.len(), loaded.n_incidents - 1);
        assert!(!queue.contains(&a.0) || !queue.contains(&b.0));

        // Undo from the merged incident's page: both come back with their ids.
        let seq = view.last_undoable.expect("undoable");
        let Response::Edited { incident_id, view } = engine.handle(&Request::Edit {
            incident_id: incident_ids[0].clone(),
            op: alertweave_core::edits::Op::Undo { seq },
            author: "ana".into(),
            at_ms: AT,
        }) else {
            panic!("not an edit answer")
        };
        assert!(incident_id == a.0 || incident_id == b.0, "{incident_id}");
        assert!(view.is_some());
        let queue = ids_in_queue(&mut engine);
        assert_eq!(queue.len(), loaded.n_incidents);
        assert!(queue.contains(&a.0) && queue.contains(&b.0));
        // One incident alone is no merge.
        let Response::EditedMany { changed, .. } =
            edit_many(&mut engine, std::slice::from_ref(&a.0), BulkChange::Merge)
        else {
            panic!("not a bulk answer")
        };
        assert_eq!(changed, 0);
    }

    #[test]
    fn pickers_find_incidents_with_their_anchors_and_moves_and_splits_follow_the_rest() {
        let (mut engine, loaded) = loaded_engine();
        let all = incidents_by_size(&engine);
        let (big, other) = (all[0].clone(), all[1].clone());
        // With no search, the incidents sharing entities with the big one come first.
        let Response::Candidates { candidates, .. } = engine.handle(&Request::FindIncidents {
            search: String::new(),
            limit: 5,
            near: Some(big.0.clone()),
        }) else {
            panic!("not candidates")
        };
        assert!(!candidates.is_empty() && candidates.len() <= 5);
        let Some(ds) = &engine.dataset else {
            panic!("loaded")
        };
        let big_entities: std::collections::BTreeSet<_> = ds
            .incident(&big.0)
            .expect("big")
            .entity_ids
            .iter()
            .collect();
        for c in &candidates {
            assert_ne!(c.incident_id, big.0);
            let other = ds.incident(&c.incident_id).expect("candidate");
            assert!(other.entity_ids.iter().any(|e| big_entities.contains(e)));
            assert_eq!(&c.anchor, other.alert_ids.first().expect("alerts"));
        }
        let Response::Candidates { candidates, .. } = engine.handle(&Request::FindIncidents {
            search: other.0.to_string(),
            limit: 5,
            near: Some(big.0.clone()),
        }) else {
            panic!("not candidates")
        };
        let target = candidates
            .iter()
            .find(|c| c.incident_id == other.0)
            .expect("found by id");
        assert_eq!(target.anchor, other.1[0]);
        assert_eq!(target.n_alerts, other.1.len());

        // Move the big incident's last alert to the other incident: the page stays with the
        // rest of the big one.
        let moved = big.1.last().cloned().expect("alerts");
        let Response::Edited { incident_id, view } = engine.handle(&Request::Edit {
            incident_id: big.0.clone(),
            op: alertweave_core::edits::Op::Move {
                alert: moved.clone(),
                to: Some(target.anchor.clone()),
            },
            author: "ana".into(),
            at_ms: AT,
        }) else {
            panic!("not an edit answer")
        };
        assert_eq!(incident_id, big.0);
        assert_eq!(view.expect("view").alerts.len(), big.1.len() - 1);
        let Response::Incident { view, .. } = engine.handle(&Request::Incident {
            incident_id: other.0.clone(),
        }) else {
            panic!("not an incident")
        };
        assert!(view
            .expect("other")
            .alerts
            .iter()
            .any(|a| a.alert.alert_id == moved));

        // Its first alert to a new incident: the page stays with the rest (a new id).
        let first = big.1[0].clone();
        let Response::Edited { incident_id, view } = engine.handle(&Request::Edit {
            incident_id: big.0.clone(),
            op: alertweave_core::edits::Op::Move {
                alert: first.clone(),
                to: None,
            },
            author: "ana".into(),
            at_ms: AT,
        }) else {
            panic!("not an edit answer")
        };
        assert_ne!(incident_id, big.0, "the anchor left: another id");
        let rest = view.expect("view");
        assert_eq!(rest.alerts.len(), big.1.len() - 2);
        assert_eq!(ids_in_queue(&mut engine).len(), loaded.n_incidents + 1);

        // Split two alerts off: a new incident holding just them.
        let chosen: Vec<_> = rest
            .alerts
            .iter()
            .take(2)
            .map(|a| a.alert.alert_id.clone())
            .collect();
        let Response::Edited { view, .. } = engine.handle(&Request::Edit {
            incident_id: incident_id.clone(),
            op: alertweave_core::edits::Op::Split {
                alerts: chosen.clone(),
            },
            author: "ana".into(),
            at_ms: AT,
        }) else {
            panic!("not an edit answer")
        };
        let view = view.expect("view");
        assert_eq!(view.alerts.len(), rest.alerts.len() - 2);
        assert!(view
            .alerts
            .iter()
            .all(|a| !chosen.contains(&a.alert.alert_id)));
        assert_eq!(ids_in_queue(&mut engine).len(), loaded.n_incidents + 2);
        // The activity log of the incident they left says so, as does the new incident's.
        let rest_activity = view.managed.clone().expect("managed").activity;
        assert!(rest_activity
            .iter()
            .any(|a| matches!(a.op, alertweave_core::edits::Op::Split { .. })));
        assert!(rest_activity
            .iter()
            .any(|a| matches!(a.op, alertweave_core::edits::Op::Move { to: None, .. })));
        let Some(ds) = &engine.dataset else {
            panic!("loaded")
        };
        let split = ds.incident_of(&chosen[0]).expect("split incident");
        assert_eq!(split.alert_ids.len(), 2);
        let activity = ds.managed[&split.incident_id].activity.clone();
        assert!(activity
            .iter()
            .any(|a| matches!(a.op, alertweave_core::edits::Op::Split { .. })));
    }

    #[test]
    fn an_alerts_status_and_classification_show_on_its_incident() {
        let (mut engine, _) = loaded_engine();
        let (id, alerts) = incidents_by_size(&engine)[0].clone();
        for op in [
            alertweave_core::edits::Op::AlertStatus {
                alert: alerts[0].clone(),
                status: alertweave_core::model::Status::Resolved,
            },
            alertweave_core::edits::Op::AlertClassify {
                alert: alerts[0].clone(),
                classification: "falsePositive".into(),
                determination: "notMalicious".into(),
            },
            alertweave_core::edits::Op::SetSeverity {
                incident: alerts[0].clone(),
                severity: Some(alertweave_core::model::Severity::Low),
            },
        ] {
            engine.handle(&Request::Edit {
                incident_id: id.clone(),
                op,
                author: "ana".into(),
                at_ms: AT,
            });
        }
        let Response::Incident { view, .. } = engine.handle(&Request::Incident {
            incident_id: id.clone(),
        }) else {
            panic!("not an incident")
        };
        let view = view.expect("view");
        let alert = &view.alerts[0].alert;
        assert_eq!(alert.status, alertweave_core::model::Status::Resolved);
        assert_eq!(
            (alert.classification.as_str(), alert.determination.as_str()),
            ("falsePositive", "notMalicious")
        );
        assert_eq!(
            view.incident.severity,
            alertweave_core::model::Severity::Low
        );
        let row_now = row(&mut engine, &id);
        assert_eq!(row_now.n_active_alerts, alerts.len() - 1);
        assert_eq!(row_now.severity, alertweave_core::model::Severity::Low);
        // Back to the alerts' severity.
        let Response::Edited { view, .. } = engine.handle(&Request::Edit {
            incident_id: id.clone(),
            op: alertweave_core::edits::Op::SetSeverity {
                incident: alerts[0].clone(),
                severity: None,
            },
            author: "ana".into(),
            at_ms: AT,
        }) else {
            panic!("not an edit answer")
        };
        let view = view.expect("view");
        assert_ne!(
            view.incident.severity,
            alertweave_core::model::Severity::Low
        );
        assert_eq!(view.managed.expect("managed").severity_override, None);
    }

    #[test]
    fn pseudonymized_exports_name_no_one_and_keep_aliases_stable() {
        let (mut engine, _) = loaded_engine();
        let (id, _) = incidents_by_size(&engine)[0].clone();
        let Some(ds) = &engine.dataset else {
            panic!("loaded")
        };
        let incident = ds.incident(&id).expect("incident");
        let names: Vec<String> = incident
            .entity_ids
            .iter()
            .filter_map(|e| ds.entities.get(e))
            .filter(|e| {
                alertweave_core::pseudonym::is_personal(e.kind)
                    && !e.builtin
                    && e.name.chars().count() >= 4
            })
            .map(|e| e.name.clone())
            .collect();
        assert!(names.len() > 2, "the incident names people and hosts");
        let key = Some("00112233445566778899aabbccddeeff".to_owned());
        let report =
            |engine: &mut Engine, key: Option<String>| match engine.handle(&Request::Report {
                incident_id: id.clone(),
                lang: "en".into(),
                utc_offset_minutes: 0,
                at_ms: AT,
                pseudonym_key: key,
            }) {
                Response::Report { html, markdown, .. } => (html, markdown),
                other => panic!("not a report: {other:?}"),
            };
        let (plain, _) = report(&mut engine, None);
        let (html, markdown) = report(&mut engine, key.clone());
        for name in &names {
            assert!(
                plain.contains(name.as_str()),
                "the plain report names {name}"
            );
            if let Some(at) = html.to_lowercase().find(&name.to_lowercase()) {
                panic!(
                    "{name} in the HTML: {}",
                    &html[at.saturating_sub(300)..at + 50]
                );
            }
            assert!(
                !markdown.to_lowercase().contains(&name.to_lowercase()),
                "{name} in the Markdown"
            );
        }
        assert!(html.contains("user-") || html.contains("host-"));
        assert!(markdown.to_lowercase().contains("pseudonym"));
        assert_eq!(
            report(&mut engine, key.clone()).1,
            markdown,
            "the same key, the same aliases"
        );
        let other_key = report(&mut engine, Some("ffee".into())).1;
        assert_ne!(other_key, markdown, "another key, other aliases");

        let Response::Iocs { csv, stix, .. } = engine.handle(&Request::Iocs {
            incident_id: id.clone(),
            at_ms: AT,
            pseudonym_key: key.clone(),
        }) else {
            panic!("not indicators")
        };
        for name in &names {
            assert!(
                !csv.to_lowercase().contains(&name.to_lowercase()),
                "{name} in the CSV"
            );
            assert!(
                !stix.to_lowercase().contains(&name.to_lowercase()),
                "{name} in the STIX"
            );
        }
        assert!(
            !stix.contains("ipv4-addr:value = 'ip-"),
            "no alias as an address pattern"
        );

        let Response::QueueExport { csv, json, .. } = engine.handle(&Request::QueueExport {
            query: QueueQuery {
                spec: alertweave_core::query::QueueSpec {
                    search: id.to_string(),
                    ..Default::default()
                },
                offset: 0,
                limit: 10,
            },
            pseudonym_key: key,
        }) else {
            panic!("not an export")
        };
        assert!(csv.contains(id.as_str()));
        for name in &names {
            assert!(
                !csv.to_lowercase().contains(&name.to_lowercase()),
                "{name} in the queue CSV"
            );
            assert!(
                !json.to_lowercase().contains(&name.to_lowercase()),
                "{name} in the queue JSON"
            );
        }
    }

    fn queue_total(engine: &mut Engine) -> usize {
        match engine.handle(&Request::Queue {
            query: QueueQuery::default(),
        }) {
            Response::Queue { page } => page.total,
            other => panic!("not a queue answer: {other:?}"),
        }
    }

    fn only_devices_link() -> Settings {
        Settings {
            link_kinds: [EntityKind::Device].into_iter().collect(),
            ..Settings::default()
        }
    }

    #[test]
    fn settings_are_answered_before_any_load() {
        let mut engine = Engine::new();
        assert_eq!(
            current(&mut engine),
            (Settings::default(), Grouping::Correlate)
        );
        // Other questions still need data.
        assert!(matches!(
            engine.handle(&Request::Summary),
            Response::Failed { .. }
        ));
    }

    #[test]
    fn recorrelate_reports_the_count_before_and_after_and_the_queue_follows() {
        let (mut engine, loaded) = loaded_engine();
        let answer = engine.handle(&Request::Recorrelate {
            settings: only_devices_link(),
            grouping: Grouping::Correlate,
        });
        let Response::Recorrelated {
            before,
            after,
            summary,
            settings,
            grouping,
        } = answer
        else {
            panic!("not a recorrelation: {answer:?}");
        };
        assert_eq!(before, loaded.n_incidents);
        assert_eq!(after, summary.n_incidents);
        assert_ne!(before, after, "fewer kinds that link: other incidents");
        assert_eq!(
            summary.n_alerts, loaded.n_alerts,
            "the alerts stay the same"
        );
        assert_eq!(
            (settings, grouping),
            (only_devices_link(), Grouping::Correlate)
        );
        assert_eq!(queue_total(&mut engine), after);
        assert_eq!(
            current(&mut engine),
            (only_devices_link(), Grouping::Correlate)
        );

        // Back to the defaults: back to the first grouping.
        let Response::Recorrelated { before, after, .. } = engine.handle(&Request::Recorrelate {
            settings: Settings::default(),
            grouping: Grouping::Correlate,
        }) else {
            panic!("not a recorrelation");
        };
        assert_eq!((before, after), (summary.n_incidents, loaded.n_incidents));
        assert_eq!(queue_total(&mut engine), loaded.n_incidents);
    }

    #[test]
    fn recorrelate_as_json_switches_to_the_exports_own_incidents() {
        let (mut engine, loaded) = loaded_engine();
        let answer = engine
            .handle_json(r#"{"type":"recorrelate","settings":{},"grouping":"source_incidents"}"#);
        let Ok(Response::Recorrelated {
            before, grouping, ..
        }) = serde_json::from_str::<Response>(&answer)
        else {
            panic!("not a recorrelation: {answer}");
        };
        assert_eq!(before, loaded.n_incidents);
        assert_eq!(grouping, Grouping::SourceIncidents);
        assert_eq!(current(&mut engine).1, Grouping::SourceIncidents);
    }

    #[test]
    fn settings_given_before_a_load_are_used_by_it() {
        let mut engine = Engine::new();
        let answer = engine.handle(&Request::Recorrelate {
            settings: only_devices_link(),
            grouping: Grouping::Correlate,
        });
        assert_eq!(
            answer,
            Response::Settings {
                settings: only_devices_link(),
                grouping: Grouping::Correlate
            }
        );
        let summary = engine.load(vec![demo_source()], &mut |_| {});

        let (mut fresh, _) = loaded_engine();
        let Response::Recorrelated { after, .. } = fresh.handle(&Request::Recorrelate {
            settings: only_devices_link(),
            grouping: Grouping::Correlate,
        }) else {
            panic!("not a recorrelation");
        };
        assert_eq!(summary.n_incidents, after);
    }

    #[test]
    fn settings_out_of_range_are_refused_and_change_nothing() {
        let (mut engine, loaded) = loaded_engine();
        let bad = Settings {
            noisy_share: 2.0,
            ..Settings::default()
        };
        let answer = engine.handle(&Request::Recorrelate {
            settings: bad,
            grouping: Grouping::SourceIncidents,
        });
        let Response::Failed { message } = answer else {
            panic!("accepted: {answer:?}");
        };
        assert!(message.contains("noisy_share"), "{message}");
        assert_eq!(
            current(&mut engine),
            (Settings::default(), Grouping::Correlate)
        );
        assert_eq!(queue_total(&mut engine), loaded.n_incidents);

        // An unknown key in the request's settings: the request is malformed, nothing changes.
        let answer = engine.handle_json(
            r#"{"type":"recorrelate","settings":{"no_such_key":1},"grouping":"correlate"}"#,
        );
        assert!(answer.contains("no_such_key"), "{answer}");
        assert_eq!(queue_total(&mut engine), loaded.n_incidents);
    }
}
