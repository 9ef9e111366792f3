//! `POST /api/v1/orders` (with an `Idempotency-Key`), `GET /api/v1/orders[/{id}]` and
//! `POST /api/v1/orders/{id}/cancel`, and a second member's decision on an order waiting for
//! approval: `POST /api/v1/orders/{id}/approval`. The order's timeline streams from
//! `GET /api/v1/orders/{id}/events` (see `api::orders`).

use super::openapi::{ChangeProblems, ListProblems, ReadProblems};
use super::{idempotency_key, window, Body, Listed, Resource, Window};
use crate::api::auth::ApiCaller;
use crate::api::ApiError;
use crate::state::AppState;
use axum::extract::{Path, RawQuery};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use lightpath_app::model::orders::OrderPlaced;
use lightpath_app::{clouds, configure, orders, Caller};
use lightpath_domain::cloud::CloudForm;
use lightpath_domain::cloud_router::RouterForm;
use lightpath_domain::configure::Configuration;
use lightpath_domain::pricing::Totals;
use lightpath_domain::records::{OrderRecord, OrderSummary};
use lightpath_store::listing::Listing;
use serde::Deserialize;
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/orders", get(list).post(place))
        .route("/api/v1/orders/{id}", get(show))
        .route("/api/v1/orders/{id}/cancel", post(cancel))
        .route("/api/v1/orders/{id}/approval", post(approve))
}

pub fn href(id: &impl std::fmt::Display) -> String {
    format!("/api/v1/orders/{id}")
}

/// What to order: a saved design's chosen bundle, or one product's configuration at the
/// price the caller was shown (`totals`; a price that moved since is refused with 409).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    #[serde(default)]
    design: Option<String>,
    #[serde(default)]
    configuration: Option<Configuration>,
    #[serde(default)]
    totals: Option<Totals>,
    /// Your purchase-order reference, stored on the order: one line of up to 64 characters.
    #[serde(default)]
    #[schema(max_length = 64, example = "PO-4500012345")]
    purchase_order: Option<String>,
    /// With a `cloud-connection` configuration: what its cloud needs (AWS account, Azure
    /// service key or Google pairing key, VLAN, BGP).
    #[serde(default)]
    cloud: Option<CloudForm>,
    /// With a `cloud-router` configuration: its AS number (empty or absent: 65000).
    #[serde(default)]
    cloud_router: Option<RouterForm>,
}

/// The order a request placed (201 with `Location`) or had placed already with the same key
/// (200), in full.
pub async fn placed(caller: &Caller, placed: OrderPlaced) -> Result<Response, ApiError> {
    let order = orders::load_order(caller, placed.id.to_string()).await?;
    let location = href(&order.summary.id);
    let status = if placed.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, [(header::LOCATION, location.clone())], Json(Resource::new("ProductOrder", location, order)))
        .into_response())
}

/// Orders a saved design's chosen bundle, or one product's configuration at the totals it
/// was priced at; a cloud connection's configuration comes with its `cloud` details, a cloud
/// router's with its `cloud_router` ones. Idempotent by `Idempotency-Key`: the same key and body answer with the same
/// order (200); the same key with another body is refused (422).
#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", operation_id = "placeOrder", security(("token" = [])),
    params(("Idempotency-Key" = String, Header, description = "One submission attempt's key, 16 to 128 characters (a UUID): the same key again answers with the same order")),
    request_body = OrderInput,
    responses(
        (status = 201, description = "Placed; `Location` names it", body = Resource<OrderRecord>,
            headers(("Location" = String, description = "The order's URL"))),
        (status = 200, description = "This key placed the order already", body = Resource<OrderRecord>),
        ChangeProblems
    ))]
async fn place(
    ApiCaller { caller, .. }: ApiCaller,
    headers: HeaderMap,
    Body(input): Body<OrderInput>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let outcome = match (input.design, input.configuration, input.totals) {
        (Some(design), None, None) if input.cloud.is_none() && input.cloud_router.is_none() => {
            orders::order_design(&caller, design, key, input.purchase_order).await?
        }
        (None, Some(configuration), Some(totals)) => match (input.cloud, input.cloud_router) {
            (Some(cloud), None) => {
                clouds::order_connection(&caller, configuration, cloud, key, totals, input.purchase_order).await?
            }
            (None, Some(router)) => {
                clouds::order_router(&caller, configuration, router, key, totals, input.purchase_order).await?
            }
            (None, None) => {
                configure::order_configuration(&caller, configuration, key, totals, input.purchase_order).await?
            }
            (Some(_), Some(_)) => {
                return Err(ApiError::unprocessable(
                    "Send `cloud` with a cloud connection or `cloud_router` with a cloud router, not both.",
                ))
            }
        },
        (None, Some(_), None) => return Err(ApiError::Unprocessable {
            message:
                "Send the `totals` you were quoted with the configuration, so a price that moved is not ordered unseen."
                    .into(),
            fields: vec![("totals".into(), "Send the totals the configuration was priced at.".into())],
        }),
        _ => {
            return Err(ApiError::unprocessable(
                "Order either a saved design (`design`) or one product's `configuration` with its `totals`.",
            ))
        }
    };
    placed(&caller, outcome).await
}

/// The organisation's orders, newest first.
#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", operation_id = "listOrders", security(("token" = [])), params(Window),
    responses(
        (status = 200, description = "One window of the list; the list's size in `X-Total-Count`",
            body = [Resource<OrderSummary>], headers(("X-Total-Count" = u64, description = "Rows in the whole list"))),
        ListProblems
    ))]
async fn list(
    ApiCaller { caller, .. }: ApiCaller,
    RawQuery(query): RawQuery,
) -> Result<Listed<Resource<OrderSummary>>, ApiError> {
    let page = window(query.as_deref())?;
    let orders = orders::list_orders(&caller, page).await?;
    let total = lightpath_app::total(&caller, Listing::Orders).await?;
    Ok(Listed(
        orders.items.into_iter().map(|order| Resource::new("ProductOrder", href(&order.id), order)).collect(),
        total,
    ))
}

/// One order with its items and timeline.
#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders", operation_id = "showOrder", security(("token" = [])),
    params(("id" = String, Path, description = "The order's id")),
    responses(
        (status = 200, description = "The order", body = Resource<OrderRecord>),
        ReadProblems
    ))]
async fn show(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Resource<OrderRecord>>, ApiError> {
    let order = orders::load_order(&caller, id).await?;
    Ok(Json(Resource::new("ProductOrder", href(&order.summary.id), order)))
}

/// Asks for the order to be cancelled (202): the worker stops and rolls back what is not yet
/// delivered; delivered items stay services under their term (TMF622).
#[utoipa::path(post, path = "/api/v1/orders/{id}/cancel", tag = "orders", operation_id = "cancelOrder", security(("token" = [])),
    params(("id" = String, Path, description = "The order's id")),
    responses(
        (status = 202, description = "Cancellation asked for", body = Resource<OrderRecord>),
        ChangeProblems
    ))]
async fn cancel(ApiCaller { caller, .. }: ApiCaller, Path(id): Path<String>) -> Result<impl IntoResponse, ApiError> {
    orders::cancel_order(&caller, id.clone()).await?;
    let order = orders::load_order(&caller, id).await?;
    Ok((StatusCode::ACCEPTED, Json(Resource::new("ProductOrder", href(&order.summary.id), order))))
}

/// A member's decision on an order waiting for a second member's approval.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalInput {
    /// True to approve (the order goes on to the credit check and provisioning), false to reject.
    approve: bool,
    /// Why it is rejected (needed to reject; the person who placed it reads it): up to 1,000 characters.
    #[serde(default)]
    #[schema(max_length = 1000, example = "Over this quarter's budget: order the 10 Gbps option instead.")]
    comment: String,
}

/// Approves or rejects an order waiting for a second member's approval (state `pending`). The
/// token's member must be a Technical, Finance or Organisation admin member of the order's
/// organisation who did not place it (403 otherwise); an order that no longer waits answers 409.
#[utoipa::path(post, path = "/api/v1/orders/{id}/approval", tag = "orders", operation_id = "decideOrderApproval", security(("token" = [])),
    params(("id" = String, Path, description = "The order's id")),
    request_body = ApprovalInput,
    responses(
        (status = 200, description = "Decided: the order as it is now", body = Resource<OrderRecord>),
        ChangeProblems
    ))]
async fn approve(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
    Body(input): Body<ApprovalInput>,
) -> Result<Json<Resource<OrderRecord>>, ApiError> {
    orders::decide_pending_order(&caller, id.clone(), input.approve, input.comment).await?;
    let order = orders::load_order(&caller, id).await?;
    Ok(Json(Resource::new("ProductOrder", href(&order.summary.id), order)))
}
