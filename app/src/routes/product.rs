//! A product page: what it is, how it is billed, and its prices at each term.

use crate::components::layout::RecordHead;
use crate::components::layout::Skeleton;
use crate::components::price_table::PriceTable;
use crate::components::stage_tags::StageTags;
use crate::error::AppError;
use crate::routes::configurator::Configurator;
use crate::routes::record_id;
use crate::server_fns::catalog::{load_product, ProductView};
use leptos::prelude::*;
use leptos_meta::Title;

/// The product page. Lazy: its code is a separate wasm chunk. Its data is asked for inside that
/// chunk, so the product's decoder is not in the first route's module (docs/benchmarks.md,
/// "Bundle budgets"); the server sends the data with the page on a first visit.
pub fn product_page() -> AnyView {
    let id = record_id();
    let product: Resource<Result<Option<ProductView>, AppError>> = Resource::new(id, load_product);
    view! {
        <Transition fallback=|| {
            view! { <Skeleton rows=6 /> }
        }>
            {move || Suspend::new(async move {
                let result = product.await;
                match &result {
                    Ok(None) => crate::set_http_status(404),
                    Err(error) => crate::set_http_status(error.status()),
                    Ok(Some(_)) => {}
                }
                result
                    .map(|found| match found {
                        Some(view) => view! { <ProductDetail view /> }.into_any(),
                        None => view! { <ProductNotFound id=id() /> }.into_any(),
                    })
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn ProductNotFound(id: String) -> impl IntoView {
    view! {
        <Title text="Product not found · Lightpath" />
        <section class="problem" role="alert">
            <p class="eyebrow">"404"</p>
            <h1>"We couldn’t find that product"</h1>
            <p>{format!("No product is called “{id}”. It may have been renamed or withdrawn.")}</p>
            <p class="actions">
                <a href="/catalog" class="button">
                    "Browse the catalog"
                </a>
            </p>
        </section>
    }
}

#[component]
fn ProductDetail(view: ProductView) -> impl IntoView {
    let ProductView { product, price_book } = view;
    let configurator = view! { <Configurator product=product.clone() book=price_book.clone() /> };
    let (tagline, stages) = (product.tagline.clone(), product.stages.clone());
    view! {
        <RecordHead list=("/catalog", "Catalog") name=product.name.clone()>
            <p class="lede">{tagline}</p>
            <StageTags stages />
        </RecordHead>
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
                    "Distance-based items are priced on your route below."
                </p>
                <PriceTable product=product.clone() book=price_book />
            </section>
        </div>
        {configurator}
    }
}
