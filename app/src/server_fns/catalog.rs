//! Catalog reads for the catalog and product pages.

use crate::error::AppError;
use leptos::prelude::*;
use lightpath_domain::price_book::{PriceBook, StartingPrice};
use lightpath_domain::{LifecycleStage, Product};
use serde::{Deserialize, Serialize};

/// A catalog card: what the card shows of a product, and its lowest price. (Not the whole
/// product: its options and descriptions would ride in every catalog page and its decoder in
/// the first wasm module every visitor downloads.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductCard {
    pub id: String,
    pub name: String,
    pub tagline: String,
    pub stages: Vec<LifecycleStage>,
    pub starting_price: Option<StartingPrice>,
}

/// Everything the catalog page shows; filtering happens in the browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogView {
    pub price_book_name: String,
    pub cards: Vec<ProductCard>,
}

/// A product with the current price book entries that price it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductView {
    pub product: Product,
    /// The current price book, narrowed to this product's lines and ladder.
    pub price_book: PriceBook,
}

#[server(endpoint = "catalog")]
pub async fn load_catalog() -> Result<CatalogView, AppError> {
    let store = super::store()?;
    let products = store.products().await?;
    let book = store.current_price_book().await?;
    // A product an admin added is listed once a published price book prices it.
    let cards = products
        .into_iter()
        .filter_map(|product| {
            Some(ProductCard {
                starting_price: Some(book.starting_price(&product)?),
                id: product.id.to_string(),
                name: product.name,
                tagline: product.tagline,
                stages: product.stages,
            })
        })
        .collect();
    Ok(CatalogView { price_book_name: book.name, cards })
}

/// The product and its prices, or None when no product has that id (the page then shows a
/// "not found" message and answers 404; an unknown product is not a failure of the call).
#[server(endpoint = "product")]
pub async fn load_product(id: String) -> Result<Option<ProductView>, AppError> {
    let Ok(product_id) = lightpath_domain::ProductId::parse(&id) else { return Ok(None) };
    let store = super::store()?;
    let Some(product) = store.product(&product_id).await? else { return Ok(None) };
    let mut price_book = store.current_price_book().await?;
    price_book.lines.retain(|line| line.product == product.id);
    price_book.adjustments.retain(|adjustment| adjustment.product == product.id);
    Ok(Some(ProductView { product, price_book }))
}
