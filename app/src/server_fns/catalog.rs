//! Catalog reads for the catalog and product pages.

use crate::error::AppError;
use leptos::prelude::*;
pub use lightpath_app::model::catalog::*;

#[server(endpoint = "catalog", output = lightpath_app::error::JsonAnswer)]
pub async fn load_catalog() -> Result<CatalogView, AppError> {
    super::run(|caller| async move {
        let listed = lightpath_app::catalog::listed(&caller).await?;
        let cards = listed
            .products
            .into_iter()
            .map(|(product, starting_price)| ProductCard {
                starting_price: Some(starting_price),
                id: product.id.to_string(),
                name: product.name,
                tagline: product.tagline,
                stages: product.stages,
            })
            .collect();
        Ok(CatalogView { price_book_name: listed.book.name, cards })
    })
    .await
}

/// The product and its prices, or None when no product has that id (the page then shows a
/// "not found" message and answers 404; an unknown product is not a failure of the call).
#[server(endpoint = "product", output = lightpath_app::error::JsonAnswer)]
pub async fn load_product(id: String) -> Result<Option<ProductView>, AppError> {
    super::run(|caller| async move { lightpath_app::catalog::product(&caller, &id).await }).await
}
