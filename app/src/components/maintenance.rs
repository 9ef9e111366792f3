//! Planned maintenance notices as every page lists them: status, window (UTC), where, what is
//! expected and why, and the services of the reader's it touches.

use leptos::prelude::*;
use lightpath_domain::maintenance::{MaintenanceNotice, MaintenanceStatus};

/// The window as "2027-01-15 02:00 – 06:00 UTC" (the end's date too when it differs).
pub fn window_text(starts_ms: i64, ends_ms: i64) -> String {
    let (starts, ends) = (super::format_utc(starts_ms), super::format_utc(ends_ms));
    if starts[..10] == ends[..10] {
        format!("{} – {} UTC", &starts[..16], &ends[11..16])
    } else {
        format!("{} – {} UTC", &starts[..16], &ends[..16])
    }
}

/// The notices; `services` links the services each touches (customers' pages), `cancel`
/// offers a cancel button on windows that have not ended (network operations).
#[component]
pub fn MaintenanceList(
    notices: Vec<MaintenanceNotice>,
    #[prop(optional)] services: bool,
    #[prop(optional)] cancel: bool,
) -> impl IntoView {
    view! {
        <ul class="maintenance-list">
            {notices
                .into_iter()
                .map(|notice| {
                    let open = matches!(notice.status, MaintenanceStatus::Upcoming | MaintenanceStatus::InProgress);
                    let touched = notice.services.len();
                    view! {
                        <li class="maintenance-notice" data-status=format!("{:?}", notice.status).to_lowercase()>
                            <p>
                                <strong>{notice.status.label()}</strong>
                                {format!(
                                    " · {} · {}",
                                    window_text(notice.starts_ms, notice.ends_ms),
                                    notice.target_name,
                                )}
                            </p>
                            <p>{format!("{}. {}", notice.impact.label(), notice.reason)}</p>
                            {services
                                .then(|| {
                                    view! {
                                        <p class="muted">
                                            "Your services: "
                                            {notice
                                                .services
                                                .into_iter()
                                                .map(|service| {
                                                    view! {
                                                        <a href=format!("/services/{}", service.id)>{service.title}</a>
                                                        " "
                                                    }
                                                })
                                                .collect_view()}
                                        </p>
                                    }
                                })}
                            {cancel
                                .then(|| {
                                    view! {
                                        <p class="muted">
                                            {format!("{touched} service{} told.", if touched == 1 { "" } else { "s" })}
                                        </p>
                                        {open
                                            .then(|| {
                                                view! {
                                                    <form
                                                        method="post"
                                                        action="/api/admin/cancel-maintenance"
                                                        class="inline-form"
                                                    >
                                                        <input type="hidden" name="id" value=notice.id.clone() />
                                                        <button
                                                            type="submit"
                                                            class="button button-small button-ghost"
                                                            aria-label=format!(
                                                                "Cancel the maintenance on {}",
                                                                notice.target_name,
                                                            )
                                                        >
                                                            "Cancel"
                                                        </button>
                                                    </form>
                                                }
                                            })}
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
