//! `GET /api/v1/services[/{id}]`, `PATCH /api/v1/services/{id}` (a bandwidth change, priced
//! and idempotent) and `DELETE /api/v1/services/{id}` (a disconnect order). Both changes are
//! orders: they answer with the order, followed like any other.

use super::openapi::{ChangeProblems, ListProblems, ReadProblems};
use super::orders::placed;
use super::{idempotency_key, window, Body, Listed, Resource, Window};
use crate::api::auth::ApiCaller;
use crate::api::ApiError;
use crate::state::AppState;
use axum::extract::{Path, RawQuery};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, put};
use axum::{Json, Router};
use lightpath_app::model::services::{BandwidthChoice, ServicePage};
use lightpath_app::services;
use lightpath_domain::cloud::CloudConnectionView;
use lightpath_domain::cloud_router::CloudRouterView;
use lightpath_domain::records::{OrderRecord, ServiceRecord, ServiceSummary};
use lightpath_domain::service::EarlyTermination;
use lightpath_store::listing::Listing;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/services", get(list))
        .route("/api/v1/services/{id}", get(show).patch(change).delete(disconnect))
        .route("/api/v1/services/{id}/router-config", get(router_config))
        .route("/api/v1/services/{id}/attachments/{connection}/filter", put(set_filter))
        .route("/api/v1/services/{id}/vlan", put(change_vlan))
}

/// The VLAN a cloud connection moves to.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VlanInput {
    /// 1–4094, free on the connection's port.
    #[schema(example = "200", max_length = 8)]
    vlan: String,
}

/// Moves a cloud connection to another VLAN on its port in place: the same connection (its
/// AWS connection id, BGP session and service), the old VLAN freed. A VLAN in use is a 409
/// naming it, and nothing changes.
#[utoipa::path(put, path = "/api/v1/services/{id}/vlan", tag = "services", operation_id = "changeVlan",
    security(("token" = [])),
    params(("id" = String, Path, description = "The cloud connection service's id")),
    request_body = VlanInput,
    responses(
        (status = 200, description = "The connection on its new VLAN", body = CloudConnectionView),
        ChangeProblems
    ))]
pub(super) async fn change_vlan(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
    Body(input): Body<VlanInput>,
) -> Result<Json<CloudConnectionView>, ApiError> {
    Ok(Json(lightpath_app::clouds::change_vlan(&caller, id, &input.vlan).await?))
}

/// A cloud router attachment's inbound prefix filter: ordered lines, the first that matches a
/// route decides, a route no line matches is denied; no lines: everything the cloud announces.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilterInput {
    /// `permit|deny <prefix> [ge <length>] [le <length>]`, at most 100 lines of 80 characters.
    #[schema(example = json!(["deny 52.94.0.0/16", "permit 0.0.0.0/0 le 32"]))]
    lines: Vec<String>,
}

/// Sets the prefix filter a cloud router applies to the routes one attached cloud connection
/// brings; answers the router's attachments and its new route table.
#[utoipa::path(put, path = "/api/v1/services/{id}/attachments/{connection}/filter", tag = "services",
    operation_id = "setAttachmentFilter", security(("token" = [])),
    params(
        ("id" = String, Path, description = "The cloud router service's id"),
        ("connection" = String, Path, description = "The attached cloud connection service's id"),
    ),
    request_body = FilterInput,
    responses(
        (status = 200, description = "The router with its new route table", body = CloudRouterView),
        ChangeProblems
    ))]
pub(super) async fn set_filter(
    ApiCaller { caller, .. }: ApiCaller,
    Path((id, connection)): Path<(String, String)>,
    Body(input): Body<FilterInput>,
) -> Result<Json<CloudRouterView>, ApiError> {
    Ok(Json(lightpath_app::clouds::set_attachment_filter(&caller, id, connection, input.lines).await?))
}

/// The configuration for your own router of a cloud connection: the VLAN sub-interface, its
/// address and the BGP neighbour with its key (Cisco IOS style), as plain text to copy.
#[utoipa::path(get, path = "/api/v1/services/{id}/router-config", tag = "services", operation_id = "routerConfig", security(("token" = [])),
    params(("id" = String, Path, description = "The cloud connection service's id")),
    responses(
        (status = 200, description = "The configuration", body = String, content_type = "text/plain"),
        ReadProblems
    ))]
pub(super) async fn router_config(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<impl axum::response::IntoResponse, ApiError> {
    let config = lightpath_app::clouds::router_config(&caller, id).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8")], config))
}

fn href(id: &impl std::fmt::Display) -> String {
    format!("/api/v1/services/{id}")
}

/// A service with what it can be changed to and what disconnecting it now costs.
#[derive(Serialize, ToSchema)]
pub struct ServiceView {
    #[serde(flatten)]
    record: ServiceRecord,
    product_name: String,
    option_label: String,
    /// Bandwidths it can move to, priced now (empty when the product's cannot change).
    bandwidth_choices: Vec<ChoiceView>,
    /// The early termination charge of a disconnect now, within the term.
    early_termination: Option<EarlyTermination>,
}

/// A bandwidth the service can move to, with the monthly price a change to it must name.
#[derive(Serialize, ToSchema)]
pub struct ChoiceView {
    #[serde(flatten)]
    choice: BandwidthChoice,
    /// What a month would cost at this bandwidth: send it as `monthly_cents` to change.
    monthly_estimate_cents: i64,
}

/// A bandwidth change: the option to move to and its monthly price as listed in
/// `bandwidth_choices` (a price that moved since is refused with 409 and the new price).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BandwidthChange {
    option: String,
    monthly_cents: i64,
    /// Your purchase-order reference, stored on the order: one line of up to 64 characters.
    #[serde(default)]
    #[schema(max_length = 64, example = "PO-4500012345")]
    purchase_order: Option<String>,
}

/// The organisation's services with what they have cost so far, newest first.
#[utoipa::path(get, path = "/api/v1/services", tag = "services", operation_id = "listServices", security(("token" = [])), params(Window),
    responses(
        (status = 200, description = "One window of the list; the list's size in `X-Total-Count`",
            body = [Resource<ServiceSummary>], headers(("X-Total-Count" = u64, description = "Rows in the whole list"))),
        ListProblems
    ))]
async fn list(
    ApiCaller { caller, .. }: ApiCaller,
    RawQuery(query): RawQuery,
) -> Result<Listed<Resource<ServiceSummary>>, ApiError> {
    let page = window(query.as_deref())?;
    let inventory = services::list_services(&caller, page).await?;
    let total = lightpath_app::total(&caller, Listing::Services).await?;
    Ok(Listed(
        inventory
            .services
            .items
            .into_iter()
            .map(|service| Resource::new("Service", href(&service.id), service))
            .collect(),
        total,
    ))
}

/// One service: its path, rates over time, orders, the bandwidths it can move to (priced
/// now) and what a disconnect now would cost.
#[utoipa::path(get, path = "/api/v1/services/{id}", tag = "services", operation_id = "showService", security(("token" = [])),
    params(("id" = String, Path, description = "The service's id")),
    responses(
        (status = 200, description = "The service", body = Resource<ServiceView>),
        ReadProblems
    ))]
async fn show(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Resource<ServiceView>>, ApiError> {
    let ServicePage { record, product_name, option_label, choices, termination, .. } =
        services::load_service(&caller, id).await?;
    let href = href(&record.summary.id);
    Ok(Json(Resource::new(
        "Service",
        href,
        ServiceView {
            record,
            product_name,
            option_label,
            bandwidth_choices: choices
                .into_iter()
                .map(|choice| ChoiceView { monthly_estimate_cents: choice.monthly_estimate().cents(), choice })
                .collect(),
            early_termination: termination,
        },
    )))
}

/// Changes the service's bandwidth: a priced change order, idempotent by key.
#[utoipa::path(patch, path = "/api/v1/services/{id}", tag = "services", operation_id = "changeService", security(("token" = [])),
    params(("id" = String, Path, description = "The service's id"), ("Idempotency-Key" = String, Header, description = "One submission attempt's key, 16 to 128 characters (a UUID): the same key again answers with the same order")),
    request_body = BandwidthChange,
    responses(
        (status = 201, description = "The change order, placed", body = Resource<OrderRecord>),
        (status = 200, description = "This key placed the order already", body = Resource<OrderRecord>),
        ChangeProblems
    ))]
async fn change(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(change): Body<BandwidthChange>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let order =
        services::change_bandwidth(&caller, id, change.option, change.monthly_cents, key, change.purchase_order)
            .await?;
    placed(&caller, order).await
}

/// Disconnects the service: a disconnect order (with the early termination charge shown on
/// the service), idempotent by key.
#[utoipa::path(delete, path = "/api/v1/services/{id}", tag = "services", operation_id = "disconnectService", security(("token" = [])),
    params(("id" = String, Path, description = "The service's id"), ("Idempotency-Key" = String, Header, description = "One submission attempt's key, 16 to 128 characters (a UUID): the same key again answers with the same order")),
    responses(
        (status = 201, description = "The disconnect order, placed", body = Resource<OrderRecord>),
        (status = 200, description = "This key placed the order already", body = Resource<OrderRecord>),
        ChangeProblems
    ))]
async fn disconnect(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let order = services::disconnect_service(&caller, id, key).await?;
    placed(&caller, order).await
}
