//! The incident queue: search, sortable columns, Defender's severity colours.

use super::app::time_text;
use super::format::TimeMode;
use super::i18n::{self, t, Lang, Text};
use super::route::{Route, Tab};
use super::state::Action;
use crate::model::Severity;
use crate::query::{QueuePage, QueueQuery, SortColumn};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QueueProps {
    pub lang: Lang,
    pub time_mode: TimeMode,
    pub page: Option<QueuePage>,
    pub query: QueueQuery,
    pub dispatch: Callback<Action>,
    /// The correlation settings panel is open.
    pub settings_open: bool,
    /// Settings other than the defaults are applied.
    pub custom_settings: bool,
}

pub fn severity_badge(lang: Lang, severity: Severity) -> Html {
    html! { <span class={classes!("severity", format!("sev-{}", severity.as_str()))}>{ i18n::severity_label(lang, severity) }</span> }
}

#[function_component(QueueView)]
pub fn queue_view(props: &QueueProps) -> Html {
    let lang = props.lang;
    let oninput = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                dispatch.emit(Action::Search(input.value()));
            }
        })
    };
    let header = |column: SortColumn, text: Text| {
        let dispatch = props.dispatch.clone();
        let active = props.query.sort == column;
        let arrow = match (active, props.query.descending) {
            (false, _) => "",
            (true, true) => " ▼",
            (true, false) => " ▲",
        };
        let sort = match (active, props.query.descending) {
            (false, _) => "none",
            (true, true) => "descending",
            (true, false) => "ascending",
        };
        html! {
            <th aria-sort={sort}>
                <button type="button" class="sort" onclick={Callback::from(move |_: MouseEvent| dispatch.emit(Action::SortBy(column)))}>
                    { t(lang, text) }{ arrow }
                </button>
            </th>
        }
    };
    let count = props
        .page
        .as_ref()
        .map(|p| i18n::incident_count(lang, p.matching, p.total))
        .unwrap_or_default();
    let rows = props
        .page
        .as_ref()
        .map(|p| p.rows.clone())
        .unwrap_or_default();
    let more = props
        .page
        .as_ref()
        .is_some_and(|p| p.offset + p.rows.len() < p.matching);
    let on_more = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::ShowMore))
    };
    let toggle_settings = {
        let dispatch = props.dispatch.clone();
        let open = props.settings_open;
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::ShowSettings(!open)))
    };
    html! {
        <section class="queue-view">
            <div class="queue-head">
                <h1>{ t(lang, Text::Incidents) }</h1>
                <span class="count" data-testid="queue-count">{ count }</span>
                <input type="search" class="search" data-testid="queue-search" placeholder={t(lang, Text::SearchPlaceholder)}
                    aria-label={t(lang, Text::SearchPlaceholder)} value={props.query.search.clone()} {oninput} />
                <button type="button" class="button settings-open" data-testid="settings-open" onclick={toggle_settings}
                    aria-haspopup="dialog" aria-controls="settings-panel" aria-expanded={props.settings_open.to_string()}>
                    { t(lang, Text::SettingsOpen) }
                    if props.custom_settings { <span class="chip">{ t(lang, Text::SettingsCustom) }</span> }
                </button>
            </div>
            <div class="table-wrap">
            <table class="queue" data-testid="queue">
                <thead><tr>
                    { header(SortColumn::Name, Text::ColName) }
                    { header(SortColumn::Id, Text::ColId) }
                    { header(SortColumn::Severity, Text::ColSeverity) }
                    { header(SortColumn::Status, Text::ColStatus) }
                    { header(SortColumn::Categories, Text::ColCategories) }
                    { header(SortColumn::ImpactedAssets, Text::ColImpactedAssets) }
                    { header(SortColumn::ActiveAlerts, Text::ColActiveAlerts) }
                    { header(SortColumn::ServiceSources, Text::ColServiceSources) }
                    { header(SortColumn::FirstActivity, Text::ColFirstActivity) }
                    { header(SortColumn::LastActivity, Text::ColLastActivity) }
                </tr></thead>
                <tbody>
                { for rows.iter().map(|row| {
                    let href = Route::Incident { incident_id: row.incident_id.clone(), tab: Tab::Summary }.to_hash();
                    let assets_shown: Vec<String> = row.impacted_assets.iter().take(3).map(|a| a.name.clone()).collect();
                    let extra = row.impacted_assets.len().saturating_sub(3);
                    html! {
                        <tr data-testid="incident-row" data-incident-id={row.incident_id.to_string()}>
                            <td class="name"><a href={href}>{ row.title.clone() }</a></td>
                            <td class="mono">{ row.incident_id.to_string() }</td>
                            <td>{ severity_badge(lang, row.severity) }</td>
                            <td>{ i18n::status_label(lang, row.status) }</td>
                            <td>{ row.categories.iter().map(|c| i18n::category_text(lang, c)).collect::<Vec<_>>().join(", ") }</td>
                            <td class="assets">{ assets_shown.join(", ") }{ if extra > 0 { format!(" +{extra}") } else { String::new() } }</td>
                            <td class="num">{ format!("{}/{}", row.n_active_alerts, row.n_alerts) }</td>
                            <td>{ row.service_sources.join(", ") }</td>
                            <td class="time">{ time_text(lang, row.first_activity, props.time_mode) }</td>
                            <td class="time">{ time_text(lang, row.last_activity, props.time_mode) }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            </div>
            if props.page.as_ref().is_some_and(|p| p.matching == 0) {
                <p class="empty">{ t(lang, Text::NoIncidentsMatch) }</p>
            }
            if more {
                <button type="button" class="button" onclick={on_more}>{ t(lang, Text::ShowMore) }</button>
            }
        </section>
    }
}
