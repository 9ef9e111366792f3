//! Service use cases: the inventory with spend, one service with its bandwidth choices, and
//! its change orders (a priced bandwidth change, a disconnect) through the idempotent
//! ordering path.

use crate::error::AppError;
use crate::model::orders::OrderPlaced;
use crate::model::services::*;
use crate::Caller;
use lightpath_domain::account::Id;
use lightpath_domain::money::Money;
use lightpath_domain::order::{IdempotencyKey, PurchaseOrder};
use lightpath_domain::order_plan::{check_capacity, CapacityShort, NewRate, PlannedItem, ServiceChange};
use lightpath_domain::policy::{check, listing_scope, Permission};
use lightpath_domain::pricing::Totals;
use lightpath_domain::pricing::{price_item, ItemSpec};
use lightpath_domain::recommend::format_rate;
use lightpath_domain::records::PageRequest;
use lightpath_domain::records::ServiceRecord;
use lightpath_domain::service::{resize_options, OrderAction, ServiceState};
use lightpath_domain::service::{EarlyTermination, Spend};
use lightpath_domain::{PriceBook, Product};
use lightpath_store::orders::NewOrder;

pub async fn list_services(caller: &Caller, page: PageRequest) -> Result<Inventory, AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    let store = caller.store.clone();
    match listing_scope(&actor) {
        Some(scope) => {
            Ok(Inventory { services: store.services(scope, page).await?, total: store.spend_total(scope).await? })
        }
        None => Ok(Inventory { services: page.cut(Vec::new()), total: Spend::default() }),
    }
}

pub(crate) async fn visible(caller: &Caller, id: &str) -> Result<ServiceRecord, AppError> {
    check(caller.actor(), Permission::SignedIn)?;
    let id = Id::parse(id).ok_or(AppError::NotFound)?;
    let record = caller.store.clone().service(&id).await?.ok_or(AppError::NotFound)?;
    caller.require(Permission::SeeOrganisation(&record.summary.organisation.id))?;
    Ok(record)
}

/// What giving up `monthly` of the service's committed charges costs now (None once its
/// term is served, or when nothing committed stops).
async fn termination(
    store: &lightpath_store::Store,
    record: &ServiceRecord,
    book: &PriceBook,
    monthly: Money,
) -> Result<Option<EarlyTermination>, AppError> {
    let speedup = store.fault_policy().await?.speedup();
    Ok(termination_at(record, book, speedup, monthly))
}

/// The same on a network whose clock runs `speedup` times faster (read once per request).
fn termination_at(record: &ServiceRecord, book: &PriceBook, speedup: u32, monthly: Money) -> Option<EarlyTermination> {
    let started = record.rates.first().map_or(record.summary.created_at_ms, |rate| rate.from_ms);
    let share = book.termination_share(&record.spec.product);
    lightpath_domain::service::early_termination(record.summary.term, started, now_ms(), speedup, monthly, share)
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// The monthly charge the service is committed to now.
fn committed_monthly(record: &ServiceRecord) -> Money {
    record.rates.last().filter(|rate| rate.to_ms.is_none()).map_or(Money::ZERO, |rate| rate.monthly)
}

/// Every bandwidth of the service's product and distance band, priced at its term now,
/// with what a cut below the commitment costs.
async fn priced_choices(
    store: &lightpath_store::Store,
    record: &ServiceRecord,
    products: &[Product],
    book: &PriceBook,
) -> Result<Vec<BandwidthChoice>, AppError> {
    let committed = committed_monthly(record);
    let speedup = store.fault_policy().await?.speedup();
    let mut choices = choices(record, products, book);
    // An ExpressRoute connection may not outgrow the buyer's circuit.
    if let Some(cloud) = record.cloud.as_ref().filter(|cloud| cloud.cloud == lightpath_domain::cloud::Cloud::Azure) {
        let key = cloud.cloud_key.as_deref().and_then(|key| lightpath_domain::cloud::ServiceKey::parse(key).ok());
        let circuit = match key {
            Some(key) => store.azure_circuit(&record.summary.organisation.id, &key).await?,
            None => None,
        };
        let most = circuit.and_then(|circuit| circuit.mbps).unwrap_or(0);
        choices.retain(|choice| choice.mbps <= most);
    }
    for choice in &mut choices {
        if choice.totals.monthly < committed {
            choice.termination = termination_at(record, book, speedup, committed - choice.totals.monthly);
        }
        choice.termination_after = termination_at(record, book, speedup, choice.totals.monthly);
    }
    Ok(choices)
}

/// Every bandwidth of the service's product and distance band, priced at its term now.
fn choices(record: &ServiceRecord, products: &[Product], book: &PriceBook) -> Vec<BandwidthChoice> {
    let Some(product) = products.iter().find(|product| product.id == record.spec.product) else {
        return Vec::new();
    };
    resize_options(product, &record.spec.option)
        .into_iter()
        .filter_map(|option| {
            let spec = ItemSpec { option: option.code.clone(), ..record.spec.clone() };
            let priced = price_item(products, book, &spec).ok()?;
            Some(BandwidthChoice {
                option: option.code.clone(),
                label: option.label.clone(),
                mbps: option.bandwidth?.mbps() * u64::from(spec.count),
                totals: priced.totals,
                termination: None,
                termination_after: None,
            })
        })
        .collect()
}

pub async fn load_service(caller: &Caller, id: String) -> Result<ServicePage, AppError> {
    let record = visible(caller, &id).await?;
    let store = caller.store.clone();
    let (products, book) = (store.products().await?, store.current_price_book().await?);
    let can_change = record.summary.state == ServiceState::Active
        && caller
            .actor()
            .cloned()
            .is_some_and(|actor| check(Some(&actor), Permission::EditDesigns(&record.summary.organisation.id)).is_ok());
    let choices = priced_choices(&store, &record, &products, &book).await?;
    let termination = if record.summary.state == ServiceState::Active {
        termination(&store, &record, &book, committed_monthly(&record)).await?
    } else {
        None
    };
    let product = products.iter().find(|product| product.id == record.spec.product);
    let product_name = product.map_or_else(|| record.spec.product.to_string(), |product| product.name.clone());
    let option_label = product
        .and_then(|product| product.option(&record.spec.option))
        .map_or_else(|| record.spec.option.clone(), |option| option.label.clone());
    let maintenance = crate::maintenance::for_service(caller, &record.summary.id).await?;
    Ok(ServicePage {
        record,
        product_name,
        option_label,
        choices,
        can_change,
        termination,
        maintenance,
        usage_html: String::new(),
        cloud_panel: None,
        router_panel: None,
    })
}

/// Refuses a change to a service that is not active or already changing.
fn changeable(record: &ServiceRecord) -> Result<(), AppError> {
    if record.summary.state != ServiceState::Active {
        return Err(AppError::Invalid(format!(
            "This service is {}; only an active service can be changed.",
            record.summary.state.label().to_lowercase()
        )));
    }
    if record.summary.pending_order.is_some() {
        return Err(AppError::Conflict(
            "A change to this service is already running: wait for its order to end.".into(),
        ));
    }
    Ok(())
}

/// A change order to place on a service: what it does, the attempt's key and request (for
/// idempotent retries), its one item, and the buyer's purchase-order reference.
struct Change<'a> {
    action: OrderAction,
    key: &'a str,
    request: serde_json::Value,
    item: PlannedItem,
    price_book_version: i64,
    purchase_order: Option<&'a PurchaseOrder>,
}

async fn place(caller: &Caller, record: &ServiceRecord, change: Change<'_>) -> Result<OrderPlaced, AppError> {
    let Change { action, key, request, item, price_book_version, purchase_order } = change;
    let actor = caller.require(Permission::EditDesigns(&record.summary.organisation.id))?;
    let key = IdempotencyKey::parse(key).map_err(AppError::Invalid)?;
    let name = format!("{}: {}", action.label(), record.summary.title);
    let order = NewOrder {
        key: &key,
        request_json: request.to_string(),
        organisation: &record.summary.organisation.id,
        design: None,
        action,
        service: Some(&record.summary.id),
        quote: None,
        quoted_item: None,
        name: &name,
        price_book_version,
        totals: item.totals,
        items: vec![item],
        purchase_order,
        cloud: None,
        note: None,
    };
    let (id, created) = caller.store.clone().place_order(&actor, order).await?;
    Ok(OrderPlaced { id, created })
}

pub async fn change_bandwidth(
    caller: &Caller,
    service: String,
    option: String,
    monthly_cents: i64,
    key: String,
    purchase_order: Option<String>,
) -> Result<OrderPlaced, AppError> {
    let record = visible(caller, &service).await?;
    caller.require(Permission::EditDesigns(&record.summary.organisation.id))?;
    let purchase_order = crate::orders::purchase_order(purchase_order.as_deref())?;
    let store = caller.store.clone();
    let request = serde_json::json!({
        "service": record.summary.id.as_str(),
        "option": option,
        "monthly_cents": monthly_cents,
        "purchase_order": purchase_order.as_ref().map(PurchaseOrder::as_str),
    });
    // Idempotent retry: a key that already placed this order answers with it.
    if let Some(placed) = replay(caller, &record, &key, &request).await? {
        return Ok(placed);
    }
    changeable(&record)?;
    let (products, book) = (store.products().await?, store.current_price_book().await?);
    let choices = priced_choices(&store, &record, &products, &book).await?;
    let Some(choice) = choices.iter().find(|choice| choice.option == option) else {
        return Err(AppError::Invalid(format!(
            "“{option}” is not a bandwidth this service can change to. Pick one of the listed rates."
        )));
    };
    if choice.option == record.spec.option {
        return Err(AppError::Invalid("The service already runs at this bandwidth. Pick another rate.".into()));
    }
    if choice.monthly_estimate().cents() != monthly_cents {
        return Err(AppError::Conflict(format!(
            "The price has changed since the page was loaded: {} is now {} a month. Check it and order again.",
            choice.label,
            choice.monthly_estimate()
        )));
    }
    // The path must carry the new rate: every span needs the rise free (the worker's
    // reservation re-checks atomically; this answers at once with the reason).
    if choice.mbps > record.summary.mbps {
        let rise = choice.mbps - record.summary.mbps;
        let (spans, reserved) = (store.spans().await?, store.reservations().await?);
        let short = check_capacity(record.spans.iter().map(|span| (span, rise)), &spans, &reserved);
        if let Err(CapacityShort::Full { span, free, needed }) = short {
            return Err(AppError::Invalid(format!(
                "The path cannot carry {}: span {span} has {} free and the change needs {} more. \
                 Pick a lower rate, or design a new connection on another path.",
                format_rate(choice.mbps),
                format_rate(free),
                format_rate(needed)
            )));
        }
    }
    let spec = ItemSpec { option: choice.option.clone(), ..record.spec.clone() };
    let title = retitle(&record.summary.title, record.summary.mbps, choice.mbps);
    let item = PlannedItem::service_change(
        &record,
        ServiceChange {
            to: Some(NewRate { spec, mbps: choice.mbps, title }),
            // The change's only one-time charge: ending part of the commitment early.
            totals: Totals { one_time: choice.termination.map_or(Money::ZERO, |fee| fee.fee), ..choice.totals },
            holder: store.service_holder(&record.summary.id).await?,
        },
    );
    let change = Change {
        action: OrderAction::Modify,
        key: &key,
        request,
        item,
        price_book_version: i64::from(book.version),
        purchase_order: purchase_order.as_ref(),
    };
    place(caller, &record, change).await
}

pub async fn disconnect_service(caller: &Caller, service: String, key: String) -> Result<OrderPlaced, AppError> {
    let record = visible(caller, &service).await?;
    caller.require(Permission::EditDesigns(&record.summary.organisation.id))?;
    let request = serde_json::json!({ "service": record.summary.id.as_str(), "disconnect": true });
    if let Some(placed) = replay(caller, &record, &key, &request).await? {
        return Ok(placed);
    }
    changeable(&record)?;
    crate::clouds::router_free(caller, &record).await?;
    let store = caller.store.clone();
    let book = store.current_price_book().await?;
    // Priced now, so never more than the page showed a moment ago: the term only runs down.
    let fee = termination(&store, &record, &book, committed_monthly(&record)).await?;
    let item = PlannedItem::service_change(
        &record,
        ServiceChange {
            to: None,
            totals: Totals { one_time: fee.map_or(Money::ZERO, |fee| fee.fee), ..Totals::default() },
            holder: store.service_holder(&record.summary.id).await?,
        },
    );
    let change = Change {
        action: OrderAction::Disconnect,
        key: &key,
        request,
        item,
        price_book_version: i64::from(book.version),
        purchase_order: None,
    };
    place(caller, &record, change).await
}

/// The order a key already placed for this service (a double click, a retry), if any.
async fn replay(
    caller: &Caller,
    record: &ServiceRecord,
    key: &str,
    request: &serde_json::Value,
) -> Result<Option<OrderPlaced>, AppError> {
    let key = IdempotencyKey::parse(key).map_err(AppError::Invalid)?;
    let found = caller.store.clone().order_for_key(&record.summary.organisation.id, &key, &request.to_string()).await?;
    Ok(found.map(|id| OrderPlaced { id, created: false }))
}

/// "Programmable Connectivity 50 Mbps · A ⇄ B" at 1 Gbps → "… 1 Gbps · A ⇄ B".
fn retitle(title: &str, from_mbps: u64, to_mbps: u64) -> String {
    let (from, to) = (format_rate(from_mbps), format_rate(to_mbps));
    if title.contains(&from) {
        title.replacen(&from, &to, 1)
    } else {
        format!("{title} at {to}")
    }
}
