//! Versioned seed data: the catalog with its first price book, and the network.
//!
//! The data lives in `seed/*.toml` (embedded at build time), is parsed into domain types —
//! so a typo fails the build's tests, not a customer's order — and is loaded once per
//! version. Loading is idempotent and safe when several servers start at once: a server
//! claims a seed version by bumping its row in `seed_runs` inside the loading transaction.

use crate::{now_ms, Store, StoreError};
use lightpath_domain::catalog::{
    Bandwidth, Ends, LifecycleStage, Product, ProductId, ProductOption, Provisioning, Term,
};
use lightpath_domain::network::{Coordinates, Site, SiteId, SiteKind, Span};
use lightpath_domain::price_book::{Charge, PriceBook, PriceLine, PriceUnit, TermAdjustment, TerminationShare};
use lightpath_domain::Money;
use serde::Deserialize;
use sqlx::Row;
use std::collections::{BTreeMap, HashSet};

const CATALOG_FILE: &str = "seed/catalog.toml";
const NETWORK_FILE: &str = "seed/network.toml";
const CATALOG_TOML: &str = include_str!("../seed/catalog.toml");
const NETWORK_TOML: &str = include_str!("../seed/network.toml");

/// What a start-up seeding did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SeedReport {
    pub loaded: Vec<String>,
}

/// The seed catalog: products and the price book that prices them.
#[derive(Debug, Clone)]
pub struct CatalogSeed {
    pub version: i64,
    pub products: Vec<Product>,
    pub price_book: PriceBook,
}

/// The seed network.
#[derive(Debug, Clone)]
pub struct NetworkSeed {
    pub version: i64,
    pub sites: Vec<Site>,
    pub spans: Vec<Span>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    version: i64,
    price_book: RawPriceBookHeader,
    products: Vec<RawProduct>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPriceBookHeader {
    version: u32,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProduct {
    id: String,
    name: String,
    tagline: String,
    description: String,
    billing: String,
    stages: Vec<LifecycleStage>,
    terms: Vec<u8>,
    options: Vec<RawOption>,
    ends: Ends,
    provisioning: Provisioning,
    #[serde(default)]
    ladder: BTreeMap<String, i32>,
    /// Basis points of the remaining committed monthly charges an early termination costs
    /// (absent: all of them).
    #[serde(default)]
    early_termination: Option<u32>,
    prices: Vec<RawPrice>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    code: String,
    label: String,
    bandwidth: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrice {
    option: String,
    label: String,
    charge: Charge,
    unit: PriceUnit,
    price: String,
    #[serde(default)]
    terms: Vec<u8>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNetwork {
    version: i64,
    sites: Vec<RawSite>,
    spans: Vec<RawSpan>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    id: String,
    kind: String,
    name: String,
    metro: String,
    lat: f64,
    lon: f64,
    operator: Option<String>,
    #[serde(default)]
    access_km: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpan {
    id: String,
    a: String,
    z: String,
    route_km: u32,
    wavelengths: u32,
    wavelength_gbps: u32,
    fiber_pairs: u32,
}

fn catalog_error(problem: impl ToString) -> StoreError {
    StoreError::Seed { file: CATALOG_FILE, problem: problem.to_string() }
}

fn network_error(problem: impl ToString) -> StoreError {
    StoreError::Seed { file: NETWORK_FILE, problem: problem.to_string() }
}

fn parse_terms(months: &[u8]) -> Result<Vec<Term>, StoreError> {
    months.iter().map(|m| Term::from_months(*m).map_err(catalog_error)).collect()
}

/// Parses and cross-checks the embedded catalog seed.
pub fn catalog() -> Result<CatalogSeed, StoreError> {
    parse_catalog(CATALOG_TOML)
}

fn parse_catalog(text: &str) -> Result<CatalogSeed, StoreError> {
    let raw: RawCatalog = toml::from_str(text).map_err(catalog_error)?;
    let mut products = Vec::new();
    let mut lines = Vec::new();
    let mut adjustments = Vec::new();
    let mut terminations = Vec::new();
    for raw_product in raw.products {
        let id = ProductId::parse(&raw_product.id).map_err(catalog_error)?;
        if let Some(basis_points) = raw_product.early_termination {
            terminations.push(TerminationShare { product: id.clone(), basis_points });
        }
        let options = raw_product
            .options
            .into_iter()
            .map(|o| {
                let bandwidth = o.bandwidth.as_deref().map(Bandwidth::parse).transpose().map_err(catalog_error)?;
                Ok(ProductOption { code: o.code, label: o.label, bandwidth })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        for (months, basis_points) in raw_product.ladder {
            let months: u8 =
                months.parse().map_err(|_| catalog_error(format!("ladder term “{months}” is not a number")))?;
            let term = Term::from_months(months).map_err(catalog_error)?;
            adjustments.push(TermAdjustment { product: id.clone(), term, basis_points });
        }
        for price in raw_product.prices {
            lines.push(PriceLine {
                product: id.clone(),
                option: price.option,
                label: price.label,
                charge: price.charge,
                unit: price.unit,
                amount: Money::parse_dollars(&price.price).map_err(catalog_error)?,
                terms: parse_terms(&price.terms)?,
            });
        }
        let product = Product {
            id,
            name: raw_product.name,
            tagline: raw_product.tagline,
            description: raw_product.description,
            billing: raw_product.billing,
            stages: raw_product.stages,
            terms: parse_terms(&raw_product.terms)?,
            options,
            ends: raw_product.ends,
            provisioning: raw_product.provisioning,
        };
        products.push(product.validated().map_err(catalog_error)?);
    }
    let mut ids = HashSet::new();
    if let Some(duplicate) = products.iter().find(|p| !ids.insert(p.id.clone())) {
        return Err(catalog_error(format!("product {} is listed twice", duplicate.id)));
    }
    let price_book =
        PriceBook { version: raw.price_book.version, name: raw.price_book.name, lines, adjustments, terminations };
    let problems = price_book.problems(&products);
    if !problems.is_empty() {
        return Err(catalog_error(problems.join(" ")));
    }
    Ok(CatalogSeed { version: raw.version, products, price_book })
}

/// Parses and cross-checks the embedded network seed.
pub fn network() -> Result<NetworkSeed, StoreError> {
    parse_network(NETWORK_TOML)
}

fn parse_network(text: &str) -> Result<NetworkSeed, StoreError> {
    let raw: RawNetwork = toml::from_str(text).map_err(network_error)?;
    let sites = raw
        .sites
        .into_iter()
        .map(|s| {
            Ok(Site {
                id: SiteId::parse(&s.id).map_err(network_error)?,
                kind: SiteKind::parse(&s.kind).map_err(network_error)?,
                name: s.name,
                metro: SiteId::parse(&s.metro).map_err(network_error)?,
                location: Coordinates::new(s.lat, s.lon).map_err(network_error)?,
                operator: s.operator,
                access_km: s.access_km,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let metros: HashSet<&SiteId> = sites.iter().filter(|s| s.kind == SiteKind::Metro).map(|s| &s.id).collect();
    let mut site_ids = HashSet::new();
    for site in &sites {
        if !site_ids.insert(&site.id) {
            return Err(network_error(format!("site {} is listed twice", site.id)));
        }
        if !metros.contains(&site.metro) {
            return Err(network_error(format!("site {} names the unknown metro {}", site.id, site.metro)));
        }
    }
    let spans = raw
        .spans
        .into_iter()
        .map(|s| {
            let span = Span {
                id: SiteId::parse(&s.id).map_err(network_error)?,
                a: SiteId::parse(&s.a).map_err(network_error)?,
                z: SiteId::parse(&s.z).map_err(network_error)?,
                route_km: s.route_km,
                wavelengths: s.wavelengths,
                wavelength_gbps: s.wavelength_gbps,
                fiber_pairs: s.fiber_pairs,
            };
            if !metros.contains(&span.a) || !metros.contains(&span.z) || span.a == span.z {
                return Err(network_error(format!("span {} must join two different metros", span.id)));
            }
            if span.route_km == 0 || span.wavelengths == 0 || span.wavelength_gbps == 0 || span.fiber_pairs == 0 {
                return Err(network_error(format!("span {} needs a distance and capacity above zero", span.id)));
            }
            Ok(span)
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(NetworkSeed { version: raw.version, sites, spans })
}

/// Loads every seed whose version is newer than what the database holds.
pub(crate) async fn apply(store: &Store) -> Result<SeedReport, StoreError> {
    let mut report = SeedReport::default();
    let catalog = catalog()?;
    if let Some(mut tx) = claim(store, "catalog", catalog.version).await? {
        load_catalog(&mut tx, &catalog).await?;
        tx.commit().await?;
        report.loaded.push(format!("catalog v{}", catalog.version));
    }
    let network = network()?;
    if let Some(mut tx) = claim(store, "network", network.version).await? {
        load_network(&mut tx, &network).await?;
        tx.commit().await?;
        report.loaded.push(format!("network v{}", network.version));
    }
    Ok(report)
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Claims seed `name` at `version`: returns the open transaction that holds the claim, or
/// None when the database already holds this version. On PostgreSQL a second server that
/// starts at the same moment waits on the row lock, then sees the new version and skips.
pub(crate) async fn claim(store: &Store, name: &str, version: i64) -> Result<Option<Tx>, StoreError> {
    sqlx::query(
        "INSERT INTO seed_runs (name, version, applied_at_ms) VALUES ($1, 0, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(now_ms())
    .execute(store.pool())
    .await?;
    let mut tx = store.begin_write().await?;
    let claimed = sqlx::query("UPDATE seed_runs SET version = $1, applied_at_ms = $2 WHERE name = $3 AND version < $1")
        .bind(version)
        .bind(now_ms())
        .bind(name)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    if claimed {
        tracing::info!(seed = name, version, "loading seed data");
        Ok(Some(tx))
    } else {
        tx.rollback().await?;
        Ok(None)
    }
}

async fn load_catalog(tx: &mut Tx, seed: &CatalogSeed) -> Result<(), StoreError> {
    for (position, product) in seed.products.iter().enumerate() {
        crate::catalog_growth::insert_product(tx, product, position as i64).await?;
    }
    let book = &seed.price_book;
    let version = i64::from(book.version);
    let inserted = sqlx::query(
        "INSERT INTO price_books (version, name, status, created_at_ms, published_at_ms) VALUES ($1, $2, 'published', $3, $3)
         ON CONFLICT (version) DO NOTHING",
    )
    .bind(version)
    .bind(&book.name)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    // A book that exists already was published and its prices never change; a product the
    // seed added since (a later catalog version) gets its prices in it, changing no other.
    let mut priced = HashSet::new();
    if inserted == 0 {
        let rows = sqlx::query("SELECT DISTINCT product_id FROM price_lines WHERE price_book_version = $1")
            .bind(version)
            .fetch_all(&mut **tx)
            .await?;
        for row in rows {
            priced.insert(row.try_get::<String, _>("product_id")?);
        }
    }
    let new = |product: &ProductId| !priced.contains(product.as_str());
    let first_position: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(MAX(position), -1) + 1 AS BIGINT) FROM price_lines WHERE price_book_version = $1",
    )
    .bind(version)
    .fetch_one(&mut **tx)
    .await?;
    for (position, line) in book.lines.iter().filter(|line| new(&line.product)).enumerate() {
        crate::catalog_growth::insert_price_line(tx, version, first_position + position as i64, line).await?;
    }
    for share in book.terminations.iter().filter(|share| new(&share.product)) {
        sqlx::query(
            "INSERT INTO termination_shares (price_book_version, product_id, basis_points) VALUES ($1, $2, $3)",
        )
        .bind(version)
        .bind(share.product.as_str())
        .bind(i64::from(share.basis_points))
        .execute(&mut **tx)
        .await?;
    }
    for adjustment in book.adjustments.iter().filter(|adjustment| new(&adjustment.product)) {
        sqlx::query(
            "INSERT INTO term_adjustments (price_book_version, product_id, months, basis_points) VALUES ($1, $2, $3, $4)",
        )
        .bind(version)
        .bind(adjustment.product.as_str())
        .bind(i64::from(adjustment.term.months()))
        .bind(i64::from(adjustment.basis_points))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn load_network(tx: &mut Tx, seed: &NetworkSeed) -> Result<(), StoreError> {
    for site in &seed.sites {
        sqlx::query(
            "INSERT INTO sites (id, kind, name, metro_id, lat, lon, operator, access_km) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(site.id.as_str())
        .bind(site.kind.slug())
        .bind(&site.name)
        .bind(site.metro.as_str())
        .bind(site.location.lat())
        .bind(site.location.lon())
        .bind(site.operator.as_deref())
        .bind(i64::from(site.access_km))
        .execute(&mut **tx)
        .await?;
    }
    for span in &seed.spans {
        sqlx::query(
            "INSERT INTO spans (id, a_site, z_site, route_km, wavelengths, wavelength_gbps, fiber_pairs) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(span.id.as_str())
        .bind(span.a.as_str())
        .bind(span.z.as_str())
        .bind(i64::from(span.route_km))
        .bind(i64::from(span.wavelengths))
        .bind(i64::from(span.wavelength_gbps))
        .bind(i64::from(span.fiber_pairs))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lightpath_domain::pricing::{price_item, ItemSpec};

    #[test]
    fn the_seed_catalog_has_the_ten_products_all_priced() {
        let seed = catalog().expect("catalog seed parses");
        let ids: Vec<&str> = seed.products.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "internet-on-demand",
                "wavelengths-400g",
                "dark-fiber",
                "programmable-connectivity",
                "ip-vpn",
                "managed-sase",
                "ddos-mitigation",
                "colocation",
                "cloud-connection",
                "cloud-router"
            ]
        );
        for stage in LifecycleStage::ALL {
            assert!(seed.products.iter().any(|p| p.serves(stage)), "no product for {stage:?}");
        }
        assert!(seed.price_book.problems(&seed.products).is_empty());
    }

    /// An eleventh product is data: its options, terms, ends, lead time, provisioning steps and
    /// prices come from the catalog file, and the engine prices it with no code of its own.
    #[test]
    fn an_eleventh_product_is_a_data_change() {
        const GPU_FABRIC: &str = r#"
[[products]]
id = "gpu-fabric"
name = "GPU Fabric Extension"
tagline = "Stretch an InfiniBand-class fabric between two halls."
description = "Low-latency fabric ports between GPU halls in one campus."
billing = "Per port per month on a term, plus a one-time patch per port."
stages = ["training"]
terms = [12, 36]
ends = "one"
provisioning = { lead_days = 14, configure_minutes = 45, activate_minutes = 15, test_minutes = 120 }
options = [
  { code = "400G-port", label = "400 Gbps port", bandwidth = "400G" },
]
ladder = { "36" = -1000 }
prices = [
  { option = "400G-port", label = "Fabric port", charge = "monthly-recurring", unit = "service", price = "1200" },
  { option = "400G-port", label = "Port patch", charge = "one-time", unit = "service", price = "750" },
]
"#;
        let seed = parse_catalog(&format!("{CATALOG_TOML}\n{GPU_FABRIC}"))
            .expect("the catalog with an eleventh product parses");
        assert_eq!(seed.products.len(), 11);
        let id = ProductId::parse("gpu-fabric").unwrap();
        let product = seed.products.iter().find(|p| p.id == id).expect("the eleventh product is listed");
        assert_eq!(product.provisioning.lead_days, 14);
        assert_eq!(
            (
                product.provisioning.configure_minutes,
                product.provisioning.activate_minutes,
                product.provisioning.test_minutes
            ),
            (45, 15, 120)
        );
        assert!(product.serves(LifecycleStage::Training));

        let spec =
            |term| ItemSpec { product: id.clone(), option: "400G-port".to_owned(), term, quantities: vec![], count: 2 };
        let at_12 = price_item(&seed.products, &seed.price_book, &spec(Term::Months12)).expect("priced at 12 months");
        assert_eq!(at_12.totals.monthly, Money::from_dollars(2_400), "two ports at $1,200");
        assert_eq!(at_12.totals.one_time, Money::from_dollars(1_500), "two patches at $750");
        let at_36 = price_item(&seed.products, &seed.price_book, &spec(Term::Months36)).expect("priced at 36 months");
        assert_eq!(at_36.totals.monthly, Money::from_dollars(2_160), "the ladder takes 10 % off at 36 months");
        assert!(
            price_item(&seed.products, &seed.price_book, &spec(Term::Months60)).is_err(),
            "a term the product does not sell is refused"
        );
    }

    #[test]
    fn seed_prices_match_the_reference_price_book() {
        let seed = catalog().unwrap();
        let iod = ProductId::parse("internet-on-demand").unwrap();
        let at = |option: &str, term: Term| -> Vec<Money> {
            seed.price_book.lines_for(&iod, option, term).iter().map(|l| l.amount).collect()
        };
        // 1G: $3.55/h on demand (+$500 access); $2,000 list −15 % at 12 months; access waived at 36.
        assert_eq!(at("1G", Term::OnDemand)[0], Money::from_cents(355));
        assert_eq!(at("1G", Term::Months12)[0], Money::from_dollars(1_700));
        assert_eq!(at("1G", Term::Months36).len(), 2, "36 months: access line + burst only");
        let pc = ProductId::parse("programmable-connectivity").unwrap();
        let metro_1g = seed.price_book.lines_for(&pc, "1G-metro", Term::OnDemand);
        assert_eq!(metro_1g[0].amount, Money::from_cents(25));
    }

    #[test]
    fn the_seed_network_is_the_design_network() {
        let seed = network().expect("network seed parses");
        let count = |kind| seed.sites.iter().filter(|s| s.kind == kind).count();
        assert_eq!(count(SiteKind::Metro), 16);
        assert!((60..=80).contains(&count(SiteKind::DataCenter)), "{} data centres", count(SiteKind::DataCenter));
        assert!(count(SiteKind::CloudOnRamp) >= 12);
        let providers: HashSet<_> =
            seed.sites.iter().filter(|s| s.kind == SiteKind::CloudOnRamp).filter_map(|s| s.operator.clone()).collect();
        assert!(providers.len() >= 4, "{providers:?}");
    }

    #[test]
    fn spans_are_1_2_to_1_3_times_great_circle_and_join_every_metro() {
        let seed = network().unwrap();
        let location = |id: &SiteId| seed.sites.iter().find(|s| &s.id == id).unwrap().location;
        for span in &seed.spans {
            let ratio = f64::from(span.route_km) / location(&span.a).great_circle_km(location(&span.z));
            assert!((1.19..=1.31).contains(&ratio), "{} route/great-circle = {ratio:.2}", span.id);
        }
        // Connected, and every metro has two spans (so diverse paths can exist).
        let metros: Vec<&SiteId> = seed.sites.iter().filter(|s| s.kind == SiteKind::Metro).map(|s| &s.id).collect();
        for metro in &metros {
            assert!(seed.spans.iter().filter(|s| s.joins(metro)).count() >= 2, "{metro} has fewer than two spans");
        }
        let mut reached = vec![metros[0].clone()];
        let mut frontier = reached.clone();
        while let Some(site) = frontier.pop() {
            for span in seed.spans.iter().filter(|s| s.joins(&site)) {
                let other = if span.a == site { &span.z } else { &span.a };
                if !reached.contains(other) {
                    reached.push(other.clone());
                    frontier.push(other.clone());
                }
            }
        }
        assert_eq!(reached.len(), metros.len());
    }

    #[test]
    fn a_broken_seed_says_what_is_wrong() {
        let broken = CATALOG_TOML.replacen("price = \"3.55\"", "price = \"-3.55\"", 1);
        let error = parse_catalog(&broken).unwrap_err().to_string();
        assert!(error.contains("seed/catalog.toml") && error.contains("-3.55"), "{error}");
        let broken = NETWORK_TOML.replacen("metro = \"bos\"", "metro = \"xyz\"", 1);
        assert!(parse_network(&broken).unwrap_err().to_string().contains("unknown metro xyz"));
    }
}
