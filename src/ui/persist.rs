//! The header's Workspace menu: export the workspace file (optionally encrypted), open one,
//! clear everything this app keeps in the browser; and the autosave's status beside it.

use super::state::{Autosave, WorkspaceTask};
use alertweave_text::i18n::{self, t, Lang, Text};
use wasm_bindgen::JsCast;
use web_sys::Blob;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WorkspaceMenuProps {
    pub lang: Lang,
    /// Whether data is loaded (there is something to export).
    pub has_data: bool,
    pub task: WorkspaceTask,
    /// With the passphrase typed (empty: none).
    pub on_export: Callback<String>,
    /// The chosen file and the passphrase typed.
    pub on_import: Callback<(Blob, String)>,
    pub on_clear: Callback<()>,
}

#[function_component(WorkspaceMenu)]
pub fn workspace_menu(props: &WorkspaceMenuProps) -> Html {
    let lang = props.lang;
    let passphrase = use_node_ref();
    let confirming = use_state(|| false);
    let typed = {
        let passphrase = passphrase.clone();
        move || {
            passphrase
                .cast::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default()
        }
    };
    let on_export = {
        let (on_export, typed) = (props.on_export.clone(), typed.clone());
        Callback::from(move |_: MouseEvent| on_export.emit(typed()))
    };
    let on_import = {
        let on_import = props.on_import.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(file) = input.files().and_then(|list| list.get(0)) {
                on_import.emit((file.into(), typed()));
            }
            // The same file may be chosen again (with another passphrase).
            input.set_value("");
        })
    };
    let ask = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(true))
    };
    let cancel = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(false))
    };
    let clear = {
        let on_clear = props.on_clear.clone();
        Callback::from(move |_: MouseEvent| on_clear.emit(()))
    };
    // Asked for a passphrase: the field says so and takes the focus.
    let needs_passphrase = matches!(
        &props.task,
        WorkspaceTask::Failed(
            alertweave_core::workspace::WorkspaceError::NeedsPassphrase
                | alertweave_core::workspace::WorkspaceError::WrongPassphrase
        )
    );
    let menu = use_node_ref();
    {
        let (passphrase, menu) = (passphrase.clone(), menu.clone());
        use_effect_with(needs_passphrase, move |needs| {
            if *needs {
                // A workspace chosen with the other files: the menu opens to ask.
                if let Some(details) = menu.cast::<web_sys::Element>() {
                    let _ = details.set_attribute("open", "");
                }
                if let Some(input) = passphrase.cast::<web_sys::HtmlInputElement>() {
                    let _ = input.focus();
                }
            }
        });
    }
    let busy = props.task.busy();
    let status = match &props.task {
        WorkspaceTask::Idle => None,
        WorkspaceTask::Exporting => Some(("busy", t(lang, Text::WorkspaceExporting).to_owned())),
        WorkspaceTask::Importing => Some(("busy", t(lang, Text::WorkspaceImporting).to_owned())),
        WorkspaceTask::Exported {
            bytes,
            encrypted,
            millis,
        } => Some((
            "done",
            i18n::workspace_written(lang, *bytes, *encrypted, *millis),
        )),
        WorkspaceTask::Imported { files, changes, .. } => {
            Some(("done", i18n::workspace_opened(lang, *files, *changes)))
        }
        WorkspaceTask::Failed(error) => Some(("error", i18n::workspace_error(lang, error))),
    };
    html! {
        <details class="workspace-menu" data-testid="workspace-menu" ref={menu}>
            <summary class="button">{ t(lang, Text::WorkspaceMenu) }</summary>
            <div class="workspace-panel">
                <p class="hint">{ t(lang, Text::WorkspaceHint) }</p>
                <label class="field">
                    <span>{ t(lang, Text::WorkspacePassphrase) }</span>
                    <input type="password" ref={passphrase} data-testid="workspace-passphrase"
                        autocomplete="new-password" aria-invalid={needs_passphrase.then_some("true")} />
                </label>
                <p class="hint">{ t(lang, Text::WorkspacePassphraseHint) }</p>
                <div class="actions">
                    <button type="button" class="button primary" data-testid="workspace-export"
                        disabled={busy || !props.has_data} onclick={on_export}
                        title={(!props.has_data).then(|| t(lang, Text::WorkspaceNoData))}>
                        { t(lang, Text::WorkspaceExport) }
                    </button>
                    <label class={classes!("file-picker", "button", busy.then_some("disabled"))}>
                        { t(lang, Text::WorkspaceImport) }
                        <input type="file" data-testid="workspace-import" disabled={busy} onchange={on_import} />
                    </label>
                </div>
                if let Some((kind, text)) = status {
                    <p class={classes!("workspace-status", kind)} data-testid="workspace-status"
                        data-state={kind} role={if kind == "error" { "alert" } else { "status" }}>
                        if kind == "busy" { <span class="spinner" aria-hidden="true"></span> }
                        { text }
                    </p>
                }
                <div class="clear-data">
                    if *confirming {
                        <p class="warning" role="alert">{ t(lang, Text::ClearDataWarning) }</p>
                        <div class="actions">
                            <button type="button" class="button danger" data-testid="clear-data-confirm" onclick={clear}>
                                { t(lang, Text::ClearDataConfirm) }
                            </button>
                            <button type="button" class="button" data-testid="clear-data-cancel" onclick={cancel}>
                                { t(lang, Text::ClearDataCancel) }
                            </button>
                        </div>
                    } else {
                        <button type="button" class="button danger" data-testid="clear-data" onclick={ask}>
                            { t(lang, Text::ClearData) }
                        </button>
                    }
                </div>
            </div>
        </details>
    }
}

#[derive(Properties, PartialEq)]
pub struct AutosaveStatusProps {
    pub lang: Lang,
    pub autosave: Autosave,
}

/// Whether what is loaded is saved in this browser (nothing shown before anything is loaded).
#[function_component(AutosaveStatus)]
pub fn autosave_status(props: &AutosaveStatusProps) -> Html {
    let lang = props.lang;
    let (state, text, title) = match &props.autosave {
        Autosave::Off => return html! {},
        Autosave::Saving => ("saving", t(lang, Text::AutosaveSaving), None),
        Autosave::Saved => ("saved", t(lang, Text::AutosaveSaved), None),
        Autosave::Failed(why) => ("failed", t(lang, Text::AutosaveFailed), Some(why.clone())),
        Autosave::Superseded => (
            "superseded",
            t(lang, Text::AutosaveSupersededShort),
            Some(t(lang, Text::AutosaveSuperseded).to_owned()),
        ),
    };
    html! {
        <span class={classes!("autosave", state)} data-testid="autosave-status" data-state={state} {title} role="status">
            { text }
        </span>
    }
}

/// Saves a workspace file through a Blob URL of this page (nothing leaves the tab); returns the
/// URL, to revoke at the next one.
pub fn download(file: &Blob, name: &str) -> Option<String> {
    let url = web_sys::Url::create_object_url_with_blob(file).ok()?;
    let document = web_sys::window()?.document()?;
    let link: web_sys::HtmlElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_attribute("href", &url).ok()?;
    link.set_attribute("download", name).ok()?;
    link.click();
    Some(url)
}

/// `alertweave-2026-11-23-0145.awspace`, in the page's local time.
pub fn file_name() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "alertweave-{:04}-{:02}-{:02}-{:02}{:02}.awspace",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date(),
        now.get_hours(),
        now.get_minutes()
    )
}
