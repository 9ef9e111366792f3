//! Product orders: ordering a saved design (idempotent, re-validated and re-priced here; the
//! browser's figures are never trusted), an order with its timeline, and the list of orders.

use crate::error::AppError;
use leptos::prelude::*;
pub use lightpath_app::model::orders::*;
#[cfg(feature = "ssr")]
use lightpath_domain::records::PageRequest;
use lightpath_domain::records::{OrderRecord, OrderSummary, Paged};

/// Orders the bundle saved with a design, with the buyer's purchase-order reference if they
/// give one. `key` is one submission attempt's idempotency key: the same key again returns the
/// same order.
#[server(endpoint = "order-design", output = lightpath_app::error::JsonAnswer)]
pub async fn order_design(
    design: String,
    key: String,
    purchase_order: Option<String>,
) -> Result<OrderPlaced, AppError> {
    super::run(|caller| async move { lightpath_app::orders::order_design(&caller, design, key, purchase_order).await })
        .await
}

#[server(endpoint = "order", output = lightpath_app::error::JsonAnswer)]
pub async fn load_order(id: String) -> Result<OrderRecord, AppError> {
    super::run(|caller| async move { lightpath_app::orders::load_order(&caller, id).await }).await
}

/// Asks for a running order to be cancelled; the worker rolls back what is not yet delivered
/// (delivered items stay services under their term).
#[server(endpoint = "cancel-order", output = lightpath_app::error::JsonAnswer)]
pub async fn cancel_order(id: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::orders::cancel_order(&caller, id).await }).await
}

/// One page (0-based) of the orders the viewer may see, newest first.
#[server(endpoint = "orders", output = lightpath_app::error::JsonAnswer)]
pub async fn list_orders(page: Option<u32>) -> Result<Paged<OrderSummary>, AppError> {
    super::run(|caller| async move {
        lightpath_app::orders::list_orders(&caller, PageRequest::new(page.unwrap_or(0))).await
    })
    .await
}

/// Orders held for a credit review, oldest first (admins).
#[server(endpoint = "held-orders", output = lightpath_app::error::JsonAnswer)]
pub async fn held_orders(page: Option<u32>) -> Result<Paged<OrderSummary>, AppError> {
    super::run(|caller| async move { lightpath_app::orders::held_orders(&caller, page).await }).await
}

/// An admin approves a held order (it provisions at once) or rejects it with a reason the
/// buyer reads.
#[server(endpoint = "decide-held-order", output = lightpath_app::error::JsonAnswer)]
pub async fn decide_held_order(id: String, approve: bool, comment: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::orders::decide_held_order(&caller, id, approve, comment).await })
        .await
}

/// A second member of the organisation approves an order waiting for approval (on to the
/// credit check and provisioning) or rejects it with a reason. The order page posts it as a
/// plain form: the answer then opens the order page again.
#[server(endpoint = "decide-pending-order", output = lightpath_app::error::JsonAnswer)]
pub async fn decide_pending_order(id: String, approve: bool, comment: String) -> Result<(), AppError> {
    super::run(|caller| async move {
        let page = format!("/orders/{id}");
        lightpath_app::orders::decide_pending_order(&caller, id, approve, comment).await?;
        leptos_axum::redirect(&page);
        Ok(())
    })
    .await
}
