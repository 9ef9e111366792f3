//! Catalog reads for the catalog and product pages.

use crate::error::AppError;
use leptos::prelude::*;
use lightpath_domain::price_book::{PriceBook, StartingPrice};
use lightpath_domain::Product;
use serde::{Deserialize, Serialize};

/// A catalog card: the product and its lowest price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductCard {
    pub product: Product,
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
    let cards = products
        .into_iter()
        .map(|product| ProductCard { starting_price: book.starting_price(&product), product })
        .collect();
    Ok(CatalogView { price_book_name: book.name, cards })
}

#[server(endpoint = "product")]
pub async fn load_product(id: String) -> Result<ProductView, AppError> {
    let not_found = || super::failed(AppError::NotFound(format!("a product called “{id}”")));
    let product_id = lightpath_domain::ProductId::parse(&id).map_err(|_| not_found())?;
    let store = super::store()?;
    let product = store.product(&product_id).await?.ok_or_else(not_found)?;
    let mut price_book = store.current_price_book().await?;
    price_book.lines.retain(|line| line.product == product.id);
    price_book.adjustments.retain(|adjustment| adjustment.product == product.id);
    Ok(ProductView { product, price_book })
}
