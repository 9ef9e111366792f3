//! Monthly invoices: the list, one invoice, and Lightpath's admins running billing early.

use crate::error::AppError;
use leptos::prelude::*;
use lightpath_app::model::invoices::{InvoiceList, InvoicePage};

/// The reader's organisation's invoices (every organisation's for Lightpath's billing).
#[server(endpoint = "invoices", output = lightpath_app::error::JsonAnswer)]
pub async fn list_invoices() -> Result<InvoiceList, AppError> {
    super::run(|caller| async move { lightpath_app::invoices::list_page(&caller).await }).await
}

/// One invoice with its lines; another organisation's is not found.
#[server(endpoint = "invoice", output = lightpath_app::error::JsonAnswer)]
pub async fn load_invoice(id: String) -> Result<InvoicePage, AppError> {
    super::run(|caller| async move { lightpath_app::invoices::page(&caller, &id).await }).await
}

/// Invoices every organisation up to now (Lightpath's admins). Posted as a plain form, it
/// answers with the invoices page.
#[server(endpoint = "admin/run-billing", output = lightpath_app::error::JsonAnswer)]
pub async fn run_billing() -> Result<u32, AppError> {
    super::run(|caller| async move {
        let issued = lightpath_app::invoices::run_billing_now(&caller).await;
        if crate::auth::plain_form() && issued.is_ok() {
            leptos_axum::redirect("/invoices?billing=run");
        }
        issued
    })
    .await
}
