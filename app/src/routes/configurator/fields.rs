//! The configurator's fields: the sites, the option, the term, the copies, the quantities the
//! price needs and the diverse choice. Each writes the form and shows its own problem.

use super::state::ConfiguratorState;
use crate::components::forms::{error_id, FormField, TermSelect};
use crate::components::site_picker::SitePicker;
use leptos::prelude::*;
use lightpath_domain::catalog::{Ends, ProductOption};
use lightpath_domain::configure::{unit_noun, MAX_COUNT};
use lightpath_domain::{PriceUnit, SiteKind, Term};

/// The sites a product can be delivered at, as the pickers offer them.
const SELLABLE: &[SiteKind] = &[SiteKind::DataCenter, SiteKind::CloudOnRamp, SiteKind::Metro];

#[component]
pub fn ConfiguratorFields(
    state: ConfiguratorState,
    sites: StoredValue<Vec<crate::server_fns::network::SiteChoice>>,
    /// What the buyer chooses (one per rate for a product priced by distance band).
    options: Vec<ProductOption>,
    /// The product is priced by the distance band of its route, which follows the ends.
    banded: bool,
    terms: Vec<Term>,
    /// One connection, no copies or diverse twin (a cloud connection).
    #[prop(default = false)]
    single: bool,
) -> impl IntoView {
    let first_label = if state.ends == Ends::Two { "From" } else { "Site" };
    let routed = state.ends == Ends::Two;
    let entered = move || state.form.amounts.with(|amounts| amounts.iter().map(|(unit, _)| *unit).collect::<Vec<_>>());
    view! {
        <div class="configurator-fields">
            {(state.ends != Ends::None)
                .then(|| {
                    view! {
                        <SitePicker
                            id="configure-a_end".to_owned()
                            label=first_label
                            value=state.form.a_end
                            set={Callback::new(move |v| state.form.a_end.set(v))}
                            sites
                            kinds=SELLABLE
                            message={state.problem_at("a_end")}
                        />
                    }
                })}
            {routed
                .then(|| {
                    view! {
                        <SitePicker
                            id="configure-z_end".to_owned()
                            label="To"
                            value=state.form.z_end
                            set={Callback::new(move |v| state.form.z_end.set(v))}
                            sites
                            kinds=SELLABLE
                            message={state.problem_at("z_end")}
                        />
                    }
                })} <OptionField state options banded />
            <TermSelect
                id="configure-term".to_owned()
                term=state.form.term
                terms=terms
                message=state.problem_at("term")
            />
            {(!single)
                .then(|| {
                    view! {
                        <FormField id="configure-count".to_owned() label="Copies" message=state.problem_at("count")>
                            <input
                                id="configure-count"
                                type="number"
                                inputmode="numeric"
                                min="1"
                                max=MAX_COUNT.to_string()
                                prop:value=move || state.form.count.get()
                                aria-describedby=error_id("configure-count")
                                aria-invalid=move || state.problem_at("count").with(Option::is_some).to_string()
                                on:input=move |ev| state.form.count.set(event_target_value(&ev))
                            />
                        </FormField>
                    }
                })} <For each=entered key=|unit| *unit let:unit>
                <AmountField state unit />
            </For>
            {(routed && !single)
                .then(|| {
                    view! {
                        <label class="checkbox">
                            <input
                                type="checkbox"
                                prop:checked=move || state.form.diverse.get()
                                on:change=move |ev| state.form.diverse.set(event_target_checked(&ev))
                            />
                            " A second, diverse path (no shared span)"
                        </label>
                    }
                })}
        </div>
    }
}

/// The quantity of one unit the price needs (racks, kW, cross-connects…), kept as typed.
#[component]
fn AmountField(state: ConfiguratorState, unit: PriceUnit) -> impl IntoView {
    let id = format!("configure-amount-{}", unit.slug());
    let message = state.problem_at(&format!("amount-{}", unit.slug()));
    let amounts = state.form.amounts;
    let typed =
        move || amounts.with(|a| a.iter().find(|(u, _)| *u == unit).map(|(_, t)| t.clone()).unwrap_or_default());
    view! {
        <FormField id=id.clone() label=unit_noun(unit) message>
            <input
                id=id.clone()
                type="number"
                inputmode="numeric"
                min="1"
                aria-describedby=error_id(&id)
                aria-invalid=move || message.with(Option::is_some).to_string()
                prop:value=typed
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    amounts
                        .update(|a| {
                            if let Some(entry) = a.iter_mut().find(|(u, _)| *u == unit) {
                                entry.1 = text;
                            }
                        });
                }
            />
        </FormField>
    }
}

/// The option (or, for a product priced by distance band, the rate) to configure. The band
/// itself follows the route and is stated; a product whose options are only bands asks nothing.
#[component]
fn OptionField(state: ConfiguratorState, options: Vec<ProductOption>, banded: bool) -> impl IntoView {
    let band_note = "The distance band follows the route between the ends: metro inside one metro, longer haul beyond.";
    if options.is_empty() {
        return view! {
            <p class="hint" id="configure-option">
                {band_note}
            </p>
        }
        .into_any();
    }
    let label = if banded { "Bandwidth" } else { "Option" };
    view! {
        <FormField
            id="configure-option".to_owned()
            label=label
            hint=if banded { band_note } else { "" }
            message=state.problem_at("option")
        >
            <select
                id="configure-option"
                aria-describedby=error_id("configure-option")
                aria-invalid=move || state.problem_at("option").with(Option::is_some).to_string()
                on:change=move |ev| state.form.option.set(event_target_value(&ev))
            >
                {options
                    .into_iter()
                    .map(|option| {
                        let code = option.code.clone();
                        let selected = move || state.form.option.with(|current| *current == code);
                        view! {
                            <option value=option.code.clone() selected=selected>
                                {option.label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </FormField>
    }
    .into_any()
}
