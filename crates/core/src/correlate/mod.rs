//! Correlation: alerts that share an entity within a time window become one incident.
//!
//! For each entity that may link (strongly identified, not built-in, not too prevalent, of a kind
//! that links, not on the never-link list), its alerts are walked in time order and each one is
//! linked to the earlier alert whose activity ended last, when the gap is within the kind's
//! window. The edges are then taken in a canonical order (smallest gap first) into a union-find;
//! the ones that joined two groups are the incident's receipts, a spanning tree that explains
//! every member. Groups, ids and receipts depend only on the alerts, never on their input order.
//!
//! Which of an entity's alerts may link through it is decided from the time structure of its
//! alerts (`shape.rs`): a **burst** (many alerts of one detection against many targets within
//! hours, far denser than the entity's own rate around them: a password spray's address, a
//! brute-forcing workstation) links as one campaign ([`Burst`], receipts with
//! [`RULE_CAMPAIGN`]); outside bursts an alert is **background** for the entity where the entity
//! is prevalent in the export (then none of it links, bursts included), or where within
//! `background_days` either side its alerts name `noisy_fan_out` different devices, users and
//! mailboxes (at most three per alert, so one alert naming fourteen accounts is one event) or,
//! for an artifact, fall on `noisy_min_days` different days. A detection recurring on an entity
//! on `noisy_min_days` days nearby does not link through it ([`Repeated`]). All are decided from
//! the data, in neighbourhoods rather than totals over the export, so an address that returns
//! months apart still links each attack. Background entities stay visible in their incidents
//! (`unlinked`, with the reason). Campaign incidents get Defender's titles ("Password spray
//! attack involving multiple users") and at least High severity once a target shows compromise.
//! Measured against generated ground truth by `bin/quality` (docs/benchmarks.md).

pub mod input;
pub mod naming;
mod shape;

use crate::entities::DisjointSets;
use crate::model::{
    Alert, AlertId, Entity, EntityId, EntityKind, Incident, IncidentId, Receipt, Status, Sym,
};
use crate::model::{HashMap, HashMapExt};
use crate::spread::Spread;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// Tunable correlation settings: the JSON `alertweave analyze --config` reads (schema in
/// `docs/settings.schema.json`). Absent keys keep their defaults; unknown keys are an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Longest gap, in hours, between two alerts that share an entity of this kind for them to join.
    pub time_window_hours: BTreeMap<EntityKind, f64>,
    /// An entity in at least this many alerts may be noisy (see `noisy_share`).
    pub noisy_min_alerts: usize,
    /// An entity in more than this share of all alerts (and at least `noisy_min_alerts`) is noisy.
    pub noisy_share: f64,
    /// An artifact (file, process, IP, URL, app...; not a device, user or mailbox) whose alerts
    /// fall on at least this many different UTC days within `background_days` either side of
    /// an alert recurs in the background there (0 switches this test off).
    pub noisy_min_days: usize,
    /// Outside bursts, an entity whose alerts within `background_days` either side of an alert
    /// name at least this many different devices, users and mailboxes besides itself fans out
    /// across the tenant there (a domain controller, a proxy, SharePoint, a stock installer's
    /// hash, a generic registry key); 0 switches this test off.
    pub noisy_fan_out: usize,
    /// A burst (many alerts naming one entity against many targets within hours: a password
    /// spray's IP, a brute-forcing workstation) needs at least this many alerts; its alerts link
    /// through the entity even when the entity is background otherwise (0 switches bursts off).
    pub burst_min_alerts: usize,
    /// The window, in hours, within which a burst's alerts are far denser than the entity's own
    /// rate around them.
    pub burst_window_hours: f64,
    /// A burst names at least this many different devices, users and mailboxes.
    pub burst_min_targets: usize,
    /// The neighbourhood, in days either side of an alert, over which fan-out, recurrence and a
    /// repeated detection are judged (local, so a long export does not silence an entity that
    /// returns months apart).
    pub background_days: f64,
    /// The most alerts one incident may hold (0: no cap). A linked group beyond it is a runaway
    /// (a noisy entity that escaped the tests above): it is split into connected parts of at
    /// most this many alerts, taking its links in time order, and each part says so.
    pub max_incident_alerts: usize,
    /// Entity kinds that link alerts.
    pub link_kinds: BTreeSet<EntityKind>,
    /// Entity names or identifier values that never link (case-insensitive), e.g. a scanner's IP.
    pub never_link: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        let hours = [
            (EntityKind::Device, 24.0),
            (EntityKind::User, 24.0),
            (EntityKind::Mailbox, 48.0),
            (EntityKind::MailMessage, 168.0),
            (EntityKind::Ip, 6.0),
            (EntityKind::Url, 72.0),
            (EntityKind::Domain, 72.0),
            (EntityKind::File, 24.0),
            (EntityKind::Process, 24.0),
            (EntityKind::CloudApp, 6.0),
            (EntityKind::RegistryKey, 48.0),
            (EntityKind::RegistryValue, 48.0),
            (EntityKind::Other, 24.0),
        ];
        Settings {
            time_window_hours: hours.into_iter().collect(),
            noisy_min_alerts: 10,
            noisy_share: 0.10,
            noisy_min_days: 4,
            noisy_fan_out: 10,
            burst_min_alerts: 5,
            burst_window_hours: 3.0,
            burst_min_targets: 3,
            background_days: 14.0,
            max_incident_alerts: 500,
            // Context by default: cloud apps (Exchange Online, SharePoint, Dropbox) are services
            // everyone uses (add `cloud_app` to follow a malicious OAuth app); a registry key
            // (`HKLM\...\Run`) is a place every machine has, while the value written there,
            // which does link, names what was put in it.
            link_kinds: EntityKind::ALL
                .into_iter()
                .filter(|k| {
                    !matches!(
                        k,
                        EntityKind::Other | EntityKind::CloudApp | EntityKind::RegistryKey
                    )
                })
                .collect(),
            never_link: Vec::new(),
        }
    }
}

impl Settings {
    /// Reads settings JSON; `{}` means defaults. The error names an unknown key.
    pub fn from_json(text: &str) -> Result<Settings, String> {
        let mut settings: Settings = serde_json::from_str(text).map_err(|e| e.to_string())?;
        // Kinds missing from a partial window map keep their default window.
        for (kind, hours) in Settings::default().time_window_hours {
            settings.time_window_hours.entry(kind).or_insert(hours);
        }
        if !(0.0..=1.0).contains(&settings.noisy_share) {
            return Err(format!(
                "noisy_share must be between 0 and 1, not {}",
                settings.noisy_share
            ));
        }
        for (name, value) in [
            ("burst_window_hours", settings.burst_window_hours),
            ("background_days", settings.background_days),
        ] {
            if !value.is_finite() || value <= 0.0 {
                return Err(format!("{name} must be a number above 0, not {value}"));
            }
        }
        if let Some((kind, hours)) = settings
            .time_window_hours
            .iter()
            .find(|(_, h)| !h.is_finite() || **h < 0.0)
        {
            return Err(format!(
                "time_window_hours.{} must be a number of hours ≥ 0, not {hours}",
                kind.as_str()
            ));
        }
        Ok(settings)
    }

    /// The longest gap, in seconds, over which an entity of this kind links two alerts.
    pub fn window_seconds(&self, kind: EntityKind) -> i64 {
        (self.time_window_hours.get(&kind).copied().unwrap_or(24.0) * 3600.0) as i64
    }
}

/// How alerts are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// Alertweave's own correlation.
    #[default]
    Correlate,
    /// The incident ids the export carries.
    SourceIncidents,
}

/// An entity that was kept from linking, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unlinked {
    pub entity_id: EntityId,
    pub n_alerts: usize,
    pub reason: NoLink,
}

/// Why alerts that share an entity were not joined through it: data, put in words per language
/// by `alertweave-text` (`i18n::reason_text`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NoLink {
    /// A built-in account (SYSTEM, LOCAL SERVICE): it identifies no one.
    BuiltIn,
    /// The settings switch this kind's linking off.
    KindOff { kind: EntityKind },
    /// On the settings' never-link list.
    NeverLink,
    /// Only weakly identified (a bare name).
    Weak,
    /// In more alerts than the prevalence threshold.
    Prevalent { n_alerts: usize, threshold: usize },
    /// Its alerts name at least `n_fan_out` different devices, users and mailboxes.
    FansOut { n_fan_out: usize, noisy_from: usize },
    /// An artifact whose alerts recur on many different days.
    Recurs {
        n_alerts: usize,
        n_days: usize,
        noisy_from: usize,
    },
    /// The same detection recurs on this entity on many days ([`Repeated`]).
    RepeatedDetection { title: String, n_days: usize },
    /// Joining would make one incident larger than `max_incident_alerts`.
    RunawayGuard { max_alerts: usize },
}

/// A detection that recurs on one entity on many days (benign DCSync from the directory sync
/// server, a vulnerability scanner's DNS queries): its alerts do not link through that entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repeated {
    pub entity_id: EntityId,
    pub title: String,
    pub n_alerts: usize,
    pub n_days: usize,
}

/// The incidents, and the entities (or detections on an entity) that were not allowed to link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Correlation {
    pub incidents: Vec<Incident>,
    pub unlinked: Vec<Unlinked>,
    #[serde(default)]
    pub repeated: Vec<Repeated>,
    /// Links not taken because the incident would have exceeded `max_incident_alerts`.
    #[serde(default)]
    pub cut: Vec<Receipt>,
    /// Entities whose alerts came in bursts (a campaign), whatever their background.
    #[serde(default)]
    pub bursts: Vec<Burst>,
}

/// Many alerts naming one entity against many targets within hours (a password spray's IP, a
/// brute-forcing workstation): they link through it as one campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Burst {
    pub entity_id: EntityId,
    pub alert_ids: Vec<AlertId>,
    /// The different devices, users and mailboxes its alerts name besides the entity (built-in
    /// accounts left out), sorted.
    pub targets: Vec<EntityId>,
    /// Of those, the users.
    pub n_users: usize,
    /// The detection (alert title) the burst repeats most, and how many of its alerts have it.
    pub detection: String,
    pub n_detection: usize,
    /// The kind its targets mostly are (users for a spray, devices for a worm).
    pub target_kind: EntityKind,
    pub first_activity: crate::model::Timestamp,
    pub last_activity: crate::model::Timestamp,
}

/// Rule names written into receipts.
pub const RULE_SHARED_ENTITY: &str = "shared-entity";
pub const RULE_SOURCE_INCIDENT: &str = "source-incident";
/// Two alerts of one burst: they share the entity the campaign came from.
pub const RULE_CAMPAIGN: &str = "campaign";

/// Groups `alerts` (any order) into incidents. `entities` must hold every entity the alerts name.
pub fn correlate(
    alerts: &[Alert],
    entities: &HashMap<EntityId, Entity>,
    settings: &Settings,
    grouping: Grouping,
    spread: &dyn Spread,
) -> Correlation {
    let mut order: Vec<usize> = (0..alerts.len()).collect();
    order.sort_by(|&a, &b| alerts[a].sort_key().cmp(&alerts[b].sort_key()));
    let alerts: Vec<&Alert> = order.iter().map(|&i| &alerts[i]).collect();

    // Each entity's alerts in alert order, the entities then taken in id order.
    let mut alerts_of_entity: HashMap<&EntityId, Vec<usize>> = HashMap::new();
    let mut distinct: Vec<&EntityId> = Vec::new();
    for (index, alert) in alerts.iter().enumerate() {
        // A file named only as a process's image (powershell.exe) is context: it neither links
        // nor counts towards prevalence.
        distinct.clear();
        distinct.extend(
            alert
                .evidence
                .iter()
                .filter(|e| {
                    !(e.roles.len() == 1 && e.roles[0] == crate::ingest::ROLE_PROCESS_IMAGE)
                })
                .map(|e| &e.entity_id),
        );
        distinct.sort_unstable();
        distinct.dedup();
        for &entity_id in &distinct {
            alerts_of_entity.entry(entity_id).or_default().push(index);
        }
    }
    let mut alerts_of_entity: Vec<(&EntityId, Vec<usize>)> = alerts_of_entity.into_iter().collect();
    alerts_of_entity.sort_unstable_by(|a, b| a.0.cmp(b.0));
    // Each alert's devices, users and mailboxes (built-in accounts left out), for fan-out and
    // a burst's targets.
    let assets_of_alert: Vec<Vec<&EntityId>> = alerts
        .iter()
        .map(|a| {
            let mut assets: Vec<&EntityId> = a
                .evidence
                .iter()
                .map(|e| &e.entity_id)
                .filter(|id| {
                    entities
                        .get(*id)
                        .is_some_and(|e| is_person_or_machine(e.kind) && !e.builtin)
                })
                .collect();
            assets.sort_unstable();
            assets.dedup();
            assets
        })
        .collect();
    let pass = EntityPass {
        alerts: &alerts,
        entities,
        settings,
        assets_of_alert: &assets_of_alert,
        threshold: settings
            .noisy_min_alerts
            .max((settings.noisy_share * alerts.len() as f64).ceil() as usize),
        never_link: settings
            .never_link
            .iter()
            .map(|s| s.trim().to_lowercase())
            .collect(),
        grouping,
    };
    // What each entity's alerts say (its bursts, background and links), entity by entity on
    // the cores `spread` has, kept in the entities' order.
    let outcomes = crate::spread::map(spread, &mut alerts_of_entity, &|| (), &|_, item| {
        pass.outcome(item.0, &item.1)
    });
    let mut unlinked = Vec::new();
    let mut repeated = Vec::new();
    let mut bursts = Vec::new();
    let mut edges: Vec<Edge> = Vec::with_capacity(outcomes.iter().map(|o| o.edges.len()).sum());
    for out in outcomes {
        unlinked.extend(out.unlinked);
        bursts.extend(out.bursts);
        repeated.extend(out.repeated);
        edges.extend(out.edges);
    }
    if grouping == Grouping::SourceIncidents {
        edges = source_incident_edges(&alerts);
    }

    // Canonical order: the closest links first, so receipts show the tightest reason.
    edges.sort_by(|a, b| {
        (a.gap_seconds, a.rule, a.entity_id(), a.from, a.to).cmp(&(
            b.gap_seconds,
            b.rule,
            b.entity_id(),
            b.from,
            b.to,
        ))
    });
    let mut sets = DisjointSets::new(alerts.len());
    let mut receipts_of_root: HashMap<usize, Vec<Receipt>> = HashMap::new();
    let mut kept: Vec<Edge> = Vec::new();
    for edge in edges {
        if sets.union(edge.from, edge.to) {
            kept.push(edge);
        }
    }
    // Receipts read as a chain: in the time order of the alert each one brings in.
    kept.sort_by_key(|e| (e.to, e.from));
    let receipt = |edge: &Edge| Receipt {
        from: alerts[edge.from].alert_id.clone(),
        to: alerts[edge.to].alert_id.clone(),
        rule: edge.rule.to_owned(),
        entity_id: edge.entity_id().cloned(),
        identifier: edge.identifier(),
        gap_seconds: edge.gap_seconds,
    };
    // The runaway guard: the group's links are taken again in that time order, each only while
    // the part it makes stays within the cap, so every part is connected by its own receipts.
    let cap = match grouping {
        Grouping::Correlate if settings.max_incident_alerts > 0 => settings.max_incident_alerts,
        _ => usize::MAX,
    };
    let mut parts = DisjointSets::new(alerts.len());
    let mut size = vec![1usize; alerts.len()];
    let mut cut = Vec::new();
    let mut taken: Vec<&Edge> = Vec::new();
    for edge in &kept {
        let (a, b) = (parts.find_mut(edge.from), parts.find_mut(edge.to));
        if size[a] + size[b] > cap {
            cut.push(receipt(edge));
            continue;
        }
        parts.union(a, b);
        let root = parts.find_mut(a);
        size[root] = size[a] + size[b];
        taken.push(edge);
    }
    for edge in taken {
        let root = parts.find_mut(edge.from);
        receipts_of_root
            .entry(root)
            .or_default()
            .push(receipt(edge));
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut parts_of_group: HashMap<usize, BTreeSet<usize>> = HashMap::new();
    let mut group_size: HashMap<usize, usize> = HashMap::new();
    for index in 0..alerts.len() {
        let part = parts.find_mut(index);
        let group = sets.find_mut(index);
        groups.entry(part).or_default().push(index);
        parts_of_group.entry(group).or_default().insert(part);
        *group_size.entry(group).or_default() += 1;
    }
    let noisy: BTreeSet<&EntityId> = unlinked.iter().map(|u| &u.entity_id).collect();
    // Each part's alerts, receipts and split note; the incidents built part by part on the
    // cores `spread` has, each core labelling categories in a memo of its own.
    let mut parts: Vec<(Vec<usize>, Vec<Receipt>, Option<crate::model::SplitNote>)> = groups
        .into_iter()
        .map(|(root, indices)| {
            let receipts = receipts_of_root.remove(&root).unwrap_or_default();
            let group = sets.find_mut(indices[0]);
            let n_parts = parts_of_group.get(&group).map_or(1, BTreeSet::len);
            let split = (n_parts > 1).then(|| crate::model::SplitNote {
                group_alerts: group_size.get(&group).copied().unwrap_or(0),
                parts: n_parts,
                cap,
            });
            (indices, receipts, split)
        })
        .collect();
    let mut incidents: Vec<Incident> = crate::spread::map(
        spread,
        &mut parts,
        &naming::CategoryLabels::default,
        &|labels, (indices, receipts, split)| {
            let members: Vec<&Alert> = indices.iter().map(|&i| alerts[i]).collect();
            let receipts = std::mem::take(receipts);
            let mut incident = build_incident(&members, receipts, entities, &noisy, labels);
            if let Some(split) = split.take() {
                incident.split = Some(split);
            }
            incident
        },
    );
    incidents.sort_by(|a, b| {
        (a.first_activity, &a.incident_id).cmp(&(b.first_activity, &b.incident_id))
    });
    bursts.sort_by(|a, b| (a.first_activity, &a.entity_id).cmp(&(b.first_activity, &b.entity_id)));
    name_campaigns(&mut incidents, &bursts, &alerts, entities);
    let mut interner = crate::model::Interner::default();
    for incident in &mut incidents {
        incident.share_text(&mut interner);
    }
    unlinked.sort_by(|a, b| {
        b.n_alerts
            .cmp(&a.n_alerts)
            .then(a.entity_id.cmp(&b.entity_id))
    });
    repeated.sort_by(|a, b| {
        (b.n_alerts, &a.entity_id, &a.title).cmp(&(a.n_alerts, &b.entity_id, &b.title))
    });
    Correlation {
        incidents,
        unlinked,
        repeated,
        cut,
        bursts,
    }
}

/// Incidents built around a campaign read like Defender's: the campaign's title ("Password spray
/// attack involving multiple users") where its burst is most of the incident, and at least High
/// severity once a targeted account shows compromise afterwards (an alert on it, after the burst
/// began, that is not part of the burst: a token replay, an inbox rule).
fn name_campaigns(
    incidents: &mut [Incident],
    bursts: &[Burst],
    alerts: &[&Alert],
    entities: &HashMap<EntityId, Entity>,
) {
    if bursts.is_empty() {
        return;
    }
    let incident_of: HashMap<AlertId, usize> = incidents
        .iter()
        .enumerate()
        .flat_map(|(k, incident)| incident.alert_ids.iter().map(move |id| (id.clone(), k)))
        .collect();
    let alert_of: HashMap<&AlertId, &Alert> = alerts.iter().map(|a| (&a.alert_id, *a)).collect();
    let mut renamed: BTreeSet<usize> = BTreeSet::new();
    for burst in bursts {
        let Some(&k) = burst.alert_ids.first().and_then(|id| incident_of.get(id)) else {
            continue;
        };
        let in_burst: BTreeSet<&AlertId> = burst.alert_ids.iter().collect();
        let targets: BTreeSet<&EntityId> = burst
            .targets
            .iter()
            .filter(|id| {
                entities
                    .get(*id)
                    .is_some_and(|e| e.kind == EntityKind::User)
            })
            .collect();
        let incident = &mut incidents[k];
        // One title per incident: the first (earliest) campaign of one detection (a spray, a
        // brute force; not a stolen account's several steps) that is most of the incident.
        let one_detection = burst.n_detection * 3 >= burst.alert_ids.len() * 2;
        if one_detection
            && burst.alert_ids.len() * 2 >= incident.alert_ids.len()
            && renamed.insert(k)
        {
            incident.title = naming::campaign_title(&burst.detection, burst.target_kind).into();
        }
        let compromised = incident
            .alert_ids
            .iter()
            .filter(|id| !in_burst.contains(id))
            .filter_map(|id| alert_of.get(id))
            .any(|a| {
                a.first_activity >= burst.first_activity
                    && a.evidence.iter().any(|e| targets.contains(&e.entity_id))
            });
        if compromised && incident.severity < crate::model::Severity::High {
            incident.severity = crate::model::Severity::High;
        }
    }
}

/// Whether an entity kind names the people and machines incidents are about (their alerts weeks
/// apart are kept apart by the time window, not by recurrence).
fn is_person_or_machine(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::Device | EntityKind::User | EntityKind::Mailbox
    )
}

/// What keeps an entity from linking whenever its alerts came: what it is, and the settings.
fn unlink_reason(entity: &Entity, settings: &Settings, never_link: &[String]) -> Option<NoLink> {
    if entity.builtin {
        return Some(NoLink::BuiltIn);
    }
    if !settings.link_kinds.contains(&entity.kind) {
        return Some(NoLink::KindOff { kind: entity.kind });
    }
    let listed = never_link.iter().any(|n| {
        entity.name.to_lowercase() == *n
            || entity
                .identifiers
                .iter()
                .any(|i| i.key.split_once(':').is_some_and(|(_, v)| v == n))
    });
    if listed {
        return Some(NoLink::NeverLink);
    }
    if !entity.identifiers.iter().any(|i| i.strong) {
        return Some(NoLink::Weak);
    }
    None
}

/// What the correlation reads of every entity's alerts ([`correlate`]).
struct EntityPass<'a> {
    /// In canonical order.
    alerts: &'a [&'a Alert],
    entities: &'a HashMap<EntityId, Entity>,
    settings: &'a Settings,
    /// Each alert's devices, users and mailboxes.
    assets_of_alert: &'a [Vec<&'a EntityId>],
    /// Alerts from which an entity is prevalent.
    threshold: usize,
    /// `settings.never_link`, trimmed and lower-cased.
    never_link: Vec<String>,
    grouping: Grouping,
}

impl<'a> EntityPass<'a> {
    /// What the alerts `members` (by index, in order) say of the entity `entity_id`.
    fn outcome(&self, entity_id: &'a EntityId, members: &[usize]) -> EntityOutcome<'a> {
        let EntityPass {
            alerts,
            entities,
            settings,
            assets_of_alert,
            threshold,
            ref never_link,
            grouping,
        } = *self;
        // An entity of one alert links nothing, and says nothing unless one alert can be a
        // burst or a detection repeated on enough days.
        let one_alert_is_silent = settings.burst_min_alerts != 1 && settings.noisy_min_days != 1;
        let mut out = EntityOutcome::default();
        if members.len() == 1 && one_alert_is_silent {
            return out;
        }
        let Some(entity) = entities.get(entity_id) else {
            return out;
        };
        if let Some(reason) = unlink_reason(entity, settings, never_link) {
            // A kind switched off in the settings is context, not noise: it is not reported
            // (an incident's cloud apps stay among its impacted assets).
            if members.len() > 1 && settings.link_kinds.contains(&entity.kind) {
                out.unlinked.push(Unlinked {
                    entity_id: entity_id.clone(),
                    n_alerts: members.len(),
                    reason,
                });
            }
            return out;
        }
        // Bursts and background, from the time structure of the entity's alerts (shape.rs).
        let shaped: Vec<shape::Member<&EntityId>> = members
            .iter()
            .map(|&i| shape::Member {
                time: alerts[i].first_activity.timestamp(),
                day: alerts[i].first_activity.timestamp().div_euclid(86_400),
                title: alerts[i].title.as_str(),
                assets: &assets_of_alert[i],
            })
            .collect();
        let params = shape::Params {
            burst_min_alerts: settings.burst_min_alerts,
            burst_half_window: (settings.burst_window_hours * 1800.0) as i64,
            burst_min_targets: settings.burst_min_targets,
            radius: (settings.background_days * 86_400.0) as i64,
            fan_out: settings.noisy_fan_out,
            min_days: settings.noisy_min_days,
            prevalent_above: threshold,
            artifact: !is_person_or_machine(entity.kind),
        };
        let decided = shape::shape(&shaped, entity_id, &params);
        if let Some(reason) = decided.reason.clone() {
            if members.len() > 1 {
                out.unlinked.push(Unlinked {
                    entity_id: entity_id.clone(),
                    n_alerts: decided.background.iter().filter(|b| **b).count(),
                    reason,
                });
            }
        }
        if grouping != Grouping::Correlate {
            return out;
        }
        for run in &decided.bursts {
            let in_run: Vec<usize> = run.members.iter().map(|&k| members[k]).collect();
            let targets: BTreeSet<&EntityId> = in_run
                .iter()
                .flat_map(|&i| assets_of_alert[i].iter().copied())
                .filter(|a| *a != entity_id)
                .collect();
            let mut by_kind: BTreeMap<EntityKind, usize> = BTreeMap::new();
            for target in &targets {
                if let Some(e) = entities.get(*target) {
                    *by_kind.entry(e.kind).or_default() += 1;
                }
            }
            let n_users = by_kind.get(&EntityKind::User).copied().unwrap_or(0);
            let target_kind = by_kind
                .iter()
                .max_by_key(|(kind, n)| (**n, std::cmp::Reverse(**kind)))
                .map_or(EntityKind::User, |(kind, _)| *kind);
            let mut by_title: BTreeMap<&str, usize> = BTreeMap::new();
            for &i in &in_run {
                *by_title.entry(alerts[i].title.as_str()).or_default() += 1;
            }
            let (detection, n_detection) = by_title
                .iter()
                .max_by_key(|(title, n)| (**n, std::cmp::Reverse(**title)))
                .map_or((String::new(), 0), |(title, n)| ((*title).to_owned(), *n));
            out.bursts.push(Burst {
                entity_id: entity_id.clone(),
                alert_ids: in_run.iter().map(|&i| alerts[i].alert_id.clone()).collect(),
                targets: targets.iter().map(|&t| t.clone()).collect(),
                n_users,
                detection,
                n_detection,
                target_kind,
                first_activity: alerts[in_run[0]].first_activity,
                last_activity: in_run
                    .iter()
                    .map(|&i| alerts[i].last_activity)
                    .max()
                    .unwrap_or(alerts[in_run[0]].last_activity),
            });
        }
        // The same detection on this entity on many days nearby is a recurring pattern, not an
        // attack unfolding: those alerts do not link through it (others still do).
        for (title, n_alerts, n_days) in decided.repeated_titles {
            out.repeated.push(Repeated {
                entity_id: entity_id.clone(),
                title,
                n_alerts,
                n_days,
            });
        }
        let linking: Vec<usize> = members
            .iter()
            .enumerate()
            .filter(|(k, _)| !decided.background[*k] && !decided.repeated[*k])
            .map(|(_, &i)| i)
            .collect();
        let in_a_burst: BTreeSet<usize> = decided
            .bursts
            .iter()
            .flat_map(|run| run.members.iter().map(|&k| members[k]))
            .collect();
        out.edges.extend(
            entity_edges(
                alerts,
                &linking,
                entity,
                settings.window_seconds(entity.kind),
            )
            .into_iter()
            .map(|mut edge| {
                if in_a_burst.contains(&edge.from) && in_a_burst.contains(&edge.to) {
                    edge.rule = RULE_CAMPAIGN;
                }
                edge
            }),
        );
        out
    }
}

/// What one entity's alerts say ([`correlate`]).
#[derive(Default)]
struct EntityOutcome<'a> {
    unlinked: Vec<Unlinked>,
    bursts: Vec<Burst>,
    repeated: Vec<Repeated>,
    edges: Vec<Edge<'a>>,
}

/// A link between two alerts (by index), before it is kept as a receipt: nothing of it is
/// allocated (there is one per alert and entity it shares with an earlier alert).
struct Edge<'a> {
    gap_seconds: i64,
    rule: &'static str,
    /// The entity shared, for a shared-entity or campaign link.
    entity: Option<&'a Entity>,
    /// The source incident both alerts are in, for a source-incident link.
    source_incident: Option<&'a str>,
    from: usize,
    to: usize,
}

impl Edge<'_> {
    fn entity_id(&self) -> Option<&EntityId> {
        self.entity.map(|e| &e.entity_id)
    }

    /// What the link was made through: the entity's first strong identifier, or the source
    /// incident's id.
    fn identifier(&self) -> Option<String> {
        match (self.entity, self.source_incident) {
            (Some(entity), _) => entity
                .identifiers
                .iter()
                .find(|i| i.strong)
                .map(|i| i.key.clone()),
            (None, Some(id)) => Some(format!("incidentId {id}")),
            (None, None) => None,
        }
    }
}

/// Links each alert of an entity to the earlier one whose activity ended last, within the window.
fn entity_edges<'a>(
    alerts: &[&Alert],
    members: &[usize],
    entity: &'a Entity,
    window: i64,
) -> Vec<Edge<'a>> {
    let mut edges = Vec::new();
    let mut latest: Option<usize> = None;
    for &index in members {
        if let Some(previous) = latest {
            let gap = (alerts[index].first_activity - alerts[previous].last_activity)
                .num_seconds()
                .max(0);
            if gap <= window {
                edges.push(Edge {
                    gap_seconds: gap,
                    rule: RULE_SHARED_ENTITY,
                    entity: Some(entity),
                    source_incident: None,
                    from: previous,
                    to: index,
                });
            }
            if alerts[index].last_activity > alerts[previous].last_activity {
                latest = Some(index);
            }
        } else {
            latest = Some(index);
        }
    }
    edges
}

/// Chains the alerts of each source incident in time order.
fn source_incident_edges<'a>(alerts: &[&'a Alert]) -> Vec<Edge<'a>> {
    let mut by_incident: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, alert) in alerts.iter().enumerate() {
        if let Some(id) = alert.source_incident_id.as_deref() {
            by_incident.entry(id).or_default().push(index);
        }
    }
    let mut edges = Vec::new();
    for (id, members) in by_incident {
        for pair in members.windows(2) {
            let gap = (alerts[pair[1]].first_activity - alerts[pair[0]].last_activity)
                .num_seconds()
                .max(0);
            edges.push(Edge {
                gap_seconds: gap,
                rule: RULE_SOURCE_INCIDENT,
                entity: None,
                source_incident: Some(id),
                from: pair[0],
                to: pair[1],
            });
        }
    }
    edges
}

/// The id of an incident: a short hash of its earliest alert's id (canonical order).
pub fn incident_id(earliest: &AlertId) -> IncidentId {
    // The first 12 hex digits (6 bytes) of the SHA-256.
    let digest = Sha256::digest(earliest.as_str().as_bytes());
    IncidentId::new(format!("aw-{}", hex::encode(&digest[..6])))
}

pub(crate) fn build_incident(
    members: &[&Alert],
    receipts: Vec<Receipt>,
    entities: &HashMap<EntityId, Entity>,
    noisy: &BTreeSet<&EntityId>,
    labels: &mut naming::CategoryLabels,
) -> Incident {
    let mut entity_ids: Vec<&EntityId> = members
        .iter()
        .flat_map(|a| a.evidence.iter().map(|e| &e.entity_id))
        .collect();
    entity_ids.sort_unstable();
    entity_ids.dedup();
    let mut member_entities: Vec<&Entity> = entity_ids
        .iter()
        .filter_map(|id| entities.get(*id))
        .collect();
    member_entities
        .sort_by(|a, b| (a.kind, &a.name, &a.entity_id).cmp(&(b.kind, &b.name, &b.entity_id)));
    let status = if members.iter().all(|a| a.status == Status::Resolved) {
        Status::Resolved
    } else if members.iter().all(|a| a.status == Status::New) {
        Status::New
    } else {
        Status::InProgress
    };
    // The members' distinct non-empty values, sorted.
    let distinct = |f: fn(&Alert) -> &Sym| -> Vec<Sym> {
        let mut values: Vec<&Sym> = members
            .iter()
            .map(|a| f(a))
            .filter(|s| !s.is_empty())
            .collect();
        values.sort_unstable();
        values.dedup();
        values.into_iter().cloned().collect()
    };
    let categories = labels.ordered(members.iter().copied());
    let mut source_incident_ids: Vec<Sym> = members
        .iter()
        .filter_map(|a| a.source_incident_id.clone())
        .collect();
    source_incident_ids.sort_unstable();
    source_incident_ids.dedup();
    Incident {
        incident_id: incident_id(&members[0].alert_id),
        title: naming::incident_title(members, &member_entities, &categories).into(),
        severity: members.iter().map(|a| a.severity).max().unwrap_or_default(),
        status,
        first_activity: members
            .iter()
            .map(|a| a.first_activity)
            .min()
            .unwrap_or(members[0].first_activity),
        last_activity: members
            .iter()
            .map(|a| a.last_activity)
            .max()
            .unwrap_or(members[0].last_activity),
        alert_ids: members.iter().map(|a| a.alert_id.clone()).collect(),
        entity_ids: member_entities
            .iter()
            .map(|e| e.entity_id.clone())
            .collect(),
        categories: categories.into_iter().map(|c| c.label).collect(),
        service_sources: distinct(|a| &a.service_source),
        detection_sources: distinct(|a| &a.detection_source),
        receipts,
        noisy_entity_ids: member_entities
            .iter()
            .filter(|e| noisy.contains(&e.entity_id))
            .map(|e| e.entity_id.clone())
            .collect(),
        source_incident_ids,
        assigned_to: joined(distinct(|a| &a.assigned_to)),
        classification: joined(
            distinct(|a| &a.classification)
                .into_iter()
                .filter(|c| c != "unknown")
                .collect(),
        ),
        determination: joined(
            distinct(|a| &a.determination)
                .into_iter()
                .filter(|c| c != "unknown")
                .collect(),
        ),
        split: None,
    }
}

/// The values of the member alerts, comma-separated; a single value stays the alerts' shared copy.
fn joined(values: Vec<Sym>) -> Sym {
    match values.as_slice() {
        [] => Sym::default(),
        [one] => one.clone(),
        _ => values.join(", ").into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The schema documents every setting with its real default.
    #[test]
    fn the_settings_schema_matches_the_defaults() {
        let schema: Value =
            serde_json::from_str(include_str!("../../../../docs/settings.schema.json"))
                .expect("the schema is JSON");
        let Value::Object(documented) = &schema["properties"] else {
            panic!("schema properties")
        };
        let Value::Object(defaults) =
            serde_json::to_value(Settings::default()).expect("settings serialize")
        else {
            panic!("settings are an object")
        };
        let names = |m: &serde_json::Map<String, Value>| m.keys().cloned().collect::<BTreeSet<_>>();
        assert_eq!(names(documented), names(&defaults));
        // Numbers compare as numbers (24 and 24.0), lists as sets.
        fn normal(v: &Value) -> Value {
            match v {
                Value::Number(n) => Value::from(n.as_f64().unwrap_or(f64::NAN)),
                Value::Array(items) => {
                    let mut items: Vec<String> =
                        items.iter().map(|i| normal(i).to_string()).collect();
                    items.sort();
                    Value::from(items)
                }
                Value::Object(m) => {
                    Value::Object(m.iter().map(|(k, v)| (k.clone(), normal(v))).collect())
                }
                other => other.clone(),
            }
        }
        for (name, value) in &defaults {
            assert_eq!(
                normal(&documented[name]["default"]),
                normal(value),
                "default of {name}"
            );
        }
    }
}
