//! `POST /api/v1/offers`: one product's configuration placed and priced on the network as it
//! is now, without ordering it (TMF679 qualification and TMF648 quote in one answer). An
//! integrator orders it with `POST /api/v1/orders` and the `totals` this call answered.

use super::openapi::ChangeProblems;
use super::Body;
use crate::api::auth::ApiCaller;
use crate::api::ApiError;
use crate::state::AppState;
use axum::routing::post;
use axum::{Json, Router};
use lightpath_app::configure;
use lightpath_domain::configure::{Configuration, Offer};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/offers", post(offer))
}

/// Places and prices a configuration without ordering it: its ends and their serviceability,
/// the path (and diverse twin), each item with its price breakdown, the totals to order it
/// at, and the lead time. A configuration that cannot be sold is 422 with the fields at fault.
#[utoipa::path(post, path = "/api/v1/offers", tag = "orders", operation_id = "priceOffer", security(("token" = [])),
    request_body = Configuration,
    responses(
        (status = 200, description = "The configuration placed and priced", body = Offer),
        ChangeProblems
    ))]
pub(super) async fn offer(
    ApiCaller { caller, .. }: ApiCaller,
    Body(config): Body<Configuration>,
) -> Result<Json<Offer>, ApiError> {
    Ok(Json(configure::offer(&caller, &config).await?))
}
