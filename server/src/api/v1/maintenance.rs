//! `GET /api/v1/maintenance`: the planned maintenance notices about the organisation's own
//! services (upcoming, in progress, and those ended within 90 days), as the dashboard shows
//! them; `GET /api/v1/outages`: the outages that took its services down (ongoing, and those
//! ended within 90 days). The same are sent as `maintenance` and `outage` webhook events.

use super::openapi::ReadProblems;
use crate::api::auth::ApiCaller;
use crate::api::ApiError;
use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use lightpath_domain::maintenance::MaintenanceNotice;
use lightpath_domain::outage::Outage;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/maintenance", get(list)).route("/api/v1/outages", get(outages))
}

/// The maintenance notices about the organisation's services, newest start first: each with
/// its window (UTC milliseconds), expected impact, status and the organisation's services it
/// touches.
#[utoipa::path(get, path = "/api/v1/maintenance", tag = "services", operation_id = "listMaintenance",
    security(("token" = [])),
    responses(
        (status = 200, description = "The notices", body = Vec<MaintenanceNotice>),
        ReadProblems
    ))]
pub(super) async fn list(ApiCaller { caller, .. }: ApiCaller) -> Result<Json<Vec<MaintenanceNotice>>, ApiError> {
    Ok(Json(lightpath_app::maintenance::for_my_organisation(&caller).await?))
}

/// The outages that took the organisation's services down, newest first: each with the span,
/// what happened, when it started and (once the span is back) ended and how long it lasted,
/// and the organisation's services it took down. A service is down while an outage on a span
/// of its route is ongoing (its `down` flag); a diverse twin on other spans stays up.
#[utoipa::path(get, path = "/api/v1/outages", tag = "services", operation_id = "listOutages",
    security(("token" = [])),
    responses(
        (status = 200, description = "The outages", body = Vec<Outage>),
        ReadProblems
    ))]
pub(super) async fn outages(ApiCaller { caller, .. }: ApiCaller) -> Result<Json<Vec<Outage>>, ApiError> {
    Ok(Json(lightpath_app::outages::for_my_organisation(&caller).await?))
}
