//! The incident tabs other than the graph: each a plain view of the incident's real data.

use super::app::time_text;
use super::format::TimeMode;
use super::i18n::{self, t, Lang, Text};
use super::queue::severity_badge;
use super::route::{Route, Tab};
use crate::correlate::naming;
use crate::model::{EntityKind, Verdict};
use crate::query::{EntityView, IncidentView};
use std::collections::BTreeMap;
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
                            <span>{ a.alert.title.clone() }</span>
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
                        { for noisy.iter().map(|e| html! { <li>{ format!("{}: {}", i18n::entity_ref(lang, e.entity.kind, &e.entity.name), i18n::reason_text(lang, e.unlinked_reason.as_deref().unwrap_or_default())) }</li> }) }
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

pub fn alerts(lang: Lang, time_mode: TimeMode, view: &IncidentView) -> Html {
    html! {
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
                let entities: Vec<String> = alert.evidence.iter().map(|e| entity_name(lang, view, e.entity_id.as_str())).collect();
                let joined = match &a.joined_by {
                    None => t(lang, Text::FirstAlert).to_owned(),
                    Some(r) => {
                        let what = r.entity_id.as_ref().map_or_else(|| r.identifier.clone().unwrap_or_default(), |id| entity_name(lang, view, id.as_str()));
                        format!("{} ({})", i18n::receipt_sentence(lang, &r.rule, &what, r.gap_seconds), alert_title(view, r.from.as_str()))
                    }
                };
                html! {
                    <tr data-testid="alert-row" data-alert-id={alert.alert_id.to_string()}>
                        <td class="time">{ time_text(lang, alert.first_activity, time_mode) }</td>
                        <td>
                            <details>
                                <summary>{ alert.title.clone() }</summary>
                                <dl class="alert-detail">
                                    <dt>{ t(lang, Text::AlertIdLabel) }</dt><dd class="mono">{ alert.alert_id.to_string() }</dd>
                                    if !alert.aliases.is_empty() { <dt>{ t(lang, Text::AlsoKnownAs) }</dt><dd class="mono">{ alert.aliases.join(", ") }</dd> }
                                    if !alert.description.is_empty() { <dt>{ t(lang, Text::Description) }</dt><dd>{ alert.description.clone() }</dd> }
                                    if !alert.mitre_techniques.is_empty() { <dt>{ t(lang, Text::MitreTechniques) }</dt><dd>{ alert.mitre_techniques.join(", ") }</dd> }
                                    if !alert.product_name.is_empty() { <dt>{ t(lang, Text::Product) }</dt><dd>{ alert.product_name.clone() }</dd> }
                                    if !alert.threat_name.is_empty() { <dt>{ t(lang, Text::Threat) }</dt><dd>{ alert.threat_name.clone() }</dd> }
                                    if let Some(id) = &alert.source_incident_id { <dt>{ t(lang, Text::SourceIncidentId) }</dt><dd class="mono">{ id.clone() }</dd> }
                                    <dt>{ t(lang, Text::ColLastActivity) }</dt><dd>{ time_text(lang, alert.last_activity, time_mode) }</dd>
                                    <dt>{ t(lang, Text::Source) }</dt><dd>{ format!("{} · {}", alert.provenance.file, alert.provenance.location) }</dd>
                                </dl>
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
    }
}

pub fn investigations(lang: Lang, view: &IncidentView) -> Html {
    let mut by_state: BTreeMap<String, Vec<&crate::model::Alert>> = BTreeMap::new();
    for a in &view.alerts {
        let state = a.alert.investigation_state.trim();
        if !state.is_empty() || !a.alert.investigation_id.is_empty() {
            by_state
                .entry(i18n::investigation_state_text(lang, state))
                .or_default()
                .push(&a.alert);
        }
    }
    let remediations: Vec<&EntityView> = view
        .entities
        .iter()
        .filter(|e| e.remediation_statuses.iter().any(|s| s != "none"))
        .collect();
    if by_state.is_empty() && remediations.is_empty() {
        return html! {
            <div class="empty">
                <p>{ t(lang, Text::NoInvestigationData) }</p>
                <p class="hint">{ t(lang, Text::InvestigationHint) }</p>
            </div>
        };
    }
    html! {
        <>
            <div class="table-wrap" tabindex="0">
            <table class="data">
                <thead><tr><th>{ t(lang, Text::ColInvestigationState) }</th><th>{ t(lang, Text::ColAlerts) }</th></tr></thead>
                <tbody>
                { for by_state.iter().map(|(state, alerts)| html! {
                    <tr>
                        <td>{ state.clone() }</td>
                        <td><ul class="ids">{ for alerts.iter().map(|a| html! {
                            <li>{ a.title.clone() }
                                if !a.investigation_id.is_empty() { <span class="mono small">{ format!(" · {} {}", t(lang, Text::Investigation), a.investigation_id) }</span> }
                            </li>
                        }) }</ul></td>
                    </tr>
                }) }
                </tbody>
            </table>
            </div>
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

pub fn evidence(lang: Lang, time_mode: TimeMode, view: &IncidentView) -> Html {
    html! {
        <div class="table-wrap" tabindex="0">
        <table class="data">
            <thead><tr>
                <th>{ t(lang, Text::ColType) }</th><th>{ t(lang, Text::ColEntityName) }</th><th>{ t(lang, Text::ColVerdict) }</th>
                <th>{ t(lang, Text::ColRemediation) }</th><th>{ t(lang, Text::ColRoles) }</th><th>{ t(lang, Text::ColFirstSeen) }</th>
                <th>{ t(lang, Text::ColAlerts) }</th>
            </tr></thead>
            <tbody>
            { for view.entities.iter().map(|e| html! {
                <tr data-testid="evidence-row" data-entity-id={e.entity.entity_id.to_string()}>
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
    }
}
