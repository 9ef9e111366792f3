//! The audit log: who changed what, filtered by action and subject.

use super::AdminHead;
use crate::components::format_utc;
use crate::components::layout::DataTable;
use crate::components::layout::Loaded;
use crate::server_fns::admin::load_audit_log;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let page = crate::components::layout::page_from_query();
    let filter = move || (query.read().get("action"), query.read().get("actor"), page());
    let entries = Resource::new(filter, |(action, actor, page)| load_audit_log(action, actor, Some(page)));
    view! {
        <AdminHead title="Audit log" lede="Every change people made: who, when, what, before and after." />
        <form method="get" class="inline-form filter-form">
            <div class="field">
                <label for="audit-action">"Action"</label>
                <select id="audit-action" name="action">
                    {[
                        ("", "Every action"),
                        ("account", "Accounts"),
                        ("price-book", "Price books"),
                        ("product", "Products"),
                    ]
                        .into_iter()
                        .map(|(value, label)| {
                            view! {
                                <option
                                    value=value
                                    selected=move || query.read().get("action").unwrap_or_default() == value
                                >
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="audit-actor">"Person (email)"</label>
                <input id="audit-actor" name="actor" value=move || query.read().get("actor").unwrap_or_default() />
            </div>
            <button type="submit" class="button button-small">
                "Filter"
            </button>
        </form>
        <Loaded data=entries rows=6 let:listed>
            {
                let (entries, page, more) = (listed.items, listed.page, listed.more);
                let keep = filter_query(&query.read_untracked());
                if entries.is_empty() {
                    view! { <p class="empty">"No entry matches. Clear the filter to see every change."</p> }.into_any()
                } else {
                    view! {
                        <DataTable
                            columns=&[
                                ("When (UTC)", ""),
                                ("Who", ""),
                                ("Action", ""),
                                ("Subject", ""),
                                ("Before", ""),
                                ("After", ""),
                            ]
                            class="audit stacked"
                        >
                            {entries
                                .into_iter()
                                .map(|entry| {
                                    view! {
                                        <tr>
                                            <td data-label="When (UTC)">{format_utc(entry.at_ms)}</td>
                                            <td data-label="Who">
                                                {entry.actor_email}
                                                {entry
                                                    .token
                                                    .map(|token| {
                                                        view! { <span class="muted small block">"via "{token}</span> }
                                                    })}
                                            </td>
                                            <td data-label="Action">
                                                <code>{entry.action}</code>
                                            </td>
                                            <td data-label="Subject">{entry.subject}</td>
                                            <td data-label="Before">
                                                <code class="json">{entry.before.unwrap_or_default()}</code>
                                            </td>
                                            <td data-label="After">
                                                <code class="json">{entry.after.unwrap_or_default()}</code>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </DataTable>
                        <crate::components::layout::Pager page more path="/admin/audit" keep />
                    }
                        .into_any()
                }
            }
        </Loaded>
    }
}

/// The filter as the start of a query string (`action=…&actor=…&`), so it travels with the
/// page links.
fn filter_query(query: &leptos_router::params::ParamsMap) -> String {
    ["action", "actor"]
        .into_iter()
        .filter_map(|name| {
            query
                .get(name)
                .filter(|value| !value.is_empty())
                .map(|value| format!("{name}={}&", crate::components::percent_encode(&value)))
        })
        .collect()
}
