//! Webhooks: the events an organisation can subscribe a callback URL to (named as TM Forum's
//! TMF688 event hub names them) and which network addresses a callback may reach.

use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// What happened, as a subscription chooses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventType {
    /// An order moved to another state (acknowledged, inProgress, completed, held…).
    OrderStateChanged,
    /// One item of an order was provisioned.
    OrderItemCompleted,
    /// A service came into service, changed bandwidth or was terminated.
    ServiceChanged,
    /// A sales engineer sent the organisation a quote.
    QuoteSent,
    /// A test event sent on request to one subscription ("Send a test event").
    Ping,
}

impl EventType {
    /// The events a subscription may choose.
    pub const SUBSCRIBABLE: [EventType; 4] =
        [EventType::OrderStateChanged, EventType::OrderItemCompleted, EventType::ServiceChanged, EventType::QuoteSent];

    pub fn slug(self) -> &'static str {
        match self {
            EventType::OrderStateChanged => "order-state-changed",
            EventType::OrderItemCompleted => "order-item-completed",
            EventType::ServiceChanged => "service-changed",
            EventType::QuoteSent => "quote-sent",
            EventType::Ping => "ping",
        }
    }

    pub fn parse(slug: &str) -> Option<EventType> {
        Self::SUBSCRIBABLE.into_iter().chain([EventType::Ping]).find(|kind| kind.slug() == slug)
    }

    /// The TMF688 `eventType` a receiver reads.
    pub fn tmf_name(self) -> &'static str {
        match self {
            EventType::OrderStateChanged => "ProductOrderStateChangeEvent",
            EventType::OrderItemCompleted => "ProductOrderItemCompletedEvent",
            EventType::ServiceChanged => "ServiceStateChangeEvent",
            EventType::QuoteSent => "QuoteStateChangeEvent",
            EventType::Ping => "PingEvent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EventType::OrderStateChanged => "An order changes state",
            EventType::OrderItemCompleted => "An order item is provisioned",
            EventType::ServiceChanged => "A service starts, changes or ends",
            EventType::QuoteSent => "A quote is sent to us",
            EventType::Ping => "Test event",
        }
    }
}

/// Whether a callback may be sent to `ip`: only public unicast addresses, unless the server
/// is set to allow private ones (tests and demos): never loopback, private, link-local (the
/// cloud metadata service lives there), shared (CGNAT), unspecified, multicast or
/// documentation ranges, so a subscription cannot make Lightpath probe its own network.
pub fn is_public_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (18..20).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_address(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

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
    fn event_types_round_trip_and_ping_is_not_subscribable() {
        for kind in EventType::SUBSCRIBABLE {
            assert_eq!(EventType::parse(kind.slug()), Some(kind));
        }
        assert!(!EventType::SUBSCRIBABLE.contains(&EventType::Ping));
        assert_eq!(EventType::parse("order.deleted"), None);
    }

    #[test]
    fn only_public_addresses_are_called_back() {
        for public in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
            assert!(is_public_address(public.parse().unwrap()), "{public}");
        }
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "192.0.2.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(!is_public_address(private.parse().unwrap()), "{private}");
        }
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_ms(1_000, 1), 1_000);
        assert_eq!(backoff_ms(1_000, 2), 2_000);
        assert_eq!(backoff_ms(1_000, 5), 16_000);
        assert_eq!(backoff_ms(1_000, 40), 60 * 60 * 1000);
    }
}
