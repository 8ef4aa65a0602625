//! The incident's graph: alerts and entities as nodes, evidence and linking receipts as
//! edges, with the positions the layout gives them.

use super::incident::EntityView;
use crate::layout;
use crate::model::{Alert, EntityId, Incident, Severity, Timestamp, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphNode {
    /// `alert:<alert id>` or `entity:<entity id>`.
    pub node_id: String,
    /// `alert`, or the entity kind.
    pub kind: String,
    pub label: String,
    pub severity: Option<Severity>,
    pub verdict: Option<Verdict>,
    /// Where the layout put it, in the unit square.
    pub x: f32,
    pub y: f32,
    /// When it was first active: an alert's first activity, an entity's first sighting in this
    /// incident (the Graph tab's playback reveals nodes in this order).
    #[serde(default)]
    pub time: Option<Timestamp>,
    /// What identifies it, for the details panel: the alert's id and aliases, the entity's
    /// identifiers (strong ones first).
    #[serde(default)]
    pub identifiers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    /// True when this alert–entity edge is part of a receipt (the entity linked alerts).
    pub linking: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct GraphView {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

/// Everything an incident page shows.
pub(super) fn graph_view(
    incident: &Incident,
    alerts: &[&Alert],
    entities: &[EntityView],
) -> GraphView {
    let linking: BTreeSet<&EntityId> = incident
        .receipts
        .iter()
        .filter_map(|r| r.entity_id.as_ref())
        .collect();
    let mut nodes: Vec<GraphNode> = alerts
        .iter()
        .map(|a| GraphNode {
            node_id: format!("alert:{}", a.alert_id),
            kind: "alert".to_owned(),
            label: a.title.to_string(),
            severity: Some(a.severity),
            verdict: None,
            x: 0.0,
            y: 0.0,
            time: Some(a.first_activity),
            identifiers: std::iter::once(a.alert_id.to_string())
                .chain(a.aliases.iter().cloned())
                .collect(),
        })
        .collect();
    nodes.extend(entities.iter().map(|e| GraphNode {
        node_id: format!("entity:{}", e.entity.entity_id),
        kind: e.entity.kind.as_str().to_owned(),
        label: e.entity.name.clone(),
        severity: None,
        verdict: Some(e.verdict),
        x: 0.0,
        y: 0.0,
        time: Some(e.first_seen),
        identifiers: {
            let mut ids: Vec<&crate::model::Identifier> = e.entity.identifiers.iter().collect();
            ids.sort_by_key(|i| !i.strong);
            ids.into_iter().map(|i| i.key.clone()).collect()
        },
    }));
    let mut edges = Vec::new();
    for a in alerts {
        let distinct: BTreeSet<&EntityId> = a.evidence.iter().map(|e| &e.entity_id).collect();
        for entity_id in distinct {
            edges.push(GraphEdge {
                from: format!("alert:{}", a.alert_id),
                to: format!("entity:{entity_id}"),
                linking: linking.contains(entity_id),
            });
        }
    }
    let index: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.node_id.as_str(), i))
        .collect();
    let pairs: Vec<(usize, usize)> = edges
        .iter()
        .filter_map(|e| Some((*index.get(e.from.as_str())?, *index.get(e.to.as_str())?)))
        .collect();
    let positions = layout::force_layout(nodes.len(), &pairs);
    for (node, (x, y)) in nodes.iter_mut().zip(positions) {
        node.x = x;
        node.y = y;
    }
    GraphView { nodes, edges }
}
