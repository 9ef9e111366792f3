//! One quote with the actions its viewer may take: send, approve, accept, and its versions.

use crate::components::follow_order;
use crate::components::format_utc;
use crate::components::layout::Loaded;
use crate::components::layout::ProblemBanner;
use crate::components::layout::RecordHead;
use crate::components::order_review::{OrderFailure, Review, ReviewedOrder};
use crate::routes::record_id;
use crate::server_fns::network::NetworkView;
use crate::server_fns::quotes::{accept_quote, act_on_quote, load_quote, QuoteView};
use leptos::prelude::*;
use lightpath_domain::order_plan::Commitment;
use lightpath_domain::quote::{format_discount, CloudItemState, QuoteAction, QuotedCloudItem};
use lightpath_domain::records::{QuoteSummary, QuoteVersion};

use super::{margin_text, state_badge};

#[component]
pub fn QuotePage() -> impl IntoView {
    let id = record_id();
    let tick = RwSignal::new(0u64);
    let quote = Resource::new(move || (id(), tick.get()), |(id, _)| load_quote(id));
    // What the last action did: shown (and focused) under the actions of the redrawn quote.
    let said = RwSignal::new(None::<&'static str>);
    view! {
        <Loaded data=quote rows=6 let:view_data>
            <QuoteDetail view_data tick said />
        </Loaded>
    }
}

#[component]
fn QuoteDetail(view_data: QuoteView, tick: RwSignal<u64>, said: RwSignal<Option<&'static str>>) -> impl IntoView {
    let QuoteView { record, actions, can_revise, staff, network, commitment, cloud_items, can_order_cloud_items } =
        view_data;
    let summary = record.summary.clone();
    let Some(current) = record.current().cloned() else {
        return view! { <p class="form-problem">"This quote has no version."</p> }.into_any();
    };
    view! {
        <QuoteHead summary=summary.clone() current=current.clone() />
        <QuoteFigures current=current.clone() staff />
        <QuoteItems current=current.clone() staff />
        {(!cloud_items.is_empty())
            .then(|| {
                view! {
                    <QuoteCloudItems quote=summary.id.to_string() items=cloud_items can_order=can_order_cloud_items />
                }
            })}
        <QuoteActions
            id=summary.id.to_string()
            version=current.version
            actions
            can_revise
            tick
            said
            commitment
            network
        />
        {staff.then(|| view! { <QuoteVersions versions=record.versions /> })}
    }
    .into_any()
}

/// The quote's name, state, version and validity, the decision on its discount and the order
/// it placed.
#[component]
fn QuoteHead(summary: QuoteSummary, current: QuoteVersion) -> impl IntoView {
    view! {
        <RecordHead list=("/quotes", "Quotes") name=summary.name.clone() eyebrow=summary.organisation.name.clone()>
            <p data-testid="quote-state">
                {state_badge(summary.state)}
                <span class="muted">
                    {format!(
                        " · version {} · valid until {} · price book v{}",
                        current.version,
                        &format_utc(current.valid_until_ms)[..10],
                        current.price_book_version,
                    )}
                </span>
            </p>
            {summary
                .decision
                .map(|decision| {
                    view! {
                        <p class="notice" role="note">
                            {decision}
                        </p>
                    }
                })}
            {summary
                .order_id
                .map(|order| {
                    view! {
                        <p>
                            <a href=format!("/orders/{order}")>"Follow the order this quote placed"</a>
                        </p>
                    }
                })}
        </RecordHead>
    }
}

/// An accepted quote's cloud items: each waits for the buyer's cloud details (and is ordered
/// from its own page at its quoted price), is ordered, or lapsed.
#[component]
fn QuoteCloudItems(quote: String, items: Vec<QuotedCloudItem>, can_order: bool) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="cloud-items-title">
            <h2 id="cloud-items-title">"Waiting for your clouds' details"</h2>
            <p class="muted">
                "Accepting the quote ordered everything else. A cloud connection needs your AWS account id, ExpressRoute service key or Partner Interconnect pairing key, and a cloud router the metro it runs in: give them here to order each at its quoted price."
            </p>
            <ul class="cloud-items" data-testid="cloud-items">
                {items
                    .into_iter()
                    .map(|item| {
                        let href = format!("/quotes/{quote}/items/{}", item.position);
                        let (until_ms, order) = (
                            item.until_ms,
                            item.order.as_ref().map(ToString::to_string).unwrap_or_default(),
                        );
                        let status = match item.state {
                            CloudItemState::Waiting if can_order => {
                                view! {
                                    <a href=href>"Give the details and order"</a>
                                    {format!(" · quoted price held until {}", &format_utc(until_ms)[..10])}
                                }
                                    .into_any()
                            }
                            CloudItemState::Waiting => {
                                format!("Waiting for your details until {}", &format_utc(until_ms)[..10]).into_any()
                            }
                            CloudItemState::Ordered => {
                                view! { <a href=format!("/orders/{order}")>"Ordered: follow the order"</a> }.into_any()
                            }
                            CloudItemState::Lapsed => "Lapsed: not ordered within 30 days of the acceptance".into_any(),
                        };
                        view! {
                            <li>
                                <strong>{item.title}</strong>
                                {format!(" · {} a month · ", item.net.monthly_estimate())}
                                {status}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// A month, one-time, the discount, and (for staff) the margin.
#[component]
fn QuoteFigures(current: QuoteVersion, staff: bool) -> impl IntoView {
    view! {
        <div class="spend-cards">
            <div class="spend-card">
                <span class="muted">"A month"</span>
                <strong data-testid="quote-monthly">{current.net.monthly_estimate().to_string()}</strong>
            </div>
            <div class="spend-card">
                <span class="muted">"One-time"</span>
                <strong>{current.net.one_time.to_string()}</strong>
            </div>
            <div class="spend-card">
                <span class="muted">"Discount"</span>
                <strong data-testid="quote-discount">{format_discount(current.discount_bp)}</strong>
            </div>
            {staff
                .then(|| {
                    view! {
                        <div class="spend-card">
                            <span class="muted">"Estimated margin"</span>
                            <strong>{margin_text(current.list, current.net)}</strong>
                        </div>
                    }
                })}
        </div>
    }
}

/// The quoted items with their prices (staff also see list prices) and the reason for the
/// discount.
#[component]
fn QuoteItems(current: QuoteVersion, staff: bool) -> impl IntoView {
    let list_price = move |text: String| staff.then(|| view! { <td class="num hide-narrow">{text}</td> });
    view! {
        <section class="card">
            <h2>"Items"</h2>
            <div class="table-wrap" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Item"</th>
                            {staff
                                .then(|| {
                                    view! {
                                        <th scope="col" class="num hide-narrow">
                                            "List a month"
                                        </th>
                                    }
                                })}
                            <th scope="col" class="num">
                                "A month"
                            </th>
                            <th scope="col" class="num">
                                "One-time"
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        {current
                            .items
                            .iter()
                            .map(|item| {
                                let term = item.spec.as_ref().map(|spec| format!(" · {}", spec.term.label()));
                                view! {
                                    <tr>
                                        <td>
                                            {item.title.clone()}
                                            {term.map(|term| view! { <span class="muted small">{term}</span> })}
                                        </td>
                                        {list_price(item.list.monthly_estimate().to_string())}
                                        <td class="num">{item.net.monthly_estimate().to_string()}</td>
                                        <td class="num">{item.net.one_time.to_string()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row">"Total"</th>
                            {list_price(current.list.monthly_estimate().to_string())}
                            <td class="num">{current.net.monthly_estimate().to_string()}</td>
                            <td class="num">{current.net.one_time.to_string()}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
            {(staff && !current.reason.is_empty())
                .then(|| view! { <p class="muted">{format!("Reason for the discount: {}", current.reason)}</p> })}
        </section>
    }
}

/// What the viewer may do to the quote (send, approve, reject, accept, cancel) with a comment
/// for a decision, Revise, the printable quote and its CSV.
#[component]
fn QuoteActions(
    id: String,
    version: i64,
    actions: Vec<QuoteAction>,
    can_revise: bool,
    tick: RwSignal<u64>,
    said: RwSignal<Option<&'static str>>,
    /// What accepting commits to (for those who may accept).
    commitment: Option<Commitment>,
    network: NetworkView,
) -> impl IntoView {
    let comment = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    // A decision redraws the quote: focus lands on what it did, not on the page's body.
    let outcome = NodeRef::<leptos::html::P>::new();
    Effect::new(move |_| {
        if let (Some(outcome), true) = (outcome.get(), said.with(Option::is_some)) {
            let _ = outcome.focus();
        }
    });
    // The actions capture Copy handles only: an action's closure with anything to drop panics
    // when the server drops it on another thread.
    let quote = StoredValue::new(id.clone());
    // A decision taken reloads the quote; a refusal is shown.
    let act = Action::new_local({
        move |action: &QuoteAction| {
            let done = done_sentence(*action);
            let asked = act_on_quote(quote.get_value(), version, *action, comment.get_untracked());
            async move {
                match asked.await {
                    Ok(()) => {
                        comment.set(String::new());
                        said.set(Some(done));
                        tick.update(|n| *n += 1);
                    }
                    Err(error) => problem.set(Some(error.to_string())),
                }
            }
        }
    });
    let key = StoredValue::new(None::<String>);
    let accept = Action::new_local({
        move |reference: &String| {
            let attempt = key.get_value().unwrap_or_else(|| {
                let fresh = crate::components::new_idempotency_key("accept");
                key.set_value(Some(fresh.clone()));
                fresh
            });
            accept_quote(quote.get_value(), version, attempt, Some(reference.clone()))
        }
    });
    let failure = OrderFailure::new();
    follow_order(accept, key, move |error| failure.show(error));
    let commitment = StoredValue::new(commitment);
    let deciding = actions.iter().any(|action| matches!(action, QuoteAction::Approve | QuoteAction::Reject));
    let button = move |action: QuoteAction| {
        if action == QuoteAction::Accept {
            return view! {
                <ReviewedOrder
                    label="Accept and order"
                    disabled=Signal::derive(move || act.pending().get() || accept.pending().get())
                    review=Callback::new(move |()| commitment.get_value().map(Review::Order))
                    network=network.clone()
                    placing=accept.pending()
                    failure
                    on_place=Callback::new(move |reference| {
                        accept.dispatch(reference);
                    })
                />
            }
            .into_any();
        }
        let (label, class) = match action {
            QuoteAction::RequestApproval => ("Request approval", "button"),
            QuoteAction::Approve => ("Approve discount", "button"),
            QuoteAction::Reject => ("Reject discount", "button button-danger"),
            QuoteAction::Send => ("Send to customer", "button"),
            QuoteAction::Accept => ("Accept and order", "button"),
            QuoteAction::Cancel => ("Cancel quote", "button button-ghost"),
        };
        view! {
            <button
                type="button"
                class=class
                disabled=move || act.pending().get() || accept.pending().get()
                on:click=move |_| {
                    problem.set(None);
                    said.set(None);
                    act.dispatch(action);
                }
            >
                {label}
            </button>
        }
        .into_any()
    };
    view! {
        <section class="card quote-actions">
            <h2>"Actions"</h2>
            {deciding
                .then(|| {
                    view! {
                        <div class="field">
                            <label for="field-comment">"Comment for the sales engineer"</label>
                            <textarea
                                id="field-comment"
                                rows="2"
                                prop:value=comment
                                on:input=move |ev| comment.set(event_target_value(&ev))
                            ></textarea>
                        </div>
                    }
                })}
            // A <div>, not a <p>: "Accept and order" brings its review's <div>, which would
            // close a paragraph in the browser's parser and break hydration of a loaded page.
            <div class="actions">
                {actions.into_iter().map(button).collect_view()}
                {can_revise
                    .then(|| {
                        view! {
                            <a class="button button-ghost" href=format!("/quotes/{id}/edit")>
                                "Revise (new version)"
                            </a>
                        }
                    })} <a class="button button-ghost" href=format!("/quotes/{id}/print")>
                    "Printable quote"
                </a>
                <a class="button button-ghost" href=format!("/api/v1/quotes/{id}/lines.csv") rel="external" download>
                    "Download CSV"
                </a>
            </div>
            <ProblemBanner message=problem />
            {move || {
                said.get()
                    .map(|done| {
                        view! {
                            <p class="form-success" tabindex="-1" node_ref=outcome data-testid="quote-outcome">
                                {done}
                            </p>
                        }
                    })
            }}
        </section>
    }
}

/// What a quote action did, said once it is done.
fn done_sentence(action: QuoteAction) -> &'static str {
    match action {
        QuoteAction::RequestApproval => "Approval requested: an admin decides on the discount.",
        QuoteAction::Approve => "Discount approved: the quote can be sent.",
        QuoteAction::Reject => "Discount rejected: the sales engineer revises the quote.",
        QuoteAction::Send => "Sent to the customer.",
        QuoteAction::Accept => "Accepted and ordered.",
        QuoteAction::Cancel => "Quote cancelled.",
    }
}

/// Every version of the quote, newest first (staff only).
#[component]
fn QuoteVersions(versions: Vec<QuoteVersion>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Versions"</h2>
            <ol class="plain">
                {versions
                    .iter()
                    .rev()
                    .map(|version| {
                        view! {
                            <li>
                                {format!(
                                    "Version {} · {} · {} off · {} a month · by {}",
                                    version.version,
                                    format_utc(version.created_at_ms),
                                    format_discount(version.discount_bp),
                                    version.net.monthly_estimate(),
                                    version.created_by,
                                )}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
