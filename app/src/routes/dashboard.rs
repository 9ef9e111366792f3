//! The dashboard: what waits for the signed-in person (notices, quotes to act on), their
//! services at a glance, and where to go next.

use crate::components::form_action::{FormAction, PostForm};
use crate::components::format_utc;
use crate::components::forms::{count_successes, outcome, succeeded};
use crate::components::layout::{or_problem, Skeleton};
use crate::components::maintenance::MaintenanceList;
use crate::server_fns::orgs::{load_dashboard, load_maintenance, load_notices, DismissNotice, NoticeView};
use crate::server_fns::quotes::list_quotes;
use crate::server_fns::services::{list_services, Inventory};
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_app::model::network::MaintenanceLine;
use lightpath_domain::account::OrganisationRef;
use lightpath_domain::quote::QuoteState;
use lightpath_domain::records::QuoteSummary;
use lightpath_domain::service::ServiceState;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| load_dashboard());
    let dismiss = FormAction::<DismissNotice>::new();
    let dismissed = count_successes(&[succeeded(outcome(dismiss))]);
    let notices = Resource::new(move || dismissed.get(), |_| load_notices());
    let quotes = Resource::new(|| (), |_| list_quotes(None, None));
    let services = Resource::new(|| (), |_| list_services(None));
    let maintenance = Resource::new(|| (), |_| load_maintenance());
    view! {
        <Title text="Dashboard · Lightpath" />
        <Transition fallback=|| {
            view! { <Skeleton rows=3 /> }
        }>
            {move || Suspend::new(async move {
                let (quotes, services, notices) = (quotes.await, services.await, notices.await.unwrap_or_default());
                let maintenance = maintenance.await.unwrap_or_default();
                or_problem(
                    me.await,
                    move |actor| {
                        let organisation = actor.organisation.clone();
                        let staff = organisation.is_none();
                        let waiting = waiting_quotes(quotes.map(|view| view.quotes.items).unwrap_or_default(), staff);
                        let inventory = services.ok().filter(|inventory| !inventory.services.items.is_empty());
                        let nothing = waiting.is_empty() && inventory.is_none();
                        let eyebrow = organisation
                            .as_ref()
                            .map_or_else(|| "Lightpath staff".into(), |o| o.name.clone());
                        view! {
                            <section class="page-head">
                                <p class="eyebrow">{eyebrow}</p>
                                <h1>{format!("Welcome, {}", actor.name)}</h1>
                            </section>
                            <Notices notices dismiss />
                            <UpcomingMaintenance notices=maintenance />
                            <WaitingQuotes waiting staff />
                            {inventory.map(|inventory| view! { <ServicesAtAGlance inventory /> })}
                            <NextSteps nothing organisation />
                        }
                            .into_any()
                    },
                )
            })}
        </Transition>
    }
}

/// Outages of the organisation's services and maintenance announced on them that have not
/// ended yet.
#[component]
fn UpcomingMaintenance(notices: Vec<MaintenanceLine>) -> impl IntoView {
    (!notices.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="maintenance-heading" data-testid="maintenance">
                <h2 id="maintenance-heading">{crate::components::notices_heading(&notices)}</h2>
                <MaintenanceList notices services=true />
            </section>
        }
    })
}

/// What waits for this person: customers accept sent quotes; staff move quotes on.
fn waiting_quotes(quotes: Vec<QuoteSummary>, staff: bool) -> Vec<QuoteSummary> {
    quotes
        .into_iter()
        .filter(|quote| {
            if staff {
                matches!(quote.state, QuoteState::PendingApproval | QuoteState::Approved | QuoteState::InProgress)
            } else {
                quote.state == QuoteState::Sent
            }
        })
        .collect()
}

#[component]
fn Notices(notices: Vec<NoticeView>, dismiss: FormAction<DismissNotice>) -> impl IntoView {
    notices
        .into_iter()
        .map(|notice| {
            view! {
                <div class="notice notice-row" role="note">
                    <p>{notice.message.clone()}</p>
                    <PostForm action=dismiss attr:class="inline-form">
                        <input type="hidden" name="id" value=notice.id.to_string() />
                        <button type="submit" class="button button-small button-ghost">
                            "Dismiss"
                        </button>
                    </PostForm>
                </div>
            }
        })
        .collect_view()
}

#[component]
fn WaitingQuotes(waiting: Vec<QuoteSummary>, staff: bool) -> impl IntoView {
    (!waiting.is_empty()).then(|| {
        view! {
            <section class="card">
                <h2>{if staff { "Quotes in motion" } else { "Quotes for you" }}</h2>
                <ul class="plain">
                    {waiting
                        .into_iter()
                        .map(|quote| {
                            view! {
                                <li>
                                    <a href=format!("/quotes/{}", quote.id)>{quote.name.clone()}</a>
                                    {format!(
                                        " · {} · {} a month · valid until {}",
                                        quote.state.label(),
                                        quote.net.monthly_estimate(),
                                        &format_utc(quote.valid_until_ms)[..10],
                                    )}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}

/// How many services are active and what they cost.
#[component]
fn ServicesAtAGlance(inventory: Inventory) -> impl IntoView {
    let active = inventory.services.items.iter().filter(|s| s.state == ServiceState::Active).count();
    let active = if inventory.services.more { format!("{active}+") } else { active.to_string() };
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
}

#[component]
fn NextSteps(nothing: bool, organisation: Option<OrganisationRef>) -> impl IntoView {
    view! {
        <section class=if nothing { "card empty-state" } else { "card" }>
            <h2>{if nothing { "Nothing running yet" } else { "Next" }}</h2>
            {nothing
                .then(|| {
                    view! { <p>"Designs, quotes, orders and live services of your organisation will appear here."</p> }
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
}
