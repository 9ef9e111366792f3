//! Orders: the list, and one order with its items and a timeline that follows provisioning
//! while it runs.

use crate::components::form_action::{FormAction, PostForm};
use crate::components::format_utc;
use crate::components::layout::ProblemBanner;
use crate::components::layout::RecordHead;
use crate::components::layout::{mixes_organisations, organisation_column, DataTable, Empty, Loaded, Pager};
use crate::error::AppError;
use crate::routes::record_id;
use crate::server_fns::orders::{cancel_order, held_orders, list_orders, load_order, DecideHeldOrder};
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::order::OrderState;
use lightpath_domain::records::{OrderApproval, OrderEvent, OrderItemRecord, OrderRecord, OrderSummary};
use std::time::Duration;

/// How often an order that is still running is read again when no live event came: the
/// fallback if the event stream cannot be opened.
const REFRESH: Duration = Duration::from_millis(5_000);

fn state_badge(state: OrderState) -> impl IntoView {
    view! { <span class=format!("status order-{}", state.slug())>{state.label()}</span> }
}

#[component]
pub fn OrdersPage() -> impl IntoView {
    let page = crate::components::layout::page_from_query();
    let orders = Resource::new(page, |page| list_orders(Some(page)));
    view! {
        <Title text="Orders · Lightpath" />
        <section class="page-head">
            <h1>"Orders"</h1>
            <p class="lede">"Everything ordered for your organisation, and how far provisioning got."</p>
        </section>
        <Loaded
            rows=4
            data=orders
            empty=Empty {
                when: |listed| listed.items.is_empty() && listed.page == 0,
                title: "No orders yet",
                text: "Order a bundle from one of your designs and follow it here.",
                href: "/designs",
                action: "Your designs",
            }
            let:listed
        >
            {
                let mixed = mixes_organisations(listed.items.iter().map(|order| &order.organisation.id));
                view! {
                    <DataTable
                        columns=&[
                            ("Order", ""),
                            ("Organisation", "hide-narrow"),
                            ("State", ""),
                            ("Per month", "num"),
                            ("Placed", "hide-narrow"),
                        ]
                        without=organisation_column(mixed)
                    >
                        {listed.items.into_iter().map(|order| view! { <OrderRow order mixed /> }).collect_view()}
                    </DataTable>
                }
            }
            <Pager page=listed.page more=listed.more path="/orders" />
        </Loaded>
    }
}

/// One order in the list.
#[component]
fn OrderRow(order: OrderSummary, mixed: bool) -> impl IntoView {
    view! {
        <tr>
            <td>
                <a href=format!("/orders/{}", order.id)>{order.name.clone()}</a>
            </td>
            {mixed.then(|| view! { <td class="hide-narrow">{order.organisation.name.clone()}</td> })}
            <td>{state_badge(order.state)}</td>
            <td class="num">{order.totals.monthly_estimate().to_string()}</td>
            <td class="hide-narrow">{format_utc(order.created_at_ms)}</td>
        </tr>
    }
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let id = record_id();
    let tick = RwSignal::new(0u64);
    let order = Resource::new(move || (id(), tick.get()), |(id, _)| load_order(id));
    // A cancellation request reads the order again at once (kept here: the page is drawn
    // anew on each update, and a refusal must stay on screen).
    let cancel = Action::new_local(move |id: &String| {
        let asked = cancel_order(id.clone());
        async move {
            let answer = asked.await;
            if answer.is_ok() {
                tick.update(|n| *n += 1);
            }
            answer
        }
    });
    // Follow a running order live: every event on its stream reads the order again.
    Effect::new(move |started: Option<()>| {
        if started.is_none() {
            follow_events(id(), tick);
        }
    });
    // And, as a fallback, read it again every few seconds until it ends.
    Effect::new(move |_| {
        if let Some(Ok(record)) = order.get() {
            if !record.summary.state.is_terminal() {
                set_timeout(move || tick.update(|n| *n += 1), REFRESH);
            }
        }
    });
    // The page below is drawn anew on every update; this line stays, so screen readers hear
    // each change of the order's progress (set after hydration: the server renders it empty).
    let progress = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(record)) = order.get() {
            progress.set(progress_sentence(&record));
        }
    });
    view! {
        <p class="visually-hidden" role="status" data-testid="order-progress">
            {progress}
        </p>
        <Loaded data=order rows=5 let:record>
            {
                let order_id = record.summary.id.to_string();
                view! {
                    <OrderHead summary=record.summary cancel />
                    {record.approval.map(|approval| view! { <ApprovalPanel order_id approval /> })}
                }
            }
            <OrderItems items=record.items />
            <OrderTimeline events=record.events />
        </Loaded>
    }
}

/// The order's name, state and why it stopped, its price, and Cancel while it may be.
#[component]
fn OrderHead(summary: OrderSummary, cancel: Action<String, Result<(), AppError>>) -> impl IntoView {
    let cancel_problem =
        Signal::derive(move || cancel.value().get().and_then(|outcome| outcome.err()).map(|error| error.to_string()));
    let running = !summary.state.is_terminal();
    let cancellable = summary.state.may_become(OrderState::AssessingCancellation);
    let order_id = summary.id.to_string();
    view! {
        <RecordHead
            list=("/orders", "Orders")
            name=summary.name.clone()
            title=format!("Order {}", summary.name)
            eyebrow=summary.organisation.name.clone()
        >
            <p class="order-state" data-testid="order-state">
                {state_badge(summary.state)}
                {running.then(|| view! { <span class="muted">" · updates live"</span> })}
            </p>
            {summary
                .reason
                .clone()
                .map(|reason| {
                    let class = if matches!(summary.state, OrderState::Held | OrderState::Pending) {
                        "notice"
                    } else {
                        "form-problem"
                    };
                    view! {
                        <p class=class role="note" data-testid="order-reason">
                            {reason}
                        </p>
                    }
                })}
            {cancellable
                .then(|| {
                    view! {
                        <p class="actions">
                            <button
                                type="button"
                                class="button button-danger"
                                disabled=move || cancel.pending().get()
                                on:click=move |_| {
                                    if window()
                                        .confirm_with_message(
                                            "Cancel this order? Items not yet delivered are stopped and their capacity released. Items already in service stay under their term: to end one, disconnect it from its service page (its early termination fee applies).",
                                        )
                                        .unwrap_or(false)
                                    {
                                        cancel.dispatch(order_id.clone());
                                    }
                                }
                            >
                                "Cancel order"
                            </button>
                        </p>
                    }
                })}
            <ProblemBanner message=cancel_problem />
            {summary
                .purchase_order
                .clone()
                .map(|reference| {
                    view! { <p data-testid="purchase-order">{format!("Your purchase order: {reference}")}</p> }
                })}
            <p class="muted">
                {format!(
                    "{} a month · {} once · priced with price book v{} · placed {}",
                    summary.totals.monthly_estimate(),
                    summary.totals.one_time,
                    summary.price_book_version,
                    format_utc(summary.created_at_ms),
                )}
            </p>
        </RecordHead>
    }
}

/// An order waiting for a second member: Approve, and Reject with the reason, for a reader
/// who may decide, else why they may not. Plain forms: they work before (and without) the page's
/// code, add nothing to it, and the server answers with the order page as it is now.
#[component]
fn ApprovalPanel(order_id: String, approval: OrderApproval) -> impl IntoView {
    let OrderApproval { placed_by, reader_may_decide, reader_may_not } = approval;
    let body = if reader_may_decide {
        view! {
            <form method="post" action="/api/decide-pending-order" class="inline-form">
                <input type="hidden" name="id" value=order_id.clone() />
                <input type="hidden" name="approve" value="true" />
                <input type="hidden" name="comment" value="" />
                <button type="submit" class="button">
                    "Approve order"
                </button>
            </form>
            <form method="post" action="/api/decide-pending-order" class="stack-form">
                <input type="hidden" name="id" value=order_id />
                <input type="hidden" name="approve" value="false" />
                <div class="field">
                    <label for="approval-comment">{format!("Why reject it ({placed_by} reads this)")}</label>
                    <textarea id="approval-comment" name="comment" rows="2" maxlength="1000" required></textarea>
                </div>
                <button type="submit" class="button button-danger">
                    "Reject order"
                </button>
            </form>
        }
        .into_any()
    } else {
        view! { <p class="muted">{reader_may_not}</p> }.into_any()
    };
    view! {
        <section class="card approval" aria-labelledby="approval-heading" data-testid="approval">
            <h2 id="approval-heading">{format!("Waiting for approval · placed by {placed_by}")}</h2>
            {body}
        </section>
    }
}

/// Each item with its state, linked to its service once delivered.
#[component]
fn OrderItems(items: Vec<OrderItemRecord>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Items"</h2>
            <ul class="order-items">
                {items
                    .into_iter()
                    .map(|item| {
                        let title = match item.service_id {
                            Some(service) => {
                                view! {
                                    <a class="item-title" href=format!("/services/{service}")>
                                        {item.title}
                                    </a>
                                }
                                    .into_any()
                            }
                            None => view! { <span class="item-title">{item.title}</span> }.into_any(),
                        };
                        view! {
                            <li>
                                {title} {state_badge(item.state)}
                                {item.reason.map(|reason| view! { <p class="muted small">{reason}</p> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn OrderTimeline(events: Vec<OrderEvent>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Timeline"</h2>
            <ol class="timeline" aria-live="polite">
                {events
                    .into_iter()
                    .map(|event| {
                        view! {
                            <li class=format!("event event-{}", event.outcome)>
                                <time>{format_utc(event.at_ms)}</time>
                                <span>{event.message}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// What a screen reader hears when an order moves: its state, how many items are done and
/// the latest step ("Order in progress: 2 of 5 items completed. Latest: device configured at
/// Store 1.").
fn progress_sentence(record: &OrderRecord) -> String {
    let done = record.items.iter().filter(|item| item.state == OrderState::Completed).count();
    let latest = record.events.last().map(|event| format!(" Latest: {}.", event.message.trim_end_matches('.')));
    format!(
        "Order {}: {done} of {} items completed.{}",
        record.summary.state.label().to_lowercase(),
        record.items.len(),
        latest.unwrap_or_default()
    )
}

/// The admins' queue of orders held for a credit review: approve (it provisions at once) or
/// reject with a reason the buyer reads.
#[component]
pub fn HeldOrders() -> impl IntoView {
    let decide = FormAction::<DecideHeldOrder>::new();
    let decided = crate::components::forms::outcome(decide);
    let changes = crate::components::forms::count_successes(&[crate::components::forms::succeeded(decided)]);
    let page = crate::components::layout::page_from_query();
    let held = Resource::new(move || (changes.get(), page()), |(_, page)| held_orders(Some(page)));
    // A decision takes the order out of the list: focus goes to the queue's heading, and the
    // line under it says what happened, rather than falling to the page's body.
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let (Some(heading), true) = (heading.get(), changes.get() > 0) {
            let _ = heading.focus();
        }
    });
    view! {
        <section class="card" aria-labelledby="held-heading">
            <h2 id="held-heading" tabindex="-1" node_ref=heading>
                "Orders held for a credit review"
            </h2>
            <p class="muted">
                "Orders that would take their organisation over its credit limit. They reserve nothing until approved."
            </p>
            <p
                role="status"
                class=move || { if changes.get() > 0 { "form-success" } else { "" } }
                data-testid="held-said"
            >
                {move || (changes.get() > 0).then_some("Decision recorded: the order has left the queue.")}
            </p>
            <crate::components::forms::FormProblem outcome=decided />
            <Loaded data=held rows=2 let:listed>
                {
                    let (rows, page, more) = (listed.items, listed.page, listed.more);
                    if rows.is_empty() && page == 0 {
                        return view! { <p class="empty">"No order is held."</p> }.into_any();
                    }
                    view! {
                        <ul class="held-orders">
                            {rows
                                .into_iter()
                                .map(|row| {
                                    let id = row.id.to_string();
                                    let first_month = row.totals.monthly_estimate() + row.totals.one_time;
                                    let (approve_label, reject_label, why_label) = (
                                        format!("Approve {}", row.name),
                                        format!("Reject {}", row.name),
                                        format!("Why reject {}", row.name),
                                    );
                                    let (link, reject_id) = (format!("/orders/{id}"), format!("reject-{id}"));
                                    let (approve_id, reject_order_id) = (id.clone(), id);
                                    view! {
                                        <li class="held-order">
                                            <p>
                                                <a href=link>{row.name.clone()}</a>
                                                " · "
                                                <a href=format!(
                                                    "/orgs/{}",
                                                    row.organisation.id,
                                                )>{row.organisation.name.clone()}</a>
                                                {format!(
                                                    " · {first_month} in the first month · placed {}",
                                                    format_utc(row.created_at_ms),
                                                )}
                                            </p>
                                            <PostForm action=decide attr:class="inline-form">
                                                <input type="hidden" name="id" value=approve_id />
                                                <input type="hidden" name="approve" value="true" />
                                                <input type="hidden" name="comment" value="" />
                                                <button
                                                    type="submit"
                                                    class="button button-small"
                                                    aria-label=approve_label
                                                >
                                                    "Approve"
                                                </button>
                                            </PostForm>
                                            <PostForm action=decide attr:class="inline-form">
                                                <input type="hidden" name="id" value=reject_order_id />
                                                <input type="hidden" name="approve" value="false" />
                                                <label class="visually-hidden" for=reject_id.clone()>
                                                    {why_label}
                                                </label>
                                                <input
                                                    id=reject_id
                                                    name="comment"
                                                    placeholder="Why reject (the buyer reads this)"
                                                    required
                                                />
                                                <button
                                                    type="submit"
                                                    class="button button-small button-danger"
                                                    aria-label=reject_label
                                                >
                                                    "Reject"
                                                </button>
                                            </PostForm>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                        <crate::components::layout::Pager page more path="/approvals" />
                    }
                        .into_any()
                }
            </Loaded>
        </section>
    }
}

/// Opens the order's event stream; each event (and the end) bumps `tick`, which reads the
/// order again. The browser reconnects by itself after a server restart, sending the last
/// event id, so nothing is missed. The stream closes when the page goes away.
#[cfg(feature = "hydrate")]
fn follow_events(order: String, tick: RwSignal<u64>) {
    use futures_util::StreamExt;
    use gloo_net::eventsource::futures::EventSource;
    let Ok(mut source) = EventSource::new(&format!("/api/v1/orders/{order}/events")) else { return };
    let (Ok(messages), Ok(end)) = (source.subscribe("message"), source.subscribe("end")) else { return };
    // Dropping the source closes the connection: it lives as long as the page.
    let source = StoredValue::new_local(Some(source));
    on_cleanup(move || {
        source.try_update_value(|source| drop(source.take()));
    });
    leptos::task::spawn_local(async move {
        let mut events = futures_util::stream::select(messages, end);
        while let Some(Ok((kind, _))) = events.next().await {
            // The page may be gone by now: then there is nothing left to update.
            if tick.try_update(|n| *n += 1).is_none() || kind == "end" {
                source.try_update_value(|source| drop(source.take()));
                break;
            }
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn follow_events(_order: String, _tick: RwSignal<u64>) {}
