//! The changes a service allows: another bandwidth, and disconnecting with the fee it costs.

use super::Change;
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

/// "1 Gbps from … to …: $140.38 a month + $0.25 an hour", naming only the charges it has.
/// The bandwidths the service can move to, each with its monthly price, the new price and any
/// early termination fee as the buyer picks one, and the button that orders the change.
#[component]
pub(super) fn BandwidthChange(
    choices: Vec<BandwidthChoice>,
    /// The option it runs at now.
    running: String,
    /// Its monthly price now.
    was: Option<Money>,
    picked: RwSignal<Option<String>>,
    problem: RwSignal<Option<String>>,
    change: Action<Change, Result<crate::server_fns::orders::OrderPlaced, AppError>>,
) -> impl IntoView {
    let picked_option = {
        let running = running.clone();
        move || picked.get().unwrap_or_else(|| running.clone())
    };
    let picked_choice = {
        let (choices, picked_option) = (choices.clone(), picked_option.clone());
        move || choices.iter().find(|choice| choice.option == picked_option()).cloned()
    };
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
        let (picked_option, running) = (picked_option.clone(), running.clone());
        move || picked_option() == running
    };
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
                        let (option, picked_option) = (choice.option.clone(), picked_option.clone());
                        view! {
                            <option value=choice.option.clone() selected=move || picked_option() == option>
                                {format!("{} · {} a month", choice.label, choice.monthly_estimate())}
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
}
