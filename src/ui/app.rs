//! The root component: owns the state and the worker, listens to the address bar, picks the view.

use super::bridge::Bridge;
use super::incident::IncidentPage;
use super::landing::{Landing, ProblemList};
use super::persist::{AutosaveStatus, WorkspaceMenu};
use super::prefs::{
    initial_lang, initial_theme, parse_columns, parse_saved, Theme, COLUMNS_KEY, LANG_KEY,
    SAVED_KEY, THEME_KEY,
};
use super::queue::QueueView;
use super::route::Route;
use super::settings::{is_default, keep_settings, kept_settings, SettingsPanel};
use super::state::{Action, AppState, WorkspaceTask};
use super::store::Autosaver;
use alertweave_core::correlate::{Grouping, Settings};
use alertweave_core::model::Timestamp;
use alertweave_engine::protocol::{Request, Response};
use alertweave_text::format::{format_time, TimeMode};
use alertweave_text::i18n::{self, t, Lang, Text};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::Blob;
use yew::prelude::*;

pub fn run() {
    yew::Renderer::<App>::new().render();
}

/// Yew's reducer hook over the plain reducer in `state.rs`.
#[derive(Clone, PartialEq, Default)]
struct Store(AppState);

impl Reducible for Store {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Store(self.0.reduce(action)))
    }
}

/// Formats a time in the chosen zone and language; the browser knows the local offset at that
/// moment.
pub fn time_text(lang: Lang, ts: Timestamp, mode: TimeMode) -> String {
    let offset = match mode {
        TimeMode::Utc => 0,
        TimeMode::Local => {
            let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
                ts.timestamp_millis() as f64
            ));
            -(date.get_timezone_offset() as i32)
        }
    };
    format_time(lang, ts, mode, offset)
}

pub(super) fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub(super) fn kept(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Keeps a preference in this browser; `None` forgets it. A refused write (storage full or
/// disabled) only means the choice lasts until the tab closes.
pub(super) fn keep(key: &str, value: Option<&str>) {
    if let Some(storage) = storage() {
        let _ = match value {
            Some(value) => storage.set_item(key, value),
            None => storage.remove_item(key),
        };
    }
}

/// The browser's preferred languages, most preferred first.
fn browser_languages() -> Vec<String> {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let mut languages: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .collect();
    if languages.is_empty() {
        languages.extend(navigator.language());
    }
    languages
}

fn start_lang() -> Lang {
    let languages = browser_languages();
    initial_lang(
        kept(LANG_KEY).as_deref(),
        languages.iter().map(String::as_str),
    )
}

/// `<html lang>` follows the interface's language (screen readers, hyphenation, spelling).
fn apply_lang(lang: Lang) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.code());
    }
}

/// `<html data-theme>` picks the palette; without it the stylesheet follows the system.
fn apply_theme(theme: Theme) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = match theme.attribute() {
            Some(value) => root.set_attribute("data-theme", value),
            None => root.remove_attribute("data-theme"),
        };
    }
}

/// The value of the `<select>` an event came from.
fn select_value(event: &Event) -> Option<String> {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

#[function_component(App)]
fn app() -> Html {
    let store = use_reducer(|| {
        let columns = kept(COLUMNS_KEY)
            .map(|text| parse_columns(&text))
            .unwrap_or_default();
        let saved = kept(SAVED_KEY)
            .map(|text| parse_saved(&text))
            .unwrap_or_default();
        Store(
            AppState::default()
                .reduce(Action::SetLang(start_lang()))
                .reduce(Action::Navigate(Route::parse(&current_hash())))
                .reduce(Action::SetColumns(columns))
                .reduce(Action::SetSaved(saved)),
        )
    });
    let theme = use_state(|| initial_theme(kept(THEME_KEY).as_deref()));
    let state = &store.0;
    let dispatcher = store.dispatcher();
    let lang = state.lang;

    use_effect_with(lang, |lang| apply_lang(*lang));
    use_effect_with(*theme, |theme| apply_theme(*theme));
    let on_lang = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |event: Event| {
            if let Some(lang) = select_value(&event).as_deref().and_then(Lang::from_code) {
                keep(LANG_KEY, Some(lang.code()));
                dispatcher.dispatch(Action::SetLang(lang));
            }
        })
    };
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |event: Event| {
            if let Some(next) = select_value(&event).as_deref().and_then(Theme::from_code) {
                keep(THEME_KEY, next.attribute());
                theme.set(next);
            }
        })
    };

    // The autosave follows the worker's answers; a written workspace file is downloaded.
    let autosaver: Rc<Rc<Autosaver>> = {
        let dispatcher = dispatcher.clone();
        use_memo((), move |_| {
            Autosaver::new(Callback::from(move |a| {
                dispatcher.dispatch(Action::Autosave(a))
            }))
        })
    };
    let download_url = use_mut_ref(|| None::<String>);
    let bridge: Rc<Result<Bridge, String>> = {
        let dispatcher = dispatcher.clone();
        let autosaver = (*autosaver).clone();
        let download_url = download_url.clone();
        use_memo((), move |_| {
            let observer: super::bridge::Observer = Rc::new(move |response, files| {
                match response {
                    Response::WorkspaceWritten { .. } => {
                        if let Some((_, file)) = files.first() {
                            let url = super::persist::download(file, &super::persist::file_name());
                            if let Some(old) =
                                std::mem::replace(&mut *download_url.borrow_mut(), url)
                            {
                                let _ = web_sys::Url::revoke_object_url(&old);
                            }
                        }
                    }
                    Response::WorkspaceOpened {
                        settings, grouping, ..
                    } => {
                        // The settings panel's copy follows.
                        keep_settings(settings, *grouping);
                        autosaver.observe(response, files);
                    }
                    _ => autosaver.observe(response, files),
                }
            });
            Bridge::start(Callback::from(move |a| dispatcher.dispatch(a)), observer)
        })
    };

    // A workspace saved in this browser comes back: its settings, inputs and changes.
    let restoring = use_state(|| false);
    // Until the browser said whether it holds a workspace.
    let checking = use_state(|| true);
    {
        let (bridge, autosaver, dispatcher) =
            (bridge.clone(), autosaver.clone(), dispatcher.clone());
        let (restoring, checking) = (restoring.clone(), checking.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let read = super::store::read().await;
                checking.set(false);
                let saved = match read {
                    Ok(Some(saved)) => saved,
                    Ok(None) => return,
                    Err(e) => {
                        dispatcher.dispatch(Action::Autosave(super::state::Autosave::Failed(e)));
                        return;
                    }
                };
                let Ok(bridge) = bridge.as_ref() else {
                    return;
                };
                autosaver.restoring(&saved);
                restoring.set(true);
                dispatcher.dispatch(Action::LoadStarted {
                    n_files: saved.files.len(),
                    bytes_total: saved.files.iter().map(|(_, b)| b.size() as u64).sum(),
                });
                if let Some((settings, grouping)) = saved.settings.clone() {
                    bridge.request(&Request::Recorrelate { settings, grouping });
                }
                let edits = serde_json::to_string(&saved.edits).ok();
                if let Err(e) = bridge.load(saved.files, edits, false) {
                    dispatcher.dispatch(Action::WorkerFailed(e));
                }
            });
        });
    }
    {
        let restoring = restoring.clone();
        use_effect_with(state.loading.is_some(), move |loading| {
            if !*loading {
                restoring.set(false);
            }
        });
    }

    // The worker learns the settings this browser kept before any load, so the first load
    // already uses them; without kept settings, it says which it uses.
    {
        let bridge = bridge.clone();
        use_effect_with((), move |_| {
            if let Ok(bridge) = bridge.as_ref() {
                match kept_settings() {
                    Some((settings, grouping)) => {
                        bridge.request(&Request::Recorrelate { settings, grouping })
                    }
                    None => bridge.request(&Request::Settings),
                }
            }
        });
    }

    // The address the app last saw (from a hashchange, or written by itself): when the
    // browser's differs, a navigation is on its way as a hashchange and wins over the route
    // the state still holds.
    let seen_hash = use_mut_ref(current_hash);
    {
        let dispatcher = dispatcher.clone();
        let seen_hash = seen_hash.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|window| {
                gloo::events::EventListener::new(&window, "hashchange", move |_| {
                    let hash = current_hash();
                    *seen_hash.borrow_mut() = hash.clone();
                    dispatcher.dispatch(Action::Navigate(Route::parse(&hash)));
                })
            });
            move || drop(listener)
        });
    }

    // The address follows the queue's view: a filter or sort is a history entry, typing in the
    // search replaces the entry (pushState fires no hashchange, so nothing loops). An address
    // the analyst (or a link) set since the app last looked is not overwritten: its hashchange
    // is still to come, and it decides the route.
    {
        let route = state.route.clone();
        let seen_hash = seen_hash.clone();
        use_effect_with(route.clone(), move |_| {
            let hash = current_hash();
            if hash != *seen_hash.borrow() {
                return;
            }
            let current = Route::parse(&hash);
            if current != route {
                if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                    let only_search = matches!((&current, &route), (Route::Queue(a), Route::Queue(b))
                        if a.search != b.search && { let mut a = a.clone(); a.search.clone_from(&b.search); a == *b });
                    let url = route.to_hash();
                    let _ = if only_search {
                        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
                    } else {
                        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
                    };
                    *seen_hash.borrow_mut() = current_hash();
                }
            }
        });
    }

    {
        let bridge = bridge.clone();
        let requests = state.wanted_requests();
        let deps = (
            state.route.clone(),
            state.queue_query.clone(),
            state.generation,
            state.loading.is_some(),
        );
        use_effect_with(deps, move |_| {
            if let Ok(bridge) = bridge.as_ref() {
                for request in &requests {
                    bridge.request(request);
                }
            }
        });
    }

    // Files chosen on the landing page start a workspace; files chosen beside the queue are
    // added to it (the loaded files are read again with them, the changes made stay).
    let send_files = {
        let bridge = bridge.clone();
        let dispatcher = dispatcher.clone();
        let autosaver = autosaver.clone();
        move |files: Vec<(String, Blob)>, add: bool| {
            if files.is_empty() {
                return;
            }
            let bytes_total = files.iter().map(|(_, b)| b.size() as u64).sum();
            dispatcher.dispatch(Action::LoadStarted {
                n_files: files.len(),
                bytes_total,
            });
            if add {
                autosaver.adding(&files);
            } else {
                autosaver.loading(&files);
            }
            let sent = match bridge.as_ref() {
                Ok(bridge) => bridge.load(files, None, add),
                Err(e) => Err(e.clone()),
            };
            if let Err(e) = sent {
                dispatcher.dispatch(Action::WorkerFailed(e));
            }
        }
    };
    let load_files = {
        let send_files = send_files.clone();
        Callback::from(move |files: Vec<(String, Blob)>| send_files(files, false))
    };
    let add_files = Callback::from(move |files: Vec<(String, Blob)>| send_files(files, true));

    let load_demo = {
        let load_files = load_files.clone();
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: ()| {
            let load_files = load_files.clone();
            let dispatcher = dispatcher.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match fetch_blob(DEMO_PATH).await {
                    Ok(blob) => load_files.emit(vec![(DEMO_NAME.to_owned(), blob)]),
                    Err(e) => {
                        dispatcher.dispatch(Action::WorkerFailed(i18n::demo_failed(lang, &e)))
                    }
                }
            });
        })
    };

    // Sends a request to the worker (the queue's export, an incident's changes and reports).
    let send_request = {
        let bridge = bridge.clone();
        let dispatcher = dispatcher.clone();
        Callback::from(move |request: Request| match bridge.as_ref() {
            Ok(bridge) => bridge.request(&request),
            Err(e) => dispatcher.dispatch(Action::WorkerFailed(e.clone())),
        })
    };

    let apply_settings = {
        let bridge = bridge.clone();
        let dispatcher = dispatcher.clone();
        Callback::from(
            move |(settings, grouping): (Settings, Grouping)| match bridge.as_ref() {
                Ok(bridge) => {
                    keep_settings(&settings, grouping);
                    dispatcher.dispatch(Action::Recorrelating);
                    bridge.request(&Request::Recorrelate { settings, grouping });
                }
                Err(e) => dispatcher.dispatch(Action::WorkerFailed(e.clone())),
            },
        )
    };
    let close_settings = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: ()| {
            dispatcher.dispatch(Action::ShowSettings(false));
            // Focus goes back to the button that opened the panel.
            if let Some(button) = by_test_id::<web_sys::HtmlElement>("settings-open") {
                let _ = button.focus();
            }
        })
    };

    let on_export = {
        let (bridge, dispatcher) = (bridge.clone(), dispatcher.clone());
        Callback::from(move |passphrase: String| {
            dispatcher.dispatch(Action::Workspace(WorkspaceTask::Exporting));
            let sent = match bridge.as_ref() {
                Ok(bridge) => bridge.export_workspace(&passphrase, js_sys::Date::now()),
                Err(e) => Err(e.clone()),
            };
            if let Err(e) = sent {
                dispatcher.dispatch(Action::Workspace(WorkspaceTask::Idle));
                dispatcher.dispatch(Action::WorkerFailed(e));
            }
        })
    };
    let on_import = {
        let (bridge, dispatcher) = (bridge.clone(), dispatcher.clone());
        Callback::from(move |(file, passphrase): (Blob, String)| {
            dispatcher.dispatch(Action::Workspace(WorkspaceTask::Importing));
            let sent = match bridge.as_ref() {
                Ok(bridge) => bridge.import_workspace(&file, &passphrase),
                Err(e) => Err(e.clone()),
            };
            if let Err(e) = sent {
                dispatcher.dispatch(Action::Workspace(WorkspaceTask::Idle));
                dispatcher.dispatch(Action::WorkerFailed(e));
            }
        })
    };
    // A workspace file chosen where exports are chosen opens as a workspace (its first bytes
    // say so), with the passphrase typed in the Workspace menu if any; other files load.
    let route_files = |then: Callback<Vec<(String, Blob)>>| {
        let on_import = on_import.clone();
        Callback::from(move |files: Vec<(String, Blob)>| {
            let [(_, blob)] = files.as_slice() else {
                return then.emit(files);
            };
            let (blob, then, on_import) = (blob.clone(), then.clone(), on_import.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if is_workspace_file(&blob).await {
                    on_import.emit((blob, typed_passphrase()));
                } else {
                    then.emit(files);
                }
            });
        })
    };
    let (load_files, add_files) = (route_files(load_files), route_files(add_files));
    let on_clear = {
        let autosaver = autosaver.clone();
        Callback::from(move |_: ()| autosaver.clear_all())
    };

    let time_mode = state.time_mode;
    let toggle_time = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| {
            let next = if time_mode == TimeMode::Utc {
                TimeMode::Local
            } else {
                TimeMode::Utc
            };
            dispatcher.dispatch(Action::SetTimeMode(next));
        })
    };

    let progress = state.loading.map(|p| {
        html! {
            <div class="load-progress" data-testid="load-progress" role="status">
                <progress max={p.bytes_total.max(1).to_string()} value={p.bytes_read.to_string()}></progress>
                <span>{ i18n::progress_text(lang, p.file_index, p.n_files, p.bytes_read, p.bytes_total, p.records) }</span>
            </div>
        }
    });
    let error = state
        .error
        .as_ref()
        .map(|e| html! { <p class="error" role="alert">{ e.clone() }</p> });
    let bridge_error = bridge
        .as_ref()
        .as_ref()
        .err()
        .map(|e| html! { <p class="error" role="alert">{ e.clone() }</p> });

    // The settings panel sits beside the queue, which makes room for it.
    let side_panel =
        state.settings_open && state.summary.is_some() && matches!(state.route, Route::Queue(_));
    let body = match (&state.summary, &state.route) {
        (None, route) => {
            // While the saved workspace comes back, "nothing is saved" would be wrong.
            let pending = match route {
                Route::Incident { incident_id, .. } if !*restoring && !*checking => {
                    Some(incident_id.clone())
                }
                _ => None,
            };
            html! { <Landing {lang} pending_incident={pending} on_files={load_files.clone()} on_demo={load_demo.clone()} busy={state.loading.is_some()} /> }
        }
        (Some(summary), Route::Queue(_)) => html! {
            <>
                <section class="load-summary">
                    <super::landing::CompletenessReport {lang} {time_mode} summary={summary.clone()} />
                    <FilePicker {lang} on_files={add_files.clone()} label={t(lang, Text::AddFiles)} />
                </section>
                <ProblemList {lang} problems={summary.problems.clone()} />
                <QueueView {lang} {time_mode} page={state.queue.clone()} query={state.queue_query.clone()}
                    columns={state.columns.clone()} saved={state.saved.clone()} selected={state.selected} dispatch={Callback::from({ let d = dispatcher.clone(); move |a| d.dispatch(a) })}
                    settings_open={state.settings_open}
                    on_request={send_request.clone()}
                    picked={state.picked.clone()}
                    export={state.queue_export.clone()}
                    custom_settings={state.applied.as_ref().is_some_and(|(s, g)| !is_default(s, *g))} />
                if state.settings_open {
                    <SettingsPanel {lang} applied={state.applied.clone()} busy={state.recorrelating}
                        outcome={state.recorrelated.clone()} on_apply={apply_settings.clone()} on_close={close_settings.clone()} />
                }
            </>
        },
        (Some(_), Route::Incident { incident_id, tab }) => {
            let answer = state
                .incident
                .as_ref()
                .filter(|(id, _)| id == incident_id)
                .and_then(|(_, a)| a.clone());
            let back = Route::Queue(state.last_queue.clone()).to_hash();
            let report = state
                .report
                .as_ref()
                .filter(|(id, _, _)| id == incident_id)
                .map(|(_, md, html)| (md.clone(), html.clone()));
            let iocs = state
                .iocs
                .as_ref()
                .filter(|(id, ..)| id == incident_id)
                .map(|(_, n, csv, stix)| (*n, csv.clone(), stix.clone()));
            let on_request = send_request.clone();
            let candidates = state.candidates.clone();
            html! { <IncidentPage {lang} {time_mode} tab={*tab} incident_id={incident_id.clone()} answer={answer} {back} {report} {iocs} {candidates} {on_request} /> }
        }
        (Some(_), Route::NotFound(_)) => {
            html! { <p class="empty">{ t(lang, Text::NotFoundRoute) }</p> }
        }
    };

    html! {
        <>
            <header class="topbar">
                <a class="brand" href="#/incidents">{ "Alertweave" }</a>
                <span class="tagline">{ t(lang, Text::AppTagline) }</span>
                <span class="spacer"></span>
                <AutosaveStatus {lang} autosave={state.autosave.clone()} />
                <WorkspaceMenu {lang} has_data={state.summary.is_some()} task={state.workspace.clone()}
                    {on_export} {on_import} {on_clear} />
                <button type="button" class="time-switch" onclick={toggle_time}>
                    { format!("{} {}", t(lang, Text::TimeZone), if time_mode == TimeMode::Utc { t(lang, Text::TimeUtc) } else { t(lang, Text::TimeLocal) }) }
                </button>
                <label class="topbar-select">
                    <span>{ t(lang, Text::Language) }</span>
                    <select data-testid="lang-switch" onchange={on_lang}>
                        { for Lang::ALL.iter().map(|l| html! {
                            <option value={l.code()} lang={l.code()} selected={*l == lang}>{ l.native_name() }</option>
                        }) }
                    </select>
                </label>
                <label class="topbar-select">
                    <span>{ t(lang, Text::Theme) }</span>
                    <select data-testid="theme-switch" onchange={on_theme}>
                        { for Theme::ALL.iter().map(|th| html! {
                            <option value={th.code()} selected={*th == *theme}>{ t(lang, th.label()) }</option>
                        }) }
                    </select>
                </label>
            </header>
            <main class={classes!(side_panel.then_some("with-side-panel"))}>
                { for bridge_error }
                { for error }
                if *restoring && state.loading.is_some() {
                    <p class="notice" role="status">{ t(lang, Text::RestoringSaved) }</p>
                }
                { for progress }
                { body }
            </main>
        </>
    }
}

const DEMO_PATH: &str = "./demo/graph-alerts-demo.json";
const DEMO_NAME: &str = "graph-alerts-demo.json";

/// Fetches a file of this site (same origin) as a blob.
/// Whether a chosen file is an Alertweave workspace, by its first bytes.
async fn is_workspace_file(blob: &Blob) -> bool {
    let Ok(head) = blob.slice_with_i32_and_i32(0, 16) else {
        return false;
    };
    match wasm_bindgen_futures::JsFuture::from(head.array_buffer()).await {
        Ok(buffer) => {
            alertweave_core::workspace::is_workspace(&js_sys::Uint8Array::new(&buffer).to_vec())
        }
        Err(_) => false,
    }
}

/// The page's element with this `data-testid`, as a `T`.
fn by_test_id<T: JsCast>(test_id: &str) -> Option<T> {
    web_sys::window()?
        .document()?
        .query_selector(&format!("[data-testid={test_id}]"))
        .ok()??
        .dyn_into()
        .ok()
}

/// The passphrase typed in the Workspace menu (empty when none).
fn typed_passphrase() -> String {
    by_test_id::<web_sys::HtmlInputElement>("workspace-passphrase")
        .map(|input| input.value())
        .unwrap_or_default()
}

async fn fetch_blob(path: &str) -> Result<Blob, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(|e| format!("{e:?}"))?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| "not a response".to_owned())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let blob = wasm_bindgen_futures::JsFuture::from(response.blob().map_err(|e| format!("{e:?}"))?)
        .await
        .map_err(|e| format!("{e:?}"))?;
    blob.dyn_into().map_err(|_| "not a blob".to_owned())
}

#[derive(Properties, PartialEq)]
pub struct FilePickerProps {
    pub lang: Lang,
    pub on_files: Callback<Vec<(String, Blob)>>,
    pub label: &'static str,
}

/// The `<input type="file" multiple>` that loads exports (`file-input`).
#[function_component(FilePicker)]
pub fn file_picker(props: &FilePickerProps) -> Html {
    let on_files = props.on_files.clone();
    let onchange = Callback::from(move |event: Event| {
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files = input
            .files()
            .map(|list| files_of(&list))
            .unwrap_or_default();
        on_files.emit(files);
        input.set_value("");
    });
    html! {
        <label class="file-picker button">
            { props.label }
            <input type="file" multiple=true data-testid="file-input" {onchange} />
        </label>
    }
}

pub fn files_of(list: &web_sys::FileList) -> Vec<(String, Blob)> {
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|f| (f.name(), Blob::from(f)))
        .collect()
}
