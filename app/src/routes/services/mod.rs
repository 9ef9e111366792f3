//! The service inventory: the services an organisation runs with what they cost so far, and
//! one service's page with its path, utilisation, spend, bandwidth change and disconnect.

mod changes;
pub mod cloud;
mod detail;
mod edits;
mod list;
pub mod router;
#[cfg(feature = "ssr")]
pub mod usage;

pub use detail::ServiceDetailPage;
pub use list::ServicesPage;

use leptos::prelude::*;
use lightpath_domain::records::ServiceSummary;
use std::time::Duration;

/// How often spend is read again while a page is open: on-demand usage accrues by the
/// simulated hour, which passes in seconds.
const REFRESH: Duration = Duration::from_millis(5_000);

/// The service's state, or "Down" while an outage has a span of its route down.
fn state_badge(service: &ServiceSummary) -> impl IntoView {
    let (class, label) = if service.down { ("down", "Down") } else { (service.state.slug(), service.state.label()) };
    view! { <span class=format!("status service-{class}")>{label}</span> }
}

/// Reads again every few seconds while the page is open.
fn every_few_seconds(tick: RwSignal<u64>) {
    Effect::new(move |_| {
        tick.track();
        set_timeout(move || _ = tick.try_update(|n| *n += 1), REFRESH);
    });
}

/// What the change form sends: a bandwidth change (option, price shown, the buyer's
/// purchase-order reference) or a disconnect.
#[derive(Debug, Clone)]
enum Change {
    Bandwidth { option: String, monthly_cents: i64, purchase_order: String },
    Disconnect,
}
