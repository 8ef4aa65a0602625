//! What the page and the worker say to each other, and the engine that answers in the worker.
//!
//! Files cross as `File` handles in a JS message of their own (see `src/bin/worker.rs`); every
//! other message is a [`Request`] or [`Response`] serialized as JSON. The [`Engine`] holds the
//! dataset and answers requests with values, never by throwing: the worker entry is plumbing.

use crate::analysis::Dataset;
use crate::correlate::{Grouping, Settings};
use crate::ingest::{ingest_seekable, FileIngest, Progress};
use crate::model::IncidentId;
use crate::query::{self, IncidentView, LoadSummary, QueuePage, QueueQuery};
use serde::{Deserialize, Serialize};
use std::io::{Read, Seek};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    Queue { query: QueueQuery },
    Incident { incident_id: IncidentId },
    Summary,
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
    settings: Settings,
    grouping: Grouping,
}

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
            ingests.extend(ingest_seekable(&source.name, source.reader, &mut report));
            done_bytes += source.size;
        }
        let dataset = Dataset::build(ingests, self.settings.clone(), self.grouping);
        let summary = query::load_summary(&dataset);
        self.dataset = Some(dataset);
        summary
    }

    pub fn handle(&self, request: &Request) -> Response {
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
                page: query::queue_page(ds, query),
            },
            Request::Incident { incident_id } => Response::Incident {
                incident_id: incident_id.clone(),
                view: query::incident_view(ds, incident_id).map(Box::new),
            },
        }
    }

    /// Parses a JSON request and answers it as JSON; a malformed request gets a `Failed` answer.
    pub fn handle_json(&self, text: &str) -> String {
        let response = match serde_json::from_str::<Request>(text) {
            Ok(request) => self.handle(&request),
            Err(e) => Response::Failed {
                message: format!("malformed request: {e}"),
            },
        };
        encode(&response)
    }
}

/// Serializes a response; serialization of these plain types cannot fail short of a bug.
pub fn encode(response: &Response) -> String {
    serde_json::to_string(response).unwrap_or_else(|e| {
        format!(r#"{{"type":"failed","message":"could not encode the answer: {e}"}}"#)
    })
}
