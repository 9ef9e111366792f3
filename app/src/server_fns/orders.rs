//! Product orders: ordering a saved design (idempotent, re-validated and re-priced here; the
//! browser's figures are never trusted), an order with its timeline, and the list of orders.

use crate::error::AppError;
use leptos::prelude::*;
use lightpath_domain::account::Id;
use lightpath_domain::records::{OrderRecord, OrderSummary, Paged};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPlaced {
    pub id: Id,
    /// False when this key had already placed the order (a double click, a retry).
    pub created: bool,
}

/// Orders the bundle saved with a design. `key` is one submission attempt's idempotency key:
/// the same key again returns the same order.
#[server(endpoint = "order-design")]
pub async fn order_design(design: String, key: String) -> Result<OrderPlaced, AppError> {
    crate::with_status(ssr::order_design(design, key).await)
}

#[server(endpoint = "order")]
pub async fn load_order(id: String) -> Result<OrderRecord, AppError> {
    crate::with_status(ssr::load_order(id).await)
}

/// Asks for a running order to be cancelled; the worker rolls back what was provisioned.
#[server(endpoint = "cancel-order")]
pub async fn cancel_order(id: String) -> Result<(), AppError> {
    crate::with_status(ssr::cancel_order(id).await)
}

/// One page (0-based) of the orders the viewer may see, newest first.
#[server(endpoint = "orders")]
pub async fn list_orders(page: Option<u32>) -> Result<Paged<OrderSummary>, AppError> {
    crate::with_status(ssr::list_orders(page).await)
}

/// Orders held for a credit review, oldest first (admins).
#[server(endpoint = "held-orders")]
pub async fn held_orders(page: Option<u32>) -> Result<Paged<OrderSummary>, AppError> {
    crate::with_status(ssr::held_orders(page).await)
}

/// An admin approves a held order (it provisions at once) or rejects it with a reason the
/// buyer reads.
#[server(endpoint = "decide-held-order")]
pub async fn decide_held_order(id: String, approve: bool, comment: String) -> Result<(), AppError> {
    crate::with_status(ssr::decide_held_order(id, approve, comment).await)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;
    use crate::auth::require;
    use lightpath_domain::network::PLATFORM_SITE;
    use lightpath_domain::order::IdempotencyKey;
    use lightpath_domain::policy::{check, Permission};
    use lightpath_domain::recommend::Item;
    use lightpath_domain::records::PageRequest;
    use lightpath_domain::service::OrderAction;
    use lightpath_domain::Product;
    use lightpath_domain::SiteId;
    use lightpath_store::orders::{ItemRoute, NewOrder, NewOrderItem};

    fn store() -> Result<lightpath_store::Store, AppError> {
        super::super::store()
    }

    pub async fn order_design(design: String, key: String) -> Result<OrderPlaced, AppError> {
        check(crate::auth::actor().as_ref(), Permission::SignedIn)?;
        let store = store()?;
        let design_id = Id::parse(&design).ok_or(AppError::NotFound)?;
        let saved = store.design(&design_id).await?.ok_or(AppError::NotFound)?;
        require(Permission::SeeOrganisation(&saved.summary.organisation.id))?;
        let actor = require(Permission::EditDesigns(&saved.summary.organisation.id))?;
        let key = IdempotencyKey::parse(&key).map_err(AppError::Invalid)?;
        let (Some(choice), Some(saved_totals)) = (saved.choice.clone(), saved.summary.totals) else {
            return Err(AppError::Invalid("Choose a bundle and save the design before ordering it.".into()));
        };
        // Everything again, on the network and prices of now.
        let (bundle, products, book) =
            crate::server_fns::designs::ssr::chosen_now(&store, &saved.draft, &choice).await?;
        if bundle.totals != saved_totals {
            return Err(AppError::Conflict(format!(
                "The price has changed since this design was saved: it is now {} a month and {} once (it was {} and {}). \
                 Open the design, check the new price and save it again to order.",
                bundle.totals.monthly_estimate(),
                bundle.totals.one_time,
                saved_totals.monthly_estimate(),
                saved_totals.one_time
            )));
        }
        let items = new_order_items(&bundle.items, &products);
        let request = serde_json::json!({ "design": design_id.as_str(), "choice": choice, "totals": bundle.totals });
        let order = NewOrder {
            key: &key,
            request_json: request.to_string(),
            organisation: &saved.summary.organisation.id,
            design: Some(&design_id),
            action: OrderAction::Add,
            service: None,
            quote: None,
            name: &saved.summary.name,
            price_book_version: i64::from(book.version),
            totals: bundle.totals,
            items,
        };
        let (id, created) = store.place_order(&actor, order).await?;
        Ok(OrderPlaced { id, created })
    }

    /// What the network provisions for each priced item: its route (items without one are set
    /// up on the carrier's platform), its rate and its price.
    pub(crate) fn new_order_items(items: &[Item], products: &[Product]) -> Vec<NewOrderItem> {
        items
            .iter()
            .map(|item| {
                let bandwidth = products
                    .iter()
                    .find(|product| product.id == item.spec.product)
                    .and_then(|product| product.option(&item.spec.option))
                    .and_then(|option| option.bandwidth)
                    .map_or(0, |bandwidth| bandwidth.mbps());
                let (a_end, z_end, spans, mbps) = match &item.path {
                    Some(path) => (
                        path.sites.first().cloned(),
                        path.sites.last().cloned(),
                        path.spans.clone(),
                        bandwidth * u64::from(item.spec.count),
                    ),
                    None => (None, None, Vec::new(), 0),
                };
                // Items without a route are set up on the carrier's platform.
                let core = || SiteId::parse(PLATFORM_SITE).expect("a valid site id");
                NewOrderItem {
                    title: item.title.clone(),
                    spec: item.spec.clone(),
                    round_trip_micros: item.path.as_ref().map(|path| path.latency_micros * 2),
                    holder: None,
                    from_mbps: None,
                    route: ItemRoute {
                        product: item.spec.product.clone(),
                        a_end: a_end.unwrap_or_else(core),
                        z_end: z_end.unwrap_or_else(core),
                        spans,
                        mbps,
                    },
                    totals: item.priced.totals,
                }
            })
            .collect()
    }

    pub async fn load_order(id: String) -> Result<OrderRecord, AppError> {
        check(crate::auth::actor().as_ref(), Permission::SignedIn)?;
        let id = Id::parse(&id).ok_or(AppError::NotFound)?;
        let order = store()?.order(&id).await?.ok_or(AppError::NotFound)?;
        require(Permission::SeeOrganisation(&order.summary.organisation.id))?;
        Ok(order)
    }

    pub async fn cancel_order(id: String) -> Result<(), AppError> {
        let record = load_order(id).await?;
        let actor = require(Permission::EditDesigns(&record.summary.organisation.id))?;
        match store()?.request_cancellation(&actor, &record.summary.id).await? {
            None => Ok(()),
            Some(state) => Err(AppError::Invalid(match state {
                lightpath_domain::order::OrderState::Cancelled => "This order is already cancelled.".to_owned(),
                lightpath_domain::order::OrderState::AssessingCancellation
                | lightpath_domain::order::OrderState::PendingCancellation => {
                    "This order is already being cancelled.".to_owned()
                }
                ended => format!(
                    "This order has ended ({}); it can no longer be cancelled. Disconnect its services instead.",
                    ended.label().to_lowercase()
                ),
            })),
        }
    }

    pub async fn list_orders(page: Option<u32>) -> Result<Paged<OrderSummary>, AppError> {
        let actor = require(Permission::SignedIn)?;
        let page = PageRequest::new(page.unwrap_or(0));
        match lightpath_domain::policy::listing_scope(&actor) {
            Some(scope) => Ok(store()?.orders(scope, page).await?),
            None => Ok(page.cut(Vec::new())),
        }
    }

    pub async fn held_orders(page: Option<u32>) -> Result<Paged<OrderSummary>, AppError> {
        require(Permission::ReviewCredit)?;
        Ok(store()?.held_orders(PageRequest::new(page.unwrap_or(0))).await?)
    }

    pub async fn decide_held_order(id: String, approve: bool, comment: String) -> Result<(), AppError> {
        let actor = require(Permission::ReviewCredit)?;
        let id = Id::parse(&id).ok_or(AppError::NotFound)?;
        let comment = lightpath_domain::account::parse_note("comment", &comment)?;
        if !approve && comment.is_empty() {
            return Err(AppError::field("comment", "Say why the order is rejected: the buyer reads this."));
        }
        if store()?.decide_held_order(&actor, &id, approve, &comment).await? {
            Ok(())
        } else {
            Err(AppError::Conflict(
                "This order is no longer held: another admin decided on it, or the buyer cancelled it. Reload the queue."
                    .into(),
            ))
        }
    }
}
