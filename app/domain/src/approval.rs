//! Approvals inside the customer: an organisation may have orders above an amount it sets
//! wait for a second member's approval. Such an order is placed `pending` (TMF622's "waiting
//! for the customer"), reserves nothing, and goes on to Lightpath's own credit check only once
//! another member who may approve has said yes.
//!
//! The amount is compared with the order's first month ([`crate::credit::order_exposure`]: a
//! month of its charges plus its one-time charges), the same figure the credit check counts.

use crate::account::Id;
use crate::credit::{order_exposure, parse_limit, MAX_LIMIT};
use crate::money::Money;
use crate::pricing::Totals;

/// Parses the amount an org admin types: empty for "no order waits", else whole dollars.
pub fn parse_threshold(text: &str) -> Result<Option<Money>, String> {
    parse_limit(text).map_err(|_| {
        format!(
            "Enter the amount in whole dollars from $0 to {MAX_LIMIT}, like 5000, or leave it empty so no order waits for approval."
        )
    })
}

/// The first month of an order that must wait for approval under `threshold`, or None when it
/// goes straight on. An order exactly at the amount goes on.
pub fn needs_approval(threshold: Option<Money>, totals: Totals) -> Option<Money> {
    let first_month = order_exposure(totals);
    threshold.filter(|threshold| first_month > *threshold).map(|_| first_month)
}

/// What the order's page and its webhook say while it waits.
pub fn waiting_reason(placed_by: &str, first_month: Money, threshold: Money) -> String {
    format!(
        "Waiting for a second member's approval: its first month, about {first_month}, is over your organisation's \
         {threshold} approval amount. A Technical, Finance or Organisation admin member other than {placed_by} \
         approves or rejects it; nothing is reserved or charged until then, and it can be cancelled meanwhile."
    )
}

/// Why the person who placed an order may not approve it themselves.
pub const OWN_ORDER: &str =
    "You placed this order: a second member of your organisation approves it. Cancel it if it is no longer wanted.";

/// Checks that the approver is not the person who placed the order.
pub fn second_member(placed_by: &Id, approver: &Id) -> Result<(), &'static str> {
    if placed_by == approver {
        Err(OWN_ORDER)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn totals(monthly: i64, one_time: i64) -> Totals {
        Totals { monthly: Money::from_dollars(monthly), hourly: Money::ZERO, one_time: Money::from_dollars(one_time) }
    }

    #[test]
    fn an_order_over_the_amount_waits_and_one_at_it_goes_on() {
        let amount = Some(Money::from_dollars(5_000));
        assert_eq!(needs_approval(amount, totals(4_000, 1_001)), Some(Money::from_dollars(5_001)));
        assert_eq!(needs_approval(amount, totals(4_000, 1_000)), None);
        assert_eq!(needs_approval(None, totals(4_000_000, 0)), None);
        // An amount of zero sends every order with any charge to a second member.
        assert_eq!(needs_approval(Some(Money::ZERO), totals(0, 1)), Some(Money::from_dollars(1)));
    }

    #[test]
    fn the_amount_is_whole_dollars_or_empty() {
        assert_eq!(parse_threshold(" "), Ok(None));
        assert_eq!(parse_threshold("5000"), Ok(Some(Money::from_dollars(5_000))));
        for wrong in ["-1", "lots", "100000001", "5e3"] {
            let message = parse_threshold(wrong).unwrap_err();
            assert!(message.contains("whole dollars"), "{wrong}: {message}");
        }
    }

    #[test]
    fn nobody_approves_their_own_order() {
        let grace = Id::parse("00000000-0000-4000-8000-000000000001").unwrap();
        let fran = Id::parse("00000000-0000-4000-8000-000000000002").unwrap();
        assert_eq!(second_member(&grace, &grace), Err(OWN_ORDER));
        assert_eq!(second_member(&grace, &fran), Ok(()));
    }

    proptest! {
        /// Waiting is exactly "the first month is over the amount", whatever the charges.
        #[test]
        fn waiting_follows_the_first_month(monthly in 0i64..1_000_000, one_time in 0i64..1_000_000, amount in 0i64..2_000_000) {
            let order = totals(monthly, one_time);
            let waits = needs_approval(Some(Money::from_dollars(amount)), order);
            prop_assert_eq!(waits.is_some(), monthly + one_time > amount);
            prop_assert!(waits.is_none_or(|first| first == order_exposure(order)));
        }
    }
}
