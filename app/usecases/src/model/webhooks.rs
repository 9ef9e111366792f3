//! Webhooks: an organisation's admin subscribes a callback URL to events, sees each
//! subscription's deliveries, sends a test event, resumes a paused subscription, and removes one.

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
    /// Sensitive changes here need a fresh code from the viewer's authenticator app first
    /// ("Confirm it's you").
    pub confirm_needed: bool,
}

/// A subscription just made: the only time its signing secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookMade {
    pub subscription: WebhookSubscription,
    pub secret: String,
}
