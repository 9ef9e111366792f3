//! The buyer's dashboard, an organisation's page with its members, and the staff list of
//! customer organisations.

use crate::components::forms::{count_successes, outcome, succeeded, Field, FormProblem};
use crate::components::layout::DataTable;
use crate::components::layout::Loaded;
use crate::components::layout::Skeleton;
use crate::routes::account::ApiAccess;
use crate::routes::record_id;
use crate::server_fns::orgs::{
    list_organisations, load_dashboard, load_notices, load_organisation, AddMember, DismissNotice, RemoveMember,
    SetCreditLimit, WithdrawInvitation,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| load_dashboard());
    let dismiss = ServerAction::<DismissNotice>::new();
    let dismissed = count_successes(&[succeeded(outcome(dismiss))]);
    let notices = Resource::new(move || dismissed.get(), |_| load_notices());
    let quotes = Resource::new(|| (), |_| crate::server_fns::quotes::list_quotes(None, None));
    let services = Resource::new(|| (), |_| crate::server_fns::services::list_services(None));
    view! {
        <Title text="Dashboard · Lightpath" />
        <Transition fallback=|| {
            view! { <Skeleton rows=3 /> }
        }>
            {move || Suspend::new(async move {
                let (quotes, services, notices) = (quotes.await, services.await, notices.await.unwrap_or_default());
                crate::components::layout::or_problem(
                    me.await,
                    move |actor| {
                        let organisation = actor.organisation.clone();
                        let staff = organisation.is_none();
                        let waiting: Vec<_> = quotes
                            .map(|view| view.quotes.items)
                            .unwrap_or_default()
                            .into_iter()
                            .filter(|quote| {
                                use lightpath_domain::quote::QuoteState;
                                if staff {
                                    matches!(
                                        quote.state,
                                        QuoteState::PendingApproval | QuoteState::Approved | QuoteState::InProgress
                                    )
                                } else {
                                    quote.state == QuoteState::Sent
                                }
                            })
                            .collect();
                        let inventory = services.ok().filter(|inventory| !inventory.services.items.is_empty());
                        let nothing = waiting.is_empty() && inventory.is_none();
                        // What waits for this person: customers accept sent quotes; staff move quotes on.
                        view! {
                            <section class="page-head">
                                <p class="eyebrow">
                                    {organisation
                                        .as_ref()
                                        .map(|o| o.name.clone())
                                        .unwrap_or_else(|| "Lightpath staff".into())}
                                </p>
                                <h1>{format!("Welcome, {}", actor.name)}</h1>
                            </section>
                            {notices
                                .into_iter()
                                .map(|notice| {
                                    view! {
                                        <div class="notice notice-row" role="note">
                                            <p>{notice.message.clone()}</p>
                                            <ActionForm action=dismiss attr:class="inline-form">
                                                <input type="hidden" name="id" value=notice.id.to_string() />
                                                <button type="submit" class="button button-small button-ghost">
                                                    "Dismiss"
                                                </button>
                                            </ActionForm>
                                        </div>
                                    }
                                })
                                .collect_view()}
                            {(!waiting.is_empty())
                                .then(|| {
                                    view! {
                                        <section class="card">
                                            <h2>{if staff { "Quotes in motion" } else { "Quotes for you" }}</h2>
                                            <ul class="plain">
                                                {waiting
                                                    .into_iter()
                                                    .map(|quote| {
                                                        view! {
                                                            <li>
                                                                <a href=format!(
                                                                    "/quotes/{}",
                                                                    quote.id,
                                                                )>{quote.name.clone()}</a>
                                                                {format!(
                                                                    " · {} · {} a month · valid until {}",
                                                                    quote.state.label(),
                                                                    quote.net.monthly_estimate(),
                                                                    &crate::components::format_utc(quote.valid_until_ms)[..10],
                                                                )}
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        </section>
                                    }
                                })}
                            {inventory
                                .map(|inventory| {
                                    let active = inventory
                                        .services
                                        .items
                                        .iter()
                                        .filter(|s| s.state == lightpath_domain::service::ServiceState::Active)
                                        .count();
                                    let active = if inventory.services.more {
                                        format!("{active}+")
                                    } else {
                                        active.to_string()
                                    };
                                    view! {
                                        <section class="card">
                                            <h2>"Services"</h2>
                                            <p>
                                                {format!(
                                                    "{active} active · {} spent so far · {} a month at today's rates",
                                                    inventory.total.so_far,
                                                    inventory.total.monthly_estimate,
                                                )}
                                            </p>
                                            <p>
                                                <a href="/services">"See every service and its spend"</a>
                                            </p>
                                        </section>
                                    }
                                })}
                            <section class=if nothing { "card empty-state" } else { "card" }>
                                <h2>{if nothing { "Nothing running yet" } else { "Next" }}</h2>
                                {nothing
                                    .then(|| {
                                        view! {
                                            <p>
                                                "Designs, quotes, orders and live services of your organisation will appear here."
                                            </p>
                                        }
                                    })}
                                <p class="actions">
                                    <a href="/designs/new" class="button">
                                        "Design an AI workload"
                                    </a>
                                    <a href="/designs" class="button button-ghost">
                                        "Your designs"
                                    </a>
                                    <a href="/catalog" class="button button-ghost">
                                        "Browse the catalog"
                                    </a>
                                    <a href="/network" class="button button-ghost">
                                        "Explore the network"
                                    </a>
                                </p>
                            </section>
                            {organisation
                                .map(|o| {
                                    view! {
                                        <p class="muted">
                                            <a href=format!("/orgs/{}", o.id)>"Members of " {o.name.clone()}</a>
                                        </p>
                                    }
                                })}
                        }
                            .into_any()
                    },
                )
            })}
        </Transition>
    }
}

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

#[component]
pub fn OrganisationPage() -> impl IntoView {
    let id = record_id();
    let add = ServerAction::<AddMember>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let set_limit = ServerAction::<SetCreditLimit>::new();
    let withdraw = ServerAction::<WithdrawInvitation>::new();
    let added = outcome(add);
    let removed = outcome(remove);
    let limited = outcome(set_limit);
    let withdrawn = outcome(withdraw);
    // Reload after a successful change only: a failed one keeps the form as typed.
    let changes = count_successes(&[succeeded(added), succeeded(removed), succeeded(limited), succeeded(withdrawn)]);
    let organisation = Resource::new(move || (id(), changes.get()), |(id, _)| load_organisation(id));
    view! {
        <Loaded data=organisation rows=4 let:org>
            {
                let org_id = org.id.to_string();
                let can_manage = org.can_manage;
                let limit_text = org
                    .credit_limit
                    .map_or_else(
                        || "No credit limit: orders are never held for a credit review.".to_owned(),
                        |limit| {
                            format!(
                                "{limit} a month. An order that would take what the organisation owes in a month (active services, plus open orders' first month and one-time charges) over this waits for a Lightpath admin.",
                            )
                        },
                    );
                let limit_value = org.credit_limit.map(|limit| (limit.cents() / 100).to_string()).unwrap_or_default();
                view! {
                    <Title text=format!("{} · Lightpath", org.name) />
                    <section class="page-head">
                        <p class="eyebrow">"Organisation"</p>
                        <h1>{org.name.clone()}</h1>
                    </section>
                    <crate::routes::quotes::OrganisationQuotes organisation=org.id.clone() />
                    <section class="card">
                        <h2>"Members"</h2>
                        <div class="table-wrap" tabindex="0">
                            <table class="data-table stacked">
                                <thead>
                                    <tr>
                                        <th scope="col">"Name"</th>
                                        <th scope="col">"Email"</th>
                                        <th scope="col">"Role"</th>
                                        {can_manage
                                            .then(|| {
                                                view! {
                                                    <th scope="col">
                                                        <span class="visually-hidden">"Actions"</span>
                                                    </th>
                                                }
                                            })}
                                    </tr>
                                </thead>
                                <tbody>
                                    {org
                                        .members
                                        .into_iter()
                                        .map(|member| {
                                            let org_id = org_id.clone();
                                            view! {
                                                <tr>
                                                    <td data-label="Name">{member.name.clone()}</td>
                                                    <td data-label="Email">{member.email.clone()}</td>
                                                    <td data-label="Role">{member.role.label()}</td>
                                                    {can_manage
                                                        .then(|| {
                                                            view! {
                                                                <td data-label="">
                                                                    <ActionForm action=remove>
                                                                        <input type="hidden" name="organisation" value=org_id />
                                                                        <input
                                                                            type="hidden"
                                                                            name="user"
                                                                            value=member.id.to_string()
                                                                        />
                                                                        <button
                                                                            type="submit"
                                                                            class="button button-small button-danger"
                                                                            aria-label=format!("Remove {}", member.name)
                                                                        >
                                                                            "Remove"
                                                                        </button>
                                                                    </ActionForm>
                                                                </td>
                                                            }
                                                        })}
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <FormProblem outcome=removed />
                    </section>
                    {(can_manage && !org.invitations.is_empty())
                        .then(|| {
                            let org_id = org_id.clone();
                            view! {
                                <section class="card" aria-labelledby="invited-heading">
                                    <h2 id="invited-heading">"Invited, waiting for a first sign-in"</h2>
                                    <ul class="plain invitations">
                                        {org
                                            .invitations
                                            .clone()
                                            .into_iter()
                                            .map(|invitation| {
                                                let org_id = org_id.clone();
                                                view! {
                                                    <li>
                                                        {format!(
                                                            "{} · {} · invited by {} on {}",
                                                            invitation.name,
                                                            invitation.email,
                                                            invitation.invited_by,
                                                            &crate::components::format_utc(
                                                                invitation.created_at_ms,
                                                            )[..10],
                                                        )} <ActionForm action=withdraw attr:class="inline-form">
                                                            <input type="hidden" name="organisation" value=org_id />
                                                            <input
                                                                type="hidden"
                                                                name="invitation"
                                                                value=invitation.id.to_string()
                                                            />
                                                            <button
                                                                type="submit"
                                                                class="button button-small button-ghost"
                                                                aria-label=format!(
                                                                    "Withdraw the invitation of {}",
                                                                    invitation.email,
                                                                )
                                                            >
                                                                "Withdraw"
                                                            </button>
                                                        </ActionForm>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                    <FormProblem outcome=withdrawn />
                                </section>
                            }
                        })}
                    <section class="card narrow" aria-labelledby="credit-heading">
                        <h2 id="credit-heading">"Credit limit"</h2>
                        <p>{limit_text}</p>
                        {org
                            .can_set_credit
                            .then(|| {
                                let org_id = org_id.clone();
                                view! {
                                    <ActionForm action=set_limit attr:class="stack-form" attr:novalidate="">
                                        <input type="hidden" name="organisation" value=org_id />
                                        <Field
                                            outcome=limited
                                            name="limit"
                                            label="Limit in dollars a month"
                                            value=limit_value
                                            required=false
                                            hint="Leave empty for no limit."
                                        />
                                        <FormProblem outcome=limited />
                                        <button type="submit" class="button" disabled=move || set_limit.pending().get()>
                                            "Save the limit"
                                        </button>
                                    </ActionForm>
                                }
                            })}
                    </section>
                    {org.manages_tokens.then(|| view! { <ApiAccess webhooks=true /> })}
                    {can_manage
                        .then(|| {
                            view! {
                                <section class="card narrow">
                                    <h2>"Add a buyer"</h2>
                                    <p class="muted">
                                        "Give them a first password; they change it on their account page after signing in."
                                    </p>
                                    <div role="status">
                                        {move || {
                                            added
                                                .with(|o| o.as_ref().and_then(|r| r.as_ref().ok()).cloned())
                                                .map(|text| {
                                                    view! {
                                                        <p class="notice" data-testid="invited">
                                                            {text}
                                                        </p>
                                                    }
                                                })
                                        }}
                                    </div>
                                    <ActionForm action=add attr:class="stack-form" attr:novalidate="">
                                        <input type="hidden" name="organisation" value=org_id.clone() />
                                        <Field outcome=added name="email" label="Their work email" kind="email" />
                                        <Field outcome=added name="name" label="Their name" />
                                        <Field
                                            outcome=added
                                            name="password"
                                            label="First password"
                                            kind="password"
                                            autocomplete="new-password"
                                            hint="At least 12 characters."
                                        />
                                        <FormProblem outcome=added />
                                        <button type="submit" class="button" disabled=move || add.pending().get()>
                                            "Add buyer"
                                        </button>
                                    </ActionForm>
                                </section>
                            }
                        })}
                }
                    .into_any()
            }
        </Loaded>
    }
}
