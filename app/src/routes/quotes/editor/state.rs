//! The quote editor's state: the sales engineer's choices, the lines and totals priced in the
//! browser with the server's code, and the save with what it answered.

use crate::components::forms::FieldProblems;
use crate::error::AppError;
use crate::server_fns::quotes::{save_quote, EditorStart, QuoteInput, QuoteTerms};
use leptos::prelude::*;
use lightpath_domain::catalog::Term;
use lightpath_domain::configure::{Configuration, Placement};
use lightpath_domain::pricing::Totals;
use lightpath_domain::quote::{quote_items, Discount};
use lightpath_domain::recommend::{Bundle, Choice, Item, Recommendation, Tier};
use lightpath_domain::records::QuoteItem;
use lightpath_domain::{PriceBook, Product};

/// A catalog item added to the quote, priced on the placement the server gave it: its lines,
/// or why it cannot be priced.
pub(super) type AddedPrice = Result<Vec<Item>, String>;

/// The bundle as chosen, the quote's lines, and the list and quoted totals.
pub(super) type Priced = (Bundle, Vec<QuoteItem>, Totals, Totals);

#[derive(Clone, Copy)]
pub(super) struct EditorState {
    pub tier: RwSignal<Tier>,
    pub term: RwSignal<Term>,
    /// The rate picked for a bundle item, by the item's index.
    pub options: RwSignal<Vec<(usize, String)>>,
    /// The bundle items taken out, by index.
    pub removed: RwSignal<Vec<usize>>,
    pub added: RwSignal<Vec<(Configuration, Placement)>>,
    pub added_priced: Memo<Vec<AddedPrice>>,
    pub discount_text: RwSignal<String>,
    pub validity: RwSignal<String>,
    pub reason: RwSignal<String>,
    pub recommendation: StoredValue<Recommendation>,
    pub catalog: StoredValue<Vec<Product>>,
    pub full_book: StoredValue<PriceBook>,
    pub priced: Memo<Option<Priced>>,
    save: Action<QuoteInput, Result<String, AppError>>,
    /// What identifies the quote being saved: the design, the quote and the version revised.
    target: StoredValue<(String, Option<String>, Option<i64>)>,
}

impl EditorState {
    pub fn new(start: &EditorStart) -> Self {
        let QuoteTerms { discount, validity_days, reason } = start.terms.clone();
        let catalog = StoredValue::new(start.catalog.clone());
        let full_book = StoredValue::new(start.book.clone());
        let added = RwSignal::new(start.added.clone());
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
        let (tier, term) = (RwSignal::new(start.choice.tier), RwSignal::new(start.choice.term));
        let options = RwSignal::new(start.choice.options.clone());
        let removed = RwSignal::new(start.removed.clone());
        let discount_text = RwSignal::new(discount);
        let recommendation = StoredValue::new(start.recommended.recommendation.clone());
        let products = StoredValue::new(start.recommended.products.clone());
        let book = StoredValue::new(start.recommended.book.clone());
        // The same pricing and quote lines as the server, in the browser, on every change.
        let priced = Memo::new(move |_| {
            let bundle = recommendation.with_value(|r| r.bundles.iter().find(|b| b.tier == tier.get()).cloned())?;
            let bundle = products
                .with_value(|p| book.with_value(|b| bundle.with_choices(p, b, term.get(), &options.get())))
                .ok()?;
            let discount = Discount::parse(&discount_text.get()).unwrap_or_default();
            let extra: Vec<_> = added_priced.get().into_iter().filter_map(Result::ok).flatten().collect();
            let (items, list, net) = catalog.with_value(|p| quote_items(&bundle, &removed.get(), &extra, discount, p));
            Some((bundle, items, list, net))
        });
        let save = Action::new_local(move |input: &QuoteInput| {
            let input = input.clone();
            async move { save_quote(input).await }
        });
        Self {
            tier,
            term,
            options,
            removed,
            added,
            added_priced,
            discount_text,
            validity: RwSignal::new(validity_days),
            reason: RwSignal::new(reason),
            recommendation,
            catalog,
            full_book,
            priced,
            save,
            target: StoredValue::new((start.design_id.clone(), start.quote_id.clone(), start.seen_version)),
        }
    }

    /// Another bundle starts from its own rates and items.
    pub fn choose_tier(&self, tier: Tier) {
        self.tier.set(tier);
        self.options.set(Vec::new());
        self.removed.set(Vec::new());
    }

    /// Keeps or takes out the bundle item at `index`.
    pub fn keep_item(&self, index: usize, keep: bool) {
        self.removed.update(|all| {
            all.retain(|at| *at != index);
            if !keep {
                all.push(index)
            }
        });
    }

    /// Picks the rate `code` for the bundle item at `index`.
    pub fn choose_rate(&self, index: usize, code: String) {
        self.options.update(|all| {
            all.retain(|(at, _)| *at != index);
            all.push((index, code));
        });
    }

    /// The rate picked for the item at `index`, or the bundle's own (`chosen`).
    pub fn rate_of(&self, index: usize, chosen: &str) -> String {
        self.options.with(|all| {
            all.iter().find(|(at, _)| *at == index).map_or_else(|| chosen.to_owned(), |(_, code)| code.clone())
        })
    }

    /// The bundle of the chosen tier, as recommended.
    pub fn bundle(&self) -> Option<Bundle> {
        let tier = self.tier.get();
        self.recommendation.with_value(|r| r.bundles.iter().find(|b| b.tier == tier).cloned())
    }

    pub fn set_copies(&self, index: usize, copies: u32) {
        self.added.update(|all| {
            if let Some((config, _)) = all.get_mut(index) {
                config.count = copies;
            }
        });
    }

    pub fn remove_added(&self, index: usize) {
        self.added.update(|all| {
            if index < all.len() {
                all.remove(index);
            }
        });
    }

    /// The discount's own problem, before anything is sent.
    pub fn discount_problem(&self) -> Option<String> {
        Discount::parse(&self.discount_text.get()).err()
    }

    pub fn needs_approval(&self) -> bool {
        Discount::parse(&self.discount_text.get()).is_ok_and(Discount::needs_approval)
    }

    pub fn submit(&self) {
        let (design, quote, seen_version) = self.target.get_value();
        self.save.dispatch(QuoteInput {
            design,
            quote,
            seen_version,
            choice: Choice {
                tier: self.tier.get_untracked(),
                term: self.term.get_untracked(),
                options: self.options.get_untracked(),
            },
            removed: self.removed.get_untracked(),
            added: self.added.get_untracked().into_iter().map(|(config, _)| config).collect(),
            discount: self.discount_text.get_untracked(),
            validity_days: self.validity.get_untracked(),
            reason: self.reason.get_untracked(),
        });
    }

    pub fn saving(&self) -> bool {
        self.save.pending().get()
    }

    /// The id of the quote the last save stored.
    pub fn saved(&self) -> Option<String> {
        self.save.value().with(|value| value.as_ref().and_then(|answer| answer.as_ref().ok().cloned()))
    }

    /// The fields the last save refused, by name.
    pub fn problems(&self) -> FieldProblems {
        let value = self.save.value();
        Signal::derive(move || match &*value.read() {
            Some(Err(AppError::Fields(fields))) => fields.clone(),
            _ => Vec::new(),
        })
    }

    /// The last save's problem when it names no field.
    pub fn notice(&self) -> Signal<Option<String>> {
        let value = self.save.value();
        Signal::derive(move || match &*value.read() {
            Some(Err(AppError::Fields(_))) | Some(Ok(_)) | None => None,
            Some(Err(error)) => Some(error.to_string()),
        })
    }
}
