//! The staff list of customer organisations.

use crate::components::layout::DataTable;
use crate::components::layout::Loaded;
use crate::server_fns::orgs::list_organisations;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let page = crate::components::layout::page_from_query();
    let organisations = Resource::new(page, |page| list_organisations(Some(page)));
    view! {
        <Title text="Customers · Lightpath" />
        <section class="page-head">
            <h1>"Customer organisations"</h1>
            <p class="lede">"Every customer, with its members. Open one to act for it."</p>
        </section>
        <Loaded data=organisations rows=4 let:listed>
            {
                let (rows, page, more) = (listed.items, listed.page, listed.more);
                if rows.is_empty() && page == 0 {
                    view! { <p class="empty">"No customer has signed up yet."</p> }.into_any()
                } else {
                    view! {
                        <DataTable columns=&[
                            ("Organisation", ""),
                            ("Members", "num"),
                        ]>
                            {rows
                                .into_iter()
                                .map(|row| {
                                    view! {
                                        <tr>
                                            <td>
                                                <a href=format!("/orgs/{}", row.id)>{row.name}</a>
                                            </td>
                                            <td class="num">{row.members}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </DataTable>
                        <crate::components::layout::Pager page more path="/orgs" />
                    }
                        .into_any()
                }
            }
        </Loaded>
    }
}
