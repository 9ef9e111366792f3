//! `GET /api/v1/sites`, `GET /api/v1/spans` and `GET /api/v1/routes`: the network the portal
//! designs on, and routes across it around spans without free capacity.

use super::ApiError;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use lightpath_domain::routing::{offered_rates, plan_route, Route, Topology};
use lightpath_domain::{Site, Span};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sites", get(sites))
        .route("/api/v1/spans", get(spans))
        .route("/api/v1/routes", get(route))
}

async fn sites(State(state): State<AppState>) -> Result<Json<Vec<Site>>, ApiError> {
    Ok(Json(state.store.sites().await?))
}

async fn spans(State(state): State<AppState>) -> Result<Json<Vec<Span>>, ApiError> {
    Ok(Json(state.store.spans().await?))
}

#[derive(Deserialize)]
struct RouteQuery {
    from: String,
    to: String,
    /// `1G`, `10G`, `100G`, `400G`…
    rate: String,
    #[serde(default)]
    diverse: bool,
}

/// `GET /api/v1/routes?from=chi&to=dfw&rate=100G&diverse=true`
async fn route(State(state): State<AppState>, Query(query): Query<RouteQuery>) -> Result<Json<Route>, ApiError> {
    let store = &state.store;
    let offered = offered_rates(&store.products().await?);
    let (sites, spans, reserved) = (store.sites().await?, store.spans().await?, store.reservations().await?);
    let unprocessable = |error: lightpath_domain::routing::RoutingError| ApiError::unprocessable(error.to_string());
    let topology = Topology::new(&sites, &spans).map_err(unprocessable)?;
    let request = (query.from.as_str(), query.to.as_str(), query.rate.as_str());
    Ok(Json(plan_route(&topology, &offered, request, query.diverse, &reserved).map_err(unprocessable)?))
}
