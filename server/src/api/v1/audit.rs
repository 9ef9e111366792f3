//! `GET /api/v1/organisations/{id}/audit-log.csv`: an organisation's own audit log as CSV, for
//! its admins (and Lightpath's admins and support): sign-ins, orders, service changes, members,
//! tokens and webhooks, newest first.

use crate::api::auth::ApiCaller;
use crate::api::ApiError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use lightpath_app::orgs::{organisation_audit_csv, AuditQuery};
use lightpath_app::AppError;
use serde::Deserialize;
use utoipa::IntoParams;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/organisations/{id}/audit-log.csv", get(audit_csv))
}

/// Which entries to export (each optional).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// The start of an action: `order` matches `order.place` and `order.cancel`.
    #[param(example = "account")]
    action: Option<String>,
    /// One person's email.
    #[param(example = "grace@acme.example")]
    actor: Option<String>,
    /// The first day (UTC) whose entries to export.
    #[param(example = "2026-12-01", format = Date)]
    from: Option<String>,
    /// The last day (UTC, inclusive) whose entries to export.
    #[param(example = "2026-12-31", format = Date)]
    to: Option<String>,
}

/// The organisation's newest 10,000 audit entries matching the filter, as CSV.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/audit-log.csv", tag = "hub", operation_id = "auditLogCsv",
    security(("token" = [])),
    params(("id" = String, Path, description = "The organisation's id"), AuditParams),
    responses(
        (status = 200, description = "The entries, newest first", body = String, content_type = "text/csv",
            headers(("Content-Disposition" = String, description = "`attachment` with the file's name"))),
        (status = 400, description = "A query that cannot be read (a parameter sent twice)", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No API token, or one unknown, revoked or expired", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the organisation's admin", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, or another one", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A filter that cannot match (named by field)", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests with this token this minute", body = crate::api::Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn audit_csv(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
    params: Result<Query<AuditParams>, QueryRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let Query(params) = params.map_err(|rejection| {
        ApiError::BadRequest(format!(
            "The query cannot be read ({}). Send each of action, actor, from and to at most once.",
            rejection.body_text()
        ))
    })?;
    let AuditParams { action, actor, from, to } = params;
    let query = AuditQuery { organisation: id.clone(), action, actor, from, to, page: None };
    let text = organisation_audit_csv(&caller, query).await.map_err(|error| match error {
        AppError::NotFound => ApiError::NotFound(format!("There is no organisation {id}.")),
        other => other.into(),
    })?;
    Ok(crate::api::csv_attachment(&format!("audit-log-{id}.csv"), text))
}
