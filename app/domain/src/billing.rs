//! Invoices (TM Forum TMF678 customer bills): what an organisation's services cost over one
//! billing period, line by line, from the same rate periods and the same arithmetic as the
//! spend its services pages show.
//!
//! A charge that accrues over time (a monthly charge pro rata, hourly use) is billed in a
//! period as what had accrued at its end minus what had accrued at its start, each rounded
//! exactly as [`crate::service::spend`] rounds. The roundings telescope, so the invoices of
//! consecutive periods add up to the spend to the cent, however the periods are cut.

use crate::money::Money;
use crate::service::{div_round, RatePeriod};
use serde::{Deserialize, Serialize};

const MS_PER_HOUR: i128 = 3_600_000;
const HOURS_PER_MONTH: i128 = crate::pricing::HOURS_PER_MONTH as i128;

/// What one rate period had accrued by `at_ms` (wall clock) on a network `speedup` times
/// faster: (hourly use, monthly charges pro rata), each rounded half away from zero to the
/// cent. [`crate::service::spend`] is the sum of these at "now". Each period accrues
/// `hourly × simulated hours` plus `monthly × simulated hours / 730`.
pub fn accrued(period: &RatePeriod, at_ms: i64, speedup: u32) -> (Money, Money) {
    let end = period.to_ms.unwrap_or(at_ms).min(at_ms);
    let simulated_ms = i128::from((end - period.from_ms).max(0)) * i128::from(speedup.max(1));
    let hourly = div_round(i128::from(period.hourly.cents()) * simulated_ms, MS_PER_HOUR);
    let monthly = div_round(i128::from(period.monthly.cents()) * simulated_ms, MS_PER_HOUR * HOURS_PER_MONTH);
    (Money::from_cents(hourly), Money::from_cents(monthly))
}

/// Why a one-time charge was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OneTimeKind {
    /// Set-up charges of a new service.
    Installation,
    /// The fee for cutting bandwidth below the commitment during the term.
    ChangeFee,
    /// The early termination fee of a disconnect during the term.
    EarlyTermination,
}

impl OneTimeKind {
    pub const ALL: [OneTimeKind; 3] =
        [OneTimeKind::Installation, OneTimeKind::ChangeFee, OneTimeKind::EarlyTermination];

    pub fn slug(self) -> &'static str {
        match self {
            OneTimeKind::Installation => "installation",
            OneTimeKind::ChangeFee => "change-fee",
            OneTimeKind::EarlyTermination => "early-termination",
        }
    }

    pub fn parse(text: &str) -> Option<OneTimeKind> {
        OneTimeKind::ALL.into_iter().find(|kind| kind.slug() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            OneTimeKind::Installation => "Installation",
            OneTimeKind::ChangeFee => "Bandwidth reduction fee",
            OneTimeKind::EarlyTermination => "Early termination fee",
        }
    }
}

/// A one-time charge, billed in the period it was made in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimeCharge {
    pub at_ms: i64,
    pub kind: OneTimeKind,
    pub amount: Money,
}

/// A service as billing reads it: its rate periods and its one-time charges.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BillableService {
    pub id: String,
    pub title: String,
    pub periods: Vec<RatePeriod>,
    pub charges: Vec<OneTimeCharge>,
}

/// What a line bills (TMF678 `AppliedCustomerBillingRate.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LineKind {
    /// A monthly charge, pro rata for the part of the period the rate ran.
    Recurring,
    /// On-demand hours.
    Usage,
    /// A one-time charge.
    OneTime,
}

impl LineKind {
    pub fn slug(self) -> &'static str {
        match self {
            LineKind::Recurring => "recurring",
            LineKind::Usage => "usage",
            LineKind::OneTime => "oneTime",
        }
    }

    pub fn parse(text: &str) -> Option<LineKind> {
        [LineKind::Recurring, LineKind::Usage, LineKind::OneTime].into_iter().find(|kind| kind.slug() == text)
    }
}

/// One line of an invoice (TMF678 `AppliedCustomerBillingRate`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceLine {
    /// The service billed.
    pub service_id: String,
    pub service_title: String,
    #[serde(rename = "type")]
    pub kind: LineKind,
    /// What is billed, as the invoice reads: "Monthly charge, 100 Gbps at $1,200.00 a month".
    pub name: String,
    /// The part of the billing period the line covers (one-time: the moment it was charged).
    pub from_ms: i64,
    pub to_ms: i64,
    /// Before tax (Lightpath bills without tax in this portal).
    pub tax_excluded_amount: Money,
}

/// The lines of an invoice for `services` over `[from_ms, to_ms)` on a network `speedup` times
/// faster: per service, per rate period that ran in it, its monthly charges and its hourly use
/// (lines of zero left out), then the one-time charges made in it.
pub fn lines(services: &[BillableService], from_ms: i64, to_ms: i64, speedup: u32) -> Vec<InvoiceLine> {
    let mut lines = Vec::new();
    for service in services {
        for period in &service.periods {
            let (start, end) = (period.from_ms.max(from_ms), period.to_ms.unwrap_or(to_ms).min(to_ms));
            if start >= end {
                continue;
            }
            let (hourly_then, monthly_then) = accrued(period, from_ms, speedup);
            let (hourly_now, monthly_now) = accrued(period, to_ms, speedup);
            let rate = crate::recommend::format_rate(period.mbps);
            let mut line = |kind: LineKind, name: String, amount: Money| {
                if amount != Money::ZERO {
                    lines.push(InvoiceLine {
                        service_id: service.id.clone(),
                        service_title: service.title.clone(),
                        kind,
                        name,
                        from_ms: start,
                        to_ms: end,
                        tax_excluded_amount: amount,
                    });
                }
            };
            line(
                LineKind::Recurring,
                format!("Monthly charge, {rate} at {} a month, pro rata", period.monthly),
                monthly_now - monthly_then,
            );
            line(
                LineKind::Usage,
                format!("On-demand use, {rate} at {} an hour", period.hourly),
                hourly_now - hourly_then,
            );
        }
        for charge in service.charges.iter().filter(|charge| (from_ms..to_ms).contains(&charge.at_ms)) {
            lines.push(InvoiceLine {
                service_id: service.id.clone(),
                service_title: service.title.clone(),
                kind: LineKind::OneTime,
                name: charge.kind.label().to_owned(),
                from_ms: charge.at_ms,
                to_ms: charge.at_ms,
                tax_excluded_amount: charge.amount,
            });
        }
    }
    lines
}

/// What the lines add up to.
pub fn total(lines: &[InvoiceLine]) -> Money {
    lines.iter().fold(Money::ZERO, |sum, line| sum + line.tax_excluded_amount)
}

/// An invoice's number as customers quote it: `LP-<organisation's first 8>-<sequence, 4 digits>`.
pub fn bill_number(organisation_id: &str, sequence: u32) -> String {
    let short: String = organisation_id.chars().filter(char::is_ascii_alphanumeric).take(8).collect();
    format!("LP-{}-{sequence:04}", short.to_uppercase())
}

/// An issued invoice (TMF678 `CustomerBill`): numbered, for one period, never changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoice {
    pub id: String,
    /// `LP-1A2B3C4D-0001`: one sequence per organisation, with no gaps.
    pub bill_no: String,
    pub organisation_id: String,
    pub organisation_name: String,
    /// When it was issued (milliseconds since 1970, UTC).
    pub bill_date_ms: i64,
    /// The billing period, `[start, end)`.
    pub period_start_ms: i64,
    pub period_end_ms: i64,
    /// The lines' sum, before tax.
    pub amount_due: Money,
    /// Empty in a list of invoices; every line when one is read.
    pub applied_customer_billing_rate: Vec<InvoiceLine>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::spend;
    use proptest::prelude::*;

    const HOUR: i64 = 3_600_000;

    fn period(from_ms: i64, to_ms: Option<i64>, monthly: i64, hourly: i64) -> RatePeriod {
        RatePeriod {
            from_ms,
            to_ms,
            mbps: 10_000,
            monthly: Money::from_cents(monthly),
            hourly: Money::from_cents(hourly),
        }
    }

    #[test]
    fn a_month_with_an_order_a_bandwidth_change_and_a_disconnect_adds_up() {
        // Ordered on day 10 at $730 a month ($1 an hour), raised on day 15 to $1,460, and
        // disconnected on day 25 with a $300 fee; installation $500. Real time (speedup 1).
        let day = 24 * HOUR;
        let service = BillableService {
            id: "s".into(),
            title: "Wave".into(),
            periods: vec![period(10 * day, Some(15 * day), 73_000, 0), period(15 * day, Some(25 * day), 146_000, 0)],
            charges: vec![
                OneTimeCharge { at_ms: 10 * day, kind: OneTimeKind::Installation, amount: Money::from_dollars(500) },
                OneTimeCharge {
                    at_ms: 25 * day,
                    kind: OneTimeKind::EarlyTermination,
                    amount: Money::from_dollars(300),
                },
            ],
        };
        let invoice = lines(std::slice::from_ref(&service), 0, 30 * day, 1);
        let amounts: Vec<(LineKind, i64)> =
            invoice.iter().map(|line| (line.kind, line.tax_excluded_amount.cents())).collect();
        assert_eq!(
            amounts,
            [
                (LineKind::Recurring, 5 * 24 * 100),
                (LineKind::Recurring, 10 * 24 * 200),
                (LineKind::OneTime, 50_000),
                (LineKind::OneTime, 30_000)
            ]
        );
        assert_eq!(total(&invoice), Money::from_cents(12_000 + 48_000 + 80_000));
        assert_eq!(invoice[0].name, "Monthly charge, 10 Gbps at $730.00 a month, pro rata");
        assert_eq!((invoice[1].from_ms, invoice[1].to_ms), (15 * day, 25 * day));
        // The same as the service page's spend at the end of the month.
        let charged = Money::from_dollars(800);
        assert_eq!(total(&invoice), spend(charged, &service.periods, 30 * day, 1).so_far);
    }

    #[test]
    fn nothing_billed_outside_the_period() {
        let service = BillableService {
            id: "s".into(),
            title: "Wave".into(),
            periods: vec![period(100 * HOUR, None, 73_000, 25)],
            charges: vec![OneTimeCharge {
                at_ms: 100 * HOUR,
                kind: OneTimeKind::Installation,
                amount: Money::from_dollars(5),
            }],
        };
        assert!(lines(std::slice::from_ref(&service), 0, 100 * HOUR, 1).is_empty());
        let after = lines(std::slice::from_ref(&service), 100 * HOUR, 110 * HOUR, 1);
        assert_eq!(
            after.iter().map(|line| line.kind).collect::<Vec<_>>(),
            [LineKind::Recurring, LineKind::Usage, LineKind::OneTime]
        );
        assert_eq!(after[1].tax_excluded_amount, Money::from_cents(250));
        assert_eq!(after[1].name, "On-demand use, 10 Gbps at $0.25 an hour");
    }

    #[test]
    fn numbers_and_months() {
        assert_eq!(bill_number("0f3a9c2e-77aa-4b1e-9d00-1234567890ab", 7), "LP-0F3A9C2E-0007");
        let dec_6 = 1_796_601_600_000 + 5 * 3_600_000; // 2026-12-06 05:00 UTC
        assert_eq!(crate::time::iso_time(crate::time::month_start_ms(dec_6)), "2026-12-01T00:00:00.000Z");
    }

    /// A service's history: contiguous rate periods from `start`, the last maybe still open,
    /// and one-time charges at some of their boundaries.
    fn history() -> impl Strategy<Value = BillableService> {
        (
            0i64..1_000 * HOUR,
            prop::collection::vec((1i64..2_000 * HOUR, 0i64..5_000_000, 0i64..5_000), 1..5),
            any::<bool>(),
            prop::collection::vec((0usize..6, 0i64..2_000_000), 0..4),
        )
            .prop_map(|(start, spans, open, fees)| {
                let mut periods = Vec::new();
                let mut at = start;
                for (length, monthly, hourly) in &spans {
                    periods.push(period(at, Some(at + length), *monthly, *hourly));
                    at += length;
                }
                if open {
                    periods.last_mut().unwrap().to_ms = None;
                }
                let kinds = OneTimeKind::ALL;
                let charges = fees
                    .iter()
                    .map(|(at, cents)| {
                        let boundary = periods.get(*at).map_or(start, |p| p.from_ms);
                        OneTimeCharge { at_ms: boundary, kind: kinds[*at % 3], amount: Money::from_cents(*cents) }
                    })
                    .collect();
                BillableService { id: "s".into(), title: "S".into(), periods, charges }
            })
    }

    proptest! {
        /// However the billing periods are cut, the invoices add up to the spend at the end of
        /// the last one, to the cent; and each invoice is the spend's growth over its period.
        #[test]
        fn invoices_add_up_to_the_spend_to_the_cent(
            services in prop::collection::vec(history(), 1..4),
            mut cuts in prop::collection::vec(1i64..12_000 * HOUR, 1..6),
            speedup in prop::sample::select(vec![1u32, 7, 1_000, 100_000]),
        ) {
            cuts.sort_unstable();
            cuts.dedup();
            let spend_at = |at: i64| {
                services.iter().fold(Money::ZERO, |sum, service| {
                    let charged = service
                        .charges
                        .iter()
                        .filter(|charge| charge.at_ms < at)
                        .fold(Money::ZERO, |sum, charge| sum + charge.amount);
                    sum + spend(charged, &service.periods, at, speedup).so_far
                })
            };
            let mut from = 0;
            let mut billed = Money::ZERO;
            for &to in &cuts {
                let invoice = total(&lines(&services, from, to, speedup));
                prop_assert_eq!(invoice, spend_at(to) - spend_at(from));
                billed += invoice;
                from = to;
            }
            prop_assert_eq!(billed, spend_at(*cuts.last().unwrap()));
        }
    }
}
