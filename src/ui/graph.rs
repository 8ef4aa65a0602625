//! The Graph tab: alerts and entities as nodes, evidence as edges, drawn in SVG from the layout
//! the worker computed. Selecting a node (in the drawing or in the accessible list below it)
//! shows its details and highlights its neighbours; entity kinds can be hidden.

use super::i18n::{self, t, Lang, Text};
use crate::query::{GraphNode, GraphView};
use std::collections::{BTreeSet, HashMap};
use yew::prelude::*;

const WIDTH: f32 = 1000.0;
const HEIGHT: f32 = 640.0;

#[derive(Properties, PartialEq)]
pub struct GraphProps {
    pub lang: Lang,
    pub graph: GraphView,
}

fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        format!("{}…", label.chars().take(max - 1).collect::<String>())
    }
}

fn node_class(node: &GraphNode) -> String {
    match (&node.severity, &node.verdict) {
        (Some(sev), _) => format!("node alert sev-{}", sev.as_str()),
        (None, Some(verdict)) => format!(
            "node entity kind-{} verdict-{}",
            node.kind,
            verdict.as_str()
        ),
        _ => format!("node entity kind-{}", node.kind),
    }
}

#[function_component(GraphTab)]
pub fn graph_tab(props: &GraphProps) -> Html {
    let lang = props.lang;
    let selected = use_state(|| None::<String>);
    let hidden = use_state(BTreeSet::<String>::new);
    let graph = &props.graph;

    let kinds: BTreeSet<String> = graph.nodes.iter().map(|n| n.kind.clone()).collect();
    let visible: HashMap<&str, &GraphNode> = graph
        .nodes
        .iter()
        .filter(|n| !hidden.contains(&n.kind))
        .map(|n| (n.node_id.as_str(), n))
        .collect();
    let neighbours: BTreeSet<&str> = match selected.as_ref() {
        Some(id) => graph
            .edges
            .iter()
            .filter_map(|e| {
                if &e.from == id {
                    Some(e.to.as_str())
                } else if &e.to == id {
                    Some(e.from.as_str())
                } else {
                    None
                }
            })
            .collect(),
        None => BTreeSet::new(),
    };
    let select = |id: String| {
        let selected = selected.clone();
        Callback::from(move |_: MouseEvent| {
            let next = if selected.as_deref() == Some(id.as_str()) {
                None
            } else {
                Some(id.clone())
            };
            selected.set(next);
        })
    };
    let edges = graph.edges.iter().filter_map(|e| {
        let (a, b) = (visible.get(e.from.as_str())?, visible.get(e.to.as_str())?);
        let lit = selected.as_deref().is_some_and(|s| s == e.from || s == e.to);
        Some(html! {
            <line x1={(a.x * WIDTH).to_string()} y1={(a.y * HEIGHT).to_string()} x2={(b.x * WIDTH).to_string()} y2={(b.y * HEIGHT).to_string()}
                class={classes!("edge", e.linking.then_some("linking"), lit.then_some("lit"))} />
        })
    });
    let nodes = graph.nodes.iter().filter(|n| visible.contains_key(n.node_id.as_str())).map(|n| {
        let is_selected = selected.as_deref() == Some(n.node_id.as_str());
        let dim = selected.is_some() && !is_selected && !neighbours.contains(n.node_id.as_str());
        let radius = if n.kind == "alert" { 13 } else { 9 };
        html! {
            <g class={classes!(node_class(n), is_selected.then_some("selected"), dim.then_some("dim"))} onclick={select(n.node_id.clone())}>
                <circle cx={(n.x * WIDTH).to_string()} cy={(n.y * HEIGHT).to_string()} r={radius.to_string()} />
                <text x={(n.x * WIDTH + 15.0).to_string()} y={(n.y * HEIGHT + 4.0).to_string()}>{ short(&n.label, 28) }</text>
                <title>{ format!("{}: {}", i18n::node_kind_label(lang, &n.kind), n.label) }</title>
            </g>
        }
    });
    let details = selected.as_ref().and_then(|id| graph.nodes.iter().find(|n| &n.node_id == id)).map(|n| {
        let linked: Vec<String> = graph
            .nodes
            .iter()
            .filter(|m| neighbours.contains(m.node_id.as_str()))
            .map(|m| format!("{}: {}", i18n::node_kind_label(lang, &m.kind), m.label))
            .collect();
        html! {
            <aside class="node-detail">
                <h3>{ n.label.clone() }</h3>
                <p class="mono small">{ n.node_id.clone() }</p>
                <p>{ match (n.severity, n.verdict) {
                    (Some(severity), _) => format!("{} · {}", i18n::node_kind_label(lang, &n.kind), i18n::severity_label(lang, severity)),
                    (None, Some(verdict)) => format!("{} · {}", i18n::node_kind_label(lang, &n.kind), i18n::verdict_label(lang, verdict)),
                    (None, None) => i18n::node_kind_label(lang, &n.kind),
                } }</p>
                <ul class="ids">{ for linked.iter().map(|l| html! { <li>{ l.clone() }</li> }) }</ul>
            </aside>
        }
    });
    html! {
        <div class="graph-tab">
            <div class="graph-controls">
                <span>{ format!("{}: ", t(lang, Text::GraphLegend)) }</span>
                { for kinds.iter().map(|kind| {
                    let hidden = hidden.clone();
                    let kind_owned = kind.clone();
                    let shown = !hidden.contains(kind);
                    let toggle = Callback::from(move |_: Event| {
                        let mut next = (*hidden).clone();
                        if !next.remove(&kind_owned) {
                            next.insert(kind_owned.clone());
                        }
                        hidden.set(next);
                    });
                    html! {
                        <label class={classes!("legend-item", format!("kind-{kind}"))}>
                            <input type="checkbox" checked={shown} onchange={toggle} />
                            <span class="swatch"></span>{ i18n::node_kind_label(lang, kind) }
                        </label>
                    }
                }) }
            </div>
            <div class="graph-body">
                <svg data-testid="graph" class="graph" viewBox={format!("-10 -10 {} {}", WIDTH + 160.0, HEIGHT + 20.0)} role="img"
                    aria-label={i18n::graph_summary(lang, graph.nodes.len(), graph.edges.len())}>
                    <g class="edges">{ for edges }</g>
                    <g class="nodes">{ for nodes }</g>
                </svg>
                { for details }
            </div>
            <details class="node-list" open=true>
                <summary>{ format!("{} ({})", t(lang, Text::GraphNodes), graph.nodes.len()) }</summary>
                <ul>
                    { for graph.nodes.iter().map(|n| html! {
                        <li>
                            <button type="button" data-testid="graph-node" data-node-id={n.node_id.clone()}
                                class={classes!("node-button", (selected.as_deref() == Some(n.node_id.as_str())).then_some("selected"))}
                                onclick={select(n.node_id.clone())}>
                                { format!("{}: {}", i18n::node_kind_label(lang, &n.kind), n.label) }
                            </button>
                        </li>
                    }) }
                </ul>
            </details>
        </div>
    }
}
