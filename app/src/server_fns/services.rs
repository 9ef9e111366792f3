//! The service inventory: services with their spend, one service's page, and the change
//! orders on it (a bandwidth change priced by the domain engine, a disconnect). Both orders
//! go through the same idempotent ordering path as "Order now".

use crate::error::AppError;
use leptos::prelude::*;
pub use lightpath_app::model::services::*;
#[cfg(feature = "ssr")]
use lightpath_domain::records::PageRequest;

#[server(endpoint = "services", output = lightpath_app::error::JsonAnswer)]
pub async fn list_services(page: Option<u32>) -> Result<Inventory, AppError> {
    super::run(|caller| async move {
        lightpath_app::services::list_services(&caller, PageRequest::new(page.unwrap_or(0))).await
    })
    .await
}

/// One service's page, with its usage card for `usage`, a range of the chart (`24h`, `7d`,
/// `30d`, `180d`; by default the last 24 hours) as the markup the page places: rendered here,
/// the card costs the browser's code nothing, and the page's refresh reads the service once.
/// A cloud connection's and a cloud router's panels come drawn the same way (their forms are
/// the page's own).
#[server(endpoint = "service", output = lightpath_app::error::JsonAnswer)]
pub async fn load_service(id: String, usage: Option<String>) -> Result<ServicePage, AppError> {
    super::run(|caller| async move {
        let mut page = lightpath_app::services::load_service(&caller, id).await?;
        let chart = lightpath_app::usage::chart(&caller, &page.record, usage.as_deref().unwrap_or_default()).await?;
        page.usage_html = crate::routes::services::usage::usage_html(chart);
        let service = page.record.summary.id.to_string();
        page.cloud_panel = page
            .record
            .cloud
            .clone()
            .map(|cloud| crate::routes::services::cloud::cloud_panel(&service, cloud, page.can_change));
        page.router_panel =
            page.record.router.clone().map(|router| crate::routes::services::router::router_panel(&service, router));
        Ok(page)
    })
    .await
}

/// Orders a bandwidth change. `monthly_cents` is the price the buyer was shown; a different
/// price now is refused with the new one. `key` makes the submission idempotent.
#[server(endpoint = "change-bandwidth", output = lightpath_app::error::JsonAnswer)]
pub async fn change_bandwidth(
    service: String,
    option: String,
    monthly_cents: i64,
    key: String,
    purchase_order: Option<String>,
) -> Result<crate::server_fns::orders::OrderPlaced, AppError> {
    super::run(|caller| async move {
        lightpath_app::services::change_bandwidth(&caller, service, option, monthly_cents, key, purchase_order).await
    })
    .await
}

/// Orders a disconnect: the service stops and its capacity is released.
#[server(endpoint = "disconnect-service", output = lightpath_app::error::JsonAnswer)]
pub async fn disconnect_service(
    service: String,
    key: String,
) -> Result<crate::server_fns::orders::OrderPlaced, AppError> {
    super::run(|caller| async move { lightpath_app::services::disconnect_service(&caller, service, key).await }).await
}

/// A change to a cloud service's own settings, one endpoint for both (one in the page's code):
/// `what` is `vlan` (a cloud connection `service` moves to VLAN `value`) or `filter` (cloud
/// router `service` filters what attached connection `connection` brings with the lines of
/// `value`; empty: everything).
#[server(endpoint = "change-cloud", output = lightpath_app::error::JsonAnswer)]
pub async fn change_cloud(service: String, what: String, connection: String, value: String) -> Result<(), AppError> {
    super::run(|caller| async move {
        match what.as_str() {
            "vlan" => lightpath_app::clouds::change_vlan(&caller, service, &value).await.map(|_| ()),
            "filter" => {
                let lines = value.lines().map(str::to_owned).collect();
                lightpath_app::clouds::set_attachment_filter(&caller, service, connection, lines).await.map(|_| ())
            }
            _ => Err(AppError::Malformed("`what` is vlan or filter.".into())),
        }
    })
    .await
}

/// Sets a service's utilisation alert (a plain form on its page: back to it, saying so).
#[server(endpoint = "set-usage-alert", output = lightpath_app::error::JsonAnswer)]
pub async fn set_usage_alert(service: String, threshold_percent: String, minutes: String) -> Result<(), AppError> {
    super::run(|caller| async move {
        lightpath_app::usage::set_alert(&caller, &service, &threshold_percent, &minutes).await?;
        if crate::auth::plain_form() {
            leptos_axum::redirect(&format!("/services/{}?alert=set#usage-heading", service.trim()));
        }
        Ok(())
    })
    .await
}

/// Removes a service's utilisation alert (a plain form too).
#[server(endpoint = "clear-usage-alert", output = lightpath_app::error::JsonAnswer)]
pub async fn clear_usage_alert(service: String) -> Result<(), AppError> {
    super::run(|caller| async move {
        lightpath_app::usage::clear_alert(&caller, &service).await?;
        if crate::auth::plain_form() {
            leptos_axum::redirect(&format!("/services/{}?alert=cleared#usage-heading", service.trim()));
        }
        Ok(())
    })
    .await
}
