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
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The queue's columns, in Defender's order. Every column sorts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum SortColumn {
    Name,
    Id,
    Tags,
    Severity,
    InvestigationState,
    Categories,
    ImpactedAssets,
    ActiveAlerts,
    ServiceSources,
    DetectionSources,
    FirstActivity,
    #[default]
    LastActivity,
    AssignedTo,
    Classification,
    Determination,
    Status,
}

impl SortColumn {
    pub const ALL: [SortColumn; 16] = [
        SortColumn::Name,
        SortColumn::Id,
        SortColumn::Tags,
        SortColumn::Severity,
        SortColumn::InvestigationState,
        SortColumn::Categories,
        SortColumn::ImpactedAssets,
        SortColumn::ActiveAlerts,
        SortColumn::ServiceSources,
        SortColumn::DetectionSources,
        SortColumn::FirstActivity,
        SortColumn::LastActivity,
        SortColumn::AssignedTo,
        SortColumn::Classification,
        SortColumn::Determination,
        SortColumn::Status,
    ];

    /// The column's short name in addresses (`sort=-last`) and in the kept column list.
    pub fn key(self) -> &'static str {
        match self {
            SortColumn::Name => "name",
            SortColumn::Id => "id",
            SortColumn::Tags => "tags",
            SortColumn::Severity => "severity",
            SortColumn::InvestigationState => "investigation",
            SortColumn::Categories => "categories",
            SortColumn::ImpactedAssets => "assets",
            SortColumn::ActiveAlerts => "active",
            SortColumn::ServiceSources => "service",
            SortColumn::DetectionSources => "detection",
            SortColumn::FirstActivity => "first",
            SortColumn::LastActivity => "last",
            SortColumn::AssignedTo => "assigned",
            SortColumn::Classification => "classification",
            SortColumn::Determination => "determination",
            SortColumn::Status => "status",
        }
    }

    pub fn from_key(key: &str) -> Option<SortColumn> {
        SortColumn::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Numbers, severities and times read best biggest or latest first; text A→Z.
    pub fn descending_first(self) -> bool {
        matches!(
            self,
            SortColumn::Severity
                | SortColumn::ImpactedAssets
                | SortColumn::ActiveAlerts
                | SortColumn::FirstActivity
                | SortColumn::LastActivity
        )
    }
}

/// A time range counted back from the latest activity in the data (not from the clock: an
/// export is looked at days or months after it was taken).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimePreset {
    Day,
    ThreeDays,
    Week,
    ThirtyDays,
    SixMonths,
}

impl TimePreset {
    pub const ALL: [TimePreset; 5] = [
        TimePreset::Day,
        TimePreset::ThreeDays,
        TimePreset::Week,
        TimePreset::ThirtyDays,
        TimePreset::SixMonths,
    ];

    pub fn key(self) -> &'static str {
        match self {
            TimePreset::Day => "1d",
            TimePreset::ThreeDays => "3d",
            TimePreset::Week => "1w",
            TimePreset::ThirtyDays => "30d",
            TimePreset::SixMonths => "6m",
        }
    }

    pub fn from_key(key: &str) -> Option<TimePreset> {
        TimePreset::ALL.into_iter().find(|p| p.key() == key)
    }

    pub fn hours(self) -> i64 {
        match self {
            TimePreset::Day => 24,
            TimePreset::ThreeDays => 72,
            TimePreset::Week => 7 * 24,
            TimePreset::ThirtyDays => 30 * 24,
            TimePreset::SixMonths => 183 * 24,
        }
    }
}

/// Which incidents by time: those with activity inside the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TimeRange {
    #[default]
    All,
    /// The preset's length, ending at the latest activity in the data.
    Preset(TimePreset),
    /// From and to (either open).
    Custom {
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    },
}

impl TimeRange {
    /// The range as instants, given the data's span; `None` when it does not restrict.
    pub fn bounds(
        self,
        span: Option<(Timestamp, Timestamp)>,
    ) -> Option<(Option<Timestamp>, Option<Timestamp>)> {
        match self {
            TimeRange::All => None,
            TimeRange::Preset(preset) => {
                let (_, latest) = span?;
                Some((
                    Some(latest - chrono::Duration::hours(preset.hours())),
                    Some(latest),
                ))
            }
            TimeRange::Custom { from, to } => {
                (from.is_some() || to.is_some()).then_some((from, to))
            }
        }
    }
}

/// The queue's filters: within one filter any chosen value matches, across filters all must.
/// An empty list does not filter. An empty string among the values stands for "not set".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct QueueFilter {
    pub statuses: Vec<Status>,
    pub severities: Vec<Severity>,
    pub assigned_to: Vec<String>,
    /// Service sources by display name ("Microsoft Defender for Endpoint").
    pub service_sources: Vec<String>,
    pub detection_sources: Vec<String>,
    /// Categories (MITRE tactics) by display name.
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub classifications: Vec<String>,
    pub determinations: Vec<String>,
    /// Case-insensitive text matched against the names of the incident's entities.
    pub entity: String,
    /// Only entities of this kind match `entity`.
    pub entity_kind: Option<EntityKind>,
    pub time: TimeRange,
}

impl QueueFilter {
    pub fn is_empty(&self) -> bool {
        *self == QueueFilter::default()
    }
}

/// What the queue shows: search, filters and sort (what the address holds).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueSpec {
    /// Case-insensitive text matched against the incident name, id and impacted assets.
    pub search: String,
    pub filter: QueueFilter,
    pub sort: SortColumn,
    pub descending: bool,
}

impl Default for QueueSpec {
    fn default() -> Self {
        QueueSpec {
            search: String::new(),
            filter: QueueFilter::default(),
            sort: SortColumn::LastActivity,
            descending: true,
        }
    }
}

/// A window of the queue as the page shows it: rows `offset..offset + limit` of the incidents
/// `spec` selects, in its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueQuery {
    #[serde(flatten)]
    pub spec: QueueSpec,
    pub offset: usize,
    pub limit: usize,
}

impl Default for QueueQuery {
    fn default() -> Self {
        QueueQuery {
            spec: QueueSpec::default(),
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
    /// The export's tags of the incidents its alerts came in, and the analyst's.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The automated-investigation states of its alerts, as exported.
    #[serde(default)]
    pub investigation_states: Vec<String>,
    pub categories: Vec<String>,
    pub impacted_assets: Vec<AssetRef>,
    pub n_alerts: usize,
    pub n_active_alerts: usize,
    pub service_sources: Vec<String>,
    #[serde(default)]
    pub detection_sources: Vec<String>,
    pub first_activity: Timestamp,
    pub last_activity: Timestamp,
    #[serde(default)]
    pub assigned_to: String,
    #[serde(default)]
    pub classification: String,
    #[serde(default)]
    pub determination: String,
}

/// One value of a filter and how many incidents (of all) carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    pub value: String,
    pub count: usize,
}

/// The values each filter can take, most common first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct QueueFacets {
    pub assigned_to: Vec<Facet>,
    pub service_sources: Vec<Facet>,
    pub detection_sources: Vec<Facet>,
    pub categories: Vec<Facet>,
    pub tags: Vec<Facet>,
    pub classifications: Vec<Facet>,
    pub determinations: Vec<Facet>,
}

/// Severity groups of the histogram's stacked bars.
pub const HISTOGRAM_GROUPS: [&[Severity]; 4] = [
    &[Severity::Critical, Severity::High],
    &[Severity::Medium],
    &[Severity::Low],
    &[Severity::Informational, Severity::Unknown],
];

/// Matching incidents over time by their last activity, in equal buckets from `start`, each
/// bucket counted per [`HISTOGRAM_GROUPS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Histogram {
    pub start: Option<Timestamp>,
    pub bucket_seconds: i64,
    pub buckets: Vec<[u32; 4]>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuePage {
    /// Incidents in the dataset.
    pub total: usize,
    /// Incidents that match the search and filters.
    pub matching: usize,
    pub offset: usize,
    pub rows: Vec<QueueRow>,
    /// Incidents matching everything but the severity filter, per severity, most severe first.
    #[serde(default)]
    pub by_severity: Vec<(Severity, usize)>,
    #[serde(default)]
    pub histogram: Histogram,
    #[serde(default)]
    pub facets: QueueFacets,
    /// The first and last activity in the data: time presets count back from the last.
    #[serde(default)]
    pub span: Option<(Timestamp, Timestamp)>,
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
    let tags: BTreeSet<&str> = incident
        .source_incident_ids
        .iter()
        .filter_map(|id| ds.source_incidents.get(id.as_str()))
        .flat_map(|s| s.tags.iter())
        .chain(
            ds.managed
                .get(&incident.incident_id)
                .into_iter()
                .flat_map(|m| m.tags.iter()),
        )
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    let investigation_states: BTreeSet<&str> = members
        .iter()
        .map(|a| a.investigation_state.trim())
        .filter(|s| !s.is_empty())
        .collect();
    let detection_sources: BTreeSet<String> = incident
        .detection_sources
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| naming::service_source_label(s))
        .collect();
    QueueRow {
        incident_id: incident.incident_id.clone(),
        title: incident.title.to_string(),
        severity: incident.severity,
        status: incident.status,
        tags: tags.into_iter().map(str::to_owned).collect(),
        investigation_states: investigation_states
            .into_iter()
            .map(str::to_owned)
            .collect(),
        categories: incident.categories.iter().map(|c| c.to_string()).collect(),
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
            .filter(|a| alert_status(ds, a) != Status::Resolved)
            .count(),
        service_sources: incident
            .service_sources
            .iter()
            .map(|s| naming::service_source_label(s))
            .collect(),
        detection_sources: detection_sources.into_iter().collect(),
        first_activity: incident.first_activity,
        last_activity: incident.last_activity,
        assigned_to: incident.assigned_to.trim().to_owned(),
        classification: incident.classification.trim().to_owned(),
        determination: incident.determination.trim().to_owned(),
    }
}

/// The queue, prepared once per grouping: every incident's row, its search text and entity
/// names in lower case, the filters' values, and the last selection in its order (scrolling
/// asks for other windows of the same selection, which then costs a slice).
pub struct QueueIndex {
    rows: Vec<QueueRow>,
    /// Lower-case name, for sorting by name.
    names: Vec<String>,
    /// Lower-case name, id and impacted assets, one per line, for the search.
    search_text: Vec<String>,
    /// Every entity of the incident (noisy ones too), lower-case name by kind.
    entities: Vec<Vec<(EntityKind, String)>>,
    facets: QueueFacets,
    span: Option<(Timestamp, Timestamp)>,
    /// Every incident in a column's ascending order (ties by id), made at the first sort by
    /// that column: a selection then filters in this order instead of sorting.
    orders: BTreeMap<SortColumn, Vec<u32>>,
    last: Option<Selection>,
}

/// The incidents one spec selects, in its order, and what the page shows beside them.
struct Selection {
    spec: QueueSpec,
    order: Vec<u32>,
    by_severity: Vec<(Severity, usize)>,
    histogram: Histogram,
}

/// Most buckets of the histogram.
const HISTOGRAM_BUCKETS: i64 = 60;

fn facet_counts<'a>(values: impl Iterator<Item = &'a str>) -> Vec<Facet> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    let mut facets: Vec<Facet> = counts
        .into_iter()
        .map(|(value, count)| Facet {
            value: value.to_owned(),
            count,
        })
        .collect();
    facets.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    facets
}

/// Any of `chosen` among `values` (nothing chosen: everything matches).
fn any_of(chosen: &[String], values: &[String]) -> bool {
    chosen.is_empty() || values.iter().any(|v| chosen.contains(v))
}

fn one_of(chosen: &[String], value: &str) -> bool {
    chosen.is_empty() || chosen.iter().any(|c| c == value)
}

/// A bucket length that reads well (a minute, an hour, a day...) giving at most `max` buckets.
fn bucket_seconds(range_seconds: i64, max: i64) -> i64 {
    const NICE: [i64; 14] = [
        60,
        5 * 60,
        15 * 60,
        30 * 60,
        3600,
        3 * 3600,
        6 * 3600,
        12 * 3600,
        86_400,
        2 * 86_400,
        7 * 86_400,
        14 * 86_400,
        30 * 86_400,
        91 * 86_400,
    ];
    let wanted = (range_seconds + max - 1) / max.max(1);
    NICE.into_iter()
        .find(|&n| n >= wanted)
        .unwrap_or_else(|| wanted.max(1))
}

impl QueueIndex {
    pub fn build(ds: &Dataset) -> QueueIndex {
        let rows: Vec<QueueRow> = ds
            .incidents()
            .iter()
            .map(|inc| queue_row(ds, inc))
            .collect();
        let names = rows.iter().map(|r| r.title.to_lowercase()).collect();
        let search_text = rows
            .iter()
            .map(|r| {
                let mut text = format!("{}\n{}", r.title, r.incident_id);
                for a in &r.impacted_assets {
                    text.push('\n');
                    text.push_str(&a.name);
                }
                text.to_lowercase()
            })
            .collect();
        let entities = ds
            .incidents()
            .iter()
            .map(|inc| {
                inc.entity_ids
                    .iter()
                    .filter_map(|id| ds.entities.get(id))
                    .map(|e| (e.kind, e.name.to_lowercase()))
                    .collect()
            })
            .collect();
        let facets = QueueFacets {
            assigned_to: facet_counts(rows.iter().map(|r| r.assigned_to.as_str())),
            service_sources: facet_counts(
                rows.iter()
                    .flat_map(|r| r.service_sources.iter().map(String::as_str)),
            ),
            detection_sources: facet_counts(
                rows.iter()
                    .flat_map(|r| r.detection_sources.iter().map(String::as_str)),
            ),
            categories: facet_counts(
                rows.iter()
                    .flat_map(|r| r.categories.iter().map(String::as_str)),
            ),
            tags: facet_counts(rows.iter().flat_map(|r| r.tags.iter().map(String::as_str))),
            classifications: facet_counts(rows.iter().map(|r| r.classification.as_str())),
            determinations: facet_counts(rows.iter().map(|r| r.determination.as_str())),
        };
        let span = rows
            .iter()
            .map(|r| r.first_activity)
            .min()
            .zip(rows.iter().map(|r| r.last_activity).max());
        QueueIndex {
            rows,
            names,
            search_text,
            entities,
            facets,
            span,
            orders: BTreeMap::new(),
            last: None,
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Every filter but severity.
    fn matches_but_severity(
        &self,
        i: usize,
        filter: &QueueFilter,
        needle: &str,
        entity: &str,
        time: Option<(Option<Timestamp>, Option<Timestamp>)>,
    ) -> bool {
        let row = &self.rows[i];
        (filter.statuses.is_empty() || filter.statuses.contains(&row.status))
            && one_of(&filter.assigned_to, &row.assigned_to)
            && one_of(&filter.classifications, &row.classification)
            && one_of(&filter.determinations, &row.determination)
            && any_of(&filter.service_sources, &row.service_sources)
            && any_of(&filter.detection_sources, &row.detection_sources)
            && any_of(&filter.categories, &row.categories)
            && any_of(&filter.tags, &row.tags)
            && time.is_none_or(|(from, to)| {
                from.is_none_or(|f| row.last_activity >= f)
                    && to.is_none_or(|t| row.first_activity <= t)
            })
            && (entity.is_empty()
                || self.entities[i].iter().any(|(kind, name)| {
                    filter.entity_kind.is_none_or(|k| k == *kind) && name.contains(entity)
                }))
            && (needle.is_empty() || self.search_text[i].contains(needle))
    }

    fn compare(&self, column: SortColumn, a: usize, b: usize) -> std::cmp::Ordering {
        let (x, y) = (&self.rows[a], &self.rows[b]);
        match column {
            SortColumn::Name => self.names[a].cmp(&self.names[b]),
            SortColumn::Id => x.incident_id.cmp(&y.incident_id),
            SortColumn::Tags => x.tags.cmp(&y.tags),
            SortColumn::Severity => x.severity.cmp(&y.severity),
            SortColumn::InvestigationState => x.investigation_states.cmp(&y.investigation_states),
            SortColumn::Categories => x.categories.cmp(&y.categories),
            SortColumn::ImpactedAssets => x.impacted_assets.len().cmp(&y.impacted_assets.len()),
            SortColumn::ActiveAlerts => {
                (x.n_active_alerts, x.n_alerts).cmp(&(y.n_active_alerts, y.n_alerts))
            }
            SortColumn::ServiceSources => x.service_sources.cmp(&y.service_sources),
            SortColumn::DetectionSources => x.detection_sources.cmp(&y.detection_sources),
            SortColumn::FirstActivity => x.first_activity.cmp(&y.first_activity),
            SortColumn::LastActivity => x.last_activity.cmp(&y.last_activity),
            SortColumn::AssignedTo => x.assigned_to.cmp(&y.assigned_to),
            SortColumn::Classification => x.classification.cmp(&y.classification),
            SortColumn::Determination => x.determination.cmp(&y.determination),
            SortColumn::Status => x.status.cmp(&y.status),
        }
    }

    fn select(&self, spec: &QueueSpec) -> Selection {
        let filter = &spec.filter;
        let needle = spec.search.trim().to_lowercase();
        let entity = filter.entity.trim().to_lowercase();
        let time = filter.time.bounds(self.span);
        let mut by_severity: BTreeMap<Severity, usize> = BTreeMap::new();
        let mut order: Vec<u32> = Vec::new();
        let all = self
            .orders
            .get(&spec.sort)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut visit = |i: u32| {
            let i = i as usize;
            if !self.matches_but_severity(i, filter, &needle, &entity, time) {
                return;
            }
            let severity = self.rows[i].severity;
            *by_severity.entry(severity).or_default() += 1;
            if filter.severities.is_empty() || filter.severities.contains(&severity) {
                order.push(i as u32);
            }
        };
        if spec.descending {
            all.iter().rev().copied().for_each(&mut visit);
        } else {
            all.iter().copied().for_each(&mut visit);
        }
        let histogram = self.histogram(&order, time);
        Selection {
            spec: spec.clone(),
            order,
            by_severity: Severity::MOST_SEVERE_FIRST
                .into_iter()
                .filter_map(|s| by_severity.get(&s).map(|&n| (s, n)))
                .collect(),
            histogram,
        }
    }

    /// The selected incidents over the time range (the data's span when the filter has none).
    fn histogram(
        &self,
        order: &[u32],
        time: Option<(Option<Timestamp>, Option<Timestamp>)>,
    ) -> Histogram {
        let Some((first, last)) = self.span else {
            return Histogram::default();
        };
        let (from, to) = time.unwrap_or((None, None));
        let start = from.map_or(first, |f| f.max(first));
        let end = to.map_or(last, |t| t.min(last)).max(start);
        let range = (end - start).num_seconds().max(1);
        let bucket = bucket_seconds(range, HISTOGRAM_BUCKETS);
        let n = (range / bucket + 1).clamp(1, HISTOGRAM_BUCKETS + 1) as usize;
        let mut buckets = vec![[0u32; 4]; n];
        for &i in order {
            let row = &self.rows[i as usize];
            let at = (row.last_activity - start).num_seconds().clamp(0, range);
            let b = ((at / bucket) as usize).min(n - 1);
            let group = HISTOGRAM_GROUPS
                .iter()
                .position(|g| g.contains(&row.severity))
                .unwrap_or(3);
            buckets[b][group] += 1;
        }
        Histogram {
            start: Some(start),
            bucket_seconds: bucket,
            buckets,
        }
    }

    /// A window of the queue. The same spec as the last call reuses its selection.
    pub fn page(&mut self, query: &QueueQuery) -> QueuePage {
        let column = query.spec.sort;
        if !self.orders.contains_key(&column) {
            let mut all: Vec<u32> = (0..self.rows.len() as u32).collect();
            all.sort_unstable_by(|&a, &b| {
                let (a, b) = (a as usize, b as usize);
                self.compare(column, a, b)
                    .then_with(|| self.rows[a].incident_id.cmp(&self.rows[b].incident_id))
            });
            self.orders.insert(column, all);
        }
        let selection = match self.last.take() {
            Some(last) if last.spec == query.spec => last,
            _ => self.select(&query.spec),
        };
        let rows = selection
            .order
            .iter()
            .skip(query.offset)
            .take(query.limit.max(1))
            .map(|&i| self.rows[i as usize].clone())
            .collect();
        let page = QueuePage {
            total: self.rows.len(),
            matching: selection.order.len(),
            offset: query.offset,
            rows,
            by_severity: selection.by_severity.clone(),
            histogram: selection.histogram.clone(),
            facets: self.facets.clone(),
            span: self.span,
        };
        self.last = Some(selection);
        page
    }
}

/// One window of the queue, preparing the index for it (the worker keeps a [`QueueIndex`]).
pub fn queue_page(ds: &Dataset, query: &QueueQuery) -> QueuePage {
    QueueIndex::build(ds).page(query)
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
            title: other.title.to_string(),
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
                unlinked_reason: unlinked.get(&entity.entity_id).map(|r| (*r).to_owned()),
            }
        })
        .collect();
    let graph = graph_view(incident, &alerts, &entities);
    let (related, n_related) = related_not_joined(ds, incident);
    Some(IncidentView {
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
fn with_override(ds: &Dataset, alert: &Alert) -> Alert {
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

/// One process in a device's process tree: an entity of the incident, or (`entity_id` `None`)
/// a parent the evidence names but does not include (its image and process id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessNode {
    pub entity_id: Option<EntityId>,
    pub name: String,
    pub command_line: String,
    pub children: Vec<ProcessNode>,
}

/// The processes of one device, parent → child, as far as the process evidence tells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceProcesses {
    /// The device entity of the incident the processes ran on, when it is one.
    pub device_entity_id: Option<EntityId>,
    pub device_name: String,
    pub roots: Vec<ProcessNode>,
}

/// The incident's process evidence as trees, one per device: a process is the child of the
/// process on the same device whose id is its parent process id and which started before it
/// (the latest such, as ids are reused); a process whose parent is not in the evidence hangs
/// under that parent as named (image and id), siblings sharing it together.
pub fn process_trees(entities: &[EntityView]) -> Vec<DeviceProcesses> {
    struct Proc<'a> {
        entity: &'a Entity,
        device: String,
        pid: Option<&'a str>,
        parent_pid: Option<&'a str>,
        parent_image: Option<&'a str>,
        command_line: Option<&'a str>,
        created: Option<crate::model::Timestamp>,
    }
    /// Siblings in the order they started (then by id).
    fn order(p: &Proc) -> (Option<crate::model::Timestamp>, String) {
        (p.created, p.entity.entity_id.to_string())
    }
    fn build(
        at: usize,
        procs: &[Proc],
        children: &BTreeMap<usize, Vec<usize>>,
        seen: &mut BTreeSet<usize>,
    ) -> ProcessNode {
        seen.insert(at);
        let mut kids: Vec<usize> = children
            .get(&at)
            .map(|k| k.iter().copied().filter(|k| !seen.contains(k)).collect())
            .unwrap_or_default();
        kids.sort_by_key(|&k| order(&procs[k]));
        let p = &procs[at];
        ProcessNode {
            entity_id: Some(p.entity.entity_id.clone()),
            name: p.entity.name.clone(),
            command_line: p.command_line.unwrap_or_default().to_owned(),
            children: kids
                .into_iter()
                .map(|k| build(k, procs, children, seen))
                .collect(),
        }
    }
    let procs: Vec<Proc> = entities
        .iter()
        .map(|v| &v.entity)
        .filter(|e| e.kind == EntityKind::Process)
        .filter_map(|e| {
            let attr = |label: &str| {
                e.attributes
                    .iter()
                    .find(|(k, _)| k.as_str() == label)
                    .map(|(_, v)| v.as_str())
            };
            // `process/pid:<device>:<pid>:<created>` or `process/pid-reusable:<device>:<pid>`.
            let device = e.identifiers.iter().find_map(|i| {
                let rest = i
                    .key
                    .strip_prefix("process/pid:")
                    .or_else(|| i.key.strip_prefix("process/pid-reusable:"))?;
                rest.split(':').next().map(str::to_owned)
            })?;
            Some(Proc {
                entity: e,
                device,
                pid: attr("Process id"),
                parent_pid: attr("Parent process id"),
                parent_image: attr("Parent image"),
                command_line: attr("Command line"),
                created: crate::ingest::parse_time(attr("Created")),
            })
        })
        .collect();
    let mut devices: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in procs.iter().enumerate() {
        devices.entry(p.device.as_str()).or_default().push(i);
    }
    let mut out = Vec::new();
    for (device, members) in devices {
        // Each member's parent among the members, if any.
        let parent_of: HashMap<usize, usize> = members
            .iter()
            .filter_map(|&c| {
                let child = &procs[c];
                let parent_pid = child.parent_pid?;
                members
                    .iter()
                    .copied()
                    .filter(|&p| p != c && procs[p].pid == Some(parent_pid))
                    .filter(|&p| match (procs[p].created, child.created) {
                        (Some(pc), Some(cc)) => pc <= cc,
                        _ => true,
                    })
                    .max_by_key(|&p| (procs[p].created, procs[p].entity.entity_id.clone()))
                    .map(|p| (c, p))
            })
            .collect();
        let mut children: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (&c, &p) in &parent_of {
            children.entry(p).or_default().push(c);
        }
        let mut seen = BTreeSet::new();
        let mut roots: Vec<usize> = members
            .iter()
            .copied()
            .filter(|c| !parent_of.contains_key(c))
            .collect();
        roots.sort_by_key(|&r| order(&procs[r]));
        // Roots whose parent the evidence names but does not hold: under that parent, as named.
        let mut named_parents: BTreeMap<(String, String), Vec<ProcessNode>> = BTreeMap::new();
        let mut top = Vec::new();
        for r in roots {
            let tree = build(r, &procs, &children, &mut seen);
            let p = &procs[r];
            match (p.parent_image, p.parent_pid) {
                (None, None) => top.push(tree),
                (image, pid) => named_parents
                    .entry((image.unwrap_or("").to_owned(), pid.unwrap_or("").to_owned()))
                    .or_default()
                    .push(tree),
            }
        }
        // A cycle (ids reused without times) leaves members unseen: they start trees too.
        for &m in &members {
            if !seen.contains(&m) {
                top.push(build(m, &procs, &children, &mut seen));
            }
        }
        for ((image, pid), kids) in named_parents {
            let name = match (image.is_empty(), pid.is_empty()) {
                (false, false) => format!("{image} ({pid})"),
                (false, true) => image,
                _ => format!("({pid})"),
            };
            top.push(ProcessNode {
                entity_id: None,
                name,
                command_line: String::new(),
                children: kids,
            });
        }
        let device_view = entities.iter().find(|v| {
            v.entity.kind == EntityKind::Device
                && v.entity.identifiers.iter().any(|i| {
                    i.key
                        .rsplit_once(':')
                        .is_some_and(|(_, id)| id.eq_ignore_ascii_case(device))
                })
        });
        out.push(DeviceProcesses {
            device_entity_id: device_view.map(|v| v.entity.entity_id.clone()),
            device_name: device_view.map_or_else(|| device.to_owned(), |v| v.entity.name.clone()),
            roots: top,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process_view(
        id: &str,
        device: &str,
        pid: &str,
        parent: Option<(&str, &str)>,
        created: &str,
    ) -> EntityView {
        use crate::model::{Identifier, Sym};
        let mut attributes = vec![
            (Sym::new("Process id"), Sym::new(pid)),
            (Sym::new("Created"), Sym::new(created)),
            (Sym::new("Command line"), Sym::new(&format!("{id}.exe -x"))),
        ];
        if let Some((ppid, image)) = parent {
            attributes.push((Sym::new("Parent process id"), Sym::new(ppid)));
            attributes.push((Sym::new("Parent image"), Sym::new(image)));
        }
        let t = crate::ingest::parse_time(Some(created)).unwrap_or_default();
        EntityView {
            entity: Entity {
                entity_id: EntityId::new(id),
                kind: EntityKind::Process,
                name: format!("{id}.exe ({pid})"),
                identifiers: vec![Identifier {
                    key: format!("process/pid:{device}:{pid}:{created}"),
                    strong: true,
                }],
                attributes,
                builtin: false,
            },
            alert_ids: Vec::new(),
            first_seen: t,
            last_seen: t,
            verdict: crate::model::Verdict::Unknown,
            remediation_statuses: Vec::new(),
            roles: Vec::new(),
            other_incidents: Vec::new(),
            unlinked_reason: None,
        }
    }

    #[test]
    fn process_evidence_becomes_a_tree_per_device() {
        let mut device = process_view("host", "x", "0", None, "2026-09-01T00:00:00Z");
        device.entity.kind = EntityKind::Device;
        device.entity.name = "fs01.corp".to_owned();
        device.entity.identifiers[0].key = "device/mde:abc123".to_owned();
        let views = vec![
            // Listed child first: order in the evidence does not matter.
            process_view(
                "b",
                "abc123",
                "200",
                Some(("100", "a.exe")),
                "2026-09-01T10:01:00Z",
            ),
            process_view(
                "a",
                "abc123",
                "100",
                Some(("50", "explorer.exe")),
                "2026-09-01T10:00:00Z",
            ),
            process_view(
                "c",
                "abc123",
                "300",
                Some(("100", "a.exe")),
                "2026-09-01T10:02:00Z",
            ),
            // An id reused later: its "child" started before it, so it is not the parent.
            process_view("late", "abc123", "100", None, "2026-09-01T11:00:00Z"),
            process_view("d", "other", "7", None, "2026-09-01T09:00:00Z"),
            device,
        ];
        let trees = process_trees(&views);
        assert_eq!(trees.len(), 2);
        let fs01 = &trees[0];
        assert_eq!(fs01.device_name, "fs01.corp");
        assert_eq!(fs01.device_entity_id, Some(EntityId::new("host")));
        let names =
            |nodes: &[ProcessNode]| nodes.iter().map(|n| n.name.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&fs01.roots),
            vec!["late.exe (100)", "explorer.exe (50)"]
        );
        let explorer = &fs01.roots[1];
        assert_eq!(
            explorer.entity_id, None,
            "a parent named, not in the evidence"
        );
        assert_eq!(names(&explorer.children), vec!["a.exe (100)"]);
        assert_eq!(
            names(&explorer.children[0].children),
            vec!["b.exe (200)", "c.exe (300)"]
        );
        assert_eq!(explorer.children[0].children[0].command_line, "b.exe -x");
        assert_eq!(trees[1].device_name, "other", "no device entity: its key");
        assert_eq!(names(&trees[1].roots), vec!["d.exe (7)"]);
    }
    use crate::correlate::{Grouping, Settings};
    use crate::demo::{generate, to_graph_page, DemoConfig};
    use crate::ingest::ingest_file;

    fn demo_index() -> QueueIndex {
        let page = to_graph_page(&generate(&DemoConfig::default()));
        let ds = Dataset::build(
            vec![ingest_file("demo.json", page.as_bytes(), &mut |_| {})],
            Settings::default(),
            Grouping::Correlate,
        );
        QueueIndex::build(&ds)
    }

    fn all(index: &mut QueueIndex, spec: QueueSpec) -> QueuePage {
        index.page(&QueueQuery {
            spec,
            offset: 0,
            limit: usize::MAX,
        })
    }

    fn with(filter: QueueFilter) -> QueueSpec {
        QueueSpec {
            filter,
            ..QueueSpec::default()
        }
    }

    #[test]
    fn filters_select_what_they_say_and_counts_add_up() {
        let mut index = demo_index();
        let everything = all(&mut index, QueueSpec::default());
        assert_eq!(everything.matching, index.len());
        assert!(index.len() > 20, "the demo has many incidents");
        let sum: usize = everything.by_severity.iter().map(|(_, n)| n).sum();
        assert_eq!(sum, index.len());
        let in_histogram: u32 = everything.histogram.buckets.iter().flatten().sum();
        assert_eq!(in_histogram as usize, index.len());

        // Severity: the counts beside it stay those of every severity.
        let high = all(
            &mut index,
            with(QueueFilter {
                severities: vec![Severity::High],
                ..QueueFilter::default()
            }),
        );
        assert!(high.matching > 0 && high.matching < index.len());
        assert!(high.rows.iter().all(|r| r.severity == Severity::High));
        assert_eq!(high.by_severity, everything.by_severity);
        assert_eq!(
            Some(high.matching),
            everything
                .by_severity
                .iter()
                .find(|(s, _)| *s == Severity::High)
                .map(|(_, n)| *n)
        );

        // A value among several (any of), and two filters together (all of).
        let sample = everything
            .rows
            .iter()
            .find(|r| !r.categories.is_empty() && !r.service_sources.is_empty())
            .expect("a categorized incident");
        let (category, service) = (
            sample.categories[0].clone(),
            sample.service_sources[0].clone(),
        );
        let both = all(
            &mut index,
            with(QueueFilter {
                categories: vec![category.clone(), "no such category".to_owned()],
                service_sources: vec![service.clone()],
                ..QueueFilter::default()
            }),
        );
        assert!(both.matching > 0);
        assert!(both
            .rows
            .iter()
            .all(|r| r.categories.contains(&category) && r.service_sources.contains(&service)));
        assert_eq!(
            both.matching,
            everything
                .rows
                .iter()
                .filter(|r| r.categories.contains(&category) && r.service_sources.contains(&service))
                .count()
        );

        // Not set: the empty value.
        let unassigned = all(
            &mut index,
            with(QueueFilter {
                assigned_to: vec![String::new()],
                ..QueueFilter::default()
            }),
        );
        assert!(unassigned.rows.iter().all(|r| r.assigned_to.is_empty()));

        // Status.
        let resolved = all(
            &mut index,
            with(QueueFilter {
                statuses: vec![Status::Resolved],
                ..QueueFilter::default()
            }),
        );
        assert!(resolved.rows.iter().all(|r| r.status == Status::Resolved));
    }

    #[test]
    fn entity_search_and_time_filters() {
        let mut index = demo_index();
        let everything = all(&mut index, QueueSpec::default());
        let device = everything
            .rows
            .iter()
            .flat_map(|r| r.impacted_assets.iter())
            .find(|a| a.kind == EntityKind::Device)
            .map(|a| a.name.clone())
            .expect("a device in the demo");
        let by_device = all(
            &mut index,
            with(QueueFilter {
                entity: device.to_uppercase(),
                entity_kind: Some(EntityKind::Device),
                ..QueueFilter::default()
            }),
        );
        assert!(by_device.matching >= 1);
        let as_user = all(
            &mut index,
            with(QueueFilter {
                entity: device.clone(),
                entity_kind: Some(EntityKind::User),
                ..QueueFilter::default()
            }),
        );
        assert!(as_user.matching < by_device.matching, "the kind narrows");

        // The search finds incidents by id.
        let id = everything.rows[3].incident_id.to_string();
        let found = all(
            &mut index,
            QueueSpec {
                search: id.to_uppercase(),
                ..QueueSpec::default()
            },
        );
        assert_eq!(found.rows[0].incident_id.as_str(), id);

        // A day back from the data's last activity, not from the clock.
        let (first, latest) = everything.span.expect("a span");
        let day = all(
            &mut index,
            with(QueueFilter {
                time: TimeRange::Preset(TimePreset::Day),
                ..QueueFilter::default()
            }),
        );
        let start = latest - chrono::Duration::hours(24);
        assert!(day.matching >= 1 && day.matching < index.len());
        assert!(day.rows.iter().all(|r| r.last_activity >= start));
        assert_eq!(day.histogram.start, Some(start.max(first)));
        let in_histogram: u32 = day.histogram.buckets.iter().flatten().sum();
        assert_eq!(in_histogram as usize, day.matching);
        let six_months = all(
            &mut index,
            with(QueueFilter {
                time: TimeRange::Preset(TimePreset::SixMonths),
                ..QueueFilter::default()
            }),
        );
        assert_eq!(six_months.matching, index.len(), "the demo spans a month");
        // A custom range: activity overlapping it.
        let to = first + chrono::Duration::days(2);
        let early = all(
            &mut index,
            with(QueueFilter {
                time: TimeRange::Custom {
                    from: None,
                    to: Some(to),
                },
                ..QueueFilter::default()
            }),
        );
        assert!(early.matching >= 1 && early.rows.iter().all(|r| r.first_activity <= to));
    }

    #[test]
    fn every_column_sorts_both_ways_and_windows_are_slices() {
        let mut index = demo_index();
        for column in SortColumn::ALL {
            let up = all(
                &mut index,
                QueueSpec {
                    sort: column,
                    descending: false,
                    ..QueueSpec::default()
                },
            );
            let down = all(
                &mut index,
                QueueSpec {
                    sort: column,
                    descending: true,
                    ..QueueSpec::default()
                },
            );
            assert_eq!(up.matching, down.matching);
            for pair in up.rows.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                let ok = match column {
                    SortColumn::Severity => a.severity <= b.severity,
                    SortColumn::LastActivity => a.last_activity <= b.last_activity,
                    SortColumn::FirstActivity => a.first_activity <= b.first_activity,
                    SortColumn::ActiveAlerts => a.n_active_alerts <= b.n_active_alerts,
                    SortColumn::Name => a.title.to_lowercase() <= b.title.to_lowercase(),
                    SortColumn::Status => a.status <= b.status,
                    _ => true,
                };
                assert!(ok, "{column:?} ascending: {a:?} then {b:?}");
            }
            if column == SortColumn::Id {
                let ids: Vec<_> = up.rows.iter().rev().map(|r| &r.incident_id).collect();
                let down_ids: Vec<_> = down.rows.iter().map(|r| &r.incident_id).collect();
                assert_eq!(ids, down_ids);
            }
        }
        let full = all(&mut index, QueueSpec::default());
        let window = index.page(&QueueQuery {
            spec: QueueSpec::default(),
            offset: 5,
            limit: 7,
        });
        assert_eq!(window.offset, 5);
        assert_eq!(window.rows, full.rows[5..12].to_vec());
        assert_eq!(window.matching, full.matching);
        let past_the_end = index.page(&QueueQuery {
            spec: QueueSpec::default(),
            offset: full.matching + 10,
            limit: 7,
        });
        assert!(past_the_end.rows.is_empty());
    }

    #[test]
    fn histogram_buckets_read_well() {
        assert_eq!(bucket_seconds(3600, 60), 60);
        assert_eq!(bucket_seconds(86_400, 60), 30 * 60);
        assert_eq!(bucket_seconds(30 * 86_400, 60), 12 * 3600);
        assert_eq!(bucket_seconds(1, 60), 60);
    }
}
