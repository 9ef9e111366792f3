//! The wizard's answer: the sites' serviceability and the three bundles, each re-priced in the
//! browser when the buyer changes its term or options.

use crate::components::forms::{Alert, Answer, Notice, TermSelect};
use crate::components::order_review::{OrderFailure, Review, ReviewedOrder};
use crate::components::price_table::BreakdownTable;
use crate::components::topology_map::TopologyMap;
use crate::server_fns::designs::Recommended;
use crate::server_fns::network::NetworkView;
use leptos::prelude::*;
use lightpath_domain::design::DesignIntent;
use lightpath_domain::money::CURRENCY;
use lightpath_domain::network::format_millis;
use lightpath_domain::order_plan::{Commitment, PlannedItem};
use lightpath_domain::recommend::{Bundle, Choice, Item, Serviceability, Tier};
use lightpath_domain::{Money, PriceBook, Product, ProductId, SpanId, Term};

/// What a bundle card's buttons do, and what they show while they work.
#[derive(Clone, Copy)]
pub(super) struct BundleHandlers {
    /// Saves the design with the bundle as chosen (saved, or with a quote request).
    pub on_save: Callback<(DesignIntent, Choice)>,
    /// Orders the bundle as chosen, with the purchase-order reference from the review.
    pub on_order: Callback<(Choice, String)>,
    pub saving: Signal<bool>,
    pub ordering: Signal<bool>,
    /// The answer to the last save and the card it came from.
    pub notice: Signal<Option<(Tier, Answer)>>,
    pub failure: OrderFailure,
}

#[component]
pub(super) fn Results(
    answer: Recommended,
    can_edit: bool,
    chosen: StoredValue<Option<Choice>>,
    handlers: BundleHandlers,
) -> impl IntoView {
    let Recommended { recommendation, products, book, network } = answer;
    // Every card totals its cost over the design's term, so an on-demand bundle compares like
    // with like; the cheapest committed bundle tells whether on demand costs more a month.
    let horizon = recommendation.bundles.iter().map(|bundle| bundle.term).max().unwrap_or(Term::Months12);
    let committed_from = recommendation
        .bundles
        .iter()
        .filter(|bundle| bundle.term != Term::OnDemand)
        .map(Bundle::monthly_estimate)
        .min();
    let pricing = StoredValue::new((products, book));
    view! {
        <section class="results" aria-labelledby="results-title">
            <h2 id="results-title">"Your bundles"</h2>
            <h3>"Sites"</h3>
            <ul class="site-checks">
                {recommendation
                    .sites
                    .iter()
                    .map(|check| {
                        let class = format!("light light-{}", check.status.slug());
                        view! {
                            <li>
                                <span class=class>{check.status.label()}</span>
                                <strong>{check.name.clone()}</strong>
                                " "
                                <span class="muted">{check.reason.clone()}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {recommendation
                .sites
                .iter()
                .any(|c| c.status == Serviceability::NotServiceable)
                .then(|| {
                    view! {
                        <p class="muted">
                            "Sites we cannot serve are left out of every bundle; move them or serve them from the alternative shown."
                        </p>
                    }
                })}
            <div class="bundles">
                {recommendation
                    .bundles
                    .into_iter()
                    .map(|bundle| {
                        let network = network.clone();
                        let chosen = chosen.get_value().filter(|choice| choice.tier == bundle.tier);
                        view! { <BundleCard bundle pricing network can_edit chosen handlers horizon committed_from /> }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}

/// One bundle card's state: the bundle as recommended, the buyer's term and options, and the
/// bundle re-priced with them.
#[derive(Clone, Copy)]
struct CardState {
    tier: Tier,
    base: StoredValue<Bundle>,
    pricing: StoredValue<(Vec<Product>, PriceBook)>,
    term: RwSignal<Term>,
    options: RwSignal<Vec<(usize, String)>>,
    /// Re-priced in the browser with the domain engine on every change: no server round trip.
    priced: Memo<Result<Bundle, String>>,
}

impl CardState {
    fn new(bundle: Bundle, pricing: StoredValue<(Vec<Product>, PriceBook)>, chosen: Option<Choice>) -> Self {
        let term = RwSignal::new(chosen.as_ref().map_or(bundle.term, |choice| choice.term));
        let options = RwSignal::new(chosen.map(|choice| choice.options).unwrap_or_default());
        let tier = bundle.tier;
        let base = StoredValue::new(bundle);
        let priced = Memo::new(move |_| {
            let (term, options) = (term.get(), options.get());
            base.with_value(|bundle| {
                pricing.with_value(|(products, book)| bundle.with_choices(products, book, term, &options))
            })
            .map_err(|error| error.to_string())
        });
        CardState { tier, base, pricing, term, options, priced }
    }

    fn choice(&self) -> Choice {
        Choice { tier: self.tier, term: self.term.get_untracked(), options: self.options.get_untracked() }
    }

    fn choose_option(&self, index: usize, code: String) {
        self.options.update(|o| {
            o.retain(|(at, _)| *at != index);
            o.push((index, code));
        });
    }

    /// What ordering the bundle as chosen commits to (None while it cannot be priced).
    fn commitment(&self) -> Option<Commitment> {
        let bundle = self.priced.get_untracked().ok()?;
        Some(self.pricing.with_value(|(products, book)| {
            let items: Vec<PlannedItem> =
                bundle.items.iter().map(|item| PlannedItem::from_item(item, products)).collect();
            Commitment::of(&items, products, book)
        }))
    }

    /// The item at `index` as re-priced (None while the bundle cannot be priced).
    fn item(&self, index: usize) -> Option<Item> {
        self.priced.with(|p| p.as_ref().ok().and_then(|b| b.items.get(index).cloned()))
    }
}

#[component]
pub(super) fn BundleCard(
    bundle: Bundle,
    pricing: StoredValue<(Vec<Product>, PriceBook)>,
    network: crate::server_fns::network::NetworkView,
    can_edit: bool,
    /// The buyer's earlier choice, when this is the bundle they saved.
    chosen: Option<Choice>,
    handlers: BundleHandlers,
    /// The term every card totals its cost over.
    horizon: Term,
    /// The lowest monthly cost of a bundle with a term, if any.
    committed_from: Option<Money>,
) -> impl IntoView {
    let was_chosen = chosen.is_some();
    let card = CardState::new(bundle, pricing, chosen);
    let tier = card.tier;
    let highlight: Signal<Vec<SpanId>> = Signal::derive(move || card.base.with_value(|b| spans_of(b, false)));
    let twin: Signal<Vec<SpanId>> = Signal::derive(move || card.base.with_value(|b| spans_of(b, true)));
    let title_id = format!("bundle-{}", tier.slug());
    let (facts, shortfalls) = card.base.with_value(|b| (b.clone(), b.shortfalls.clone()));
    let items = card.base.with_value(|b| b.items.clone());
    let cloud_steps = CloudSteps::of(&items);
    let cloud_note = cloud_steps.hub.is_some().then(|| {
        view! {
            <p class="muted" data-testid="cloud-note">
                "The cloud router and cloud connections need your clouds' details, which a design does not keep: order each from its link above (the router first). “Order now” orders the rest."
            </p>
        }
    });
    view! {
        <article
            class="card bundle"
            class:bundle-best=tier == Tier::Best
            aria-labelledby=title_id.clone()
            data-tier=tier.slug()
        >
            <h3 id=title_id.clone()>{tier.label()}</h3>
            {was_chosen
                .then(|| {
                    view! {
                        <p>
                            <span class="status status-saved">"Your saved choice"</span>
                        </p>
                    }
                })}
            <p class="muted">{tier.pitch()}</p>
            <BundlePrice priced=card.priced horizon committed_from />
            <BundleFacts bundle=facts />
            <TermSelect id=format!("term-{}", tier.slug()) term=card.term />
            <Shortfalls shortfalls />
            <TopologyMap network=network.clone() highlight twin />
            <ol class="bundle-items">
                {items
                    .into_iter()
                    .enumerate()
                    .map(|(index, item)| view! { <BundleItemLine card index item cloud_steps=cloud_steps.clone() /> })
                    .collect_view()}
            </ol>
            {cloud_note}
            {can_edit.then(|| view! { <BundleActions card handlers network /> })}
        </article>
    }
}

/// The bundle's price a month, once and over the horizon, or why it cannot be priced.
#[component]
fn BundlePrice(priced: Memo<Result<Bundle, String>>, horizon: Term, committed_from: Option<Money>) -> impl IntoView {
    move || match priced.get() {
        Ok(bundle) => {
            let costs_more = bundle.term == Term::OnDemand
                && committed_from.is_some_and(|committed| bundle.monthly_estimate() > committed);
            view! {
                <p class="bundle-price">
                    <span class="amount" data-testid="monthly">
                        {bundle.monthly_estimate().to_string()}
                    </span>
                    " a month"
                </p>
                <p class="muted bundle-sub">
                    {format!("{} once", bundle.totals.one_time)}
                    {(bundle.totals.hourly > Money::ZERO)
                        .then(|| format!(" · includes {} an hour on demand", bundle.totals.hourly))}
                    {format!(" · {CURRENCY}")}
                </p>
                <p class="bundle-total" data-testid="over-term">
                    {format!(
                        "{} over {}, one-time charges included",
                        bundle.totals.contract_value(horizon),
                        horizon_phrase(horizon),
                    )}
                </p>
                {costs_more
                    .then(|| {
                        view! {
                            <p class="bundle-note" data-testid="costs-more">
                                "Costs more per month than a bundle with a term; no commitment, stop any time."
                            </p>
                        }
                    })}
            }
            .into_any()
        }
        Err(message) => view! { <Alert message /> }.into_any(),
    }
}

#[component]
fn BundleFacts(bundle: Bundle) -> impl IntoView {
    let lead = if bundle.lead_days == 0 { "minutes".to_owned() } else { format!("{} days", bundle.lead_days) };
    view! {
        <dl class="bundle-facts">
            <dt>"Redundancy"</dt>
            <dd>{bundle.redundancy.label()}</dd>
            <dt>"Lead time"</dt>
            <dd>{lead}</dd>
            <dt>"Longest round trip"</dt>
            <dd>{bundle.worst_round_trip_micros.map_or_else(|| "—".to_owned(), format_millis)}</dd>
        </dl>
    }
}

/// What the bundle could not do (a site out of reach, a path without enough capacity).
#[component]
fn Shortfalls(shortfalls: Vec<String>) -> impl IntoView {
    (!shortfalls.is_empty()).then(|| {
        view! {
            <div class="shortfalls" role="note">
                <p>
                    <strong>"What this bundle could not do"</strong>
                </p>
                <ul>{shortfalls.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
            </div>
        }
    })
}

/// One item of the bundle: why it is there, its option when there is a choice, and its price
/// broken down.
#[component]
fn BundleItemLine(card: CardState, index: usize, item: Item, cloud_steps: CloudSteps) -> impl IntoView {
    let order_link = move || card.item(index).and_then(|item| cloud_steps.link(&item));
    let chooser = (item.alternatives.len() > 1).then(|| {
        let id = format!("option-{}-{index}", card.tier.slug());
        let selected_code = move || card.item(index).map(|i| i.spec.option).unwrap_or_default();
        let label = if sold_by_bandwidth(card.pricing, &item.spec.product) { "Bandwidth" } else { "Option" };
        view! {
            <div class="field inline-field">
                <label for=id.clone()>{label}</label>
                <select id=id on:change=move |ev| card.choose_option(index, event_target_value(&ev))>
                    {item
                        .alternatives
                        .iter()
                        .map(|(code, label)| {
                            let is = code.clone();
                            view! {
                                <option value=code.clone() selected=move || selected_code() == is>
                                    {label.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        }
    });
    let title = item.title.clone();
    view! {
        <li class="bundle-item" class:twin=item.twin>
            <p class="item-title">{move || card.item(index).map_or_else(|| title.clone(), |i| i.title)}</p>
            <p class="item-reason">{item.reason.clone()}</p>
            {move || {
                order_link()
                    .map(|(href, label)| {
                        view! {
                            <p class="item-order">
                                <a href=href class="button button-ghost" data-testid="cloud-step">
                                    {label}
                                </a>
                            </p>
                        }
                    })
            }}
            {chooser}
            {move || {
                card.item(index)
                    .map(|item| {
                        view! {
                            <details class="breakdown">
                                <summary>
                                    {format!(
                                        "{} a month · {} once · {}",
                                        item.priced.totals.monthly_estimate(),
                                        item.priced.totals.one_time,
                                        item.spec.term.label(),
                                    )}
                                </summary>
                                <BreakdownTable lines=item.priced.lines.clone() />
                            </details>
                        }
                    })
            }}
        </li>
    }
}

/// Save, Request a quote, Order now (through the review): each with the buyer's term and
/// options.
#[component]
fn BundleActions(card: CardState, handlers: BundleHandlers, network: NetworkView) -> impl IntoView {
    let BundleHandlers { on_save, on_order, saving, ordering, notice, failure } = handlers;
    // The answer shows here, beside the button pressed, when it came from this card.
    let tier = card.tier;
    let answer = Signal::derive(move || notice.get().filter(|(from, _)| *from == tier).and_then(|(_, answer)| answer));
    let busy = Signal::derive(move || saving.get() || card.priced.with(Result::is_err));
    view! {
        <div class="actions bundle-actions">
            {[
                (DesignIntent::Saved, "button", "Save design"),
                (DesignIntent::QuoteRequested, "button button-ghost", "Request a quote"),
            ]
                .into_iter()
                .map(|(intent, class, label)| {
                    view! {
                        <button
                            type="button"
                            class=class
                            disabled=busy
                            on:click=move |_| on_save.run((intent, card.choice()))
                        >
                            {label}
                        </button>
                    }
                })
                .collect_view()}
            <ReviewedOrder
                label="Order now"
                class="button button-ghost"
                id=card.tier.slug()
                disabled=busy
                review=Callback::new(move |()| card.commitment().map(Review::Order))
                network
                placing=ordering
                failure
                on_place=Callback::new(move |reference| on_order.run((card.choice(), reference)))
            />
        </div>
        <Notice notice=answer />
    }
}

/// The spans of a bundle's main paths (or of its diverse twins).
pub(super) fn spans_of(bundle: &Bundle, twins: bool) -> Vec<SpanId> {
    bundle
        .items
        .iter()
        .filter(|item| item.twin == twins)
        .filter_map(|item| item.path.as_ref())
        .flat_map(|path| path.spans.clone())
        .collect()
}

/// "12 months" for the total over a term; one month when every bundle is on demand.
fn horizon_phrase(horizon: Term) -> String {
    match horizon.months() {
        0 | 1 => "a month".to_owned(),
        months => format!("{months} months"),
    }
}

/// Whether every option of `product` is a bandwidth (its chooser is labelled "Bandwidth").
fn sold_by_bandwidth(pricing: StoredValue<(Vec<Product>, PriceBook)>, product: &ProductId) -> bool {
    pricing.with_value(|(products, _)| {
        products
            .iter()
            .find(|candidate| candidate.id == *product)
            .is_some_and(|found| found.options.iter().all(|option| option.bandwidth.is_some()))
    })
}

/// How a bundle's cloud router and cloud connections are ordered: each from its product page,
/// with the cloud's details a design does not keep, linked with what the bundle chose.
#[derive(Clone, Debug, Default)]
pub(super) struct CloudSteps {
    /// Where the bundle's cloud connections start (the multi-cloud hub).
    hub: Option<String>,
    /// Whether the bundle has a cloud router for them to attach to.
    routed: bool,
}

impl CloudSteps {
    pub(super) fn of(items: &[Item]) -> CloudSteps {
        let hub = items
            .iter()
            .filter(|item| item.spec.product.as_str() == lightpath_domain::cloud::PRODUCT)
            .find_map(|item| item.path.as_ref()?.sites.first().map(ToString::to_string));
        let routed = items.iter().any(|item| item.spec.product.as_str() == lightpath_domain::cloud_router::PRODUCT);
        CloudSteps { hub, routed }
    }

    /// The product page that orders `item` as chosen, and what the link says; None for an item
    /// "Order now" orders.
    fn link(&self, item: &Item) -> Option<(String, &'static str)> {
        let (product, option, term) = (item.spec.product.as_str(), &item.spec.option, item.spec.term.months());
        let hub = self.hub.as_deref()?;
        if product == lightpath_domain::cloud_router::PRODUCT {
            let href = format!("/products/{product}?a_end={hub}&option={option}&term={term}");
            return Some((href, "Order this cloud router first"));
        }
        if product != lightpath_domain::cloud::PRODUCT {
            return None;
        }
        let z_end = item.path.as_ref()?.sites.last()?;
        let router = if self.routed { "&router=auto" } else { "" };
        let href = format!("/products/{product}?a_end={hub}&z_end={z_end}&option={option}&term={term}{router}");
        Some((href, "Order with your cloud's details"))
    }
}
