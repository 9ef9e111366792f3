//! Webhook subscriptions and their durable outbox. A change that concerns an organisation
//! calls [`publish`] inside its own transaction, which writes one delivery per subscription
//! that chose the event: the change and its deliveries commit together or not at all. Workers
//! (on any server sharing the database) lease due deliveries, send them and record the answer;
//! a delivery whose worker died is leased again when the lease runs out.

use crate::accounts::{hex, new_id};
use crate::audit::{self, Change};
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::{Actor, Id};
use lightpath_domain::records::{WebhookDelivery, WebhookSubscription};
use lightpath_domain::webhooks::EventType;
use rand::RngCore;
use serde_json::{json, Value};
use sqlx::Row;

/// Live subscriptions per organisation.
pub const MAX_SUBSCRIPTIONS: i64 = 10;
/// Deliveries listed per subscription.
pub const RECENT_DELIVERIES: i64 = 20;

/// A subscription to make.
pub struct NewSubscription {
    pub organisation: Id,
    pub url: String,
    pub events: Vec<EventType>,
}

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for WebhookError {
    fn from(error: sqlx::Error) -> Self {
        WebhookError::Store(StoreError::Database(error))
    }
}

/// A delivery a worker holds: what to send where, and the key to sign it with.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: String,
    pub url: String,
    pub secret: String,
    pub body: String,
    pub event_id: String,
    pub event_type: String,
    /// Attempts made before this one.
    pub attempts: u32,
}

/// The TMF688-style envelope a receiver gets: the same `eventId` for every subscription and
/// every attempt, so a receiver drops repeats by it.
fn envelope(event_id: &str, kind: EventType, at_ms: i64, event: Value) -> String {
    json!({
        "eventId": event_id,
        "eventType": kind.tmf_name(),
        "lightpathEventType": kind.slug(),
        "eventTime": iso_time(at_ms),
        "event": event,
    })
    .to_string()
}

/// `2026-12-02T18:01:00.123Z` from milliseconds since 1970 (UTC, proleptic Gregorian).
fn iso_time(ms: i64) -> String {
    let (days, rest) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (year, month, day) = lightpath_domain::time::civil_from_days(days);
    let (hours, minutes, seconds, millis) = (rest / 3_600_000, rest / 60_000 % 60, rest / 1_000 % 60, rest % 1_000);
    format!("{year:04}-{month:02}-{day:02}T{hours:02}:{minutes:02}:{seconds:02}.{millis:03}Z")
}

/// Writes one delivery of the event for every live subscription of `organisation` that chose
/// `kind`, in the caller's transaction.
pub(crate) async fn publish(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    organisation: &str,
    kind: EventType,
    event: Value,
) -> Result<(), sqlx::Error> {
    let subscriptions: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM webhook_subscriptions
         WHERE organisation_id = $1 AND removed_at_ms IS NULL AND (',' || events || ',') LIKE $2
         ORDER BY id",
    )
    .bind(organisation)
    .bind(format!("%,{},%", kind.slug()))
    .fetch_all(&mut **tx)
    .await?;
    if subscriptions.is_empty() {
        return Ok(());
    }
    let (event_id, now) = (new_id(), now_ms());
    let body = envelope(&event_id, kind, now, event);
    for subscription in subscriptions {
        insert_delivery(tx, &subscription, &event_id, kind, &body, now).await?;
    }
    Ok(())
}

/// The deliveries `d` a sender may take at the time bound to `now` (a query parameter): due,
/// not leased, and with no earlier delivery of their subscription still pending.
fn takeable(now: &str) -> String {
    format!(
        "d.state = 'pending' AND d.next_attempt_ms <= {now} AND d.lease_until_ms < {now}
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries earlier WHERE earlier.subscription_id = d.subscription_id
             AND earlier.state = 'pending' AND earlier.number < d.number)"
    )
}

async fn insert_delivery(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    subscription: &str,
    event_id: &str,
    kind: EventType,
    body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    // The subscription's next number. On PostgreSQL this update holds the subscription's row
    // until the transaction ends, so publishers to one subscription commit in number order;
    // `publish` takes subscriptions by id so two publishers never wait on each other in turn.
    let number: i64 = sqlx::query_scalar(
        "UPDATE webhook_subscriptions SET deliveries_numbered = deliveries_numbered + 1
         WHERE id = $1 RETURNING deliveries_numbered",
    )
    .bind(subscription)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, body, state, attempts,
             next_attempt_ms, lease_owner, lease_until_ms, created_at_ms, number)
         VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, NULL, 0, $6, $7)",
    )
    .bind(new_id())
    .bind(subscription)
    .bind(event_id)
    .bind(kind.slug())
    .bind(body)
    .bind(now)
    .bind(number)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Publishes an order's new state (the order's organisation is read in the transaction).
pub(crate) async fn publish_order_state(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    order: &Id,
) -> Result<(), sqlx::Error> {
    let row = sqlx::query("SELECT organisation_id, name, state, action, service_id FROM orders WHERE id = $1")
        .bind(order.as_str())
        .fetch_one(&mut **tx)
        .await?;
    let organisation: String = row.try_get("organisation_id")?;
    let event = json!({ "productOrder": {
        "id": order.as_str(),
        "href": format!("/api/v1/orders/{order}"),
        "@type": "ProductOrder",
        "name": row.try_get::<String, _>("name")?,
        "state": row.try_get::<String, _>("state")?,
        "action": row.try_get::<String, _>("action")?,
        "service_id": row.try_get::<Option<String>, _>("service_id")?,
    }});
    publish(tx, &organisation, EventType::OrderStateChanged, event).await
}

/// Publishes an order item's completion and the service it made or changed.
pub(crate) async fn publish_item_done(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    order: &Id,
    position: u32,
    completed: bool,
) -> Result<(), sqlx::Error> {
    let row = sqlx::query(
        "SELECT o.organisation_id, i.title, i.state,
                COALESCE((SELECT s.id FROM services s WHERE s.order_id = o.id AND s.position = i.position), o.service_id)
                    AS service_id
         FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.id = $1 AND i.position = $2",
    )
    .bind(order.as_str())
    .bind(i64::from(position))
    .fetch_one(&mut **tx)
    .await?;
    let organisation: String = row.try_get("organisation_id")?;
    if completed {
        let event = json!({
            "productOrder": { "id": order.as_str(), "href": format!("/api/v1/orders/{order}"), "@type": "ProductOrder" },
            "productOrderItem": { "id": position, "title": row.try_get::<String, _>("title")?, "state": row.try_get::<String, _>("state")? },
        });
        publish(tx, &organisation, EventType::OrderItemCompleted, event).await?;
    }
    if let Some(service) = row.try_get::<Option<String>, _>("service_id")? {
        if let Some(service_row) = sqlx::query("SELECT title, state, mbps FROM services WHERE id = $1")
            .bind(&service)
            .fetch_optional(&mut **tx)
            .await?
        {
            let event = json!({ "service": {
                "id": service,
                "href": format!("/api/v1/services/{service}"),
                "@type": "Service",
                "name": service_row.try_get::<String, _>("title")?,
                "state": service_row.try_get::<String, _>("state")?,
                "mbps": service_row.try_get::<i64, _>("mbps")?,
            }});
            publish(tx, &organisation, EventType::ServiceChanged, event).await?;
        }
    }
    Ok(())
}

fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("whsec_{}", hex(&bytes))
}

fn events_of(text: &str) -> Vec<EventType> {
    text.split(',').filter_map(EventType::parse).collect()
}

fn delivery_from_row(row: &sqlx::any::AnyRow) -> Result<WebhookDelivery, StoreError> {
    let id: String = row.try_get("id")?;
    let kind: String = row.try_get("event_type")?;
    Ok(WebhookDelivery {
        id: Id::parse(&id).ok_or_else(|| StoreError::Corrupt(format!("delivery id {id}")))?,
        event_id: row.try_get("event_id")?,
        event_type: EventType::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("event type {kind}")))?,
        state: row.try_get("state")?,
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        last_status: row.try_get::<Option<i64>, _>("last_status")?.and_then(|status| u16::try_from(status).ok()),
        last_error: row.try_get("last_error")?,
        created_at_ms: row.try_get("created_at_ms")?,
        delivered_at_ms: row.try_get("delivered_at_ms")?,
    })
}

impl Store {
    /// Subscribes `new.url` to events of the organisation; returns the subscription and its
    /// signing secret (shown once).
    pub async fn create_webhook(
        &self,
        by: &Actor,
        new: NewSubscription,
    ) -> Result<(WebhookSubscription, String), WebhookError> {
        let (id, secret, now) = (new_id(), new_secret(), now_ms());
        let events: Vec<&str> = new.events.iter().map(|kind| kind.slug()).collect();
        let mut tx = self.begin_write().await?;
        let live: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM webhook_subscriptions WHERE organisation_id = $1 AND removed_at_ms IS NULL",
        )
        .bind(new.organisation.as_str())
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if live >= MAX_SUBSCRIPTIONS {
            return Err(WebhookError::Refused(format!(
                "There are {MAX_SUBSCRIPTIONS} webhooks already: remove one you no longer use first."
            )));
        }
        sqlx::query(
            "INSERT INTO webhook_subscriptions (id, organisation_id, url, secret, events, created_by, created_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(new.organisation.as_str())
        .bind(&new.url)
        .bind(&secret)
        .bind(events.join(","))
        .bind(by.email.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let after = json!({ "url": new.url, "events": events });
        audit::record(
            &mut tx,
            by,
            "webhook.create",
            &format!("webhook {id}"),
            Some(new.organisation.as_str()),
            Change::created(after),
        )
        .await?;
        tx.commit().await?;
        let subscription = WebhookSubscription {
            id: Id::parse(&id).ok_or_else(|| StoreError::Corrupt("new webhook id".into()))?,
            url: new.url,
            events: new.events,
            created_by: by.email.as_str().to_owned(),
            created_at_ms: now,
            deliveries: Vec::new(),
        };
        Ok((subscription, secret))
    }

    /// The organisation's live subscriptions, newest first, each with its newest deliveries.
    pub async fn webhooks(&self, organisation: &Id) -> Result<Vec<WebhookSubscription>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, url, events, created_by, created_at_ms FROM webhook_subscriptions
             WHERE organisation_id = $1 AND removed_at_ms IS NULL ORDER BY created_at_ms DESC, id",
        )
        .bind(organisation.as_str())
        .fetch_all(self.pool())
        .await?;
        let mut subscriptions = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get("id")?;
            let deliveries = sqlx::query(
                "SELECT id, event_id, event_type, state, attempts, last_status, last_error, created_at_ms, delivered_at_ms
                 FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY created_at_ms DESC, id LIMIT $2",
            )
            .bind(&id)
            .bind(RECENT_DELIVERIES)
            .fetch_all(self.pool())
            .await?;
            subscriptions.push(WebhookSubscription {
                id: Id::parse(&id).ok_or_else(|| StoreError::Corrupt(format!("webhook id {id}")))?,
                url: row.try_get("url")?,
                events: events_of(&row.try_get::<String, _>("events")?),
                created_by: row.try_get("created_by")?,
                created_at_ms: row.try_get("created_at_ms")?,
                deliveries: deliveries.iter().map(delivery_from_row).collect::<Result<_, _>>()?,
            });
        }
        Ok(subscriptions)
    }

    /// Removes a subscription of the organisation; its undelivered events are dropped. False
    /// when there is no such live subscription there.
    pub async fn remove_webhook(&self, by: &Actor, organisation: &Id, webhook: &Id) -> Result<bool, StoreError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let removed = sqlx::query(
            "UPDATE webhook_subscriptions SET removed_at_ms = $1
             WHERE id = $2 AND organisation_id = $3 AND removed_at_ms IS NULL",
        )
        .bind(now)
        .bind(webhook.as_str())
        .bind(organisation.as_str())
        .execute(&mut *tx)
        .await?;
        if removed.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE webhook_deliveries SET state = 'failed', last_error = 'The webhook was removed.'
             WHERE subscription_id = $1 AND state = 'pending'",
        )
        .bind(webhook.as_str())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            by,
            "webhook.remove",
            &format!("webhook {webhook}"),
            Some(organisation.as_str()),
            Change::deleted(json!({ "id": webhook.as_str() })),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Sends a test event to one subscription of the organisation; false when there is none.
    pub async fn ping_webhook(&self, organisation: &Id, webhook: &Id) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let exists: Option<String> = sqlx::query_scalar(
            "SELECT id FROM webhook_subscriptions WHERE id = $1 AND organisation_id = $2 AND removed_at_ms IS NULL",
        )
        .bind(webhook.as_str())
        .bind(organisation.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_none() {
            return Ok(false);
        }
        let (event_id, now) = (new_id(), now_ms());
        let body = envelope(&event_id, EventType::Ping, now, json!({ "webhook": webhook.as_str() }));
        insert_delivery(&mut tx, webhook.as_str(), &event_id, EventType::Ping, &body, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Leases the oldest due delivery to `owner` for `lease_ms` (safe with several workers and
    /// servers, as provisioning jobs are). A delivery waits while an earlier one of its
    /// subscription is pending (being sent or waiting to be retried), so each receiver gets its
    /// events in the order they happened; a receiver that keeps failing holds back only its
    /// own deliveries, until the failing one is given up.
    pub async fn claim_delivery(&self, owner: &str, lease_ms: i64) -> Result<Option<Claimed>, StoreError> {
        let now = now_ms();
        // Idle senders ask often: a plain read first, so an empty outbox never takes the
        // write lock (SQLite has one writer; PostgreSQL would run a write per poll).
        let due: Option<String> =
            sqlx::query_scalar(&format!("SELECT id FROM webhook_deliveries d WHERE {} LIMIT 1", takeable("$1")))
                .bind(now)
                .fetch_optional(self.pool())
                .await?;
        if due.is_none() {
            return Ok(None);
        }
        // PostgreSQL: two senders never pick the same row; SQLite has one writer at a time.
        let skip_locked = if self.is_postgres() { " FOR UPDATE SKIP LOCKED" } else { "" };
        let pick = format!(
            "SELECT id FROM webhook_deliveries d WHERE {} ORDER BY d.next_attempt_ms LIMIT 1{skip_locked}",
            takeable("$3")
        );
        let mut tx = self.begin_write().await?;
        let claimed: Option<String> = sqlx::query_scalar(&format!(
            "UPDATE webhook_deliveries SET lease_owner = $1, lease_until_ms = $2
             WHERE id = ({pick}) AND lease_until_ms < $3 RETURNING id"
        ))
        .bind(owner)
        .bind(now + lease_ms)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = claimed else {
            tx.commit().await?;
            return Ok(None);
        };
        let row = sqlx::query(
            "SELECT d.id, s.url, s.secret, d.body, d.event_id, d.event_type, d.attempts
             FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id WHERE d.id = $1",
        )
        .bind(&id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(Claimed {
            id: row.try_get("id")?,
            url: row.try_get("url")?,
            secret: row.try_get("secret")?,
            body: row.try_get("body")?,
            event_id: row.try_get("event_id")?,
            event_type: row.try_get("event_type")?,
            attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        }))
    }

    /// Records an attempt of a delivery `owner` holds: delivered (`retry_at` unused), to be
    /// tried again at `retry_at`, or given up (`retry_at` None and not delivered).
    pub async fn delivery_attempted(
        &self,
        delivery: &str,
        owner: &str,
        delivered: bool,
        status: Option<u16>,
        error: Option<&str>,
        retry_at: Option<i64>,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        let state = match (delivered, retry_at) {
            (true, _) => "delivered",
            (false, Some(_)) => "pending",
            (false, None) => "failed",
        };
        sqlx::query(
            "UPDATE webhook_deliveries SET state = $1, attempts = attempts + 1, last_status = $2, last_error = $3,
                 next_attempt_ms = $4, lease_owner = NULL, lease_until_ms = 0,
                 delivered_at_ms = CASE WHEN $1 = 'delivered' THEN $5 ELSE delivered_at_ms END
             WHERE id = $6 AND lease_owner = $7",
        )
        .bind(state)
        .bind(status.map(i64::from))
        .bind(error)
        .bind(retry_at.unwrap_or(now))
        .bind(now)
        .bind(delivery)
        .bind(owner)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_times_are_iso_utc() {
        assert_eq!(iso_time(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_time(1_796_237_294_629), "2026-12-02T18:48:14.629Z");
        assert_eq!(iso_time(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn the_envelope_names_the_event_for_receivers() {
        let body: Value =
            serde_json::from_str(&envelope("e-1", EventType::QuoteSent, 0, json!({ "quote": {} }))).unwrap();
        assert_eq!(body["eventId"], "e-1");
        assert_eq!(body["eventType"], "QuoteStateChangeEvent");
        assert_eq!(body["lightpathEventType"], "quote-sent");
        assert!(body["event"]["quote"].is_object());
    }

    /// A store on a new SQLite file with one organisation and one subscription to it.
    async fn store_with_subscription() -> (Store, Id, Id, std::path::PathBuf) {
        let path = std::env::temp_dir().join(format!("lightpath-webhooks-{}.db", new_id()));
        let store = Store::connect(&crate::DatabaseTarget::Sqlite(path.clone())).await.unwrap();
        store.migrate().await.unwrap();
        let (organisation, webhook) = (new_id(), new_id());
        sqlx::query("INSERT INTO organisations (id, name, created_at_ms) VALUES ($1, 'Acme', 0)")
            .bind(&organisation)
            .execute(store.pool())
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO webhook_subscriptions (id, organisation_id, url, secret, events, created_by, created_at_ms)
             VALUES ($1, $2, 'https://hooks.example/in', 'whsec_x', 'order-state-changed', 'test', 0)",
        )
        .bind(&webhook)
        .bind(&organisation)
        .execute(store.pool())
        .await
        .unwrap();
        (store, Id::parse(&organisation).unwrap(), Id::parse(&webhook).unwrap(), path)
    }

    #[tokio::test]
    async fn a_subscription_gets_its_deliveries_one_at_a_time_in_order() {
        let (store, organisation, webhook, path) = store_with_subscription().await;
        for _ in 0..3 {
            assert!(store.ping_webhook(&organisation, &webhook).await.unwrap());
        }
        let first = store.claim_delivery("sender-a", 60_000).await.unwrap().expect("the first is due");
        // While the first is being sent, a second sender finds nothing to send.
        assert!(store.claim_delivery("sender-b", 60_000).await.unwrap().is_none());
        // A failed attempt waiting to be retried still holds the later ones back.
        store.delivery_attempted(&first.id, "sender-a", false, Some(500), None, Some(0)).await.unwrap();
        let again = store.claim_delivery("sender-b", 60_000).await.unwrap().expect("the retry is due");
        assert_eq!(again.event_id, first.event_id);
        store.delivery_attempted(&again.id, "sender-b", true, Some(204), None, None).await.unwrap();

        let second = store.claim_delivery("sender-a", 60_000).await.unwrap().expect("the second is due");
        assert_ne!(second.event_id, first.event_id);
        assert!(store.claim_delivery("sender-b", 60_000).await.unwrap().is_none());
        // Given up (not delivered, no retry): the next one goes.
        store.delivery_attempted(&second.id, "sender-a", false, None, Some("gone"), None).await.unwrap();
        let third = store.claim_delivery("sender-b", 60_000).await.unwrap().expect("the third is due");
        assert!(third.event_id != first.event_id && third.event_id != second.event_id);

        store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
