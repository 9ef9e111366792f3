//! Catalog items added to a quote: configured as a buyer does on a product page, each with its
//! copies and a way to take it out.

use super::state::EditorState;
use crate::routes::configurator::ConfiguratorForm;
use crate::server_fns::configure::ConfiguratorData;
use crate::server_fns::network::{NetworkView, SiteChoice};
use leptos::prelude::*;
use lightpath_domain::configure::{Configuration, Placement, MAX_COUNT};
use lightpath_domain::pricing::Totals;

#[component]
pub(super) fn AddedItems(editor: EditorState) -> impl IntoView {
    view! {
        <Show when=move || editor.added.with(|a| !a.is_empty())>
            <h3>"Added from the catalog"</h3>
            <ul class="quote-lines added-items">
                // Drawn again when an item comes or goes, not on each change of copies: the
                // field being typed in keeps its focus.
                {move || {
                    (0..editor.added.with(Vec::len))
                        .map(|index| {
                            let (copies, fallback) = editor
                                .added
                                .with_untracked(|all| {
                                    let (config, _) = &all[index];
                                    (config.count, format!("{} {}", config.product, config.option))
                                });
                            view! { <AddedItem editor index copies fallback /> }
                        })
                        .collect_view()
                }}
            </ul>
        </Show>
    }
}

/// One added item: its title and price (or why it cannot be priced), its copies, Remove.
#[component]
fn AddedItem(editor: EditorState, index: usize, copies: u32, fallback: String) -> impl IntoView {
    let priced = move || editor.added_priced.with(|p| p.get(index).cloned());
    let title = move || match priced() {
        Some(Ok(items)) => items.first().map(|item| item.title.clone()).unwrap_or_default(),
        _ => fallback.clone(),
    };
    let price = move || match priced() {
        Some(Ok(items)) => {
            let totals: Totals = items.iter().map(|item| item.priced.totals).sum();
            format!("{} a month · {} once", totals.monthly_estimate(), totals.one_time)
        }
        Some(Err(message)) => message,
        None => String::new(),
    };
    let count_id = format!("added-count-{index}");
    view! {
        <li>
            <p class="item-title">{title}</p>
            <p class="muted" aria-live="polite">
                {price}
            </p>
            <div class="inline-form">
                <label for=count_id.clone()>"Copies"</label>
                <input
                    id=count_id
                    type="number"
                    min="1"
                    max=MAX_COUNT.to_string()
                    value=copies.to_string()
                    on:input=move |ev| editor.set_copies(index, event_target_value(&ev).trim().parse().unwrap_or(0))
                />
                <button
                    type="button"
                    class="button button-small button-ghost"
                    on:click=move |_| editor.remove_added(index)
                >
                    "Remove"
                </button>
            </div>
        </li>
    }
}

/// Picks a catalog product and configures it, the same way a buyer does on its page.
#[component]
pub(super) fn AddCatalogItem(editor: EditorState, sites: Vec<SiteChoice>, network: NetworkView) -> impl IntoView {
    let picked = RwSignal::new(String::new());
    let (catalog, full_book) = (editor.catalog, editor.full_book);
    let sellable = catalog.with_value(|products| {
        full_book.with_value(|book| {
            products
                .iter()
                .filter(|p| book.starting_price(p).is_some())
                .map(|p| (p.id.to_string(), p.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let data = StoredValue::new(ConfiguratorData {
        sites,
        network,
        can_order: false,
        designs: Vec::new(),
        routers: Vec::new(),
    });
    let on_add = Callback::new(move |entry: (Configuration, Placement)| {
        editor.added.update(|all| all.push(entry));
        picked.set(String::new());
    });
    view! {
        <details class="add-item">
            <summary>"Add an item from the catalog"</summary>
            <div class="field">
                <label for="add-product">"Product"</label>
                <select id="add-product" on:change=move |ev| picked.set(event_target_value(&ev))>
                    <option value="" selected=move || picked.with(String::is_empty)>
                        "Choose a product"
                    </option>
                    {sellable
                        .into_iter()
                        .map(|(id, name)| {
                            let this = id.clone();
                            view! {
                                <option value=id selected=move || picked.with(|p| *p == this)>
                                    {name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            {move || {
                let id = picked.get();
                let product = catalog.with_value(|products| products.iter().find(|p| p.id.as_str() == id).cloned())?;
                let mut book = full_book.get_value();
                book.lines.retain(|line| line.product == product.id);
                Some(
                    view! {
                        <div class="configurator">
                            <ConfiguratorForm product book data=data.get_value() on_add />
                        </div>
                    },
                )
            }}
        </details>
    }
}
