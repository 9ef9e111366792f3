//! Product orders (TM Forum TMF622): their states and which moves between them are allowed,
//! and the idempotency key a buyer's browser sends with each submission attempt.

use serde::{Deserialize, Serialize};

/// The state of an order or of one of its items, as TMF622 names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OrderState {
    Acknowledged,
    InProgress,
    Completed,
    Rejected,
    Held,
    Pending,
    Failed,
    Partial,
    AssessingCancellation,
    PendingCancellation,
    Cancelled,
}

impl OrderState {
    pub const ALL: [OrderState; 11] = [
        OrderState::Acknowledged,
        OrderState::InProgress,
        OrderState::Completed,
        OrderState::Rejected,
        OrderState::Held,
        OrderState::Pending,
        OrderState::Failed,
        OrderState::Partial,
        OrderState::AssessingCancellation,
        OrderState::PendingCancellation,
        OrderState::Cancelled,
    ];

    /// The TMF622 name (`inProgress`), stored and serialised.
    pub fn slug(self) -> &'static str {
        match self {
            OrderState::Acknowledged => "acknowledged",
            OrderState::InProgress => "inProgress",
            OrderState::Completed => "completed",
            OrderState::Rejected => "rejected",
            OrderState::Held => "held",
            OrderState::Pending => "pending",
            OrderState::Failed => "failed",
            OrderState::Partial => "partial",
            OrderState::AssessingCancellation => "assessingCancellation",
            OrderState::PendingCancellation => "pendingCancellation",
            OrderState::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<OrderState> {
        OrderState::ALL.into_iter().find(|state| state.slug() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            OrderState::Acknowledged => "Acknowledged",
            OrderState::InProgress => "In progress",
            OrderState::Completed => "Completed",
            OrderState::Rejected => "Rejected",
            OrderState::Held => "Held",
            OrderState::Pending => "Awaiting approval",
            OrderState::Failed => "Failed",
            OrderState::Partial => "Partly completed",
            OrderState::AssessingCancellation => "Assessing cancellation",
            OrderState::PendingCancellation => "Cancelling",
            OrderState::Cancelled => "Cancelled",
        }
    }

    /// No further change happens to an order in a terminal state.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            OrderState::Completed
                | OrderState::Rejected
                | OrderState::Failed
                | OrderState::Partial
                | OrderState::Cancelled
        )
    }

    /// Whether an order may move from `self` to `next` (TMF622's state machine).
    pub fn may_become(self, next: OrderState) -> bool {
        use OrderState::*;
        matches!(
            (self, next),
            (Acknowledged, InProgress | Rejected | Pending | Held | AssessingCancellation)
                | (Pending | Held, InProgress | AssessingCancellation)
                // An order awaiting the customer's own approval goes on to the credit check.
                | (Pending, Held)
                // A held or pending order has reserved nothing: refused or withdrawn, it simply ends.
                | (Pending | Held, Rejected | Cancelled)
                | (InProgress, Completed | Failed | Partial | Held | Pending | AssessingCancellation)
                | (AssessingCancellation, PendingCancellation | InProgress)
                | (PendingCancellation, Cancelled)
        )
    }

    /// The state of an order whose items all ended: completed when every item completed,
    /// failed when none did, partial otherwise.
    pub fn from_items(completed: usize, total: usize) -> OrderState {
        match (completed, total) {
            (done, all) if done == all => OrderState::Completed,
            (0, _) => OrderState::Failed,
            _ => OrderState::Partial,
        }
    }
}

/// The key a browser sends with one submission attempt: a double click or a retry after a
/// network error sends the same key, so the server creates one order. 16–128 characters of
/// letters, digits, `-` and `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(text: &str) -> Result<IdempotencyKey, String> {
        let ok =
            (16..=128).contains(&text.len()) && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok {
            Ok(IdempotencyKey(text.to_owned()))
        } else {
            Err("The idempotency key must be 16 to 128 letters, digits, dashes or underscores; send a new random key with each new order.".to_owned())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The buyer's own purchase-order reference, stored on the order and shown wherever the order
/// (and later its invoices) is: 1–64 printable characters, spaces inside allowed. Optional:
/// [`PurchaseOrder::parse`] reads an empty field as none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PurchaseOrder(String);

impl PurchaseOrder {
    pub const MAX_CHARS: usize = 64;

    /// The reference as typed, trimmed; None when left empty.
    pub fn parse(text: &str) -> Result<Option<PurchaseOrder>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if text.chars().count() > Self::MAX_CHARS {
            return Err(format!("A purchase-order reference is at most {} characters; shorten it.", Self::MAX_CHARS));
        }
        if text.chars().any(char::is_control) {
            return Err("A purchase-order reference is one line of printable characters.".to_owned());
        }
        Ok(Some(PurchaseOrder(text.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PurchaseOrder {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PurchaseOrder::parse(&value)?.ok_or_else(|| "A purchase-order reference cannot be empty.".to_owned())
    }
}

impl From<PurchaseOrder> for String {
    fn from(reference: PurchaseOrder) -> String {
        reference.0
    }
}

impl TryFrom<String> for IdempotencyKey {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        IdempotencyKey::parse(&value)
    }
}

impl From<IdempotencyKey> for String {
    fn from(key: IdempotencyKey) -> String {
        key.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_purchase_order_reference_is_one_short_printable_line() {
        assert_eq!(PurchaseOrder::parse("  ").unwrap(), None, "left empty: no reference");
        let reference = PurchaseOrder::parse("  PO 4500012345 / ACME-EU ").unwrap().unwrap();
        assert_eq!(reference.as_str(), "PO 4500012345 / ACME-EU", "trimmed, spaces inside kept");
        assert!(PurchaseOrder::parse(&"9".repeat(64)).unwrap().is_some());
        assert!(PurchaseOrder::parse(&"9".repeat(65)).unwrap_err().contains("at most 64"));
        assert!(PurchaseOrder::parse(&"é".repeat(64)).unwrap().is_some(), "characters, not bytes");
        for control in ["PO\n1", "PO\u{0}1", "PO\u{1b}[31m", "PO\t1"] {
            assert!(PurchaseOrder::parse(control).is_err(), "{control:?}");
        }
        assert!(serde_json::from_str::<PurchaseOrder>("\"\"").is_err(), "a stored reference is never empty");
    }

    #[test]
    fn states_round_trip_through_their_tmf_names() {
        for state in OrderState::ALL {
            assert_eq!(OrderState::parse(state.slug()), Some(state));
        }
        assert_eq!(OrderState::InProgress.slug(), "inProgress");
    }

    #[test]
    fn the_state_machine_allows_only_tmf622_moves() {
        use OrderState::*;
        assert!(Acknowledged.may_become(InProgress));
        assert!(InProgress.may_become(Completed));
        assert!(InProgress.may_become(AssessingCancellation));
        assert!(AssessingCancellation.may_become(PendingCancellation));
        assert!(PendingCancellation.may_become(Cancelled));
        for terminal in OrderState::ALL.into_iter().filter(|state| state.is_terminal()) {
            assert!(OrderState::ALL.iter().all(|next| !terminal.may_become(*next)), "{terminal:?} is final");
        }
        assert!(!Acknowledged.may_become(Completed));
        assert!(!Cancelled.may_become(Cancelled), "cancelling twice is refused");
    }

    #[test]
    fn an_order_ends_by_its_items() {
        assert_eq!(OrderState::from_items(3, 3), OrderState::Completed);
        assert_eq!(OrderState::from_items(0, 3), OrderState::Failed);
        assert_eq!(OrderState::from_items(1, 3), OrderState::Partial);
    }

    #[test]
    fn idempotency_keys_are_long_and_plain() {
        assert!(IdempotencyKey::parse("b1e8f3c2-7a4d-4e58-9d0f-2c6b8a1e5f37").is_ok());
        for bad in ["", "short", "has spaces in it, sadly", &"x".repeat(129), "ünïcödé-ünïcödé-ü"] {
            assert!(IdempotencyKey::parse(bad).is_err(), "{bad:?}");
        }
    }
}
