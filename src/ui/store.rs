//! The autosave: what the worker holds, kept in this browser's IndexedDB (not `localStorage`:
//! inputs are megabytes), so a reload brings it back.
//!
//! The database `alertweave` has three object stores: `files` (each input once, as the `Blob`
//! it was loaded from, with its name, keyed by position), `edits` (the change log, one record
//! per change keyed by its sequence number, appended as the worker logs it: an edit never
//! rewrites the rest) and `meta` (the settings and grouping in use, one small record). Writes go
//! through one queue, in order; the page shows whether everything is saved. A new load or an
//! opened workspace replaces all three in one transaction.
//!
//! Tabs of the app share the database: each says on a `BroadcastChannel` when it saved, and a
//! tab that hears another one saved stops writing (and says so), so two tabs never interleave
//! their change logs; reloading it picks up what was saved.

use super::state::Autosave;
use alertweave_core::correlate::{Grouping, Settings};
use alertweave_core::edits::{EditLog, Entry};
use alertweave_engine::protocol::Response;
use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;
use yew::Callback;

const DB_NAME: &str = "alertweave";
const DB_VERSION: u32 = 1;
const FILES: &str = "files";
const EDITS: &str = "edits";
const META: &str = "meta";
const SETTINGS_KEY: &str = "settings";
/// What the app keeps in `localStorage` starts with this (preferences, the settings copy).
const LOCAL_PREFIX: &str = "alertweave.";
/// Where the tabs of this app say that they saved.
const CHANNEL: &str = "alertweave-autosave";

/// A saved workspace, as read back at start.
pub struct Saved {
    pub files: Vec<(String, Blob)>,
    pub settings: Option<(Settings, Grouping)>,
    pub edits: EditLog,
}

fn failed(e: impl std::fmt::Display) -> String {
    e.to_string()
}

async fn open() -> Result<Database, String> {
    let factory = Factory::new().map_err(failed)?;
    let mut request = factory.open(DB_NAME, Some(DB_VERSION)).map_err(failed)?;
    request.on_upgrade_needed(|event| {
        let Ok(db) = event.database() else {
            return;
        };
        for name in [FILES, EDITS, META] {
            if !db.store_names().iter().any(|n| n == name) {
                let _ = db.create_object_store(name, ObjectStoreParams::new());
            }
        }
    });
    // Each connection is closed once its transaction ended, so that clearing the data (which
    // waits for open connections) is never held up by this page.
    request.await.map_err(failed)
}

/// The saved workspace, if there is one (inputs saved).
pub async fn read() -> Result<Option<Saved>, String> {
    let db = open().await?;
    let result = read_from(&db).await;
    db.close();
    result
}

async fn read_from(db: &Database) -> Result<Option<Saved>, String> {
    let tx = db
        .transaction(&[FILES, EDITS, META], TransactionMode::ReadOnly)
        .map_err(failed)?;
    let store = |name| tx.object_store(name).map_err(failed);
    // Every request is made before the first is awaited: the transaction stays active.
    let files = store(FILES)?.get_all(None, None).map_err(failed)?;
    let edits = store(EDITS)?.get_all(None, None).map_err(failed)?;
    let settings = store(META)?
        .get(JsValue::from_str(SETTINGS_KEY))
        .map_err(failed)?;
    let files: Vec<(String, Blob)> = files
        .await
        .map_err(failed)?
        .into_iter()
        .filter_map(|record| {
            let name = js_sys::Reflect::get(&record, &"name".into())
                .ok()?
                .as_string()?;
            let blob = js_sys::Reflect::get(&record, &"blob".into())
                .ok()?
                .dyn_into::<Blob>()
                .ok()?;
            Some((name, blob))
        })
        .collect();
    // Keys are sequence numbers: `getAll` answers in their order.
    let entries: Vec<Entry> = edits
        .await
        .map_err(failed)?
        .into_iter()
        .filter_map(|text| serde_json::from_str(&text.as_string()?).ok())
        .collect();
    let settings = settings
        .await
        .map_err(failed)?
        .and_then(|text| text.as_string())
        .and_then(|text| serde_json::from_str(&text).ok());
    if files.is_empty() {
        return Ok(None);
    }
    Ok(Some(Saved {
        files,
        settings,
        edits: EditLog { entries },
    }))
}

/// One write, in the queue's order.
enum Job {
    /// New inputs: everything else saved goes with the old ones.
    Replace {
        files: Vec<(String, Blob)>,
        settings: String,
        edits: Vec<(u64, String)>,
    },
    /// More inputs beside the saved ones; the saved changes stay.
    Add {
        files: Vec<(String, Blob)>,
    },
    Append {
        seq: u64,
        entry: String,
    },
    Settings(String),
    /// Deletes the database and the app's `localStorage`, then starts the page afresh.
    Clear,
}

async fn run(job: &Job) -> Result<(), String> {
    if let Job::Clear = job {
        let factory = Factory::new().map_err(failed)?;
        factory
            .delete(DB_NAME)
            .map_err(failed)?
            .await
            .map_err(failed)?;
        clear_local_storage();
        return Ok(());
    }
    let db = open().await?;
    let result = write(&db, job).await;
    db.close();
    result
}

async fn write(db: &Database, job: &Job) -> Result<(), String> {
    let tx = db
        .transaction(&[FILES, EDITS, META], TransactionMode::ReadWrite)
        .map_err(failed)?;
    let store = |name| tx.object_store(name).map_err(failed);
    let key = |n: u64| JsValue::from_f64(n as f64);
    match job {
        Job::Replace {
            files,
            settings,
            edits,
        } => {
            let (file_store, edit_store) = (store(FILES)?, store(EDITS)?);
            file_store.clear().map_err(failed)?;
            edit_store.clear().map_err(failed)?;
            put_files(&file_store, files, 0)?;
            for (seq, entry) in edits {
                edit_store
                    .put(&JsValue::from_str(entry), Some(&key(*seq)))
                    .map_err(failed)?;
            }
            store(META)?
                .put(
                    &JsValue::from_str(settings),
                    Some(&JsValue::from_str(SETTINGS_KEY)),
                )
                .map_err(failed)?;
        }
        Job::Add { files } => {
            let file_store = store(FILES)?;
            // Keys run from 0 in load order; the added files follow the saved ones.
            let saved = file_store
                .count(None)
                .map_err(failed)?
                .await
                .map_err(failed)?;
            put_files(&file_store, files, u64::from(saved))?;
        }
        Job::Append { seq, entry } => {
            store(EDITS)?
                .put(&JsValue::from_str(entry), Some(&key(*seq)))
                .map_err(failed)?;
        }
        Job::Settings(settings) => {
            store(META)?
                .put(
                    &JsValue::from_str(settings),
                    Some(&JsValue::from_str(SETTINGS_KEY)),
                )
                .map_err(failed)?;
        }
        Job::Clear => {}
    }
    let outcome = tx.await.map_err(failed)?;
    if outcome.is_committed() {
        Ok(())
    } else {
        Err("the browser did not keep the change".to_owned())
    }
}

/// Stores input files as records `{name, blob}` keyed by their place in the load order.
fn put_files(
    file_store: &idb::ObjectStore,
    files: &[(String, Blob)],
    first_key: u64,
) -> Result<(), String> {
    for (index, (name, blob)) in files.iter().enumerate() {
        let record = js_sys::Object::new();
        js_sys::Reflect::set(&record, &"name".into(), &JsValue::from_str(name))
            .and_then(|_| js_sys::Reflect::set(&record, &"blob".into(), blob))
            .map_err(|e| format!("{e:?}"))?;
        file_store
            .put(
                &record,
                Some(&JsValue::from_f64((first_key + index as u64) as f64)),
            )
            .map_err(failed)?;
    }
    Ok(())
}

/// Forgets every `localStorage` key of this app (preferences, the settings copy).
fn clear_local_storage() {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return;
    };
    let n = storage.length().unwrap_or(0);
    let ours: Vec<String> = (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(LOCAL_PREFIX))
        .collect();
    for key in ours {
        let _ = storage.remove_item(&key);
    }
}

/// What the next `Loaded` answer is for.
enum Pending {
    /// Files the analyst chose: saved once they loaded.
    Files(Vec<(String, Blob)>),
    /// Files added to those loaded: saved beside them once they loaded.
    Added(Vec<(String, Blob)>),
    /// The saved workspace coming back: already saved.
    Restore,
}

/// Follows the worker's answers and keeps the browser's copy in step with them.
pub struct Autosaver {
    queue: RefCell<VecDeque<Job>>,
    running: Cell<bool>,
    /// Set once the data is being cleared: nothing is written after that.
    stopped: Cell<bool>,
    /// Another tab saved since: this one writes again only for a new load or workspace.
    superseded: Cell<bool>,
    /// Whether inputs are saved (settings and changes are kept only with them).
    active: Cell<bool>,
    pending: RefCell<Option<Pending>>,
    /// The settings the worker last said it uses.
    settings: RefCell<Option<(Settings, Grouping)>>,
    status: Callback<Autosave>,
    /// Tells the other tabs this one saved (`None` where the browser has no channel).
    channel: Option<web_sys::BroadcastChannel>,
    _on_message: RefCell<Option<MessageHandler>>,
}

type MessageHandler = Closure<dyn FnMut(web_sys::MessageEvent)>;

impl Autosaver {
    pub fn new(status: Callback<Autosave>) -> Rc<Autosaver> {
        let saver = Rc::new(Autosaver {
            queue: RefCell::default(),
            running: Cell::new(false),
            stopped: Cell::new(false),
            superseded: Cell::new(false),
            active: Cell::new(false),
            pending: RefCell::default(),
            settings: RefCell::default(),
            status,
            channel: web_sys::BroadcastChannel::new(CHANNEL).ok(),
            _on_message: RefCell::default(),
        });
        if let Some(channel) = &saver.channel {
            // A channel never hears its own messages: any message is another tab's save.
            let weak = Rc::downgrade(&saver);
            let on_message = MessageHandler::new(move |_| {
                if let Some(saver) = weak.upgrade() {
                    saver.superseded();
                }
            });
            channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            *saver._on_message.borrow_mut() = Some(on_message);
        }
        saver
    }

    /// Another tab saved: this one stops writing, so the saved log stays that tab's.
    fn superseded(&self) {
        if self.stopped.get() || self.superseded.replace(true) || !self.active.get() {
            return;
        }
        self.queue.borrow_mut().clear();
        self.status.emit(Autosave::Superseded);
    }

    fn announce(&self) {
        if let Some(channel) = &self.channel {
            let _ = channel.post_message(&JsValue::from_str("saved"));
        }
    }

    /// The analyst's files go to the worker: they are saved once they loaded.
    pub fn loading(&self, files: &[(String, Blob)]) {
        *self.pending.borrow_mut() = Some(Pending::Files(files.to_vec()));
    }

    /// Files added to what is loaded go to the worker: saved beside the others once they loaded.
    pub fn adding(&self, files: &[(String, Blob)]) {
        *self.pending.borrow_mut() = Some(Pending::Added(files.to_vec()));
    }

    /// The saved workspace goes to the worker.
    pub fn restoring(&self, saved: &Saved) {
        *self.pending.borrow_mut() = Some(Pending::Restore);
        if let Some(settings) = &saved.settings {
            *self.settings.borrow_mut() = Some(settings.clone());
        }
    }

    fn settings_json(&self) -> String {
        let settings = self
            .settings
            .borrow()
            .clone()
            .unwrap_or((Settings::default(), Grouping::Correlate));
        serde_json::to_string(&settings).unwrap_or_default()
    }

    /// Sees one answer of the worker (and the files that came with it).
    pub fn observe(self: &Rc<Self>, response: &Response, files: Vec<(String, Blob)>) {
        match response {
            Response::Settings { settings, grouping } => {
                *self.settings.borrow_mut() = Some((settings.clone(), *grouping));
            }
            Response::Recorrelated {
                settings, grouping, ..
            } => {
                *self.settings.borrow_mut() = Some((settings.clone(), *grouping));
                if self.active.get() {
                    self.push(Job::Settings(self.settings_json()));
                }
            }
            Response::Loaded { .. } => match self.pending.borrow_mut().take() {
                Some(Pending::Files(files)) => {
                    // New data here: this tab's now, whatever another one saved.
                    self.superseded.set(false);
                    self.active.set(true);
                    self.push(Job::Replace {
                        files,
                        settings: self.settings_json(),
                        edits: Vec::new(),
                    });
                }
                // Files added to a workspace another tab took over are not this tab's to save.
                Some(Pending::Added(files)) if self.active.get() => {
                    self.push(Job::Add { files });
                }
                Some(Pending::Added(_)) => {}
                Some(Pending::Restore) => {
                    self.active.set(true);
                    self.status.emit(Autosave::Saved);
                }
                None => {}
            },
            Response::Logged { entry } if self.active.get() => {
                if let Ok(json) = serde_json::to_string(entry) {
                    self.push(Job::Append {
                        seq: entry.seq,
                        entry: json,
                    });
                }
            }
            Response::WorkspaceOpened {
                settings,
                grouping,
                edits,
                ..
            } => {
                *self.settings.borrow_mut() = Some((settings.clone(), *grouping));
                self.superseded.set(false);
                self.active.set(true);
                let edits = edits
                    .entries
                    .iter()
                    .filter_map(|e| Some((e.seq, serde_json::to_string(e).ok()?)))
                    .collect();
                self.push(Job::Replace {
                    files,
                    settings: self.settings_json(),
                    edits,
                });
            }
            _ => {}
        }
    }

    /// Deletes everything this app keeps in the browser (writes still waiting are dropped:
    /// they would be deleted), then starts the page afresh: nothing comes back.
    pub fn clear_all(self: &Rc<Self>) {
        // Whatever waits would be deleted anyway; a tab that stopped writing may still clear.
        self.queue.borrow_mut().clear();
        self.superseded.set(false);
        self.push(Job::Clear);
        self.stopped.set(true);
    }

    fn push(self: &Rc<Self>, job: Job) {
        if self.stopped.get() || self.superseded.get() {
            return;
        }
        self.queue.borrow_mut().push_back(job);
        if self.running.replace(true) {
            return;
        }
        self.status.emit(Autosave::Saving);
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let mut outcome = Autosave::Saved;
            loop {
                let Some(job) = this.queue.borrow_mut().pop_front() else {
                    break;
                };
                let cleared = matches!(job, Job::Clear);
                match run(&job).await {
                    Ok(()) if cleared => {
                        this.announce();
                        start_afresh();
                        return;
                    }
                    Ok(()) => this.announce(),
                    Err(e) => outcome = Autosave::Failed(e),
                }
            }
            this.running.set(false);
            // Superseded while writing: that says more than "saved".
            if !this.superseded.get() {
                this.status.emit(outcome);
            }
        });
    }
}

/// The page anew, at its start (no route) and with nothing in memory: the address without its
/// fragment is a new document, not a hash change.
fn start_afresh() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let start = match (location.origin(), location.pathname(), location.search()) {
        (Ok(origin), Ok(path), Ok(search)) => format!("{origin}{path}{search}"),
        _ => "./".to_owned(),
    };
    let _ = location.replace(&start);
}
