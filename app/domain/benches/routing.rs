//! Routing speed on the seeded-size network and on a generated 5,000-site network.
//! Run: `cargo bench -p lightpath-domain --bench routing`; results go in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, Criterion};
use lightpath_domain::routing::{synthetic_network, Reservations, Topology};
use lightpath_domain::SiteId;
use std::hint::black_box;

fn bench_network(c: &mut Criterion, label: &str, metros: usize, per_metro: usize) {
    let (sites, spans) = synthetic_network(metros, per_metro, 7);
    let topology = Topology::new(&sites, &spans).expect("generated network is consistent");
    let none = Reservations::new();
    // Far-apart endpoints: the first and last hubs are at random places; pick the pair of the
    // first hub and the hub farthest from it, the worst case for a search.
    let hubs: Vec<_> = sites.iter().filter(|site| site.metro == site.id).collect();
    let from = hubs[0];
    let to = hubs
        .iter()
        .max_by(|a, b| from.location.great_circle_km(a.location).total_cmp(&from.location.great_circle_km(b.location)));
    let (from, to): (SiteId, SiteId) = (from.id.clone(), to.expect("hubs").id.clone());
    let mut group = c.benchmark_group(label);
    group.bench_function("shortest_path", |b| {
        b.iter(|| topology.shortest_path(black_box(&from), black_box(&to), 100_000, &none).expect("a path"))
    });
    group.bench_function("diverse_pair", |b| {
        b.iter(|| topology.diverse_pair(black_box(&from), black_box(&to), 100_000, &none).expect("a pair"))
    });
    group.bench_function("alternatives_k3", |b| {
        b.iter(|| topology.alternatives(black_box(&from), black_box(&to), 100_000, &none, 3).expect("paths"))
    });
    group.finish();
}

fn routing(c: &mut Criterion) {
    // The seeded network's size: 16 metros with ~5 data centres each.
    bench_network(c, "network_100_sites", 16, 5);
    bench_network(c, "network_5000_sites", 5000, 0);
}

criterion_group!(benches, routing);
criterion_main!(benches);
