//! `GET /api/v1/quotes[/{id}]` (a customer sees its organisation's quotes once sent) and
//! `POST /api/v1/quotes/{id}/accept`, which orders the quoted lines at the quoted price, and
//! `POST /api/v1/quotes/{id}/items/{position}/order`, which orders an accepted quote's cloud
//! item with the buyer's cloud details at its quoted price.

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
use lightpath_app::clouds::CloudOrder;
use lightpath_app::model::quotes::QuoteView;
use lightpath_app::quotes;
use lightpath_domain::cloud::CloudForm;
use lightpath_domain::cloud_router::RouterForm;
use lightpath_domain::quote::{QuoteAction, QuotedCloudItem};
use lightpath_domain::records::{OrderRecord, QuoteRecord, QuoteSummary};
use lightpath_store::listing::Listing;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/quotes", get(list))
        .route("/api/v1/quotes/{id}", get(show))
        .route("/api/v1/quotes/{id}/accept", post(accept))
        .route("/api/v1/quotes/{id}/items/{position}/order", post(order_item))
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
    /// Once accepted: its cloud connections and cloud routers, which wait for your clouds'
    /// details (ordered one by one with `POST /api/v1/quotes/{id}/items/{position}/order`), are
    /// ordered, or lapsed.
    cloud_items: Vec<QuotedCloudItem>,
}

/// A cloud item of an accepted quote, ordered with what it needs: a cloud connection's
/// `cloud` details, or a cloud router's `cloud_router` ones and the `site` it runs in.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotedItemOrder {
    /// For a `cloud-connection` line: what its cloud needs (AWS account, Azure service key or
    /// Google pairing key, VLAN, BGP), as for `POST /api/v1/orders`.
    #[serde(default)]
    cloud: Option<CloudForm>,
    /// For a `cloud-router` line: its AS number (empty or absent: 65000).
    #[serde(default)]
    cloud_router: Option<RouterForm>,
    /// For a `cloud-router` line: the metro or data centre it runs in, by site id (its cloud
    /// connections attach to it there).
    #[serde(default)]
    #[schema(example = "chi-dc-1")]
    site: Option<String>,
    /// Your purchase-order reference, stored on the order: one line of up to 64 characters.
    #[serde(default)]
    #[schema(max_length = 64, example = "PO-4500012345")]
    purchase_order: Option<String>,
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
    let QuoteView { record, actions, cloud_items, .. } = quotes::load_quote(&caller, id).await?;
    Ok(Json(Resource::new("Quote", href(&record.summary.id), QuoteResource { record, actions, cloud_items })))
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

/// Orders a cloud connection or cloud router of an accepted quote, with your cloud's details,
/// at its quoted price and on its quoted route, within 30 days of the acceptance. One live
/// order per line: another answers 409 until that order is rejected, fails or is cancelled, or
/// the cloud rejects its connection.
#[utoipa::path(post, path = "/api/v1/quotes/{id}/items/{position}/order", tag = "quotes", operation_id = "orderQuotedCloudItem", security(("token" = [])),
    params(
        ("id" = String, Path, description = "The quote's id"),
        ("position" = u32, Path, description = "The line's position in the quote, as `cloud_items[].position` gives it"),
        ("Idempotency-Key" = String, Header, description = "One submission attempt's key, 16 to 128 characters (a UUID): the same key again answers with the same order")
    ),
    request_body = QuotedItemOrder,
    responses(
        (status = 201, description = "Ordered", body = Resource<OrderRecord>),
        (status = 200, description = "This key placed the order already", body = Resource<OrderRecord>),
        ChangeProblems
    ))]
async fn order_item(
    ApiCaller { caller, .. }: ApiCaller,
    Path((id, position)): Path<(String, String)>,
    headers: HeaderMap,
    Body(input): Body<QuotedItemOrder>,
) -> Result<Response, ApiError> {
    // A position that is not a line number names no line.
    let position: u32 = position.parse().map_err(|_| ApiError::from(lightpath_app::AppError::NotFound))?;
    let key = idempotency_key(&headers)?;
    let details = CloudOrder::from_parts(input.cloud.as_ref(), input.cloud_router.as_ref())?;
    let order =
        quotes::order_quoted_cloud_item(&caller, id, position, details, input.site, key, input.purchase_order).await?;
    placed(&caller, order).await
}
