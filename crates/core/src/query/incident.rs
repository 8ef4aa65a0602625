//! One incident with everything its tabs show: alerts with the receipts that joined them,
//! entities with first and last sight, related incidents that were not joined, and why.

use super::graph::{graph_view, GraphView};
use super::queue::AssetRef;
use crate::analysis::Dataset;
use crate::correlate::{naming, NoLink};
use crate::model::{
    Alert, AlertId, Entity, EntityId, EntityKind, Incident, IncidentId, Receipt, Status, Timestamp,
    Verdict,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

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
    pub unlinked_reason: Option<NoLink>,
}

/// An alert with the receipt that brought it into the incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertView {
    pub alert: Alert,
    /// `None` for the incident's first alert (and single-alert incidents).
    pub joined_by: Option<Receipt>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentView {
    pub incident: Incident,
    /// What the analyst's changes add (tags, comments, activity), when there are any.
    #[serde(default)]
    pub managed: Option<crate::edits::Managed>,
    /// The change an undo would cancel (any incident's: undo is for the whole workspace).
    #[serde(default)]
    pub last_undoable: Option<u64>,
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
    /// The campaigns (bursts) among this incident's alerts: who they came from, whom they
    /// targeted, and which targets show compromise afterwards.
    #[serde(default)]
    pub campaigns: Vec<CampaignView>,
    pub impacted_assets: Vec<AssetRef>,
    pub service_source_labels: Vec<String>,
    pub alerts: Vec<AlertView>,
    pub entities: Vec<EntityView>,
    pub graph: GraphView,
}

/// A burst of alerts from one entity against many targets, as the Summary tab explains it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignView {
    /// The entity the campaign came from (the attacker's address, a brute-forcing workstation).
    pub entity_id: EntityId,
    pub entity_kind: EntityKind,
    pub entity_name: String,
    /// The detection the burst repeats most, and how many of its alerts have it.
    pub detection: String,
    pub n_detection: usize,
    pub n_alerts: usize,
    pub n_targets: usize,
    pub n_users: usize,
    pub target_kind: EntityKind,
    /// From the burst's first activity to its last.
    pub span_seconds: i64,
    /// The targets, each with the alerts of this incident outside the burst that name it after
    /// the burst began (signs of compromise: a token replay, an inbox rule), those first.
    pub targets: Vec<CampaignTarget>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignTarget {
    pub entity_id: EntityId,
    pub kind: EntityKind,
    pub name: String,
    /// Titles of later alerts on this target outside the burst.
    pub followed_by: Vec<String>,
}

/// The campaigns whose alerts are in `incident`.
fn campaigns(ds: &Dataset, incident: &Incident) -> Vec<CampaignView> {
    let own: BTreeSet<&AlertId> = incident.alert_ids.iter().collect();
    ds.correlation
        .bursts
        .iter()
        .filter(|b| b.alert_ids.iter().any(|id| own.contains(id)))
        .map(|burst| campaign_view(ds, burst, incident))
        .collect()
}

/// Every campaign of the load, each with the incident that holds its first alert.
pub fn all_campaigns(ds: &Dataset) -> Vec<(IncidentId, CampaignView)> {
    ds.correlation
        .bursts
        .iter()
        .filter_map(|burst| {
            let incident = ds.incident_of(burst.alert_ids.first()?)?;
            Some((
                incident.incident_id.clone(),
                campaign_view(ds, burst, incident),
            ))
        })
        .collect()
}

/// One burst as the Summary tab tells it; the targets' later alerts are looked for in `incident`.
fn campaign_view(
    ds: &Dataset,
    burst: &crate::correlate::Burst,
    incident: &Incident,
) -> CampaignView {
    let in_burst: BTreeSet<&AlertId> = burst.alert_ids.iter().collect();
    let mut targets: BTreeMap<&EntityId, BTreeSet<String>> =
        burst.targets.iter().map(|t| (t, BTreeSet::new())).collect();
    for alert in incident
        .alert_ids
        .iter()
        .filter(|id| !in_burst.contains(id))
        .filter_map(|id| ds.alert(id))
        .filter(|a| a.first_activity >= burst.first_activity)
    {
        for evidence in &alert.evidence {
            if let Some(titles) = targets.get_mut(&evidence.entity_id) {
                titles.insert(alert.title.to_string());
            }
        }
    }
    let mut targets: Vec<CampaignTarget> = targets
        .into_iter()
        .filter_map(|(id, titles)| {
            let entity = ds.entities.get(id)?;
            Some(CampaignTarget {
                entity_id: id.clone(),
                kind: entity.kind,
                name: entity.name.clone(),
                followed_by: titles.into_iter().collect(),
            })
        })
        .collect();
    targets.sort_by(|a, b| {
        (a.followed_by.is_empty(), &a.name).cmp(&(b.followed_by.is_empty(), &b.name))
    });
    let entity = ds.entities.get(&burst.entity_id);
    CampaignView {
        entity_id: burst.entity_id.clone(),
        entity_kind: entity.map_or(EntityKind::Other, |e| e.kind),
        entity_name: entity.map_or_else(|| burst.entity_id.to_string(), |e| e.name.clone()),
        detection: burst.detection.clone(),
        n_detection: burst.n_detection,
        n_alerts: burst.alert_ids.len(),
        n_targets: burst.targets.len(),
        n_users: burst.n_users,
        target_kind: burst.target_kind,
        span_seconds: (burst.last_activity - burst.first_activity)
            .num_seconds()
            .max(0),
        targets,
    }
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
    pub reason: NoLink,
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
    let mut candidates: Vec<(&EntityId, NoLink, Option<&str>)> = ds
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
                    NoLink::RepeatedDetection {
                        title: r.title.clone(),
                        n_days: r.n_days,
                    },
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
            title: other.title.to_string(),
            severity: other.severity,
            n_alerts: other.alert_ids.len(),
            entity_kind: entity.kind,
            entity_name: entity.name.clone(),
            reason: NoLink::RunawayGuard {
                max_alerts: ds.settings.max_incident_alerts,
            },
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
        let window = ds.settings.window_seconds(entity.kind);
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
                title: other.title.to_string(),
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
    let unlinked: BTreeMap<&EntityId, &NoLink> = ds
        .correlation
        .unlinked
        .iter()
        .map(|u| (&u.entity_id, &u.reason))
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
                    .map(|(_, e)| e.remediation_status.to_string())
                    .filter(|s| !s.is_empty())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                roles: mentions
                    .iter()
                    .flat_map(|(_, e)| e.roles.iter().map(|r| r.to_string()))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                other_incidents: ds
                    .incidents_touching(&entity.entity_id)
                    .into_iter()
                    .filter(|id| *id != incident_id)
                    .cloned()
                    .collect(),
                unlinked_reason: unlinked.get(&entity.entity_id).map(|r| (*r).clone()),
            }
        })
        .collect();
    let graph = graph_view(incident, &alerts, &entities);
    let (related, n_related) = related_not_joined(ds, incident);
    Some(IncidentView {
        campaigns: campaigns(ds, incident),
        related,
        n_related,
        managed: ds.managed.get(&incident.incident_id).cloned(),
        last_undoable: ds.edits.last_undoable(),
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
                alert: with_override(ds, a),
                joined_by: joined_by.get(a.alert_id.as_str()).map(|r| (*r).clone()),
            })
            .collect(),
        entities,
        graph,
        incident: incident.clone(),
    })
}

/// An alert's status, as the analyst set it when they did.
pub fn alert_status(ds: &Dataset, alert: &Alert) -> Status {
    ds.alert_overrides
        .get(&alert.alert_id)
        .and_then(|o| o.status)
        .unwrap_or(alert.status)
}

/// The alert with the status and classification the analyst set (the export's otherwise).
pub(super) fn with_override(ds: &Dataset, alert: &Alert) -> Alert {
    let mut alert = alert.clone();
    if let Some(o) = ds.alert_overrides.get(&alert.alert_id) {
        if let Some(status) = o.status {
            alert.status = status;
        }
        if let Some((classification, determination)) = &o.classification {
            alert.classification = crate::model::Sym::new(classification);
            alert.determination = crate::model::Sym::new(determination);
        }
    }
    alert
}
