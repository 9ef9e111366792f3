//! Product orders: ordering a saved design (idempotent, re-validated and re-priced here; the
//! browser's figures are never trusted), an order with its timeline, and the list of orders.

use lightpath_domain::account::Id;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPlaced {
    pub id: Id,
    /// False when this key had already placed the order (a double click, a retry).
    pub created: bool,
}
