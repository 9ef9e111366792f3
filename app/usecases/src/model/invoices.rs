//! Invoices as the portal's pages show them, worded on the server (a page decodes text only:
//! the invoice's own record is the REST API's).

use serde::{Deserialize, Serialize};

/// The invoices page: the reader's organisation's invoices (every one's for Lightpath's
/// admins and support) and whether they may run billing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceList {
    pub invoices: Vec<InvoiceRow>,
    /// Lightpath's admins: the "Run billing now" form.
    pub may_run_billing: bool,
    /// The invoices are of several organisations (the organisation column shows).
    pub mixed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceRow {
    pub id: String,
    pub bill_no: String,
    pub organisation: String,
    /// "2026-11-01 – 2026-12-01".
    pub period: String,
    pub issued: String,
    pub amount: String,
}

/// One invoice as its printable page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoicePage {
    pub head: InvoiceRow,
    pub lines: Vec<InvoiceLineRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLineRow {
    pub service_id: String,
    pub service: String,
    /// "Monthly", "On demand", "One-time".
    pub kind: String,
    pub name: String,
    /// The days it covers, or the day of a one-time charge.
    pub covers: String,
    pub amount: String,
}
