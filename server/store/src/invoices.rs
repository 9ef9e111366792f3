//! Invoices: what billing reads (each organisation's services with their rate periods and
//! one-time charges, and where its last invoice ended) and what it writes (an invoice with
//! its lines, numbered in one transaction). Nothing here updates or deletes an invoice.

use crate::accounts::{is_unique_violation, new_id};
use crate::{Store, StoreError};
use lightpath_domain::billing::{BillableService, Invoice, InvoiceLine, LineKind, OneTimeCharge, OneTimeKind};
use lightpath_domain::money::Money;
use sqlx::Row;
use std::collections::HashMap;

/// The most invoices one list shows (ten years of months).
const LIST_LIMIT: i64 = 120;

/// What [`invoice_of`] reads, with the table it reads it from.
const INVOICE_COLUMNS: &str = "i.id, i.organisation_id, g.name, i.bill_no, i.period_start_ms, i.period_end_ms, \
     i.issued_at_ms, i.amount_due_cents FROM invoices i JOIN organisations g ON g.id = i.organisation_id";

/// An organisation billing considers: where its next invoice starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingAccount {
    pub organisation: String,
    /// The end of its last invoice; None before the first.
    pub billed_until_ms: Option<i64>,
    /// When its first service was created.
    pub first_service_ms: i64,
}

fn corrupt(what: String) -> StoreError {
    StoreError::Corrupt(what)
}

impl Store {
    /// The organisations that have services, with where their billing stands.
    pub async fn billing_accounts(&self) -> Result<Vec<BillingAccount>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.organisation_id, MIN(s.created_at_ms) AS first_ms,
                    (SELECT MAX(i.period_end_ms) FROM invoices i WHERE i.organisation_id = s.organisation_id) AS billed
             FROM services s GROUP BY s.organisation_id ORDER BY s.organisation_id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(BillingAccount {
                    organisation: row.try_get("organisation_id")?,
                    billed_until_ms: row.try_get("billed")?,
                    first_service_ms: row.try_get("first_ms")?,
                })
            })
            .collect()
    }

    /// An organisation's services as billing reads them: rate periods and one-time charges.
    pub async fn billable_services(&self, organisation: &str) -> Result<Vec<BillableService>, StoreError> {
        let mut services: Vec<BillableService> = sqlx::query_as::<_, (String, String)>(
            "SELECT id, title FROM services WHERE organisation_id = $1 ORDER BY created_at_ms, position, id",
        )
        .bind(organisation)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(|(id, title)| BillableService { id, title, ..BillableService::default() })
        .collect();
        let at: HashMap<String, usize> =
            services.iter().enumerate().map(|(index, service)| (service.id.clone(), index)).collect();
        let rates = sqlx::query(
            "SELECT r.service_id, r.from_ms, r.to_ms, r.mbps, r.monthly_cents, r.hourly_cents FROM service_rates r
             JOIN services s ON s.id = r.service_id WHERE s.organisation_id = $1 ORDER BY r.service_id, r.seq",
        )
        .bind(organisation)
        .fetch_all(self.pool())
        .await?;
        for row in &rates {
            let (service, period) = crate::services::rate_from_row(row)?;
            if let Some(&index) = at.get(&service) {
                services[index].periods.push(period);
            }
        }
        let charges = sqlx::query(
            "SELECT c.service_id, c.kind, c.at_ms, c.cents FROM service_charges c
             JOIN services s ON s.id = c.service_id WHERE s.organisation_id = $1 ORDER BY c.at_ms, c.kind",
        )
        .bind(organisation)
        .fetch_all(self.pool())
        .await?;
        for row in &charges {
            let service: String = row.try_get("service_id")?;
            let Some(&index) = at.get(&service) else { continue };
            let kind: String = row.try_get("kind")?;
            services[index].charges.push(OneTimeCharge {
                at_ms: row.try_get("at_ms")?,
                kind: OneTimeKind::parse(&kind).ok_or_else(|| corrupt(format!("charge kind {kind}")))?,
                amount: Money::from_cents(row.try_get("cents")?),
            });
        }
        Ok(services)
    }

    /// Issues the organisation's invoice for `[from_ms, to_ms)` with `lines`, numbered next in
    /// its sequence; answers its id, or None when an invoice from `from_ms` exists already
    /// (another server issued it first).
    pub async fn issue_invoice(
        &self,
        organisation: &str,
        from_ms: i64,
        to_ms: i64,
        lines: &[InvoiceLine],
    ) -> Result<Option<String>, StoreError> {
        let (id, now) = (new_id(), crate::now_ms());
        let mut tx = self.begin_write().await?;
        let sequence: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(sequence), 0) + 1 AS BIGINT) FROM invoices WHERE organisation_id = $1",
        )
        .bind(organisation)
        .fetch_one(&mut *tx)
        .await?;
        let bill_no = lightpath_domain::billing::bill_number(organisation, sequence as u32);
        let amount = lightpath_domain::billing::total(lines);
        let inserted = sqlx::query(
            "INSERT INTO invoices (id, organisation_id, sequence, bill_no, period_start_ms, period_end_ms, issued_at_ms,
                 amount_due_cents) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(organisation)
        .bind(sequence)
        .bind(&bill_no)
        .bind(from_ms)
        .bind(to_ms)
        .bind(now)
        .bind(amount.cents())
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(error) if is_unique_violation(&error) => return Ok(None),
            Err(error) => return Err(error.into()),
        }
        for (position, line) in lines.iter().enumerate() {
            sqlx::query(
                "INSERT INTO invoice_lines (invoice_id, position, service_id, service_title, kind, name, from_ms, to_ms, cents)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&id)
            .bind(position as i64)
            .bind(&line.service_id)
            .bind(&line.service_title)
            .bind(line.kind.slug())
            .bind(&line.name)
            .bind(line.from_ms)
            .bind(line.to_ms)
            .bind(line.tax_excluded_amount.cents())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Some(id))
    }

    /// The invoices of one organisation (or of all, for Lightpath's billing), newest first,
    /// without their lines.
    pub async fn invoices(&self, organisation: Option<&str>) -> Result<Vec<Invoice>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {INVOICE_COLUMNS} WHERE ($1 = '' OR i.organisation_id = $1)
             ORDER BY i.period_start_ms DESC, g.name LIMIT {LIST_LIMIT}"
        ))
        .bind(organisation.unwrap_or(""))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(invoice_of).collect()
    }

    /// One invoice with its lines.
    pub async fn invoice(&self, id: &str) -> Result<Option<Invoice>, StoreError> {
        let Some(row) = sqlx::query(&format!("SELECT {INVOICE_COLUMNS} WHERE i.id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let mut invoice = invoice_of(&row)?;
        let lines = sqlx::query(
            "SELECT service_id, service_title, kind, name, from_ms, to_ms, cents FROM invoice_lines
             WHERE invoice_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        for line in &lines {
            let kind: String = line.try_get("kind")?;
            invoice.applied_customer_billing_rate.push(InvoiceLine {
                service_id: line.try_get("service_id")?,
                service_title: line.try_get("service_title")?,
                kind: LineKind::parse(&kind).ok_or_else(|| corrupt(format!("invoice line kind {kind}")))?,
                name: line.try_get("name")?,
                from_ms: line.try_get("from_ms")?,
                to_ms: line.try_get("to_ms")?,
                tax_excluded_amount: Money::from_cents(line.try_get("cents")?),
            });
        }
        Ok(Some(invoice))
    }
}

fn invoice_of(row: &sqlx::any::AnyRow) -> Result<Invoice, StoreError> {
    Ok(Invoice {
        id: row.try_get("id")?,
        bill_no: row.try_get("bill_no")?,
        organisation_id: row.try_get("organisation_id")?,
        organisation_name: row.try_get("name")?,
        bill_date_ms: row.try_get("issued_at_ms")?,
        period_start_ms: row.try_get("period_start_ms")?,
        period_end_ms: row.try_get("period_end_ms")?,
        amount_due: Money::from_cents(row.try_get("amount_due_cents")?),
        applied_customer_billing_rate: Vec::new(),
    })
}
