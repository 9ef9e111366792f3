//! The quotes list: a customer's quotes, and where sales engineers start one from a design.

use crate::components::format_utc;
use crate::components::layout::DataTable;
use crate::components::layout::EmptyState;
use crate::components::layout::Loaded;
use crate::server_fns::quotes::list_quotes;
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::quote::{format_discount, QuoteState};
use lightpath_domain::records::QuoteSummary;

use super::{now_ms, state_badge, DAY_MS};

#[component]
pub fn QuotesPage() -> impl IntoView {
    let page = crate::components::layout::page_from_query();
    let quotes = Resource::new(page, |page| list_quotes(Some(page), None));
    let state_filter = RwSignal::new(String::new());
    let organisation_filter = RwSignal::new(String::new());
    let expiring = RwSignal::new(false);
    view! {
        <Title text="Quotes · Lightpath" />
        <section class="page-head">
            <h1>"Quotes"</h1>
            <p class="lede">"Priced offers for customer organisations, with their versions, discounts and validity."</p>
        </section>
        <Loaded data=quotes rows=4 let:view_data>
            {
                let start = view_data
                    .can_build
                    .then(|| {
                        let designs = view_data.designs.clone();
                        let picked = RwSignal::new(designs.first().map(|d| d.id.to_string()).unwrap_or_default());
                        view! {
                            <section class="card quote-start">
                                <h2>"Start a quote"</h2>
                                {if designs.is_empty() {
                                    view! {
                                        <p class="muted">
                                            "No customer has saved a design yet. Quotes start from a saved design."
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <div class="field-row align-end">
                                            <div class="field">
                                                <label for="quote-design">"From the design"</label>
                                                <select
                                                    id="quote-design"
                                                    on:change=move |ev| picked.set(event_target_value(&ev))
                                                >
                                                    {designs
                                                        .into_iter()
                                                        .map(|design| {
                                                            view! {
                                                                <option value=design
                                                                    .id
                                                                    .to_string()>
                                                                    {format!(
                                                                        "{} · {}{}",
                                                                        design.organisation.name,
                                                                        design.name,
                                                                        if design.intent
                                                                            == lightpath_domain::design::DesignIntent::QuoteRequested
                                                                        {
                                                                            " (quote requested)"
                                                                        } else {
                                                                            ""
                                                                        },
                                                                    )}
                                                                </option>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </select>
                                            </div>
                                            <a
                                                class="button"
                                                href=move || format!("/quotes/new?design={}", picked.get())
                                            >
                                                "Quote this design"
                                            </a>
                                        </div>
                                    }
                                        .into_any()
                                }}
                            </section>
                        }
                    });
                let mut organisations: Vec<(String, String)> = view_data
                    .quotes
                    .items
                    .iter()
                    .map(|quote| (quote.organisation.id.to_string(), quote.organisation.name.clone()))
                    .collect();
                organisations.sort_by(|a, b| a.1.cmp(&b.1));
                organisations.dedup();
                let all = view_data.quotes.items.clone();
                let (page, more) = (view_data.quotes.page, view_data.quotes.more);
                let shown = move || {
                    let now = now_ms();
                    all.iter()
                        .filter(|quote| { state_filter.with(|state| state.is_empty() || quote.state.slug() == state) })
                        .filter(|quote| {
                            organisation_filter
                                .with(|wanted| wanted.is_empty() || quote.organisation.id.as_str() == wanted)
                        })
                        .filter(|quote| {
                            !expiring.get()
                                || (quote.valid_until_ms >= now && quote.valid_until_ms - now <= 7 * DAY_MS
                                    && !quote.state.is_final())
                        })
                        .cloned()
                        .collect::<Vec<QuoteSummary>>()
                };
                let staff = view_data.can_build;
                view! {
                    {start}
                    {if view_data.quotes.items.is_empty() && page == 0 {
                        view! {
                            <EmptyState
                                title="No quotes yet"
                                text="Quotes your sales engineer sends you appear here; request one from a saved design."
                                href="/designs"
                                action="Your designs"
                            />
                        }
                            .into_any()
                    } else {
                        view! {
                            <div class="filters" role="group" aria-label="Filter quotes">
                                <div class="field">
                                    <label for="quote-state">"State"</label>
                                    <select
                                        id="quote-state"
                                        on:change=move |ev| state_filter.set(event_target_value(&ev))
                                    >
                                        <option value="">"Every state"</option>
                                        {QuoteState::ALL
                                            .into_iter()
                                            .map(|state| {
                                                view! { <option value=state.slug()>{state.label()}</option> }
                                            })
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
                                                    on:change=move |ev| {
                                                        organisation_filter.set(event_target_value(&ev))
                                                    }
                                                >
                                                    <option value="">"Every organisation"</option>
                                                    {organisations
                                                        .clone()
                                                        .into_iter()
                                                        .map(|(id, name)| {
                                                            view! { <option value=id>{name}</option> }
                                                        })
                                                        .collect_view()}
                                                </select>
                                            </div>
                                        }
                                    })}
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        on:change=move |ev| expiring.set(event_target_checked(&ev))
                                    />
                                    " Expiring within 7 days"
                                </label>
                            </div>
                            <DataTable columns=&[
                                ("Quote", ""),
                                ("Organisation", "hide-narrow"),
                                ("State", ""),
                                ("Discount", "num hide-narrow"),
                                ("Per month", "num"),
                                ("Valid until", "hide-narrow"),
                            ]>
                                {move || {
                                    let rows = shown();
                                    if rows.is_empty() {
                                        return view! {
                                            <tr>
                                                <td colspan="6" class="muted">
                                                    "No quote matches these filters."
                                                </td>
                                            </tr>
                                        }
                                            .into_any();
                                    }
                                    rows.into_iter()
                                        .map(|quote| {
                                            view! {
                                                <tr>
                                                    <td>
                                                        <a href=format!("/quotes/{}", quote.id)>{quote.name.clone()}</a>
                                                        <span class="muted small">
                                                            {format!(" · v{}", quote.version)}
                                                        </span>
                                                    </td>
                                                    <td class="hide-narrow">{quote.organisation.name.clone()}</td>
                                                    <td>{state_badge(quote.state)}</td>
                                                    <td class="num hide-narrow">
                                                        {format_discount(quote.discount_bp)}
                                                    </td>
                                                    <td class="num">{quote.net.monthly_estimate().to_string()}</td>
                                                    <td class="hide-narrow">
                                                        {format_utc(quote.valid_until_ms)[..10].to_owned()}
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()
                                        .into_any()
                                }}
                            </DataTable>
                            <crate::components::layout::Pager page more path="/quotes" />
                            {staff
                                .then(|| {
                                    view! {
                                        <p class="muted small">
                                            "Staff see every quote; customers see a quote once it is sent to them."
                                        </p>
                                    }
                                })}
                        }
                            .into_any()
                    }}
                }
                    .into_any()
            }
        </Loaded>
    }
}
