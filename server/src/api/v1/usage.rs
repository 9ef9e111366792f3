//! `GET /api/v1/services/{id}/usage` and `/usage.csv`: a service's traffic in and out, its
//! 95th percentile, and its path's latency, jitter and loss, on the simulated network's clock;
//! `/usage-alert`: its utilisation alert, read, set and removed.

use super::openapi::{ChangeProblems, ReadProblems};
use super::Body;
use crate::api::auth::ApiCaller;
use crate::api::ApiError;
use crate::state::AppState;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use lightpath_app::model::usage::{UsageAlertView, UsageReport};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/services/{id}/usage", get(usage))
        .route("/api/v1/services/{id}/usage.csv", get(usage_csv))
        .route("/api/v1/services/{id}/usage-alert", get(read_alert).put(set_alert).delete(clear_alert))
}

/// A utilisation alert to set on a service.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AlertInput {
    /// 1–100: the share of the line rate the busier direction must stay at or over ...
    #[schema(example = 80)]
    threshold_percent: u32,
    /// ... for this many minutes, 5–1440 in steps of 5 (simulated clock).
    #[schema(example = 15)]
    minutes: u32,
}

/// A service's utilisation alert, or null when none is set.
#[utoipa::path(get, path = "/api/v1/services/{id}/usage-alert", tag = "services", operation_id = "getUsageAlert",
    security(("token" = [])),
    params(("id" = String, Path, description = "The service's id")),
    responses((status = 200, description = "The alert (null: none)", body = Option<UsageAlertView>), ReadProblems))]
pub(super) async fn read_alert(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Option<UsageAlertView>>, ApiError> {
    Ok(Json(lightpath_app::usage::alert(&caller, &id).await?))
}

/// Sets (or replaces) a service's utilisation alert: it fires, on the dashboard and as a
/// `usage-alert` webhook event, when the busier direction stays over the threshold for the
/// duration, and resolves at the first measurement under it.
#[utoipa::path(put, path = "/api/v1/services/{id}/usage-alert", tag = "services", operation_id = "setUsageAlert",
    security(("token" = [])),
    params(("id" = String, Path, description = "The service's id")),
    request_body = AlertInput,
    responses((status = 200, description = "The alert, quiet until judged", body = Option<UsageAlertView>), ChangeProblems))]
pub(super) async fn set_alert(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
    Body(input): Body<AlertInput>,
) -> Result<Json<Option<UsageAlertView>>, ApiError> {
    let (threshold, minutes) = (input.threshold_percent.to_string(), input.minutes.to_string());
    lightpath_app::usage::set_alert(&caller, &id, &threshold, &minutes).await?;
    Ok(Json(lightpath_app::usage::alert(&caller, &id).await?))
}

/// Removes a service's utilisation alert (none set: nothing to do).
#[utoipa::path(delete, path = "/api/v1/services/{id}/usage-alert", tag = "services", operation_id = "clearUsageAlert",
    security(("token" = [])),
    params(("id" = String, Path, description = "The service's id")),
    responses((status = 204, description = "No alert is set"), ChangeProblems))]
pub(super) async fn clear_alert(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    lightpath_app::usage::clear_alert(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a usage report takes.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Describes the query for the OpenAPI document; `read` parses it.
pub struct UsageQuery {
    /// The span's start, RFC 3339 UTC on the simulated clock (`2026-12-07T09:30:00Z`) or a
    /// date; by default 24 hours before `to`.
    from: Option<String>,
    /// Its end; by default the service's last completed sample (or its termination).
    to: Option<String>,
    /// `5m` (kept 7 days), `1h` (kept 180 days) or `1d`; by default the finest the span keeps.
    resolution: Option<String>,
}

async fn read(caller: &lightpath_app::Caller, id: &str, query: Option<String>) -> Result<UsageReport, ApiError> {
    let (mut from, mut to, mut resolution) = (None, None, None);
    for (name, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let slot = match name.as_ref() {
            "from" => &mut from,
            "to" => &mut to,
            "resolution" => &mut resolution,
            other => {
                return Err(ApiError::BadRequest(format!(
                    "Unknown query parameter `{}`: this takes `from`, `to` and `resolution`.",
                    other.escape_debug()
                )))
            }
        };
        *slot = Some(value.into_owned());
    }
    Ok(lightpath_app::usage::report(caller, id, from.as_deref(), to.as_deref(), resolution.as_deref()).await?)
}

/// A service's usage: one point per 5 minutes, hour or day, with the span's 95th percentile
/// and totals. A terminated service's history ends at its termination.
#[utoipa::path(get, path = "/api/v1/services/{id}/usage", tag = "services", operation_id = "serviceUsage",
    security(("token" = [])),
    params(("id" = String, Path, description = "The service's id"), UsageQuery),
    responses((status = 200, description = "The service's usage", body = UsageReport), ChangeProblems))]
pub(super) async fn usage(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<UsageReport>, ApiError> {
    Ok(Json(read(&caller, &id, query).await?))
}

/// The same as CSV, a row per point (rates in bits per second, latency in microseconds).
#[utoipa::path(get, path = "/api/v1/services/{id}/usage.csv", tag = "services", operation_id = "serviceUsageCsv",
    security(("token" = [])),
    params(("id" = String, Path, description = "The service's id"), UsageQuery),
    responses(
        (status = 200, description = "The service's usage", body = String, content_type = "text/csv",
            headers(("Content-Disposition" = String, description = "`attachment` with the file's name"))),
        ChangeProblems
    ))]
pub(super) async fn usage_csv(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<impl IntoResponse, ApiError> {
    let report = read(&caller, &id, query).await?;
    let file = format!("usage-{}-{}.csv", report.service_id, report.resolution);
    Ok(crate::api::csv_attachment(&file, lightpath_app::usage::csv(&report)))
}
