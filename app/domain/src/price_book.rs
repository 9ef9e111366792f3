//! Price books: versioned lists of prices for every product option, and the term ladder.
//!
//! A price line is one charge of one option (a port, a per-km rate, an install fee). Recurring
//! monthly lines are adjusted by the product's term ladder; hourly, one-time and usage lines are
//! charged as listed. Which terms a line applies to is data (an install fee waived at 36+ months
//! simply does not list 36 and 60), so products with different rules share one engine.

use crate::catalog::{Product, ProductId, Term};
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// When a price is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Charge {
    MonthlyRecurring,
    Hourly,
    OneTime,
    /// Metered above a commitment (burst, usage per GB, power over commit).
    Usage,
}

impl Charge {
    pub const ALL: [Charge; 4] = [Charge::MonthlyRecurring, Charge::Hourly, Charge::OneTime, Charge::Usage];

    /// The stored and serialised name (`monthly-recurring`).
    pub fn slug(self) -> &'static str {
        match self {
            Charge::MonthlyRecurring => "monthly-recurring",
            Charge::Hourly => "hourly",
            Charge::OneTime => "one-time",
            Charge::Usage => "usage",
        }
    }

    pub fn parse(text: &str) -> Option<Charge> {
        Charge::ALL.into_iter().find(|charge| charge.slug() == text)
    }

    /// The suffix after an amount: `$2,000.00 / month`.
    pub fn per(self) -> &'static str {
        match self {
            Charge::MonthlyRecurring => "/ month",
            Charge::Hourly => "/ hour",
            Charge::OneTime => "once",
            Charge::Usage => "as used",
        }
    }
}

/// What one price is multiplied by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PriceUnit {
    Service,
    RouteKm,
    RouteMile,
    Site,
    User,
    Gbps,
    Mbps,
    Gb,
    Rack,
    Kw,
    CrossConnect,
    FiberEnd,
    Tenant,
    Day,
}

impl PriceUnit {
    pub const ALL: [PriceUnit; 14] = [
        PriceUnit::Service,
        PriceUnit::RouteKm,
        PriceUnit::RouteMile,
        PriceUnit::Site,
        PriceUnit::User,
        PriceUnit::Gbps,
        PriceUnit::Mbps,
        PriceUnit::Gb,
        PriceUnit::Rack,
        PriceUnit::Kw,
        PriceUnit::CrossConnect,
        PriceUnit::FiberEnd,
        PriceUnit::Tenant,
        PriceUnit::Day,
    ];

    /// The stored and serialised name (`route-km`).
    pub fn slug(self) -> &'static str {
        match self {
            PriceUnit::Service => "service",
            PriceUnit::RouteKm => "route-km",
            PriceUnit::RouteMile => "route-mile",
            PriceUnit::Site => "site",
            PriceUnit::User => "user",
            PriceUnit::Gbps => "gbps",
            PriceUnit::Mbps => "mbps",
            PriceUnit::Gb => "gb",
            PriceUnit::Rack => "rack",
            PriceUnit::Kw => "kw",
            PriceUnit::CrossConnect => "cross-connect",
            PriceUnit::FiberEnd => "fiber-end",
            PriceUnit::Tenant => "tenant",
            PriceUnit::Day => "day",
        }
    }

    pub fn parse(text: &str) -> Option<PriceUnit> {
        PriceUnit::ALL.into_iter().find(|unit| unit.slug() == text)
    }

    /// Empty for a flat per-service price; otherwise `per route-km` and the like.
    pub fn label(self) -> &'static str {
        match self {
            PriceUnit::Service => "",
            PriceUnit::RouteKm => "per route-km",
            PriceUnit::RouteMile => "per route-mile",
            PriceUnit::Site => "per site",
            PriceUnit::User => "per user",
            PriceUnit::Gbps => "per Gbps",
            PriceUnit::Mbps => "per Mbps",
            PriceUnit::Gb => "per GB",
            PriceUnit::Rack => "per rack",
            PriceUnit::Kw => "per kW",
            PriceUnit::CrossConnect => "per cross-connect",
            PriceUnit::FiberEnd => "per end",
            PriceUnit::Tenant => "per tenant",
            PriceUnit::Day => "per 24 h",
        }
    }
}

/// One listed price of one product option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceLine {
    pub product: ProductId,
    pub option: String,
    /// What the charge is for, e.g. "Port", "Route distance", "Install".
    pub label: String,
    pub charge: Charge,
    pub unit: PriceUnit,
    pub amount: Money,
    /// The terms this line applies to; empty means every term the product offers.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<u8>))]
    pub terms: Vec<Term>,
}

impl PriceLine {
    pub fn applies_to(&self, term: Term) -> bool {
        self.terms.is_empty() || self.terms.contains(&term)
    }
}

/// The term ladder: monthly recurring prices at `term` change by `basis_points` (−1 500 = −15 %).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermAdjustment {
    pub product: ProductId,
    #[cfg_attr(feature = "openapi", schema(value_type = u8))]
    pub term: Term,
    pub basis_points: i32,
}

/// The share of the remaining committed monthly charges a product's early termination costs
/// (a product not listed: all of it, [`FULL_TERMINATION_SHARE`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminationShare {
    pub product: ProductId,
    pub basis_points: u32,
}

/// Ending a term early costs every remaining committed month unless the book says otherwise.
pub const FULL_TERMINATION_SHARE: u32 = 10_000;

/// Parses an early termination share typed as a percentage (`75`, `12.5`) into basis points.
pub fn parse_termination_share(text: &str) -> Result<u32, String> {
    let problem = || "Enter a share from 0 to 100 %, like 75 or 12.5.".to_owned();
    let text = text.trim().trim_end_matches('%').trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || whole.len() > 3
        || fraction.len() > 2
        || !(whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit()))
    {
        return Err(problem());
    }
    let whole: u32 = whole.parse().map_err(|_| problem())?;
    let fraction: u32 = format!("{fraction:0<2}").parse().map_err(|_| problem())?;
    let basis_points = whole * 100 + fraction;
    if basis_points > FULL_TERMINATION_SHARE {
        return Err(problem());
    }
    Ok(basis_points)
}

/// A version of the carrier's prices. Quotes keep the version they were priced with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceBook {
    pub version: u32,
    pub name: String,
    pub lines: Vec<PriceLine>,
    pub adjustments: Vec<TermAdjustment>,
    #[serde(default)]
    pub terminations: Vec<TerminationShare>,
}

/// A price line as it applies at one term, after the term ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedLine {
    pub line: PriceLine,
    pub basis_points: i32,
    pub amount: Money,
}

/// The lowest flat monthly (or hourly) price of a product, for "from $X" on catalog cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartingPrice {
    pub amount: Money,
    pub charge: Charge,
    #[cfg_attr(feature = "openapi", schema(value_type = u8))]
    pub term: Term,
    pub unit: PriceUnit,
}

impl PriceBook {
    /// The share of the remaining commitment an early termination of `product` costs.
    pub fn termination_share(&self, product: &ProductId) -> u32 {
        self.terminations
            .iter()
            .find(|share| &share.product == product)
            .map_or(FULL_TERMINATION_SHARE, |share| share.basis_points)
    }

    /// The term ladder adjustment of a product at a term, 0 when none is listed.
    pub fn adjustment(&self, product: &ProductId, term: Term) -> i32 {
        self.adjustments
            .iter()
            .find(|adjustment| &adjustment.product == product && adjustment.term == term)
            .map_or(0, |adjustment| adjustment.basis_points)
    }

    /// Every price of one option at one term, with the term ladder applied to monthly lines.
    pub fn lines_for(&self, product: &ProductId, option: &str, term: Term) -> Vec<AppliedLine> {
        let ladder = self.adjustment(product, term);
        self.lines
            .iter()
            .filter(|line| &line.product == product && line.option == option && line.applies_to(term))
            .map(|line| {
                let basis_points = if line.charge == Charge::MonthlyRecurring { ladder } else { 0 };
                AppliedLine { line: line.clone(), basis_points, amount: line.amount.adjusted_by_bp(basis_points) }
            })
            .collect()
    }

    /// The cheapest entry price across options and terms, for "from $X" on catalog cards:
    /// per option and term, the recurring lines in the unit of its first recurring line
    /// (per service, per route-mile, per user…) summed. Monthly when the product has
    /// committed terms, hourly when it is sold on demand only.
    pub fn starting_price(&self, product: &Product) -> Option<StartingPrice> {
        let entry_price = |option: &str, term: Term, charge: Charge| -> Option<StartingPrice> {
            let lines: Vec<AppliedLine> = self
                .lines_for(&product.id, option, term)
                .into_iter()
                .filter(|applied| applied.line.charge == charge)
                .collect();
            let unit = lines.first()?.line.unit;
            let amount = lines.iter().filter(|applied| applied.line.unit == unit).map(|applied| applied.amount).sum();
            Some(StartingPrice { amount, charge, term, unit })
        };
        let cheapest = |charge: Charge| {
            product
                .options
                .iter()
                .flat_map(|option| product.terms.iter().map(move |term| (option, *term)))
                .filter_map(|(option, term)| entry_price(&option.code, term, charge))
                .min_by_key(|price| (price.amount, std::cmp::Reverse(price.term)))
        };
        cheapest(Charge::MonthlyRecurring).or_else(|| cheapest(Charge::Hourly))
    }

    /// Checks a price book against the catalog before it may be published: no negative
    /// prices, every line names a real product and option, every option priced at every term
    /// its product offers, ladder entries only for offered terms and never below −100 %.
    pub fn problems(&self, products: &[Product]) -> Vec<String> {
        let mut problems = Vec::new();
        for line in &self.lines {
            let Some(product) = products.iter().find(|p| p.id == line.product) else {
                problems.push(format!("A price names the unknown product “{}”.", line.product));
                continue;
            };
            if product.option(&line.option).is_none() {
                problems.push(format!("{}: a price names the unknown option “{}”.", product.name, line.option));
            }
            if line.amount.is_negative() {
                problems.push(format!(
                    "{} {}: “{}” is negative; prices must be zero or more.",
                    product.name, line.option, line.label
                ));
            }
            if let Some(term) = line.terms.iter().find(|term| !product.terms.contains(term)) {
                problems.push(format!(
                    "{} {}: “{}” is listed for {}, which the product does not offer.",
                    product.name,
                    line.option,
                    line.label,
                    term.label()
                ));
            }
        }
        for product in products {
            for option in &product.options {
                for term in &product.terms {
                    let priced = self
                        .lines_for(&product.id, &option.code, *term)
                        .iter()
                        .any(|applied| matches!(applied.line.charge, Charge::MonthlyRecurring | Charge::Hourly));
                    if !priced {
                        problems.push(format!(
                            "{} {}: no recurring price at {}.",
                            product.name,
                            option.label,
                            term.phrase()
                        ));
                    }
                }
            }
        }
        for adjustment in &self.adjustments {
            match products.iter().find(|p| p.id == adjustment.product) {
                None => problems.push(format!("A term discount names the unknown product “{}”.", adjustment.product)),
                Some(product) if !product.terms.contains(&adjustment.term) => problems.push(format!(
                    "{}: a term discount is set for {}, which the product does not offer.",
                    product.name,
                    adjustment.term.label()
                )),
                Some(product) if adjustment.basis_points <= -10_000 => problems
                    .push(format!("{}: a term discount of 100 % or more would give the service away.", product.name)),
                Some(_) => {}
            }
        }
        for share in &self.terminations {
            match products.iter().find(|p| p.id == share.product) {
                None => {
                    problems.push(format!("An early termination share names the unknown product “{}”.", share.product))
                }
                Some(product) if share.basis_points > FULL_TERMINATION_SHARE => problems.push(format!(
                    "{}: an early termination share above 100 % would charge more than the commitment.",
                    product.name
                )),
                Some(_) => {}
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ProductId, ProductOption};
    use proptest::prelude::*;

    fn id() -> ProductId {
        ProductId::parse("internet-on-demand").unwrap()
    }

    fn product() -> Product {
        Product {
            id: id(),
            name: "Internet on Demand".into(),
            tagline: String::new(),
            description: String::new(),
            billing: String::new(),
            stages: vec![],
            terms: vec![Term::OnDemand, Term::Months12, Term::Months36],
            options: ["100M", "1G"]
                .into_iter()
                .map(|code| ProductOption { code: code.into(), label: code.into(), bandwidth: None })
                .collect(),
            ends: crate::catalog::Ends::None,
            provisioning: crate::catalog::Provisioning::default(),
        }
    }

    fn line(option: &str, charge: Charge, dollars: i64, terms: Vec<Term>) -> PriceLine {
        PriceLine {
            product: id(),
            option: option.into(),
            label: "Port".into(),
            charge,
            unit: PriceUnit::Service,
            amount: Money::from_dollars(dollars),
            terms,
        }
    }

    fn book() -> PriceBook {
        let committed = vec![Term::Months12, Term::Months36];
        PriceBook {
            version: 1,
            name: "test".into(),
            lines: vec![
                line("100M", Charge::Hourly, 1, vec![Term::OnDemand]),
                line("100M", Charge::MonthlyRecurring, 450, committed.clone()),
                line("1G", Charge::Hourly, 4, vec![Term::OnDemand]),
                line("1G", Charge::MonthlyRecurring, 2000, committed),
                line("1G", Charge::OneTime, 500, vec![Term::OnDemand, Term::Months12]),
            ],
            adjustments: vec![
                TermAdjustment { product: id(), term: Term::Months12, basis_points: -1500 },
                TermAdjustment { product: id(), term: Term::Months36, basis_points: -2500 },
            ],
            terminations: vec![TerminationShare { product: id(), basis_points: 5_000 }],
        }
    }

    #[test]
    fn termination_shares_parse_from_percentages() {
        assert_eq!(parse_termination_share("75"), Ok(7_500));
        assert_eq!(parse_termination_share(" 12.5 % "), Ok(1_250));
        assert_eq!(parse_termination_share("0"), Ok(0));
        assert_eq!(parse_termination_share("100"), Ok(10_000));
        for bad in ["", "100.01", "150", "-5", "abc", "1.234", "1e2", "."] {
            assert!(parse_termination_share(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_termination_share_is_the_books_or_all_of_it() {
        let mut book = book();
        assert_eq!(book.termination_share(&id()), 5_000);
        assert_eq!(book.termination_share(&ProductId::parse("dark-fiber").unwrap()), FULL_TERMINATION_SHARE);
        book.terminations[0].basis_points = 10_001;
        let problems = book.problems(&[]);
        assert!(problems.iter().any(|problem| problem.contains("early termination share")), "{problems:?}");
    }

    #[test]
    fn the_term_ladder_discounts_monthly_lines_only() {
        let lines = book().lines_for(&id(), "1G", Term::Months12);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].amount, Money::from_dollars(1700));
        assert_eq!(lines[1].line.charge, Charge::OneTime);
        assert_eq!(lines[1].amount, Money::from_dollars(500));
        // Install is waived at 36 months: the line does not list that term.
        assert_eq!(book().lines_for(&id(), "1G", Term::Months36).len(), 1);
    }

    #[test]
    fn starting_price_is_the_cheapest_monthly() {
        let from = book().starting_price(&product()).unwrap();
        assert_eq!(from.amount, Money::from_dollars(450).adjusted_by_bp(-2500));
        assert_eq!(from.term, Term::Months36);
        assert_eq!(from.charge, Charge::MonthlyRecurring);
        assert_eq!(from.unit, PriceUnit::Service);
    }

    #[test]
    fn starting_price_of_a_per_unit_product_names_its_unit() {
        let mut per_user = book();
        for line in &mut per_user.lines {
            line.unit = PriceUnit::User;
        }
        let from = per_user.starting_price(&product()).unwrap();
        assert_eq!(from.unit, PriceUnit::User);
        assert_eq!(from.amount, Money::from_dollars(450).adjusted_by_bp(-2500));
    }

    #[test]
    fn a_consistent_book_has_no_problems() {
        assert_eq!(book().problems(&[product()]), Vec::<String>::new());
    }

    #[test]
    fn problems_name_what_to_fix() {
        let mut broken = book();
        broken.lines.retain(|line| !(line.option == "100M" && line.charge == Charge::Hourly));
        broken.lines[0].amount = Money::from_cents(-1);
        broken.adjustments.push(TermAdjustment { product: id(), term: Term::Months60, basis_points: -100 });
        let problems = broken.problems(&[product()]);
        assert!(problems.iter().any(|p| p.contains("no recurring price at on demand")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("negative")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("60 months")), "{problems:?}");
    }

    #[test]
    fn slugs_match_serde_names() {
        for charge in Charge::ALL {
            assert_eq!(Charge::parse(charge.slug()), Some(charge));
        }
        for unit in PriceUnit::ALL {
            assert_eq!(PriceUnit::parse(unit.slug()), Some(unit));
        }
    }

    proptest! {
        #[test]
        fn longer_ladders_never_cost_more(dollars in 0i64..1_000_000, steps in proptest::collection::vec(0i32..3000, 4)) {
            // A monotone ladder (each longer term at least as discounted) gives monotone prices.
            let mut cumulative = 0;
            let mut previous = Money::from_dollars(dollars);
            for step in steps {
                cumulative = (cumulative + step).min(9_999);
                let price = Money::from_dollars(dollars).adjusted_by_bp(-cumulative);
                prop_assert!(price <= previous);
                previous = price;
            }
        }
    }
}
