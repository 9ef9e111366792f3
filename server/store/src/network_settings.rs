//! Network operations settings: the fault-injection policy admins set for the simulated
//! network, stored once for every server.

use crate::audit::{self, Change};
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::Actor;
use lightpath_domain::faults::FaultPolicy;
use sqlx::Row;

fn json(policy: &FaultPolicy) -> serde_json::Value {
    let [device_timeout, activation, test] = policy.mix();
    serde_json::json!({
        "failure_rate_bp": policy.failure_rate_bp(),
        "mix": { "device_timeout": device_timeout, "activation": activation, "test": test },
        "speedup": policy.speedup(),
    })
}

impl Store {
    /// The current fault-injection policy.
    pub async fn fault_policy(&self) -> Result<FaultPolicy, StoreError> {
        let row = sqlx::query(
            "SELECT failure_rate_bp, mix_device_timeout, mix_activation, mix_test, speedup FROM network_settings WHERE id = 1",
        )
        .fetch_one(self.pool())
        .await?;
        let number = |column: &str| -> Result<u32, StoreError> {
            let value: i64 = row.try_get(column)?;
            u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("network setting {column} = {value}")))
        };
        let mix = [number("mix_device_timeout")?, number("mix_activation")?, number("mix_test")?];
        FaultPolicy::new(number("failure_rate_bp")?, mix, number("speedup")?)
            .ok_or_else(|| StoreError::Corrupt("network settings out of range".into()))
    }

    /// Replaces the fault-injection policy, with an audit entry.
    pub async fn set_fault_policy(&self, by: &Actor, policy: &FaultPolicy) -> Result<(), StoreError> {
        let before = self.fault_policy().await?;
        if &before == policy {
            return Ok(());
        }
        let [device_timeout, activation, test] = policy.mix();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE network_settings SET failure_rate_bp = $1, mix_device_timeout = $2, mix_activation = $3, mix_test = $4,
             speedup = $5, updated_at_ms = $6 WHERE id = 1",
        )
        .bind(i64::from(policy.failure_rate_bp()))
        .bind(i64::from(device_timeout))
        .bind(i64::from(activation))
        .bind(i64::from(test))
        .bind(i64::from(policy.speedup()))
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            by,
            "network.faults",
            "fault injection",
            None,
            Change::updated(json(&before), json(policy)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
