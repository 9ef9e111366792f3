//! `GET /api/v1/maintenance`: the planned maintenance notices about the organisation's own
//! services (upcoming, in progress, and those ended within 90 days), as the dashboard shows
//! them. The same notices are sent as `maintenance` webhook events.

use super::openapi::ReadProblems;
use crate::api::auth::ApiCaller;
use crate::api::ApiError;
use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use lightpath_domain::maintenance::MaintenanceNotice;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/maintenance", get(list))
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
