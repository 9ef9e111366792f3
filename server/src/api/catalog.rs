//! `GET /api/v1/products` and `GET /api/v1/products/{id}`: the catalog with current prices.

use super::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use lightpath_domain::price_book::{PriceLine, StartingPrice, TermAdjustment};
use lightpath_domain::{Product, ProductId};
use serde::Serialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/products", get(list)).route("/api/v1/products/{id}", get(show))
}

#[derive(Serialize)]
struct ProductSummary {
    #[serde(flatten)]
    product: Product,
    starting_price: Option<StartingPrice>,
}

#[derive(Serialize)]
struct ProductDetail {
    #[serde(flatten)]
    product: Product,
    price_book_version: u32,
    currency: &'static str,
    prices: Vec<PriceLine>,
    term_adjustments: Vec<TermAdjustment>,
    /// Basis points of the remaining committed monthly charges an early termination costs.
    early_termination_share_bp: u32,
}

async fn list(State(state): State<AppState>) -> Result<Json<Vec<ProductSummary>>, ApiError> {
    let book = state.store.current_price_book().await?;
    let products = state.store.products().await?;
    // As in the portal's catalog, a product an admin added is listed once a published price
    // book prices it.
    Ok(Json(
        products
            .into_iter()
            .filter_map(|product| {
                Some(ProductSummary { starting_price: Some(book.starting_price(&product)?), product })
            })
            .collect(),
    ))
}

async fn show(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<ProductDetail>, ApiError> {
    let not_found = || ApiError::NotFound(format!("No product has the id “{id}”. GET /api/v1/products lists them."));
    let product_id = ProductId::parse(&id).map_err(|_| not_found())?;
    let product = state.store.product(&product_id).await?.ok_or_else(not_found)?;
    let book = state.store.current_price_book().await?;
    Ok(Json(ProductDetail {
        early_termination_share_bp: book.termination_share(&product.id),
        price_book_version: book.version,
        currency: lightpath_domain::money::CURRENCY,
        prices: book.lines.into_iter().filter(|line| line.product == product.id).collect(),
        term_adjustments: book.adjustments.into_iter().filter(|a| a.product == product.id).collect(),
        product,
    }))
}
