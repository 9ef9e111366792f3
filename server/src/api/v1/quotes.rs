//! `GET /api/v1/quotes[/{id}]` (a customer sees its organisation's quotes once sent) and
//! `POST /api/v1/quotes/{id}/accept`, which orders the quoted lines at the quoted price.

use super::openapi::{ChangeProblems, ListProblems, ReadProblems};
use super::orders::placed;
use super::{idempotency_key, window, Body, Listed, Resource, Window};
use crate::api::auth::ApiCaller;
use crate::api::ApiError;
use crate::state::AppState;
use axum::extract::{Path, RawQuery};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use lightpath_app::model::quotes::QuoteView;
use lightpath_app::quotes;
use lightpath_domain::quote::QuoteAction;
use lightpath_domain::records::{OrderRecord, QuoteRecord, QuoteSummary};
use lightpath_store::listing::Listing;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/quotes", get(list))
        .route("/api/v1/quotes/{id}", get(show))
        .route("/api/v1/quotes/{id}/accept", post(accept))
}

fn href(id: &impl std::fmt::Display) -> String {
    format!("/api/v1/quotes/{id}")
}

#[derive(Serialize, ToSchema)]
pub struct QuoteResource {
    #[serde(flatten)]
    record: QuoteRecord,
    /// What the caller may do to the quote now.
    actions: Vec<QuoteAction>,
}

/// Accepts the quote's `version` as sent (a newer version since is refused with 409).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    version: i64,
    /// Your purchase-order reference, stored on the order: one line of up to 64 characters.
    #[serde(default)]
    #[schema(max_length = 64, example = "PO-4500012345")]
    purchase_order: Option<String>,
}

/// The organisation's quotes once sent (staff: every quote), most recently changed first.
#[utoipa::path(get, path = "/api/v1/quotes", tag = "quotes", operation_id = "listQuotes", security(("token" = [])), params(Window),
    responses(
        (status = 200, description = "One window of the list; the list's size in `X-Total-Count`",
            body = [Resource<QuoteSummary>], headers(("X-Total-Count" = u64, description = "Rows in the whole list"))),
        ListProblems
    ))]
async fn list(
    ApiCaller { caller, .. }: ApiCaller,
    RawQuery(query): RawQuery,
) -> Result<Listed<Resource<QuoteSummary>>, ApiError> {
    let page = window(query.as_deref())?;
    let view = quotes::list_quotes(&caller, page, None).await?;
    let staff = caller.actor().is_some_and(|actor| actor.role.is_staff());
    let total = lightpath_app::total(&caller, Listing::Quotes { sent_only: !staff }).await?;
    Ok(Listed(
        view.quotes.items.into_iter().map(|quote| Resource::new("Quote", href(&quote.id), quote)).collect(),
        total,
    ))
}

/// One quote with every version and what the caller may do to it.
#[utoipa::path(get, path = "/api/v1/quotes/{id}", tag = "quotes", operation_id = "showQuote", security(("token" = [])),
    params(("id" = String, Path, description = "The quote's id")),
    responses(
        (status = 200, description = "The quote", body = Resource<QuoteResource>),
        ReadProblems
    ))]
async fn show(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Resource<QuoteResource>>, ApiError> {
    let QuoteView { record, actions, .. } = quotes::load_quote(&caller, id).await?;
    Ok(Json(Resource::new("Quote", href(&record.summary.id), QuoteResource { record, actions })))
}

/// Accepts a sent quote's current version, which orders its lines at the quoted price.
#[utoipa::path(post, path = "/api/v1/quotes/{id}/accept", tag = "quotes", operation_id = "acceptQuote", security(("token" = [])),
    params(("id" = String, Path, description = "The quote's id"), ("Idempotency-Key" = String, Header, description = "One submission attempt's key, 16 to 128 characters (a UUID): the same key again answers with the same order")),
    request_body = Acceptance,
    responses(
        (status = 201, description = "Accepted and ordered", body = Resource<OrderRecord>),
        (status = 200, description = "This key placed the order already", body = Resource<OrderRecord>),
        ChangeProblems
    ))]
async fn accept(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(acceptance): Body<Acceptance>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let order = quotes::accept_quote(&caller, id, acceptance.version, key, acceptance.purchase_order).await?;
    placed(&caller, order).await
}
