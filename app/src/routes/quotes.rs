//! Quotes: the list (sales engineers start quotes from designs here), the quote editor with
//! live pricing and margin, one quote with the actions its viewer may take, the printable
//! quote, and the admins' approval queue.

use crate::components::format_utc;
use crate::components::forms::{error_id, field_id, find_problem, problem_in, FieldProblems, FormField, TextField};
use crate::components::layout::{or_problem, EmptyState, Skeleton};
use crate::components::topology_map::TopologyMap;
use crate::error::AppError;
use crate::routes::configurator::ConfiguratorForm;
use crate::routes::{record_id, record_id_if_any};
use crate::server_fns::configure::ConfiguratorData;
use crate::server_fns::quotes::{
    accept_quote, act_on_quote, list_quotes, load_quote, pending_approvals, quote_editor, save_quote, EditorStart,
    QuoteInput, QuoteView,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use lightpath_domain::configure::{Configuration, Placement};
use lightpath_domain::pricing::Totals;
use lightpath_domain::quote::{
    format_discount, margin_bp, quote_items, Discount, QuoteAction, QuoteState, COST_SHARE_BP, SALES_DISCOUNT_LIMIT_BP,
};
use lightpath_domain::recommend::Choice;
use lightpath_domain::records::QuoteSummary;
use lightpath_domain::Term;

const DAY_MS: i64 = 86_400_000;

fn state_badge(state: QuoteState) -> impl IntoView {
    view! { <span class=format!("status quote-{}", state.slug())>{state.label()}</span> }
}

fn margin_text(list: Totals, net: Totals) -> String {
    margin_bp(list.monthly_estimate(), net.monthly_estimate()).map_or_else(
        || "no recurring price".to_owned(),
        |bp| format!("{}{}.{} %", if bp < 0 { "−" } else { "" }, bp.abs() / 100, bp.abs() % 100 / 10),
    )
}

fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        leptos::web_sys::js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
    }
}

#[component]
pub fn QuotesPage() -> impl IntoView {
    let page = crate::components::layout::page_from_query();
    let quotes = Resource::new(page, |page| list_quotes(Some(page), None));
    let state_filter = RwSignal::new(String::new());
    let organisation_filter = RwSignal::new(String::new());
    let expiring = RwSignal::new(false);
    view! {
        <Title text="Quotes · Lightpath" />
        <section class="page-head">
            <h1>"Quotes"</h1>
            <p class="lede">"Priced offers for customer organisations, with their versions, discounts and validity."</p>
        </section>
        <Transition fallback=|| {
            view! { <Skeleton rows=4 /> }
        }>
            {move || Suspend::new(async move {
                or_problem(
                    quotes.await,
                    move |view_data| {
                        let start = view_data
                            .can_build
                            .then(|| {
                                let designs = view_data.designs.clone();
                                let picked = RwSignal::new(
                                    designs.first().map(|d| d.id.to_string()).unwrap_or_default(),
                                );
                                view! {
                                    <section class="card quote-start">
                                        <h2>"Start a quote"</h2>
                                        {if designs.is_empty() {
                                            view! {
                                                <p class="muted">
                                                    "No customer has saved a design yet. Quotes start from a saved design."
                                                </p>
                                            }
                                                .into_any()
                                        } else {
                                            view! {
                                                <div class="field-row align-end">
                                                    <div class="field">
                                                        <label for="quote-design">"From the design"</label>
                                                        <select
                                                            id="quote-design"
                                                            on:change=move |ev| picked.set(event_target_value(&ev))
                                                        >
                                                            {designs
                                                                .into_iter()
                                                                .map(|design| {
                                                                    view! {
                                                                        <option value=design
                                                                            .id
                                                                            .to_string()>
                                                                            {format!(
                                                                                "{} · {}{}",
                                                                                design.organisation.name,
                                                                                design.name,
                                                                                if design.intent
                                                                                    == lightpath_domain::design::DesignIntent::QuoteRequested
                                                                                {
                                                                                    " (quote requested)"
                                                                                } else {
                                                                                    ""
                                                                                },
                                                                            )}
                                                                        </option>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </select>
                                                    </div>
                                                    <a
                                                        class="button"
                                                        href=move || format!("/quotes/new?design={}", picked.get())
                                                    >
                                                        "Quote this design"
                                                    </a>
                                                </div>
                                            }
                                                .into_any()
                                        }}
                                    </section>
                                }
                            });
                        let mut organisations: Vec<(String, String)> = view_data
                            .quotes
                            .items
                            .iter()
                            .map(|quote| (quote.organisation.id.to_string(), quote.organisation.name.clone()))
                            .collect();
                        organisations.sort_by(|a, b| a.1.cmp(&b.1));
                        organisations.dedup();
                        let all = view_data.quotes.items.clone();
                        let (page, more) = (view_data.quotes.page, view_data.quotes.more);
                        let shown = move || {
                            let now = now_ms();
                            all.iter()
                                .filter(|quote| {
                                    state_filter.with(|state| state.is_empty() || quote.state.slug() == state)
                                })
                                .filter(|quote| {
                                    organisation_filter
                                        .with(|wanted| wanted.is_empty() || quote.organisation.id.as_str() == wanted)
                                })
                                .filter(|quote| {
                                    !expiring.get()
                                        || (quote.valid_until_ms >= now && quote.valid_until_ms - now <= 7 * DAY_MS
                                            && !quote.state.is_final())
                                })
                                .cloned()
                                .collect::<Vec<QuoteSummary>>()
                        };
                        let staff = view_data.can_build;
                        view! {
                            {start}
                            {if view_data.quotes.items.is_empty() && page == 0 {
                                view! {
                                    <EmptyState
                                        title="No quotes yet"
                                        text="Quotes your sales engineer sends you appear here; request one from a saved design."
                                        href="/designs"
                                        action="Your designs"
                                    />
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <div class="filters" role="group" aria-label="Filter quotes">
                                        <div class="field">
                                            <label for="quote-state">"State"</label>
                                            <select
                                                id="quote-state"
                                                on:change=move |ev| state_filter.set(event_target_value(&ev))
                                            >
                                                <option value="">"Every state"</option>
                                                {QuoteState::ALL
                                                    .into_iter()
                                                    .map(|state| {
                                                        view! { <option value=state.slug()>{state.label()}</option> }
                                                    })
                                                    .collect_view()}
                                            </select>
                                        </div>
                                        {(organisations.len() > 1)
                                            .then(|| {
                                                view! {
                                                    <div class="field">
                                                        <label for="quote-organisation">"Organisation"</label>
                                                        <select
                                                            id="quote-organisation"
                                                            on:change=move |ev| {
                                                                organisation_filter.set(event_target_value(&ev))
                                                            }
                                                        >
                                                            <option value="">"Every organisation"</option>
                                                            {organisations
                                                                .clone()
                                                                .into_iter()
                                                                .map(|(id, name)| {
                                                                    view! { <option value=id>{name}</option> }
                                                                })
                                                                .collect_view()}
                                                        </select>
                                                    </div>
                                                }
                                            })}
                                        <label class="check">
                                            <input
                                                type="checkbox"
                                                on:change=move |ev| expiring.set(event_target_checked(&ev))
                                            />
                                            " Expiring within 7 days"
                                        </label>
                                    </div>
                                    <div class="table-wrap" tabindex="0">
                                        <table class="data-table">
                                            <thead>
                                                <tr>
                                                    <th scope="col">"Quote"</th>
                                                    <th scope="col" class="hide-narrow">
                                                        "Organisation"
                                                    </th>
                                                    <th scope="col">"State"</th>
                                                    <th scope="col" class="num hide-narrow">
                                                        "Discount"
                                                    </th>
                                                    <th scope="col" class="num">
                                                        "Per month"
                                                    </th>
                                                    <th scope="col" class="hide-narrow">
                                                        "Valid until"
                                                    </th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {move || {
                                                    let rows = shown();
                                                    if rows.is_empty() {
                                                        return view! {
                                                            <tr>
                                                                <td colspan="6" class="muted">
                                                                    "No quote matches these filters."
                                                                </td>
                                                            </tr>
                                                        }
                                                            .into_any();
                                                    }
                                                    rows.into_iter()
                                                        .map(|quote| {
                                                            view! {
                                                                <tr>
                                                                    <td>
                                                                        <a href=format!(
                                                                            "/quotes/{}",
                                                                            quote.id,
                                                                        )>{quote.name.clone()}</a>
                                                                        <span class="muted small">
                                                                            {format!(" · v{}", quote.version)}
                                                                        </span>
                                                                    </td>
                                                                    <td class="hide-narrow">
                                                                        {quote.organisation.name.clone()}
                                                                    </td>
                                                                    <td>{state_badge(quote.state)}</td>
                                                                    <td class="num hide-narrow">
                                                                        {format_discount(quote.discount_bp)}
                                                                    </td>
                                                                    <td class="num">
                                                                        {quote.net.monthly_estimate().to_string()}
                                                                    </td>
                                                                    <td class="hide-narrow">
                                                                        {format_utc(quote.valid_until_ms)[..10].to_owned()}
                                                                    </td>
                                                                </tr>
                                                            }
                                                        })
                                                        .collect_view()
                                                        .into_any()
                                                }}
                                            </tbody>
                                        </table>
                                    </div>
                                    <crate::components::layout::Pager page more path="/quotes" />
                                    {staff
                                        .then(|| {
                                            view! {
                                                <p class="muted small">
                                                    "Staff see every quote; customers see a quote once it is sent to them."
                                                </p>
                                            }
                                        })}
                                }
                                    .into_any()
                            }}
                        }
                            .into_any()
                    },
                )
            })}
        </Transition>
    }
}

#[component]
pub fn QuoteEditorPage() -> impl IntoView {
    let quote = record_id_if_any();
    let query = use_query_map();
    let start =
        Resource::new(move || (quote(), query.read().get("design")), |(quote, design)| quote_editor(design, quote));
    view! {
        <Title text="Quote editor · Lightpath" />
        <Transition fallback=|| {
            view! { <Skeleton rows=6 /> }
        }>
            {move || Suspend::new(async move {
                or_problem(start.await, |start| view! { <Editor start /> }.into_any())
            })}
        </Transition>
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
        discount,
        validity_days,
        reason,
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
                <div class="field">
                    <label for="quote-term">"Term"</label>
                    <select
                        id="quote-term"
                        on:change=move |ev| {
                            if let Some(picked) = event_target_value(&ev)
                                .parse::<u8>()
                                .ok()
                                .and_then(|m| Term::from_months(m).ok())
                            {
                                term.set(picked)
                            }
                        }
                    >
                        {Term::ALL
                            .into_iter()
                            .map(|t| {
                                view! {
                                    <option value=t.months().to_string() selected=move || term.get() == t>
                                        {t.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
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
                // Its message's id, `reason-error`, is older than `field_id` (tests name it).
                <FormField
                    id="reason".to_owned()
                    label="Reason for the discount"
                    message=problem_in(problems, "reason")
                >
                    <textarea
                        id="reason"
                        rows="3"
                        prop:value=reason
                        aria-describedby=error_id("reason")
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
                {move || {
                    notice
                        .get()
                        .map(|message| {
                            view! {
                                <p class="form-problem" role="alert">
                                    {message}
                                </p>
                            }
                        })
                }}
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

#[component]
pub fn QuotePage() -> impl IntoView {
    let id = record_id();
    let tick = RwSignal::new(0u64);
    let quote = Resource::new(move || (id(), tick.get()), |(id, _)| load_quote(id));
    view! {
        <Transition fallback=|| {
            view! { <Skeleton rows=6 /> }
        }>
            {move || Suspend::new(async move {
                or_problem(quote.await, move |view_data| view! { <QuoteDetail view_data tick /> }.into_any())
            })}
        </Transition>
    }
}

#[component]
fn QuoteDetail(view_data: QuoteView, tick: RwSignal<u64>) -> impl IntoView {
    let QuoteView { record, actions, can_revise, staff, .. } = view_data;
    let summary = record.summary.clone();
    let Some(current) = record.current().cloned() else {
        return view! { <p class="form-problem">"This quote has no version."</p> }.into_any();
    };
    let (id, version) = (summary.id.to_string(), current.version);
    let comment = RwSignal::new(String::new());
    let act = Action::new_local(move |action: &QuoteAction| {
        let (id, action, comment) = (id.clone(), *action, comment.get_untracked());
        async move { act_on_quote(id, version, action, comment).await }
    });
    let key = StoredValue::new(None::<String>);
    let quote_id = summary.id.to_string();
    let accept = Action::new_local(move |_: &()| {
        let attempt = key.get_value().unwrap_or_else(|| {
            let fresh = crate::components::new_idempotency_key("accept");
            key.set_value(Some(fresh.clone()));
            fresh
        });
        let id = quote_id.clone();
        async move { accept_quote(id, version, attempt).await }
    });
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| match act.value().get() {
        Some(Ok(())) => {
            comment.set(String::new());
            tick.update(|n| *n += 1);
        }
        Some(Err(error)) => problem.set(Some(error.to_string())),
        None => {}
    });
    let navigate = use_navigate();
    Effect::new(move |_| match accept.value().get() {
        Some(Ok(placed)) => navigate(&format!("/orders/{}", placed.id), Default::default()),
        Some(Err(error)) => {
            if !matches!(error, AppError::Transport(_)) {
                key.set_value(None);
            }
            problem.set(Some(error.to_string()));
        }
        None => {}
    });
    let deciding = actions.iter().any(|action| matches!(action, QuoteAction::Approve | QuoteAction::Reject));
    let button = move |action: QuoteAction| {
        let (label, class) = match action {
            QuoteAction::RequestApproval => ("Request approval", "button"),
            QuoteAction::Approve => ("Approve discount", "button"),
            QuoteAction::Reject => ("Reject discount", "button button-danger"),
            QuoteAction::Send => ("Send to customer", "button"),
            QuoteAction::Accept => ("Accept and order", "button"),
            QuoteAction::Cancel => ("Cancel quote", "button button-ghost"),
        };
        view! {
            <button
                type="button"
                class=class
                disabled=move || act.pending().get() || accept.pending().get()
                on:click=move |_| {
                    problem.set(None);
                    if action == QuoteAction::Accept {
                        accept.dispatch(());
                    } else {
                        act.dispatch(action);
                    }
                }
            >
                {label}
            </button>
        }
    };
    let links_id = summary.id.to_string();
    view! {
        <Title text=format!("{} · Lightpath", summary.name) />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/quotes">"Quotes"</a>
            " / "
            <span aria-current="page">{summary.name.clone()}</span>
        </nav>
        <section class="page-head">
            <p class="eyebrow">{summary.organisation.name.clone()}</p>
            <h1>{summary.name.clone()}</h1>
            <p data-testid="quote-state">
                {state_badge(summary.state)}
                <span class="muted">
                    {format!(
                        " · version {} · valid until {} · price book v{}",
                        current.version,
                        &format_utc(current.valid_until_ms)[..10],
                        current.price_book_version,
                    )}
                </span>
            </p>
            {summary
                .decision
                .clone()
                .map(|decision| {
                    view! {
                        <p class="notice" role="note">
                            {decision}
                        </p>
                    }
                })}
            {summary
                .order_id
                .clone()
                .map(|order| {
                    view! {
                        <p>
                            <a href=format!("/orders/{order}")>"Follow the order this quote placed"</a>
                        </p>
                    }
                })}
        </section>
        <div class="spend-cards">
            <div class="spend-card">
                <span class="muted">"A month"</span>
                <strong data-testid="quote-monthly">{current.net.monthly_estimate().to_string()}</strong>
            </div>
            <div class="spend-card">
                <span class="muted">"One-time"</span>
                <strong>{current.net.one_time.to_string()}</strong>
            </div>
            <div class="spend-card">
                <span class="muted">"Discount"</span>
                <strong data-testid="quote-discount">{format_discount(current.discount_bp)}</strong>
            </div>
            {staff
                .then(|| {
                    view! {
                        <div class="spend-card">
                            <span class="muted">"Estimated margin"</span>
                            <strong>{margin_text(current.list, current.net)}</strong>
                        </div>
                    }
                })}
        </div>
        <section class="card">
            <h2>"Items"</h2>
            <div class="table-wrap" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Item"</th>
                            {staff
                                .then(|| {
                                    view! {
                                        <th scope="col" class="num hide-narrow">
                                            "List a month"
                                        </th>
                                    }
                                })}
                            <th scope="col" class="num">
                                "A month"
                            </th>
                            <th scope="col" class="num">
                                "One-time"
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        {current
                            .items
                            .iter()
                            .map(|item| {
                                view! {
                                    <tr>
                                        <td>
                                            {item.title.clone()}
                                            {item
                                                .spec
                                                .as_ref()
                                                .map(|spec| {
                                                    view! {
                                                        <span class="muted small">
                                                            {format!(" · {}", spec.term.label())}
                                                        </span>
                                                    }
                                                })}
                                        </td>
                                        {staff
                                            .then(|| {
                                                view! {
                                                    <td class="num hide-narrow">
                                                        {item.list.monthly_estimate().to_string()}
                                                    </td>
                                                }
                                            })}
                                        <td class="num">{item.net.monthly_estimate().to_string()}</td>
                                        <td class="num">{item.net.one_time.to_string()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row">"Total"</th>
                            {staff
                                .then(|| {
                                    view! {
                                        <td class="num hide-narrow">{current.list.monthly_estimate().to_string()}</td>
                                    }
                                })}
                            <td class="num">{current.net.monthly_estimate().to_string()}</td>
                            <td class="num">{current.net.one_time.to_string()}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
            {(staff && !current.reason.is_empty())
                .then(|| view! { <p class="muted">{format!("Reason for the discount: {}", current.reason)}</p> })}
        </section>
        <section class="card quote-actions">
            <h2>"Actions"</h2>
            {deciding
                .then(|| {
                    view! {
                        <div class="field">
                            <label for="field-comment">"Comment for the sales engineer"</label>
                            <textarea
                                id="field-comment"
                                rows="2"
                                prop:value=comment
                                on:input=move |ev| comment.set(event_target_value(&ev))
                            ></textarea>
                        </div>
                    }
                })}
            <p class="actions">
                {actions.into_iter().map(button).collect_view()}
                {can_revise
                    .then(|| {
                        view! {
                            <a class="button button-ghost" href=format!("/quotes/{links_id}/edit")>
                                "Revise (new version)"
                            </a>
                        }
                    })} <a class="button button-ghost" href=format!("/quotes/{}/print", summary.id)>
                    "Printable quote"
                </a>
                <a
                    class="button button-ghost"
                    href=format!("/api/v1/quotes/{}/lines.csv", summary.id)
                    rel="external"
                    download
                >
                    "Download CSV"
                </a>
            </p>
            {move || {
                problem
                    .get()
                    .map(|message| {
                        view! {
                            <p class="form-problem" role="alert">
                                {message}
                            </p>
                        }
                    })
            }}
        </section>
        {staff
            .then(|| {
                view! {
                    <section class="card">
                        <h2>"Versions"</h2>
                        <ol class="plain">
                            {record
                                .versions
                                .iter()
                                .rev()
                                .map(|version| {
                                    view! {
                                        <li>
                                            {format!(
                                                "Version {} · {} · {} off · {} a month · by {}",
                                                version.version,
                                                format_utc(version.created_at_ms),
                                                format_discount(version.discount_bp),
                                                version.net.monthly_estimate(),
                                                version.created_by,
                                            )}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    </section>
                }
            })}
    }
    .into_any()
}

#[component]
pub fn QuotePrintPage() -> impl IntoView {
    let quote = Resource::new(record_id(), load_quote);
    view! {
        <Transition fallback=|| {
            view! { <Skeleton rows=6 /> }
        }>
            {move || Suspend::new(async move {
                or_problem(
                    quote.await,
                    |view_data| {
                        let QuoteView { record, network, .. } = view_data;
                        let summary = record.summary.clone();
                        let Some(current) = record.current().cloned() else {
                            return view! { <p>"This quote has no version."</p> }.into_any();
                        };
                        let spans: Vec<_> = current
                            .items
                            .iter()
                            .filter_map(|item| item.route.as_ref())
                            .filter(|route| !route.twin)
                            .flat_map(|route| route.spans.clone())
                            .collect();
                        let twins: Vec<_> = current
                            .items
                            .iter()
                            .filter_map(|item| item.route.as_ref())
                            .filter(|route| route.twin)
                            .flat_map(|route| route.spans.clone())
                            .collect();
                        view! {
                            <Title text=format!("{} (printable) · Lightpath", summary.name) />
                            <article class="printable">
                                <p class="no-print actions">
                                    <a class="button button-ghost" href=format!("/quotes/{}", summary.id)>
                                        "Back to the quote"
                                    </a>
                                    <button
                                        type="button"
                                        class="button"
                                        on:click=|_| {
                                            let _ = window().print();
                                        }
                                    >
                                        "Print"
                                    </button>
                                </p>
                                <header class="print-head">
                                    <p class="eyebrow">"Lightpath · network connectivity for AI"</p>
                                    <h1>{summary.name.clone()}</h1>
                                    <p>
                                        {format!(
                                            "For {} · version {} · issued {} · valid until {} · price book v{}",
                                            summary.organisation.name,
                                            current.version,
                                            &format_utc(current.created_at_ms)[..10],
                                            &format_utc(current.valid_until_ms)[..10],
                                            current.price_book_version,
                                        )}
                                    </p>
                                </header>
                                <section>
                                    <h2>"Network"</h2>
                                    <TopologyMap
                                        network
                                        highlight=Signal::derive(move || spans.clone())
                                        twin=Signal::derive(move || twins.clone())
                                    />
                                </section>
                                <section>
                                    <h2>"Breakdown"</h2>
                                    {current
                                        .items
                                        .iter()
                                        .map(|item| {
                                            view! {
                                                <div class="print-item">
                                                    <h3>{item.title.clone()}</h3>
                                                    <table class="data-table">
                                                        <tbody>
                                                            {item
                                                                .lines
                                                                .iter()
                                                                .map(|line| {
                                                                    view! {
                                                                        <tr>
                                                                            <td>
                                                                                {format!("{} · {}", line.label, line.charge.slug())}
                                                                            </td>
                                                                            <td class="num">
                                                                                {format!(
                                                                                    "{} × {} × {}",
                                                                                    line.unit_price,
                                                                                    line.quantity,
                                                                                    line.count,
                                                                                )}
                                                                            </td>
                                                                            <td class="num">{line.amount.to_string()}</td>
                                                                        </tr>
                                                                    }
                                                                })
                                                                .collect_view()} <tr class="print-net">
                                                                <td>
                                                                    {format!(
                                                                        "Quoted ({} off)",
                                                                        format_discount(current.discount_bp),
                                                                    )}
                                                                </td>
                                                                <td class="num">
                                                                    {format!("{} a month", item.net.monthly_estimate())}
                                                                </td>
                                                                <td class="num">{format!("{} once", item.net.one_time)}</td>
                                                            </tr>
                                                        </tbody>
                                                    </table>
                                                </div>
                                            }
                                        })
                                        .collect_view()}
                                </section>
                                <section class="print-totals">
                                    <h2>"Total"</h2>
                                    <dl class="review">
                                        <dt>"List, a month"</dt>
                                        <dd>{current.list.monthly_estimate().to_string()}</dd>
                                        <dt>"Discount"</dt>
                                        <dd>{format_discount(current.discount_bp)}</dd>
                                        <dt>"Quoted, a month"</dt>
                                        <dd>{current.net.monthly_estimate().to_string()}</dd>
                                        <dt>"Hourly charges"</dt>
                                        <dd>
                                            {format!(
                                                "{} an hour (in the monthly figure at 730 hours)",
                                                current.net.hourly,
                                            )}
                                        </dd>
                                        <dt>"One-time"</dt>
                                        <dd>{current.net.one_time.to_string()}</dd>
                                    </dl>
                                </section>
                                <section class="print-terms">
                                    <h2>"Terms"</h2>
                                    <p>
                                        {format!(
                                            "Prices in USD, excluding taxes, from price book version {}; this quote honours them until {} even if the price book changes. \
                                    Monthly charges are billed monthly in advance for the term of each item; hourly charges by the hour of use; one-time charges on activation. \
                                    Usage-based charges are billed as used at the rates shown. Accepting the quote in the portal orders every item listed; \
                                    lead times and service levels are those of each product in the catalog.",
                                            current.price_book_version,
                                            &format_utc(current.valid_until_ms)[..10],
                                        )}
                                    </p>
                                </section>
                            </article>
                        }
                            .into_any()
                    },
                )
            })}
        </Transition>
    }
}

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let tick = RwSignal::new(0u64);
    let page = crate::components::layout::page_from_query();
    let quotes = Resource::new(move || (tick.get(), page()), |(_, page)| pending_approvals(Some(page)));
    view! {
        <Title text="Approvals · Lightpath" />
        <section class="page-head">
            <h1>"Approvals"</h1>
            <p class="lede">
                {format!(
                    "Quotes whose discount is above the sales engineers' {} limit, and orders over their organisation's credit limit, wait here for a decision.",
                    format_discount(SALES_DISCOUNT_LIMIT_BP),
                )}
            </p>
        </section>
        <crate::routes::orders::HeldOrders />
        <h2>"Discounts"</h2>
        <Transition fallback=|| {
            view! { <Skeleton rows=3 /> }
        }>
            {move || Suspend::new(async move {
                or_problem(
                    quotes.await,
                    |listed| {
                        let (pending, page, more) = (listed.items, listed.page, listed.more);
                        if pending.is_empty() && page == 0 {
                            return view! {
                                <EmptyState
                                    title="Nothing waits for approval"
                                    text="Quotes with a discount above the limit appear here when a sales engineer asks."
                                    href="/quotes"
                                    action="All quotes"
                                />
                            }
                                .into_any();
                        }
                        view! {
                            <div class="table-wrap" tabindex="0">
                                <table class="data-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">"Quote"</th>
                                            <th scope="col" class="hide-narrow">
                                                "Organisation"
                                            </th>
                                            <th scope="col" class="num">
                                                "Discount"
                                            </th>
                                            <th scope="col" class="num">
                                                "A month"
                                            </th>
                                            <th scope="col" class="num">
                                                "Margin"
                                            </th>
                                            <th scope="col">"Reason"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {pending
                                            .into_iter()
                                            .map(|quote| {
                                                view! {
                                                    <tr>
                                                        <td>
                                                            <a href=format!(
                                                                "/quotes/{}",
                                                                quote.id,
                                                            )>{quote.name.clone()}</a>
                                                        </td>
                                                        <td class="hide-narrow">{quote.organisation.name.clone()}</td>
                                                        <td class="num">{format_discount(quote.discount_bp)}</td>
                                                        <td class="num">{quote.net.monthly_estimate().to_string()}</td>
                                                        <td class="num">{margin_text(quote.list, quote.net)}</td>
                                                        <td>{quote.reason.clone()}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <crate::components::layout::Pager page more path="/approvals" />
                            <p class="muted small">"Open a quote to approve or reject it with a comment."</p>
                        }
                            .into_any()
                    },
                )
            })}
        </Transition>
    }
}

/// One customer's quotes, on its organisation page (staff see all of them, its members the
/// ones sent to them).
#[component]
pub fn OrganisationQuotes(organisation: lightpath_domain::account::Id) -> impl IntoView {
    let asked = organisation.to_string();
    let quotes = Resource::new(move || asked.clone(), |organisation| list_quotes(None, Some(organisation)));
    view! {
        <section class="card">
            <h2>"Quotes"</h2>
            <Transition fallback=|| {
                view! { <Skeleton rows=2 /> }
            }>
                {move || {
                    let organisation = organisation.clone();
                    Suspend::new(async move {
                        or_problem(
                            quotes.await,
                            move |view_data| {
                                let mine: Vec<QuoteSummary> = view_data
                                    .quotes
                                    .items
                                    .into_iter()
                                    .filter(|quote| quote.organisation.id == organisation)
                                    .collect();
                                if mine.is_empty() {
                                    return view! { <p class="muted">"No quotes for this organisation yet."</p> }
                                        .into_any();
                                }
                                view! {
                                    <ul class="plain">
                                        {mine
                                            .into_iter()
                                            .map(|quote| {
                                                view! {
                                                    <li>
                                                        <a href=format!("/quotes/{}", quote.id)>{quote.name.clone()}</a>
                                                        {format!(
                                                            " · {} · v{} · {} a month",
                                                            quote.state.label(),
                                                            quote.version,
                                                            quote.net.monthly_estimate(),
                                                        )}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            },
                        )
                    })
                }}
            </Transition>
        </section>
    }
}
