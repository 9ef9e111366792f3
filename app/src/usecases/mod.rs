//! The application layer: each use case (recommend, save a design, order, cancel, change
//! bandwidth, disconnect, the quote actions…) is a plain async function of who is asking
//! ([`Caller`]) and typed input, returning domain results or an [`AppError`]. The browser's
//! server functions (a session cookie) and the REST API (an API token) are thin adapters over
//! the same functions, so no rule is written twice.

pub mod configure;
pub mod designs;
pub mod orders;
pub mod quotes;
pub mod services;
pub mod tokens;
pub mod webhooks;

use crate::error::AppError;
use lightpath_domain::account::Actor;
use lightpath_domain::policy::{self, Permission};
use lightpath_store::Store;
use std::future::Future;

/// Who is asking (None when nobody is signed in) and the store every use case works on.
#[derive(Clone)]
pub struct Caller {
    actor: Option<Actor>,
    pub store: Store,
}

impl Caller {
    pub fn new(actor: Option<Actor>, store: Store) -> Caller {
        Caller { actor, store }
    }

    /// The browser's caller: the session's person and the store, from the request's context.
    pub fn from_context() -> Result<Caller, AppError> {
        Ok(Caller::new(crate::auth::actor(), crate::server_fns::store()?))
    }

    pub fn actor(&self) -> Option<&Actor> {
        self.actor.as_ref()
    }

    /// Checks `permission` and returns who is asking; a refusal becomes 401, 403 or 404.
    pub fn require(&self, permission: Permission<'_>) -> Result<Actor, AppError> {
        policy::check(self.actor.as_ref(), permission)?;
        self.actor.clone().ok_or(AppError::SignInRequired)
    }
}

/// How many rows `listing` holds for the caller: the same scope as its paged list (every
/// organisation's for staff, their own for a customer).
pub async fn total(caller: &Caller, listing: lightpath_store::listing::Listing) -> Result<u64, AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    match policy::listing_scope(&actor) {
        Some(scope) => Ok(caller.store.count(listing, scope).await?),
        None => Ok(0),
    }
}

/// Runs a use case for a server function: as the request's caller, with the HTTP status set
/// from the outcome.
pub async fn run<T, F>(use_case: impl FnOnce(Caller) -> F) -> Result<T, AppError>
where
    F: Future<Output = Result<T, AppError>>,
{
    let outcome = match Caller::from_context() {
        Ok(caller) => use_case(caller).await,
        Err(error) => Err(error),
    };
    crate::with_status(outcome)
}
