//! The REST API and health checks. Each resource module exposes `router()`; they are merged
//! here. Handlers are thin: authenticate ([`auth::ApiCaller`]), parse, call the application
//! layer (`lightpath_app`), the store or the domain, and map errors to [`ApiError`], answered
//! as RFC 9457 `application/problem+json`.

pub mod auth;
pub(crate) mod catalog;
mod health;
mod network;
pub mod orders;
mod quotes;
pub mod v1;

use crate::state::AppState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use lightpath_app::AppError;
use lightpath_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// A CSV file to download: `text/csv` and `attachment` with the file's name.
pub(crate) fn csv_attachment(file_name: &str, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(catalog::router())
        .merge(network::router())
        .merge(orders::router())
        .merge(quotes::router())
        .merge(v1::router())
}

/// A public list that takes no parameters refuses any, as the paged lists refuse unknown ones,
/// so a typo is an answer instead of a silently ignored filter.
pub(crate) fn no_query(query: Option<&str>) -> Result<(), ApiError> {
    match query.filter(|query| !query.is_empty()) {
        None => Ok(()),
        Some(_) => Err(ApiError::BadRequest("This list takes no query parameters.".into())),
    }
}

/// The REST API's OpenAPI 3.1 document as JSON (for the portal's reference page).
pub fn openapi_document() -> serde_json::Value {
    use utoipa::OpenApi;
    serde_json::to_value(v1::openapi::ApiDoc::openapi()).unwrap_or_default()
}

/// The API layer's error: a status and a message a person can act on (the same words the
/// portal shows). 5xx details are logged and never sent.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed: a body that is not the JSON asked for, a missing header.
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    /// The world changed since the request was made (a price, a quote's version).
    #[error("{0}")]
    Conflict(String),
    /// A price moved since it was seen: 409 with the current `totals` beside the message.
    #[error("{message}")]
    PriceChanged { message: String, totals: lightpath_domain::pricing::Totals },
    /// Well-formed but impossible to serve, e.g. no route at that rate; `fields` names the
    /// fields at fault, when known.
    #[error("{message}")]
    Unprocessable { message: String, fields: Vec<(String, String)> },
    /// Too many requests at once or per minute.
    #[error("{message}")]
    TooMany { message: String, retry_after_secs: Option<u64> },
    #[error("the service is temporarily unavailable; try again shortly")]
    Unavailable(#[from] StoreError),
    #[error("Lightpath cannot serve this right now; try again in a minute.")]
    Down,
}

impl ApiError {
    pub fn unprocessable(message: impl Into<String>) -> ApiError {
        ApiError::Unprocessable { message: message.into(), fields: Vec::new() }
    }

    pub fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict(_) | ApiError::PriceChanged { .. } => StatusCode::CONFLICT,
            ApiError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) | ApiError::Down => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// The portal's errors, with the same messages, as the API answers them.
impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        let message = error.to_string();
        match error {
            AppError::Malformed(_) => ApiError::BadRequest(message),
            AppError::Invalid(_) => ApiError::unprocessable(message),
            AppError::Fields(fields) => ApiError::Unprocessable { message, fields },
            AppError::Conflict(_) => ApiError::Conflict(message),
            AppError::PriceChanged { totals, .. } => ApiError::PriceChanged { message, totals },
            AppError::SignInRequired => ApiError::Unauthorized(auth::SEND_A_TOKEN.to_owned()),
            AppError::Forbidden(_) => ApiError::Forbidden(message),
            AppError::NotFound => ApiError::NotFound(message),
            AppError::TooManyAttempts { retry_after_secs } => {
                ApiError::TooMany { message, retry_after_secs: Some(retry_after_secs) }
            }
            AppError::Unavailable | AppError::Transport(_) => ApiError::Down,
        }
    }
}

/// An RFC 9457 problem: `type` is `about:blank` (the status says what kind), `title` the
/// status's name, `detail` what went wrong and what to do; `errors` lists field problems.
#[derive(Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    #[schema(example = "about:blank")]
    kind: &'static str,
    #[schema(example = "Unprocessable Entity")]
    title: &'static str,
    #[schema(example = 422)]
    status: u16,
    /// What went wrong and what to do, as the portal says it.
    #[schema(example = "Some fields need attention: Choose the cluster's data centre.")]
    detail: String,
    /// The fields at fault, when the problem is with the input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    errors: Vec<FieldProblem>,
    /// When a price moved (409): the price now, to show or to order at.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    totals: Option<lightpath_domain::pricing::Totals>,
}

/// One field's problem.
#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    #[schema(example = "training.cluster")]
    field: String,
    #[schema(example = "Choose the cluster's data centre.")]
    message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Unavailable(source) = &self {
            tracing::error!(error = %source, "request failed in the store");
        }
        let status = self.status_code();
        let retry_after = match &self {
            ApiError::TooMany { retry_after_secs: Some(secs), .. } => Some(*secs),
            _ => None,
        };
        let detail = self.to_string();
        let totals = match &self {
            ApiError::PriceChanged { totals, .. } => Some(*totals),
            _ => None,
        };
        let errors = match self {
            ApiError::Unprocessable { fields, .. } => {
                fields.into_iter().map(|(field, message)| FieldProblem { field, message }).collect()
            }
            _ => Vec::new(),
        };
        let problem = Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail,
            errors,
            totals,
        };
        let mut response = (status, Json(problem)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(secs) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
