//! REST v1 for integrators: designs and recommendations, orders, services and quotes, over the
//! same application layer as the portal (`lightpath_app`). JSON with money in integer cents,
//! TM Forum field names where they fit (`id`, `href`, `state`, `@type`), errors as RFC 9457
//! problems, lists paged by `limit`/`offset` with the total in `X-Total-Count`. Changes need an
//! API token; orders and service changes need an `Idempotency-Key`.

mod audit;
mod clouds;
mod designs;
mod hub;
mod invoices;
mod maintenance;
mod offers;
pub mod openapi;
mod orders;
mod quotes;
mod services;
mod usage;

use super::ApiError;
use crate::state::AppState;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use lightpath_domain::records::PageRequest;
use serde::de::DeserializeOwned;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(audit::router())
        .merge(clouds::router())
        .merge(designs::router())
        .merge(hub::router())
        .merge(invoices::router())
        .merge(maintenance::router())
        .merge(offers::router())
        .merge(orders::router())
        .merge(services::router())
        .merge(quotes::router())
        .merge(usage::router())
        .merge(openapi::router())
}

/// A record as the API shows it: where it lives and what kind it is, then its fields.
#[derive(Serialize, ToSchema)]
pub struct Resource<T> {
    /// The record's URL on this API.
    #[schema(example = "/api/v1/orders/6d055073-9c87-4198-b327-cdbbfd1b75dc")]
    pub href: String,
    /// The TM Forum kind: `Design`, `ProductOrder`, `Service` or `Quote`.
    #[serde(rename = "@type")]
    #[schema(example = "ProductOrder")]
    pub kind: &'static str,
    #[serde(flatten)]
    pub body: T,
}

impl<T> Resource<T> {
    pub fn new(kind: &'static str, href: String, body: T) -> Resource<T> {
        Resource { href, kind, body }
    }
}

/// One window of a list with the list's total in `X-Total-Count`.
pub struct Listed<T>(pub Vec<T>, pub u64);

impl<T: Serialize> IntoResponse for Listed<T> {
    fn into_response(self) -> Response {
        let mut response = Json(self.0).into_response();
        response.headers_mut().insert("x-total-count", HeaderValue::from(self.1));
        response
    }
}

/// The paging parameters every list takes (read by [`window`]).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Describes the query for the OpenAPI document; `window` parses it.
pub struct Window {
    /// Rows to return, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 50)]
    limit: Option<u32>,
    /// Rows to skip, at most 50,000.
    #[param(minimum = 0, maximum = 50000, default = 0)]
    offset: Option<u32>,
}

/// `?limit=&offset=`: at most [`PageRequest::MAX_LIMIT`] rows (50 unless asked), from
/// `offset` (at most [`PageRequest::MAX_OFFSET`]). Anything else in the query is refused.
pub fn window(query: Option<&str>) -> Result<PageRequest, ApiError> {
    let (mut limit, mut offset) = (PageRequest::SIZE, 0u32);
    for pair in query.unwrap_or_default().split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let number = || {
            value.parse::<u32>().map_err(|_| {
                ApiError::BadRequest(format!("`{name}` must be a whole number, not “{}”.", value.escape_debug()))
            })
        };
        match name {
            "limit" => {
                limit = number()?;
                if !(1..=PageRequest::MAX_LIMIT).contains(&limit) {
                    return Err(ApiError::BadRequest(format!("`limit` must be from 1 to {}.", PageRequest::MAX_LIMIT)));
                }
            }
            "offset" => {
                offset = number()?;
                if offset > PageRequest::MAX_OFFSET {
                    return Err(ApiError::BadRequest(format!("`offset` must be at most {}.", PageRequest::MAX_OFFSET)));
                }
            }
            other => {
                return Err(ApiError::BadRequest(format!(
                    "Unknown query parameter `{}`: lists take `limit` and `offset`.",
                    other.escape_debug()
                )))
            }
        }
    }
    Ok(PageRequest::window(offset, limit))
}

/// The `Idempotency-Key` an order or change must carry: the same key again answers with the
/// order the first request placed, so a retry never orders twice.
pub fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    headers.get("idempotency-key").and_then(|value| value.to_str().ok()).map(str::to_owned).ok_or_else(|| {
        ApiError::BadRequest(
            "Send an `Idempotency-Key` header (16 to 128 characters, e.g. a UUID) so a retry never orders twice."
                .into(),
        )
    })
}

/// A JSON body; one that is not JSON, or not the shape asked for, is answered as a problem.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Body(value)),
            Err(rejection) => Err(match rejection {
                axum::extract::rejection::JsonRejection::JsonDataError(error) => ApiError::unprocessable(format!(
                    "The body does not have the fields this call takes: {}",
                    error.body_text()
                )),
                other => ApiError::BadRequest(format!(
                    "Send a JSON body with `Content-Type: application/json` ({}).",
                    other.body_text()
                )),
            }),
        }
    }
}
