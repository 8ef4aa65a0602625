//! The correlation settings panel: edits the `--config` JSON, re-correlates in the worker and
//! shows how the incident count moved.
//!
//! The form, its checks, the "what changed" list, the settings file and the copy kept in the
//! browser are plain Rust, tested natively; the Yew panel (`SettingsPanel`) exists on wasm32 only.
//!
//! The form never rebuilds [`Settings`] from its fields: it edits the fields it shows in a copy of
//! the settings it started from, so fields it does not know (added later, or carried by a file)
//! go through unchanged.

#[cfg(target_arch = "wasm32")]
use alertweave_core::correlate::input::changes;
use alertweave_core::correlate::input::{
    parse_count, parse_hours, parse_lines, parse_percent, parse_positive, window_of, Invalid,
};
use alertweave_core::correlate::{Grouping, Settings};
use alertweave_core::model::EntityKind;
use alertweave_text::format::format_number;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What the download is called (the same JSON `alertweave analyze --config` reads).
pub const SETTINGS_FILE_NAME: &str = "alertweave-settings.json";
/// A settings file is a few hundred bytes; a larger one is not read.
pub const MAX_SETTINGS_FILE_BYTES: u64 = 1024 * 1024;
/// The `localStorage` key of the applied settings.
pub const STORAGE_KEY: &str = "alertweave.correlation-settings";

/// A value of the form that can be wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Window(EntityKind),
    NoisyMinAlerts,
    NoisyShare,
    NoisyMinDays,
    NoisyFanOut,
    BurstMinAlerts,
    BurstWindowHours,
    BurstMinTargets,
    BackgroundDays,
    MaxIncidentAlerts,
}

/// The panel's values as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct SettingsForm {
    /// The settings the form edits; what it does not show is kept from here.
    pub base: Settings,
    pub grouping: Grouping,
    /// Hours per kind, one entry per [`EntityKind::ALL`].
    pub windows: BTreeMap<EntityKind, String>,
    pub noisy_min_alerts: String,
    /// `noisy_share` as a percentage.
    pub noisy_share_percent: String,
    pub noisy_min_days: String,
    pub noisy_fan_out: String,
    pub burst_min_alerts: String,
    pub burst_window_hours: String,
    pub burst_min_targets: String,
    pub background_days: String,
    pub max_incident_alerts: String,
    pub link_kinds: BTreeSet<EntityKind>,
    /// One entry per line.
    pub never_link: String,
}

/// One edit of the form.
#[derive(Debug, Clone, PartialEq)]
pub enum FormEdit {
    Grouping(Grouping),
    Window(EntityKind, String),
    Links(EntityKind, bool),
    NoisyMinAlerts(String),
    NoisyShare(String),
    NoisyMinDays(String),
    NoisyFanOut(String),
    BurstMinAlerts(String),
    BurstWindowHours(String),
    BurstMinTargets(String),
    BackgroundDays(String),
    MaxIncidentAlerts(String),
    NeverLink(String),
    /// A settings file was read: its settings replace the form's, the grouping stays.
    File(Settings),
}

impl SettingsForm {
    pub fn edit(&mut self, edit: FormEdit) {
        match edit {
            FormEdit::Grouping(grouping) => self.grouping = grouping,
            FormEdit::Window(kind, text) => {
                self.windows.insert(kind, text);
            }
            FormEdit::Links(kind, true) => {
                self.link_kinds.insert(kind);
            }
            FormEdit::Links(kind, false) => {
                self.link_kinds.remove(&kind);
            }
            FormEdit::NoisyMinAlerts(text) => self.noisy_min_alerts = text,
            FormEdit::NoisyShare(text) => self.noisy_share_percent = text,
            FormEdit::NoisyMinDays(text) => self.noisy_min_days = text,
            FormEdit::NoisyFanOut(text) => self.noisy_fan_out = text,
            FormEdit::BurstMinAlerts(text) => self.burst_min_alerts = text,
            FormEdit::BurstWindowHours(text) => self.burst_window_hours = text,
            FormEdit::BurstMinTargets(text) => self.burst_min_targets = text,
            FormEdit::BackgroundDays(text) => self.background_days = text,
            FormEdit::MaxIncidentAlerts(text) => self.max_incident_alerts = text,
            FormEdit::NeverLink(text) => self.never_link = text,
            FormEdit::File(settings) => *self = SettingsForm::new(&settings, self.grouping),
        }
    }

    pub fn new(settings: &Settings, grouping: Grouping) -> SettingsForm {
        SettingsForm {
            base: settings.clone(),
            grouping,
            windows: EntityKind::ALL
                .into_iter()
                .map(|kind| (kind, format_number(window_of(settings, kind))))
                .collect(),
            noisy_min_alerts: settings.noisy_min_alerts.to_string(),
            noisy_share_percent: format_number(settings.noisy_share * 100.0),
            noisy_min_days: settings.noisy_min_days.to_string(),
            noisy_fan_out: settings.noisy_fan_out.to_string(),
            burst_min_alerts: settings.burst_min_alerts.to_string(),
            burst_window_hours: format_number(settings.burst_window_hours),
            burst_min_targets: settings.burst_min_targets.to_string(),
            background_days: format_number(settings.background_days),
            max_incident_alerts: settings.max_incident_alerts.to_string(),
            link_kinds: settings.link_kinds.clone(),
            never_link: settings.never_link.join("\n"),
        }
    }

    /// The refused values, by field (empty when the form can be applied).
    pub fn errors(&self) -> BTreeMap<Field, Invalid> {
        self.to_settings().err().unwrap_or_default()
    }

    /// The settings the form describes: a copy of `base` with the shown fields edited. A value
    /// whose text was not touched keeps `base`'s value exactly (no round trip through text).
    pub fn to_settings(&self) -> Result<Settings, BTreeMap<Field, Invalid>> {
        let base = &self.base;
        let mut settings = base.clone();
        let mut errors = BTreeMap::new();
        for (&kind, text) in &self.windows {
            if *text == format_number(window_of(base, kind)) {
                continue;
            }
            match parse_hours(text) {
                Ok(hours) => {
                    settings.time_window_hours.insert(kind, hours);
                }
                Err(e) => {
                    errors.insert(Field::Window(kind), e);
                }
            }
        }
        if self.noisy_min_alerts != base.noisy_min_alerts.to_string() {
            match parse_count(&self.noisy_min_alerts) {
                Ok(n) => settings.noisy_min_alerts = n,
                Err(e) => {
                    errors.insert(Field::NoisyMinAlerts, e);
                }
            }
        }
        if self.noisy_share_percent != format_number(base.noisy_share * 100.0) {
            match parse_percent(&self.noisy_share_percent) {
                Ok(share) => settings.noisy_share = share,
                Err(e) => {
                    errors.insert(Field::NoisyShare, e);
                }
            }
        }
        if self.noisy_min_days != base.noisy_min_days.to_string() {
            match parse_count(&self.noisy_min_days) {
                Ok(n) => settings.noisy_min_days = n,
                Err(e) => {
                    errors.insert(Field::NoisyMinDays, e);
                }
            }
        }
        if self.noisy_fan_out != base.noisy_fan_out.to_string() {
            match parse_count(&self.noisy_fan_out) {
                Ok(n) => settings.noisy_fan_out = n,
                Err(e) => {
                    errors.insert(Field::NoisyFanOut, e);
                }
            }
        }
        for (text, base_value, field, target) in [
            (
                &self.burst_min_alerts,
                base.burst_min_alerts,
                Field::BurstMinAlerts,
                &mut settings.burst_min_alerts,
            ),
            (
                &self.burst_min_targets,
                base.burst_min_targets,
                Field::BurstMinTargets,
                &mut settings.burst_min_targets,
            ),
        ] {
            if *text != base_value.to_string() {
                match parse_count(text) {
                    Ok(n) => *target = n,
                    Err(e) => {
                        errors.insert(field, e);
                    }
                }
            }
        }
        for (text, base_value, field, target) in [
            (
                &self.burst_window_hours,
                base.burst_window_hours,
                Field::BurstWindowHours,
                &mut settings.burst_window_hours,
            ),
            (
                &self.background_days,
                base.background_days,
                Field::BackgroundDays,
                &mut settings.background_days,
            ),
        ] {
            if *text != format_number(base_value) {
                match parse_positive(text) {
                    Ok(v) => *target = v,
                    Err(e) => {
                        errors.insert(field, e);
                    }
                }
            }
        }
        if self.max_incident_alerts != base.max_incident_alerts.to_string() {
            match parse_count(&self.max_incident_alerts) {
                Ok(n) => settings.max_incident_alerts = n,
                Err(e) => {
                    errors.insert(Field::MaxIncidentAlerts, e);
                }
            }
        }
        settings.link_kinds = self.link_kinds.clone();
        if self.never_link != base.never_link.join("\n") {
            settings.never_link = parse_lines(&self.never_link);
        }
        if errors.is_empty() {
            Ok(settings)
        } else {
            Err(errors)
        }
    }
}

/// The settings as a `--config` file (pretty JSON, every field written out).
pub fn settings_file_json(settings: &Settings) -> String {
    let mut text = serde_json::to_string_pretty(settings).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// Reads a settings file as `--config` does (a UTF-8 byte-order mark is allowed). The error
/// names the problem, e.g. an unknown key.
pub fn parse_settings_file(text: &str) -> Result<Settings, String> {
    Settings::from_json(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// What the browser keeps: the applied settings and grouping.
#[derive(Serialize, Deserialize)]
struct Stored {
    settings: serde_json::Value,
    grouping: Grouping,
}

pub fn stored_json(settings: &Settings, grouping: Grouping) -> String {
    let stored = Stored {
        settings: serde_json::to_value(settings).unwrap_or_default(),
        grouping,
    };
    serde_json::to_string(&stored).unwrap_or_default()
}

/// The kept settings, checked as a settings file is; `None` when they no longer read (an older
/// version's fields, a hand edit), and the defaults apply.
pub fn parse_stored(text: &str) -> Option<(Settings, Grouping)> {
    let stored: Stored = serde_json::from_str(text).ok()?;
    let settings = Settings::from_json(&stored.settings.to_string()).ok()?;
    Some((settings, stored.grouping))
}

/// Whether these are the defaults (then nothing needs keeping).
pub fn is_default(settings: &Settings, grouping: Grouping) -> bool {
    *settings == Settings::default() && grouping == Grouping::default()
}

/// The panel (wasm32 only): a side sheet over the queue, opened from its toolbar.
#[cfg(target_arch = "wasm32")]
mod view {
    use super::*;
    use crate::ui::state::Recorrelation;
    use alertweave_text::i18n::{self, t, Lang, Text};
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use web_sys::{Blob, HtmlInputElement, HtmlTextAreaElement};
    use yew::prelude::*;

    #[derive(Properties, PartialEq)]
    pub struct SettingsPanelProps {
        pub lang: Lang,
        /// The settings in use; `None` until the worker said.
        pub applied: Option<(Settings, Grouping)>,
        /// A re-correlation is under way.
        pub busy: bool,
        /// What the last re-correlation did.
        pub outcome: Option<Recorrelation>,
        /// Re-correlates with these settings (the app keeps them and asks the worker).
        pub on_apply: Callback<(Settings, Grouping)>,
        pub on_close: Callback<()>,
    }

    /// The form as Yew state: every edit is applied to the latest value, never to a stale copy.
    #[derive(Clone, PartialEq, Default)]
    struct FormState(Option<SettingsForm>);

    enum FormAction {
        Reset(Option<SettingsForm>),
        Edit(FormEdit),
    }

    impl Reducible for FormState {
        type Action = FormAction;
        fn reduce(self: Rc<Self>, action: FormAction) -> Rc<Self> {
            match action {
                FormAction::Reset(form) => Rc::new(FormState(form)),
                FormAction::Edit(edit) => {
                    let mut form = self.0.clone();
                    if let Some(form) = &mut form {
                        form.edit(edit);
                    }
                    Rc::new(FormState(form))
                }
            }
        }
    }

    /// The outcome of reading a settings file.
    #[derive(Clone, PartialEq)]
    enum FileNotice {
        Loaded(String),
        Failed(String),
    }

    fn form_of(applied: &Option<(Settings, Grouping)>) -> Option<SettingsForm> {
        applied.as_ref().map(|(s, g)| SettingsForm::new(s, *g))
    }

    fn input_value(event: &InputEvent) -> String {
        event
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            .map(|i| i.value())
            .unwrap_or_default()
    }

    fn field_id(field: Field) -> String {
        match field {
            Field::Window(kind) => format!("settings-window-{}", kind.as_str()),
            Field::NoisyMinAlerts => "settings-noisy-min-alerts".to_owned(),
            Field::NoisyShare => "settings-noisy-share".to_owned(),
            Field::NoisyMinDays => "settings-noisy-min-days".to_owned(),
            Field::NoisyFanOut => "settings-noisy-fan-out".to_owned(),
            Field::BurstMinAlerts => "settings-burst-min-alerts".to_owned(),
            Field::BurstWindowHours => "settings-burst-window-hours".to_owned(),
            Field::BurstMinTargets => "settings-burst-min-targets".to_owned(),
            Field::BackgroundDays => "settings-background-days".to_owned(),
            Field::MaxIncidentAlerts => "settings-max-incident-alerts".to_owned(),
        }
    }

    #[function_component(SettingsPanel)]
    pub fn settings_panel(props: &SettingsPanelProps) -> Html {
        let lang = props.lang;
        let form = use_reducer({
            let applied = props.applied.clone();
            move || FormState(form_of(&applied))
        });
        let notice = use_state(|| None::<FileNotice>);
        // The last download's object URL, revoked by the next download or on closing.
        let download_url = use_mut_ref(|| None::<String>);
        let heading = use_node_ref();

        // The settings in use changed (the worker's first answer, an Apply, a reset): the form
        // shows them.
        {
            let form = form.dispatcher();
            use_effect_with(props.applied.clone(), move |applied| {
                form.dispatch(FormAction::Reset(form_of(applied)));
            });
        }
        // Focus moves into the panel when it opens; Esc closes it from anywhere on the page.
        {
            let heading = heading.clone();
            let on_close = props.on_close.clone();
            let download_url = download_url.clone();
            use_effect_with((), move |_| {
                if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                    let _ = h.focus();
                }
                let listener = web_sys::window()
                    .and_then(|w| w.document())
                    .map(|document| {
                        gloo::events::EventListener::new(&document, "keydown", move |event| {
                            if let Some(key) = event.dyn_ref::<KeyboardEvent>() {
                                if key.key() == "Escape" {
                                    on_close.emit(());
                                }
                            }
                        })
                    });
                move || {
                    drop(listener);
                    if let Some(url) = download_url.borrow_mut().take() {
                        let _ = web_sys::Url::revoke_object_url(&url);
                    }
                }
            });
        }

        let close = {
            let on_close = props.on_close.clone();
            Callback::from(move |_: MouseEvent| on_close.emit(()))
        };
        let header = html! {
            <header class="settings-head">
                <h2 id="settings-title" tabindex="-1" ref={heading}>{ t(lang, Text::SettingsTitle) }</h2>
                <button type="button" class="close" data-testid="settings-close" aria-label={t(lang, Text::SettingsClose)}
                    title={t(lang, Text::SettingsClose)} onclick={close}>{ "×" }</button>
            </header>
        };

        let Some(current) = form.0.clone() else {
            return html! {
                <aside class="settings-panel" id="settings-panel" data-testid="settings-panel" role="dialog" aria-labelledby="settings-title">
                    { header }
                    <div class="settings-body"><p class="muted">{ t(lang, Text::SettingsReading) }</p></div>
                </aside>
            };
        };
        let parsed = current.to_settings();
        let errors = parsed.as_ref().err().cloned().unwrap_or_default();
        let pending = match (&parsed, &props.applied) {
            (Ok(new), Some((old, old_grouping))) => {
                changes(old, *old_grouping, new, current.grouping)
            }
            _ => Vec::new(),
        };
        let busy = props.busy;

        let edit = |make: fn(String) -> FormEdit| {
            let form = form.dispatcher();
            Callback::from(move |e: InputEvent| {
                form.dispatch(FormAction::Edit(make(input_value(&e))))
            })
        };
        let set_grouping = |grouping: Grouping| {
            let form = form.dispatcher();
            Callback::from(move |_: Event| {
                form.dispatch(FormAction::Edit(FormEdit::Grouping(grouping)))
            })
        };
        let error_of = |field: Field| {
            errors.get(&field).map(|invalid| {
                html! {
                    <span class="field-error" id={format!("{}-error", field_id(field))}>
                        { i18n::invalid_text(lang, *invalid) }
                    </span>
                }
            })
        };
        let described_by = |field: Field, hint: Option<&str>| -> Option<String> {
            let mut ids: Vec<String> = hint.map(str::to_owned).into_iter().collect();
            if errors.contains_key(&field) {
                ids.push(format!("{}-error", field_id(field)));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        };

        let kind_rows = EntityKind::ALL.into_iter().map(|kind| {
            let field = Field::Window(kind);
            let link_id = format!("settings-link-{}", kind.as_str());
            let on_link = {
                let form = form.dispatcher();
                Callback::from(move |e: Event| {
                    let checked = e
                        .target()
                        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                        .is_some_and(|i| i.checked());
                    form.dispatch(FormAction::Edit(FormEdit::Links(kind, checked)))
                })
            };
            let on_window = {
                let form = form.dispatcher();
                Callback::from(move |e: InputEvent| {
                    form.dispatch(FormAction::Edit(FormEdit::Window(kind, input_value(&e))))
                })
            };
            let links = current.link_kinds.contains(&kind);
            let invalid = errors.contains_key(&field);
            html! {
                <tr class={classes!((!links).then_some("off"))}>
                    <td><label for={link_id.clone()}>{ i18n::kind_name(lang, kind) }</label></td>
                    <td class="center">
                        <input type="checkbox" id={link_id.clone()} data-testid={link_id.clone()}
                            checked={links} onchange={on_link} />
                    </td>
                    <td>
                        <input type="number" min="0" step="any" inputmode="decimal" class={classes!("num-input", invalid.then_some("invalid"))}
                            id={field_id(field)} data-testid={field_id(field)}
                            aria-label={i18n::window_label(lang, kind)}
                            aria-invalid={invalid.to_string()}
                            aria-describedby={described_by(field, None)}
                            value={current.windows.get(&kind).cloned().unwrap_or_default()}
                            oninput={on_window} />
                        { for error_of(field) }
                    </td>
                </tr>
            }
        });

        let number_field = |field: Field,
                            label: Text,
                            hint: Text,
                            value: &str,
                            make: fn(String) -> FormEdit| {
            let id = field_id(field);
            let hint_id = format!("{id}-hint");
            let invalid = errors.contains_key(&field);
            html! {
                <div class="field">
                    <label for={id.clone()}>{ t(lang, label) }</label>
                    <input type="number" min="0" step="any" inputmode="decimal" class={classes!("num-input", invalid.then_some("invalid"))}
                        id={id.clone()} data-testid={id.clone()}
                        aria-invalid={invalid.to_string()}
                        aria-describedby={described_by(field, Some(&hint_id))}
                        value={value.to_owned()} oninput={edit(make)} />
                    { for error_of(field) }
                    <p class="hint" id={hint_id}>{ t(lang, hint) }</p>
                </div>
            }
        };

        let on_never_link = {
            let form = form.dispatcher();
            Callback::from(move |e: InputEvent| {
                let value = e
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
                    .map(|a| a.value())
                    .unwrap_or_default();
                form.dispatch(FormAction::Edit(FormEdit::NeverLink(value)))
            })
        };

        let on_submit = {
            let on_apply = props.on_apply.clone();
            let parsed = parsed.clone();
            let grouping = current.grouping;
            let notice = notice.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                if busy {
                    return;
                }
                if let Ok(settings) = &parsed {
                    notice.set(None);
                    on_apply.emit((settings.clone(), grouping));
                }
            })
        };
        let on_reset = {
            let on_apply = props.on_apply.clone();
            let form = form.dispatcher();
            let notice = notice.clone();
            Callback::from(move |_: MouseEvent| {
                let defaults = Settings::default();
                form.dispatch(FormAction::Reset(Some(SettingsForm::new(
                    &defaults,
                    Grouping::default(),
                ))));
                notice.set(None);
                on_apply.emit((defaults, Grouping::default()));
            })
        };
        let on_download = {
            let parsed = parsed.clone();
            let download_url = download_url.clone();
            Callback::from(move |_: MouseEvent| {
                if let Ok(settings) = &parsed {
                    let url = download(&settings_file_json(settings), SETTINGS_FILE_NAME);
                    if let Some(old) = download_url.replace(url) {
                        let _ = web_sys::Url::revoke_object_url(&old);
                    }
                }
            })
        };
        let on_file = {
            let form = form.dispatcher();
            let notice = notice.clone();
            Callback::from(move |e: Event| {
                let Some(input) = e
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                else {
                    return;
                };
                let Some(file) = input.files().and_then(|list| list.get(0)) else {
                    return;
                };
                input.set_value("");
                let name = file.name();
                if file.size() > MAX_SETTINGS_FILE_BYTES as f64 {
                    notice.set(Some(FileNotice::Failed(i18n::settings_file_error(
                        lang,
                        &name,
                        t(lang, Text::SettingsFileTooLarge),
                    ))));
                    return;
                }
                let form = form.clone();
                let notice = notice.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let text = wasm_bindgen_futures::JsFuture::from(Blob::from(file).text())
                        .await
                        .ok()
                        .and_then(|v| v.as_string());
                    let result = match text {
                        Some(text) => parse_settings_file(&text),
                        None => Err(t(lang, Text::SettingsFileUnreadable).to_owned()),
                    };
                    match result {
                        Ok(settings) => {
                            form.dispatch(FormAction::Edit(FormEdit::File(settings)));
                            notice.set(Some(FileNotice::Loaded(i18n::settings_file_loaded(
                                lang, &name,
                            ))));
                        }
                        Err(problem) => notice.set(Some(FileNotice::Failed(
                            i18n::settings_file_error(lang, &name, &problem),
                        ))),
                    }
                });
            })
        };

        let can_apply = parsed.is_ok() && props.applied.is_some() && !busy;
        let grouping_choice =
            |grouping: Grouping, testid: &'static str, label: Text, hint: Text| {
                let hint_id = format!("{testid}-hint");
                html! {
                    <label class="choice">
                        <input type="radio" name="settings-grouping" data-testid={testid}
                            checked={current.grouping == grouping} onchange={set_grouping(grouping)}
                            aria-describedby={hint_id.clone()} />
                        <span>
                            <span class="choice-label">{ t(lang, label) }</span>
                            <span class="hint" id={hint_id}>{ t(lang, hint) }</span>
                        </span>
                    </label>
                }
            };

        html! {
            <aside class="settings-panel" id="settings-panel" data-testid="settings-panel" role="dialog"
                aria-labelledby="settings-title" aria-busy={busy.to_string()}>
                { header }
                <form class="settings-form" novalidate=true onsubmit={on_submit}>
                <div class="settings-body">
                    <p class="hint">{ t(lang, Text::SettingsIntro) }</p>
                    <fieldset class="plain" disabled={busy}>
                        <fieldset class="settings-group">
                            <legend>{ t(lang, Text::GroupingLegend) }</legend>
                            { grouping_choice(Grouping::Correlate, "settings-grouping-correlate", Text::GroupingCorrelate, Text::GroupingCorrelateHint) }
                            { grouping_choice(Grouping::SourceIncidents, "settings-grouping-source", Text::GroupingSource, Text::GroupingSourceHint) }
                        </fieldset>
                        <fieldset class="settings-group">
                            <legend>{ t(lang, Text::KindsLegend) }</legend>
                            <p class="hint">{ t(lang, Text::KindsHint) }</p>
                            <table class="settings-kinds">
                                <thead><tr>
                                    <th scope="col">{ t(lang, Text::ColEntityKind) }</th>
                                    <th scope="col" class="center">{ t(lang, Text::ColLinks) }</th>
                                    <th scope="col">{ t(lang, Text::ColWindowHours) }</th>
                                </tr></thead>
                                <tbody>{ for kind_rows }</tbody>
                            </table>
                        </fieldset>
                        <fieldset class="settings-group">
                            <legend>{ t(lang, Text::NoisyLegend) }</legend>
                            <p class="hint">{ t(lang, Text::NoisyHint) }</p>
                            { number_field(Field::NoisyMinAlerts, Text::NoisyMinAlerts, Text::NoisyMinAlertsHint, &current.noisy_min_alerts, FormEdit::NoisyMinAlerts) }
                            { number_field(Field::NoisyShare, Text::NoisyShare, Text::NoisyShareHint, &current.noisy_share_percent, FormEdit::NoisyShare) }
                            { number_field(Field::NoisyMinDays, Text::NoisyMinDays, Text::NoisyMinDaysHint, &current.noisy_min_days, FormEdit::NoisyMinDays) }
                            { number_field(Field::NoisyFanOut, Text::NoisyFanOut, Text::NoisyFanOutHint, &current.noisy_fan_out, FormEdit::NoisyFanOut) }
                            { number_field(Field::MaxIncidentAlerts, Text::MaxIncidentAlerts, Text::MaxIncidentAlertsHint, &current.max_incident_alerts, FormEdit::MaxIncidentAlerts) }
                        </fieldset>
                        <fieldset class="settings-group">
                            <legend>{ t(lang, Text::BurstLegend) }</legend>
                            <p class="hint">{ t(lang, Text::BurstHint) }</p>
                            { number_field(Field::BurstMinAlerts, Text::BurstMinAlerts, Text::BurstMinAlertsHint, &current.burst_min_alerts, FormEdit::BurstMinAlerts) }
                            { number_field(Field::BurstWindowHours, Text::BurstWindowHours, Text::BurstWindowHoursHint, &current.burst_window_hours, FormEdit::BurstWindowHours) }
                            { number_field(Field::BurstMinTargets, Text::BurstMinTargets, Text::BurstMinTargetsHint, &current.burst_min_targets, FormEdit::BurstMinTargets) }
                            { number_field(Field::BackgroundDays, Text::BackgroundDays, Text::BackgroundDaysHint, &current.background_days, FormEdit::BackgroundDays) }
                        </fieldset>
                        <div class="field settings-group">
                            <label for="settings-never-link" class="group-label">{ t(lang, Text::NeverLinkLabel) }</label>
                            <p class="hint" id="settings-never-link-hint">{ t(lang, Text::NeverLinkHint) }</p>
                            <textarea id="settings-never-link" data-testid="settings-never-link" rows="4" spellcheck="false"
                                aria-describedby="settings-never-link-hint" value={current.never_link.clone()} oninput={on_never_link} />
                        </div>
                        <div class="settings-file">
                            <button type="button" class="button" data-testid="settings-download" disabled={parsed.is_err()} onclick={on_download}>
                                { t(lang, Text::SettingsDownload) }
                            </button>
                            <label class="file-picker button">
                                { t(lang, Text::SettingsLoadFile) }
                                <input type="file" accept=".json,application/json" data-testid="settings-file" onchange={on_file} />
                            </label>
                            <p class="hint">{ t(lang, Text::SettingsFileHint) }</p>
                        </div>
                    </fieldset>
                </div>
                <footer class="settings-foot">
                    if let Some(FileNotice::Failed(message)) = &*notice {
                        <p class="error" role="alert" data-testid="settings-error">{ message.clone() }</p>
                    }
                    if let Some(FileNotice::Loaded(message)) = &*notice {
                        <p class="notice" role="status">{ message.clone() }</p>
                    }
                    if !errors.is_empty() {
                        <p class="field-error" role="alert">{ t(lang, Text::SettingsFixErrors) }</p>
                    } else if !pending.is_empty() && !busy {
                        <div class="pending" data-testid="settings-pending">
                            <span class="pending-title">{ t(lang, Text::PendingChanges) }</span>
                            <ul>{ for pending.iter().map(|c| html! { <li>{ i18n::change_text(lang, c) }</li> }) }</ul>
                        </div>
                    }
                    if let Some(outcome) = props.outcome.as_ref().filter(|_| !busy) {
                        <div class="outcome" role="status" data-testid="settings-result">
                            <strong>{ i18n::recorrelated_text(lang, outcome.before, outcome.after) }</strong>
                            if outcome.changes.is_empty() {
                                <span class="muted">{ format!(" · {}", t(lang, Text::SettingsUnchanged)) }</span>
                            } else {
                                <ul>{ for outcome.changes.iter().map(|c| html! { <li>{ i18n::change_text(lang, c) }</li> }) }</ul>
                            }
                        </div>
                    }
                    <div class="actions">
                        <button type="submit" class="button primary" data-testid="settings-apply" disabled={!can_apply}>
                            { if busy { t(lang, Text::SettingsApplying) } else { t(lang, Text::SettingsApply) } }
                        </button>
                        <button type="button" class="button" data-testid="settings-reset" disabled={busy || props.applied.is_none()} onclick={on_reset}>
                            { t(lang, Text::SettingsReset) }
                        </button>
                    </div>
                </footer>
                </form>
            </aside>
        }
    }

    /// Saves `text` as a file through a Blob URL of this page (no request leaves the tab);
    /// returns the URL to revoke later.
    fn download(text: &str, name: &str) -> Option<String> {
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/json");
        let blob = Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
        crate::ui::persist::download(&blob, name)
    }

    /// The settings this browser kept (`None`: none, or no longer readable, then forgotten).
    pub fn kept_settings() -> Option<(Settings, Grouping)> {
        let storage = web_sys::window()?.local_storage().ok()??;
        let text = storage.get_item(STORAGE_KEY).ok()??;
        let kept = parse_stored(&text);
        if kept.is_none() {
            let _ = storage.remove_item(STORAGE_KEY);
        }
        kept
    }

    /// Keeps the applied settings for the next visit (the defaults need no keeping).
    pub fn keep_settings(settings: &Settings, grouping: Grouping) {
        let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
            return;
        };
        let _ = if is_default(settings, grouping) {
            storage.remove_item(STORAGE_KEY)
        } else {
            storage.set_item(STORAGE_KEY, &stored_json(settings, grouping))
        };
    }
}
#[cfg(target_arch = "wasm32")]
pub use view::{keep_settings, kept_settings, SettingsPanel};

#[cfg(test)]
mod tests {
    use super::*;
    use alertweave_core::correlate::input::{changes, Change};

    #[test]
    fn the_campaign_fields_edit_their_settings_and_refuse_a_zero_window() {
        let mut form = SettingsForm::new(&Settings::default(), Grouping::Correlate);
        form.edit(FormEdit::BurstMinAlerts("8".to_owned()));
        form.edit(FormEdit::BackgroundDays("30".to_owned()));
        let settings = form.to_settings().expect("valid values");
        assert_eq!(settings.burst_min_alerts, 8);
        assert_eq!(settings.background_days, 30.0);
        let list = changes(
            &Settings::default(),
            Grouping::Correlate,
            &settings,
            Grouping::Correlate,
        );
        assert_eq!(
            list,
            vec![
                Change::BurstMinAlerts { from: 5, to: 8 },
                Change::BackgroundDays {
                    from: 14.0,
                    to: 30.0
                }
            ]
        );
        form.edit(FormEdit::BurstWindowHours("0".to_owned()));
        assert_eq!(
            form.errors().get(&Field::BurstWindowHours),
            Some(&Invalid::Positive)
        );
    }

    #[test]
    fn an_untouched_form_gives_back_its_settings_exactly() {
        // Values that do not survive a trip through text unchanged.
        let mut settings = Settings {
            noisy_share: 0.123_456_789_123,
            never_link: vec!["  Scanner ".to_owned(), String::new()],
            ..Settings::default()
        };
        settings.time_window_hours.insert(EntityKind::Ip, 1.0 / 3.0);
        let form = SettingsForm::new(&settings, Grouping::SourceIncidents);
        assert_eq!(form.to_settings(), Ok(settings.clone()));
        assert_eq!(form.grouping, Grouping::SourceIncidents);
        assert!(form.errors().is_empty());
        assert!(changes(
            &settings,
            Grouping::Correlate,
            &settings,
            Grouping::Correlate
        )
        .is_empty());
    }

    #[test]
    fn edits_change_only_their_field_of_a_copy() {
        let base = Settings::default();
        let mut form = SettingsForm::new(&base, Grouping::Correlate);
        assert_eq!(form.windows[&EntityKind::Device], "24");
        assert_eq!(form.noisy_share_percent, "10");
        form.windows.insert(EntityKind::Device, "0".to_owned());
        form.noisy_share_percent = "5".to_owned();
        form.noisy_min_days = "0".to_owned();
        form.link_kinds.remove(&EntityKind::Ip);
        form.link_kinds.insert(EntityKind::Other);
        form.never_link = "10.0.0.9\n\n  scanner-01 \n".to_owned();
        let edited = form.to_settings().expect("valid form");

        let mut expected = base.clone();
        expected.time_window_hours.insert(EntityKind::Device, 0.0);
        expected.noisy_share = 0.05;
        expected.noisy_min_days = 0;
        expected.link_kinds.remove(&EntityKind::Ip);
        expected.link_kinds.insert(EntityKind::Other);
        expected.never_link = vec!["10.0.0.9".to_owned(), "scanner-01".to_owned()];
        assert_eq!(edited, expected);
        // What the CLI would read back.
        assert_eq!(
            parse_settings_file(&settings_file_json(&edited)),
            Ok(edited.clone())
        );
    }

    #[test]
    fn edits_and_a_file_replace_what_they_name() {
        let mut form = SettingsForm::new(&Settings::default(), Grouping::Correlate);
        form.edit(FormEdit::Grouping(Grouping::SourceIncidents));
        form.edit(FormEdit::Links(EntityKind::Other, true));
        form.edit(FormEdit::Links(EntityKind::Device, false));
        form.edit(FormEdit::Window(EntityKind::Ip, "12".to_owned()));
        form.edit(FormEdit::NoisyMinAlerts("3".to_owned()));
        form.edit(FormEdit::NoisyShare("50".to_owned()));
        form.edit(FormEdit::NoisyMinDays("2".to_owned()));
        form.edit(FormEdit::NeverLink("a\nb".to_owned()));
        let settings = form.to_settings().expect("valid form");
        assert!(settings.link_kinds.contains(&EntityKind::Other));
        assert!(!settings.link_kinds.contains(&EntityKind::Device));
        assert_eq!(settings.time_window_hours[&EntityKind::Ip], 12.0);
        assert_eq!(
            (
                settings.noisy_min_alerts,
                settings.noisy_share,
                settings.noisy_min_days
            ),
            (3, 0.5, 2)
        );
        assert_eq!(settings.never_link, vec!["a", "b"]);

        let file = Settings {
            noisy_min_days: 9,
            ..Settings::default()
        };
        form.edit(FormEdit::File(file.clone()));
        assert_eq!(form.to_settings(), Ok(file));
        assert_eq!(form.grouping, Grouping::SourceIncidents, "not in the file");
    }

    #[test]
    fn bad_numbers_are_named_by_field() {
        let mut form = SettingsForm::new(&Settings::default(), Grouping::Correlate);
        form.windows.insert(EntityKind::Url, "-1".to_owned());
        form.windows.insert(EntityKind::File, String::new());
        form.noisy_min_alerts = "2.5".to_owned();
        form.noisy_share_percent = "101".to_owned();
        form.noisy_min_days = "NaN".to_owned();
        let errors = form.errors();
        assert_eq!(
            errors.get(&Field::Window(EntityKind::Url)),
            Some(&Invalid::Hours)
        );
        assert_eq!(
            errors.get(&Field::Window(EntityKind::File)),
            Some(&Invalid::Hours)
        );
        assert_eq!(
            errors.get(&Field::NoisyMinAlerts),
            Some(&Invalid::WholeNumber)
        );
        assert_eq!(errors.get(&Field::NoisyShare), Some(&Invalid::Percent));
        assert_eq!(
            errors.get(&Field::NoisyMinDays),
            Some(&Invalid::WholeNumber)
        );
        assert_eq!(errors.len(), 5);
        assert!(form.to_settings().is_err());

        assert_eq!(parse_hours(" 1.5 "), Ok(1.5));
        assert_eq!(parse_hours("inf"), Err(Invalid::Hours));
        assert_eq!(parse_count("10.0"), Ok(10));
        assert_eq!(parse_count("-3"), Err(Invalid::WholeNumber));
        assert_eq!(parse_percent("0"), Ok(0.0));
        assert_eq!(parse_percent("100"), Ok(1.0));
        assert_eq!(parse_percent("-0.1"), Err(Invalid::Percent));
        assert_eq!(format_number(0.07 * 100.0), "7");
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(-0.0), "0");
    }

    #[test]
    fn changes_list_what_moved() {
        let old = Settings::default();
        let mut new = old.clone();
        new.time_window_hours.insert(EntityKind::Device, 0.0);
        new.link_kinds = [EntityKind::Device, EntityKind::Other]
            .into_iter()
            .collect();
        new.noisy_min_alerts = 20;
        new.never_link = vec!["Scanner".to_owned(), "scanner ".to_owned()];
        let list = changes(&old, Grouping::Correlate, &new, Grouping::SourceIncidents);
        assert_eq!(list[0], Change::Grouping(Grouping::SourceIncidents));
        assert_eq!(
            list[1],
            Change::Window {
                kind: EntityKind::Device,
                from: 24.0,
                to: 0.0
            }
        );
        let Change::LinkKindsRemoved(removed) = &list[2] else {
            panic!("{list:?}");
        };
        assert_eq!(removed.len(), old.link_kinds.len() - 1);
        assert!(!removed.contains(&EntityKind::Device));
        assert_eq!(list[3], Change::LinkKindsAdded(vec![EntityKind::Other]));
        assert_eq!(list[4], Change::NoisyMinAlerts { from: 10, to: 20 });
        assert_eq!(list[5], Change::NeverLinkAdded(vec!["Scanner".to_owned()]));
        assert_eq!(list.len(), 6, "{list:?}");
        // The same list the other way round, with the never-link entry removed.
        let back = changes(&new, Grouping::SourceIncidents, &old, Grouping::Correlate);
        assert!(back.contains(&Change::NeverLinkRemoved(vec!["Scanner".to_owned()])));
    }

    #[test]
    fn settings_files_read_as_the_cli_reads_them() {
        assert_eq!(parse_settings_file("{}"), Ok(Settings::default()));
        assert_eq!(
            parse_settings_file("\u{feff}{\"noisy_min_days\": 0}").map(|s| s.noisy_min_days),
            Ok(0)
        );
        let unknown = parse_settings_file(r#"{"noisy_min_alert": 3}"#).expect_err("an unknown key");
        assert!(
            unknown.contains("unknown field `noisy_min_alert`"),
            "{unknown}"
        );
        let range = parse_settings_file(r#"{"noisy_share": 5}"#).expect_err("out of range");
        assert!(range.contains("noisy_share"), "{range}");
        assert!(parse_settings_file("not json").is_err());
        // The download is the whole struct, every field written out.
        let text = settings_file_json(&Settings::default());
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(
            value.as_object().map(|o| o.len()),
            serde_json::to_value(Settings::default())
                .ok()
                .and_then(|v| v.as_object().map(|o| o.len()))
        );
        assert_eq!(value["time_window_hours"]["device"], 24.0);
    }

    #[test]
    fn kept_settings_round_trip_and_bad_ones_are_dropped() {
        let settings = Settings {
            noisy_min_days: 0,
            ..Settings::default()
        };
        let text = stored_json(&settings, Grouping::SourceIncidents);
        assert_eq!(
            parse_stored(&text),
            Some((settings, Grouping::SourceIncidents))
        );
        assert_eq!(parse_stored("{"), None);
        assert_eq!(
            parse_stored(r#"{"settings":{"gone_field":1},"grouping":"correlate"}"#),
            None
        );
        assert!(is_default(&Settings::default(), Grouping::Correlate));
        assert!(!is_default(&Settings::default(), Grouping::SourceIncidents));
    }
}
