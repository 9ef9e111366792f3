//! Usage and performance history per service (`usage_points`, see `lightpath_domain::usage`):
//! the collector appends 5-minute samples, rolls those past the raw window into hourly rows
//! and drops what is older than the history window, in one transaction per service, so a
//! reader never sees an hour both as samples and as its roll-up. Rows are written with
//! `ON CONFLICT DO NOTHING`: two servers sharing PostgreSQL that collect the same sample
//! write it once (it measures the same on both).

use crate::audit::{self, Change};
use crate::webhooks::publish;
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::Actor;
use lightpath_domain::usage::{roll_up, AlertRule, UsagePoint, HOUR_SAMPLES};
use lightpath_domain::webhooks::EventType;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Rows per INSERT: 9 values each, well under either database's limit of bound values.
const INSERT_BATCH: usize = 400;
/// Terminated services are looked at for this long (wall clock) after they end, so the
/// collector's last pass brings their history up to the end.
const AFTER_END_MS: i64 = 3_600_000;

/// A service the collector measures: a connection (it has a bandwidth) that is active, or
/// ended lately.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeteredService {
    pub id: String,
    pub product: String,
    pub mbps: u64,
    pub round_trip_us: u64,
    /// When its first rate started: sample 0 starts here.
    pub activated_ms: i64,
    /// When its last rate ended, once terminated.
    pub ended_ms: Option<i64>,
    pub down: bool,
    /// Samples `0..collected` are recorded (or rolled up, or dropped with age).
    pub collected: i64,
}

/// A service's utilisation alert and whether it is firing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageAlert {
    pub service_id: String,
    pub service_title: String,
    pub rule: AlertRule,
    /// When it fired (wall clock); None while quiet.
    pub firing_since_ms: Option<i64>,
}

const ALERT_QUERY: &str = "SELECT a.service_id, s.title, a.threshold_percent, a.minutes, a.firing_since_ms
     FROM usage_alerts a JOIN services s ON s.id = a.service_id";

fn alert(row: &AnyRow) -> Result<UsageAlert, StoreError> {
    Ok(UsageAlert {
        service_id: row.try_get("service_id")?,
        service_title: row.try_get("title")?,
        rule: AlertRule {
            threshold_percent: row.try_get::<i64, _>("threshold_percent")? as u32,
            minutes: row.try_get::<i64, _>("minutes")? as u32,
        },
        firing_since_ms: row.try_get("firing_since_ms")?,
    })
}

const POINT_COLUMNS: &str =
    "first_sample, samples, down_samples, bytes_in, bytes_out, latency_us_sum, jitter_us_sum, loss_ppm_sum";

fn point(row: &AnyRow) -> Result<UsagePoint, StoreError> {
    let number = |column: &str| -> Result<u64, StoreError> { Ok(row.try_get::<i64, _>(column)?.max(0) as u64) };
    Ok(UsagePoint {
        first_sample: row.try_get("first_sample")?,
        samples: number("samples")? as u32,
        down_samples: number("down_samples")? as u32,
        bytes_in: number("bytes_in")?,
        bytes_out: number("bytes_out")?,
        latency_us_sum: number("latency_us_sum")?,
        jitter_us_sum: number("jitter_us_sum")?,
        loss_ppm_sum: number("loss_ppm_sum")?,
    })
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds a row's nine values, in [`POINT_COLUMNS`] order after the service.
fn bind_point<'q>(query: Query<'q>, service: &'q str, point: &UsagePoint) -> Query<'q> {
    query
        .bind(service)
        .bind(point.first_sample)
        .bind(i64::from(point.samples))
        .bind(i64::from(point.down_samples))
        .bind(point.bytes_in as i64)
        .bind(point.bytes_out as i64)
        .bind(point.latency_us_sum as i64)
        .bind(point.jitter_us_sum as i64)
        .bind(point.loss_ppm_sum as i64)
}

/// Inserts a service's points, [`INSERT_BATCH`] rows a statement; a point already there (the
/// same sample written by another server) is left as it is.
async fn insert_points(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    service: &str,
    points: &[UsagePoint],
) -> Result<(), sqlx::Error> {
    for batch in points.chunks(INSERT_BATCH) {
        let values: Vec<String> = (0..batch.len())
            .map(|row| {
                let marks: Vec<String> = (1..=9).map(|column| format!("${}", row * 9 + column)).collect();
                format!("({})", marks.join(", "))
            })
            .collect();
        let insert = format!(
            "INSERT INTO usage_points (service_id, {POINT_COLUMNS}) VALUES {} ON CONFLICT (service_id, first_sample) DO NOTHING",
            values.join(", ")
        );
        let mut query = sqlx::query(&insert);
        for point in batch {
            query = bind_point(query, service, point);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

impl Store {
    /// The services to measure at wall-clock `now_ms`, with how far each one's history goes.
    pub async fn metered_services(&self, now_ms: i64) -> Result<Vec<MeteredService>, StoreError> {
        let query = format!(
            "SELECT s.id, s.product, s.mbps, s.round_trip_micros, s.state, {down},
                (SELECT MIN(r.from_ms) FROM service_rates r WHERE r.service_id = s.id) AS activated_ms,
                (SELECT MAX(r.to_ms) FROM service_rates r WHERE r.service_id = s.id) AS ended_ms,
                (SELECT MAX(u.first_sample + u.samples) FROM usage_points u WHERE u.service_id = s.id) AS collected
             FROM services s
             WHERE s.mbps > 0 AND (s.state = 'active' OR (s.state = 'terminated' AND EXISTS (
                SELECT 1 FROM service_rates r WHERE r.service_id = s.id AND r.to_ms > $1)))",
            down = crate::outages::route_down_column!()
        );
        let rows = sqlx::query(&query).bind(now_ms - AFTER_END_MS).fetch_all(self.pool()).await?;
        let mut services = Vec::with_capacity(rows.len());
        for row in &rows {
            let Some(activated_ms) = row.try_get::<Option<i64>, _>("activated_ms")? else {
                continue;
            };
            let state: String = row.try_get("state")?;
            services.push(MeteredService {
                id: row.try_get("id")?,
                product: row.try_get("product")?,
                mbps: row.try_get::<i64, _>("mbps")?.max(0) as u64,
                round_trip_us: row.try_get::<Option<i64>, _>("round_trip_micros")?.unwrap_or(0).max(0) as u64,
                activated_ms,
                ended_ms: if state == "terminated" { row.try_get("ended_ms")? } else { None },
                down: row.try_get::<i64, _>("down")? == 1,
                collected: row.try_get::<Option<i64>, _>("collected")?.unwrap_or(0),
            });
        }
        Ok(services)
    }

    /// Records a service's new points (5-minute samples, or hourly roll-ups for a stretch
    /// already past the raw window), then rolls every sample before `raw_cutoff` into its hour
    /// and drops every row before `history_cutoff` (both whole hours).
    pub async fn record_usage(
        &self,
        service: &str,
        points: &[UsagePoint],
        raw_cutoff: i64,
        history_cutoff: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        insert_points(&mut tx, service, points).await?;
        // Samples past the raw window: full hours are never re-read, a gap's partial hour is
        // rolled again with nothing new (the same row).
        let stale = sqlx::query(&format!(
            "SELECT {POINT_COLUMNS} FROM usage_points WHERE service_id = $1 AND first_sample < $2 AND samples < $3
             ORDER BY first_sample"
        ))
        .bind(service)
        .bind(raw_cutoff)
        .bind(HOUR_SAMPLES)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(point)
        .collect::<Result<Vec<_>, _>>()?;
        if !stale.is_empty() {
            sqlx::query("DELETE FROM usage_points WHERE service_id = $1 AND first_sample < $2 AND samples < $3")
                .bind(service)
                .bind(raw_cutoff)
                .bind(HOUR_SAMPLES)
                .execute(&mut *tx)
                .await?;
            insert_points(&mut tx, service, &roll_up(&stale, HOUR_SAMPLES)).await?;
        }
        sqlx::query("DELETE FROM usage_points WHERE service_id = $1 AND first_sample < $2")
            .bind(service)
            .bind(history_cutoff)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// How far a service's history goes: samples `0..n` are measured (0 before its first).
    pub async fn usage_collected(&self, service: &str) -> Result<i64, StoreError> {
        let row =
            sqlx::query("SELECT MAX(first_sample + samples) AS collected FROM usage_points WHERE service_id = $1")
                .bind(service)
                .fetch_one(self.pool())
                .await?;
        Ok(row.try_get::<Option<i64>, _>("collected")?.unwrap_or(0))
    }

    /// A service's recorded points covering samples `from..to`, oldest first.
    pub async fn usage(&self, service: &str, from: i64, to: i64) -> Result<Vec<UsagePoint>, StoreError> {
        sqlx::query(&format!(
            "SELECT {POINT_COLUMNS} FROM usage_points WHERE service_id = $1 AND first_sample >= $2 AND first_sample < $3
             ORDER BY first_sample"
        ))
        .bind(service)
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(point)
        .collect()
    }
}

impl Store {
    /// Sets (or replaces) a service's utilisation alert, quiet until the collector finds it
    /// breached; audited.
    pub async fn set_usage_alert(
        &self,
        by: &Actor,
        service: &str,
        organisation: &str,
        rule: AlertRule,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO usage_alerts (service_id, organisation_id, threshold_percent, minutes, firing_since_ms, updated_at_ms)
             VALUES ($1, $2, $3, $4, NULL, $5)
             ON CONFLICT (service_id) DO UPDATE SET threshold_percent = $3, minutes = $4, firing_since_ms = NULL, updated_at_ms = $5",
        )
        .bind(service)
        .bind(organisation)
        .bind(i64::from(rule.threshold_percent))
        .bind(i64::from(rule.minutes))
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        let after = json!({ "thresholdPercent": rule.threshold_percent, "minutes": rule.minutes });
        audit::record(
            &mut tx,
            by,
            "service.usage-alert-set",
            &format!("service {service}"),
            Some(organisation),
            Change::created(after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a service's utilisation alert; audited when there was one.
    pub async fn clear_usage_alert(&self, by: &Actor, service: &str, organisation: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let removed =
            sqlx::query("DELETE FROM usage_alerts WHERE service_id = $1").bind(service).execute(&mut *tx).await?;
        if removed.rows_affected() > 0 {
            audit::record(
                &mut tx,
                by,
                "service.usage-alert-cleared",
                &format!("service {service}"),
                Some(organisation),
                Change::deleted(json!({})),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// One service's alert.
    pub async fn usage_alert(&self, service: &str) -> Result<Option<UsageAlert>, StoreError> {
        sqlx::query(&format!("{ALERT_QUERY} WHERE a.service_id = $1"))
            .bind(service)
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(alert)
            .transpose()
    }

    /// Every alert on an active service (the collector's), or an organisation's firing ones
    /// (its dashboard's), by service title.
    pub async fn usage_alerts(&self, firing_in: Option<&str>) -> Result<Vec<UsageAlert>, StoreError> {
        let filter = match firing_in {
            Some(_) => "WHERE a.organisation_id = $1 AND a.firing_since_ms IS NOT NULL",
            None => "WHERE s.state = 'active' AND $1 = ''",
        };
        sqlx::query(&format!("{ALERT_QUERY} {filter} ORDER BY s.title, a.service_id"))
            .bind(firing_in.unwrap_or_default())
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(alert)
            .collect()
    }

    /// Records that a service's alert fired (`firing`) or resolved, and tells its organisation
    /// (a `usage-alert` event), unless another server already did.
    pub async fn usage_alert_changed(
        &self,
        service: &str,
        firing: bool,
        rule: AlertRule,
        busiest_bps: u64,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        // The rule it was judged by: one changed meanwhile starts quiet again.
        let (threshold, minutes) = (i64::from(rule.threshold_percent), i64::from(rule.minutes));
        let changed = if firing {
            sqlx::query(
                "UPDATE usage_alerts SET firing_since_ms = $2 WHERE service_id = $1 AND firing_since_ms IS NULL
                 AND threshold_percent = $3 AND minutes = $4",
            )
            .bind(service)
            .bind(now)
            .bind(threshold)
            .bind(minutes)
        } else {
            sqlx::query(
                "UPDATE usage_alerts SET firing_since_ms = NULL WHERE service_id = $1 AND firing_since_ms IS NOT NULL
                 AND threshold_percent = $2 AND minutes = $3",
            )
            .bind(service)
            .bind(threshold)
            .bind(minutes)
        }
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() == 1 {
            let row = sqlx::query("SELECT organisation_id, title FROM services WHERE id = $1")
                .bind(service)
                .fetch_one(&mut *tx)
                .await?;
            let organisation: String = row.try_get("organisation_id")?;
            let event = json!({ "usageAlert": {
                "@type": "UsageAlert",
                "href": format!("/api/v1/services/{service}/usage"),
                "state": if firing { "firing" } else { "resolved" },
                "serviceId": service,
                "serviceTitle": row.try_get::<String, _>("title")?,
                "thresholdPercent": rule.threshold_percent,
                "minutes": rule.minutes,
                "lastRateBps": busiest_bps,
                "at": lightpath_domain::time::iso_time(now),
            }});
            publish(&mut tx, &organisation, EventType::UsageAlert, event).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
