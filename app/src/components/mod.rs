//! Components shared by several pages.

pub mod form_action;
pub mod forms;
pub mod kept_draft;
pub mod layout;
pub mod maintenance;
pub mod network_explorer;
pub mod order_review;
pub mod price_table;
pub mod site_picker;
pub mod stage_tags;
pub mod topology_map;

/// A fresh idempotency key for one submission attempt: `prefix-` and two random 53-bit numbers. Made in
/// the browser only: the server never makes a key for the buyer.
pub fn new_idempotency_key(prefix: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        let random = || (leptos::web_sys::js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
        format!("{prefix}-{:014x}{:014x}", random(), random())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = prefix;
        String::new()
    }
}

/// What an "order" button does when its request answers: open the new order's page, or hand
/// the error to `on_error`. The attempt's idempotency key is kept only when the request got no
/// answer (it may have been placed: retrying with the same key cannot order twice); after a
/// refusal the next attempt is a new one.
pub fn follow_order<I: Send + Sync + 'static>(
    action: leptos::prelude::Action<I, Result<crate::server_fns::orders::OrderPlaced, crate::error::AppError>>,
    key: leptos::prelude::StoredValue<Option<String>>,
    on_error: impl Fn(crate::error::AppError) + 'static,
) {
    use leptos::prelude::*;
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(placed)) => {
            key.set_value(None);
            navigate(&format!("/orders/{}", placed.id), Default::default());
        }
        Some(Err(error)) => {
            if !matches!(error, crate::error::AppError::Transport(_)) {
                key.set_value(None);
            }
            on_error(error);
        }
        None => {}
    });
}

/// A UTC timestamp as `2026-11-25 20:18:23`, in integer arithmetic (no float or date
/// library code in the browser bundle).
pub fn format_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = lightpath_domain::time::civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// The heading over a list of alerts, outages and maintenance notices: it names alerts and
/// outages only when one is there.
pub fn notices_heading(notices: &[lightpath_app::model::network::MaintenanceLine]) -> &'static str {
    let (alerts, outages) = (notices.iter().any(|notice| notice.alert), notices.iter().any(|notice| notice.outage));
    match (alerts, outages) {
        (true, true) => "Alerts, outages and planned maintenance",
        (true, false) => "Alerts and planned maintenance",
        (false, true) => "Outages and planned maintenance",
        (false, false) => "Planned maintenance",
    }
}

/// Escapes a value for a URL query: letters, digits and `-._~` stay, every other byte is `%XX`.
pub fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (byte as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod encode_tests {
    #[test]
    fn query_values_are_escaped() {
        assert_eq!(super::percent_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(super::percent_encode("price-book"), "price-book");
    }
}

/// A Copy handle to the router's navigation, for an action's answer. In the browser it holds
/// the router's navigate function in a local store (the browser has one thread). The server
/// never runs an action and holds nothing: a local store is tied to the thread that made it,
/// and the server may drop a page's owner on another, which panics mid-response.
#[derive(Clone, Copy)]
pub struct Navigator {
    #[cfg(feature = "hydrate")]
    go: leptos::prelude::StoredValue<Go, leptos::prelude::LocalStorage>,
}

#[cfg(feature = "hydrate")]
type Go = Box<dyn Fn(&str)>;

impl Navigator {
    /// Call while the component is set up (it reads the router's context).
    pub fn new() -> Navigator {
        #[cfg(feature = "hydrate")]
        {
            let navigate = leptos_router::hooks::use_navigate();
            let go: Go = Box::new(move |href: &str| navigate(href, Default::default()));
            Navigator { go: leptos::prelude::StoredValue::new_local(go) }
        }
        #[cfg(not(feature = "hydrate"))]
        Navigator {}
    }

    pub fn go(&self, href: &str) {
        #[cfg(feature = "hydrate")]
        {
            use leptos::prelude::WithValue;
            self.go.with_value(|go| go(href));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = href;
    }
}

impl Default for Navigator {
    fn default() -> Self {
        Navigator::new()
    }
}
