//! Webhook subscriptions as TMF688's hub (`POST /api/v1/hub`, `GET /api/v1/hub`,
//! `DELETE /api/v1/hub/{id}`) and the organisation's API tokens (`GET /api/v1/tokens`,
//! `DELETE /api/v1/tokens/{id}`): for an organisation's admin, through an admin token. Every
//! change is audited under the token, as in the portal. Tokens are never made through the API:
//! a leaked token cannot mint others.

use super::openapi::{AdminListProblems, ChangeProblems};
use super::Body;
use crate::api::auth::ApiCaller;
use crate::api::ApiError;
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use lightpath_app::AppError;
use lightpath_app::{tokens, webhooks};
use lightpath_domain::records::{ApiToken, WebhookSubscription};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/hub", get(list_hub).post(subscribe))
        .route("/api/v1/hub/{id}", delete(unsubscribe))
        .route("/api/v1/tokens", get(list_tokens))
        .route("/api/v1/tokens/{id}", delete(revoke_token))
}

/// A subscription to make: where to POST events, and which.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HubInput {
    /// `https://` on the public internet.
    #[schema(example = "https://hooks.example.com/lightpath")]
    callback: String,
    /// Event types: `order-state-changed`, `order-item-completed`, `service-changed`, `quote-sent`,
    /// `maintenance`, `outage`, `usage-alert`.
    #[schema(example = json!(["order-state-changed"]))]
    events: Vec<String>,
}

/// A subscription just made, with its signing secret: the only time it is shown.
#[derive(Serialize, ToSchema)]
pub struct HubSubscribed {
    #[serde(flatten)]
    subscription: WebhookSubscription,
    /// The HMAC-SHA256 key of the `Lightpath-Signature` header (`whsec_…`).
    secret: String,
}

/// Subscribes a callback to the organisation's events; answers with its signing secret once.
#[utoipa::path(post, path = "/api/v1/hub", tag = "hub", operation_id = "subscribeHub", security(("token" = [])),
    request_body = HubInput,
    responses(
        (status = 201, description = "Subscribed; `Location` names it", body = HubSubscribed,
            headers(("Location" = String, description = "The subscription's URL"))),
        ChangeProblems
    ))]
pub(super) async fn subscribe(
    State(state): State<AppState>,
    ApiCaller { caller, .. }: ApiCaller,
    Body(input): Body<HubInput>,
) -> Result<Response, ApiError> {
    // The portal's form calls the field `url`; here it is TMF688's `callback`.
    let made =
        webhooks::create(&caller, state.webhook_policy, &input.callback, &input.events).await.map_err(|error| {
            match error {
                AppError::Fields(fields) => AppError::Fields(
                    fields
                        .into_iter()
                        .map(|(field, message)| (if field == "url" { "callback".to_owned() } else { field }, message))
                        .collect(),
                ),
                other => other,
            }
        })?;
    let location = format!("/api/v1/hub/{}", made.subscription.id);
    let body = HubSubscribed { subscription: made.subscription, secret: made.secret };
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(body)).into_response())
}

/// The organisation's subscriptions, newest first, each with its latest deliveries.
#[utoipa::path(get, path = "/api/v1/hub", tag = "hub", operation_id = "listHub", security(("token" = [])),
    responses(
        (status = 200, description = "The subscriptions", body = [WebhookSubscription]),
        AdminListProblems
    ))]
pub(super) async fn list_hub(
    ApiCaller { caller, .. }: ApiCaller,
    RawQuery(query): RawQuery,
) -> Result<Json<Vec<WebhookSubscription>>, ApiError> {
    crate::api::no_query(query.as_deref())?;
    Ok(Json(webhooks::list(&caller).await?.subscriptions))
}

/// Removes a subscription; its undelivered events are dropped.
#[utoipa::path(delete, path = "/api/v1/hub/{id}", tag = "hub", operation_id = "unsubscribeHub",
    security(("token" = [])),
    params(("id" = String, Path, description = "The subscription's id")),
    responses((status = 204, description = "Removed"), ChangeProblems))]
pub(super) async fn unsubscribe(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    webhooks::remove(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The organisation's API tokens, live and ended (never their secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "hub", operation_id = "listTokens", security(("token" = [])),
    responses(
        (status = 200, description = "The tokens", body = [ApiToken]),
        AdminListProblems
    ))]
pub(super) async fn list_tokens(
    ApiCaller { caller, .. }: ApiCaller,
    RawQuery(query): RawQuery,
) -> Result<Json<Vec<ApiToken>>, ApiError> {
    crate::api::no_query(query.as_deref())?;
    Ok(Json(tokens::list(&caller).await?.tokens))
}

/// Revokes a token at once: its next request is 401.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "hub", operation_id = "revokeToken",
    security(("token" = [])),
    params(("id" = String, Path, description = "The token's id")),
    responses((status = 204, description = "Revoked"), ChangeProblems))]
pub(super) async fn revoke_token(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    tokens::revoke(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
