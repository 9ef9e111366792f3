//! The audit log: who changed what, filtered by action and person. Lightpath's admins and
//! support read every entry at `/admin/audit`; an organisation's admin reads its own at
//! `/orgs/{id}/audit`, and exports it as CSV.

use super::AdminHead;
use crate::components::format_utc;
use crate::components::layout::DataTable;
use crate::components::layout::Loaded;
use crate::routes::record_id_if_any;
use crate::server_fns::admin::load_audit_log;
use crate::server_fns::orgs::load_organisation_audit;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const STAFF_ACTIONS: [(&str, &str); 4] =
    [("", "Every action"), ("account", "Accounts"), ("price-book", "Price books"), ("product", "Products")];
const ORGANISATION_ACTIONS: [(&str, &str); 9] = [
    ("", "Every action"),
    ("account", "Sign-ins and members"),
    ("organisation", "Settings: sign-in, approvals"),
    ("design", "Designs"),
    ("order", "Orders"),
    ("quote", "Quotes"),
    ("cloud", "Cloud connections"),
    ("api-token", "API tokens"),
    ("webhook", "Webhooks"),
];

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let page = crate::components::layout::page_from_query();
    // On `/orgs/{id}/audit` the route names the organisation.
    let organisation = record_id_if_any();
    let filter = move || {
        let query = query.read();
        (organisation(), query.get("action"), query.get("actor"), query.get("from"), query.get("to"), page())
    };
    let entries = Resource::new(filter, |(organisation, action, actor, from, to, page)| async move {
        match organisation {
            Some(organisation) => load_organisation_audit(organisation, action, actor, from, to, Some(page)).await,
            None => load_audit_log(action, actor, Some(page)).await,
        }
    });
    let path = move || organisation().map_or_else(|| "/admin/audit".to_owned(), |id| format!("/orgs/{id}/audit"));
    let actions = move || if organisation().is_some() { &ORGANISATION_ACTIONS[..] } else { &STAFF_ACTIONS[..] };
    let export = move || {
        organisation().map(|id| {
            let href = format!("/api/v1/organisations/{id}/audit-log.csv?{}", filter_query(&query.read()));
            view! {
                <p>
                    <a class="button button-small button-ghost" href=href download="">
                        "Export as CSV"
                    </a>
                    <span class="muted small">" The newest 10,000 entries matching the filter."</span>
                </p>
            }
        })
    };
    view! {
        {move || match organisation() {
            Some(id) => {
                view! {
                    <Title text="Audit log · Organisation · Lightpath" />
                    <section class="page-head">
                        <p class="eyebrow">
                            <a href=format!("/orgs/{id}")>"Organisation"</a>
                        </p>
                        <h1>"Audit log"</h1>
                        <p class="lede">
                            "Everything your members did: sign-ins (and failed ones), orders, designs, members, roles, API tokens and webhooks."
                        </p>
                    </section>
                }
                    .into_any()
            }
            None => {
                view! {
                    <AdminHead title="Audit log" lede="Every change people made: who, when, what, before and after." />
                }
                    .into_any()
            }
        }}
        <form method="get" class="inline-form filter-form">
            <div class="field">
                <label for="audit-action">"Action"</label>
                <select id="audit-action" name="action">
                    {move || {
                        actions()
                            .iter()
                            .copied()
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
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="audit-actor">"Person (email)"</label>
                <input id="audit-actor" name="actor" value=move || query.read().get("actor").unwrap_or_default() />
            </div>
            {move || {
                organisation()
                    .map(|_| {
                        view! {
                            <div class="field">
                                <label for="audit-from">"From (UTC)"</label>
                                <input
                                    id="audit-from"
                                    name="from"
                                    type="date"
                                    value=move || query.read().get("from").unwrap_or_default()
                                />
                            </div>
                            <div class="field">
                                <label for="audit-to">"To (UTC, inclusive)"</label>
                                <input
                                    id="audit-to"
                                    name="to"
                                    type="date"
                                    value=move || query.read().get("to").unwrap_or_default()
                                />
                            </div>
                        }
                    })
            }}
            <button type="submit" class="button button-small">
                "Filter"
            </button>
        </form>
        {export}
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
                        <crate::components::layout::Pager page more path=path() keep />
                    }
                        .into_any()
                }
            }
        </Loaded>
    }
}

/// The filter as the start of a query string (`action=…&actor=…&from=…&to=…&`), so it travels
/// with the page links and the CSV export.
fn filter_query(query: &leptos_router::params::ParamsMap) -> String {
    ["action", "actor", "from", "to"]
        .into_iter()
        .filter_map(|name| {
            query
                .get(name)
                .filter(|value| !value.is_empty())
                .map(|value| format!("{name}={}&", crate::components::percent_encode(&value)))
        })
        .collect()
}
