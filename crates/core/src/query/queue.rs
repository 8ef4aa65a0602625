//! The queue: filters, sorts, facets and the histogram over every incident, answered a page
//! at a time from an index built once per dataset.

use super::incident::alert_status;
use crate::analysis::Dataset;
use crate::correlate::naming;
use crate::ingest::text::lowered;
use crate::ingest::FileReport;
use crate::model::{Alert, EntityKind, Incident, IncidentId, Problem, Severity, Status, Timestamp};
use crate::model::{EntityId, HashMap, HashMapExt, Sym};
use serde::{Deserialize, Serialize};
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};

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

/// Service and detection sources as the queue shows them, each spelling labelled once (100,000
/// incidents name a handful of sources).
#[derive(Default)]
struct SourceLabels<'a>(HashMap<&'a str, String>);

impl<'a> SourceLabels<'a> {
    fn label(&mut self, source: &'a str) -> String {
        self.0
            .entry(source)
            .or_insert_with(|| naming::service_source_label(source))
            .clone()
    }
}

/// The row of the incident at `index` in `ds.incidents()`.
fn queue_row<'a>(
    ds: &'a Dataset,
    index: usize,
    incident: &'a Incident,
    labels: &mut SourceLabels<'a>,
) -> QueueRow {
    let members: Vec<&Alert> = ds.members_at(index).collect();
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
        .map(|s| labels.label(s))
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
            .map(|s| labels.label(s))
            .collect(),
        detection_sources: detection_sources.into_iter().collect(),
        first_activity: incident.first_activity,
        last_activity: incident.last_activity,
        assigned_to: incident.assigned_to.trim().to_owned(),
        classification: incident.classification.trim().to_owned(),
        determination: incident.determination.trim().to_owned(),
    }
}

/// Every entity an incident names, lower-case name by kind.
type EntityNames = Vec<(EntityKind, Sym)>;

/// The queue, prepared once per grouping: every incident's row, the filters' values, and the
/// last selection in its order (scrolling asks for other windows of the same selection, which
/// then costs a slice); the search text and entity names in lower case once asked for.
pub struct QueueIndex {
    rows: Vec<QueueRow>,
    /// What a sort by name, a search and an entity filter read, made when first asked for
    /// (most loads never search: a load shows the queue sooner without them).
    names: OnceCell<Vec<String>>,
    search_text: OnceCell<Vec<String>>,
    entities: OnceCell<Vec<EntityNames>>,
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
    // Counted in any order: the sort below orders them whole.
    let mut counts: HashMap<&str, usize> = HashMap::new();
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
        let mut labels = SourceLabels::default();
        let rows: Vec<QueueRow> = ds
            .incidents()
            .iter()
            .enumerate()
            .map(|(i, inc)| queue_row(ds, i, inc, &mut labels))
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
            names: OnceCell::new(),
            search_text: OnceCell::new(),
            entities: OnceCell::new(),
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

    /// Each row's lower-case name.
    fn names(&self) -> &[String] {
        self.names
            .get_or_init(|| self.rows.iter().map(|r| lowered(&r.title)).collect())
    }

    /// Each row's lower-case name, id and impacted assets, one per line.
    fn search_text(&self) -> &[String] {
        self.search_text.get_or_init(|| {
            self.rows
                .iter()
                .map(|r| {
                    let mut text = String::with_capacity(r.title.len() + 32);
                    text.push_str(&r.title);
                    text.push('\n');
                    text.push_str(r.incident_id.as_str());
                    for a in &r.impacted_assets {
                        text.push('\n');
                        text.push_str(&a.name);
                    }
                    lowered(&text)
                })
                .collect()
        })
    }

    /// Every entity of each incident of `ds` (noisy ones too): lower-case name by kind, each
    /// entity's name lowered once however many incidents name it.
    fn entities(&self, ds: &Dataset) -> &[EntityNames] {
        self.entities.get_or_init(|| {
            let mut lower_names: HashMap<&EntityId, Sym> = HashMap::new();
            ds.incidents()
                .iter()
                .map(|inc| {
                    inc.entity_ids
                        .iter()
                        .filter_map(|id| {
                            let e = ds.entities.get(id)?;
                            let name = lower_names
                                .entry(id)
                                .or_insert_with(|| Sym::from(lowered(&e.name)));
                            Some((e.kind, name.clone()))
                        })
                        .collect()
                })
                .collect()
        })
    }

    /// Every filter but severity: `needle` against `search_text` and `entity` against
    /// `entities` (each given when not empty).
    fn matches_but_severity(
        &self,
        i: usize,
        filter: &QueueFilter,
        (needle, search_text): (&str, Option<&[String]>),
        (entity, entities): (&str, Option<&[EntityNames]>),
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
            && entities.is_none_or(|entities| {
                entities[i].iter().any(|(kind, name)| {
                    filter.entity_kind.is_none_or(|k| k == *kind) && name.contains(entity)
                })
            })
            && search_text.is_none_or(|text| text[i].contains(needle))
    }

    fn compare(&self, column: SortColumn, a: usize, b: usize) -> std::cmp::Ordering {
        let (x, y) = (&self.rows[a], &self.rows[b]);
        match column {
            SortColumn::Name => self.names()[a].cmp(&self.names()[b]),
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

    fn select(&self, ds: &Dataset, spec: &QueueSpec) -> Selection {
        let filter = &spec.filter;
        let needle = spec.search.trim().to_lowercase();
        let entity = filter.entity.trim().to_lowercase();
        let search_text = (!needle.is_empty()).then(|| self.search_text());
        let entities = (!entity.is_empty()).then(|| self.entities(ds));
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
            if !self.matches_but_severity(
                i,
                filter,
                (&needle, search_text),
                (&entity, entities),
                time,
            ) {
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

    /// A window of the queue of `ds` (the dataset the index was built from). The same spec as
    /// the last call reuses its selection.
    pub fn page(&mut self, ds: &Dataset, query: &QueueQuery) -> QueuePage {
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
            _ => self.select(ds, &query.spec),
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
    QueueIndex::build(ds).page(ds, query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_read_well() {
        assert_eq!(bucket_seconds(3600, 60), 60);
        assert_eq!(bucket_seconds(86_400, 60), 30 * 60);
        assert_eq!(bucket_seconds(30 * 86_400, 60), 12 * 3600);
        assert_eq!(bucket_seconds(1, 60), 60);
    }
}
