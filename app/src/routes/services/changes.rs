//! The changes a service allows: another bandwidth, and disconnecting with the fee it costs.

use super::Change;
use crate::components::order_review::{OrderFailure, Review, ReviewedOrder};
use crate::error::AppError;
use crate::server_fns::services::BandwidthChoice;
use leptos::prelude::*;
use lightpath_domain::Money;

/// The disconnect button, and the confirmation it opens: what stops and, before anything is
/// ordered, the early termination fee the buyer is about to pay.
#[component]
pub(super) fn DisconnectConfirmation(
    termination: Option<lightpath_domain::service::EarlyTermination>,
    change: Action<Change, Result<crate::server_fns::orders::OrderPlaced, AppError>>,
    confirming: RwSignal<bool>,
) -> impl IntoView {
    let (keep_button, opener) = (NodeRef::<leptos::html::Button>::new(), NodeRef::<leptos::html::Button>::new());
    // Set when the person closes the panel, so focus goes back to the button that opened it.
    let closed = RwSignal::new(false);
    let close = move || {
        closed.set(true);
        confirming.set(false);
    };
    // Keyboard and screen-reader users land on the safe choice as the panel opens (a second
    // Enter must never charge a fee), and back on the opener when it closes.
    Effect::new(move |_| {
        if confirming.get() {
            if let Some(button) = keep_button.get() {
                let _ = button.focus();
            }
        } else if closed.get() {
            if let Some(button) = opener.get() {
                let _ = button.focus();
                closed.set(false);
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
                        node_ref=opener
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
                on:keydown=move |event| {
                    if event.key() == "Escape" {
                        close();
                    }
                }
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
                        disabled=move || change.pending().get()
                        on:click=move |_| {
                            change.dispatch(Change::Disconnect);
                        }
                    >
                        {confirm_label}
                    </button>
                    <button type="button" class="button button-ghost" node_ref=keep_button on:click=move |_| close()>
                        "Keep the service"
                    </button>
                </p>
            </div>
        }
        .into_any()
    }
}

/// The bandwidths the service can move to, each with its monthly price; the new price, any fee
/// charged now and what ending early costs after the change as the buyer picks one; and the
/// review that orders it.
#[component]
pub(super) fn BandwidthChange(
    choices: Vec<BandwidthChoice>,
    /// The option it runs at now.
    running: String,
    /// Its monthly price now.
    was: Option<Money>,
    picked: RwSignal<Option<String>>,
    failure: OrderFailure,
    change: Action<Change, Result<crate::server_fns::orders::OrderPlaced, AppError>>,
) -> impl IntoView {
    let choices = StoredValue::new(choices);
    let running = StoredValue::new(running);
    let picked_option = move || picked.get().unwrap_or_else(|| running.get_value());
    let picked_choice =
        move || choices.with_value(|choices| choices.iter().find(|choice| choice.option == picked_option()).cloned());
    let new_price = move || picked_choice().map(|choice| price_sentence(&choice, was));
    let unchanged = move || running.with_value(|running| picked_option() == *running);
    view! {
        <h2 id="change-heading">"Change bandwidth"</h2>
        <div class="field">
            <label for="field-bandwidth">"New bandwidth"</label>
            <select
                id="field-bandwidth"
                aria-describedby="new-price"
                on:change=move |ev| {
                    picked.set(Some(event_target_value(&ev)));
                    failure.clear();
                }
            >
                {choices
                    .get_value()
                    .into_iter()
                    .map(|choice| {
                        let option = choice.option.clone();
                        view! {
                            <option value=choice.option.clone() selected=move || picked_option() == option>
                                {format!("{} · {} a month", choice.label, choice.monthly_estimate())}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="hint" id="new-price" data-testid="new-price" aria-live="polite">
                {new_price}
            </p>
        </div>
        <div class="actions">
            <ReviewedOrder
                label="Order bandwidth change"
                id="bandwidth"
                disabled=Signal::derive(move || unchanged() || change.pending().get())
                review=Callback::new(move |()| picked_choice().map(|choice| Review::Bandwidth { choice, was }))
                placing=change.pending()
                failure
                on_place=Callback::new(move |purchase_order| {
                    if let Some(choice) = picked_choice() {
                        let monthly_cents = choice.monthly_estimate().cents();
                        change
                            .dispatch(Change::Bandwidth {
                                option: choice.option,
                                monthly_cents,
                                purchase_order,
                            });
                    }
                })
            />
        </div>
    }
}

/// The new price beside the old, the fee a cut below the commitment costs now, and what
/// ending the service costs once the new rate is the commitment.
fn price_sentence(choice: &BandwidthChoice, was: Option<Money>) -> String {
    let price = match was {
        Some(was) if choice.monthly_estimate() != was => {
            format!("New price: {} a month (now {was}).", choice.monthly_estimate())
        }
        _ => format!("{} a month: the rate it runs at now.", choice.monthly_estimate()),
    };
    let now = choice.termination.map(|fee| {
        format!(
            " Going below the committed rate during the term costs a one-time early termination fee of about {}: {}.",
            fee.fee,
            fee.explain()
        )
    });
    let after = match (choice.termination_after, choice.monthly_estimate() == was.unwrap_or_default()) {
        (_, true) => String::new(),
        (Some(fee), false) => format!(" After the change, ending the service early would cost up to {}.", fee.fee),
        (None, false) => String::new(),
    };
    format!("{price}{}{after}", now.unwrap_or_default())
}
