//! The incident queue: Defender's columns (chosen and ordered, kept in this browser), filters,
//! counts by severity and a histogram over time, saved filter sets, keyboard navigation, and
//! virtualized rows: only the rows in view are in the DOM, the worker answers the window shown.

use super::app::{keep, time_text};
use super::prefs::{
    columns_text, delete_filter, move_column, save_filter, saved_text, toggle_column, SavedFilter,
    COLUMNS_KEY, DEFAULT_COLUMNS, FIXED_COLUMN, SAVED_KEY,
};
use super::route::{time_of, Route, Tab};
use super::state::Action;
use alertweave_core::model::{EntityKind, IncidentId, Severity, Status};
use alertweave_core::query::{
    Facet, QueueFilter, QueuePage, QueueQuery, QueueRow, QueueSpec, SortColumn, TimePreset,
    TimeRange,
};
use alertweave_engine::protocol::{BulkChange, Request};
use alertweave_text::format::TimeMode;
use alertweave_text::i18n::{self, t, Lang, Text};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Height of one queue row in pixels (static/app.css `--row-h`): rows are one line each.
const ROW_H: i32 = 36;
/// Rows rendered above and below the visible ones.
const RENDER_MARGIN: usize = 8;
/// Rows asked for above and below the visible ones, so scrolling rarely waits.
const FETCH_MARGIN: usize = 100;

#[derive(Properties, PartialEq)]
pub struct QueueProps {
    pub lang: Lang,
    pub time_mode: TimeMode,
    pub page: Option<QueuePage>,
    pub query: QueueQuery,
    pub columns: Vec<SortColumn>,
    pub saved: Vec<SavedFilter>,
    pub selected: Option<usize>,
    pub dispatch: Callback<Action>,
    /// The correlation settings panel is open.
    pub settings_open: bool,
    /// Sends a request to the worker (the queue export).
    pub on_request: Callback<alertweave_engine::protocol::Request>,
    /// The last export of this view: how many incidents, CSV and JSON.
    pub export: Option<(usize, String, String)>,
    /// Settings other than the defaults are applied.
    pub custom_settings: bool,
    /// The incidents ticked for a bulk action.
    #[prop_or_default]
    pub picked: Vec<IncidentId>,
}

pub fn severity_badge(lang: Lang, severity: Severity) -> Html {
    html! { <span class={classes!("severity", format!("sev-{}", severity.as_str()))}>{ i18n::severity_label(lang, severity) }</span> }
}

/// Categories (MITRE tactics and Defender's others) in the interface's language.
fn categories_text(lang: Lang, categories: &[String]) -> String {
    categories
        .iter()
        .map(|c| i18n::category_text(lang, c))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn column_label(column: SortColumn) -> Text {
    match column {
        SortColumn::Name => Text::ColName,
        SortColumn::Id => Text::ColId,
        SortColumn::Tags => Text::ColTags,
        SortColumn::Severity => Text::ColSeverity,
        SortColumn::InvestigationState => Text::ColInvestigationState,
        SortColumn::Categories => Text::ColCategories,
        SortColumn::ImpactedAssets => Text::ColImpactedAssets,
        SortColumn::ActiveAlerts => Text::ColActiveAlerts,
        SortColumn::ServiceSources => Text::ColServiceSources,
        SortColumn::DetectionSources => Text::ColDetectionSources,
        SortColumn::FirstActivity => Text::ColFirstActivity,
        SortColumn::LastActivity => Text::ColLastActivity,
        SortColumn::AssignedTo => Text::ColAssignedTo,
        SortColumn::Classification => Text::ColClassification,
        SortColumn::Determination => Text::ColDetermination,
        SortColumn::Status => Text::ColStatus,
    }
}

const STATUSES: [Status; 3] = [Status::New, Status::InProgress, Status::Resolved];

/// The text-valued filters, each with its address key (also its hook: `queue-filter-{key}`).
#[derive(Clone, Copy, PartialEq)]
enum Field {
    Assigned,
    Service,
    Detection,
    Category,
    Tag,
    Classification,
    Determination,
}

impl Field {
    const ALL: [Field; 7] = [
        Field::Assigned,
        Field::Service,
        Field::Detection,
        Field::Category,
        Field::Tag,
        Field::Classification,
        Field::Determination,
    ];

    fn key(self) -> &'static str {
        match self {
            Field::Assigned => "assigned",
            Field::Service => "service",
            Field::Detection => "detection",
            Field::Category => "category",
            Field::Tag => "tag",
            Field::Classification => "classification",
            Field::Determination => "determination",
        }
    }

    fn label(self) -> Text {
        match self {
            Field::Assigned => Text::ColAssignedTo,
            Field::Service => Text::ColServiceSources,
            Field::Detection => Text::ColDetectionSources,
            Field::Category => Text::ColCategories,
            Field::Tag => Text::ColTags,
            Field::Classification => Text::ColClassification,
            Field::Determination => Text::ColDetermination,
        }
    }

    fn chosen(self, filter: &mut QueueFilter) -> &mut Vec<String> {
        match self {
            Field::Assigned => &mut filter.assigned_to,
            Field::Service => &mut filter.service_sources,
            Field::Detection => &mut filter.detection_sources,
            Field::Category => &mut filter.categories,
            Field::Tag => &mut filter.tags,
            Field::Classification => &mut filter.classifications,
            Field::Determination => &mut filter.determinations,
        }
    }

    fn facets(self, page: &QueuePage) -> &[Facet] {
        let f = &page.facets;
        match self {
            Field::Assigned => &f.assigned_to,
            Field::Service => &f.service_sources,
            Field::Detection => &f.detection_sources,
            Field::Category => &f.categories,
            Field::Tag => &f.tags,
            Field::Classification => &f.classifications,
            Field::Determination => &f.determinations,
        }
    }

    /// How an empty value reads.
    fn empty_text(self) -> Text {
        if self == Field::Assigned {
            Text::Unassigned
        } else {
            Text::NotSet
        }
    }
}

fn toggled<T: PartialEq + Clone>(values: &[T], value: &T) -> Vec<T> {
    if values.contains(value) {
        values.iter().filter(|v| *v != value).cloned().collect()
    } else {
        let mut next = values.to_vec();
        next.push(value.clone());
        next
    }
}

/// The value of the input, select or text area an event came from.
pub fn input_value(e: &Event) -> Option<String> {
    let target = e.target()?;
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        return Some(input.value());
    }
    if let Some(area) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        return Some(area.value());
    }
    target
        .dyn_ref::<web_sys::HtmlSelectElement>()
        .map(|s| s.value())
}

/// Closes the menu (`<details>`) an element is in.
fn close_menu_of(target: Option<web_sys::EventTarget>) {
    if let Some(details) = target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("details").ok().flatten())
    {
        let _ = details.remove_attribute("open");
    }
}

/// One cell; `lead` goes before the content (the name cell's selection checkbox).
fn cell(lang: Lang, time_mode: TimeMode, row: &QueueRow, column: SortColumn, lead: Html) -> Html {
    let key = column.key();
    let muted = |text: Text| html! { <span class="muted">{ t(lang, text) }</span> };
    let content = match column {
        SortColumn::Name => {
            let href = Route::Incident {
                incident_id: row.incident_id.clone(),
                tab: Tab::Summary,
            }
            .to_hash();
            html! { <a href={href} title={row.title.clone()} data-testid="incident-row-title">{ row.title.clone() }</a> }
        }
        SortColumn::Id => html! { { row.incident_id.to_string() } },
        SortColumn::Tags => {
            html! { <>{ for row.tags.iter().map(|tag| html! { <span class="chip">{ tag.clone() }</span> }) }</> }
        }
        SortColumn::Severity => severity_badge(lang, row.severity),
        SortColumn::InvestigationState => html! { { row.investigation_states.join(", ") } },
        SortColumn::Categories => html! { { categories_text(lang, &row.categories) } },
        SortColumn::ImpactedAssets => {
            let extra = row.impacted_assets.len().saturating_sub(2);
            html! {
                <>
                    { for row.impacted_assets.iter().take(2).enumerate().map(|(i, a)| html! {
                        <span class="asset">{ if i > 0 { ", " } else { "" } }<span class="kind-tag">{ i18n::kind_tag(lang, a.kind) }</span>{ a.name.clone() }</span>
                    }) }
                    if extra > 0 { <span class="more">{ format!(" +{extra}") }</span> }
                </>
            }
        }
        SortColumn::ActiveAlerts => {
            html! { { format!("{}/{}", row.n_active_alerts, row.n_alerts) } }
        }
        SortColumn::ServiceSources => html! { { row.service_sources.join(", ") } },
        SortColumn::DetectionSources => html! { { row.detection_sources.join(", ") } },
        SortColumn::FirstActivity => html! { { time_text(lang, row.first_activity, time_mode) } },
        SortColumn::LastActivity => html! { { time_text(lang, row.last_activity, time_mode) } },
        SortColumn::AssignedTo if row.assigned_to.is_empty() => muted(Text::Unassigned),
        SortColumn::AssignedTo => html! { { row.assigned_to.clone() } },
        SortColumn::Classification if row.classification.is_empty() => muted(Text::NotSet),
        SortColumn::Classification => html! { { row.classification.clone() } },
        SortColumn::Determination if row.determination.is_empty() => muted(Text::NotSet),
        SortColumn::Determination => html! { { row.determination.clone() } },
        SortColumn::Status => html! { { i18n::status_label(lang, row.status) } },
    };
    // The whole text as a tooltip: cells are one line and may be cut.
    let tip = match column {
        SortColumn::ImpactedAssets => Some(
            row.impacted_assets
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        SortColumn::Categories => Some(categories_text(lang, &row.categories)),
        SortColumn::ServiceSources => Some(row.service_sources.join(", ")),
        SortColumn::DetectionSources => Some(row.detection_sources.join(", ")),
        SortColumn::Tags => Some(row.tags.join(", ")),
        _ => None,
    };
    html! { <td class={classes!(format!("c-{key}"))} data-col={key} title={tip}>{ lead }{ content }</td> }
}

#[function_component(QueueView)]
pub fn queue_view(props: &QueueProps) -> Html {
    let lang = props.lang;
    let spec = props.query.spec.clone();
    let columns: Vec<SortColumn> = if props.columns.is_empty() {
        DEFAULT_COLUMNS.to_vec()
    } else {
        props.columns.clone()
    };
    let scroller = use_node_ref();
    let search_ref = use_node_ref();
    // (scroll top, visible height) of the rows' scroller.
    let viewport = use_state(|| (0i32, 640i32));
    let save_name = use_state(String::new);
    let pseudonymize = use_state(super::manage::pseudonymizing);

    let set_spec = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |spec: QueueSpec| dispatch.emit(Action::SetQueue(spec)))
    };
    let with_filter = {
        let spec = spec.clone();
        let set_spec = set_spec.clone();
        move |change: Box<dyn Fn(&mut QueueFilter)>| {
            let mut next = spec.clone();
            change(&mut next.filter);
            set_spec.emit(next);
        }
    };

    let matching = props.page.as_ref().map_or(0, |p| p.matching);
    let (scroll_top, height) = *viewport;
    let first = (scroll_top.max(0) / ROW_H) as usize;
    let visible = (height.max(ROW_H) / ROW_H + 1) as usize;
    let r0 = first.saturating_sub(RENDER_MARGIN).min(matching);
    let r1 = (first + visible + RENDER_MARGIN).min(matching);

    // Ask for the rows around the view when those loaded do not cover it.
    {
        let dispatch = props.dispatch.clone();
        let (loaded_from, loaded_to) = props
            .page
            .as_ref()
            .map_or((0, 0), |p| (p.offset, p.offset + p.rows.len()));
        let asked = (props.query.offset, props.query.limit);
        use_effect_with(
            (r0, r1, loaded_from, loaded_to, asked, matching),
            move |_| {
                let covered = r0 >= loaded_from && r1 <= loaded_to;
                if !covered && r1 > r0 {
                    let offset = r0.saturating_sub(FETCH_MARGIN);
                    let limit = (r1 - r0) + 2 * FETCH_MARGIN;
                    if (offset, limit) != asked {
                        dispatch.emit(Action::QueueWindow { offset, limit });
                    }
                }
            },
        );
    }

    // Measure the scroller once it is there; a new view starts at the top; the chosen row stays
    // in sight.
    {
        let scroller = scroller.clone();
        let viewport = viewport.clone();
        let selected = props.selected;
        use_effect_with((spec.clone(), selected), move |_| {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                let height = el.client_height();
                let mut top = el.scroll_top();
                match selected {
                    Some(at) => {
                        let row_top = at as i32 * ROW_H;
                        // The sticky header covers the first row's height.
                        let body = (height - ROW_H).max(ROW_H);
                        if row_top < top {
                            top = row_top;
                        } else if row_top + ROW_H > top + body {
                            top = row_top + ROW_H - body;
                        }
                    }
                    None => top = 0,
                }
                el.set_scroll_top(top);
                viewport.set((el.scroll_top(), height));
            }
        });
    }
    // The scroller's height follows the window and the content above it.
    {
        let scroller = scroller.clone();
        let viewport = viewport.clone();
        use_effect(move || {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                let now = (el.scroll_top(), el.client_height());
                if now != *viewport {
                    viewport.set(now);
                }
            }
        });
    }
    let onscroll = {
        let scroller = scroller.clone();
        let viewport = viewport.clone();
        Callback::from(move |_: Event| {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                viewport.set((el.scroll_top(), el.client_height()));
            }
        })
    };

    // Keyboard: `/` search, j/k choose, Enter opens; a click outside a menu closes it.
    {
        let dispatch = props.dispatch.clone();
        let search_ref = search_ref.clone();
        let chosen_id = props.selected.and_then(|at| {
            let page = props.page.as_ref()?;
            let row = page.rows.get(at.checked_sub(page.offset)?)?;
            Some(row.incident_id.clone())
        });
        let chosen_picked = chosen_id
            .as_ref()
            .is_some_and(|id| props.picked.contains(id));
        use_effect(move || {
            let document = web_sys::window().and_then(|w| w.document());
            let listeners = document.map(|document| {
                let keys = gloo::events::EventListener::new_with_options(
                    &document,
                    "keydown",
                    gloo::events::EventListenerOptions::enable_prevent_default(),
                    move |event| {
                        let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                            return;
                        };
                        if event.ctrl_key() || event.meta_key() || event.alt_key() {
                            return;
                        }
                        let target = event
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                        let tag = target.as_ref().map(|t| t.tag_name().to_ascii_lowercase());
                        let typing =
                            matches!(tag.as_deref(), Some("input" | "textarea" | "select"));
                        let on_control = matches!(tag.as_deref(), Some("a" | "button" | "summary"));
                        if typing || event.default_prevented() {
                            return;
                        }
                        match event.key().as_str() {
                            "/" => {
                                if let Some(input) = search_ref.cast::<web_sys::HtmlInputElement>()
                                {
                                    event.prevent_default();
                                    let _ = input.focus();
                                    input.select();
                                }
                            }
                            "j" => {
                                event.prevent_default();
                                dispatch.emit(Action::MoveSelection(1));
                            }
                            "k" => {
                                event.prevent_default();
                                dispatch.emit(Action::MoveSelection(-1));
                            }
                            "x" => {
                                if let Some(id) = &chosen_id {
                                    event.prevent_default();
                                    dispatch.emit(Action::Pick(id.clone(), !chosen_picked));
                                }
                            }
                            "Enter" if !on_control => {
                                if let (Some(id), Some(window)) = (&chosen_id, web_sys::window()) {
                                    event.prevent_default();
                                    let route = Route::Incident {
                                        incident_id: id.clone(),
                                        tab: Tab::Summary,
                                    };
                                    let _ = window.location().set_hash(&route.to_hash());
                                }
                            }
                            _ => {}
                        }
                    },
                );
                let clicks = gloo::events::EventListener::new(&document, "click", {
                    let document = document.clone();
                    move |event| {
                        let target = event
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                        let Ok(open) = document.query_selector_all("details.menu[open]") else {
                            return;
                        };
                        for i in 0..open.length() {
                            let Some(menu) = open
                                .item(i)
                                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                            else {
                                continue;
                            };
                            if !menu.contains(target.as_ref()) {
                                let _ = menu.remove_attribute("open");
                            }
                        }
                    }
                });
                (keys, clicks)
            });
            move || drop(listeners)
        });
    }

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
    let search_keys = Callback::from(|e: KeyboardEvent| {
        // Esc leaves the search box, so j/k work again.
        if e.key() == "Escape" {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = input.blur();
            }
        }
    });

    let header = |column: SortColumn| {
        let dispatch = props.dispatch.clone();
        let active = spec.sort == column;
        let arrow = match (active, spec.descending) {
            (false, _) => "",
            (true, true) => " ▼",
            (true, false) => " ▲",
        };
        let sort = match (active, spec.descending) {
            (false, _) => "none",
            (true, true) => "descending",
            (true, false) => "ascending",
        };
        html! {
            <th aria-sort={sort} class={format!("c-{}", column.key())} data-col={column.key()}>
                <button type="button" class="sort" title={t(lang, column_label(column))}
                    onclick={Callback::from(move |_: MouseEvent| dispatch.emit(Action::SortBy(column)))}>
                    { t(lang, column_label(column)) }{ arrow }
                </button>
            </th>
        }
    };

    let count = props
        .page
        .as_ref()
        .map(|p| i18n::incident_count(lang, p.matching, p.total))
        .unwrap_or_default();
    let toggle_settings = {
        let dispatch = props.dispatch.clone();
        let open = props.settings_open;
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::ShowSettings(!open)))
    };

    // ---- Filters.
    let status_menu = {
        let chosen: Vec<String> = spec
            .filter
            .statuses
            .iter()
            .map(|s| i18n::status_label(lang, *s).to_owned())
            .collect();
        let options = STATUSES.iter().map(|&status| {
            let with_filter = with_filter.clone();
            let onchange = Callback::from(move |_: Event| {
                with_filter(Box::new(move |f: &mut QueueFilter| {
                    f.statuses = toggled(&f.statuses, &status)
                }))
            });
            html! {
                <label class="option">
                    <input type="checkbox" data-value={status.as_str()} checked={spec.filter.statuses.contains(&status)} {onchange} />
                    <span class="value">{ i18n::status_label(lang, status) }</span>
                </label>
            }
        });
        menu(
            "queue-filter-status",
            i18n::filter_button_text(lang, t(lang, Text::ColStatus), &chosen),
            !chosen.is_empty(),
            html! { { for options } },
        )
    };
    let severity_count = |severity: Severity| {
        props
            .page
            .as_ref()
            .and_then(|p| p.by_severity.iter().find(|(s, _)| *s == severity))
            .map_or(0, |(_, n)| *n)
    };
    let severity_menu = {
        let chosen: Vec<String> = spec
            .filter
            .severities
            .iter()
            .map(|s| i18n::severity_label(lang, *s).to_owned())
            .collect();
        let options = Severity::MOST_SEVERE_FIRST.iter().map(|&severity| {
            let with_filter = with_filter.clone();
            let onchange = Callback::from(move |_: Event| {
                with_filter(Box::new(move |f: &mut QueueFilter| {
                    f.severities = toggled(&f.severities, &severity)
                }))
            });
            html! {
                <label class="option">
                    <input type="checkbox" data-value={severity.as_str()} checked={spec.filter.severities.contains(&severity)} {onchange} />
                    <span class="value">{ severity_badge(lang, severity) }</span>
                    <span class="n">{ severity_count(severity) }</span>
                </label>
            }
        });
        menu(
            "queue-filter-severity",
            i18n::filter_button_text(lang, t(lang, Text::ColSeverity), &chosen),
            !chosen.is_empty(),
            html! { { for options } },
        )
    };
    let field_menus = Field::ALL.iter().map(|&field| {
        let mut filter = spec.filter.clone();
        let chosen = field.chosen(&mut filter).clone();
        let shown = |v: &str| {
            if v.is_empty() {
                t(lang, field.empty_text()).to_owned()
            } else if matches!(field, Field::Category) {
                i18n::category_text(lang, v)
            } else {
                v.to_owned()
            }
        };
        let chosen_text: Vec<String> = chosen.iter().map(|v| shown(v)).collect();
        let facets: Vec<Facet> = props
            .page
            .as_ref()
            .map(|p| field.facets(p).to_vec())
            .unwrap_or_default();
        // A chosen value no incident carries (from a link) still shows, to be unticked.
        let mut values: Vec<(String, Option<usize>)> = facets
            .iter()
            .map(|f| (f.value.clone(), Some(f.count)))
            .collect();
        for c in &chosen {
            if !values.iter().any(|(v, _)| v == c) {
                values.push((c.clone(), None));
            }
        }
        let body = if values.is_empty() {
            html! { <p class="hint">{ t(lang, Text::FilterNoValues) }</p> }
        } else {
            html! { <>{ for values.into_iter().map(|(value, n)| {
                let with_filter = with_filter.clone();
                let checked = chosen.contains(&value);
                let text = shown(&value);
                let v = value.clone();
                let onchange = Callback::from(move |_: Event| {
                    let v = v.clone();
                    with_filter(Box::new(move |f: &mut QueueFilter| {
                        let list = field.chosen(f);
                        *list = toggled(list, &v);
                    }))
                });
                html! {
                    <label class="option" key={value.clone()}>
                        <input type="checkbox" data-value={value} {checked} {onchange} />
                        <span class="value" title={text.clone()}>{ text }</span>
                        if let Some(n) = n { <span class="n">{ n }</span> }
                    </label>
                }
            }) }</> }
        };
        menu(
            &format!("queue-filter-{}", field.key()),
            i18n::filter_button_text(lang, t(lang, field.label()), &chosen_text),
            !chosen.is_empty(),
            body,
        )
    });
    let entity_menu = {
        let on_text = {
            let with_filter = with_filter.clone();
            Callback::from(move |e: Event| {
                let text = input_value(&e).unwrap_or_default();
                with_filter(Box::new(move |f: &mut QueueFilter| {
                    f.entity = text.trim().to_owned()
                }));
            })
        };
        let on_kind = {
            let with_filter = with_filter.clone();
            Callback::from(move |e: Event| {
                let value = input_value(&e).unwrap_or_default();
                let kind = EntityKind::ALL.into_iter().find(|k| k.as_str() == value);
                with_filter(Box::new(move |f: &mut QueueFilter| f.entity_kind = kind));
            })
        };
        let kind = spec.filter.entity_kind;
        let chosen: Vec<String> = (!spec.filter.entity.is_empty())
            .then(|| spec.filter.entity.clone())
            .into_iter()
            .collect();
        menu(
            "queue-filter-entity",
            i18n::filter_button_text(lang, t(lang, Text::FilterEntity), &chosen),
            !chosen.is_empty(),
            html! {
                <div class="entity-filter">
                    <select data-testid="queue-filter-entity-kind" aria-label={t(lang, Text::AnyEntityKind)} onchange={on_kind}>
                        <option value="" selected={kind.is_none()}>{ t(lang, Text::AnyEntityKind) }</option>
                        { for EntityKind::ALL.iter().map(|k| html! {
                            <option value={k.as_str()} selected={kind == Some(*k)}>{ i18n::kind_name(lang, *k) }</option>
                        }) }
                    </select>
                    <input type="search" data-testid="queue-filter-entity-input" placeholder={t(lang, Text::EntityPlaceholder)}
                        aria-label={t(lang, Text::FilterEntity)} value={spec.filter.entity.clone()} onchange={on_text} />
                </div>
            },
        )
    };
    let span = props.page.as_ref().and_then(|p| p.span);
    let time_filter = {
        let value = match spec.filter.time {
            TimeRange::All => "all".to_owned(),
            TimeRange::Preset(p) => p.key().to_owned(),
            TimeRange::Custom { .. } => "custom".to_owned(),
        };
        let onchange = {
            let with_filter = with_filter.clone();
            Callback::from(move |e: Event| {
                let value = input_value(&e).unwrap_or_default();
                let time = match TimePreset::from_key(&value) {
                    Some(p) => TimeRange::Preset(p),
                    None if value == "custom" => TimeRange::Custom {
                        from: span
                            .and_then(|(f, _)| time_of(&f.format("%Y-%m-%d").to_string(), false)),
                        to: span
                            .and_then(|(_, l)| time_of(&l.format("%Y-%m-%d").to_string(), true)),
                    },
                    None => TimeRange::All,
                };
                with_filter(Box::new(move |f: &mut QueueFilter| f.time = time));
            })
        };
        let custom = match spec.filter.time {
            TimeRange::Custom { from, to } => {
                let day = |t: Option<alertweave_core::model::Timestamp>| {
                    t.map(|t| t.format("%Y-%m-%d").to_string())
                        .unwrap_or_default()
                };
                let set = |end: bool| {
                    let with_filter = with_filter.clone();
                    Callback::from(move |e: Event| {
                        let at = input_value(&e).and_then(|v| time_of(&v, end));
                        with_filter(Box::new(move |f: &mut QueueFilter| {
                            if let TimeRange::Custom { from, to } = &mut f.time {
                                if end {
                                    *to = at;
                                } else {
                                    *from = at;
                                }
                            }
                        }));
                    })
                };
                html! {
                    <span class="custom-range">
                        <label>{ t(lang, Text::TimeFrom) }
                            <input type="date" data-testid="queue-filter-from" value={day(from)} onchange={set(false)} /></label>
                        <label>{ t(lang, Text::TimeTo) }
                            <input type="date" data-testid="queue-filter-to" value={day(to)} onchange={set(true)} /></label>
                    </span>
                }
            }
            _ => html! {},
        };
        html! {
            <span class={classes!("time-filter", (spec.filter.time != TimeRange::All).then_some("active"))}>
                <select data-testid="queue-filter-time" aria-label={t(lang, Text::ColTimeRange)} title={t(lang, Text::TimeRelativeHint)} {onchange}>
                    <option value="all" selected={value == "all"}>{ t(lang, Text::TimeAny) }</option>
                    { for TimePreset::ALL.iter().map(|p| html! {
                        <option value={p.key()} selected={value == p.key()}>{ i18n::time_preset_label(lang, *p) }</option>
                    }) }
                    <option value="custom" selected={value == "custom"}>{ t(lang, Text::TimeCustom) }</option>
                </select>
                { custom }
            </span>
        }
    };
    // Always in the DOM (hidden when no filter is set): Yew matches unkeyed siblings from the
    // end, so a button that comes and goes would shift the open menu onto its neighbour.
    let clear = {
        let none = spec.filter.is_empty();
        let set_spec = set_spec.clone();
        let spec = spec.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            set_spec.emit(QueueSpec {
                filter: QueueFilter::default(),
                ..spec.clone()
            })
        });
        html! { <button type="button" class="link-button" data-testid="queue-clear-filters" hidden={none} {onclick}>{ t(lang, Text::ClearFilters) }</button> }
    };

    // ---- Severity counts (click: filter) and the histogram.
    let severity_chips = props.page.as_ref().map(|page| {
        let chips = page.by_severity.iter().map(|&(severity, n)| {
            let with_filter = with_filter.clone();
            let pressed = spec.filter.severities.contains(&severity);
            let onclick = Callback::from(move |_: MouseEvent| {
                with_filter(Box::new(move |f: &mut QueueFilter| {
                    f.severities = toggled(&f.severities, &severity)
                }))
            });
            html! {
                <button type="button" class={classes!("sev-count", pressed.then_some("pressed"))} aria-pressed={pressed.to_string()}
                    data-testid={format!("queue-severity-{}", severity.as_str())} {onclick}>
                    { severity_badge(lang, severity) }<span class="n">{ n }</span>
                </button>
            }
        });
        html! { <div class="sev-counts" role="group" aria-label={t(lang, Text::SeverityCounts)}>{ for chips }</div> }
    });
    let histogram = props
        .page
        .as_ref()
        .map(|page| histogram_view(lang, props.time_mode, page, &with_filter));

    // ---- Columns.
    let set_columns = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |columns: Vec<SortColumn>| {
            keep(COLUMNS_KEY, Some(&columns_text(&columns)));
            dispatch.emit(Action::SetColumns(columns));
        })
    };
    let export_menu = {
        let prepare = {
            let on_request = props.on_request.clone();
            let query = props.query.clone();
            let pseudonymize = pseudonymize.clone();
            Callback::from(move |_: MouseEvent| {
                on_request.emit(alertweave_engine::protocol::Request::QueueExport {
                    query: query.clone(),
                    pseudonym_key: super::manage::pseudonym_key(*pseudonymize),
                })
            })
        };
        let on_pseudonymize = {
            let on_request = props.on_request.clone();
            let query = props.query.clone();
            let pseudonymize = pseudonymize.clone();
            let had_export = props.export.is_some();
            Callback::from(move |on: bool| {
                pseudonymize.set(on);
                // An export already made is made again the new way.
                if had_export {
                    on_request.emit(alertweave_engine::protocol::Request::QueueExport {
                        query: query.clone(),
                        pseudonym_key: super::manage::pseudonym_key(on),
                    });
                }
            })
        };
        let links = match &props.export {
            Some((n, csv, json)) => html! {
                <div class="export-links">
                    <a class="button" data-testid="queue-export-csv" download="alertweave-queue.csv"
                        href={super::manage::data_url("text/csv", csv)}>{ format!("{} · {}", t(lang, Text::QueueExportCsv), i18n::number(lang, *n)) }</a>
                    <a class="button" data-testid="queue-export-json" download="alertweave-queue.json"
                        href={super::manage::data_url("application/json", json)}>{ t(lang, Text::QueueExportJson) }</a>
                </div>
            },
            None => html! {},
        };
        menu(
            "queue-export",
            t(lang, Text::QueueExport).to_owned(),
            false,
            html! {
                <>
                    <p class="hint">{ t(lang, Text::QueueExportHint) }</p>
                    <super::manage::PseudonymSwitch {lang} on={*pseudonymize} hook="queue-export-pseudonymize" on_change={on_pseudonymize} />
                    <button type="button" class="button" data-testid="queue-export-prepare" onclick={prepare}>{ t(lang, Text::QueueExportPrepare) }</button>
                    { links }
                </>
            },
        )
    };
    let columns_menu = {
        let hidden = SortColumn::ALL.into_iter().filter(|c| !columns.contains(c));
        let item = |column: SortColumn, shown: bool, at: usize| {
            let toggle = {
                let set_columns = set_columns.clone();
                let columns = columns.clone();
                Callback::from(move |_: Event| set_columns.emit(toggle_column(&columns, column)))
            };
            let mover = |by: isize| {
                let set_columns = set_columns.clone();
                let columns = columns.clone();
                Callback::from(move |_: MouseEvent| {
                    set_columns.emit(move_column(&columns, column, by))
                })
            };
            let key = column.key();
            html! {
                <li key={key} class={classes!("column-item", (!shown).then_some("hidden"))} data-col={key}>
                    <label class="option">
                        <input type="checkbox" data-testid={format!("queue-column-{key}")} checked={shown}
                            disabled={column == FIXED_COLUMN} onchange={toggle} />
                        <span class="value">{ t(lang, column_label(column)) }</span>
                    </label>
                    if shown {
                        <span class="movers">
                            <button type="button" class="icon-button" data-testid={format!("queue-column-up-{key}")}
                                aria-label={format!("{}: {}", t(lang, Text::ColumnUp), t(lang, column_label(column)))}
                                disabled={at == 0} onclick={mover(-1)}>{ "←" }</button>
                            <button type="button" class="icon-button" data-testid={format!("queue-column-down-{key}")}
                                aria-label={format!("{}: {}", t(lang, Text::ColumnDown), t(lang, column_label(column)))}
                                disabled={at + 1 == columns.len()} onclick={mover(1)}>{ "→" }</button>
                        </span>
                    }
                </li>
            }
        };
        let reset = {
            let set_columns = set_columns.clone();
            Callback::from(move |_: MouseEvent| set_columns.emit(DEFAULT_COLUMNS.to_vec()))
        };
        menu(
            "queue-columns",
            t(lang, Text::Columns).to_owned(),
            false,
            html! {
                <>
                    <p class="hint">{ t(lang, Text::ColumnsHint) }</p>
                    <ol class="column-list">
                        { for columns.iter().enumerate().map(|(at, c)| item(*c, true, at)) }
                        { for hidden.map(|c| item(c, false, 0)) }
                    </ol>
                    <button type="button" class="link-button" data-testid="queue-columns-reset" onclick={reset}>{ t(lang, Text::ColumnsReset) }</button>
                </>
            },
        )
    };

    // ---- Saved filter sets.
    let set_saved = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |saved: Vec<SavedFilter>| {
            keep(SAVED_KEY, Some(&saved_text(&saved)));
            dispatch.emit(Action::SetSaved(saved));
        })
    };
    let saved_menu = {
        let items = props.saved.iter().map(|s| {
            let apply = {
                let set_spec = set_spec.clone();
                let target = s.spec();
                Callback::from(move |e: MouseEvent| {
                    close_menu_of(e.target());
                    set_spec.emit(target.clone());
                })
            };
            let delete = {
                let set_saved = set_saved.clone();
                let saved = props.saved.clone();
                let name = s.name.clone();
                Callback::from(move |_: MouseEvent| set_saved.emit(delete_filter(&saved, &name)))
            };
            let current = s.spec() == spec;
            html! {
                <li key={s.name.clone()} data-testid="queue-saved-item" data-name={s.name.clone()} class={classes!(current.then_some("current"))}>
                    <button type="button" class="link-button apply" onclick={apply} title={s.query.clone()}>{ s.name.clone() }</button>
                    <button type="button" class="icon-button" aria-label={format!("{}: {}", t(lang, Text::DeleteSavedFilter), s.name)} onclick={delete}>{ "×" }</button>
                </li>
            }
        });
        let onsubmit = {
            let set_saved = set_saved.clone();
            let saved = props.saved.clone();
            let spec = spec.clone();
            let save_name = save_name.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                if !save_name.trim().is_empty() {
                    set_saved.emit(save_filter(&saved, &save_name, &spec));
                    save_name.set(String::new());
                }
            })
        };
        let on_name = {
            let save_name = save_name.clone();
            Callback::from(move |e: InputEvent| {
                if let Some(input) = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    save_name.set(input.value());
                }
            })
        };
        menu(
            "queue-saved",
            if props.saved.is_empty() {
                t(lang, Text::SavedFilters).to_owned()
            } else {
                format!("{} ({})", t(lang, Text::SavedFilters), props.saved.len())
            },
            false,
            html! {
                <>
                    if props.saved.is_empty() {
                        <p class="hint">{ t(lang, Text::SavedFiltersNone) }</p>
                    } else {
                        <ul class="saved-list">{ for items }</ul>
                    }
                    <form class="save-form" {onsubmit}>
                        <input type="text" data-testid="queue-save-name" placeholder={t(lang, Text::SaveFilterName)}
                            aria-label={t(lang, Text::SaveFilterName)} value={(*save_name).clone()} oninput={on_name} maxlength="80" />
                        <button type="submit" class="button" data-testid="queue-save" disabled={save_name.trim().is_empty()}>{ t(lang, Text::SaveFilter) }</button>
                    </form>
                </>
            },
        )
    };

    // ---- Rows in view.
    let row_html = |at: usize| -> Html {
        let loaded = props.page.as_ref().and_then(|p| {
            let i = at.checked_sub(p.offset)?;
            p.rows.get(i)
        });
        let Some(row) = loaded else {
            return html! {
                <tr key={format!("p{at}")} class="placeholder" aria-hidden="true">
                    { for columns.iter().map(|c| html! { <td class={format!("c-{}", c.key())}><span class="skeleton"></span></td> }) }
                </tr>
            };
        };
        let selected = props.selected == Some(at);
        let onclick = {
            let dispatch = props.dispatch.clone();
            Callback::from(move |_: MouseEvent| dispatch.emit(Action::Select(Some(at))))
        };
        let picked = props.picked.contains(&row.incident_id);
        let pick = {
            let dispatch = props.dispatch.clone();
            let id = row.incident_id.clone();
            Callback::from(move |e: Event| {
                let on = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                    .is_some_and(|i| i.checked());
                dispatch.emit(Action::Pick(id.clone(), on));
            })
        };
        // A click on the box ticks it; it does not choose the row as well.
        let stop = Callback::from(|e: MouseEvent| e.stop_propagation());
        let checkbox = html! {
            <input type="checkbox" class="pick" data-testid="incident-select" checked={picked} onchange={pick} onclick={stop}
                aria-label={format!("{}: {}", t(lang, Text::SelectIncident), row.title)} />
        };
        html! {
            <tr key={row.incident_id.to_string()} data-testid="incident-row" data-incident-id={row.incident_id.to_string()} data-position={at.to_string()}
                class={classes!(selected.then_some("selected"), picked.then_some("picked"))} aria-current={selected.then_some("true")} {onclick}>
                { for columns.iter().map(|c| cell(lang, props.time_mode, row, *c,
                    if *c == FIXED_COLUMN { checkbox.clone() } else { html! {} })) }
            </tr>
        }
    };
    // Rows above and below the rendered ones take their height (a `height` attribute: the
    // page's CSP allows no inline style).
    let spacer = |key: &'static str, rows: usize| {
        let px = (rows as i64 * ROW_H as i64).to_string();
        html! { <tr key={key} class="spacer" aria-hidden="true" hidden={rows == 0}><td colspan={columns.len().to_string()} height={px}></td></tr> }
    };

    html! {
        <section class="queue-view" aria-label={t(lang, Text::QueueLabel)}>
            <div class="queue-head">
                <h1>{ t(lang, Text::Incidents) }</h1>
                <span class="count" data-testid="queue-count" aria-live="polite">{ count }</span>
                { clear }
                <span class="keys muted small" aria-hidden="true">{ t(lang, Text::KeyboardHint) }</span>
                <input type="search" class="search" data-testid="queue-search" placeholder={t(lang, Text::SearchPlaceholder)} ref={search_ref}
                    aria-label={t(lang, Text::SearchPlaceholder)} value={spec.search.clone()} {oninput} onkeydown={search_keys} />
                <span class="head-menus">{ saved_menu }{ columns_menu }{ export_menu }</span>
                <button type="button" class="button settings-open" data-testid="settings-open" onclick={toggle_settings}
                    aria-haspopup="dialog" aria-controls="settings-panel" aria-expanded={props.settings_open.to_string()}>
                    { t(lang, Text::SettingsOpen) }
                    if props.custom_settings { <span class="chip">{ t(lang, Text::SettingsCustom) }</span> }
                </button>
            </div>
            <div class="filter-bar">
                { status_menu }
                { severity_menu }
                { for field_menus }
                { entity_menu }
                { time_filter }
            </div>
            <div class="overview">
                { for severity_chips }
                { for histogram }
            </div>
            <BulkBar {lang} picked={props.picked.clone()} {matching} query={props.query.clone()}
                on_request={props.on_request.clone()} dispatch={props.dispatch.clone()} />
            <div class="table-wrap queue-scroll" ref={scroller} {onscroll} data-testid="queue-scroll">
            <table class="queue" data-testid="queue" aria-rowcount={matching.to_string()}>
                <colgroup>{ for columns.iter().map(|c| html! { <col class={format!("c-{}", c.key())} /> }) }</colgroup>
                <thead><tr>{ for columns.iter().map(|c| header(*c)) }</tr></thead>
                <tbody>
                    { spacer("above", r0) }
                    { for (r0..r1).map(row_html) }
                    { spacer("below", matching - r1) }
                </tbody>
            </table>
            if props.page.as_ref().is_some_and(|p| p.matching == 0) {
                <p class="empty">{ t(lang, Text::NoIncidentsMatch) }</p>
            }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct BulkBarProps {
    lang: Lang,
    picked: Vec<IncidentId>,
    /// Incidents in the view (what "select all" ticks).
    matching: usize,
    query: QueueQuery,
    on_request: Callback<Request>,
    dispatch: Callback<Action>,
}

/// Selection and bulk actions: select all / clear, then status (resolving asks for a note),
/// assignment, classification and determination, a tag added or removed, or a merge, each
/// applied to every ticked incident in one request (`Request::EditMany`).
#[function_component(BulkBar)]
fn bulk_bar(props: &BulkBarProps) -> Html {
    let lang = props.lang;
    let n = props.picked.len();
    let resolving = use_state(|| false);
    let note = use_state(String::new);
    let owner = use_state(String::new);
    let classification = use_state(String::new);
    let tag = use_state(String::new);
    let apply = {
        let (on_request, picked) = (props.on_request.clone(), props.picked.clone());
        Callback::from(move |change: BulkChange| {
            if picked.is_empty() {
                return;
            }
            on_request.emit(Request::EditMany {
                incident_ids: picked.clone(),
                change,
                author: super::manage::AUTHOR.to_owned(),
                at_ms: js_sys::Date::now() as i64,
            });
        })
    };
    let select_all = {
        let (on_request, query) = (props.on_request.clone(), props.query.clone());
        Callback::from(move |_: MouseEvent| {
            on_request.emit(Request::QueueIds {
                query: query.clone(),
            })
        })
    };
    let clear = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::PickNone))
    };
    let on_status = {
        let (apply, resolving) = (apply.clone(), resolving.clone());
        Callback::from(move |e: Event| {
            let value = input_value(&e).unwrap_or_default();
            match value.as_str() {
                "" => {}
                "resolved" => resolving.set(true),
                other => {
                    resolving.set(false);
                    apply.emit(BulkChange::Status {
                        status: Status::parse(other),
                        note: String::new(),
                    });
                }
            }
            // The menu stays a menu of actions, not a state.
            if let Some(select) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                select.set_value("");
            }
        })
    };
    let resolve = {
        let (apply, resolving, note) = (apply.clone(), resolving.clone(), note.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if note.trim().is_empty() {
                return;
            }
            apply.emit(BulkChange::Status {
                status: Status::Resolved,
                note: note.trim().to_owned(),
            });
            resolving.set(false);
            note.set(String::new());
        })
    };
    let assign = {
        let (apply, owner) = (apply.clone(), owner.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            apply.emit(BulkChange::Assign {
                owner: owner.trim().to_owned(),
            });
        })
    };
    let on_classification = {
        let (apply, classification) = (apply.clone(), classification.clone());
        Callback::from(move |e: Event| {
            let value = input_value(&e).unwrap_or_default();
            classification.set(value.clone());
            if !value.is_empty() {
                apply.emit(BulkChange::Classify {
                    classification: value,
                    determination: String::new(),
                });
            }
        })
    };
    let on_determination = {
        let (apply, classification) = (apply.clone(), classification.clone());
        Callback::from(move |e: Event| {
            let value = input_value(&e).unwrap_or_default();
            if !classification.is_empty() && !value.is_empty() {
                apply.emit(BulkChange::Classify {
                    classification: (*classification).clone(),
                    determination: value,
                });
            }
        })
    };
    let tag_change = |add: bool| {
        let (apply, tag) = (apply.clone(), tag.clone());
        Callback::from(move |_: MouseEvent| {
            let text = tag.trim().to_owned();
            if !text.is_empty() {
                apply.emit(BulkChange::Tag { tag: text, add });
            }
        })
    };
    let add_tag = {
        let (apply, tag) = (apply.clone(), tag.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = tag.trim().to_owned();
            if !text.is_empty() {
                apply.emit(BulkChange::Tag {
                    tag: text,
                    add: true,
                });
            }
        })
    };
    let merge = {
        let apply = apply.clone();
        Callback::from(move |_: MouseEvent| apply.emit(BulkChange::Merge))
    };
    let determinations: &[&str] = super::manage::CLASSIFICATIONS
        .iter()
        .find(|(c, _)| *c == classification.as_str())
        .map_or(&[], |(_, d)| d);
    let none = n == 0;
    html! {
        <div class={classes!("bulk-bar", (!none).then_some("active"))} data-testid="bulk-bar" role="toolbar" aria-label={t(lang, Text::BulkActions)}>
            <span class="bulk-count" data-testid="bulk-count" aria-live="polite">{ i18n::selected_count(lang, n) }</span>
            <button type="button" class="link-button" data-testid="bulk-select-all" onclick={select_all} disabled={props.matching == 0}>
                { i18n::select_all(lang, props.matching) }</button>
            <button type="button" class="link-button" data-testid="bulk-clear" onclick={clear} disabled={none}>{ t(lang, Text::ClearSelection) }</button>
            // The actions appear once something is ticked.
            if !none {
            <select data-testid="bulk-status" aria-label={t(lang, Text::BulkStatusChoose)} onchange={on_status} disabled={none}>
                <option value="" selected=true>{ t(lang, Text::BulkStatusChoose) }</option>
                { for STATUSES.iter().map(|st| html! { <option value={st.as_str()}>{ i18n::status_label(lang, *st) }</option> }) }
            </select>
            <form class="row" onsubmit={assign}>
                <input type="text" data-testid="bulk-assign" aria-label={t(lang, Text::AssignLabel)} placeholder={t(lang, Text::AssignPlaceholder)} disabled={none}
                    value={(*owner).clone()} oninput={let owner = owner.clone(); Callback::from(move |e: InputEvent| owner.set(input_value(&e).unwrap_or_default()))} />
                <button type="submit" class="button" data-testid="bulk-assign-save" disabled={none}>{ t(lang, Text::AssignSave) }</button>
            </form>
            <select data-testid="bulk-classification" aria-label={t(lang, Text::ClassificationLabel)} onchange={on_classification} disabled={none}>
                <option value="" selected={classification.is_empty()}>{ t(lang, Text::BulkClassifyChoose) }</option>
                { for super::manage::CLASSIFICATIONS.iter().map(|(c, _)| html! {
                    <option value={*c} selected={classification.as_str() == *c}>{ i18n::classification_text(lang, c) }</option>
                }) }
            </select>
            <select data-testid="bulk-determination" aria-label={t(lang, Text::DeterminationLabel)} onchange={on_determination}
                disabled={none || determinations.is_empty()} key={format!("bulk-det-{}", *classification)}>
                <option value="" selected=true>{ t(lang, Text::DeterminationLabel) }</option>
                { for determinations.iter().map(|d| html! { <option value={*d}>{ i18n::determination_text(lang, d) }</option> }) }
            </select>
            <form class="row" onsubmit={add_tag}>
                <input type="text" data-testid="bulk-tag" aria-label={t(lang, Text::TagsLabel)} placeholder={t(lang, Text::BulkTagPlaceholder)} disabled={none}
                    value={(*tag).clone()} oninput={let tag = tag.clone(); Callback::from(move |e: InputEvent| tag.set(input_value(&e).unwrap_or_default()))} />
                <button type="button" class="button" data-testid="bulk-tag-add" disabled={none} onclick={tag_change(true)}>{ t(lang, Text::TagAdd) }</button>
                <button type="button" class="button" data-testid="bulk-tag-remove" disabled={none} onclick={tag_change(false)}>{ t(lang, Text::RemoveTag) }</button>
            </form>
            <button type="button" class="button" data-testid="bulk-merge" disabled={n < 2} onclick={merge}>{ t(lang, Text::BulkMerge) }</button>
            }
            if *resolving && !none {
                <form class="resolve row" onsubmit={resolve}>
                    <label for="bulk-resolve-note">{ t(lang, Text::ResolveNote) }</label>
                    <input type="text" id="bulk-resolve-note" data-testid="bulk-resolve-note" value={(*note).clone()}
                        oninput={let note = note.clone(); Callback::from(move |e: InputEvent| note.set(input_value(&e).unwrap_or_default()))} />
                    <button class="button primary" type="submit" data-testid="bulk-resolve-confirm" disabled={note.trim().is_empty()}>{ t(lang, Text::ResolveConfirm) }</button>
                </form>
            }
        </div>
    }
}

/// A filter's drop-down: a `<details>` (closes on a click outside, see the click listener).
fn menu(hook: &str, label: String, active: bool, body: Html) -> Html {
    html! {
        <details class={classes!("menu", active.then_some("active"))} data-testid={hook.to_owned()}>
            <summary class="button">{ label }<span class="caret" aria-hidden="true">{ "▾" }</span></summary>
            <div class="menu-panel">{ body }</div>
        </details>
    }
}

/// Incidents over time as stacked bars by severity; a bar's click narrows the time range to it.
fn histogram_view(
    lang: Lang,
    time_mode: TimeMode,
    page: &QueuePage,
    with_filter: &(impl Fn(Box<dyn Fn(&mut QueueFilter)>) + Clone + 'static),
) -> Html {
    let h = &page.histogram;
    let Some(start) = h.start else {
        return html! {};
    };
    let n = h.buckets.len().max(1);
    let max = h
        .buckets
        .iter()
        .map(|b| b.iter().sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    const W: f64 = 10.0;
    const H: f64 = 40.0;
    let bucket = chrono::Duration::seconds(h.bucket_seconds.max(1));
    let end = start + bucket * n as i32;
    let bars = h.buckets.iter().enumerate().map(|(i, counts)| {
        let from = start + bucket * i as i32;
        let to = from + bucket;
        let total: u32 = counts.iter().sum();
        let mut y = H;
        let rects = counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(group, &c)| {
            let height = (c as f64 / max as f64) * (H - 2.0);
            y -= height;
            html! { <rect class={format!("g{group}")} x={format!("{:.2}", i as f64 * W + 1.0)} y={format!("{y:.2}")}
                width={format!("{:.2}", W - 2.0)} height={format!("{height:.2}")} /> }
        }).collect::<Html>();
        let with_filter = with_filter.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let last = to - chrono::Duration::seconds(1);
            with_filter(Box::new(move |f: &mut QueueFilter| {
                f.time = TimeRange::Custom { from: Some(from), to: Some(last) }
            }))
        });
        let tip = i18n::histogram_bar_text(lang, total, &time_text(lang, from, time_mode), &time_text(lang, to, time_mode));
        html! {
            <g class="bar" {onclick}>
                <title>{ tip }</title>
                <rect class="hit" x={format!("{:.2}", i as f64 * W)} y="0" width={format!("{W}")} height={format!("{H}")} />
                { rects }
            </g>
        }
    });
    html! {
        <figure class="histogram" data-testid="queue-histogram">
            <svg viewBox={format!("0 0 {} {H}", n as f64 * W)} preserveAspectRatio="none" role="img"
                aria-label={t(lang, Text::HistogramLabel)}>{ for bars }</svg>
            <figcaption>
                <span>{ time_text(lang, start, time_mode) }</span>
                <span class="muted">{ t(lang, Text::HistogramLabel) }</span>
                <span>{ time_text(lang, end.min(page.span.map_or(end, |(_, l)| l.max(start))), time_mode) }</span>
            </figcaption>
        </figure>
    }
}
