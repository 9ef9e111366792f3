//! The service inventory (TMF637): a completed item of an add order becomes a service, a
//! completed bandwidth change updates it and starts a new rate period, a completed disconnect
//! terminates it. Each of these happens in the transaction that completes the item.

use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::{Id, OrganisationRef};
use lightpath_domain::billing::OneTimeKind;
use lightpath_domain::order::OrderState;
use lightpath_domain::pricing::ItemSpec;
use lightpath_domain::records::{PageRequest, Paged, ServiceOrder, ServiceRecord, ServiceSummary};
use lightpath_domain::service::{self, OrderAction, RatePeriod, ServiceState};
use lightpath_domain::{Money, SiteId, SpanId};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("service {what}"))
}

/// Applies a just-completed order item to the inventory, inside the transaction that records
/// the completion (so it happens exactly once, crash or not).
pub(crate) async fn settle(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    order: &Id,
    position: u32,
) -> Result<(), StoreError> {
    let row = sqlx::query(
        "SELECT o.action, o.service_id, o.organisation_id, i.title, i.product, i.spec_json, i.a_end, i.z_end,
                i.spans, i.mbps, i.round_trip_micros, i.holder, i.monthly_cents, i.hourly_cents, i.one_time_cents
         FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.id = $1 AND i.position = $2",
    )
    .bind(order.as_str())
    .bind(i64::from(position))
    .fetch_one(&mut **tx)
    .await?;
    let action: String = row.try_get("action")?;
    let Some(spec) = row.try_get::<Option<String>, _>("spec_json")? else {
        return Ok(()); // an order placed before the inventory existed
    };
    let now = now_ms();
    let rate = |service: &str, mbps: i64| {
        sqlx::query(
            "INSERT INTO service_rates (service_id, seq, from_ms, to_ms, mbps, monthly_cents, hourly_cents)
             SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, NULL, $3, $4, $5 FROM service_rates WHERE service_id = $1",
        )
        .bind(service.to_owned())
        .bind(now)
        .bind(mbps)
        .bind(row.try_get::<i64, _>("monthly_cents").unwrap_or(0))
        .bind(row.try_get::<i64, _>("hourly_cents").unwrap_or(0))
    };
    let close_rate = |service: &str| {
        sqlx::query("UPDATE service_rates SET to_ms = $1 WHERE service_id = $2 AND to_ms IS NULL")
            .bind(now)
            .bind(service.to_owned())
    };
    let mbps: i64 = row.try_get("mbps")?;
    match OrderAction::parse(&action).ok_or_else(|| corrupt(format!("action {action}")))? {
        OrderAction::Add => {
            let id = uuid::Uuid::new_v4().to_string();
            let holder: Option<String> = row.try_get("holder")?;
            let inserted = sqlx::query(
                "INSERT INTO services (id, organisation_id, order_id, position, title, product, spec_json, a_end, z_end,
                     spans, mbps, round_trip_micros, holder, state, one_time_cents, pending_order_id, created_at_ms, updated_at_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $16, $14, NULL, $15, $15)
                 ON CONFLICT (order_id, position) DO NOTHING",
            )
            .bind(&id)
            .bind(row.try_get::<String, _>("organisation_id")?)
            .bind(order.as_str())
            .bind(i64::from(position))
            .bind(row.try_get::<String, _>("title")?)
            .bind(row.try_get::<String, _>("product")?)
            .bind(&spec)
            .bind(row.try_get::<String, _>("a_end")?)
            .bind(row.try_get::<String, _>("z_end")?)
            .bind(row.try_get::<String, _>("spans")?)
            .bind(mbps)
            .bind(row.try_get::<Option<i64>, _>("round_trip_micros")?)
            .bind(holder.unwrap_or_else(|| format!("{order}/{position}")))
            .bind(row.try_get::<i64, _>("one_time_cents")?)
            .bind(now)
            .bind(ServiceState::Active.slug())
            .execute(&mut **tx)
            .await?;
            if inserted.rows_affected() == 1 {
                charge(tx, &id, order, OneTimeKind::Installation, row.try_get("one_time_cents")?, now).await?;
                // A cloud connection that waits for the buyer's acceptance is not billed yet:
                // its rate period opens when the cloud accepts it.
                let state = crate::cloud_connections::completed_item(tx, order, position, &id).await?;
                crate::cloud_routers::completed_item(tx, order, position, &id).await?;
                if state == Some(ServiceState::Inactive) {
                    sqlx::query("UPDATE services SET state = $1 WHERE id = $2")
                        .bind(ServiceState::Inactive.slug())
                        .bind(&id)
                        .execute(&mut **tx)
                        .await?;
                } else {
                    rate(&id, mbps).execute(&mut **tx).await?;
                }
            }
        }
        OrderAction::Modify => {
            let service: String = row.try_get::<Option<String>, _>("service_id")?.ok_or_else(|| corrupt("missing"))?;
            // A cut below the commitment during the term carries a one-time fee: it is spent.
            sqlx::query(
                "UPDATE services SET mbps = $1, spec_json = $2, title = $3, updated_at_ms = $4,
                     one_time_cents = one_time_cents + $5 WHERE id = $6",
            )
            .bind(mbps)
            .bind(&spec)
            .bind(row.try_get::<String, _>("title")?)
            .bind(now)
            .bind(row.try_get::<i64, _>("one_time_cents")?)
            .bind(&service)
            .execute(&mut **tx)
            .await?;
            charge(tx, &service, order, OneTimeKind::ChangeFee, row.try_get("one_time_cents")?, now).await?;
            close_rate(&service).execute(&mut **tx).await?;
            rate(&service, mbps).execute(&mut **tx).await?;
        }
        OrderAction::Disconnect => {
            let service: String = row.try_get::<Option<String>, _>("service_id")?.ok_or_else(|| corrupt("missing"))?;
            // The early termination fee, if the term was not served, is the last thing spent.
            sqlx::query(
                "UPDATE services SET state = $1, updated_at_ms = $2, one_time_cents = one_time_cents + $3 WHERE id = $4",
            )
            .bind(ServiceState::Terminated.slug())
            .bind(now)
            .bind(row.try_get::<i64, _>("one_time_cents")?)
            .bind(&service)
            .execute(&mut **tx)
            .await?;
            charge(tx, &service, order, OneTimeKind::EarlyTermination, row.try_get("one_time_cents")?, now).await?;
            close_rate(&service).execute(&mut **tx).await?;
            crate::cloud_connections::service_terminated(tx, &service).await?;
        }
    }
    Ok(())
}

/// Records a one-time charge with when it was made, so an invoice bills it in that period
/// (`services.one_time_cents` keeps their sum). Nothing is recorded for a charge of zero.
async fn charge(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    service: &str,
    order: &Id,
    kind: OneTimeKind,
    cents: i64,
    at_ms: i64,
) -> Result<(), sqlx::Error> {
    if cents != 0 {
        sqlx::query(
            "INSERT INTO service_charges (service_id, order_id, kind, at_ms, cents) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (service_id, order_id, kind) DO NOTHING",
        )
        .bind(service)
        .bind(order.as_str())
        .bind(kind.slug())
        .bind(at_ms)
        .bind(cents)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

const COLUMNS: &str = concat!(
    "s.id, s.organisation_id, g.name AS organisation_name, s.order_id, s.title, s.product, \
     s.spec_json, s.a_end, s.z_end, s.spans, s.mbps, s.round_trip_micros, s.state, s.one_time_cents, \
     s.pending_order_id, s.created_at_ms, ",
    crate::outages::route_down_column!(),
    " FROM services s JOIN organisations g ON g.id = s.organisation_id"
);

fn id_of(row: &AnyRow, column: &str) -> Result<Id, StoreError> {
    let text: String = row.try_get(column)?;
    Id::parse(&text).ok_or_else(|| corrupt(format!("{column} {text}")))
}

/// A service row with its spend at `now_ms` on a network `speedup` times faster.
fn summary(
    row: &AnyRow,
    rates: &[RatePeriod],
    now_ms: i64,
    speedup: u32,
) -> Result<(ServiceSummary, ItemSpec), StoreError> {
    let spec_text: String = row.try_get("spec_json")?;
    let spec: ItemSpec = serde_json::from_str(&spec_text).map_err(corrupt)?;
    let state_text: String = row.try_get("state")?;
    let pending: Option<String> = row.try_get("pending_order_id")?;
    let one_time = Money::from_cents(row.try_get("one_time_cents")?);
    let summary = ServiceSummary {
        id: id_of(row, "id")?,
        organisation: OrganisationRef { id: id_of(row, "organisation_id")?, name: row.try_get("organisation_name")? },
        title: row.try_get("title")?,
        product: spec.product.clone(),
        option: spec.option.clone(),
        term: spec.term,
        mbps: row.try_get::<i64, _>("mbps")? as u64,
        state: ServiceState::parse(&state_text).ok_or_else(|| corrupt(format!("state {state_text}")))?,
        spend: service::spend(one_time, rates, now_ms, speedup),
        pending_order: pending.as_deref().and_then(Id::parse),
        order_id: id_of(row, "order_id")?,
        created_at_ms: row.try_get("created_at_ms")?,
        down: row.try_get::<i64, _>("down")? == 1,
    };
    Ok((summary, spec))
}

pub(crate) fn rate_from_row(row: &AnyRow) -> Result<(String, RatePeriod), StoreError> {
    Ok((
        row.try_get("service_id")?,
        RatePeriod {
            from_ms: row.try_get("from_ms")?,
            to_ms: row.try_get("to_ms")?,
            mbps: row.try_get::<i64, _>("mbps")? as u64,
            monthly: Money::from_cents(row.try_get("monthly_cents")?),
            hourly: Money::from_cents(row.try_get("hourly_cents")?),
        },
    ))
}

impl Store {
    /// The simulated network's speed-up, which the billing clock follows.
    async fn billing_speedup(&self) -> Result<u32, StoreError> {
        Ok(self.fault_policy().await?.speedup())
    }

    /// One page of the services of one organisation, or of all (staff), newest first, with
    /// their spend now.
    pub async fn services(
        &self,
        organisation: Option<&Id>,
        page: PageRequest,
    ) -> Result<Paged<ServiceSummary>, StoreError> {
        let list = format!(
            "SELECT {COLUMNS} WHERE ($1 = '' OR s.organisation_id = $1)
             ORDER BY s.created_at_ms DESC, s.position, s.id LIMIT $2 OFFSET $3"
        );
        let scope = organisation.map_or("", Id::as_str);
        let rows = sqlx::query(&list).bind(scope).bind(page.fetch()).bind(page.offset()).fetch_all(self.pool()).await?;
        let ids: Vec<String> = rows.iter().map(|row| row.try_get("id")).collect::<Result<_, _>>()?;
        let rates = self.rates_of(&ids).await?;
        let (now, speedup) = (now_ms(), self.billing_speedup().await?);
        let services = rows
            .iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let periods = rates.get(&id).map_or(&[][..], Vec::as_slice);
                Ok(summary(row, periods, now, speedup)?.0)
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(page.cut(services))
    }

    /// The rate periods of the given services, oldest first.
    async fn rates_of(&self, ids: &[String]) -> Result<HashMap<String, Vec<RatePeriod>>, StoreError> {
        let mut rates: HashMap<String, Vec<RatePeriod>> = HashMap::new();
        if ids.is_empty() {
            return Ok(rates);
        }
        let marks: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
        let query = format!(
            "SELECT service_id, from_ms, to_ms, mbps, monthly_cents, hourly_cents FROM service_rates
             WHERE service_id IN ({}) ORDER BY service_id, seq",
            marks.join(", ")
        );
        let mut select = sqlx::query(&query);
        for id in ids {
            select = select.bind(id.as_str());
        }
        for row in &select.fetch_all(self.pool()).await? {
            let (service, period) = rate_from_row(row)?;
            rates.entry(service).or_default().push(period);
        }
        Ok(rates)
    }

    /// What every service of one organisation (or of all) has cost and will cost, added up
    /// over all of them, not just one page: one pass over the rate periods.
    pub async fn spend_total(&self, organisation: Option<&Id>) -> Result<service::Spend, StoreError> {
        let scope = organisation.map_or("", Id::as_str);
        let one_time: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(one_time_cents), 0) AS BIGINT) FROM services WHERE ($1 = '' OR organisation_id = $1)",
        )
        .bind(scope)
        .fetch_one(self.pool())
        .await?;
        let rate_rows = sqlx::query(
            "SELECT r.service_id, r.from_ms, r.to_ms, r.mbps, r.monthly_cents, r.hourly_cents
             FROM service_rates r JOIN services s ON s.id = r.service_id
             WHERE ($1 = '' OR s.organisation_id = $1) ORDER BY r.service_id, r.seq",
        )
        .bind(scope)
        .fetch_all(self.pool())
        .await?;
        let mut rates: HashMap<String, Vec<RatePeriod>> = HashMap::new();
        for row in &rate_rows {
            let (service, period) = rate_from_row(row)?;
            rates.entry(service).or_default().push(period);
        }
        let (now, speedup) = (now_ms(), self.billing_speedup().await?);
        // Each service rounds per period exactly as its own page does, so the total is the
        // sum of what the pages show.
        let accrued = rates
            .values()
            .map(|periods| service::spend(Money::ZERO, periods, now, speedup))
            .fold(service::Spend::default(), |sum, spend| sum + spend);
        Ok(service::Spend { so_far: accrued.so_far + Money::from_cents(one_time), ..accrued })
    }

    /// One service with its path, rates and orders.
    pub async fn service(&self, id: &Id) -> Result<Option<ServiceRecord>, StoreError> {
        let Some(row) = sqlx::query(&format!("SELECT {COLUMNS} WHERE s.id = $1"))
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let rates = sqlx::query(
            "SELECT service_id, from_ms, to_ms, mbps, monthly_cents, hourly_cents FROM service_rates
             WHERE service_id = $1 ORDER BY seq",
        )
        .bind(id.as_str())
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| rate_from_row(row).map(|(_, period)| period))
        .collect::<Result<Vec<_>, StoreError>>()?;
        let (now, speedup) = (now_ms(), self.billing_speedup().await?);
        let (summary, spec) = summary(&row, &rates, now, speedup)?;
        let orders = sqlx::query(
            "SELECT id, action, state, created_at_ms FROM orders WHERE service_id = $1 OR id = $2 ORDER BY created_at_ms",
        )
        .bind(id.as_str())
        .bind(summary.order_id.as_str())
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            let (action, state): (String, String) = (row.try_get("action")?, row.try_get("state")?);
            Ok(ServiceOrder {
                id: id_of(row, "id")?,
                action: OrderAction::parse(&action).ok_or_else(|| corrupt(format!("action {action}")))?,
                state: OrderState::parse(&state).ok_or_else(|| corrupt(format!("order state {state}")))?,
                created_at_ms: row.try_get("created_at_ms")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let site = |column: &str| -> Result<SiteId, StoreError> {
            SiteId::parse(&row.try_get::<String, _>(column)?).map_err(corrupt)
        };
        let spans: String = row.try_get("spans")?;
        Ok(Some(ServiceRecord {
            a_end: site("a_end")?,
            z_end: site("z_end")?,
            spans: spans
                .split(',')
                .filter(|span| !span.is_empty())
                .map(|span| SpanId::parse(span).map_err(corrupt))
                .collect::<Result<_, _>>()?,
            round_trip_micros: row.try_get::<Option<i64>, _>("round_trip_micros")?.map(|micros| micros as u64),
            summary,
            spec,
            rates,
            orders,
            cloud: self.cloud_connection_of(id).await?,
            router: self.cloud_router_view(id).await?,
        }))
    }

    /// What a service holds on the network, for a change order: its capacity holder.
    pub async fn service_holder(&self, id: &Id) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT holder FROM services WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?)
    }
}
