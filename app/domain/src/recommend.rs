//! The recommendation engine: turns a [`Design`] into sized, routed and priced products,
//! following the carrier's mapping of products to lifecycle stages (each product's `stages` in
//! the catalog seed), and offers three bundles:
//!
//! - **Good**, lowest commitment: on demand where a product allows it, single paths, sized for
//!   the average with bursts billed by the hour.
//! - **Better**, balanced: the buyer's term and redundancy, sized for the peak.
//! - **Best**, resilient: the buyer's term, diverse paths to a second site, sized for the peak.
//!
//! Pure: the caller passes the network, what is already reserved on it, the catalog and the
//! price book. What cannot be done (a latency target no path meets, a site off the network, a
//! span without capacity) becomes a plain sentence in the bundle, never an error.

use crate::catalog::{Bandwidth, LifecycleStage, Product, ProductId, Term};
use crate::design::{Design, EdgeSite, IngestSource, Redundancy};
use crate::money::Money;
use crate::network::{format_millis, Site, SiteId, SiteKind, Span};
use crate::price_book::{PriceBook, PriceUnit};
use crate::pricing::{price_item, ItemSpec, PricedItem, PricingError, Quantity, Totals};
use crate::routing::{Path, Reservations, RoutingError, Topology};
use serde::{Deserialize, Serialize};

/// An edge site this close to our hub is in a building we already light.
pub const ON_NET_KM: u32 = 2;
/// Up to this distance we build the last stretch of fiber (near-net).
pub const NEAR_NET_KM: u32 = 25;

/// Why an edge site `distance_km` from its metro's hub (as typed) cannot be served, said as
/// soon as it is typed rather than only in the recommendation; None when it can be (or is
/// not yet a number: the form's own check says so).
pub fn edge_reach_problem(distance_km: &str) -> Option<String> {
    let distance: u32 = distance_km.trim().parse().ok()?;
    (distance > NEAR_NET_KM).then(|| {
        format!(
            "We reach sites up to {NEAR_NET_KM} km from a hub: at {distance} km this site cannot be served. \
             Choose the metro nearest to it, or leave it out."
        )
    })
}
/// The one-time charge for building a near-net site onto the network.
pub const NEAR_NET_BUILD: Money = Money::from_dollars(7_500);
/// The days a near-net build adds to the lead time.
pub const NEAR_NET_DAYS: u32 = 45;

/// Product ids the mapping uses.
pub mod products {
    pub const INTERNET: &str = "internet-on-demand";
    pub const WAVES: &str = "wavelengths-400g";
    pub const DARK_FIBER: &str = "dark-fiber";
    pub const PROGRAMMABLE: &str = "programmable-connectivity";
    pub const IP_VPN: &str = "ip-vpn";
    pub const SASE: &str = "managed-sase";
    pub const DDOS: &str = "ddos-mitigation";
    pub const COLOCATION: &str = "colocation";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Tier {
    Good,
    Better,
    Best,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Good, Tier::Better, Tier::Best];

    pub fn slug(self) -> &'static str {
        match self {
            Tier::Good => "good",
            Tier::Better => "better",
            Tier::Best => "best",
        }
    }

    pub fn parse(text: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|tier| tier.slug() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Tier::Good => "Good · lowest commitment",
            Tier::Better => "Better · balanced",
            Tier::Best => "Best · resilient",
        }
    }

    pub fn pitch(self) -> &'static str {
        match self {
            Tier::Good => "On demand where a product allows it, single paths, sized for the average; bursts are billed by the hour.",
            Tier::Better => "Your term and redundancy, sized for the peak.",
            Tier::Best => "Your term, diverse paths to a second site, sized for the peak, premium security.",
        }
    }
}

/// Serviceability of a site, as in TMF679 product offering qualification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Serviceability {
    /// Green: on our network.
    OnNet,
    /// Yellow: we build the last stretch (one-time charge, longer lead time).
    NearNet,
    /// Red: we cannot serve it.
    NotServiceable,
}

impl Serviceability {
    pub fn slug(self) -> &'static str {
        match self {
            Serviceability::OnNet => "on-net",
            Serviceability::NearNet => "near-net",
            Serviceability::NotServiceable => "not-serviceable",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Serviceability::OnNet => "On-net",
            Serviceability::NearNet => "Near-net",
            Serviceability::NotServiceable => "Not serviceable",
        }
    }
}

/// The qualification of one site the design uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteCheck {
    pub site: SiteId,
    pub name: String,
    pub status: Serviceability,
    /// Why, in one sentence, with the nearest serviceable alternative when red.
    pub reason: String,
    pub build_charge: Money,
    pub extra_days: u32,
}

/// Checks every site of the design: network sites are on-net; edge sites by their distance
/// from the hub of their metro.
pub fn qualify(design: &Design, sites: &[Site]) -> Vec<SiteCheck> {
    let name_of =
        |id: &SiteId| sites.iter().find(|site| &site.id == id).map_or_else(|| id.to_string(), |site| site.name.clone());
    let mut checks: Vec<SiteCheck> = design
        .edge_sites
        .iter()
        .map(|edge| {
            let metro = name_of(&edge.metro);
            let (status, reason, build_charge, extra_days) = if edge.distance_km <= ON_NET_KM {
                (Serviceability::OnNet, format!("In {metro}, {} km from our hub: on our network.", edge.distance_km), Money::ZERO, 0)
            } else if edge.distance_km <= NEAR_NET_KM {
                (
                    Serviceability::NearNet,
                    format!(
                        "{} km from our {metro} hub: we build the last stretch of fiber ({NEAR_NET_BUILD} once, {NEAR_NET_DAYS} more days).",
                        edge.distance_km
                    ),
                    NEAR_NET_BUILD,
                    NEAR_NET_DAYS,
                )
            } else {
                let alternative = sites
                    .iter()
                    .filter(|site| site.kind == SiteKind::DataCenter && site.metro == edge.metro)
                    .min_by_key(|site| site.access_km)
                    .map_or_else(|| format!("our {metro} hub"), |site| format!("{} in {metro}", site.name));
                (
                    Serviceability::NotServiceable,
                    format!(
                        "{} km from our {metro} hub; we reach sites up to {NEAR_NET_KM} km away. Nearest serviceable: {alternative}.",
                        edge.distance_km
                    ),
                    Money::ZERO,
                    0,
                )
            };
            SiteCheck { site: edge.id.clone(), name: edge.name.clone(), status, reason, build_charge, extra_days }
        })
        .collect();
    let mut network_sites: Vec<&SiteId> = Vec::new();
    if let Some(ingestion) = &design.ingestion {
        network_sites.push(&ingestion.landing);
    }
    if let Some(training) = &design.training {
        network_sites.extend([&training.cluster, &training.data_site]);
        network_sites.extend(training.second_cluster.as_ref());
    }
    if let Some(inference) = &design.inference {
        network_sites.push(&inference.serving);
    }
    if let Some(multi_cloud) = &design.multi_cloud {
        network_sites.extend(multi_cloud.on_ramps.iter().chain(&multi_cloud.sites));
    }
    for id in network_sites {
        if checks.iter().all(|check| &check.site != id) {
            checks.push(SiteCheck {
                site: id.clone(),
                name: name_of(id),
                status: Serviceability::OnNet,
                reason: "On our network.".to_owned(),
                build_charge: Money::ZERO,
                extra_days: 0,
            });
        }
    }
    checks
}

/// A product line of a bundle: what it is, why, the route it takes, and its price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub stage: LifecycleStage,
    pub title: String,
    pub reason: String,
    pub spec: ItemSpec,
    /// Other options of the same product the buyer may switch to on the results page (other
    /// rates of the same distance band, other editions): `(code, label)`.
    pub alternatives: Vec<(String, String)>,
    pub path: Option<Path>,
    /// True for the second, diverse path of a redundant connection.
    pub twin: bool,
    pub priced: PricedItem,
    /// Chosen by the buyer from the catalog rather than recommended: it keeps its own term
    /// when the bundle's term changes.
    #[serde(default)]
    pub chosen: bool,
}

/// A one-time charge for building a near-net site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteBuild {
    pub site: String,
    pub charge: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bundle {
    pub tier: Tier,
    /// The term asked for; items whose product does not sell it carry their nearest term.
    pub term: Term,
    pub redundancy: Redundancy,
    pub items: Vec<Item>,
    pub builds: Vec<SiteBuild>,
    pub totals: Totals,
    /// The longest round trip over any routed connection.
    pub worst_round_trip_micros: Option<u64>,
    pub lead_days: u32,
    /// What the engine could not do for this bundle, in sentences.
    pub shortfalls: Vec<String>,
}

impl Bundle {
    /// The buyer's changes on the results page: another term for the bundle, another option
    /// for some items (by index). Re-prices with the same engine the server uses on save.
    pub fn with_choices(
        &self,
        products: &[Product],
        book: &PriceBook,
        term: Term,
        options: &[(usize, String)],
    ) -> Result<Bundle, PricingError> {
        let mut bundle = self.clone();
        bundle.term = term;
        for (index, item) in bundle.items.iter_mut().enumerate() {
            if let Some((_, code)) = options.iter().find(|(at, _)| *at == index) {
                if item.alternatives.iter().any(|(alternative, _)| alternative == code) {
                    item.spec.option = code.clone();
                }
            }
            if let Some(product) = products.iter().find(|product| product.id == item.spec.product) {
                if !item.chosen {
                    item.spec.term = fit_term(product, term);
                }
            }
            item.priced = price_item(products, book, &item.spec)?;
        }
        bundle.totals = bundle_totals(&bundle.items, &bundle.builds);
        Ok(bundle)
    }

    /// The bundle with items the buyer chose from the catalog (configured and priced), its
    /// totals, lead time and longest round trip updated.
    pub fn with_chosen(mut self, items: &[Item], lead_days: u32) -> Bundle {
        self.items.extend(items.iter().cloned());
        self.totals = bundle_totals(&self.items, &self.builds);
        self.lead_days = self.lead_days.max(lead_days);
        let round_trips = items.iter().filter_map(|item| item.path.as_ref()).map(|path| path.latency_micros * 2);
        self.worst_round_trip_micros = self.worst_round_trip_micros.into_iter().chain(round_trips).max();
        self
    }

    /// The monthly estimate of the whole bundle (hourly charges over an average month).
    pub fn monthly_estimate(&self) -> Money {
        self.totals.monthly_estimate()
    }
}

fn bundle_totals(items: &[Item], builds: &[SiteBuild]) -> Totals {
    let mut totals: Totals = items.iter().map(|item| item.priced.totals).sum();
    totals.one_time += builds.iter().map(|build| build.charge).sum();
    totals
}

/// What the buyer picked on the results page: a bundle, its term, and other options for
/// some of its items (by index).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Choice {
    pub tier: Tier,
    /// Months of commitment: 0 (on demand, by the hour), 12, 24, 36 or 60.
    #[cfg_attr(feature = "openapi", schema(value_type = u8, example = 12))]
    pub term: Term,
    pub options: Vec<(usize, String)>,
}

/// The whole answer: site qualification and the three bundles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    pub sites: Vec<SiteCheck>,
    pub bundles: Vec<Bundle>,
}

impl Recommendation {
    /// The chosen bundle with the buyer's changes, priced: what the server stores on save and
    /// what the browser shows, from the same code.
    pub fn chosen(
        &self,
        products: &[Product],
        book: &PriceBook,
        choice: &Choice,
    ) -> Option<Result<Bundle, PricingError>> {
        let bundle = self.bundles.iter().find(|bundle| bundle.tier == choice.tier)?;
        Some(bundle.with_choices(products, book, choice.term, &choice.options))
    }
}

/// The term a product is priced at when the bundle asks for `wanted`: that term when sold,
/// else the nearest longer one (cheaper per month), else its longest.
pub fn fit_term(product: &Product, wanted: Term) -> Term {
    if product.terms.contains(&wanted) {
        return wanted;
    }
    let longer = product.terms.iter().copied().filter(|term| *term > wanted).min();
    longer.or_else(|| product.terms.iter().copied().max()).unwrap_or(wanted)
}

/// `74075` Mbps → `74.1 Gbps`; `800` → `800 Mbps`. Integer arithmetic only.
pub fn format_rate(mbps: u64) -> String {
    if mbps >= 1_000 {
        let tenths = (mbps + 50) / 100;
        if tenths.is_multiple_of(10) {
            format!("{} Gbps", tenths / 10)
        } else {
            format!("{}.{} Gbps", tenths / 10, tenths % 10)
        }
    } else {
        format!("{mbps} Mbps")
    }
}

/// `1 cross-connect`, `3 cross-connects`: a count with its noun in the right number.
pub fn counted(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// The network, catalog and prices a recommendation works with.
pub struct Inputs<'a> {
    pub sites: &'a [Site],
    pub spans: &'a [Span],
    pub reserved: &'a Reservations,
    pub products: &'a [Product],
    pub book: &'a PriceBook,
}

/// Recommends the three bundles for a design.
pub fn recommend(design: &Design, inputs: &Inputs<'_>) -> Recommendation {
    let checks = qualify(design, inputs.sites);
    let mut all_sites = inputs.sites.to_vec();
    all_sites.extend(design.edge_sites.iter().filter_map(|edge| edge_as_site(edge, inputs.sites)));
    let topology = Topology::new(&all_sites, inputs.spans);
    let bundles = Tier::ALL
        .into_iter()
        .map(|tier| {
            let mut planner = Planner {
                design,
                inputs,
                sites: &all_sites,
                topology: topology.as_ref().ok(),
                checks: &checks,
                tier,
                term: match tier {
                    Tier::Good => Term::OnDemand,
                    Tier::Better | Tier::Best => design.term,
                },
                redundancy: match tier {
                    Tier::Good => Redundancy::None,
                    Tier::Better => design.redundancy,
                    Tier::Best => Redundancy::DiverseSite,
                },
                items: Vec::new(),
                shortfalls: Vec::new(),
                reserved: inputs.reserved.clone(),
            };
            if let Err(error) = &topology {
                planner.shortfalls.push(error.to_string());
            }
            planner.plan();
            planner.finish()
        })
        .collect();
    Recommendation { sites: checks, bundles }
}

/// An edge site placed on the network: at its metro hub's position, over its own access run.
fn edge_as_site(edge: &EdgeSite, sites: &[Site]) -> Option<Site> {
    let hub = sites.iter().find(|site| site.id == edge.metro)?;
    Some(Site {
        id: edge.id.clone(),
        kind: SiteKind::CustomerEdge,
        name: edge.name.clone(),
        metro: edge.metro.clone(),
        location: hub.location,
        operator: None,
        access_km: edge.distance_km,
    })
}

/// Builds one bundle.
struct Planner<'a> {
    design: &'a Design,
    inputs: &'a Inputs<'a>,
    sites: &'a [Site],
    topology: Option<&'a Topology>,
    checks: &'a [SiteCheck],
    tier: Tier,
    term: Term,
    redundancy: Redundancy,
    items: Vec<Item>,
    shortfalls: Vec<String>,
    /// What this bundle has routed so far, on top of the network's reservations, so its own
    /// connections never count the same free capacity twice.
    reserved: Reservations,
}

/// A connection routed for a bundle: its main path and, when asked and possible, a diverse one.
struct Routed {
    primary: Path,
    twin: Option<(SiteId, Path)>,
}

impl Planner<'_> {
    fn plan(&mut self) {
        if let Some(ingestion) = self.design.ingestion.clone() {
            self.plan_ingestion(&ingestion);
        }
        if let Some(training) = self.design.training.clone() {
            self.plan_training(&training);
        }
        if let Some(inference) = self.design.inference.clone() {
            self.plan_inference(&inference);
        }
        if let Some(multi_cloud) = self.design.multi_cloud.clone() {
            self.plan_multi_cloud(&multi_cloud);
        }
    }

    fn finish(self) -> Bundle {
        let builds: Vec<SiteBuild> = self
            .checks
            .iter()
            .filter(|check| check.status == Serviceability::NearNet)
            .filter(|check| {
                self.items.iter().any(|item| item.path.as_ref().is_some_and(|path| path.sites.contains(&check.site)))
            })
            .map(|check| SiteBuild { site: check.name.clone(), charge: check.build_charge })
            .collect();
        let extra_days = self
            .checks
            .iter()
            .filter(|check| builds.iter().any(|build| build.site == check.name))
            .map(|check| check.extra_days)
            .max()
            .unwrap_or(0);
        let lead_days = self
            .items
            .iter()
            .filter_map(|item| self.product(item.spec.product.as_str()))
            .map(|product| product.provisioning.lead_days)
            .max()
            .unwrap_or(0)
            + extra_days;
        let worst_round_trip_micros =
            self.items.iter().filter_map(|item| item.path.as_ref()).map(|path| path.latency_micros * 2).max();
        let mut shortfalls = self.shortfalls;
        if self.tier == Tier::Good && self.design.redundancy != Redundancy::None {
            shortfalls.push(format!(
                "This bundle has single paths only; you asked for “{}”.",
                self.design.redundancy.label().to_lowercase()
            ));
        }
        Bundle {
            tier: self.tier,
            term: self.term,
            redundancy: self.redundancy,
            totals: bundle_totals(&self.items, &builds),
            items: self.items,
            builds,
            worst_round_trip_micros,
            lead_days,
            shortfalls,
        }
    }

    fn product(&self, id: &str) -> Option<&Product> {
        self.inputs.products.iter().find(|product| product.id.as_str() == id)
    }

    fn site_name(&self, id: &SiteId) -> String {
        self.sites.iter().find(|site| &site.id == id).map_or_else(|| id.to_string(), |site| site.name.clone())
    }

    fn serviceable(&mut self, id: &SiteId) -> bool {
        match self.checks.iter().find(|check| &check.site == id) {
            Some(check) if check.status == Serviceability::NotServiceable => {
                self.shortfalls.push(format!("{}: not connected. {}", check.name, check.reason));
                false
            }
            _ => true,
        }
    }

    /// Prices a spec and adds it, or records why it could not be priced.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        stage: LifecycleStage,
        title: String,
        reason: String,
        spec: ItemSpec,
        alternatives: Vec<(String, String)>,
        path: Option<Path>,
        twin: bool,
    ) {
        match price_item(self.inputs.products, self.inputs.book, &spec) {
            Ok(priced) => {
                self.items.push(Item { stage, title, reason, spec, alternatives, path, twin, priced, chosen: false })
            }
            Err(error) => self.shortfalls.push(error.to_string()),
        }
    }

    /// A spec at the bundle's term (or the product's nearest).
    fn spec(&mut self, product: &str, option: &str, quantities: Vec<Quantity>, count: u32) -> Option<ItemSpec> {
        let product = self.product(product)?.clone();
        let term = fit_term(&product, self.term);
        let note = format!(
            "{} is not sold {}; it is priced at {}, the nearest term it offers.",
            product.name,
            match self.term {
                Term::OnDemand => "on demand".to_owned(),
                other => format!("for {}", other.phrase()),
            },
            term.phrase()
        );
        if term != self.term && !self.shortfalls.contains(&note) {
            self.shortfalls.push(note);
        }
        Some(ItemSpec { product: product.id, option: option.to_owned(), term, quantities, count: count.max(1) })
    }

    /// Routes `rate_mbps` from `from` to `to`, with the bundle's redundancy, and holds the
    /// capacity for the rest of the bundle. A refusal becomes a shortfall.
    fn route(&mut self, from: &SiteId, to: &SiteId, rate_mbps: u64) -> Option<Routed> {
        let topology = self.topology?;
        let primary = match topology.shortest_path(from, to, rate_mbps, &self.reserved) {
            Ok(path) => path,
            Err(error) => {
                self.shortfalls.push(error.to_string());
                return None;
            }
        };
        self.hold(&primary, rate_mbps);
        let twin = match self.redundancy {
            Redundancy::None => None,
            Redundancy::DiversePath if primary.spans.is_empty() => {
                self.shortfalls.push(format!(
                    "{} and {} are in the same metro: the connection uses no long-haul span, so there is no diverse path to add.",
                    self.site_name(from),
                    self.site_name(to)
                ));
                None
            }
            Redundancy::DiversePath => {
                match topology.diverse_pair(from, to, rate_mbps, &self.reserved_without(&primary, rate_mbps)) {
                    Ok((first, second)) => {
                        let twin = if first.spans == primary.spans { second } else { first };
                        Some((to.clone(), twin))
                    }
                    Err(error) => {
                        self.shortfalls.push(no_twin(&error));
                        None
                    }
                }
            }
            Redundancy::DiverseSite => self.twin_to_second_site(topology, from, to, &primary, rate_mbps),
        };
        if let Some((_, path)) = &twin {
            self.hold(path, rate_mbps);
        }
        Some(Routed { primary, twin })
    }

    /// The second path ends at another site in the destination's metro and avoids every span
    /// of the first. When the metro has no second site, a diverse path to the same site.
    fn twin_to_second_site(
        &mut self,
        topology: &Topology,
        from: &SiteId,
        to: &SiteId,
        primary: &Path,
        rate_mbps: u64,
    ) -> Option<(SiteId, Path)> {
        let destination = self.sites.iter().find(|site| &site.id == to)?;
        let second = self
            .sites
            .iter()
            .filter(|site| {
                site.metro == destination.metro && site.id != destination.id && site.kind == destination.kind
            })
            .filter(|site| site.kind != SiteKind::CustomerEdge)
            // A second region of the same cloud, never another provider's.
            .filter(|site| site.kind != SiteKind::CloudOnRamp || site.operator == destination.operator)
            .min_by_key(|site| site.access_km)
            .map(|site| site.id.clone());
        let mut avoid = self.reserved.clone();
        for span in &primary.spans {
            avoid.insert(span.clone(), u64::MAX);
        }
        let attempt = match &second {
            Some(second) => topology.shortest_path(from, second, rate_mbps, &avoid).map(|path| (second.clone(), path)),
            None => Err(RoutingError::SameSite(String::new())),
        };
        match attempt {
            Ok(found) => Some(found),
            Err(_) => match topology.diverse_pair(from, to, rate_mbps, &self.reserved_without(primary, rate_mbps)) {
                Ok((first, other)) => Some((to.clone(), if first.spans == primary.spans { other } else { first })),
                Err(error) => {
                    self.shortfalls.push(no_twin(&error));
                    None
                }
            },
        }
    }

    fn hold(&mut self, path: &Path, rate_mbps: u64) {
        for span in &path.spans {
            *self.reserved.entry(span.clone()).or_insert(0) += rate_mbps;
        }
    }

    /// The reservations before `path` was held: a diverse pair is searched as a whole.
    fn reserved_without(&self, path: &Path, rate_mbps: u64) -> Reservations {
        let mut reserved = self.reserved.clone();
        for span in &path.spans {
            if let Some(held) = reserved.get_mut(span) {
                *held = held.saturating_sub(rate_mbps);
            }
        }
        reserved
    }

    /// Options of a product that have a bandwidth, smallest first, with a code filter.
    fn rates(&self, product: &str, keep: impl Fn(&str) -> bool) -> Vec<(String, String, Bandwidth)> {
        let Some(product) = self.product(product) else { return Vec::new() };
        let mut rates: Vec<(String, String, Bandwidth)> = product
            .options
            .iter()
            .filter(|option| keep(&option.code))
            .filter_map(|option| Some((option.code.clone(), option.label.clone(), option.bandwidth?)))
            .collect();
        rates.sort_by_key(|(_, _, bandwidth)| *bandwidth);
        rates
    }

    /// The smallest rate that carries `mbps`, or copies of the largest: (code, label, count).
    fn size(&self, product: &str, mbps: u64, keep: impl Fn(&str) -> bool) -> Option<Sizing> {
        let rates = self.rates(product, keep);
        let alternatives = rates.iter().map(|(code, label, _)| (code.clone(), label.clone())).collect();
        if let Some((code, _, bandwidth)) = rates.iter().find(|(_, _, bandwidth)| bandwidth.mbps() >= mbps) {
            return Some(Sizing { code: code.clone(), bandwidth: *bandwidth, count: 1, alternatives });
        }
        let (code, _, largest) = rates.last()?;
        let count = mbps.div_ceil(largest.mbps()) as u32;
        Some(Sizing { code: code.clone(), bandwidth: *largest, count, alternatives })
    }

    fn plan_ingestion(&mut self, ingestion: &crate::design::Ingestion) {
        let stage = LifecycleStage::DataIngestion;
        let (sustained, peak) = (ingestion.sustained_mbps(), ingestion.peak_mbps());
        let sized_for = if self.tier == Tier::Good { sustained } else { peak };
        let landing = self.site_name(&ingestion.landing);
        let volume = format!(
            "Ingestion: {} TB a day arriving in {} h → {} at peak ({} on average)",
            ingestion.tb_per_day,
            ingestion.peak_hours,
            format_rate(peak),
            format_rate(sustained)
        );
        match ingestion.source {
            IngestSource::Internet => {
                let Some(Sizing { code, bandwidth, count, alternatives }) =
                    self.size(products::INTERNET, sized_for, |_| true)
                else {
                    return;
                };
                let copies = if self.redundancy == Redundancy::None { count } else { count * 2 };
                let burst = if self.tier == Tier::Good && sized_for < peak {
                    "; bursts above it are billed per hour at the next tier"
                } else {
                    ""
                };
                let reason =
                    format!("{volume} → {}{} of internet access at {landing}{burst}.", times(count), bandwidth);
                let title = format!(
                    "Internet on Demand {bandwidth} · {landing}{}",
                    if copies > count { " · two diverse ports" } else { "" }
                );
                if let Some(spec) = self.spec(products::INTERNET, &code, vec![], copies) {
                    self.add(stage, title, reason, spec, alternatives, None, false);
                }
                self.protect(stage, peak, &landing);
            }
            IngestSource::EdgeSites => {
                let edges = self.design.edge_sites.clone();
                let per_site = sized_for.div_ceil(edges.len().max(1) as u64);
                for edge in &edges {
                    if !self.serviceable(&edge.id) {
                        continue;
                    }
                    let reason = format!(
                        "{volume}, {} from each of {} edge sites → a wave per site.",
                        format_rate(per_site),
                        edges.len()
                    );
                    self.waves(stage, &edge.id, &ingestion.landing, per_site, reason);
                }
            }
        }
    }

    /// DDoS Mitigation for an internet-facing service: always-on sized by clean traffic, or
    /// on-demand standby in the lowest-commitment bundle.
    fn protect(&mut self, stage: LifecycleStage, mbps: u64, place: &str) {
        let gbps = mbps.div_ceil(1_000).max(1);
        let option = if self.tier == Tier::Good { "on-demand" } else { "always-on" };
        let quantities = protection_quantities(option, gbps);
        let reason = format!("Internet-facing at {place}: {gbps} Gbps of clean traffic protected ({option}); attack traffic is never billed.");
        let alternatives =
            vec![("always-on".to_owned(), "Always-on".to_owned()), ("on-demand".to_owned(), "On-demand".to_owned())];
        if let Some(spec) = self.spec(products::DDOS, option, quantities, 1) {
            self.add(stage, format!("DDoS Mitigation {gbps} Gbps · {place}"), reason, spec, alternatives, None, false);
        }
    }

    /// Waves (or copies of 400G) from `from` to `to` carrying `mbps`, each path priced by its
    /// route distance; the diverse twin is a second item.
    fn waves(&mut self, stage: LifecycleStage, from: &SiteId, to: &SiteId, mbps: u64, reason: String) {
        let Some(Sizing { code, bandwidth, count, alternatives }) = self.size(products::WAVES, mbps, |_| true) else {
            return;
        };
        let Some(routed) = self.route(from, to, bandwidth.mbps() * u64::from(count)) else { return };
        let ends = format!("{} ⇄ {}", self.site_name(from), self.site_name(to));
        let reason = format!("{reason} → {}{bandwidth} wave over {} route-km.", times(count), routed.primary.route_km);
        for (path, twin) in paths(routed) {
            let end = path.sites.last().map(|id| self.site_name(id)).unwrap_or_default();
            let title = if twin {
                format!("{bandwidth} wave · diverse path to {end}")
            } else {
                format!("{}{bandwidth} wave · {ends}", times(count))
            };
            let km = Quantity::of(PriceUnit::RouteKm, u64::from(path.route_km));
            let reason = if twin { twin_reason(&path) } else { reason.clone() };
            if let Some(spec) = self.spec(products::WAVES, &code, vec![km], count) {
                self.add(stage, title, reason, spec, alternatives.clone(), Some(path), twin);
            }
        }
    }

    fn plan_training(&mut self, training: &crate::design::Training) {
        let stage = LifecycleStage::Training;
        let need = training.required_mbps();
        let cluster = self.site_name(&training.cluster);
        let why = format!(
            "Training: {} TB must reach {cluster} in {} h → {}",
            training.dataset_tb,
            training.hours,
            format_rate(need)
        );
        self.fiber_or_waves(stage, &training.data_site, &training.cluster, need, why);
        if let Some(second) = &training.second_cluster {
            let why = format!(
                "Training: the clusters at {cluster} and {} exchange the same {}",
                self.site_name(second),
                format_rate(need)
            );
            self.fiber_or_waves(stage, &training.cluster, second, need, why);
        }
        if training.power_kw > 0 {
            self.colocation(stage, training, &cluster);
        }
    }

    /// Dark fiber when it costs less over the term than the waves it replaces and the term is
    /// long enough to buy it; waves otherwise. The reason says which and why.
    fn fiber_or_waves(&mut self, stage: LifecycleStage, from: &SiteId, to: &SiteId, mbps: u64, why: String) {
        let Some(Sizing { code, bandwidth, count, .. }) = self.size(products::WAVES, mbps, |_| true) else { return };
        let Some(topology) = self.topology else { return };
        let Ok(path) = topology.shortest_path(from, to, bandwidth.mbps() * u64::from(count), &self.reserved) else {
            // Let `waves` route it and explain the refusal.
            self.waves(stage, from, to, mbps, why);
            return;
        };
        let km = u64::from(path.route_km);
        let wave_at = |term: Term| -> Option<Totals> {
            let spec = ItemSpec {
                product: ProductId::parse(products::WAVES).ok()?,
                option: code.clone(),
                term,
                quantities: vec![Quantity::of(PriceUnit::RouteKm, km)],
                count,
            };
            price_item(self.inputs.products, self.inputs.book, &spec).ok().map(|priced| priced.totals)
        };
        let fiber_id = ProductId::parse(products::DARK_FIBER).expect("a valid product id");
        let fiber_option = crate::configure::distance_band(&fiber_id, &path).unwrap_or("regional");
        let fiber_spec = |term: Term| ItemSpec {
            product: ProductId::parse(products::DARK_FIBER).expect("a valid product id"),
            option: fiber_option.to_owned(),
            term,
            quantities: vec![
                Quantity::of(PriceUnit::RouteMile, route_miles(path.route_km)),
                Quantity::of(PriceUnit::FiberEnd, 2),
            ],
            count: 1,
        };
        let fiber_at = |term: Term| {
            price_item(self.inputs.products, self.inputs.book, &fiber_spec(term)).ok().map(|priced| priced.totals)
        };
        let cheaper_fiber = |term: Term| match (fiber_at(term), wave_at(term)) {
            (Some(fiber), Some(wave)) => fiber.contract_value(term) < wave.contract_value(term),
            _ => false,
        };
        let fiber_terms: Vec<Term> =
            self.product(products::DARK_FIBER).map(|product| product.terms.clone()).unwrap_or_default();
        if fiber_terms.contains(&self.term) && cheaper_fiber(self.term) {
            let Some(routed) = self.route(from, to, bandwidth.mbps() * u64::from(count)) else { return };
            let reason = format!(
                "{why}; over {} route-km dark fiber costs less than {}{bandwidth} of waves for {} and carries all a pair can light.",
                path.route_km,
                times(count),
                self.term.phrase()
            );
            for (path, twin) in paths(routed) {
                let end = path.sites.last().map(|id| self.site_name(id)).unwrap_or_default();
                let title = if twin {
                    format!("Dark fiber pair · diverse path to {end}")
                } else {
                    format!("Dark fiber pair · {} ⇄ {}", self.site_name(from), self.site_name(to))
                };
                let mut spec = fiber_spec(self.term);
                spec.quantities[0] = Quantity::of(PriceUnit::RouteMile, route_miles(path.route_km));
                let reason = if twin { twin_reason(&path) } else { reason.clone() };
                self.add(stage, title, reason, spec, vec![], Some(path), twin);
            }
            return;
        }
        let when_fiber = fiber_terms.iter().copied().find(|term| cheaper_fiber(*term));
        let fiber_note = match when_fiber {
            Some(at) if !fiber_terms.contains(&self.term) => {
                format!("; dark fiber would cost less only on a {} term", at.phrase())
            }
            Some(_) => String::new(),
            None => {
                format!("; dark fiber would cost more at every term it is sold ({} miles)", route_miles(path.route_km))
            }
        };
        self.waves(stage, from, to, mbps, format!("{why}{fiber_note}"));
    }

    fn colocation(&mut self, stage: LifecycleStage, training: &crate::design::Training, cluster: &str) {
        let kw = u64::from(training.power_kw);
        let (option, racks) = if kw >= 250 { ("wholesale", 0) } else { ("high-density", kw.div_ceil(20)) };
        let connections = 1 + u64::from(training.second_cluster.is_some());
        let reason = format!(
            "Training: the cluster draws {kw} kW → {}.",
            if racks == 0 {
                "a wholesale suite".to_owned()
            } else {
                format!("{racks} high-density cabinets at up to 20 kW each")
            }
        );
        let power = vec![Quantity::of(PriceUnit::Rack, racks), Quantity::of(PriceUnit::Kw, kw)];
        if let Some(spec) = self.spec(products::COLOCATION, option, power, 1) {
            self.add(stage, format!("Colocation {kw} kW · {cluster}"), reason, spec, vec![], None, false);
        }
        let cross = vec![Quantity::of(PriceUnit::CrossConnect, connections)];
        if let Some(spec) = self.spec(products::COLOCATION, "cross-connect", cross, 1) {
            let reason = format!(
                "Training: {} from the cabinets to the network.",
                counted(connections, "cross-connect", "cross-connects")
            );
            self.add(stage, format!("Cross-connects · {cluster}"), reason, spec, vec![], None, false);
        }
    }

    /// Programmable Connectivity between two sites: the rate tier that carries `mbps`, the
    /// distance band of the route (metro, regional up to 800 km, national).
    fn connect(&mut self, stage: LifecycleStage, from: &SiteId, to: &SiteId, mbps: u64, reason: &str) -> Option<Path> {
        let Sizing { bandwidth, .. } = self.size(products::PROGRAMMABLE, mbps, |_| true)?;
        let routed = self.route(from, to, bandwidth.mbps())?;
        let primary = routed.primary.clone();
        for (path, twin) in paths(routed) {
            let band = crate::configure::distance_band(&ProductId::parse(products::PROGRAMMABLE).ok()?, &path)?;
            let suffix = format!("-{band}");
            let Some(Sizing { code, bandwidth, count, alternatives }) =
                self.size(products::PROGRAMMABLE, mbps, |code| code.ends_with(&suffix))
            else {
                continue;
            };
            let end = path.sites.last().map(|id| self.site_name(id)).unwrap_or_default();
            let title = if twin {
                format!("Programmable Connectivity {bandwidth} · diverse path to {end}")
            } else {
                format!("Programmable Connectivity {bandwidth} · {} ⇄ {end}", self.site_name(from))
            };
            let reason = if twin {
                twin_reason(&path)
            } else {
                format!(
                    "{reason} → {bandwidth} {band} ({} route-km, {} round trip).",
                    path.route_km,
                    format_millis(path.latency_micros * 2)
                )
            };
            if let Some(spec) = self.spec(products::PROGRAMMABLE, &code, vec![Quantity::of(PriceUnit::Site, 2)], count)
            {
                self.add(stage, title, reason, spec, alternatives, Some(path), twin);
            }
        }
        Some(primary)
    }

    fn plan_inference(&mut self, inference: &crate::design::Inference) {
        let stage = LifecycleStage::Inference;
        let serving = self.site_name(&inference.serving);
        let edges = self.design.edge_sites.clone();
        let target = format_millis(inference.latency_micros);
        for edge in &edges {
            if !self.serviceable(&edge.id) {
                continue;
            }
            let reason = format!(
                "Inference: {} from {} to the model at {serving}, target {target} round trip",
                format_rate(inference.mbps_per_site),
                edge.name
            );
            let Some(path) = self.connect(stage, &edge.id, &inference.serving, inference.mbps_per_site, &reason) else {
                continue;
            };
            let round_trip = path.latency_micros * 2;
            if round_trip > inference.latency_micros {
                let closer = self.closest_serving_site(&edge.id, inference.latency_micros);
                let suggestion = closer.map_or_else(
                    || {
                        "no data centre on our network is close enough; relax the target or serve at the edge"
                            .to_owned()
                    },
                    |name| format!("serve it from {name} instead"),
                );
                self.shortfalls.push(format!(
                    "{} → {serving}: {} round trip is over your {target} target; {suggestion}.",
                    edge.name,
                    format_millis(round_trip)
                ));
            }
        }
        self.secure_edges(stage, inference, &edges);
        if inference.public_facing {
            let total = inference.mbps_per_site * edges.len() as u64;
            self.protect(stage, total.max(1), &serving);
        }
    }

    /// The data centre nearest (by latency) to an edge site that meets the target.
    fn closest_serving_site(&self, edge: &SiteId, target_micros: u64) -> Option<String> {
        let topology = self.topology?;
        self.sites
            .iter()
            .filter(|site| site.kind == SiteKind::DataCenter)
            .filter_map(|site| {
                topology
                    .shortest_path(edge, &site.id, 1, &Reservations::new())
                    .ok()
                    .map(|path| (site, path.latency_micros * 2))
            })
            .filter(|(_, round_trip)| *round_trip <= target_micros)
            .min_by_key(|(_, round_trip)| *round_trip)
            .map(|(site, _)| site.name.clone())
    }

    /// Managed SASE for the edge sites: users by edition (25 at least), each site by size.
    fn secure_edges(&mut self, stage: LifecycleStage, inference: &crate::design::Inference, edges: &[EdgeSite]) {
        let edition = match self.tier {
            Tier::Good => "essentials",
            Tier::Better => "advanced",
            Tier::Best => "premium",
        };
        let users = u64::from(inference.users).max(25);
        let editions = vec![
            ("essentials".to_owned(), "Essentials".to_owned()),
            ("advanced".to_owned(), "Advanced".to_owned()),
            ("premium".to_owned(), "Premium".to_owned()),
        ];
        let reason = format!(
            "Inference: zero-trust access for {} users at the edge (25 at least), {edition} edition.",
            inference.users
        );
        let quantities = vec![Quantity::of(PriceUnit::User, users), Quantity::of(PriceUnit::Tenant, 1)];
        if let Some(spec) = self.spec(products::SASE, edition, quantities, 1) {
            self.add(stage, format!("Managed SASE · {users} users"), reason, spec, editions, None, false);
        }
        let served = edges
            .iter()
            .filter(|edge| {
                self.checks.iter().any(|check| check.site == edge.id && check.status != Serviceability::NotServiceable)
            })
            .count() as u64;
        if served == 0 {
            return;
        }
        let (size, label) = match inference.mbps_per_site {
            0..=100 => ("site-s", "small"),
            101..=500 => ("site-m", "medium"),
            501..=1_000 => ("site-l", "large"),
            _ => ("site-hub", "hub"),
        };
        let reason = format!(
            "Inference: {} at {} each → {label} SASE {}.",
            counted(served, "edge site", "edge sites"),
            format_rate(inference.mbps_per_site),
            if served == 1 { "site" } else { "sites" }
        );
        if let Some(spec) = self.spec(
            products::SASE,
            size,
            vec![Quantity::of(PriceUnit::Site, served), Quantity::of(PriceUnit::Mbps, 1)],
            1,
        ) {
            self.add(
                stage,
                format!("Managed SASE · {}", counted(served, &format!("{label} site"), &format!("{label} sites"))),
                reason,
                spec,
                vec![],
                None,
                false,
            );
        }
    }

    fn plan_multi_cloud(&mut self, multi_cloud: &crate::design::MultiCloud) {
        let stage = LifecycleStage::MultiCloud;
        let mbps = multi_cloud.bandwidth.mbps();
        let sites = multi_cloud.sites.len() as u64;
        if let Some(Sizing { code, bandwidth, alternatives, .. }) = self.size(products::IP_VPN, mbps, |_| true) {
            let reason = format!(
                "Multi-cloud: one private network joining your {} at {bandwidth}.",
                counted(sites, "site", "sites")
            );
            let quantities = vec![Quantity::of(PriceUnit::Site, sites)];
            if let Some(spec) = self.spec(products::IP_VPN, &code, quantities, 1) {
                self.add(
                    stage,
                    format!("IP VPN {bandwidth} · {}", counted(sites, "site", "sites")),
                    reason,
                    spec,
                    alternatives,
                    None,
                    false,
                );
            }
        }
        let Some(hub) = multi_cloud.sites.first().cloned() else { return };
        // Two clouds or more: a cloud router at the hub joins them, so data moves cloud to
        // cloud without the buyer's hardware.
        let clouds: std::collections::BTreeSet<&'static str> = multi_cloud
            .on_ramps
            .iter()
            .filter_map(|ramp| crate::cloud::OnRamp::of_site_id(ramp.as_str()))
            .map(|on_ramp| on_ramp.cloud.label())
            .collect();
        let routed = clouds.len() >= 2 && self.cloud_router(stage, &hub, mbps, &clouds);
        for ramp in &multi_cloud.on_ramps {
            let reason = format!(
                "Multi-cloud: {} between {} and {}",
                multi_cloud.bandwidth,
                self.site_name(&hub),
                self.site_name(ramp)
            );
            if !self.cloud_connection(stage, &hub, ramp, mbps, &reason, routed) {
                self.connect(stage, &hub, ramp, mbps, &reason);
            }
        }
    }

    /// A cloud router at `hub` sized for `mbps` (at most its largest rate limit); false when
    /// the catalog has none.
    fn cloud_router(
        &mut self,
        stage: LifecycleStage,
        hub: &SiteId,
        mbps: u64,
        clouds: &std::collections::BTreeSet<&'static str>,
    ) -> bool {
        let product = crate::cloud_router::PRODUCT;
        let Some(largest) = self.rates(product, |_| true).last().map(|(_, _, bandwidth)| bandwidth.mbps()) else {
            return false;
        };
        let Some(Sizing { code, bandwidth, alternatives, .. }) = self.size(product, mbps.min(largest), |_| true) else {
            return false;
        };
        let Some(spec) = self.spec(product, &code, vec![Quantity::of(PriceUnit::Site, 1)], 1) else { return false };
        let clouds: Vec<&str> = clouds.iter().copied().collect();
        let reason = format!(
            "Multi-cloud: {} take part, so a cloud router at {} joins them and data moves cloud to cloud without your own \
             hardware ({bandwidth} rate limit).",
            clouds.join(" and "),
            self.site_name(hub)
        );
        let title = format!("Cloud Router {bandwidth} · {}", self.site_name(hub));
        self.add(stage, title, reason, spec, alternatives, None, false);
        true
    }

    /// A cloud connection from `hub` to the on-ramp `ramp`, one at a time and at most its
    /// largest rate; false when `ramp` is not a cloud's on-ramp or the catalog has none.
    fn cloud_connection(
        &mut self,
        stage: LifecycleStage,
        hub: &SiteId,
        ramp: &SiteId,
        mbps: u64,
        reason: &str,
        routed: bool,
    ) -> bool {
        let product = crate::cloud::PRODUCT;
        let Some(on_ramp) = crate::cloud::OnRamp::of_site_id(ramp.as_str()) else { return false };
        let Some(largest) = self.rates(product, |_| true).last().map(|(_, _, bandwidth)| bandwidth.mbps()) else {
            return false;
        };
        let Some(Sizing { code, bandwidth, alternatives, .. }) = self.size(product, mbps.min(largest), |_| true) else {
            return false;
        };
        let Some(routed_path) = self.route(hub, ramp, bandwidth.mbps()) else { return true };
        let path = routed_path.primary;
        let Some(spec) = self.spec(product, &code, vec![Quantity::of(PriceUnit::Site, 2)], 1) else { return true };
        let asks = match on_ramp.cloud {
            crate::cloud::Cloud::Aws => "your AWS account id; you accept it in the AWS console",
            crate::cloud::Cloud::Azure => "your ExpressRoute circuit's service key",
            crate::cloud::Cloud::Google => "your Partner Interconnect pairing key",
        };
        let via = if routed { " through the cloud router" } else { "" };
        let reason = format!(
            "{reason} → {bandwidth} into your {} account{via} ({} round trip). Ordered with {asks}.",
            on_ramp.cloud.label(),
            format_millis(path.latency_micros * 2)
        );
        let title = format!("Cloud Connection {bandwidth} · {} ⇄ {}", self.site_name(hub), self.site_name(ramp));
        self.add(stage, title, reason, spec, alternatives, Some(path), false);
        true
    }
}

/// A product option sized for a rate: the smallest that carries it, or copies of the largest,
/// and the product's other rates the buyer may switch to.
struct Sizing {
    code: String,
    bandwidth: Bandwidth,
    count: u32,
    alternatives: Vec<(String, String)>,
}

/// The primary path and, when there is one, the twin, as (path, is_twin).
fn paths(routed: Routed) -> Vec<(Path, bool)> {
    let mut paths = vec![(routed.primary, false)];
    paths.extend(routed.twin.map(|(_, path)| (path, true)));
    paths
}

/// Dark fiber is sold per route-mile, at least 2.
/// DDoS protection for `gbps` of clean traffic: always-on is priced in tiers (the first 10
/// Gbps, the next 90, the rest), on-demand per Gbps on standby plus a day of mitigation.
pub(crate) fn protection_quantities(option: &str, gbps: u64) -> Vec<Quantity> {
    if option == "on-demand" {
        return vec![Quantity::of(PriceUnit::Gbps, gbps), Quantity::of(PriceUnit::Day, 1)];
    }
    let tiers = [
        ("Protected clean traffic, 1–10 Gbps", gbps.min(10)),
        ("Protected clean traffic, 11–100 Gbps", gbps.clamp(10, 100) - 10),
        ("Protected clean traffic, above 100 Gbps", gbps.saturating_sub(100)),
    ];
    tiers
        .iter()
        .map(|(label, amount)| Quantity::for_line(PriceUnit::Gbps, label, *amount))
        .chain([Quantity::of(PriceUnit::Gbps, gbps)])
        .collect()
}

pub(crate) fn route_miles(route_km: u32) -> u64 {
    (u64::from(route_km) * 1_000).div_ceil(1_609).max(2)
}

fn times(count: u32) -> String {
    if count > 1 {
        format!("{count} × ")
    } else {
        String::new()
    }
}

pub(crate) fn twin_reason(path: &Path) -> String {
    format!(
        "A second path sharing no span with the first ({} route-km, {} round trip), so one fiber cut cannot stop the service.",
        path.route_km,
        format_millis(path.latency_micros * 2)
    )
}

fn no_twin(error: &RoutingError) -> String {
    format!("No diverse path: {error}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edge_site_out_of_reach_is_named_as_it_is_typed() {
        assert_eq!(edge_reach_problem("25"), None, "the limit itself is served");
        assert_eq!(edge_reach_problem("not yet a number"), None);
        let problem = edge_reach_problem(" 30 ").unwrap();
        assert!(problem.contains("up to 25 km") && problem.contains("at 30 km"), "{problem}");
    }

    #[test]
    fn rates_read_like_people_write_them() {
        assert_eq!(format_rate(74_075), "74.1 Gbps");
        assert_eq!(format_rate(14_815), "14.8 Gbps");
        assert_eq!(format_rate(100_000), "100 Gbps");
        assert_eq!(format_rate(800), "800 Mbps");
    }

    #[test]
    fn counts_take_the_noun_in_its_number() {
        assert_eq!(counted(1, "cross-connect", "cross-connects"), "1 cross-connect");
        assert_eq!(counted(0, "site", "sites"), "0 sites");
        assert_eq!(counted(2, "small site", "small sites"), "2 small sites");
    }

    #[test]
    fn dark_fiber_is_sold_per_route_mile_with_a_minimum() {
        assert_eq!(route_miles(1), 2);
        assert_eq!(route_miles(1_609), 1_000);
        assert_eq!(route_miles(1_610), 1_001);
    }

    #[test]
    fn terms_fit_what_a_product_sells() {
        let product = |terms: Vec<Term>| Product {
            id: ProductId::parse("dark-fiber").unwrap(),
            name: "Dark Fiber".into(),
            tagline: String::new(),
            description: String::new(),
            billing: String::new(),
            stages: vec![],
            terms,
            options: vec![],
            ends: crate::catalog::Ends::Two,
            provisioning: crate::catalog::Provisioning::default(),
        };
        let fiber = product(vec![Term::Months36, Term::Months60]);
        assert_eq!(fit_term(&fiber, Term::OnDemand), Term::Months36);
        assert_eq!(fit_term(&fiber, Term::Months60), Term::Months60);
        let ddos = product(vec![Term::Months12, Term::Months24, Term::Months36]);
        assert_eq!(fit_term(&ddos, Term::Months60), Term::Months36);
    }
}
