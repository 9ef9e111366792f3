//! The pricing engine: prices one item (a product option at a term, with its quantities) from a
//! price book, line by line, and sums items into a bundle total.
//!
//! The same code runs in the browser (re-pricing while the buyer changes a rate or a term) and
//! on the server (re-pricing on save), so both always agree to the cent.
//!
//! Rules: monthly recurring lines take the product's term ladder (see [`PriceBook::lines_for`]);
//! hourly lines are charged per hour and estimated at [`HOURS_PER_MONTH`]; one-time lines are
//! charged once; usage lines are listed with their rate but not added to any total (they depend
//! on what is used). Every amount is `unit price × quantity × count`, exact in cents.

use crate::catalog::{Product, ProductId, Term};
use crate::money::Money;
use crate::price_book::{Charge, PriceBook, PriceUnit};
use serde::{Deserialize, Serialize};

/// Hours in the average month, used to show an hourly price as a monthly estimate.
pub const HOURS_PER_MONTH: i64 = 730;

/// How much of one price unit an item uses. A `label` narrows it to one price line (tiered
/// lines such as DDoS clean traffic share a unit and differ by label).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quantity {
    pub unit: PriceUnit,
    pub label: Option<String>,
    pub amount: u64,
}

impl Quantity {
    pub fn of(unit: PriceUnit, amount: u64) -> Quantity {
        Quantity { unit, label: None, amount }
    }

    pub fn for_line(unit: PriceUnit, label: &str, amount: u64) -> Quantity {
        Quantity { unit, label: Some(label.to_owned()), amount }
    }
}

/// What to price: a product option at a term, its quantities, and how many identical copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemSpec {
    pub product: ProductId,
    pub option: String,
    /// Months of commitment: 0 (on demand, by the hour), 12, 24, 36 or 60.
    #[cfg_attr(feature = "openapi", schema(value_type = u8, example = 12))]
    pub term: Term,
    pub quantities: Vec<Quantity>,
    /// Identical copies (e.g. three 400G waves for 1.2 Tbps); at least 1.
    pub count: u32,
}

impl ItemSpec {
    /// The quantity of `unit` for the line `label`: a label-specific quantity first, then the
    /// unit's; a flat per-service line counts once.
    fn quantity(&self, unit: PriceUnit, label: &str) -> Option<u64> {
        let labelled = self.quantities.iter().find(|q| q.unit == unit && q.label.as_deref() == Some(label));
        let general = || self.quantities.iter().find(|q| q.unit == unit && q.label.is_none());
        match labelled.or_else(general) {
            Some(quantity) => Some(quantity.amount),
            None if unit == PriceUnit::Service => Some(1),
            None => None,
        }
    }
}

/// One line of a price breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakdownLine {
    pub label: String,
    pub charge: Charge,
    pub unit: PriceUnit,
    /// The listed price of one unit, after the term ladder.
    pub unit_price: Money,
    pub quantity: u64,
    pub count: u32,
    /// The term ladder applied, in basis points (−1 500 = 15 % off); 0 when none.
    pub basis_points: i32,
    /// `unit_price × quantity × count`; for usage lines, the rate per unit.
    pub amount: Money,
}

/// Charges summed by kind. `hourly` is per hour while the service runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Totals {
    pub monthly: Money,
    pub hourly: Money,
    pub one_time: Money,
}

impl Totals {
    /// What a month costs: committed monthly charges plus hourly ones over an average month.
    pub fn monthly_estimate(self) -> Money {
        self.monthly + Money::from_cents(self.hourly.cents() * HOURS_PER_MONTH)
    }

    /// The cost of the whole commitment: `months × monthly estimate + one-time`. On demand
    /// counts one month.
    pub fn contract_value(self, term: Term) -> Money {
        let months = i64::from(term.months().max(1));
        Money::from_cents(self.monthly_estimate().cents() * months) + self.one_time
    }

    fn add_line(&mut self, line: &BreakdownLine) {
        match line.charge {
            Charge::MonthlyRecurring => self.monthly += line.amount,
            Charge::Hourly => self.hourly += line.amount,
            Charge::OneTime => self.one_time += line.amount,
            Charge::Usage => {}
        }
    }
}

impl std::ops::Add for Totals {
    type Output = Totals;
    fn add(self, rhs: Totals) -> Totals {
        Totals {
            monthly: self.monthly + rhs.monthly,
            hourly: self.hourly + rhs.hourly,
            one_time: self.one_time + rhs.one_time,
        }
    }
}

impl std::iter::Sum for Totals {
    fn sum<I: Iterator<Item = Totals>>(iter: I) -> Totals {
        iter.fold(Totals::default(), |sum, totals| sum + totals)
    }
}

/// An item priced: every line, and their totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedItem {
    pub lines: Vec<BreakdownLine>,
    pub totals: Totals,
}

/// Why an item cannot be priced, in words a buyer can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PricingError {
    #[error("The catalog has no product “{0}”.")]
    UnknownProduct(String),
    #[error("{product} has no option “{option}”.")]
    UnknownOption { product: String, option: String },
    #[error("{product} is not sold {term}; choose {offered}.")]
    TermNotOffered { product: String, term: String, offered: String },
    #[error("{product} {option} has no price {term} in this price book.")]
    Unpriced { product: String, option: String, term: String },
    #[error("{product}: the price “{label}” needs a quantity {unit}.")]
    MissingQuantity { product: String, label: String, unit: String },
}

/// Prices one item from the price book. Checks that the product offers the option and term.
pub fn price_item(products: &[Product], book: &PriceBook, spec: &ItemSpec) -> Result<PricedItem, PricingError> {
    let product = products
        .iter()
        .find(|product| product.id == spec.product)
        .ok_or_else(|| PricingError::UnknownProduct(spec.product.to_string()))?;
    if product.option(&spec.option).is_none() {
        return Err(PricingError::UnknownOption { product: product.name.clone(), option: spec.option.clone() });
    }
    if !product.terms.contains(&spec.term) {
        let offered: Vec<String> = product.terms.iter().map(|term| term.phrase()).collect();
        return Err(PricingError::TermNotOffered {
            product: product.name.clone(),
            term: term_phrase(spec.term),
            offered: offered.join(", "),
        });
    }
    let count = spec.count.max(1);
    let applied_lines = book.lines_for(&product.id, &spec.option, spec.term);
    // Priced means the book has a recurring price for the option at this term, whatever the
    // quantities (a zero quantity charges nothing but is not "unpriced").
    let recurring =
        applied_lines.iter().any(|applied| matches!(applied.line.charge, Charge::MonthlyRecurring | Charge::Hourly));
    if !recurring {
        return Err(PricingError::Unpriced {
            product: product.name.clone(),
            option: spec.option.clone(),
            term: term_phrase(spec.term),
        });
    }
    let mut lines = Vec::new();
    let mut totals = Totals::default();
    for applied in applied_lines {
        let line = applied.line;
        // A usage line is a rate for what will be used: listed, never multiplied.
        let quantity = if line.charge == Charge::Usage { Some(1) } else { spec.quantity(line.unit, &line.label) };
        let quantity = quantity.ok_or_else(|| PricingError::MissingQuantity {
            product: product.name.clone(),
            label: line.label.clone(),
            unit: line.unit.label().to_owned(),
        })?;
        if quantity == 0 && line.charge != Charge::Usage {
            continue;
        }
        let amount = if line.charge == Charge::Usage {
            applied.amount
        } else {
            let times = i64::try_from(quantity).unwrap_or(i64::MAX).saturating_mul(i64::from(count));
            Money::from_cents(applied.amount.cents().saturating_mul(times))
        };
        let line = BreakdownLine {
            label: line.label,
            charge: line.charge,
            unit: line.unit,
            unit_price: applied.amount,
            quantity,
            count,
            basis_points: applied.basis_points,
            amount,
        };
        totals.add_line(&line);
        lines.push(line);
    }
    Ok(PricedItem { lines, totals })
}

/// `on demand`, `for 36 months`: how a term reads after "sold" or "price".
fn term_phrase(term: Term) -> String {
    match term {
        Term::OnDemand => "on demand".to_owned(),
        other => format!("for {}", other.phrase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ProductOption;
    use crate::price_book::{PriceLine, TermAdjustment};
    use proptest::prelude::*;

    fn wave_id() -> ProductId {
        ProductId::parse("wavelengths-400g").unwrap()
    }

    fn products() -> Vec<Product> {
        vec![Product {
            id: wave_id(),
            name: "400G Wavelengths".into(),
            tagline: String::new(),
            description: String::new(),
            billing: String::new(),
            stages: vec![],
            terms: vec![Term::Months12, Term::Months36],
            options: ["10G", "100G"]
                .into_iter()
                .map(|code| ProductOption { code: code.into(), label: code.into(), bandwidth: None })
                .collect(),
            ends: crate::catalog::Ends::None,
            provisioning: crate::catalog::Provisioning::default(),
        }]
    }

    fn line(option: &str, label: &str, charge: Charge, unit: PriceUnit, cents: i64) -> PriceLine {
        PriceLine {
            product: wave_id(),
            option: option.into(),
            label: label.into(),
            charge,
            unit,
            amount: Money::from_cents(cents),
            terms: vec![],
        }
    }

    fn book() -> PriceBook {
        PriceBook {
            version: 1,
            name: "test".into(),
            lines: vec![
                line("10G", "Wave", Charge::MonthlyRecurring, PriceUnit::Service, 200_000),
                line("10G", "Distance", Charge::MonthlyRecurring, PriceUnit::RouteKm, 100),
                line("10G", "Install", Charge::OneTime, PriceUnit::Service, 250_000),
                line("100G", "Wave", Charge::MonthlyRecurring, PriceUnit::Service, 750_000),
                line("100G", "Distance", Charge::MonthlyRecurring, PriceUnit::RouteKm, 400),
                line("100G", "Install", Charge::OneTime, PriceUnit::Service, 500_000),
            ],
            adjustments: vec![TermAdjustment { product: wave_id(), term: Term::Months36, basis_points: -1200 }],
            terminations: vec![],
        }
    }

    fn wave(option: &str, term: Term, km: u64, count: u32) -> ItemSpec {
        ItemSpec {
            product: wave_id(),
            option: option.into(),
            term,
            quantities: vec![Quantity::of(PriceUnit::RouteKm, km)],
            count,
        }
    }

    #[test]
    fn a_zero_quantity_charges_nothing_yet_the_option_is_priced() {
        let spec = ItemSpec {
            quantities: vec![Quantity::of(PriceUnit::Service, 0), Quantity::of(PriceUnit::RouteKm, 0)],
            ..wave("10G", Term::Months12, 0, 1)
        };
        let priced = price_item(&products(), &book(), &spec).expect("priced, at nothing");
        assert_eq!(priced.totals.monthly, Money::ZERO);
    }

    #[test]
    fn prices_every_line_with_its_quantity_and_the_ladder() {
        let priced = price_item(&products(), &book(), &wave("100G", Term::Months36, 1_000, 1)).unwrap();
        // ($7,500 + 1,000 km × $4) × 0.88 = $10,120 a month; install $5,000 once.
        assert_eq!(priced.totals.monthly, Money::from_dollars(10_120));
        assert_eq!(priced.totals.one_time, Money::from_dollars(5_000));
        assert_eq!(priced.lines[1].quantity, 1_000);
        assert_eq!(priced.lines[1].basis_points, -1200);
        let twice = price_item(&products(), &book(), &wave("100G", Term::Months36, 1_000, 2)).unwrap();
        assert_eq!(twice.totals.monthly, Money::from_dollars(20_240));
    }

    #[test]
    fn refuses_what_the_product_does_not_sell() {
        let at_24 = price_item(&products(), &book(), &wave("10G", Term::Months24, 5, 1)).unwrap_err();
        assert_eq!(at_24.to_string(), "400G Wavelengths is not sold for 24 months; choose 12 months, 36 months.");
        let unknown = price_item(&products(), &book(), &wave("1T", Term::Months12, 5, 1)).unwrap_err();
        assert!(matches!(unknown, PricingError::UnknownOption { .. }));
        let mut no_km = wave("10G", Term::Months12, 5, 1);
        no_km.quantities.clear();
        assert!(matches!(price_item(&products(), &book(), &no_km), Err(PricingError::MissingQuantity { .. })));
    }

    #[test]
    fn hourly_prices_are_estimated_over_730_hours() {
        let totals =
            Totals { monthly: Money::from_dollars(100), hourly: Money::from_cents(355), one_time: Money::ZERO };
        assert_eq!(totals.monthly_estimate(), Money::from_cents(10_000 + 355 * 730));
        assert_eq!(totals.contract_value(Term::Months12), Money::from_cents((10_000 + 355 * 730) * 12));
    }

    proptest! {
        #[test]
        fn the_breakdown_sums_to_the_total(km in 0u64..10_000, count in 1u32..5, fast in proptest::bool::ANY) {
            let option = if fast { "100G" } else { "10G" };
            let priced = price_item(&products(), &book(), &wave(option, Term::Months12, km, count)).unwrap();
            let monthly: Money = priced.lines.iter().filter(|l| l.charge == Charge::MonthlyRecurring).map(|l| l.amount).sum();
            let once: Money = priced.lines.iter().filter(|l| l.charge == Charge::OneTime).map(|l| l.amount).sum();
            prop_assert_eq!(priced.totals.monthly, monthly);
            prop_assert_eq!(priced.totals.one_time, once);
            prop_assert!(priced.lines.iter().all(|l| !l.amount.is_negative()));
        }

        #[test]
        fn a_longer_route_or_a_faster_wave_never_costs_less(km in 0u64..10_000, extra in 0u64..1_000) {
            let price = |option: &str, km| price_item(&products(), &book(), &wave(option, Term::Months12, km, 1)).unwrap().totals.monthly;
            prop_assert!(price("10G", km + extra) >= price("10G", km));
            prop_assert!(price("100G", km) >= price("10G", km));
        }
    }
}
