//! The review every order from the portal goes through before it is placed: what the buyer
//! commits to, stated in full (each item's charges and term, the total over the terms, what
//! ending early costs, the lead time, the capacity held for them), an optional purchase-order
//! reference, and an explicit "Place order". Nothing is ordered until that button is pressed.

use crate::components::forms::{error_id, FormField};
use crate::components::layout::ProblemBanner;
use crate::error::AppError;
use crate::server_fns::network::NetworkView;
use crate::server_fns::services::BandwidthChoice;
use leptos::prelude::*;
use lightpath_domain::money::format_basis_points;
use lightpath_domain::order_plan::Commitment;
use lightpath_domain::recommend::format_rate;
use lightpath_domain::{Money, Term};

/// What a review states.
#[derive(Debug, Clone, PartialEq)]
pub enum Review {
    /// New services: what they commit to.
    Order(Commitment),
    /// Another bandwidth for a running service, from its price now (`was`).
    Bandwidth { choice: BandwidthChoice, was: Option<Money> },
}

/// The button that opens the review (`label`), and the review once open. Back (or Escape)
/// closes it and returns focus to the button; "Place order" hands the reference typed to
/// `on_place`. The reference is kept while the review is closed and opened again.
#[component]
pub fn ReviewedOrder(
    /// The opener's text ("Order now", "Accept and order").
    label: &'static str,
    #[prop(default = "button")] class: &'static str,
    /// The opener is disabled (nothing priced yet, or another request running).
    #[prop(into)]
    disabled: Signal<bool>,
    /// What ordering now commits to, computed as the review opens (None: nothing to order).
    review: Callback<(), Option<Review>>,
    /// Names the spans of the capacity held (their ids without it).
    #[prop(optional)]
    network: Option<NetworkView>,
    on_place: Callback<String>,
    #[prop(into)] placing: Signal<bool>,
    /// Where the last attempt's problem shows: beside the reference, or below Place order.
    failure: OrderFailure,
    /// Tells one review from another on a page with several (ids stay unique).
    #[prop(default = "order")]
    id: &'static str,
) -> impl IntoView {
    let reviewing = RwSignal::new(None::<Review>);
    let reference = RwSignal::new(String::new());
    let (opener, heading) = (NodeRef::<leptos::html::Button>::new(), NodeRef::<leptos::html::H3>::new());
    // Focus follows the person: onto the review's heading as it opens, back to the opener as
    // it closes.
    let closed = RwSignal::new(false);
    Effect::new(move |_| {
        if reviewing.with(Option::is_some) {
            if let Some(heading) = heading.get() {
                let _ = heading.focus();
            }
        } else if closed.get() {
            if let Some(button) = opener.get() {
                let _ = button.focus();
            }
            closed.set(false);
        }
    });
    let close = Callback::new(move |()| {
        closed.set(true);
        reviewing.set(None);
    });
    let network = StoredValue::new(network);
    view! {
        <button
            type="button"
            class=class
            node_ref=opener
            aria-expanded=move || reviewing.with(Option::is_some).to_string()
            aria-controls=format!("{id}-review")
            disabled=disabled
            on:click=move |_| {
                failure.clear();
                reviewing.set(review.run(()));
            }
        >
            {label}
        </button>
        <div id=format!(
            "{id}-review",
        )>
            {move || {
                reviewing
                    .get()
                    .map(|review| {
                        view! {
                            <OrderReview
                                review
                                network=network.get_value()
                                id
                                heading
                                reference
                                failure
                                placing
                                on_back=close
                                on_place
                            />
                        }
                    })
            }}
        </div>
    }
}

#[component]
fn OrderReview(
    review: Review,
    network: Option<NetworkView>,
    id: &'static str,
    heading: NodeRef<leptos::html::H3>,
    reference: RwSignal<String>,
    failure: OrderFailure,
    placing: Signal<bool>,
    on_back: Callback<()>,
    on_place: Callback<String>,
) -> impl IntoView {
    let (labelled_by, heading_id) = (format!("{id}-review-heading"), format!("{id}-review-heading"));
    let field = format!("{id}-purchase-order");
    view! {
        <section
            class="card order-review"
            aria-labelledby=labelled_by
            data-testid="order-review"
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    on_back.run(());
                }
            }
        >
            <h3 id=heading_id tabindex="-1" node_ref=heading>
                "Review your order"
            </h3>
            <p class="muted">"Nothing is ordered until you press Place order."</p>
            {match review {
                Review::Order(commitment) => view! { <CommitmentSummary commitment network /> }.into_any(),
                Review::Bandwidth { choice, was } => view! { <BandwidthSummary choice was /> }.into_any(),
            }}
            <FormField
                id=field.clone()
                label="Your purchase-order reference (optional)"
                hint="Shown on the order and on its invoices."
                message=failure.reference.into()
            >
                <input
                    id=field.clone()
                    type="text"
                    name="purchase_order"
                    maxlength="64"
                    autocomplete="off"
                    aria-describedby=error_id(&field)
                    prop:value=reference
                    on:input=move |ev| reference.set(event_target_value(&ev))
                />
            </FormField>
            <p class="actions">
                <button
                    type="button"
                    class="button"
                    data-testid="place-order"
                    disabled=move || placing.get()
                    on:click=move |_| {
                        failure.clear();
                        on_place.run(reference.get_untracked());
                    }
                >
                    {move || if placing.get() { "Placing the order…" } else { "Place order" }}
                </button>
                <button type="button" class="button button-ghost" on:click=move |_| on_back.run(())>
                    "Back"
                </button>
            </p>
            <ProblemBanner message=failure.problem />
        </section>
    }
}

/// The commitment in words and figures: per item and in total.
#[component]
pub fn CommitmentSummary(commitment: Commitment, network: Option<NetworkView>) -> impl IntoView {
    let reserved = if commitment.reserved.is_empty() {
        "No capacity on our long-haul spans.".to_owned()
    } else {
        commitment
            .reserved
            .iter()
            .map(|(span, mbps)| {
                let name = network
                    .as_ref()
                    .map_or_else(|| span.to_string(), |network| network.span_names(std::slice::from_ref(span)));
                format!("{} on {name}", format_rate(*mbps))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let fee = commitment.fee_at_start();
    view! {
        <ul class="plain review-items">
            {commitment
                .items
                .iter()
                .map(|item| {
                    let ending = if item.termination_share_bp == 0 {
                        "no commitment: stop any time".to_owned()
                    } else {
                        format!(
                            "ending early costs {} of the monthly charges left in the term",
                            format_basis_points(item.termination_share_bp),
                        )
                    };
                    view! {
                        <li>
                            <strong>{item.title.clone()}</strong>
                            <span class="muted">
                                {format!(
                                    " · {} · {} a month · {} once · {} over the term · {ending}",
                                    term_text(item.term),
                                    item.totals.monthly_estimate(),
                                    item.totals.one_time,
                                    item.over_term,
                                )}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <dl class="review" data-testid="commitment">
            <dt>"A month"</dt>
            <dd>{commitment.totals.monthly_estimate().to_string()}</dd>
            <dt>"One-time"</dt>
            <dd data-testid="commitment-one-time">{commitment.totals.one_time.to_string()}</dd>
            <dt>"Over the term"</dt>
            <dd data-testid="commitment-total">{format!("{}, one-time charges included", commitment.over_term)}</dd>
            <dt>"Ending early"</dt>
            <dd data-testid="commitment-fee">
                {if fee.cents() == 0 {
                    "No early termination fee.".to_owned()
                } else {
                    format!(
                        "Up to {fee} if everything is disconnected right after delivery; the fee shrinks as the term runs.",
                    )
                }}
            </dd>
            <dt>"Lead time"</dt>
            <dd>{commitment.lead_time_text()}</dd>
            <dt>"Capacity held for you"</dt>
            <dd>{reserved}</dd>
        </dl>
    }
}

/// A bandwidth change in full: the new rate and price, what is charged now, and what ending
/// the service early costs once the new rate is the commitment.
#[component]
fn BandwidthSummary(choice: BandwidthChoice, was: Option<Money>) -> impl IntoView {
    let price = match was {
        Some(was) => format!("{} (now {was})", choice.monthly_estimate()),
        None => choice.monthly_estimate().to_string(),
    };
    let now = match choice.termination {
        Some(fee) => {
            format!("{}: the early termination fee for going below the commitment ({}).", fee.fee, fee.explain())
        }
        None => "Nothing.".to_owned(),
    };
    let after = match choice.termination_after {
        Some(fee) => format!("{} if disconnected right after the change ({}).", fee.fee, fee.explain()),
        None => "No early termination fee: nothing of a committed term is left.".to_owned(),
    };
    view! {
        <dl class="review" data-testid="change-review">
            <dt>"New bandwidth"</dt>
            <dd>{choice.label.clone()}</dd>
            <dt>"A month"</dt>
            <dd>{price}</dd>
            <dt>"Charged once with the change"</dt>
            <dd>{now}</dd>
            <dt>"Ending early afterwards"</dt>
            <dd data-testid="fee-after-change">{after}</dd>
        </dl>
    }
}

fn term_text(term: Term) -> String {
    match term {
        Term::OnDemand => "on demand, by the hour".to_owned(),
        term => format!("{}-month term", term.months()),
    }
}

/// Where a failed order attempt shows: a problem with the reference beside its field, anything
/// else in a banner below the order button.
#[derive(Debug, Clone, Copy)]
pub struct OrderFailure {
    pub reference: RwSignal<Option<String>>,
    pub problem: RwSignal<Option<String>>,
}

impl OrderFailure {
    pub fn new() -> Self {
        OrderFailure { reference: RwSignal::new(None), problem: RwSignal::new(None) }
    }

    pub fn show(&self, error: AppError) {
        match error.message_for("purchase_order") {
            Some(message) => self.reference.set(Some(message)),
            None => self.problem.set(Some(error.to_string())),
        }
    }

    pub fn clear(&self) {
        self.reference.set(None);
        self.problem.set(None);
    }
}

impl Default for OrderFailure {
    fn default() -> Self {
        Self::new()
    }
}
