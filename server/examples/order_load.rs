//! Order submission latency: the real server in this process, 200 concurrent submitters each
//! ordering a saved design several times with fresh idempotency keys; prints the latency of
//! submit → acknowledged (HTTP answer with the order id) at p50 / p99 / max.
//!
//! `cargo run --release -p server --example order_load -- [DATABASE_URL] [--pace-ms N]`
//! (default: a fresh SQLite file in a temporary directory). Without `--pace-ms` every submitter
//! sends its next order as soon as the last is answered (200 always in flight: the latency is
//! the queue, 200 ÷ throughput). With `--pace-ms N` each submitter orders once every N ms, their
//! starts spread evenly over the first N ms: 200 buyers at a steady arrival rate, so the latency
//! is the server's own. Results go in docs/benchmarks.md.

use lightpath_domain::design::{DesignDraft, TrainingDraft};
use lightpath_domain::LifecycleStage;
use lightpath_store::DatabaseTarget;
use serde_json::json;
use server::config::{Config, LogFormat};
use server::startup::Application;
use std::sync::Arc;
use std::time::{Duration, Instant};

const SUBMITTERS: usize = 200;
const ORDERS_EACH: usize = 5;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pace = args
        .iter()
        .position(|arg| arg == "--pace-ms")
        .and_then(|at| args.get(at + 1))
        .map(|ms| ms.parse::<u64>().map(Duration::from_millis))
        .transpose()?;
    let url = args.first().filter(|arg| !arg.starts_with("--")).cloned().unwrap_or_else(|| {
        let dir = std::env::temp_dir().join(format!("lightpath-order-load-{}", std::process::id()));
        format!("sqlite://{}", dir.join("load.db").display())
    });
    let config = Config {
        addr: "127.0.0.1:0".parse()?,
        database: DatabaseTarget::parse(&url)?,
        site_root: "target/site".to_owned(),
        log_format: LogFormat::Text,
        demo_data: true,
        staff_two_step: false,
        auth_attempts_per_minute: 10_000,
        api_requests_per_minute: 100_000,
        webhooks: server::webhooks::WebhookSettings { allow_private: false, retry_base_ms: 10_000, max_attempts: 8 },
        // Measure ordering, not provisioning: no workers compete for the database.
        provisioning_workers: 0,
        hash_files: false,
        trusted_proxies: Vec::new(),
        cloud_acceptance_days: None,
        // One key for every server a test starts on a database, as a deployment shares one.
        secret_key: server::config::SecretKeySource::Given(lightpath_store::secrets::SecretKey::from_bytes([7; 32])),
    };
    let app = Application::build(config).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder().pool_max_idle_per_host(SUBMITTERS).build()?;

    let response = client
        .post(format!("{base}/api/sign-in"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", "grace@acme.example"), ("password", "lightpath-demo-password")])
        .send()
        .await?;
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("__Host-lightpath-session="))
        .and_then(|value| value.split(';').next())
        .ok_or("no session cookie")?
        .to_owned();
    // Training between Chicago and Ashburn: a wave and colocation.
    let draft = DesignDraft {
        name: "Load".into(),
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
    let saved: serde_json::Value = client
        .post(format!("{base}/api/save-design"))
        .header("sec-fetch-site", "same-origin")
        .header("cookie", &cookie)
        .json(&body)
        .send()
        .await?
        .json()
        .await?;
    let design = Arc::new(saved["id"].as_str().ok_or("no design id")?.to_owned());

    let started = Instant::now();
    let tasks: Vec<_> = (0..SUBMITTERS)
        .map(|submitter| {
            let (client, base, cookie, design) = (client.clone(), base.clone(), cookie.clone(), Arc::clone(&design));
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(ORDERS_EACH);
                let mut next = Instant::now();
                if let Some(pace) = pace {
                    next += pace * submitter as u32 / SUBMITTERS as u32;
                }
                for n in 0..ORDERS_EACH {
                    if let Some(pace) = pace {
                        tokio::time::sleep_until(next.into()).await;
                        next += pace;
                    }
                    let key = format!("order-load-{submitter:06}-{n:06}");
                    let sent = Instant::now();
                    let response = client
                        .post(format!("{base}/api/order-design"))
                        .header("sec-fetch-site", "same-origin")
                        .header("cookie", &cookie)
                        .form(&[("design", design.as_str()), ("key", key.as_str())])
                        .send()
                        .await
                        .expect("the server answers");
                    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap_or_default());
                    latencies.push(sent.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::new();
    for task in tasks {
        latencies.extend(task.await?);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "{} orders from {SUBMITTERS} concurrent submitters{} on {}: {:.0} orders/s; submit → acknowledged p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        pace.map(|pace| format!(" (one order each every {} ms)", pace.as_millis())).unwrap_or_default(),
        if url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" },
        latencies.len() as f64 / elapsed.as_secs_f64(),
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
    Ok(())
}
