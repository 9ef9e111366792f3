//! Quote use cases: the sales workspace, the editor's data, saving versions, the state
//! moves by role and acceptance, which orders the quoted lines at the quoted price.

use crate::error::AppError;
use crate::model::orders::OrderPlaced;
use crate::model::quotes::*;
use crate::Caller;
use lightpath_domain::account::{Actor, Id};
use lightpath_domain::order::{IdempotencyKey, PurchaseOrder};
use lightpath_domain::order_plan::{capacity_needs, check_capacity, CapacityShort, Commitment, PlannedItem};
use lightpath_domain::policy::{check, listing_scope, Permission};
use lightpath_domain::pricing::price_item;
use lightpath_domain::quote::QuoteAction;
use lightpath_domain::configure::Configuration;
use lightpath_domain::cloud::OnRamp;
use lightpath_domain::network::SiteId;
use lightpath_domain::quote::{
    needs_cloud_details, next_state, quote_items, valid_until, CloudItemState, Discount, QuoteState, QuotedCloudItem,
    CLOUD_ITEM_HOLD_DAYS,
};
use lightpath_domain::recommend::Choice;
use lightpath_domain::records::PageRequest;
use lightpath_domain::records::{Paged, QuoteItem, QuoteRecord, QuoteSummary, QuoteVersion};
use lightpath_domain::service::OrderAction;
use lightpath_store::orders::NewOrder;
use lightpath_store::quotes::NewVersion;

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// The most quote requests a quotes page lists (the count in the header has them all).
const QUEUE_SHOWN: i64 = 50;

pub async fn list_quotes(
    caller: &Caller,
    page: PageRequest,
    organisation: Option<String>,
) -> Result<QuotesView, AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    let store = caller.store.clone();
    let can_build = check(Some(&actor), Permission::BuildQuotes).is_ok();
    let asked = organisation.as_deref().and_then(Id::parse);
    let quotes = match listing_scope(&actor) {
        // Staff see every customer's quotes, or one customer's when asked.
        Some(None) => store.quotes(asked.as_ref(), false, page).await?,
        // A customer sees their own organisation's, once sent; asking for another is empty.
        Some(Some(own)) if asked.as_ref().is_none_or(|asked| asked == own) => {
            store.quotes(Some(own), true, page).await?.map(QuoteSummary::for_customer)
        }
        _ => page.cut(Vec::new()),
    };
    let designs = if can_build { store.designs(None, PageRequest::default()).await?.items } else { Vec::new() };
    // Quote requests not yet answered: every customer's for sales engineers (their queue), a
    // customer's own otherwise, so a request never vanishes from view.
    let requests = match listing_scope(&actor) {
        Some(None) if can_build => store.quote_requests(None, QUEUE_SHOWN).await?,
        Some(Some(own)) => store.quote_requests(Some(own), QUEUE_SHOWN).await?,
        _ => Vec::new(),
    };
    Ok(QuotesView { quotes, designs, requests, can_build })
}

pub async fn pending_approvals(caller: &Caller, page: Option<u32>) -> Result<Paged<QuoteSummary>, AppError> {
    caller.require(Permission::ApproveDiscounts)?;
    Ok(caller.store.clone().quotes_pending_approval(PageRequest::new(page.unwrap_or(0))).await?)
}

/// The quote, if the signed-in person may see it: staff all, customers their
/// organisation's quotes once sent (others answer as if missing).
pub async fn visible(caller: &Caller, id: &str) -> Result<(Actor, QuoteRecord), AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    let id = Id::parse(id).ok_or(AppError::NotFound)?;
    let record = caller.store.clone().quote(&id).await?.ok_or(AppError::NotFound)?;
    caller.require(Permission::SeeOrganisation(&record.summary.organisation.id))?;
    if !actor.role.is_staff() && !record.summary.shared {
        return Err(AppError::NotFound);
    }
    Ok((actor, record))
}

pub async fn load_quote(caller: &Caller, id: String) -> Result<QuoteView, AppError> {
    let (actor, record) = visible(caller, &id).await?;
    let staff = actor.role.is_staff();
    let (state, discount) = (record.summary.state, record.summary.discount_bp);
    let store = caller.store.clone();
    let wrote_it = staff
        && store.quote_version_author(&record.summary.id, record.summary.version).await?.as_ref() == Some(&actor.id);
    let allowed = |action: QuoteAction| {
        let permitted = match action {
            QuoteAction::Approve | QuoteAction::Reject => {
                check(Some(&actor), Permission::ApproveDiscounts).is_ok() && !wrote_it
            }
            QuoteAction::Accept => {
                check(Some(&actor), Permission::EditDesigns(&record.summary.organisation.id)).is_ok()
            }
            _ => check(Some(&actor), Permission::BuildQuotes).is_ok(),
        };
        permitted && next_state(state, action, discount).is_ok()
    };
    let actions = [
        QuoteAction::RequestApproval,
        QuoteAction::Approve,
        QuoteAction::Reject,
        QuoteAction::Send,
        QuoteAction::Accept,
        QuoteAction::Cancel,
    ]
    .into_iter()
    .filter(|action| allowed(*action))
    .collect::<Vec<_>>();
    // Whoever may accept reviews what accepting commits them to, at the quoted prices: every
    // line but the cloud items, which are ordered later with the cloud's details.
    let commitment = match (actions.contains(&QuoteAction::Accept), record.current()) {
        (true, Some(current)) => {
            let items: Vec<PlannedItem> = current
                .items
                .iter()
                .filter_map(PlannedItem::from_quoted)
                .filter(|item| !needs_cloud_details(item.spec.product.as_str()))
                .collect();
            let book = store.price_book(current.price_book_version).await?;
            match book {
                Some(book) => Some(Commitment::of(&items, &store.products().await?, &book)),
                None => None,
            }
        }
        _ => None,
    };
    let can_revise =
        staff && !matches!(state, QuoteState::Accepted | QuoteState::Cancelled) && record.summary.design_id.is_some();
    let network = crate::network::network_view(&store).await?;
    let cloud_items = cloud_items(&store, &record).await?;
    let can_order_cloud_items =
        !cloud_items.is_empty() && check(Some(&actor), Permission::EditDesigns(&record.summary.organisation.id)).is_ok();
    let record = if staff { record } else { record.for_customer() };
    Ok(QuoteView { record, actions, can_revise, staff, network, commitment, cloud_items, can_order_cloud_items })
}

pub async fn quote_editor(
    caller: &Caller,
    design: Option<String>,
    quote: Option<String>,
) -> Result<EditorStart, AppError> {
    caller.require(Permission::BuildQuotes)?;
    let store = caller.store.clone();
    let revising = match &quote {
        Some(id) => Some(visible(caller, id).await?.1),
        None => None,
    };
    if let Some(state) = revising.as_ref().map(|record| record.summary.state) {
        if matches!(state, QuoteState::Accepted | QuoteState::Cancelled) {
            return Err(AppError::Invalid(format!(
                "This quote is {}: it cannot be revised. Start a new quote from its design.",
                state.label().to_lowercase()
            )));
        }
    }
    let design_id = revising
        .as_ref()
        .and_then(|record| record.summary.design_id.clone())
        .or_else(|| design.as_deref().and_then(Id::parse))
        .ok_or_else(|| AppError::Invalid("Pick a saved design to quote from.".into()))?;
    let saved = store.design(&design_id).await?.ok_or(AppError::NotFound)?;
    let recommended = crate::designs::recommend_live(&store, &saved.draft).await?.1;
    let mut added = Vec::new();
    let (choice, removed, terms, seen_version) = match revising.as_ref().and_then(QuoteRecord::current) {
        Some(current) => {
            for config in &current.added {
                // A configuration the network can no longer carry is left out; the
                // sales engineer adds it again, on the network as it is now.
                if let Ok((placement, _)) = crate::configure::place_now(&store, config).await {
                    added.push((config.clone(), placement));
                }
            }
            let days = ((current.valid_until_ms - now_ms()) / 86_400_000).max(1);
            let terms = QuoteTerms {
                discount: lightpath_domain::quote::format_discount(current.discount_bp).replace(" %", ""),
                validity_days: days.to_string(),
                reason: current.reason.clone(),
            };
            (current.choice.clone(), current.removed.clone(), terms, Some(current.version))
        }
        None => {
            let better = recommended.recommendation.bundles.get(1).or(recommended.recommendation.bundles.first());
            let choice = saved.choice.clone().unwrap_or_else(|| Choice {
                tier: better.map_or(lightpath_domain::recommend::Tier::Better, |bundle| bundle.tier),
                term: better.map_or(lightpath_domain::Term::Months12, |bundle| bundle.term),
                options: Vec::new(),
            });
            (choice, Vec::new(), QuoteTerms::default(), None)
        }
    };
    Ok(EditorStart {
        design_id: design_id.to_string(),
        design_name: saved.summary.name.clone(),
        organisation: saved.summary.organisation.name.clone(),
        recommended,
        quote_id: quote,
        seen_version,
        choice,
        removed,
        terms,
        catalog: store.products().await?,
        book: store.current_price_book().await?,
        sites: crate::model::network::site_choices(&store.sites().await?),
        added,
    })
}

pub async fn save_quote(caller: &Caller, input: QuoteInput) -> Result<String, AppError> {
    let actor = caller.require(Permission::BuildQuotes)?;
    let store = caller.store.clone();
    let mut problems = Vec::new();
    let discount =
        Discount::parse(&input.discount).map_err(|message| problems.push(("discount".to_owned(), message))).ok();
    let valid_until_ms = valid_until(now_ms(), &input.validity_days)
        .map_err(|message| problems.push(("validity_days".to_owned(), message)))
        .ok();
    if discount.is_some_and(Discount::needs_approval) && input.reason.trim().is_empty() {
        problems.push((
            "reason".to_owned(),
            "Say why this discount is needed: the admin who approves it reads this.".to_owned(),
        ));
    }
    let (Some(discount), Some(valid_until_ms)) = (discount, valid_until_ms) else {
        return Err(AppError::Fields(problems));
    };
    if !problems.is_empty() {
        return Err(AppError::Fields(problems));
    }
    // A revision prices the quote's own design, whatever design the request names.
    let revising = match (&input.quote, input.seen_version) {
        (Some(quote), Some(seen)) => Some((visible(caller, quote).await?.1, seen)),
        _ => None,
    };
    let design_id =
        match &revising {
            Some((record, _)) => record.summary.design_id.clone().ok_or_else(|| {
                AppError::Invalid("This quote has no design to revise from: start a new quote.".into())
            })?,
            None => Id::parse(&input.design).ok_or(AppError::NotFound)?,
        };
    let saved = store.design(&design_id).await?.ok_or_else(|| {
        AppError::Invalid("That design does not exist (any more): pick another design to quote from.".into())
    })?;
    let (bundle, products, book) = crate::designs::chosen_now(&store, &saved.draft, &input.choice).await?;
    if input.added.len() > MAX_ADDED {
        return Err(AppError::Invalid(format!(
            "A quote adds at most {MAX_ADDED} catalog items besides its bundle: start a design for more."
        )));
    }
    let mut added = Vec::new();
    for config in &input.added {
        let (placement, _) = crate::configure::place_now(&store, config).await?;
        let configured = lightpath_domain::configure::price(config, &placement, &products, &book)
            .map_err(|problem| AppError::Invalid(problem.message))?;
        added.extend(configured.items);
    }
    let (items, list, net) = quote_items(&bundle, &input.removed, &added, discount, &products);
    if items.iter().all(|item| item.spec.is_none()) {
        return Err(AppError::Invalid(
            "Nothing left to quote: keep at least one item, or pick a design whose sites we can serve.".into(),
        ));
    }
    let version = NewVersion {
        price_book_version: i64::from(book.version),
        valid_until_ms,
        discount_bp: discount.bp(),
        reason: input.reason.trim().to_owned(),
        choice: input.choice.clone(),
        removed: input.removed.clone(),
        added: input.added.clone(),
        items,
        list,
        net,
    };
    match revising {
        Some((record, seen)) => match store.revise_quote(&actor, &record.summary.id, seen, &version).await? {
            Some(_) => Ok(record.summary.id.to_string()),
            None => Err(AppError::Conflict(
                "This quote changed since you opened it (revised, accepted or cancelled). Reload it and revise again."
                    .into(),
            )),
        },
        None => {
            let name = format!("Quote: {}", saved.summary.name);
            let id =
                store.create_quote(&actor, &saved.summary.organisation.id, Some(&design_id), &name, &version).await?;
            Ok(id.to_string())
        }
    }
}

pub async fn act_on_quote(
    caller: &Caller,
    id: String,
    version: i64,
    action: QuoteAction,
    comment: String,
) -> Result<(), AppError> {
    let (actor, record) = visible(caller, &id).await?;
    match action {
        QuoteAction::Approve | QuoteAction::Reject => caller.require(Permission::ApproveDiscounts)?,
        QuoteAction::Accept => {
            return Err(AppError::Invalid("Accept a quote with the Accept button: it places the order.".into()))
        }
        _ => caller.require(Permission::BuildQuotes)?,
    };
    let summary = &record.summary;
    if summary.version != version {
        return Err(AppError::Conflict(format!(
            "This quote has a newer version ({}) than the one you acted on ({version}). Reload it.",
            summary.version
        )));
    }
    // Four eyes on every discount above the sales limit: whoever wrote the version does not
    // decide on it, even as an admin.
    if matches!(action, QuoteAction::Approve | QuoteAction::Reject)
        && caller.store.clone().quote_version_author(&summary.id, version).await?.as_ref() == Some(&actor.id)
    {
        return Err(AppError::Forbidden(
            "You wrote this version of the quote: another admin must approve or reject its discount.".into(),
        ));
    }
    let comment = comment.trim();
    if action == QuoteAction::Reject && comment.is_empty() {
        return Err(AppError::field("comment", "Say why the discount is rejected: the sales engineer reads this."));
    }
    let next =
        next_state(summary.state, action, summary.discount_bp).map_err(|error| AppError::Invalid(error.to_string()))?;
    let decision = match action {
        QuoteAction::Approve => Some(format!("Approved by {}{}", actor.name, said(comment))),
        QuoteAction::Reject => Some(format!("Rejected by {}{}", actor.name, said(comment))),
        _ => None,
    };
    // Past this point the quote is not expired, so the state read is the stored one.
    if caller.store.clone().move_quote(&actor, &summary.id, version, summary.state, next, decision.as_deref()).await? {
        Ok(())
    } else {
        Err(AppError::Conflict("This quote changed meanwhile (or its validity ended). Reload it.".into()))
    }
}

fn said(comment: &str) -> String {
    if comment.is_empty() {
        String::new()
    } else {
        format!(": “{comment}”")
    }
}

pub async fn accept_quote(
    caller: &Caller,
    id: String,
    version: i64,
    key: String,
    purchase_order: Option<String>,
) -> Result<OrderPlaced, AppError> {
    let (_, record) = visible(caller, &id).await?;
    let actor = caller.require(Permission::EditDesigns(&record.summary.organisation.id))?;
    let key = IdempotencyKey::parse(&key).map_err(AppError::Invalid)?;
    let purchase_order = crate::orders::purchase_order(purchase_order.as_deref())?;
    let store = caller.store.clone();
    let request = serde_json::json!({
        "quote": record.summary.id.as_str(),
        "version": version,
        "purchase_order": purchase_order.as_ref().map(PurchaseOrder::as_str),
    });
    // A retry of an acceptance that went through answers with its order.
    if let Some(id) = store.order_for_key(&record.summary.organisation.id, &key, &request.to_string()).await? {
        return Ok(OrderPlaced { id, created: false });
    }
    let summary = &record.summary;
    next_state(summary.state, QuoteAction::Accept, summary.discount_bp)
        .map_err(|error| AppError::Invalid(error.to_string()))?;
    let current = record.current().ok_or(AppError::NotFound)?;
    if current.version != version {
        return Err(AppError::Conflict(format!(
            "This quote was revised: version {} is the one to accept. Reload it and check the new price.",
            current.version
        )));
    }
    honoured(&store, current).await?;
    // Every quoted product, on its quoted route: what they need on each span must be free now.
    // Cloud items wait for the buyer's cloud details and are ordered one by one from the quote
    // (`order_quoted_cloud_item`) at their quoted price; the acceptance orders the rest.
    let (cloud_items, items): (Vec<PlannedItem>, Vec<PlannedItem>) = current
        .items
        .iter()
        .filter_map(PlannedItem::from_quoted)
        .partition(|item| needs_cloud_details(item.spec.product.as_str()));
    still_free(&store, &items).await?;
    let note = (!cloud_items.is_empty()).then(|| {
        let titles: Vec<&str> = cloud_items.iter().map(|item| item.title.as_str()).collect();
        format!(
            "Waiting for your clouds' details, at the quoted price for {CLOUD_ITEM_HOLD_DAYS} days: {}. \
             Give them on the quote's page to order each.",
            titles.join("; ")
        )
    });
    let totals = items.iter().map(|item| item.totals).sum();
    let order = NewOrder {
        key: &key,
        request_json: request.to_string(),
        organisation: &summary.organisation.id,
        design: summary.design_id.as_ref(),
        action: OrderAction::Add,
        service: None,
        quote: Some((&summary.id, current.version)),
        name: &summary.name,
        quoted_item: None,
        price_book_version: current.price_book_version,
        totals,
        items,
        purchase_order: purchase_order.as_ref(),
        cloud: None,
        note,
    };
    let (id, created) = store.place_order(&actor, order).await?;
    Ok(OrderPlaced { id, created })
}

/// The quote's price book version is honoured: every item prices the same with it today.
async fn honoured(store: &lightpath_store::Store, current: &QuoteVersion) -> Result<(), AppError> {
    let products = store.products().await?;
    let book = store
        .price_book(current.price_book_version)
        .await?
        .ok_or_else(|| AppError::Invalid("The price book this quote used is gone: ask for a new version.".into()))?;
    for item in &current.items {
        if let Some(spec) = &item.spec {
            let priced = price_item(&products, &book, spec).map_err(|error| AppError::Invalid(error.to_string()))?;
            if priced.totals != item.list {
                return Err(AppError::Conflict(format!(
                    "{} no longer prices as quoted. Ask your sales engineer for a new version.",
                    item.title
                )));
            }
        }
    }
    Ok(())
}

/// What the quoted items need on each span of their quoted routes is free now.
async fn still_free(store: &lightpath_store::Store, items: &[PlannedItem]) -> Result<(), AppError> {
    let (spans, reserved) = (store.spans().await?, store.reservations().await?);
    check_capacity(capacity_needs(items), &spans, &reserved).map_err(|short| match short {
        CapacityShort::Gone(span) => AppError::Invalid(format!(
            "Span {span} of this quote is no longer on our network. Ask your sales engineer for a new version."
        )),
        CapacityShort::Full { span, .. } => AppError::Conflict(format!(
            "The capacity this quote needs on span {span} has been taken since it was sent. \
             Ask your sales engineer for a new version on another path."
        )),
    })
}

/// An accepted quote's cloud items and where each stands (waiting for the buyer's cloud
/// details until a date, ordered, or lapsed); empty for a quote not accepted.
async fn cloud_items(store: &lightpath_store::Store, record: &QuoteRecord) -> Result<Vec<QuotedCloudItem>, AppError> {
    let (QuoteState::Accepted, Some(current), Some(order)) =
        (record.summary.state, record.current(), record.summary.order_id.as_ref())
    else {
        return Ok(Vec::new());
    };
    let quoted: Vec<(u32, &QuoteItem)> = (0u32..)
        .zip(&current.items)
        .filter(|(_, item)| item.spec.as_ref().is_some_and(|spec| needs_cloud_details(spec.product.as_str())))
        .collect();
    if quoted.is_empty() {
        return Ok(Vec::new());
    }
    let accepted_at_ms = store.order_placed_at_ms(order).await?.unwrap_or(record.summary.updated_at_ms);
    let ordered = store.quoted_item_orders(&record.summary.id).await?;
    Ok(quoted
        .into_iter()
        .filter_map(|(position, item)| {
            let spec = item.spec.as_ref()?;
            let taken = ordered.iter().find(|(at, _)| *at == position).map(|(_, order)| order.clone());
            let (state, until_ms) = CloudItemState::of(accepted_at_ms, now_ms(), taken.is_some());
            Some(QuotedCloudItem {
                position,
                title: item.title.clone(),
                product: spec.product.clone(),
                a_end: item.route.as_ref().map(|route| route.a_end.clone()),
                z_end: item.route.as_ref().map(|route| route.z_end.clone()),
                net: item.net,
                state,
                until_ms,
                order: taken,
            })
        })
        .collect())
}

/// Orders line `position` of an accepted quote, a cloud connection or cloud router, with the
/// buyer's cloud details (`details`; a cloud router's `site`, the metro it runs in) at its
/// quoted price and on its quoted route. Idempotent by `key`; one live order per line; within
/// [`CLOUD_ITEM_HOLD_DAYS`] of the acceptance.
pub async fn order_quoted_cloud_item(
    caller: &Caller,
    id: String,
    position: u32,
    details: Option<crate::clouds::CloudOrder<'_>>,
    site: Option<String>,
    key: String,
    purchase_order: Option<String>,
) -> Result<OrderPlaced, AppError> {
    let (_, record) = visible(caller, &id).await?;
    let organisation = record.summary.organisation.clone();
    let actor = caller.require(Permission::EditDesigns(&organisation.id))?;
    let key = IdempotencyKey::parse(&key).map_err(AppError::Invalid)?;
    let purchase_order = crate::orders::purchase_order(purchase_order.as_deref())?;
    let store = caller.store.clone();
    let mut request = serde_json::json!({
        "quote": record.summary.id.as_str(),
        "position": position,
        "site": site,
        "purchase_order": purchase_order.as_ref().map(PurchaseOrder::as_str),
    });
    if let Some(details) = details {
        details.add_to(&mut request);
    }
    // A retry of an order already placed answers with it.
    if let Some(id) = store.order_for_key(&organisation.id, &key, &request.to_string()).await? {
        return Ok(OrderPlaced { id, created: false });
    }
    let item = cloud_items(&store, &record)
        .await?
        .into_iter()
        .find(|item| item.position == position)
        .ok_or_else(|| match record.summary.state {
            QuoteState::Accepted => AppError::NotFound,
            _ => AppError::Conflict(
                "Accept the quote first: its cloud items are ordered with your clouds' details once it is accepted."
                    .into(),
            ),
        })?;
    match item.state {
        CloudItemState::Waiting => {}
        CloudItemState::Ordered => {
            return Err(AppError::Conflict(format!(
                "{} is already ordered (order {}); it is ordered again only if that order is rejected, fails or is \
                 cancelled, or the cloud rejects the connection.",
                item.title,
                item.order.as_ref().map(Id::as_str).unwrap_or_default()
            )));
        }
        CloudItemState::Lapsed => {
            return Err(AppError::Conflict(format!(
                "{} was not ordered within {CLOUD_ITEM_HOLD_DAYS} days of the quote's acceptance: ask your sales \
                 engineer for a new quote, or order it from its product page.",
                item.title
            )));
        }
    }
    let current = record.current().ok_or(AppError::NotFound)?;
    let quoted = current.items.get(position as usize).ok_or(AppError::NotFound)?;
    let planned = PlannedItem::from_quoted(quoted).ok_or(AppError::NotFound)?;
    let config = Configuration {
        product: planned.spec.product.clone(),
        option: planned.spec.option.clone(),
        term: planned.spec.term,
        a_end: match (&item.a_end, site.as_deref().map(str::trim)) {
            (Some(near), _) => Some(near.clone()),
            (None, Some(site)) if !site.is_empty() => Some(SiteId::parse(site).map_err(|_| {
                AppError::field("site", "Choose one of our metros or data centres by its site id, like chi-dc-1.")
            })?),
            (None, _) => return Err(AppError::field("site", "Choose the metro the cloud router runs in.")),
        },
        z_end: item.z_end.clone(),
        diverse: false,
        amounts: Vec::new(),
        count: planned.spec.count,
    };
    // A cloud router runs in one of our metros or data centres, not at a cloud's on-ramp.
    let metro = |site: &SiteId| OnRamp::of_site_id(site.as_str()).is_none();
    if item.a_end.is_none()
        && !store.sites().await?.iter().any(|known| Some(&known.id) == config.a_end.as_ref() && metro(&known.id))
    {
        return Err(AppError::field("site", "Choose one of our metros or data centres by its site id, like chi-dc-1."));
    }
    let cloud = crate::clouds::prepare(caller, &organisation, &config, details).await?;
    honoured(&store, current).await?;
    let mut planned = planned;
    if let Some(crate::clouds::Prepared::Router { site, .. }) = &cloud {
        // A cloud router is set up at the metro chosen for it, as from its product page.
        if let Ok(site) = SiteId::parse(site) {
            planned.at_site(&site);
        }
    }
    still_free(&store, std::slice::from_ref(&planned)).await?;
    let note = format!("Line {} of quote {}, at its quoted price.", position + 1, record.summary.name);
    let order = NewOrder {
        key: &key,
        request_json: request.to_string(),
        organisation: &organisation.id,
        design: record.summary.design_id.as_ref(),
        action: OrderAction::Add,
        service: None,
        quote: None,
        quoted_item: Some((&record.summary.id, position)),
        name: &planned.title.clone(),
        price_book_version: current.price_book_version,
        totals: planned.totals,
        items: vec![planned],
        purchase_order: purchase_order.as_ref(),
        cloud: cloud.as_ref().map(crate::clouds::Prepared::item),
        note: Some(note),
    };
    let (id, created) = store.place_order(&actor, order).await?;
    Ok(OrderPlaced { id, created })
}

/// One of an accepted quote's cloud items with what its page needs to order it.
pub async fn quoted_cloud_item(caller: &Caller, id: String, position: u32) -> Result<QuotedCloudItemPage, AppError> {
    let (actor, record) = visible(caller, &id).await?;
    let store = caller.store.clone();
    let items = cloud_items(&store, &record).await?;
    let item = items.iter().find(|item| item.position == position).cloned().ok_or(AppError::NotFound)?;
    let current = record.current().ok_or(AppError::NotFound)?;
    let planned: Vec<PlannedItem> =
        current.items.get(position as usize).and_then(PlannedItem::from_quoted).into_iter().collect();
    let book = store.price_book(current.price_book_version).await?.ok_or(AppError::NotFound)?;
    let commitment = Commitment::of(&planned, &store.products().await?, &book);
    let organisation = &record.summary.organisation.id;
    let can_order = check(Some(&actor), Permission::EditDesigns(organisation)).is_ok();
    let routers = match can_order && item.product.as_str() == lightpath_domain::cloud::PRODUCT {
        true => crate::configure::router_choices(&store, organisation).await?,
        false => Vec::new(),
    };
    let sites = match item.product.as_str() == lightpath_domain::cloud_router::PRODUCT {
        true => {
            let hub = items.iter().find_map(|item| item.a_end.clone());
            let mut sites: Vec<(String, String)> = store
                .sites()
                .await?
                .into_iter()
                .filter(|site| lightpath_domain::cloud::OnRamp::of_site_id(site.id.as_str()).is_none())
                .map(|site| (site.id.to_string(), site.name))
                .collect();
            sites.sort_by_key(|(site, _)| Some(site.as_str()) != hub.as_ref().map(SiteId::as_str));
            sites
        }
        false => Vec::new(),
    };
    Ok(QuotedCloudItemPage {
        quote_id: record.summary.id.to_string(),
        quote_name: record.summary.name.clone(),
        item,
        commitment,
        routers,
        sites,
        can_order,
    })
}
