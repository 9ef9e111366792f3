//! Network reads for the network page.

use crate::error::AppError;
use leptos::prelude::*;
use lightpath_domain::routing::Path;
use lightpath_domain::{Site, SiteId, SiteKind, Span};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkView {
    pub sites: Vec<Site>,
    pub spans: Vec<Span>,
    /// Map positions of the metro hubs (x, y in a 1000 × 620 box), projected on the server.
    pub map: Vec<(SiteId, i32, i32)>,
}

/// A site the wizard offers in its lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteChoice {
    pub id: SiteId,
    pub name: String,
    pub kind: SiteKind,
    /// The metro's name, to group and label the lists.
    pub metro: String,
}

/// Every site as the site pickers list it.
pub fn site_choices(sites: &[Site]) -> Vec<SiteChoice> {
    let metro_name =
        |metro: &SiteId| sites.iter().find(|s| &s.id == metro).map_or_else(String::new, |s| s.name.clone());
    sites
        .iter()
        .map(|site| SiteChoice {
            id: site.id.clone(),
            name: site.name.clone(),
            kind: site.kind,
            metro: metro_name(&site.metro),
        })
        .collect()
}

/// The network in numbers: what the home page shows, without the whole network behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkFacts {
    pub metros: u32,
    pub data_centres: u32,
    /// Distinct public clouds with an on-ramp on the network.
    pub clouds: u32,
    pub route_km: u64,
}

impl NetworkFacts {
    pub fn count(sites: &[Site], spans: &[Span]) -> NetworkFacts {
        let count = |kind: SiteKind| sites.iter().filter(|site| site.kind == kind).count() as u32;
        let clouds: std::collections::BTreeSet<&str> = sites
            .iter()
            .filter(|site| site.kind == SiteKind::CloudOnRamp)
            .filter_map(|site| site.operator.as_deref())
            .collect();
        NetworkFacts {
            metros: count(SiteKind::Metro),
            data_centres: count(SiteKind::DataCenter),
            clouds: clouds.len() as u32,
            route_km: spans.iter().map(|span| u64::from(span.route_km)).sum(),
        }
    }
}

/// The network in numbers, counted on the server (the home page needs four numbers, not the
/// network's sites and spans).
#[server(endpoint = "network-facts")]
pub async fn load_network_facts() -> Result<NetworkFacts, AppError> {
    let store = super::store()?;
    Ok(NetworkFacts::count(&store.sites().await?, &store.spans().await?))
}

/// The size of the map drawing, in SVG user units.
pub const MAP_WIDTH: i32 = 1000;
pub const MAP_HEIGHT: i32 = 620;

#[server(endpoint = "network")]
pub async fn load_network() -> Result<NetworkView, AppError> {
    network_view(&super::store()?).await
}

/// Sites, spans and the metros' map positions.
#[cfg(feature = "ssr")]
pub(crate) async fn network_view(store: &lightpath_store::Store) -> Result<NetworkView, AppError> {
    let sites = store.sites().await?;
    let metros: Vec<Site> = sites.iter().filter(|site| site.kind == SiteKind::Metro).cloned().collect();
    let map = lightpath_domain::network::map_layout(&metros, MAP_WIDTH as u32, MAP_HEIGHT as u32, 70);
    Ok(NetworkView { sites, spans: store.spans().await?, map })
}

/// A route across the network: the lowest-latency path and, when asked, its diverse twin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteAnswer {
    pub rate: String,
    pub primary: Path,
    pub twin: Option<Path>,
}

/// Routes `rate` from one site to another on the live network (around full spans). `diverse`
/// is a checkbox: present asks for a second path sharing no span with the first.
#[server(endpoint = "route")]
pub async fn find_route(
    from: String,
    to: String,
    rate: String,
    diverse: Option<String>,
) -> Result<RouteAnswer, AppError> {
    let answer = route(from, to, rate, diverse).await;
    if let Err(error) = &answer {
        // 422 for a question the network cannot answer, 503 when the store is down.
        crate::set_http_status(error.status());
    }
    answer
}

#[cfg(feature = "ssr")]
async fn route(from: String, to: String, rate: String, diverse: Option<String>) -> Result<RouteAnswer, AppError> {
    use lightpath_domain::routing::{offered_rates, plan_route, Topology};
    let store = super::store()?;
    let offered = offered_rates(&store.products().await?);
    let (sites, spans, reserved) = (store.sites().await?, store.spans().await?, store.reservations().await?);
    let invalid = |error: lightpath_domain::routing::RoutingError| AppError::Invalid(error.to_string());
    let topology = Topology::new(&sites, &spans).map_err(invalid)?;
    let route = plan_route(&topology, &offered, (&from, &to, &rate), diverse.is_some(), &reserved).map_err(invalid)?;
    Ok(RouteAnswer { rate: route.rate.to_string(), primary: route.primary, twin: route.twin })
}
