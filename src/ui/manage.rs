//! Managing an incident (issue 6): rename, assign, status (resolving asks for a note and resolves
//! the alerts), classification and determination, tags, comments, undo, the activity log, and
//! severity override, merging with other incidents, the incident report, indicators, and the
//! pseudonymization switch for what is exported. Every change is an `edits::Op` sent to the worker, which applies it over
//! the correlation (so it survives re-correlation) and answers with the incident as it is now.

use alertweave_core::edits::Op;
use alertweave_core::model::{AlertId, IncidentId, Severity, Status};
use alertweave_core::query::IncidentView;
use alertweave_engine::protocol::{BulkChange, Candidate, Request};
use alertweave_text::i18n::{self, t, Lang, Text};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// `on` while exports are pseudonymized (this browser's choice, shared by every view).
pub const PSEUDONYMIZE_KEY: &str = "alertweave.pseudonymize";
/// The pseudonymization key (hex), made once in this browser with `crypto.getRandomValues`.
/// One key per browser rather than per workspace: every hand-over this analyst makes (reports
/// of several incidents, later follow-ups, the queue export) names the same person or host by
/// the same alias, whatever was loaded or re-correlated in between; the key never leaves the
/// browser, so an alias cannot be tied back to a name outside it.
pub const PSEUDONYM_KEY_KEY: &str = "alertweave.pseudonym-key";

/// Whether exports are pseudonymized (the kept choice).
pub fn pseudonymizing() -> bool {
    super::app::kept(PSEUDONYMIZE_KEY).as_deref() == Some("on")
}

pub fn set_pseudonymizing(on: bool) {
    super::app::keep(PSEUDONYMIZE_KEY, on.then_some("on"));
}

/// 32 random bytes from the browser's CSPRNG, as hex.
fn random_key() -> Option<String> {
    let window = web_sys::window()?;
    let crypto = js_sys::Reflect::get(&window, &"crypto".into()).ok()?;
    let get_random = js_sys::Reflect::get(&crypto, &"getRandomValues".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let bytes = js_sys::Uint8Array::new_with_length(32);
    get_random.call1(&crypto, &bytes).ok()?;
    Some(hex::encode(bytes.to_vec()))
}

/// The key to send with an export when pseudonymizing is on: the kept one, else a new one
/// (kept). `None` when it is off.
pub fn pseudonym_key(on: bool) -> Option<String> {
    if !on {
        return None;
    }
    if let Some(key) = super::app::kept(PSEUDONYM_KEY_KEY).filter(|k| k.len() == 64) {
        return Some(key);
    }
    let key = random_key()?;
    super::app::keep(PSEUDONYM_KEY_KEY, Some(&key));
    Some(key)
}

/// The pseudonymization switch (`pseudonymize`, or the given hook): a checkbox kept in this
/// browser; `on_change` hears the new value.
#[derive(Properties, PartialEq)]
pub struct PseudonymSwitchProps {
    pub lang: Lang,
    pub on: bool,
    pub hook: &'static str,
    pub on_change: Callback<bool>,
}

#[function_component(PseudonymSwitch)]
pub fn pseudonym_switch(props: &PseudonymSwitchProps) -> Html {
    let lang = props.lang;
    let on_change = props.on_change.clone();
    let onchange = Callback::from(move |e: Event| {
        let on = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|i| i.checked());
        set_pseudonymizing(on);
        on_change.emit(on);
    });
    html! {
        <label class="switch" title={t(lang, Text::PseudonymizeHint)}>
            <input type="checkbox" data-testid={props.hook} checked={props.on} {onchange} />
            <span>{ t(lang, Text::Pseudonymize) }</span>
        </label>
    }
}

/// Defender's classifications and the determinations each allows (Graph's values).
pub const CLASSIFICATIONS: [(&str, &[&str]); 3] = [
    (
        "truePositive",
        &[
            "multiStagedAttack",
            "maliciousUserActivity",
            "compromisedAccount",
            "malware",
            "phishing",
            "unwantedSoftware",
            "other",
        ],
    ),
    (
        "informationalExpectedActivity",
        &[
            "securityTesting",
            "lineOfBusinessApplication",
            "confirmedActivity",
            "other",
        ],
    ),
    (
        "falsePositive",
        &["notMalicious", "notEnoughDataToValidate", "other"],
    ),
];

/// Who made a change: this browser's analyst (there are no accounts in a serverless tool).
pub const AUTHOR: &str = "analyst";

#[derive(Properties, PartialEq)]
pub struct ManageProps {
    pub lang: Lang,
    pub view: Box<IncidentView>,
    /// The last report the worker wrote, when it is this incident's.
    pub report: Option<(String, String)>,
    /// The last indicators the worker wrote, when they are this incident's: count, CSV, STIX.
    pub iocs: Option<(usize, String, String)>,
    /// What the last incident search found (the "Merge with…" picker).
    pub candidates: Option<(String, Vec<Candidate>)>,
    pub on_request: Callback<Request>,
}

/// The value of the control an event came from (empty when there is none).
fn value_of(e: &Event) -> String {
    super::queue::input_value(e).unwrap_or_default()
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Sends one change made while `incident_id` is shown, by this browser's analyst, now.
pub fn edit_sender(on_request: &Callback<Request>, incident_id: &IncidentId) -> Callback<Op> {
    let (on_request, incident_id) = (on_request.clone(), incident_id.clone());
    Callback::from(move |op: Op| {
        on_request.emit(Request::Edit {
            incident_id: incident_id.clone(),
            op,
            author: AUTHOR.to_owned(),
            at_ms: now_ms(),
        })
    })
}

#[function_component(ManagePanel)]
pub fn manage_panel(props: &ManageProps) -> Html {
    let lang = props.lang;
    let incident = &props.view.incident;
    let anchor: AlertId = incident.alert_ids.first().cloned().unwrap_or_default();
    let incident_id: IncidentId = incident.incident_id.clone();
    let managed = props.view.managed.clone().unwrap_or_default();
    let send = edit_sender(&props.on_request, &incident_id);
    let title = use_state(|| incident.title.to_string());
    let owner = use_state(|| incident.assigned_to.to_string());
    let note = use_state(String::new);
    let resolving = use_state(|| false);
    let tag = use_state(String::new);
    let comment = use_state(String::new);
    let pseudonymize = use_state(pseudonymizing);
    let merge_search = use_state(String::new);
    let merge_chosen = use_state(Vec::<IncidentId>::new);
    {
        // A new incident (or its new state) resets the fields to what it says.
        let (title, owner) = (title.clone(), owner.clone());
        let (t0, o0) = (incident.title.to_string(), incident.assigned_to.to_string());
        use_effect_with((t0.clone(), o0.clone()), move |_| {
            title.set(t0);
            owner.set(o0);
        });
    }

    let rename = {
        let (send, title, anchor) = (send.clone(), title.clone(), anchor.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = title.trim().to_owned();
            if !text.is_empty() {
                send.emit(Op::Rename {
                    incident: anchor.clone(),
                    title: text,
                });
            }
        })
    };
    let assign = {
        let (send, owner, anchor) = (send.clone(), owner.clone(), anchor.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            send.emit(Op::Assign {
                incident: anchor.clone(),
                owner: owner.trim().to_owned(),
            });
        })
    };
    let on_status = {
        let (send, anchor, resolving) = (send.clone(), anchor.clone(), resolving.clone());
        Callback::from(move |e: Event| match value_of(&e).as_str() {
            "resolved" => resolving.set(true),
            other => {
                resolving.set(false);
                send.emit(Op::SetStatus {
                    incident: anchor.clone(),
                    status: Status::parse(other),
                    note: String::new(),
                });
            }
        })
    };
    let resolve = {
        let (send, anchor, note, resolving) = (
            send.clone(),
            anchor.clone(),
            note.clone(),
            resolving.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if note.trim().is_empty() {
                return;
            }
            send.emit(Op::SetStatus {
                incident: anchor.clone(),
                status: Status::Resolved,
                note: note.trim().to_owned(),
            });
            resolving.set(false);
            note.set(String::new());
        })
    };
    let classification = incident.classification.to_string();
    let determination = incident.determination.clone();
    let on_classification = {
        let (send, anchor) = (send.clone(), anchor.clone());
        Callback::from(move |e: Event| {
            let value = value_of(&e);
            send.emit(Op::Classify {
                incident: anchor.clone(),
                classification: value,
                determination: String::new(),
            });
        })
    };
    let on_determination = {
        let (send, anchor, classification) = (send.clone(), anchor.clone(), classification.clone());
        Callback::from(move |e: Event| {
            send.emit(Op::Classify {
                incident: anchor.clone(),
                classification: classification.clone(),
                determination: value_of(&e),
            });
        })
    };
    let add_tag = {
        let (send, anchor, tag) = (send.clone(), anchor.clone(), tag.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = tag.trim().to_owned();
            if !text.is_empty() {
                send.emit(Op::Tag {
                    incident: anchor.clone(),
                    tag: text,
                    add: true,
                });
                tag.set(String::new());
            }
        })
    };
    let add_comment = {
        let (send, anchor, comment) = (send.clone(), anchor.clone(), comment.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = comment.trim().to_owned();
            if !text.is_empty() {
                send.emit(Op::Comment {
                    incident: anchor.clone(),
                    text,
                });
                comment.set(String::new());
            }
        })
    };
    let undo = {
        let send = send.clone();
        let last = props.view.last_undoable;
        Callback::from(move |_: MouseEvent| {
            if let Some(seq) = last {
                send.emit(Op::Undo { seq });
            }
        })
    };
    let report_request = {
        let incident_id = incident_id.clone();
        move |on: bool| {
            let offset = -(js_sys::Date::new_0().get_timezone_offset() as i32);
            Request::Report {
                incident_id: incident_id.clone(),
                lang: lang.code().to_owned(),
                utc_offset_minutes: offset,
                at_ms: now_ms(),
                pseudonym_key: pseudonym_key(on),
            }
        }
    };
    let iocs_request = {
        let incident_id = incident_id.clone();
        move |on: bool| Request::Iocs {
            incident_id: incident_id.clone(),
            at_ms: now_ms(),
            pseudonym_key: pseudonym_key(on),
        }
    };
    let make_report = {
        let (on_request, pseudonymize, report_request) = (
            props.on_request.clone(),
            pseudonymize.clone(),
            report_request.clone(),
        );
        Callback::from(move |_: MouseEvent| on_request.emit(report_request(*pseudonymize)))
    };
    let make_iocs = {
        let (on_request, pseudonymize, iocs_request) = (
            props.on_request.clone(),
            pseudonymize.clone(),
            iocs_request.clone(),
        );
        Callback::from(move |_: MouseEvent| on_request.emit(iocs_request(*pseudonymize)))
    };
    // Downloads already made are made again the new way, so none is left with the old one.
    let on_pseudonymize = {
        let on_request = props.on_request.clone();
        let pseudonymize = pseudonymize.clone();
        let (had_report, had_iocs) = (props.report.is_some(), props.iocs.is_some());
        Callback::from(move |on: bool| {
            pseudonymize.set(on);
            if had_report {
                on_request.emit(report_request(on));
            }
            if had_iocs {
                on_request.emit(iocs_request(on));
            }
        })
    };
    let on_severity = {
        let (send, anchor) = (send.clone(), anchor.clone());
        Callback::from(move |e: Event| {
            let value = value_of(&e);
            send.emit(Op::SetSeverity {
                incident: anchor.clone(),
                severity: (!value.is_empty()).then(|| Severity::parse(&value)),
            });
        })
    };
    let severity_override = managed.severity_override;
    let find = {
        let (on_request, merge_search, incident_id) = (
            props.on_request.clone(),
            merge_search.clone(),
            incident_id.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_request.emit(Request::FindIncidents {
                search: merge_search.trim().to_owned(),
                limit: 20,
                near: Some(incident_id.clone()),
            });
        })
    };
    let merge = {
        let (on_request, merge_chosen, incident_id) = (
            props.on_request.clone(),
            merge_chosen.clone(),
            incident_id.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if merge_chosen.is_empty() {
                return;
            }
            let mut ids = vec![incident_id.clone()];
            ids.extend(merge_chosen.iter().cloned());
            on_request.emit(Request::EditMany {
                incident_ids: ids,
                change: BulkChange::Merge,
                author: AUTHOR.to_owned(),
                at_ms: now_ms(),
            });
            merge_chosen.set(Vec::new());
        })
    };
    // Opened, the picker first offers the incidents sharing the most entities with this one.
    let on_picker_toggle = {
        let (on_request, merge_search, incident_id) = (
            props.on_request.clone(),
            merge_search.clone(),
            incident_id.clone(),
        );
        Callback::from(move |e: Event| {
            let open = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|d| d.has_attribute("open"));
            if open && merge_search.trim().is_empty() {
                on_request.emit(Request::FindIncidents {
                    search: String::new(),
                    limit: 20,
                    near: Some(incident_id.clone()),
                });
            }
        })
    };
    // The picker offers what the search found and the related incidents, each once.
    let mut offered: Vec<(IncidentId, String, Severity, usize)> = Vec::new();
    if let Some((_, found)) = &props.candidates {
        for c in found {
            offered.push((
                c.incident_id.clone(),
                c.title.clone(),
                c.severity,
                c.n_alerts,
            ));
        }
    }
    for r in &props.view.related {
        offered.push((
            r.incident_id.clone(),
            r.title.clone(),
            r.severity,
            r.n_alerts,
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    offered.retain(|(id, ..)| *id != incident_id && seen.insert(id.clone()));
    let merge_picker = html! {
        <details class="merge-picker" data-testid="merge-open" ontoggle={on_picker_toggle}>
            <summary class="button">{ t(lang, Text::MergeWith) }</summary>
            <div class="picker-body">
                <p class="hint">{ t(lang, Text::MergeHint) }</p>
                <form class="row" onsubmit={find}>
                    <input type="search" data-testid="merge-search" aria-label={t(lang, Text::FindIncident)} placeholder={t(lang, Text::FindIncident)}
                        value={(*merge_search).clone()} oninput={let s = merge_search.clone(); Callback::from(move |e: InputEvent| s.set(value_of(&e)))} />
                    <button class="button" type="submit" data-testid="merge-find">{ t(lang, Text::FindIncidentButton) }</button>
                </form>
                if offered.is_empty() && props.candidates.is_some() {
                    <p class="hint">{ t(lang, Text::NoCandidates) }</p>
                }
                <ul class="candidates">
                    { for offered.iter().map(|(id, title, severity, n)| {
                        let chosen = merge_chosen.contains(id);
                        let toggle = {
                            let (merge_chosen, id) = (merge_chosen.clone(), id.clone());
                            Callback::from(move |_: Event| {
                                let mut next: Vec<IncidentId> = (*merge_chosen).clone();
                                if let Some(at) = next.iter().position(|x| *x == id) { next.remove(at); } else { next.push(id.clone()); }
                                merge_chosen.set(next);
                            })
                        };
                        html! {
                            <li key={id.to_string()}>
                                <label>
                                    <input type="checkbox" data-testid="merge-candidate" data-incident-id={id.to_string()} checked={chosen} onchange={toggle} />
                                    { super::queue::severity_badge(lang, *severity) }
                                    <span class="candidate-title">{ title.clone() }</span>
                                    <span class="small muted">{ format!(" {} · {}", id, i18n::alerts_count(lang, *n)) }</span>
                                </label>
                            </li>
                        }
                    }) }
                </ul>
                <button class="button primary" type="button" data-testid="merge-confirm" disabled={merge_chosen.is_empty()} onclick={merge}>
                    { format!("{} ({})", t(lang, Text::MergeConfirm), merge_chosen.len()) }
                </button>
            </div>
        </details>
    };
    let determinations: &[&str] = CLASSIFICATIONS
        .iter()
        .find(|(c, _)| *c == classification)
        .map_or(&[], |(_, d)| d);
    let file_stem = format!("alertweave-{}", incident_id);

    html! {
        <section class="card manage" data-testid="manage">
            <h2>{ t(lang, Text::Manage) }</h2>
            <div class="manage-grid">
                <form class="field" onsubmit={rename}>
                    <label for="incident-rename">{ t(lang, Text::RenameLabel) }</label>
                    <div class="row">
                        <input id="incident-rename" data-testid="incident-rename" value={(*title).clone()}
                            oninput={let title = title.clone(); Callback::from(move |e: InputEvent| title.set(value_of(&e)))} />
                        <button class="button" type="submit" data-testid="incident-rename-save">{ t(lang, Text::RenameSave) }</button>
                    </div>
                </form>
                <form class="field" onsubmit={assign}>
                    <label for="incident-assign">{ t(lang, Text::AssignLabel) }</label>
                    <div class="row">
                        <input id="incident-assign" data-testid="incident-assign" value={(*owner).clone()}
                            placeholder={t(lang, Text::AssignPlaceholder)}
                            oninput={let owner = owner.clone(); Callback::from(move |e: InputEvent| owner.set(value_of(&e)))} />
                        <button class="button" type="submit" data-testid="incident-assign-save">{ t(lang, Text::AssignSave) }</button>
                    </div>
                </form>
                <div class="field">
                    <label for="incident-status">{ t(lang, Text::StatusLabel) }</label>
                    // Keyed by what it shows: a change re-creates it, so the choice always
                    // matches the incident (an option's `selected` does not move a used select).
                    <select id="incident-status" data-testid="incident-status" onchange={on_status}
                        key={format!("status-{}-{}", incident.status.as_str(), *resolving)}>
                        { for [Status::New, Status::InProgress, Status::Resolved].into_iter().map(|s| html! {
                            <option value={s.as_str()} selected={if *resolving { s == Status::Resolved } else { s == incident.status }}>{ i18n::status_label(lang, s) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="incident-classification">{ t(lang, Text::ClassificationLabel) }</label>
                    <select id="incident-classification" data-testid="incident-classification" onchange={on_classification}
                        key={format!("class-{classification}")}>
                        <option value="" selected={classification.is_empty()}>{ t(lang, Text::NotClassified) }</option>
                        { for CLASSIFICATIONS.iter().map(|(c, _)| html! {
                            <option value={*c} selected={classification == *c}>{ i18n::classification_text(lang, c) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="incident-determination">{ t(lang, Text::DeterminationLabel) }</label>
                    <select id="incident-determination" data-testid="incident-determination" onchange={on_determination} disabled={determinations.is_empty()}
                        key={format!("det-{classification}-{determination}")}>
                        <option value="" selected={determination.is_empty()}>{ "—" }</option>
                        { for determinations.iter().map(|d| html! {
                            <option value={*d} selected={determination == *d}>{ i18n::determination_text(lang, d) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="incident-severity">{ t(lang, Text::ColSeverity) }</label>
                    <select id="incident-severity" data-testid="incident-severity" onchange={on_severity}
                        key={format!("sev-{}", severity_override.map_or("", |s| s.as_str()))}>
                        <option value="" selected={severity_override.is_none()}>{ t(lang, Text::SeverityFromAlerts) }</option>
                        { for [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Informational].into_iter().map(|s| html! {
                            <option value={s.as_str()} selected={severity_override == Some(s)}>{ i18n::severity_label(lang, s) }</option>
                        }) }
                    </select>
                </div>
                <form class="field" onsubmit={add_tag}>
                    <label for="incident-tags">{ t(lang, Text::TagsLabel) }</label>
                    <input id="incident-tags" data-testid="incident-tags" value={(*tag).clone()} placeholder={t(lang, Text::TagPlaceholder)}
                        oninput={let tag = tag.clone(); Callback::from(move |e: InputEvent| tag.set(value_of(&e)))} />
                    <div class="tags">
                        { for managed.tags.iter().map(|name| {
                            let (send, anchor, name2) = (send.clone(), anchor.clone(), name.clone());
                            let remove = Callback::from(move |_: MouseEvent| send.emit(Op::Tag { incident: anchor.clone(), tag: name2.clone(), add: false }));
                            html! { <span class="chip" data-testid="incident-tag">{ name.clone() }
                                <button type="button" class="chip-x" aria-label={format!("{}: {name}", t(lang, Text::RemoveTag))} onclick={remove}>{ "×" }</button></span> }
                        }) }
                    </div>
                </form>
            </div>
            if *resolving {
                <form class="resolve" onsubmit={resolve}>
                    <label for="resolve-note">{ t(lang, Text::ResolveNote) }</label>
                    <textarea id="resolve-note" data-testid="resolve-note" rows="2" value={(*note).clone()}
                        oninput={let note = note.clone(); Callback::from(move |e: InputEvent| note.set(value_of(&e)))} />
                    <button class="button primary" type="submit" data-testid="resolve-confirm" disabled={note.trim().is_empty()}>{ t(lang, Text::ResolveConfirm) }</button>
                </form>
            }
            if !managed.resolution_note.is_empty() {
                <p class="hint">{ managed.resolution_note.clone() }</p>
            }
            <div class="manage-actions">
                <button class="button" data-testid="undo" onclick={undo} disabled={props.view.last_undoable.is_none()}>{ t(lang, Text::UndoLast) }</button>
                { merge_picker }
                <button class="button" data-testid="report-make" onclick={make_report}>{ t(lang, Text::ReportPrepare) }</button>
                <button class="button" data-testid="iocs-make" onclick={make_iocs}>{ t(lang, Text::IocsPrepare) }</button>
                <PseudonymSwitch {lang} on={*pseudonymize} hook="pseudonymize" on_change={on_pseudonymize} />
                if let Some((markdown, html)) = &props.report {
                    <a class="button" data-testid="report-download" download={format!("{file_stem}.html")}
                        href={data_url("text/html", html)}>{ t(lang, Text::ReportHtml) }</a>
                    <a class="button" data-testid="report-download-md" download={format!("{file_stem}.md")}
                        href={data_url("text/markdown", markdown)}>{ t(lang, Text::ReportMarkdown) }</a>
                }
            </div>
            if let Some((count, csv, stix)) = &props.iocs {
                <div class="manage-actions">
                    if *count == 0 {
                        <span class="hint" data-testid="iocs-none">{ t(lang, Text::IocsNone) }</span>
                    } else {
                        <a class="button" data-testid="iocs-download-csv" download={format!("{file_stem}-iocs.csv")}
                            href={data_url("text/csv", csv)}>{ format!("{} · {count}", t(lang, Text::IocsCsv)) }</a>
                        <a class="button" data-testid="iocs-download-stix" download={format!("{file_stem}-iocs.stix.json")}
                            href={data_url("application/json", stix)}>{ t(lang, Text::IocsStix) }</a>
                    }
                </div>
            }
            <div class="manage-columns">
                <section>
                    <h3>{ t(lang, Text::CommentsHeading) }</h3>
                    if managed.comments.is_empty() { <p class="hint">{ t(lang, Text::NoComments) }</p> }
                    <ul class="comments">
                        { for managed.comments.iter().map(|c| html! {
                            <li data-testid="comment"><span class="muted small">{ format!("{} · {}", c.author, c.created.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default()) }</span><div>{ c.text.clone() }</div></li>
                        }) }
                    </ul>
                    <form onsubmit={add_comment} class="comment-form">
                        <textarea data-testid="comment-input" rows="2" aria-label={t(lang, Text::CommentPlaceholder)} placeholder={t(lang, Text::CommentPlaceholder)}
                            value={(*comment).clone()} oninput={let comment = comment.clone(); Callback::from(move |e: InputEvent| comment.set(value_of(&e)))} />
                        <button class="button" type="submit" data-testid="comment-submit">{ t(lang, Text::CommentSubmit) }</button>
                    </form>
                </section>
                <section>
                    <h3>{ t(lang, Text::ActivityHeading) }</h3>
                    <ol class="activity" data-testid="activity">
                        { for managed.activity.iter().rev().map(|a| html! {
                            <li class={classes!(a.undone.then_some("undone"))}>
                                <span class="muted small">{ format!("#{} · {} · {}", a.seq, a.author, a.at.format("%Y-%m-%d %H:%M UTC")) }</span>
                                <div>{ i18n::change_description(lang, &a.op) }{ if a.undone { format!(" ({})", t(lang, Text::ActivityUndone)) } else { String::new() } }</div>
                            </li>
                        }) }
                    </ol>
                </section>
            </div>
        </section>
    }
}

/// A `data:` URL of a text (same-origin, nothing fetched), for the report's download links.
pub fn data_url(mime: &str, text: &str) -> String {
    let encoded = js_sys::encode_uri_component(text);
    format!("data:{mime};charset=utf-8,{}", String::from(encoded))
}
