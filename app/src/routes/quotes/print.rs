//! The printable quote.

use crate::components::format_utc;
use crate::components::layout::Loaded;
use crate::components::topology_map::TopologyMap;
use crate::routes::record_id;
use crate::server_fns::quotes::{load_quote, QuoteView};
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::quote::format_discount;

#[component]
pub fn QuotePrintPage() -> impl IntoView {
    let quote = Resource::new(record_id(), load_quote);
    view! {
        <Loaded data=quote rows=6 let:view_data>
            {
                let QuoteView { record, network, .. } = view_data;
                let summary = record.summary.clone();
                let Some(current) = record.current().cloned() else {
                    return view! { <p>"This quote has no version."</p> }.into_any();
                };
                let spans: Vec<_> = current
                    .items
                    .iter()
                    .filter_map(|item| item.route.as_ref())
                    .filter(|route| !route.twin)
                    .flat_map(|route| route.spans.clone())
                    .collect();
                let twins: Vec<_> = current
                    .items
                    .iter()
                    .filter_map(|item| item.route.as_ref())
                    .filter(|route| route.twin)
                    .flat_map(|route| route.spans.clone())
                    .collect();
                view! {
                    <Title text=format!("{} (printable) · Lightpath", summary.name) />
                    <article class="printable">
                        <p class="no-print actions">
                            <a class="button button-ghost" href=format!("/quotes/{}", summary.id)>
                                "Back to the quote"
                            </a>
                            <button
                                type="button"
                                class="button"
                                on:click=|_| {
                                    let _ = window().print();
                                }
                            >
                                "Print"
                            </button>
                        </p>
                        <header class="print-head">
                            <p class="eyebrow">"Lightpath · network connectivity for AI"</p>
                            <h1>{summary.name.clone()}</h1>
                            <p>
                                {format!(
                                    "For {} · version {} · issued {} · valid until {} · price book v{}",
                                    summary.organisation.name,
                                    current.version,
                                    &format_utc(current.created_at_ms)[..10],
                                    &format_utc(current.valid_until_ms)[..10],
                                    current.price_book_version,
                                )}
                            </p>
                        </header>
                        <section>
                            <h2>"Network"</h2>
                            <TopologyMap
                                network
                                highlight=Signal::derive(move || spans.clone())
                                twin=Signal::derive(move || twins.clone())
                            />
                        </section>
                        <section>
                            <h2>"Breakdown"</h2>
                            {current
                                .items
                                .iter()
                                .map(|item| {
                                    view! {
                                        <div class="print-item">
                                            <h3>{item.title.clone()}</h3>
                                            <table class="data-table">
                                                <tbody>
                                                    {item
                                                        .lines
                                                        .iter()
                                                        .map(|line| {
                                                            view! {
                                                                <tr>
                                                                    <td>
                                                                        {format!("{} · {}", line.label, line.charge.slug())}
                                                                    </td>
                                                                    <td class="num">
                                                                        {format!(
                                                                            "{} × {} × {}",
                                                                            line.unit_price,
                                                                            line.quantity,
                                                                            line.count,
                                                                        )}
                                                                    </td>
                                                                    <td class="num">{line.amount.to_string()}</td>
                                                                </tr>
                                                            }
                                                        })
                                                        .collect_view()} <tr class="print-net">
                                                        <td>
                                                            {format!(
                                                                "Quoted ({} off)",
                                                                format_discount(current.discount_bp),
                                                            )}
                                                        </td>
                                                        <td class="num">
                                                            {format!("{} a month", item.net.monthly_estimate())}
                                                        </td>
                                                        <td class="num">{format!("{} once", item.net.one_time)}</td>
                                                    </tr>
                                                </tbody>
                                            </table>
                                        </div>
                                    }
                                })
                                .collect_view()}
                        </section>
                        <section class="print-totals">
                            <h2>"Total"</h2>
                            <dl class="review">
                                <dt>"List, a month"</dt>
                                <dd>{current.list.monthly_estimate().to_string()}</dd>
                                <dt>"Discount"</dt>
                                <dd>{format_discount(current.discount_bp)}</dd>
                                <dt>"Quoted, a month"</dt>
                                <dd>{current.net.monthly_estimate().to_string()}</dd>
                                <dt>"Hourly charges"</dt>
                                <dd>
                                    {format!(
                                        "{} an hour (in the monthly figure at {} hours)",
                                        current.net.hourly,
                                        lightpath_domain::pricing::HOURS_PER_MONTH,
                                    )}
                                </dd>
                                <dt>"One-time"</dt>
                                <dd>{current.net.one_time.to_string()}</dd>
                            </dl>
                        </section>
                        <section class="print-terms">
                            <h2>"Terms"</h2>
                            <p>
                                {format!(
                                    "Prices in USD, excluding taxes, from price book version {}; this quote honours them until {} even if the price book changes. \
                                    Monthly charges are billed monthly in advance for the term of each item; hourly charges by the hour of use; one-time charges on activation. \
                                    Usage-based charges are billed as used at the rates shown. Accepting the quote in the portal orders every item listed; \
                                    lead times and service levels are those of each product in the catalog.",
                                    current.price_book_version,
                                    &format_utc(current.valid_until_ms)[..10],
                                )}
                            </p>
                        </section>
                    </article>
                }
                    .into_any()
            }
        </Loaded>
    }
}
