//! The Lightpath server: configuration, start-up, the REST API and health checks around the
//! Leptos app. `main.rs` only calls [`startup::Application`], so tests start the very same
//! server on a free port.

pub mod api;
pub mod config;
pub mod delivery;
pub mod network;
pub mod passkeys;
pub mod provisioning;
pub mod security;
pub mod sso;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod webhooks;
