//! The catalog as anyone sees it: the products a published price book prices, and one
//! product with its current prices.

use crate::model::catalog::ProductView;
use crate::{AppError, Caller};
use lightpath_domain::price_book::{PriceBook, StartingPrice};
use lightpath_domain::{Product, ProductId};

/// The products on sale and the price book that prices them.
pub struct Listed {
    pub book: PriceBook,
    /// In catalog order, each with its lowest price ("from $X").
    pub products: Vec<(Product, StartingPrice)>,
}

/// The catalog. A product an admin added is listed once a published price book prices it.
pub async fn listed(caller: &Caller) -> Result<Listed, AppError> {
    let book = caller.store.current_price_book().await?;
    let products = caller.store.products().await?;
    let products = products
        .into_iter()
        .filter_map(|product| {
            let from = book.starting_price(&product)?;
            Some((product, from))
        })
        .collect();
    Ok(Listed { book, products })
}

/// The product and the current price book narrowed to its lines and ladder, or None when no
/// product has that id (an unknown product is an answer, not a failure).
pub async fn product(caller: &Caller, id: &str) -> Result<Option<ProductView>, AppError> {
    let Ok(product_id) = ProductId::parse(id) else { return Ok(None) };
    let Some(product) = caller.store.product(&product_id).await? else { return Ok(None) };
    let mut price_book = caller.store.current_price_book().await?;
    price_book.lines.retain(|line| line.product == product.id);
    price_book.adjustments.retain(|adjustment| adjustment.product == product.id);
    Ok(Some(ProductView { product, price_book }))
}
