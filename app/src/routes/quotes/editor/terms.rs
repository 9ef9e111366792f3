//! The quote's commercial terms and what they come to: discount, validity, the reason, the
//! list and quoted totals with the margin, and the save.

use super::state::EditorState;
use crate::components::forms::{error_id, field_id, find_problem, problem_in, FormField, TextField};
use crate::components::layout::ProblemBanner;
use crate::routes::quotes::margin_text;
use leptos::prelude::*;
use lightpath_domain::quote::{format_discount, COST_SHARE_BP, SALES_DISCOUNT_LIMIT_BP};

#[component]
pub(super) fn QuotePrice(editor: EditorState) -> impl IntoView {
    let problems = editor.problems();
    view! {
        <section class="card quote-terms" aria-labelledby="quote-price">
            <h2 id="quote-price">"Price"</h2>
            <TextField
                id=field_id("discount")
                label="Discount (%)"
                message=Signal::derive(move || {
                    editor.discount_problem().or_else(|| find_problem(&problems.read(), "discount"))
                })
                bind=(editor.discount_text.into(), Callback::new(move |text| editor.discount_text.set(text)))
                inputmode=Some("decimal")
            />
            <TextField
                id=field_id("validity_days")
                label="Valid for (days)"
                message=problem_in(problems, "validity_days")
                bind=(editor.validity.into(), Callback::new(move |text| editor.validity.set(text)))
                inputmode=Some("numeric")
            />
            <FormField id=field_id("reason") label="Reason for the discount" message=problem_in(problems, "reason")>
                <textarea
                    id=field_id("reason")
                    rows="3"
                    prop:value=editor.reason
                    aria-describedby=error_id(&field_id("reason"))
                    on:input=move |ev| editor.reason.set(event_target_value(&ev))
                ></textarea>
            </FormField>
            <QuoteTotals editor />
            <p class="muted small">
                {format!(
                    "Margin estimated with our cost at {} of list price. Discounts above {} need an admin's approval.",
                    format_discount(COST_SHARE_BP),
                    format_discount(SALES_DISCOUNT_LIMIT_BP),
                )}
            </p>
            <Show when=move || editor.needs_approval()>
                <p class="notice" role="status">
                    "This discount needs an admin's approval before the quote can be sent."
                </p>
            </Show>
            <ProblemBanner message=editor.notice() />
            <p class="actions">
                <button type="button" class="button" disabled=move || editor.saving() on:click=move |_| editor.submit()>
                    "Save quote"
                </button>
                <a class="button button-ghost" href="/quotes">
                    "Back to quotes"
                </a>
            </p>
        </section>
    }
}

/// List and quoted prices, the item count and the margin, as priced in the browser.
#[component]
fn QuoteTotals(editor: EditorState) -> impl IntoView {
    move || {
        editor.priced.get().map(|(_, items, list, net)| {
            view! {
                <dl class="review quote-totals" aria-live="polite">
                    <dt>"List, a month"</dt>
                    <dd>{list.monthly_estimate().to_string()}</dd>
                    <dt>"Quoted, a month"</dt>
                    <dd data-testid="quote-net">{net.monthly_estimate().to_string()}</dd>
                    <dt>"One-time"</dt>
                    <dd>{net.one_time.to_string()}</dd>
                    <dt>"Items"</dt>
                    <dd>{items.len()}</dd>
                    <dt>"Estimated margin"</dt>
                    <dd data-testid="quote-margin">
                        {format!("{} (at list price {})", margin_text(list, net), margin_text(list, list))}
                    </dd>
                </dl>
            }
        })
    }
}
