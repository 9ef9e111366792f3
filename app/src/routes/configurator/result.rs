//! The configurator's answer: the price and the path (or what to choose or change first), and
//! what the buyer can do with it — order it now, keep it in a design, ask for a quote, or add it
//! to the quote being edited.

use super::state::ConfiguratorState;
use crate::components::follow_order;
use crate::components::forms::{Done, Notice};
use crate::components::order_review::{OrderFailure, Review, ReviewedOrder};
use crate::components::price_table::BreakdownTable;
use crate::error::AppError;
use crate::server_fns::configure::{keep_configuration, order_configuration};
use crate::server_fns::network::NetworkView;
use leptos::prelude::*;
use lightpath_domain::catalog::Ends;
use lightpath_domain::configure::{Configuration, Configured, Placement};
use lightpath_domain::network::format_millis;
use lightpath_domain::pricing::Totals;
use lightpath_domain::Money;

/// The price of the configuration, or why there is none yet.
#[component]
pub fn PriceOrHint(state: ConfiguratorState, network: StoredValue<NetworkView>) -> impl IntoView {
    let routed = state.ends == Ends::Two;
    move || match state.priced.get() {
        None if state.place.pending().get() => view! { <p class="muted">"Finding the route…"</p> }.into_any(),
        None => view! {
            <p class="muted">
                {if routed {
                    "Choose both ends to see the route and the price."
                } else {
                    "Choose the site to see the price."
                }}
            </p>
        }
        .into_any(),
        Some(Err(_)) => view! { <p class="muted">"Change what is marked to see a price."</p> }.into_any(),
        Some(Ok(configured)) => view! { <ConfiguredPrice configured placement=state.placement network /> }.into_any(),
    }
}

/// What the viewer can do with a priced configuration: add it to the quote being edited
/// (`on_add`), or order it and keep it (a member of a customer organisation).
#[component]
pub fn ConfiguratorActions(
    state: ConfiguratorState,
    on_add: Option<Callback<(Configuration, Placement)>>,
    can_order: bool,
    designs: Vec<(String, String)>,
    network: NetworkView,
    cloud: Option<super::CloudOrder>,
) -> impl IntoView {
    let priced = state.is_priced();
    match on_add {
        Some(add) => view! {
            <div class="actions">
                <button
                    type="button"
                    class="button"
                    disabled=move || !priced.get()
                    on:click=move |_| {
                        if let Some(Ok(placement)) = state.placement.get_untracked() {
                            add.run((state.configuration.get_untracked(), placement));
                        }
                    }
                >
                    "Add to the quote"
                </button>
            </div>
        }
        .into_any(),
        None if can_order => view! {
            <OrderNow state network cloud />
            {cloud.is_none().then(|| view! { <KeepActions configuration=state.configuration priced designs /> })}
        }
        .into_any(),
        None => view! {
            <p class="muted">
                "Orders are placed by a customer organisation's technical members and admins; Lightpath staff order for customers through quotes."
            </p>
        }
        .into_any(),
    }
}

/// "Order now", at the price shown, through the review of what it commits to. One
/// idempotency key per attempt: a double click or a retry after a lost answer sends the same
/// key and places one order.
#[component]
fn OrderNow(state: ConfiguratorState, network: NetworkView, cloud: Option<super::CloudOrder>) -> impl IntoView {
    let order_key = StoredValue::new(None::<String>);
    let order = Action::new_local(move |input: &(Configuration, Totals, String)| {
        let (config, totals, reference) = input.clone();
        let key = order_key.get_value().unwrap_or_else(|| {
            let key = crate::components::new_idempotency_key("configure");
            order_key.set_value(Some(key.clone()));
            key
        });
        let (details, router) = match cloud {
            Some(cloud) => {
                cloud.refused.set(None);
                match cloud.router {
                    Some(router) => (None, Some(router.get_untracked())),
                    None => (Some(cloud.form.get_untracked()), None),
                }
            }
            None => (None, None),
        };
        order_configuration(config, key, totals, Some(reference), details, router)
    });
    let failure = OrderFailure::new();
    follow_order(order, order_key, move |error| {
        if let Some(cloud) = cloud {
            cloud.refused.set(Some(error.clone()));
        }
        failure.show(error)
    });
    let priced = state.is_priced();
    view! {
        <div class="actions">
            <ReviewedOrder
                label="Order now"
                disabled=Signal::derive(move || order.pending().get() || !priced.get())
                review=Callback::new(move |()| state.commitment().map(Review::Order))
                network
                placing=order.pending()
                failure
                on_place=Callback::new(move |reference: String| {
                    if let Some(Ok(configured)) = state.priced.get_untracked() {
                        order.dispatch((state.configuration.get_untracked(), configured.totals, reference));
                    }
                })
            />
        </div>
    }
}

/// "Add to a design" (a new one or one of the organisation's) and "Request a quote": the
/// configured item is kept in a design, next to what its workload recommends.
#[component]
fn KeepActions(
    configuration: Memo<Configuration>,
    priced: Signal<bool>,
    designs: Vec<(String, String)>,
) -> impl IntoView {
    let target = RwSignal::new(String::new());
    let navigate = crate::components::Navigator::new();
    let notice = RwSignal::new(None::<Result<Done, String>>);
    // A kept item opens its design; a quote request stays here and says where it went.
    let keep = Action::new_local(move |input: &(Configuration, Option<String>, bool)| {
        let (config, design, quote) = input.clone();
        let asked = keep_configuration(config, design, quote);
        async move {
            match asked.await {
                Ok(saved) if saved.intent == lightpath_domain::design::DesignIntent::QuoteRequested => {
                    notice.set(Some(Ok(Done {
                        message: "Sent to our sales engineers: they will pick it up and send you a quote.".to_owned(),
                        href: format!("/designs/{}", saved.id),
                        link: "Open the design",
                    })))
                }
                Ok(saved) => navigate.go(&format!("/designs/{}", saved.id)),
                Err(error) => notice.set(Some(Err(error.to_string()))),
            }
        }
    });
    let disabled = move || keep.pending().get() || !priced.get();
    view! {
        <div class="keep-actions">
            <div class="field">
                <label for="configure-design">"Keep it in"</label>
                <select id="configure-design" on:change=move |ev| target.set(event_target_value(&ev))>
                    <option value="">"A new design"</option>
                    {designs.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                </select>
            </div>
            <div class="actions">
                {[("Add to a design", false), ("Request a quote", true)]
                    .into_iter()
                    .map(|(label, quote)| {
                        view! {
                            <button
                                type="button"
                                class="button button-ghost"
                                disabled=disabled
                                on:click=move |_| {
                                    notice.set(None);
                                    let design = (!quote).then(|| target.get_untracked());
                                    keep.dispatch((configuration.get_untracked(), design, quote));
                                }
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <Notice notice />
        </div>
    }
}

#[component]
fn ConfiguredPrice(
    configured: Configured,
    placement: Memo<Option<Result<Placement, AppError>>>,
    network: StoredValue<NetworkView>,
) -> impl IntoView {
    let Configured { items, totals, lead_days } = configured;
    let ends = placement
        .with_untracked(|p| p.as_ref().and_then(|r| r.as_ref().ok()).map(|p| p.ends.clone()).unwrap_or_default());
    view! {
        <p class="bundle-price">
            <span class="amount" data-testid="configured-monthly">
                {totals.monthly_estimate().to_string()}
            </span>
            " a month"
        </p>
        <p class="muted bundle-sub">
            {format!("{} once", totals.one_time)}
            {(totals.hourly > Money::ZERO).then(|| format!(" · includes {} an hour on demand", totals.hourly))}
            {format!(
                " · lead time {}",
                if lead_days == 0 { "minutes".to_owned() } else { format!("{lead_days} days") },
            )}
        </p>
        {(!ends.is_empty())
            .then(|| {
                view! {
                    <ul class="end-checks">
                        {ends
                            .into_iter()
                            .map(|end| {
                                view! {
                                    <li>
                                        <span class=format!(
                                            "status status-{}",
                                            end.status.slug(),
                                        )>{end.status.label()}</span>
                                        " "
                                        {end.reason}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })}
        <ol class="bundle-items">
            {items
                .into_iter()
                .map(|item| {
                    view! {
                        <li class="bundle-item" class:twin=item.twin>
                            <p class="item-title">{item.title.clone()}</p>
                            {item
                                .path
                                .as_ref()
                                .map(|path| {
                                    view! {
                                        <p class="item-reason" data-testid="configured-path">
                                            {format!(
                                                "{} route-km · {} round trip · via {}",
                                                lightpath_domain::money::group_thousands(u64::from(path.route_km)),
                                                format_millis(path.latency_micros * 2),
                                                if path.spans.is_empty() {
                                                    "the metro".to_owned()
                                                } else {
                                                    network.with_value(|network| network.span_names(&path.spans))
                                                },
                                            )}
                                        </p>
                                    }
                                })}
                            <BreakdownTable lines=item.priced.lines.clone() />
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
