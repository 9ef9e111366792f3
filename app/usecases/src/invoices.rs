//! Monthly invoices: a billing run issues each organisation's invoice for the period since its
//! last one, from its services' rate periods and one-time charges (the domain's
//! `billing::lines`, the same arithmetic as the spend its services pages show). The server
//! runs it on the first of each month (UTC) for the month before; Lightpath's admins can run
//! it early ("until now"), which demos and tests use. Finance members and org admins read
//! their organisation's invoices; Lightpath's admins and support read all.

use crate::model::invoices::{InvoiceLineRow, InvoiceList, InvoicePage, InvoiceRow};
use crate::{AppError, Caller};
use lightpath_domain::billing::{self, Invoice, LineKind};
use lightpath_domain::policy::Permission;
use lightpath_domain::time::utc_minute;
use lightpath_store::Store;

/// Issues every organisation's invoice for the period from its last invoice's end (or the
/// start of the month of its first service) until `until_ms`; answers how many were issued.
/// An organisation with nothing to bill in the period gets no invoice (the next one covers it).
pub async fn run_billing(store: &Store, until_ms: i64) -> Result<u32, AppError> {
    let speedup = store.fault_policy().await?.speedup();
    let mut issued = 0;
    for account in store.billing_accounts().await? {
        let from = account.billed_until_ms.unwrap_or_else(|| lightpath_domain::time::month_start_ms(account.first_service_ms));
        if from >= until_ms {
            continue;
        }
        let services = store.billable_services(&account.organisation).await?;
        let lines = billing::lines(&services, from, until_ms, speedup);
        if lines.is_empty() {
            continue;
        }
        if store.issue_invoice(&account.organisation, from, until_ms, &lines).await?.is_some() {
            issued += 1;
        }
    }
    Ok(issued)
}

/// The monthly run: closes the calendar month before `now_ms` for every organisation not yet
/// billed up to its start.
pub async fn close_last_month(store: &Store, now_ms: i64) -> Result<u32, AppError> {
    run_billing(store, lightpath_domain::time::month_start_ms(now_ms)).await
}

/// Lightpath's admins bill everything up to now (demos, and customers leaving mid-month).
pub async fn run_billing_now(caller: &Caller) -> Result<u32, AppError> {
    caller.require(Permission::RunBilling)?;
    run_billing(&caller.store, crate::services::now_ms()).await
}

/// The caller's organisation's invoices, newest first (every organisation's for Lightpath's
/// admins and support).
pub async fn list(caller: &Caller) -> Result<Vec<Invoice>, AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    match &actor.organisation {
        Some(organisation) => {
            caller.require(Permission::ReadInvoices(&organisation.id))?;
            Ok(caller.store.invoices(Some(organisation.id.as_str())).await?)
        }
        None => {
            caller.require(Permission::ReadAllInvoices)?;
            Ok(caller.store.invoices(None).await?)
        }
    }
}

/// One invoice with its lines; another organisation's is not found.
pub async fn read(caller: &Caller, id: &str) -> Result<Invoice, AppError> {
    caller.require(Permission::SignedIn)?;
    let invoice = caller.store.invoice(id.trim()).await?.ok_or(AppError::NotFound)?;
    let organisation =
        lightpath_domain::account::Id::parse(&invoice.organisation_id).ok_or(AppError::NotFound)?;
    caller.require(Permission::ReadInvoices(&organisation))?;
    Ok(invoice)
}

/// The invoices page.
pub async fn list_page(caller: &Caller) -> Result<InvoiceList, AppError> {
    let invoices = list(caller).await?;
    let mixed = invoices.iter().any(|invoice| invoice.organisation_id != invoices[0].organisation_id);
    Ok(InvoiceList {
        invoices: invoices.iter().map(row).collect(),
        may_run_billing: caller.require(Permission::RunBilling).is_ok(),
        mixed,
    })
}

/// One invoice's page.
pub async fn page(caller: &Caller, id: &str) -> Result<InvoicePage, AppError> {
    let invoice = read(caller, id).await?;
    let lines = invoice
        .applied_customer_billing_rate
        .iter()
        .map(|line| InvoiceLineRow {
            service_id: line.service_id.clone(),
            service: line.service_title.clone(),
            kind: match line.kind {
                LineKind::Recurring => "Monthly",
                LineKind::Usage => "On demand",
                LineKind::OneTime => "One-time",
            }
            .to_owned(),
            name: line.name.clone(),
            covers: if line.from_ms == line.to_ms {
                utc_minute(line.from_ms)
            } else {
                lightpath_domain::maintenance::window_text(line.from_ms, line.to_ms)
            },
            amount: line.tax_excluded_amount.to_string(),
        })
        .collect();
    Ok(InvoicePage { head: row(&invoice), lines })
}

fn row(invoice: &Invoice) -> InvoiceRow {
    InvoiceRow {
        id: invoice.id.clone(),
        bill_no: invoice.bill_no.clone(),
        organisation: invoice.organisation_name.clone(),
        period: lightpath_domain::maintenance::window_text(invoice.period_start_ms, invoice.period_end_ms),
        issued: utc_minute(invoice.bill_date_ms)[..10].to_owned(),
        amount: invoice.amount_due.to_string(),
    }
}

/// An invoice as CSV, one row per line, for a spreadsheet or an accounts-payable import.
pub fn csv(invoice: &Invoice) -> String {
    use lightpath_domain::csv::row;
    let mut out = row(&["bill_no", "service_id", "service", "type", "description", "from", "to", "amount_usd"]);
    for line in &invoice.applied_customer_billing_rate {
        out.push_str(&row(&[
            &invoice.bill_no,
            &line.service_id,
            &line.service_title,
            line.kind.slug(),
            &line.name,
            &lightpath_domain::time::iso_time(line.from_ms),
            &lightpath_domain::time::iso_time(line.to_ms),
            &dollars(line.tax_excluded_amount),
        ]));
    }
    out
}

/// `1234.50`, `-15.00`: a plain number a spreadsheet sums.
fn dollars(amount: lightpath_domain::Money) -> String {
    let (sign, cents) = (if amount.is_negative() { "-" } else { "" }, amount.cents().unsigned_abs());
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}
