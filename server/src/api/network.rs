//! `GET /api/v1/sites`, `GET /api/v1/spans` and `GET /api/v1/routes`: the network the portal
//! designs on, and routes across it around spans without free capacity.

use super::ApiError;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use lightpath_app::{network, Caller};
use lightpath_domain::routing::Route;
use lightpath_domain::{Site, Span};
use utoipa::IntoParams;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sites", get(sites))
        .route("/api/v1/spans", get(spans))
        .route("/api/v1/routes", get(route))
}

/// The sites of the network: metros, data centres, cloud on-ramps. Public.
#[utoipa::path(get, path = "/api/v1/sites", tag = "network", operation_id = "listSites", security(()),
    responses(
        (status = 200, description = "Every site", body = [Site]),
        crate::api::v1::openapi::NoQueryProblems,
    ))]
pub(crate) async fn sites(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<Vec<Site>>, ApiError> {
    super::no_query(query.as_deref())?;
    Ok(Json(network::sites(&Caller::anonymous(state.store)).await?))
}

/// The long-haul fiber spans between metros. Public.
#[utoipa::path(get, path = "/api/v1/spans", tag = "network", operation_id = "listSpans", security(()),
    responses(
        (status = 200, description = "Every span", body = [Span]),
        crate::api::v1::openapi::NoQueryProblems,
    ))]
pub(crate) async fn spans(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<Vec<Span>>, ApiError> {
    super::no_query(query.as_deref())?;
    Ok(Json(network::spans(&Caller::anonymous(state.store)).await?))
}

/// What `GET /api/v1/routes` takes.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Describes the query for the OpenAPI document; `route` parses it.
pub struct RouteQuery {
    /// The site the connection starts at, e.g. `chi`.
    from: String,
    /// The site it ends at, e.g. `dfw`.
    to: String,
    /// The rate: `1G`, `10G`, `100G`, `400G`…
    rate: String,
    /// Also find a path that shares no span with the first.
    diverse: Option<bool>,
}

/// The lowest-latency path between two sites at a rate, around spans without free capacity,
/// and with `diverse=true` its link-diverse twin. Public.
#[utoipa::path(get, path = "/api/v1/routes", tag = "network", operation_id = "planRoute", security(()), params(RouteQuery),
    responses(
        (status = 200, description = "The route", body = Route),
        (status = 400, description = "A parameter is missing or malformed", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No route: an unknown site, a rate not sold, no free path", body = crate::api::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn route(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Json<Route>, ApiError> {
    let (mut from, mut to, mut rate, mut diverse) = (None, None, None, false);
    for (name, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "from" => from = Some(value.into_owned()),
            "to" => to = Some(value.into_owned()),
            "rate" => rate = Some(value.into_owned()),
            "diverse" => {
                diverse = value.parse().map_err(|_| {
                    ApiError::BadRequest(format!("`diverse` is `true` or `false`, not “{}”.", value.escape_debug()))
                })?
            }
            other => {
                return Err(ApiError::BadRequest(format!(
                    "Unknown query parameter `{}`: routes take `from`, `to`, `rate` and `diverse`.",
                    other.escape_debug()
                )))
            }
        }
    }
    let (Some(from), Some(to), Some(rate)) = (from, to, rate) else {
        return Err(ApiError::BadRequest("Send `from`, `to` and `rate`, e.g. `?from=chi&to=dfw&rate=100G`.".into()));
    };
    Ok(Json(network::route(&Caller::anonymous(state.store), &from, &to, &rate, diverse).await?))
}
