//! The interface's state and its one reducer: plain data, no DOM, tested natively.
//!
//! Every change is one [`Action`]; [`AppState::reduce`] returns the next state. The Yew components
//! render from the state and dispatch actions; the worker's answers arrive as actions too.

use super::prefs::{SavedFilter, DEFAULT_COLUMNS};
use super::route::Route;
use alertweave_core::correlate::input::{changes, Change};
use alertweave_core::correlate::{Grouping, Settings};
use alertweave_core::model::IncidentId;
use alertweave_core::query::{
    IncidentView, LoadSummary, QueuePage, QueueQuery, QueueSpec, SortColumn,
};
use alertweave_engine::protocol::{Candidate, LoadProgress, Request, Response};
use alertweave_text::format::TimeMode;
use alertweave_text::i18n::Lang;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppState {
    pub route: Route,
    pub lang: Lang,
    pub time_mode: TimeMode,
    /// Present while files load.
    pub loading: Option<LoadProgress>,
    /// Present once a load finished.
    pub summary: Option<LoadSummary>,
    /// Bumped by each finished load, so views ask again.
    pub generation: u32,
    /// What the queue asks the worker for: the route's search, filters and sort, and the
    /// window of rows the page shows.
    pub queue_query: QueueQuery,
    pub queue: Option<QueuePage>,
    /// The queue's view when it was last shown: Esc and the back link return to it.
    pub last_queue: QueueSpec,
    /// The queue row chosen with j/k (its position in the queue's order).
    pub selected: Option<usize>,
    /// The columns shown, in order (empty: the defaults).
    pub columns: Vec<SortColumn>,
    /// Named filter sets kept in this browser.
    pub saved: Vec<SavedFilter>,
    /// The incident asked for, and the answer once it came (`Some(None)`: no such incident).
    pub incident: Option<(IncidentId, Option<Option<Box<IncidentView>>>)>,
    /// The last failure the worker reported.
    pub error: Option<String>,
    /// The correlation settings panel is open.
    pub settings_open: bool,
    /// The settings and grouping the worker uses, once it said.
    pub applied: Option<(Settings, Grouping)>,
    /// A re-correlation was asked for and not answered yet.
    pub recorrelating: bool,
    /// What the last re-correlation did (cleared by the next load).
    pub recorrelated: Option<Recorrelation>,
    /// The last incident report the worker wrote: the incident, Markdown and HTML.
    pub report: Option<(IncidentId, String, String)>,
    /// The last indicators the worker wrote: the incident, how many, CSV and STIX.
    pub iocs: Option<(IncidentId, usize, String, String)>,
    /// The last queue export: how many incidents, CSV and JSON (cleared when the view changes).
    pub queue_export: Option<(usize, String, String)>,
    /// What the worker does, or last did, with a workspace file.
    pub workspace: WorkspaceTask,
    /// Whether what is loaded is saved in this browser.
    pub autosave: Autosave,
    /// The incidents ticked in the queue for a bulk action, by id (so they stay ticked while
    /// the rows scroll and while an incident is open); a new search or filter clears them, a
    /// new sort keeps them.
    pub picked: Vec<IncidentId>,
    /// What the last incident picker search found ("Merge with…", "Move to…").
    pub candidates: Option<(String, Vec<Candidate>)>,
}

/// A workspace file on its way out or in, or what became of the last one.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum WorkspaceTask {
    #[default]
    Idle,
    Exporting,
    Importing,
    Exported {
        bytes: u64,
        encrypted: bool,
        millis: f64,
    },
    Imported {
        files: usize,
        changes: usize,
        encrypted: bool,
        millis: f64,
    },
    Failed(alertweave_core::workspace::WorkspaceError),
}

impl WorkspaceTask {
    pub fn busy(&self) -> bool {
        matches!(self, WorkspaceTask::Exporting | WorkspaceTask::Importing)
    }
}

/// The autosave's state, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Autosave {
    /// Nothing is saved (nothing loaded yet).
    #[default]
    Off,
    Saving,
    /// Everything the worker holds is in this browser's IndexedDB.
    Saved,
    /// The browser refused (storage full, private mode...): the detail it gave.
    Failed(String),
    /// Another tab of this app saved since: this one no longer writes, so neither overwrites
    /// the other's changes.
    Superseded,
}

/// The outcome of one re-correlation, as the settings panel reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorrelation {
    pub before: usize,
    pub after: usize,
    pub changes: Vec<Change>,
}

// `Worker` carries the worker's answers (an incident view is large); actions are moved, not
// stored, so the size difference between variants costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Navigate(Route),
    LoadStarted {
        n_files: usize,
        bytes_total: u64,
    },
    Worker(Response),
    /// The worker could not be reached or crashed.
    WorkerFailed(String),
    /// The queue shows this search, filters and sort (its address follows).
    SetQueue(QueueSpec),
    Search(String),
    SortBy(SortColumn),
    /// The rows the page shows moved: ask for this window.
    QueueWindow {
        offset: usize,
        limit: usize,
    },
    SetColumns(Vec<SortColumn>),
    SetSaved(Vec<SavedFilter>),
    /// Chooses a queue row by position (`None`: no row).
    Select(Option<usize>),
    /// Moves the chosen row by this many places (j/k), within the queue.
    MoveSelection(isize),
    SetTimeMode(TimeMode),
    /// The interface's language; nothing is asked of the worker again (data is not translated).
    SetLang(Lang),
    /// Opens or closes the correlation settings panel.
    ShowSettings(bool),
    /// The page asked the worker to re-correlate.
    Recorrelating,
    /// The page handed the worker a workspace file to write or open.
    Workspace(WorkspaceTask),
    Autosave(Autosave),
    /// Ticks or unticks a queue row for a bulk action.
    Pick(IncidentId, bool),
    /// Unticks every queue row.
    PickNone,
}

impl AppState {
    pub fn reduce(&self, action: Action) -> AppState {
        let mut next = self.clone();
        match action {
            Action::Navigate(Route::Queue(spec)) | Action::SetQueue(spec) => {
                next.set_queue(spec);
            }
            Action::Navigate(route) => {
                if let Route::Incident { incident_id, .. } = &route {
                    // The panel belongs to the queue.
                    next.settings_open = false;
                    if next.incident.as_ref().map(|(id, _)| id) != Some(incident_id) {
                        next.incident = Some((incident_id.clone(), None));
                    }
                }
                next.route = route;
            }
            Action::LoadStarted {
                n_files,
                bytes_total,
            } => {
                next.loading = Some(LoadProgress {
                    file_index: 0,
                    n_files,
                    bytes_read: 0,
                    bytes_total,
                    records: 0,
                });
                next.error = None;
                next.recorrelated = None;
            }
            Action::Worker(response) => match response {
                Response::Progress(p) => next.loading = Some(p),
                Response::Loaded { summary } => {
                    next.loading = None;
                    next.summary = Some(summary);
                    next.generation += 1;
                    next.queue = None;
                    next.queue_query.offset = 0;
                    next.selected = None;
                    next.picked.clear();
                    if let Some((_, answer)) = &mut next.incident {
                        *answer = None;
                    }
                }
                Response::Queue { page } => next.queue = Some(page),
                Response::Incident { incident_id, view } => {
                    if next.incident.as_ref().map(|(id, _)| id) == Some(&incident_id) {
                        next.incident = Some((incident_id, Some(view)));
                    }
                }
                Response::Edited { incident_id, view } => {
                    // The queue shows the change when it is next asked.
                    next.follow(incident_id, view);
                    next.queue = None;
                }
                Response::EditedMany {
                    incident_ids, view, ..
                } => {
                    // A merge leaves fewer incidents: the ticks follow them.
                    next.picked.clone_from(&incident_ids);
                    next.queue_export = None;
                    if matches!(next.route, Route::Incident { .. }) {
                        if let Some(first) = incident_ids.first() {
                            next.follow(first.clone(), view);
                        }
                        next.queue = None;
                    } else {
                        // The queue asks again; its rows stay until the answer replaces them.
                        next.generation += 1;
                        next.error = None;
                    }
                }
                Response::Candidates { search, candidates } => {
                    next.candidates = Some((search, candidates));
                }
                Response::QueueIds { spec, incident_ids } => {
                    if spec == next.queue_query.spec {
                        next.picked = incident_ids;
                    }
                }
                Response::Report {
                    incident_id,
                    markdown,
                    html,
                } => next.report = Some((incident_id, markdown, html)),
                Response::Iocs {
                    incident_id,
                    count,
                    csv,
                    stix,
                } => next.iocs = Some((incident_id, count, csv, stix)),
                Response::QueueExport { count, csv, json } => {
                    next.queue_export = Some((count, csv, json))
                }
                Response::Settings { settings, grouping } => {
                    next.applied = Some((settings, grouping));
                }
                Response::Recorrelated {
                    before,
                    after,
                    summary,
                    settings,
                    grouping,
                } => {
                    let changes = match &self.applied {
                        Some((old, old_grouping)) => {
                            changes(old, *old_grouping, &settings, grouping)
                        }
                        None => Vec::new(),
                    };
                    next.recorrelating = false;
                    next.recorrelated = Some(Recorrelation {
                        before,
                        after,
                        changes,
                    });
                    next.applied = Some((settings, grouping));
                    next.summary = Some(summary);
                    // The queue asks again; its rows stay until the answer replaces them.
                    next.generation += 1;
                    next.queue_query.offset = 0;
                    next.selected = None;
                    next.picked.clear();
                    next.error = None;
                    if let Some((_, answer)) = &mut next.incident {
                        *answer = None;
                    }
                }
                // Kept by the autosave, not shown.
                Response::Logged { .. } => {}
                Response::WorkspaceWritten {
                    bytes,
                    encrypted,
                    millis,
                } => {
                    next.workspace = WorkspaceTask::Exported {
                        bytes,
                        encrypted,
                        millis,
                    }
                }
                Response::WorkspaceOpened {
                    summary,
                    files,
                    settings,
                    grouping,
                    edits,
                    encrypted,
                    millis,
                } => {
                    next.workspace = WorkspaceTask::Imported {
                        files: files.len(),
                        changes: edits.entries.len(),
                        encrypted,
                        millis,
                    };
                    next.loading = None;
                    next.summary = Some(summary);
                    next.applied = Some((settings, grouping));
                    next.recorrelated = None;
                    next.error = None;
                    next.generation += 1;
                    next.queue = None;
                    next.queue_export = None;
                    next.report = None;
                    next.iocs = None;
                    next.selected = None;
                    next.incident = None;
                    // Other data: its queue, from the top.
                    next.queue_query.offset = 0;
                    let spec = next.last_queue.clone();
                    next.set_queue(spec);
                }
                Response::WorkspaceFailed { error } => {
                    next.workspace = WorkspaceTask::Failed(error);
                }
                Response::Failed { message } => {
                    next.loading = None;
                    next.recorrelating = false;
                    next.error = Some(message);
                }
            },
            Action::WorkerFailed(message) => {
                next.loading = None;
                next.recorrelating = false;
                next.error = Some(message);
            }
            Action::Search(text) => {
                let mut spec = next.queue_query.spec.clone();
                spec.search = text;
                next.set_queue(spec);
            }
            Action::SortBy(column) => {
                let mut spec = next.queue_query.spec.clone();
                if spec.sort == column {
                    spec.descending = !spec.descending;
                } else {
                    spec.sort = column;
                    spec.descending = column.descending_first();
                }
                next.set_queue(spec);
            }
            Action::QueueWindow { offset, limit } => {
                next.queue_query.offset = offset;
                next.queue_query.limit = limit.max(1);
            }
            Action::SetColumns(columns) => next.columns = columns,
            Action::SetSaved(saved) => next.saved = saved,
            Action::Select(position) => next.selected = position,
            Action::MoveSelection(by) => {
                let matching = next.queue.as_ref().map_or(0, |p| p.matching);
                next.selected = match (matching, next.selected) {
                    (0, _) => None,
                    (_, None) => Some(if by < 0 { matching - 1 } else { 0 }),
                    (n, Some(at)) => Some(at.saturating_add_signed(by).min(n - 1)),
                };
            }
            Action::SetTimeMode(mode) => next.time_mode = mode,
            Action::SetLang(lang) => next.lang = lang,
            Action::ShowSettings(open) => next.settings_open = open,
            Action::Recorrelating => {
                next.recorrelating = true;
                next.recorrelated = None;
                next.error = None;
            }
            Action::Workspace(task) => next.workspace = task,
            Action::Autosave(autosave) => next.autosave = autosave,
            Action::Pick(incident_id, on) => {
                next.picked.retain(|id| *id != incident_id);
                if on {
                    next.picked.push(incident_id);
                }
            }
            Action::PickNone => next.picked.clear(),
        }
        next
    }

    /// Shows the incident that now holds what a change touched: a merge, move or split can
    /// give it another id, and the address follows (same tab).
    fn follow(&mut self, incident_id: IncidentId, view: Option<Box<IncidentView>>) {
        if let Route::Incident {
            incident_id: shown,
            tab,
        } = &self.route
        {
            if *shown != incident_id {
                self.route = Route::Incident {
                    incident_id: incident_id.clone(),
                    tab: *tab,
                };
            }
        }
        self.incident = Some((incident_id, Some(view)));
        self.report = None;
        self.iocs = None;
        self.error = None;
    }

    /// Shows the queue with this view; a different view starts at its top.
    fn set_queue(&mut self, spec: QueueSpec) {
        if spec.search != self.queue_query.spec.search
            || spec.filter != self.queue_query.spec.filter
        {
            // Ticks the new view may not show would be changed unseen.
            self.picked.clear();
        }
        if spec != self.queue_query.spec {
            self.queue_query.spec = spec.clone();
            self.queue_query.offset = 0;
            self.selected = None;
            // An export made for another view would mislead.
            self.queue_export = None;
        }
        self.last_queue = spec.clone();
        self.route = Route::Queue(spec);
    }

    /// The columns the queue shows.
    pub fn shown_columns(&self) -> Vec<SortColumn> {
        if self.columns.is_empty() {
            DEFAULT_COLUMNS.to_vec()
        } else {
            self.columns.clone()
        }
    }

    /// What the page should ask the worker for in this state (none before data is loaded).
    pub fn wanted_requests(&self) -> Vec<Request> {
        if self.summary.is_none() || self.loading.is_some() {
            return Vec::new();
        }
        match &self.route {
            Route::Queue(_) => vec![Request::Queue {
                query: self.queue_query.clone(),
            }],
            Route::Incident { incident_id, .. } => match &self.incident {
                Some((id, Some(_))) if id == incident_id => Vec::new(),
                _ => vec![Request::Incident {
                    incident_id: incident_id.clone(),
                }],
            },
            Route::NotFound(_) => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::route::Tab;

    #[test]
    fn switching_language_keeps_the_place_and_the_data() {
        let state = loaded();
        let next = state.reduce(Action::SetLang(Lang::Nl));
        assert_eq!(next.lang, Lang::Nl);
        assert_eq!(next.route, state.route);
        assert_eq!(next.summary, state.summary);
        assert_eq!(next.wanted_requests(), state.wanted_requests());
    }

    fn loaded() -> AppState {
        AppState::default()
            .reduce(Action::LoadStarted {
                n_files: 1,
                bytes_total: 10,
            })
            .reduce(Action::Worker(Response::Loaded {
                summary: LoadSummary::default(),
            }))
    }

    #[test]
    fn nothing_is_asked_before_data_is_loaded_and_the_route_is_kept() {
        let id = IncidentId::new("aw-1");
        let state = AppState::default().reduce(Action::Navigate(Route::Incident {
            incident_id: id.clone(),
            tab: Tab::Alerts,
        }));
        assert!(state.wanted_requests().is_empty());
        let state = state
            .reduce(Action::LoadStarted {
                n_files: 1,
                bytes_total: 10,
            })
            .reduce(Action::Worker(Response::Loaded {
                summary: LoadSummary::default(),
            }));
        assert_eq!(
            state.route,
            Route::Incident {
                incident_id: id.clone(),
                tab: Tab::Alerts
            }
        );
        assert_eq!(
            state.wanted_requests(),
            vec![Request::Incident {
                incident_id: id.clone()
            }]
        );
        let state = state.reduce(Action::Worker(Response::Incident {
            incident_id: id,
            view: None,
        }));
        assert!(
            state.wanted_requests().is_empty(),
            "answered: not asked again"
        );
    }

    #[test]
    fn sorting_the_same_column_twice_flips_the_direction() {
        let state = loaded().reduce(Action::SortBy(SortColumn::Name));
        assert_eq!(
            (
                state.queue_query.spec.sort,
                state.queue_query.spec.descending
            ),
            (SortColumn::Name, false)
        );
        let state = state.reduce(Action::SortBy(SortColumn::Name));
        assert!(state.queue_query.spec.descending);
        let state = state.reduce(Action::SortBy(SortColumn::Severity));
        assert_eq!(
            (
                state.queue_query.spec.sort,
                state.queue_query.spec.descending
            ),
            (SortColumn::Severity, true)
        );
        // The address follows.
        assert_eq!(state.route.to_hash(), "#/incidents?sort=-severity");
    }

    #[test]
    fn a_recorrelation_reports_its_counts_and_changes_and_asks_again() {
        let defaults = (Settings::default(), Grouping::Correlate);
        let state = loaded()
            .reduce(Action::Worker(Response::Settings {
                settings: defaults.0.clone(),
                grouping: defaults.1,
            }))
            .reduce(Action::ShowSettings(true))
            .reduce(Action::Recorrelating);
        assert!(state.recorrelating && state.settings_open);
        let generation = state.generation;
        let only_devices = Settings {
            link_kinds: [alertweave_core::model::EntityKind::Device]
                .into_iter()
                .collect(),
            ..Settings::default()
        };
        let summary = LoadSummary {
            n_incidents: 7,
            ..LoadSummary::default()
        };
        let state = state.reduce(Action::Worker(Response::Recorrelated {
            before: 5,
            after: 7,
            summary: summary.clone(),
            settings: only_devices.clone(),
            grouping: Grouping::Correlate,
        }));
        assert!(!state.recorrelating);
        assert_eq!(state.generation, generation + 1, "views ask again");
        assert_eq!(state.summary, Some(summary));
        assert_eq!(
            state.applied,
            Some((only_devices.clone(), Grouping::Correlate))
        );
        let outcome = state.recorrelated.clone().expect("an outcome");
        assert_eq!((outcome.before, outcome.after), (5, 7));
        assert_eq!(
            outcome.changes,
            changes(&defaults.0, defaults.1, &only_devices, Grouping::Correlate)
        );
        assert_eq!(outcome.changes.len(), 1);
        assert_eq!(
            state.wanted_requests(),
            vec![Request::Queue {
                query: state.queue_query.clone()
            }]
        );

        // A refused re-correlation ends the busy state and says why.
        let state = state
            .reduce(Action::Recorrelating)
            .reduce(Action::Worker(Response::Failed {
                message: "settings not applied".to_owned(),
            }));
        assert!(!state.recorrelating);
        assert_eq!(state.recorrelated, None);
        assert_eq!(state.error.as_deref(), Some("settings not applied"));
        // A new load forgets the outcome, not the settings.
        let state = state.reduce(Action::LoadStarted {
            n_files: 1,
            bytes_total: 1,
        });
        assert_eq!(state.applied, Some((only_devices, Grouping::Correlate)));
        assert!(!state.reduce(Action::ShowSettings(false)).settings_open);
    }

    #[test]
    fn a_late_answer_for_another_incident_is_ignored() {
        let a = IncidentId::new("aw-a");
        let b = IncidentId::new("aw-b");
        let state = loaded()
            .reduce(Action::Navigate(Route::Incident {
                incident_id: a.clone(),
                tab: Tab::Summary,
            }))
            .reduce(Action::Navigate(Route::Incident {
                incident_id: b.clone(),
                tab: Tab::Summary,
            }))
            .reduce(Action::Worker(Response::Incident {
                incident_id: a,
                view: None,
            }));
        assert_eq!(state.incident, Some((b, None)));
    }

    #[test]
    fn an_opened_workspace_replaces_the_data_and_settings_and_shows_its_queue() {
        let id = IncidentId::new("aw-1");
        let state = loaded()
            .reduce(Action::Navigate(Route::Incident {
                incident_id: id.clone(),
                tab: Tab::Summary,
            }))
            .reduce(Action::Workspace(WorkspaceTask::Importing));
        assert!(state.workspace.busy());
        let generation = state.generation;
        let summary = LoadSummary {
            n_incidents: 3,
            ..LoadSummary::default()
        };
        let mut edits = alertweave_core::edits::EditLog::default();
        edits.push(
            chrono::DateTime::default(),
            "ana",
            alertweave_core::edits::Op::Undo { seq: 9 },
        );
        let state = state.reduce(Action::Worker(Response::WorkspaceOpened {
            summary: summary.clone(),
            files: Vec::new(),
            settings: Settings::default(),
            grouping: Grouping::SourceIncidents,
            edits,
            encrypted: true,
            millis: 12.0,
        }));
        assert_eq!(
            state.workspace,
            WorkspaceTask::Imported {
                files: 0,
                changes: 1,
                encrypted: true,
                millis: 12.0
            }
        );
        assert!(!state.workspace.busy());
        assert_eq!(state.summary, Some(summary));
        assert_eq!(
            state.applied,
            Some((Settings::default(), Grouping::SourceIncidents))
        );
        assert_eq!(state.generation, generation + 1);
        assert_eq!(state.route, Route::Queue(QueueSpec::default()));
        assert_eq!(state.incident, None);

        // A refused file changes nothing but the menu's message.
        let failed = state.reduce(Action::Worker(Response::WorkspaceFailed {
            error: alertweave_core::workspace::WorkspaceError::WrongPassphrase,
        }));
        assert_eq!(
            failed.workspace,
            WorkspaceTask::Failed(alertweave_core::workspace::WorkspaceError::WrongPassphrase)
        );
        assert_eq!(failed.summary, state.summary);
        assert_eq!(failed.route, state.route);
        assert_eq!(failed.error, None);
    }

    fn page(matching: usize) -> QueuePage {
        QueuePage {
            total: matching,
            matching,
            offset: 0,
            rows: Vec::new(),
            by_severity: Vec::new(),
            histogram: Default::default(),
            facets: Default::default(),
            span: None,
        }
    }

    #[test]
    fn the_queue_view_follows_the_address_and_esc_returns_to_it() {
        let state = loaded().reduce(Action::Navigate(Route::parse("#/incidents?severity=high")));
        let spec = state.queue_query.spec.clone();
        assert_eq!(
            spec.filter.severities,
            vec![alertweave_core::model::Severity::High]
        );
        let state = state
            .reduce(Action::QueueWindow {
                offset: 400,
                limit: 80,
            })
            .reduce(Action::Worker(Response::Queue { page: page(1000) }))
            .reduce(Action::Select(Some(420)));
        assert_eq!(state.queue_query.offset, 400);
        // Opening an incident and coming back with the same view keeps the place.
        let state = state
            .reduce(Action::Navigate(Route::Incident {
                incident_id: IncidentId::new("aw-1"),
                tab: Tab::Summary,
            }))
            .reduce(Action::Navigate(Route::Queue(state.last_queue.clone())));
        assert_eq!(state.queue_query.spec, spec);
        assert_eq!(state.selected, Some(420));
        // A search is a new view: back to the top, nothing chosen.
        let state = state.reduce(Action::Search("ws".to_owned()));
        assert_eq!((state.queue_query.offset, state.selected), (0, None));
        assert_eq!(state.route.to_hash(), "#/incidents?severity=high&q=ws");
        assert_eq!(state.last_queue, state.queue_query.spec);
    }

    #[test]
    fn j_and_k_move_within_the_queue() {
        let state = loaded().reduce(Action::MoveSelection(1));
        assert_eq!(state.selected, None, "no rows yet");
        let state = state.reduce(Action::Worker(Response::Queue { page: page(3) }));
        let state = state.reduce(Action::MoveSelection(1));
        assert_eq!(state.selected, Some(0));
        let state = state
            .reduce(Action::MoveSelection(1))
            .reduce(Action::MoveSelection(1))
            .reduce(Action::MoveSelection(1));
        assert_eq!(state.selected, Some(2), "stops at the last row");
        let state = state
            .reduce(Action::MoveSelection(-1))
            .reduce(Action::MoveSelection(-1))
            .reduce(Action::MoveSelection(-1));
        assert_eq!(state.selected, Some(0), "stops at the first row");
        assert_eq!(
            loaded()
                .reduce(Action::Worker(Response::Queue { page: page(3) }))
                .reduce(Action::MoveSelection(-1))
                .selected,
            Some(2),
            "k from nothing starts at the end"
        );
        assert_eq!(loaded().shown_columns(), DEFAULT_COLUMNS.to_vec());
    }
    #[test]
    fn ticks_survive_a_sort_and_an_open_incident_but_not_a_new_filter() {
        let a = IncidentId::new("aw-a");
        let b = IncidentId::new("aw-b");
        let state = loaded()
            .reduce(Action::Pick(a.clone(), true))
            .reduce(Action::Pick(b.clone(), true))
            .reduce(Action::Pick(a.clone(), false))
            .reduce(Action::Pick(a.clone(), true));
        assert_eq!(state.picked, vec![b.clone(), a.clone()]);
        let state = state.reduce(Action::SortBy(SortColumn::Name));
        assert_eq!(state.picked.len(), 2, "a sort keeps them");
        let state = state
            .reduce(Action::Navigate(Route::Incident {
                incident_id: a.clone(),
                tab: Tab::Summary,
            }))
            .reduce(Action::Navigate(Route::Queue(state.last_queue.clone())));
        assert_eq!(state.picked.len(), 2, "opening an incident keeps them");
        // "Select all" answers for this view only.
        let all = vec![a.clone(), b.clone(), IncidentId::new("aw-c")];
        let state = state.reduce(Action::Worker(Response::QueueIds {
            spec: state.queue_query.spec.clone(),
            incident_ids: all.clone(),
        }));
        assert_eq!(state.picked, all);
        let stale = state.reduce(Action::Worker(Response::QueueIds {
            spec: QueueSpec::default(),
            incident_ids: vec![a.clone()],
        }));
        assert_eq!(stale.picked, all, "an answer for another view is ignored");
        // A bulk change: the queue asks again, the ticks follow the incidents (a merge).
        let generation = state.generation;
        let merged = state.reduce(Action::Worker(Response::EditedMany {
            changed: 1,
            incident_ids: vec![b.clone()],
            view: None,
        }));
        assert_eq!(merged.picked, vec![b.clone()]);
        assert_eq!(merged.generation, generation + 1);
        assert_eq!(merged.route, state.route, "the queue stays");
        assert!(state.reduce(Action::Search("x".into())).picked.is_empty());
        assert!(state.reduce(Action::PickNone).picked.is_empty());
    }

    #[test]
    fn after_a_merge_the_page_follows_the_incident_under_its_new_id() {
        let a = IncidentId::new("aw-a");
        let merged = IncidentId::new("aw-m");
        let state = loaded().reduce(Action::Navigate(Route::Incident {
            incident_id: a.clone(),
            tab: Tab::Alerts,
        }));
        let next = state.reduce(Action::Worker(Response::Edited {
            incident_id: merged.clone(),
            view: None,
        }));
        assert_eq!(
            next.route,
            Route::Incident {
                incident_id: merged.clone(),
                tab: Tab::Alerts
            }
        );
        assert!(next.wanted_requests().is_empty(), "the answer came with it");
        let next = state.reduce(Action::Worker(Response::EditedMany {
            changed: 1,
            incident_ids: vec![merged.clone()],
            view: None,
        }));
        assert_eq!(next.incident, Some((merged, Some(None))));
    }
}
