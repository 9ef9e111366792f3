//! The REST API and health checks. Each resource module exposes `router()`; they are merged
//! here. Handlers are thin: parse, call the store or the domain, map errors to [`ApiError`].

mod catalog;
mod health;
mod network;
pub mod orders;
mod quotes;

use crate::state::AppState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use lightpath_store::StoreError;
use serde::Serialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(catalog::router())
        .merge(network::router())
        .merge(orders::router())
        .merge(quotes::router())
}

/// The API layer's error: a status and a message a person can act on. 5xx details are logged
/// and never sent.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    #[error("Please sign in first.")]
    Unauthorized,
    /// Well-formed but impossible to serve, e.g. no route at that rate.
    #[error("{0}")]
    Unprocessable(String),
    /// The caller holds too much at once (open streams).
    #[error("{0}")]
    TooMany(String),
    #[error("the service is temporarily unavailable; try again shortly")]
    Unavailable(#[from] StoreError),
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: u16,
    reason: &'a str,
    message: String,
}

impl ApiError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Unavailable(source) = &self {
            tracing::error!(error = %source, "request failed in the store");
        }
        let status = self.status_code();
        let body = ErrorBody {
            code: status.as_u16(),
            reason: status.canonical_reason().unwrap_or(""),
            message: self.to_string(),
        };
        (status, Json(body)).into_response()
    }
}
