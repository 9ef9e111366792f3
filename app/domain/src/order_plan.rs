//! The order plan: what an order provisions, item by item, whatever it came from — a
//! recommended bundle, one configured product, a quote version, a change to a service. Each
//! source has one constructor here, so the rules every order shares are written once: where an
//! item without a route is set up (the carrier's platform), where a one-site product is set up
//! (its site), what rate an item reserves on each span, whether a span has that rate free, and
//! whether a price moved since the buyer saw it. The use cases read the network and the price
//! book, build a plan, and hand it to the store, whose transaction only records it.

use crate::money::Money;
use crate::network::{SiteId, Span, SpanId, PLATFORM_SITE};
use crate::price_book::PriceBook;
use crate::pricing::{ItemSpec, Totals};
use crate::recommend::Item;
use crate::records::{QuoteItem, ServiceRecord};
use crate::routing::Reservations;
use crate::{Product, ProductId, Term};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the network provisions for an item: the product between two ends, over spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRoute {
    pub product: ProductId,
    pub a_end: SiteId,
    pub z_end: SiteId,
    /// Empty for an item without a route (secure access, colocation).
    pub spans: Vec<SpanId>,
    /// What the item reserves on each of its spans; 0 without spans.
    pub mbps: u64,
}

impl ItemRoute {
    /// An item without a route is set up on the carrier's platform.
    pub fn on_platform(product: ProductId) -> ItemRoute {
        let platform = SiteId::parse(PLATFORM_SITE).expect("the platform's id is a valid site id");
        ItemRoute { product, a_end: platform.clone(), z_end: platform, spans: Vec::new(), mbps: 0 }
    }
}

/// One item of an order as it will be provisioned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedItem {
    pub title: String,
    pub route: ItemRoute,
    pub totals: Totals,
    /// What it is priced as; becomes the service's spec.
    pub spec: ItemSpec,
    pub round_trip_micros: Option<u64>,
    /// The capacity holder of the service a change order works on (None: the item itself).
    pub holder: Option<String>,
    /// A bandwidth change's rate before the change.
    pub from_mbps: Option<u64>,
}

impl PlannedItem {
    /// A priced item of a bundle or of a configured product, along its path if it has one,
    /// reserving [`reserved_mbps`] on each span.
    pub fn from_item(item: &Item, products: &[Product]) -> PlannedItem {
        let route = match &item.path {
            Some(path) => match (path.sites.first(), path.sites.last()) {
                (Some(a_end), Some(z_end)) => ItemRoute {
                    product: item.spec.product.clone(),
                    a_end: a_end.clone(),
                    z_end: z_end.clone(),
                    spans: path.spans.clone(),
                    mbps: reserved_mbps(item, products),
                },
                _ => ItemRoute::on_platform(item.spec.product.clone()),
            },
            None => ItemRoute::on_platform(item.spec.product.clone()),
        };
        PlannedItem {
            title: item.title.clone(),
            spec: item.spec.clone(),
            round_trip_micros: item.path.as_ref().map(|path| path.latency_micros * 2),
            holder: None,
            from_mbps: None,
            route,
            totals: item.priced.totals,
        }
    }

    /// A quoted item, on the route and at the net price the quote gave it. A build charge
    /// (no product) is not provisioned: None.
    pub fn from_quoted(item: &QuoteItem) -> Option<PlannedItem> {
        let spec = item.spec.clone()?;
        let route = match &item.route {
            Some(route) => ItemRoute {
                product: spec.product.clone(),
                a_end: route.a_end.clone(),
                z_end: route.z_end.clone(),
                spans: route.spans.clone(),
                mbps: route.mbps,
            },
            None => ItemRoute::on_platform(spec.product.clone()),
        };
        Some(PlannedItem {
            title: item.title.clone(),
            round_trip_micros: item.route.as_ref().map(|route| route.round_trip_micros),
            route,
            totals: item.net,
            spec,
            holder: None,
            from_mbps: None,
        })
    }

    /// Sets the item up at one site (a one-site product, such as a cloud router, ordered for
    /// the metro chosen for it): both ends of its route are that site.
    pub fn at_site(&mut self, site: &SiteId) {
        self.route.a_end = site.clone();
        self.route.z_end = site.clone();
    }

    /// A change to a running service (a new rate, or a disconnect at its current rate): the
    /// service's own ends and spans, the capacity it holds, and what the change costs.
    pub fn service_change(record: &ServiceRecord, change: ServiceChange) -> PlannedItem {
        let (title, spec, mbps, from_mbps) = match change.to {
            Some(NewRate { spec, mbps, title }) => (title, spec, mbps, Some(record.summary.mbps)),
            None => (record.summary.title.clone(), record.spec.clone(), record.summary.mbps, None),
        };
        PlannedItem {
            title,
            route: ItemRoute {
                product: record.spec.product.clone(),
                a_end: record.a_end.clone(),
                z_end: record.z_end.clone(),
                spans: record.spans.clone(),
                mbps,
            },
            totals: change.totals,
            spec,
            round_trip_micros: record.round_trip_micros,
            holder: change.holder,
            from_mbps,
        }
    }
}

/// What a routed item reserves on each span of its path: its option's bandwidth times the
/// copies ordered (0 for an option without a bandwidth).
pub fn reserved_mbps(item: &Item, products: &[Product]) -> u64 {
    let bandwidth = products
        .iter()
        .find(|product| product.id == item.spec.product)
        .and_then(|product| product.option(&item.spec.option))
        .and_then(|option| option.bandwidth)
        .map_or(0, |bandwidth| bandwidth.mbps());
    bandwidth * u64::from(item.spec.count)
}

/// What a service change orders: the new rate (None: a disconnect), its price, and who holds
/// the service's capacity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceChange {
    pub to: Option<NewRate>,
    pub totals: Totals,
    pub holder: Option<String>,
}

/// The rate a service changes to: its option (as a spec), its bandwidth and the service's new
/// title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRate {
    pub spec: ItemSpec,
    pub mbps: u64,
    pub title: String,
}

/// The items of one configured product. A product sold at one site (colocation, a cloud
/// port) is set up at that site rather than on the platform.
pub fn configured_items(items: &[Item], products: &[Product], one_site: Option<&SiteId>) -> Vec<PlannedItem> {
    let mut planned: Vec<PlannedItem> = items.iter().map(|item| PlannedItem::from_item(item, products)).collect();
    if let Some(site) = one_site {
        planned.iter_mut().for_each(|item| item.at_site(site));
    }
    planned
}

/// What placing an order commits the buyer to, stated in full on the review before any order
/// is placed: each item's charges and term, the total over the terms, what ending early costs,
/// the lead time and the capacity held for the buyer on each span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    pub items: Vec<CommittedItem>,
    pub totals: Totals,
    /// Every item's charges over its own term, one-time charges included.
    pub over_term: Money,
    /// The longest lead time among the items' products, in days (0: ready in minutes).
    pub lead_days: u32,
    /// The rate reserved on each span, summed over the items, in Mbps.
    pub reserved: Vec<(SpanId, u64)>,
}

/// One item of a [`Commitment`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommittedItem {
    pub title: String,
    pub term: Term,
    pub totals: Totals,
    /// Its charges over its term (on demand: one month), one-time charges included.
    pub over_term: Money,
    /// The share of the remaining monthly charges due if it is ended before its term.
    pub termination_share_bp: u32,
    /// What ending it right after delivery costs: the share of a whole term's monthly charges.
    pub fee_at_start: Money,
}

impl Commitment {
    /// The commitment of the `items` an order will provision, with the products' lead times
    /// and the price book's early termination shares.
    pub fn of(items: &[PlannedItem], products: &[Product], book: &PriceBook) -> Commitment {
        let committed: Vec<CommittedItem> = items
            .iter()
            .map(|item| {
                let (term, totals) = (item.spec.term, item.totals);
                let share = book.termination_share(&item.spec.product);
                let committed_months = i128::from(totals.monthly.cents()) * i128::from(term.months());
                let fee_at_start = Money::from_cents((committed_months * i128::from(share) / 10_000) as i64);
                CommittedItem {
                    title: item.title.clone(),
                    term,
                    totals,
                    over_term: totals.contract_value(term),
                    termination_share_bp: if term == Term::OnDemand { 0 } else { share },
                    fee_at_start,
                }
            })
            .collect();
        let lead_days = items
            .iter()
            .filter_map(|item| products.iter().find(|product| product.id == item.spec.product))
            .map(|product| product.provisioning.lead_days)
            .max()
            .unwrap_or(0);
        let mut reserved: BTreeMap<SpanId, u64> = BTreeMap::new();
        for (span, mbps) in capacity_needs(items).filter(|(_, mbps)| *mbps > 0) {
            *reserved.entry(span.clone()).or_default() += mbps;
        }
        Commitment {
            totals: committed.iter().map(|item| item.totals).sum(),
            over_term: committed.iter().map(|item| item.over_term).sum(),
            items: committed,
            lead_days,
            reserved: reserved.into_iter().collect(),
        }
    }

    /// The most ending everything right after delivery would cost.
    pub fn fee_at_start(&self) -> Money {
        self.items.iter().map(|item| item.fee_at_start).sum()
    }

    /// "Ready in minutes" or "About 30 days".
    pub fn lead_time_text(&self) -> String {
        match self.lead_days {
            0 => "Ready in minutes".to_owned(),
            1 => "About 1 day".to_owned(),
            days => format!("About {days} days"),
        }
    }
}

/// A span that cannot carry what a plan needs on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CapacityShort {
    /// The plan names a span the network no longer has.
    Gone(SpanId),
    /// The span has `free` Mbps and the plan needs `needed`.
    Full { span: SpanId, free: u64, needed: u64 },
}

/// Checks that every span has free what `needs` (span, Mbps) adds up to on it, against the
/// network's `spans` and its current `reserved` capacity. The store's reservation re-checks
/// atomically; this answers at once, with the reason.
pub fn check_capacity<'a>(
    needs: impl IntoIterator<Item = (&'a SpanId, u64)>,
    spans: &[Span],
    reserved: &Reservations,
) -> Result<(), CapacityShort> {
    let mut needed: BTreeMap<&SpanId, u64> = BTreeMap::new();
    for (span, mbps) in needs {
        *needed.entry(span).or_default() += mbps;
    }
    for (span_id, needed) in needed {
        let span = spans.iter().find(|span| &span.id == span_id).ok_or_else(|| CapacityShort::Gone(span_id.clone()))?;
        let free = span.free_mbps(reserved);
        if free < needed {
            return Err(CapacityShort::Full { span: span_id.clone(), free, needed });
        }
    }
    Ok(())
}

/// What every span of `items` must have free to provision them.
pub fn capacity_needs(items: &[PlannedItem]) -> impl Iterator<Item = (&SpanId, u64)> {
    items.iter().flat_map(|item| item.route.spans.iter().map(move |span| (span, item.route.mbps)))
}

/// The price moved between what the buyer saw and what it costs now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceMoved {
    pub seen: Totals,
    pub now: Totals,
}

impl PriceMoved {
    /// "$X a month and $Y once (`seen` $A and $B)": the figures on both sides of a moved
    /// price, for the use case's message; `seen` says who saw the old one ("you saw").
    pub fn figures(&self, seen: &str) -> String {
        format!(
            "{} a month and {} once ({seen} {} and {})",
            self.now.monthly_estimate(),
            self.now.one_time,
            self.seen.monthly_estimate(),
            self.seen.one_time
        )
    }
}

/// The one check that an order is placed at the price the buyer saw.
pub fn price_unchanged(seen: Totals, now: Totals) -> Result<(), PriceMoved> {
    if seen == now {
        Ok(())
    } else {
        Err(PriceMoved { seen, now })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Bandwidth, ProductOption};
    use crate::pricing::PricedItem;
    use crate::records::QuotedRoute;
    use crate::routing::Path;
    use crate::{LifecycleStage, Money, Term};

    fn spec(product: &str, option: &str, count: u32) -> ItemSpec {
        ItemSpec {
            product: ProductId::parse(product).unwrap(),
            option: option.to_owned(),
            term: Term::Months12,
            quantities: Vec::new(),
            count,
        }
    }

    fn wave() -> Product {
        Product {
            id: ProductId::parse("wavelengths-400g").unwrap(),
            name: "400G Wavelengths".into(),
            tagline: String::new(),
            description: String::new(),
            billing: String::new(),
            stages: vec![],
            terms: vec![Term::Months12],
            options: vec![ProductOption {
                code: "400G".into(),
                label: "400 Gbps".into(),
                bandwidth: Some(Bandwidth::from_mbps(400_000).unwrap()),
            }],
            ends: crate::catalog::Ends::None,
            provisioning: crate::catalog::Provisioning::default(),
        }
    }

    fn totals(monthly: i64) -> Totals {
        Totals { monthly: Money::from_cents(monthly), ..Totals::default() }
    }

    fn item(spec: ItemSpec, path: Option<Path>) -> Item {
        Item {
            stage: LifecycleStage::Training,
            title: "An item".into(),
            reason: String::new(),
            spec,
            alternatives: Vec::new(),
            path,
            twin: false,
            priced: PricedItem { lines: Vec::new(), totals: totals(100) },
            chosen: false,
        }
    }

    fn site(id: &str) -> SiteId {
        SiteId::parse(id).unwrap()
    }

    fn span_id(id: &str) -> SpanId {
        SpanId::parse(id).unwrap()
    }

    #[test]
    fn a_commitment_states_terms_totals_fees_lead_time_and_reservations() {
        let path = |spans: &[&str]| Path {
            sites: vec![site("chi"), site("nyc")],
            spans: spans.iter().map(|id| span_id(id)).collect(),
            route_km: 1_200,
            latency_micros: 6_000,
        };
        let mut product = wave();
        product.provisioning.lead_days = 21;
        let mut two_years = item(spec("wavelengths-400g", "400G", 1), Some(path(&["chi-nyc", "nyc-bos"])));
        two_years.spec.term = Term::Months24;
        two_years.priced.totals = Totals { one_time: Money::from_cents(50_000), ..totals(1_000_000) };
        let mut on_demand = item(spec("wavelengths-400g", "400G", 2), Some(path(&["chi-nyc"])));
        on_demand.spec.term = Term::OnDemand;
        on_demand.priced.totals = Totals { hourly: Money::from_cents(100), ..Totals::default() };
        let items: Vec<PlannedItem> =
            [two_years, on_demand].iter().map(|item| PlannedItem::from_item(item, &[product.clone()])).collect();
        let book = PriceBook {
            version: 1,
            name: "Test".into(),
            lines: Vec::new(),
            adjustments: Vec::new(),
            terminations: vec![crate::price_book::TerminationShare {
                product: product.id.clone(),
                basis_points: 5_000,
            }],
        };
        let commitment = Commitment::of(&items, &[product], &book);

        assert_eq!(commitment.items[0].over_term, Money::from_cents(24 * 1_000_000 + 50_000));
        assert_eq!(commitment.items[0].fee_at_start, Money::from_cents(24 * 1_000_000 / 2), "half of 24 months");
        assert_eq!(commitment.items[1].termination_share_bp, 0, "on demand ends any time at no fee");
        assert_eq!(commitment.items[1].over_term, Money::from_cents(100 * crate::pricing::HOURS_PER_MONTH));
        assert_eq!(commitment.over_term, commitment.items.iter().map(|item| item.over_term).sum());
        assert_eq!(commitment.fee_at_start(), Money::from_cents(12_000_000));
        assert_eq!(commitment.totals.one_time, Money::from_cents(50_000));
        assert_eq!((commitment.lead_days, commitment.lead_time_text()), (21, "About 21 days".to_owned()));
        assert_eq!(
            commitment.reserved,
            vec![(span_id("chi-nyc"), 400_000 + 800_000), (span_id("nyc-bos"), 400_000)],
            "each span's reservation summed over the items"
        );
    }

    #[test]
    fn an_item_without_a_path_is_set_up_on_the_platform() {
        let planned = PlannedItem::from_item(&item(spec("secure-access", "standard", 1), None), &[]);
        assert_eq!(planned.route, ItemRoute::on_platform(ProductId::parse("secure-access").unwrap()));
        assert_eq!(planned.route.a_end.as_str(), PLATFORM_SITE);
        assert_eq!((planned.route.mbps, planned.round_trip_micros), (0, None));
    }

    #[test]
    fn a_routed_item_reserves_its_rate_times_its_copies_on_each_span() {
        let path = Path {
            sites: vec![site("chi"), site("nyc")],
            spans: vec![span_id("chi-nyc")],
            route_km: 1_200,
            latency_micros: 6_000,
        };
        let planned = PlannedItem::from_item(&item(spec("wavelengths-400g", "400G", 2), Some(path)), &[wave()]);
        assert_eq!(planned.route.a_end, site("chi"));
        assert_eq!(planned.route.z_end, site("nyc"));
        assert_eq!(planned.route.mbps, 800_000);
        assert_eq!(planned.round_trip_micros, Some(12_000));
        assert_eq!(planned.totals, totals(100));
    }

    #[test]
    fn a_one_site_product_is_set_up_at_its_site() {
        let items = [item(spec("colocation", "rack", 1), None)];
        let planned = configured_items(&items, &[], Some(&site("chi")));
        assert_eq!((planned[0].route.a_end.clone(), planned[0].route.z_end.clone()), (site("chi"), site("chi")));
        let elsewhere = configured_items(&items, &[], None);
        assert_eq!(elsewhere[0].route.a_end.as_str(), PLATFORM_SITE);
    }

    #[test]
    fn a_quoted_item_keeps_its_route_and_net_price_and_a_build_charge_is_not_provisioned() {
        let quoted = QuoteItem {
            title: "Wave".into(),
            spec: Some(spec("wavelengths-400g", "400G", 1)),
            lines: Vec::new(),
            route: Some(QuotedRoute {
                a_end: site("chi"),
                z_end: site("nyc"),
                spans: vec![span_id("chi-nyc")],
                mbps: 400_000,
                round_trip_micros: 12_000,
                twin: false,
            }),
            list: totals(200),
            net: totals(150),
        };
        let planned = PlannedItem::from_quoted(&quoted).expect("a product");
        assert_eq!(
            (planned.route.mbps, planned.totals, planned.round_trip_micros),
            (400_000, totals(150), Some(12_000))
        );
        let build = QuoteItem { spec: None, route: None, ..quoted };
        assert_eq!(PlannedItem::from_quoted(&build), None);
    }

    #[test]
    fn capacity_is_summed_per_span_before_it_is_checked() {
        let span = Span {
            id: span_id("chi-nyc"),
            a: site("chi"),
            z: site("nyc"),
            route_km: 1_000,
            wavelengths: 2,
            wavelength_gbps: 400,
            fiber_pairs: 1,
        };
        let reserved: Reservations = [(span_id("chi-nyc"), 100_000)].into_iter().collect();
        let chi_nyc = span_id("chi-nyc");
        assert_eq!(span.free_mbps(&reserved), 700_000);
        let spans = [span];
        assert_eq!(check_capacity([(&chi_nyc, 400_000), (&chi_nyc, 300_000)], &spans, &reserved), Ok(()));
        assert_eq!(
            check_capacity([(&chi_nyc, 400_000), (&chi_nyc, 400_000)], &spans, &reserved),
            Err(CapacityShort::Full { span: chi_nyc.clone(), free: 700_000, needed: 800_000 })
        );
        let gone = span_id("bos-chi");
        assert_eq!(check_capacity([(&gone, 1)], &spans, &reserved), Err(CapacityShort::Gone(gone.clone())));
    }

    #[test]
    fn a_price_is_unchanged_only_when_every_total_is() {
        assert_eq!(price_unchanged(totals(100), totals(100)), Ok(()));
        let moved = price_unchanged(totals(100), totals(120)).unwrap_err();
        assert_eq!(moved.now, totals(120));
        assert_eq!(moved.figures("you saw"), "$1.20 a month and $0.00 once (you saw $1.00 and $0.00)");
    }
}
