//! The incident graph's layout (`alertweave_core::layout::force_layout`) at 500 and 5,000 nodes:
//! alert nodes first, then entity nodes, each alert naming three or four entities drawn with a
//! skew from fixed pools (as `scripts/gen-graph-incident.mjs` does for the browser benchmark).
//! Run: `cargo bench --bench graph`; figures go to docs/benchmarks.md.

use alertweave_core::layout::force_layout;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// `alerts` alerts over `entities` entities; deterministic (a small LCG, no OS randomness).
fn incident_graph(alerts: usize, entities: usize) -> (usize, Vec<(usize, usize)>) {
    let mut state = 7u64;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let u = (state >> 33) as f64 / (1u64 << 31) as f64;
        ((u * u) * n as f64) as usize
    };
    let mut edges = Vec::new();
    for a in 0..alerts {
        for _ in 0..(3 + a % 2) {
            edges.push((a, alerts + next(entities)));
        }
    }
    (alerts + entities, edges)
}

fn layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("layout");
    group.sample_size(10);
    // `cargo test --all-targets` runs this once as a smoke test (unoptimized): small graph only.
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let sizes: &[(usize, usize)] = if benchmarking {
        &[(200, 300), (2_000, 3_000)]
    } else {
        &[(20, 30)]
    };
    for &(alerts, entities) in sizes {
        let (n, edges) = incident_graph(alerts, entities);
        group.bench_with_input(BenchmarkId::new("force_layout", n), &edges, |b, edges| {
            b.iter(|| force_layout(n, edges))
        });
    }
    group.finish();
}

criterion_group!(benches, layout);
criterion_main!(benches);
