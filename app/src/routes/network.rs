//! The network page: every site by metro, and the fiber spans between metros.

use crate::components::layout::{DataTable, Skeleton};
use crate::components::network_explorer::NetworkExplorer;
use crate::error::AppError;
use crate::routes::home::NetworkFactsView;
use crate::server_fns::network::{load_network, NetworkFacts, NetworkView};
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::network::format_millis;
use lightpath_domain::{Site, SiteKind};

/// The network page. Lazy: its code (with the map) is a separate wasm chunk, which also asks
/// for its data, so the network's decoder is not in the first route's module.
pub fn network_page() -> AnyView {
    let network: Resource<Result<NetworkView, AppError>> = Resource::new(|| (), |_| load_network());
    view! {
        <Title text="Network · Lightpath" />
        <section class="page-head">
            <h1>"Network"</h1>
            <p class="lede">
                "The metros, data centres and cloud on-ramps Lightpath reaches, and the fiber between them. "
                <a href="/clouds">"Your cloud consoles (simulated)"</a>
            </p>
        </section>
        <Transition fallback=|| {
            view! { <Skeleton rows=6 /> }
        }>{move || Suspend::new(async move { network.await.map(detail) })}</Transition>
    }
    .into_any()
}

/// The network's details, the same for every visitor until a site or span changes: the server
/// renders them once per network and answers that markup, which the browser hydrates as
/// [`NetworkDetail`] (it renders them itself after a navigation).
#[cfg(feature = "ssr")]
fn detail(network: NetworkView) -> impl IntoView {
    leptos::tachys::html::InertElement::new(rendered::once(network))
}

#[cfg(not(feature = "ssr"))]
fn detail(network: NetworkView) -> impl IntoView {
    view! { <NetworkDetail network /> }
}

#[cfg(feature = "ssr")]
mod rendered {
    use super::{NetworkDetail, NetworkView};
    use leptos::prelude::*;
    use std::sync::{Arc, Mutex, PoisonError};

    /// The last network rendered and its markup.
    static LAST: Mutex<Option<(NetworkView, Arc<str>)>> = Mutex::new(None);

    /// [`NetworkDetail`]'s markup for `network`, rendered when the network differs from the
    /// last one (a comparison costs far less than a render: ~100 sites and 30 spans).
    pub(super) fn once(network: NetworkView) -> String {
        if let Some((last, html)) = LAST.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            if *last == network {
                return html.to_string();
            }
        }
        let html: Arc<str> = view! { <NetworkDetail network=network.clone() /> }.to_html().into();
        *LAST.lock().unwrap_or_else(PoisonError::into_inner) = Some((network, html.clone()));
        html.to_string()
    }
}

#[component]
fn NetworkDetail(network: NetworkView) -> impl IntoView {
    let metros: Vec<Site> = network.sites.iter().filter(|site| site.kind == SiteKind::Metro).cloned().collect();
    let name_of = {
        let metros = metros.clone();
        move |id: &lightpath_domain::SiteId| {
            metros.iter().find(|metro| &metro.id == id).map_or_else(|| id.to_string(), |metro| metro.name.clone())
        }
    };
    let mut metros_by_name = metros.clone();
    metros_by_name.sort_by(|a, b| a.name.cmp(&b.name));
    let metro_sections = metros_by_name
        .into_iter()
        .map(|metro| {
            let members: Vec<Site> = network
                .sites
                .iter()
                .filter(|site| site.metro == metro.id && site.kind != SiteKind::Metro)
                .cloned()
                .collect();
            let count = |kind| members.iter().filter(|site| site.kind == kind).count();
            let summary = format!(
                "{} data centres · {} cloud on-ramps",
                count(SiteKind::DataCenter),
                count(SiteKind::CloudOnRamp)
            );
            view! {
                <section class="card metro" id=format!("metro-{}", metro.id)>
                    <h3>{metro.name.clone()}</h3>
                    <p class="muted">{summary}</p>
                    <ul class="site-list">
                        {members
                            .into_iter()
                            .map(|site| {
                                view! {
                                    <li data-site=site.id.to_string()>
                                        <span class=format!("kind kind-{}", site.kind.slug())>{site.kind.label()}</span>
                                        <span class="site-name">{site.name.clone()}</span>
                                        <span class="muted">{format!("{} km to hub", site.access_km)}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view();
    let spans = network.spans.clone();
    view! {
        <NetworkFactsView facts=NetworkFacts::count(&network.sites, &network.spans) />
        <NetworkExplorer network=network.clone() />
        <h2>"Sites by metro"</h2>
        <div class="grid grid-3 metros">{metro_sections}</div>
        <h2 id="spans">"Fiber spans"</h2>
        <DataTable
            columns=&[
                ("Between", ""),
                ("Route km", "num"),
                ("One-way latency", "num"),
                ("Capacity", "num"),
                ("Fiber pairs", "num"),
            ]
            class="spans"
        >
            {spans
                .into_iter()
                .map(|span| {
                    view! {
                        <tr>
                            <th scope="row">{format!("{} – {}", name_of(&span.a), name_of(&span.z))}</th>
                            <td class="num">{span.route_km.to_string()}</td>
                            <td class="num">{format_millis(span.latency_micros())}</td>
                            <td class="num">{format!("{} × {}G", span.wavelengths, span.wavelength_gbps)}</td>
                            <td class="num">{span.fiber_pairs.to_string()}</td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::rendered;
    use crate::server_fns::network::NetworkView;
    use leptos::prelude::Owner;
    use lightpath_domain::network::Coordinates;
    use lightpath_domain::{Site, SiteId, SiteKind, Span};

    fn site(id: &str, kind: SiteKind, name: &str, metro: &str) -> Site {
        Site {
            id: SiteId::parse(id).unwrap(),
            kind,
            name: name.into(),
            metro: SiteId::parse(metro).unwrap(),
            location: Coordinates::new(40.0, -75.0).unwrap(),
            operator: None,
            access_km: 3,
        }
    }

    fn network(dc_name: &str) -> NetworkView {
        let id = |text| SiteId::parse(text).unwrap();
        NetworkView {
            sites: vec![
                site("nyc", SiteKind::Metro, "New York", "nyc"),
                site("chi", SiteKind::Metro, "Chicago", "chi"),
                site("nyc-dc-1", SiteKind::DataCenter, dc_name, "nyc"),
            ],
            spans: vec![Span {
                id: id("nyc-chi"),
                a: id("nyc"),
                z: id("chi"),
                route_km: 1442,
                wavelengths: 96,
                wavelength_gbps: 400,
                fiber_pairs: 48,
            }],
            map: vec![(id("nyc"), 860, 225), (id("chi"), 649, 234)],
        }
    }

    #[test]
    fn the_markup_is_rendered_again_when_the_network_changes() {
        Owner::new().with(|| {
            let first = rendered::once(network("Equinix NY5 Secaucus"));
            assert!(first.contains("Equinix NY5 Secaucus") && first.contains("New York – Chicago"), "{first}");
            assert_eq!(rendered::once(network("Equinix NY5 Secaucus")), first);
            let changed = rendered::once(network("Hudson Interxchange 60 Hudson"));
            assert!(changed.contains("Hudson Interxchange 60 Hudson") && !changed.contains("Equinix NY5"), "{changed}");
        });
    }
}
