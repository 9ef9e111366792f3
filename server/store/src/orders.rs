//! Product orders: placing one idempotently, the provisioning queue the workers lease from,
//! each item's progress, and the order's timeline.

use crate::audit::{self, Change};
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::{Actor, Id, OrganisationRef};
use lightpath_domain::order::{IdempotencyKey, OrderState};
use lightpath_domain::pricing::{ItemSpec, Totals};
pub use lightpath_domain::records::{OrderEvent, OrderItemRecord, OrderRecord, OrderSummary};
use lightpath_domain::records::{PageRequest, Paged};
use lightpath_domain::service::OrderAction;
use lightpath_domain::{Money, ProductId, SiteId, SpanId};
use sqlx::any::AnyRow;
use sqlx::Row;

/// An order as the server accepted it, re-validated and re-priced.
#[derive(Debug, Clone)]
pub struct NewOrder<'a> {
    pub key: &'a IdempotencyKey,
    /// The request as received, to tell a retry from a different request with the same key.
    pub request_json: String,
    pub organisation: &'a Id,
    pub design: Option<&'a Id>,
    pub action: OrderAction,
    /// The service a modify or disconnect order changes; it takes the service's one change slot.
    pub service: Option<&'a Id>,
    /// The quote (and the version) this order accepts: it turns accepted in the same transaction.
    pub quote: Option<(&'a Id, i64)>,
    pub name: &'a str,
    pub price_book_version: i64,
    pub totals: Totals,
    pub items: Vec<NewOrderItem>,
}

/// What the network provisions for an item: the product between two ends, over spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRoute {
    pub product: ProductId,
    pub a_end: SiteId,
    pub z_end: SiteId,
    /// Empty for an item without a route (secure access, colocation).
    pub spans: Vec<SpanId>,
    pub mbps: u64,
}

#[derive(Debug, Clone)]
pub struct NewOrderItem {
    pub title: String,
    pub route: ItemRoute,
    pub totals: Totals,
    /// What it is priced as; becomes the service's spec.
    pub spec: ItemSpec,
    pub round_trip_micros: Option<u64>,
    /// The capacity holder of the service a change order works on (None: the item itself).
    pub holder: Option<String>,
    /// A bandwidth change's rate before the change.
    pub from_mbps: Option<u64>,
}

/// An item as the provisioning worker sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItem {
    pub position: u32,
    pub title: String,
    pub action: OrderAction,
    /// Who holds the item's capacity on the network (stable across restarts).
    pub holder: String,
    /// A bandwidth change's rate before the change.
    pub from_mbps: Option<u64>,
    pub route: ItemRoute,
    pub state: OrderState,
    pub next_step: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    #[error("this idempotency key was already used for a different order")]
    KeyReused,
    #[error("the service is not active, another change to it is running, or its rate changed meanwhile")]
    ServiceBusy,
    #[error("the quote is no longer sent and valid at that version")]
    QuoteChanged,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for OrderError {
    fn from(error: sqlx::Error) -> Self {
        OrderError::Store(StoreError::Database(error))
    }
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("order {what}"))
}

fn cents(row: &AnyRow, prefix: &str) -> Result<Totals, StoreError> {
    let get = |column: &str| -> Result<Money, StoreError> {
        Ok(Money::from_cents(row.try_get::<i64, _>(format!("{prefix}{column}").as_str())?))
    };
    Ok(Totals { monthly: get("monthly_cents")?, hourly: get("hourly_cents")?, one_time: get("one_time_cents")? })
}

fn state(text: &str) -> Result<OrderState, StoreError> {
    OrderState::parse(text).ok_or_else(|| corrupt(format!("state {text}")))
}

fn spans_from(text: &str) -> Result<Vec<SpanId>, StoreError> {
    text.split(',').filter(|span| !span.is_empty()).map(|span| SpanId::parse(span).map_err(corrupt)).collect()
}

const SUMMARY_COLUMNS: &str =
    "o.id, o.organisation_id, g.name AS organisation_name, o.design_id, o.action, o.service_id, o.name, o.state, \
     o.reason, o.price_book_version, o.monthly_cents, o.hourly_cents, o.one_time_cents, o.created_at_ms, \
     o.updated_at_ms FROM orders o JOIN organisations g ON g.id = o.organisation_id";

fn summary_from_row(row: &AnyRow) -> Result<OrderSummary, StoreError> {
    let id: String = row.try_get("id")?;
    let organisation: String = row.try_get("organisation_id")?;
    let design: Option<String> = row.try_get("design_id")?;
    let state_text: String = row.try_get("state")?;
    let action: String = row.try_get("action")?;
    let service: Option<String> = row.try_get("service_id")?;
    Ok(OrderSummary {
        id: Id::parse(&id).ok_or_else(|| corrupt("id"))?,
        organisation: OrganisationRef {
            id: Id::parse(&organisation).ok_or_else(|| corrupt("organisation"))?,
            name: row.try_get("organisation_name")?,
        },
        design_id: design.as_deref().and_then(Id::parse),
        action: OrderAction::parse(&action).ok_or_else(|| corrupt(format!("action {action}")))?,
        service_id: service.as_deref().and_then(Id::parse),
        name: row.try_get("name")?,
        state: state(&state_text)?,
        reason: row.try_get("reason")?,
        totals: cents(row, "")?,
        price_book_version: row.try_get("price_book_version")?,
        created_at_ms: row.try_get("created_at_ms")?,
        updated_at_ms: row.try_get("updated_at_ms")?,
    })
}

/// Appends to an order's timeline, numbering the event after the last one.
async fn add_event(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    order: &Id,
    item: Option<u32>,
    outcome: &str,
    message: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO order_events (order_id, seq, at_ms, item, outcome, message)
         SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5 FROM order_events WHERE order_id = $1",
    )
    .bind(order.as_str())
    .bind(now_ms())
    .bind(item.map(i64::from))
    .bind(outcome)
    .bind(message)
    .execute(executor)
    .await?;
    Ok(())
}

/// Puts an order in the provisioning queue.
async fn queue(tx: &mut sqlx::Transaction<'static, sqlx::Any>, order: &Id, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO provisioning_jobs (order_id, lease_owner, lease_until_ms, created_at_ms) VALUES ($1, NULL, 0, $2)",
    )
    .bind(order.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The orders that no longer count towards an organisation's exposure.
const ENDED: &str = "('completed', 'rejected', 'failed', 'partial', 'cancelled')";

/// Whether the order must wait for a credit review, and why (app/domain/src/credit.rs). Runs
/// in the order's transaction after touching the organisation's row, so two orders placed at
/// once are checked one after the other (PostgreSQL holds the row lock; SQLite has one writer).
async fn credit_hold(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    order: &NewOrder<'_>,
) -> Result<Option<String>, sqlx::Error> {
    use lightpath_domain::credit::{check, hold_reason, order_exposure, CreditCheck};
    let organisation = order.organisation.as_str();
    Store::lock_organisation(tx, organisation).await?;
    let (name, limit): (String, Option<i64>) =
        sqlx::query_as("SELECT name, credit_limit_cents FROM organisations WHERE id = $1")
            .bind(organisation)
            .fetch_one(&mut **tx)
            .await?;
    let Some(limit) = limit else { return Ok(None) };
    let services: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(r.monthly_cents + r.hourly_cents * 730), 0) AS BIGINT)
         FROM services s JOIN service_rates r ON r.service_id = s.id AND r.to_ms IS NULL
         WHERE s.organisation_id = $1 AND s.state = 'active'",
    )
    .bind(organisation)
    .fetch_one(&mut **tx)
    .await?;
    let open: i64 = sqlx::query_scalar(&format!(
        "SELECT CAST(COALESCE(SUM(monthly_cents + hourly_cents * 730 + one_time_cents), 0) AS BIGINT)
         FROM orders WHERE organisation_id = $1 AND action <> 'disconnect' AND state NOT IN {ENDED}"
    ))
    .bind(organisation)
    .fetch_one(&mut **tx)
    .await?;
    // Installation charges of services delivered this month are owed until the month's
    // invoice, so a run of small orders cannot pile them up past the limit.
    let uninvoiced: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(one_time_cents), 0) AS BIGINT) FROM services
         WHERE organisation_id = $1 AND created_at_ms >= $2",
    )
    .bind(organisation)
    .bind(lightpath_domain::time::month_start_ms(crate::now_ms()))
    .fetch_one(&mut **tx)
    .await?;
    // A bandwidth change adds only its rise over what the service costs now.
    let replaced: i64 = match order.service {
        Some(service) => {
            sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(monthly_cents + hourly_cents * 730), 0) AS BIGINT)
             FROM service_rates WHERE service_id = $1 AND to_ms IS NULL",
            )
            .bind(service.as_str())
            .fetch_one(&mut **tx)
            .await?
        }
        None => 0,
    };
    let adds = (order_exposure(order.totals) - Money::from_cents(replaced)).max(Money::ZERO);
    // The order itself is already inserted (open): it is not counted twice.
    let current = Money::from_cents(services + open + uninvoiced) - order_exposure(order.totals);
    Ok(match check(Some(Money::from_cents(limit)), current, adds) {
        CreditCheck::Within => None,
        CreditCheck::Over { exposure, limit } => Some(hold_reason(&name, exposure, limit)),
    })
}

impl Store {
    /// Places an order once per idempotency key: the first call writes the order, its items,
    /// its first event and its provisioning job in one transaction; a later call with the
    /// same key and the same request returns the same order (`false`: not new); the same key
    /// with another request is refused.
    pub async fn place_order(&self, by: &Actor, order: NewOrder<'_>) -> Result<(Id, bool), OrderError> {
        if let Some(existing) = self.order_for_key(order.organisation, order.key, &order.request_json).await? {
            return Ok((existing, false));
        }
        let id = Id::parse(&uuid::Uuid::new_v4().to_string()).ok_or_else(|| corrupt("new id"))?;
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO orders (id, organisation_id, design_id, idempotency_key, request_json, name, state, reason,
                 price_book_version, monthly_cents, hourly_cents, one_time_cents, created_by, created_at_ms, updated_at_ms,
                 action, service_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10, $11, $12, $13, $13, $14, $15)",
        )
        .bind(id.as_str())
        .bind(order.organisation.as_str())
        .bind(order.design.map(Id::as_str))
        .bind(order.key.as_str())
        .bind(&order.request_json)
        .bind(order.name)
        .bind(OrderState::Acknowledged.slug())
        .bind(order.price_book_version)
        .bind(order.totals.monthly.cents())
        .bind(order.totals.hourly.cents())
        .bind(order.totals.one_time.cents())
        .bind(&by.name)
        .bind(now)
        .bind(order.action.slug())
        .bind(order.service.map(Id::as_str))
        .execute(&mut *tx)
        .await;
        if let Err(error) = inserted {
            if matches!(&error, sqlx::Error::Database(db) if db.is_unique_violation()) {
                // Another request with the same key won the race: answer with its order.
                drop(tx);
                return self
                    .order_for_key(order.organisation, order.key, &order.request_json)
                    .await?
                    .map(|existing| (existing, false))
                    .ok_or(OrderError::Store(corrupt("vanished during a race")));
            }
            return Err(error.into());
        }
        if let Some(service) = order.service {
            let taken = sqlx::query(
                "UPDATE services SET pending_order_id = $1, updated_at_ms = $2
                 WHERE id = $3 AND pending_order_id IS NULL AND state = 'active' AND ($4 < 0 OR mbps = $4)",
            )
            .bind(id.as_str())
            .bind(now)
            .bind(service.as_str())
            // A bandwidth change was priced from the rate the service had: it still must have it
            // (another change may have finished since the request read the service).
            .bind(order.items.first().and_then(|item| item.from_mbps).map_or(-1, |mbps| mbps as i64))
            .execute(&mut *tx)
            .await?;
            if taken.rows_affected() != 1 {
                tx.rollback().await?;
                return Err(OrderError::ServiceBusy);
            }
        }
        if let Some((quote, version)) = order.quote {
            let accepted = sqlx::query(
                "UPDATE quotes SET state = 'accepted', order_id = $1, updated_at_ms = $2
                 WHERE id = $3 AND state = 'sent' AND current_version = $4
                   AND EXISTS (SELECT 1 FROM quote_versions v WHERE v.quote_id = quotes.id
                               AND v.version = quotes.current_version AND v.valid_until_ms >= $2)",
            )
            .bind(id.as_str())
            .bind(now)
            .bind(quote.as_str())
            .bind(version)
            .execute(&mut *tx)
            .await?;
            if accepted.rows_affected() != 1 {
                tx.rollback().await?;
                return Err(OrderError::QuoteChanged);
            }
            let change = Change::updated(
                serde_json::json!({ "state": "sent", "version": version }),
                serde_json::json!({ "state": "accepted", "order": id.as_str() }),
            );
            audit::record(
                &mut tx,
                by,
                "quote.accepted",
                &format!("quote {quote}"),
                Some(order.organisation.as_str()),
                change,
            )
            .await?;
        }
        let held = match order.action {
            OrderAction::Disconnect => None,
            OrderAction::Add | OrderAction::Modify => credit_hold(&mut tx, &order).await?,
        };
        if let Some(reason) = &held {
            sqlx::query("UPDATE orders SET state = $1, reason = $2 WHERE id = $3")
                .bind(OrderState::Held.slug())
                .bind(reason)
                .bind(id.as_str())
                .execute(&mut *tx)
                .await?;
        }
        for (position, item) in order.items.iter().enumerate() {
            let spec = serde_json::to_string(&item.spec).map_err(corrupt)?;
            sqlx::query(
                "INSERT INTO order_items (order_id, position, title, product, a_end, z_end, spans, mbps,
                     monthly_cents, hourly_cents, one_time_cents, state, reason, next_step,
                     spec_json, round_trip_micros, holder, from_mbps)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, 0, $13, $14, $15, $16)",
            )
            .bind(id.as_str())
            .bind(position as i64)
            .bind(&item.title)
            .bind(item.route.product.as_str())
            .bind(item.route.a_end.as_str())
            .bind(item.route.z_end.as_str())
            .bind(item.route.spans.iter().map(SpanId::as_str).collect::<Vec<_>>().join(","))
            .bind(item.route.mbps as i64)
            .bind(item.totals.monthly.cents())
            .bind(item.totals.hourly.cents())
            .bind(item.totals.one_time.cents())
            .bind(OrderState::Acknowledged.slug())
            .bind(spec)
            .bind(item.round_trip_micros.map(|micros| micros as i64))
            .bind(item.holder.as_deref())
            .bind(item.from_mbps.map(|mbps| mbps as i64))
            .execute(&mut *tx)
            .await?;
        }
        let message = format!(
            "Order acknowledged: {} item(s), priced with price book v{}.",
            order.items.len(),
            order.price_book_version
        );
        add_event(&mut *tx, &id, None, "info", &message).await?;
        match &held {
            // A held order waits for an admin: no job, so no worker reserves anything for it.
            Some(reason) => add_event(&mut *tx, &id, None, "held", reason).await?,
            None => queue(&mut tx, &id, now).await?,
        }
        crate::webhooks::publish_order_state(&mut tx, &id).await?;
        let after = serde_json::json!({ "name": order.name, "items": order.items.len(), "monthly_cents": order.totals.monthly.cents() });
        audit::record(
            &mut tx,
            by,
            "order.place",
            &format!("order {id}"),
            Some(order.organisation.as_str()),
            Change::created(after),
        )
        .await?;
        tx.commit().await?;
        self.order_changed(&id);
        Ok((id, true))
    }

    /// The order an idempotency key placed, if any; the same key with another request is
    /// refused.
    pub async fn order_for_key(
        &self,
        organisation: &Id,
        key: &IdempotencyKey,
        request_json: &str,
    ) -> Result<Option<Id>, OrderError> {
        let Some(row) =
            sqlx::query("SELECT id, request_json FROM orders WHERE organisation_id = $1 AND idempotency_key = $2")
                .bind(organisation.as_str())
                .bind(key.as_str())
                .fetch_optional(self.pool())
                .await?
        else {
            return Ok(None);
        };
        let (id, stored): (String, String) = (row.try_get("id")?, row.try_get("request_json")?);
        if stored != request_json {
            return Err(OrderError::KeyReused);
        }
        Ok(Some(Id::parse(&id).ok_or_else(|| corrupt("id"))?))
    }

    pub async fn order(&self, id: &Id) -> Result<Option<OrderRecord>, StoreError> {
        let Some(row) = sqlx::query(&format!("SELECT {SUMMARY_COLUMNS} WHERE o.id = $1"))
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let summary = summary_from_row(&row)?;
        let items = sqlx::query(
            "SELECT i.position, i.title, i.state, i.reason, i.spans, i.monthly_cents, i.hourly_cents, i.one_time_cents,
                    COALESCE(s.id, o.service_id) AS service_id
             FROM order_items i JOIN orders o ON o.id = i.order_id
             LEFT JOIN services s ON s.order_id = i.order_id AND s.position = i.position
             WHERE i.order_id = $1 ORDER BY i.position",
        )
        .bind(id.as_str())
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            let state_text: String = row.try_get("state")?;
            let spans: String = row.try_get("spans")?;
            Ok(OrderItemRecord {
                position: row.try_get::<i64, _>("position")? as u32,
                title: row.try_get("title")?,
                state: state(&state_text)?,
                reason: row.try_get("reason")?,
                spans: spans_from(&spans)?,
                totals: cents(row, "")?,
                service_id: row.try_get::<Option<String>, _>("service_id")?.as_deref().and_then(Id::parse),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(OrderRecord { summary, items, events: self.order_events(id, 0).await? }))
    }

    /// The order's timeline after event `after` (0 for all of it).
    pub async fn order_events(&self, id: &Id, after: i64) -> Result<Vec<OrderEvent>, StoreError> {
        sqlx::query(
            "SELECT seq, at_ms, item, outcome, message FROM order_events WHERE order_id = $1 AND seq > $2 ORDER BY seq",
        )
        .bind(id.as_str())
        .bind(after)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok(OrderEvent {
                seq: row.try_get("seq")?,
                at_ms: row.try_get("at_ms")?,
                item: row.try_get::<Option<i64>, _>("item")?.map(|item| item as u32),
                outcome: row.try_get("outcome")?,
                message: row.try_get("message")?,
            })
        })
        .collect()
    }

    /// Orders of one organisation, or of all (staff), newest first.
    pub async fn orders(
        &self,
        organisation: Option<&Id>,
        page: PageRequest,
    ) -> Result<Paged<OrderSummary>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} WHERE ($1 = '' OR o.organisation_id = $1)
             ORDER BY o.created_at_ms DESC, o.id LIMIT $2 OFFSET $3"
        ))
        .bind(organisation.map_or("", Id::as_str))
        .bind(page.fetch())
        .bind(page.offset())
        .fetch_all(self.pool())
        .await?;
        Ok(page.cut(rows.iter().map(summary_from_row).collect::<Result<Vec<_>, _>>()?))
    }

    /// Leases the oldest order waiting for provisioning (or whose worker's lease ran out) to
    /// `owner` until `lease_ms` from now. Safe with several workers and several servers: the
    /// conditional update lets exactly one of them take each order.
    pub async fn claim_provisioning(&self, owner: &str, lease_ms: i64) -> Result<Option<Id>, StoreError> {
        let now = now_ms();
        let pick = if self.is_postgres() {
            "SELECT order_id FROM provisioning_jobs WHERE lease_until_ms < $3 ORDER BY created_at_ms LIMIT 1 FOR UPDATE SKIP LOCKED"
        } else {
            "SELECT order_id FROM provisioning_jobs WHERE lease_until_ms < $3 ORDER BY created_at_ms LIMIT 1"
        };
        let mut tx = self.begin_write().await?;
        let claimed: Option<String> = sqlx::query_scalar(&format!(
            "UPDATE provisioning_jobs SET lease_owner = $1, lease_until_ms = $2
             WHERE order_id = ({pick}) AND lease_until_ms < $3 RETURNING order_id"
        ))
        .bind(owner)
        .bind(now + lease_ms)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        claimed.map(|id| Id::parse(&id).ok_or_else(|| corrupt("job id"))).transpose()
    }

    /// Extends a lease the worker still holds; false when it lost it.
    pub async fn renew_lease(&self, order: &Id, owner: &str, lease_ms: i64) -> Result<bool, StoreError> {
        let done =
            sqlx::query("UPDATE provisioning_jobs SET lease_until_ms = $1 WHERE order_id = $2 AND lease_owner = $3")
                .bind(now_ms() + lease_ms)
                .bind(order.as_str())
                .bind(owner)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The order's state and its items, for the worker.
    pub async fn order_work(&self, order: &Id) -> Result<Option<(OrderState, Vec<WorkItem>)>, StoreError> {
        let Some(head) = sqlx::query("SELECT state, action FROM orders WHERE id = $1")
            .bind(order.as_str())
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let (order_state, action): (String, String) = (head.try_get("state")?, head.try_get("action")?);
        let action = OrderAction::parse(&action).ok_or_else(|| corrupt(format!("action {action}")))?;
        let items = sqlx::query(
            "SELECT position, title, product, a_end, z_end, spans, mbps, state, next_step, holder, from_mbps
             FROM order_items WHERE order_id = $1 ORDER BY position",
        )
        .bind(order.as_str())
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            let (product, a_end, z_end, spans, state_text): (String, String, String, String, String) = (
                row.try_get("product")?,
                row.try_get("a_end")?,
                row.try_get("z_end")?,
                row.try_get("spans")?,
                row.try_get("state")?,
            );
            let position = row.try_get::<i64, _>("position")? as u32;
            let holder: Option<String> = row.try_get("holder")?;
            Ok(WorkItem {
                position,
                title: row.try_get("title")?,
                action,
                holder: holder.unwrap_or_else(|| format!("{order}/{position}")),
                from_mbps: row.try_get::<Option<i64>, _>("from_mbps")?.map(|mbps| mbps as u64),
                route: ItemRoute {
                    product: ProductId::parse(&product).map_err(corrupt)?,
                    a_end: SiteId::parse(&a_end).map_err(corrupt)?,
                    z_end: SiteId::parse(&z_end).map_err(corrupt)?,
                    spans: spans_from(&spans)?,
                    mbps: row.try_get::<i64, _>("mbps")? as u64,
                },
                state: state(&state_text)?,
                next_step: row.try_get::<i64, _>("next_step")? as u32,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some((state(&order_state)?, items)))
    }

    /// The names of the sites an order's items run between, for its timeline: network sites by
    /// their names, edge sites (`edge-1`…) by the names the buyer gave them in the design (for
    /// a change order, the design of the order that created the service).
    pub async fn order_site_names(&self, order: &Id) -> Result<std::collections::HashMap<SiteId, String>, StoreError> {
        let mut names: std::collections::HashMap<SiteId, String> =
            self.sites().await?.into_iter().map(|site| (site.id, site.name)).collect();
        let design: Option<String> = sqlx::query_scalar(
            "SELECT COALESCE(o.design_id, (SELECT f.design_id FROM services s JOIN orders f ON f.id = s.order_id
                                           WHERE s.id = o.service_id))
             FROM orders o WHERE o.id = $1",
        )
        .bind(order.as_str())
        .fetch_optional(self.pool())
        .await?
        .flatten();
        if let Some(saved) = match design.as_deref().and_then(Id::parse) {
            Some(design) => self.design(&design).await?,
            None => None,
        } {
            for (index, edge) in saved.draft.edge_sites.iter().enumerate() {
                if let Ok(id) = SiteId::parse(&format!("edge-{}", index + 1)) {
                    names.insert(id, edge.name.trim().to_owned());
                }
            }
        }
        Ok(names)
    }

    /// Records an item's progress and the event that explains it, together.
    pub async fn item_progress(
        &self,
        order: &Id,
        position: u32,
        next_step: u32,
        item_state: OrderState,
        outcome: &str,
        message: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let reason = matches!(item_state, OrderState::Failed).then_some(message);
        sqlx::query("UPDATE order_items SET next_step = $1, state = $2, reason = COALESCE($3, reason) WHERE order_id = $4 AND position = $5")
            .bind(i64::from(next_step))
            .bind(item_state.slug())
            .bind(reason)
            .bind(order.as_str())
            .bind(i64::from(position))
            .execute(&mut *tx)
            .await?;
        add_event(&mut *tx, order, Some(position), outcome, message).await?;
        match item_state {
            OrderState::Completed => {
                crate::services::settle(&mut tx, order, position).await?;
                crate::webhooks::publish_item_done(&mut tx, order, position, true).await?;
            }
            OrderState::Cancelled => {
                crate::webhooks::publish_item_done(&mut tx, order, position, false).await?;
            }
            _ => {}
        }
        tx.commit().await?;
        self.order_changed(order);
        Ok(())
    }

    /// A timeline entry for a step that will be tried again.
    pub async fn order_note(
        &self,
        order: &Id,
        item: Option<u32>,
        outcome: &str,
        message: &str,
    ) -> Result<(), StoreError> {
        add_event(self.pool(), order, item, outcome, message).await?;
        self.order_changed(order);
        Ok(())
    }

    /// Asks for an order to be cancelled: only an order that has not ended and is not already
    /// being cancelled moves to assessingCancellation (the worker then rolls it back). Returns
    /// the state that refused it, or None when the request was taken.
    pub async fn request_cancellation(&self, by: &Actor, order: &Id) -> Result<Option<OrderState>, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(current) = sqlx::query_scalar::<_, String>("SELECT state FROM orders WHERE id = $1")
            .bind(order.as_str())
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Err(corrupt("vanished"));
        };
        let current = state(&current)?;
        if current == OrderState::Held {
            // Nothing was reserved or provisioned: the order simply ends.
            tx.rollback().await?;
            let message = format!("Cancelled by {} before the credit review; nothing was provisioned.", by.name);
            return Ok(if self.set_order_state(order, OrderState::Cancelled, None, &message).await? {
                None
            } else {
                Some(current)
            });
        }
        if !current.may_become(OrderState::AssessingCancellation) {
            return Ok(Some(current));
        }
        sqlx::query("UPDATE orders SET state = $1, updated_at_ms = $2 WHERE id = $3")
            .bind(OrderState::AssessingCancellation.slug())
            .bind(now_ms())
            .bind(order.as_str())
            .execute(&mut *tx)
            .await?;
        add_event(&mut *tx, order, None, "info", &format!("Cancellation requested by {}.", by.name)).await?;
        crate::webhooks::publish_order_state(&mut tx, order).await?;
        let organisation: String = sqlx::query_scalar("SELECT organisation_id FROM orders WHERE id = $1")
            .bind(order.as_str())
            .fetch_one(&mut *tx)
            .await?;
        let change = Change::updated(
            serde_json::json!({ "state": current.slug() }),
            serde_json::json!({ "state": "assessingCancellation" }),
        );
        audit::record(&mut tx, by, "order.cancel", &format!("order {order}"), Some(&organisation), change).await?;
        tx.commit().await?;
        self.order_changed(order);
        Ok(None)
    }

    /// The order's state now (the worker checks it between steps).
    pub async fn order_state(&self, order: &Id) -> Result<Option<OrderState>, StoreError> {
        sqlx::query_scalar::<_, String>("SELECT state FROM orders WHERE id = $1")
            .bind(order.as_str())
            .fetch_optional(self.pool())
            .await?
            .map(|text| state(&text))
            .transpose()
    }

    /// Moves the order to `next` with an event, only from a state TMF622 allows (so a worker
    /// finishing an order never overwrites a cancellation asked for meanwhile); false when the
    /// order was in another state. When `next` is terminal, the job leaves the queue in the
    /// same transaction.
    pub async fn set_order_state(
        &self,
        order: &Id,
        next: OrderState,
        reason: Option<&str>,
        message: &str,
    ) -> Result<bool, StoreError> {
        let from: Vec<OrderState> = OrderState::ALL.into_iter().filter(|state| state.may_become(next)).collect();
        self.move_order(order, &from, next, reason, message).await
    }

    /// Starts provisioning an acknowledged order. Only from acknowledged: TMF622 lets an order
    /// being assessed for cancellation resume, but a worker starting must never overwrite a
    /// cancellation the buyer asked for a moment before (false then, and the worker cancels).
    pub async fn start_order(&self, order: &Id) -> Result<bool, StoreError> {
        self.move_order(order, &[OrderState::Acknowledged], OrderState::InProgress, None, "Provisioning started.").await
    }

    async fn move_order(
        &self,
        order: &Id,
        from: &[OrderState],
        next: OrderState,
        reason: Option<&str>,
        message: &str,
    ) -> Result<bool, StoreError> {
        let from: Vec<String> = from.iter().map(|state| format!("'{}'", state.slug())).collect();
        if from.is_empty() {
            return Ok(false);
        }
        let mut tx = self.begin_write().await?;
        let moved = sqlx::query(&format!(
            "UPDATE orders SET state = $1, reason = $2, updated_at_ms = $3 WHERE id = $4 AND state IN ({})",
            from.join(", ")
        ))
        .bind(next.slug())
        .bind(reason)
        .bind(now_ms())
        .bind(order.as_str())
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() == 0 {
            return Ok(false);
        }
        add_event(&mut *tx, order, None, if next == OrderState::Failed { "failed" } else { "info" }, message).await?;
        crate::webhooks::publish_order_state(&mut tx, order).await?;
        if next.is_terminal() {
            sqlx::query("DELETE FROM provisioning_jobs WHERE order_id = $1")
                .bind(order.as_str())
                .execute(&mut *tx)
                .await?;
            // The service is free for its next change.
            sqlx::query("UPDATE services SET pending_order_id = NULL WHERE pending_order_id = $1")
                .bind(order.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.order_changed(order);
        Ok(true)
    }

    /// Orders waiting for a credit decision, oldest first (the admins' queue).
    pub async fn held_orders(&self, page: PageRequest) -> Result<Paged<OrderSummary>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} WHERE o.state = 'held' ORDER BY o.created_at_ms, o.id LIMIT $1 OFFSET $2"
        ))
        .bind(page.fetch())
        .bind(page.offset())
        .fetch_all(self.pool())
        .await?;
        Ok(page.cut(rows.iter().map(summary_from_row).collect::<Result<Vec<_>, _>>()?))
    }

    /// An admin's decision on a held order: approved, it joins the provisioning queue at once;
    /// rejected, it ends with the admin's reason shown to the buyer (and frees the service it
    /// would have changed). False when the order is no longer held (decided or cancelled
    /// meanwhile).
    pub async fn decide_held_order(
        &self,
        by: &Actor,
        order: &Id,
        approve: bool,
        comment: &str,
    ) -> Result<bool, StoreError> {
        let (next, reason, message) = if approve {
            (OrderState::InProgress, None, format!("Credit approved by {}: provisioning starts.", by.name))
        } else {
            let reason = format!("Rejected after the credit review: {comment}");
            (OrderState::Rejected, Some(reason.clone()), reason)
        };
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let moved = sqlx::query(
            "UPDATE orders SET state = $1, reason = $2, updated_at_ms = $3 WHERE id = $4 AND state = 'held'",
        )
        .bind(next.slug())
        .bind(reason.as_deref())
        .bind(now)
        .bind(order.as_str())
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Ok(false);
        }
        add_event(&mut *tx, order, None, if approve { "info" } else { "failed" }, &message).await?;
        crate::webhooks::publish_order_state(&mut tx, order).await?;
        if approve {
            queue(&mut tx, order, now).await?;
        } else {
            sqlx::query("UPDATE services SET pending_order_id = NULL WHERE pending_order_id = $1")
                .bind(order.as_str())
                .execute(&mut *tx)
                .await?;
        }
        let organisation: String = sqlx::query_scalar("SELECT organisation_id FROM orders WHERE id = $1")
            .bind(order.as_str())
            .fetch_one(&mut *tx)
            .await?;
        let change = Change::updated(
            serde_json::json!({ "state": "held" }),
            serde_json::json!({ "state": next.slug(), "comment": comment }),
        );
        let action = if approve { "order.credit-approve" } else { "order.credit-reject" };
        audit::record(&mut tx, by, action, &format!("order {order}"), Some(&organisation), change).await?;
        tx.commit().await?;
        self.order_changed(order);
        Ok(true)
    }
}
