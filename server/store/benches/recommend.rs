//! Pricing and recommendation speed on the seeded catalog and network.
//! Run: `cargo bench -p lightpath-store --bench recommend`; results go in docs/benchmarks.md.

#[path = "../tests/scenarios/mod.rs"]
mod scenarios;

use criterion::{criterion_group, criterion_main, Criterion};
use lightpath_domain::catalog::Term;
use lightpath_domain::recommend::{recommend, Inputs, Tier};
use lightpath_domain::routing::Reservations;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let catalog = lightpath_store::seed::catalog().expect("seed catalog");
    let network = lightpath_store::seed::network().expect("seed network");
    let reserved = Reservations::new();
    let inputs = Inputs {
        sites: &network.sites,
        spans: &network.spans,
        reserved: &reserved,
        products: &catalog.products,
        book: &catalog.price_book,
    };
    let design = scenarios::all_four().parse(&network.sites).expect("the scenario parses");
    c.bench_function("recommend_all_four_stages", |b| b.iter(|| recommend(black_box(&design), &inputs)));

    let recommendation = recommend(&design, &inputs);
    let best = recommendation.bundles.iter().find(|bundle| bundle.tier == Tier::Best).expect("a best bundle");
    // The browser's work when the buyer changes a rate: re-price every item of the bundle.
    let faster: Vec<(usize, String)> = best
        .items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| item.alternatives.last().map(|(code, _)| (index, code.clone())))
        .collect();
    c.bench_function("reprice_full_bundle", |b| {
        b.iter(|| {
            best.with_choices(&catalog.products, &catalog.price_book, black_box(Term::Months60), &faster)
                .expect("priced")
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
