//! The incident tabs other than the graph: each a plain view of the incident's real data.

use super::app::time_text;
use super::manage::CLASSIFICATIONS;
use super::queue::severity_badge;
use super::route::{Route, Tab};
use alertweave_core::correlate::naming;
use alertweave_core::edits::Op;
use alertweave_core::model::{AlertId, EntityKind, Status, Verdict};
use alertweave_core::query::{EntityView, IncidentView};
use alertweave_engine::protocol::{Candidate, Request};
use alertweave_text::format::TimeMode;
use alertweave_text::i18n::{self, t, Lang, Text};
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use yew::prelude::*;

pub fn verdict_badge(lang: Lang, verdict: Verdict) -> Html {
    html! { <span class={classes!("verdict", format!("verdict-{}", verdict.as_str()))}>{ i18n::verdict_label(lang, verdict) }</span> }
}

/// "device ws-1" / "apparaat ws-1", or the id when the incident does not hold the entity.
fn entity_name(lang: Lang, view: &IncidentView, entity_id: &str) -> String {
    view.entities
        .iter()
        .find(|e| e.entity.entity_id.as_str() == entity_id)
        .map_or_else(
            || entity_id.to_owned(),
            |e| i18n::entity_ref(lang, e.entity.kind, &e.entity.name),
        )
}

fn alert_title(view: &IncidentView, alert_id: &str) -> String {
    view.alerts
        .iter()
        .find(|a| a.alert.alert_id.as_str() == alert_id)
        .map_or_else(|| alert_id.to_owned(), |a| a.alert.title.to_string())
}

pub fn summary(lang: Lang, time_mode: TimeMode, view: &IncidentView) -> Html {
    let count_kind = |kind: EntityKind| {
        view.entities
            .iter()
            .filter(|e| e.entity.kind == kind && !e.entity.builtin)
            .count()
    };
    let mut verdicts: BTreeMap<Verdict, usize> = BTreeMap::new();
    for e in &view.entities {
        *verdicts.entry(e.verdict).or_default() += 1;
    }
    let noisy: Vec<&EntityView> = view
        .entities
        .iter()
        .filter(|e| e.unlinked_reason.is_some())
        .collect();
    let receipts = &view.incident.receipts;
    html! {
        <div class="summary-grid">
            <section class="card wide">
                <h2>{ t(lang, Text::AttackStory) }</h2>
                <ol class="story">
                    { for view.alerts.iter().map(|a| html! {
                        <li>
                            <span class="time">{ time_text(lang, a.alert.first_activity, time_mode) }</span>
                            if !a.alert.category.is_empty() { <span class="chip">{ i18n::category_text(lang, &a.alert.category) }</span> }
                            <span>{ a.alert.title.to_string() }</span>
                            { severity_badge(lang, a.alert.severity) }
                        </li>
                    }) }
                </ol>
            </section>
            <section class="card">
                <h2>{ t(lang, Text::ColCategories) }</h2>
                <p>{ for view.incident.categories.iter().map(|c| html! { <span class="chip">{ i18n::category_text(lang, c) }</span> }) }</p>
                <h2>{ t(lang, Text::Scope) }</h2>
                <ul class="scope">
                    <li>{ format!("{}: {}", t(lang, Text::TabDevices), count_kind(EntityKind::Device)) }</li>
                    <li>{ format!("{}: {}", t(lang, Text::TabUsers), count_kind(EntityKind::User)) }</li>
                    <li>{ format!("{}: {}", t(lang, Text::TabMailboxes), count_kind(EntityKind::Mailbox)) }</li>
                    <li>{ format!("{}: {}", i18n::kind_name(lang, EntityKind::CloudApp), count_kind(EntityKind::CloudApp)) }</li>
                    <li>{ format!("{}: {}", i18n::kind_name(lang, EntityKind::Ip), count_kind(EntityKind::Ip)) }</li>
                    <li>{ format!("{}: {}", t(lang, Text::ColAlerts), view.alerts.len()) }</li>
                </ul>
                <h2>{ t(lang, Text::EvidenceByVerdict) }</h2>
                <ul class="scope">
                    { for verdicts.iter().rev().map(|(v, n)| html! { <li>{ verdict_badge(lang, *v) }{ format!(" {n}") }</li> }) }
                </ul>
            </section>
            if !view.campaigns.is_empty() {
                <section class="card wide" data-testid="campaigns">
                    <h2>{ t(lang, Text::Campaigns) }</h2>
                    { for view.campaigns.iter().map(|c| html! {
                        <div class="campaign">
                            <p class="campaign-sentence" data-testid="campaign-sentence">
                                <span class="chip attacker">{ t(lang, Text::Attacker) }</span>
                                { i18n::campaign_sentence(lang, c) }
                            </p>
                            <details open={c.targets.len() <= 20}>
                                <summary>{ format!("{} ({})", t(lang, Text::CampaignTargets), c.targets.len()) }</summary>
                                <ul class="campaign-targets">
                                    { for c.targets.iter().map(|target| html! {
                                        <li class={classes!((!target.followed_by.is_empty()).then_some("followed"))}>
                                            <span>{ target.name.clone() }</span>
                                            if !target.followed_by.is_empty() {
                                                <span class="small">{ format!(" — {}", i18n::followed_by_text(lang, &target.followed_by)) }</span>
                                            }
                                        </li>
                                    }) }
                                </ul>
                            </details>
                        </div>
                    }) }
                </section>
            }
            <section class="card wide">
                <h2>{ t(lang, Text::WhyTogether) }</h2>
                if receipts.is_empty() {
                    <p class="empty">{ t(lang, Text::SingleAlertNoReceipts) }</p>
                }
                <ol class="receipts" data-testid="receipts">
                    { for receipts.iter().map(|r| {
                        let what = match &r.entity_id {
                            Some(id) => entity_name(lang, view, id.as_str()),
                            None => r.identifier.clone().unwrap_or_default(),
                        };
                        html! {
                            <li>
                                <span class="alert-ref">{ alert_title(view, r.from.as_str()) }</span>
                                <span class="arrow">{ " → " }</span>
                                <span class="alert-ref">{ alert_title(view, r.to.as_str()) }</span>
                                <span class="why">{ format!(": {}", i18n::receipt_sentence(lang, &r.rule, &what, r.gap_seconds)) }</span>
                                if let Some(identifier) = &r.identifier { <span class="mono small">{ format!(" [{} · {}]", r.rule, identifier) }</span> }
                            </li>
                        }
                    }) }
                </ol>
                if let Some(note) = &view.incident.split {
                    <p class="notice" data-testid="split-note">{ i18n::split_note_text(lang, note) }</p>
                }
                if let Some(c) = &view.source_comparison {
                    <h3>{ t(lang, Text::ComparedWithSource) }</h3>
                    <p data-testid="source-comparison">
                        { i18n::source_comparison_text(lang, c) }
                        { for c.split_into.iter().map(|id| {
                            let href = Route::Incident { incident_id: id.clone(), tab: Tab::Summary }.to_hash();
                            html! { <>{ " " }<a class="mono small" href={href}>{ id.to_string() }</a></> }
                        }) }
                    </p>
                }
                if !noisy.is_empty() {
                    <h3>{ t(lang, Text::NoisyContext) }</h3>
                    <ul class="noisy">
                        { for noisy.iter().map(|e| html! { <li>{ match &e.unlinked_reason {
                            Some(reason) => format!("{}: {}", i18n::entity_ref(lang, e.entity.kind, &e.entity.name), i18n::reason_text(lang, reason)),
                            None => i18n::entity_ref(lang, e.entity.kind, &e.entity.name),
                        } }</li> }) }
                    </ul>
                }
            </section>
            if !view.related.is_empty() {
                <section class="card wide" data-testid="related-not-joined">
                    <h2>{ t(lang, Text::RelatedNotJoined) }</h2>
                    <p class="hint">{ t(lang, Text::RelatedNotJoinedHint) }</p>
                    <ul class="related">
                        { for view.related.iter().map(|r| {
                            let href = Route::Incident { incident_id: r.incident_id.clone(), tab: Tab::Summary }.to_hash();
                            html! {
                                <li data-testid="related-incident" data-incident-id={r.incident_id.to_string()}>
                                    { severity_badge(lang, r.severity) }
                                    <a href={href}>{ r.title.clone() }</a>
                                    <span class="small muted">{ format!(" ({} · {})", r.incident_id, i18n::alerts_count(lang, r.n_alerts)) }</span>
                                    <div class="why small">{ i18n::related_sentence(lang, r.entity_kind, &r.entity_name, &r.reason, r.gap_seconds) }</div>
                                </li>
                            }
                        }) }
                    </ul>
                    if view.n_related > view.related.len() {
                        <p class="small muted">{ i18n::showing_of(lang, view.related.len(), view.n_related) }</p>
                    }
                </section>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct AlertsProps {
    pub lang: Lang,
    pub time_mode: TimeMode,
    pub view: Box<IncidentView>,
    /// What the last incident search found (the "Move to…" pickers).
    pub candidates: Option<(String, Vec<Candidate>)>,
    pub on_request: Callback<Request>,
}

/// The Alerts tab: every alert with why it joined; in its detail panel the alert's own status,
/// classification and determination, and "Move to…" another or a new incident; alerts ticked
/// together split off into a new incident.
#[function_component(AlertsTab)]
pub fn alerts_tab(props: &AlertsProps) -> Html {
    let lang = props.lang;
    let time_mode = props.time_mode;
    let view = &props.view;
    let incident_id = view.incident.incident_id.clone();
    let ticked = use_state(Vec::<AlertId>::new);
    let search = use_state(String::new);
    {
        // A new incident (or its new state) starts with nothing ticked.
        let ticked = ticked.clone();
        use_effect_with(view.incident.alert_ids.clone(), move |_| {
            ticked.set(Vec::new())
        });
    }
    let send = super::manage::edit_sender(&props.on_request, &incident_id);
    {
        // The "Move to…" pickers first offer the incidents sharing the most entities.
        let on_request = props.on_request.clone();
        use_effect_with(incident_id.clone(), move |id| {
            on_request.emit(Request::FindIncidents {
                search: String::new(),
                limit: 20,
                near: Some(id.clone()),
            });
        });
    }
    let find = {
        let (on_request, search, incident_id) = (
            props.on_request.clone(),
            search.clone(),
            incident_id.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_request.emit(Request::FindIncidents {
                search: search.trim().to_owned(),
                limit: 20,
                near: Some(incident_id.clone()),
            });
        })
    };
    let split = {
        let (send, ticked) = (send.clone(), ticked.clone());
        Callback::from(move |_: MouseEvent| {
            if !ticked.is_empty() {
                send.emit(Op::Split {
                    alerts: (*ticked).clone(),
                });
            }
        })
    };
    let targets: Vec<&Candidate> = props
        .candidates
        .iter()
        .flat_map(|(_, found)| found.iter())
        .filter(|c| c.incident_id != incident_id)
        .collect();
    let targets_key = format!(
        "mt-{}",
        targets
            .iter()
            .map(|c| c.incident_id.as_str())
            .collect::<Vec<_>>()
            .join(",")
    );
    let value = |e: &Event| super::queue::input_value(e).unwrap_or_default();
    let split_bar = html! {
        <div class="split-bar" data-testid="split-bar">
            <span aria-live="polite">{ i18n::selected_count(lang, ticked.len()) }</span>
            <button class="button" type="button" data-testid="split-selected" onclick={split}
                disabled={ticked.is_empty() || ticked.len() == view.alerts.len()}>{ t(lang, Text::SplitSelected) }</button>
            <form class="row" onsubmit={find.clone()}>
                <input type="search" data-testid="move-search" aria-label={t(lang, Text::FindIncident)} placeholder={t(lang, Text::FindIncident)}
                    value={(*search).clone()} oninput={let s = search.clone(); Callback::from(move |e: InputEvent| s.set(super::queue::input_value(&e).unwrap_or_default()))} />
                <button class="button" type="submit" data-testid="move-find">{ t(lang, Text::FindIncidentButton) }</button>
            </form>
        </div>
    };
    html! {
        <>
        { split_bar }
        <div class="table-wrap" tabindex="0">
        <table class="data">
            <thead><tr>
                <th>{ t(lang, Text::ColTime) }</th><th>{ t(lang, Text::ColTitle) }</th><th>{ t(lang, Text::ColSeverity) }</th>
                <th>{ t(lang, Text::ColStatus) }</th><th>{ t(lang, Text::ColCategory) }</th><th>{ t(lang, Text::ColServiceSources) }</th>
                <th>{ t(lang, Text::ColDetectionSource) }</th><th>{ t(lang, Text::ColEntities) }</th><th>{ t(lang, Text::ColJoinedBy) }</th>
            </tr></thead>
            <tbody>
            { for view.alerts.iter().map(|a| {
                let alert = &a.alert;
                let alert_id = alert.alert_id.clone();
                let entities: Vec<String> = alert.evidence.iter().map(|e| entity_name(lang, view, e.entity_id.as_str())).collect();
                let joined = match &a.joined_by {
                    None => t(lang, Text::FirstAlert).to_owned(),
                    Some(r) => {
                        let what = r.entity_id.as_ref().map_or_else(|| r.identifier.clone().unwrap_or_default(), |id| entity_name(lang, view, id.as_str()));
                        format!("{} ({})", i18n::receipt_sentence(lang, &r.rule, &what, r.gap_seconds), alert_title(view, r.from.as_str()))
                    }
                };
                let is_ticked = ticked.contains(&alert_id);
                let tick = {
                    let (ticked, alert_id) = (ticked.clone(), alert_id.clone());
                    Callback::from(move |_: Event| {
                        let mut next: Vec<AlertId> = (*ticked).clone();
                        if let Some(at) = next.iter().position(|x| *x == alert_id) { next.remove(at); } else { next.push(alert_id.clone()); }
                        ticked.set(next);
                    })
                };
                let on_status = {
                    let (send, alert_id) = (send.clone(), alert_id.clone());
                    Callback::from(move |e: Event| send.emit(Op::AlertStatus { alert: alert_id.clone(), status: Status::parse(&value(&e)) }))
                };
                let classification = alert.classification.to_string();
                let on_classification = {
                    let (send, alert_id) = (send.clone(), alert_id.clone());
                    Callback::from(move |e: Event| send.emit(Op::AlertClassify { alert: alert_id.clone(), classification: value(&e), determination: String::new() }))
                };
                let on_determination = {
                    let (send, alert_id, classification) = (send.clone(), alert_id.clone(), classification.clone());
                    Callback::from(move |e: Event| send.emit(Op::AlertClassify { alert: alert_id.clone(), classification: classification.clone(), determination: value(&e) }))
                };
                let determinations: &[&str] = CLASSIFICATIONS.iter().find(|(c, _)| *c == classification).map_or(&[], |(_, d)| d);
                let move_to = {
                    let (send, alert_id) = (send.clone(), alert_id.clone());
                    Callback::from(move |e: SubmitEvent| {
                        e.prevent_default();
                        let to = e.target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                            .and_then(|form| form.query_selector("select").ok().flatten())
                            .and_then(|s| s.dyn_into::<web_sys::HtmlSelectElement>().ok())
                            .map(|s| s.value())
                            .unwrap_or_default();
                        send.emit(Op::Move { alert: alert_id.clone(), to: (!to.is_empty()).then(|| AlertId::new(to.as_str())) });
                    })
                };
                let key = alert_id.to_string();
                html! {
                    <tr key={key.clone()} data-testid="alert-row" data-alert-id={key.clone()} class={classes!(is_ticked.then_some("ticked"))}>
                        <td class="time">
                            <input type="checkbox" class="pick" data-testid="alert-select" checked={is_ticked} onchange={tick}
                                aria-label={format!("{}: {}", t(lang, Text::SelectAlert), alert.title)} />
                            { time_text(lang, alert.first_activity, time_mode) }
                        </td>
                        <td>
                            <details>
                                <summary>{ alert.title.to_string() }</summary>
                                <dl class="alert-detail">
                                    <dt>{ t(lang, Text::AlertIdLabel) }</dt><dd class="mono">{ alert.alert_id.to_string() }</dd>
                                    if !alert.aliases.is_empty() { <dt>{ t(lang, Text::AlsoKnownAs) }</dt><dd class="mono">{ alert.aliases.join(", ") }</dd> }
                                    if !alert.description.is_empty() { <dt>{ t(lang, Text::Description) }</dt><dd>{ alert.description.to_string() }</dd> }
                                    if !alert.mitre_techniques.is_empty() { <dt>{ t(lang, Text::MitreTechniques) }</dt><dd>{ alert.mitre_techniques.join(", ") }</dd> }
                                    if !alert.product_name.is_empty() { <dt>{ t(lang, Text::Product) }</dt><dd>{ alert.product_name.to_string() }</dd> }
                                    if !alert.threat_name.is_empty() { <dt>{ t(lang, Text::Threat) }</dt><dd>{ alert.threat_name.to_string() }</dd> }
                                    if let Some(id) = &alert.source_incident_id { <dt>{ t(lang, Text::SourceIncidentId) }</dt><dd class="mono">{ id.to_string() }</dd> }
                                    <dt>{ t(lang, Text::ColLastActivity) }</dt><dd>{ time_text(lang, alert.last_activity, time_mode) }</dd>
                                    <dt>{ t(lang, Text::Source) }</dt><dd>{ format!("{} · {}", alert.provenance.file, alert.provenance.location) }</dd>
                                </dl>
                                <div class="alert-manage" data-testid="alert-manage">
                                    <h3>{ t(lang, Text::ManageAlert) }</h3>
                                    <label>{ t(lang, Text::StatusLabel) }
                                        <select data-testid="alert-status" onchange={on_status} key={format!("st-{}", alert.status.as_str())}>
                                            { for [Status::New, Status::InProgress, Status::Resolved].into_iter().map(|st| html! {
                                                <option value={st.as_str()} selected={st == alert.status}>{ i18n::status_label(lang, st) }</option>
                                            }) }
                                        </select>
                                    </label>
                                    <label>{ t(lang, Text::ClassificationLabel) }
                                        <select data-testid="alert-classification" onchange={on_classification} key={format!("cl-{classification}")}>
                                            <option value="" selected={classification.is_empty()}>{ t(lang, Text::NotClassified) }</option>
                                            { for CLASSIFICATIONS.iter().map(|(c, _)| html! {
                                                <option value={*c} selected={classification == *c}>{ i18n::classification_text(lang, c) }</option>
                                            }) }
                                        </select>
                                    </label>
                                    <label>{ t(lang, Text::DeterminationLabel) }
                                        <select data-testid="alert-determination" onchange={on_determination} disabled={determinations.is_empty()}
                                            key={format!("de-{classification}-{}", alert.determination)}>
                                            <option value="" selected={alert.determination.is_empty()}>{ "—" }</option>
                                            { for determinations.iter().map(|d| html! {
                                                <option value={*d} selected={alert.determination == *d}>{ i18n::determination_text(lang, d) }</option>
                                            }) }
                                        </select>
                                    </label>
                                    <form class="move" onsubmit={move_to}>
                                        <label>{ t(lang, Text::MoveTo) }
                                            // Made anew when the offer changes, so "a new incident" stays the default.
                                            <select data-testid="move-target" key={targets_key.clone()}>
                                                <option value="" selected=true>{ t(lang, Text::MoveToNew) }</option>
                                                { for targets.iter().map(|c| html! {
                                                    <option value={c.anchor.to_string()} data-incident-id={c.incident_id.to_string()}>{ format!("{} · {} ({})", c.incident_id, c.title, i18n::alerts_count(lang, c.n_alerts)) }</option>
                                                }) }
                                            </select>
                                        </label>
                                        <button class="button" type="submit" data-testid="move-confirm">{ t(lang, Text::MoveConfirm) }</button>
                                    </form>
                                </div>
                            </details>
                        </td>
                        <td>{ severity_badge(lang, alert.severity) }</td>
                        <td>{ i18n::status_label(lang, alert.status) }</td>
                        <td>{ i18n::category_text(lang, &alert.category) }</td>
                        <td>{ naming::service_source_label(&alert.service_source) }</td>
                        <td>{ naming::service_source_label(&alert.detection_source) }</td>
                        <td class="entities">{ entities.join(", ") }</td>
                        <td class="joined">{ joined }</td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
        </div>
        </>
    }
}

fn other_incident_links(e: &EntityView) -> Html {
    html! {
        { for e.other_incidents.iter().take(10).map(|id| {
            let href = Route::Incident { incident_id: id.clone(), tab: Tab::Summary }.to_hash();
            html! { <a class="mono pivot" href={href}>{ id.to_string() }</a> }
        }) }
    }
}

pub fn entities(
    lang: Lang,
    time_mode: TimeMode,
    view: &IncidentView,
    kind: EntityKind,
    empty: Text,
) -> Html {
    let rows: Vec<&EntityView> = view
        .entities
        .iter()
        .filter(|e| e.entity.kind == kind)
        .collect();
    if rows.is_empty() {
        return html! { <p class="empty">{ t(lang, empty) }</p> };
    }
    html! {
        <>
        <div class="table-wrap" tabindex="0">
        <table class="data">
            <thead><tr>
                <th>{ t(lang, Text::ColEntityName) }</th><th>{ t(lang, Text::ColIdentifiers) }</th><th>{ t(lang, Text::ColDetails) }</th>
                <th>{ t(lang, Text::ColFirstSeen) }</th><th>{ t(lang, Text::ColLastSeen) }</th><th>{ t(lang, Text::ColAlerts) }</th>
                <th>{ t(lang, Text::ColVerdict) }</th><th>{ t(lang, Text::ColOtherIncidents) }</th>
            </tr></thead>
            <tbody>
            { for rows.iter().map(|e| html! {
                <tr data-testid="entity-row" data-entity-id={e.entity.entity_id.to_string()}>
                    <td class="name">{ e.entity.name.clone() }
                        if let Some(reason) = &e.unlinked_reason { <div class="small muted">{ i18n::reason_text(lang, reason) }</div> }
                    </td>
                    <td><ul class="ids">{ for e.entity.identifiers.iter().map(|i| html! {
                        <li class={classes!("mono", (!i.strong).then_some("weak"))}>{ i.key.clone() }</li>
                    }) }</ul></td>
                    <td><ul class="ids">{ for e.entity.attributes.iter().map(|(k, v)| html! { <li>{ format!("{k}: {v}") }</li> }) }</ul></td>
                    <td class="time">{ time_text(lang, e.first_seen, time_mode) }</td>
                    <td class="time">{ time_text(lang, e.last_seen, time_mode) }</td>
                    <td class="num">{ e.alert_ids.len() }</td>
                    <td>{ verdict_badge(lang, e.verdict) }</td>
                    <td>{ other_incident_links(e) }</td>
                </tr>
            }) }
            </tbody>
        </table>
        </div>
        if kind == EntityKind::Device { { process_trees(lang, view) } }
        </>
    }
}

/// The devices' processes, parent → child (`query::process_trees`).
fn process_trees(lang: Lang, view: &IncidentView) -> Html {
    let trees = alertweave_core::query::process_trees(&view.entities);
    if trees.is_empty() {
        return Html::default();
    }
    fn node(n: &alertweave_core::query::ProcessNode) -> Html {
        html! {
            <li>
                <span class={classes!("proc", n.entity_id.is_none().then_some("named-parent"))}
                    data-entity-id={n.entity_id.as_ref().map(|id| id.to_string())}>{ n.name.clone() }</span>
                if !n.command_line.is_empty() { <code class="small">{ n.command_line.clone() }</code> }
                if !n.children.is_empty() { <ul>{ for n.children.iter().map(node) }</ul> }
            </li>
        }
    }
    html! {
        <section class="card process-trees" data-testid="process-tree">
            <h2>{ t(lang, Text::ProcessTree) }</h2>
            <p class="hint">{ t(lang, Text::ProcessTreeHint) }</p>
            { for trees.iter().map(|d| html! {
                <div class="process-device">
                    <h3>{ d.device_name.clone() }</h3>
                    <ul class="process-tree">{ for d.roots.iter().map(node) }</ul>
                </div>
            }) }
        </section>
    }
}

/// The automated investigations the export carries, one row each (by investigation id; alerts
/// with a state and no id, as Graph writes them, one row per state): its state, its alerts, and the remediation of the
/// evidence those alerts name.
pub fn investigations(lang: Lang, view: &IncidentView) -> Html {
    let mut by_id: BTreeMap<
        String,
        (
            std::collections::BTreeSet<String>,
            Vec<&alertweave_core::model::Alert>,
        ),
    > = BTreeMap::new();
    for a in &view.alerts {
        let state = a.alert.investigation_state.trim();
        if !state.is_empty() || !a.alert.investigation_id.is_empty() {
            // Graph alerts carry a state and no id: those group by their state.
            let key = if a.alert.investigation_id.is_empty() {
                format!("\u{0}{state}")
            } else {
                a.alert.investigation_id.to_string()
            };
            let slot = by_id.entry(key).or_default();
            if !state.is_empty() {
                slot.0.insert(i18n::investigation_state_text(lang, state));
            }
            slot.1.push(&a.alert);
        }
    }
    let remediations: Vec<&EntityView> = view
        .entities
        .iter()
        .filter(|e| e.remediation_statuses.iter().any(|s| s != "none"))
        .collect();
    if by_id.is_empty() && remediations.is_empty() {
        return html! {
            <div class="empty">
                <p>{ t(lang, Text::NoInvestigationData) }</p>
                <p class="hint">{ t(lang, Text::InvestigationHint) }</p>
            </div>
        };
    }
    let remediation_of = |alerts: &[&alertweave_core::model::Alert]| -> Vec<String> {
        remediations
            .iter()
            .filter(|e| {
                alerts.iter().any(|a| {
                    e.alert_ids
                        .iter()
                        .any(|id| id.as_str() == a.alert_id.as_str())
                })
            })
            .map(|e| {
                format!(
                    "{}: {}",
                    i18n::entity_ref(lang, e.entity.kind, &e.entity.name),
                    e.remediation_statuses
                        .iter()
                        .map(|s| i18n::remediation_text(lang, s))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect()
    };
    html! {
        <>
            if !by_id.is_empty() {
            <div class="table-wrap" tabindex="0">
            <table class="data">
                <thead><tr>
                    <th>{ t(lang, Text::ColInvestigation) }</th><th>{ t(lang, Text::ColInvestigationState) }</th>
                    <th>{ t(lang, Text::ColAlerts) }</th><th>{ t(lang, Text::ColRemediationOfEvidence) }</th>
                </tr></thead>
                <tbody>
                { for by_id.iter().map(|(key, (states, alerts))| {
                    let id = if key.starts_with('\u{0}') { "" } else { key.as_str() };
                    html! {
                    <tr data-testid="investigation-row" data-investigation-id={id.to_owned()}>
                        <td class="mono">{ if id.is_empty() { t(lang, Text::NoInvestigationId).to_owned() } else { id.to_owned() } }</td>
                        <td>{ states.iter().cloned().collect::<Vec<_>>().join(", ") }</td>
                        <td><ul class="ids">{ for alerts.iter().map(|a| html! { <li>{ a.title.to_string() }</li> }) }</ul></td>
                        <td><ul class="ids">{ for remediation_of(alerts).into_iter().map(|r| html! { <li>{ r }</li> }) }</ul></td>
                    </tr>
                }}) }
                </tbody>
            </table>
            </div>
            }
            if !remediations.is_empty() {
                <h2>{ t(lang, Text::RemediationHeading) }</h2>
                <ul class="scope">
                    { for remediations.iter().map(|e| html! {
                        <li>{ format!("{}: {}", i18n::entity_ref(lang, e.entity.kind, &e.entity.name), e.remediation_statuses.iter().map(|s| i18n::remediation_text(lang, s)).collect::<Vec<_>>().join(", ")) }</li>
                    }) }
                </ul>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct EvidenceProps {
    pub lang: Lang,
    pub time_mode: TimeMode,
    pub view: Box<IncidentView>,
}

/// All evidence of the incident, filtered by verdict and by type.
#[function_component(EvidenceTab)]
pub fn evidence_tab(props: &EvidenceProps) -> Html {
    let (lang, time_mode, view) = (props.lang, props.time_mode, &props.view);
    let verdict = use_state(String::new);
    let kind = use_state(String::new);
    let kinds: std::collections::BTreeSet<EntityKind> =
        view.entities.iter().map(|e| e.entity.kind).collect();
    let shown: Vec<&EntityView> = view
        .entities
        .iter()
        .filter(|e| verdict.is_empty() || e.verdict.as_str() == verdict.as_str())
        .filter(|e| kind.is_empty() || e.entity.kind.as_str() == kind.as_str())
        .collect();
    let choose = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| state.set(super::queue::input_value(&e).unwrap_or_default()))
    };
    let verdicts = [
        Verdict::Malicious,
        Verdict::Suspicious,
        Verdict::NoThreatsFound,
        Verdict::Unknown,
    ];
    html! {
        <>
        <div class="evidence-filters" role="group" aria-label={t(lang, Text::ColVerdict)}>
            <label>
                <span>{ t(lang, Text::ColVerdict) }</span>
                <select data-testid="evidence-filter-verdict" onchange={choose(&verdict)}>
                    <option value="" selected={verdict.is_empty()}>{ t(lang, Text::AllVerdicts) }</option>
                    { for verdicts.iter().map(|v| html! {
                        <option value={v.as_str()} selected={verdict.as_str() == v.as_str()}>{ i18n::verdict_label(lang, *v) }</option>
                    }) }
                </select>
            </label>
            <label>
                <span>{ t(lang, Text::ColType) }</span>
                <select data-testid="evidence-filter-type" onchange={choose(&kind)}>
                    <option value="" selected={kind.is_empty()}>{ t(lang, Text::AllTypes) }</option>
                    { for kinds.iter().map(|k| html! {
                        <option value={k.as_str()} selected={kind.as_str() == k.as_str()}>{ i18n::node_kind_label(lang, k.as_str()) }</option>
                    }) }
                </select>
            </label>
            <span class="muted" data-testid="evidence-count" role="status">{ i18n::shown_of(lang, shown.len(), view.entities.len()) }</span>
        </div>
        <div class="table-wrap" tabindex="0">
        <table class="data">
            <thead><tr>
                <th>{ t(lang, Text::ColType) }</th><th>{ t(lang, Text::ColEntityName) }</th><th>{ t(lang, Text::ColVerdict) }</th>
                <th>{ t(lang, Text::ColRemediation) }</th><th>{ t(lang, Text::ColRoles) }</th><th>{ t(lang, Text::ColFirstSeen) }</th>
                <th>{ t(lang, Text::ColAlerts) }</th>
            </tr></thead>
            <tbody>
            { for shown.iter().map(|e| html! {
                <tr data-testid="evidence-row" data-entity-id={e.entity.entity_id.to_string()} data-verdict={e.verdict.as_str()} data-kind={e.entity.kind.as_str()}>
                    <td>{ i18n::node_kind_label(lang, e.entity.kind.as_str()) }</td>
                    <td class="name">{ e.entity.name.clone() }</td>
                    <td>{ verdict_badge(lang, e.verdict) }</td>
                    <td>{ if e.remediation_statuses.is_empty() { t(lang, Text::None).to_owned() } else { e.remediation_statuses.iter().map(|s| i18n::remediation_text(lang, s)).collect::<Vec<_>>().join(", ") } }</td>
                    <td>{ e.roles.iter().map(|r| i18n::role_text(lang, r)).collect::<Vec<_>>().join(", ") }</td>
                    <td class="time">{ time_text(lang, e.first_seen, time_mode) }</td>
                    <td>{ e.alert_ids.iter().map(|id| alert_title(view, id)).collect::<Vec<_>>().join("; ") }</td>
                </tr>
            }) }
            </tbody>
        </table>
        </div>
        </>
    }
}
