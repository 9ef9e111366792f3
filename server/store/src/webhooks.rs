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
use lightpath_domain::webhooks::{EventType, MAX_BACKLOG};
use rand::RngCore;
use serde_json::{json, Value};
use sqlx::Row;

/// Live subscriptions per organisation.
pub const MAX_SUBSCRIPTIONS: i64 = 10;
/// Deliveries one organisation may have in flight at once, on all servers together: fewer
/// than one server's senders (`server::webhooks::SENDERS`), so slow receivers of one customer
/// always leave senders free for everyone else.
pub const MAX_IN_FLIGHT_PER_ORGANISATION: i64 = 4;
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
        "eventTime": lightpath_domain::time::iso_time(at_ms),
        "event": event,
    })
    .to_string()
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
         WHERE organisation_id = $1 AND removed_at_ms IS NULL AND paused_at_ms IS NULL
             AND (',' || events || ',') LIKE $2
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

/// The number of subscription `s`'s head: its lowest pending delivery (an indexed lookup on
/// `webhook_deliveries_in_order`). NULL when nothing is pending.
const PENDING_HEAD: &str =
    "(SELECT MIN(head.number) FROM webhook_deliveries head WHERE head.subscription_id = s.id AND head.state = 'pending')";

/// The next delivery a sender should take at the time bound to `now` (a query parameter), as
/// a `SELECT d.id …` that names the delivery `d` and its subscription `s`. Only the head of
/// each live subscription (its lowest pending number, an indexed lookup) can be taken, so a
/// receiver gets its events in order and a held-back backlog is never walked row by row.
/// Among the due heads, the organisation with the fewest deliveries in flight goes first,
/// then the subscription served longest ago: one customer's slow receivers or long backlog
/// take turns with everyone else's instead of going first because they are older.
/// An organisation's deliveries in flight never exceed [`MAX_IN_FLIGHT_PER_ORGANISATION`].
fn next_delivery(now: &str) -> String {
    let in_flight = format!(
        "(SELECT COUNT(*) FROM webhook_deliveries busy
          JOIN webhook_subscriptions busy_s ON busy_s.id = busy.subscription_id
          WHERE busy.lease_until_ms >= {now} AND busy.state = 'pending' AND busy_s.organisation_id = s.organisation_id)"
    );
    format!(
        "SELECT d.id FROM webhook_subscriptions s
         JOIN webhook_deliveries d ON d.subscription_id = s.id AND d.state = 'pending'
             AND d.number = {PENDING_HEAD}
         WHERE s.removed_at_ms IS NULL AND d.next_attempt_ms <= {now} AND d.lease_until_ms < {now}
             AND {in_flight} < {MAX_IN_FLIGHT_PER_ORGANISATION}
         ORDER BY {in_flight}, s.last_claimed_ms, s.id
         LIMIT 1"
    )
}

/// The subscription's backlog: its undelivered events (every number from its pending head on).
async fn backlog(tx: &mut sqlx::Transaction<'static, sqlx::Any>, subscription: &str) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT s.deliveries_numbered AS numbered, {PENDING_HEAD} AS head FROM webhook_subscriptions s WHERE s.id = $1"
    ))
    .bind(subscription)
    .fetch_one(&mut **tx)
    .await?;
    Ok(backlog_of(row.try_get("numbered")?, row.try_get("head")?))
}

/// Undelivered events from the subscription's count of numbered events and its pending head:
/// deliveries go in number order, so every number from the head on is still waiting.
fn backlog_of(numbered: i64, head: Option<i64>) -> i64 {
    head.map_or(0, |head| numbered - head + 1)
}

async fn insert_delivery(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    subscription: &str,
    event_id: &str,
    kind: EventType,
    body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    if backlog(tx, subscription).await? >= MAX_BACKLOG {
        sqlx::query("UPDATE webhook_subscriptions SET paused_at_ms = $1 WHERE id = $2 AND paused_at_ms IS NULL")
            .bind(now)
            .bind(subscription)
            .execute(&mut **tx)
            .await?;
        tracing::warn!(subscription, "a webhook's backlog is full: it is paused until its admin resumes it");
        return Ok(());
    }
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
        publish_service_state(tx, &service).await?;
    }
    Ok(())
}

/// Publishes a service's state; a cloud connection's carries both its states and the cloud's
/// connection id (`ServiceStateChangeEvent`).
pub(crate) async fn publish_service_state(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    service: &str,
) -> Result<(), sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT s.organisation_id, s.title, s.state, s.mbps, c.cloud, c.state AS connection_state, c.cloud_state,
                c.connection_id, c.vlan
         FROM services s LEFT JOIN cloud_connections c ON c.service_id = s.id WHERE s.id = $1",
    )
    .bind(service)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(());
    };
    let organisation: String = row.try_get("organisation_id")?;
    let mut event = json!({ "service": {
        "id": service,
        "href": format!("/api/v1/services/{service}"),
        "@type": "Service",
        "name": row.try_get::<String, _>("title")?,
        "state": row.try_get::<String, _>("state")?,
        "mbps": row.try_get::<i64, _>("mbps")?,
    }});
    if let Some(cloud) = row.try_get::<Option<String>, _>("cloud")? {
        event["service"]["cloudConnection"] = json!({
            "cloud": cloud,
            "state": row.try_get::<Option<String>, _>("connection_state")?,
            "cloudState": row.try_get::<Option<String>, _>("cloud_state")?,
            "connectionId": row.try_get::<Option<String>, _>("connection_id")?,
            "vlan": row.try_get::<Option<i64>, _>("vlan")?,
        });
    }
    publish(tx, &organisation, EventType::ServiceChanged, event).await
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
        Store::lock_organisation(&mut tx, new.organisation.as_str()).await?;
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
            paused_at_ms: None,
            backlog: 0,
            deliveries: Vec::new(),
        };
        Ok((subscription, secret))
    }

    /// The organisation's live subscriptions, newest first, each with its newest deliveries.
    pub async fn webhooks(&self, organisation: &Id) -> Result<Vec<WebhookSubscription>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT s.id, s.url, s.events, s.created_by, s.created_at_ms, s.paused_at_ms, s.deliveries_numbered,
                    {PENDING_HEAD} AS head
             FROM webhook_subscriptions s
             WHERE s.organisation_id = $1 AND s.removed_at_ms IS NULL ORDER BY s.created_at_ms DESC, s.id"
        ))
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
                paused_at_ms: row.try_get("paused_at_ms")?,
                backlog: backlog_of(row.try_get("deliveries_numbered")?, row.try_get("head")?).try_into().unwrap_or(0),
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
    /// One test event at a time: another is refused while the last one is undelivered, so
    /// the button cannot queue a backlog that delays real events.
    pub async fn ping_webhook(&self, organisation: &Id, webhook: &Id) -> Result<bool, WebhookError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT paused_at_ms,
                    (SELECT COUNT(*) FROM webhook_deliveries WHERE subscription_id = s.id AND state = 'pending'
                         AND event_type = $3) AS waiting
             FROM webhook_subscriptions s WHERE id = $1 AND organisation_id = $2 AND removed_at_ms IS NULL",
        )
        .bind(webhook.as_str())
        .bind(organisation.as_str())
        .bind(EventType::Ping.slug())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(false) };
        if row.try_get::<Option<i64>, _>("paused_at_ms")?.is_some() {
            return Err(WebhookError::Refused(
                "This webhook is paused because its receiver fell too far behind: resume it first.".into(),
            ));
        }
        if row.try_get::<i64, _>("waiting")? > 0 {
            return Err(WebhookError::Refused(
                "The last test event has not been delivered yet: wait for it (see the deliveries below) and try again."
                    .into(),
            ));
        }
        let (event_id, now) = (new_id(), now_ms());
        let body = envelope(&event_id, EventType::Ping, now, json!({ "webhook": webhook.as_str() }));
        insert_delivery(&mut tx, webhook.as_str(), &event_id, EventType::Ping, &body, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Resumes a paused subscription: events are queued for it again from now on (those that
    /// happened while it was paused are not). False when there is no such live subscription.
    pub async fn resume_webhook(&self, by: &Actor, organisation: &Id, webhook: &Id) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let paused: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT paused_at_ms FROM webhook_subscriptions WHERE id = $1 AND organisation_id = $2 AND removed_at_ms IS NULL",
        )
        .bind(webhook.as_str())
        .bind(organisation.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(paused) = paused else { return Ok(false) };
        if paused.is_some() {
            sqlx::query("UPDATE webhook_subscriptions SET paused_at_ms = NULL WHERE id = $1")
                .bind(webhook.as_str())
                .execute(&mut *tx)
                .await?;
            audit::record(
                &mut tx,
                by,
                "webhook.resume",
                &format!("webhook {webhook}"),
                Some(organisation.as_str()),
                Change::updated(json!({ "paused_at_ms": paused }), json!({ "paused_at_ms": null })),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Leases the next due delivery to `owner` for `lease_ms` (safe with several workers and
    /// servers, as provisioning jobs are): the head of a subscription, chosen fairly between
    /// organisations and subscriptions (see [`next_delivery`]). A delivery waits while an
    /// earlier one of its subscription is pending (being sent or waiting to be retried), so each
    /// receiver gets its events in the order they happened; a receiver that keeps failing holds
    /// back only its own deliveries, until the failing one is given up.
    pub async fn claim_delivery(&self, owner: &str, lease_ms: i64) -> Result<Option<Claimed>, StoreError> {
        let now = now_ms();
        // Idle senders ask often: a plain read first, so an empty outbox never takes the
        // write lock (SQLite has one writer; PostgreSQL would run a write per poll).
        let due: Option<String> =
            sqlx::query_scalar(&next_delivery("$1")).bind(now).fetch_optional(self.pool()).await?;
        if due.is_none() {
            return Ok(None);
        }
        // PostgreSQL: two senders never pick the same row; SQLite has one writer at a time.
        let skip_locked = if self.is_postgres() { " FOR UPDATE OF d SKIP LOCKED" } else { "" };
        let pick = format!("{}{skip_locked}", next_delivery("$3"));
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
        // Its subscription goes to the back of the queue.
        sqlx::query(
            "UPDATE webhook_subscriptions SET last_claimed_ms = $1
             WHERE id = (SELECT subscription_id FROM webhook_deliveries WHERE id = $2)",
        )
        .bind(now)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
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
        // A subscription removed while this attempt was in flight is not tried again.
        sqlx::query(
            "UPDATE webhook_deliveries SET
                 state = CASE WHEN $1 = 'pending' AND EXISTS (SELECT 1 FROM webhook_subscriptions s
                         WHERE s.id = webhook_deliveries.subscription_id AND s.removed_at_ms IS NOT NULL)
                     THEN 'failed' ELSE $1 END,
                 attempts = attempts + 1, last_status = $2, last_error = $3,
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
        assert_eq!(lightpath_domain::time::iso_time(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(lightpath_domain::time::iso_time(1_796_237_294_629), "2026-12-02T18:48:14.629Z");
        assert_eq!(lightpath_domain::time::iso_time(951_782_400_000), "2000-02-29T00:00:00.000Z");
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

    /// A store on a new SQLite file.
    async fn new_store() -> (Store, std::path::PathBuf) {
        let path = std::env::temp_dir().join(format!("lightpath-webhooks-{}.db", new_id()));
        let store = Store::connect(&crate::DatabaseTarget::Sqlite(path.clone())).await.unwrap();
        store.migrate().await.unwrap();
        (store, path)
    }

    async fn remove_store(store: Store, path: std::path::PathBuf) {
        store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    /// A new store with one organisation, Acme, and one subscription of it.
    async fn store_with_subscription() -> (Store, std::path::PathBuf, Id, Id) {
        let (store, path) = new_store().await;
        let acme = organisation(&store, "Acme").await;
        let webhook = subscription(&store, &acme).await;
        (store, path, acme, webhook)
    }

    async fn organisation(store: &Store, name: &str) -> Id {
        let id = new_id();
        sqlx::query("INSERT INTO organisations (id, name, created_at_ms) VALUES ($1, $2, 0)")
            .bind(&id)
            .bind(name)
            .execute(store.pool())
            .await
            .unwrap();
        Id::parse(&id).unwrap()
    }

    /// A subscription of `organisation` to order state changes.
    async fn subscription(store: &Store, organisation: &Id) -> Id {
        let id = new_id();
        sqlx::query(
            "INSERT INTO webhook_subscriptions (id, organisation_id, url, secret, events, created_by, created_at_ms)
             VALUES ($1, $2, 'https://hooks.example/in', 'whsec_x', 'order-state-changed', 'test', 0)",
        )
        .bind(&id)
        .bind(organisation.as_str())
        .execute(store.pool())
        .await
        .unwrap();
        Id::parse(&id).unwrap()
    }

    /// Publishes `count` order state changes of `organisation`, each in its own transaction.
    async fn queue(store: &Store, organisation: &Id, count: usize) {
        for _ in 0..count {
            let mut tx = store.begin_write().await.unwrap();
            publish(&mut tx, organisation.as_str(), EventType::OrderStateChanged, json!({})).await.unwrap();
            tx.commit().await.unwrap();
        }
    }

    async fn subscription_of(store: &Store, claimed: &Claimed) -> String {
        sqlx::query_scalar("SELECT subscription_id FROM webhook_deliveries WHERE id = $1")
            .bind(&claimed.id)
            .fetch_one(store.pool())
            .await
            .unwrap()
    }

    fn admin_of(organisation: &Id) -> Actor {
        Actor {
            id: Id::parse(&new_id()).unwrap(),
            email: lightpath_domain::account::EmailAddress::parse("admin@acme.example").unwrap(),
            name: "Admin".into(),
            role: lightpath_domain::account::Role::OrgAdmin,
            organisation: Some(lightpath_domain::account::OrganisationRef {
                id: organisation.clone(),
                name: "Acme".into(),
            }),
            token: None,
            two_step_missing: false,
            factor_stale: false,
        }
    }

    #[tokio::test]
    async fn a_subscription_gets_its_deliveries_one_at_a_time_in_order() {
        let (store, path) = new_store().await;
        let acme = organisation(&store, "Acme").await;
        subscription(&store, &acme).await;
        queue(&store, &acme, 3).await;
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
        // A retry due later holds the rest back without any of them being taken.
        store.delivery_attempted(&third.id, "sender-b", false, Some(503), None, Some(i64::MAX / 2)).await.unwrap();
        assert!(store.claim_delivery("sender-a", 60_000).await.unwrap().is_none());
        remove_store(store, path).await;
    }

    #[tokio::test]
    async fn organisations_take_turns_and_none_holds_more_than_its_share_of_senders() {
        let (store, path) = new_store().await;
        let (busy, quiet) = (organisation(&store, "Busy").await, organisation(&store, "Quiet").await);
        let mut busy_subscriptions = Vec::new();
        for _ in 0..MAX_IN_FLIGHT_PER_ORGANISATION + 2 {
            busy_subscriptions.push(subscription(&store, &busy).await);
        }
        queue(&store, &busy, 20).await;
        let quiet_subscription = subscription(&store, &quiet).await;
        // The quiet customer's one event is the newest in the outbox.
        queue(&store, &quiet, 1).await;

        let mut taken = Vec::new();
        while let Some(claimed) = store.claim_delivery(&format!("sender-{}", taken.len()), 60_000).await.unwrap() {
            taken.push(subscription_of(&store, &claimed).await);
        }
        let quiet_at = taken.iter().position(|id| id == quiet_subscription.as_str()).expect("the quiet event is taken");
        assert!(quiet_at <= 1, "the quiet organisation waits for one busy delivery at most: {quiet_at}");
        let busy_in_flight = taken.iter().filter(|id| id.as_str() != quiet_subscription.as_str()).count();
        assert_eq!(busy_in_flight as i64, MAX_IN_FLIGHT_PER_ORGANISATION, "the busy one is capped, not starved");
        remove_store(store, path).await;
    }

    #[tokio::test]
    async fn subscriptions_of_one_organisation_take_turns() {
        let (store, path) = new_store().await;
        let acme = organisation(&store, "Acme").await;
        let (first, second) = (subscription(&store, &acme).await, subscription(&store, &acme).await);
        queue(&store, &acme, 3).await;
        let mut order = Vec::new();
        for round in 0..4 {
            let claimed = store.claim_delivery("sender", 60_000).await.unwrap().expect("something is due");
            order.push(subscription_of(&store, &claimed).await);
            store.delivery_attempted(&claimed.id, "sender", true, Some(204), None, None).await.unwrap();
            // Claims in one millisecond would tie on `last_claimed_ms`.
            tokio::time::sleep(std::time::Duration::from_millis(2 + round)).await;
        }
        assert_ne!(order[0], order[1], "{order:?}");
        assert_ne!(order[1], order[2], "{order:?}");
        assert!(order.contains(&first.to_string()) && order.contains(&second.to_string()));
        remove_store(store, path).await;
    }

    #[tokio::test]
    async fn a_webhook_removed_while_its_delivery_is_in_flight_is_not_called_again() {
        let (store, path, acme, webhook) = store_with_subscription().await;
        queue(&store, &acme, 2).await;
        let claimed = store.claim_delivery("sender", 60_000).await.unwrap().expect("due");
        assert!(store.remove_webhook(&admin_of(&acme), &acme, &webhook).await.unwrap());
        // The sender comes back with a failure and asks for a retry now.
        store.delivery_attempted(&claimed.id, "sender", false, Some(500), None, Some(0)).await.unwrap();
        assert!(store.claim_delivery("sender", 60_000).await.unwrap().is_none());
        let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'pending'")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(pending, 0);
        remove_store(store, path).await;
    }

    #[tokio::test]
    async fn a_full_backlog_pauses_the_subscription_until_resumed() {
        let (store, path, acme, webhook) = store_with_subscription().await;
        let mut tx = store.begin_write().await.unwrap();
        for _ in 0..MAX_BACKLOG + 5 {
            publish(&mut tx, acme.as_str(), EventType::OrderStateChanged, json!({})).await.unwrap();
        }
        tx.commit().await.unwrap();
        let listed = store.webhooks(&acme).await.unwrap();
        assert_eq!(listed[0].backlog, MAX_BACKLOG as u64);
        assert!(listed[0].paused_at_ms.is_some());
        // Paused: a test event is refused, and what was queued is still sent.
        assert!(matches!(store.ping_webhook(&acme, &webhook).await, Err(WebhookError::Refused(_))));
        let claimed = store.claim_delivery("sender", 60_000).await.unwrap().expect("the backlog drains");
        store.delivery_attempted(&claimed.id, "sender", true, Some(204), None, None).await.unwrap();
        queue(&store, &acme, 1).await;
        assert_eq!(store.webhooks(&acme).await.unwrap()[0].backlog, MAX_BACKLOG as u64 - 1, "not queued while paused");

        assert!(store.resume_webhook(&admin_of(&acme), &acme, &webhook).await.unwrap());
        queue(&store, &acme, 1).await;
        let listed = store.webhooks(&acme).await.unwrap();
        assert_eq!((listed[0].backlog, listed[0].paused_at_ms), (MAX_BACKLOG as u64, None));
        remove_store(store, path).await;
    }

    #[tokio::test]
    async fn one_test_event_at_a_time() {
        let (store, path, acme, webhook) = store_with_subscription().await;
        assert!(store.ping_webhook(&acme, &webhook).await.unwrap());
        assert!(matches!(store.ping_webhook(&acme, &webhook).await, Err(WebhookError::Refused(_))));
        let claimed = store.claim_delivery("sender", 60_000).await.unwrap().expect("due");
        store.delivery_attempted(&claimed.id, "sender", true, Some(204), None, None).await.unwrap();
        assert!(store.ping_webhook(&acme, &webhook).await.unwrap(), "delivered: another may go");
        let other = organisation(&store, "Other").await;
        assert!(!store.ping_webhook(&other, &webhook).await.unwrap(), "another organisation's webhook");
        remove_store(store, path).await;
    }
}
