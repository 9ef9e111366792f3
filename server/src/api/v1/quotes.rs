//! `GET /api/v1/quotes[/{id}]` (a customer sees its organisation's quotes once sent) and
//! `POST /api/v1/quotes/{id}/accept`, which orders the quoted lines at the quoted price.

use super::orders::placed;
use super::{idempotency_key, window, Body, Listed, Resource};
use crate::api::auth::ApiCaller;
use crate::api::ApiError;
use crate::state::AppState;
use app::server_fns::quotes::QuoteView;
use app::usecases::{self, quotes};
use axum::extract::{Path, RawQuery};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use lightpath_domain::quote::QuoteAction;
use lightpath_domain::records::{QuoteRecord, QuoteSummary};
use lightpath_store::listing::Listing;
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/quotes", get(list))
        .route("/api/v1/quotes/{id}", get(show))
        .route("/api/v1/quotes/{id}/accept", post(accept))
}

fn href(id: &impl std::fmt::Display) -> String {
    format!("/api/v1/quotes/{id}")
}

#[derive(Serialize)]
struct QuoteResource {
    #[serde(flatten)]
    record: QuoteRecord,
    /// What the caller may do to the quote now.
    actions: Vec<QuoteAction>,
}

/// Accepts the quote's `version` as sent (a newer version since is refused with 409).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Acceptance {
    version: i64,
}

async fn list(
    ApiCaller { caller, .. }: ApiCaller,
    RawQuery(query): RawQuery,
) -> Result<Listed<Resource<QuoteSummary>>, ApiError> {
    let page = window(query.as_deref())?;
    let view = quotes::list_quotes(&caller, page, None).await?;
    let staff = caller.actor().is_some_and(|actor| actor.role.is_staff());
    let total = usecases::total(&caller, Listing::Quotes { sent_only: !staff }).await?;
    Ok(Listed(
        view.quotes.items.into_iter().map(|quote| Resource::new("Quote", href(&quote.id), quote)).collect(),
        total,
    ))
}

async fn show(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Resource<QuoteResource>>, ApiError> {
    let QuoteView { record, actions, .. } = quotes::load_quote(&caller, id).await?;
    Ok(Json(Resource::new("Quote", href(&record.summary.id), QuoteResource { record, actions })))
}

async fn accept(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(acceptance): Body<Acceptance>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let order = quotes::accept_quote(&caller, id, acceptance.version, key).await?;
    placed(&caller, order).await
}
