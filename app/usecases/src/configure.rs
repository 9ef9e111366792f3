//! Configure-and-order use cases: placing one product's configuration on the live network,
//! keeping it in a design and ordering it (idempotent, placed and priced again here).

use crate::error::AppError;
use crate::model::configure::*;
use crate::model::orders::OrderPlaced;
use crate::Caller;
use lightpath_domain::catalog::Ends;
use lightpath_domain::configure::{place as place_on, price, Configured, Problem};
use lightpath_domain::configure::{Configuration, Offer, Placement};
use lightpath_domain::order::{IdempotencyKey, PurchaseOrder};
use lightpath_domain::order_plan::{configured_items, price_unchanged};
use lightpath_domain::policy::{allows, Permission};
use lightpath_domain::pricing::Totals;
use lightpath_domain::routing::Topology;
use lightpath_domain::service::OrderAction;
use lightpath_domain::{PriceBook, Product};
use crate::clouds::{CloudOrder, Prepared};
use lightpath_store::orders::NewOrder;

fn problem(problem: Problem) -> AppError {
    AppError::Fields(vec![(problem.field, problem.message)])
}

pub async fn load_configurator(caller: &Caller) -> Result<Option<ConfiguratorData>, AppError> {
    let Some(actor) = caller.actor().cloned() else { return Ok(None) };
    let store = caller.store.clone();
    let network = crate::network::network_view(&store).await?;
    let can_order =
        actor.organisation.as_ref().is_some_and(|org| allows(Some(&actor), Permission::EditDesigns(&org.id)));
    let designs = match (&actor.organisation, can_order) {
        (Some(org), true) => store
            .designs(Some(&org.id), lightpath_domain::records::PageRequest::new(0))
            .await?
            .items
            .into_iter()
            .map(|design| (design.id.to_string(), design.name))
            .collect(),
        _ => Vec::new(),
    };
    let sites = crate::model::network::site_choices(&network.sites);
    let routers = match (&actor.organisation, can_order) {
        (Some(org), true) => router_choices(&store, &org.id).await?,
        _ => Vec::new(),
    };
    Ok(Some(ConfiguratorData { sites, network, can_order, designs, routers }))
}

/// The organisation's cloud routers a cloud connection can attach to.
pub(crate) async fn router_choices(
    store: &lightpath_store::Store,
    organisation: &lightpath_domain::account::Id,
) -> Result<Vec<RouterChoice>, AppError> {
    Ok(store
        .active_cloud_routers(organisation)
        .await?
        .into_iter()
        .map(|router| RouterChoice {
            id: router.service.to_string(),
            site: router.site,
            asn: router.router.asn.number(),
        })
        .collect())
}

/// Places the configuration on the network as it is now; with the catalog and price book
/// it was placed against.
pub async fn place(
    caller: &Caller,
    config: &Configuration,
) -> Result<(Placement, (Vec<Product>, PriceBook)), AppError> {
    caller.require(Permission::SignedIn)?;
    place_now(&caller.store, config).await
}

/// Places and prices the configuration on the network as it is now, without ordering it:
/// what an integrator orders at (`POST /api/v1/offers`).
pub async fn offer(caller: &Caller, config: &Configuration) -> Result<Offer, AppError> {
    let (placement, (products, book)) = place(caller, config).await?;
    let configured = price(config, &placement, &products, &book).map_err(problem)?;
    Ok(Offer::new(placement, configured, book.version))
}

/// [`place`] for a caller already checked (a design's or a quote's items).
pub(crate) async fn place_now(
    store: &lightpath_store::Store,
    config: &Configuration,
) -> Result<(Placement, (Vec<Product>, PriceBook)), AppError> {
    let (sites, spans, reserved) = (store.sites().await?, store.spans().await?, store.reservations().await?);
    let (products, book) = (store.products().await?, store.current_price_book().await?);
    let config = config.clone();
    // Routing is CPU work: on the blocking pool, like the recommendation.
    tokio::task::spawn_blocking(move || {
        let topology = Topology::new(&sites, &spans).map_err(|error| AppError::Invalid(error.to_string()))?;
        let placement = place_on(&config, &products, &sites, &topology, &reserved).map_err(problem)?;
        Ok((placement, (products, book)))
    })
    .await
    .map_err(|_| AppError::Unavailable)?
}

pub async fn keep_configuration(
    caller: &Caller,
    config: Configuration,
    design: Option<String>,
    quote: bool,
) -> Result<crate::model::designs::SavedAnswer, AppError> {
    use lightpath_domain::design::{DesignDraft, DesignIntent, MAX_CHOSEN_ITEMS};
    use lightpath_domain::recommend::{Choice, Tier};
    // Only what can be sold now is kept.
    let (placement, (products, book)) = place(caller, &config).await?;
    let configured = price(&config, &placement, &products, &book).map_err(problem)?;
    let intent = |choice: bool| match (quote, choice) {
        (true, _) => DesignIntent::QuoteRequested,
        (false, true) => DesignIntent::Saved,
        (false, false) => DesignIntent::Draft,
    };
    let store = caller.store.clone();
    let (id, draft, intent, choice) = match design.filter(|id| !id.is_empty()) {
        Some(id) => {
            let design_id = lightpath_domain::account::Id::parse(&id).ok_or(AppError::NotFound)?;
            let saved = store.design(&design_id).await?.ok_or(AppError::NotFound)?;
            caller.require(Permission::SeeOrganisation(&saved.summary.organisation.id))?;
            caller.require(Permission::EditDesigns(&saved.summary.organisation.id))?;
            let mut draft = saved.draft;
            if draft.chosen_items.len() >= MAX_CHOSEN_ITEMS {
                return Err(AppError::Invalid(format!(
                    "This design keeps {MAX_CHOSEN_ITEMS} products from the catalog already: start a new design."
                )));
            }
            draft.chosen_items.push(config);
            let intent = intent(saved.choice.is_some());
            let choice = saved.choice.or_else(|| {
                quote.then(|| Choice { tier: Tier::Better, term: draft_term(&draft), options: Vec::new() })
            });
            (Some(id), draft, intent, choice)
        }
        None => {
            let name: String =
                configured.items.first().map_or_else(String::new, |item| item.title.chars().take(120).collect());
            let term = config.term;
            let draft = DesignDraft { name, chosen_items: vec![config], ..DesignDraft::default() };
            (None, draft, intent(true), Some(Choice { tier: Tier::Better, term, options: Vec::new() }))
        }
    };
    crate::designs::save_design(caller, id, draft, intent, choice).await
}

fn draft_term(draft: &lightpath_domain::design::DesignDraft) -> lightpath_domain::Term {
    draft
        .term_months
        .parse::<u8>()
        .ok()
        .and_then(|months| lightpath_domain::Term::from_months(months).ok())
        .unwrap_or(lightpath_domain::Term::Months12)
}

pub async fn order_configuration(
    caller: &Caller,
    config: Configuration,
    key: String,
    seen: Totals,
    purchase_order: Option<String>,
) -> Result<OrderPlaced, AppError> {
    order_configured(caller, config, None, key, seen, purchase_order).await
}

/// Orders one configured product, a cloud connection with its cloud's details: the one path
/// every configured order takes (idempotency, placing and pricing again, the price check).
pub(crate) async fn order_configured(
    caller: &Caller,
    config: Configuration,
    cloud: Option<CloudOrder<'_>>,
    key: String,
    seen: Totals,
    purchase_order: Option<String>,
) -> Result<OrderPlaced, AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    let Some(organisation) = actor.organisation.clone() else {
        return Err(AppError::Forbidden(
            "Orders are placed by members of a customer organisation; staff order for customers through quotes.".into(),
        ));
    };
    let actor = caller.require(Permission::EditDesigns(&organisation.id))?;
    let key = IdempotencyKey::parse(&key).map_err(AppError::Invalid)?;
    let purchase_order = crate::orders::purchase_order(purchase_order.as_deref())?;
    let store = caller.store.clone();
    let mut request = serde_json::json!({
        "configuration": config,
        "totals": seen,
        "purchase_order": purchase_order.as_ref().map(PurchaseOrder::as_str),
    });
    if let Some(cloud) = cloud {
        cloud.add_to(&mut request);
    }
    // A retry of an order already placed answers with it, whatever the network does now.
    if let Some(existing) = store.order_for_key(&organisation.id, &key, &request.to_string()).await? {
        return Ok(OrderPlaced { id: existing, created: false });
    }
    let cloud = crate::clouds::prepare(caller, &organisation, &config, cloud).await?;
    let (placement, (products, book)) = place(caller, &config).await?;
    let Configured { items, totals, .. } = price(&config, &placement, &products, &book).map_err(problem)?;
    price_unchanged(seen, totals).map_err(|moved| AppError::PriceChanged {
        message: format!(
            "The price has changed: it is now {}. Check the new price and order again.",
            moved.figures("you saw")
        ),
        totals,
    })?;
    // A one-site product is set up at its site, not on the platform.
    let product = products.iter().find(|product| product.id == config.product);
    let one_site = match (product.map(|product| product.ends), placement.ends.first()) {
        (Some(Ends::One), Some(end)) => Some(&end.site),
        _ => None,
    };
    let order_items = configured_items(&items, &products, one_site);
    let name = items.first().map(|item| item.title.clone()).unwrap_or_default();
    let order = NewOrder {
        key: &key,
        request_json: request.to_string(),
        organisation: &organisation.id,
        design: None,
        action: OrderAction::Add,
        service: None,
        quote: None,
        name: &name,
        price_book_version: i64::from(book.version),
        totals,
        items: order_items,
        purchase_order: purchase_order.as_ref(),
        cloud: cloud.as_ref().map(Prepared::item),
        quoted_item: None,
        note: None,
    };
    let (id, created) = store.place_order(&actor, order).await?;
    Ok(OrderPlaced { id, created })
}
