//! The service inventory: what an organisation runs and what it has cost so far.

use crate::components::layout::{mixes_organisations, organisation_column, DataTable, Empty, Loaded, Pager};
use crate::server_fns::services::list_services;
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::records::ServiceSummary;

use super::{every_few_seconds, state_badge};

#[component]
pub fn ServicesPage() -> impl IntoView {
    let tick = RwSignal::new(0u64);
    let page = crate::components::layout::page_from_query();
    let inventory = Resource::new(move || (tick.get(), page()), |(_, page)| list_services(Some(page)));
    every_few_seconds(tick);
    view! {
        <Title text="Services · Lightpath" />
        <section class="page-head">
            <h1>"Services"</h1>
            <p class="lede">
                "What runs on our network for you, what it has cost so far and what a month costs at today's rates. On-demand usage is billed by the simulated hour. "
                <a href="/invoices">"Invoices"</a> " are issued monthly from the same figures."
            </p>
        </section>
        <Loaded
            rows=4
            data=inventory
            empty=Empty {
                when: |inventory| inventory.services.items.is_empty() && inventory.services.page == 0,
                title: "No services yet",
                text: "A completed order's items become services here.",
                href: "/orders",
                action: "Your orders",
            }
            let:inventory
        >
            {
                let (page, more) = (inventory.services.page, inventory.services.more);
                let total = inventory.total;
                let mixed = mixes_organisations(
                    inventory.services.items.iter().map(|service| &service.organisation.id),
                );
                view! {
                    <div class="spend-cards">
                        <div class="spend-card">
                            <span class="muted">"Spent so far"</span>
                            <strong data-testid="total-so-far">{total.so_far.to_string()}</strong>
                        </div>
                        <div class="spend-card">
                            <span class="muted">"of which on-demand hours"</span>
                            <strong>{total.hourly_so_far.to_string()}</strong>
                        </div>
                        <div class="spend-card">
                            <span class="muted">"A month at today's rates"</span>
                            <strong data-testid="total-monthly">{total.monthly_estimate.to_string()}</strong>
                        </div>
                    </div>
                    <DataTable
                        columns=&[
                            ("Service", ""),
                            ("Organisation", "hide-narrow"),
                            ("State", "hide-narrow"),
                            ("So far", "num"),
                            ("Per month", "num"),
                        ]
                        without=organisation_column(mixed)
                        foot=Box::new(move || {
                            view! {
                                <tr>
                                    <th scope="row">
                                        {if page > 0 || more { "Total of every service" } else { "Total" }}
                                    </th>
                                    {mixed.then(|| view! { <td class="hide-narrow"></td> })}
                                    <td class="hide-narrow"></td>
                                    <td class="num">{total.so_far.to_string()}</td>
                                    <td class="num">{total.monthly_estimate.to_string()}</td>
                                </tr>
                            }
                                .into_any()
                        })
                    >
                        {inventory
                            .services
                            .items
                            .into_iter()
                            .map(|service| view! { <ServiceRow service mixed /> })
                            .collect_view()}
                    </DataTable>
                    <Pager page more path="/services" />
                }
            }
        </Loaded>
    }
}

/// One service in the inventory, with its state and spend.
#[component]
fn ServiceRow(service: ServiceSummary, mixed: bool) -> impl IntoView {
    view! {
        <tr>
            <td>
                <a href=format!("/services/{}", service.id)>{service.title.clone()}</a>
                <span class="muted small">{format!(" · {}", service.term.label())}</span>
                <span class="show-narrow">{state_badge(&service)}</span>
            </td>
            {mixed.then(|| view! { <td class="hide-narrow">{service.organisation.name.clone()}</td> })}
            <td class="hide-narrow">
                {state_badge(&service)}
                {service
                    .pending_order
                    .map(|_| {
                        view! { <span class="muted small">" · changing"</span> }
                    })}
            </td>
            <td class="num">{service.spend.so_far.to_string()}</td>
            <td class="num">{service.spend.monthly_estimate.to_string()}</td>
        </tr>
    }
}
