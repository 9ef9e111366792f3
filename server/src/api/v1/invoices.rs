//! `GET /api/v1/invoices`, `/api/v1/invoices/{id}` and `/api/v1/invoices/{id}/lines.csv`: the
//! organisation's monthly invoices (TMF678 customer bills) for its finance members and org
//! admins, each line a service's monthly charge pro rata, on-demand use or one-time charge.

use super::openapi::InvoiceProblems;
use crate::api::auth::ApiCaller;
use crate::api::ApiError;
use crate::state::AppState;
use axum::extract::Path;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use lightpath_domain::billing::Invoice;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/invoices", get(list))
        .route("/api/v1/invoices/{id}", get(read))
        .route("/api/v1/invoices/{id}/lines.csv", get(lines_csv))
}

/// The organisation's invoices, newest period first, without their lines.
#[utoipa::path(get, path = "/api/v1/invoices", tag = "billing", operation_id = "listInvoices",
    security(("token" = [])),
    responses((status = 200, description = "The invoices", body = Vec<Invoice>), InvoiceProblems))]
pub(super) async fn list(ApiCaller { caller, .. }: ApiCaller) -> Result<Json<Vec<Invoice>>, ApiError> {
    Ok(Json(lightpath_app::invoices::list(&caller).await?))
}

/// One invoice with its lines (`appliedCustomerBillingRate`).
#[utoipa::path(get, path = "/api/v1/invoices/{id}", tag = "billing", operation_id = "getInvoice",
    security(("token" = [])),
    params(("id" = String, Path, description = "The invoice's id")),
    responses((status = 200, description = "The invoice", body = Invoice), InvoiceProblems))]
pub(super) async fn read(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Invoice>, ApiError> {
    Ok(Json(lightpath_app::invoices::read(&caller, &id).await?))
}

/// One invoice's lines as CSV (amounts in dollars), for accounts payable or a spreadsheet.
#[utoipa::path(get, path = "/api/v1/invoices/{id}/lines.csv", tag = "billing", operation_id = "invoiceLinesCsv",
    security(("token" = [])),
    params(("id" = String, Path, description = "The invoice's id")),
    responses(
        (status = 200, description = "The invoice's lines", body = String, content_type = "text/csv",
            headers(("Content-Disposition" = String, description = "`attachment` with the file's name"))),
        InvoiceProblems
    ))]
pub(super) async fn lines_csv(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let invoice = lightpath_app::invoices::read(&caller, &id).await?;
    let file = format!("invoice-{}.csv", invoice.bill_no);
    Ok(crate::api::csv_attachment(&file, lightpath_app::invoices::csv(&invoice)))
}
