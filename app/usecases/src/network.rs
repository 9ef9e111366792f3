//! The network as buyers see it: its sites and spans with the metros' map positions, its size
//! in numbers, and routes across it around spans without free capacity.

use crate::model::network::*;
use crate::{AppError, Caller};
use lightpath_domain::routing::{offered_rates, plan_route, Route, RoutingError, Topology};
use lightpath_domain::{Site, SiteKind, Span};
use lightpath_store::Store;

/// Sites, spans and the metros' map positions.
pub async fn network_view(store: &Store) -> Result<NetworkView, AppError> {
    let sites = store.sites().await?;
    let metros: Vec<Site> = sites.iter().filter(|site| site.kind == SiteKind::Metro).cloned().collect();
    let map = lightpath_domain::network::map_layout(&metros, MAP_WIDTH as u32, MAP_HEIGHT as u32, 70);
    Ok(NetworkView { sites, spans: store.spans().await?, map })
}

/// A span as people name it: its ends' names, "Chicago – Ashburn".
pub(crate) fn span_name(span: &Span, sites: &[Site]) -> String {
    let name = |id: &lightpath_domain::SiteId| {
        sites.iter().find(|site| &site.id == id).map_or_else(|| id.to_string(), |site| site.name.clone())
    };
    format!("{} – {}", name(&span.a), name(&span.z))
}

/// The network, for anyone.
pub async fn network(caller: &Caller) -> Result<NetworkView, AppError> {
    network_view(&caller.store).await
}

/// Every site of the network: metros, data centres, cloud on-ramps.
pub async fn sites(caller: &Caller) -> Result<Vec<Site>, AppError> {
    Ok(caller.store.sites().await?)
}

/// The long-haul fiber spans between metros.
pub async fn spans(caller: &Caller) -> Result<Vec<Span>, AppError> {
    Ok(caller.store.spans().await?)
}

/// The network in numbers (the home page needs four numbers, not its sites and spans).
pub async fn facts(caller: &Caller) -> Result<NetworkFacts, AppError> {
    Ok(NetworkFacts::count(&caller.store.sites().await?, &caller.store.spans().await?))
}

/// The lowest-latency path from one site to another at `rate` on the live network (around
/// spans without free capacity) and, when `diverse`, a twin sharing no span with it. A question
/// the network cannot answer (an unknown site, a rate not sold, no free path) is `Invalid`.
pub async fn route(caller: &Caller, from: &str, to: &str, rate: &str, diverse: bool) -> Result<Route, AppError> {
    let store = &caller.store;
    let offered = offered_rates(&store.products().await?);
    let (sites, spans, reserved) = (store.sites().await?, store.spans().await?, store.reservations().await?);
    let invalid = |error: RoutingError| AppError::Invalid(error.to_string());
    let topology = Topology::new(&sites, &spans).map_err(invalid)?;
    plan_route(&topology, &offered, (from, to, rate), diverse, &reserved).map_err(invalid)
}
