//! Accounts and roles: every person with access, disabled or not.

use super::AdminHead;
use crate::components::form_action::{FormAction, PostForm};
use crate::components::forms::{count_successes, outcome, succeeded, FormProblem, RoleOptions};
use crate::components::layout::DataTable;
use crate::components::layout::Loaded;
use crate::server_fns::admin::{list_users, SetRole};
use leptos::prelude::*;
use lightpath_domain::account::Role;

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let set_role = FormAction::<SetRole>::new();
    let outcome = outcome(set_role);
    let changes = count_successes(&[succeeded(outcome)]);
    let page = crate::components::layout::page_from_query();
    let users = Resource::new(move || (changes.get(), page()), |(_, page)| list_users(Some(page)));
    view! {
        <AdminHead title="Users" />
        <FormProblem outcome />
        <Loaded data=users rows=5 let:listed>
            {
                let (users, page, more) = (listed.items, listed.page, listed.more);
                view! {
                    <DataTable
                        columns=&[("Name", ""), ("Email", ""), ("Organisation", ""), ("Role", "")]
                        class="stacked"
                    >
                        {users
                            .into_iter()
                            .map(|user| {
                                let choices: &'static [Role] = if user.role.is_staff() {
                                    &Role::STAFF
                                } else {
                                    &Role::CUSTOMER
                                };
                                let current = user.role;
                                view! {
                                    <tr>
                                        <td data-label="Name">{user.name.clone()}</td>
                                        <td data-label="Email">{user.email.to_string()}</td>
                                        <td data-label="Organisation">
                                            {user
                                                .organisation
                                                .as_ref()
                                                .map(|o| o.name.clone())
                                                .unwrap_or_else(|| "Lightpath staff".into())}
                                        </td>
                                        <td data-label="Role">
                                            <PostForm action=set_role attr:class="inline-form">
                                                <input type="hidden" name="user" value=user.id.to_string() />
                                                <label class="visually-hidden" for=format!("role-{}", user.id)>
                                                    {format!("Role of {}", user.name)}
                                                </label>
                                                <select name="role" id=format!("role-{}", user.id)>
                                                    <RoleOptions choices current />
                                                </select>
                                                <button type="submit" class="button button-small">
                                                    "Save"
                                                </button>
                                            </PostForm>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </DataTable>
                    <crate::components::layout::Pager page more path="/admin/users" />
                }
                    .into_any()
            }
        </Loaded>
    }
}
