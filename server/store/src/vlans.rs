//! VLANs per interface: allocated once, never twice, released exactly. The table's primary key
//! is the guarantee; the code only picks which VLAN to try.

use crate::{Store, StoreError};
use lightpath_domain::cloud::{Vlan, VlanChoice};
use sqlx::Row;
use std::collections::BTreeSet;

/// Why no VLAN was allocated.
#[derive(Debug, thiserror::Error)]
pub enum VlanError {
    #[error("VLAN {vlan} is already in use on {interface}: choose another, or 0 to let Lightpath pick one")]
    Taken { interface: String, vlan: u16 },
    #[error("every VLAN on {0} is in use")]
    Exhausted(String),
    #[error("another order took the VLAN first")]
    Race,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for VlanError {
    fn from(error: sqlx::Error) -> Self {
        VlanError::Store(StoreError::Database(error))
    }
}

/// How often an automatic pick is tried again after another order took the same VLAN first.
pub(crate) const AUTO_ATTEMPTS: usize = 8;

/// One try at giving `holder` a VLAN on `interface` inside `tx`: the one it holds already (an
/// order retried), the one chosen, or the lowest free one. `Race` when another transaction
/// took it between the read and the write (PostgreSQL; SQLite's writers run one at a time):
/// the transaction is spoilt then, and the caller tries again in a new one.
pub(crate) async fn allocate_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    interface: &str,
    choice: VlanChoice,
    holder: &str,
) -> Result<Vlan, VlanError> {
    let held = sqlx::query("SELECT vlan FROM vlan_allocations WHERE interface = $1 AND holder = $2")
        .bind(interface)
        .bind(holder)
        .fetch_optional(&mut **tx)
        .await?;
    if let Some(row) = held {
        return Ok(vlan_of(row.try_get::<i64, _>("vlan")?)?);
    }
    let used = used_vlans(tx, interface).await?;
    let Some(vlan) = choice.allocate(&used) else {
        return Err(match choice {
            VlanChoice::Chosen(vlan) => VlanError::Taken { interface: interface.to_owned(), vlan: vlan.id() },
            VlanChoice::Auto => VlanError::Exhausted(interface.to_owned()),
        });
    };
    let inserted = sqlx::query("INSERT INTO vlan_allocations (interface, vlan, holder) VALUES ($1, $2, $3)")
        .bind(interface)
        .bind(i64::from(vlan.id()))
        .bind(holder)
        .execute(&mut **tx)
        .await;
    match inserted {
        Ok(_) => Ok(vlan),
        // A chosen VLAN is simply taken; an automatic pick tries the next free one.
        Err(error) if crate::accounts::is_unique_violation(&error) => Err(match choice {
            VlanChoice::Chosen(vlan) => VlanError::Taken { interface: interface.to_owned(), vlan: vlan.id() },
            VlanChoice::Auto => VlanError::Race,
        }),
        Err(error) => Err(error.into()),
    }
}

/// Frees what `holder` has, in the caller's transaction.
pub(crate) async fn release_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    holder: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM vlan_allocations WHERE holder = $1").bind(holder).execute(&mut **tx).await?;
    Ok(())
}

impl Store {
    /// Gives `holder` a VLAN on `interface`: the one chosen, or the lowest free one. Asking
    /// again for the same holder answers the VLAN it already has (an order retried).
    pub async fn allocate_vlan(&self, interface: &str, choice: VlanChoice, holder: &str) -> Result<Vlan, VlanError> {
        for _ in 0..AUTO_ATTEMPTS {
            let mut tx = self.begin_write().await?;
            match allocate_in(&mut tx, interface, choice, holder).await {
                Ok(vlan) => {
                    tx.commit().await?;
                    return Ok(vlan);
                }
                Err(VlanError::Race) => continue,
                Err(error) => return Err(error),
            }
        }
        Err(VlanError::Exhausted(interface.to_owned()))
    }

    /// Frees the VLAN `holder` has on any interface. Releasing twice is harmless.
    pub async fn release_vlan(&self, holder: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        release_in(&mut tx, holder).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The VLANs in use on `interface`, for a buyer choosing one.
    pub async fn vlans_in_use(&self, interface: &str) -> Result<BTreeSet<Vlan>, StoreError> {
        let mut connection = self.pool().acquire().await?;
        Ok(used_vlans(&mut connection, interface).await?)
    }
}

async fn used_vlans(connection: &mut sqlx::AnyConnection, interface: &str) -> Result<BTreeSet<Vlan>, sqlx::Error> {
    let rows = sqlx::query("SELECT vlan FROM vlan_allocations WHERE interface = $1")
        .bind(interface)
        .fetch_all(&mut *connection)
        .await?;
    let mut used = BTreeSet::new();
    for row in rows {
        if let Ok(vlan) = vlan_of(row.try_get::<i64, _>("vlan")?) {
            used.insert(vlan);
        }
    }
    Ok(used)
}

/// A stored VLAN id; the table's check keeps it in 1–4094.
fn vlan_of(id: i64) -> Result<Vlan, StoreError> {
    u16::try_from(id).ok().and_then(Vlan::new).ok_or_else(|| StoreError::Corrupt(format!("VLAN {id} out of range")))
}
