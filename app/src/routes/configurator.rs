//! The configurator on a product page: pick the ends, the option, the term and the
//! quantities, see the price and the path, order it.
//!
//! The server places the configuration on the network (ends checked, connection routed around
//! full spans) when an end, the option, the copies or the diverse choice change; the term and
//! the quantities are priced in the browser with the domain's engine, with no round trip. The
//! server places and prices everything again before it orders.

use crate::components::follow_order;
use crate::components::forms::{error_id, Alert, Done, FormField, Notice, TermSelect};
use crate::components::layout::ProblemBanner;
use crate::components::price_table::BreakdownTable;
use crate::components::site_picker::SitePicker;
use crate::components::topology_map::TopologyMap;
use crate::error::AppError;
use crate::server_fns::configure::{
    keep_configuration, load_configurator, order_configuration, place_configuration, ConfiguratorData,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use lightpath_domain::catalog::{Ends, Product};
use lightpath_domain::configure::{
    entered_units, price, unit_noun, Amount, Configuration, Configured, Placement, Problem, MAX_COUNT,
};
use lightpath_domain::network::format_millis;
use lightpath_domain::{Money, PriceBook, PriceUnit, SiteId, SiteKind, SpanId, Term};

/// The sites a product can be delivered at, as the pickers offer them.
const SELLABLE: &[SiteKind] = &[SiteKind::DataCenter, SiteKind::CloudOnRamp, SiteKind::Metro];

#[component]
pub fn Configurator(product: Product, book: PriceBook) -> impl IntoView {
    let data = Resource::new(|| (), |_| load_configurator());
    let next = format!("/products/{}", product.id);
    view! {
        <section class="card configurator" aria-labelledby="configure-title">
            <h2 id="configure-title">"Configure and order"</h2>
            <Transition fallback=|| {
                view! { <p class="muted">"Loading the sites…"</p> }
            }>
                {move || {
                    let (product, book, next) = (product.clone(), book.clone(), next.clone());
                    Suspend::new(async move {
                        match data.await {
                            Ok(Some(data)) => view! { <ConfiguratorForm product book data /> }.into_any(),
                            Ok(None) => {
                                view! {
                                    <p>
                                        <a href=format!(
                                            "/sign-in?next={}",
                                            crate::components::percent_encode(&next),
                                        )>"Sign in"</a>
                                        " to choose the sites, see the price of your route and order it."
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(error) => view! { <Alert message=error.to_string() /> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

/// What the buyer has typed, kept as typed so nothing is lost on a bad value.
#[derive(Clone, Copy)]
struct Form {
    option: RwSignal<String>,
    term: RwSignal<Term>,
    a_end: RwSignal<String>,
    z_end: RwSignal<String>,
    diverse: RwSignal<bool>,
    count: RwSignal<String>,
    amounts: RwSignal<Vec<(PriceUnit, String)>>,
}

impl Form {
    fn configuration(&self, product: &Product) -> Configuration {
        let site = |text: String| SiteId::parse(&text).ok();
        Configuration {
            product: product.id.clone(),
            option: self.option.get(),
            term: self.term.get(),
            a_end: site(self.a_end.get()),
            z_end: site(self.z_end.get()),
            diverse: self.diverse.get(),
            amounts: self
                .amounts
                .get()
                .into_iter()
                .map(|(unit, text)| Amount { unit, amount: text.trim().parse().unwrap_or(0) })
                .collect(),
            count: self.count.get().trim().parse().unwrap_or(0),
        }
    }
}

/// The configurator's fields, price and map. With `on_add` it hands the configuration to its
/// caller (the quote editor) instead of ordering it.
#[component]
pub fn ConfiguratorForm(
    product: Product,
    book: PriceBook,
    data: ConfiguratorData,
    #[prop(optional)] on_add: Option<Callback<(Configuration, Placement)>>,
) -> impl IntoView {
    let ConfiguratorData { sites, network, can_order, designs } = data;
    let sites = StoredValue::new(sites);
    let form = Form {
        option: RwSignal::new(product.options.first().map(|option| option.code.clone()).unwrap_or_default()),
        term: RwSignal::new(
            product.terms.iter().copied().find(|term| *term != Term::OnDemand).unwrap_or(Term::OnDemand),
        ),
        a_end: RwSignal::new(String::new()),
        z_end: RwSignal::new(String::new()),
        diverse: RwSignal::new(false),
        count: RwSignal::new("1".to_owned()),
        amounts: RwSignal::new(Vec::new()),
    };
    let ends = product.ends;
    let stored = StoredValue::new((product.clone(), book.clone()));
    let configuration = Memo::new(move |_| stored.with_value(|(product, _)| form.configuration(product)));

    // Placing needs the ends; the term and the quantities never go to the server.
    let place = Action::new_local(|config: &Configuration| place_configuration(config.clone()));
    let placement = RwSignal::new(None::<Result<Placement, AppError>>);
    let where_key = Memo::new(move |_| {
        let config = configuration.get();
        (config.option, config.a_end, config.z_end, config.diverse, config.count)
    });
    Effect::new(move |_| {
        let (_, a_end, z_end, _, _) = where_key.get();
        let ready = match ends {
            Ends::None => false,
            Ends::One => a_end.is_some(),
            Ends::Two => a_end.is_some() && z_end.is_some(),
        };
        if ends == Ends::None {
            placement.set(Some(Ok(Placement { ends: Vec::new(), paths: Vec::new() })));
        } else if ready {
            place.dispatch(configuration.get_untracked());
        } else {
            placement.set(None);
        }
    });
    Effect::new(move |_| {
        if let Some(answer) = place.value().get() {
            placement.set(Some(answer));
        }
    });
    // The units the buyer types follow the option and the term; typed values are kept.
    Effect::new(move |_| {
        let (option, term) = (form.option.get(), form.term.get());
        let units = stored.with_value(|(product, book)| entered_units(product, book, &option, term));
        form.amounts.update(|amounts| {
            let kept: Vec<(PriceUnit, String)> = units
                .iter()
                .map(|unit| {
                    let typed = amounts.iter().find(|(typed, _)| typed == unit).map(|(_, text)| text.clone());
                    (*unit, typed.unwrap_or_else(|| "1".to_owned()))
                })
                .collect();
            if *amounts != kept {
                *amounts = kept;
            }
        });
    });
    let priced = Memo::new(move |_| -> Option<Result<Configured, Problem>> {
        let config = configuration.get();
        match placement.get()? {
            Ok(placement) => Some(
                stored.with_value(|(product, book)| price(&config, &placement, std::slice::from_ref(product), book)),
            ),
            Err(AppError::Fields(fields)) => {
                let (field, message) = fields.into_iter().next()?;
                Some(Err(Problem { field, message }))
            }
            Err(error) => Some(Err(Problem { field: String::new(), message: error.to_string() })),
        }
    });
    let problem_at = move |field: &str| {
        let field = field.to_owned();
        Signal::derive(move || {
            priced.with(|p| match p {
                Some(Err(problem)) if problem.field == field => Some(problem.message.clone()),
                _ => None,
            })
        })
    };
    let other_problem = move || {
        priced.with(|p| match p {
            Some(Err(problem))
                if !["option", "term", "a_end", "z_end", "count"].contains(&problem.field.as_str())
                    && !problem.field.starts_with("amount-") =>
            {
                Some(problem.message.clone())
            }
            _ => None,
        })
    };
    let paths = move || {
        priced.with(|p| {
            p.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|c| c.items.iter().filter_map(|i| i.path.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let highlight: Signal<Vec<SpanId>> =
        Signal::derive(move || paths().first().map(|p| p.spans.clone()).unwrap_or_default());
    let twin: Signal<Vec<SpanId>> = Signal::derive(move || paths().get(1).map(|p| p.spans.clone()).unwrap_or_default());

    // One idempotency key per attempt: a double click or a retry after a lost answer sends the
    // same key and places one order.
    let order_key = StoredValue::new(None::<String>);
    let order = Action::new_local(move |input: &(Configuration, lightpath_domain::pricing::Totals)| {
        let (config, totals) = input.clone();
        let key = order_key.get_value().unwrap_or_else(|| {
            let key = crate::components::new_idempotency_key("configure");
            order_key.set_value(Some(key.clone()));
            key
        });
        order_configuration(config, key, totals)
    });
    let order_problem = RwSignal::new(None::<String>);
    follow_order(order, order_key, move |error| order_problem.set(Some(error.to_string())));

    let entered = move || form.amounts.with(|amounts| amounts.iter().map(|(unit, _)| *unit).collect::<Vec<_>>());
    let options = product.options.clone();
    let terms = product.terms.clone();
    let first_label = if ends == Ends::Two { "From" } else { "Site" };
    let routed = ends == Ends::Two;
    view! {
        <p class="muted">
            {match ends {
                Ends::Two => {
                    "Choose the two sites to connect, the rate and the term: we route it on our network and price it on that route."
                }
                Ends::One => "Choose the site, the option and the term: the price follows every change.",
                Ends::None => "Choose the option, the term and how many: the price follows every change.",
            }}
        </p>
        <div class="configurator-grid">
            <div class="configurator-fields">
                {(ends != Ends::None)
                    .then(|| {
                        view! {
                            <SitePicker
                                id="configure-a_end".to_owned()
                                label=first_label
                                value=form.a_end
                                set={Callback::new(move |v| form.a_end.set(v))}
                                sites
                                kinds=SELLABLE
                                message={problem_at("a_end")}
                            />
                        }
                    })}
                {routed
                    .then(|| {
                        view! {
                            <SitePicker
                                id="configure-z_end".to_owned()
                                label="To"
                                value=form.z_end
                                set={Callback::new(move |v| form.z_end.set(v))}
                                sites
                                kinds=SELLABLE
                                message={problem_at("z_end")}
                            />
                        }
                    })} <FormField id="configure-option".to_owned() label="Option" message=problem_at("option")>
                    <select
                        id="configure-option"
                        aria-describedby=error_id("configure-option")
                        aria-invalid=move || problem_at("option").with(Option::is_some).to_string()
                        on:change=move |ev| form.option.set(event_target_value(&ev))
                    >
                        {options
                            .into_iter()
                            .map(|option| {
                                let code = option.code.clone();
                                let selected = move || form.option.with(|current| *current == code);
                                view! {
                                    <option value=option.code.clone() selected=selected>
                                        {option.label}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </FormField>
                <TermSelect id="configure-term".to_owned() term=form.term terms=terms message=problem_at("term") />
                <FormField id="configure-count".to_owned() label="Copies" message=problem_at("count")>
                    <input
                        id="configure-count"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        max=MAX_COUNT.to_string()
                        prop:value=move || form.count.get()
                        aria-describedby=error_id("configure-count")
                        aria-invalid=move || problem_at("count").with(Option::is_some).to_string()
                        on:input=move |ev| form.count.set(event_target_value(&ev))
                    />
                </FormField> <For each=entered key=|unit| *unit let:unit>
                    {
                        let id = format!("configure-amount-{}", unit.slug());
                        let error_id = error_id(&id);
                        let field = format!("amount-{}", unit.slug());
                        let message = problem_at(&field);
                        view! {
                            <FormField id=id.clone() label=unit_noun(unit) message>
                                <input
                                    id=id
                                    type="number"
                                    inputmode="numeric"
                                    min="1"
                                    aria-describedby=error_id
                                    aria-invalid=move || message.with(Option::is_some).to_string()
                                    prop:value=move || {
                                        form.amounts
                                            .with(|a| {
                                                a.iter()
                                                    .find(|(u, _)| *u == unit)
                                                    .map(|(_, t)| t.clone())
                                                    .unwrap_or_default()
                                            })
                                    }
                                    on:input=move |ev| {
                                        let text = event_target_value(&ev);
                                        form.amounts
                                            .update(|a| {
                                                if let Some(entry) = a.iter_mut().find(|(u, _)| *u == unit) {
                                                    entry.1 = text;
                                                }
                                            });
                                    }
                                />
                            </FormField>
                        }
                    }
                </For>
                {routed
                    .then(|| {
                        view! {
                            <label class="checkbox">
                                <input
                                    type="checkbox"
                                    prop:checked=move || form.diverse.get()
                                    on:change=move |ev| form.diverse.set(event_target_checked(&ev))
                                />
                                " A second, diverse path (no shared span)"
                            </label>
                        }
                    })}
            </div>
            <div class="configurator-result" aria-live="polite">
                <ProblemBanner message=Signal::derive(other_problem) />
                {move || match priced.get() {
                    None if place.pending().get() => view! { <p class="muted">"Finding the route…"</p> }.into_any(),
                    None => {
                        view! {
                            <p class="muted">
                                {if routed {
                                    "Choose both ends to see the route and the price."
                                } else {
                                    "Choose the site to see the price."
                                }}
                            </p>
                        }
                            .into_any()
                    }
                    Some(Err(_)) => view! { <p class="muted">"Change what is marked to see a price."</p> }.into_any(),
                    Some(Ok(configured)) => view! { <ConfiguredPrice configured placement=placement /> }.into_any(),
                }}
                {match on_add {
                    Some(add) => {
                        view! {
                            <div class="actions">
                                <button
                                    type="button"
                                    class="button"
                                    disabled=move || !priced.with(|p| matches!(p, Some(Ok(_))))
                                    on:click=move |_| {
                                        if let Some(Ok(placement)) = placement.get_untracked() {
                                            add.run((configuration.get_untracked(), placement));
                                        }
                                    }
                                >
                                    "Add to the quote"
                                </button>
                            </div>
                        }
                            .into_any()
                    }
                    None if can_order => {
                        view! {
                            <div class="actions">
                                <button
                                    type="button"
                                    class="button"
                                    data-testid="order-now"
                                    disabled=move || order.pending().get() || !priced.with(|p| matches!(p, Some(Ok(_))))
                                    on:click=move |_| {
                                        order_problem.set(None);
                                        if let Some(Ok(configured)) = priced.get_untracked() {
                                            order.dispatch((configuration.get_untracked(), configured.totals));
                                        }
                                    }
                                >
                                    {move || if order.pending().get() { "Ordering…" } else { "Order now" }}
                                </button>
                            </div>
                            <KeepActions
                                configuration
                                priced=Signal::derive(move || priced.with(|p| matches!(p, Some(Ok(_)))))
                                designs=designs.clone()
                            />
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <p class="muted">
                                "Orders are placed by members of a customer organisation; staff order for customers through quotes."
                            </p>
                        }
                            .into_any()
                    }
                }}
                <ProblemBanner message=order_problem />
            </div>
        </div>
        {routed.then(|| view! { <TopologyMap network highlight twin /> })}
    }
}

/// "Add to a design" (a new one or one of the organisation's) and "Request a quote": the
/// configured item is kept in a design, next to what its workload recommends.
#[component]
fn KeepActions(
    configuration: Memo<Configuration>,
    priced: Signal<bool>,
    designs: Vec<(String, String)>,
) -> impl IntoView {
    let target = RwSignal::new(String::new());
    let keep = Action::new_local(|input: &(Configuration, Option<String>, bool)| {
        let (config, design, quote) = input.clone();
        keep_configuration(config, design, quote)
    });
    let navigate = use_navigate();
    let notice = RwSignal::new(None::<Result<Done, String>>);
    Effect::new(move |_| match keep.value().get() {
        Some(Ok(saved)) => {
            if saved.intent == lightpath_domain::design::DesignIntent::QuoteRequested {
                notice.set(Some(Ok(Done {
                    message: "Sent to our sales engineers: they will pick it up and send you a quote.".to_owned(),
                    href: format!("/designs/{}", saved.id),
                    link: "Open the design",
                })));
            } else {
                navigate(&format!("/designs/{}", saved.id), Default::default());
            }
        }
        Some(Err(error)) => notice.set(Some(Err(error.to_string()))),
        None => {}
    });
    let disabled = move || keep.pending().get() || !priced.get();
    view! {
        <div class="keep-actions">
            <div class="field">
                <label for="configure-design">"Keep it in"</label>
                <select id="configure-design" on:change=move |ev| target.set(event_target_value(&ev))>
                    <option value="">"A new design"</option>
                    {designs.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                </select>
            </div>
            <div class="actions">
                {[("Add to a design", false), ("Request a quote", true)]
                    .into_iter()
                    .map(|(label, quote)| {
                        view! {
                            <button
                                type="button"
                                class="button button-ghost"
                                disabled=disabled
                                on:click=move |_| {
                                    notice.set(None);
                                    let design = (!quote).then(|| target.get_untracked());
                                    keep.dispatch((configuration.get_untracked(), design, quote));
                                }
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <Notice notice />
        </div>
    }
}

#[component]
fn ConfiguredPrice(configured: Configured, placement: RwSignal<Option<Result<Placement, AppError>>>) -> impl IntoView {
    let Configured { items, totals, lead_days } = configured;
    let ends = placement
        .with_untracked(|p| p.as_ref().and_then(|r| r.as_ref().ok()).map(|p| p.ends.clone()).unwrap_or_default());
    view! {
        <p class="bundle-price">
            <span class="amount" data-testid="configured-monthly">
                {totals.monthly_estimate().to_string()}
            </span>
            " a month"
        </p>
        <p class="muted bundle-sub">
            {format!("{} once", totals.one_time)}
            {(totals.hourly > Money::ZERO).then(|| format!(" · includes {} an hour on demand", totals.hourly))}
            {format!(
                " · lead time {}",
                if lead_days == 0 { "minutes".to_owned() } else { format!("{lead_days} days") },
            )}
        </p>
        {(!ends.is_empty())
            .then(|| {
                view! {
                    <ul class="end-checks">
                        {ends
                            .into_iter()
                            .map(|end| {
                                view! {
                                    <li>
                                        <span class=format!(
                                            "status status-{}",
                                            end.status.slug(),
                                        )>{end.status.label()}</span>
                                        " "
                                        {end.reason}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })}
        <ol class="bundle-items">
            {items
                .into_iter()
                .map(|item| {
                    view! {
                        <li class="bundle-item" class:twin=item.twin>
                            <p class="item-title">{item.title.clone()}</p>
                            {item
                                .path
                                .as_ref()
                                .map(|path| {
                                    view! {
                                        <p class="item-reason" data-testid="configured-path">
                                            {format!(
                                                "{} route-km · {} round trip · via {}",
                                                lightpath_domain::money::group_thousands(u64::from(path.route_km)),
                                                format_millis(path.latency_micros * 2),
                                                if path.spans.is_empty() {
                                                    "the metro".to_owned()
                                                } else {
                                                    path.spans
                                                        .iter()
                                                        .map(|s| s.to_string())
                                                        .collect::<Vec<_>>()
                                                        .join(", ")
                                                },
                                            )}
                                        </p>
                                    }
                                })}
                            <BreakdownTable lines=item.priced.lines.clone() />
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
