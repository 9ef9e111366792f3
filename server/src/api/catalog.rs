//! `GET /api/v1/products` and `GET /api/v1/products/{id}`: the catalog with current prices.

use super::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use lightpath_app::model::catalog::ProductView;
use lightpath_app::{catalog, Caller};
use lightpath_domain::price_book::{PriceLine, StartingPrice, TermAdjustment};
use lightpath_domain::Product;
use lightpath_store::CatalogVersions;
use serde::Serialize;
use std::sync::{Arc, Mutex};
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/products", get(list)).route("/api/v1/products/{id}", get(show))
}

/// A product of the catalog with its lowest price ("from $X").
#[derive(Serialize, ToSchema)]
pub struct ProductSummary {
    #[serde(flatten)]
    product: Product,
    starting_price: Option<StartingPrice>,
}

/// A product with every line of the current price book that prices it.
#[derive(Serialize, ToSchema)]
pub struct ProductDetail {
    #[serde(flatten)]
    product: Product,
    price_book_version: u32,
    /// ISO 4217: every amount is in cents of it.
    #[schema(example = "USD")]
    currency: &'static str,
    prices: Vec<PriceLine>,
    term_adjustments: Vec<TermAdjustment>,
    /// Basis points of the remaining committed monthly charges an early termination costs.
    early_termination_share_bp: u32,
}

/// The catalog: every product a published price book prices, with its starting price. Public.
#[utoipa::path(get, path = "/api/v1/products", tag = "catalog", operation_id = "listProducts", security(()),
    responses(
        (status = 200, description = "The products, in catalog order", body = [ProductSummary]),
        crate::api::v1::openapi::NoQueryProblems,
    ))]
pub(crate) async fn list(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, ApiError> {
    super::no_query(query.as_deref())?;
    let versions = state.store.catalog_versions().await?;
    let body = match state.catalog_answer.for_versions(versions) {
        Some(body) => body,
        None => {
            let listed = catalog::listed(&Caller::anonymous(state.store)).await?;
            let summaries: Vec<ProductSummary> = listed
                .products
                .into_iter()
                .map(|(product, starting_price)| ProductSummary { starting_price: Some(starting_price), product })
                .collect();
            let body = Bytes::from(serde_json::to_vec(&summaries).map_err(|_| ApiError::Down)?);
            state.catalog_answer.keep(versions, body.clone());
            body
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The catalog list as last serialised, with the catalog and price book versions it was made
/// from. The list is the same for everyone until an admin changes the catalog or publishes a
/// price book, and serialising every product on every request held it to a quarter of
/// `/healthz`'s rate (docs/benchmarks.md).
#[derive(Clone, Debug, Default)]
pub struct CatalogAnswer(Arc<Mutex<Option<(CatalogVersions, Bytes)>>>);

impl CatalogAnswer {
    fn for_versions(&self, versions: CatalogVersions) -> Option<Bytes> {
        let kept = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        kept.as_ref().filter(|(made_from, _)| *made_from == versions).map(|(_, body)| body.clone())
    }

    fn keep(&self, versions: CatalogVersions, body: Bytes) {
        *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some((versions, body));
    }
}

/// One product with its options, terms and current prices. Public.
#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "catalog", operation_id = "showProduct", security(()),
    params(("id" = String, Path, description = "The product's id, e.g. `wavelengths-400g`")),
    responses(
        (status = 200, description = "The product and its prices", body = ProductDetail),
        (status = 404, description = "No such product", body = crate::api::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ProductDetail>, ApiError> {
    let not_found = || ApiError::NotFound(format!("No product has the id “{id}”. GET /api/v1/products lists them."));
    let ProductView { product, price_book: book } =
        catalog::product(&Caller::anonymous(state.store), &id).await?.ok_or_else(not_found)?;
    Ok(Json(ProductDetail {
        early_termination_share_bp: book.termination_share(&product.id),
        price_book_version: book.version,
        currency: lightpath_domain::money::CURRENCY,
        prices: book.lines,
        term_adjustments: book.adjustments,
        product,
    }))
}
