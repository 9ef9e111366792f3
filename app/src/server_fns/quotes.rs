//! Sales quotes: the sales engineer's workspace, the quote editor (the wizard's recommendation
//! and pricing, with a discount), state moves by role, and acceptance, which orders the quote
//! through the same idempotent path as "Order now" while honouring its price book version and
//! discount.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
pub use lightpath_app::model::quotes::*;
use lightpath_domain::quote::QuoteAction;
#[cfg(feature = "ssr")]
use lightpath_domain::records::PageRequest;
use lightpath_domain::records::{Paged, QuoteSummary};

/// One page (0-based) of the quotes the viewer may see; staff may ask for one organisation's.
#[server(endpoint = "quotes", output = lightpath_app::error::JsonAnswer)]
pub async fn list_quotes(page: Option<u32>, organisation: Option<String>) -> Result<QuotesView, AppError> {
    super::run(|caller| async move {
        lightpath_app::quotes::list_quotes(&caller, PageRequest::new(page.unwrap_or(0)), organisation).await
    })
    .await
}

/// Quotes waiting for an admin's decision on their discount (admins only).
#[server(endpoint = "approvals", output = lightpath_app::error::JsonAnswer)]
pub async fn pending_approvals(page: Option<u32>) -> Result<Paged<QuoteSummary>, AppError> {
    super::run(|caller| async move { lightpath_app::quotes::pending_approvals(&caller, page).await }).await
}

#[server(endpoint = "quote", output = lightpath_app::error::JsonAnswer)]
pub async fn load_quote(id: String) -> Result<QuoteView, AppError> {
    super::run(|caller| async move { lightpath_app::quotes::load_quote(&caller, id).await }).await
}

#[server(endpoint = "quote-editor", output = lightpath_app::error::JsonAnswer)]
pub async fn quote_editor(design: Option<String>, quote: Option<String>) -> Result<EditorStart, AppError> {
    super::run(|caller| async move { lightpath_app::quotes::quote_editor(&caller, design, quote).await }).await
}

/// Saves a new quote or a new version of one; answers the quote's id.
#[server(endpoint = "save-quote", input = Json, output = lightpath_app::error::JsonAnswer)]
pub async fn save_quote(input: QuoteInput) -> Result<String, AppError> {
    super::run(|caller| async move { lightpath_app::quotes::save_quote(&caller, input).await }).await
}

/// Requests approval, approves, rejects, sends or cancels the quote's `version`.
#[server(endpoint = "quote-action", output = lightpath_app::error::JsonAnswer)]
pub async fn act_on_quote(id: String, version: i64, action: QuoteAction, comment: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::quotes::act_on_quote(&caller, id, version, action, comment).await })
        .await
}

/// The customer accepts the sent quote's `version`: it is ordered as quoted, with their
/// purchase-order reference if they give one. `key` makes the submission idempotent.
#[server(endpoint = "accept-quote", output = lightpath_app::error::JsonAnswer)]
pub async fn accept_quote(
    id: String,
    version: i64,
    key: String,
    purchase_order: Option<String>,
) -> Result<crate::server_fns::orders::OrderPlaced, AppError> {
    super::run(
        |caller| async move { lightpath_app::quotes::accept_quote(&caller, id, version, key, purchase_order).await },
    )
    .await
}

/// One of an accepted quote's cloud items (its line `position`), with what ordering it needs.
#[server(endpoint = "quoted-cloud-item", output = lightpath_app::error::JsonAnswer)]
pub async fn load_quoted_cloud_item(id: String, position: u32) -> Result<QuotedCloudItemPage, AppError> {
    super::run(|caller| async move { lightpath_app::quotes::quoted_cloud_item(&caller, id, position).await }).await
}

/// Orders an accepted quote's cloud item at its quoted price: a cloud connection with its
/// cloud's details (`cloud`), a cloud router with its AS number (`router`) and the metro it
/// runs in (`site`). `key` makes the submission idempotent.
#[server(endpoint = "order-quoted-cloud-item", input = Json, output = lightpath_app::error::JsonAnswer)]
pub async fn order_quoted_cloud_item(
    id: String,
    position: u32,
    key: String,
    #[server(default)] purchase_order: Option<String>,
    #[server(default)] cloud: Option<lightpath_domain::cloud::CloudForm>,
    #[server(default)] router: Option<lightpath_domain::cloud_router::RouterForm>,
    #[server(default)] site: Option<String>,
) -> Result<crate::server_fns::orders::OrderPlaced, AppError> {
    super::run(|caller| async move {
        let details = lightpath_app::clouds::CloudOrder::from_parts(cloud.as_ref(), router.as_ref())?;
        lightpath_app::quotes::order_quoted_cloud_item(&caller, id, position, details, site, key, purchase_order).await
    })
    .await
}
