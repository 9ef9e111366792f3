//! `GET /api/v1/sites` and `GET /api/v1/spans`: the network the portal designs on.

use super::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use lightpath_domain::{Site, Span};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/sites", get(sites)).route("/api/v1/spans", get(spans))
}

async fn sites(State(state): State<AppState>) -> Result<Json<Vec<Site>>, ApiError> {
    Ok(Json(state.store.sites().await?))
}

async fn spans(State(state): State<AppState>) -> Result<Json<Vec<Span>>, ApiError> {
    Ok(Json(state.store.spans().await?))
}
