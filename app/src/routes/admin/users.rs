//! Accounts and roles: every person with access, disabled or not.

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
use super::*;

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let set_role = ServerAction::<SetRole>::new();
    let outcome = outcome(set_role);
    let changes = count_successes(&[succeeded(outcome)]);
    let page = crate::components::layout::page_from_query();
    let users = Resource::new(move || (changes.get(), page()), |(_, page)| list_users(Some(page)));
    view! {
        <AdminHead title="Users" />
        <FormProblem outcome />
        <Transition fallback=|| {
            view! { <Skeleton rows=5 /> }
        }>
            {move || Suspend::new(async move {
                crate::components::layout::or_problem(
                    users.await,
                    move |listed| {
                        let (users, page, more) = (listed.items, listed.page, listed.more);
                        view! {
                            <DataTable columns=&[
                                ("Name", ""),
                                ("Email", ""),
                                ("Organisation", ""),
                                ("Role", ""),
                            ]>
                                {users
                                    .into_iter()
                                    .map(|user| {
                                        let choices: Vec<Role> = Role::ALL
                                            .into_iter()
                                            .filter(|r| r.is_staff() == user.role.is_staff())
                                            .collect();
                                        let current = user.role;
                                        view! {
                                            <tr>
                                                <td>{user.name.clone()}</td>
                                                <td>{user.email.to_string()}</td>
                                                <td>
                                                    {user
                                                        .organisation
                                                        .as_ref()
                                                        .map(|o| o.name.clone())
                                                        .unwrap_or_else(|| "Lightpath staff".into())}
                                                </td>
                                                <td>
                                                    <ActionForm action=set_role attr:class="inline-form">
                                                        <input type="hidden" name="user" value=user.id.to_string() />
                                                        <label class="visually-hidden" for=format!("role-{}", user.id)>
                                                            {format!("Role of {}", user.name)}
                                                        </label>
                                                        <select name="role" id=format!("role-{}", user.id)>
                                                            {choices
                                                                .into_iter()
                                                                .map(|role| {
                                                                    view! {
                                                                        <option value=role.slug() selected=role == current>
                                                                            {role.label()}
                                                                        </option>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </select>
                                                        <button type="submit" class="button button-small">
                                                            "Save"
                                                        </button>
                                                    </ActionForm>
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </DataTable>
                            <crate::components::layout::Pager page more path="/admin/users" />
                        }
                            .into_any()
                    },
                )
            })}
        </Transition>
    }
}
