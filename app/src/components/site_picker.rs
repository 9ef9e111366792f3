//! A labelled list of the network's sites grouped by metro: the wizard's site fields and the
//! product configurator's ends.

use crate::server_fns::network::SiteChoice;
use leptos::prelude::*;
use lightpath_domain::SiteKind;

/// A `<select>` of the sites of `kinds`, grouped by metro, with its problem below it.
#[component]
pub fn SitePicker(
    /// The element id; the problem's id is `{id}-error`.
    id: String,
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    set: Callback<String>,
    sites: StoredValue<Vec<SiteChoice>>,
    kinds: &'static [SiteKind],
    #[prop(into)] message: Signal<Option<String>>,
    #[prop(default = "Choose a site")] placeholder: &'static str,
) -> impl IntoView {
    let error_id = format!("{id}-error");
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
    view! {
        <div class="field" class:has-error=move || message.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <select
                id=id
                on:change=move |ev| set.run(event_target_value(&ev))
                aria-invalid=move || message.with(Option::is_some).to_string()
                aria-describedby=error_id.clone()
            >
                <option value="" selected=move || value.with(String::is_empty)>
                    {placeholder}
                </option>
                {groups}
            </select>
            <p class="field-error" id=error_id role="alert">
                {message}
            </p>
        </div>
    }
}
