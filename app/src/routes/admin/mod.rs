//! Admin pages: accounts and roles, products, price book versions, the audit log, and network
//! operations (span utilisation, fault injection).

mod audit;
mod catalog;
mod network;
mod price_books;
mod users;

pub use audit::AuditPage;
pub use catalog::AdminCatalogPage;
pub use network::AdminNetworkPage;
pub use price_books::{PriceBookPage, PriceBooksPage};
pub use users::AdminUsersPage;

use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::Term;

/// The title and heading of an admin page.
#[component]
fn AdminHead(title: &'static str, #[prop(optional)] lede: &'static str) -> impl IntoView {
    view! {
        <Title text=format!("{title} · Admin · Lightpath") />
        <section class="page-head">
            <p class="eyebrow">"Admin"</p>
            <h1>{title}</h1>
            {(!lede.is_empty()).then(|| view! { <p class="lede">{lede}</p> })}
        </section>
    }
}

/// A checkbox for every term, posted as `{name}[0]`, `{name}[1]`… with the term's months.
#[component]
fn TermBoxes(name: &'static str) -> impl IntoView {
    Term::ALL
        .into_iter()
        .enumerate()
        .map(|(index, term)| {
            view! {
                <label class="checkbox">
                    <input type="checkbox" name=format!("{name}[{index}]") value=term.months().to_string() />
                    " "
                    {term.label()}
                </label>
            }
        })
        .collect_view()
}
