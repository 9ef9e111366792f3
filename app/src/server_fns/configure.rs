//! Configure-and-order of one product from its page: the sites to pick from, placing a
//! configuration on the live network, and ordering it (idempotent, re-placed and re-priced
//! here; the browser's figures are only compared, never trusted).

use crate::error::AppError;
use crate::server_fns::network::{NetworkView, SiteChoice};
use crate::server_fns::orders::OrderPlaced;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use lightpath_domain::configure::{Configuration, Placement};
use lightpath_domain::pricing::Totals;
use serde::{Deserialize, Serialize};

/// What the configurator needs besides the product page's own data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfiguratorData {
    pub sites: Vec<SiteChoice>,
    /// For drawing the path on the map.
    pub network: NetworkView,
    /// Whether the viewer may order for an organisation (a member who designs and orders).
    pub can_order: bool,
    /// The newest designs of the viewer's organisation, to keep a configured item in one:
    /// (id, name).
    pub designs: Vec<(String, String)>,
}

/// None when nobody is signed in (the product page stays public and answers 200).
#[server(endpoint = "configurator")]
pub async fn load_configurator() -> Result<Option<ConfiguratorData>, AppError> {
    crate::usecases::run(|caller| async move { crate::usecases::configure::load_configurator(&caller).await }).await
}

/// Checks the ends and routes the configuration on the live network; the browser prices it.
#[server(endpoint = "place-configuration", input = Json)]
pub async fn place_configuration(config: Configuration) -> Result<Placement, AppError> {
    crate::usecases::run(|caller| async move {
        crate::usecases::configure::place(&caller, &config).await.map(|(placement, _)| placement)
    })
    .await
}

/// Keeps a configured product in a design, next to what its workload recommends: a new design
/// named after it, or one of the organisation's (`design`). `quote` also asks sales for a quote.
#[server(endpoint = "keep-configuration", input = Json)]
pub async fn keep_configuration(
    config: Configuration,
    design: Option<String>,
    quote: bool,
) -> Result<crate::server_fns::designs::SavedAnswer, AppError> {
    crate::usecases::run(|caller| async move {
        crate::usecases::configure::keep_configuration(&caller, config, design, quote).await
    })
    .await
}

/// Orders a configuration at the price the buyer saw (`totals`); a price that changed since
/// is refused with the new one. `key` is one submission attempt's idempotency key.
#[server(endpoint = "order-configuration", input = Json)]
pub async fn order_configuration(config: Configuration, key: String, totals: Totals) -> Result<OrderPlaced, AppError> {
    crate::usecases::run(|caller| async move {
        crate::usecases::configure::order_configuration(&caller, config, key, totals).await
    })
    .await
}
