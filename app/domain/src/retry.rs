//! The one retry schedule: webhook deliveries and provisioning steps wait twice as long after
//! each failed attempt.

/// How long to wait before attempt `attempt` (1-based after the first failure): `base_ms`
/// doubled each time, capped at an hour.
pub fn backoff_ms(base_ms: u64, attempt: u32) -> u64 {
    const HOUR_MS: u64 = 60 * 60 * 1000;
    base_ms.saturating_mul(1u64 << attempt.saturating_sub(1).min(30)).min(HOUR_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_ms(1_000, 1), 1_000);
        assert_eq!(backoff_ms(1_000, 2), 2_000);
        assert_eq!(backoff_ms(1_000, 5), 16_000);
        assert_eq!(backoff_ms(1_000, 40), 60 * 60 * 1000);
        assert_eq!(backoff_ms(100, 3), 400);
    }
}
