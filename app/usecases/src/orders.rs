//! Order use cases: ordering a saved design (idempotent, re-validated and re-priced), an
//! order with its timeline, cancelling, the order list, a second member's approval of large
//! orders and the credit review of held orders.

use crate::error::AppError;
use crate::model::orders::*;
use crate::Caller;
use lightpath_domain::account::Id;
use lightpath_domain::order::{IdempotencyKey, PurchaseOrder};
use lightpath_domain::order_plan::{price_unchanged, PlannedItem};
use lightpath_domain::policy::{check, Permission};
use lightpath_domain::records::PageRequest;
use lightpath_domain::approval::{second_member, OWN_ORDER};
use lightpath_domain::order::OrderState;
use lightpath_domain::records::{OrderApproval, OrderRecord, OrderSummary, Paged};
use lightpath_domain::service::OrderAction;
use lightpath_store::orders::{ApprovalOutcome, NewOrder};

/// The purchase-order reference as the buyer typed it (absent or empty: none).
pub(crate) fn purchase_order(typed: Option<&str>) -> Result<Option<PurchaseOrder>, AppError> {
    PurchaseOrder::parse(typed.unwrap_or_default())
        .map_err(|message| AppError::Fields(vec![("purchase_order".to_owned(), message)]))
}

pub async fn order_design(
    caller: &Caller,
    design: String,
    key: String,
    purchase_order: Option<String>,
) -> Result<OrderPlaced, AppError> {
    check(caller.actor(), Permission::SignedIn)?;
    let store = caller.store.clone();
    let design_id = Id::parse(&design).ok_or(AppError::NotFound)?;
    let saved = store.design(&design_id).await?.ok_or(AppError::NotFound)?;
    caller.require(Permission::SeeOrganisation(&saved.summary.organisation.id))?;
    let actor = caller.require(Permission::EditDesigns(&saved.summary.organisation.id))?;
    let key = IdempotencyKey::parse(&key).map_err(AppError::Invalid)?;
    let purchase_order = self::purchase_order(purchase_order.as_deref())?;
    let (Some(choice), Some(saved_totals)) = (saved.choice.clone(), saved.summary.totals) else {
        return Err(AppError::Invalid("Choose a bundle and save the design before ordering it.".into()));
    };
    // Everything again, on the network and prices of now.
    let (bundle, products, book) = crate::designs::chosen_now(&store, &saved.draft, &choice).await?;
    price_unchanged(saved_totals, bundle.totals).map_err(|moved| {
        AppError::Conflict(format!(
            "The price has changed since this design was saved: it is now {}. \
             Open the design, check the new price and save it again to order.",
            moved.figures("it was")
        ))
    })?;
    let items: Vec<PlannedItem> = bundle.items.iter().map(|item| PlannedItem::from_item(item, &products)).collect();
    // A cloud router and cloud connections need the buyer's cloud details, which a design does
    // not keep: they are ordered from their product pages (the design page links each one),
    // the rest here, and the order's timeline says what was left for that.
    let (cloud_items, items): (Vec<PlannedItem>, Vec<PlannedItem>) =
        items.into_iter().partition(|item| lightpath_domain::quote::needs_cloud_details(item.spec.product.as_str()));
    if items.is_empty() {
        return Err(AppError::Invalid(
            "Everything in this design is ordered with your clouds' details: order the cloud router, then each cloud \
             connection, from the links under “Your clouds' details” on the design page."
                .into(),
        ));
    }
    let (totals, note) = if cloud_items.is_empty() {
        (bundle.totals, None)
    } else {
        let titles: Vec<&str> = cloud_items.iter().map(|item| item.title.as_str()).collect();
        let note = format!(
            "Not in this order, as they need your clouds' details: {}. Order each from the design page's links.",
            titles.join("; ")
        );
        (items.iter().map(|item| item.totals).sum(), Some(note))
    };
    let request = serde_json::json!({
        "design": design_id.as_str(),
        "choice": choice,
        "totals": bundle.totals,
        "purchase_order": purchase_order.as_ref().map(PurchaseOrder::as_str),
    });
    let order = NewOrder {
        key: &key,
        request_json: request.to_string(),
        organisation: &saved.summary.organisation.id,
        design: Some(&design_id),
        action: OrderAction::Add,
        service: None,
        quote: None,
        quoted_item: None,
        name: &saved.summary.name,
        price_book_version: i64::from(book.version),
        totals,
        items,
        purchase_order: purchase_order.as_ref(),
        cloud: None,
        note,
    };
    let (id, created) = store.place_order(&actor, order).await?;
    Ok(OrderPlaced { id, created })
}

pub async fn load_order(caller: &Caller, id: String) -> Result<OrderRecord, AppError> {
    check(caller.actor(), Permission::SignedIn)?;
    let id = Id::parse(&id).ok_or(AppError::NotFound)?;
    let mut order = caller.store.clone().order(&id).await?.ok_or(AppError::NotFound)?;
    let reader = caller.require(Permission::SeeOrganisation(&order.summary.organisation.id))?;
    if order.summary.state == OrderState::Pending {
        let (placer, placed_by) = caller.store.order_placer(&id).await?.ok_or(AppError::NotFound)?;
        let may_not = match check(Some(&reader), Permission::ApproveOrders(&order.summary.organisation.id)) {
            Err(denial) => Some(AppError::from(denial).to_string()),
            Ok(()) => placer.and_then(|placer| second_member(&placer, &reader.id).err()).map(str::to_owned),
        };
        order.approval = Some(OrderApproval { placed_by, reader_may_decide: may_not.is_none(), reader_may_not: may_not });
    }
    Ok(order)
}

/// A second member approves an order waiting for approval (it goes on to the credit check,
/// then provisioning) or rejects it with a reason the person who placed it reads.
pub async fn decide_pending_order(caller: &Caller, id: String, approve: bool, comment: String) -> Result<(), AppError> {
    let record = load_order(caller, id).await?;
    let actor = caller.require(Permission::ApproveOrders(&record.summary.organisation.id))?;
    let comment = lightpath_domain::account::parse_note("comment", &comment)?;
    if !approve && comment.is_empty() {
        return Err(AppError::field("comment", "Say why the order is rejected: the person who placed it reads this."));
    }
    match caller.store.decide_pending_order(&actor, &record.summary.id, approve, &comment).await? {
        ApprovalOutcome::Approved { .. } | ApprovalOutcome::Rejected => Ok(()),
        ApprovalOutcome::OwnOrder => Err(AppError::Forbidden(OWN_ORDER.into())),
        ApprovalOutcome::NotWaiting => Err(AppError::Conflict(
            "This order no longer waits for approval: another member decided on it, or it was cancelled. Reload the order."
                .into(),
        )),
    }
}

pub async fn cancel_order(caller: &Caller, id: String) -> Result<(), AppError> {
    let record = load_order(caller, id).await?;
    let actor = caller.require(Permission::EditDesigns(&record.summary.organisation.id))?;
    match caller.store.clone().request_cancellation(&actor, &record.summary.id).await? {
        None => Ok(()),
        Some(state) => Err(AppError::Invalid(match state {
            OrderState::Cancelled => "This order is already cancelled.".to_owned(),
            OrderState::AssessingCancellation | OrderState::PendingCancellation => {
                "This order is already being cancelled.".to_owned()
            }
            ended => format!(
                "This order has ended ({}); it can no longer be cancelled. Disconnect its services instead.",
                ended.label().to_lowercase()
            ),
        })),
    }
}

pub async fn list_orders(caller: &Caller, page: PageRequest) -> Result<Paged<OrderSummary>, AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    match lightpath_domain::policy::listing_scope(&actor) {
        Some(scope) => Ok(caller.store.clone().orders(scope, page).await?),
        None => Ok(page.cut(Vec::new())),
    }
}

pub async fn held_orders(caller: &Caller, page: Option<u32>) -> Result<Paged<OrderSummary>, AppError> {
    caller.require(Permission::ReviewCredit)?;
    Ok(caller.store.clone().held_orders(PageRequest::new(page.unwrap_or(0))).await?)
}

pub async fn decide_held_order(caller: &Caller, id: String, approve: bool, comment: String) -> Result<(), AppError> {
    let actor = caller.require(Permission::ReviewCredit)?;
    let id = Id::parse(&id).ok_or(AppError::NotFound)?;
    let comment = lightpath_domain::account::parse_note("comment", &comment)?;
    if !approve && comment.is_empty() {
        return Err(AppError::field("comment", "Say why the order is rejected: the buyer reads this."));
    }
    if caller.store.clone().decide_held_order(&actor, &id, approve, &comment).await? {
        Ok(())
    } else {
        Err(AppError::Conflict(
            "This order is no longer held: another admin decided on it, or the buyer cancelled it. Reload the queue."
                .into(),
        ))
    }
}
