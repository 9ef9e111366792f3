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

use crate::components::format_utc;
use crate::components::forms::{
    count_successes, error_id, field_id, outcome, problem_of, succeeded, Field, FormField, FormProblem,
};
use crate::components::layout::DataTable;
use crate::components::layout::Skeleton;
use crate::components::topology_map::TopologyMap;
use crate::server_fns::admin::{
    list_price_books, list_users, load_admin_products, load_audit_log, load_network_ops, load_price_book, AddOption,
    AddPriceLine, AddProduct, OpenDraft, PublishPriceBook, SetFaults, SetPrice, SetRole, SetTerminationShare,
    UpdateProduct,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params, use_query_map};
use leptos_router::params::Params;
use lightpath_domain::account::Role;
use lightpath_domain::catalog::{Ends, LifecycleStage};
use lightpath_domain::money::group_thousands;
use lightpath_domain::price_book::{Charge, PriceUnit};
use lightpath_domain::{SpanId, Term};

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
