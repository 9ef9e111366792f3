//! Configure one product directly: the buyer who knows what they need picks the product, its
//! ends, the option, the term and the quantities, and gets a priced item they can order.
//!
//! Two pure steps. [`place`] checks the ends and routes a connection on the network (on the
//! server, where the live reservations are); [`price`] turns the configuration and its
//! placement into priced items with the pricing engine. The browser keeps the placement and
//! runs [`price`] again whenever the term or a quantity changes, so the price follows the
//! buyer's hand without a round trip; the server runs both again before it orders, so both
//! always agree to the cent.

use crate::catalog::{Ends, Product, ProductId, ProductOption, Term};
use crate::network::{format_millis, Site, SiteId, SiteKind};
use crate::price_book::{Charge, PriceBook, PriceUnit};
use crate::pricing::{price_item, ItemSpec, Quantity, Totals};
use crate::recommend::{products, protection_quantities, route_miles, twin_reason, Item, Serviceability};
use crate::routing::{Path, Reservations, RoutingError, Topology};
use serde::{Deserialize, Serialize};

/// Identical copies one configuration may order (e.g. four 400G waves).
pub const MAX_COUNT: u32 = 16;
/// The largest amount of any entered unit (users, kW, racks, Gbps…).
pub const MAX_AMOUNT: u64 = 1_000_000;

/// How much of a unit the buyer asked for (users, kW, racks…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Amount {
    pub unit: PriceUnit,
    pub amount: u64,
}

/// What the buyer picked on a product page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Configuration {
    pub product: ProductId,
    pub option: String,
    /// Months of commitment: 0 (on demand, by the hour), 12, 24, 36 or 60.
    #[cfg_attr(feature = "openapi", schema(value_type = u8, example = 12))]
    pub term: Term,
    /// The site (or first site) the product is delivered at; unused by products with no ends.
    pub a_end: Option<SiteId>,
    /// The far end of a connection.
    pub z_end: Option<SiteId>,
    /// A second path sharing no span with the first (connections only).
    pub diverse: bool,
    /// The units the route does not give, entered by the buyer.
    pub amounts: Vec<Amount>,
    /// Identical copies.
    pub count: u32,
}

impl Configuration {
    /// One line naming what was configured as a person reads it: the product and its option
    /// by their names, the ends by their sites' names (an id stays where no name is known):
    /// `400G Wavelengths 100 Gbps · Digital Realty 350 East Cermak ⇄ Equinix DC11 Ashburn · 12 months`.
    pub fn describe(&self, products: &[Product], site_name: impl Fn(&SiteId) -> Option<String>) -> String {
        let product = products.iter().find(|product| product.id == self.product);
        let product_name = product.map_or_else(|| self.product.to_string(), |product| product.name.clone());
        let option = product
            .and_then(|product| product.option(&self.option))
            .map_or_else(|| self.option.clone(), |option| option.label.clone());
        let name = |site: &SiteId| site_name(site).unwrap_or_else(|| site.to_string());
        let copies = if self.count > 1 { format!("{} × ", self.count) } else { String::new() };
        let ends = match (&self.a_end, &self.z_end) {
            (Some(a), Some(z)) => format!(" · {} ⇄ {}", name(a), name(z)),
            (Some(a), None) => format!(" · {}", name(a)),
            _ => String::new(),
        };
        format!("{copies}{product_name} {option}{ends} · {}", self.term.phrase())
    }
}

/// A problem with a configuration, attached to the field the buyer should change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// `option`, `term`, `a_end`, `z_end`, `count`, or `amount-<unit>`.
    pub field: String,
    pub message: String,
}

impl Problem {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { field: field.into(), message: message.into() }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// One end of the configuration, qualified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndCheck {
    pub site: SiteId,
    pub name: String,
    pub status: Serviceability,
    pub reason: String,
}

/// Where the configuration runs: its ends and, for a connection, its path and diverse twin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub ends: Vec<EndCheck>,
    /// The primary path, then the twin when a diverse pair was asked for; empty when the
    /// product is not routed.
    pub paths: Vec<Path>,
}

/// A configuration placed and priced on the network as it is now, not ordered: its ends and
/// their serviceability, its paths, its items with their price breakdown, the totals to order
/// it at, the lead time, and the price book that priced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offer {
    pub ends: Vec<EndCheck>,
    /// The primary path, then its diverse twin when one was asked for; empty when the product
    /// is not routed.
    pub paths: Vec<Path>,
    /// One item per path (or one): its title, specification and price with its breakdown.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub items: Vec<Item>,
    /// What to send as `totals` with the configuration to order it.
    pub totals: Totals,
    pub lead_days: u32,
    pub price_book_version: u32,
}

impl Offer {
    pub fn new(placement: Placement, configured: Configured, price_book_version: u32) -> Offer {
        Offer {
            ends: placement.ends,
            paths: placement.paths,
            items: configured.items,
            totals: configured.totals,
            lead_days: configured.lead_days,
            price_book_version,
        }
    }
}

/// The configuration priced: one item per path (or one), and their totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Configured {
    pub items: Vec<Item>,
    pub totals: Totals,
    pub lead_days: u32,
}

/// The units the buyer enters for an option at a term: those of its charged lines that the
/// ends and the route do not give.
pub fn entered_units(product: &Product, book: &PriceBook, option: &str, term: Term) -> Vec<PriceUnit> {
    let mut units = Vec::new();
    for applied in book.lines_for(&product.id, option, term) {
        let unit = applied.line.unit;
        let from_route =
            matches!(unit, PriceUnit::Service | PriceUnit::RouteKm | PriceUnit::RouteMile | PriceUnit::FiberEnd)
                || (unit == PriceUnit::Site && product.ends != Ends::None);
        if applied.line.charge != Charge::Usage && !from_route && !units.contains(&unit) {
            units.push(unit);
        }
    }
    units
}

/// What a unit's input is called on the form.
pub fn unit_noun(unit: PriceUnit) -> &'static str {
    match unit {
        PriceUnit::Service => "Services",
        PriceUnit::RouteKm => "Route-km",
        PriceUnit::RouteMile => "Route-miles",
        PriceUnit::Site => "Sites",
        PriceUnit::User => "Users",
        PriceUnit::Gbps => "Gbps",
        PriceUnit::Mbps => "Mbps",
        PriceUnit::Gb => "GB",
        PriceUnit::Rack => "Racks",
        PriceUnit::Kw => "Power (kW)",
        PriceUnit::CrossConnect => "Cross-connects",
        PriceUnit::FiberEnd => "Fiber ends",
        PriceUnit::Tenant => "Tenants",
        PriceUnit::Day => "Days of mitigation",
    }
}

fn find_product<'a>(products: &'a [Product], id: &ProductId) -> Result<&'a Product, Problem> {
    products
        .iter()
        .find(|product| &product.id == id)
        .ok_or_else(|| Problem::new("product", format!("The catalog has no product “{id}”.")))
}

/// The sites a product can be delivered at: metros, data centres and cloud on-ramps.
pub fn sellable(site: &Site) -> bool {
    matches!(site.kind, SiteKind::Metro | SiteKind::DataCenter | SiteKind::CloudOnRamp)
}

fn check_end(sites: &[Site], field: &str, id: Option<&SiteId>, what: &str) -> Result<(Site, EndCheck), Problem> {
    let id = id.ok_or_else(|| Problem::new(field, format!("Choose {what}.")))?;
    let site = sites
        .iter()
        .find(|site| &site.id == id && sellable(site))
        .ok_or_else(|| Problem::new(field, format!("There is no site “{id}” we sell at. Pick one from the list.")))?;
    let reason = if site.kind == SiteKind::Metro {
        format!("{} is one of our metro hubs: on our network.", site.name)
    } else {
        format!(
            "In our {} metro, {} km of our own fiber from the hub: on our network.",
            metro_name(sites, site),
            site.access_km
        )
    };
    let check = EndCheck { site: site.id.clone(), name: site.name.clone(), status: Serviceability::OnNet, reason };
    Ok((site.clone(), check))
}

fn metro_name(sites: &[Site], site: &Site) -> String {
    sites.iter().find(|metro| metro.id == site.metro).map_or_else(|| site.metro.to_string(), |metro| metro.name.clone())
}

/// Checks the configuration's ends and routes a connection around full spans. A connection
/// the network cannot carry is refused here, naming the span that is full.
pub fn place(
    config: &Configuration,
    products: &[Product],
    sites: &[Site],
    topology: &Topology,
    reserved: &Reservations,
) -> Result<Placement, Problem> {
    let product = find_product(products, &config.product)?;
    let option = product
        .option(&config.option)
        .ok_or_else(|| Problem::new("option", format!("{} has no option “{}”.", product.name, config.option)))?;
    if !(1..=MAX_COUNT).contains(&config.count) {
        return Err(Problem::new("count", format!("Order between 1 and {MAX_COUNT} copies at a time.")));
    }
    match product.ends {
        Ends::None => Ok(Placement { ends: Vec::new(), paths: Vec::new() }),
        Ends::One => {
            let (_, end) = check_end(sites, "a_end", config.a_end.as_ref(), "the site")?;
            Ok(Placement { ends: vec![end], paths: Vec::new() })
        }
        Ends::Two => {
            let (a, a_check) = check_end(sites, "a_end", config.a_end.as_ref(), "where the connection starts")?;
            let (z, z_check) = check_end(sites, "z_end", config.z_end.as_ref(), "where the connection ends")?;
            if a.id == z.id {
                return Err(Problem::new("z_end", "Both ends are the same site: choose two different sites."));
            }
            let rate = option.bandwidth.map_or(0, |bandwidth| bandwidth.mbps()) * u64::from(config.count);
            let routed = if config.diverse {
                topology.diverse_pair(&a.id, &z.id, rate, reserved).map(|(primary, twin)| vec![primary, twin])
            } else {
                topology.shortest_path(&a.id, &z.id, rate, reserved).map(|path| vec![path])
            };
            let paths = routed.map_err(|error| {
                let field = match error {
                    RoutingError::NoCapacity { .. } | RoutingError::NoDiversePair { .. } => "option",
                    _ => "z_end",
                };
                Problem::new(field, error.to_string())
            })?;
            // A banded product takes the band of its route; refused only without an option in it.
            if option_for_leg(product, option, &paths[0]).is_none() {
                let band = distance_band(&product.id, &paths[0]).unwrap_or_default();
                return Err(Problem::new(
                    "option",
                    format!(
                        "This route is {} route-km, priced as {band}, and {} has no {band} option at {}: pick another.",
                        paths[0].route_km, product.name, option.label
                    ),
                ));
            }
            Ok(Placement { ends: vec![a_check, z_check], paths })
        }
    }
}

/// The longest route a regional option covers, in route-km.
pub const REGIONAL_MAX_KM: u32 = 800;

/// The distance band a route falls in for a product priced by band (its options' codes end in
/// it): Programmable Connectivity is metro (no long-haul span), regional (up to
/// [`REGIONAL_MAX_KM`]) or national; dark fiber is metro or regional. None for a product that
/// is not priced by distance.
pub fn distance_band(product: &ProductId, path: &Path) -> Option<&'static str> {
    match product.as_str() {
        products::PROGRAMMABLE if path.spans.is_empty() => Some("metro"),
        products::PROGRAMMABLE if path.route_km <= REGIONAL_MAX_KM => Some("regional"),
        products::PROGRAMMABLE => Some("national"),
        products::DARK_FIBER if path.spans.is_empty() => Some("metro"),
        products::DARK_FIBER => Some("regional"),
        _ => None,
    }
}

/// Whether `product` is priced by the distance band of its route (its band follows the route,
/// so a buyer chooses only the rate).
pub fn priced_by_band(product: &ProductId) -> bool {
    matches!(product.as_str(), products::PROGRAMMABLE | products::DARK_FIBER)
}

/// The choices a buyer makes for `product`: every option, except that a product priced by
/// distance band offers each rate once (its band follows the route) and none when it has no
/// rates (dark fiber: the band is all there is to its option).
pub fn option_choices(product: &Product) -> Vec<ProductOption> {
    if !priced_by_band(&product.id) {
        return product.options.clone();
    }
    let mut rates: Vec<ProductOption> = Vec::new();
    for option in &product.options {
        if let Some(bandwidth) = option.bandwidth {
            if !rates.iter().any(|rate| rate.bandwidth == Some(bandwidth)) {
                rates.push(ProductOption { label: crate::recommend::format_rate(bandwidth.mbps()), ..option.clone() });
            }
        }
    }
    rates
}

/// The option a leg on `path` is priced at: `option` when its band fits the route, else the
/// option of the same bandwidth in the route's band (None when the product has none).
pub fn option_for_leg<'a>(product: &'a Product, option: &'a ProductOption, path: &Path) -> Option<&'a ProductOption> {
    match distance_band(&product.id, path) {
        Some(band) if !option.code.ends_with(band) => {
            product.options.iter().find(|other| other.code.ends_with(band) && other.bandwidth == option.bandwidth)
        }
        _ => Some(option),
    }
}

/// Prices a placed configuration: one item per path (the twin is its own item), each with the
/// quantities its route gives and those the buyer entered.
pub fn price(
    config: &Configuration,
    placement: &Placement,
    products: &[Product],
    book: &PriceBook,
) -> Result<Configured, Problem> {
    let product = find_product(products, &config.product)?;
    let option = product
        .option(&config.option)
        .ok_or_else(|| Problem::new("option", format!("{} has no option “{}”.", product.name, config.option)))?;
    if !product.terms.contains(&config.term) {
        let offered: Vec<String> = product.terms.iter().map(|term| term.phrase()).collect();
        return Err(Problem::new(
            "term",
            format!("{} is not sold {}; choose {}.", product.name, config.term.phrase(), offered.join(", ")),
        ));
    }
    let mut entered = Vec::new();
    for unit in entered_units(product, book, &config.option, config.term) {
        let field = format!("amount-{}", unit.slug());
        let amount = config.amounts.iter().find(|amount| amount.unit == unit).map_or(0, |amount| amount.amount);
        if amount == 0 {
            return Err(Problem::new(field, format!("Enter how many: {} is at least 1.", unit_noun(unit))));
        }
        if amount > MAX_AMOUNT {
            return Err(Problem::new(
                field,
                format!("{} is at most {MAX_AMOUNT}; ask sales for more.", unit_noun(unit)),
            ));
        }
        entered.push((unit, amount));
    }
    let stage = product.stages.first().copied().unwrap_or(crate::catalog::LifecycleStage::MultiCloud);
    let copies = if config.count > 1 { format!("{} × ", config.count) } else { String::new() };
    let place = match placement.ends.as_slice() {
        [a, z] => format!(" · {} ⇄ {}", a.name, z.name),
        [a] => format!(" · {}", a.name),
        _ => String::new(),
    };
    let base_title = format!("{copies}{} {}{place}", product.name, option.label);
    let quantities = |path: Option<&Path>| -> Vec<Quantity> {
        let mut quantities: Vec<Quantity> = if product.id.as_str() == products::DDOS {
            let gbps = entered.iter().find(|(unit, _)| *unit == PriceUnit::Gbps).map_or(1, |(_, amount)| *amount);
            let others = entered.iter().filter(|(unit, _)| *unit != PriceUnit::Gbps);
            protection_quantities(&config.option, gbps)
                .into_iter()
                .filter(|quantity| quantity.unit == PriceUnit::Gbps)
                .chain(others.map(|(unit, amount)| Quantity::of(*unit, *amount)))
                .collect()
        } else {
            entered.iter().map(|(unit, amount)| Quantity::of(*unit, *amount)).collect()
        };
        match product.ends {
            Ends::Two => quantities.push(Quantity::of(PriceUnit::Site, 2)),
            Ends::One => quantities.push(Quantity::of(PriceUnit::Site, 1)),
            Ends::None => {}
        }
        if let Some(path) = path {
            quantities.push(Quantity::of(PriceUnit::RouteKm, u64::from(path.route_km)));
            quantities.push(Quantity::of(PriceUnit::RouteMile, route_miles(path.route_km)));
            quantities.push(Quantity::of(PriceUnit::FiberEnd, 2));
        }
        quantities
    };
    let spec = |path: Option<&Path>| ItemSpec {
        product: product.id.clone(),
        option: option.code.clone(),
        term: config.term,
        quantities: quantities(path),
        count: config.count,
    };
    let priced =
        |spec: &ItemSpec| price_item(products, book, spec).map_err(|error| Problem::new("option", error.to_string()));
    let mut items = Vec::new();
    if placement.paths.is_empty() {
        let spec = spec(None);
        let priced = priced(&spec)?;
        let reason = format!("Configured directly: {} {}.", product.name, config.term.phrase());
        items.push(Item {
            stage,
            title: base_title.clone(),
            reason,
            spec,
            alternatives: Vec::new(),
            path: None,
            twin: false,
            priced,
            chosen: true,
        });
    }
    for (index, path) in placement.paths.iter().enumerate() {
        let twin = index > 0;
        // Each leg at its own distance band: a diverse path can be much longer than the main.
        let leg = option_for_leg(product, option, path).ok_or_else(|| {
            Problem::new(
                "diverse",
                format!(
                    "The diverse path is {} route-km, longer than {} {} covers, and there is no option of this rate for it: \
                     order without a diverse path, or pick another rate.",
                    path.route_km, product.name, option.label
                ),
            )
        })?;
        let spec = ItemSpec { option: leg.code.clone(), ..spec(Some(path)) };
        let priced = priced(&spec)?;
        let (title, reason) = if twin {
            (format!("{} {} · diverse path", product.name, leg.label), twin_reason(path))
        } else {
            let reason = format!(
                "Configured directly: {} route-km, {} round trip.",
                path.route_km,
                format_millis(path.latency_micros * 2)
            );
            (format!("{copies}{} {}{place}", product.name, leg.label), reason)
        };
        items.push(Item {
            stage,
            title,
            reason,
            spec,
            alternatives: Vec::new(),
            path: Some(path.clone()),
            twin,
            priced,
            chosen: true,
        });
    }
    let totals = items.iter().map(|item| item.priced.totals).sum();
    Ok(Configured { items, totals, lead_days: product.provisioning.lead_days })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Bandwidth, LifecycleStage, ProductOption, Provisioning};
    use crate::money::Money;
    use crate::network::{Coordinates, Span, SpanId};
    use crate::price_book::PriceLine;
    use proptest::prelude::*;

    fn site(id: &str, kind: SiteKind, metro: &str, lat: f64, lon: f64) -> Site {
        Site {
            id: SiteId::parse(id).unwrap(),
            kind,
            name: id.to_uppercase(),
            metro: SiteId::parse(metro).unwrap(),
            location: Coordinates::new(lat, lon).unwrap(),
            operator: None,
            access_km: if kind == SiteKind::Metro { 0 } else { 5 },
        }
    }

    fn span(id: &str, a: &str, z: &str, km: u32) -> Span {
        Span {
            id: SpanId::parse(id).unwrap(),
            a: SiteId::parse(a).unwrap(),
            z: SiteId::parse(z).unwrap(),
            route_km: km,
            wavelengths: 8,
            wavelength_gbps: 400,
            fiber_pairs: 4,
        }
    }

    fn network() -> (Vec<Site>, Topology) {
        let sites = vec![
            site("chi", SiteKind::Metro, "chi", 41.9, -87.6),
            site("was", SiteKind::Metro, "was", 38.9, -77.0),
            site("nyc", SiteKind::Metro, "nyc", 40.7, -74.0),
            site("chi-dc", SiteKind::DataCenter, "chi", 41.8, -87.7),
            site("was-dc", SiteKind::DataCenter, "was", 39.0, -77.4),
        ];
        let spans = vec![
            span("chi-was", "chi", "was", 1_100),
            span("chi-nyc", "chi", "nyc", 1_300),
            span("nyc-was", "nyc", "was", 370),
        ];
        let topology = Topology::new(&sites, &spans).unwrap();
        (sites, topology)
    }

    fn wave() -> Product {
        Product {
            id: ProductId::parse(products::WAVES).unwrap(),
            name: "400G Wavelengths".into(),
            tagline: String::new(),
            description: String::new(),
            billing: String::new(),
            stages: vec![LifecycleStage::Training],
            terms: vec![Term::Months12, Term::Months36],
            options: ["100G", "400G"]
                .into_iter()
                .map(|code| ProductOption {
                    code: code.into(),
                    label: code.into(),
                    bandwidth: Bandwidth::parse(code).ok(),
                })
                .collect(),
            ends: Ends::Two,
            provisioning: Provisioning::default(),
        }
    }

    fn colocation() -> Product {
        Product {
            id: ProductId::parse(products::COLOCATION).unwrap(),
            name: "Colocation".into(),
            options: vec![ProductOption { code: "cabinet".into(), label: "Cabinet".into(), bandwidth: None }],
            ends: Ends::One,
            ..wave()
        }
    }

    fn line(product: &Product, option: &str, label: &str, charge: Charge, unit: PriceUnit, dollars: i64) -> PriceLine {
        PriceLine {
            product: product.id.clone(),
            option: option.into(),
            label: label.into(),
            charge,
            unit,
            amount: Money::from_dollars(dollars),
            terms: vec![],
        }
    }

    fn book() -> PriceBook {
        let (wave, colo) = (wave(), colocation());
        let mut lines = Vec::new();
        for (option, base, per_km) in [("100G", 7_500, 4), ("400G", 20_000, 10)] {
            lines.push(line(&wave, option, "Wavelength", Charge::MonthlyRecurring, PriceUnit::Service, base));
            lines.push(line(&wave, option, "Route distance", Charge::MonthlyRecurring, PriceUnit::RouteKm, per_km));
            lines.push(line(&wave, option, "Install", Charge::OneTime, PriceUnit::Service, 5_000));
        }
        lines.push(line(&colo, "cabinet", "Cabinet", Charge::MonthlyRecurring, PriceUnit::Rack, 350));
        lines.push(line(&colo, "cabinet", "Power", Charge::MonthlyRecurring, PriceUnit::Kw, 250));
        let adjustments = vec![crate::price_book::TermAdjustment {
            product: wave.id.clone(),
            term: Term::Months36,
            basis_points: -1_200,
        }];
        PriceBook { version: 1, name: "test".into(), lines, adjustments, terminations: vec![] }
    }

    fn config(option: &str, term: Term, count: u32) -> Configuration {
        Configuration {
            product: ProductId::parse(products::WAVES).unwrap(),
            option: option.into(),
            term,
            a_end: SiteId::parse("chi-dc").ok(),
            z_end: SiteId::parse("was-dc").ok(),
            diverse: false,
            amounts: vec![],
            count,
        }
    }

    fn configured(config: &Configuration, reserved: &Reservations) -> Result<Configured, Problem> {
        let (sites, topology) = network();
        let products = [wave(), colocation()];
        let placement = place(config, &products, &sites, &topology, reserved)?;
        price(config, &placement, &products, &book())
    }

    #[test]
    fn a_configuration_is_described_by_names_not_ids() {
        let wanted = config("100G", Term::Months12, 2);
        let (sites, _) = network();
        let named = |id: &SiteId| sites.iter().find(|site| &site.id == id).map(|site| format!("{} site", site.name));
        let line = wanted.describe(&[wave()], named);
        assert_eq!(line, "2 × 400G Wavelengths 100G · CHI-DC site ⇄ WAS-DC site · 12 months");
        assert!(!wanted.describe(&[], |_| None).contains("400G Wavelengths"), "an unknown product keeps its id");
    }

    #[test]
    fn a_wave_is_routed_and_priced_by_its_distance() {
        let result = configured(&config("100G", Term::Months12, 1), &Reservations::new()).unwrap();
        let item = &result.items[0];
        let km = u64::from(item.path.as_ref().unwrap().route_km);
        assert_eq!(item.priced.totals.monthly, Money::from_dollars(7_500 + 4 * km as i64));
        assert_eq!(item.priced.totals.one_time, Money::from_dollars(5_000));
        assert!(item.title.contains("CHI-DC ⇄ WAS-DC"), "{}", item.title);
    }

    #[test]
    fn a_diverse_wave_is_two_items_on_disjoint_spans() {
        let mut wanted = config("100G", Term::Months12, 1);
        wanted.diverse = true;
        let result = configured(&wanted, &Reservations::new()).unwrap();
        assert_eq!(result.items.len(), 2);
        let (first, second) = (result.items[0].path.as_ref().unwrap(), result.items[1].path.as_ref().unwrap());
        assert!(first.spans.iter().all(|span| !second.spans.contains(span)));
        assert!(result.items[1].twin);
    }

    #[test]
    fn a_full_span_is_named_in_the_refusal() {
        let reserved: Reservations = [("chi-was", 3_200_000), ("chi-nyc", 3_200_000)]
            .map(|(id, mbps)| (SpanId::parse(id).unwrap(), mbps))
            .into();
        let problem = configured(&config("100G", Term::Months12, 1), &reserved).unwrap_err();
        assert_eq!(problem.field, "option");
        assert!(problem.message.contains("span chi-was"), "{}", problem.message);
    }

    #[test]
    fn ends_are_checked_before_routing() {
        let mut same = config("100G", Term::Months12, 1);
        same.z_end = same.a_end.clone();
        assert_eq!(configured(&same, &Reservations::new()).unwrap_err().field, "z_end");
        let mut missing = config("100G", Term::Months12, 1);
        missing.a_end = None;
        assert_eq!(configured(&missing, &Reservations::new()).unwrap_err().field, "a_end");
        let mut unknown = config("100G", Term::Months12, 1);
        unknown.z_end = SiteId::parse("atlantis").ok();
        assert!(configured(&unknown, &Reservations::new()).unwrap_err().message.contains("atlantis"));
        assert_eq!(configured(&config("100G", Term::Months12, 0), &Reservations::new()).unwrap_err().field, "count");
        assert_eq!(configured(&config("100G", Term::OnDemand, 1), &Reservations::new()).unwrap_err().field, "term");
    }

    #[test]
    fn colocation_asks_for_racks_and_power() {
        let products = [wave(), colocation()];
        let units = entered_units(&products[1], &book(), "cabinet", Term::Months12);
        assert_eq!(units, vec![PriceUnit::Rack, PriceUnit::Kw]);
        let mut colo = Configuration {
            product: products[1].id.clone(),
            option: "cabinet".into(),
            term: Term::Months12,
            a_end: SiteId::parse("chi-dc").ok(),
            z_end: None,
            diverse: false,
            amounts: vec![Amount { unit: PriceUnit::Rack, amount: 2 }],
            count: 1,
        };
        let problem = configured(&colo, &Reservations::new()).unwrap_err();
        assert_eq!(problem.field, "amount-kw");
        colo.amounts.push(Amount { unit: PriceUnit::Kw, amount: 20 });
        let result = configured(&colo, &Reservations::new()).unwrap();
        assert_eq!(result.totals.monthly, Money::from_dollars(2 * 350 + 20 * 250));
        assert!(result.items[0].path.is_none());
    }

    proptest! {
        #[test]
        fn configured_items_follow_the_pricing_rules(count in 1u32..=4, racks in 1u64..50, kw in 1u64..500) {
            let none = Reservations::new();
            // More bandwidth never costs less.
            let small = configured(&config("100G", Term::Months12, count), &none).unwrap();
            let big = configured(&config("400G", Term::Months12, count), &none).unwrap();
            prop_assert!(big.totals.monthly >= small.totals.monthly);
            // A longer term never costs more per month.
            let long = configured(&config("100G", Term::Months36, count), &none).unwrap();
            prop_assert!(long.totals.monthly <= small.totals.monthly);
            // Totals equal the breakdown.
            for result in [&small, &big, &long] {
                let lines: Money = result.items.iter().flat_map(|item| &item.priced.lines)
                    .filter(|line| line.charge == Charge::MonthlyRecurring).map(|line| line.amount).sum();
                prop_assert_eq!(lines, result.totals.monthly);
            }
            // More racks or more power never cost less.
            let colo = |racks: u64, kw: u64| {
                let config = Configuration {
                    product: ProductId::parse(products::COLOCATION).unwrap(),
                    option: "cabinet".into(),
                    term: Term::Months12,
                    a_end: SiteId::parse("was-dc").ok(),
                    z_end: None,
                    diverse: false,
                    amounts: vec![Amount { unit: PriceUnit::Rack, amount: racks }, Amount { unit: PriceUnit::Kw, amount: kw }],
                    count: 1,
                };
                configured(&config, &none).unwrap().totals.monthly
            };
            prop_assert!(colo(racks + 1, kw) >= colo(racks, kw));
            prop_assert!(colo(racks, kw + 1) >= colo(racks, kw));
        }
    }

    /// Programmable Connectivity at 1 Gbps in its three distance bands, priced per route-km so
    /// a leg's price tells its band.
    fn programmable() -> (Product, PriceBook) {
        let product = Product {
            id: ProductId::parse(products::PROGRAMMABLE).unwrap(),
            name: "Programmable Connectivity".into(),
            options: ["metro", "regional", "national"]
                .into_iter()
                .map(|band| ProductOption {
                    code: format!("1G-{band}"),
                    label: format!("1 Gbps {band}"),
                    bandwidth: Bandwidth::parse("1G").ok(),
                })
                .collect(),
            ..wave()
        };
        let lines = [("metro", 500), ("regional", 1_000), ("national", 2_000)]
            .into_iter()
            .map(|(band, dollars)| {
                line(&product, &format!("1G-{band}"), "Port", Charge::MonthlyRecurring, PriceUnit::Service, dollars)
            })
            .collect();
        let book = PriceBook { version: 1, name: "bands".into(), lines, adjustments: vec![], terminations: vec![] };
        (product, book)
    }

    /// Three metros: a short main route a–b and a diverse route a–c–b of `detour_km` in all.
    fn triangle(main_km: u32, detour_km: u32) -> (Vec<Site>, Topology) {
        let sites = vec![
            site("aaa", SiteKind::Metro, "aaa", 41.9, -87.6),
            site("bbb", SiteKind::Metro, "bbb", 38.9, -77.0),
            site("ccc", SiteKind::Metro, "ccc", 33.7, -84.4),
        ];
        let half = detour_km / 2;
        let spans = vec![
            span("aaa-bbb", "aaa", "bbb", main_km),
            span("aaa-ccc", "aaa", "ccc", half),
            span("ccc-bbb", "ccc", "bbb", detour_km - half),
        ];
        let topology = Topology::new(&sites, &spans).unwrap();
        (sites, topology)
    }

    fn diverse_connection(option: &str) -> Configuration {
        Configuration {
            product: ProductId::parse(products::PROGRAMMABLE).unwrap(),
            option: option.into(),
            term: Term::Months12,
            a_end: SiteId::parse("aaa").ok(),
            z_end: SiteId::parse("bbb").ok(),
            diverse: true,
            amounts: vec![],
            count: 1,
        }
    }

    #[test]
    fn a_long_diverse_leg_is_priced_at_its_own_band_not_the_main_routes() {
        // The finding: a 2,366 km diverse leg priced as "regional, up to 800 km".
        let (product, book) = programmable();
        let (sites, topology) = triangle(700, 2_366);
        let config = diverse_connection("1G-regional");
        let products = [product];
        let placement = place(&config, &products, &sites, &topology, &Reservations::new()).unwrap();
        let result = price(&config, &placement, &products, &book).unwrap();
        let legs: Vec<(&str, u32)> =
            result.items.iter().map(|item| (item.spec.option.as_str(), item.path.as_ref().unwrap().route_km)).collect();
        assert_eq!(legs, vec![("1G-regional", 700), ("1G-national", 2_366)]);
        assert!(result.items[1].title.contains("1 Gbps national"), "{}", result.items[1].title);
        assert_eq!(result.totals.monthly, Money::from_dollars(1_000 + 2_000));
    }

    #[test]
    fn the_band_follows_the_route_so_the_buyer_only_chooses_the_rate() {
        let (product, book) = programmable();
        let choices = option_choices(&product);
        assert_eq!(choices.len(), 1, "one choice per rate, not per band");
        assert_eq!((choices[0].code.as_str(), choices[0].label.as_str()), ("1G-metro", "1 Gbps"));
        assert_eq!(option_choices(&wave()), wave().options, "a product without bands offers every option");

        // The rate chosen as metro, on a 700 km route: priced regional, and its title says so.
        let (sites, topology) = triangle(700, 2_366);
        let config = Configuration { diverse: false, ..diverse_connection("1G-metro") };
        let products = [product];
        let placement = place(&config, &products, &sites, &topology, &Reservations::new()).unwrap();
        let result = price(&config, &placement, &products, &book).unwrap();
        assert_eq!(result.items[0].spec.option, "1G-regional");
        assert!(result.items[0].title.contains("1 Gbps regional"), "{}", result.items[0].title);
    }

    #[test]
    fn a_diverse_leg_with_no_option_in_its_band_is_refused_with_the_reason() {
        let (mut product, book) = programmable();
        product.options.retain(|option| option.code != "1G-national");
        let (sites, topology) = triangle(700, 2_366);
        let config = diverse_connection("1G-regional");
        let products = [product];
        let placement = place(&config, &products, &sites, &topology, &Reservations::new()).unwrap();
        let problem = price(&config, &placement, &products, &book).unwrap_err();
        assert_eq!(problem.field, "diverse");
        assert!(problem.message.contains("2366 route-km"), "{}", problem.message);
    }

    proptest! {
        /// Every priced leg's distance lies inside its option's band, whatever the routes.
        #[test]
        fn every_priced_leg_lies_inside_its_options_band(main_km in 50u32..1_600, detour_km in 200u32..5_000) {
            let (product, book) = programmable();
            let (sites, topology) = triangle(main_km, detour_km);
            let products = [product];
            let main_band = if main_km <= REGIONAL_MAX_KM { "regional" } else { "national" };
            let config = diverse_connection(&format!("1G-{main_band}"));
            let Ok(placement) = place(&config, &products, &sites, &topology, &Reservations::new()) else {
                return Ok(());
            };
            let result = price(&config, &placement, &products, &book).unwrap();
            prop_assert_eq!(result.items.len(), 2);
            for item in &result.items {
                let km = item.path.as_ref().unwrap().route_km;
                let fits = if item.spec.option.ends_with("regional") { km <= REGIONAL_MAX_KM } else { km > REGIONAL_MAX_KM };
                prop_assert!(fits, "{} priced for a {} km leg", item.spec.option, km);
            }
        }
    }
}
