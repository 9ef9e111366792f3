//! The quote editor: a design's bundle and added catalog items, priced live in the browser with
//! the discount, validity and the margin.

use crate::components::forms::TermSelect;
use crate::components::forms::{error_id, field_id, find_problem, problem_in, FieldProblems, FormField, TextField};
use crate::components::layout::Loaded;
use crate::components::layout::ProblemBanner;
use crate::error::AppError;
use crate::routes::configurator::ConfiguratorForm;
use crate::routes::record_id_if_any;
use crate::server_fns::configure::ConfiguratorData;
use crate::server_fns::quotes::{quote_editor, save_quote, EditorStart, QuoteInput, QuoteTerms};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use lightpath_domain::configure::{Configuration, Placement};
use lightpath_domain::pricing::Totals;
use lightpath_domain::quote::{format_discount, quote_items, Discount, COST_SHARE_BP, SALES_DISCOUNT_LIMIT_BP};
use lightpath_domain::recommend::Choice;

use super::margin_text;

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
    let EditorStart {
        design_id,
        design_name,
        organisation,
        recommended,
        quote_id,
        seen_version,
        choice,
        removed,
        terms: QuoteTerms { discount, validity_days, reason },
        catalog,
        book: full_book,
        sites,
        added,
    } = start;
    let added = RwSignal::new(added);
    let network = recommended.network.clone();
    let (catalog, full_book) = (StoredValue::new(catalog), StoredValue::new(full_book));
    // The added catalog items priced in the browser, each on the placement the server gave it.
    let added_priced = Memo::new(move |_| {
        added.with(|added| {
            added
                .iter()
                .map(|(config, placement)| {
                    catalog.with_value(|products| {
                        full_book.with_value(|book| {
                            lightpath_domain::configure::price(config, placement, products, book)
                                .map(|configured| configured.items)
                                .map_err(|problem| problem.message)
                        })
                    })
                })
                .collect::<Vec<_>>()
        })
    });
    let tier = RwSignal::new(choice.tier);
    let term = RwSignal::new(choice.term);
    let options = RwSignal::new(choice.options.clone());
    let removed = RwSignal::new(removed);
    let discount_text = RwSignal::new(discount);
    let validity = RwSignal::new(validity_days);
    let reason = RwSignal::new(reason);
    let recommendation = StoredValue::new(recommended.recommendation.clone());
    let (products, book) = (StoredValue::new(recommended.products.clone()), StoredValue::new(recommended.book.clone()));
    // The same pricing and quote lines as the server, in the browser, on every change.
    let priced = Memo::new(move |_| {
        let bundle = recommendation.with_value(|r| r.bundles.iter().find(|b| b.tier == tier.get()).cloned())?;
        let bundle =
            products.with_value(|p| book.with_value(|b| bundle.with_choices(p, b, term.get(), &options.get()))).ok()?;
        let discount = Discount::parse(&discount_text.get()).unwrap_or_default();
        let extra: Vec<_> = added_priced.get().into_iter().filter_map(Result::ok).flatten().collect();
        let (items, list, net) = catalog.with_value(|p| quote_items(&bundle, &removed.get(), &extra, discount, p));
        Some((bundle, items, list, net))
    });
    let discount_problem = move || Discount::parse(&discount_text.get()).err();
    let needs_approval = move || Discount::parse(&discount_text.get()).is_ok_and(Discount::needs_approval);
    let problems: FieldProblems = RwSignal::new(Vec::new());
    let save = Action::new_local(move |input: &QuoteInput| {
        let input = input.clone();
        async move { save_quote(input).await }
    });
    let navigate = use_navigate();
    let notice = RwSignal::new(None::<String>);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(id)) => navigate(&format!("/quotes/{id}"), Default::default()),
        Some(Err(AppError::Fields(fields))) => problems.set(fields),
        Some(Err(error)) => notice.set(Some(error.to_string())),
        None => {}
    });
    let bundles = recommended.recommendation.bundles.clone();
    let heading = if quote_id.is_some() { "Revise the quote" } else { "New quote" };
    let (design_for_save, quote_for_save) = (design_id.clone(), quote_id.clone());
    let submit = move |_| {
        problems.set(Vec::new());
        notice.set(None);
        save.dispatch(QuoteInput {
            design: design_for_save.clone(),
            quote: quote_for_save.clone(),
            seen_version,
            choice: Choice { tier: tier.get_untracked(), term: term.get_untracked(), options: options.get_untracked() },
            removed: removed.get_untracked(),
            added: added.get_untracked().into_iter().map(|(config, _)| config).collect(),
            discount: discount_text.get_untracked(),
            validity_days: validity.get_untracked(),
            reason: reason.get_untracked(),
        });
    };
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
                <fieldset class="tiers">
                    <legend>"Bundle"</legend>
                    {bundles
                        .iter()
                        .map(|bundle| {
                            let this = bundle.tier;
                            view! {
                                <label class="check">
                                    <input
                                        type="radio"
                                        name="tier"
                                        checked=move || tier.get() == this
                                        on:change=move |_| {
                                            tier.set(this);
                                            options.set(Vec::new());
                                            removed.set(Vec::new());
                                        }
                                    />
                                    {format!(" {} · {} a month", bundle.tier.label(), bundle.monthly_estimate())}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <TermSelect id="quote-term".to_owned() term />
                <h2>"Items"</h2>
                <ul class="quote-lines">
                    {move || {
                        let bundle = recommendation
                            .with_value(|r| r.bundles.iter().find(|b| b.tier == tier.get()).cloned());
                        bundle
                            .map(|bundle| {
                                bundle
                                    .items
                                    .into_iter()
                                    .enumerate()
                                    .map(|(index, item)| {
                                        let kept = move || !removed.get().contains(&index);
                                        let alternatives = item.alternatives.clone();
                                        view! {
                                            <li class:removed=move || !kept()>
                                                <label class="check">
                                                    <input
                                                        type="checkbox"
                                                        checked=kept
                                                        on:change=move |ev| {
                                                            let keep = event_target_checked(&ev);
                                                            removed
                                                                .update(|all| {
                                                                    all.retain(|at| *at != index);
                                                                    if !keep {
                                                                        all.push(index)
                                                                    }
                                                                });
                                                        }
                                                    />
                                                    {format!(" {}", item.title)}
                                                </label>
                                                {(alternatives.len() > 1)
                                                    .then(|| {
                                                        view! {
                                                            <select
                                                                aria-label=format!("Rate of {}", item.title)
                                                                on:change=move |ev| {
                                                                    let code = event_target_value(&ev);
                                                                    options
                                                                        .update(|all| {
                                                                            all.retain(|(at, _)| *at != index);
                                                                            all.push((index, code));
                                                                        });
                                                                }
                                                            >
                                                                {alternatives
                                                                    .into_iter()
                                                                    .map(|(code, label)| {
                                                                        let chosen = item.spec.option.clone();
                                                                        let this = code.clone();
                                                                        view! {
                                                                            <option
                                                                                value=code
                                                                                selected=move || {
                                                                                    options
                                                                                        .with(|all| {
                                                                                            all.iter()
                                                                                                .find(|(at, _)| *at == index)
                                                                                                .map_or(chosen == this, |(_, c)| *c == this)
                                                                                        })
                                                                                }
                                                                            >
                                                                                {label}
                                                                            </option>
                                                                        }
                                                                    })
                                                                    .collect_view()}
                                                            </select>
                                                        }
                                                    })}
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            })
                    }}
                </ul>
                <AddedItems added added_priced />
                <AddCatalogItem catalog full_book sites network added />
            </section>
            <section class="card quote-terms" aria-labelledby="quote-price">
                <h2 id="quote-price">"Price"</h2>
                <TextField
                    id=field_id("discount")
                    label="Discount (%)"
                    message=Signal::derive(move || {
                        discount_problem().or_else(|| find_problem(&problems.read(), "discount"))
                    })
                    bind=(discount_text.into(), Callback::new(move |text| discount_text.set(text)))
                    inputmode=Some("decimal")
                />
                <TextField
                    id=field_id("validity_days")
                    label="Valid for (days)"
                    message=problem_in(problems, "validity_days")
                    bind=(validity.into(), Callback::new(move |text| validity.set(text)))
                    inputmode=Some("numeric")
                />
                <FormField id=field_id("reason") label="Reason for the discount" message=problem_in(problems, "reason")>
                    <textarea
                        id=field_id("reason")
                        rows="3"
                        prop:value=reason
                        aria-describedby=error_id(&field_id("reason"))
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    ></textarea>
                </FormField>
                {move || {
                    priced
                        .get()
                        .map(|(_, items, list, net)| {
                            view! {
                                <dl class="review quote-totals" aria-live="polite">
                                    <dt>"List, a month"</dt>
                                    <dd>{list.monthly_estimate().to_string()}</dd>
                                    <dt>"Quoted, a month"</dt>
                                    <dd data-testid="quote-net">{net.monthly_estimate().to_string()}</dd>
                                    <dt>"One-time"</dt>
                                    <dd>{net.one_time.to_string()}</dd>
                                    <dt>"Items"</dt>
                                    <dd>{items.len()}</dd>
                                    <dt>"Estimated margin"</dt>
                                    <dd data-testid="quote-margin">
                                        {format!(
                                            "{} (at list price {})",
                                            margin_text(list, net),
                                            margin_text(list, list),
                                        )}
                                    </dd>
                                </dl>
                            }
                        })
                }}
                <p class="muted small">
                    {format!(
                        "Margin estimated with our cost at {} of list price. Discounts above {} need an admin's approval.",
                        format_discount(COST_SHARE_BP),
                        format_discount(SALES_DISCOUNT_LIMIT_BP),
                    )}
                </p>
                {move || {
                    needs_approval()
                        .then(|| {
                            view! {
                                <p class="notice" role="status">
                                    "This discount needs an admin's approval before the quote can be sent."
                                </p>
                            }
                        })
                }}
                <ProblemBanner message=notice />
                <p class="actions">
                    <button type="button" class="button" disabled=move || save.pending().get() on:click=submit>
                        "Save quote"
                    </button>
                    <a class="button button-ghost" href="/quotes">
                        "Back to quotes"
                    </a>
                </p>
            </section>
        </div>
    }
}

/// The catalog items added to the quote: each with its copies and a way to take it out.
#[component]
fn AddedItems(
    added: RwSignal<Vec<(Configuration, Placement)>>,
    added_priced: Memo<Vec<Result<Vec<lightpath_domain::recommend::Item>, String>>>,
) -> impl IntoView {
    view! {
        <Show when=move || added.with(|a| !a.is_empty())>
            <h3>"Added from the catalog"</h3>
            <ul class="quote-lines added-items">
                {move || {
                    added
                        .with(|all| {
                            all.iter()
                                .enumerate()
                                .map(|(index, (config, _))| {
                                    let priced = move || added_priced.with(|p| p.get(index).cloned());
                                    let title = move || match priced() {
                                        Some(Ok(items)) => {
                                            items.first().map(|item| item.title.clone()).unwrap_or_default()
                                        }
                                        _ => config_title(index, added),
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
                                    let count = config.count.to_string();
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
                                                    max=lightpath_domain::configure::MAX_COUNT.to_string()
                                                    value=count
                                                    on:input=move |ev| {
                                                        let copies = event_target_value(&ev)
                                                            .trim()
                                                            .parse()
                                                            .unwrap_or(0);
                                                        added
                                                            .update(|all| {
                                                                if let Some((config, _)) = all.get_mut(index) {
                                                                    config.count = copies;
                                                                }
                                                            });
                                                    }
                                                />
                                                <button
                                                    type="button"
                                                    class="button button-small button-ghost"
                                                    on:click=move |_| {
                                                        added
                                                            .update(|all| {
                                                                if index < all.len() {
                                                                    all.remove(index);
                                                                }
                                                            })
                                                    }
                                                >
                                                    "Remove"
                                                </button>
                                            </div>
                                        </li>
                                    }
                                })
                                .collect_view()
                        })
                }}
            </ul>
        </Show>
    }
}

fn config_title(index: usize, added: RwSignal<Vec<(Configuration, Placement)>>) -> String {
    added.with_untracked(|all| {
        all.get(index).map(|(config, _)| format!("{} {}", config.product, config.option)).unwrap_or_default()
    })
}

/// Picks a catalog product and configures it, the same way a buyer does on its page.
#[component]
fn AddCatalogItem(
    catalog: StoredValue<Vec<lightpath_domain::Product>>,
    full_book: StoredValue<lightpath_domain::PriceBook>,
    sites: Vec<crate::server_fns::network::SiteChoice>,
    network: crate::server_fns::network::NetworkView,
    added: RwSignal<Vec<(Configuration, Placement)>>,
) -> impl IntoView {
    let picked = RwSignal::new(String::new());
    let sellable = catalog.with_value(|products| {
        full_book.with_value(|book| {
            products
                .iter()
                .filter(|p| book.starting_price(p).is_some())
                .map(|p| (p.id.to_string(), p.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let data = StoredValue::new(ConfiguratorData { sites, network, can_order: false, designs: Vec::new() });
    let on_add = Callback::new(move |entry: (Configuration, Placement)| {
        added.update(|all| all.push(entry));
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
