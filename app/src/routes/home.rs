//! The home page: what Lightpath does, and a way in for each AI lifecycle stage.

use crate::components::layout::Skeleton;
use crate::server_fns::network::{load_network_facts, NetworkFacts};
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::money::group_thousands;
use lightpath_domain::LifecycleStage;

#[component]
pub fn HomePage() -> impl IntoView {
    let facts = Resource::new(|| (), |_| load_network_facts());
    view! {
        <Title text="Lightpath — network connectivity for AI" />
        <section class="hero">
            <p class="eyebrow">"Network-as-a-Service for AI workloads"</p>
            <h1>"Connect your AI, from data to inference, in minutes."</h1>
            <p class="lede">
                "Describe your workload — where data lands, where models train, where they serve — and "
                "Lightpath recommends the circuits, prices them on the spot, routes them over the "
                "carrier's fiber between metros, data centres and clouds, and provisions them while "
                "you watch. No weeks of emails."
            </p>
            <p class="actions">
                <a href="/catalog" class="button button-large">
                    "Start a design"
                </a>
                <a href="/network" class="button button-ghost button-large">
                    "See the network"
                </a>
            </p>
        </section>
        <section class="stage-grid" aria-labelledby="stages-title">
            <h2 id="stages-title">"Start from your AI lifecycle stage"</h2>
            <div class="grid grid-4">
                {LifecycleStage::ALL
                    .into_iter()
                    .map(|stage| {
                        view! {
                            <a
                                class=format!("card card-link stage-card tag-{}", stage.slug())
                                href=format!("/catalog?stage={}", stage.slug())
                            >
                                <h3>{stage.label()}</h3>
                                <p>{stage.need()}</p>
                                <span class="card-more">"See products →"</span>
                            </a>
                        }
                    })
                    .collect_view()}
            </div>
        </section>
        <Transition fallback=|| {
            view! { <Skeleton rows=1 /> }
        }>
            {move || Suspend::new(async move { facts.await.map(|facts| view! { <NetworkFactsView facts /> }) })}
        </Transition>
    }
}

/// The network in numbers.
#[component]
pub fn NetworkFactsView(facts: NetworkFacts) -> impl IntoView {
    let facts = [
        (facts.metros.to_string(), "metros with 100G/400G"),
        (facts.data_centres.to_string(), "connected data centres"),
        (facts.clouds.to_string(), "public clouds on-net"),
        (group_thousands(facts.route_km), "route-km of long-haul fiber"),
    ];
    view! {
        <section class="facts" aria-label="The network in numbers">
            {facts
                .into_iter()
                .map(|(number, label)| {
                    view! {
                        <div class="fact">
                            <strong>{number}</strong>
                            <span>{label}</span>
                        </div>
                    }
                })
                .collect_view()}
        </section>
    }
}
