//! An order as people read it: the record with its items, its timeline, and the list.

use super::*;

impl Store {
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
        Ok(Some(OrderRecord { summary, items, events: self.order_events(id, 0).await?, approval: None }))
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
}
