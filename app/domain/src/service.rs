//! The service inventory (TM Forum TMF637): what a completed order item becomes, what it has
//! cost so far, the bandwidths it can be changed to, and its (simulated) utilisation.
//!
//! Billing runs on the simulated network's clock: the network runs `speedup` times faster
//! than the wall clock, and so do the hours an on-demand service is billed for, so a buyer
//! sees hourly usage accumulate while watching.

use crate::catalog::{Product, ProductOption};
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// A service's life: active once provisioned, terminated once disconnected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ServiceState {
    Active,
    Suspended,
    Terminated,
}

impl ServiceState {
    pub const ALL: [ServiceState; 3] = [ServiceState::Active, ServiceState::Suspended, ServiceState::Terminated];

    pub fn slug(self) -> &'static str {
        match self {
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
            ServiceState::Active => "Active",
            ServiceState::Suspended => "Suspended",
            ServiceState::Terminated => "Terminated",
        }
    }
}

/// What an order does: add new services, change one, or disconnect one (TMF622 actions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
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

/// Hours in a billing month, as the price book's hourly estimates use.
pub const HOURS_PER_MONTH: i128 = 730;
const MS_PER_HOUR: i128 = 3_600_000;

/// The spend of a service from its rate periods up to `now_ms` (wall clock) on a network whose
/// clock runs `speedup` times faster. Each period accrues `hourly × simulated hours` plus
/// `monthly × simulated hours / 730`, rounded half away from zero to the cent per period.
pub fn spend(one_time: Money, periods: &[RatePeriod], now_ms: i64, speedup: u32) -> Spend {
    let mut total = Spend { so_far: one_time, ..Spend::default() };
    for period in periods {
        let end = period.to_ms.unwrap_or(now_ms).min(now_ms);
        let simulated_ms = i128::from((end - period.from_ms).max(0)) * i128::from(speedup.max(1));
        let hourly = Money::from_cents(div_round(i128::from(period.hourly.cents()) * simulated_ms, MS_PER_HOUR));
        let monthly = Money::from_cents(div_round(
            i128::from(period.monthly.cents()) * simulated_ms,
            MS_PER_HOUR * HOURS_PER_MONTH,
        ));
        total.so_far += hourly + monthly;
        total.hourly_so_far += hourly;
        if period.to_ms.is_none() {
            total.monthly_estimate = period.monthly + Money::from_cents(period.hourly.cents() * 730);
        }
    }
    total
}

fn div_round(numerator: i128, denominator: i128) -> i64 {
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

/// The simulated utilisation of a service, in percent of its rate, for each of the `hours`
/// simulated hours up to `now_hour`: a daily curve (busy afternoons, quiet nights) with a
/// jitter drawn from the service's id, so the same service always shows the same history.
pub fn utilisation(service_id: &str, now_hour: i64, hours: u32) -> Vec<(i64, u8)> {
    let seed = service_id
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3));
    (0..i64::from(hours))
        .rev()
        .map(|back| {
            let hour = now_hour - back;
            let of_day = hour.rem_euclid(24) as f64;
            let daily = 0.5 - 0.5 * ((of_day - 3.0) / 24.0 * std::f64::consts::TAU).cos();
            let mut draw = seed ^ (hour as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            draw ^= draw >> 33;
            draw = draw.wrapping_mul(0xff51_afd7_ed55_8ccd);
            draw ^= draw >> 33;
            let jitter = (draw % 13) as f64 - 6.0;
            let percent = (15.0 + 60.0 * daily + jitter).clamp(1.0, 99.0);
            (hour, percent.round() as u8)
        })
        .collect()
}

/// The simulated hour (since the epoch) at wall-clock `now_ms` on a network `speedup` times faster.
pub fn simulated_hour(now_ms: i64, speedup: u32) -> i64 {
    (i128::from(now_ms) * i128::from(speedup.max(1)) / MS_PER_HOUR) as i64
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
        }
    }

    #[test]
    fn resizing_keeps_the_distance_band_and_sorts_by_rate() {
        let product = product();
        let codes: Vec<&str> = resize_options(&product, "50M-metro").iter().map(|o| o.code.as_str()).collect();
        assert_eq!(codes, ["50M-metro", "1G-metro", "10G-metro"]);
        assert!(resize_options(&product, "support").is_empty());
        assert!(resize_options(&product, "nope").is_empty());
    }

    #[test]
    fn utilisation_is_stable_and_follows_the_day() {
        let history = utilisation("svc-1", 1_000, 24);
        assert_eq!(history.len(), 24);
        assert_eq!(history, utilisation("svc-1", 1_000, 24));
        assert_eq!(history.last().map(|(hour, _)| *hour), Some(1_000));
        assert!(history.iter().all(|(_, percent)| (1..=99).contains(percent)));
    }

    proptest! {
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
