//! Webhooks over HTTP: a receiver in this test process gets every subscribed event once, each
//! with its own event id and a valid signature; a failing receiver is retried with backoff and
//! then marked failed; callbacks must be https to public addresses unless the server allows
//! private ones; only the organisation's admin manages them.

use crate::helpers::{eventually, spawn_app, spawn_app_with, TestApp, DEMO_PASSWORD};
use axum::http::{HeaderMap, StatusCode};
use lightpath_app::model::orders::OrderPlaced;
use lightpath_app::model::webhooks::{WebhookMade, WebhooksView};
use lightpath_domain::order::OrderState;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request the receiver got.
#[derive(Clone, Debug)]
struct Received {
    at: Instant,
    event_id: String,
    signature: String,
    body: String,
}

/// A webhook receiver on 127.0.0.1 that records what it gets and answers 204, or 500 while
/// `failing`.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
    failing: Arc<AtomicBool>,
}

impl Receiver {
    async fn start() -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let failing = Arc::new(AtomicBool::new(false));
        let (log, fail) = (got.clone(), failing.clone());
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let (log, fail) = (log.clone(), fail.clone());
                async move {
                    let header =
                        |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                    log.lock().unwrap().push(Received {
                        at: Instant::now(),
                        event_id: header("lightpath-event-id"),
                        signature: header("lightpath-signature"),
                        body,
                    });
                    if fail.load(Ordering::SeqCst) {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::NO_CONTENT
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { url, got, failing }
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Waits until `done` holds for what was received.
    async fn until(&self, what: &str, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        eventually(&format!("the receiver getting {what}"), async || Some(self.received()).filter(|got| done(got)))
            .await
    }
}

fn body(received: &Received) -> Value {
    serde_json::from_str(&received.body).unwrap()
}

fn kind(received: &Received) -> String {
    body(received)["lightpathEventType"].as_str().unwrap_or_default().to_owned()
}

async fn subscribe(app: &TestApp, admin: &str, url: &str, events: &[&str]) -> reqwest::Response {
    let names: Vec<String> = (0..events.len()).map(|i| format!("events[{i}]")).collect();
    let mut form: Vec<(&str, &str)> = vec![("url", url)];
    form.extend(names.iter().map(String::as_str).zip(events.iter().copied()));
    app.post_form("/api/create-webhook", &form, Some(admin)).await
}

const ALL_EVENTS: [&str; 4] = ["order-state-changed", "order-item-completed", "service-changed", "quote-sent"];

#[tokio::test]
async fn every_event_reaches_the_receiver_signed_and_once_per_event_id() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let receiver = Receiver::start().await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let made = subscribe(&app, &ada, &receiver.url, &ALL_EVENTS).await;
    assert_eq!(made.status(), 200);
    let made: WebhookMade = made.json().await.unwrap();
    assert!(made.secret.starts_with("whsec_"));

    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let design = app.saved_design(&grace, "Watched").await;
    let placed: OrderPlaced = app.order_design(&design, "webhook-order-000000001", &grace).await.json().await.unwrap();
    let done = app.until_terminal(&placed.id.to_string(), &grace).await;
    assert_eq!(done.summary.state, OrderState::Completed);
    let items = done.items.len();

    let received = receiver
        .until("the completed order, its items and services", |got| {
            let of = |wanted: &str| got.iter().filter(|r| kind(r) == wanted).count();
            got.iter()
                .any(|r| kind(r) == "order-state-changed" && body(r)["event"]["productOrder"]["state"] == "completed")
                && of("order-item-completed") == items
                && of("service-changed") == items
        })
        .await;
    let states: Vec<Value> = received
        .iter()
        .filter(|r| kind(r) == "order-state-changed")
        .map(|r| body(r)["event"]["productOrder"]["state"].clone())
        .collect();
    assert_eq!(states, ["acknowledged", "inProgress", "completed"], "every state, in order");
    for got in &received {
        // The signature is HMAC-SHA256 over "<t>.<body>" with the subscription's secret.
        let timestamp: u64 = got.signature.split(',').next().unwrap().trim_start_matches("t=").parse().unwrap();
        assert_eq!(got.signature, server::webhooks::signature(&made.secret, timestamp, &got.body));
        assert_eq!(body(got)["eventId"], got.event_id.as_str());
        assert_eq!(body(got)["event"]["productOrder"]["id"].as_str().is_some(), kind(got) != "service-changed");
    }
    let mut ids: Vec<&str> = received.iter().map(|r| r.event_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), received.len(), "each event once, with its own id");

    // The admin sees each delivery as delivered with the receiver's answer. The sender records
    // an attempt once the receiver's answer is back, just after the receiver saw the event.
    let view = eventually("every delivery recorded as delivered", async || {
        let view: WebhooksView = app.post_form("/api/webhooks", &[], Some(&ada)).await.json().await.unwrap();
        Some(view).filter(|view| view.subscriptions[0].deliveries.iter().all(|d| d.state == "delivered"))
    })
    .await;
    let deliveries = &view.subscriptions[0].deliveries;
    assert_eq!(deliveries.len(), received.len());
    assert!(deliveries.iter().all(|d| d.state == "delivered" && d.last_status == Some(204) && d.attempts == 1));
}

#[tokio::test]
async fn a_failing_receiver_is_retried_with_backoff_then_marked_failed() {
    let app = spawn_app().await;
    let receiver = Receiver::start().await;
    receiver.failing.store(true, Ordering::SeqCst);
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let made: WebhookMade = subscribe(&app, &ada, &receiver.url, &["order-state-changed"]).await.json().await.unwrap();
    let id = made.subscription.id.to_string();
    assert_eq!(app.post_form("/api/ping-webhook", &[("id", id.as_str())], Some(&ada)).await.status(), 200);

    // The test server tries 3 times, 20 ms then 40 ms apart at least.
    let attempts = receiver.until("three attempts", |got| got.len() >= 3).await;
    assert!(attempts.iter().all(|a| a.event_id == attempts[0].event_id), "the same event each time");
    assert!(attempts[1].at - attempts[0].at >= Duration::from_millis(20));
    assert!(attempts[2].at - attempts[1].at >= Duration::from_millis(40));
    let failed = eventually("the delivery marked failed", async || {
        let view: WebhooksView = app.post_form("/api/webhooks", &[], Some(&ada)).await.json().await.unwrap();
        Some(view.subscriptions[0].deliveries[0].clone()).filter(|delivery| delivery.state == "failed")
    })
    .await;
    assert_eq!((failed.attempts, failed.last_status), (3, Some(500)));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.received().len(), 3, "no attempt after giving up");
}

#[tokio::test]
async fn callbacks_are_https_to_public_addresses_and_only_the_admin_manages_them() {
    let app = spawn_app_with(|config| config.webhooks.allow_private = false).await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    for url in [
        "http://hooks.example.com/x",
        "https://127.0.0.1:9/x",
        "https://169.254.169.254/x",
        "https://10.0.0.8/",
        // IPv6 forms of internal addresses (IPv4-compatible, NAT64, 6to4, mapped, site-local).
        "https://[::127.0.0.1]/x",
        "https://[64:ff9b::a9fe:a9fe]/x",
        "https://[2002:a9fe:a9fe::1]/x",
        "https://[::ffff:0:a9fe:a9fe]/x",
        "https://[fec0::1]/x",
    ] {
        let refused = subscribe(&app, &ada, url, &["quote-sent"]).await;
        assert_eq!(refused.status(), 422, "{url}");
        assert!(refused.text().await.unwrap().contains("\"url\""), "{url}");
    }
    let no_events = subscribe(&app, &ada, "https://hooks.example.com/lightpath", &[]).await;
    assert_eq!(no_events.status(), 422);
    assert!(no_events.text().await.unwrap().contains("\"events\""));
    let unknown = subscribe(&app, &ada, "https://hooks.example.com/lightpath", &["order.deleted"]).await;
    assert_eq!(unknown.status(), 422);
    let made = subscribe(&app, &ada, "https://hooks.example.com/lightpath", &["quote-sent"]).await;
    assert_eq!(made.status(), 200);
    let made: WebhookMade = made.json().await.unwrap();
    let id = made.subscription.id.to_string();

    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    assert_eq!(subscribe(&app, &grace, "https://hooks.example.com/x", &["quote-sent"]).await.status(), 403);
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    assert_eq!(app.post_form("/api/remove-webhook", &[("id", id.as_str())], Some(&hal)).await.status(), 404);
    let theirs: WebhooksView = app.post_form("/api/webhooks", &[], Some(&hal)).await.json().await.unwrap();
    assert!(theirs.subscriptions.is_empty(), "another organisation's webhooks are not shown");
    assert_eq!(app.post_form("/api/remove-webhook", &[("id", id.as_str())], Some(&ada)).await.status(), 200);
    let ours: WebhooksView = app.post_form("/api/webhooks", &[], Some(&ada)).await.json().await.unwrap();
    assert!(ours.subscriptions.is_empty());
}

/// A receiver that answers 204 after `delay`, counting what it got.
async fn slow_receiver(delay: Duration) -> (String, Arc<Mutex<usize>>) {
    let count: Arc<Mutex<usize>> = Arc::default();
    let seen = count.clone();
    let app = axum::Router::new().route(
        "/slow",
        axum::routing::post(move || {
            let seen = seen.clone();
            async move {
                tokio::time::sleep(delay).await;
                *seen.lock().unwrap() += 1;
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/slow", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, count)
}

/// Issue 25: one customer's slow receivers and queued backlog must not delay another
/// customer's events. Globex's six webhooks each hold a backlog of eight events to a receiver
/// that answers after a second (48 deliveries, at most four in flight: 12 s to drain); Acme's
/// test event is sent while that backlog is still draining.
#[tokio::test]
async fn one_customers_backlog_of_slow_deliveries_does_not_delay_another_customers_events() {
    let app = spawn_app().await;
    let (slow_url, slow_count) = slow_receiver(Duration::from_secs(1)).await;
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    let store = app.store().await;
    const WEBHOOKS: usize = 6;
    const BACKLOG: i64 = 8;
    for _ in 0..WEBHOOKS {
        let made: WebhookMade = subscribe(&app, &hal, &slow_url, &["order-state-changed"]).await.json().await.unwrap();
        // The backlog is written as the outbox holds it: pending, numbered in order, due now.
        let id = made.subscription.id.to_string();
        for number in 1..=BACKLOG {
            let event = uuid::Uuid::new_v4().to_string();
            sqlx::query(
                "INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, body, state, attempts,
                     next_attempt_ms, lease_owner, lease_until_ms, created_at_ms, number)
                 VALUES ($1, $2, $3, 'ping', '{}', 'pending', 0, 0, NULL, 0, 0, $4)",
            )
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(&id)
            .bind(&event)
            .bind(number)
            .execute(store.pool())
            .await
            .unwrap();
        }
        sqlx::query("UPDATE webhook_subscriptions SET deliveries_numbered = $1 WHERE id = $2")
            .bind(BACKLOG)
            .bind(&id)
            .execute(store.pool())
            .await
            .unwrap();
    }
    // Let the backlog start draining, then Acme sends its test event.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let receiver = Receiver::start().await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let made: WebhookMade = subscribe(&app, &ada, &receiver.url, &ALL_EVENTS).await.json().await.unwrap();
    let sent = Instant::now();
    let form = [("id", made.subscription.id.to_string())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.post_form("/api/ping-webhook", &form, Some(&ada)).await.status(), 200);
    receiver.until("Acme's test event", |got| !got.is_empty()).await;
    let drained = *slow_count.lock().unwrap();
    eprintln!(
        "Acme's event arrived after {:?}, with {drained} of Globex's {} delivered",
        sent.elapsed(),
        WEBHOOKS as i64 * BACKLOG
    );
    assert!(
        (drained as i64) < WEBHOOKS as i64 * BACKLOG - 8,
        "Acme's event waited for Globex's backlog: {drained} delivered first"
    );
    store.close().await;
}
