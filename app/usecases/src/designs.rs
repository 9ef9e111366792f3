//! Design use cases: the wizard's data, recommending on the live network, saving (the
//! chosen bundle re-priced here, the browser's figures never trusted), listing, duplicating
//! and deleting designs.

use crate::error::AppError;
use crate::model::designs::*;
use crate::Caller;
use lightpath_domain::account::Actor;
use lightpath_domain::account::Id;
use lightpath_domain::design::{Design, DesignProblem};
use lightpath_domain::design::{DesignDraft, DesignIntent};
use lightpath_domain::policy::{allows, check, Permission};
use lightpath_domain::price_book::PriceBook;
use lightpath_domain::recommend::Choice;
use lightpath_domain::recommend::{recommend, Bundle, Inputs};
use lightpath_domain::records::DesignSummary;
use lightpath_domain::records::PageRequest;
use lightpath_domain::records::Paged;
use lightpath_domain::records::SavedDesign;
use lightpath_domain::Product;
use lightpath_store::designs::DesignWrite;
use lightpath_store::Store;

/// A design the viewer may see, or 404 (malformed ids and other organisations' designs
/// answer exactly like missing ones).
async fn visible_design(caller: &Caller, id: &str) -> Result<(Actor, SavedDesign), AppError> {
    check(caller.actor(), Permission::SignedIn)?;
    let id = Id::parse(id).ok_or(AppError::NotFound)?;
    let design = caller.store.design(&id).await?.ok_or(AppError::NotFound)?;
    let actor = caller.require(Permission::SeeOrganisation(&design.summary.organisation.id))?;
    Ok((actor, design))
}

/// A saved design the caller may see (another organisation's answers as missing).
pub async fn load_design(caller: &Caller, id: &str) -> Result<SavedDesign, AppError> {
    Ok(visible_design(caller, id).await?.1)
}

pub async fn load_wizard(caller: &Caller, id: Option<String>) -> Result<WizardData, AppError> {
    let store = caller.store.clone();
    let choices = crate::model::network::site_choices(&store.sites().await?);
    match id.filter(|id| !id.is_empty()) {
        Some(id) => {
            let (actor, design) = visible_design(caller, &id).await?;
            let can_edit = allows(Some(&actor), Permission::EditDesigns(&design.summary.organisation.id));
            let mut chosen_products = store.products().await?;
            chosen_products.retain(|product| design.draft.chosen_items.iter().any(|item| item.product == product.id));
            Ok(WizardData {
                design_id: Some(design.summary.id),
                draft: design.draft,
                choice: design.choice,
                sites: choices,
                chosen_products,
                can_edit,
            })
        }
        None => {
            let actor = caller.require(Permission::SignedIn)?;
            let can_edit =
                actor.organisation.as_ref().is_some_and(|org| allows(Some(&actor), Permission::EditDesigns(&org.id)));
            Ok(WizardData {
                design_id: None,
                draft: DesignDraft::default(),
                choice: None,
                sites: choices,
                chosen_products: Vec::new(),
                can_edit,
            })
        }
    }
}

fn problems(found: Vec<DesignProblem>) -> AppError {
    AppError::Fields(found.into_iter().map(|problem| (problem.field, problem.message)).collect())
}

/// Parses the draft and recommends on the live network, catalog and price book.
pub(crate) async fn recommend_live(store: &Store, draft: &DesignDraft) -> Result<(Design, Recommended), AppError> {
    let sites = store.sites().await?;
    let design = draft.parse(&sites).map_err(problems)?;
    let (spans, reserved) = (store.spans().await?, store.reservations().await?);
    let (products, book) = (store.products().await?, store.current_price_book().await?);
    // Routing and pricing every bundle is CPU work (≈ 0.2 ms for a typical design, more for
    // the largest one the parser allows): it runs on the blocking pool, so a burst of big
    // designs never stalls the threads that answer every other request.
    let (design, recommendation, products, mut book) = tokio::task::spawn_blocking(move || {
        let inputs = Inputs { sites: &sites, spans: &spans, reserved: &reserved, products: &products, book: &book };
        let recommendation = recommend(&design, &inputs);
        (design, recommendation, products, book)
    })
    .await
    .map_err(|_| AppError::Unavailable)?;
    let mut recommendation = recommendation;
    let chosen = chosen_items(store, draft, &products, &book).await;
    recommendation.bundles = recommendation.bundles.into_iter().map(|bundle| add_chosen(bundle, &chosen)).collect();
    let used: Vec<Product> = products
        .into_iter()
        .filter(|product| {
            recommendation.bundles.iter().flat_map(|b| &b.items).any(|item| item.spec.product == product.id)
        })
        .collect();
    book.lines.retain(|line| used.iter().any(|product| product.id == line.product));
    book.adjustments.retain(|adjustment| used.iter().any(|product| product.id == adjustment.product));
    let network = crate::network::network_view(store).await?;
    Ok((design, Recommended { recommendation, products: used, book, network }))
}

/// The bundle `choice` picks for the draft, recommended and priced again on today's network,
/// catalog and price book (ordering and quoting never trust a saved figure), with the catalog
/// and price book it was priced with.
pub(crate) async fn chosen_now(
    store: &Store,
    draft: &DesignDraft,
    choice: &Choice,
) -> Result<(Bundle, Vec<Product>, PriceBook), AppError> {
    let sites = store.sites().await?;
    let design = draft.parse(&sites).map_err(problems)?;
    let (spans, reserved) = (store.spans().await?, store.reservations().await?);
    let (products, book) = (store.products().await?, store.current_price_book().await?);
    let choice = choice.clone();
    // CPU work, on the blocking pool (see `recommend_live`).
    let (chosen, products, book) = tokio::task::spawn_blocking(move || {
        let inputs = Inputs { sites: &sites, spans: &spans, reserved: &reserved, products: &products, book: &book };
        let chosen = recommend(&design, &inputs).chosen(&products, &book, &choice);
        (chosen, products, book)
    })
    .await
    .map_err(|_| AppError::Unavailable)?;
    let bundle = chosen
        .ok_or_else(|| AppError::Invalid("That bundle is not offered for this design.".into()))?
        .map_err(|error| AppError::Invalid(error.to_string()))?;
    let bundle = add_chosen(bundle, &chosen_items(store, draft, &products, &book).await);
    Ok((bundle, products, book))
}

/// The catalog items the buyer kept in the design, each placed on the network as it is
/// now and priced, or why it cannot be.
async fn chosen_items(
    store: &Store,
    draft: &DesignDraft,
    products: &[Product],
    book: &PriceBook,
) -> Vec<Result<lightpath_domain::configure::Configured, String>> {
    let mut all = Vec::with_capacity(draft.chosen_items.len());
    for config in &draft.chosen_items {
        let placed = crate::configure::place_now(store, config).await.map_err(|error| error.to_string());
        let priced = placed.and_then(|(placement, _)| {
            lightpath_domain::configure::price(config, &placement, products, book).map_err(|problem| problem.message)
        });
        all.push(priced.map_err(|message| format!("{} {}: {message}", config.product, config.option)));
    }
    all
}

/// A bundle with the buyer's chosen items in it; one that cannot be placed now is named
/// among what the bundle could not do.
fn add_chosen(bundle: Bundle, chosen: &[Result<lightpath_domain::configure::Configured, String>]) -> Bundle {
    chosen.iter().fold(bundle, |mut bundle, item| match item {
        Ok(configured) => bundle.with_chosen(&configured.items, configured.lead_days),
        Err(message) => {
            bundle.shortfalls.push(format!("Chosen from the catalog: {message}"));
            bundle
        }
    })
}

pub async fn recommend_design(caller: &Caller, draft: DesignDraft) -> Result<Recommended, AppError> {
    caller.require(Permission::SignedIn)?;
    Ok(recommend_live(&caller.store.clone(), &draft).await?.1)
}

pub async fn save_design(
    caller: &Caller,
    id: Option<String>,
    draft: DesignDraft,
    intent: DesignIntent,
    choice: Option<Choice>,
) -> Result<SavedAnswer, AppError> {
    let store = caller.store.clone();
    let (actor, organisation) = match id.as_deref().filter(|id| !id.is_empty()) {
        Some(id) => {
            let (_, design) = visible_design(caller, id).await?;
            let organisation = design.summary.organisation.id.clone();
            (caller.require(Permission::EditDesigns(&organisation))?, Some((design.summary.id, organisation)))
        }
        None => {
            let actor = caller.require(Permission::SignedIn)?;
            let own = actor.organisation.as_ref().map(|org| org.id.clone());
            match own {
                Some(org) => (caller.require(Permission::EditDesigns(&org))?, None),
                None => {
                    return Err(AppError::Forbidden(
                        "Designs belong to a customer organisation; staff can open them and quote from them.".into(),
                    ))
                }
            }
        }
    };
    if draft.name.trim().chars().count() > 120 {
        return Err(AppError::field("name", "Keep the design name to 120 characters or fewer."));
    }
    let name = match draft.name.trim() {
        "" => "Untitled design".to_owned(),
        name => name.to_owned(),
    };
    let priced = if intent == DesignIntent::Draft {
        None
    } else {
        let choice = choice.ok_or_else(|| AppError::Invalid("Choose one of the three bundles first.".into()))?;
        // The catalog and prices the recommendation was made with: the very ones the
        // browser re-priced with.
        let (_, Recommended { recommendation, products, book, .. }) = recommend_live(&store, &draft).await?;
        let bundle = recommendation
            .chosen(&products, &book, &choice)
            .ok_or_else(|| AppError::Invalid("That bundle is not offered for this design.".into()))?
            .map_err(|error| AppError::Invalid(error.to_string()))?;
        if bundle.items.is_empty() {
            return Err(AppError::Invalid(
                "This bundle has nothing in it we can provide; change the design and try again.".into(),
            ));
        }
        Some((choice, bundle.totals, i64::from(book.version)))
    };
    let write = DesignWrite {
        name: &name,
        intent,
        draft: &draft,
        priced: priced.as_ref().map(|(choice, totals, version)| (choice, *totals, *version)),
    };
    let id = match organisation {
        Some((id, _)) => {
            if !store.update_design(&actor, &id, write).await? {
                return Err(AppError::NotFound);
            }
            id
        }
        None => {
            let organisation = actor.organisation.as_ref().map(|org| org.id.clone()).ok_or(AppError::NotFound)?;
            store.create_design(&actor, &organisation, write).await?
        }
    };
    let saved = store.design(&id).await?.ok_or(AppError::NotFound)?;
    Ok(SavedAnswer {
        id,
        intent: saved.summary.intent,
        totals: saved.summary.totals,
        price_book_version: saved.summary.price_book_version,
    })
}

pub async fn list_designs(caller: &Caller, page: PageRequest) -> Result<Paged<DesignSummary>, AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    match lightpath_domain::policy::listing_scope(&actor) {
        Some(scope) => Ok(caller.store.clone().designs(scope, page).await?),
        None => Ok(page.cut(Vec::new())),
    }
}

pub async fn duplicate_design(caller: &Caller, id: String) -> Result<Id, AppError> {
    let store = caller.store.clone();
    let (_, design) = visible_design(caller, &id).await?;
    let actor = caller.require(Permission::EditDesigns(&design.summary.organisation.id))?;
    store.duplicate_design(&actor, &design.summary.id).await?.ok_or(AppError::NotFound)
}

pub async fn delete_design(caller: &Caller, id: String) -> Result<(), AppError> {
    let store = caller.store.clone();
    let (_, design) = visible_design(caller, &id).await?;
    let actor = caller.require(Permission::EditDesigns(&design.summary.organisation.id))?;
    if store.delete_design(&actor, &design.summary.id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
