//! A product page: what it is, how it is billed, and its prices at each term.

use crate::components::layout::Skeleton;
use crate::components::price_table::PriceTable;
use crate::components::stage_tags::StageTags;
use crate::server_fns::catalog::{load_product, ProductView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let product = Resource::new(id, load_product);
    view! {
        <Transition fallback=|| view! { <Skeleton rows=6 /> }>
            {move || Suspend::new(async move {
                let result = product.await;
                if let Err(error) = &result {
                    crate::set_http_status(error.status());
                }
                result.map(|view| view! { <ProductDetail view /> })
            })}
        </Transition>
    }
}

#[component]
fn ProductDetail(view: ProductView) -> impl IntoView {
    let ProductView { product, price_book } = view;
    view! {
        <Title text=format!("{} · Lightpath", product.name) />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/catalog">"Catalog"</a>
            " / "
            <span aria-current="page">{product.name.clone()}</span>
        </nav>
        <section class="page-head">
            <h1>{product.name.clone()}</h1>
            <p class="lede">{product.tagline.clone()}</p>
            <StageTags stages=product.stages.clone() />
        </section>
        <div class="product-layout">
            <section class="card">
                <h2>"What it is"</h2>
                <p>{product.description.clone()}</p>
                <h3>"How it is billed"</h3>
                <p>{product.billing.clone()}</p>
            </section>
            <section class="card prices-card" aria-labelledby="prices-title">
                <h2 id="prices-title">"Indicative prices"</h2>
                <p class="muted">
                    {format!("List prices in USD from “{}”, before any negotiated discount. ", price_book.name)}
                    "Distance-based items are priced on your route when you design."
                </p>
                <PriceTable product=product.clone() book=price_book />
            </section>
        </div>
    }
}
