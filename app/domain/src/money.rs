//! Exact money: integer US cents. Floats never touch a price.
//!
//! Rounding rule (used by every percentage applied to money): round half away from zero to the
//! nearest cent, computed in integer arithmetic on basis points.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub};

/// The only currency of the price book today; stated next to every total.
pub const CURRENCY: &str = "USD";

/// An amount of US dollars in integer cents (may be negative for discounts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_cents(cents: i64) -> Self {
        Money(cents)
    }

    pub const fn from_dollars(dollars: i64) -> Self {
        Money(dollars * 100)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// `self × basis_points / 10 000`, rounded half away from zero to the cent.
    /// 1 basis point = 0.01 %; −1 500 bp is a 15 % discount.
    pub fn percent_bp(self, basis_points: i32) -> Money {
        let product = i128::from(self.0) * i128::from(basis_points);
        Money(div_round_half_away(product, 10_000) as i64)
    }

    /// The amount adjusted by a percentage: `self + self × bp`.
    pub fn adjusted_by_bp(self, basis_points: i32) -> Money {
        self + self.percent_bp(basis_points)
    }

    /// Parses a dollar amount as written in the price book files: `"2000"`, `"3.55"`, `"0.8"`.
    /// At most two decimals; no sign, no thousands separators.
    pub fn parse_dollars(text: &str) -> Result<Money, MoneyError> {
        let text = text.trim();
        let (whole, fraction) = match text.split_once('.') {
            Some((whole, fraction)) if !fraction.is_empty() => (whole, fraction),
            Some(_) => return Err(MoneyError::Unparsable(text.to_owned())),
            None => (text, ""),
        };
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) || fraction.len() > 2 {
            return Err(MoneyError::Unparsable(text.to_owned()));
        }
        let whole: i64 = whole.parse().map_err(|_| MoneyError::Unparsable(text.to_owned()))?;
        let cents: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
        whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(cents))
            .map(Money)
            .ok_or_else(|| MoneyError::Unparsable(text.to_owned()))
    }
}

fn div_round_half_away(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if remainder.abs() * 2 >= denominator.abs() {
        quotient + numerator.signum() * denominator.signum()
    } else {
        quotient
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("“{0}” is not a dollar amount: write digits with at most two decimals, like 1200 or 3.55")]
    Unparsable(String),
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

/// `$1,234.56`, `−$15.00`; whole-dollar amounts keep their cents so columns line up.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "−" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}${}.{:02}", group_thousands(abs / 100), abs % 100)
    }
}

/// `1234567` → `1,234,567`. Integer-only, like every number the browser formats: float
/// formatting would add its tables to the wasm bundle.
pub fn group_thousands(number: u64) -> String {
    let digits = number.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    grouped
}

/// 1 500 basis points → `15 %`; 650 → `6.5 %` (one decimal, truncated).
pub fn format_basis_points(basis_points: u32) -> String {
    match basis_points % 100 {
        0 => format!("{} %", basis_points / 100),
        rest => format!("{}.{} %", basis_points / 100, rest / 10),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn displays_with_grouping_and_cents() {
        assert_eq!(Money::from_cents(0).to_string(), "$0.00");
        assert_eq!(Money::from_cents(355).to_string(), "$3.55");
        assert_eq!(Money::from_dollars(40_000).to_string(), "$40,000.00");
        assert_eq!(Money::from_cents(-123_456_789).to_string(), "−$1,234,567.89");
    }

    #[test]
    fn formats_numbers_without_floats() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(33_025), "33,025");
        assert_eq!(group_thousands(1_000_000), "1,000,000");
        assert_eq!(format_basis_points(1500), "15 %");
        assert_eq!(format_basis_points(650), "6.5 %");
    }

    #[test]
    fn parses_price_book_amounts() {
        assert_eq!(Money::parse_dollars("2000"), Ok(Money::from_dollars(2000)));
        assert_eq!(Money::parse_dollars("3.55"), Ok(Money::from_cents(355)));
        assert_eq!(Money::parse_dollars("0.8"), Ok(Money::from_cents(80)));
        for bad in ["", "-1", "1.234", "1,000", "$5", "abc", "1."] {
            assert!(Money::parse_dollars(bad).is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn percentages_round_half_away_from_zero() {
        // 15 % off $0.10 is 1.5 cents → 2 cents off.
        assert_eq!(Money::from_cents(10).percent_bp(-1500), Money::from_cents(-2));
        assert_eq!(Money::from_cents(10).adjusted_by_bp(-1500), Money::from_cents(8));
        assert_eq!(Money::from_dollars(600).adjusted_by_bp(-2500), Money::from_dollars(450));
        assert_eq!(Money::from_cents(-10).percent_bp(1500), Money::from_cents(-2));
    }

    proptest! {
        #[test]
        fn a_discount_never_raises_a_positive_price(cents in 0i64..10_000_000_000, bp in 0i32..=10_000) {
            let price = Money::from_cents(cents);
            let discounted = price.adjusted_by_bp(-bp);
            prop_assert!(discounted <= price);
            prop_assert!(discounted >= Money::ZERO);
        }

        #[test]
        fn rounding_error_is_at_most_half_a_cent(cents in -10_000_000_000i64..10_000_000_000, bp in -10_000i32..=10_000) {
            let exact = cents as f64 * bp as f64 / 10_000.0;
            let rounded = Money::from_cents(cents).percent_bp(bp).cents() as f64;
            prop_assert!((exact - rounded).abs() <= 0.5 + 1e-6);
        }

        #[test]
        fn display_round_trips_through_parse(cents in 0i64..1_000_000_000_000) {
            let shown = Money::from_cents(cents).to_string().replace(['$', ','], "");
            prop_assert_eq!(Money::parse_dollars(&shown), Ok(Money::from_cents(cents)));
        }
    }
}
