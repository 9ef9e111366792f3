//! Outages: opening one records the span that went down and the services whose routes cross
//! it (the application layer finds them), in one transaction with its audit entry and an
//! `outage` webhook event to each organisation concerned, naming only that organisation's
//! services. Restoring the span closes it with its end time and tells the same people. A
//! span has at most one open outage (a unique index), so two operators cutting it together
//! open one.

use crate::accounts::{is_unique_violation, new_id};
use crate::audit::{self, Change};
use crate::maintenance::{told, Listing, NoticeScope};
use crate::webhooks::publish;
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::Actor;
use lightpath_domain::outage::Outage;
use lightpath_domain::webhooks::EventType;
use lightpath_domain::SpanId;
use serde_json::json;
use sqlx::Row;

/// A column `down`, 1 when service `s` is active and a span of its route has an open outage
/// (its spans are stored comma-separated), else 0. Read at query time, so a service routed
/// over a span while it is down is down too, and comes back with the span.
macro_rules! route_down_column {
    () => {
        "CAST(CASE WHEN s.state = 'active' AND EXISTS (SELECT 1 FROM outages o WHERE o.ended_at_ms IS NULL \
         AND (',' || s.spans || ',') LIKE ('%,' || o.span_id || ',%')) THEN 1 ELSE 0 END AS BIGINT) AS down"
    };
}
pub(crate) use route_down_column;

/// How long ended outages stay on a customer's pages.
const PAST_OUTAGES_MS: i64 = 90 * 86_400_000;
/// The most outages one list shows.
const LIST_LIMIT: i64 = 100;

/// What opening an outage did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// The new outage's id.
    Outage(String),
    /// The span is down already (its open outage's id).
    AlreadyDown(String),
}

impl Store {
    /// Takes `span` down: opens an outage on it caused by `cause`, naming the `touched`
    /// services (id, organisation), audited, and tells their organisations.
    pub async fn open_outage(
        &self,
        by: &Actor,
        span: &SpanId,
        span_name: &str,
        cause: &str,
        touched: &[(String, String)],
    ) -> Result<Opened, StoreError> {
        let (id, now) = (new_id(), now_ms());
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO outages (id, span_id, span_name, cause, started_at_ms, opened_by) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(span.as_str())
        .bind(span_name)
        .bind(cause)
        .bind(now)
        .bind(by.email.as_str())
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(error) if is_unique_violation(&error) => {
                drop(tx);
                let open: String =
                    sqlx::query_scalar("SELECT id FROM outages WHERE span_id = $1 AND ended_at_ms IS NULL")
                        .bind(span.as_str())
                        .fetch_one(self.pool())
                        .await?;
                return Ok(Opened::AlreadyDown(open));
            }
            Err(error) => return Err(error.into()),
        }
        for (service, organisation) in touched {
            sqlx::query("INSERT INTO outage_services (outage_id, service_id, organisation_id) VALUES ($1, $2, $3)")
                .bind(&id)
                .bind(service)
                .bind(organisation)
                .execute(&mut *tx)
                .await?;
        }
        let after = json!({ "span": span.as_str(), "cause": cause, "services": touched.len() });
        audit::record(&mut tx, by, "network.span-down", &format!("outage {id}"), None, Change::created(after)).await?;
        notify(&mut tx, &id, "opened").await?;
        tx.commit().await?;
        Ok(Opened::Outage(id))
    }

    /// Brings the span of open outage `id` back: the outage ends now, audited, and the
    /// organisations it touched are told. False when there is no such open outage.
    pub async fn close_outage(&self, by: &Actor, id: &str) -> Result<bool, StoreError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let closed =
            sqlx::query("UPDATE outages SET ended_at_ms = $1, closed_by = $2 WHERE id = $3 AND ended_at_ms IS NULL")
                .bind(now)
                .bind(by.email.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
        if !closed {
            return Ok(false);
        }
        audit::record(&mut tx, by, "network.span-up", &format!("outage {id}"), None, Change::deleted(json!({})))
            .await?;
        notify(&mut tx, id, "resolved").await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Which of the services `ids` an outage has down now.
    pub async fn down_among(&self, ids: &[String]) -> Result<Vec<String>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            concat!("SELECT s.id, ", route_down_column!(), " FROM services s WHERE s.id IN ({})"),
            marks.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for id in ids {
            query = query.bind(id.as_str());
        }
        let mut down = Vec::new();
        for row in query.fetch_all(self.pool()).await? {
            if row.try_get::<i64, _>("down")? == 1 {
                down.push(row.try_get("id")?);
            }
        }
        Ok(down)
    }

    /// The outages `scope` may see, newest first: for a customer, open ones and those that
    /// ended no more than 90 days ago.
    pub async fn outages(&self, scope: NoticeScope<'_>) -> Result<Vec<Outage>, StoreError> {
        let columns = "o.id, o.span_id, o.span_name, o.cause, o.started_at_ms, o.ended_at_ms";
        let recent = "(o.ended_at_ms IS NULL OR o.ended_at_ms > $2)";
        let (filter, key) = match scope {
            NoticeScope::All => (String::new(), None),
            NoticeScope::Organisation(organisation) => (
                format!(
                    "WHERE o.id IN (SELECT outage_id FROM outage_services WHERE organisation_id = $1) AND {recent}"
                ),
                Some(organisation.as_str()),
            ),
            NoticeScope::Service(service) => (
                format!("WHERE o.id IN (SELECT outage_id FROM outage_services WHERE service_id = $1) AND {recent}"),
                Some(service.as_str()),
            ),
        };
        let sql =
            format!("SELECT {columns} FROM outages o {filter} ORDER BY o.started_at_ms DESC, o.id LIMIT {LIST_LIMIT}");
        let query = sqlx::query(&sql);
        let rows = match key {
            Some(key) => query.bind(key).bind(now_ms() - PAST_OUTAGES_MS).fetch_all(self.pool()).await?,
            None => query.fetch_all(self.pool()).await?,
        };
        let mut outages = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = row.try_get("id")?;
            let span: String = row.try_get("span_id")?;
            let (started_ms, ended_ms): (i64, Option<i64>) =
                (row.try_get("started_at_ms")?, row.try_get("ended_at_ms")?);
            let (services, services_affected) = match scope {
                NoticeScope::All => {
                    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outage_services WHERE outage_id = $1")
                        .bind(&id)
                        .fetch_one(self.pool())
                        .await?;
                    (Vec::new(), count as u64)
                }
                _ => {
                    let services = self.notice_services(Listing::Outage, &id, scope).await?;
                    let count = services.len() as u64;
                    (services, count)
                }
            };
            outages.push(Outage {
                span: SpanId::parse(&span).map_err(|_| StoreError::Corrupt(format!("outage span {span}")))?,
                span_name: row.try_get("span_name")?,
                cause: row.try_get("cause")?,
                started_ms,
                ended_ms,
                duration_seconds: ended_ms.map(|ended| (ended - started_ms) / 1_000),
                services,
                services_affected,
                id,
            });
        }
        Ok(outages)
    }
}

/// Tells each organisation an outage touches, naming its own services only.
async fn notify(tx: &mut sqlx::Transaction<'static, sqlx::Any>, id: &str, state: &str) -> Result<(), sqlx::Error> {
    let outage = sqlx::query("SELECT span_id, span_name, cause, started_at_ms, ended_at_ms FROM outages WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    let started: i64 = outage.try_get("started_at_ms")?;
    let ended: Option<i64> = outage.try_get("ended_at_ms")?;
    for (organisation, services) in told(tx, Listing::Outage, id).await? {
        let event = json!({ "outage": {
            "id": id,
            "href": "/api/v1/outages",
            "@type": "Outage",
            "state": state,
            "span": outage.try_get::<String, _>("span_id")?,
            "spanName": outage.try_get::<String, _>("span_name")?,
            "cause": outage.try_get::<String, _>("cause")?,
            "started": lightpath_domain::time::iso_time(started),
            "ended": ended.map(lightpath_domain::time::iso_time),
            "durationSeconds": ended.map(|ended| (ended - started) / 1_000),
            "services": services,
        }});
        publish(tx, &organisation, EventType::Outage, event).await?;
    }
    Ok(())
}
