//! Capacity reservations: a holder (an order item, a service) reserves a rate on every span
//! of its path(s) in one transaction, or on none.
//!
//! Never oversold: each span's `reserved_mbps` grows only through
//! `UPDATE … SET reserved_mbps = reserved_mbps + n WHERE id = … AND reserved_mbps + n <= capacity`.
//! PostgreSQL re-checks that condition after waiting on a concurrent writer's row lock, and
//! SQLite runs one writer at a time, so the check and the increment are one atomic step on
//! both. Reserving is idempotent per holder, and releasing removes exactly what was held.

use crate::{now_ms, Store, StoreError};
use lightpath_domain::routing::Reservations;
use lightpath_domain::SpanId;
use sqlx::Row;

/// Why a reservation was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReserveError {
    #[error("span {span} does not have {mbps} Mbps free")]
    NoCapacity { span: SpanId, mbps: u64 },
    #[error("span {0} does not exist")]
    UnknownSpan(SpanId),
    #[error("a reservation needs a rate above zero and at least one span")]
    Empty,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ReserveError {
    fn from(error: sqlx::Error) -> Self {
        ReserveError::Store(StoreError::Database(error))
    }
}

/// What a holder has reserved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding {
    pub holder: String,
    pub spans: Vec<SpanId>,
    pub mbps: u64,
}

impl Store {
    /// Reserves `mbps` on every span for `holder`, all or nothing. Reserving again for the same
    /// holder and spans is a no-op that succeeds (a retried step never reserves twice).
    pub async fn reserve(&self, holder: &str, spans: &[SpanId], mbps: u64) -> Result<(), ReserveError> {
        if spans.is_empty() || mbps == 0 {
            return Err(ReserveError::Empty);
        }
        let rate = i64::try_from(mbps).map_err(|_| ReserveError::Empty)?;
        let mut tx = self.begin_write().await?;
        for span in spans {
            let inserted = sqlx::query(
                "INSERT INTO span_reservations (holder, span_id, mbps, created_at_ms) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (holder, span_id) DO NOTHING",
            )
            .bind(holder)
            .bind(span.as_str())
            .bind(rate)
            .bind(now_ms())
            .execute(&mut *tx)
            .await;
            let inserted = match inserted {
                Ok(result) => result.rows_affected(),
                // A foreign-key failure: the span is not on the network.
                Err(sqlx::Error::Database(error)) if error.is_foreign_key_violation() => {
                    return Err(ReserveError::UnknownSpan(span.clone()));
                }
                Err(error) => return Err(error.into()),
            };
            if inserted == 0 {
                continue; // already held by this holder
            }
            let bumped = sqlx::query(
                "UPDATE spans SET reserved_mbps = reserved_mbps + $1
                 WHERE id = $2 AND reserved_mbps + $1 <= wavelengths * wavelength_gbps * 1000",
            )
            .bind(rate)
            .bind(span.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if bumped != 1 {
                tx.rollback().await?;
                return Err(ReserveError::NoCapacity { span: span.clone(), mbps });
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Changes what `holder` reserves on each of its spans to `mbps`, all spans or none: a
    /// rise is checked against each span's free capacity like a new reservation, a cut frees
    /// the difference. Idempotent (resizing to the rate held is a no-op), and a holder with
    /// nothing reserved (a service without long-haul spans) has nothing to resize.
    pub async fn resize(&self, holder: &str, mbps: u64) -> Result<(), ReserveError> {
        let rate = i64::try_from(mbps).map_err(|_| ReserveError::Empty)?;
        if rate == 0 {
            return Err(ReserveError::Empty);
        }
        let mut tx = self.begin_write().await?;
        let held = sqlx::query("SELECT span_id, mbps FROM span_reservations WHERE holder = $1 ORDER BY span_id")
            .bind(holder)
            .fetch_all(&mut *tx)
            .await?;
        for row in &held {
            let span: String = row.try_get("span_id")?;
            let delta = rate - row.try_get::<i64, _>("mbps")?;
            if delta == 0 {
                continue;
            }
            let changed = sqlx::query(
                "UPDATE spans SET reserved_mbps = reserved_mbps + $1
                 WHERE id = $2 AND reserved_mbps + $1 <= wavelengths * wavelength_gbps * 1000",
            )
            .bind(delta)
            .bind(&span)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                tx.rollback().await?;
                let span = SpanId::parse(&span).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                return Err(ReserveError::NoCapacity { span, mbps });
            }
            sqlx::query("UPDATE span_reservations SET mbps = $1 WHERE holder = $2 AND span_id = $3")
                .bind(rate)
                .bind(holder)
                .bind(&span)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Releases everything `holder` reserved; returns how many span reservations ended.
    /// Releasing twice is harmless.
    pub async fn release(&self, holder: &str) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let released = release_in(&mut tx, holder).await?;
        tx.commit().await?;
        Ok(released)
    }

    /// Reserved Mbps per span, for routing around full spans.
    pub async fn reservations(&self) -> Result<Reservations, StoreError> {
        let rows =
            sqlx::query("SELECT id, reserved_mbps FROM spans WHERE reserved_mbps > 0").fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let mbps: i64 = row.try_get("reserved_mbps")?;
                let span = SpanId::parse(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok((span, u64::try_from(mbps).map_err(|_| StoreError::Corrupt(format!("reserved {mbps} on {id}")))?))
            })
            .collect()
    }

    /// What one holder has reserved, or None.
    pub async fn holding(&self, holder: &str) -> Result<Option<Holding>, StoreError> {
        let rows = sqlx::query("SELECT span_id, mbps FROM span_reservations WHERE holder = $1 ORDER BY span_id")
            .bind(holder)
            .fetch_all(self.pool())
            .await?;
        let Some(first) = rows.first() else { return Ok(None) };
        let mbps: i64 = first.try_get("mbps")?;
        let spans = rows
            .iter()
            .map(|row| {
                let id: String = row.try_get("span_id")?;
                SpanId::parse(&id).map_err(|e| StoreError::Corrupt(e.to_string()))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(Holding { holder: holder.to_owned(), spans, mbps: mbps as u64 }))
    }
}

/// [`Store::release`] in the caller's transaction.
pub(crate) async fn release_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    holder: &str,
) -> Result<u64, StoreError> {
    let held = sqlx::query("SELECT span_id, mbps FROM span_reservations WHERE holder = $1")
        .bind(holder)
        .fetch_all(&mut **tx)
        .await?;
    for row in &held {
        let span: String = row.try_get("span_id")?;
        let mbps: i64 = row.try_get("mbps")?;
        sqlx::query("UPDATE spans SET reserved_mbps = reserved_mbps - $1 WHERE id = $2")
            .bind(mbps)
            .bind(&span)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("DELETE FROM span_reservations WHERE holder = $1").bind(holder).execute(&mut **tx).await?;
    Ok(held.len() as u64)
}
