//! Pricing invariants over the seeded catalog and price book, for every product, option and
//! term, with random quantities: more bandwidth never costs less, a longer term never costs
//! more per month, the breakdown sums to the totals and no charge is negative.

use lightpath_domain::catalog::{Product, Term};
use lightpath_domain::price_book::{Charge, PriceBook, PriceUnit};
use lightpath_domain::pricing::{price_item, ItemSpec, PricedItem, Quantity};
use proptest::prelude::*;
use std::sync::LazyLock;

static CATALOG: LazyLock<(Vec<Product>, PriceBook)> = LazyLock::new(|| {
    let seed = lightpath_store::seed::catalog().unwrap();
    (seed.products, seed.price_book)
});

fn spec(product: &Product, option: &str, term: Term, amount: u64, count: u32) -> ItemSpec {
    ItemSpec {
        product: product.id.clone(),
        option: option.to_owned(),
        term,
        quantities: PriceUnit::ALL.iter().map(|unit| Quantity::of(*unit, amount)).collect(),
        count,
    }
}

fn price(product: &Product, option: &str, term: Term, amount: u64, count: u32) -> PricedItem {
    let (products, book) = &*CATALOG;
    price_item(products, book, &spec(product, option, term, amount, count)).unwrap()
}

/// Options of a product that differ only by rate, grouped (programmable connectivity's rates
/// share a distance band: `1G-metro`, `10G-metro`…), each group in rate order.
fn rate_ladders(product: &Product) -> Vec<Vec<String>> {
    let mut groups: Vec<(String, Vec<(u64, String)>)> = Vec::new();
    for option in &product.options {
        let Some(bandwidth) = option.bandwidth else { continue };
        let band = option.code.split_once('-').map(|(_, band)| band.to_owned()).unwrap_or_default();
        match groups.iter_mut().find(|(key, _)| *key == band) {
            Some((_, members)) => members.push((bandwidth.mbps(), option.code.clone())),
            None => groups.push((band, vec![(bandwidth.mbps(), option.code.clone())])),
        }
    }
    groups
        .into_iter()
        .map(|(_, mut members)| {
            members.sort();
            members.into_iter().map(|(_, code)| code).collect()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn more_bandwidth_never_costs_less(amount in 0u64..5_000, count in 1u32..4) {
        for product in &CATALOG.0 {
            for term in &product.terms {
                for ladder in rate_ladders(product) {
                    for pair in ladder.windows(2) {
                        let slower = price(product, &pair[0], *term, amount, count).totals;
                        let faster = price(product, &pair[1], *term, amount, count).totals;
                        prop_assert!(faster.monthly_estimate() >= slower.monthly_estimate(), "{} {} → {}", product.name, pair[0], pair[1]);
                    }
                }
            }
        }
    }

    #[test]
    fn a_longer_term_never_costs_more_per_month(amount in 0u64..5_000, count in 1u32..4) {
        for product in &CATALOG.0 {
            for option in &product.options {
                let mut terms = product.terms.clone();
                terms.sort();
                for pair in terms.windows(2) {
                    let shorter = price(product, &option.code, pair[0], amount, count).totals;
                    let longer = price(product, &option.code, pair[1], amount, count).totals;
                    prop_assert!(longer.monthly_estimate() <= shorter.monthly_estimate(), "{} {} {:?} → {:?}", product.name, option.code, pair[0], pair[1]);
                }
            }
        }
    }

    #[test]
    fn the_breakdown_sums_to_the_totals_and_nothing_is_negative(amount in 0u64..100_000, count in 1u32..10) {
        for product in &CATALOG.0 {
            for option in &product.options {
                for term in &product.terms {
                    let priced = price(product, &option.code, *term, amount, count);
                    let sum = |charge: Charge| priced.lines.iter().filter(|line| line.charge == charge).map(|line| line.amount.cents()).sum::<i64>();
                    prop_assert_eq!(priced.totals.monthly.cents(), sum(Charge::MonthlyRecurring));
                    prop_assert_eq!(priced.totals.hourly.cents(), sum(Charge::Hourly));
                    prop_assert_eq!(priced.totals.one_time.cents(), sum(Charge::OneTime));
                    prop_assert!(priced.lines.iter().all(|line| !line.amount.is_negative() && !line.unit_price.is_negative()));
                }
            }
        }
    }
}
