//! Planned maintenance on the network: a window on a span or a site, what it is expected to do
//! to traffic, and which services it touches (those whose route crosses the span, or that
//! start, end or pass through the site).

use crate::account::{parse_note, FieldError};
use crate::network::{Site, SiteId, Span, SpanId};
use serde::{Deserialize, Serialize};

/// The longest window that can be announced: two days.
pub const MAX_WINDOW_MS: i64 = 48 * 3_600_000;
/// How far ahead a window can be announced: a year.
pub const MAX_LEAD_MS: i64 = 366 * 86_400_000;

/// What the work is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum MaintenanceTarget {
    Span(SpanId),
    Site(SiteId),
}

impl MaintenanceTarget {
    /// Parses the form's choice: `span:<id>` or `site:<id>`.
    pub fn parse(raw: &str) -> Result<MaintenanceTarget, FieldError> {
        let bad = || FieldError::new("target", "Choose the span or site the work is on.");
        match raw.trim().split_once(':') {
            Some(("span", id)) => SpanId::parse(id).map(MaintenanceTarget::Span).map_err(|_| bad()),
            Some(("site", id)) => SiteId::parse(id).map(MaintenanceTarget::Site).map_err(|_| bad()),
            _ => Err(bad()),
        }
    }

    /// `span:<id>` or `site:<id>`, as the form sends it.
    pub fn key(&self) -> String {
        match self {
            MaintenanceTarget::Span(span) => format!("span:{span}"),
            MaintenanceTarget::Site(site) => format!("site:{site}"),
        }
    }

    /// Whether a service from `a_end` to `z_end` over `route` (its spans, in order) is touched:
    /// its route crosses the span; or, for a site, the service starts or ends there (at a
    /// metro: anywhere in it, its data centres and on-ramps reach the hub) or its route passes
    /// through it. `network` is the network's spans and sites.
    pub fn touches(&self, a_end: &SiteId, z_end: &SiteId, route: &[SpanId], network: (&[Span], &[Site])) -> bool {
        let (spans, sites) = network;
        match self {
            MaintenanceTarget::Span(target) => route.contains(target),
            MaintenanceTarget::Site(target) => {
                let at =
                    |end: &SiteId| end == target || sites.iter().any(|site| &site.id == end && &site.metro == target);
                at(a_end)
                    || at(z_end)
                    || route.iter().any(|id| spans.iter().any(|span| &span.id == id && span.joins(target)))
            }
        }
    }
}

/// What the work is expected to do to the traffic of the services it touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    /// Traffic stops for part of the window (services without a diverse path go down).
    Outage,
    /// Traffic flows, with brief interruptions or a longer path.
    Degraded,
    /// Nothing is expected to be noticed (the work is on protected equipment).
    NoneExpected,
}

impl Impact {
    pub const ALL: [Impact; 3] = [Impact::Outage, Impact::Degraded, Impact::NoneExpected];

    pub fn slug(self) -> &'static str {
        match self {
            Impact::Outage => "outage",
            Impact::Degraded => "degraded",
            Impact::NoneExpected => "none-expected",
        }
    }

    pub fn parse(text: &str) -> Option<Impact> {
        Impact::ALL.into_iter().find(|impact| impact.slug() == text.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Impact::Outage => "Outage during the window",
            Impact::Degraded => "Brief interruptions or higher latency",
            Impact::NoneExpected => "No impact expected",
        }
    }
}

/// A window as an admin announces it: every value checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceWindow {
    pub target: MaintenanceTarget,
    pub starts_ms: i64,
    pub ends_ms: i64,
    pub impact: Impact,
    /// What the work is, for the customers who read the notice.
    pub reason: String,
}

/// Milliseconds since 1970 of a `YYYY-MM-DDTHH:MM` time in UTC (as a `datetime-local` input
/// sends it; seconds are accepted and dropped).
pub fn parse_utc_minute(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let (date, time) = raw.split_once('T').or_else(|| raw.split_once(' '))?;
    let day_ms = crate::time::parse_date_ms(date)?;
    let mut parts = time.split(':');
    let number = |part: Option<&str>, max: i64| -> Option<i64> {
        let part = part?;
        (part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
            .filter(|n| *n <= max)
    };
    let (hours, minutes) = (number(parts.next(), 23)?, number(parts.next(), 59)?);
    match parts.next() {
        None => {}
        Some(seconds) if number(Some(seconds), 59).is_some() && parts.next().is_none() => {}
        Some(_) => return None,
    }
    Some(day_ms + hours * 3_600_000 + minutes * 60_000)
}

impl MaintenanceWindow {
    /// Parses the admin's form at `now_ms`: the target, start and end (UTC), the expected
    /// impact and what the work is. Every field's problem is reported.
    pub fn parse(
        target: &str,
        starts: &str,
        ends: &str,
        impact: &str,
        reason: &str,
        now_ms: i64,
    ) -> Result<MaintenanceWindow, Vec<FieldError>> {
        let mut problems = Vec::new();
        let target = MaintenanceTarget::parse(target).map_err(|problem| problems.push(problem)).ok();
        let when = |field: &'static str, raw: &str, problems: &mut Vec<FieldError>| {
            let parsed = parse_utc_minute(raw);
            if parsed.is_none() {
                problems.push(FieldError::new(field, "Enter a date and time (UTC), like 2027-01-15 02:00."));
            }
            parsed
        };
        let starts_ms = when("starts", starts, &mut problems);
        let ends_ms = when("ends", ends, &mut problems);
        if let Some(starts_ms) = starts_ms {
            if starts_ms < now_ms {
                problems.push(FieldError::new("starts", "The window must start in the future."));
            } else if starts_ms > now_ms + MAX_LEAD_MS {
                problems.push(FieldError::new("starts", "Announce work at most a year ahead."));
            }
        }
        if let (Some(starts_ms), Some(ends_ms)) = (starts_ms, ends_ms) {
            if ends_ms <= starts_ms {
                problems.push(FieldError::new("ends", "The window must end after it starts."));
            } else if ends_ms - starts_ms > MAX_WINDOW_MS {
                problems
                    .push(FieldError::new("ends", "A window lasts at most 48 hours: announce longer work in parts."));
            }
        }
        let impact = Impact::parse(impact);
        if impact.is_none() {
            problems.push(FieldError::new("impact", "Choose what the work is expected to do to traffic."));
        }
        let reason = match parse_note("reason", reason) {
            Ok(reason) if reason.is_empty() => {
                problems
                    .push(FieldError::new("reason", "Say what the work is, for the customers who read the notice."));
                None
            }
            Ok(reason) if reason.chars().count() > 500 => {
                problems.push(FieldError::new("reason", "Shorten this to 500 characters or fewer."));
                None
            }
            Ok(reason) => Some(reason),
            Err(problem) => {
                problems.push(problem);
                None
            }
        };
        match (target, starts_ms, ends_ms, impact, reason) {
            (Some(target), Some(starts_ms), Some(ends_ms), Some(impact), Some(reason)) if problems.is_empty() => {
                Ok(MaintenanceWindow { target, starts_ms, ends_ms, impact, reason })
            }
            _ => Err(problems),
        }
    }
}

/// Where a window stands at `now_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum MaintenanceStatus {
    Upcoming,
    InProgress,
    Completed,
    Cancelled,
}

impl MaintenanceStatus {
    pub fn at(starts_ms: i64, ends_ms: i64, cancelled: bool, now_ms: i64) -> MaintenanceStatus {
        if cancelled {
            MaintenanceStatus::Cancelled
        } else if now_ms < starts_ms {
            MaintenanceStatus::Upcoming
        } else if now_ms < ends_ms {
            MaintenanceStatus::InProgress
        } else {
            MaintenanceStatus::Completed
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MaintenanceStatus::Upcoming => "Upcoming",
            MaintenanceStatus::InProgress => "In progress",
            MaintenanceStatus::Completed => "Completed",
            MaintenanceStatus::Cancelled => "Cancelled",
        }
    }
}

/// A maintenance notice as a reader sees it: the window and the services of theirs it touches
/// (every one, for Lightpath's network operations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaintenanceNotice {
    pub id: String,
    pub target: MaintenanceTarget,
    /// The span's ends ("London – Paris") or the site's name.
    pub target_name: String,
    /// Milliseconds since 1970, UTC.
    pub starts_ms: i64,
    pub ends_ms: i64,
    pub impact: Impact,
    pub status: MaintenanceStatus,
    /// What the work is.
    pub reason: String,
    /// The services it touches that the reader may see (none listed for Lightpath's network
    /// operations, who see how many in `services_touched`).
    pub services: Vec<NoticeService>,
    /// How many services it touches, of the reader's (all of them, for network operations).
    pub services_touched: u64,
}

impl MaintenanceNotice {
    /// Whether it has yet to end (and was not cancelled).
    pub fn is_open(&self) -> bool {
        matches!(self.status, MaintenanceStatus::Upcoming | MaintenanceStatus::InProgress)
    }
}

/// A window as people read it: "2027-01-15 02:00 – 06:00 UTC", with the end's date too when
/// it is another day.
pub fn window_text(starts_ms: i64, ends_ms: i64) -> String {
    let (starts, ends) = (crate::time::utc_minute(starts_ms), crate::time::utc_minute(ends_ms));
    if starts[..10] == ends[..10] {
        format!("{starts} – {} UTC", &ends[11..])
    } else {
        format!("{starts} – {ends} UTC")
    }
}

/// A service a notice touches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeService {
    pub id: String,
    pub title: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_000_000_000;

    fn span(id: &str, a: &str, z: &str) -> Span {
        Span {
            id: SpanId::parse(id).unwrap(),
            a: SiteId::parse(a).unwrap(),
            z: SiteId::parse(z).unwrap(),
            route_km: 100,
            wavelengths: 96,
            wavelength_gbps: 400,
            fiber_pairs: 2,
        }
    }

    #[test]
    fn times_are_utc_minutes_as_a_datetime_input_sends_them() {
        let day = crate::time::parse_date_ms("2027-01-15").unwrap();
        assert_eq!(parse_utc_minute("2027-01-15T02:30"), Some(day + 2 * 3_600_000 + 30 * 60_000));
        assert_eq!(parse_utc_minute("2027-01-15 02:30:59"), Some(day + 2 * 3_600_000 + 30 * 60_000));
        for bad in
            ["", "2027-01-15", "2027-01-15T24:00", "2027-01-15T02:60", "2027-02-30T01:00", "2027-01-15T2:30", "x"]
        {
            assert_eq!(parse_utc_minute(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_window_is_in_the_future_forward_at_most_two_days_and_says_what_it_is() {
        let start = crate::time::iso_time(NOW + 86_400_000)[..16].to_owned();
        let end = crate::time::iso_time(NOW + 86_400_000 + 4 * 3_600_000)[..16].to_owned();
        let window = MaintenanceWindow::parse("span:lon-par", &start, &end, "outage", " Fiber splice ", NOW).unwrap();
        assert_eq!(window.target, MaintenanceTarget::Span(SpanId::parse("lon-par").unwrap()));
        assert_eq!(window.ends_ms - window.starts_ms, 4 * 3_600_000);
        assert_eq!(window.reason, "Fiber splice");

        let past = crate::time::iso_time(NOW - 3_600_000)[..16].to_owned();
        let long = crate::time::iso_time(NOW + 86_400_000 + 49 * 3_600_000)[..16].to_owned();
        let fields = |result: Result<MaintenanceWindow, Vec<FieldError>>| -> Vec<&'static str> {
            result.unwrap_err().iter().map(|problem| problem.field).collect()
        };
        assert_eq!(fields(MaintenanceWindow::parse("span:lon-par", &past, &end, "outage", "x", NOW)), ["starts"]);
        assert_eq!(fields(MaintenanceWindow::parse("span:lon-par", &end, &start, "outage", "x", NOW)), ["ends"]);
        assert_eq!(fields(MaintenanceWindow::parse("span:lon-par", &start, &long, "outage", "x", NOW)), ["ends"]);
        assert_eq!(
            fields(MaintenanceWindow::parse("road:a1", "", &end, "boom", "", NOW)),
            ["target", "starts", "impact", "reason"]
        );
        assert_eq!(fields(MaintenanceWindow::parse("site:lon", &start, &end, "degraded", "a\u{7}b", NOW)), ["reason"]);
    }

    fn site(id: &str, metro: &str) -> Site {
        Site {
            id: SiteId::parse(id).unwrap(),
            kind: if id == metro { crate::SiteKind::Metro } else { crate::SiteKind::DataCenter },
            name: id.to_uppercase(),
            metro: SiteId::parse(metro).unwrap(),
            location: crate::Coordinates::new(48.0, 2.0).unwrap(),
            operator: None,
            access_km: 0,
        }
    }

    #[test]
    fn a_span_touches_the_routes_over_it_and_a_site_those_that_end_in_it_or_pass_through() {
        let spans = [span("lon-par", "lon", "par"), span("par-fra", "par", "fra")];
        let sites = [
            site("lon", "lon"),
            site("par", "par"),
            site("fra", "fra"),
            site("par-dc1", "par"),
            site("par-dc2", "par"),
        ];
        let network = (&spans[..], &sites[..]);
        let id = |id: &str| SiteId::parse(id).unwrap();
        let route = [SpanId::parse("lon-par").unwrap(), SpanId::parse("par-fra").unwrap()];
        let on_span = MaintenanceTarget::parse("span:par-fra").unwrap();
        assert!(on_span.touches(&id("lon"), &id("fra"), &route, network));
        assert!(!on_span.touches(&id("lon"), &id("par"), &route[..1], network));
        let in_paris = MaintenanceTarget::parse("site:par").unwrap();
        assert!(in_paris.touches(&id("lon"), &id("fra"), &route, network), "passes through");
        assert!(in_paris.touches(&id("par-dc1"), &id("par-dc2"), &[], network), "a metro circuit in Paris");
        let in_berlin = MaintenanceTarget::parse("site:ber").unwrap();
        assert!(!in_berlin.touches(&id("lon"), &id("fra"), &route, network));
        assert!(!MaintenanceTarget::parse("site:par-dc2").unwrap().touches(&id("lon"), &id("fra"), &route, network));
        assert_eq!(in_paris.key(), "site:par");
    }

    #[test]
    fn a_window_reads_as_utc_minutes() {
        let day = crate::time::parse_date_ms("2027-01-15").unwrap();
        assert_eq!(window_text(day + 2 * 3_600_000, day + 6 * 3_600_000), "2027-01-15 02:00 – 06:00 UTC");
        assert_eq!(window_text(day + 22 * 3_600_000, day + 26 * 3_600_000), "2027-01-15 22:00 – 2027-01-16 02:00 UTC");
    }

    #[test]
    fn status_follows_the_clock_unless_cancelled() {
        assert_eq!(MaintenanceStatus::at(10, 20, false, 5), MaintenanceStatus::Upcoming);
        assert_eq!(MaintenanceStatus::at(10, 20, false, 10), MaintenanceStatus::InProgress);
        assert_eq!(MaintenanceStatus::at(10, 20, false, 20), MaintenanceStatus::Completed);
        assert_eq!(MaintenanceStatus::at(10, 20, true, 15), MaintenanceStatus::Cancelled);
    }
}
