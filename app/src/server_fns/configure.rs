//! Configure-and-order of one product from its page: the sites to pick from, placing a
//! configuration on the live network, and ordering it (idempotent, re-placed and re-priced
//! here; the browser's figures are only compared, never trusted).

use crate::error::AppError;
use crate::server_fns::orders::OrderPlaced;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
pub use lightpath_app::model::configure::*;
use lightpath_domain::cloud::CloudForm;
use lightpath_domain::cloud_router::RouterForm;
use lightpath_domain::configure::{Configuration, Placement};
use lightpath_domain::pricing::Totals;

/// None when nobody is signed in (the product page stays public and answers 200).
#[server(endpoint = "configurator", output = lightpath_app::error::JsonAnswer)]
pub async fn load_configurator() -> Result<Option<ConfiguratorData>, AppError> {
    super::run(|caller| async move { lightpath_app::configure::load_configurator(&caller).await }).await
}

/// Checks the ends and routes the configuration on the live network; the browser prices it.
#[server(endpoint = "place-configuration", input = Json, output = lightpath_app::error::JsonAnswer)]
pub async fn place_configuration(config: Configuration) -> Result<Placement, AppError> {
    super::run(|caller| async move {
        lightpath_app::configure::place(&caller, &config).await.map(|(placement, _)| placement)
    })
    .await
}

/// Keeps a configured product in a design, next to what its workload recommends: a new design
/// named after it, or one of the organisation's (`design`). `quote` also asks sales for a quote.
#[server(endpoint = "keep-configuration", input = Json, output = lightpath_app::error::JsonAnswer)]
pub async fn keep_configuration(
    config: Configuration,
    design: Option<String>,
    quote: bool,
) -> Result<crate::server_fns::designs::SavedAnswer, AppError> {
    super::run(
        |caller| async move { lightpath_app::configure::keep_configuration(&caller, config, design, quote).await },
    )
    .await
}

/// Orders a configuration at the price the buyer saw (`totals`), with their purchase-order
/// reference if they give one; a price that changed since is refused with the new one. `key`
/// is one submission attempt's idempotency key. A cloud connection comes with its cloud's
/// details (`cloud`), a cloud router with its AS number (`router`).
#[server(endpoint = "order-configuration", input = Json, output = lightpath_app::error::JsonAnswer)]
pub async fn order_configuration(
    config: Configuration,
    key: String,
    totals: Totals,
    #[server(default)] purchase_order: Option<String>,
    #[server(default)] cloud: Option<CloudForm>,
    #[server(default)] router: Option<RouterForm>,
) -> Result<OrderPlaced, AppError> {
    super::run(|caller| async move {
        match (cloud, router) {
            (Some(cloud), _) => {
                lightpath_app::clouds::order_connection(&caller, config, cloud, key, totals, purchase_order).await
            }
            (None, Some(router)) => {
                lightpath_app::clouds::order_router(&caller, config, router, key, totals, purchase_order).await
            }
            (None, None) => {
                lightpath_app::configure::order_configuration(&caller, config, key, totals, purchase_order).await
            }
        }
    })
    .await
}
