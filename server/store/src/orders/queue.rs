//! The provisioning queue: workers lease jobs, read an order's work, record each item's
//! progress and move the order through its states.

use super::*;

impl Store {
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
        add_event(&mut tx, order, Some(position), outcome, message).await?;
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
        add_event(&mut *self.pool().acquire().await?, order, item, outcome, message).await?;
        self.order_changed(order);
        Ok(())
    }

    /// When the order was placed (a quote's acceptance is the time of its order).
    pub async fn order_placed_at_ms(&self, order: &Id) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar::<_, i64>("SELECT created_at_ms FROM orders WHERE id = $1")
            .bind(order.as_str())
            .fetch_optional(self.pool())
            .await?)
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
        add_event(&mut tx, order, None, if next == OrderState::Failed { "failed" } else { "info" }, message).await?;
        crate::webhooks::publish_order_state(&mut tx, order).await?;
        crate::cloud_connections::order_moved(&mut tx, order, next).await?;
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
}
