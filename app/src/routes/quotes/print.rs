//! The printable quote.

use crate::components::format_utc;
use crate::components::layout::Loaded;
use crate::components::topology_map::TopologyMap;
use crate::routes::record_id;
use crate::server_fns::network::NetworkView;
use crate::server_fns::quotes::{load_quote, QuoteView};
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::pricing::HOURS_PER_MONTH;
use lightpath_domain::quote::format_discount;
use lightpath_domain::records::{QuoteItem, QuoteSummary, QuoteVersion};
use lightpath_domain::SpanId;

#[component]
pub fn QuotePrintPage() -> impl IntoView {
    let quote = Resource::new(record_id(), load_quote);
    view! {
        <Loaded data=quote rows=6 let:view_data>
            {
                let QuoteView { record, network, .. } = view_data;
                let summary = record.summary.clone();
                match record.current().cloned() {
                    Some(current) => view! { <PrintableQuote summary current network /> }.into_any(),
                    None => view! { <p>"This quote has no version."</p> }.into_any(),
                }
            }
        </Loaded>
    }
}

#[component]
fn PrintableQuote(summary: QuoteSummary, current: QuoteVersion, network: NetworkView) -> impl IntoView {
    let spans = route_spans(&current.items, false);
    let twins = route_spans(&current.items, true);
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
                    .map(|item| view! { <PrintItem item=item.clone() discount_bp=current.discount_bp /> })
                    .collect_view()}
            </section>
            <PrintTotals current=current.clone() />
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
}

/// The spans of the quoted items' main routes (or of their diverse twins).
fn route_spans(items: &[QuoteItem], twins: bool) -> Vec<SpanId> {
    items
        .iter()
        .filter_map(|item| item.route.as_ref())
        .filter(|route| route.twin == twins)
        .flat_map(|route| route.spans.clone())
        .collect()
}

/// One item's price lines and what it comes to after the discount.
#[component]
fn PrintItem(item: QuoteItem, discount_bp: u32) -> impl IntoView {
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
                                    <td>{format!("{} · {}", line.label, line.charge.slug())}</td>
                                    <td class="num">
                                        {format!("{} × {} × {}", line.unit_price, line.quantity, line.count)}
                                    </td>
                                    <td class="num">{line.amount.to_string()}</td>
                                </tr>
                            }
                        })
                        .collect_view()} <tr class="print-net">
                        <td>{format!("Quoted ({} off)", format_discount(discount_bp))}</td>
                        <td class="num">{format!("{} a month", item.net.monthly_estimate())}</td>
                        <td class="num">{format!("{} once", item.net.one_time)}</td>
                    </tr>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn PrintTotals(current: QuoteVersion) -> impl IntoView {
    view! {
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
                <dd>{format!("{} an hour (in the monthly figure at {HOURS_PER_MONTH} hours)", current.net.hourly)}</dd>
                <dt>"One-time"</dt>
                <dd>{current.net.one_time.to_string()}</dd>
            </dl>
        </section>
    }
}
