//! How many rows a list holds, for the REST API's `X-Total-Count`: the same scopes as the
//! paged lists (`Store::designs`, `orders`, `services`, `quotes`).

use crate::{Store, StoreError};
use lightpath_domain::account::Id;
use sqlx::Row;

/// A list the REST API pages through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    Designs,
    Orders,
    Services,
    /// Quotes; `sent_only` as a customer sees them (sent or accepted).
    Quotes {
        sent_only: bool,
    },
}

impl Store {
    /// The rows of `listing` in `organisation` (None: every organisation's).
    pub async fn count(&self, listing: Listing, organisation: Option<&Id>) -> Result<u64, StoreError> {
        let query = match listing {
            Listing::Designs => "SELECT COUNT(*) AS n FROM designs WHERE ($1 = '' OR organisation_id = $1)",
            Listing::Orders => "SELECT COUNT(*) AS n FROM orders WHERE ($1 = '' OR organisation_id = $1)",
            Listing::Services => "SELECT COUNT(*) AS n FROM services WHERE ($1 = '' OR organisation_id = $1)",
            Listing::Quotes { sent_only: false } => {
                "SELECT COUNT(*) AS n FROM quotes WHERE ($1 = '' OR organisation_id = $1)"
            }
            Listing::Quotes { sent_only: true } => {
                "SELECT COUNT(*) AS n FROM quotes WHERE ($1 = '' OR organisation_id = $1) AND state IN ('sent', 'accepted')"
            }
        };
        let count: i64 =
            sqlx::query(query).bind(organisation.map_or("", Id::as_str)).fetch_one(self.pool()).await?.try_get("n")?;
        Ok(u64::try_from(count).unwrap_or(0))
    }
}
