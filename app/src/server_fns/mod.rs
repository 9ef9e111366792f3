//! Thin `#[server]` adapters over the application layer (`lightpath_app`): each finds who is
//! asking from the session cookie, calls one use case and sets the HTTP status from the
//! outcome. No rule and no store access lives here; the types they carry are
//! `lightpath_app::model`'s, re-exported beside each function for the pages.

pub mod account;
pub mod admin;
pub mod catalog;
pub mod clouds;
pub mod configure;
pub mod designs;
pub mod invoices;
pub mod network;
pub mod orders;
pub mod orgs;
pub mod quotes;
pub mod reference;
pub mod services;
pub mod tokens;
pub mod webhooks;

#[cfg(feature = "ssr")]
pub(crate) use adapter::run;

#[cfg(feature = "ssr")]
mod adapter {
    use crate::error::AppError;
    use lightpath_app::Caller;
    use std::future::Future;

    /// The browser's caller: the session's person and the store the server provides.
    fn caller() -> Result<Caller, AppError> {
        let store = leptos::prelude::use_context::<lightpath_store::Store>().ok_or(AppError::Unavailable)?;
        Ok(Caller::new(crate::auth::actor(), store))
    }

    /// Runs a use case for a server function: as the request's caller, with the HTTP status
    /// set from the outcome.
    pub async fn run<T, F>(use_case: impl FnOnce(Caller) -> F) -> Result<T, AppError>
    where
        F: Future<Output = Result<T, AppError>>,
    {
        let outcome = match caller() {
            Ok(caller) => use_case(caller).await,
            Err(error) => Err(error),
        };
        crate::with_status(outcome)
    }
}
