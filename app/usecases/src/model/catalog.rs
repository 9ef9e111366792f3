//! Catalog reads for the catalog and product pages.

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
