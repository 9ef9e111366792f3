//! Outages: a span of the network goes down (in the simulated network, network operations cut
//! it, as a backhoe would) and every service whose route crosses it goes down with it; a
//! diverse twin routed over other spans stays up. The outage is opened the moment the span
//! goes down and closed, with its duration, when the span is restored.

use crate::account::{parse_note, FieldError};
use crate::maintenance::NoticeService;
use crate::network::SpanId;
use serde::{Deserialize, Serialize};

/// An outage as a reader sees it: the span, since when (and until when, once restored), and
/// the reader's services it took down (every one, for Lightpath's network operations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outage {
    pub id: String,
    pub span: SpanId,
    /// The span's ends ("Chicago – Ashburn").
    pub span_name: String,
    /// What happened, as network operations recorded it.
    pub cause: String,
    /// Milliseconds since 1970, UTC.
    pub started_ms: i64,
    /// When the span was restored; None while the outage lasts.
    pub ended_ms: Option<i64>,
    /// How long it lasted, in whole seconds, once it ended.
    pub duration_seconds: Option<i64>,
    /// The services it took down that the reader may see (none listed for network
    /// operations, who see how many in `services_affected`).
    pub services: Vec<NoticeService>,
    /// How many services it took down, of the reader's (all of them, for network operations).
    pub services_affected: u64,
}

impl Outage {
    /// Whether the span is still down.
    pub fn is_open(&self) -> bool {
        self.ended_ms.is_none()
    }

    /// "Since 2027-01-15 02:00 UTC", or the window it lasted and for how long.
    pub fn when_text(&self) -> String {
        match self.ended_ms {
            None => format!("Since {} UTC", crate::time::utc_minute(self.started_ms)),
            Some(ended) => format!(
                "{} ({})",
                crate::maintenance::window_text(self.started_ms, ended),
                duration_text(ended - self.started_ms)
            ),
        }
    }
}

/// What network operations say happened: required, at most 1,000 characters, no control
/// characters (customers read it).
pub fn parse_cause(raw: &str) -> Result<String, FieldError> {
    let cause = parse_note("cause", raw)?;
    if cause.is_empty() {
        return Err(FieldError::new("cause", "Say what happened, e.g. “Fiber cut by roadworks near mile 40”."));
    }
    Ok(cause)
}

/// A duration as people read it: "under a minute", "45 min", "2 h 15 min", "3 d 4 h".
pub fn duration_text(ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    let (days, hours, minutes) = (minutes / 1_440, minutes / 60 % 24, minutes % 60);
    match (days, hours, minutes) {
        (0, 0, 0) => "under a minute".to_owned(),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// Whether a service over `route` (its spans) is down while `down` spans are cut.
pub fn route_is_down(route: &[SpanId], down: &[SpanId]) -> bool {
    route.iter().any(|span| down.contains(span))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn span(id: &str) -> SpanId {
        SpanId::parse(id).unwrap()
    }

    #[test]
    fn durations_read_like_people_say_them() {
        assert_eq!(duration_text(20_000), "under a minute");
        assert_eq!(duration_text(45 * 60_000), "45 min");
        assert_eq!(duration_text(2 * 3_600_000), "2 h");
        assert_eq!(duration_text(2 * 3_600_000 + 15 * 60_000), "2 h 15 min");
        assert_eq!(duration_text(3 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000), "3 d 4 h");
        assert_eq!(duration_text(86_400_000), "1 d");
        assert_eq!(duration_text(-5), "under a minute");
    }

    #[test]
    fn a_cause_is_required_and_plain_text() {
        assert_eq!(parse_cause("  Fiber cut by roadworks ").unwrap(), "Fiber cut by roadworks");
        assert_eq!(parse_cause(" ").unwrap_err().field, "cause");
        assert_eq!(parse_cause("cut\u{7}").unwrap_err().field, "cause");
        assert!(parse_cause(&"x".repeat(1_001)).is_err());
    }

    #[test]
    fn only_routes_over_a_cut_span_go_down() {
        let (cut, other, twin) = (span("chi-ash"), span("chi-dfw"), span("dfw-ash"));
        assert!(route_is_down(&[other.clone(), cut.clone()], std::slice::from_ref(&cut)));
        assert!(!route_is_down(&[other, twin], std::slice::from_ref(&cut)), "the diverse twin stays up");
        assert!(!route_is_down(&[], &[cut]), "a service inside one metro crosses no span");
    }

    #[test]
    fn an_open_outage_reads_since_and_a_closed_one_its_length() {
        let mut outage = Outage {
            id: "o".into(),
            span: span("chi-ash"),
            span_name: "Chicago – Ashburn".into(),
            cause: "Cut".into(),
            started_ms: 1_796_000_000_000,
            ended_ms: None,
            duration_seconds: None,
            services: Vec::new(),
            services_affected: 0,
        };
        assert!(outage.is_open());
        assert!(outage.when_text().starts_with("Since 2026-"), "{}", outage.when_text());
        outage.ended_ms = Some(outage.started_ms + 95 * 60_000);
        assert!(!outage.is_open());
        assert!(outage.when_text().ends_with("UTC (1 h 35 min)"), "{}", outage.when_text());
    }

    proptest! {
        #[test]
        fn a_duration_never_reads_longer_than_it_was(ms in 0i64..400 * 86_400_000) {
            let text = duration_text(ms);
            let parts: Vec<&str> = text.split(' ').collect();
            let mut read = 0i64;
            for pair in parts.chunks(2) {
                if let [number, unit] = pair {
                    if let Ok(n) = number.parse::<i64>() {
                        read += n * match *unit { "d" => 86_400_000, "h" => 3_600_000, _ => 60_000 };
                    }
                }
            }
            prop_assert!(read <= ms && ms - read < 86_400_000, "{ms} read as {text}");
        }
    }
}
