//! The configurator's state: what the buyer typed (kept as typed, so nothing is lost on a bad
//! value), the configuration it makes, the server's placement of it, and its price computed
//! in the browser. The rules are plain functions, unit-tested without a browser; the views
//! only read this state and write the form.

use crate::error::AppError;
use crate::server_fns::configure::place_configuration;
use leptos::prelude::*;
use lightpath_domain::catalog::{Ends, Product};
use lightpath_domain::configure::{entered_units, price, Amount, Configuration, Configured, Placement, Problem};
use lightpath_domain::order_plan::{Commitment, PlannedItem};
use lightpath_domain::{PriceBook, PriceUnit, SiteId, SpanId, Term};

/// What the buyer has typed.
#[derive(Clone, Copy)]
pub struct Form {
    pub option: RwSignal<String>,
    pub term: RwSignal<Term>,
    pub a_end: RwSignal<String>,
    pub z_end: RwSignal<String>,
    pub diverse: RwSignal<bool>,
    pub count: RwSignal<String>,
    pub amounts: RwSignal<Vec<(PriceUnit, String)>>,
}

impl Form {
    /// A new form on the product's first option and its shortest committed term, or on what
    /// the page's link asks for (`?option=&term=&a_end=&z_end=`, from a design's item) where
    /// the product offers it.
    fn new(product: &Product) -> Form {
        let query = leptos_router::hooks::use_query_map().get_untracked();
        let option = query
            .get("option")
            .filter(|code| product.option(code).is_some())
            .or_else(|| product.options.first().map(|option| option.code.clone()));
        let term = query
            .get("term")
            .and_then(|months| months.parse::<u8>().ok())
            .and_then(|months| Term::from_months(months).ok())
            .filter(|term| product.terms.contains(term))
            .unwrap_or_else(|| first_term(&product.terms));
        let site = |name: &str| query.get(name).filter(|id| SiteId::parse(id).is_ok()).unwrap_or_default();
        Form {
            option: RwSignal::new(option.unwrap_or_default()),
            term: RwSignal::new(term),
            a_end: RwSignal::new(site("a_end")),
            z_end: RwSignal::new(site("z_end")),
            diverse: RwSignal::new(false),
            count: RwSignal::new("1".to_owned()),
            amounts: RwSignal::new(Vec::new()),
        }
    }

    fn configuration(&self, product: &Product) -> Configuration {
        configuration(
            product,
            Typed {
                option: self.option.get(),
                term: self.term.get(),
                a_end: self.a_end.get(),
                z_end: self.z_end.get(),
                diverse: self.diverse.get(),
                count: self.count.get(),
                amounts: self.amounts.get(),
            },
        )
    }
}

/// The form's values at one moment.
struct Typed {
    option: String,
    term: Term,
    a_end: String,
    z_end: String,
    diverse: bool,
    count: String,
    amounts: Vec<(PriceUnit, String)>,
}

/// The configuration typed values make: an unreadable number is 0 and an unknown site none,
/// which the domain's checks then name.
fn configuration(product: &Product, typed: Typed) -> Configuration {
    let site = |text: String| SiteId::parse(&text).ok();
    Configuration {
        product: product.id.clone(),
        option: typed.option,
        term: typed.term,
        a_end: site(typed.a_end),
        z_end: site(typed.z_end),
        diverse: typed.diverse,
        amounts: typed
            .amounts
            .into_iter()
            .map(|(unit, text)| Amount { unit, amount: text.trim().parse().unwrap_or(0) })
            .collect(),
        count: typed.count.trim().parse().unwrap_or(0),
    }
}

/// The term a new configuration starts on: the shortest committed one, else on demand.
fn first_term(terms: &[Term]) -> Term {
    terms.iter().copied().find(|term| *term != Term::OnDemand).unwrap_or(Term::OnDemand)
}

/// What the server's placement depends on: the option, the ends, the diverse choice and the
/// copies (the term and the quantities only change the price).
pub type WhereKey = (String, Option<SiteId>, Option<SiteId>, bool, u32);

fn where_of(config: &Configuration) -> WhereKey {
    (config.option.clone(), config.a_end.clone(), config.z_end.clone(), config.diverse, config.count)
}

/// Whether the server can place the configuration: every end the product needs is chosen.
pub fn ready_to_place(ends: Ends, a_end: bool, z_end: bool) -> bool {
    match ends {
        Ends::None => true,
        Ends::One => a_end,
        Ends::Two => a_end && z_end,
    }
}

/// The amounts to ask for once the option or the term changes: one per unit the price needs,
/// each keeping what the buyer typed for it, 1 for a new one.
pub fn kept_amounts(units: &[PriceUnit], typed: &[(PriceUnit, String)]) -> Vec<(PriceUnit, String)> {
    units
        .iter()
        .map(|unit| {
            let kept = typed.iter().find(|(typed, _)| typed == unit).map(|(_, text)| text.clone());
            (*unit, kept.unwrap_or_else(|| "1".to_owned()))
        })
        .collect()
}

/// The fields the form shows a problem beside; any other problem is shown above the price.
pub fn has_own_field(field: &str) -> bool {
    ["option", "term", "a_end", "z_end", "count"].contains(&field) || field.starts_with("amount-")
}

/// The price of `config` on the server's answer: the domain's engine on the placement, or the
/// first problem the server named.
fn priced_on(
    config: &Configuration,
    placement: Result<Placement, AppError>,
    product: &Product,
    book: &PriceBook,
) -> Result<Configured, Problem> {
    match placement {
        Ok(placement) => price(config, &placement, std::slice::from_ref(product), book),
        Err(AppError::Fields(fields)) => {
            let (field, message) = fields.into_iter().next().unwrap_or_default();
            Err(Problem { field, message })
        }
        Err(error) => Err(Problem { field: String::new(), message: error.to_string() }),
    }
}

/// The configurator's live state.
#[derive(Clone, Copy)]
pub struct ConfiguratorState {
    pub form: Form,
    pub ends: Ends,
    pub configuration: Memo<Configuration>,
    /// Places the configuration on the network: the server's answer, with what it placed.
    pub place: Action<Configuration, (WhereKey, Result<Placement, AppError>)>,
    /// The placement the price is computed on; None until every end is chosen and the server
    /// has placed the configuration as it now is.
    pub placement: Memo<Option<Result<Placement, AppError>>>,
    /// None until there is a placement; then the price, or the first problem.
    pub priced: Memo<Option<Result<Configured, Problem>>>,
    /// The product and the price book it is priced with.
    pricing: StoredValue<(Product, PriceBook)>,
}

impl ConfiguratorState {
    /// The state of a new configuration of `product`, priced with `book`. Placing needs the
    /// ends: it runs when an end, the option, the copies or the diverse choice change; the term
    /// and the quantities never go to the server.
    pub fn new(product: Product, book: PriceBook) -> ConfiguratorState {
        let form = Form::new(&product);
        let ends = product.ends;
        let stored = StoredValue::new((product, book));
        let configuration = Memo::new(move |_| stored.with_value(|(product, _)| form.configuration(product)));
        let where_key = Memo::new(move |_| where_of(&configuration.get()));
        // Each answer carries the configuration it placed, so an answer to an earlier choice
        // is never shown as the placement of the current one.
        let place = Action::new_local(|config: &Configuration| {
            let (key, asked) = (where_of(config), place_configuration(config.clone()));
            async move { (key, asked.await) }
        });
        // An action keeps the answer that finishes last, not the one asked last: an answer to
        // an earlier choice arriving after the current one's left no placement for the current
        // choice ("Choose the site…" with a site chosen). The earlier request is dropped.
        // Thread-safe storage: the server renders this state on one worker thread and may drop
        // it on another, where a thread-local value panics and cuts the page's stream short.
        let asking = StoredValue::new(None::<ActionAbortHandle>);
        Effect::new(move |_| {
            let (_, a_end, z_end, _, _) = where_key.get();
            if ends != Ends::None && ready_to_place(ends, a_end.is_some(), z_end.is_some()) {
                if let Some(earlier) = asking.try_update_value(Option::take).flatten() {
                    earlier.abort();
                }
                asking.set_value(Some(place.dispatch(configuration.get_untracked())));
            }
        });
        let placement = Memo::new(move |_| {
            let key = where_key.get();
            if ends == Ends::None {
                return Some(Ok(Placement { ends: Vec::new(), paths: Vec::new() }));
            }
            place.value().with(|answer| match answer {
                Some((placed, answer)) if *placed == key => Some(answer.clone()),
                _ => None,
            })
        });
        // The units the buyer types follow the option and the term; typed values are kept.
        Effect::new(move |_| {
            let (option, term) = (form.option.get(), form.term.get());
            let units = stored.with_value(|(product, book)| entered_units(product, book, &option, term));
            form.amounts.update(|amounts| {
                let kept = kept_amounts(&units, amounts);
                if *amounts != kept {
                    *amounts = kept;
                }
            });
        });
        let priced = Memo::new(move |_| {
            let config = configuration.get();
            let placement = placement.get()?;
            Some(stored.with_value(|(product, book)| priced_on(&config, placement, product, book)))
        });
        ConfiguratorState { form, ends, configuration, place, placement, priced, pricing: stored }
    }

    /// What ordering the priced configuration commits to (None until it is priced).
    pub fn commitment(&self) -> Option<Commitment> {
        let configured = self.priced.get_untracked()?.ok()?;
        Some(self.pricing.with_value(|(product, book)| {
            let products = std::slice::from_ref(product);
            let items: Vec<PlannedItem> =
                configured.items.iter().map(|item| PlannedItem::from_item(item, products)).collect();
            Commitment::of(&items, products, book)
        }))
    }

    /// The problem to show beside `field`.
    pub fn problem_at(&self, field: &str) -> Signal<Option<String>> {
        let (field, priced) = (field.to_owned(), self.priced);
        Signal::derive(move || {
            priced.with(|p| match p {
                Some(Err(problem)) if problem.field == field => Some(problem.message.clone()),
                _ => None,
            })
        })
    }

    /// A problem no field shows (a network or server problem), shown above the price.
    pub fn other_problem(&self) -> Signal<Option<String>> {
        let priced = self.priced;
        Signal::derive(move || {
            priced.with(|p| match p {
                Some(Err(problem)) if !has_own_field(&problem.field) => Some(problem.message.clone()),
                _ => None,
            })
        })
    }

    /// True once the configuration has a price.
    pub fn is_priced(&self) -> Signal<bool> {
        let priced = self.priced;
        Signal::derive(move || priced.with(|p| matches!(p, Some(Ok(_)))))
    }

    /// The spans of the primary path and of its diverse twin, for the map.
    pub fn path_spans(&self) -> (Signal<Vec<SpanId>>, Signal<Vec<SpanId>>) {
        let priced = self.priced;
        let spans_of = move |index: usize| {
            Signal::derive(move || {
                priced
                    .with(|p| match p {
                        Some(Ok(configured)) => configured
                            .items
                            .iter()
                            .filter_map(|item| item.path.as_ref())
                            .nth(index)
                            .map(|p| p.spans.clone()),
                        _ => None,
                    })
                    .unwrap_or_default()
            })
        };
        (spans_of(0), spans_of(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_is_placed_once_the_ends_it_needs_are_chosen() {
        assert!(ready_to_place(Ends::None, false, false));
        assert!(!ready_to_place(Ends::One, false, false));
        assert!(ready_to_place(Ends::One, true, false));
        assert!(!ready_to_place(Ends::Two, true, false));
        assert!(ready_to_place(Ends::Two, true, true));
    }

    #[test]
    fn typed_amounts_survive_a_change_of_option_and_new_units_start_at_one() {
        let typed = vec![(PriceUnit::Rack, "4".to_owned()), (PriceUnit::Kw, "oops".to_owned())];
        let kept = kept_amounts(&[PriceUnit::Kw, PriceUnit::CrossConnect], &typed);
        assert_eq!(kept, vec![(PriceUnit::Kw, "oops".to_owned()), (PriceUnit::CrossConnect, "1".to_owned())]);
    }

    #[test]
    fn unreadable_values_become_what_the_domain_then_names() {
        let product = Product {
            id: lightpath_domain::ProductId::parse("colocation").unwrap(),
            name: "Colocation".into(),
            tagline: String::new(),
            description: String::new(),
            billing: String::new(),
            stages: vec![],
            terms: vec![Term::OnDemand, Term::Months12, Term::Months36],
            options: vec![],
            ends: Ends::One,
            provisioning: Default::default(),
        };
        assert_eq!(first_term(&product.terms), Term::Months12);
        assert_eq!(first_term(&[Term::OnDemand]), Term::OnDemand);
        let typed = Typed {
            option: "rack".into(),
            term: Term::Months12,
            a_end: "not a site!".into(),
            z_end: String::new(),
            diverse: false,
            count: " 3 ".into(),
            amounts: vec![(PriceUnit::Kw, "twenty".into())],
        };
        let config = configuration(&product, typed);
        assert_eq!((config.a_end, config.z_end, config.count), (None, None, 3));
        assert_eq!(config.amounts, vec![Amount { unit: PriceUnit::Kw, amount: 0 }]);
    }

    #[test]
    fn only_problems_without_a_field_of_their_own_go_above_the_price() {
        for field in ["option", "term", "a_end", "z_end", "count", "amount-kw"] {
            assert!(has_own_field(field), "{field}");
        }
        assert!(!has_own_field(""));
        assert!(!has_own_field("route"));
    }
}
