//! Building and running the application: open the database, migrate, seed, bind, serve.
//! `Application::build` does everything that can fail before serving, so a bad setup ends
//! the process at once with a clear message instead of failing on the first request.

use crate::config::Config;
use crate::delivery::{self, AssetNames};
use crate::state::AppState;
use crate::{api, security};
use app::auth::AuthRateLimiter;
use app::{shell, App};
use axum::body::Body;
use axum::http::Request;
use axum::middleware;
use axum::serve::ListenerExt;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{generate_route_list, LeptosRoutes};
use lightpath_store::{Store, StoreError};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}. Stop the program using it, or set LIGHTPATH_ADDR to a free address")]
    Bind { addr: SocketAddr, source: std::io::Error },
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    address: SocketAddr,
    store: Store,
}

impl Application {
    pub async fn build(config: Config) -> Result<Application, StartupError> {
        tracing::info!(database = %config.database.describe(), "opening the database");
        let store = Store::connect(&config.database)
            .await?
            .requiring_staff_two_step(config.staff_two_step)
            .with_secret_key(config.secret_key()?);
        store.migrate().await?;
        let report = store.seed().await?;
        if !report.loaded.is_empty() {
            tracing::info!(loaded = ?report.loaded, "seed data loaded");
        }
        if config.demo_data {
            if store.seed_demo_accounts().await? {
                tracing::info!("demo accounts loaded (set LIGHTPATH_DEMO_DATA=false for a real deployment)");
            }
        } else {
            let disabled = store.disable_demo_accounts().await?;
            if disabled > 0 {
                tracing::warn!(disabled, "demo accounts disabled: demo data is off (LIGHTPATH_DEMO_DATA)");
            }
        }
        // The carrier network is simulated; a real backend implements `NetworkBackend` and
        // is chosen here, with no change to the worker.
        let network = crate::network::SimulatedNetwork::new(store.clone(), Default::default(), time_seed());
        crate::provisioning::spawn_workers(store.clone(), network, config.provisioning_workers);
        if let Some(days) = config.cloud_acceptance_days {
            store.set_cloud_acceptance_days(days).await?;
        }
        // A server that only serves pages (no workers) sends no webhooks and releases nothing.
        if config.provisioning_workers > 0 {
            crate::webhooks::spawn_senders(store.clone(), config.webhooks.clone(), crate::webhooks::SENDERS);
            tokio::spawn(crate::provisioning::release_unaccepted(store.clone()));
            tokio::spawn(crate::provisioning::monthly_billing(store.clone()));
            tokio::spawn(crate::provisioning::usage_collector(store.clone()));
        }
        // Servers sharing PostgreSQL learn about each other's order events from one poll each;
        // with SQLite this server is the only writer, and its store tells it directly.
        if store.is_postgres() {
            tokio::spawn(store.clone().watch_other_servers());
        }
        let listener =
            TcpListener::bind(config.addr).await.map_err(|source| StartupError::Bind { addr: config.addr, source })?;
        let address = listener.local_addr().map_err(|source| StartupError::Bind { addr: config.addr, source })?;
        let leptos_options = LeptosOptions::builder()
            .output_name(option_env!("LEPTOS_OUTPUT_NAME").unwrap_or("lightpath"))
            .site_root(config.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(address)
            .hash_files(config.hash_files)
            .build();
        let auth_limiter = Arc::new(AuthRateLimiter::per_minute(config.auth_attempts_per_minute));
        let assets = AssetNames { hashed: config.hash_files };
        let proxies = security::TrustedProxies(config.trusted_proxies.clone().into());
        let streams = Default::default();
        let api_limiter = api::auth::ApiRateLimiter::per_minute(config.api_requests_per_minute);
        let webhook_policy =
            lightpath_app::model::webhooks::WebhookPolicy { allow_private: config.webhooks.allow_private };
        let state = AppState {
            leptos_options,
            store: store.clone(),
            auth_limiter,
            assets,
            proxies,
            streams,
            api_limiter,
            webhook_policy,
            catalog_answer: Default::default(),
        };
        Ok(Application { listener, router: router(state), address, store })
    }

    /// The address actually bound (useful with port 0).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes in-flight requests and closes the pool.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // Connect info gives the client address to the per-address sign-in limit.
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        // A streamed page goes out in several writes: without TCP_NODELAY, Nagle's algorithm
        // holds each small write until the previous one is acknowledged, and the client's delayed
        // ACK made every streamed page wait ≈ 40 ms (docs/benchmarks.md).
        let listener = self.listener.tap_io(|stream| {
            if let Err(error) = stream.set_nodelay(true) {
                tracing::debug!(%error, "cannot set TCP_NODELAY on a connection");
            }
        });
        axum::serve(listener, service).with_graceful_shutdown(shutdown_signal()).await?;
        self.store.close().await;
        Ok(())
    }
}

/// The whole HTTP surface: health checks, the REST API, server functions and pages.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let (store, auth_limiter) = (state.store.clone(), state.auth_limiter.clone());
    let api_document = lightpath_app::reference::OpenApiDocument(Arc::new(api::openapi_document()));
    let webhook_policy = state.webhook_policy;
    // What every page render and server function can reach.
    let context = move || {
        provide_context(store.clone());
        provide_context(auth_limiter.clone());
        provide_context(api_document.clone());
        provide_context(webhook_policy);
        // The nonce the security middleware put in this response's policy.
        if let Some(nonce) = use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<security::CspNonce>().cloned())
        {
            provide_context(leptos::nonce::Nonce::from_value(nonce.0));
        }
    };
    let leptos_options = state.leptos_options.clone();
    // Built files are served by tower-http directly, never through the Leptos renderer: its
    // file fallback could attach another request's response options (a 404 status) to a file
    // answered at the same moment, which broke lazy chunks under concurrent page loads.
    let site_root = state.leptos_options.site_root.to_string();
    Router::new()
        .merge(api::router())
        .merge(crate::sso::router())
        .merge(crate::passkeys::router(state.clone()))
        // Release builds write `.br` and `.gz` beside each file (`--precompress`): served as
        // they are, so the build, not each request, pays for the best compression.
        .nest_service("/pkg", ServeDir::new(format!("{site_root}/pkg")).precompressed_br().precompressed_gzip())
        .route_service(
            "/favicon.svg",
            ServeFile::new(format!("{site_root}/favicon.svg")).precompressed_br().precompressed_gzip(),
        )
        .route_service(
            "/passkeys.js",
            ServeFile::new(format!("{site_root}/passkeys.js")).precompressed_br().precompressed_gzip(),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), move || shell(leptos_options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(middleware::from_fn(delivery::server_function_status))
        .layer(middleware::from_fn_with_state(state.assets, delivery::cache_control))
        .layer(middleware::from_fn_with_state(state.clone(), security::resolve_session))
        .layer(middleware::from_fn(security::same_origin_writes))
        .layer(RequestBodyLimitLayer::new(security::MAX_BODY_BYTES))
        .layer(middleware::from_fn(security::security_headers))
        .layer(middleware::from_fn_with_state(state.proxies.clone(), security::client_address))
        .with_state(state)
        .layer(delivery::compression())
        // A bug that panics answers this one request with a 500 page; the connection and the
        // server go on (and the log has the panic).
        .layer(CatchPanicLayer::custom(security::panic_response))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<Body>| {
                    let request_id =
                        request.headers().get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or_default();
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(middleware::from_fn(security::sane_request_id))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// A seed for the simulator's fault draws that differs from one start to the next.
fn time_seed() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(7, |elapsed| elapsed.as_nanos() as u64)
}
