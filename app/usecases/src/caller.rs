//! Who is asking, as every use case receives it.

use crate::error::AppError;
use lightpath_domain::account::Actor;
use lightpath_domain::policy::{self, Permission};
use lightpath_store::Store;

/// Who is asking (None when nobody is signed in) and the store every use case works on. The
/// adapters build it: a server function from the session cookie, a REST handler from the API
/// token.
#[derive(Clone)]
pub struct Caller {
    actor: Option<Actor>,
    pub store: Store,
}

impl Caller {
    pub fn new(actor: Option<Actor>, store: Store) -> Caller {
        Caller { actor, store }
    }

    /// Nobody signed in: the public reads (catalog, network, routes).
    pub fn anonymous(store: Store) -> Caller {
        Caller { actor: None, store }
    }

    pub fn actor(&self) -> Option<&Actor> {
        self.actor.as_ref()
    }

    /// Checks `permission` and returns who is asking; a refusal becomes 401, 403 or 404. The
    /// one way any use case requires a permission.
    pub fn require(&self, permission: Permission<'_>) -> Result<Actor, AppError> {
        policy::check(self.actor.as_ref(), permission)?;
        self.actor.clone().ok_or(AppError::SignInRequired)
    }

    /// Checks `permission` for a sensitive change (API tokens, webhooks, roles, the
    /// organisation's sign-in and approval settings): a person with an authenticator app must
    /// also have entered a code from it in this session lately (`policy::fresh_factor`).
    pub fn require_sensitive(&self, permission: Permission<'_>) -> Result<Actor, AppError> {
        let actor = self.require(permission)?;
        policy::fresh_factor(&actor)?;
        Ok(actor)
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
