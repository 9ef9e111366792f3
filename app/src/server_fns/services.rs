//! The service inventory: services with their spend, one service's page, and the change
//! orders on it (a bandwidth change priced by the domain engine, a disconnect). Both orders
//! go through the same idempotent ordering path as "Order now".

use crate::error::AppError;
use leptos::prelude::*;
use lightpath_domain::money::Money;
use lightpath_domain::pricing::Totals;
#[cfg(feature = "ssr")]
use lightpath_domain::records::PageRequest;
use lightpath_domain::records::{Paged, ServiceRecord, ServiceSummary};
use lightpath_domain::service::{EarlyTermination, Spend};
use serde::{Deserialize, Serialize};

/// One page of the services a person may see, with the spend of all of them added up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inventory {
    pub services: Paged<ServiceSummary>,
    pub total: Spend,
}

/// A bandwidth the service can be changed to, priced now with the current price book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BandwidthChoice {
    pub option: String,
    pub label: String,
    pub mbps: u64,
    pub totals: Totals,
    /// A cut below the committed monthly charge during the term ends part of the commitment:
    /// what that costs, charged once with the change.
    pub termination: Option<EarlyTermination>,
}

impl BandwidthChoice {
    /// What one month costs at this bandwidth (monthly charges plus 730 hours).
    pub fn monthly_estimate(&self) -> Money {
        self.totals.monthly_estimate()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePage {
    pub record: ServiceRecord,
    /// The catalog's names of its product and option.
    pub product_name: String,
    pub option_label: String,
    /// Empty when the product's bandwidth cannot be changed.
    pub choices: Vec<BandwidthChoice>,
    /// The signed-in person may order changes (a member of the owning organisation).
    pub can_change: bool,
    /// What disconnecting now costs, when the term is not yet served.
    pub termination: Option<EarlyTermination>,
}

#[server(endpoint = "services")]
pub async fn list_services(page: Option<u32>) -> Result<Inventory, AppError> {
    crate::usecases::run(|caller| async move {
        crate::usecases::services::list_services(&caller, PageRequest::new(page.unwrap_or(0))).await
    })
    .await
}

#[server(endpoint = "service")]
pub async fn load_service(id: String) -> Result<ServicePage, AppError> {
    crate::usecases::run(|caller| async move { crate::usecases::services::load_service(&caller, id).await }).await
}

/// Orders a bandwidth change. `monthly_cents` is the price the buyer was shown; a different
/// price now is refused with the new one. `key` makes the submission idempotent.
#[server(endpoint = "change-bandwidth")]
pub async fn change_bandwidth(
    service: String,
    option: String,
    monthly_cents: i64,
    key: String,
) -> Result<crate::server_fns::orders::OrderPlaced, AppError> {
    crate::usecases::run(|caller| async move {
        crate::usecases::services::change_bandwidth(&caller, service, option, monthly_cents, key).await
    })
    .await
}

/// Orders a disconnect: the service stops and its capacity is released.
#[server(endpoint = "disconnect-service")]
pub async fn disconnect_service(
    service: String,
    key: String,
) -> Result<crate::server_fns::orders::OrderPlaced, AppError> {
    crate::usecases::run(
        |caller| async move { crate::usecases::services::disconnect_service(&caller, service, key).await },
    )
    .await
}
