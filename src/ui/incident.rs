//! The incident page: header, the eight tabs as links, and the selected tab's panel.

use super::app::time_text;
use super::queue::severity_badge;
use super::route::{Route, Tab};
use super::tabs;
use alertweave_core::model::{EntityKind, IncidentId};
use alertweave_core::query::IncidentView;
use alertweave_text::format::TimeMode;
use alertweave_text::i18n::{self, t, Lang, Text};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct IncidentProps {
    pub lang: Lang,
    pub time_mode: TimeMode,
    pub tab: Tab,
    pub incident_id: IncidentId,
    /// `None` while the worker answers; `Some(None)` when there is no such incident.
    pub answer: Option<Option<Box<IncidentView>>>,
    /// The queue as it was left (its filters and sort): the back link and Esc return to it.
    pub back: String,
    /// The last report the worker wrote, when it is this incident's (Markdown, HTML).
    pub report: Option<(String, String)>,
    /// The last indicators the worker wrote, when they are this incident's.
    pub iocs: Option<(usize, String, String)>,
    /// What the last incident search found (the merge and move pickers).
    #[prop_or_default]
    pub candidates: Option<(String, Vec<alertweave_engine::protocol::Candidate>)>,
    /// Sends a request to the worker (the management panel's changes and reports).
    pub on_request: Callback<alertweave_engine::protocol::Request>,
}

pub fn tab_label(tab: Tab) -> Text {
    match tab {
        Tab::Summary => Text::TabSummary,
        Tab::Alerts => Text::TabAlerts,
        Tab::Devices => Text::TabDevices,
        Tab::Users => Text::TabUsers,
        Tab::Mailboxes => Text::TabMailboxes,
        Tab::Investigations => Text::TabInvestigations,
        Tab::Evidence => Text::TabEvidence,
        Tab::Graph => Text::TabGraph,
    }
}

#[function_component(IncidentPage)]
pub fn incident_page(props: &IncidentProps) -> Html {
    let lang = props.lang;
    // Esc goes back to the queue, unless a field has the focus or something else took the key.
    {
        let back = props.back.clone();
        use_effect_with(back, move |back| {
            let back = back.clone();
            let listener = web_sys::window()
                .and_then(|w| w.document())
                .map(|document| {
                    gloo::events::EventListener::new_with_options(
                        &document,
                        "keydown",
                        gloo::events::EventListenerOptions::enable_prevent_default(),
                        move |event| {
                            let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                                return;
                            };
                            let typing = event
                                .target()
                                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                                .is_some_and(|t| {
                                    matches!(
                                        t.tag_name().to_ascii_lowercase().as_str(),
                                        "input" | "textarea" | "select"
                                    )
                                });
                            if event.key() == "Escape" && !typing && !event.default_prevented() {
                                if let Some(window) = web_sys::window() {
                                    event.prevent_default();
                                    let _ = window.location().set_hash(&back);
                                }
                            }
                        },
                    )
                });
            move || drop(listener)
        });
    }
    let back = html! { <a class="back" href={props.back.clone()}>{ format!("← {}", t(lang, Text::BackToQueue)) }</a> };
    let view = match &props.answer {
        None => {
            return html! { <section class="incident">{ back }<p class="empty">{ t(lang, Text::LoadingIncident) }</p></section> }
        }
        Some(None) => {
            return html! { <section class="incident">{ back }<p class="empty">{ t(lang, Text::IncidentNotFound) }<br/><span class="mono">{ props.incident_id.to_string() }</span></p></section> }
        }
        Some(Some(view)) => view,
    };
    let incident = &view.incident;
    let tab_links = Tab::ALL.iter().map(|&tab| {
        let href = Route::Incident { incident_id: incident.incident_id.clone(), tab }.to_hash();
        let selected = tab == props.tab;
        html! {
            <a href={href} role="tab" aria-selected={selected.to_string()} class={classes!("tab", selected.then_some("selected"))}
                data-testid={format!("incident-tab-{}", tab.slug())}>{ t(lang, tab_label(tab)) }</a>
        }
    });
    let panel = match props.tab {
        Tab::Summary => tabs::summary(lang, props.time_mode, view),
        Tab::Alerts => html! {
            <tabs::AlertsTab {lang} time_mode={props.time_mode} view={view.clone()}
                candidates={props.candidates.clone()} on_request={props.on_request.clone()} />
        },
        Tab::Devices | Tab::Users | Tab::Mailboxes => {
            let (kind, empty) = match props.tab {
                Tab::Devices => (EntityKind::Device, Text::NoDevices),
                Tab::Users => (EntityKind::User, Text::NoUsers),
                _ => (EntityKind::Mailbox, Text::NoMailboxes),
            };
            tabs::entities(lang, props.time_mode, view, kind, empty)
        }
        Tab::Investigations => tabs::investigations(lang, view),
        Tab::Evidence => {
            html! { <tabs::EvidenceTab {lang} time_mode={props.time_mode} view={view.clone()} /> }
        }
        Tab::Graph => {
            html! { <super::graph::GraphTab {lang} time_mode={props.time_mode} graph={view.graph.clone()} /> }
        }
    };
    html! {
        <section class="incident" data-incident-id={incident.incident_id.to_string()}>
            { back }
            <div class="incident-head">
                <h1 data-testid="incident-title">{ incident.title.to_string() }</h1>
                <div class="facts">
                    { severity_badge(lang, incident.severity) }
                    <span class="status">{ i18n::status_label(lang, incident.status) }</span>
                    <span class="mono">{ incident.incident_id.to_string() }</span>
                    <span>{ format!("{}: {}", t(lang, Text::ColFirstActivity), time_text(lang, incident.first_activity, props.time_mode)) }</span>
                    <span>{ format!("{}: {}", t(lang, Text::ColLastActivity), time_text(lang, incident.last_activity, props.time_mode)) }</span>
                </div>
                <div class="facts">
                    if !incident.categories.is_empty() {
                        <span>{ format!("{}: ", t(lang, Text::ColCategories)) }{ for incident.categories.iter().map(|c| html! { <span class="chip">{ i18n::category_text(lang, c) }</span> }) }</span>
                    }
                    <span>{ format!("{}: ", t(lang, Text::ColImpactedAssets)) }
                        { for view.impacted_assets.iter().take(8).map(|a| html! { <span class="chip"><span class="kind-tag">{ i18n::kind_tag(lang, a.kind) }</span>{ a.name.clone() }</span> }) }
                    </span>
                    <span>{ format!("{}: {}", t(lang, Text::ColServiceSources), view.service_source_labels.join(", ")) }</span>
                </div>
            </div>
            if props.tab == Tab::Summary {
                <super::manage::ManagePanel {lang} view={view.clone()} report={props.report.clone()} iocs={props.iocs.clone()} candidates={props.candidates.clone()} on_request={props.on_request.clone()} />
            }
            <nav class="tabs" role="tablist">{ for tab_links }</nav>
            <section class="tab-panel" data-testid="tab-panel" role="tabpanel">{ panel }</section>
        </section>
    }
}
