//! Native benchmarks of the whole pipeline on generated tenants: ingest (parse + convert),
//! build (merge, resolve entities, correlate), and the queries the page makes.
//! Run: `cargo bench --bench pipeline`; figures go to docs/benchmarks.md.

use alertweave_core::analysis::Dataset;
use alertweave_core::correlate::{Grouping, Settings};
use alertweave_core::ingest::ingest_file;
use alertweave_core::query::{incident_view, queue_page, QueueQuery, QueueSpec};
use alertweave_demo::{generate, to_graph_page, DemoConfig};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn tenant(n_noise: usize) -> String {
    to_graph_page(&generate(&DemoConfig {
        n_noise_alerts: n_noise,
        ..DemoConfig::default()
    }))
}

fn pipeline(c: &mut Criterion) {
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10);
    // `cargo test --all-targets` runs this once as a smoke test (unoptimized): small tenant only.
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let sizes: &[usize] = if benchmarking {
        &[180, 2_000, 20_000]
    } else {
        &[180]
    };
    for &n_noise in sizes {
        let text = tenant(n_noise);
        let n_alerts = n_noise + 25;
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("ingest", n_alerts), &text, |b, text| {
            b.iter(|| ingest_file("bench.json", text.as_bytes(), &mut |_| {}))
        });
        group.bench_with_input(
            BenchmarkId::new("ingest+build", n_alerts),
            &text,
            |b, text| {
                b.iter(|| {
                    Dataset::build(
                        vec![ingest_file("bench.json", text.as_bytes(), &mut |_| {})],
                        Settings::default(),
                        Grouping::Correlate,
                    )
                })
            },
        );
        let ds = Dataset::build(
            vec![ingest_file("bench.json", text.as_bytes(), &mut |_| {})],
            Settings::default(),
            Grouping::Correlate,
        );
        group.bench_with_input(BenchmarkId::new("queue-page", n_alerts), &ds, |b, ds| {
            b.iter(|| {
                queue_page(
                    ds,
                    &QueueQuery {
                        spec: QueueSpec {
                            search: "multi".into(),
                            ..QueueSpec::default()
                        },
                        ..QueueQuery::default()
                    },
                )
            })
        });
        let largest = ds
            .incidents()
            .iter()
            .max_by_key(|i| i.alert_ids.len())
            .map(|i| i.incident_id.clone());
        if let Some(id) = largest {
            group.bench_with_input(BenchmarkId::new("incident-view", n_alerts), &ds, |b, ds| {
                b.iter(|| incident_view(ds, &id))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
