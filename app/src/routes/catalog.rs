//! The catalog: every product, filtered by AI lifecycle stage in the browser. The filter is
//! in the address (`?stage=training`) so it can be shared; changing it is a client-side
//! navigation that re-filters the loaded list without asking the server again.

use crate::components::layout::Skeleton;
use crate::components::stage_tags::StageTags;
use crate::server_fns::catalog::{load_catalog, ProductCard};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use lightpath_domain::LifecycleStage;

#[component]
pub fn CatalogPage() -> impl IntoView {
    let catalog = Resource::new(|| (), |_| load_catalog());
    let query = use_query_map();
    let stage = Memo::new(move |_| query.read().get("stage").and_then(|slug| slug.parse::<LifecycleStage>().ok()));

    view! {
        <Title text="Catalog · Lightpath" />
        <section class="page-head">
            <h1>"Catalog"</h1>
            <p class="lede">"Every product you can design with, priced from the current price book."</p>
        </section>
        <StageFilter selected=stage />
        <Transition fallback=|| {
            view! { <Skeleton rows=4 /> }
        }>
            {move || Suspend::new(async move {
                catalog
                    .await
                    .map(|catalog| {
                        let cards = StoredValue::new(catalog.cards);
                        let visible = move || {
                            cards
                                .with_value(|cards| {
                                    cards
                                        .iter()
                                        .filter(|card| stage.get().is_none_or(|stage| card.stages.contains(&stage)))
                                        .cloned()
                                        .collect::<Vec<_>>()
                                })
                        };
                        view! {
                            <p class="muted result-count" aria-live="polite">
                                {move || match visible().len() {
                                    1 => "1 product".to_owned(),
                                    n => format!("{n} products"),
                                }}
                                " · prices from “"
                                {catalog.price_book_name.clone()}
                                "”"
                            </p>
                            <div class="grid grid-3 product-grid">
                                {move || {
                                    let cards = visible();
                                    if cards.is_empty() {
                                        view! {
                                            <p class="empty">
                                                "No product serves this stage yet. "
                                                <a href="/catalog">"Show all products"</a>
                                            </p>
                                        }
                                            .into_any()
                                    } else {
                                        cards
                                            .into_iter()
                                            .map(|card| view! { <ProductCardView card /> })
                                            .collect_view()
                                            .into_any()
                                    }
                                }}
                            </div>
                        }
                    })
            })}
        </Transition>
    }
}

#[component]
fn StageFilter(selected: Memo<Option<LifecycleStage>>) -> impl IntoView {
    let chip = move |label: &'static str, href: String, stage: Option<LifecycleStage>| {
        view! {
            <a class="chip" href=href aria-current=move || (selected.get() == stage).then_some("true")>
                {label}
            </a>
        }
    };
    view! {
        <nav class="filter" aria-label="Filter by AI lifecycle stage">
            {chip("All products", "/catalog".to_owned(), None)}
            {LifecycleStage::ALL
                .into_iter()
                .map(|stage| chip(stage.label(), format!("/catalog?stage={}", stage.slug()), Some(stage)))
                .collect_view()}
        </nav>
    }
}

#[component]
fn ProductCardView(card: ProductCard) -> impl IntoView {
    let href = format!("/products/{}", card.id);
    let from = card.starting_price.map(|price| {
        let per = format!("{} {}", price.unit.label(), price.charge.per()).trim().to_owned();
        view! {
            <p class="from">
                <span class="muted">"from "</span>
                <strong>{price.amount.to_string()}</strong>
                " "
                {per}
                <span class="muted">{format!(" · {}", price.term.phrase())}</span>
            </p>
        }
    });
    view! {
        <article class="card product-card" data-product=card.id>
            <h2>
                <a href=href.clone()>{card.name}</a>
            </h2>
            <p>{card.tagline}</p>
            <StageTags stages=card.stages />
            {from}
            <a class="card-more" href=href aria-hidden="true" tabindex="-1">
                "Options and prices →"
            </a>
        </article>
    }
}
