//! What every handler can reach: the Leptos options, the store and the sign-in rate limit.

use crate::delivery::AssetNames;
use app::auth::AuthRateLimiter;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use lightpath_store::Store;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub auth_limiter: Arc<AuthRateLimiter>,
    pub assets: AssetNames,
    pub proxies: crate::security::TrustedProxies,
    pub streams: crate::api::orders::StreamSlots,
    pub api_limiter: crate::api::auth::ApiRateLimiter,
    pub webhook_policy: lightpath_app::model::webhooks::WebhookPolicy,
    pub catalog_answer: crate::api::catalog::CatalogAnswer,
}
