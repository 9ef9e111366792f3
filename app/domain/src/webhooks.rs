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
    /// Planned maintenance touching the organisation's services was announced or cancelled.
    Maintenance,
    /// A span carrying the organisation's services went down (an outage opened), or came back.
    Outage,
    /// A service's utilisation alert fired (its traffic stayed over the threshold), or resolved.
    UsageAlert,
    /// A test event sent on request to one subscription ("Send a test event").
    Ping,
}

impl EventType {
    /// The events a subscription may choose.
    pub const SUBSCRIBABLE: [EventType; 7] = [
        EventType::OrderStateChanged,
        EventType::OrderItemCompleted,
        EventType::ServiceChanged,
        EventType::QuoteSent,
        EventType::Maintenance,
        EventType::Outage,
        EventType::UsageAlert,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            EventType::OrderStateChanged => "order-state-changed",
            EventType::OrderItemCompleted => "order-item-completed",
            EventType::ServiceChanged => "service-changed",
            EventType::QuoteSent => "quote-sent",
            EventType::Maintenance => "maintenance",
            EventType::Outage => "outage",
            EventType::UsageAlert => "usage-alert",
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
            EventType::Maintenance => "MaintenanceEvent",
            EventType::Outage => "OutageEvent",
            EventType::UsageAlert => "UsageAlertEvent",
            EventType::Ping => "PingEvent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EventType::OrderStateChanged => "An order changes state",
            EventType::OrderItemCompleted => "An order item is provisioned",
            EventType::ServiceChanged => "A service starts, changes or ends",
            EventType::QuoteSent => "A quote is sent to us",
            EventType::Maintenance => "Maintenance is announced on our services, or cancelled",
            EventType::Outage => "An outage takes our services down, or ends",
            EventType::UsageAlert => "A service's utilisation alert fires, or resolves",
            EventType::Ping => "Test event",
        }
    }
}

/// Undelivered events one subscription may hold. An event that would go past it pauses the
/// subscription instead: a receiver down for days must not grow the outbox without end.
pub const MAX_BACKLOG: i64 = 1_000;

/// Whether a callback may be sent to `ip`: only globally reachable unicast addresses, unless
/// the server is set to allow private ones (tests and demos). The special-purpose ranges of
/// IANA's IPv4 and IPv6 registries are refused (loopback, private, link-local where the cloud
/// metadata service lives, shared CGNAT, benchmarking, documentation, reserved), so a
/// subscription cannot make Lightpath probe its own network.
///
/// IPv6 is an allowlist: only global unicast (`2000::/3`) less its special blocks, so every
/// form that embeds or translates an IPv4 address — IPv4-compatible `::a.b.c.d`, NAT64
/// `64:ff9b::/96` and `64:ff9b:1::/48`, 6to4 `2002::/16`, Teredo `2001::/32` — and the
/// deprecated site-local `fec0::/10` are refused whatever IPv4 address they carry. IPv4-mapped
/// addresses (`::ffff:a.b.c.d`) are judged as the IPv4 address they are.
pub fn is_public_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(v4: std::net::Ipv4Addr) -> bool {
    let [a, b, c, _] = v4.octets();
    !(v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_multicast()
        || v4.is_broadcast()
        || v4.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240)
}

fn is_public_v6(v6: std::net::Ipv6Addr) -> bool {
    let [first, second, ..] = v6.segments();
    let global_unicast = (first & 0xe000) == 0x2000;
    global_unicast
        && !(first == 0x2001 && second < 0x0200) // IETF protocol assignments, Teredo, ORCHID
        && !(first == 0x2001 && second == 0x0db8) // documentation
        && first != 0x2002 // 6to4
        && !(first == 0x3fff && second < 0x1000) // documentation (3fff::/20)
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
        for public in
            ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "2001:4860:4860::8888", "2a00:1450::1", "::ffff:8.8.8.8"]
        {
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
            "192.0.0.8",
            "198.18.0.1",
            // IPv6 forms that carry or reach an internal IPv4 address, and old site-local.
            "::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::a9fe:a9fe",
            "2002:a9fe:a9fe::1",
            "2001:0:a9fe:a9fe::1",
            "::ffff:0:a9fe:a9fe",
            "fec0::1",
            "2001:db8::1",
            "3fff::1",
            "100::1",
            "::",
        ] {
            assert!(!is_public_address(private.parse().unwrap()), "{private}");
        }
    }
}
