//! The product catalog: products, their orderable options, AI lifecycle stages and terms.
//!
//! Every identifier and quantity is a newtype with a parsing constructor, so a `Product` that
//! exists is a valid product: handlers and pages never re-check slugs, rates or terms.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A URL-safe product identifier such as `internet-on-demand`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductId(String);

impl ProductId {
    pub fn parse(text: &str) -> Result<Self, CatalogError> {
        let ok_len = (2..=48).contains(&text.len());
        let ok_chars = text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let ok_edges = !text.starts_with('-') && !text.ends_with('-') && !text.contains("--");
        if ok_len && ok_chars && ok_edges {
            Ok(ProductId(text.to_owned()))
        } else {
            Err(CatalogError::BadProductId(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ProductId {
    type Error = CatalogError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        ProductId::parse(&value)
    }
}

impl From<ProductId> for String {
    fn from(id: ProductId) -> String {
        id.0
    }
}

impl fmt::Display for ProductId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The stages of an AI workload the carrier maps products to (a product's `stages`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LifecycleStage {
    DataIngestion,
    Training,
    Inference,
    MultiCloud,
}

impl LifecycleStage {
    pub const ALL: [LifecycleStage; 4] = [
        LifecycleStage::DataIngestion,
        LifecycleStage::Training,
        LifecycleStage::Inference,
        LifecycleStage::MultiCloud,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            LifecycleStage::DataIngestion => "data-ingestion",
            LifecycleStage::Training => "training",
            LifecycleStage::Inference => "inference",
            LifecycleStage::MultiCloud => "multi-cloud",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LifecycleStage::DataIngestion => "Data ingestion",
            LifecycleStage::Training => "Training",
            LifecycleStage::Inference => "Inference & serving",
            LifecycleStage::MultiCloud => "Multi-cloud access",
        }
    }

    /// One line on what the stage needs from the network, shown beside the filter.
    pub fn need(self) -> &'static str {
        match self {
            LifecycleStage::DataIngestion => {
                "Move data from the internet and edge sites into your data centres and clouds."
            }
            LifecycleStage::Training => "Huge, steady flows between clusters and the data they learn from.",
            LifecycleStage::Inference => "Low latency from edge sites and users to the models that serve them.",
            LifecycleStage::MultiCloud => "Private, elastic links between clouds, data centres and sites.",
        }
    }
}

impl FromStr for LifecycleStage {
    type Err = CatalogError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LifecycleStage::ALL
            .into_iter()
            .find(|stage| stage.slug() == s)
            .ok_or_else(|| CatalogError::UnknownStage(s.to_owned()))
    }
}

/// A commitment term: on demand (billed by the hour) or a number of months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Term {
    OnDemand,
    Months12,
    Months24,
    Months36,
    Months60,
}

impl Term {
    pub const ALL: [Term; 5] = [Term::OnDemand, Term::Months12, Term::Months24, Term::Months36, Term::Months60];

    /// Months of commitment; 0 for on demand.
    pub fn months(self) -> u8 {
        match self {
            Term::OnDemand => 0,
            Term::Months12 => 12,
            Term::Months24 => 24,
            Term::Months36 => 36,
            Term::Months60 => 60,
        }
    }

    pub fn from_months(months: u8) -> Result<Term, CatalogError> {
        Term::ALL.into_iter().find(|term| term.months() == months).ok_or(CatalogError::BadTerm(months))
    }

    pub fn label(self) -> String {
        match self {
            Term::OnDemand => "On demand (hourly)".to_owned(),
            other => format!("{} months", other.months()),
        }
    }

    /// The label inside a sentence: `on demand`, `36 months`.
    pub fn phrase(self) -> String {
        match self {
            Term::OnDemand => "on demand".to_owned(),
            other => format!("{} months", other.months()),
        }
    }
}

impl TryFrom<u8> for Term {
    type Error = CatalogError;
    fn try_from(months: u8) -> Result<Self, Self::Error> {
        Term::from_months(months)
    }
}

impl From<Term> for u8 {
    fn from(term: Term) -> u8 {
        term.months()
    }
}

/// A data rate in whole Mbps, at least 1 Mbps and at most 1.6 Tbps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u64", into = "u64")]
pub struct Bandwidth(u64);

impl Bandwidth {
    const MAX_MBPS: u64 = 1_600_000;

    pub fn from_mbps(mbps: u64) -> Result<Bandwidth, CatalogError> {
        if (1..=Self::MAX_MBPS).contains(&mbps) {
            Ok(Bandwidth(mbps))
        } else {
            Err(CatalogError::BadBandwidth(format!("{mbps} Mbps")))
        }
    }

    pub fn mbps(self) -> u64 {
        self.0
    }

    /// Parses the short forms used by the catalog: `50M`, `100M`, `1G`, `400G`.
    pub fn parse(text: &str) -> Result<Bandwidth, CatalogError> {
        let bad = || CatalogError::BadBandwidth(text.to_owned());
        let trimmed = text.trim();
        let (digits, scale) = match trimmed.char_indices().last() {
            Some((i, 'M')) => (&trimmed[..i], 1),
            Some((i, 'G')) => (&trimmed[..i], 1_000),
            Some((i, 'T')) => (&trimmed[..i], 1_000_000),
            _ => return Err(bad()),
        };
        let value: u64 = digits.parse().map_err(|_| bad())?;
        Bandwidth::from_mbps(value.checked_mul(scale).ok_or_else(bad)?).map_err(|_| bad())
    }

    /// The short code: `100M`, `10G`.
    pub fn code(self) -> String {
        if self.0.is_multiple_of(1_000_000) {
            format!("{}T", self.0 / 1_000_000)
        } else if self.0.is_multiple_of(1_000) {
            format!("{}G", self.0 / 1_000)
        } else {
            format!("{}M", self.0)
        }
    }
}

impl TryFrom<u64> for Bandwidth {
    type Error = CatalogError;
    fn try_from(mbps: u64) -> Result<Self, Self::Error> {
        Bandwidth::from_mbps(mbps)
    }
}

impl From<Bandwidth> for u64 {
    fn from(bandwidth: Bandwidth) -> u64 {
        bandwidth.0
    }
}

/// `100 Mbps`, `1 Gbps`, `400 Gbps`.
impl fmt::Display for Bandwidth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.code();
        let (number, unit) = code.split_at(code.len() - 1);
        write!(f, "{number} {unit}bps")
    }
}

/// One orderable variant of a product: a rate, a tier, a distance band or a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductOption {
    /// Unique within its product; price lines refer to it (`1G`, `10G-regional`, `cabinet`).
    pub code: String,
    pub label: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u64>))]
    pub bandwidth: Option<Bandwidth>,
}

/// The sites a product is delivered at: what the configurator asks a buyer for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Ends {
    /// Delivered from the carrier's platform; sites and users are counted as quantities
    /// (secure access, IP VPN).
    #[default]
    None,
    /// At one site (internet access, DDoS protection, colocation).
    One,
    /// Between two sites, routed over the network (waves, dark fiber, Ethernet).
    Two,
}

impl Ends {
    pub const ALL: [Ends; 3] = [Ends::None, Ends::One, Ends::Two];

    pub fn slug(self) -> &'static str {
        match self {
            Ends::None => "none",
            Ends::One => "one",
            Ends::Two => "two",
        }
    }

    pub fn parse(text: &str) -> Option<Ends> {
        Ends::ALL.into_iter().find(|ends| ends.slug() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Ends::None => "No site: delivered from our platform",
            Ends::One => "One site",
            Ends::Two => "Two sites, routed between them",
        }
    }

    pub fn count(self) -> usize {
        match self {
            Ends::None => 0,
            Ends::One => 1,
            Ends::Two => 2,
        }
    }
}

/// How long a product takes to deliver: the lead time quoted to buyers, and the minutes each
/// provisioning step takes on the network (the simulated network waits this long, scaled by
/// its speed setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provisioning {
    pub lead_days: u32,
    /// Configuring the device at each end.
    pub configure_minutes: u32,
    pub activate_minutes: u32,
    pub test_minutes: u32,
}

impl Provisioning {
    /// At most a year of lead time and a week per step: more is a typing slip.
    pub const MAX_LEAD_DAYS: u32 = 365;
    pub const MAX_STEP_MINUTES: u32 = 7 * 24 * 60;

    /// Parses the four numbers an admin types, each with its own problem.
    pub fn parse(
        lead_days: &str,
        configure: &str,
        activate: &str,
        test: &str,
    ) -> Result<Provisioning, Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        let mut number = |field: &'static str, text: &str, what: &str, max: u32| -> u32 {
            match text.trim().parse::<u32>() {
                Ok(value) if value <= max => value,
                Ok(_) => {
                    problems.push((field, format!("{what} is at most {max}.")));
                    0
                }
                Err(_) => {
                    problems.push((field, format!("Enter {what} as a whole number, like 30.")));
                    0
                }
            }
        };
        let provisioning = Provisioning {
            lead_days: number("lead_days", lead_days, "the lead time in days", Self::MAX_LEAD_DAYS),
            configure_minutes: number(
                "configure_minutes",
                configure,
                "the minutes to configure a device",
                Self::MAX_STEP_MINUTES,
            ),
            activate_minutes: number("activate_minutes", activate, "the minutes to activate", Self::MAX_STEP_MINUTES),
            test_minutes: number("test_minutes", test, "the minutes to test", Self::MAX_STEP_MINUTES),
        };
        if problems.is_empty() {
            Ok(provisioning)
        } else {
            Err(problems)
        }
    }
}

impl Default for Provisioning {
    fn default() -> Self {
        Provisioning { lead_days: 30, configure_minutes: 40, activate_minutes: 20, test_minutes: 60 }
    }
}

/// A product of the catalog with everything a buyer needs to understand it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    pub id: ProductId,
    pub name: String,
    pub tagline: String,
    pub description: String,
    /// How it is billed, in one sentence.
    pub billing: String,
    pub stages: Vec<LifecycleStage>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<u8>))]
    pub terms: Vec<Term>,
    pub options: Vec<ProductOption>,
    pub ends: Ends,
    pub provisioning: Provisioning,
}

impl Product {
    /// Checks what serde cannot: a name, at least one option and term, unique option codes.
    pub fn validated(self) -> Result<Product, CatalogError> {
        let id = self.id.to_string();
        if self.name.trim().is_empty() {
            return Err(CatalogError::Invalid { product: id, problem: "it has no name".into() });
        }
        if self.options.is_empty() {
            return Err(CatalogError::Invalid { product: id, problem: "it has no options".into() });
        }
        if self.terms.is_empty() {
            return Err(CatalogError::Invalid { product: id, problem: "it offers no term".into() });
        }
        if self.stages.is_empty() {
            return Err(CatalogError::Invalid { product: id, problem: "it serves no lifecycle stage".into() });
        }
        let mut codes: Vec<&str> = self.options.iter().map(|o| o.code.as_str()).collect();
        codes.sort_unstable();
        if let Some(pair) = codes.windows(2).find(|pair| pair[0] == pair[1]) {
            let problem = format!("option code “{}” is used twice", pair[0]);
            return Err(CatalogError::Invalid { product: id, problem });
        }
        Ok(self)
    }

    pub fn serves(&self, stage: LifecycleStage) -> bool {
        self.stages.contains(&stage)
    }

    pub fn option(&self, code: &str) -> Option<&ProductOption> {
        self.options.iter().find(|option| option.code == code)
    }
}

/// A text an admin types for the catalog: trimmed, 1 to `max` characters, no control
/// characters.
fn catalog_text(field: &'static str, what: &str, raw: &str, max: usize) -> Result<String, (String, String)> {
    let text = raw.trim();
    if text.is_empty() {
        return Err((field.to_owned(), format!("Enter {what}.")));
    }
    if text.chars().count() > max {
        return Err((field.to_owned(), format!("Shorten {what} to {max} characters or fewer.")));
    }
    if text.chars().any(char::is_control) {
        return Err((field.to_owned(), format!("Remove the control characters from {what}.")));
    }
    Ok(text.to_owned())
}

/// Parses an option an admin adds: a code of 1–32 letters, digits and dashes (price lines
/// name it), a label buyers read, and the bandwidth it carries (empty for a rack, an edition).
pub fn parse_option(code: &str, label: &str, bandwidth: &str) -> Result<ProductOption, Vec<(String, String)>> {
    let code = code.trim();
    let code_ok = (1..=32).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let mut problems = Vec::new();
    if !code_ok {
        problems.push((
            "option_code".to_owned(),
            "Write a code of 1 to 32 letters, digits and dashes, like 800G.".to_owned(),
        ));
    }
    let label =
        catalog_text("option_label", "the option's name", label, 80).map_err(|problem| problems.push(problem)).ok();
    let bandwidth = match bandwidth.trim() {
        "" => None,
        text => Bandwidth::parse(text)
            .map_err(|error| problems.push(("option_bandwidth".to_owned(), error.to_string())))
            .ok(),
    };
    match label {
        Some(label) if problems.is_empty() => Ok(ProductOption { code: code.to_owned(), label, bandwidth }),
        _ => Err(problems),
    }
}

/// What an admin types to add a product, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductForm {
    pub id: String,
    pub name: String,
    pub tagline: String,
    pub description: String,
    pub billing: String,
    /// Stage slugs; absent when none is ticked.
    #[serde(default)]
    pub stages: Vec<String>,
    /// Months (0 for on demand).
    #[serde(default)]
    pub terms: Vec<String>,
    pub ends: String,
    pub lead_days: String,
    pub configure_minutes: String,
    pub activate_minutes: String,
    pub test_minutes: String,
    pub option_code: String,
    pub option_label: String,
    pub option_bandwidth: String,
}

impl ProductForm {
    /// The product it describes, or every problem beside its field.
    pub fn parse(&self) -> Result<Product, Vec<(String, String)>> {
        let mut problems = Vec::new();
        let mut text = |field: &'static str, what: &str, raw: &str, max: usize| {
            catalog_text(field, what, raw, max).map_err(|problem| problems.push(problem)).ok()
        };
        let name = text("name", "the product name", &self.name, 80);
        let tagline = text("tagline", "a tagline", &self.tagline, 160);
        let description = text("description", "a description", &self.description, 2_000);
        let billing = text("billing", "how it is billed", &self.billing, 300);
        let id =
            ProductId::parse(self.id.trim()).map_err(|error| problems.push(("id".to_owned(), error.to_string()))).ok();
        let mut stages: Vec<LifecycleStage> = self.stages.iter().filter_map(|slug| slug.parse().ok()).collect();
        stages.sort();
        stages.dedup();
        if stages.is_empty() {
            problems.push(("stages".to_owned(), "Tick at least one lifecycle stage the product serves.".to_owned()));
        }
        let mut terms: Vec<Term> = self
            .terms
            .iter()
            .filter_map(|months| months.parse::<u8>().ok())
            .filter_map(|m| Term::from_months(m).ok())
            .collect();
        terms.sort();
        terms.dedup();
        if terms.is_empty() {
            problems.push(("terms".to_owned(), "Tick at least one term it is sold on.".to_owned()));
        }
        let ends = Ends::parse(&self.ends);
        if ends.is_none() {
            problems.push(("ends".to_owned(), "Choose the sites the product is delivered at.".to_owned()));
        }
        let provisioning =
            Provisioning::parse(&self.lead_days, &self.configure_minutes, &self.activate_minutes, &self.test_minutes)
                .map_err(|found| problems.extend(found.into_iter().map(|(field, message)| (field.to_owned(), message))))
                .ok();
        let option = parse_option(&self.option_code, &self.option_label, &self.option_bandwidth)
            .map_err(|found| problems.extend(found))
            .ok();
        match (id, name, tagline, description, billing, ends, provisioning, option) {
            (
                Some(id),
                Some(name),
                Some(tagline),
                Some(description),
                Some(billing),
                Some(ends),
                Some(provisioning),
                Some(option),
            ) if problems.is_empty() => Ok(Product {
                id,
                name,
                tagline,
                description,
                billing,
                stages,
                terms,
                options: vec![option],
                ends,
                provisioning,
            }),
            _ => Err(problems),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum CatalogError {
    #[error("“{0}” is not a product id: use 2–48 lowercase letters, digits and single dashes")]
    BadProductId(String),
    #[error("“{0}” is not an AI lifecycle stage: choose data-ingestion, training, inference or multi-cloud")]
    UnknownStage(String),
    #[error("{0} months is not a term we offer: choose on demand (0), 12, 24, 36 or 60 months")]
    BadTerm(u8),
    #[error("“{0}” is not a bandwidth: write a whole number of M, G or T, from 1M to 1600G")]
    BadBandwidth(String),
    #[error("product {product} is invalid: {problem}")]
    Invalid { product: String, problem: String },
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn product_ids_are_slugs() {
        assert!(ProductId::parse("internet-on-demand").is_ok());
        assert!(ProductId::parse("400g-wavelengths").is_ok());
        for bad in ["", "a", "Dark Fiber", "-x", "x-", "a--b", "ü-x", &"x".repeat(49)] {
            assert!(ProductId::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn bandwidth_parses_short_forms() {
        assert_eq!(Bandwidth::parse("100M").unwrap().mbps(), 100);
        assert_eq!(Bandwidth::parse("1G").unwrap().mbps(), 1_000);
        assert_eq!(Bandwidth::parse("400G").unwrap().to_string(), "400 Gbps");
        assert_eq!(Bandwidth::parse("1G").unwrap().to_string(), "1 Gbps");
        assert_eq!(Bandwidth::parse("1500M").unwrap().to_string(), "1500 Mbps");
        for bad in ["", "G", "0M", "1.5G", "-1G", "10X", "2T", "99999999999999999999G"] {
            assert!(Bandwidth::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn terms_round_trip_through_months() {
        for term in Term::ALL {
            assert_eq!(Term::from_months(term.months()), Ok(term));
        }
        assert_eq!(Term::from_months(6), Err(CatalogError::BadTerm(6)));
        assert_eq!(Term::OnDemand.label(), "On demand (hourly)");
    }

    #[test]
    fn stages_round_trip_through_slugs() {
        for stage in LifecycleStage::ALL {
            assert_eq!(stage.slug().parse::<LifecycleStage>(), Ok(stage));
        }
        assert!("cooking".parse::<LifecycleStage>().is_err());
    }

    #[test]
    fn duplicate_option_codes_are_refused() {
        let option = ProductOption { code: "1G".into(), label: "1 Gbps".into(), bandwidth: None };
        let product = Product {
            id: ProductId::parse("test-product").unwrap(),
            name: "Test".into(),
            tagline: String::new(),
            description: String::new(),
            billing: String::new(),
            stages: vec![LifecycleStage::Training],
            terms: vec![Term::Months12],
            options: vec![option.clone(), option],
            ends: Ends::None,
            provisioning: Provisioning::default(),
        };
        assert!(matches!(product.validated(), Err(CatalogError::Invalid { .. })));
    }

    proptest! {
        #[test]
        fn bandwidth_code_round_trips(mbps in 1u64..=1_600_000) {
            let bandwidth = Bandwidth::from_mbps(mbps).unwrap();
            prop_assert_eq!(Bandwidth::parse(&bandwidth.code()), Ok(bandwidth));
        }
    }
}
