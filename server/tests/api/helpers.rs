//! `spawn_app()`: the application on 127.0.0.1:0 with its own fresh database.

use lightpath_app::model::designs::{Recommended, SavedAnswer};
use lightpath_domain::design::{DesignDraft, EdgeSiteDraft, InferenceDraft, Redundancy, TrainingDraft};
use lightpath_domain::faults::FaultPolicy;
use lightpath_domain::recommend::{Choice, Tier};
use lightpath_domain::records::OrderRecord;
use lightpath_domain::{LifecycleStage, Term};
use lightpath_store::DatabaseTarget;
use serde_json::{json, Value};
use server::config::{Config, LogFormat};
use server::startup::Application;
use std::path::PathBuf;
use std::time::Duration;

/// The ten products of the seed catalog, in catalog order.
pub const SEEDED_PRODUCTS: [&str; 10] = [
    "Internet on Demand",
    "400G Wavelengths",
    "Dark Fiber",
    "Programmable Connectivity",
    "IP VPN",
    "Managed SASE",
    "DDoS Mitigation",
    "Colocation",
    "Cloud Connection",
    "Cloud Router",
];

/// How long a test waits for the server's background work (provisioning workers, the usage
/// collector, webhook senders) before it calls it stuck. Generous on purpose: CI runs these
/// tests on two cores beside a release build, where what takes a second alone can take twenty.
/// A test that passes waits only as long as the work takes.
pub const PATIENCE: Duration = Duration::from_secs(180);
/// How often a waiting test asks again.
const POLL: Duration = Duration::from_millis(100);

/// Asks `check` again every 100 ms until it answers something, for `PATIENCE` at most, and
/// panics saying what never happened.
pub async fn eventually<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if let Some(answer) = check().await {
            return answer;
        }
        assert!(tokio::time::Instant::now() < deadline, "{what} did not happen in {} s", PATIENCE.as_secs());
        tokio::time::sleep(POLL).await;
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database: TestDatabase,
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.get_with(path, None).await
    }

    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("JSON body")
    }
}

/// The servers' warnings and errors (and sqlx's statements slower than a second) go to the
/// output of the test whose server wrote them, which the harness prints when that test fails:
/// a request that hangs or fails then says why. Each test's server runs on the test's own
/// thread, and the harness captures output per thread. `RUST_LOG` picks other levels.
fn capture_server_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
        let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(false).with_test_writer().try_init();
    });
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the application with a changed configuration.
pub async fn spawn_app_with(change: impl FnOnce(&mut Config)) -> TestApp {
    let database = TestDatabase::create().await;
    let mut config = test_config(database.target.clone());
    change(&mut config);
    let app = start(config).await;
    // Redirects are checked, not followed: sign-in answers with one. A request that gets no
    // answer within two minutes fails its test, naming the request, instead of hanging the run.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    TestApp { address: app, client, database }
}

/// A draft as the wizard sends it (JSON, so a test can break one field of it).
pub fn draft_json(draft: DesignDraft) -> Value {
    serde_json::to_value(draft).expect("a draft serialises")
}

/// Training between Chicago and Ashburn over a wave, with colocation (items without a route).
pub fn training_draft(name: &str) -> Value {
    draft_json(DesignDraft {
        name: name.to_owned(),
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
    })
}

/// Inference at three Dallas stores (one near-net) with a 10 ms target, as the wizard sends it.
pub fn inference_draft(name: &str) -> Value {
    let store = |name: &str, km: &str| EdgeSiteDraft { name: name.into(), metro: "dfw".into(), distance_km: km.into() };
    draft_json(DesignDraft {
        name: name.to_owned(),
        stages: vec![LifecycleStage::Inference],
        redundancy: Redundancy::DiversePath,
        edge_sites: vec![store("Store 1", "1"), store("Store 2", "2"), store("Store 3", "8")],
        inference: InferenceDraft {
            serving: "dfw-dc-1".into(),
            latency_ms: "10".into(),
            mbps_per_site: "50".into(),
            users: "40".into(),
            public_facing: true,
        },
        ..DesignDraft::default()
    })
}

/// Designs and orders as the portal's pages do, through its server functions.
impl TestApp {
    /// Saves a training design with the "better" bundle chosen; returns its id.
    pub async fn saved_design(&self, cookie: &str, name: &str) -> String {
        let draft = training_draft(name);
        let recommended: Recommended =
            self.post_json("/api/recommend", &json!({ "draft": draft }), Some(cookie)).await.json().await.unwrap();
        assert!(!recommended.recommendation.bundles[1].items.is_empty());
        let choice = Choice { tier: Tier::Better, term: Term::Months12, options: vec![] };
        let body = json!({ "id": null, "draft": draft, "intent": "saved", "choice": choice });
        let saved: SavedAnswer = self.post_json("/api/save-design", &body, Some(cookie)).await.json().await.unwrap();
        saved.id.to_string()
    }

    /// Orders a saved design with an idempotency key.
    pub async fn order_design(&self, design: &str, key: &str, cookie: &str) -> reqwest::Response {
        self.post_form("/api/order-design", &[("design", design), ("key", key)], Some(cookie)).await
    }

    /// One order with its items and timeline.
    pub async fn order_record(&self, id: &str, cookie: &str) -> OrderRecord {
        let response = self.post_form("/api/order", &[("id", id)], Some(cookie)).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Waits until the order ends (the workers run inside the test server).
    pub async fn until_terminal(&self, id: &str, cookie: &str) -> OrderRecord {
        eventually(&format!("order {id} finishing"), async || {
            Some(self.order_record(id, cookie).await).filter(|record| record.summary.state.is_terminal())
        })
        .await
    }

    /// Sets the simulated network's faults as an admin does: no faults, and steps `speedup`
    /// times faster than real time (1: an order runs for minutes).
    pub async fn network_at_speed(&self, speedup: &str) {
        let admin = self.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
        let form =
            [("failure_rate", "0"), ("device_timeout", "1"), ("activation", "1"), ("test", "1"), ("speedup", speedup)];
        assert_eq!(self.post_form("/api/admin/set-faults", &form, Some(&admin)).await.status(), 200);
    }

    /// The simulated network at its highest speed-up, failing `failure_percent` of steps in
    /// the mix of device timeouts, activation and test failures given.
    pub async fn fast_network(&self, failure_percent: &str, mix: [&str; 3]) {
        let admin = self.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
        let speedup = FaultPolicy::MAX_SPEEDUP.to_string();
        let form = [
            ("failure_rate", failure_percent),
            ("device_timeout", mix[0]),
            ("activation", mix[1]),
            ("test", mix[2]),
            ("speedup", speedup.as_str()),
        ];
        assert_eq!(self.post_form("/api/admin/set-faults", &form, Some(&admin)).await.status(), 200);
    }
}

/// The demo password (README.md).
pub const DEMO_PASSWORD: &str = "lightpath-demo-password";

impl TestApp {
    /// POSTs a form to a server function, as a page of this site would (same-origin).
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)], cookie: Option<&str>) -> reqwest::Response {
        let mut request =
            self.client.post(format!("{}{path}", self.address)).header("sec-fetch-site", "same-origin").form(form);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("request reaches the server")
    }

    /// POSTs JSON to a server function that takes JSON (the design wizard's), same-origin.
    pub async fn post_json(&self, path: &str, body: &serde_json::Value, cookie: Option<&str>) -> reqwest::Response {
        let mut request =
            self.client.post(format!("{}{path}", self.address)).header("sec-fetch-site", "same-origin").json(body);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("request reaches the server")
    }

    /// GETs a page or resource. A response whose body stalls is asked for once more: page
    /// streams occasionally stall under the single-threaded test runtime (see
    /// docs/known-issues.md); a wrong answer still fails the test.
    pub async fn get_with(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        for attempt in 1..=2 {
            let mut request = self.client.get(format!("{}{path}", self.address));
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            let exchange = async {
                let response = request.send().await.expect("request reaches the server");
                let (status, headers) = (response.status(), response.headers().clone());
                (status, headers, response.bytes().await.expect("the body arrives"))
            };
            match tokio::time::timeout(std::time::Duration::from_secs(10), exchange).await {
                Ok((status, headers, body)) => {
                    let mut rebuilt = http::Response::builder().status(status);
                    for (name, value) in &headers {
                        rebuilt = rebuilt.header(name, value);
                    }
                    return reqwest::Response::from(rebuilt.body(body).expect("a response"));
                }
                Err(_) => eprintln!("GET {path}: the body stalled (attempt {attempt}), asking again"),
            }
        }
        panic!("GET {path}: the body stalled twice");
    }

    /// Signs in and returns the `Cookie` header value that carries the session.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let response = self.post_form("/api/sign-in", &[("email", email), ("password", password)], None).await;
        assert!(
            response.status().is_success() || response.status().is_redirection(),
            "sign-in of {email}: {}",
            response.status()
        );
        session_cookie(&response).unwrap_or_else(|| panic!("sign-in of {email} set no session cookie"))
    }

    /// A store on this app's database, to look at what was written.
    pub async fn store(&self) -> lightpath_store::Store {
        lightpath_store::Store::connect(&self.database.target).await.expect("connect")
    }
}

/// The `name=value` of the session cookie a response sets, if any (and not a removal).
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("__Host-lightpath-session=") && !value.contains("Max-Age=0"))
        .and_then(|value| value.split(';').next())
        .map(str::to_owned)
}

/// Starts one more server on an existing test database; returns its base URL.
pub async fn spawn_on(database: &TestDatabase) -> String {
    start(test_config(database.target.clone())).await
}

async fn start(config: Config) -> String {
    capture_server_logs();
    let app = Application::build(config).await.expect("the application starts");
    let address = format!("http://{}", app.address());
    tokio::spawn(app.run_until_stopped());
    address
}

/// A migrated and seeded store on a fresh database, without a server around it.
pub async fn seeded_store() -> (TestDatabase, lightpath_store::Store) {
    let database = TestDatabase::create().await;
    let store = lightpath_store::Store::connect(&database.target).await.expect("connect");
    store.migrate().await.expect("migrate");
    store.seed().await.expect("seed");
    (database, store)
}

pub fn test_config(database: DatabaseTarget) -> Config {
    Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database,
        site_root: "target/site".to_owned(),
        log_format: LogFormat::Text,
        demo_data: true,
        staff_two_step: false,
        auth_attempts_per_minute: 1000,
        api_requests_per_minute: 100_000,
        // The tests' receivers listen on 127.0.0.1; retries come fast.
        webhooks: server::webhooks::WebhookSettings { allow_private: true, retry_base_ms: 20, max_attempts: 3 },
        provisioning_workers: 2,
        hash_files: false,
        trusted_proxies: Vec::new(),
        cloud_acceptance_days: None,
        // One key for every server a test starts on a database, as a deployment shares one.
        secret_key: server::config::SecretKeySource::Given(lightpath_store::secrets::SecretKey::from_bytes([7; 32])),
    }
}

/// A database that exists for one test: a SQLite file in a temporary directory, or a
/// uniquely named PostgreSQL database, removed when dropped.
pub struct TestDatabase {
    pub target: DatabaseTarget,
    cleanup: Cleanup,
}

enum Cleanup {
    Directory(PathBuf),
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    pub async fn create() -> TestDatabase {
        let unique = uuid::Uuid::new_v4().simple().to_string();
        match std::env::var("LIGHTPATH_TEST_POSTGRES_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                use sqlx::Connection;
                let name = format!("{POSTGRES_TEST_PREFIX}{}_{unique}", unix_seconds());
                let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap_or_else(|error| {
                    panic!("LIGHTPATH_TEST_POSTGRES_URL is set but PostgreSQL cannot be reached: {error}")
                });
                if !SWEPT_STALE_DATABASES.swap(true, std::sync::atomic::Ordering::SeqCst) {
                    sweep_stale_databases(&mut admin).await;
                }
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await
                    .expect("create test database");
                let url = match admin_url.rsplit_once('/') {
                    Some((server, _)) => format!("{server}/{name}"),
                    None => panic!(
                        "LIGHTPATH_TEST_POSTGRES_URL needs a database path, like postgres://u:p@host:5432/postgres"
                    ),
                };
                TestDatabase { target: DatabaseTarget::Postgres(url), cleanup: Cleanup::Postgres { admin_url, name } }
            }
            _ => {
                let dir = std::env::temp_dir().join(format!("lightpath-test-{unique}"));
                TestDatabase {
                    target: DatabaseTarget::Sqlite(dir.join("lightpath.db")),
                    cleanup: Cleanup::Directory(dir),
                }
            }
        }
    }
}

const POSTGRES_TEST_PREFIX: &str = "lightpath_test_";
static SWEPT_STALE_DATABASES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn unix_seconds() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("a clock after 1970").as_secs()
}

async fn drop_database(admin: &mut sqlx::PgConnection, name: &str) {
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(admin).await;
}

/// Drops the test databases of earlier runs whose last drops the end of the run cut short:
/// those created over an hour ago (the name holds its creation time), never a running test's.
async fn sweep_stale_databases(admin: &mut sqlx::PgConnection) {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'lightpath\\_test\\_%'")
            .fetch_all(&mut *admin)
            .await
            .unwrap_or_default();
    let an_hour_ago = unix_seconds().saturating_sub(3600);
    for name in names {
        let created = name
            .strip_prefix(POSTGRES_TEST_PREFIX)
            .and_then(|rest| rest.split_once('_'))
            .and_then(|(seconds, _)| seconds.parse::<u64>().ok());
        // Names without a time come from before it was in the name: stale as well.
        if created.is_none_or(|created| created < an_hour_ago) {
            drop_database(admin, &name).await;
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Directory(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
                // On a thread with a runtime of its own, and not waited for. DROP DATABASE
                // waits until every PostgreSQL backend has taken note of it, one still in the
                // handshake of a connection this test's server was opening among them; that
                // handshake goes on only when this test's runtime runs again, which waiting
                // here would block. PostgreSQL then gave up on the handshake after its
                // `authentication_timeout`, a minute, and every test dropping a database
                // meanwhile waited that minute too (over half of the PostgreSQL run). A drop the
                // end of the run cuts short leaves a database the next run sweeps.
                let (admin_url, name) = (admin_url.clone(), name.clone());
                std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                    runtime.block_on(async {
                        use sqlx::Connection;
                        if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                            drop_database(&mut admin, &name).await;
                        }
                    });
                });
            }
        }
    }
}
