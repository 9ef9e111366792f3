//! The network explorer: pick two sites and a rate, and see the lowest-latency path (and a
//! diverse twin) drawn on the map and spelled out in words — or a sentence saying why not.

use crate::components::form_action::{FormAction, PostForm};
use crate::components::topology_map::TopologyMap;
use crate::server_fns::network::{FindRoute, NetworkView};
use leptos::prelude::*;
use lightpath_domain::money::group_thousands;
use lightpath_domain::network::format_millis;
use lightpath_domain::routing::Path;
use lightpath_domain::{Site, SiteKind, SpanId};

const RATES: [&str; 4] = ["1G", "10G", "100G", "400G"];

#[component]
pub fn NetworkExplorer(network: NetworkView) -> impl IntoView {
    let route = FormAction::<FindRoute>::new();
    let answer = route.value();
    let spans_of = move |twin: bool| {
        Signal::derive(move || {
            answer.with(|answer| match answer {
                Some(Ok(found)) if twin => found.twin.as_ref().map(|path| path.spans.clone()).unwrap_or_default(),
                Some(Ok(found)) => found.primary.spans.clone(),
                _ => Vec::<SpanId>::new(),
            })
        })
    };
    let sites = StoredValue::new(network.sites.clone());
    let (from_options, to_options) =
        (site_options(&network.sites, "nyc-dc-1"), site_options(&network.sites, "lax-dc-1"));
    let describe = move |label: &'static str, path: &Path| {
        let names: Vec<String> = sites.with_value(|sites| {
            path.sites
                .iter()
                .map(|id| {
                    sites.iter().find(|site| &site.id == id).map_or_else(|| id.to_string(), |site| site.name.clone())
                })
                .collect()
        });
        view! {
            <li>
                <strong>{label}</strong>
                " "
                {names.join(" → ")}
                <span class="muted">
                    {format!(
                        " · {} route-km · {} one way",
                        group_thousands(u64::from(path.route_km)),
                        format_millis(path.latency_micros),
                    )}
                </span>
            </li>
        }
    };

    view! {
        <section class="card route-finder" aria-labelledby="route-title">
            <h2 id="route-title">"Find a route"</h2>
            <PostForm action=route attr:class="route-form">
                <div class="field">
                    <label for="route-from">"From"</label>
                    <select id="route-from" name="from">
                        {from_options}
                    </select>
                </div>
                <div class="field">
                    <label for="route-to">"To"</label>
                    <select id="route-to" name="to">
                        {to_options}
                    </select>
                </div>
                <div class="field">
                    <label for="route-rate">"Rate"</label>
                    <select id="route-rate" name="rate">
                        {RATES
                            .map(|rate| {
                                view! {
                                    <option value=rate selected=rate == "100G">
                                        {rate}
                                    </option>
                                }
                            })}
                    </select>
                </div>
                <label class="check">
                    <input type="checkbox" name="diverse" value="yes" />
                    "Diverse pair (no shared span)"
                </label>
                <button type="submit" class="button" disabled=move || route.pending().get()>
                    {move || if route.pending().get() { "Finding…" } else { "Find route" }}
                </button>
            </PostForm>
            <div class="route-result" aria-live="polite">
                {move || match answer.get() {
                    None => view! { <p class="muted">"Routes avoid spans without enough free capacity."</p> }.into_any(),
                    Some(Err(error)) => {
                        view! {
                            <p class="form-error" role="alert">
                                {error.to_string()}
                            </p>
                        }
                            .into_any()
                    }
                    Some(Ok(found)) => {
                        view! {
                            <ul class="paths">
                                {describe("Primary", &found.primary)}
                                {found.twin.as_ref().map(|twin| describe("Diverse twin", twin))}
                            </ul>
                            <p class="muted">{format!("At {}.", found.rate)}</p>
                        }
                            .into_any()
                    }
                }}
            </div>
        </section>
        <TopologyMap network highlight=spans_of(false) twin=spans_of(true) />
    }
}

/// Every site, grouped by metro (the hub first), with `selected` chosen.
fn site_options(sites: &[Site], selected: &str) -> impl IntoView {
    let mut metros: Vec<&Site> = sites.iter().filter(|site| site.kind == SiteKind::Metro).collect();
    metros.sort_by(|a, b| a.name.cmp(&b.name));
    metros
        .into_iter()
        .map(|metro| {
            let members = sites
                .iter()
                .filter(|site| site.metro == metro.id)
                .map(|site| {
                    let label = if site.kind == SiteKind::Metro {
                        format!("{} (metro hub)", site.name)
                    } else {
                        site.name.clone()
                    };
                    view! {
                        <option value=site.id.to_string() selected=site.id.as_str() == selected>
                            {label}
                        </option>
                    }
                })
                .collect_view();
            view! { <optgroup label=metro.name.clone()>{members}</optgroup> }
        })
        .collect_view()
}
