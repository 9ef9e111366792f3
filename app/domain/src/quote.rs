//! Sales quotes (TM Forum TMF648): the states a quote moves through and who may move it, the
//! discount a sales engineer may give before an admin must approve it, and what a discount
//! does to the price and to the margin.

use crate::money::Money;
use crate::pricing::Totals;
use serde::{Deserialize, Serialize};

/// The discount a sales engineer may give alone; above it an admin approves (15 %).
pub const SALES_DISCOUNT_LIMIT_BP: u32 = 1_500;
/// Days a quote is valid when the sales engineer does not say otherwise.
pub const DEFAULT_VALIDITY_DAYS: i64 = 30;
/// Our cost as a share of list price, for the margin shown beside a discount. The price book
/// carries no costs yet; this stand-in is stated wherever a margin is shown.
pub const COST_SHARE_BP: u32 = 5_500;

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum QuoteState {
    InProgress,
    PendingApproval,
    Approved,
    Rejected,
    Sent,
    Accepted,
    Expired,
    Cancelled,
}

impl QuoteState {
    pub const ALL: [QuoteState; 8] = [
        QuoteState::InProgress,
        QuoteState::PendingApproval,
        QuoteState::Approved,
        QuoteState::Rejected,
        QuoteState::Sent,
        QuoteState::Accepted,
        QuoteState::Expired,
        QuoteState::Cancelled,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            QuoteState::InProgress => "inProgress",
            QuoteState::PendingApproval => "pendingApproval",
            QuoteState::Approved => "approved",
            QuoteState::Rejected => "rejected",
            QuoteState::Sent => "sent",
            QuoteState::Accepted => "accepted",
            QuoteState::Expired => "expired",
            QuoteState::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<QuoteState> {
        QuoteState::ALL.into_iter().find(|state| state.slug() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            QuoteState::InProgress => "In progress",
            QuoteState::PendingApproval => "Pending approval",
            QuoteState::Approved => "Approved",
            QuoteState::Rejected => "Rejected",
            QuoteState::Sent => "Sent",
            QuoteState::Accepted => "Accepted",
            QuoteState::Expired => "Expired",
            QuoteState::Cancelled => "Cancelled",
        }
    }

    /// No move leaves these states (a rejected quote is revised into a new version instead).
    pub fn is_final(self) -> bool {
        matches!(self, QuoteState::Accepted | QuoteState::Expired | QuoteState::Cancelled)
    }

    /// The state a stored quote is in at `now_ms`: a quote not yet accepted or closed expires
    /// at the end of its validity.
    pub fn at(self, valid_until_ms: i64, now_ms: i64) -> QuoteState {
        if !self.is_final() && now_ms > valid_until_ms {
            QuoteState::Expired
        } else {
            self
        }
    }
}

/// What someone does to a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum QuoteAction {
    /// A sales engineer asks an admin to approve a discount above their limit.
    RequestApproval,
    Approve,
    Reject,
    /// A sales engineer sends the quote to the customer.
    Send,
    /// The customer accepts a sent quote (which orders it).
    Accept,
    Cancel,
}

impl QuoteAction {
    pub fn label(self) -> &'static str {
        match self {
            QuoteAction::RequestApproval => "request approval for",
            QuoteAction::Approve => "approve",
            QuoteAction::Reject => "reject",
            QuoteAction::Send => "send",
            QuoteAction::Accept => "accept",
            QuoteAction::Cancel => "cancel",
        }
    }
}

/// Why a move is refused, in words that say what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuoteError {
    #[error("This quote is {}; you cannot {} it.", .state.label().to_lowercase(), .action.label())]
    NotAllowed { state: QuoteState, action: QuoteAction },
    #[error(
        "The discount of {discount} is above the {limit} a sales engineer may give: request an admin's approval first."
    )]
    NeedsApproval { discount: String, limit: String },
    #[error("The discount is within the sales engineer's limit: send the quote, no approval is needed.")]
    NoApprovalNeeded,
    #[error("This quote expired on its validity date. Ask your sales engineer for a new version.")]
    Expired,
}

/// The state after `action` on a quote in `state` (as of now) with `discount_bp`.
pub fn next_state(state: QuoteState, action: QuoteAction, discount_bp: u32) -> Result<QuoteState, QuoteError> {
    let refused = || QuoteError::NotAllowed { state, action };
    if state == QuoteState::Expired && matches!(action, QuoteAction::Accept | QuoteAction::Send) {
        return Err(QuoteError::Expired);
    }
    let over_limit = discount_bp > SALES_DISCOUNT_LIMIT_BP;
    match (action, state) {
        (QuoteAction::RequestApproval, QuoteState::InProgress) if over_limit => Ok(QuoteState::PendingApproval),
        (QuoteAction::RequestApproval, QuoteState::InProgress) => Err(QuoteError::NoApprovalNeeded),
        (QuoteAction::Approve, QuoteState::PendingApproval) => Ok(QuoteState::Approved),
        (QuoteAction::Reject, QuoteState::PendingApproval) => Ok(QuoteState::Rejected),
        (QuoteAction::Send, QuoteState::InProgress) if over_limit => Err(QuoteError::NeedsApproval {
            discount: format_discount(discount_bp),
            limit: format_discount(SALES_DISCOUNT_LIMIT_BP),
        }),
        (QuoteAction::Send, QuoteState::InProgress | QuoteState::Approved) => Ok(QuoteState::Sent),
        (QuoteAction::Accept, QuoteState::Sent) => Ok(QuoteState::Accepted),
        (
            QuoteAction::Cancel,
            QuoteState::InProgress
            | QuoteState::PendingApproval
            | QuoteState::Approved
            | QuoteState::Rejected
            | QuoteState::Sent,
        ) => Ok(QuoteState::Cancelled),
        _ => Err(refused()),
    }
}

/// A discount in basis points, 0 to 100 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Discount(u32);

impl Discount {
    /// Parses a percentage as typed: `20`, `12.5`, `0`; at most two decimals.
    pub fn parse(text: &str) -> Result<Discount, String> {
        let text = text.trim().trim_end_matches('%').trim();
        if text.is_empty() {
            return Ok(Discount(0));
        }
        if text.starts_with('-') {
            return Err("A discount cannot be negative: enter 0 for none.".into());
        }
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !(fraction.is_empty() || (digits(fraction) && fraction.len() <= 2)) {
            return Err(format!("“{text}” is not a percentage: write a number like 20 or 12.5."));
        }
        let whole: u32 = whole.parse().map_err(|_| "The discount is too large: at most 100 %.".to_owned())?;
        let fraction: u32 = format!("{fraction:0<2}").parse().unwrap_or(0);
        let bp = whole.saturating_mul(100).saturating_add(fraction);
        if bp > 10_000 {
            return Err("A discount cannot be over 100 %.".into());
        }
        Ok(Discount(bp))
    }

    pub fn from_bp(bp: u32) -> Option<Discount> {
        (bp <= 10_000).then_some(Discount(bp))
    }

    pub fn bp(self) -> u32 {
        self.0
    }

    pub fn needs_approval(self) -> bool {
        self.0 > SALES_DISCOUNT_LIMIT_BP
    }

    /// Totals after the discount: every figure reduced by the percentage, rounded half away
    /// from zero to the cent.
    pub fn apply(self, list: Totals) -> Totals {
        let cut = |money: Money| money.adjusted_by_bp(-(self.0 as i32));
        Totals { monthly: cut(list.monthly), hourly: cut(list.hourly), one_time: cut(list.one_time) }
    }
}

/// "20 %", "12.5 %".
pub fn format_discount(bp: u32) -> String {
    crate::money::format_basis_points(bp)
}

/// The estimated margin of a price, in basis points of the net price: (net − cost) / net,
/// with our cost taken as [`COST_SHARE_BP`] of list. None when the net price is zero.
pub fn margin_bp(list: Money, net: Money) -> Option<i64> {
    if net.cents() <= 0 {
        return None;
    }
    let cost = i128::from(list.cents()) * i128::from(COST_SHARE_BP) / 10_000;
    Some(((i128::from(net.cents()) - cost) * 10_000 / i128::from(net.cents())) as i64)
}

/// The end of a validity given in days from `now_ms`; a date in the past is refused.
pub fn valid_until(now_ms: i64, days: &str) -> Result<i64, String> {
    let text = days.trim();
    if text.is_empty() {
        return Ok(now_ms + DEFAULT_VALIDITY_DAYS * DAY_MS);
    }
    match text.parse::<i64>() {
        Ok(days) if days < 1 => Err("The validity must end in the future: enter at least 1 day (30 is usual).".into()),
        Ok(days) if days > 365 => Err("A quote is valid for a year at most: enter 365 days or fewer.".into()),
        Ok(days) => Ok(now_ms + days * DAY_MS),
        Err(_) => Err(format!("“{text}” is not a number of days: write a whole number like 30.")),
    }
}

/// The lines of a quote from a recommended bundle: every item the sales engineer kept, the
/// catalog items they added (`added`, configured and priced), and the near-net build charges,
/// at list price and after the discount, with where each runs, and the totals (the sums of the
/// lines, so the lines always add up). The browser's quote editor and the server run this same
/// function.
pub fn quote_items(
    bundle: &crate::recommend::Bundle,
    removed: &[usize],
    added: &[crate::recommend::Item],
    discount: Discount,
    products: &[crate::catalog::Product],
) -> (Vec<crate::records::QuoteItem>, Totals, Totals) {
    use crate::records::{QuoteItem, QuotedRoute};
    let mut items: Vec<QuoteItem> = bundle
        .items
        .iter()
        .enumerate()
        .filter(|(index, _)| !removed.contains(index))
        .map(|(_, item)| item)
        .chain(added)
        .map(|item| {
            let route = item.path.as_ref().and_then(|path| {
                Some(QuotedRoute {
                    a_end: path.sites.first()?.clone(),
                    z_end: path.sites.last()?.clone(),
                    spans: path.spans.clone(),
                    mbps: crate::order_plan::reserved_mbps(item, products),
                    round_trip_micros: path.latency_micros * 2,
                    twin: item.twin,
                })
            });
            QuoteItem {
                title: item.title.clone(),
                spec: Some(item.spec.clone()),
                lines: item.priced.lines.clone(),
                route,
                list: item.priced.totals,
                net: discount.apply(item.priced.totals),
            }
        })
        .collect();
    items.extend(bundle.builds.iter().map(|build| {
        let list = Totals { one_time: build.charge, ..Totals::default() };
        QuoteItem {
            title: format!("Near-net build: {}", build.site),
            spec: None,
            lines: Vec::new(),
            route: None,
            list,
            net: discount.apply(list),
        }
    }));
    let sum = |pick: fn(&QuoteItem) -> Totals| {
        items.iter().map(pick).fold(Totals::default(), |sum, totals| Totals {
            monthly: sum.monthly + totals.monthly,
            hourly: sum.hourly + totals.hourly,
            one_time: sum.one_time + totals.one_time,
        })
    };
    let (list, net) = (sum(|item| item.list), sum(|item| item.net));
    (items, list, net)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn discounts_parse_as_typed_and_refuse_what_cannot_be() {
        assert_eq!(Discount::parse("20").unwrap().bp(), 2_000);
        assert_eq!(Discount::parse("12.5 %").unwrap().bp(), 1_250);
        assert_eq!(Discount::parse("").unwrap().bp(), 0);
        assert_eq!(Discount::parse("100").unwrap().bp(), 10_000);
        assert!(Discount::parse("-5").unwrap_err().contains("negative"));
        assert!(Discount::parse("100.01").unwrap_err().contains("over 100"));
        assert!(Discount::parse("150").unwrap_err().contains("over 100"));
        assert!(Discount::parse("ten").unwrap_err().contains("not a percentage"));
        assert!(Discount::parse("1.234").is_err());
    }

    #[test]
    fn the_sales_engineer_sends_within_the_limit_and_asks_above_it() {
        use QuoteAction::*;
        use QuoteState::*;
        assert_eq!(next_state(InProgress, Send, 1_500), Ok(Sent));
        assert!(matches!(next_state(InProgress, Send, 2_000), Err(QuoteError::NeedsApproval { .. })));
        assert_eq!(next_state(InProgress, RequestApproval, 2_000), Ok(PendingApproval));
        assert_eq!(next_state(InProgress, RequestApproval, 1_000), Err(QuoteError::NoApprovalNeeded));
        assert_eq!(next_state(PendingApproval, Approve, 2_000), Ok(Approved));
        assert_eq!(next_state(PendingApproval, Reject, 2_000), Ok(Rejected));
        assert_eq!(next_state(Approved, Send, 2_000), Ok(Sent));
        assert_eq!(next_state(Sent, Accept, 2_000), Ok(Accepted));
        assert_eq!(next_state(Expired, Accept, 0), Err(QuoteError::Expired));
        for refused in
            [(Accepted, Accept), (Rejected, Send), (Sent, Approve), (Cancelled, Cancel), (InProgress, Accept)]
        {
            assert!(matches!(next_state(refused.0, refused.1, 0), Err(QuoteError::NotAllowed { .. })), "{refused:?}");
        }
    }

    #[test]
    fn a_quote_expires_after_its_validity_unless_it_closed() {
        assert_eq!(QuoteState::Sent.at(1_000, 1_001), QuoteState::Expired);
        assert_eq!(QuoteState::Sent.at(1_000, 1_000), QuoteState::Sent);
        assert_eq!(QuoteState::Accepted.at(1_000, 5_000), QuoteState::Accepted);
    }

    #[test]
    fn a_discount_lowers_every_figure_and_the_margin() {
        let list = Totals {
            monthly: Money::from_dollars(1_000),
            hourly: Money::from_cents(10),
            one_time: Money::from_dollars(500),
        };
        let net = Discount::parse("20").unwrap().apply(list);
        assert_eq!(net.monthly, Money::from_dollars(800));
        assert_eq!(net.hourly, Money::from_cents(8));
        assert_eq!(net.one_time, Money::from_dollars(400));
        // Cost 55 % of list: 45 % margin at list, (800 − 550) / 800 = 31.25 % at 20 % off.
        assert_eq!(margin_bp(list.monthly, list.monthly), Some(4_500));
        assert_eq!(margin_bp(list.monthly, net.monthly), Some(3_125));
        assert_eq!(margin_bp(list.monthly, Money::ZERO), None);
    }

    #[test]
    fn validity_is_in_the_future_and_thirty_days_by_default() {
        assert_eq!(valid_until(0, ""), Ok(30 * DAY_MS));
        assert_eq!(valid_until(0, "7"), Ok(7 * DAY_MS));
        assert!(valid_until(0, "0").unwrap_err().contains("future"));
        assert!(valid_until(0, "-3").unwrap_err().contains("future"));
        assert!(valid_until(0, "soon").is_err());
    }

    proptest! {
        #[test]
        fn a_bigger_discount_never_costs_more(cents in 0i64..100_000_000, low in 0u32..=10_000, more in 0u32..=10_000) {
            let high = (low + more).min(10_000);
            let list = Totals { monthly: Money::from_cents(cents), hourly: Money::ZERO, one_time: Money::ZERO };
            let (at_low, at_high) = (Discount(low).apply(list), Discount(high).apply(list));
            prop_assert!(at_high.monthly <= at_low.monthly);
            prop_assert!(!at_high.monthly.is_negative());
        }
    }
}

/// Days after a quote's acceptance during which its cloud items (a cloud connection or a
/// cloud router, which need the buyer's cloud details before anything can be built) can still
/// be ordered at the quoted price.
pub const CLOUD_ITEM_HOLD_DAYS: i64 = 30;

/// Whether a quoted product is ordered with the buyer's cloud details (its AWS account, its
/// ExpressRoute service key or pairing key) or a cloud router's, which a quote does not keep.
pub fn needs_cloud_details(product: &str) -> bool {
    [crate::cloud::PRODUCT, crate::cloud_router::PRODUCT].contains(&product)
}

/// Where one of an accepted quote's cloud items stands. A unit enum beside plain fields (not
/// a tagged enum with data): serde's tagged and flattened forms cost the browser bundle several
/// KB of decoding code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CloudItemState {
    /// Waiting for the buyer's cloud details, at the quoted price until `until_ms`.
    Waiting,
    /// Ordered with them: `order` builds it.
    Ordered,
    /// Not ordered within [`CLOUD_ITEM_HOLD_DAYS`] of the acceptance: a new quote prices it.
    Lapsed,
}

impl CloudItemState {
    /// Where an item stands `now_ms` (`ordered`: a live order took it; an order rejected,
    /// failed or cancelled, or a connection the cloud rejected or let expire, gave it back),
    /// and until when its quoted price holds.
    pub fn of(accepted_at_ms: i64, now_ms: i64, ordered: bool) -> (CloudItemState, i64) {
        let until_ms = accepted_at_ms.saturating_add(CLOUD_ITEM_HOLD_DAYS * DAY_MS);
        let state = match ordered {
            true => CloudItemState::Ordered,
            false if now_ms <= until_ms => CloudItemState::Waiting,
            false => CloudItemState::Lapsed,
        };
        (state, until_ms)
    }
}

/// A cloud item of an accepted quote: accepting the quote ordered everything else, this waits
/// for the buyer's cloud details and is then ordered on its own at its quoted (net) price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotedCloudItem {
    /// Its position among the quote's lines, as `POST /api/v1/quotes/{id}/items/{position}/order` names it.
    pub position: u32,
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub product: crate::ProductId,
    /// A cloud connection's near end (its cloud router, if any, must run there) and on-ramp;
    /// none for a cloud router, which runs in the metro the buyer chooses.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub a_end: Option<crate::network::SiteId>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub z_end: Option<crate::network::SiteId>,
    pub net: Totals,
    pub state: CloudItemState,
    /// Until when the quoted price holds (ms since the epoch): 30 days after the acceptance.
    pub until_ms: i64,
    /// The order that took it, once ordered.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub order: Option<crate::account::Id>,
}

#[cfg(test)]
mod cloud_item_tests {
    use super::*;

    #[test]
    fn a_cloud_item_waits_thirty_days_then_lapses_unless_ordered() {
        let accepted = 1_000;
        let until = accepted + CLOUD_ITEM_HOLD_DAYS * DAY_MS;
        assert_eq!(CloudItemState::of(accepted, accepted, false), (CloudItemState::Waiting, until));
        assert_eq!(CloudItemState::of(accepted, until, false), (CloudItemState::Waiting, until));
        assert_eq!(CloudItemState::of(accepted, until + 1, false), (CloudItemState::Lapsed, until));
        assert_eq!(
            CloudItemState::of(accepted, until + 1, true).0,
            CloudItemState::Ordered,
            "an ordered item stays ordered"
        );
    }

    #[test]
    fn only_cloud_connections_and_routers_wait_for_details() {
        assert!(needs_cloud_details(crate::cloud::PRODUCT));
        assert!(needs_cloud_details(crate::cloud_router::PRODUCT));
        assert!(!needs_cloud_details("ip-vpn"));
    }
}
