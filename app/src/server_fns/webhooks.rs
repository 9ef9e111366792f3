//! Webhooks: an organisation's admin subscribes a callback URL to events, sees each
//! subscription's deliveries, sends a test event, resumes a paused subscription, and removes one.

use crate::error::AppError;
use leptos::prelude::*;
pub use lightpath_app::model::webhooks::*;

#[server(endpoint = "webhooks", output = lightpath_app::error::JsonAnswer)]
pub async fn list_webhooks() -> Result<WebhooksView, AppError> {
    super::run(|caller| async move { lightpath_app::webhooks::list(&caller).await }).await
}

/// `events`: the chosen event type slugs (`events[0]`, `events[1]`… from the form's boxes).
#[server(endpoint = "create-webhook", output = lightpath_app::error::JsonAnswer)]
pub async fn create_webhook(url: String, events: Option<Vec<String>>) -> Result<WebhookMade, AppError> {
    let policy = use_context::<WebhookPolicy>().unwrap_or_default();
    super::run(|caller| async move {
        lightpath_app::webhooks::create(&caller, policy, &url, &events.unwrap_or_default()).await
    })
    .await
}

#[server(endpoint = "remove-webhook", output = lightpath_app::error::JsonAnswer)]
pub async fn remove_webhook(id: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::webhooks::remove(&caller, &id).await }).await
}

#[server(endpoint = "ping-webhook", output = lightpath_app::error::JsonAnswer)]
pub async fn ping_webhook(id: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::webhooks::ping(&caller, &id).await }).await
}

#[server(endpoint = "resume-webhook", output = lightpath_app::error::JsonAnswer)]
pub async fn resume_webhook(id: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::webhooks::resume(&caller, &id).await }).await
}
