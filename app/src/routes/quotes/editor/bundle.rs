//! The bundle a quote starts from: which tier, and each of its items kept or taken out, at the
//! rate the sales engineer picks.

use super::state::EditorState;
use crate::components::forms::TermSelect;
use leptos::prelude::*;
use lightpath_domain::recommend::{Bundle, Item};

#[component]
pub(super) fn BundleChoice(editor: EditorState, bundles: Vec<Bundle>) -> impl IntoView {
    view! {
        <fieldset class="tiers">
            <legend>"Bundle"</legend>
            {bundles
                .iter()
                .map(|bundle| {
                    let this = bundle.tier;
                    view! {
                        <label class="check">
                            <input
                                type="radio"
                                name="tier"
                                checked=move || editor.tier.get() == this
                                on:change=move |_| editor.choose_tier(this)
                            />
                            {format!(" {} · {} a month", bundle.tier.label(), bundle.monthly_estimate())}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
        <TermSelect id="quote-term".to_owned() term=editor.term />
    }
}

/// The chosen bundle's items.
#[component]
pub(super) fn BundleItems(editor: EditorState) -> impl IntoView {
    view! {
        <ul class="quote-lines">
            {move || {
                editor
                    .bundle()
                    .map(|bundle| {
                        bundle
                            .items
                            .into_iter()
                            .enumerate()
                            .map(|(index, item)| view! { <BundleItem editor index item /> })
                            .collect_view()
                    })
            }}
        </ul>
    }
}

#[component]
fn BundleItem(editor: EditorState, index: usize, item: Item) -> impl IntoView {
    let kept = move || !editor.removed.get().contains(&index);
    let rates = (item.alternatives.len() > 1).then(|| {
        let chosen = item.spec.option.clone();
        view! {
            <select
                aria-label=format!("Rate of {}", item.title)
                on:change=move |ev| editor.choose_rate(index, event_target_value(&ev))
            >
                {item
                    .alternatives
                    .iter()
                    .map(|(code, label)| {
                        let (this, chosen) = (code.clone(), chosen.clone());
                        view! {
                            <option value=code.clone() selected=move || editor.rate_of(index, &chosen) == this>
                                {label.clone()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
    });
    view! {
        <li class:removed=move || !kept()>
            <label class="check">
                <input
                    type="checkbox"
                    checked=kept
                    on:change=move |ev| editor.keep_item(index, event_target_checked(&ev))
                />
                {format!(" {}", item.title)}
            </label>
            {rates}
        </li>
    }
}
