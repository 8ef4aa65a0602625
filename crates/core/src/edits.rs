//! The analyst's changes (issue 6): a log of operations keyed by alert ids, applied on top of the
//! correlation, so that when settings change or files are added, renames, assignments, merges
//! and comments stay attached to the alerts they were made on.
//!
//! An operation names an incident by its *anchor*: the earliest alert it held when the change was
//! made (an incident's id derives from that alert too). After a re-correlation, the change
//! applies to whichever incident now holds the anchor; an anchor that is no longer loaded makes
//! the change inert (kept in the log, shown as not applied). Membership changes (merge, move,
//! split) are applied first, in log order, then annotations. Every change has a sequence number;
//! `Undo { seq }` cancels one (and undoing an undo restores it). Nothing here reads a clock: the
//! caller stamps each entry.

use crate::correlate::{self, Correlation};
use crate::model::{
    Alert, AlertId, Comment, Entity, EntityId, Incident, IncidentId, Receipt, Severity, Status,
    Sym, Timestamp,
};
use crate::model::{HashMap, HashMapExt};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Receipt rules of manual changes: why alerts are together when an analyst put them together.
pub const RULE_MANUAL_MERGE: &str = "manual-merge";
pub const RULE_MANUAL_MOVE: &str = "manual-move";
pub const RULE_MANUAL_KEPT: &str = "manual-kept";

/// One change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    Rename {
        incident: AlertId,
        title: String,
    },
    Assign {
        incident: AlertId,
        owner: String,
    },
    /// Resolving carries a note, and resolves the incident's alerts.
    SetStatus {
        incident: AlertId,
        status: Status,
        #[serde(default)]
        note: String,
    },
    Classify {
        incident: AlertId,
        classification: String,
        determination: String,
    },
    Tag {
        incident: AlertId,
        tag: String,
        add: bool,
    },
    Comment {
        incident: AlertId,
        text: String,
    },
    /// `None` returns to the severity of the alerts.
    SetSeverity {
        incident: AlertId,
        severity: Option<Severity>,
    },
    AlertStatus {
        alert: AlertId,
        status: Status,
    },
    AlertClassify {
        alert: AlertId,
        classification: String,
        determination: String,
    },
    /// The alert leaves its incident for the incident of `to`, or for a new one of its own.
    Move {
        alert: AlertId,
        to: Option<AlertId>,
    },
    /// The incidents (by anchor) become one: the first one's.
    Merge {
        incidents: Vec<AlertId>,
    },
    /// These alerts leave their incidents and become a new one together.
    Split {
        alerts: Vec<AlertId>,
    },
    Undo {
        seq: u64,
    },
}

/// A change as recorded: who, when, what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    pub at: Timestamp,
    pub author: String,
    pub op: Op,
}

/// Every change, in the order made.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EditLog {
    pub entries: Vec<Entry>,
}

impl EditLog {
    /// Appends a change and returns its sequence number.
    pub fn push(&mut self, at: Timestamp, author: &str, op: Op) -> u64 {
        let seq = self.entries.last().map_or(1, |e| e.seq + 1);
        self.entries.push(Entry {
            seq,
            at,
            author: author.to_owned(),
            op,
        });
        seq
    }

    /// Whether each entry is in force: an undo cancels its target, an undo of an undo restores
    /// it. Undo entries themselves are never "in force" as changes.
    fn in_force(&self) -> HashMap<u64, bool> {
        let mut active: HashMap<u64, bool> = HashMap::new();
        for entry in &self.entries {
            active.insert(entry.seq, true);
        }
        // Later undos decide; an undo's own cancellation flips its effect back.
        for entry in self.entries.iter().rev() {
            if let Op::Undo { seq } = entry.op {
                if active.get(&entry.seq).copied().unwrap_or(false) {
                    active.insert(seq, false);
                }
            }
        }
        active
    }

    /// The changes in force, in log order (undo entries left out).
    pub fn effective(&self) -> Vec<&Entry> {
        let active = self.in_force();
        self.entries
            .iter()
            .filter(|e| !matches!(e.op, Op::Undo { .. }))
            .filter(|e| active.get(&e.seq).copied().unwrap_or(false))
            .collect()
    }

    /// The latest change still in force that an undo would cancel.
    pub fn last_undoable(&self) -> Option<u64> {
        let active = self.in_force();
        self.entries
            .iter()
            .rev()
            .filter(|e| !matches!(e.op, Op::Undo { .. }))
            .find(|e| active.get(&e.seq).copied().unwrap_or(false))
            .map(|e| e.seq)
    }
}

/// One line of an incident's activity log (the page and the report word `op` in their language:
/// `ui::i18n::change_description`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub seq: u64,
    pub at: Timestamp,
    pub author: String,
    pub op: Op,
    /// Cancelled by a later undo.
    pub undone: bool,
}

/// What the analyst's changes add to one incident.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Managed {
    pub tags: Vec<String>,
    pub comments: Vec<Comment>,
    /// The note given when the incident was resolved.
    pub resolution_note: String,
    /// Severity set by hand (the incident's `severity` already shows it).
    pub severity_override: Option<Severity>,
    pub activity: Vec<Activity>,
}

/// An alert's status and classification set by hand.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AlertOverride {
    pub status: Option<Status>,
    pub classification: Option<(String, String)>,
}

/// The correlation with the analyst's changes applied.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Applied {
    pub incidents: Vec<Incident>,
    pub managed: HashMap<IncidentId, Managed>,
    pub alerts: HashMap<AlertId, AlertOverride>,
    /// Changes in force whose alerts are not loaded: kept, not applied.
    pub inert: Vec<u64>,
}

/// Applies `log` to `correlation` (incidents over `alerts`, in canonical order).
pub fn apply(
    correlation: &Correlation,
    alerts: &[Alert],
    entities: &HashMap<EntityId, Entity>,
    log: &EditLog,
) -> Applied {
    let index: HashMap<&AlertId, usize> = alerts
        .iter()
        .enumerate()
        .map(|(i, a)| (&a.alert_id, i))
        .collect();
    // Groups of alert indices with their receipts; `owner` maps an alert to its group.
    let mut groups: Vec<Group> = correlation
        .incidents
        .iter()
        .map(|incident| Group {
            members: incident
                .alert_ids
                .iter()
                .filter_map(|id| index.get(id).copied())
                .collect(),
            receipts: incident.receipts.clone(),
            original: Some(incident.clone()),
        })
        .collect();
    let mut owner: Vec<usize> = vec![0; alerts.len()];
    for (g, group) in groups.iter().enumerate() {
        for &a in &group.members {
            owner[a] = g;
        }
    }
    let effective = log.effective();
    let mut inert = Vec::new();
    // The groups alerts left by a move or split: their incidents' activity logs say so too.
    let mut left: HashMap<u64, BTreeSet<usize>> = HashMap::new();
    let known = |id: &AlertId| index.get(id).copied();

    // Membership first.
    for entry in &effective {
        let manual = |rule: &str, from: usize, to: usize| Receipt {
            from: alerts[from].alert_id.clone(),
            to: alerts[to].alert_id.clone(),
            rule: rule.to_owned(),
            entity_id: None,
            identifier: Some(format!("change {} by {}", entry.seq, entry.author)),
            gap_seconds: (alerts[to].first_activity - alerts[from].last_activity)
                .num_seconds()
                .max(0),
        };
        match &entry.op {
            Op::Merge { incidents } => {
                let anchors: Vec<usize> = incidents.iter().filter_map(known).collect();
                let Some(&first) = anchors.first() else {
                    inert.push(entry.seq);
                    continue;
                };
                let target = owner[first];
                for &anchor in &anchors[1..] {
                    let source = owner[anchor];
                    if source == target {
                        continue;
                    }
                    let moved = std::mem::take(&mut groups[source].members);
                    let receipts = std::mem::take(&mut groups[source].receipts);
                    let target_anchor = groups[target].anchor(alerts);
                    let source_anchor = moved
                        .iter()
                        .copied()
                        .min_by(|a, b| alerts[*a].sort_key().cmp(&alerts[*b].sort_key()));
                    for &a in &moved {
                        owner[a] = target;
                    }
                    groups[target].members.extend(moved);
                    groups[target].receipts.extend(receipts);
                    if let (Some(t), Some(s)) = (target_anchor, source_anchor) {
                        groups[target]
                            .receipts
                            .push(manual(RULE_MANUAL_MERGE, t, s));
                    }
                    groups[target].original = None;
                    groups[source].original = None;
                }
            }
            Op::Move { alert, to } => {
                let Some(a) = known(alert) else {
                    inert.push(entry.seq);
                    continue;
                };
                let target = match to {
                    Some(to) => match known(to) {
                        Some(t) => owner[t],
                        None => {
                            inert.push(entry.seq);
                            continue;
                        }
                    },
                    None => {
                        groups.push(Group::default());
                        groups.len() - 1
                    }
                };
                let source = owner[a];
                if source == target {
                    continue;
                }
                left.entry(entry.seq).or_default().insert(source);
                take_out(&mut groups[source], &[a], alerts, &manual);
                let target_anchor = groups[target].anchor(alerts);
                groups[target].members.push(a);
                groups[target].original = None;
                owner[a] = target;
                if let Some(t) = target_anchor {
                    groups[target].receipts.push(manual(RULE_MANUAL_MOVE, t, a));
                }
            }
            Op::Split { alerts: chosen } => {
                let chosen: Vec<usize> = chosen.iter().filter_map(known).collect();
                if chosen.is_empty() {
                    inert.push(entry.seq);
                    continue;
                }
                let sources: BTreeSet<usize> = chosen.iter().map(|&a| owner[a]).collect();
                left.entry(entry.seq)
                    .or_default()
                    .extend(sources.iter().copied());
                // The chosen alerts keep the links among themselves.
                let kept: Vec<Receipt> = sources
                    .iter()
                    .flat_map(|&s| groups[s].receipts.iter())
                    .filter(|r| {
                        chosen.iter().any(|&a| alerts[a].alert_id == r.from)
                            && chosen.iter().any(|&a| alerts[a].alert_id == r.to)
                    })
                    .cloned()
                    .collect();
                for &s in &sources {
                    let leaving: Vec<usize> =
                        chosen.iter().copied().filter(|&a| owner[a] == s).collect();
                    take_out(&mut groups[s], &leaving, alerts, &manual);
                }
                let mut group = Group {
                    members: chosen.clone(),
                    receipts: kept,
                    original: None,
                };
                reconnect(&mut group, alerts, &manual);
                groups.push(group);
                for &a in &chosen {
                    owner[a] = groups.len() - 1;
                }
            }
            _ => {}
        }
    }

    // Incidents: unchanged groups keep their incident; changed ones are built anew.
    let noisy: BTreeSet<&EntityId> = correlation.unlinked.iter().map(|u| &u.entity_id).collect();
    let mut incidents: Vec<Incident> = Vec::new();
    let mut incident_of_group: HashMap<usize, usize> = HashMap::new();
    let mut labels = correlate::naming::CategoryLabels::default();
    for (g, group) in groups.iter_mut().enumerate() {
        if group.members.is_empty() {
            continue;
        }
        let incident = match group.original.take() {
            Some(incident) => incident,
            None => {
                group
                    .members
                    .sort_by(|a, b| alerts[*a].sort_key().cmp(&alerts[*b].sort_key()));
                let members: Vec<&Alert> = group.members.iter().map(|&a| &alerts[a]).collect();
                correlate::build_incident(
                    &members,
                    std::mem::take(&mut group.receipts),
                    entities,
                    &noisy,
                    &mut labels,
                )
            }
        };
        incident_of_group.insert(g, incidents.len());
        incidents.push(incident);
    }

    // Annotations, and every change's line in the activity log of the incident it touched.
    let mut managed: HashMap<IncidentId, Managed> = HashMap::new();
    let mut alert_overrides: HashMap<AlertId, AlertOverride> = HashMap::new();
    let active = log.in_force();
    let incident_at = |a: usize| incident_of_group.get(&owner[a]).copied();
    // The alerts' severity of each incident, which a reset override returns to.
    let alerts_severity: Vec<Severity> = incidents.iter().map(|i| i.severity).collect();
    for entry in &log.entries {
        if matches!(entry.op, Op::Undo { .. }) {
            continue;
        }
        let in_force = active.get(&entry.seq).copied().unwrap_or(false);
        let subject = match &entry.op {
            Op::Rename { incident, .. }
            | Op::Assign { incident, .. }
            | Op::SetStatus { incident, .. }
            | Op::Classify { incident, .. }
            | Op::Tag { incident, .. }
            | Op::Comment { incident, .. }
            | Op::SetSeverity { incident, .. } => known(incident),
            Op::AlertStatus { alert, .. }
            | Op::AlertClassify { alert, .. }
            | Op::Move { alert, .. } => known(alert),
            Op::Merge { incidents } => incidents.iter().find_map(known),
            Op::Split { alerts: chosen } => chosen.iter().find_map(known),
            Op::Undo { .. } => None,
        };
        let Some(i) = subject.and_then(incident_at) else {
            if in_force && !inert.contains(&entry.seq) {
                inert.push(entry.seq);
            }
            continue;
        };
        let activity = Activity {
            seq: entry.seq,
            at: entry.at,
            author: entry.author.clone(),
            op: entry.op.clone(),
            undone: !in_force,
        };
        let mut others: BTreeSet<usize> = left
            .get(&entry.seq)
            .into_iter()
            .flatten()
            .filter_map(|g| incident_of_group.get(g).copied())
            .collect();
        // A merge or split that was undone: each incident that holds its alerts again.
        match &entry.op {
            Op::Merge { incidents: anchors } => {
                others.extend(anchors.iter().filter_map(known).filter_map(incident_at))
            }
            Op::Split { alerts: chosen } => {
                others.extend(chosen.iter().filter_map(known).filter_map(incident_at))
            }
            _ => {}
        }
        for other in others.into_iter().filter(|&other| other != i) {
            managed
                .entry(incidents[other].incident_id.clone())
                .or_default()
                .activity
                .push(activity.clone());
        }
        let incident = &mut incidents[i];
        let m = managed.entry(incident.incident_id.clone()).or_default();
        m.activity.push(activity);
        if !in_force {
            continue;
        }
        match &entry.op {
            Op::Rename { title, .. } => incident.title = Sym::new(title),
            Op::Assign { owner, .. } => incident.assigned_to = Sym::new(owner),
            Op::SetStatus { status, note, .. } => {
                incident.status = *status;
                if *status == Status::Resolved {
                    m.resolution_note = note.clone();
                    for id in &incident.alert_ids {
                        alert_overrides.entry(id.clone()).or_default().status =
                            Some(Status::Resolved);
                    }
                }
            }
            Op::Classify {
                classification,
                determination,
                ..
            } => {
                incident.classification = Sym::new(classification);
                incident.determination = Sym::new(determination);
            }
            Op::Tag { tag, add, .. } => {
                m.tags.retain(|t| t != tag);
                if *add {
                    m.tags.push(tag.clone());
                }
            }
            Op::Comment { text, .. } => m.comments.push(Comment {
                author: entry.author.clone(),
                created: Some(entry.at),
                text: text.clone(),
            }),
            Op::SetSeverity { severity, .. } => {
                m.severity_override = *severity;
                incident.severity = severity.unwrap_or(alerts_severity[i]);
            }
            Op::AlertStatus { alert, status } => {
                alert_overrides.entry(alert.clone()).or_default().status = Some(*status);
            }
            Op::AlertClassify {
                alert,
                classification,
                determination,
            } => {
                alert_overrides
                    .entry(alert.clone())
                    .or_default()
                    .classification = Some((classification.clone(), determination.clone()));
            }
            Op::Move { .. } | Op::Merge { .. } | Op::Split { .. } | Op::Undo { .. } => {}
        }
    }
    incidents.sort_by(|a, b| {
        (a.first_activity, &a.incident_id).cmp(&(b.first_activity, &b.incident_id))
    });
    inert.sort_unstable();
    inert.dedup();
    Applied {
        incidents,
        managed,
        alerts: alert_overrides,
        inert,
    }
}

#[derive(Default)]
struct Group {
    members: Vec<usize>,
    receipts: Vec<Receipt>,
    /// The correlation's incident, while nothing changed the group.
    original: Option<Incident>,
}

impl Group {
    fn anchor(&self, alerts: &[Alert]) -> Option<usize> {
        self.members
            .iter()
            .copied()
            .min_by(|a, b| alerts[*a].sort_key().cmp(&alerts[*b].sort_key()))
    }
}

/// Removes `leaving` from a group; the receipts that named them go, and the alerts that stay
/// are kept together (they were one incident) with `manual-kept` receipts where they came apart.
fn take_out(
    group: &mut Group,
    leaving: &[usize],
    alerts: &[Alert],
    manual: &dyn Fn(&str, usize, usize) -> Receipt,
) {
    let gone: BTreeSet<&AlertId> = leaving.iter().map(|&a| &alerts[a].alert_id).collect();
    group.members.retain(|a| !leaving.contains(a));
    group
        .receipts
        .retain(|r| !gone.contains(&r.from) && !gone.contains(&r.to));
    group.original = None;
    reconnect(group, alerts, manual);
}

/// Links the components of a group that its receipts leave apart, earliest component first.
fn reconnect(group: &mut Group, alerts: &[Alert], manual: &dyn Fn(&str, usize, usize) -> Receipt) {
    if group.members.len() < 2 {
        return;
    }
    let position: HashMap<&AlertId, usize> = group
        .members
        .iter()
        .enumerate()
        .map(|(p, &a)| (&alerts[a].alert_id, p))
        .collect();
    let mut sets = crate::entities::DisjointSets::new(group.members.len());
    for r in &group.receipts {
        if let (Some(&a), Some(&b)) = (position.get(&r.from), position.get(&r.to)) {
            sets.union(a, b);
        }
    }
    let mut earliest_of: BTreeMap<usize, usize> = BTreeMap::new();
    for (p, &a) in group.members.iter().enumerate() {
        let root = sets.find_mut(p);
        let slot = earliest_of.entry(root).or_insert(a);
        if alerts[a].sort_key() < alerts[*slot].sort_key() {
            *slot = a;
        }
    }
    let mut anchors: Vec<usize> = earliest_of.into_values().collect();
    anchors.sort_by(|a, b| alerts[*a].sort_key().cmp(&alerts[*b].sort_key()));
    for pair in anchors.windows(2) {
        group
            .receipts
            .push(manual(RULE_MANUAL_KEPT, pair[0], pair[1]));
    }
}
