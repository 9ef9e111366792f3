//! The quotes list: a customer's quotes, and where sales engineers start one from a design.

use crate::components::format_utc;
use crate::components::layout::{organisation_column, DataTable, EmptyState, Loaded, Pager};
use crate::server_fns::quotes::{list_quotes, QuotesView};
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::design::DesignIntent;
use lightpath_domain::quote::{format_discount, QuoteState};
use lightpath_domain::records::{DesignSummary, QuoteSummary};

use super::{now_ms, state_badge, DAY_MS};

#[component]
pub fn QuotesPage() -> impl IntoView {
    let page = crate::components::layout::page_from_query();
    let quotes = Resource::new(page, |page| list_quotes(Some(page), None));
    view! {
        <Title text="Quotes · Lightpath" />
        <section class="page-head">
            <h1>"Quotes"</h1>
            <p class="lede">"Priced offers for customer organisations, with their versions, discounts and validity."</p>
        </section>
        <Loaded data=quotes rows=4 let:view_data>
            <QuotesList view_data />
        </Loaded>
    }
}

/// What the filters above the list keep: one state, one organisation, quotes about to expire.
#[derive(Debug, Clone, Copy)]
struct Filters {
    state: RwSignal<String>,
    organisation: RwSignal<String>,
    expiring: RwSignal<bool>,
}

impl Filters {
    fn new() -> Self {
        Filters {
            state: RwSignal::new(String::new()),
            organisation: RwSignal::new(String::new()),
            expiring: RwSignal::new(false),
        }
    }

    fn keeps(&self, quote: &QuoteSummary, now_ms: i64) -> bool {
        self.state.with(|state| state.is_empty() || quote.state.slug() == state)
            && self.organisation.with(|wanted| wanted.is_empty() || quote.organisation.id.as_str() == wanted)
            && (!self.expiring.get() || expires_within_a_week(quote, now_ms))
    }
}

/// An open quote whose validity ends in the coming seven days.
fn expires_within_a_week(quote: &QuoteSummary, now_ms: i64) -> bool {
    quote.valid_until_ms >= now_ms && quote.valid_until_ms - now_ms <= 7 * DAY_MS && !quote.state.is_final()
}

#[component]
fn QuotesList(view_data: QuotesView) -> impl IntoView {
    let QuotesView { quotes, designs, requests, can_build: staff } = view_data;
    let waiting = (!requests.is_empty()).then(|| view! { <QuoteRequests requests staff /> });
    if quotes.items.is_empty() && quotes.page == 0 {
        if waiting.is_some() {
            return view! {
                {waiting}
                {staff.then(|| view! { <QuoteStart designs /> })}
            }
            .into_any();
        }
        return view! {
            {staff.then(|| view! { <QuoteStart designs /> })}
            <EmptyState
                title="No quotes yet"
                text="Quotes your sales engineer sends you appear here; request one from a saved design."
                href="/designs"
                action="Your designs"
            />
        }
        .into_any();
    }
    let mut organisations: Vec<(String, String)> =
        quotes.items.iter().map(|quote| (quote.organisation.id.to_string(), quote.organisation.name.clone())).collect();
    organisations.sort_by(|a, b| a.1.cmp(&b.1));
    organisations.dedup();
    let mixed = organisations.len() > 1;
    let filters = Filters::new();
    let (page, more, all) = (quotes.page, quotes.more, quotes.items);
    let shown = Signal::derive(move || {
        let now = now_ms();
        all.iter().filter(|quote| filters.keeps(quote, now)).cloned().collect::<Vec<_>>()
    });
    view! {
        {waiting}
        {staff.then(|| view! { <QuoteStart designs /> })}
        <QuoteFilters filters organisations />
        <QuoteTable shown mixed />
        <Pager page more path="/quotes" />
        {staff
            .then(|| {
                view! {
                    <p class="muted small">"Staff see every quote; customers see a quote once it is sent to them."</p>
                }
            })}
    }
    .into_any()
}

/// Quote requests not yet answered: the sales engineers' queue (oldest first, each with the
/// way to quote it), or a customer's own requests waiting for a quote.
#[component]
fn QuoteRequests(requests: Vec<DesignSummary>, staff: bool) -> impl IntoView {
    let (heading, lede) = if staff {
        ("Quote requests", "Customers asked for a quote on these designs; the oldest request is first.")
    } else {
        ("Waiting for a quote", "You asked for a quote on these designs; our sales engineers prepare it.")
    };
    view! {
        <section class="card" aria-labelledby="requests-heading" data-testid="quote-requests">
            <h2 id="requests-heading">{format!("{heading} ({})", requests.len())}</h2>
            <p class="muted">{lede}</p>
            <ul class="plain requests">
                {requests
                    .into_iter()
                    .map(|design| {
                        let when = format_utc(design.updated_at_ms)[..10].to_owned();
                        let action = if staff {
                            view! {
                                <a class="button button-small" href=format!("/quotes/new?design={}", design.id)>
                                    "Quote it"
                                </a>
                            }
                                .into_any()
                        } else {
                            view! { <span class="status status-quote-requested">"Requested"</span> }.into_any()
                        };
                        let who = if staff { format!("{} · ", design.organisation.name) } else { String::new() };
                        view! {
                            <li>
                                <span>
                                    {who} <a href=format!("/designs/{}", design.id)>{design.name.clone()}</a>
                                    <span class="muted">{format!(" · requested {when}")}</span>
                                </span>
                                {action}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// Where a sales engineer starts a quote: the designs to quote from.
#[component]
fn QuoteStart(designs: Vec<DesignSummary>) -> impl IntoView {
    let picked = RwSignal::new(designs.first().map(|d| d.id.to_string()).unwrap_or_default());
    let body = if designs.is_empty() {
        view! { <p class="muted">"No customer has saved a design yet. Quotes start from a saved design."</p> }
            .into_any()
    } else {
        view! {
            <div class="field-row align-end">
                <div class="field">
                    <label for="quote-design">"From the design"</label>
                    <select id="quote-design" on:change=move |ev| picked.set(event_target_value(&ev))>
                        {designs
                            .into_iter()
                            .map(|design| {
                                let requested = if design.intent == DesignIntent::QuoteRequested {
                                    " (quote requested)"
                                } else {
                                    ""
                                };
                                view! {
                                    <option value=design
                                        .id
                                        .to_string()>
                                        {format!("{} · {}{requested}", design.organisation.name, design.name)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <a class="button" href=move || format!("/quotes/new?design={}", picked.get())>
                    "Quote this design"
                </a>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card quote-start">
            <h2>"Start a quote"</h2>
            {body}
        </section>
    }
}

#[component]
fn QuoteFilters(filters: Filters, organisations: Vec<(String, String)>) -> impl IntoView {
    view! {
        <div class="filters" role="group" aria-label="Filter quotes">
            <div class="field">
                <label for="quote-state">"State"</label>
                <select id="quote-state" on:change=move |ev| filters.state.set(event_target_value(&ev))>
                    <option value="">"Every state"</option>
                    {QuoteState::ALL
                        .into_iter()
                        .map(|state| view! { <option value=state.slug()>{state.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            {(organisations.len() > 1)
                .then(|| {
                    view! {
                        <div class="field">
                            <label for="quote-organisation">"Organisation"</label>
                            <select
                                id="quote-organisation"
                                on:change=move |ev| filters.organisation.set(event_target_value(&ev))
                            >
                                <option value="">"Every organisation"</option>
                                {organisations
                                    .into_iter()
                                    .map(|(id, name)| view! { <option value=id>{name}</option> })
                                    .collect_view()}
                            </select>
                        </div>
                    }
                })}
            <label class="check">
                <input type="checkbox" on:change=move |ev| filters.expiring.set(event_target_checked(&ev)) />
                " Expiring within 7 days"
            </label>
        </div>
    }
}

#[component]
fn QuoteTable(shown: Signal<Vec<QuoteSummary>>, mixed: bool) -> impl IntoView {
    view! {
        <DataTable
            columns=&[
                ("Quote", ""),
                ("Organisation", "hide-narrow"),
                ("State", ""),
                ("Discount", "num hide-narrow"),
                ("Per month", "num"),
                ("Valid until", "hide-narrow"),
            ]
            without=organisation_column(mixed)
            class="stacked"
        >
            {move || {
                let rows = shown.get();
                if rows.is_empty() {
                    return view! {
                        <tr>
                            <td colspan=if mixed { "6" } else { "5" } class="muted" data-label="">
                                "No quote matches these filters."
                            </td>
                        </tr>
                    }
                        .into_any();
                }
                rows.into_iter().map(|quote| view! { <QuoteRow quote mixed /> }).collect_view().into_any()
            }}
        </DataTable>
    }
}

#[component]
fn QuoteRow(quote: QuoteSummary, mixed: bool) -> impl IntoView {
    view! {
        <tr>
            <td data-label="Quote">
                <a href=format!("/quotes/{}", quote.id)>{quote.name.clone()}</a>
                <span class="muted small">{format!(" · v{}", quote.version)}</span>
            </td>
            {mixed
                .then(|| {
                    view! {
                        <td class="hide-narrow" data-label="Organisation">
                            {quote.organisation.name.clone()}
                        </td>
                    }
                })}
            <td data-label="State">{state_badge(quote.state)}</td>
            <td class="num hide-narrow" data-label="Discount">
                {format_discount(quote.discount_bp)}
            </td>
            <td class="num" data-label="Per month">
                {quote.net.monthly_estimate().to_string()}
            </td>
            <td class="hide-narrow" data-label="Valid until">
                {format_utc(quote.valid_until_ms)[..10].to_owned()}
            </td>
        </tr>
    }
}
