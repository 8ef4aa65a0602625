//! The analysis model: every file's alerts merged, entities resolved, incidents correlated.
//!
//! This is what the worker holds and what the CLI prints. [`Dataset::build`] is the only way in:
//! duplicates of one alert (same id, in several files or pages) become one alert with their
//! evidence merged, mentions are resolved into entities, and the alerts are correlated. The
//! `Dataset` never changes afterwards except by [`Dataset::recorrelate`], and manual edits (a later
//! issue) will be a log of operations keyed by alert ids, applied on top of a correlation.

use crate::correlate::{self, Correlation, Grouping, Settings};
use crate::entities;
use crate::ingest::mentions;
use crate::ingest::{FileIngest, FileReport, RawAlert, RawEvidence};
use crate::model::{
    Alert, AlertId, Entity, EntityId, Evidence, Incident, IncidentId, Interner, Problem,
    SourceIncident, Status, Sym,
};
use crate::model::{HashMap, HashMapExt, HashSet};
use std::collections::{BTreeMap, BTreeSet};

pub struct Dataset {
    pub files: Vec<FileReport>,
    pub problems: Vec<Problem>,
    /// Distinct alerts in canonical order (first activity, then id).
    pub alerts: Vec<Alert>,
    pub entities: HashMap<EntityId, Entity>,
    pub correlation: Correlation,
    pub settings: Settings,
    pub grouping: Grouping,
    /// Records that repeated an alert already read (merged into it).
    pub duplicate_records: usize,
    /// Incidents the exports describe, by their own id (the latest record of each).
    pub source_incidents: BTreeMap<String, SourceIncident>,
    /// What the exports say about their own completeness.
    pub completeness: Completeness,
    alert_index: HashMap<AlertId, usize>,
    incident_index: HashMap<IncidentId, usize>,
    /// For each alert (by index), its incident (by index).
    incident_of_alert: Vec<usize>,
    /// Each incident's alerts (by index) in its `alert_ids` order, ids of no alert left out:
    /// incident `i`'s are `member_alerts[member_start[i]..member_start[i + 1]]`.
    member_alerts: Vec<u32>,
    member_start: Vec<u32>,
    /// For each entity, the alerts (by index) that name it.
    alerts_of_entity: HashMap<EntityId, Vec<usize>>,
    /// For each of the exports' incident ids, its alerts (by index).
    alerts_of_source: HashMap<Sym, Vec<usize>>,
    /// The analyst's changes, applied over the correlation (see `edits`).
    pub edits: crate::edits::EditLog,
    /// What the changes add to each incident (tags, comments, activity...).
    pub managed: HashMap<IncidentId, crate::edits::Managed>,
    /// Alert status and classification set by hand.
    pub alert_overrides: HashMap<AlertId, crate::edits::AlertOverride>,
    /// Changes in force whose alerts are not loaded.
    pub inert_edits: Vec<u64>,
    /// The incidents before the changes, kept once there are changes to re-apply.
    unedited: Option<Vec<Incident>>,
}

impl Dataset {
    /// Merges, resolves and correlates what the files held.
    pub fn build(ingests: Vec<FileIngest>, settings: Settings, grouping: Grouping) -> Dataset {
        Self::build_on(ingests, settings, grouping, &crate::spread::InTurn)
    }

    /// [`Self::build`] with the correlation's work per entity and per incident spread over the
    /// cores `spread` has.
    pub fn build_on(
        ingests: Vec<FileIngest>,
        settings: Settings,
        grouping: Grouping,
        spread: &dyn crate::spread::Spread,
    ) -> Dataset {
        let mut files = Vec::new();
        let mut problems = Vec::new();
        let mut raws: Vec<RawAlert> = Vec::new();
        let mut incident_records: Vec<SourceIncident> = Vec::new();
        let mut repeated_in_files = 0;
        let files_with_alerts = ingests.iter().filter(|i| !i.alerts.is_empty()).count();
        for ingest in ingests {
            repeated_in_files += ingest.repeated_records;
            files.push(ingest.report);
            problems.extend(ingest.problems);
            incident_records.extend(ingest.incidents);
            raws.extend(ingest.alerts);
        }
        let n_records = raws.len();
        let groups = copies_of_each_alert(raws);
        let duplicate_records = n_records - groups.len() + repeated_in_files;
        let source_incidents = merge_source_incidents(incident_records);
        // Incidents that list their alerts (Sentinel `AlertIds`, Graph and Defender incidents).
        let mut claimed_by: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for incident in source_incidents.values() {
            for alert_id in &incident.alert_ids {
                claimed_by
                    .entry(alert_id.as_str())
                    .or_default()
                    .insert(incident.source_incident_id.clone());
            }
        }
        let merged: Vec<RawAlert> = groups
            .into_iter()
            .map(|copies| {
                // One record of an alert, in no incident's list (nearly every alert): nothing to
                // merge, and its own id is the printed one.
                if let [only] = copies.as_slice() {
                    let claimed = |id: &str| claimed_by.contains_key(id);
                    if !claimed(only.alert.alert_id.as_str())
                        && !only.alert.aliases.iter().any(|a| claimed(a))
                    {
                        let mut copies = copies;
                        let Some(mut alert) = copies.pop() else {
                            unreachable!("a group of one")
                        };
                        let own = alert.alert.alert_id.as_str();
                        let aliases = &mut alert.alert.aliases;
                        aliases.retain(|alias| alias != own);
                        aliases.sort_unstable();
                        aliases.dedup();
                        if let Some(id) = &alert.alert.source_incident_id {
                            if is_redirected(&source_incidents, id) {
                                // As below: the claim's final incident, followed once more.
                                let claim = final_incident(&source_incidents, id);
                                alert.alert.source_incident_id =
                                    Some(Sym::from(final_incident(&source_incidents, &claim)));
                            }
                        }
                        return alert;
                    }
                }
                let names = all_ids(&copies);
                let listed: BTreeSet<String> = names
                    .iter()
                    .filter_map(|id| claimed_by.get(id.as_str()))
                    .flatten()
                    .cloned()
                    .collect();
                let canonical = canonical_id(&copies);
                let mut alert =
                    merge_duplicates(copies, Some(&listed), &source_incidents, &mut problems);
                alert.alert.source_incident_id = alert
                    .alert
                    .source_incident_id
                    .map(|id| Sym::from(final_incident(&source_incidents, &id)));
                // CONTRACT.md: the id of the first export in the contract's order is printed; the
                // others are kept as aliases.
                alert.alert.aliases = names.into_iter().filter(|id| *id != canonical).collect();
                alert.alert.alert_id = AlertId::new(canonical);
                alert
            })
            .collect();

        let mut merged = merged;
        let unscoped_alerts = scope_to_tenants(&mut merged);

        let mentions: Vec<&crate::model::EntityMention> = merged
            .iter()
            .flat_map(|r| r.evidence.iter().map(|e| &*e.mention))
            .collect();
        let resolution = entities::resolve_on(&mentions, spread);
        let mut entity_ids = resolution.entity_of_mention.into_iter();
        // Each file shared its own repeated texts; this shares them across files, and the
        // service sources renamed here.
        let mut interner = Interner::default();
        let mut alerts: Vec<Alert> = merged
            .into_iter()
            .map(|raw| {
                // One evidence per entity, in entity id order; several mentions of one entity
                // merge in the order the alert named them.
                let mut named: Vec<(EntityId, RawEvidence)> = raw
                    .evidence
                    .into_iter()
                    .map(|ev| {
                        let entity_id = entity_ids
                            .next()
                            .unwrap_or_else(|| EntityId::new(String::new()));
                        (entity_id, ev)
                    })
                    .collect();
                named.sort_by(|a, b| a.0.cmp(&b.0));
                let mut evidence: Vec<Evidence> = Vec::with_capacity(named.len());
                for (entity_id, ev) in named {
                    let slot = match evidence.last_mut() {
                        Some(last) if last.entity_id == entity_id => last,
                        _ => {
                            evidence.push(Evidence {
                                entity_id,
                                verdict: ev.verdict,
                                remediation_status: Sym::default(),
                                roles: Vec::new(),
                                first_seen: ev.first_seen,
                            });
                            let Some(new) = evidence.last_mut() else {
                                unreachable!("just pushed")
                            };
                            new
                        }
                    };
                    slot.verdict = slot.verdict.max(ev.verdict);
                    if slot.remediation_status.is_empty() || slot.remediation_status == "none" {
                        slot.remediation_status = ev.remediation_status;
                    }
                    for role in ev.roles {
                        if !slot.roles.contains(&role) {
                            slot.roles.push(role);
                        }
                    }
                    slot.roles.sort();
                    slot.first_seen = match (slot.first_seen, ev.first_seen) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
                let mut alert = raw.alert;
                let canonical =
                    crate::correlate::naming::canonical_service_source(&alert.service_source);
                if canonical != alert.service_source.as_str() {
                    alert.service_source = interner.intern_str(canonical);
                }
                evidence.shrink_to_fit();
                alert.evidence = evidence;
                if files_with_alerts > 1 {
                    alert.share_text(&mut interner);
                }
                alert
            })
            .collect();
        sort_moving_little(&mut alerts, |a, b| a.sort_key().cmp(&b.sort_key()));
        let entities: HashMap<EntityId, Entity> = resolution
            .entities
            .into_iter()
            .map(|e| (e.entity_id.clone(), e))
            .collect();
        let correlation = correlate::correlate(&alerts, &entities, &settings, grouping, spread);
        // The indexes are made after the incidents, in what the correlation freed, and not
        // beside it: made on the other core, they could not reuse what this one freed (mimalloc
        // keeps a heap per thread), and the peak grew by 25 MB at 100k alerts.
        let mut alerts_of_entity: HashMap<EntityId, Vec<usize>> = HashMap::new();
        for (index, alert) in alerts.iter().enumerate() {
            for evidence in &alert.evidence {
                alerts_of_entity
                    .entry(evidence.entity_id.clone())
                    .or_default()
                    .push(index);
            }
        }
        let mut alerts_of_source: HashMap<Sym, Vec<usize>> = HashMap::new();
        for (index, alert) in alerts.iter().enumerate() {
            if let Some(source) = &alert.source_incident_id {
                alerts_of_source
                    .entry(source.clone())
                    .or_default()
                    .push(index);
            }
        }
        // An alert is found by its printed id and by every alias (a Sentinel incident lists
        // SystemAlertIds; the same alert may print its Graph id).
        let alert_index = alerts
            .iter()
            .enumerate()
            .flat_map(|(i, a)| {
                std::iter::once(a.alert_id.clone())
                    .chain(a.aliases.iter().map(|alias| AlertId::new(alias.clone())))
                    .map(move |id| (id, i))
            })
            .collect();
        let mut dataset = Dataset {
            files,
            problems,
            alerts,
            entities,
            correlation: Correlation::default(),
            settings: settings.clone(),
            grouping,
            duplicate_records,
            completeness: Completeness::default(),
            source_incidents,
            alert_index,
            incident_index: HashMap::new(),
            incident_of_alert: Vec::new(),
            member_alerts: Vec::new(),
            member_start: Vec::new(),
            alerts_of_entity,
            alerts_of_source,
            edits: crate::edits::EditLog::default(),
            managed: HashMap::new(),
            alert_overrides: HashMap::new(),
            inert_edits: Vec::new(),
            unedited: None,
        };
        dataset.completeness = completeness(&dataset);
        dataset.completeness.unscoped_alerts = unscoped_alerts;
        dataset.set_correlation(correlation, settings, grouping);
        dataset
    }

    /// Groups the alerts anew with other settings.
    pub fn recorrelate(&mut self, settings: Settings, grouping: Grouping) {
        let correlation = correlate::correlate(
            &self.alerts,
            &self.entities,
            &settings,
            grouping,
            &crate::spread::InTurn,
        );
        self.set_correlation(correlation, settings, grouping);
    }

    /// Takes the incidents `settings` and `grouping` made, the analyst's changes applied over
    /// them.
    fn set_correlation(
        &mut self,
        correlation: Correlation,
        settings: Settings,
        grouping: Grouping,
    ) {
        self.correlation = correlation;
        if grouping == Grouping::SourceIncidents {
            for incident in &mut self.correlation.incidents {
                overlay_source_fields(incident, &self.source_incidents);
            }
        }
        self.settings = settings;
        self.grouping = grouping;
        self.unedited = None;
        self.apply_edits();
    }

    /// Records a change and applies the whole log again over the unedited incidents.
    pub fn edit(&mut self, at: crate::model::Timestamp, author: &str, op: crate::edits::Op) -> u64 {
        let seq = self.edits.push(at, author, op);
        self.apply_edits();
        seq
    }

    /// Replaces the change log (a workspace file's) and applies it.
    pub fn set_edits(&mut self, edits: crate::edits::EditLog) {
        self.edits = edits;
        self.apply_edits();
    }

    fn apply_edits(&mut self) {
        if self.edits.entries.is_empty() {
            if let Some(base) = self.unedited.take() {
                self.correlation.incidents = base;
            }
            self.managed.clear();
            self.alert_overrides.clear();
            self.inert_edits.clear();
        } else {
            let base = self
                .unedited
                .get_or_insert_with(|| self.correlation.incidents.clone());
            let unedited = crate::correlate::Correlation {
                incidents: base.clone(),
                unlinked: self.correlation.unlinked.clone(),
                repeated: Vec::new(),
                cut: Vec::new(),
                bursts: Vec::new(),
            };
            let applied = crate::edits::apply(&unedited, &self.alerts, &self.entities, &self.edits);
            self.correlation.incidents = applied.incidents;
            self.managed = applied.managed;
            self.alert_overrides = applied.alerts;
            self.inert_edits = applied.inert;
        }
        self.index_incidents();
    }

    fn index_incidents(&mut self) {
        self.incident_index = self
            .correlation
            .incidents
            .iter()
            .enumerate()
            .map(|(i, inc)| (inc.incident_id.clone(), i))
            .collect();
        self.incident_of_alert = vec![0; self.alerts.len()];
        self.member_alerts.clear();
        self.member_start.clear();
        for (i, incident) in self.correlation.incidents.iter().enumerate() {
            self.member_start.push(self.member_alerts.len() as u32);
            for alert_id in &incident.alert_ids {
                if let Some(&a) = self.alert_index.get(alert_id) {
                    self.incident_of_alert[a] = i;
                    self.member_alerts.push(a as u32);
                }
            }
        }
        self.member_start.push(self.member_alerts.len() as u32);
    }

    /// The alerts of the incident at `index` in [`Self::incidents`], in its `alert_ids` order
    /// (what looking each id up gives, without the lookups).
    pub fn members_at(&self, index: usize) -> impl Iterator<Item = &Alert> {
        let (start, end) = match (
            self.member_start.get(index),
            self.member_start.get(index + 1),
        ) {
            (Some(&start), Some(&end)) => (start as usize, end as usize),
            _ => (0, 0),
        };
        self.member_alerts[start..end]
            .iter()
            .map(|&a| &self.alerts[a as usize])
    }

    pub fn incidents(&self) -> &[Incident] {
        &self.correlation.incidents
    }

    pub fn alert(&self, alert_id: &AlertId) -> Option<&Alert> {
        self.alert_index.get(alert_id).map(|&i| &self.alerts[i])
    }

    pub fn incident(&self, incident_id: &IncidentId) -> Option<&Incident> {
        self.incident_index
            .get(incident_id)
            .map(|&i| &self.correlation.incidents[i])
    }

    /// The incident an alert belongs to.
    pub fn incident_of(&self, alert_id: &AlertId) -> Option<&Incident> {
        let &a = self.alert_index.get(alert_id)?;
        self.correlation
            .incidents
            .get(*self.incident_of_alert.get(a)?)
    }

    /// The alerts whose evidence names the entity.
    pub fn alerts_naming<'a>(&'a self, entity_id: &EntityId) -> impl Iterator<Item = &'a Alert> {
        self.alerts_of_entity
            .get(entity_id)
            .into_iter()
            .flatten()
            .map(|&a| &self.alerts[a])
    }

    /// Every incident whose alerts name this entity, in canonical incident order.
    pub fn incidents_touching(&self, entity_id: &EntityId) -> Vec<&IncidentId> {
        let indices: BTreeSet<usize> = self
            .alerts_of_entity
            .get(entity_id)
            .into_iter()
            .flatten()
            .map(|&a| self.incident_of_alert[a])
            .collect();
        indices
            .into_iter()
            .map(|i| &self.correlation.incidents[i].incident_id)
            .collect()
    }
    /// How this incident compares with the exports' own grouping of its alerts; `None` when
    /// none of its alerts carries a source incident, or when the grouping is the source's.
    pub fn compare_with_source(&self, incident: &Incident) -> Option<SourceComparison> {
        if self.grouping == Grouping::SourceIncidents {
            return None;
        }
        let sources: BTreeSet<&str> = incident
            .alert_ids
            .iter()
            .filter_map(|id| self.alert(id)?.source_incident_id.as_deref())
            .collect();
        if sources.is_empty() {
            return None;
        }
        let mut split_into: BTreeSet<&IncidentId> = BTreeSet::new();
        for source in &sources {
            for &index in self.alerts_of_source.get(*source).into_iter().flatten() {
                let other = &self.correlation.incidents[self.incident_of_alert[index]];
                if other.incident_id != incident.incident_id {
                    split_into.insert(&other.incident_id);
                }
            }
        }
        let without_source = incident
            .alert_ids
            .iter()
            .filter(|id| {
                self.alert(id)
                    .is_some_and(|a| a.source_incident_id.is_none())
            })
            .count();
        Some(SourceComparison {
            source_incident_ids: sources.iter().map(|s| (*s).to_owned()).collect(),
            same: sources.len() == 1 && split_into.is_empty() && without_source == 0,
            merged: sources.len() > 1,
            split_into: split_into.into_iter().cloned().collect(),
            alerts_without_source: without_source,
        })
    }

    /// How far Alertweave's incidents agree with the exports' own, over the alerts that carry
    /// a source incident; `None` when none does or when the grouping is the source's.
    pub fn source_agreement(&self) -> Option<SourceAgreement> {
        if self.grouping == Grouping::SourceIncidents {
            return None;
        }
        let (mut predicted, mut reference) = (Vec::new(), Vec::new());
        for (index, alert) in self.alerts.iter().enumerate() {
            if let Some(source) = &alert.source_incident_id {
                predicted.push(self.incident_of_alert[index]);
                reference.push(source.as_str());
            }
        }
        if predicted.is_empty() {
            return None;
        }
        let scores = crate::quality::score(&predicted, &reference);
        let mut agreement = SourceAgreement {
            alerts_compared: predicted.len(),
            pairwise_f1: scores.pairwise.f1,
            bcubed_f1: scores.bcubed.f1,
            ..SourceAgreement::default()
        };
        // Each source incident once (numbered as met): split when its alerts are in several of
        // our incidents.
        let mut number_of: HashMap<&str, usize> = HashMap::with_capacity(reference.len());
        let mut ours_of_source: Vec<Vec<usize>> = Vec::new();
        for (&p, &r) in predicted.iter().zip(&reference) {
            let next = number_of.len();
            let n = *number_of.entry(r).or_insert(next);
            if n == ours_of_source.len() {
                ours_of_source.push(Vec::new());
            }
            ours_of_source[n].push(p);
        }
        for ours in &mut ours_of_source {
            ours.sort_unstable();
            ours.dedup();
        }
        agreement.sources_split = ours_of_source.iter().filter(|o| o.len() > 1).count();
        agreement.sources_compared = ours_of_source.len();
        // What `compare_with_source` says of each incident, without its lists.
        let mut sources: Vec<&str> = Vec::new();
        for (i, incident) in self.incidents().iter().enumerate() {
            sources.clear();
            let mut without_source = 0;
            for alert in self.members_at(i) {
                match &alert.source_incident_id {
                    Some(source) => sources.push(source.as_str()),
                    None => without_source += 1,
                }
            }
            sources.sort_unstable();
            sources.dedup();
            if sources.is_empty() {
                continue;
            }
            agreement.incidents_compared += 1;
            agreement.merged += usize::from(sources.len() > 1);
            let only_here = |source: &str| {
                number_of.get(source).is_none_or(|&n| {
                    ours_of_source[n]
                        .iter()
                        .all(|&i| self.correlation.incidents[i].incident_id == incident.incident_id)
                })
            };
            agreement.same +=
                usize::from(sources.len() == 1 && without_source == 0 && only_here(sources[0]));
        }
        Some(agreement)
    }
}

/// One Alertweave incident beside the exports' own grouping of its alerts.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SourceComparison {
    /// The exports' incidents its alerts belong to.
    pub source_incident_ids: Vec<String>,
    /// Exactly one source incident, all of whose alerts are here, and nothing else.
    pub same: bool,
    /// Several source incidents joined here.
    pub merged: bool,
    /// Other Alertweave incidents holding alerts of the same source incidents (a split).
    pub split_into: Vec<IncidentId>,
    /// Alerts here that no source incident claims.
    pub alerts_without_source: usize,
}

/// The whole load beside the exports' own grouping.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct SourceAgreement {
    pub alerts_compared: usize,
    /// Alertweave incidents holding alerts with a source incident: the same as one source
    /// incident, or merging several.
    pub incidents_compared: usize,
    pub same: usize,
    pub merged: usize,
    /// Source incidents whose alerts Alertweave put in more than one incident.
    pub sources_compared: usize,
    pub sources_split: usize,
    /// Pairwise and B-cubed F1 of Alertweave's grouping against the source's (see `quality`).
    pub pairwise_f1: f64,
    pub bcubed_f1: f64,
}

/// Signs that the loaded exports are incomplete, for the completeness report.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Completeness {
    /// Alerts with AlertEvidence rows but no AlertInfo row (when AlertInfo was loaded at all).
    pub evidence_without_info: SampledIds,
    /// Alerts with an AlertInfo row but no AlertEvidence rows (when AlertEvidence was loaded).
    pub info_without_evidence: SampledIds,
    /// Files with exactly 30,000 records: the advanced-hunting result cap, so probably cut off.
    pub capped_files: Vec<String>,
    /// Incidents that list alerts the data does not hold: (incident, missing, listed).
    pub incidents_missing_alerts: Vec<(String, usize, usize)>,
    /// Incidents merged into another: (incident, the incident it was merged into).
    pub redirected: Vec<(String, String)>,
    pub n_source_incidents: usize,
    /// Alerts whose private IPs or `DOMAIN\\name` accounts could not be given a tenant: the data
    /// holds several tenants and no copy of the alert says which is its own.
    #[serde(default)]
    pub unscoped_alerts: usize,
}

/// A count and the first few ids, sorted.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct SampledIds {
    pub count: usize,
    pub first: Vec<String>,
}

/// The advanced-hunting result cap (rows per query).
pub const ADVANCED_HUNTING_ROW_CAP: usize = 30_000;

fn completeness(ds: &Dataset) -> Completeness {
    let sampled = |ids: Vec<&AlertId>| SampledIds {
        count: ids.len(),
        first: ids.iter().take(10).map(|a| a.to_string()).collect(),
    };
    let has = |a: &Alert, f: &str| a.sources.iter().any(|s| s == f);
    let loaded = |f: &str| ds.alerts.iter().any(|a| has(a, f));
    // Alerts that one advanced-hunting table has and the other lacks, when the other was loaded.
    let orphans = |present: &str, absent: &str| {
        sampled(if loaded(absent) {
            ds.alerts
                .iter()
                .filter(|a| has(a, present) && !has(a, absent))
                .map(|a| &a.alert_id)
                .collect()
        } else {
            Vec::new()
        })
    };
    let (info, evidence) = ("ah-alertinfo", "ah-alertevidence");
    Completeness {
        unscoped_alerts: 0,
        evidence_without_info: orphans(evidence, info),
        info_without_evidence: orphans(info, evidence),
        capped_files: ds
            .files
            .iter()
            .filter(|f| f.records == ADVANCED_HUNTING_ROW_CAP)
            .map(|f| f.name.clone())
            .collect(),
        incidents_missing_alerts: ds
            .source_incidents
            .values()
            .filter_map(|i| {
                let missing = i.alert_ids.iter().filter(|a| ds.alert(a).is_none()).count();
                (missing > 0).then(|| (i.source_incident_id.clone(), missing, i.alert_ids.len()))
            })
            .collect(),
        redirected: ds
            .source_incidents
            .values()
            .filter_map(|i| Some((i.source_incident_id.clone(), i.redirected_to.clone()?)))
            .collect(),
        n_source_incidents: ds.source_incidents.len(),
    }
}

/// One alert from its copies: the copy from the fullest format wins, and every copy's evidence is kept. When
/// copies are claimed by different incidents, the most recently modified incident keeps the alert
/// and the disagreement is reported.
fn merge_duplicates(
    mut copies: Vec<RawAlert>,
    listed_in: Option<&BTreeSet<String>>,
    incidents: &BTreeMap<String, SourceIncident>,
    problems: &mut Vec<Problem>,
) -> RawAlert {
    // The choice depends on the copies' content only, never on file names or load order. One
    // copy (nearly every alert) has nothing to choose between.
    let several = copies.len() > 1;
    let key = |c: &RawAlert| {
        if several {
            content_key(c)
        } else {
            String::new()
        }
    };
    let mut keyed: Vec<(String, RawAlert)> = copies.drain(..).map(|c| (key(&c), c)).collect();
    keyed.sort_by(|(ka, a), (kb, b)| {
        fidelity(&a.alert)
            .cmp(&fidelity(&b.alert))
            .then(b.evidence.len().cmp(&a.evidence.len()))
            .then(b.alert.last_activity.cmp(&a.alert.last_activity))
            .then(ka.cmp(kb))
    });
    copies.extend(keyed.into_iter().map(|(_, c)| c));
    let claims: BTreeSet<String> = copies
        .iter()
        .filter_map(|c| c.alert.source_incident_id.as_deref())
        .chain(listed_in.into_iter().flatten().map(String::as_str))
        .map(|id| final_incident(incidents, id))
        .collect();
    let mut copies = copies.into_iter();
    let Some(mut primary) = copies.next() else {
        unreachable!("a group of duplicates is never empty")
    };
    if claims.len() > 1 {
        let modified = |id: &String| incidents.get(id).and_then(|i| i.last_update);
        // Numeric ids compare as numbers (10 after 9); the newest incident is the one modified last,
        // or, with no modification times, the highest id.
        let order = |id: &String| (modified(id), id.parse::<u64>().ok(), id.clone());
        let keeper = claims.iter().max_by_key(|id| order(id)).cloned();
        let why = if claims.iter().any(|id| modified(id).is_some()) {
            "modified last"
        } else {
            "the newest id"
        };
        problems.push(Problem {
            file: primary.alert.provenance.file.to_string(),
            location: primary.alert.provenance.location.clone(),
            message: format!(
                "alert {} is claimed by incidents {}; kept in {} ({why})",
                primary.alert.alert_id,
                claims.iter().cloned().collect::<Vec<_>>().join(", "),
                keeper.as_deref().unwrap_or("")
            ),
            count: 1,
        });
        primary.alert.source_incident_id = keeper.map(Sym::from);
    } else if let Some(only) = claims.into_iter().next() {
        primary.alert.source_incident_id = Some(Sym::from(only));
    }
    let mut known: HashSet<std::sync::Arc<crate::model::EntityMention>> =
        primary.evidence.iter().map(|e| e.mention.clone()).collect();
    for copy in copies {
        for alias in &copy.alert.aliases {
            if !primary.alert.aliases.contains(alias) {
                primary.alert.aliases.push(alias.clone());
            }
        }
        primary.alert.fill_missing_from(&copy.alert);
        for ev in copy.evidence {
            if known.insert(ev.mention.clone()) {
                primary.evidence.push(ev);
            }
        }
    }
    primary.alert.aliases.sort();
    primary
}

/// Sorts `items` as `cmp` says (stable), by sorting their indices and then moving each item
/// along its cycle of the permutation, in place: a sort that swaps items moves each about
/// log n times, and an alert is hundreds of bytes.
fn sort_moving_little<T>(items: &mut [T], cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| cmp(&items[a], &items[b]));
    // `order[j]` is the item that goes to `j`; a position is marked done with its own index.
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// Groups the records of one alert: records whose ids or aliases (`providerAlertId`,
/// `VendorOriginalId`) meet are copies of one alert, however many exports carried it.
fn copies_of_each_alert(raws: Vec<RawAlert>) -> Vec<Vec<RawAlert>> {
    // Ids are numbered in the order they are first met (borrowed, not copied: 100,000 alerts
    // name 100,000 ids or more).
    let mut node_of: HashMap<&str, usize> = HashMap::with_capacity(raws.len());
    let mut node = |id| {
        let next = node_of.len();
        *node_of.entry(id).or_insert(next)
    };
    let mut own: Vec<usize> = Vec::with_capacity(raws.len());
    let mut aliases: Vec<(usize, usize)> = Vec::new();
    for raw in &raws {
        let id = node(raw.alert.alert_id.as_str());
        own.push(id);
        for alias in &raw.alert.aliases {
            aliases.push((id, node(alias.as_str())));
        }
    }
    let mut sets = entities::DisjointSets::new(node_of.len());
    drop(node_of);
    for (id, alias) in aliases {
        sets.union(id, alias);
    }
    let roots: Vec<usize> = own.into_iter().map(|id| sets.find_mut(id)).collect();
    // Groups in the order of their root's number; sized exactly (most groups hold one alert,
    // and a Vec grown by push reserves four).
    let n_nodes = roots.iter().copied().max().map_or(0, |r| r + 1);
    let mut size_of_root = vec![0usize; n_nodes];
    for &root in &roots {
        size_of_root[root] += 1;
    }
    let mut slot_of_root = vec![usize::MAX; n_nodes];
    let mut groups: Vec<Vec<RawAlert>> = Vec::new();
    for (root, &n) in size_of_root.iter().enumerate() {
        if n > 0 {
            slot_of_root[root] = groups.len();
            groups.push(Vec::with_capacity(n));
        }
    }
    for (raw, root) in raws.into_iter().zip(roots) {
        groups[slot_of_root[root]].push(raw);
    }
    groups
}

/// Every id and alias the copies of one alert carry, sorted.
fn all_ids(copies: &[RawAlert]) -> Vec<String> {
    let ids: BTreeSet<String> = copies
        .iter()
        .flat_map(|c| {
            std::iter::once(c.alert.alert_id.to_string()).chain(c.alert.aliases.iter().cloned())
        })
        .collect();
    ids.into_iter().collect()
}

/// The id CONTRACT.md prints: Graph `id`, then Defender `alertId` / MDE `id`, then advanced
/// hunting `AlertId`, then Sentinel `SystemAlertId`; the smallest at equal rank.
fn canonical_id(copies: &[RawAlert]) -> String {
    let rank = |alert: &Alert| {
        alert
            .sources
            .iter()
            .map(|format| match format.as_str() {
                "graph-alerts-v2" | "graph-incidents" => 0,
                "defender-incidents-api" | "mde-alerts-api" => 1,
                "ah-alertinfo" | "ah-alertevidence" => 2,
                _ => 3,
            })
            .min()
            .unwrap_or(3)
    };
    copies
        .iter()
        .map(|c| (rank(&c.alert), c.alert.alert_id.to_string()))
        .min()
        .map(|(_, id)| id)
        .unwrap_or_default()
}

/// How fully a format describes an alert (lower is fuller): Graph first, then the Defender APIs,
/// then Sentinel (parent techniques only, product labels), then advanced-hunting rows.
fn fidelity(alert: &Alert) -> usize {
    let rank = |format: &str| match format {
        "graph-alerts-v2" | "graph-incidents" => 0,
        "defender-incidents-api" | "mde-alerts-api" => 1,
        "sentinel-securityalert" => 2,
        _ => 3,
    };
    alert.sources.iter().map(|f| rank(f)).min().unwrap_or(3)
}

/// A digest of what a copy says (everything but where it was read from).
fn content_key(copy: &RawAlert) -> String {
    use sha2::{Digest, Sha256};
    let mut alert = copy.alert.clone();
    alert.provenance = crate::model::Provenance {
        file: Sym::default(),
        location: String::new(),
    };
    let text = format!("{:?}|{:?}", alert, copy.evidence);
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Gives tenant-scoped identifiers (private IPs, `DOMAIN\\name`; see
/// [`mentions::TENANT_SCOPE`]) that an export wrote without a tenant the tenant they belong to:
/// the alert's own (another copy of it may carry `tenantId` where an advanced-hunting CSV does
/// not), else the only tenant in the data. With several tenants and none for the alert, the
/// identifiers stay apart from every tenant's; the count of such alerts is returned.
fn scope_to_tenants(alerts: &mut [RawAlert]) -> usize {
    use crate::model::EntityMention;
    use std::sync::Arc;
    let tenants: BTreeSet<String> = alerts
        .iter()
        .map(|a| a.alert.tenant_id.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    let several = tenants.len() > 1;
    let only = if tenants.len() == 1 {
        tenants.into_iter().next()
    } else {
        None
    };
    let unscoped = |m: &EntityMention| {
        m.identifiers
            .iter()
            .any(|i| i.key.ends_with(mentions::TENANT_SCOPE))
    };
    // Rescoped mentions stay shared: one per (mention, tenant). The map holds the original too,
    // so its address cannot be reused by another mention while it is a key.
    type Rescoped = (Arc<EntityMention>, Arc<EntityMention>);
    let mut rescoped: HashMap<(*const EntityMention, String), Rescoped> = HashMap::new();
    let mut left_unscoped = 0;
    for raw in alerts {
        let own = raw.alert.tenant_id.trim().to_lowercase();
        let tenant = if own.is_empty() {
            only.clone()
        } else {
            Some(own)
        };
        let Some(tenant) = tenant else {
            if raw.evidence.iter().any(|e| unscoped(&e.mention)) {
                left_unscoped += 1;
            }
            continue;
        };
        for evidence in &mut raw.evidence {
            if !unscoped(&evidence.mention) {
                continue;
            }
            let key = (Arc::as_ptr(&evidence.mention), tenant.clone());
            let shared = rescoped.entry(key).or_insert_with(|| {
                let mut mention = (*evidence.mention).clone();
                for identifier in &mut mention.identifiers {
                    if identifier.key.ends_with(mentions::TENANT_SCOPE) {
                        identifier.key.push_str(&tenant);
                    }
                }
                (Arc::clone(&evidence.mention), Arc::new(mention))
            });
            evidence.mention = Arc::clone(&shared.1);
        }
    }
    // In a load with no tenant ids at all, everything is one (unnamed) tenant.
    if several {
        left_unscoped
    } else {
        0
    }
}

/// One record per incident id: the most recently updated wins; the alerts all records claim are kept.
fn merge_source_incidents(records: Vec<SourceIncident>) -> BTreeMap<String, SourceIncident> {
    let mut merged: BTreeMap<String, SourceIncident> = BTreeMap::new();
    for record in records {
        match merged.get_mut(&record.source_incident_id) {
            None => {
                merged.insert(record.source_incident_id.clone(), record);
            }
            Some(existing) => {
                let mut alert_ids: BTreeSet<AlertId> = existing.alert_ids.drain(..).collect();
                alert_ids.extend(record.alert_ids.iter().cloned());
                let newer = (record.last_update, &record.provenance)
                    > (existing.last_update, &existing.provenance);
                if newer {
                    *existing = record;
                }
                existing.alert_ids = alert_ids.into_iter().collect();
            }
        }
    }
    merged
}

/// True when `id` names an incident that was merged into another.
fn is_redirected(incidents: &BTreeMap<String, SourceIncident>, id: &str) -> bool {
    incidents
        .get(id)
        .is_some_and(|i| i.redirected_to.as_ref().is_some_and(|next| next != id))
}

/// Follows `redirectIncidentId` to the incident an incident was merged into (cycles stop).
fn final_incident(incidents: &BTreeMap<String, SourceIncident>, id: &str) -> String {
    let mut current = id.to_owned();
    let mut seen = BTreeSet::new();
    while let Some(next) = incidents
        .get(&current)
        .and_then(|i| i.redirected_to.clone())
    {
        if !seen.insert(current.clone()) || next == current {
            break;
        }
        current = next;
    }
    current
}

/// In source-incident grouping, the export's own name and workflow fields describe the incident.
fn overlay_source_fields(incident: &mut Incident, incidents: &BTreeMap<String, SourceIncident>) {
    let [id] = incident.source_incident_ids.as_slice() else {
        return;
    };
    let Some(source) = incidents.get(id.as_str()) else {
        return;
    };
    if !source.display_name.trim().is_empty() && *id != source.display_name {
        incident.title = Sym::new(&source.display_name);
    }
    if source.status == Status::Resolved || incident.status != Status::Resolved {
        incident.status = source.status;
    }
    for (field, value) in [
        (&mut incident.classification, &source.classification),
        (&mut incident.determination, &source.determination),
        (&mut incident.assigned_to, &source.assigned_to),
    ] {
        if !value.is_empty() {
            *field = Sym::new(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sort_moving_little;

    #[test]
    fn sorting_by_moving_little_sorts_as_a_stable_sort_does() {
        // Pairs sorted by their first half only: the second tells whether ties kept their order.
        let mut state = 7u64;
        for n in [0usize, 1, 2, 3, 10, 257] {
            let items: Vec<(u64, usize)> = (0..n)
                .map(|i| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                    ((state >> 60) % 5, i)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|a| a.0);
            let mut got = items;
            sort_moving_little(&mut got, |a, b| a.0.cmp(&b.0));
            assert_eq!(got, expected, "{n} items");
        }
    }
}
