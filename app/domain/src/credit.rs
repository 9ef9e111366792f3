//! Credit limits: how much a customer organisation may have committed with us before a new
//! order waits for an admin. An organisation's exposure is what it would owe in a month: the
//! monthly estimate of its active services, plus the monthly estimate and one-time charges of
//! its orders still open (held ones included), and the one-time charges of services delivered
//! this calendar month, which are owed until the month is invoiced. An order that would take the exposure over the
//! limit is accepted but held (TMF622 `held`) and reserves nothing until an admin decides.

use crate::money::Money;
use crate::pricing::Totals;

/// The limit of an organisation that signed itself up: enough to try every product at a small
/// size, not enough to reserve a backbone's worth of waves before anybody has looked.
pub const SELF_SIGN_UP_LIMIT: Money = Money::from_dollars(25_000);

/// The most an admin may set, so a typing slip cannot mean "unlimited" by accident.
pub const MAX_LIMIT: Money = Money::from_dollars(100_000_000);

/// What one order adds to its organisation's exposure: a month of its charges plus its
/// one-time charges.
pub fn order_exposure(totals: Totals) -> Money {
    totals.monthly_estimate() + totals.one_time
}

/// The outcome of a credit check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditCheck {
    Within,
    /// The order would bring the exposure to `exposure`, over `limit`.
    Over {
        exposure: Money,
        limit: Money,
    },
}

/// Checks an order adding `adds` to an organisation whose exposure is `current`. No limit
/// (an established customer the carrier has not capped) passes everything.
pub fn check(limit: Option<Money>, current: Money, adds: Money) -> CreditCheck {
    match limit {
        Some(limit) if current + adds > limit && adds > Money::ZERO => {
            CreditCheck::Over { exposure: current + adds, limit }
        }
        _ => CreditCheck::Within,
    }
}

/// The reason a held order shows its buyer.
pub fn hold_reason(organisation: &str, exposure: Money, limit: Money) -> String {
    format!(
        "Held for a credit review: with this order, {organisation} would owe about {exposure} in its first month, \
         over its {limit} credit limit. A Lightpath admin reviews it (usually within a business day); nothing \
         is reserved or charged until then, and you can cancel it meanwhile."
    )
}

/// Parses an admin's limit: empty for no limit, else whole dollars from 0 to [`MAX_LIMIT`].
pub fn parse_limit(text: &str) -> Result<Option<Money>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let amount = Money::parse_dollars(text)
        .map_err(|_| "Enter the limit in dollars, like 50000, or leave it empty for no limit.".to_owned())?;
    if amount.is_negative() || amount > MAX_LIMIT {
        return Err(format!("Enter a limit from $0 to {MAX_LIMIT}, or leave it empty for no limit."));
    }
    Ok(Some(amount))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dollars(amount: i64) -> Money {
        Money::from_dollars(amount)
    }

    #[test]
    fn an_order_over_the_limit_is_held_and_one_within_is_not() {
        let totals = Totals { monthly: dollars(4_000), hourly: Money::ZERO, one_time: dollars(1_000) };
        assert_eq!(order_exposure(totals), dollars(5_000));
        assert_eq!(check(Some(dollars(25_000)), dollars(20_000), dollars(5_000)), CreditCheck::Within, "at the limit");
        assert_eq!(
            check(Some(dollars(25_000)), dollars(20_001), dollars(5_000)),
            CreditCheck::Over { exposure: dollars(25_001), limit: dollars(25_000) }
        );
        assert_eq!(check(None, dollars(1_000_000_000), dollars(5_000)), CreditCheck::Within, "no limit");
        // Hourly services count a month of hours.
        let hourly = Totals { monthly: Money::ZERO, hourly: Money::from_cents(100), one_time: Money::ZERO };
        assert_eq!(order_exposure(hourly), dollars(730));
    }

    #[test]
    fn an_order_that_adds_nothing_is_never_held() {
        assert_eq!(check(Some(Money::ZERO), dollars(99_999), Money::ZERO), CreditCheck::Within);
    }

    #[test]
    fn limits_parse_from_dollars_or_nothing() {
        assert_eq!(parse_limit(" "), Ok(None));
        assert_eq!(parse_limit("50000"), Ok(Some(dollars(50_000))));
        assert!(parse_limit("-5").is_err());
        assert!(parse_limit("lots").unwrap_err().contains("dollars"));
        assert!(parse_limit("1000000000").is_err());
    }

    proptest! {
        #[test]
        fn held_exactly_when_the_exposure_passes_the_limit(
            limit in 0i64..10_000_000, current in 0i64..10_000_000, adds in 1i64..10_000_000,
        ) {
            let outcome = check(Some(Money::from_cents(limit)), Money::from_cents(current), Money::from_cents(adds));
            prop_assert_eq!(outcome == CreditCheck::Within, current + adds <= limit);
        }
    }
}
