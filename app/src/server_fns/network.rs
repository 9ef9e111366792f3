//! Network reads for the network page.

use crate::error::AppError;
use leptos::prelude::*;
pub use lightpath_app::model::network::*;

/// The network in numbers, counted on the server (the home page needs four numbers, not the
/// network's sites and spans).
#[server(endpoint = "network-facts", output = lightpath_app::error::JsonAnswer)]
pub async fn load_network_facts() -> Result<NetworkFacts, AppError> {
    super::run(|caller| async move { lightpath_app::network::facts(&caller).await }).await
}

#[server(endpoint = "network", output = lightpath_app::error::JsonAnswer)]
pub async fn load_network() -> Result<NetworkView, AppError> {
    super::run(|caller| async move { lightpath_app::network::network(&caller).await }).await
}

/// Routes `rate` from one site to another on the live network (around full spans). `diverse`
/// is a checkbox: present asks for a second path sharing no span with the first.
#[server(endpoint = "route", output = lightpath_app::error::JsonAnswer)]
pub async fn find_route(
    from: String,
    to: String,
    rate: String,
    diverse: Option<String>,
) -> Result<RouteAnswer, AppError> {
    super::run(|caller| async move {
        let route = lightpath_app::network::route(&caller, &from, &to, &rate, diverse.is_some()).await?;
        Ok(RouteAnswer { rate: route.rate.to_string(), primary: route.primary, twin: route.twin })
    })
    .await
}
