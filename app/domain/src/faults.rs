//! The fault-injection policy of the simulated network, as an admin sets it: how often device
//! steps fail, in which mix, and how fast simulated time runs. Parsed from the admin form.

use crate::account::FieldError;
use serde::{Deserialize, Serialize};

/// How the simulated network misbehaves. Every value is in range by construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultPolicy {
    /// Chance that a device step fails, in basis points (0–10 000; 250 = 2.5 %).
    failure_rate_bp: u32,
    /// Relative weights of device timeouts, activation failures and service-test failures.
    mix: [u32; 3],
    /// How many times faster than real time the simulation runs (1 = real time).
    speedup: u32,
}

impl Default for FaultPolicy {
    fn default() -> Self {
        FaultPolicy { failure_rate_bp: 200, mix: [60, 15, 25], speedup: 1000 }
    }
}

impl FaultPolicy {
    pub const MAX_SPEEDUP: u32 = 1_000_000;

    /// Builds a policy from stored numbers, or None when one is out of range.
    pub fn new(failure_rate_bp: u32, mix: [u32; 3], speedup: u32) -> Option<FaultPolicy> {
        let valid = failure_rate_bp <= 10_000
            && mix.iter().all(|weight| *weight <= 1_000)
            && mix.iter().sum::<u32>() > 0
            && (1..=Self::MAX_SPEEDUP).contains(&speedup);
        valid.then_some(FaultPolicy { failure_rate_bp, mix, speedup })
    }

    /// Parses the admin form: the rate as a percentage with up to two decimals ("2.5"), the
    /// three weights as whole numbers, the speed-up as a whole number. Every field's problem
    /// is reported.
    pub fn parse(rate_percent: &str, mix: [&str; 3], speedup: &str) -> Result<FaultPolicy, Vec<FieldError>> {
        let mut problems = Vec::new();
        let rate = parse_percent_bp(rate_percent);
        if rate.is_none() {
            problems.push(FieldError::new("failure_rate", "Enter a percentage from 0 to 100, like 2 or 2.5."));
        }
        let names = ["device_timeout", "activation", "test"];
        let mut weights = [0u32; 3];
        for (i, text) in mix.iter().enumerate() {
            match text.trim().parse::<u32>() {
                Ok(weight) if weight <= 1_000 => weights[i] = weight,
                _ => problems.push(FieldError::new(names[i], "Enter a whole number from 0 to 1000.")),
            }
        }
        if problems.is_empty() && weights.iter().sum::<u32>() == 0 {
            problems.push(FieldError::new("device_timeout", "At least one kind of failure needs a weight above 0."));
        }
        let speedup = speedup.trim().parse::<u32>().ok().filter(|s| (1..=Self::MAX_SPEEDUP).contains(s));
        if speedup.is_none() {
            problems.push(FieldError::new("speedup", "Enter a whole number from 1 (real time) to 1000000."));
        }
        match (rate, speedup, problems.is_empty()) {
            (Some(failure_rate_bp), Some(speedup), true) => Ok(FaultPolicy { failure_rate_bp, mix: weights, speedup }),
            _ => Err(problems),
        }
    }

    pub fn failure_rate_bp(&self) -> u32 {
        self.failure_rate_bp
    }

    /// Weights of (device timeout, activation failure, test failure).
    pub fn mix(&self) -> [u32; 3] {
        self.mix
    }

    pub fn speedup(&self) -> u32 {
        self.speedup
    }

    /// The rate as the form shows it: 250 bp → "2.5".
    pub fn rate_percent_text(&self) -> String {
        let (whole, fraction) = (self.failure_rate_bp / 100, self.failure_rate_bp % 100);
        match fraction {
            0 => whole.to_string(),
            f if f % 10 == 0 => format!("{whole}.{}", f / 10),
            f => format!("{whole}.{f:02}"),
        }
    }
}

/// "2.5" → 250 basis points; None when not a percentage from 0 to 100 with ≤ 2 decimals.
fn parse_percent_bp(text: &str) -> Option<u32> {
    let text = text.trim().trim_end_matches('%').trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 || whole.len() > 3 {
        return None;
    }
    let bp = whole.parse::<u32>().ok()? * 100 + format!("{fraction:0<2}").parse::<u32>().ok()?;
    (bp <= 10_000).then_some(bp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_admin_form() {
        let policy = FaultPolicy::parse("2.5", ["60", "15", "25"], "1000").unwrap();
        assert_eq!(policy.failure_rate_bp(), 250);
        assert_eq!(policy.mix(), [60, 15, 25]);
        assert_eq!(policy.speedup(), 1000);
        assert_eq!(FaultPolicy::parse("100%", ["1", "0", "0"], "1").unwrap().failure_rate_bp(), 10_000);
    }

    #[test]
    fn every_bad_field_is_named() {
        let problems = FaultPolicy::parse("101", ["x", "15", "-1"], "0").unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["failure_rate", "device_timeout", "test", "speedup"]);
        let all_zero = FaultPolicy::parse("5", ["0", "0", "0"], "10").unwrap_err();
        assert!(all_zero[0].message.contains("above 0"));
        for bad in ["", "abc", "2.555", "-1", "1e2", "1000"] {
            assert!(FaultPolicy::parse(bad, ["1", "1", "1"], "1").is_err(), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn the_rate_text_round_trips(bp in 0u32..=10_000) {
            let policy = FaultPolicy::new(bp, [1, 1, 1], 1).unwrap();
            let again = FaultPolicy::parse(&policy.rate_percent_text(), ["1", "1", "1"], "1").unwrap();
            prop_assert_eq!(again.failure_rate_bp(), bp);
        }
    }
}
