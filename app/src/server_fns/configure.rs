//! Configure-and-order of one product from its page: the sites to pick from, placing a
//! configuration on the live network, and ordering it (idempotent, re-placed and re-priced
//! here; the browser's figures are only compared, never trusted).

use crate::error::AppError;
use crate::server_fns::network::{NetworkView, SiteChoice};
use crate::server_fns::orders::OrderPlaced;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use lightpath_domain::configure::{Configuration, Placement};
use lightpath_domain::pricing::Totals;
use serde::{Deserialize, Serialize};

/// What the configurator needs besides the product page's own data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfiguratorData {
    pub sites: Vec<SiteChoice>,
    /// For drawing the path on the map.
    pub network: NetworkView,
    /// Whether the viewer may order for an organisation (a member who designs and orders).
    pub can_order: bool,
    /// The newest designs of the viewer's organisation, to keep a configured item in one:
    /// (id, name).
    pub designs: Vec<(String, String)>,
}

/// None when nobody is signed in (the product page stays public and answers 200).
#[server(endpoint = "configurator")]
pub async fn load_configurator() -> Result<Option<ConfiguratorData>, AppError> {
    crate::with_status(ssr::load_configurator().await)
}

/// Checks the ends and routes the configuration on the live network; the browser prices it.
#[server(endpoint = "place-configuration", input = Json)]
pub async fn place_configuration(config: Configuration) -> Result<Placement, AppError> {
    crate::with_status(ssr::place(&config).await.map(|(placement, _)| placement))
}

/// Keeps a configured product in a design, next to what its workload recommends: a new design
/// named after it, or one of the organisation's (`design`). `quote` also asks sales for a quote.
#[server(endpoint = "keep-configuration", input = Json)]
pub async fn keep_configuration(
    config: Configuration,
    design: Option<String>,
    quote: bool,
) -> Result<crate::server_fns::designs::SavedAnswer, AppError> {
    crate::with_status(ssr::keep_configuration(config, design, quote).await)
}

/// Orders a configuration at the price the buyer saw (`totals`); a price that changed since
/// is refused with the new one. `key` is one submission attempt's idempotency key.
#[server(endpoint = "order-configuration", input = Json)]
pub async fn order_configuration(config: Configuration, key: String, totals: Totals) -> Result<OrderPlaced, AppError> {
    crate::with_status(ssr::order_configuration(config, key, totals).await)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;
    use crate::auth::require;
    use lightpath_domain::catalog::Ends;
    use lightpath_domain::configure::{place as place_on, price, Configured, Problem};
    use lightpath_domain::order::IdempotencyKey;
    use lightpath_domain::policy::{allows, Permission};
    use lightpath_domain::routing::Topology;
    use lightpath_domain::service::OrderAction;
    use lightpath_domain::{PriceBook, Product};
    use lightpath_store::orders::NewOrder;

    fn store() -> Result<lightpath_store::Store, AppError> {
        super::super::store()
    }

    fn problem(problem: Problem) -> AppError {
        AppError::Fields(vec![(problem.field, problem.message)])
    }

    pub async fn load_configurator() -> Result<Option<ConfiguratorData>, AppError> {
        let Some(actor) = crate::auth::actor() else { return Ok(None) };
        let store = store()?;
        let network = crate::server_fns::network::network_view(&store).await?;
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
        let sites = crate::server_fns::network::site_choices(&network.sites);
        Ok(Some(ConfiguratorData { sites, network, can_order, designs }))
    }

    /// Places the configuration on the network as it is now; with the catalog and price book
    /// it was placed against.
    pub async fn place(config: &Configuration) -> Result<(Placement, (Vec<Product>, PriceBook)), AppError> {
        require(Permission::SignedIn)?;
        let store = store()?;
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
        config: Configuration,
        design: Option<String>,
        quote: bool,
    ) -> Result<crate::server_fns::designs::SavedAnswer, AppError> {
        use lightpath_domain::design::{DesignDraft, DesignIntent, MAX_CHOSEN_ITEMS};
        use lightpath_domain::recommend::{Choice, Tier};
        // Only what can be sold now is kept.
        let (placement, (products, book)) = place(&config).await?;
        let configured = price(&config, &placement, &products, &book).map_err(problem)?;
        let intent = |choice: bool| match (quote, choice) {
            (true, _) => DesignIntent::QuoteRequested,
            (false, true) => DesignIntent::Saved,
            (false, false) => DesignIntent::Draft,
        };
        let store = store()?;
        let (id, draft, intent, choice) = match design.filter(|id| !id.is_empty()) {
            Some(id) => {
                let design_id = lightpath_domain::account::Id::parse(&id).ok_or(AppError::NotFound)?;
                let saved = store.design(&design_id).await?.ok_or(AppError::NotFound)?;
                require(Permission::SeeOrganisation(&saved.summary.organisation.id))?;
                require(Permission::EditDesigns(&saved.summary.organisation.id))?;
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
        crate::server_fns::designs::ssr::save_design(id, draft, intent, choice).await
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
        config: Configuration,
        key: String,
        seen: Totals,
    ) -> Result<OrderPlaced, AppError> {
        let actor = require(Permission::SignedIn)?;
        let Some(organisation) = actor.organisation.clone() else {
            return Err(AppError::Forbidden(
                "Orders are placed by members of a customer organisation; staff order for customers through quotes."
                    .into(),
            ));
        };
        let actor = require(Permission::EditDesigns(&organisation.id))?;
        let key = IdempotencyKey::parse(&key).map_err(AppError::Invalid)?;
        let store = store()?;
        let request = serde_json::json!({ "configuration": config, "totals": seen });
        // A retry of an order already placed answers with it, whatever the network does now.
        if let Some(existing) = store.order_for_key(&organisation.id, &key, &request.to_string()).await? {
            return Ok(OrderPlaced { id: existing, created: false });
        }
        let (placement, (products, book)) = place(&config).await?;
        let Configured { items, totals, .. } = price(&config, &placement, &products, &book).map_err(problem)?;
        if totals != seen {
            return Err(AppError::Conflict(format!(
                "The price has changed: it is now {} a month and {} once (you saw {} and {}). Check the new price and order again.",
                totals.monthly_estimate(),
                totals.one_time,
                seen.monthly_estimate(),
                seen.one_time
            )));
        }
        let mut order_items = crate::server_fns::orders::ssr::new_order_items(&items, &products);
        // A one-site product is set up at its site, not on the platform.
        let product = products.iter().find(|product| product.id == config.product);
        if let (Some(Ends::One), Some(end)) = (product.map(|product| product.ends), placement.ends.first()) {
            for item in &mut order_items {
                item.route.a_end = end.site.clone();
                item.route.z_end = end.site.clone();
            }
        }
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
        };
        let (id, created) = store.place_order(&actor, order).await?;
        Ok(OrderPlaced { id, created })
    }
}
