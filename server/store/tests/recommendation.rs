//! Golden tests of the recommendation engine on the seeded catalog, price book and network:
//! one scenario per lifecycle stage and one with all four. Each renders every bundle (items,
//! reasons, breakdown, totals, shortfalls) as text and compares it with `tests/golden/*.txt`.
//! After an intended change, `UPDATE_GOLDEN=1 cargo test -p lightpath-store --test
//! recommendation` rewrites the files; review the diff like code.

mod scenarios;

use lightpath_domain::design::DesignDraft;
use lightpath_domain::money::CURRENCY;
use lightpath_domain::network::format_millis;
use lightpath_domain::recommend::{recommend, Inputs, Recommendation};
use lightpath_domain::routing::Reservations;
use scenarios::{all_four, inference, ingestion, multi_cloud, training};
use std::fmt::Write;

fn run(draft: &DesignDraft) -> Recommendation {
    let catalog = lightpath_store::seed::catalog().unwrap();
    let network = lightpath_store::seed::network().unwrap();
    let design = draft.parse(&network.sites).expect("the scenario parses");
    let inputs = Inputs {
        sites: &network.sites,
        spans: &network.spans,
        reserved: &Reservations::new(),
        products: &catalog.products,
        book: &catalog.price_book,
    };
    recommend(&design, &inputs)
}

fn render(recommendation: &Recommendation) -> String {
    let mut out = String::new();
    for check in &recommendation.sites {
        writeln!(out, "site {} [{}] {}", check.name, check.status.slug(), check.reason).unwrap();
    }
    for bundle in &recommendation.bundles {
        writeln!(
            out,
            "\n== {} · {} · {} · lead {} days",
            bundle.tier.label(),
            bundle.term.phrase(),
            bundle.redundancy.label(),
            bundle.lead_days
        )
        .unwrap();
        for item in &bundle.items {
            writeln!(
                out,
                "- {} [{} {} {}, ×{}]",
                item.title,
                item.spec.product,
                item.spec.option,
                item.spec.term.phrase(),
                item.spec.count
            )
            .unwrap();
            writeln!(out, "  why: {}", item.reason).unwrap();
            if let Some(path) = &item.path {
                let spans: Vec<&str> = path.spans.iter().map(|span| span.as_str()).collect();
                writeln!(
                    out,
                    "  path: {} km, {} one way, spans {}",
                    path.route_km,
                    format_millis(path.latency_micros),
                    spans.join(" ")
                )
                .unwrap();
            }
            for line in &item.priced.lines {
                writeln!(
                    out,
                    "  {} {} {} × {} × {} = {}",
                    line.charge.slug(),
                    line.label,
                    line.unit_price,
                    line.quantity,
                    line.count,
                    line.amount
                )
                .unwrap();
            }
        }
        for build in &bundle.builds {
            writeln!(out, "- near-net build {} {}", build.site, build.charge).unwrap();
        }
        let totals = bundle.totals;
        writeln!(
            out,
            "total {CURRENCY}: monthly {} + hourly {} (≈ {} a month), one-time {}",
            totals.monthly,
            totals.hourly,
            totals.monthly_estimate(),
            totals.one_time
        )
        .unwrap();
        if let Some(micros) = bundle.worst_round_trip_micros {
            writeln!(out, "longest round trip {}", format_millis(micros)).unwrap();
        }
        for shortfall in &bundle.shortfalls {
            writeln!(out, "could not: {shortfall}").unwrap();
        }
    }
    out
}

fn golden(name: &str, draft: DesignDraft) {
    let rendered = render(&run(&draft));
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &rendered).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(rendered == expected, "{name} differs from {}:\n{rendered}", path.display());
}

#[test]
fn ingestion_from_the_internet() {
    golden("ingestion", ingestion());
}

#[test]
fn training_between_data_centres() {
    golden("training", training());
}

#[test]
fn inference_at_retail_edge_sites() {
    golden("inference", inference());
}

#[test]
fn multi_cloud_access() {
    golden("multi-cloud", multi_cloud());
}

#[test]
fn all_four_stages() {
    golden("all-stages", all_four());
}

#[test]
fn every_bundle_total_is_the_sum_of_its_breakdown() {
    for recommendation in [run(&all_four()), run(&inference())] {
        for bundle in &recommendation.bundles {
            let lines: i64 = bundle
                .items
                .iter()
                .flat_map(|item| &item.priced.lines)
                .filter(|line| line.charge != lightpath_domain::Charge::Usage)
                .map(|line| line.amount.cents())
                .sum();
            let builds: i64 = bundle.builds.iter().map(|build| build.charge.cents()).sum();
            let totals = bundle.totals;
            assert_eq!(lines + builds, totals.monthly.cents() + totals.hourly.cents() + totals.one_time.cents());
        }
    }
}
