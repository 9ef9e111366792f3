//! Quotes: the list (sales engineers start quotes from designs here), the quote editor with
//! live pricing and margin, one quote with the actions its viewer may take, the printable
//! quote, and the admins' approval queue.

mod approvals;
mod detail;
mod editor;
mod list;
mod print;

pub use approvals::{ApprovalsPage, OrganisationQuotes};
pub use detail::QuotePage;
pub use editor::QuoteEditorPage;
pub use list::QuotesPage;
pub use print::QuotePrintPage;

use leptos::prelude::*;
use lightpath_domain::pricing::Totals;
use lightpath_domain::quote::{margin_bp, QuoteState};

const DAY_MS: i64 = 86_400_000;

fn state_badge(state: QuoteState) -> impl IntoView {
    view! { <span class=format!("status quote-{}", state.slug())>{state.label()}</span> }
}

fn margin_text(list: Totals, net: Totals) -> String {
    margin_bp(list.monthly_estimate(), net.monthly_estimate()).map_or_else(
        || "no recurring price".to_owned(),
        |bp| format!("{}{}.{} %", if bp < 0 { "−" } else { "" }, bp.abs() / 100, bp.abs() % 100 / 10),
    )
}

fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        leptos::web_sys::js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
    }
}
