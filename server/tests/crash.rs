//! The crash test: runs the real server binary, places orders, kills the process with
//! SIGKILL in the middle of provisioning several times and starts it again on the same
//! database. Every acknowledged order must finish, and nothing may be provisioned twice:
//! each routed item reserved its capacity exactly once and the spans hold exactly what the
//! items hold. (SQLite, the embedded default; the lease of a killed worker runs out before a
//! new one resumes its order.) A webhook receiver in this process is subscribed to every
//! event: each event the outbox holds reaches it, correctly signed, and repeats are few (only
//! a delivery cut by a kill is sent again).

use lightpath_domain::design::{DesignDraft, TrainingDraft};
use lightpath_domain::order::OrderState;
use lightpath_domain::records::OrderRecord;
use lightpath_domain::LifecycleStage;
use serde_json::{json, Value};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "lightpath-demo-password";
const ORDERS: usize = 4;
/// AWS cloud connections ordered beside the designs: they end waiting for the buyer's
/// acceptance, which must survive the kills with their VLAN and capacity held once.
const CLOUD_ORDERS: usize = 2;
const CRASHES: usize = 3;

struct Server {
    child: Child,
    base: String,
}

/// A failed assertion must not leave a server running.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(data_dir: &std::path::Path, port: u16) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env_remove("DATABASE_URL")
        .env("LIGHTPATH_ADDR", format!("127.0.0.1:{port}"))
        .env("LIGHTPATH_DATA_DIR", data_dir)
        .env("LIGHTPATH_AUTH_ATTEMPTS_PER_MINUTE", "10000")
        .env("LIGHTPATH_WEBHOOKS_ALLOW_PRIVATE", "true")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    Server { child, base: format!("http://127.0.0.1:{port}") }
}

/// (event id, signature, body) of every request the receiver got.
type Received = std::sync::Arc<std::sync::Mutex<Vec<(String, String, String)>>>;

/// A webhook receiver on 127.0.0.1 in this process; returns its URL and what it got.
async fn receiver() -> (String, Received) {
    let received: Received = Default::default();
    let log = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let log = log.clone();
            async move {
                let header =
                    |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                log.lock().unwrap().push((header("lightpath-event-id"), header("lightpath-signature"), body));
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn ready(client: &reqwest::Client, server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(response) = client.get(format!("{}/readyz", server.base)).send().await {
            if response.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not become ready");
}

async fn sign_in(client: &reqwest::Client, server: &Server, email: &str) -> String {
    let response = client
        .post(format!("{}/api/sign-in", server.base))
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("__Host-lightpath-session="))
        .and_then(|value| value.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

async fn post(
    client: &reqwest::Client,
    server: &Server,
    path: &str,
    form: &[(&str, &str)],
    cookie: &str,
) -> reqwest::Response {
    client
        .post(format!("{}{path}", server.base))
        .header("sec-fetch-site", "same-origin")
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .unwrap()
}

/// POSTs JSON to a server function as this site's pages do; answers the JSON it returns.
async fn post_json(client: &reqwest::Client, server: &Server, path: &str, body: &Value, cookie: &str) -> Value {
    client
        .post(format!("{}{path}", server.base))
        .header("sec-fetch-site", "same-origin")
        .header("cookie", cookie)
        .json(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn states(client: &reqwest::Client, server: &Server, cookie: &str, ids: &[String]) -> Vec<OrderState> {
    let mut states = Vec::new();
    for id in ids {
        let record: OrderRecord = post(client, server, "/api/order", &[("id", id)], cookie).await.json().await.unwrap();
        states.push(record.summary.state);
    }
    states
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_order_finishes_across_kill_9_restarts_and_nothing_is_provisioned_twice() {
    let data = std::env::temp_dir().join(format!("lightpath-crash-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&data).unwrap();
    let port = free_port();
    let client = reqwest::Client::new();
    let mut server = start(&data, port);
    ready(&client, &server).await;

    // No faults; fast enough to finish, slow enough to be killed mid-way (a wave item takes
    // about three seconds).
    let admin = sign_in(&client, &server, "admin@lightpath.example").await;
    let faults =
        [("failure_rate", "0"), ("device_timeout", "1"), ("activation", "1"), ("test", "1"), ("speedup", "5000")];
    assert_eq!(post(&client, &server, "/api/admin/set-faults", &faults, &admin).await.status(), 200);

    // Ada, Acme's admin, subscribes the receiver to every event.
    let (hook_url, received) = receiver().await;
    let ada = sign_in(&client, &server, "ada@acme.example").await;
    let form = [
        ("url", hook_url.as_str()),
        ("events[0]", "order-state-changed"),
        ("events[1]", "order-item-completed"),
        ("events[2]", "service-changed"),
    ];
    let made: Value = post(&client, &server, "/api/create-webhook", &form, &ada).await.json().await.unwrap();
    let secret = made["secret"].as_str().expect("a signing secret").to_owned();

    let grace = sign_in(&client, &server, "grace@acme.example").await;
    // Training between Chicago and Ashburn: a wave and colocation.
    let draft = DesignDraft {
        name: "Crash test".into(),
        stages: vec![LifecycleStage::Training],
        training: TrainingDraft {
            cluster: "ash-dc-2".into(),
            data_site: "chi-dc-1".into(),
            dataset_tb: "20".into(),
            hours: "6".into(),
            power_kw: "40".into(),
            ..TrainingDraft::default()
        },
        ..DesignDraft::default()
    };
    let body = json!({ "id": null, "draft": draft, "intent": "saved", "choice": { "tier": "better", "term": 12, "options": [] } });
    let saved = post_json(&client, &server, "/api/save-design", &body, &grace).await;
    let design = saved["id"].as_str().unwrap().to_owned();
    let mut ids = Vec::new();
    for n in 0..ORDERS {
        let key = format!("order-crash-test-{n:010}");
        let placed: Value = post(&client, &server, "/api/order-design", &[("design", &design), ("key", &key)], &grace)
            .await
            .json()
            .await
            .unwrap();
        ids.push(placed["id"].as_str().expect("an order id").to_owned());
    }

    // Cloud connections from Chicago to AWS us-east-1, priced as the browser prices them.
    let catalog = lightpath_store::seed::catalog().unwrap();
    let config = json!({
        "product": "cloud-connection", "option": "1G", "term": 12, "a_end": "chi-dc-1", "z_end": "aws-us-east-1",
        "diverse": false, "amounts": [], "count": 1
    });
    let placement = post_json(&client, &server, "/api/place-configuration", &json!({ "config": config }), &grace).await;
    let priced = lightpath_domain::configure::price(
        &serde_json::from_value(config.clone()).unwrap(),
        &serde_json::from_value(placement).unwrap(),
        &catalog.products,
        &catalog.price_book,
    )
    .unwrap();
    let cloud = json!({
        "aws_account": "123456789012", "virtual_interface": "private", "customer_asn": "65001",
        "customer_address": "169.254.10.1/30", "cloud_address": "169.254.10.2/30"
    });
    let mut cloud_ids = Vec::new();
    for n in 0..CLOUD_ORDERS {
        let body = json!({
            "config": config, "key": format!("cloud-crash-test-{n:010}"), "totals": priced.totals, "cloud": cloud
        });
        let placed = post_json(&client, &server, "/api/order-configuration", &body, &grace).await;
        cloud_ids.push(placed["id"].as_str().unwrap_or_else(|| panic!("a cloud order id: {placed}")).to_owned());
    }
    ids.extend(cloud_ids.iter().cloned());

    let mut killed_mid_provisioning = 0;
    for _ in 0..CRASHES {
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        let before = states(&client, &server, &grace, &ids).await;
        if before.iter().any(|state| !state.is_terminal()) {
            killed_mid_provisioning += 1;
        }
        server.child.kill().unwrap(); // SIGKILL: no graceful shutdown.
        server.child.wait().unwrap();
        drop(server);
        server = start(&data, port);
        ready(&client, &server).await;
    }
    assert!(killed_mid_provisioning > 0, "at least one kill landed while orders were provisioning");

    let grace = sign_in(&client, &server, "grace@acme.example").await;
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut finished = states(&client, &server, &grace, &ids).await;
    while finished.iter().any(|state| !state.is_terminal()) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
        finished = states(&client, &server, &grace, &ids).await;
    }
    assert!(finished.iter().all(|state| *state == OrderState::Completed), "{finished:?}");

    for id in &ids {
        let record: OrderRecord =
            post(&client, &server, "/api/order", &[("id", id)], &grace).await.json().await.unwrap();
        let reserved = record.events.iter().filter(|event| event.message.contains("capacity reserved")).count();
        let routed = record.items.iter().filter(|item| !item.spans.is_empty()).count();
        assert_eq!(reserved, routed, "each routed item reserved once: {:?}", record.events);
    }

    // Every event in the outbox reached the receiver (a delivery cut by a kill is leased
    // again once its lease runs out, so this may take a minute), each correctly signed.
    let target = lightpath_store::DatabaseTarget::Sqlite(data.join("lightpath.db"));
    let store = lightpath_store::Store::connect(&target).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let events: Vec<String> = loop {
        let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE state <> 'delivered'")
            .fetch_one(store.pool())
            .await
            .unwrap();
        if pending == 0 || Instant::now() > deadline {
            assert_eq!(pending, 0, "every webhook delivered");
            break sqlx::query_scalar("SELECT event_id FROM webhook_deliveries").fetch_all(store.pool()).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let got = received.lock().unwrap().clone();
    let mut distinct: Vec<&str> = got.iter().map(|(id, _, _)| id.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let mut expected: Vec<&str> = events.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(distinct, expected, "each event in the outbox arrived");
    let completed = got
        .iter()
        .filter(|(_, _, body)| {
            body.contains("\"state\":\"completed\"") && body.contains("ProductOrderStateChangeEvent")
        })
        .count();
    assert!(completed >= ORDERS + CLOUD_ORDERS, "every order's completion was told");
    assert!(
        got.len() - distinct.len() <= CRASHES * 2,
        "repeats only around the kills: {} of {}",
        got.len() - distinct.len(),
        got.len()
    );
    for (_, signature, body) in &got {
        let timestamp: u64 = signature.split(',').next().unwrap().trim_start_matches("t=").parse().unwrap();
        assert_eq!(signature, &server::webhooks::signature(&secret, timestamp, body), "a valid signature");
    }
    store.close().await;
    drop(server);

    // The database after the storm: one holding per routed item, and the spans hold exactly
    // what the holdings say.
    let target = lightpath_store::DatabaseTarget::Sqlite(data.join("lightpath.db"));
    let store = lightpath_store::Store::connect(&target).await.unwrap();
    let holders: Vec<(String, i64)> =
        sqlx::query_as("SELECT holder, COUNT(DISTINCT span_id) FROM span_reservations GROUP BY holder")
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert_eq!(holders.len(), ORDERS + CLOUD_ORDERS, "one holding per routed item: {holders:?}");
    let held: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(SUM(mbps), 0) AS BIGINT) FROM span_reservations")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let on_spans: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(SUM(reserved_mbps), 0) AS BIGINT) FROM spans")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(held, on_spans, "span totals match the holdings exactly");
    // The cloud connections wait for acceptance, each with one VLAN of its own, unbilled.
    let waiting: Vec<(String, i64)> = sqlx::query_as("SELECT state, vlan FROM cloud_connections ORDER BY vlan")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(
        waiting,
        (1..=CLOUD_ORDERS as i64).map(|vlan| ("awaiting-acceptance".to_owned(), vlan)).collect::<Vec<_>>()
    );
    let allocations: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM vlan_allocations").fetch_one(store.pool()).await.unwrap();
    assert_eq!(allocations, CLOUD_ORDERS as i64, "one VLAN per connection, none leaked by a kill");
    let billed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM service_rates r JOIN cloud_connections c ON c.service_id = r.service_id",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(billed, 0, "nothing billed before acceptance");
    store.close().await;
    let _ = std::fs::remove_dir_all(&data);
}
