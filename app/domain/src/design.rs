//! A workload design: what the buyer tells the wizard, kept exactly as typed ([`DesignDraft`],
//! so nothing is lost on bad input and a draft can be saved half-done), and the same facts
//! parsed into types the recommendation can trust ([`Design`]).
//!
//! [`DesignDraft::parse`] reports every problem at once, each tied to the field to fix.

use crate::catalog::{Bandwidth, LifecycleStage, Term};
use crate::network::{Site, SiteId, SiteKind};
use serde::{Deserialize, Serialize};

/// The most edge sites one design may list.
pub const MAX_EDGE_SITES: usize = 50;

/// The most cloud regions, and of the buyer's sites, one multi-cloud stage may join: every
/// region is joined to every site, so the two lists multiply into connections to route and
/// price.
pub const MAX_CLOUD_ENDS: usize = 8;

/// How much protection against a fiber cut or a site outage the buyer wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Redundancy {
    #[default]
    None,
    /// A second path sharing no fiber span with the first.
    DiversePath,
    /// A second path to a second site in the same metro.
    DiverseSite,
}

impl Redundancy {
    pub const ALL: [Redundancy; 3] = [Redundancy::None, Redundancy::DiversePath, Redundancy::DiverseSite];

    pub fn slug(self) -> &'static str {
        match self {
            Redundancy::None => "none",
            Redundancy::DiversePath => "diverse-path",
            Redundancy::DiverseSite => "diverse-site",
        }
    }

    pub fn parse(text: &str) -> Option<Redundancy> {
        Redundancy::ALL.into_iter().find(|redundancy| redundancy.slug() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Redundancy::None => "Single path",
            Redundancy::DiversePath => "Diverse path",
            Redundancy::DiverseSite => "Diverse path and site",
        }
    }
}

/// What the buyer meant when they saved: keep a draft, keep a finished design, or ask for
/// a quote or an order (those flows pick the design up from here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DesignIntent {
    Draft,
    Saved,
    QuoteRequested,
    OrderRequested,
}

impl DesignIntent {
    pub const ALL: [DesignIntent; 4] =
        [DesignIntent::Draft, DesignIntent::Saved, DesignIntent::QuoteRequested, DesignIntent::OrderRequested];

    pub fn slug(self) -> &'static str {
        match self {
            DesignIntent::Draft => "draft",
            DesignIntent::Saved => "saved",
            DesignIntent::QuoteRequested => "quote-requested",
            DesignIntent::OrderRequested => "order-requested",
        }
    }

    pub fn parse(text: &str) -> Option<DesignIntent> {
        DesignIntent::ALL.into_iter().find(|intent| intent.slug() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            DesignIntent::Draft => "Draft",
            DesignIntent::Saved => "Saved",
            DesignIntent::QuoteRequested => "Quote requested",
            DesignIntent::OrderRequested => "Order requested",
        }
    }
}

/// Where ingested data comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum IngestSource {
    #[default]
    Internet,
    EdgeSites,
}

/// A customer site as typed: a name, its metro and how far it is from our hub there.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EdgeSiteDraft {
    pub name: String,
    pub metro: String,
    pub distance_km: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestionDraft {
    pub source: IngestSource,
    pub landing: String,
    pub tb_per_day: String,
    /// The hours of the day in which the data arrives (24 = evenly spread).
    pub peak_hours: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingDraft {
    pub cluster: String,
    pub data_site: String,
    pub dataset_tb: String,
    /// How many hours the dataset may take to reach the cluster.
    pub hours: String,
    /// An optional second cluster to interconnect with the first.
    pub second_cluster: String,
    /// Power the cluster draws in our colocation, kW; empty or 0 when hosted elsewhere.
    pub power_kw: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InferenceDraft {
    pub serving: String,
    pub latency_ms: String,
    pub mbps_per_site: String,
    pub users: String,
    pub public_facing: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MultiCloudDraft {
    pub on_ramps: Vec<String>,
    pub sites: Vec<String>,
    pub bandwidth: String,
}

/// Everything the wizard collects, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DesignDraft {
    pub name: String,
    pub stages: Vec<LifecycleStage>,
    pub redundancy: Redundancy,
    pub term_months: String,
    pub edge_sites: Vec<EdgeSiteDraft>,
    pub ingestion: IngestionDraft,
    pub training: TrainingDraft,
    pub inference: InferenceDraft,
    pub multi_cloud: MultiCloudDraft,
    /// Products the buyer configured directly and kept in the design, next to what the
    /// workload's stages recommend. Left out of the JSON when empty, so drafts read as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chosen_items: Vec<crate::configure::Configuration>,
}

/// Catalog items one design may keep besides its recommendation.
pub const MAX_CHOSEN_ITEMS: usize = 20;

impl Default for DesignDraft {
    fn default() -> Self {
        DesignDraft {
            name: String::new(),
            stages: Vec::new(),
            redundancy: Redundancy::None,
            term_months: "12".into(),
            edge_sites: Vec::new(),
            ingestion: IngestionDraft { peak_hours: "24".into(), ..IngestionDraft::default() },
            training: TrainingDraft::default(),
            inference: InferenceDraft { users: "25".into(), ..InferenceDraft::default() },
            multi_cloud: MultiCloudDraft { bandwidth: "1G".into(), ..MultiCloudDraft::default() },
            chosen_items: Vec::new(),
        }
    }
}

/// A problem with one field of the wizard: `field` names it as the form does
/// (`training.dataset_tb`, `edge_sites.2.metro`), `message` says what to change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesignProblem {
    pub field: String,
    pub message: String,
}

/// A customer edge site, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdgeSite {
    /// `edge-1`, `edge-2`…: the id it has on the network while the design is routed.
    pub id: SiteId,
    pub name: String,
    pub metro: SiteId,
    pub distance_km: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ingestion {
    pub source: IngestSource,
    pub landing: SiteId,
    pub tb_per_day: u32,
    pub peak_hours: u32,
}

impl Ingestion {
    /// The average rate over the day, Mbps.
    pub fn sustained_mbps(&self) -> u64 {
        mbps_to_move(u64::from(self.tb_per_day), 24)
    }

    /// The rate while the data arrives, Mbps.
    pub fn peak_mbps(&self) -> u64 {
        mbps_to_move(u64::from(self.tb_per_day), u64::from(self.peak_hours))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Training {
    pub cluster: SiteId,
    pub data_site: SiteId,
    pub dataset_tb: u32,
    pub hours: u32,
    pub second_cluster: Option<SiteId>,
    pub power_kw: u32,
}

impl Training {
    /// The rate that moves the dataset in time, Mbps.
    pub fn required_mbps(&self) -> u64 {
        mbps_to_move(u64::from(self.dataset_tb), u64::from(self.hours))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inference {
    pub serving: SiteId,
    /// Round-trip latency target between each edge site and the serving site.
    pub latency_micros: u64,
    pub mbps_per_site: u64,
    pub users: u32,
    pub public_facing: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultiCloud {
    pub on_ramps: Vec<SiteId>,
    pub sites: Vec<SiteId>,
    pub bandwidth: Bandwidth,
}

/// A design the recommendation can work on: every site exists, every number is in range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Design {
    pub name: String,
    pub redundancy: Redundancy,
    pub term: Term,
    pub edge_sites: Vec<EdgeSite>,
    pub ingestion: Option<Ingestion>,
    pub training: Option<Training>,
    pub inference: Option<Inference>,
    pub multi_cloud: Option<MultiCloud>,
}

impl Design {
    pub fn stages(&self) -> Vec<LifecycleStage> {
        let mut stages = Vec::new();
        if self.ingestion.is_some() {
            stages.push(LifecycleStage::DataIngestion);
        }
        if self.training.is_some() {
            stages.push(LifecycleStage::Training);
        }
        if self.inference.is_some() {
            stages.push(LifecycleStage::Inference);
        }
        if self.multi_cloud.is_some() {
            stages.push(LifecycleStage::MultiCloud);
        }
        stages
    }
}

/// `tb` terabytes in `hours`, as Mbps rounded up: 1 TB = 8 000 000 Mb.
pub fn mbps_to_move(tb: u64, hours: u64) -> u64 {
    (tb * 8_000_000).div_ceil(hours.max(1) * 3_600)
}

/// Collects problems while a draft is parsed.
struct Problems<'a> {
    sites: &'a [Site],
    found: Vec<DesignProblem>,
}

impl Problems<'_> {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.found.push(DesignProblem { field: field.into(), message: message.into() });
    }

    /// A whole number within `range`, or a problem saying what to type.
    fn number(&mut self, field: &str, text: &str, what: &str, range: std::ops::RangeInclusive<u64>) -> Option<u64> {
        let text = text.trim().replace([',', '_', ' '], "");
        let (low, high) = (*range.start(), *range.end());
        let explain = format!("Enter {what} as a whole number from {low} to {high}.");
        if text.is_empty() {
            self.add(field, explain);
            return None;
        }
        match text.parse::<u64>() {
            Ok(value) if range.contains(&value) => Some(value),
            Ok(0) => {
                self.add(field, format!("{} must be more than zero. {explain}", capitalised(what)));
                None
            }
            Ok(_) => {
                self.add(field, explain);
                None
            }
            Err(_) if text.starts_with('-') => {
                self.add(field, format!("{} cannot be negative. {explain}", capitalised(what)));
                None
            }
            Err(_) => {
                self.add(field, explain);
                None
            }
        }
    }

    /// A site of the network (of one of `kinds` when given), chosen by id.
    fn site(&mut self, field: &str, id: &str, what: &str, kinds: &[SiteKind]) -> Option<SiteId> {
        let id = id.trim();
        if id.is_empty() {
            self.add(field, format!("Choose {what}."));
            return None;
        }
        match self.sites.iter().find(|site| site.id.as_str() == id) {
            Some(site) if kinds.is_empty() || kinds.contains(&site.kind) => Some(site.id.clone()),
            Some(site) => {
                let kinds: Vec<&str> = kinds.iter().map(|kind| kind.label()).collect();
                self.add(
                    field,
                    format!(
                        "{} is a {}; choose {what} ({}).",
                        site.name,
                        site.kind.label().to_lowercase(),
                        kinds.join(" or ").to_lowercase()
                    ),
                );
                None
            }
            None => {
                self.add(field, format!("There is no site “{id}” on our network. Choose {what} from the list."));
                None
            }
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn has_duplicates<T: PartialEq>(list: &[T]) -> bool {
    list.iter().enumerate().any(|(index, item)| list[..index].contains(item))
}

impl DesignDraft {
    /// Parses the draft against the network's sites. Only the chosen stages are read, so a
    /// half-filled stage the buyer then unticked never blocks the others.
    pub fn parse(&self, sites: &[Site]) -> Result<Design, Vec<DesignProblem>> {
        let mut problems = Problems { sites, found: Vec::new() };
        let name = self.name.trim().to_owned();
        if name.chars().count() > 120 {
            problems.add("name", "Keep the design name to 120 characters or fewer.");
        }
        if self.chosen_items.len() > MAX_CHOSEN_ITEMS {
            problems
                .add("stages", format!("A design keeps at most {MAX_CHOSEN_ITEMS} products chosen from the catalog."));
        }
        if self.stages.is_empty() && self.chosen_items.is_empty() {
            problems.add("stages", "Choose at least one stage of your AI workload.");
        } else if has_duplicates(&self.stages) {
            problems.add("stages", "Choose each stage once.");
        }
        let term = match self.term_months.trim().parse::<u8>().ok().and_then(|months| Term::from_months(months).ok()) {
            Some(term) => Some(term),
            None => {
                problems.add("term_months", "Choose a term: on demand, 12, 24, 36 or 60 months.");
                None
            }
        };
        let wants = |stage| self.stages.contains(&stage);
        let edge_sites = self.parse_edge_sites(&mut problems);
        let needs_edges = (wants(LifecycleStage::DataIngestion) && self.ingestion.source == IngestSource::EdgeSites)
            || wants(LifecycleStage::Inference);
        if needs_edges && self.edge_sites.is_empty() {
            problems.add("edge_sites", "Add at least one edge site (its metro and a name).");
        }
        let ingestion = wants(LifecycleStage::DataIngestion).then(|| self.parse_ingestion(&mut problems)).flatten();
        let training = wants(LifecycleStage::Training).then(|| self.parse_training(&mut problems)).flatten();
        let inference = wants(LifecycleStage::Inference).then(|| self.parse_inference(&mut problems)).flatten();
        let multi_cloud = wants(LifecycleStage::MultiCloud).then(|| self.parse_multi_cloud(&mut problems)).flatten();
        match (problems.found.is_empty(), term) {
            (true, Some(term)) => Ok(Design {
                name: if name.is_empty() { "Untitled design".to_owned() } else { name },
                redundancy: self.redundancy,
                term,
                edge_sites,
                ingestion,
                training,
                inference,
                multi_cloud,
            }),
            _ => Err(problems.found),
        }
    }

    fn parse_edge_sites(&self, problems: &mut Problems<'_>) -> Vec<EdgeSite> {
        if self.edge_sites.len() > MAX_EDGE_SITES {
            problems.add("edge_sites", format!("A design can list up to {MAX_EDGE_SITES} edge sites."));
        }
        let mut parsed = Vec::new();
        for (index, draft) in self.edge_sites.iter().enumerate().take(MAX_EDGE_SITES) {
            let field = |part: &str| format!("edge_sites.{index}.{part}");
            let name = draft.name.trim();
            if name.is_empty() || name.chars().count() > 80 {
                problems.add(field("name"), "Give the site a name of 1 to 80 characters, like “Store 12”.");
            } else if self.edge_sites[..index].iter().any(|other| other.name.trim().eq_ignore_ascii_case(name)) {
                problems.add(field("name"), format!("“{name}” is already in the list; give each site its own name."));
            }
            let metro = problems.site(&field("metro"), &draft.metro, "the metro the site is in", &[SiteKind::Metro]);
            let distance =
                problems.number(&field("distance_km"), &draft.distance_km, "the distance from our hub in km", 0..=500);
            if let (Some(metro), Some(distance)) = (metro, distance) {
                let id = SiteId::parse(&format!("edge-{}", index + 1)).expect("edge ids are valid site ids");
                parsed.push(EdgeSite { id, name: name.to_owned(), metro, distance_km: distance as u32 });
            }
        }
        parsed
    }

    fn parse_ingestion(&self, problems: &mut Problems<'_>) -> Option<Ingestion> {
        let draft = &self.ingestion;
        let landing = problems.site("ingestion.landing", &draft.landing, "where the data lands", &[]);
        let tb = problems.number("ingestion.tb_per_day", &draft.tb_per_day, "the volume per day in TB", 1..=100_000);
        let peak =
            problems.number("ingestion.peak_hours", &draft.peak_hours, "the hours a day the data arrives in", 1..=24);
        Some(Ingestion { source: draft.source, landing: landing?, tb_per_day: tb? as u32, peak_hours: peak? as u32 })
    }

    fn parse_training(&self, problems: &mut Problems<'_>) -> Option<Training> {
        let draft = &self.training;
        let dc = [SiteKind::DataCenter];
        let cluster = problems.site("training.cluster", &draft.cluster, "the data centre of the cluster", &dc);
        let data_site = problems.site("training.data_site", &draft.data_site, "where the data lives", &[]);
        let tb = problems.number("training.dataset_tb", &draft.dataset_tb, "the dataset size in TB", 1..=1_000_000);
        let hours = problems.number("training.hours", &draft.hours, "the hours the move may take", 1..=720);
        let second = match draft.second_cluster.trim() {
            "" => Some(None),
            id => problems.site("training.second_cluster", id, "the data centre of the second cluster", &dc).map(Some),
        };
        let power = match draft.power_kw.trim() {
            "" => Some(0),
            text => problems.number("training.power_kw", text, "the cluster's power in kW", 0..=50_000),
        };
        if let (Some(cluster), Some(data_site)) = (&cluster, &data_site) {
            if cluster == data_site {
                problems.add(
                    "training.data_site",
                    "The data already lives in the cluster's data centre: choose where it comes from.",
                );
                return None;
            }
        }
        if let (Some(cluster), Some(Some(second))) = (&cluster, &second) {
            if cluster == second {
                problems.add(
                    "training.second_cluster",
                    "The second cluster must be in another data centre, or leave it empty.",
                );
                return None;
            }
        }
        Some(Training {
            cluster: cluster?,
            data_site: data_site?,
            dataset_tb: tb? as u32,
            hours: hours? as u32,
            second_cluster: second?,
            power_kw: power? as u32,
        })
    }

    fn parse_inference(&self, problems: &mut Problems<'_>) -> Option<Inference> {
        let draft = &self.inference;
        let serving = problems.site(
            "inference.serving",
            &draft.serving,
            "where the model is served",
            &[SiteKind::DataCenter, SiteKind::CloudOnRamp],
        );
        let latency =
            problems.number("inference.latency_ms", &draft.latency_ms, "the round-trip latency target in ms", 1..=500);
        let mbps = problems.number(
            "inference.mbps_per_site",
            &draft.mbps_per_site,
            "the traffic per edge site in Mbps",
            1..=100_000,
        );
        let users = problems.number("inference.users", &draft.users, "the number of users", 1..=1_000_000);
        Some(Inference {
            serving: serving?,
            latency_micros: latency? * 1_000,
            mbps_per_site: mbps?,
            users: users? as u32,
            public_facing: draft.public_facing,
        })
    }

    fn parse_multi_cloud(&self, problems: &mut Problems<'_>) -> Option<MultiCloud> {
        let draft = &self.multi_cloud;
        let mut ok = true;
        if draft.on_ramps.is_empty() {
            problems.add("multi_cloud.on_ramps", "Choose at least one cloud region.");
            ok = false;
        }
        if draft.sites.is_empty() {
            problems.add("multi_cloud.sites", "Choose at least one of your sites to join to the clouds.");
            ok = false;
        }
        // Capped and without repeats before anything is looked up, so the work a request can
        // cause stays bounded whatever it lists.
        for (field, list, what) in [
            ("multi_cloud.on_ramps", &draft.on_ramps, "cloud regions"),
            ("multi_cloud.sites", &draft.sites, "of your sites"),
        ] {
            if list.len() > MAX_CLOUD_ENDS {
                problems.add(field, format!("Choose up to {MAX_CLOUD_ENDS} {what}; split a larger plan into designs."));
                return None;
            }
            if has_duplicates(list) {
                problems.add(field, "Each one is listed twice; choose each once.");
                return None;
            }
        }
        let ramps: Vec<Option<SiteId>> = draft
            .on_ramps
            .iter()
            .map(|id| problems.site("multi_cloud.on_ramps", id, "a cloud region", &[SiteKind::CloudOnRamp]))
            .collect();
        let sites: Vec<Option<SiteId>> = draft
            .sites
            .iter()
            .map(|id| {
                problems.site(
                    "multi_cloud.sites",
                    id,
                    "a data centre or metro",
                    &[SiteKind::DataCenter, SiteKind::Metro],
                )
            })
            .collect();
        let bandwidth = Bandwidth::parse(draft.bandwidth.trim()).ok().filter(|bandwidth| bandwidth.mbps() <= 100_000);
        if bandwidth.is_none() {
            problems.add("multi_cloud.bandwidth", "Enter a bandwidth like 500M, 1G or 10G (up to 100G).");
        }
        let ramps: Option<Vec<SiteId>> = ramps.into_iter().collect();
        let sites: Option<Vec<SiteId>> = sites.into_iter().collect();
        if !ok {
            return None;
        }
        Some(MultiCloud { on_ramps: ramps?, sites: sites?, bandwidth: bandwidth? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::Coordinates;

    fn site(id: &str, kind: SiteKind, metro: &str) -> Site {
        Site {
            id: SiteId::parse(id).unwrap(),
            kind,
            name: id.to_uppercase(),
            metro: SiteId::parse(metro).unwrap(),
            location: Coordinates::new(40.0, -75.0).unwrap(),
            operator: None,
            access_km: 1,
        }
    }

    fn sites() -> Vec<Site> {
        vec![
            site("nyc", SiteKind::Metro, "nyc"),
            site("nyc-dc-1", SiteKind::DataCenter, "nyc"),
            site("nyc-dc-2", SiteKind::DataCenter, "nyc"),
            site("aws-us-east-1", SiteKind::CloudOnRamp, "nyc"),
        ]
    }

    fn training_draft() -> DesignDraft {
        DesignDraft {
            stages: vec![LifecycleStage::Training],
            training: TrainingDraft {
                cluster: "nyc-dc-1".into(),
                data_site: "aws-us-east-1".into(),
                dataset_tb: "200".into(),
                hours: "6".into(),
                ..TrainingDraft::default()
            },
            ..DesignDraft::default()
        }
    }

    #[test]
    fn sizes_rates_from_volumes() {
        // 200 TB in 6 h = 74.1 Gbps; 40 TB a day arriving in 6 hours = 14.8 Gbps at peak.
        assert_eq!(mbps_to_move(200, 6), 74_075);
        let ingestion = Ingestion {
            source: IngestSource::Internet,
            landing: SiteId::parse("nyc").unwrap(),
            tb_per_day: 40,
            peak_hours: 6,
        };
        assert_eq!(ingestion.sustained_mbps(), 3_704);
        assert_eq!(ingestion.peak_mbps(), 14_815);
    }

    #[test]
    fn a_good_draft_parses() {
        let design = training_draft().parse(&sites()).unwrap();
        assert_eq!(design.name, "Untitled design");
        assert_eq!(design.term, Term::Months12);
        assert_eq!(design.training.as_ref().unwrap().required_mbps(), 74_075);
        assert_eq!(design.stages(), vec![LifecycleStage::Training]);
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let mut draft = training_draft();
        draft.training.dataset_tb = "-5".into();
        draft.training.hours = "0".into();
        draft.training.cluster = "aws-us-east-1".into();
        draft.term_months = "7".into();
        let problems = draft.parse(&sites()).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["term_months", "training.cluster", "training.dataset_tb", "training.hours"]);
        assert!(problems[2].message.contains("cannot be negative"), "{problems:?}");
        assert!(problems[3].message.contains("more than zero"), "{problems:?}");
        assert!(problems[1].message.contains("data centre"), "{problems:?}");
    }

    #[test]
    fn the_same_site_at_both_ends_is_refused() {
        let mut draft = training_draft();
        draft.training.data_site = "nyc-dc-1".into();
        let problems = draft.parse(&sites()).unwrap_err();
        assert_eq!(problems[0].field, "training.data_site");
    }

    #[test]
    fn cloud_lists_are_capped_and_without_repeats() {
        let mut draft = DesignDraft { stages: vec![LifecycleStage::MultiCloud], ..DesignDraft::default() };
        draft.multi_cloud.sites = vec!["nyc-dc-1".into()];
        draft.multi_cloud.on_ramps = vec!["aws-us-east-1".into(); 2_000];
        let problems = draft.parse(&sites()).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, "multi_cloud.on_ramps");
        assert!(problems[0].message.contains("up to 8"), "{problems:?}");
        draft.multi_cloud.on_ramps = vec!["aws-us-east-1".into(), "aws-us-east-1".into()];
        let problems = draft.parse(&sites()).unwrap_err();
        assert!(problems[0].message.contains("listed twice"), "{problems:?}");
        draft.stages = vec![LifecycleStage::MultiCloud; 3];
        let problems = draft.parse(&sites()).unwrap_err();
        assert!(problems.iter().any(|p| p.field == "stages"), "{problems:?}");
    }

    #[test]
    fn unticked_stages_are_not_checked_but_are_kept() {
        let mut draft = training_draft();
        draft.inference.latency_ms = "fast".into();
        assert!(draft.parse(&sites()).is_ok());
        assert_eq!(draft.inference.latency_ms, "fast");
    }

    #[test]
    fn edge_sites_need_a_metro_a_unique_name_and_a_distance() {
        let mut draft = DesignDraft { stages: vec![LifecycleStage::Inference], ..DesignDraft::default() };
        draft.inference = InferenceDraft {
            serving: "nyc-dc-1".into(),
            latency_ms: "10".into(),
            mbps_per_site: "50".into(),
            users: "30".into(),
            public_facing: false,
        };
        let problems = draft.parse(&sites()).unwrap_err();
        assert_eq!(problems[0].field, "edge_sites");
        draft.edge_sites = vec![
            EdgeSiteDraft { name: "Store 1".into(), metro: "nyc".into(), distance_km: "3".into() },
            EdgeSiteDraft { name: "store 1".into(), metro: "nyc-dc-1".into(), distance_km: "x".into() },
        ];
        let fields: Vec<String> = draft.parse(&sites()).unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["edge_sites.1.name", "edge_sites.1.metro", "edge_sites.1.distance_km"]);
        draft.edge_sites.truncate(1);
        let design = draft.parse(&sites()).unwrap();
        assert_eq!(design.edge_sites[0].id.as_str(), "edge-1");
        assert_eq!(design.inference.unwrap().latency_micros, 10_000);
    }
}
