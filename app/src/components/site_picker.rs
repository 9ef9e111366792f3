//! A labelled list of the network's sites grouped by metro: the wizard's site fields and the
//! product configurator's ends.

use crate::components::forms::{error_id, FieldMessage, FormField};
use crate::server_fns::network::SiteChoice;
use leptos::prelude::*;
use lightpath_domain::SiteKind;

/// A `<select>` of the sites of `kinds`, grouped by metro, with its problem below it.
#[component]
pub fn SitePicker(
    /// The element id (see [`field_id`](crate::components::forms::field_id)).
    id: String,
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    set: Callback<String>,
    sites: StoredValue<Vec<SiteChoice>>,
    kinds: &'static [SiteKind],
    message: FieldMessage,
    #[prop(default = "Choose a site")] placeholder: &'static str,
) -> impl IntoView {
    let error_id = error_id(&id);
    let mut metros: Vec<String> = Vec::new();
    sites.with_value(|all| {
        for site in all.iter().filter(|site| kinds.contains(&site.kind)) {
            if !metros.contains(&site.metro) {
                metros.push(site.metro.clone());
            }
        }
    });
    let groups = metros
        .into_iter()
        .map(|metro| {
            let options = sites.with_value(|all| {
                all.iter()
                    .filter(|site| kinds.contains(&site.kind) && site.metro == metro)
                    .map(|site| {
                        let id = site.id.to_string();
                        let selected = {
                            let id = id.clone();
                            move || value.with(|current| *current == id)
                        };
                        let label = if site.kind == SiteKind::Metro {
                            format!("{} (metro hub)", site.name)
                        } else {
                            site.name.clone()
                        };
                        view! {
                            <option value=id selected=selected>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()
            });
            view! { <optgroup label=metro>{options}</optgroup> }
        })
        .collect_view();
    let invalid = move || message.with(Option::is_some).to_string();
    view! {
        <FormField id=id.clone() label message>
            <select
                id=id
                on:change=move |ev| set.run(event_target_value(&ev))
                aria-invalid=invalid
                aria-describedby=error_id
            >
                <option value="" selected=move || value.with(String::is_empty)>
                    {placeholder}
                </option>
                {groups}
            </select>
        </FormField>
    }
}
