//! A product's prices at a chosen term, priced in the browser by the domain engine: switching
//! the term re-prices instantly with the same code the server uses.

use leptos::prelude::*;
use lightpath_domain::money::{format_basis_points, group_thousands};
use lightpath_domain::price_book::{AppliedLine, Charge, PriceBook, PriceUnit};
use lightpath_domain::pricing::BreakdownLine;
use lightpath_domain::{Product, Term};

#[component]
pub fn PriceTable(product: Product, book: PriceBook) -> impl IntoView {
    // Start at the shortest committed term when there is one: that is how most buy.
    let initial = product.terms.iter().copied().find(|term| *term != Term::OnDemand).unwrap_or(Term::OnDemand);
    let term = RwSignal::new(initial);
    let terms = product.terms.clone();
    let product = StoredValue::new(product);
    let book = StoredValue::new(book);

    let ladder_note = move || {
        let basis_points = book.with_value(|book| product.with_value(|p| book.adjustment(&p.id, term.get())));
        let size = format_basis_points(basis_points.unsigned_abs());
        match basis_points {
            0 => None,
            bp if bp < 0 => Some(format!("Monthly prices include {size} off the list price for this term.")),
            _ => Some(format!("Monthly prices include a {size} premium for this shorter term.")),
        }
    };

    view! {
        <div class="term-picker" role="radiogroup" aria-label="Term">
            {terms
                .into_iter()
                .map(|option| {
                    view! {
                        <button
                            type="button"
                            role="radio"
                            class="chip"
                            aria-checked=move || (term.get() == option).to_string()
                            on:click=move |_| term.set(option)
                        >
                            {option.label()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
        <p class="note" aria-live="polite">
            {ladder_note}
        </p>
        <div class="table-wrap" tabindex="0">
            <table class="prices stacked">
                <caption class="visually-hidden">"Prices by option at the chosen term"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Option"</th>
                        <th scope="col">"Recurring"</th>
                        <th scope="col">"One-time"</th>
                        <th scope="col">"Usage"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let term = term.get();
                        product
                            .with_value(|product| {
                                product
                                    .options
                                    .iter()
                                    .map(|option| {
                                        let lines = book.with_value(|b| b.lines_for(&product.id, &option.code, term));
                                        let cell = |charges: &[Charge]| {
                                            let lines: Vec<AppliedLine> = lines
                                                .iter()
                                                .filter(|l| charges.contains(&l.line.charge))
                                                .cloned()
                                                .collect();
                                            price_cell(lines)
                                        };
                                        view! {
                                            <tr>
                                                <th scope="row">{option.label.clone()}</th>
                                                <td data-label="Recurring">
                                                    {cell(&[Charge::MonthlyRecurring, Charge::Hourly])}
                                                </td>
                                                <td data-label="One-time">{cell(&[Charge::OneTime])}</td>
                                                <td data-label="Usage">{cell(&[Charge::Usage])}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()
                            })
                    }}
                </tbody>
            </table>
        </div>
    }
}

fn price_cell(lines: Vec<AppliedLine>) -> impl IntoView {
    if lines.is_empty() {
        return view! { <span class="muted">"—"</span> }.into_any();
    }
    view! {
        <ul class="price-lines">
            {lines
                .into_iter()
                .map(|applied| {
                    let unit = applied.line.unit.label();
                    let per = applied.line.charge.per();
                    view! {
                        <li>
                            <span class="amount">{applied.amount.to_string()}</span>
                            " "
                            <span class="per">{format!("{unit} {per}").trim().to_owned()}</span>
                            <span class="line-label">{applied.line.label}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// An item's price, line by line: unit price, quantity × copies, amount.
#[component]
pub fn BreakdownTable(lines: Vec<BreakdownLine>) -> impl IntoView {
    view! {
        <table class="data-table compact">
            <tbody>
                {lines
                    .into_iter()
                    .map(|line| {
                        let km = if line.unit == PriceUnit::RouteMile {
                            format!(" (≈ {} km)", group_thousands(line.quantity * 1_609_344 / 1_000_000))
                        } else {
                            String::new()
                        };
                        let times = if line.charge == Charge::Usage {
                            "—".to_owned()
                        } else if line.count > 1 {
                            format!("× {}{km} × {}", line.quantity, line.count)
                        } else {
                            format!("× {}{km}", line.quantity)
                        };
                        // Routes are measured in km everywhere else: a price per route-mile
                        // gives the km beside the miles it counts.
                        view! {
                            <tr>
                                <td>{line.label}</td>
                                <td class="num">{format!("{} {}", line.unit_price, line.unit.label())}</td>
                                <td class="num">{times}</td>
                                <td class="num">{format!("{} {}", line.amount, line.charge.per())}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
