//! Webhooks: an organisation's admin subscribes a callback URL to events, sees each
//! subscription's deliveries, sends a test event, resumes a paused subscription, and removes one.

use crate::error::AppError;
use leptos::prelude::*;
use lightpath_domain::records::WebhookSubscription;
use serde::{Deserialize, Serialize};

/// Where callbacks may go, as the server is set (`LIGHTPATH_WEBHOOKS_ALLOW_PRIVATE`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WebhookPolicy {
    /// `http://` and private, loopback and link-local addresses allowed (tests, demos).
    pub allow_private: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhooksView {
    pub organisation: String,
    pub subscriptions: Vec<WebhookSubscription>,
}

/// A subscription just made: the only time its signing secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookMade {
    pub subscription: WebhookSubscription,
    pub secret: String,
}

#[server(endpoint = "webhooks")]
pub async fn list_webhooks() -> Result<WebhooksView, AppError> {
    crate::usecases::run(|caller| async move { crate::usecases::webhooks::list(&caller).await }).await
}

/// `events`: the chosen event type slugs (`events[0]`, `events[1]`… from the form's boxes).
#[server(endpoint = "create-webhook")]
pub async fn create_webhook(url: String, events: Option<Vec<String>>) -> Result<WebhookMade, AppError> {
    let policy = use_context::<WebhookPolicy>().unwrap_or_default();
    crate::usecases::run(|caller| async move {
        crate::usecases::webhooks::create(&caller, policy, &url, &events.unwrap_or_default()).await
    })
    .await
}

#[server(endpoint = "remove-webhook")]
pub async fn remove_webhook(id: String) -> Result<(), AppError> {
    crate::usecases::run(|caller| async move { crate::usecases::webhooks::remove(&caller, &id).await }).await
}

#[server(endpoint = "ping-webhook")]
pub async fn ping_webhook(id: String) -> Result<(), AppError> {
    crate::usecases::run(|caller| async move { crate::usecases::webhooks::ping(&caller, &id).await }).await
}

#[server(endpoint = "resume-webhook")]
pub async fn resume_webhook(id: String) -> Result<(), AppError> {
    crate::usecases::run(|caller| async move { crate::usecases::webhooks::resume(&caller, &id).await }).await
}
