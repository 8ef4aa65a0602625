//! Hash routes (CONTRACT.md §2): `#/`, `#/incidents`, `#/incidents/{id}/{tab}`.
//!
//! The queue's search, filters and sort ride in the address as a query
//! (`#/incidents?severity=high,medium&status=new&sort=-last`), so a copied link reopens the same
//! view. Values are percent-encoded and joined by commas; `-` stands for "not set" (an
//! unassigned incident, no classification); unknown keys and values are ignored.

use alertweave_core::model::{EntityKind, IncidentId, Severity, Status};
use alertweave_core::query::{QueueFilter, QueueSpec, SortColumn, TimePreset, TimeRange};
use chrono::{DateTime, NaiveDate, Utc};

/// The eight tabs of the incident page, in Defender's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Summary,
    Alerts,
    Devices,
    Users,
    Mailboxes,
    Investigations,
    Evidence,
    Graph,
}

impl Tab {
    pub const ALL: [Tab; 8] = [
        Tab::Summary,
        Tab::Alerts,
        Tab::Devices,
        Tab::Users,
        Tab::Mailboxes,
        Tab::Investigations,
        Tab::Evidence,
        Tab::Graph,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Tab::Summary => "summary",
            Tab::Alerts => "alerts",
            Tab::Devices => "devices",
            Tab::Users => "users",
            Tab::Mailboxes => "mailboxes",
            Tab::Investigations => "investigations",
            Tab::Evidence => "evidence",
            Tab::Graph => "graph",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.slug() == slug)
    }
}

// One route lives in the state at a time: the queue's filters make its largest variant, which
// costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Queue(QueueSpec),
    Incident {
        incident_id: IncidentId,
        tab: Tab,
    },
    /// A hash that names nothing: shown as "not found", kept in the address bar.
    NotFound(String),
}

impl Default for Route {
    fn default() -> Self {
        Route::Queue(QueueSpec::default())
    }
}

impl Route {
    /// Parses `location.hash` (with or without the leading `#`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] | ["incidents"] => Route::Queue(parse_queue(query)),
            ["incidents", id] => Route::Incident {
                incident_id: IncidentId::new(decode(id)),
                tab: Tab::Summary,
            },
            ["incidents", id, tab] => match Tab::from_slug(tab) {
                Some(tab) => Route::Incident {
                    incident_id: IncidentId::new(decode(id)),
                    tab,
                },
                None => Route::NotFound(hash.to_owned()),
            },
            _ => Route::NotFound(hash.to_owned()),
        }
    }

    pub fn to_hash(&self) -> String {
        match self {
            Route::Queue(spec) => match queue_query(spec) {
                query if query.is_empty() => "#/incidents".to_owned(),
                query => format!("#/incidents?{query}"),
            },
            Route::Incident { incident_id, tab } => {
                format!(
                    "#/incidents/{}/{}",
                    encode(incident_id.as_str()),
                    tab.slug()
                )
            }
            Route::NotFound(hash) => hash.clone(),
        }
    }
}

/// Reads a queue address's query (`severity=high&sort=-last`); what it does not know it skips.
pub fn parse_queue(query: &str) -> QueueSpec {
    let mut spec = QueueSpec::default();
    let filter = &mut spec.filter;
    let (mut from, mut to) = (None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let values = || -> Vec<String> {
            value
                .split(',')
                .filter(|v| !v.is_empty())
                .map(|v| if v == "-" { String::new() } else { decode(v) })
                .collect()
        };
        match key {
            "q" => spec.search = decode(value),
            "status" => filter.statuses = values().iter().filter_map(|v| status_of(v)).collect(),
            "severity" => {
                filter.severities = values().iter().filter_map(|v| severity_of(v)).collect()
            }
            "assigned" => filter.assigned_to = values(),
            "service" => filter.service_sources = values(),
            "detection" => filter.detection_sources = values(),
            "category" => filter.categories = values(),
            "tag" => filter.tags = values(),
            "classification" => filter.classifications = values(),
            "determination" => filter.determinations = values(),
            "entity" => filter.entity = decode(value),
            "entity_kind" => {
                filter.entity_kind = EntityKind::ALL.into_iter().find(|k| k.as_str() == value)
            }
            "time" => {
                if let Some(preset) = TimePreset::from_key(value) {
                    filter.time = TimeRange::Preset(preset);
                }
            }
            "from" => from = time_of(&decode(value), false),
            "to" => to = time_of(&decode(value), true),
            "sort" => {
                let (descending, key) = match value.strip_prefix('-') {
                    Some(key) => (true, key),
                    None => (false, value),
                };
                if let Some(column) = SortColumn::from_key(key) {
                    spec.sort = column;
                    spec.descending = descending;
                }
            }
            _ => {}
        }
    }
    if from.is_some() || to.is_some() {
        spec.filter.time = TimeRange::Custom { from, to };
    }
    dedup(&mut spec.filter);
    spec
}

/// The query of a queue address: only what differs from the default view, in a fixed order.
pub fn queue_query(spec: &QueueSpec) -> String {
    let filter = &spec.filter;
    let mut parts: Vec<String> = Vec::new();
    let mut list = |key: &str, values: Vec<&str>| {
        if !values.is_empty() {
            let joined: Vec<String> = values
                .iter()
                .map(|v| match *v {
                    "" => "-".to_owned(),
                    "-" => "%2D".to_owned(),
                    v => encode(v),
                })
                .collect();
            parts.push(format!("{key}={}", joined.join(",")));
        }
    };
    list(
        "status",
        filter.statuses.iter().map(|s| s.as_str()).collect(),
    );
    list(
        "severity",
        filter.severities.iter().map(|s| s.as_str()).collect(),
    );
    list("assigned", strs(&filter.assigned_to));
    list("service", strs(&filter.service_sources));
    list("detection", strs(&filter.detection_sources));
    list("category", strs(&filter.categories));
    list("tag", strs(&filter.tags));
    list("classification", strs(&filter.classifications));
    list("determination", strs(&filter.determinations));
    if !filter.entity.is_empty() {
        parts.push(format!("entity={}", encode(&filter.entity)));
    }
    if let Some(kind) = filter.entity_kind {
        parts.push(format!("entity_kind={}", kind.as_str()));
    }
    match filter.time {
        TimeRange::All => {}
        TimeRange::Preset(preset) => parts.push(format!("time={}", preset.key())),
        TimeRange::Custom { from, to } => {
            let stamp = |t: DateTime<Utc>| encode(&t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            if let Some(from) = from {
                parts.push(format!("from={}", stamp(from)));
            }
            if let Some(to) = to {
                parts.push(format!("to={}", stamp(to)));
            }
        }
    }
    if !spec.search.is_empty() {
        parts.push(format!("q={}", encode(&spec.search)));
    }
    let default = QueueSpec::default();
    if (spec.sort, spec.descending) != (default.sort, default.descending) {
        let sign = if spec.descending { "-" } else { "" };
        parts.push(format!("sort={sign}{}", spec.sort.key()));
    }
    parts.join("&")
}

fn strs(values: &[String]) -> Vec<&str> {
    values.iter().map(String::as_str).collect()
}

fn status_of(text: &str) -> Option<Status> {
    [Status::New, Status::InProgress, Status::Resolved]
        .into_iter()
        .find(|s| s.as_str() == text)
}

fn severity_of(text: &str) -> Option<Severity> {
    Severity::MOST_SEVERE_FIRST
        .into_iter()
        .find(|s| s.as_str() == text)
}

/// An instant (RFC 3339) or a day (`2026-03-01`: its start, or its end for `to`), in UTC.
pub fn time_of(text: &str, end_of_day: bool) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    let time = if end_of_day {
        day.and_hms_opt(23, 59, 59)
    } else {
        day.and_hms_opt(0, 0, 0)
    }?;
    Some(time.and_utc())
}

/// Each value once, in the order first given.
fn dedup(filter: &mut QueueFilter) {
    fn once<T: PartialEq + Clone>(values: &mut Vec<T>) {
        let mut seen: Vec<T> = Vec::with_capacity(values.len());
        values.retain(|v| {
            let new = !seen.contains(v);
            if new {
                seen.push(v.clone());
            }
            new
        });
    }
    once(&mut filter.statuses);
    once(&mut filter.severities);
    once(&mut filter.assigned_to);
    once(&mut filter.service_sources);
    once(&mut filter.detection_sources);
    once(&mut filter.categories);
    once(&mut filter.tags);
    once(&mut filter.classifications);
    once(&mut filter.determinations);
}

/// Percent-encodes what is not URL-safe (incident ids are, but routes are typed by people).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(high * 16 + low);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_round_trip() {
        for route in [
            Route::default(),
            Route::Incident {
                incident_id: IncidentId::new("aw-0123456789ab"),
                tab: Tab::Graph,
            },
            Route::Incident {
                incident_id: IncidentId::new("odd id/é"),
                tab: Tab::Evidence,
            },
        ] {
            assert_eq!(Route::parse(&route.to_hash()), route);
        }
        assert_eq!(Route::parse(""), Route::default());
        assert_eq!(Route::parse("#/"), Route::default());
        assert_eq!(Route::parse("#/incidents"), Route::default());
        assert_eq!(Route::default().to_hash(), "#/incidents");
        assert_eq!(
            Route::parse("#/incidents/aw-1"),
            Route::Incident {
                incident_id: IncidentId::new("aw-1"),
                tab: Tab::Summary
            }
        );
        assert_eq!(
            Route::parse("#/incidents/aw-1/nope"),
            Route::NotFound("#/incidents/aw-1/nope".into())
        );
        assert_eq!(
            Route::parse("#/incidents/%zz/alerts"),
            Route::Incident {
                incident_id: IncidentId::new("%zz"),
                tab: Tab::Alerts
            }
        );
    }

    #[test]
    fn the_queue_view_rides_in_the_address() {
        let spec = Route::parse("#/incidents?severity=high&sort=-last");
        let mut want = QueueSpec::default();
        want.filter.severities = vec![Severity::High];
        assert_eq!(spec, Route::Queue(want.clone()));
        // The default sort is left out.
        assert_eq!(Route::Queue(want).to_hash(), "#/incidents?severity=high");

        let spec = QueueSpec {
            search: "ws-1 & co, 50%".to_owned(),
            sort: SortColumn::Name,
            descending: false,
            filter: QueueFilter {
                statuses: vec![Status::New, Status::InProgress],
                severities: vec![Severity::Critical, Severity::Medium],
                assigned_to: vec![String::new(), "ana@contoso.com".to_owned()],
                service_sources: vec!["Microsoft Defender for Endpoint".to_owned()],
                detection_sources: vec!["EDR".to_owned(), "-".to_owned()],
                categories: vec!["Initial access".to_owned(), "A, b".to_owned()],
                tags: vec!["Ransomware".to_owned()],
                classifications: vec!["truePositive".to_owned()],
                determinations: vec![String::new()],
                entity: "10.0.0.5".to_owned(),
                entity_kind: Some(EntityKind::Ip),
                time: TimeRange::Preset(TimePreset::Week),
            },
        };
        let hash = Route::Queue(spec.clone()).to_hash();
        assert!(hash.starts_with("#/incidents?status=new,in_progress&severity=critical,medium&assigned=-,ana%40contoso.com&"), "{hash}");
        assert!(
            hash.contains("category=Initial%20access,A%2C%20b"),
            "{hash}"
        );
        assert!(hash.contains("detection=EDR,%2D"), "{hash}");
        assert!(
            hash.ends_with("&time=1w&q=ws-1%20%26%20co%2C%2050%25&sort=name"),
            "{hash}"
        );
        assert_eq!(Route::parse(&hash), Route::Queue(spec.clone()));

        // A custom range: instants or days; open at either end.
        let custom = QueueSpec {
            filter: QueueFilter {
                time: TimeRange::Custom {
                    from: time_of("2026-03-01", false),
                    to: None,
                },
                ..QueueFilter::default()
            },
            ..QueueSpec::default()
        };
        let hash = Route::Queue(custom.clone()).to_hash();
        assert_eq!(hash, "#/incidents?from=2026-03-01T00%3A00%3A00Z");
        assert_eq!(Route::parse(&hash), Route::Queue(custom.clone()));
        assert_eq!(
            Route::parse("#/incidents?from=2026-03-01"),
            Route::Queue(custom)
        );
        assert_eq!(
            time_of("2026-03-01", true).map(|t| t.to_rfc3339()),
            Some("2026-03-01T23:59:59+00:00".to_owned())
        );
    }

    #[test]
    fn odd_queue_addresses_keep_what_they_can() {
        let Route::Queue(spec) =
            Route::parse("#/?severity=high,bogus,high&sort=nope&zz=1&time=2y&status=&q=")
        else {
            panic!("not the queue");
        };
        assert_eq!(spec.filter.severities, vec![Severity::High]);
        assert_eq!(
            (spec.sort, spec.descending),
            (SortColumn::LastActivity, true)
        );
        assert_eq!(spec.filter.time, TimeRange::All);
        assert!(spec.filter.statuses.is_empty());
        // Every column sorts both ways through the address.
        for column in SortColumn::ALL {
            for descending in [false, true] {
                let spec = QueueSpec {
                    sort: column,
                    descending,
                    ..QueueSpec::default()
                };
                assert_eq!(
                    Route::parse(&Route::Queue(spec.clone()).to_hash()),
                    Route::Queue(spec)
                );
            }
        }
        // The incident routes ignore a query.
        assert_eq!(
            Route::parse("#/incidents/aw-1/graph?x=1"),
            Route::Incident {
                incident_id: IncidentId::new("aw-1"),
                tab: Tab::Graph
            }
        );
    }
}
