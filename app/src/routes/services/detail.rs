//! One service's page: its path, utilisation and spend, and the changes it allows.

use crate::components::follow_order;
use crate::components::format_utc;
use crate::components::forms::RedirectNotice;
use crate::components::layout::ProblemBanner;
use crate::components::layout::RecordHead;
use crate::components::layout::{or_problem, Skeleton};
use crate::components::order_review::OrderFailure;
use crate::components::topology_map::TopologyMap;
use crate::error::AppError;
use crate::routes::record_id;
use crate::server_fns::network::{load_network, NetworkView};
use crate::server_fns::orders::OrderPlaced;
use crate::server_fns::services::{change_bandwidth, disconnect_service, load_service, ServicePage};
use leptos::prelude::*;
use lightpath_domain::network::format_millis;
use lightpath_domain::recommend::format_rate;
use lightpath_domain::records::{ServiceRecord, ServiceSummary};
use lightpath_domain::service::ServiceState;

use super::changes::{BandwidthChange, DisconnectConfirmation};
use super::Change;
use super::{every_few_seconds, state_badge};

#[component]
pub fn ServiceDetailPage() -> impl IntoView {
    let id = record_id();
    let tick = RwSignal::new(0u64);
    // The usage card's range is the `usage` query parameter (plain links on the card).
    let query = leptos_router::hooks::use_query_map();
    let range = move || query.read().get("usage");
    let service = Resource::new(move || (id(), range(), tick.get()), |(id, range, _)| load_service(id, range));
    let network = Resource::new(|| (), |_| load_network());
    every_few_seconds(tick);
    // One idempotency key per attempt, kept only for a retry after a network error.
    let key = StoredValue::new(None::<String>);
    // Where a refusal shows: a bandwidth change's on its review, a disconnect's below the page.
    let (failure, problem) = (OrderFailure::new(), RwSignal::new(None::<String>));
    let changing_bandwidth = StoredValue::new(false);
    let change = Action::new_local(move |change: &Change| {
        let change = change.clone();
        changing_bandwidth.set_value(matches!(change, Change::Bandwidth { .. }));
        let attempt = key.get_value().unwrap_or_else(|| {
            let fresh = crate::components::new_idempotency_key("change");
            key.set_value(Some(fresh.clone()));
            fresh
        });
        let service = id();
        async move {
            match change {
                Change::Bandwidth { option, monthly_cents, purchase_order } => {
                    change_bandwidth(service, option, monthly_cents, attempt, Some(purchase_order)).await
                }
                Change::Disconnect => disconnect_service(service, attempt).await,
            }
        }
    });
    // Kept here, not in the view, so the page's refresh every few seconds keeps what the buyer
    // picked and an open confirmation.
    let picked = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let edits = super::edits::CloudEdits::new(tick);
    follow_order(change, key, move |error| {
        if changing_bandwidth.get_value() {
            failure.show(error);
        } else {
            problem.set(Some(error.to_string()));
        }
        tick.update(|n| *n += 1);
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
                        view! {
                            <ServiceView
                                page
                                network=network.clone().ok()
                                change
                                problem
                                failure
                                picked
                                confirming
                                edits
                            />
                        }
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
    network: Option<NetworkView>,
    change: Action<Change, Result<OrderPlaced, AppError>>,
    problem: RwSignal<Option<String>>,
    failure: OrderFailure,
    /// The bandwidth picked (None: the one it runs at).
    picked: RwSignal<Option<String>>,
    /// The disconnect confirmation is open.
    confirming: RwSignal<bool>,
    /// A cloud connection's VLAN or a cloud router's filters being edited.
    edits: super::edits::CloudEdits,
) -> impl IntoView {
    let ServicePage {
        record,
        product_name,
        option_label,
        choices,
        can_change,
        termination,
        maintenance,
        usage_html,
        cloud_panel,
        router_panel,
    } = page;
    let summary = record.summary.clone();
    let changeable = can_change && summary.pending_order.is_none();
    let path = network.clone().filter(|_| !record.spans.is_empty() && summary.state != ServiceState::Terminated);
    let spans = record.spans.clone();
    let running = record.spec.option.clone();
    let was = choices.iter().find(|choice| choice.option == running).map(|choice| choice.monthly_estimate());
    view! {
        <ServiceHead summary=summary.clone() />
        <ServiceFigures summary=summary.clone() />
        {cloud_panel
            .map(|panel| {
                view! { <super::cloud::CloudConnectionPanel service=summary.id.to_string() panel edits /> }
            })}
        {router_panel
            .map(|panel| {
                view! { <super::router::CloudRouterPanel service=summary.id.to_string() panel can_change edits /> }
            })}
        <ServiceMaintenance notices=maintenance />
        <div class="service-grid">
            <ServiceFacts record=record.clone() product=format!("{product_name} · {option_label}") network />
        </div>
        <UsageCard html=usage_html />
        {path
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
                            .then(|| view! { <BandwidthChange choices running was picked failure change /> })}
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
        <ProblemBanner message=problem />
    }
}

/// Traffic in and out of the service, its 95th percentile and its path's latency over a
/// range, with its utilisation alert. The card's markup comes rendered with the page's data
/// (`usage::usage_html`): the browser's code only places it, so the chart, its table and the
/// alert's forms add nothing to this page's code.
#[component]
fn UsageCard(html: String) -> impl IntoView {
    view! {
        <section class="card usage" aria-labelledby="usage-heading" data-testid="usage">
            <h2 id="usage-heading">"Usage"</h2>
            <RedirectNotice key="alert" value="set" message="Alert set: it is judged on each new measurement." />
            <RedirectNotice key="alert" value="cleared" message="Alert removed." />
            <div class="usage-body" inner_html=html></div>
        </section>
    }
}

/// Outages and maintenance touching this service. Its own short list, not the dashboard's
/// component: a component both areas used put 8.4 KB of the account area's code on this page.
#[component]
fn ServiceMaintenance(notices: Vec<lightpath_app::model::network::MaintenanceLine>) -> impl IntoView {
    (!notices.is_empty()).then(|| {
        let heading = crate::components::notices_heading(&notices);
        view! {
            <section class="card" aria-labelledby="maintenance-heading" data-testid="maintenance" id="maintenance">
                <h2 id="maintenance-heading">{heading}</h2>
                <ul class="maintenance-list">
                    {notices
                        .into_iter()
                        .map(|notice| {
                            view! {
                                <li class="maintenance-notice" class:open=notice.open>
                                    <p>
                                        <strong>{notice.status}</strong>
                                        " · "
                                        {notice.heading}
                                    </p>
                                    <p>{notice.text}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}

/// The service's name and state, and the order of a change that is running.
#[component]
fn ServiceHead(summary: ServiceSummary) -> impl IntoView {
    view! {
        <RecordHead list=("/services", "Services") name=summary.title.clone() eyebrow=summary.organisation.name.clone()>
            <p data-testid="service-state">
                {state_badge(&summary)}
                {summary
                    .down
                    .then(|| {
                        view! {
                            <span class="muted">
                                " · an outage on its path: " <a href="#maintenance">"what happened"</a>
                            </span>
                        }
                    })}
                {summary
                    .pending_order
                    .map(|order| {
                        view! {
                            <span class="muted">
                                " · a change is running: "<a href=format!("/orders/{order}")>"follow its order"</a>
                            </span>
                        }
                    })}
            </p>
        </RecordHead>
    }
}

/// Bandwidth and spend at a glance.
#[component]
fn ServiceFigures(summary: ServiceSummary) -> impl IntoView {
    view! {
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
    }
}

/// What the service is, where it runs, its rates over time and the orders that made it.
#[component]
fn ServiceFacts(record: ServiceRecord, product: String, network: Option<NetworkView>) -> impl IntoView {
    let spans = match &network {
        _ if record.spans.is_empty() => "none: inside one metro or on our platform".to_owned(),
        Some(network) => network.span_names(&record.spans),
        None => record.spans.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
    };
    view! {
        <section class="card">
            <h2>"Service"</h2>
            <dl class="review">
                <dt>"Product"</dt>
                <dd>{product}</dd>
                <dt>"Term"</dt>
                <dd>{record.summary.term.label()}</dd>
                <dt>"Round trip"</dt>
                <dd>{record.round_trip_micros.map_or_else(|| "no long-haul path".to_owned(), format_millis)}</dd>
                <dt>"Spans"</dt>
                <dd>{spans}</dd>
                <dt>"In service since"</dt>
                <dd>{format_utc(record.summary.created_at_ms)}</dd>
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
    }
}

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
