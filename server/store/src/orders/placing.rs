//! Placing an order: idempotency, the credit check, the items, the first event, the
//! provisioning job, the webhook outbox and the audit entry in one transaction; cancelling
//! and the credit review of held orders.

use super::*;

/// Puts an order in the provisioning queue.
pub(super) async fn queue(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    order: &Id,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO provisioning_jobs (order_id, lease_owner, lease_until_ms, created_at_ms) VALUES ($1, NULL, 0, $2)",
    )
    .bind(order.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves an order that waits for a person (`from`: held or pending) to `next` with `reason`;
/// false when it no longer waits (decided or cancelled meanwhile).
pub(super) async fn decided(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    order: &Id,
    from: OrderState,
    next: OrderState,
    reason: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let moved =
        sqlx::query("UPDATE orders SET state = $1, reason = $2, updated_at_ms = $3 WHERE id = $4 AND state = $5")
            .bind(next.slug())
            .bind(reason)
            .bind(now)
            .bind(order.as_str())
            .bind(from.slug())
            .execute(&mut **tx)
            .await?;
    Ok(moved.rows_affected() == 1)
}

/// Whether the order must wait for a credit review, and why (app/domain/src/credit.rs). Runs
/// in the order's transaction after touching the organisation's row, so two orders placed at
/// once are checked one after the other (PostgreSQL holds the row lock; SQLite has one writer).
pub(super) async fn credit_hold(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    organisation: &Id,
    totals: Totals,
    service: Option<&Id>,
) -> Result<Option<String>, sqlx::Error> {
    use lightpath_domain::credit::{check, hold_reason, order_exposure, CreditCheck};
    let organisation = organisation.as_str();
    Store::lock_organisation(tx, organisation).await?;
    let (name, limit): (String, Option<i64>) =
        sqlx::query_as("SELECT name, credit_limit_cents FROM organisations WHERE id = $1")
            .bind(organisation)
            .fetch_one(&mut **tx)
            .await?;
    let Some(limit) = limit else { return Ok(None) };
    // A month of hourly charges counts as the price book estimates it (HOURS_PER_MONTH).
    let services: i64 = sqlx::query_scalar(&format!(
        "SELECT CAST(COALESCE(SUM(r.monthly_cents + r.hourly_cents * {HOURS_PER_MONTH}), 0) AS BIGINT)
         FROM services s JOIN service_rates r ON r.service_id = s.id AND r.to_ms IS NULL
         WHERE s.organisation_id = $1 AND s.state = 'active'"
    ))
    .bind(organisation)
    .fetch_one(&mut **tx)
    .await?;
    let open: i64 = sqlx::query_scalar(&format!(
        "SELECT CAST(COALESCE(SUM(monthly_cents + hourly_cents * {HOURS_PER_MONTH} + one_time_cents), 0) AS BIGINT)
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
    let replaced: i64 = match service {
        Some(service) => {
            sqlx::query_scalar(&format!(
                "SELECT CAST(COALESCE(SUM(monthly_cents + hourly_cents * {HOURS_PER_MONTH}), 0) AS BIGINT)
                 FROM service_rates WHERE service_id = $1 AND to_ms IS NULL"
            ))
            .bind(service.as_str())
            .fetch_one(&mut **tx)
            .await?
        }
        None => 0,
    };
    let adds = (order_exposure(totals) - Money::from_cents(replaced)).max(Money::ZERO);
    // The order itself is already inserted (open): it is not counted twice.
    let current = Money::from_cents(services + open + uninvoiced) - order_exposure(totals);
    Ok(match check(Some(Money::from_cents(limit)), current, adds) {
        CreditCheck::Within => None,
        CreditCheck::Over { exposure, limit } => Some(hold_reason(&name, exposure, limit)),
    })
}

/// An order that took a quote's line and gives it back: it never built anything (rejected,
/// failed or cancelled), or its cloud connection was rejected in the cloud or not accepted in
/// time.
const GAVE_BACK: &str = "(o.state IN ('rejected', 'failed', 'cancelled') OR EXISTS (SELECT 1 FROM cloud_connections c \
     WHERE c.order_id = o.id AND c.state IN ('rejected', 'failed')))";

/// Takes line `position` of `quote` for `order`: a first order inserts the row, a later one
/// takes it over only from an order that gave it back. One statement, so two orders racing
/// for the line cannot both take it (SQLite has one writer; PostgreSQL's conflict check waits
/// for the other transaction).
async fn take_quoted_item(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    quote: &Id,
    position: u32,
    order: &Id,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query(&format!(
        "INSERT INTO quote_cloud_orders (quote_id, position, order_id, ordered_at_ms) VALUES ($1, $2, $3, $4)
         ON CONFLICT (quote_id, position) DO UPDATE SET order_id = excluded.order_id, ordered_at_ms = excluded.ordered_at_ms
         WHERE EXISTS (SELECT 1 FROM orders o WHERE o.id = quote_cloud_orders.order_id AND {GAVE_BACK})"
    ))
    .bind(quote.as_str())
    .bind(i64::from(position))
    .bind(order.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(taken.rows_affected() == 1)
}

impl Store {
    /// The live order that took each ordered line of `quote` (lines given back are left out).
    pub async fn quoted_item_orders(&self, quote: &Id) -> Result<Vec<(u32, Id)>, StoreError> {
        let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT q.position, q.order_id FROM quote_cloud_orders q JOIN orders o ON o.id = q.order_id
             WHERE q.quote_id = $1 AND NOT {GAVE_BACK} ORDER BY q.position"
        ))
        .bind(quote.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(position, order)| {
                let position = u32::try_from(position).map_err(|_| corrupt("quoted line position"))?;
                Ok((position, Id::parse(&order).ok_or_else(|| corrupt("quoted line order"))?))
            })
            .collect()
    }

    /// Places an order once per idempotency key: the first call writes the order, its items,
    /// its first event and its provisioning job in one transaction; a later call with the
    /// same key and the same request returns the same order (`false`: not new); the same key
    /// with another request is refused.
    pub async fn place_order(&self, by: &Actor, order: NewOrder<'_>) -> Result<(Id, bool), OrderError> {
        for _ in 0..crate::vlans::AUTO_ATTEMPTS {
            match self.place_order_once(by, order.clone()).await {
                Err(OrderError::VlanRace) => continue,
                outcome => return outcome,
            }
        }
        let interface = match &order.cloud {
            Some(crate::cloud_connections::CloudItem::Connection(cloud)) => cloud.connection.interface(),
            _ => String::new(),
        };
        Err(OrderError::VlanExhausted(interface))
    }

    async fn place_order_once(&self, by: &Actor, order: NewOrder<'_>) -> Result<(Id, bool), OrderError> {
        if let Some(existing) = self.order_for_key(order.organisation, order.key, &order.request_json).await? {
            return Ok((existing, false));
        }
        let id = Id::parse(&uuid::Uuid::new_v4().to_string()).ok_or_else(|| corrupt("new id"))?;
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO orders (id, organisation_id, design_id, idempotency_key, request_json, name, state, reason,
                 price_book_version, monthly_cents, hourly_cents, one_time_cents, created_by, created_at_ms, updated_at_ms,
                 action, service_id, purchase_order, placed_by_user_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10, $11, $12, $13, $13, $14, $15, $16, $17)",
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
        .bind(order.purchase_order.map(PurchaseOrder::as_str))
        .bind(by.id.as_str())
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
        if let Some((quote, position)) = order.quoted_item {
            if !take_quoted_item(&mut tx, quote, position, &id, now).await? {
                tx.rollback().await?;
                return Err(OrderError::QuotedItemTaken);
            }
        }
        // The customer's own approval comes first; Lightpath's credit check once it is given.
        let waits = match order.action {
            OrderAction::Disconnect => None,
            OrderAction::Add | OrderAction::Modify => {
                match super::approvals::approval_wait(&mut tx, order.organisation, order.totals, &by.name).await? {
                    Some(reason) => Some((OrderState::Pending, reason)),
                    None => credit_hold(&mut tx, order.organisation, order.totals, order.service)
                        .await?
                        .map(|reason| (OrderState::Held, reason)),
                }
            }
        };
        if let Some((OrderState::Pending, _)) = &waits {
            let first_month = lightpath_domain::credit::order_exposure(order.totals);
            super::approvals::notify_approvers(&mut tx, order.organisation, by, order.name, first_month).await?;
        }
        if let Some((waiting, reason)) = &waits {
            sqlx::query("UPDATE orders SET state = $1, reason = $2 WHERE id = $3")
                .bind(waiting.slug())
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
        if let Some(cloud) = &order.cloud {
            crate::cloud_connections::take_item(&mut tx, &id, order.organisation, cloud).await?;
        }
        let message = format!(
            "Order acknowledged: {} item(s), priced with price book v{}.",
            order.items.len(),
            order.price_book_version
        );
        add_event(&mut tx, &id, None, "info", &message).await?;
        if let Some(note) = &order.note {
            add_event(&mut tx, &id, None, "info", note).await?;
        }
        match &waits {
            // A held or pending order waits for a person: no job, so no worker reserves
            // anything for it.
            Some((_, reason)) => add_event(&mut tx, &id, None, "held", reason).await?,
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
        if matches!(current, OrderState::Held | OrderState::Pending) {
            // Nothing was reserved or provisioned: the order simply ends.
            tx.rollback().await?;
            let before = if current == OrderState::Held { "the credit review" } else { "its approval" };
            let message = format!("Cancelled by {} before {before}; nothing was provisioned.", by.name);
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
        add_event(&mut tx, order, None, "info", &format!("Cancellation requested by {}.", by.name)).await?;
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
        if !decided(&mut tx, order, OrderState::Held, next, reason.as_deref(), now).await? {
            return Ok(false);
        }
        add_event(&mut tx, order, None, if approve { "info" } else { "failed" }, &message).await?;
        crate::webhooks::publish_order_state(&mut tx, order).await?;
        crate::cloud_connections::order_moved(&mut tx, order, next).await?;
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
