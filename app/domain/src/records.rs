//! Records the store reads and the admin pages show as they are: one definition for the
//! server and the browser.

use crate::account::{Id, OrganisationRef};
use crate::catalog::LifecycleStage;
use crate::design::{DesignDraft, DesignIntent};
use crate::money::Money;
use crate::pricing::Totals;
use crate::recommend::Choice;
use serde::{Deserialize, Serialize};

/// One audit log entry: who changed what, when, with the changed fields before and after
/// (as JSON text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: String,
    pub at_ms: i64,
    /// The person who acted (their account's email).
    pub actor_email: String,
    /// The API token they acted through, as its name and prefix: data they chose, shown apart.
    pub token: Option<String>,
    pub action: String,
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Audit entries as CSV: a header, then one row per entry, times in UTC (ISO 8601).
pub fn audit_csv(entries: &[AuditEntry]) -> String {
    let mut out = crate::csv::row(&["at", "who", "api_token", "action", "subject", "before", "after"]);
    for entry in entries {
        out.push_str(&crate::csv::row(&[
            crate::time::iso_time(entry.at_ms).as_str(),
            &entry.actor_email,
            entry.token.as_deref().unwrap_or_default(),
            &entry.action,
            &entry.subject,
            entry.before.as_deref().unwrap_or_default(),
            entry.after.as_deref().unwrap_or_default(),
        ]));
    }
    out
}

/// An API token as its organisation's admin sees it: never the secret, which is shown once
/// when the token is made and stored only as a hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: Id,
    pub name: String,
    /// The token's first characters, to recognise it in lists and logs.
    pub prefix: String,
    pub access: crate::account::TokenAccess,
    /// Who made it (their email).
    pub created_by: String,
    pub created_at_ms: i64,
    pub expires_at_ms: Option<i64>,
    pub last_used_ms: Option<i64>,
    pub revoked_at_ms: Option<i64>,
}

impl ApiToken {
    /// Whether a request with it would be served at `now_ms`.
    pub fn is_live(&self, now_ms: i64) -> bool {
        self.revoked_at_ms.is_none() && self.expires_at_ms.is_none_or(|expires| now_ms < expires)
    }
}

/// A webhook subscription as its organisation's admin sees it (never its signing secret,
/// which is shown once when it is made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookSubscription {
    pub id: Id,
    pub url: String,
    /// The event types it receives (`order-state-changed`, `order-item-completed`,
    /// `service-changed`, `quote-sent`).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub events: Vec<crate::webhooks::EventType>,
    pub created_by: String,
    pub created_at_ms: i64,
    /// When its backlog reached the cap: no new events are queued until it is resumed.
    pub paused_at_ms: Option<i64>,
    /// Events waiting to be delivered, the one being tried included.
    pub backlog: u64,
    /// The newest deliveries, newest first.
    pub deliveries: Vec<WebhookDelivery>,
}

/// One event sent (or being sent) to one subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    pub id: Id,
    /// The same for every subscription and every attempt: receivers drop repeats by it.
    pub event_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub event_type: crate::webhooks::EventType,
    /// `pending` (waiting for its next attempt), `delivered` or `failed` (gave up).
    pub state: String,
    pub attempts: u32,
    /// The receiver's last HTTP status, if it answered.
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
    pub created_at_ms: i64,
    pub delivered_at_ms: Option<i64>,
}

/// A price book version as listed for admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceBookSummary {
    pub version: i64,
    pub name: String,
    /// `draft`, `published` (the current version) or `retired`.
    pub status: String,
    pub created_at_ms: i64,
    pub published_at_ms: Option<i64>,
}

/// A saved design as listed: whose it is, what it covers, what it costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DesignSummary {
    pub id: Id,
    pub organisation: OrganisationRef,
    pub name: String,
    pub stages: Vec<LifecycleStage>,
    pub intent: DesignIntent,
    /// The chosen bundle's totals, re-priced by the server on save; None for a draft.
    pub totals: Option<Totals>,
    pub price_book_version: Option<i64>,
    pub created_by: String,
    pub updated_at_ms: i64,
}

impl DesignSummary {
    pub fn monthly_estimate(&self) -> Option<Money> {
        self.totals.map(Totals::monthly_estimate)
    }
}

/// A saved design with everything needed to reopen it in the wizard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedDesign {
    pub summary: DesignSummary,
    pub draft: DesignDraft,
    pub choice: Option<Choice>,
}

/// An order as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    pub id: Id,
    pub organisation: OrganisationRef,
    pub design_id: Option<Id>,
    /// New services, a bandwidth change or a disconnect.
    pub action: crate::service::OrderAction,
    /// The service a bandwidth change or disconnect is for.
    pub service_id: Option<Id>,
    pub name: String,
    pub state: crate::order::OrderState,
    /// Why it failed, was rejected or is partial, in a sentence.
    pub reason: Option<String>,
    /// What the server priced when the order was accepted.
    pub totals: Totals,
    pub price_book_version: i64,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    /// The buyer's purchase-order reference, when they gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_order: Option<String>,
}

/// One item of an order, provisioned on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderItemRecord {
    pub position: u32,
    pub title: String,
    pub state: crate::order::OrderState,
    pub reason: Option<String>,
    /// The spans its path (and diverse twin) use; empty for items without a route.
    pub spans: Vec<crate::network::SpanId>,
    pub totals: Totals,
    /// The service this item became, once completed.
    pub service_id: Option<Id>,
}

/// One thing that happened to an order, in order: a step done, retried or failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderEvent {
    pub seq: i64,
    pub at_ms: i64,
    pub item: Option<u32>,
    /// `ok`, `retry`, `failed` or `info`.
    pub outcome: String,
    pub message: String,
}

/// An order with its items and its timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderRecord {
    pub summary: OrderSummary,
    pub items: Vec<OrderItemRecord>,
    pub events: Vec<OrderEvent>,
    /// Set while the order waits for a second member's approval (state `pending`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<OrderApproval>,
}

/// An order waiting for a second member of its organisation, as its reader may act on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderApproval {
    /// Who placed it (they cannot approve it).
    pub placed_by: String,
    /// Whether the reader may approve or reject it: a Technical, Finance or Organisation admin
    /// member of its organisation who did not place it.
    pub reader_may_decide: bool,
    /// Why the reader may not, in a sentence, when they may not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader_may_not: Option<String>,
}

/// A service in the inventory, as listed, with what it has cost so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceSummary {
    pub id: Id,
    pub organisation: OrganisationRef,
    pub title: String,
    pub product: crate::catalog::ProductId,
    /// The product option it runs at (`50M-metro`), priced at `term`.
    pub option: String,
    /// Months of commitment: 0 (on demand, by the hour), 12, 24, 36 or 60.
    #[cfg_attr(feature = "openapi", schema(value_type = u8, example = 12))]
    pub term: crate::catalog::Term,
    pub mbps: u64,
    pub state: crate::service::ServiceState,
    pub spend: crate::service::Spend,
    /// A bandwidth change or disconnect order still running for it.
    pub pending_order: Option<Id>,
    /// The order that created it.
    pub order_id: Id,
    pub created_at_ms: i64,
    /// An outage has a span of its route down: no traffic passes until the span is back
    /// (`GET /api/v1/outages` says which and since when).
    #[serde(default)]
    pub down: bool,
}

/// An order that created or changed a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceOrder {
    pub id: Id,
    pub action: crate::service::OrderAction,
    pub state: crate::order::OrderState,
    pub created_at_ms: i64,
}

/// A service with its path, rates over time and the orders that shaped it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceRecord {
    pub summary: ServiceSummary,
    pub spec: crate::pricing::ItemSpec,
    pub a_end: crate::network::SiteId,
    pub z_end: crate::network::SiteId,
    pub spans: Vec<crate::network::SpanId>,
    pub round_trip_micros: Option<u64>,
    pub rates: Vec<crate::service::RatePeriod>,
    pub orders: Vec<ServiceOrder>,
    /// What its cloud needs and both its states, when the service is a cloud connection.
    ///
    /// Never decoded in the browser (wasm32), nor is `router`: the portal's service page gets
    /// both panels drawn on the server (`ServicePage::cloud_panel`), and leaving their
    /// decoders out of its code made the page 12 KB lighter (docs/benchmarks.md, "Cloud
    /// panels drawn on the server"). Everywhere else they are read as written.
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    pub cloud: Option<crate::cloud::CloudConnectionView>,
    /// Its attachments and the routes it learned, when the service is a cloud router.
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    pub router: Option<crate::cloud_router::CloudRouterView>,
}

/// Where a quoted item runs on the network, to order it as quoted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotedRoute {
    pub a_end: crate::network::SiteId,
    pub z_end: crate::network::SiteId,
    pub spans: Vec<crate::network::SpanId>,
    pub mbps: u64,
    pub round_trip_micros: u64,
    /// The diverse twin of the item before it.
    pub twin: bool,
}

/// One line of a quote: a priced item (or a near-net build charge) before and after discount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteItem {
    pub title: String,
    /// None for a build charge, which is not a product.
    pub spec: Option<crate::pricing::ItemSpec>,
    pub lines: Vec<crate::pricing::BreakdownLine>,
    pub route: Option<QuotedRoute>,
    pub list: Totals,
    pub net: Totals,
}

/// One version of a quote: what was offered, at which prices, until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteVersion {
    pub version: i64,
    pub price_book_version: i64,
    pub valid_until_ms: i64,
    pub discount_bp: u32,
    /// Why the discount (shown to the approving admin).
    pub reason: String,
    pub choice: Choice,
    /// Bundle items the sales engineer took out, by position.
    pub removed: Vec<usize>,
    /// Catalog items the sales engineer added besides the bundle.
    #[serde(default)]
    pub added: Vec<crate::configure::Configuration>,
    pub items: Vec<QuoteItem>,
    pub list: Totals,
    pub net: Totals,
    pub created_by: String,
    pub created_at_ms: i64,
}

/// A quote as listed: its current version's figures and its state now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteSummary {
    pub id: Id,
    pub organisation: OrganisationRef,
    pub design_id: Option<Id>,
    pub name: String,
    /// As of now: a quote past its validity reads expired.
    pub state: crate::quote::QuoteState,
    pub version: i64,
    pub valid_until_ms: i64,
    pub discount_bp: u32,
    pub reason: String,
    pub list: Totals,
    pub net: Totals,
    /// The admin's decision on the discount, with their comment.
    pub decision: Option<String>,
    /// The order that accepting it placed.
    pub order_id: Option<Id>,
    /// Sent to the customer (and maybe accepted or expired since): the customer may see it.
    pub shared: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// A quote with every version, oldest first (the last is current).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteRecord {
    pub summary: QuoteSummary,
    pub versions: Vec<QuoteVersion>,
}

impl QuoteSummary {
    /// What a customer may read of a quote: the offer, not the internal reasoning behind it
    /// (the sales engineer's reason for the discount, the admin's decision and comment).
    pub fn for_customer(mut self) -> Self {
        self.reason.clear();
        self.decision = None;
        self
    }
}

impl QuoteRecord {
    pub fn current(&self) -> Option<&QuoteVersion> {
        self.versions.last()
    }

    /// The customer's view: the version they were sent (lines, totals, validity) and nothing
    /// of earlier versions, rejected ones included, or of who wrote what and why.
    pub fn for_customer(self) -> Self {
        let versions = self
            .versions
            .into_iter()
            .last()
            .map(|version| QuoteVersion { reason: String::new(), created_by: String::new(), ..version })
            .into_iter()
            .collect();
        QuoteRecord { summary: self.summary.for_customer(), versions }
    }
}

/// Which page of a list to show: lists are never sent whole (a customer with years of orders,
/// an audit log with millions of rows). Page 0 is the newest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    pub page: u32,
    /// Rows to skip and to show: a page of [`PageRequest::SIZE`], or an API window.
    offset: u32,
    limit: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest::new(0)
    }
}

impl PageRequest {
    /// Rows on one page of any list.
    pub const SIZE: u32 = 50;
    /// The deepest page anyone may ask for: the offset stays bounded, so a page costs the
    /// database a bounded scan.
    pub const LAST: u32 = 1_000;
    /// The most rows one API window returns.
    pub const MAX_LIMIT: u32 = 100;
    /// The furthest an API window may start (the same bound as [`PageRequest::LAST`]).
    pub const MAX_OFFSET: u32 = Self::LAST * Self::SIZE;

    pub fn new(page: u32) -> PageRequest {
        let page = page.min(Self::LAST);
        PageRequest { page, offset: page * Self::SIZE, limit: Self::SIZE }
    }

    /// The REST API's `offset` and `limit` (limit 1 to [`PageRequest::MAX_LIMIT`], offset at
    /// most [`PageRequest::MAX_OFFSET`]); values out of range are clamped into it.
    pub fn window(offset: u32, limit: u32) -> PageRequest {
        let (offset, limit) = (offset.min(Self::MAX_OFFSET), limit.clamp(1, Self::MAX_LIMIT));
        PageRequest { page: offset / limit, offset, limit }
    }

    /// Reads `?page=N` (1-based for people); anything else is the first page.
    pub fn from_query(text: Option<&str>) -> PageRequest {
        let number = text.and_then(|text| text.trim().parse::<u32>().ok()).unwrap_or(1);
        PageRequest::new(number.saturating_sub(1))
    }

    /// Rows to skip.
    pub fn offset(self) -> i64 {
        i64::from(self.offset)
    }

    /// Rows to show.
    pub fn limit(self) -> u32 {
        self.limit
    }

    /// Rows to read: one more than a page, to learn whether another page follows.
    pub fn fetch(self) -> i64 {
        i64::from(self.limit) + 1
    }

    /// Cuts the rows read with [`PageRequest::fetch`] to a page.
    pub fn cut<T>(self, mut rows: Vec<T>) -> Paged<T> {
        let more = rows.len() > self.limit as usize;
        rows.truncate(self.limit as usize);
        Paged { items: rows, page: self.page, more }
    }
}

/// One page of a list, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    /// 0-based.
    pub page: u32,
    /// Another page follows.
    pub more: bool,
}

impl<T> Paged<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged { items: self.items.into_iter().map(f).collect(), page: self.page, more: self.more }
    }
}

#[cfg(test)]
mod page_tests {
    use super::*;

    #[test]
    fn pages_read_one_row_more_than_they_show() {
        let first = PageRequest::from_query(None);
        assert_eq!((first.offset(), first.fetch()), (0, 51));
        let rows: Vec<u32> = (0..51).collect();
        let page = first.cut(rows);
        assert_eq!((page.items.len(), page.more), (50, true));
        assert!(!PageRequest::new(2).cut(vec![1, 2]).more);
        assert_eq!(PageRequest::from_query(Some("3")).offset(), 100);
        for odd in ["0", "-1", "x", ""] {
            assert_eq!(PageRequest::from_query(Some(odd)).page, 0, "{odd}");
        }
        assert_eq!(PageRequest::from_query(Some("999999999")).page, PageRequest::LAST, "bounded");
    }
}
