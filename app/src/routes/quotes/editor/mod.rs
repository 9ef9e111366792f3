//! The quote editor: a design's bundle and added catalog items, priced live in the browser with
//! the discount, validity and the margin.

mod added;
mod bundle;
mod state;
mod terms;

use crate::components::layout::Loaded;
use crate::routes::record_id_if_any;
use crate::server_fns::quotes::{quote_editor, EditorStart};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use added::{AddCatalogItem, AddedItems};
use bundle::{BundleChoice, BundleItems};
use state::EditorState;
use terms::QuotePrice;

#[component]
pub fn QuoteEditorPage() -> impl IntoView {
    let quote = record_id_if_any();
    let query = use_query_map();
    let start =
        Resource::new(move || (quote(), query.read().get("design")), |(quote, design)| quote_editor(design, quote));
    view! {
        <Title text="Quote editor · Lightpath" />
        <Loaded data=start rows=6 let:start>
            <Editor start />
        </Loaded>
    }
}

#[component]
fn Editor(start: EditorStart) -> impl IntoView {
    let editor = EditorState::new(&start);
    // A saved quote opens on its own page.
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(id) = editor.saved() {
            navigate(&format!("/quotes/{id}"), Default::default());
        }
    });
    let heading = if start.quote_id.is_some() { "Revise the quote" } else { "New quote" };
    let EditorStart { design_name, organisation, recommended, sites, .. } = start;
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/quotes">"Quotes"</a>
            " / "
            <span aria-current="page">{heading}</span>
        </nav>
        <section class="page-head">
            <p class="eyebrow">{organisation}</p>
            <h1>{heading}</h1>
            <p class="lede">
                {format!(
                    "From the design “{design_name}”: pick a bundle, change rates and the term, take items out, and give a discount. Prices are the current price book's.",
                )}
            </p>
        </section>
        <div class="quote-editor">
            <section class="card">
                <BundleChoice editor bundles=recommended.recommendation.bundles.clone() />
                <h2>"Items"</h2>
                <BundleItems editor />
                <AddedItems editor />
                <AddCatalogItem editor sites network=recommended.network />
            </section>
            <QuotePrice editor />
        </div>
    }
}
