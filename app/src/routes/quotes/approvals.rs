//! The admins' approval queue, and one customer's quotes on its organisation page.

use crate::components::layout::DataTable;
use crate::components::layout::Loaded;
use crate::components::layout::{or_problem, EmptyState, Skeleton};
use crate::server_fns::quotes::{list_quotes, pending_approvals};
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::quote::{format_discount, SALES_DISCOUNT_LIMIT_BP};
use lightpath_domain::records::QuoteSummary;

use super::margin_text;

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let tick = RwSignal::new(0u64);
    let page = crate::components::layout::page_from_query();
    let quotes = Resource::new(move || (tick.get(), page()), |(_, page)| pending_approvals(Some(page)));
    view! {
        <Title text="Approvals · Lightpath" />
        <section class="page-head">
            <h1>"Approvals"</h1>
            <p class="lede">
                {format!(
                    "Quotes whose discount is above the sales engineers' {} limit, and orders over their organisation's credit limit, wait here for a decision.",
                    format_discount(SALES_DISCOUNT_LIMIT_BP),
                )}
            </p>
        </section>
        <crate::routes::orders::HeldOrders />
        <h2>"Discounts"</h2>
        <Loaded data=quotes rows=3 let:listed>
            {
                let (pending, page, more) = (listed.items, listed.page, listed.more);
                if pending.is_empty() && page == 0 {
                    return view! {
                        <EmptyState
                            title="Nothing waits for approval"
                            text="Quotes with a discount above the limit appear here when a sales engineer asks."
                            href="/quotes"
                            action="All quotes"
                        />
                    }
                        .into_any();
                }
                view! {
                    <DataTable columns=&[
                        ("Quote", ""),
                        ("Organisation", "hide-narrow"),
                        ("Discount", "num"),
                        ("A month", "num"),
                        ("Margin", "num"),
                        ("Reason", ""),
                    ]>
                        {pending
                            .into_iter()
                            .map(|quote| {
                                view! {
                                    <tr>
                                        <td>
                                            <a href=format!("/quotes/{}", quote.id)>{quote.name.clone()}</a>
                                        </td>
                                        <td class="hide-narrow">{quote.organisation.name.clone()}</td>
                                        <td class="num">{format_discount(quote.discount_bp)}</td>
                                        <td class="num">{quote.net.monthly_estimate().to_string()}</td>
                                        <td class="num">{margin_text(quote.list, quote.net)}</td>
                                        <td>{quote.reason.clone()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </DataTable>
                    <crate::components::layout::Pager page more path="/approvals" />
                    <p class="muted small">"Open a quote to approve or reject it with a comment."</p>
                }
                    .into_any()
            }
        </Loaded>
    }
}

/// One customer's quotes, on its organisation page (staff see all of them, its members the
/// ones sent to them).
#[component]
pub fn OrganisationQuotes(organisation: lightpath_domain::account::Id) -> impl IntoView {
    let asked = organisation.to_string();
    let quotes = Resource::new(move || asked.clone(), |organisation| list_quotes(None, Some(organisation)));
    view! {
        <section class="card">
            <h2>"Quotes"</h2>
            <Transition fallback=|| {
                view! { <Skeleton rows=2 /> }
            }>
                {move || {
                    let organisation = organisation.clone();
                    Suspend::new(async move {
                        or_problem(
                            quotes.await,
                            move |view_data| {
                                let mine: Vec<QuoteSummary> = view_data
                                    .quotes
                                    .items
                                    .into_iter()
                                    .filter(|quote| quote.organisation.id == organisation)
                                    .collect();
                                if mine.is_empty() {
                                    return view! { <p class="muted">"No quotes for this organisation yet."</p> }
                                        .into_any();
                                }
                                view! {
                                    <ul class="plain">
                                        {mine
                                            .into_iter()
                                            .map(|quote| {
                                                view! {
                                                    <li>
                                                        <a href=format!("/quotes/{}", quote.id)>{quote.name.clone()}</a>
                                                        {format!(
                                                            " · {} · v{} · {} a month",
                                                            quote.state.label(),
                                                            quote.version,
                                                            quote.net.monthly_estimate(),
                                                        )}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            },
                        )
                    })
                }}
            </Transition>
        </section>
    }
}
