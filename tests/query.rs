//! The queue index against the demo tenant: filters, counts, sorts and windows.

use alertweave_core::analysis::Dataset;
use alertweave_core::correlate::{Grouping, Settings};
use alertweave_core::ingest::ingest_file;
use alertweave_core::model::{EntityKind, Severity, Status};
use alertweave_core::query::*;
use alertweave_demo::{generate, to_graph_page, DemoConfig};

fn demo_index() -> (Dataset, QueueIndex) {
    let page = to_graph_page(&generate(&DemoConfig::default()));
    let ds = Dataset::build(
        vec![ingest_file("demo.json", page.as_bytes(), &mut |_| {})],
        Settings::default(),
        Grouping::Correlate,
    );
    let index = QueueIndex::build(&ds);
    (ds, index)
}

fn all(ds: &Dataset, index: &mut QueueIndex, spec: QueueSpec) -> QueuePage {
    index.page(
        ds,
        &QueueQuery {
            spec,
            offset: 0,
            limit: usize::MAX,
        },
    )
}

fn with(filter: QueueFilter) -> QueueSpec {
    QueueSpec {
        filter,
        ..QueueSpec::default()
    }
}

#[test]
fn filters_select_what_they_say_and_counts_add_up() {
    let (ds, mut index) = demo_index();
    let everything = all(&ds, &mut index, QueueSpec::default());
    assert_eq!(everything.matching, index.len());
    assert!(index.len() > 20, "the demo has many incidents");
    let sum: usize = everything.by_severity.iter().map(|(_, n)| n).sum();
    assert_eq!(sum, index.len());
    let in_histogram: u32 = everything.histogram.buckets.iter().flatten().sum();
    assert_eq!(in_histogram as usize, index.len());

    // Severity: the counts beside it stay those of every severity.
    let high = all(
        &ds,
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
        &ds,
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
        &ds,
        &mut index,
        with(QueueFilter {
            assigned_to: vec![String::new()],
            ..QueueFilter::default()
        }),
    );
    assert!(unassigned.rows.iter().all(|r| r.assigned_to.is_empty()));

    // Status.
    let resolved = all(
        &ds,
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
    let (ds, mut index) = demo_index();
    let everything = all(&ds, &mut index, QueueSpec::default());
    let device = everything
        .rows
        .iter()
        .flat_map(|r| r.impacted_assets.iter())
        .find(|a| a.kind == EntityKind::Device)
        .map(|a| a.name.clone())
        .expect("a device in the demo");
    let by_device = all(
        &ds,
        &mut index,
        with(QueueFilter {
            entity: device.to_uppercase(),
            entity_kind: Some(EntityKind::Device),
            ..QueueFilter::default()
        }),
    );
    assert!(by_device.matching >= 1);
    let as_user = all(
        &ds,
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
        &ds,
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
        &ds,
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
        &ds,
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
        &ds,
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
    let (ds, mut index) = demo_index();
    for column in SortColumn::ALL {
        let up = all(
            &ds,
            &mut index,
            QueueSpec {
                sort: column,
                descending: false,
                ..QueueSpec::default()
            },
        );
        let down = all(
            &ds,
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
    let full = all(&ds, &mut index, QueueSpec::default());
    let window = index.page(
        &ds,
        &QueueQuery {
            spec: QueueSpec::default(),
            offset: 5,
            limit: 7,
        },
    );
    assert_eq!(window.offset, 5);
    assert_eq!(window.rows, full.rows[5..12].to_vec());
    assert_eq!(window.matching, full.matching);
    let past_the_end = index.page(
        &ds,
        &QueueQuery {
            spec: QueueSpec::default(),
            offset: full.matching + 10,
            limit: 7,
        },
    );
    assert!(past_the_end.rows.is_empty());
}
