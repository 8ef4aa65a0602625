//! Questions the page asks the model, and their view-sized answers.
//!
//! The page never holds the dataset: it asks for a page of the queue (filtered, sorted) or for
//! one incident with everything its tabs show, and renders the answer. Answers are plain data
//! that serialize as-is across the worker boundary.

use crate::analysis::Dataset;
use crate::correlate::naming;
use crate::ingest::FileReport;
use crate::layout;
use crate::model::{
    Alert, AlertId, Entity, EntityId, EntityKind, Incident, IncidentId, Problem, Receipt, Severity,
    Status, Timestamp, Verdict,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Queue columns that sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SortColumn {
    Name,
    Id,
    Severity,
    Status,
    Categories,
    ImpactedAssets,
    ActiveAlerts,
    ServiceSources,
    FirstActivity,
    #[default]
    LastActivity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueQuery {
    /// Case-insensitive text matched against the incident name, id and impacted assets.
    pub search: String,
    pub sort: SortColumn,
    pub descending: bool,
    pub offset: usize,
    pub limit: usize,
}

impl Default for QueueQuery {
    fn default() -> Self {
        QueueQuery {
            search: String::new(),
            sort: SortColumn::LastActivity,
            descending: true,
            offset: 0,
            limit: 200,
        }
    }
}

/// An impacted asset as the queue shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetRef {
    pub kind: EntityKind,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub incident_id: IncidentId,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub categories: Vec<String>,
    pub impacted_assets: Vec<AssetRef>,
    pub n_alerts: usize,
    pub n_active_alerts: usize,
    pub service_sources: Vec<String>,
    pub first_activity: Timestamp,
    pub last_activity: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuePage {
    /// Incidents in the dataset.
    pub total: usize,
    /// Incidents that match the search.
    pub matching: usize,
    pub offset: usize,
    pub rows: Vec<QueueRow>,
}

/// What the load produced: files, problems, counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct LoadSummary {
    pub files: Vec<FileReport>,
    pub problems: Vec<Problem>,
    pub n_alerts: usize,
    pub n_incidents: usize,
    pub n_entities: usize,
    pub duplicate_records: usize,
    pub first_activity: Option<Timestamp>,
    pub last_activity: Option<Timestamp>,
    pub completeness: crate::analysis::Completeness,
    #[serde(default)]
    pub source_agreement: Option<crate::analysis::SourceAgreement>,
}

pub fn load_summary(ds: &Dataset) -> LoadSummary {
    LoadSummary {
        files: ds.files.clone(),
        problems: ds.problems.clone(),
        n_alerts: ds.alerts.len(),
        n_incidents: ds.incidents().len(),
        n_entities: ds.entities.len(),
        duplicate_records: ds.duplicate_records,
        first_activity: ds.alerts.iter().map(|a| a.first_activity).min(),
        last_activity: ds.alerts.iter().map(|a| a.last_activity).max(),
        completeness: ds.completeness.clone(),
        source_agreement: ds.source_agreement(),
    }
}

fn queue_row(ds: &Dataset, incident: &Incident) -> QueueRow {
    let members: Vec<&Alert> = incident
        .alert_ids
        .iter()
        .filter_map(|id| ds.alert(id))
        .collect();
    QueueRow {
        incident_id: incident.incident_id.clone(),
        title: incident.title.clone(),
        severity: incident.severity,
        status: incident.status,
        categories: incident.categories.clone(),
        impacted_assets: incident
            .entity_ids
            .iter()
            .filter_map(|id| ds.entities.get(id))
            .filter(|e| {
                e.kind.is_asset() && !e.builtin && !incident.noisy_entity_ids.contains(&e.entity_id)
            })
            .map(|e| AssetRef {
                kind: e.kind,
                name: e.name.clone(),
            })
            .collect(),
        n_alerts: members.len(),
        n_active_alerts: members
            .iter()
            .filter(|a| a.status != Status::Resolved)
            .count(),
        service_sources: incident
            .service_sources
            .iter()
            .map(|s| naming::service_source_label(s))
            .collect(),
        first_activity: incident.first_activity,
        last_activity: incident.last_activity,
    }
}

pub fn queue_page(ds: &Dataset, query: &QueueQuery) -> QueuePage {
    let needle = query.search.trim().to_lowercase();
    let mut rows: Vec<QueueRow> = ds
        .incidents()
        .iter()
        .map(|inc| queue_row(ds, inc))
        .filter(|row| {
            needle.is_empty()
                || row.title.to_lowercase().contains(&needle)
                || row.incident_id.as_str().contains(&needle)
                || row
                    .impacted_assets
                    .iter()
                    .any(|a| a.name.to_lowercase().contains(&needle))
        })
        .collect();
    rows.sort_by(|a, b| {
        let order = match query.sort {
            SortColumn::Name => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
            SortColumn::Id => a.incident_id.cmp(&b.incident_id),
            SortColumn::Severity => a.severity.cmp(&b.severity),
            SortColumn::Status => a.status.cmp(&b.status),
            SortColumn::Categories => a.categories.cmp(&b.categories),
            SortColumn::ImpactedAssets => a.impacted_assets.len().cmp(&b.impacted_assets.len()),
            SortColumn::ActiveAlerts => a.n_active_alerts.cmp(&b.n_active_alerts),
            SortColumn::ServiceSources => a.service_sources.cmp(&b.service_sources),
            SortColumn::FirstActivity => a.first_activity.cmp(&b.first_activity),
            SortColumn::LastActivity => a.last_activity.cmp(&b.last_activity),
        };
        let order = if query.descending {
            order.reverse()
        } else {
            order
        };
        order.then_with(|| a.incident_id.cmp(&b.incident_id))
    });
    let matching = rows.len();
    let rows = rows
        .into_iter()
        .skip(query.offset)
        .take(query.limit.max(1))
        .collect();
    QueuePage {
        total: ds.incidents().len(),
        matching,
        offset: query.offset,
        rows,
    }
}

/// One entity as an incident's tabs show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityView {
    pub entity: Entity,
    /// Alerts of this incident that name the entity.
    pub alert_ids: Vec<String>,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    /// The most severe verdict any alert gave it.
    pub verdict: Verdict,
    pub remediation_statuses: Vec<String>,
    pub roles: Vec<String>,
    /// Other incidents that also name it.
    pub other_incidents: Vec<IncidentId>,
    /// Why it did not link alerts, when it did not.
    pub unlinked_reason: Option<String>,
}

/// An alert with the receipt that brought it into the incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertView {
    pub alert: Alert,
    /// `None` for the incident's first alert (and single-alert incidents).
    pub joined_by: Option<Receipt>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphNode {
    /// `alert:<alert id>` or `entity:<entity id>`.
    pub node_id: String,
    /// `alert`, or the entity kind.
    pub kind: String,
    pub label: String,
    pub severity: Option<Severity>,
    pub verdict: Option<Verdict>,
    pub x: f32,
    pub y: f32,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentView {
    pub incident: Incident,
    /// Other incidents close in time that share an entity too noisy to link (or a recurring
    /// detection): related, not joined, with the reason; the closest first, at most
    /// [`MAX_RELATED`] of `n_related`.
    #[serde(default)]
    pub related: Vec<Related>,
    #[serde(default)]
    pub n_related: usize,
    /// This incident beside the exports' own grouping of its alerts.
    #[serde(default)]
    pub source_comparison: Option<crate::analysis::SourceComparison>,
    pub impacted_assets: Vec<AssetRef>,
    pub service_source_labels: Vec<String>,
    pub alerts: Vec<AlertView>,
    pub entities: Vec<EntityView>,
    pub graph: GraphView,
}

/// How many related incidents an incident view lists.
pub const MAX_RELATED: usize = 50;

/// An incident that shares something with another but was not joined to it, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Related {
    pub incident_id: IncidentId,
    pub title: String,
    pub severity: crate::model::Severity,
    pub n_alerts: usize,
    pub entity_kind: EntityKind,
    pub entity_name: String,
    pub reason: String,
    /// Seconds between the two incidents' activity (0 when they overlap).
    pub gap_seconds: i64,
}

/// The incidents `incident` would have joined through its noisy entities and recurring
/// detections, within each entity kind's time window.
fn related_not_joined(ds: &Dataset, incident: &Incident) -> (Vec<Related>, usize) {
    let in_incident: BTreeSet<&EntityId> = incident.entity_ids.iter().collect();
    let own_titles: BTreeSet<&str> = incident
        .alert_ids
        .iter()
        .filter_map(|id| ds.alert(id))
        .map(|a| a.title.as_str())
        .collect();
    // (entity, reason, only alerts with this title)
    let mut candidates: Vec<(&EntityId, String, Option<&str>)> = ds
        .correlation
        .unlinked
        .iter()
        .filter(|u| in_incident.contains(&u.entity_id))
        .map(|u| (&u.entity_id, u.reason.clone(), None))
        .collect();
    candidates.extend(
        ds.correlation
            .repeated
            .iter()
            .filter(|r| in_incident.contains(&r.entity_id) && own_titles.contains(r.title.as_str()))
            .map(|r| {
                (
                    &r.entity_id,
                    format!(
                        "the same detection recurs: “{}” on {} different days",
                        r.title, r.n_days
                    ),
                    Some(r.title.as_str()),
                )
            }),
    );
    let mut found: BTreeMap<IncidentId, Related> = BTreeMap::new();
    // Links the runaway guard did not take.
    let own: BTreeSet<&AlertId> = incident.alert_ids.iter().collect();
    for cut in &ds.correlation.cut {
        let other = if own.contains(&cut.from) {
            &cut.to
        } else if own.contains(&cut.to) {
            &cut.from
        } else {
            continue;
        };
        let (Some(other), Some(entity)) = (
            ds.incident_of(other),
            cut.entity_id.as_ref().and_then(|e| ds.entities.get(e)),
        ) else {
            continue;
        };
        if other.incident_id == incident.incident_id {
            continue;
        }
        found.entry(other.incident_id.clone()).or_insert(Related {
            incident_id: other.incident_id.clone(),
            title: other.title.clone(),
            severity: other.severity,
            n_alerts: other.alert_ids.len(),
            entity_kind: entity.kind,
            entity_name: entity.name.clone(),
            reason: format!(
                "one incident would exceed {} alerts (the runaway guard)",
                ds.settings.max_incident_alerts
            ),
            gap_seconds: cut.gap_seconds,
        });
    }
    for (entity_id, reason, title) in candidates {
        let Some(entity) = ds.entities.get(entity_id) else {
            continue;
        };
        // Built-in accounts and bare names identify nothing: sharing one relates nothing.
        if entity.builtin || !entity.identifiers.iter().any(|i| i.strong) {
            continue;
        }
        let hours = ds
            .settings
            .time_window_hours
            .get(&entity.kind)
            .copied()
            .unwrap_or(24.0);
        let window = (hours * 3600.0) as i64;
        for alert in ds.alerts_naming(entity_id) {
            if title.is_some_and(|t| alert.title != t) {
                continue;
            }
            let Some(other) = ds.incident_of(&alert.alert_id) else {
                continue;
            };
            if other.incident_id == incident.incident_id {
                continue;
            }
            let gap = if alert.last_activity < incident.first_activity {
                (incident.first_activity - alert.last_activity).num_seconds()
            } else if alert.first_activity > incident.last_activity {
                (alert.first_activity - incident.last_activity).num_seconds()
            } else {
                0
            };
            if gap > window {
                continue;
            }
            let related = Related {
                incident_id: other.incident_id.clone(),
                title: other.title.clone(),
                severity: other.severity,
                n_alerts: other.alert_ids.len(),
                entity_kind: entity.kind,
                entity_name: entity.name.clone(),
                reason: reason.clone(),
                gap_seconds: gap,
            };
            match found.get_mut(&other.incident_id) {
                Some(known) if known.gap_seconds <= gap => {}
                Some(known) => *known = related,
                None => {
                    found.insert(other.incident_id.clone(), related);
                }
            }
        }
    }
    let mut related: Vec<Related> = found.into_values().collect();
    related.sort_by(|a, b| (a.gap_seconds, &a.incident_id).cmp(&(b.gap_seconds, &b.incident_id)));
    let total = related.len();
    related.truncate(MAX_RELATED);
    (related, total)
}

pub fn incident_view(ds: &Dataset, incident_id: &IncidentId) -> Option<IncidentView> {
    let incident = ds.incident(incident_id)?;
    let alerts: Vec<&Alert> = incident
        .alert_ids
        .iter()
        .filter_map(|id| ds.alert(id))
        .collect();
    let joined_by: BTreeMap<&str, &Receipt> = incident
        .receipts
        .iter()
        .map(|r| (r.to.as_str(), r))
        .collect();
    let unlinked: BTreeMap<&EntityId, &str> = ds
        .correlation
        .unlinked
        .iter()
        .map(|u| (&u.entity_id, u.reason.as_str()))
        .collect();
    // Every (alert, evidence) of the incident by entity, in one pass.
    let mut mentions_of: BTreeMap<&EntityId, Vec<(&Alert, &crate::model::Evidence)>> =
        BTreeMap::new();
    for alert in &alerts {
        for evidence in &alert.evidence {
            mentions_of
                .entry(&evidence.entity_id)
                .or_default()
                .push((*alert, evidence));
        }
    }
    let entities: Vec<EntityView> = incident
        .entity_ids
        .iter()
        .filter_map(|id| ds.entities.get(id))
        .map(|entity| {
            let mentions = mentions_of
                .get(&entity.entity_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            EntityView {
                entity: entity.clone(),
                alert_ids: mentions
                    .iter()
                    .map(|(a, _)| a.alert_id.to_string())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                // The alerts' activity, widened by the evidence's own first-seen time
                // (exports stamp it when the evidence was recorded), so first ≤ last.
                first_seen: mentions
                    .iter()
                    .map(|(a, e)| {
                        e.first_seen
                            .map_or(a.first_activity, |f| f.min(a.first_activity))
                    })
                    .min()
                    .unwrap_or(incident.first_activity),
                last_seen: mentions
                    .iter()
                    .map(|(a, e)| {
                        e.first_seen
                            .map_or(a.last_activity, |f| f.max(a.last_activity))
                    })
                    .max()
                    .unwrap_or(incident.last_activity),
                verdict: mentions
                    .iter()
                    .map(|(_, e)| e.verdict)
                    .max()
                    .unwrap_or_default(),
                remediation_statuses: mentions
                    .iter()
                    .map(|(_, e)| e.remediation_status.clone())
                    .filter(|s| !s.is_empty())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                roles: mentions
                    .iter()
                    .flat_map(|(_, e)| e.roles.iter().cloned())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                other_incidents: ds
                    .incidents_touching(&entity.entity_id)
                    .into_iter()
                    .filter(|id| *id != incident_id)
                    .cloned()
                    .collect(),
                unlinked_reason: unlinked.get(&entity.entity_id).map(|r| (*r).to_owned()),
            }
        })
        .collect();
    let graph = graph_view(incident, &alerts, &entities);
    let (related, n_related) = related_not_joined(ds, incident);
    Some(IncidentView {
        related,
        n_related,
        source_comparison: ds.compare_with_source(incident),
        impacted_assets: entities
            .iter()
            .filter(|e| {
                e.entity.kind.is_asset() && !e.entity.builtin && e.unlinked_reason.is_none()
            })
            .map(|e| AssetRef {
                kind: e.entity.kind,
                name: e.entity.name.clone(),
            })
            .collect(),
        service_source_labels: incident
            .service_sources
            .iter()
            .map(|s| naming::service_source_label(s))
            .collect(),
        alerts: alerts
            .iter()
            .map(|a| AlertView {
                alert: (*a).clone(),
                joined_by: joined_by.get(a.alert_id.as_str()).map(|r| (*r).clone()),
            })
            .collect(),
        entities,
        graph,
        incident: incident.clone(),
    })
}

fn graph_view(incident: &Incident, alerts: &[&Alert], entities: &[EntityView]) -> GraphView {
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
            label: a.title.clone(),
            severity: Some(a.severity),
            verdict: None,
            x: 0.0,
            y: 0.0,
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
