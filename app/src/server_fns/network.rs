//! Network reads for the network page.

use crate::error::AppError;
use leptos::prelude::*;
use lightpath_domain::routing::Path;
#[cfg(feature = "ssr")]
use lightpath_domain::SiteKind;
use lightpath_domain::{Site, SiteId, Span};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkView {
    pub sites: Vec<Site>,
    pub spans: Vec<Span>,
    /// Map positions of the metro hubs (x, y in a 1000 × 620 box), projected on the server.
    pub map: Vec<(SiteId, i32, i32)>,
}

/// The size of the map drawing, in SVG user units.
pub const MAP_WIDTH: i32 = 1000;
pub const MAP_HEIGHT: i32 = 620;

#[server(endpoint = "network")]
pub async fn load_network() -> Result<NetworkView, AppError> {
    let store = super::store()?;
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
    use lightpath_domain::routing::Topology;
    use lightpath_domain::Bandwidth;
    let store = super::store()?;
    let offered: std::collections::BTreeSet<Bandwidth> = store
        .products()
        .await?
        .iter()
        .filter(|product| matches!(product.id.as_str(), "wavelengths-400g" | "programmable-connectivity"))
        .flat_map(|product| product.options.iter().filter_map(|option| option.bandwidth))
        .collect();
    let bandwidth = Bandwidth::parse(&rate).ok().filter(|bandwidth| offered.contains(bandwidth)).ok_or_else(|| {
        let choices: Vec<String> = offered.iter().map(|bandwidth| bandwidth.code()).collect();
        AppError::Invalid(format!("No connection is sold at “{rate}”. Choose one of {}.", choices.join(", ")))
    })?;
    let site = |id: &str| {
        SiteId::parse(id).map_err(|_| AppError::Invalid(format!("There is no site “{id}”. Pick one from the list.")))
    };
    let (from, to) = (site(&from)?, site(&to)?);
    let (sites, spans, reserved) = (store.sites().await?, store.spans().await?, store.reservations().await?);
    let invalid = |error: lightpath_domain::routing::RoutingError| AppError::Invalid(error.to_string());
    let topology = Topology::new(&sites, &spans).map_err(invalid)?;
    let mbps = bandwidth.mbps();
    let (primary, twin) = if diverse.is_some() {
        let (primary, twin) = topology.diverse_pair(&from, &to, mbps, &reserved).map_err(invalid)?;
        (primary, Some(twin))
    } else {
        (topology.shortest_path(&from, &to, mbps, &reserved).map_err(invalid)?, None)
    };
    Ok(RouteAnswer { rate: bandwidth.to_string(), primary, twin })
}
