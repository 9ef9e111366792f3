//! Product orders, by concern: placing one idempotently with its credit check (`placing`),
//! the provisioning queue the workers lease from and each item's progress (`queue`), and the
//! order's timeline as people read it (`timeline`), and the customer's own approval of large
//! orders (`approvals`). This module holds the types they share
//! and the row readers.

mod approvals;
mod placing;
mod queue;
mod timeline;

pub use approvals::ApprovalOutcome;

use crate::audit::{self, Change};
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::{Actor, Id, OrganisationRef};
use lightpath_domain::order::{IdempotencyKey, OrderState, PurchaseOrder};
use lightpath_domain::order_plan::{ItemRoute, PlannedItem};
use lightpath_domain::pricing::{Totals, HOURS_PER_MONTH};
pub use lightpath_domain::records::{OrderEvent, OrderItemRecord, OrderRecord, OrderSummary};
use lightpath_domain::records::{PageRequest, Paged};
use lightpath_domain::service::OrderAction;
use lightpath_domain::{Money, ProductId, SiteId, SpanId};
use sqlx::any::AnyRow;
use sqlx::Row;

/// An order as the server accepted it, re-validated and re-priced.
#[derive(Debug, Clone)]
pub struct NewOrder<'a> {
    pub key: &'a IdempotencyKey,
    /// The request as received, to tell a retry from a different request with the same key.
    pub request_json: String,
    pub organisation: &'a Id,
    pub design: Option<&'a Id>,
    pub action: OrderAction,
    /// The service a modify or disconnect order changes; it takes the service's one change slot.
    pub service: Option<&'a Id>,
    /// The quote (and the version) this order accepts: it turns accepted in the same transaction.
    pub quote: Option<(&'a Id, i64)>,
    /// The line of an accepted quote this order takes (a cloud item, ordered with the buyer's
    /// cloud details at its quoted price): one live order per line.
    pub quoted_item: Option<(&'a Id, u32)>,
    pub name: &'a str,
    pub price_book_version: i64,
    pub totals: Totals,
    pub items: Vec<PlannedItem>,
    /// The buyer's purchase-order reference, if they gave one.
    pub purchase_order: Option<&'a PurchaseOrder>,
    /// The cloud connection or cloud router the order's one item is, with what it needs.
    pub cloud: Option<crate::cloud_connections::CloudItem<'a>>,
    /// A note for the order's timeline, after its acknowledgement (what was left out of it).
    pub note: Option<String>,
}

/// An item as the provisioning worker sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItem {
    pub position: u32,
    pub title: String,
    pub action: OrderAction,
    /// Who holds the item's capacity on the network (stable across restarts).
    pub holder: String,
    /// A bandwidth change's rate before the change.
    pub from_mbps: Option<u64>,
    pub route: ItemRoute,
    pub state: OrderState,
    pub next_step: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    #[error("this idempotency key was already used for a different order")]
    KeyReused,
    #[error("the service is not active, another change to it is running, or its rate changed meanwhile")]
    ServiceBusy,
    #[error("the quote is no longer sent and valid at that version")]
    QuoteChanged,
    /// Another order took the quote's line first (and was not rejected, failed or cancelled).
    #[error("this line of the quote is already ordered")]
    QuotedItemTaken,
    #[error("VLAN {vlan} is already in use on {interface}")]
    VlanTaken { interface: String, vlan: u16 },
    #[error("every VLAN on {0} is in use")]
    VlanExhausted(String),
    /// Another order took the automatically picked VLAN first: the order is tried again.
    #[error("another order took the VLAN first")]
    VlanRace,
    #[error("the cloud's key is already used by another connection")]
    CloudKeyUsed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for OrderError {
    fn from(error: sqlx::Error) -> Self {
        OrderError::Store(StoreError::Database(error))
    }
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("order {what}"))
}

fn cents(row: &AnyRow, prefix: &str) -> Result<Totals, StoreError> {
    let get = |column: &str| -> Result<Money, StoreError> {
        Ok(Money::from_cents(row.try_get::<i64, _>(format!("{prefix}{column}").as_str())?))
    };
    Ok(Totals { monthly: get("monthly_cents")?, hourly: get("hourly_cents")?, one_time: get("one_time_cents")? })
}

fn state(text: &str) -> Result<OrderState, StoreError> {
    OrderState::parse(text).ok_or_else(|| corrupt(format!("state {text}")))
}

fn spans_from(text: &str) -> Result<Vec<SpanId>, StoreError> {
    text.split(',').filter(|span| !span.is_empty()).map(|span| SpanId::parse(span).map_err(corrupt)).collect()
}

const SUMMARY_COLUMNS: &str =
    "o.id, o.organisation_id, g.name AS organisation_name, o.design_id, o.action, o.service_id, o.name, o.state, \
     o.reason, o.price_book_version, o.monthly_cents, o.hourly_cents, o.one_time_cents, o.created_at_ms, \
     o.updated_at_ms, o.purchase_order FROM orders o JOIN organisations g ON g.id = o.organisation_id";

fn summary_from_row(row: &AnyRow) -> Result<OrderSummary, StoreError> {
    let id: String = row.try_get("id")?;
    let organisation: String = row.try_get("organisation_id")?;
    let design: Option<String> = row.try_get("design_id")?;
    let state_text: String = row.try_get("state")?;
    let action: String = row.try_get("action")?;
    let service: Option<String> = row.try_get("service_id")?;
    Ok(OrderSummary {
        id: Id::parse(&id).ok_or_else(|| corrupt("id"))?,
        organisation: OrganisationRef {
            id: Id::parse(&organisation).ok_or_else(|| corrupt("organisation"))?,
            name: row.try_get("organisation_name")?,
        },
        design_id: design.as_deref().and_then(Id::parse),
        action: OrderAction::parse(&action).ok_or_else(|| corrupt(format!("action {action}")))?,
        service_id: service.as_deref().and_then(Id::parse),
        name: row.try_get("name")?,
        state: state(&state_text)?,
        reason: row.try_get("reason")?,
        totals: cents(row, "")?,
        price_book_version: row.try_get("price_book_version")?,
        created_at_ms: row.try_get("created_at_ms")?,
        updated_at_ms: row.try_get("updated_at_ms")?,
        purchase_order: row.try_get("purchase_order")?,
    })
}

/// Appends to an order's timeline, numbering the event after the last one. Two writers can
/// number an event of one order at the same moment on PostgreSQL (a worker's step and a
/// buyer's cancellation, each in its own transaction): the second waits for the first, finds
/// its number taken and numbers the event again after it, instead of failing the request on
/// the duplicate key (it did: a cancellation answered 503 in CI). SQLite has one writer at a
/// time.
pub(crate) async fn add_event(
    connection: &mut sqlx::AnyConnection,
    order: &Id,
    item: Option<u32>,
    outcome: &str,
    message: &str,
) -> Result<(), sqlx::Error> {
    // Each lost attempt means another writer's event landed first, so a writer tries at most
    // as often as there are writers of this order at once: far fewer than this.
    const ATTEMPTS: usize = 64;
    for _ in 0..ATTEMPTS {
        let added = sqlx::query(
            "INSERT INTO order_events (order_id, seq, at_ms, item, outcome, message)
             SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5 FROM order_events WHERE order_id = $1
             ON CONFLICT DO NOTHING",
        )
        .bind(order.as_str())
        .bind(now_ms())
        .bind(item.map(i64::from))
        .bind(outcome)
        .bind(message)
        .execute(&mut *connection)
        .await?
        .rows_affected();
        if added == 1 {
            return Ok(());
        }
    }
    Err(sqlx::Error::Protocol(format!("order {order}: {ATTEMPTS} writers took the timeline's next number first")))
}

/// The orders that no longer count towards an organisation's exposure.
const ENDED: &str = "('completed', 'rejected', 'failed', 'partial', 'cancelled')";
