//! The service inventory: the services an organisation runs with what they cost so far, and
//! one service's page with its path, utilisation, spend, bandwidth change and disconnect.

use crate::components::format_utc;
use crate::components::layout::{or_problem, EmptyState, Skeleton};
use crate::components::topology_map::TopologyMap;
use crate::error::AppError;
use crate::routes::record_id;
use crate::server_fns::network::load_network;
use crate::server_fns::services::{change_bandwidth, disconnect_service, list_services, load_service, ServicePage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use lightpath_domain::network::format_millis;
use lightpath_domain::recommend::format_rate;
use lightpath_domain::service::ServiceState;
use std::time::Duration;

/// How often spend is read again while a page is open: on-demand usage accrues by the
/// simulated hour, which passes in seconds.
const REFRESH: Duration = Duration::from_millis(5_000);

fn state_badge(state: ServiceState) -> impl IntoView {
    view! { <span class=format!("status service-{}", state.slug())>{state.label()}</span> }
}

/// Reads again every few seconds while the page is open.
fn every_few_seconds(tick: RwSignal<u64>) {
    Effect::new(move |_| {
        tick.track();
        set_timeout(move || _ = tick.try_update(|n| *n += 1), REFRESH);
    });
}

#[component]
pub fn ServicesPage() -> impl IntoView {
    let tick = RwSignal::new(0u64);
    let page = crate::components::layout::page_from_query();
    let inventory = Resource::new(move || (tick.get(), page()), |(_, page)| list_services(Some(page)));
    every_few_seconds(tick);
    view! {
        <Title text="Services · Lightpath" />
        <section class="page-head">
            <h1>"Services"</h1>
            <p class="lede">
                "What runs on our network for you, what it has cost so far and what a month costs at today's rates. On-demand usage is billed by the simulated hour."
            </p>
        </section>
        <Transition fallback=|| {
            view! { <Skeleton rows=4 /> }
        }>
            {move || Suspend::new(async move {
                or_problem(
                    inventory.await,
                    |inventory| {
                        let (page, more) = (inventory.services.page, inventory.services.more);
                        if inventory.services.items.is_empty() && page == 0 {
                            return view! {
                                <EmptyState
                                    title="No services yet"
                                    text="A completed order's items become services here."
                                    href="/orders"
                                    action="Your orders"
                                />
                            }
                                .into_any();
                        }
                        let total = inventory.total;
                        view! {
                            <div class="spend-cards">
                                <div class="spend-card">
                                    <span class="muted">"Spent so far"</span>
                                    <strong data-testid="total-so-far">{total.so_far.to_string()}</strong>
                                </div>
                                <div class="spend-card">
                                    <span class="muted">"of which on-demand hours"</span>
                                    <strong>{total.hourly_so_far.to_string()}</strong>
                                </div>
                                <div class="spend-card">
                                    <span class="muted">"A month at today's rates"</span>
                                    <strong data-testid="total-monthly">{total.monthly_estimate.to_string()}</strong>
                                </div>
                            </div>
                            <div class="table-wrap" tabindex="0">
                                <table class="data-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">"Service"</th>
                                            <th scope="col" class="hide-narrow">
                                                "Organisation"
                                            </th>
                                            <th scope="col" class="hide-narrow">
                                                "State"
                                            </th>
                                            <th scope="col" class="num">
                                                "So far"
                                            </th>
                                            <th scope="col" class="num">
                                                "Per month"
                                            </th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {inventory
                                            .services
                                            .items
                                            .into_iter()
                                            .map(|service| {
                                                view! {
                                                    <tr>
                                                        <td>
                                                            <a href=format!(
                                                                "/services/{}",
                                                                service.id,
                                                            )>{service.title.clone()}</a>
                                                            <span class="muted small">
                                                                {format!(" · {}", service.term.label())}
                                                            </span>
                                                            <span class="show-narrow">
                                                                {state_badge(service.state)}
                                                            </span>
                                                        </td>
                                                        <td class="hide-narrow">{service.organisation.name.clone()}</td>
                                                        <td class="hide-narrow">
                                                            {state_badge(service.state)}
                                                            {service
                                                                .pending_order
                                                                .map(|_| {
                                                                    view! { <span class="muted small">" · changing"</span> }
                                                                })}
                                                        </td>
                                                        <td class="num">{service.spend.so_far.to_string()}</td>
                                                        <td class="num">
                                                            {service.spend.monthly_estimate.to_string()}
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                    <tfoot>
                                        <tr>
                                            <th scope="row">
                                                {if page > 0 || more { "Total of every service" } else { "Total" }}
                                            </th>
                                            <td class="hide-narrow"></td>
                                            <td class="hide-narrow"></td>
                                            <td class="num">{total.so_far.to_string()}</td>
                                            <td class="num">{total.monthly_estimate.to_string()}</td>
                                        </tr>
                                    </tfoot>
                                </table>
                            </div>
                            <crate::components::layout::Pager page more path="/services" />
                        }
                            .into_any()
                    },
                )
            })}
        </Transition>
    }
}

/// What the change form sends: a bandwidth change (option, price shown) or a disconnect.
#[derive(Debug, Clone)]
enum Change {
    Bandwidth { option: String, monthly_cents: i64 },
    Disconnect,
}

#[component]
pub fn ServiceDetailPage() -> impl IntoView {
    let id = record_id();
    let tick = RwSignal::new(0u64);
    let service = Resource::new(move || (id(), tick.get()), |(id, _)| load_service(id));
    let network = Resource::new(|| (), |_| load_network());
    every_few_seconds(tick);
    // One idempotency key per attempt, kept only for a retry after a network error.
    let key = StoredValue::new(None::<String>);
    let change = Action::new_local(move |change: &Change| {
        let change = change.clone();
        let attempt = key.get_value().unwrap_or_else(|| {
            let fresh = crate::components::new_idempotency_key("change");
            key.set_value(Some(fresh.clone()));
            fresh
        });
        let service = id();
        async move {
            match change {
                Change::Bandwidth { option, monthly_cents } => {
                    change_bandwidth(service, option, monthly_cents, attempt).await
                }
                Change::Disconnect => disconnect_service(service, attempt).await,
            }
        }
    });
    let navigate = use_navigate();
    let problem = RwSignal::new(None::<String>);
    // Kept here, not in the view, so the page's refresh every few seconds keeps what the buyer
    // picked and an open confirmation.
    let picked = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    Effect::new(move |_| match change.value().get() {
        Some(Ok(placed)) => {
            key.set_value(None);
            navigate(&format!("/orders/{}", placed.id), Default::default());
        }
        Some(Err(error)) => {
            if !matches!(error, AppError::Transport(_)) {
                key.set_value(None);
            }
            problem.set(Some(error.to_string()));
            tick.update(|n| *n += 1);
        }
        None => {}
    });
    view! {
        <Transition fallback=|| {
            view! { <Skeleton rows=6 /> }
        }>
            {move || Suspend::new(async move {
                let network = network.await;
                or_problem(
                    service.await,
                    move |page| {
                        view! { <ServiceView page network=network.clone().ok() change problem picked confirming /> }
                            .into_any()
                    },
                )
            })}
        </Transition>
    }
}

#[component]
fn ServiceView(
    page: ServicePage,
    network: Option<crate::server_fns::network::NetworkView>,
    change: Action<Change, Result<crate::server_fns::orders::OrderPlaced, AppError>>,
    problem: RwSignal<Option<String>>,
    /// The bandwidth picked (None: the one it runs at).
    picked: RwSignal<Option<String>>,
    /// The disconnect confirmation is open.
    confirming: RwSignal<bool>,
) -> impl IntoView {
    let ServicePage { record, product_name, option_label, choices, can_change, termination } = page;
    let summary = record.summary.clone();
    let current = choices.iter().find(|choice| choice.option == record.spec.option).cloned();
    let running_option = record.spec.option.clone();
    let picked_option = move || picked.get().unwrap_or_else(|| running_option.clone());
    let picked_choice = {
        let (choices, picked_option) = (choices.clone(), picked_option.clone());
        move || choices.iter().find(|choice| choice.option == picked_option()).cloned()
    };
    let was = current.as_ref().map(|choice| choice.monthly_estimate());
    let new_price = {
        let picked_choice = picked_choice.clone();
        move || {
            picked_choice().map(|choice| {
                let price = match was {
                    Some(was) if choice.monthly_estimate() != was => {
                        format!("New price: {} a month (now {was}).", choice.monthly_estimate())
                    }
                    _ => format!("{} a month: the rate it runs at now.", choice.monthly_estimate()),
                };
                match choice.termination {
                    Some(fee) => format!(
                        "{price} Going below the committed rate during the term costs a one-time early termination fee of about {}: {}.",
                        fee.fee,
                        fee.explain()
                    ),
                    None => price,
                }
            })
        }
    };
    let unchanged = {
        let (picked_option, running) = (picked_option.clone(), record.spec.option.clone());
        move || picked_option() == running
    };
    let pending = summary.pending_order.clone();
    let changeable = can_change && pending.is_none();
    let peak = record.utilisation.iter().map(|(_, percent)| *percent).max().unwrap_or(0);
    let latest = record.utilisation.last().map(|(_, percent)| *percent);
    let bars = record.utilisation.len().max(1) as i32;
    let spans = record.spans.clone();
    view! {
        <Title text=format!("{} · Lightpath", summary.title) />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/services">"Services"</a>
            " / "
            <span aria-current="page">{summary.title.clone()}</span>
        </nav>
        <section class="page-head">
            <p class="eyebrow">{summary.organisation.name.clone()}</p>
            <h1>{summary.title.clone()}</h1>
            <p data-testid="service-state">
                {state_badge(summary.state)}
                {pending
                    .clone()
                    .map(|order| {
                        view! {
                            <span class="muted">
                                " · a change is running: "<a href=format!("/orders/{order}")>"follow its order"</a>
                            </span>
                        }
                    })}
            </p>
        </section>
        <div class="spend-cards">
            {(summary.mbps > 0)
                .then(|| {
                    view! {
                        <div class="spend-card">
                            <span class="muted">"Bandwidth"</span>
                            <strong data-testid="service-rate">{format_rate(summary.mbps)}</strong>
                        </div>
                    }
                })} <div class="spend-card">
                <span class="muted">"Spent so far"</span>
                <strong data-testid="service-so-far">{summary.spend.so_far.to_string()}</strong>
            </div> <div class="spend-card">
                <span class="muted">"On-demand hours so far"</span>
                <strong>{summary.spend.hourly_so_far.to_string()}</strong>
            </div> <div class="spend-card">
                <span class="muted">"A month at today's rate"</span>
                <strong data-testid="service-monthly">{summary.spend.monthly_estimate.to_string()}</strong>
            </div>
        </div>
        <div class="service-grid">
            <section class="card">
                <h2>"Service"</h2>
                <dl class="review">
                    <dt>"Product"</dt>
                    <dd>{format!("{product_name} · {option_label}")}</dd>
                    <dt>"Term"</dt>
                    <dd>{summary.term.label()}</dd>
                    <dt>"Round trip"</dt>
                    <dd>{record.round_trip_micros.map_or_else(|| "no long-haul path".to_owned(), format_millis)}</dd>
                    <dt>"Spans"</dt>
                    <dd>
                        {if record.spans.is_empty() {
                            "none: inside one metro or on our platform".to_owned()
                        } else {
                            record.spans.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
                        }}
                    </dd>
                    <dt>"In service since"</dt>
                    <dd>{format_utc(summary.created_at_ms)}</dd>
                </dl>
                <h3>"Rates"</h3>
                <ul class="plain">
                    {record.rates.iter().map(|rate| view! { <li>{describe_rate(rate)}</li> }).collect_view()}
                </ul>
                <h3>"Orders"</h3>
                <ul class="plain">
                    {record
                        .orders
                        .iter()
                        .map(|order| {
                            view! {
                                <li>
                                    <a href=format!("/orders/{}", order.id)>{order.action.label()}</a>
                                    {format!(" · {} · {}", order.state.label(), format_utc(order.created_at_ms))}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
            <section class="card">
                <h2>"Utilisation"</h2>
                {if summary.mbps == 0 {
                    view! { <p class="muted">"This service is not a connection: it has no bandwidth to measure."</p> }
                        .into_any()
                } else if record.utilisation.is_empty() {
                    view! { <p class="muted">"A terminated service carries no traffic."</p> }.into_any()
                } else {
                    view! {
                        <p class="muted">
                            {format!(
                                "Last {} simulated hours: now {} %, peak {} % of {}.",
                                record.utilisation.len(),
                                latest.unwrap_or(0),
                                peak,
                                format_rate(summary.mbps),
                            )}
                        </p>
                        <svg
                            class="utilisation-chart"
                            viewBox=format!("0 0 {} 100", bars * 10)
                            preserveAspectRatio="none"
                            role="img"
                            aria-label=format!("Utilisation over the last {} simulated hours, peak {peak} %", bars)
                        >
                            {record
                                .utilisation
                                .iter()
                                .enumerate()
                                .map(|(index, (_, percent))| {
                                    view! {
                                        <rect
                                            x=(index as i32 * 10 + 1).to_string()
                                            y=(100 - i32::from(*percent)).to_string()
                                            width="8"
                                            height=percent.to_string()
                                        />
                                    }
                                })
                                .collect_view()}
                        </svg>
                    }
                        .into_any()
                }}
            </section>
        </div>
        {network
            .filter(|_| !spans.is_empty() && summary.state != ServiceState::Terminated)
            .map(|network| {
                view! {
                    <section class="card">
                        <h2>"Path"</h2>
                        <TopologyMap network highlight=Signal::derive(move || spans.clone()) />
                    </section>
                }
            })}
        {changeable
            .then(|| {
                view! {
                    <section class="card service-change" aria-label="Change this service">
                        {(choices.len() > 1)
                            .then(|| {
                                let choices = choices.clone();
                                let picked_choice = picked_choice.clone();
                                view! {
                                    <h2 id="change-heading">"Change bandwidth"</h2>
                                    <div class="field">
                                        <label for="field-bandwidth">"New bandwidth"</label>
                                        <select
                                            id="field-bandwidth"
                                            aria-describedby="new-price"
                                            on:change=move |ev| {
                                                picked.set(Some(event_target_value(&ev)));
                                                problem.set(None);
                                            }
                                        >
                                            {choices
                                                .into_iter()
                                                .map(|choice| {
                                                    let (option, picked_option) = (
                                                        choice.option.clone(),
                                                        picked_option.clone(),
                                                    );
                                                    view! {
                                                        <option
                                                            value=choice.option.clone()
                                                            selected=move || picked_option() == option
                                                        >
                                                            {format!(
                                                                "{} · {} a month",
                                                                choice.label,
                                                                choice.monthly_estimate(),
                                                            )}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                        <p class="hint" id="new-price" data-testid="new-price" aria-live="polite">
                                            {new_price.clone()}
                                        </p>
                                    </div>
                                    <p class="actions">
                                        <button
                                            type="button"
                                            class="button"
                                            disabled=move || unchanged() || change.pending().get()
                                            on:click=move |_| {
                                                if let Some(choice) = picked_choice() {
                                                    let monthly_cents = choice.monthly_estimate().cents();
                                                    change
                                                        .dispatch(Change::Bandwidth {
                                                            option: choice.option,
                                                            monthly_cents,
                                                        });
                                                }
                                            }
                                        >
                                            "Order bandwidth change"
                                        </button>
                                    </p>
                                }
                            })}
                        <h2>"Disconnect"</h2>
                        <p class="muted">"The service stops, its capacity is released and billing ends."</p>
                        <p data-testid="termination-fee">
                            {match termination {
                                Some(fee) => {
                                    format!(
                                        "Early termination fee if disconnected now: {} ({}).",
                                        fee.fee,
                                        fee.explain(),
                                    )
                                }
                                None => "No early termination fee: nothing of a committed term is left.".to_owned(),
                            }}
                        </p>
                        <DisconnectConfirmation termination change confirming />
                    </section>
                }
            })}
        {move || {
            problem
                .get()
                .map(|message| {
                    view! {
                        <p class="form-problem" role="alert">
                            {message}
                        </p>
                    }
                })
        }}
    }
}

/// The disconnect button, and the confirmation it opens: what stops and, before anything is
/// ordered, the early termination fee the buyer is about to pay.
#[component]
fn DisconnectConfirmation(
    termination: Option<lightpath_domain::service::EarlyTermination>,
    change: Action<Change, Result<crate::server_fns::orders::OrderPlaced, AppError>>,
    confirming: RwSignal<bool>,
) -> impl IntoView {
    let confirm_button = NodeRef::<leptos::html::Button>::new();
    // Keyboard and screen-reader users land on the decision as it opens.
    Effect::new(move |_| {
        if confirming.get() {
            if let Some(button) = confirm_button.get() {
                let _ = button.focus();
            }
        }
    });
    move || {
        if !confirming.get() {
            return view! {
                <p class="actions">
                    <button
                        type="button"
                        class="button button-danger"
                        aria-haspopup="dialog"
                        on:click=move |_| confirming.set(true)
                    >
                        "Disconnect service…"
                    </button>
                </p>
            }
            .into_any();
        }
        let (consequence, confirm_label) = match termination {
            Some(fee) => (
                format!(
                    "The term is not yet served: an early termination fee of {} is charged once with the disconnect order ({}). It never exceeds this amount: the fee shrinks as the term runs.",
                    fee.fee,
                    fee.explain()
                ),
                format!("Disconnect and pay {}", fee.fee),
            ),
            None => ("No early termination fee applies.".to_owned(), "Disconnect".to_owned()),
        };
        view! {
            <div
                class="confirm-panel"
                role="alertdialog"
                aria-modal="false"
                aria-labelledby="disconnect-confirm-heading"
                aria-describedby="disconnect-confirm-text"
            >
                <h3 id="disconnect-confirm-heading">"Disconnect this service?"</h3>
                <p id="disconnect-confirm-text" data-testid="disconnect-consequence">
                    "It stops carrying traffic and its capacity is released. "
                    {consequence}
                </p>
                <p class="actions">
                    <button
                        type="button"
                        class="button button-danger"
                        node_ref=confirm_button
                        disabled=move || change.pending().get()
                        on:click=move |_| {
                            change.dispatch(Change::Disconnect);
                        }
                    >
                        {confirm_label}
                    </button>
                    <button type="button" class="button button-ghost" on:click=move |_| confirming.set(false)>
                        "Keep the service"
                    </button>
                </p>
            </div>
        }
        .into_any()
    }
}

/// "1 Gbps from … to …: $140.38 a month + $0.25 an hour", naming only the charges it has.
fn describe_rate(rate: &lightpath_domain::service::RatePeriod) -> String {
    let rate_text = if rate.mbps > 0 { format!("{} from ", format_rate(rate.mbps)) } else { "From ".to_owned() };
    let until = rate.to_ms.map(|to| format!(" to {}", format_utc(to))).unwrap_or_else(|| " on".to_owned());
    let mut charges = Vec::new();
    if rate.monthly.cents() != 0 {
        charges.push(format!("{} a month", rate.monthly));
    }
    if rate.hourly.cents() != 0 {
        charges.push(format!("{} an hour", rate.hourly));
    }
    if charges.is_empty() {
        charges.push("no recurring charge".to_owned());
    }
    format!("{rate_text}{}{until}: {}", format_utc(rate.from_ms), charges.join(" + "))
}
