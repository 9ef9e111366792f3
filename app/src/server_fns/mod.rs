//! Thin `#[server]` adapters: read the request's context, call the store and the domain,
//! map errors to [`crate::error::AppError`]. No business rules live here.

pub mod account;
pub mod admin;
pub mod catalog;
pub mod configure;
pub mod designs;
pub mod network;
pub mod orders;
pub mod orgs;
pub mod quotes;
pub mod reference;
pub mod services;
pub mod tokens;
pub mod webhooks;

#[cfg(feature = "ssr")]
pub(crate) fn store() -> Result<lightpath_store::Store, crate::error::AppError> {
    leptos::prelude::use_context::<lightpath_store::Store>().ok_or(crate::error::AppError::Unavailable)
}
