//! Planned maintenance notices as the pages list them (worded on the server): status, window
//! (UTC) and where, the expected impact and what the work is, and the reader's services.

use leptos::prelude::*;
use lightpath_app::model::network::MaintenanceLine;

/// The notices (outages too); `services` links the services each touches (customers' pages),
/// `cancel` says how many services each touches and offers to cancel maintenance that has not
/// ended or restore the span of an ongoing outage (network operations).
#[component]
pub fn MaintenanceList(
    notices: Vec<MaintenanceLine>,
    #[prop(optional)] services: bool,
    #[prop(optional)] cancel: bool,
) -> impl IntoView {
    view! {
        <ul class="maintenance-list">
            {notices
                .into_iter()
                .map(|notice| {
                    let links = notice
                        .services
                        .into_iter()
                        .map(|(id, title)| {
                            view! {
                                <li>
                                    <a href=format!("/services/{id}")>{title}</a>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <li class="maintenance-notice" class:open=notice.open>
                            <p>
                                <strong>{notice.status}</strong>
                                " · "
                                {notice.heading}
                            </p>
                            <p>{notice.text}</p>
                            {services
                                .then(|| {
                                    view! {
                                        <p class="muted">
                                            {if notice.outage {
                                                "Your services it took down:"
                                            } else {
                                                "Your services it touches:"
                                            }}
                                        </p>
                                        <ul class="notice-services">{links}</ul>
                                    }
                                })}
                            {cancel
                                .then(|| {
                                    let (counted, action, label, aria) = if notice.outage {
                                        ("Services down", "/api/admin/restore-span", "Restore", "Restore this span")
                                    } else {
                                        (
                                            "Services told",
                                            "/api/admin/cancel-maintenance",
                                            "Cancel",
                                            "Cancel this maintenance",
                                        )
                                    };
                                    view! {
                                        <p class="muted">{format!("{counted}: {}", notice.services_touched)}</p>
                                        {notice
                                            .open
                                            .then(|| {
                                                view! {
                                                    <form method="post" action=action class="inline-form">
                                                        <input type="hidden" name="id" value=notice.id />
                                                        <button
                                                            type="submit"
                                                            class="button button-small button-ghost"
                                                            aria-label=aria
                                                        >
                                                            {label}
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
