//! Thin `#[server]` adapters: read the request's context, call the store and the domain,
//! map errors to [`crate::error::AppError`]. No business rules live here.

pub mod catalog;
pub mod network;

/// Marks the response (the server function's, or the page's during server rendering) with the
/// error's HTTP status, so a missing record answers 404 rather than a generic 500.
#[cfg(feature = "ssr")]
pub(crate) fn failed(error: crate::error::AppError) -> crate::error::AppError {
    crate::set_http_status(error.status());
    error
}

#[cfg(feature = "ssr")]
pub(crate) fn store() -> Result<lightpath_store::Store, crate::error::AppError> {
    leptos::prelude::use_context::<lightpath_store::Store>().ok_or(crate::error::AppError::Unavailable)
}
