//! Admin work: accounts and roles, product texts, price book versions and the audit log.

use crate::error::AppError;
use leptos::prelude::*;
pub use lightpath_app::model::admin::*;
use lightpath_domain::account::Actor;
use lightpath_domain::records::{AuditEntry, PriceBookSummary};
use std::collections::BTreeMap;

/// One page (0-based) of every account.
#[server(endpoint = "admin/users", output = lightpath_app::error::JsonAnswer)]
pub async fn list_users(page: Option<u32>) -> Result<lightpath_domain::records::Paged<Actor>, AppError> {
    super::run(|caller| async move { lightpath_app::admin::list_users(&caller, page).await }).await
}

#[server(endpoint = "admin/set-role", output = lightpath_app::error::JsonAnswer)]
pub async fn set_role(user: String, role: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::admin::set_role(&caller, user, role).await }).await
}

/// The products as admins edit them.
#[server(endpoint = "admin/products", output = lightpath_app::error::JsonAnswer)]
pub async fn load_admin_products() -> Result<Vec<lightpath_domain::Product>, AppError> {
    super::run(|caller| async move { lightpath_app::admin::products(&caller).await }).await
}

#[server(endpoint = "admin/update-product", output = lightpath_app::error::JsonAnswer)]
pub async fn update_product(id: String, name: String, tagline: String, description: String) -> Result<(), AppError> {
    super::run(
        |caller| async move { lightpath_app::admin::update_product(&caller, id, name, tagline, description).await },
    )
    .await
}

/// Adds a product with its first option (admins). It is sold once a published price book
/// prices it.
#[server(endpoint = "admin/add-product", output = lightpath_app::error::JsonAnswer)]
pub async fn add_product(form: lightpath_domain::catalog::ProductForm) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::admin::add_product(&caller, form).await }).await
}

/// Adds an option to a product (admins). It is sold once a published price book prices it.
#[server(endpoint = "admin/add-option", output = lightpath_app::error::JsonAnswer)]
pub async fn add_option(
    product: String,
    option_code: String,
    option_label: String,
    option_bandwidth: String,
) -> Result<(), AppError> {
    super::run(|caller| async move {
        lightpath_app::admin::add_option(&caller, product, option_code, option_label, option_bandwidth).await
    })
    .await
}

/// Adds a price line to a draft (admins).
#[server(endpoint = "admin/add-price-line", output = lightpath_app::error::JsonAnswer)]
pub async fn add_price_line(line: PriceLineForm) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::admin::add_price_line(&caller, line).await }).await
}

#[server(endpoint = "admin/price-books", output = lightpath_app::error::JsonAnswer)]
pub async fn list_price_books() -> Result<Vec<PriceBookSummary>, AppError> {
    super::run(|caller| async move { lightpath_app::admin::list_price_books(&caller).await }).await
}

#[server(endpoint = "admin/price-book", output = lightpath_app::error::JsonAnswer)]
pub async fn load_price_book(version: String) -> Result<PriceBookView, AppError> {
    super::run(|caller| async move { lightpath_app::admin::load_price_book(&caller, version).await }).await
}

/// Opens the draft (copying the current version when there is none) and goes to it.
#[server(endpoint = "admin/open-draft", output = lightpath_app::error::JsonAnswer)]
pub async fn open_draft() -> Result<i64, AppError> {
    super::run(|caller| async move {
        let version = lightpath_app::admin::open_draft(&caller).await?;
        leptos_axum::redirect(&format!("/admin/price-books/{version}"));
        Ok(version)
    })
    .await
}

/// Sets a draft's prices from its one form: `amounts[position]` → the amount typed.
#[server(endpoint = "admin/set-prices", output = lightpath_app::error::JsonAnswer)]
pub async fn set_prices(version: i64, #[server(default)] amounts: BTreeMap<String, String>) -> Result<usize, AppError> {
    super::run(|caller| async move { lightpath_app::admin::set_prices(&caller, version, amounts).await }).await
}

/// Sets a draft's early termination share of one product; `share` is a percentage ("75").
#[server(endpoint = "admin/set-termination-share", output = lightpath_app::error::JsonAnswer)]
pub async fn set_termination_share(version: i64, product: String, share: String) -> Result<(), AppError> {
    super::run(
        |caller| async move { lightpath_app::admin::set_termination_share(&caller, version, product, share).await },
    )
    .await
}

#[server(endpoint = "admin/publish", output = lightpath_app::error::JsonAnswer)]
pub async fn publish_price_book(version: i64) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::admin::publish(&caller, version).await }).await
}

/// The newest audit entries, optionally only one kind of action or one person.
#[server(endpoint = "admin/audit", output = lightpath_app::error::JsonAnswer)]
pub async fn load_audit_log(
    action: Option<String>,
    actor: Option<String>,
    page: Option<u32>,
) -> Result<lightpath_domain::records::Paged<AuditEntry>, AppError> {
    super::run(|caller| async move { lightpath_app::admin::audit(&caller, action, actor, page).await }).await
}

/// Span utilisation and the fault-injection policy (admins).
#[server(endpoint = "admin/network", output = lightpath_app::error::JsonAnswer)]
pub async fn load_network_ops() -> Result<NetworkOps, AppError> {
    super::run(|caller| async move { lightpath_app::admin::network_ops(&caller).await }).await
}

/// Announces planned maintenance on a span or site (network operations): its window in UTC,
/// the expected impact and what the work is. The services it touches are told.
#[server(endpoint = "admin/announce-maintenance", output = lightpath_app::error::JsonAnswer)]
pub async fn announce_maintenance(
    target: String,
    starts: String,
    ends: String,
    impact: String,
    reason: String,
) -> Result<String, AppError> {
    super::run(|caller| async move {
        let form = lightpath_app::model::network::MaintenanceForm { target, starts, ends, impact, reason };
        lightpath_app::maintenance::announce(&caller, form).await
    })
    .await
}

/// Cancels a maintenance window that has not ended. Posted as a plain form, it answers with
/// the network operations page.
#[server(endpoint = "admin/cancel-maintenance", output = lightpath_app::error::JsonAnswer)]
pub async fn cancel_maintenance(id: String) -> Result<(), AppError> {
    super::run(|caller| async move {
        let cancelled = lightpath_app::maintenance::cancel(&caller, &id).await;
        if crate::auth::plain_form() && cancelled.is_ok() {
            leptos_axum::redirect("/admin/network?maintenance=cancelled#maintenance");
        }
        cancelled
    })
    .await
}

/// Takes a span of the simulated network down (network operations), as a fiber cut would:
/// an outage opens and the services crossing it go down until it is restored.
#[server(endpoint = "admin/cut-span", output = lightpath_app::error::JsonAnswer)]
pub async fn cut_span(span: String, cause: String) -> Result<String, AppError> {
    super::run(|caller| async move {
        lightpath_app::outages::cut_span(&caller, lightpath_app::model::network::OutageForm { span, cause }).await
    })
    .await
}

/// Brings a span back: its outage ends. Posted as a plain form, it answers with the network
/// operations page.
#[server(endpoint = "admin/restore-span", output = lightpath_app::error::JsonAnswer)]
pub async fn restore_span(id: String) -> Result<(), AppError> {
    super::run(|caller| async move {
        let restored = lightpath_app::outages::restore_span(&caller, &id).await;
        if crate::auth::plain_form() && restored.is_ok() {
            leptos_axum::redirect("/admin/network?outage=restored#outages");
        }
        restored
    })
    .await
}

/// Sets the simulated network's fault injection: failure rate in percent, the mix weights
/// and how many times faster than real time it runs.
#[server(endpoint = "admin/set-faults", output = lightpath_app::error::JsonAnswer)]
pub async fn set_faults(
    failure_rate: String,
    device_timeout: String,
    activation: String,
    test: String,
    speedup: String,
) -> Result<(), AppError> {
    super::run(|caller| async move {
        lightpath_app::admin::set_faults(&caller, failure_rate, [device_timeout, activation, test], speedup).await
    })
    .await
}
