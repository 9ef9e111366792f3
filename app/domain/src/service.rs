//! The service inventory (TM Forum TMF637): what a completed order item becomes, what it has
//! cost so far and the bandwidths it can be changed to (its usage: `usage`).
//!
//! Billing runs on the simulated network's clock: the network runs `speedup` times faster
//! than the wall clock, and so do the hours an on-demand service is billed for, so a buyer
//! sees hourly usage accumulate while watching.

use crate::catalog::{Product, ProductOption, Term};
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// A service's life: active once provisioned, terminated once disconnected. A cloud connection
/// is inactive (TMF638: installed, not yet active) while it waits for the buyer to accept it in
/// their cloud: it holds its capacity and is not billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ServiceState {
    Inactive,
    Active,
    Suspended,
    Terminated,
}

impl ServiceState {
    pub const ALL: [ServiceState; 4] =
        [ServiceState::Inactive, ServiceState::Active, ServiceState::Suspended, ServiceState::Terminated];

    pub fn slug(self) -> &'static str {
        match self {
            ServiceState::Inactive => "inactive",
            ServiceState::Active => "active",
            ServiceState::Suspended => "suspended",
            ServiceState::Terminated => "terminated",
        }
    }

    pub fn parse(text: &str) -> Option<ServiceState> {
        ServiceState::ALL.into_iter().find(|state| state.slug() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            ServiceState::Inactive => "Awaiting acceptance",
            ServiceState::Active => "Active",
            ServiceState::Suspended => "Suspended",
            ServiceState::Terminated => "Terminated",
        }
    }
}

/// What an order does: add new services, change one, or disconnect one (TMF622 actions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OrderAction {
    Add,
    Modify,
    Disconnect,
}

impl OrderAction {
    pub const ALL: [OrderAction; 3] = [OrderAction::Add, OrderAction::Modify, OrderAction::Disconnect];

    pub fn slug(self) -> &'static str {
        match self {
            OrderAction::Add => "add",
            OrderAction::Modify => "modify",
            OrderAction::Disconnect => "disconnect",
        }
    }

    pub fn parse(text: &str) -> Option<OrderAction> {
        OrderAction::ALL.into_iter().find(|action| action.slug() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            OrderAction::Add => "New service",
            OrderAction::Modify => "Bandwidth change",
            OrderAction::Disconnect => "Disconnect",
        }
    }
}

/// The rates a service was billed at from one moment to the next (the last one is open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatePeriod {
    pub from_ms: i64,
    /// None while the period runs.
    pub to_ms: Option<i64>,
    pub mbps: u64,
    pub monthly: Money,
    pub hourly: Money,
}

/// What a service has cost and will cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Spend {
    /// One-time charges plus everything accrued until now.
    pub so_far: Money,
    /// The hourly (on-demand) part of `so_far`.
    pub hourly_so_far: Money,
    /// A month at today's rates: monthly charges plus 730 hours; zero once terminated.
    pub monthly_estimate: Money,
}

impl std::ops::Add for Spend {
    type Output = Spend;
    fn add(self, other: Spend) -> Spend {
        Spend {
            so_far: self.so_far + other.so_far,
            hourly_so_far: self.hourly_so_far + other.hourly_so_far,
            monthly_estimate: self.monthly_estimate + other.monthly_estimate,
        }
    }
}

/// Hours in a billing month (the price book's), widened for the spend arithmetic.
const HOURS_PER_MONTH: i128 = crate::pricing::HOURS_PER_MONTH as i128;
const MS_PER_HOUR: i128 = 3_600_000;

/// The spend of a service from its rate periods up to `now_ms` (wall clock) on a network whose
/// clock runs `speedup` times faster. Each period accrues `hourly × simulated hours` plus
/// `monthly × simulated hours / 730`, rounded half away from zero to the cent per period.
pub fn spend(one_time: Money, periods: &[RatePeriod], now_ms: i64, speedup: u32) -> Spend {
    let mut total = Spend { so_far: one_time, ..Spend::default() };
    for period in periods {
        let (hourly, monthly) = crate::billing::accrued(period, now_ms, speedup);
        total.so_far += hourly + monthly;
        total.hourly_so_far += hourly;
        if period.to_ms.is_none() {
            total.monthly_estimate =
                crate::pricing::Totals { monthly: period.monthly, hourly: period.hourly, one_time: Money::ZERO }
                    .monthly_estimate();
        }
    }
    total
}

/// What ending a committed term early costs (or cutting its bandwidth, which ends part of the
/// commitment): a share of the monthly charges the customer committed to and will no longer pay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EarlyTermination {
    /// Simulated hours left of the committed term.
    pub hours_left: i64,
    /// The monthly charge that stops: all of it on a disconnect, the drop on a cut in bandwidth.
    pub monthly: Money,
    /// The share of the remaining commitment charged, in basis points (the price book's).
    pub share_bp: u32,
    /// `monthly × months left × share`, to the cent.
    pub fee: Money,
}

impl EarlyTermination {
    /// "20.4 months", for the buyer.
    pub fn months_left_text(&self) -> String {
        let tenths = div_round(i128::from(self.hours_left) * 10, HOURS_PER_MONTH);
        format!("{}.{} months", tenths / 10, tenths % 10)
    }

    /// One sentence on what is charged and why.
    pub fn explain(&self) -> String {
        format!(
            "{} of the {} a month still committed for the {} left of the term",
            crate::money::format_basis_points(self.share_bp),
            self.monthly,
            self.months_left_text()
        )
    }
}

/// The early termination fee of a service on `term` that began at `started_ms`, at `now_ms` on
/// a network whose clock (billing's, see [`spend`]) runs `speedup` times faster. None when
/// nothing committed is given up: on demand, the term served, or no monthly charge stopping.
pub fn early_termination(
    term: Term,
    started_ms: i64,
    now_ms: i64,
    speedup: u32,
    monthly: Money,
    share_bp: u32,
) -> Option<EarlyTermination> {
    let term_hours = i128::from(term.months()) * HOURS_PER_MONTH;
    let served_hours = i128::from((now_ms - started_ms).max(0)) * i128::from(speedup.max(1)) / MS_PER_HOUR;
    let hours_left = term_hours - served_hours;
    if hours_left <= 0 || monthly.cents() <= 0 || share_bp == 0 {
        return None;
    }
    let fee = Money::from_cents(div_round(
        i128::from(monthly.cents()) * hours_left * i128::from(share_bp),
        HOURS_PER_MONTH * 10_000,
    ));
    Some(EarlyTermination { hours_left: hours_left as i64, monthly, share_bp, fee })
}

/// `numerator / denominator` rounded half away from zero.
pub(crate) fn div_round(numerator: i128, denominator: i128) -> i64 {
    let half = denominator / 2;
    let rounded = if numerator >= 0 { (numerator + half) / denominator } else { (numerator - half) / denominator };
    rounded as i64
}

/// The options a service of `product` at option `current` can be changed to: the same product
/// and distance band (`1G-metro` → `10G-metro`), with a bandwidth, smallest first. Empty when
/// the product's bandwidth cannot be changed (secure access, colocation).
pub fn resize_options<'a>(product: &'a Product, current: &str) -> Vec<&'a ProductOption> {
    let band = |code: &str| code.split_once('-').map(|(_, band)| band.to_owned()).unwrap_or_default();
    let Some(now) = product.option(current).filter(|option| option.bandwidth.is_some()) else {
        return Vec::new();
    };
    let mut options: Vec<&ProductOption> = product
        .options
        .iter()
        .filter(|option| option.bandwidth.is_some() && band(&option.code) == band(&now.code))
        .collect();
    options.sort_by_key(|option| option.bandwidth.map(|bandwidth| bandwidth.mbps()));
    options
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Bandwidth, ProductId, Term};
    use proptest::prelude::*;

    const HOUR: i64 = 3_600_000;

    fn period(from_ms: i64, to_ms: Option<i64>, monthly: i64, hourly: i64) -> RatePeriod {
        RatePeriod { from_ms, to_ms, mbps: 50, monthly: Money::from_cents(monthly), hourly: Money::from_cents(hourly) }
    }

    #[test]
    fn hourly_usage_accrues_by_simulated_hour() {
        // $0.10 an hour, 3 real hours at real speed: $0.30, plus the one-time charge.
        let spent = spend(Money::from_dollars(5), &[period(0, None, 0, 10)], 3 * HOUR, 1);
        assert_eq!(spent.hourly_so_far, Money::from_cents(30));
        assert_eq!(spent.so_far, Money::from_cents(530));
        assert_eq!(spent.monthly_estimate, Money::from_cents(7_300));
        // 1000 times faster: 3 real seconds are 50 simulated minutes.
        let fast = spend(Money::ZERO, &[period(0, None, 0, 10)], 3_000, 1_000);
        assert_eq!(fast.hourly_so_far, Money::from_cents(8)); // 8.33 cents, rounded
    }

    #[test]
    fn a_bandwidth_change_bills_each_rate_for_its_own_hours() {
        let periods = [period(0, Some(2 * HOUR), 0, 10), period(2 * HOUR, None, 0, 25)];
        let spent = spend(Money::ZERO, &periods, 6 * HOUR, 1);
        assert_eq!(spent.hourly_so_far, Money::from_cents(2 * 10 + 4 * 25));
        assert_eq!(spent.monthly_estimate, Money::from_cents(25 * 730));
    }

    #[test]
    fn monthly_charges_accrue_pro_rata_and_stop_when_terminated() {
        // $730 a month is $1 an hour.
        let periods = [period(0, Some(10 * HOUR), 73_000, 0)];
        let spent = spend(Money::ZERO, &periods, 100 * HOUR, 1);
        assert_eq!(spent.so_far, Money::from_dollars(10));
        assert_eq!(spent.monthly_estimate, Money::ZERO, "a terminated service costs nothing more");
    }

    fn product() -> Product {
        let option = |code: &str, bandwidth: Option<&str>| ProductOption {
            code: code.into(),
            label: code.into(),
            bandwidth: bandwidth.map(|text| Bandwidth::parse(text).unwrap()),
        };
        Product {
            id: ProductId::parse("programmable-connectivity").unwrap(),
            name: "Programmable Connectivity".into(),
            tagline: String::new(),
            description: String::new(),
            billing: String::new(),
            stages: vec![],
            terms: vec![Term::OnDemand],
            options: vec![
                option("10G-metro", Some("10G")),
                option("50M-metro", Some("50M")),
                option("50M-national", Some("50M")),
                option("1G-metro", Some("1G")),
                option("support", None),
            ],
            ends: crate::catalog::Ends::Two,
            provisioning: crate::catalog::Provisioning::default(),
        }
    }

    #[test]
    fn ending_a_term_early_charges_the_share_of_what_is_left() {
        let monthly = Money::from_dollars(1_000);
        // A 36-month term, 16 months served at real speed: 20 months left, all of it charged.
        let served = 16 * 730 * HOUR;
        let fee = early_termination(Term::Months36, 0, served, 1, monthly, 10_000).unwrap();
        assert_eq!((fee.hours_left, fee.fee), (20 * 730, Money::from_dollars(20_000)));
        assert_eq!(fee.months_left_text(), "20.0 months");
        assert_eq!(
            fee.explain(),
            "100 % of the $1,000.00 a month still committed for the 20.0 months left of the term"
        );
        // Half the remainder, when the price book says so.
        assert_eq!(
            early_termination(Term::Months36, 0, served, 1, monthly, 5_000).unwrap().fee,
            Money::from_dollars(10_000)
        );
        // The network clock counts: 1000 times faster, 16 real hours are 16,000 hours served.
        let fast = early_termination(Term::Months36, 0, 16 * HOUR, 1_000, monthly, 10_000).unwrap();
        assert_eq!(fast.hours_left, 36 * 730 - 16_000);
        // Nothing committed, nothing charged.
        assert_eq!(early_termination(Term::OnDemand, 0, HOUR, 1, monthly, 10_000), None);
        assert_eq!(early_termination(Term::Months12, 0, 12 * 730 * HOUR, 1, monthly, 10_000), None, "term served");
        assert_eq!(early_termination(Term::Months12, 0, HOUR, 1, Money::ZERO, 10_000), None);
        assert_eq!(early_termination(Term::Months12, 0, HOUR, 1, monthly, 0), None);
    }

    #[test]
    fn resizing_keeps_the_distance_band_and_sorts_by_rate() {
        let product = product();
        let codes: Vec<&str> = resize_options(&product, "50M-metro").iter().map(|o| o.code.as_str()).collect();
        assert_eq!(codes, ["50M-metro", "1G-metro", "10G-metro"]);
        assert!(resize_options(&product, "support").is_empty());
        assert!(resize_options(&product, "nope").is_empty());
    }

    proptest! {
        #[test]
        fn the_fee_never_grows_as_the_term_runs_and_never_exceeds_the_commitment(
            monthly in 1i64..10_000_000, share in 0u32..=10_000, started in 0i64..1_000_000,
            later in 0i64..100_000_000, more in 0i64..100_000_000, speedup in 1u32..5_000,
        ) {
            let fee = |now| early_termination(Term::Months60, started, now, speedup, Money::from_cents(monthly), share)
                .map_or(Money::ZERO, |fee| fee.fee);
            let (before, after) = (fee(started + later), fee(started + later + more));
            prop_assert!(after <= before);
            prop_assert!(before <= Money::from_cents(monthly * 60));
            prop_assert!(!after.is_negative());
        }

        #[test]
        fn spend_never_falls_as_time_passes(
            hourly in 0i64..100_000, monthly in 0i64..10_000_000, start in 0i64..1_000_000,
            later in 0i64..10_000_000, more in 0i64..10_000_000, speedup in 1u32..5_000,
        ) {
            let periods = [period(start, None, monthly, hourly)];
            let before = spend(Money::ZERO, &periods, start + later, speedup);
            let after = spend(Money::ZERO, &periods, start + later + more, speedup);
            prop_assert!(after.so_far >= before.so_far);
            prop_assert!(!before.so_far.is_negative());
        }
    }
}
