//! The simulated clouds' consoles: the ExpressRoute circuits and Partner Interconnect
//! attachments buyers create in their own cloud before Lightpath connects to them, found later
//! by their key. A key belongs to the organisation whose member created it.

use crate::audit::{self, Change};
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::{Actor, Id};
use lightpath_domain::cloud::{AzureCircuit, Cloud, CloudKeyRecord, OnRamp, PairingKey, ServiceKey};
use sqlx::Row;

/// How many keys one organisation's consoles hold at most: each is a row, and nobody needs more
/// circuits than this to try Lightpath.
pub const MAX_KEYS_PER_ORGANISATION: i64 = 100;

/// A key to keep: a new circuit or attachment, at the on-ramp (site id) it was created at.
pub enum NewCloudKey<'a> {
    Azure {
        site: &'a str,
        circuit: &'a AzureCircuit,
    },
    /// `pre_activated`: it carries traffic as soon as the connection is built; otherwise the
    /// connection waits for its owner to activate it.
    Google {
        site: &'a str,
        attachment: &'a PairingKey,
        pre_activated: bool,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum CloudKeyError {
    #[error("this organisation's cloud consoles hold {MAX_KEYS_PER_ORGANISATION} keys already")]
    Full,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for CloudKeyError {
    fn from(error: sqlx::Error) -> Self {
        CloudKeyError::Store(StoreError::Database(error))
    }
}

/// A fresh key, as a cloud issues one: a random UUID.
pub fn fresh_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `N` random bytes, for what the domain makes from randomness it does not have (a BGP key,
/// an AWS connection id).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::RngCore;
    let mut bytes = [0u8; N];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// A key's columns, with whether a connection over it waits for its owner's activation.
const COLUMNS: &str = "key, cloud, on_ramp, mbps, domain, created_at_ms, used_by, pre_activated,
    (SELECT COUNT(*) FROM cloud_connections c WHERE c.cloud_key = cloud_keys.key AND c.state = 'awaiting-acceptance')
        AS awaiting";

impl Store {
    /// Keeps a new circuit or attachment for `organisation`, audited.
    pub async fn create_cloud_key(
        &self,
        actor: &Actor,
        organisation: &Id,
        new: NewCloudKey<'_>,
    ) -> Result<CloudKeyRecord, CloudKeyError> {
        let (key, cloud, site, mbps, domain, pre_activated) = match new {
            NewCloudKey::Azure { site, circuit } => {
                (circuit.service_key.as_str().to_owned(), "azure", site, Some(circuit.mbps as i64), None, true)
            }
            NewCloudKey::Google { site, attachment, pre_activated } => {
                (attachment.key.clone(), "google", site, None, Some(i64::from(attachment.domain)), pre_activated)
            }
        };
        let mut tx = self.begin_write().await?;
        let held: i64 = sqlx::query("SELECT COUNT(*) AS n FROM cloud_keys WHERE organisation_id = $1")
            .bind(organisation.as_str())
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if held >= MAX_KEYS_PER_ORGANISATION {
            return Err(CloudKeyError::Full);
        }
        let at = now_ms();
        sqlx::query(
            "INSERT INTO cloud_keys (key, cloud, organisation_id, on_ramp, mbps, domain, created_by, created_at_ms, pre_activated)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&key)
        .bind(cloud)
        .bind(organisation.as_str())
        .bind(site)
        .bind(mbps)
        .bind(domain)
        .bind(actor.id.as_str())
        .bind(at)
        .bind(i64::from(pre_activated))
        .execute(&mut *tx)
        .await?;
        let record = sqlx::query(&format!("SELECT {COLUMNS} FROM cloud_keys WHERE key = $1"))
            .bind(&key)
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::from)
            .and_then(|row| record_of(&row))?;
        let action = if cloud == "azure" { "cloud.azure-circuit.create" } else { "cloud.google-attachment.create" };
        let after = match cloud {
            "azure" => serde_json::json!({ "on_ramp": site, "mbps": mbps }),
            _ => serde_json::json!({ "on_ramp": site, "domain": domain, "pre_activated": pre_activated }),
        };
        audit::record(&mut tx, actor, action, &key, Some(organisation.as_str()), Change::created(after)).await?;
        tx.commit().await?;
        Ok(record)
    }

    /// The organisation's keys, newest first.
    pub async fn cloud_keys(&self, organisation: &Id) -> Result<Vec<CloudKeyRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM cloud_keys WHERE organisation_id = $1 ORDER BY created_at_ms DESC, key LIMIT $2"
        ))
        .bind(organisation.as_str())
        .bind(MAX_KEYS_PER_ORGANISATION)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(record_of).collect()
    }

    /// The organisation's ExpressRoute circuit with this service key (whether it is in use
    /// included). Another organisation's circuit is not found.
    pub async fn azure_circuit(
        &self,
        organisation: &Id,
        key: &ServiceKey,
    ) -> Result<Option<CloudKeyRecord>, StoreError> {
        self.cloud_key(organisation, "azure", key.as_str()).await
    }

    /// The organisation's Partner Interconnect attachment named by its pairing key's first
    /// part (a UUID: [`PairingKey::key`], or [`PairingKey::attachment_of`] for typed text), in
    /// use or not. Another organisation's attachment is not found.
    pub async fn google_attachment(
        &self,
        organisation: &Id,
        attachment: &str,
    ) -> Result<Option<CloudKeyRecord>, StoreError> {
        self.cloud_key(organisation, "google", attachment).await
    }

    async fn cloud_key(&self, organisation: &Id, cloud: &str, key: &str) -> Result<Option<CloudKeyRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM cloud_keys WHERE key = $1 AND cloud = $2 AND organisation_id = $3"
        ))
        .bind(key)
        .bind(cloud)
        .bind(organisation.as_str())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(record_of).transpose()
    }
}

fn record_of(row: &sqlx::any::AnyRow) -> Result<CloudKeyRecord, StoreError> {
    let site: String = row.try_get("on_ramp")?;
    let key: String = row.try_get("key")?;
    let stored_cloud: String = row.try_get("cloud")?;
    let on_ramp = OnRamp::of_site_id(&site)
        .filter(|on_ramp| {
            matches!((stored_cloud.as_str(), on_ramp.cloud), ("azure", Cloud::Azure) | ("google", Cloud::Google))
        })
        .ok_or_else(|| StoreError::Corrupt(format!("cloud key {key} is for {stored_cloud} at {site}")))?;
    let domain = row.try_get::<Option<i64>, _>("domain")?.and_then(|domain| u8::try_from(domain).ok());
    Ok(CloudKeyRecord {
        key: match domain {
            Some(domain) if on_ramp.cloud == Cloud::Google => {
                PairingKey { key, region: on_ramp.region.clone(), domain }.text()
            }
            _ => key,
        },
        cloud: on_ramp.cloud,
        on_ramp: site,
        region: on_ramp.region,
        mbps: row.try_get::<Option<i64>, _>("mbps")?.and_then(|mbps| u64::try_from(mbps).ok()),
        domain,
        created_at_ms: row.try_get("created_at_ms")?,
        in_use: row.try_get::<Option<String>, _>("used_by")?.is_some(),
        pre_activated: (on_ramp.cloud == Cloud::Google).then_some(row.try_get::<i64, _>("pre_activated")? != 0),
        awaiting_activation: row.try_get::<i64, _>("awaiting")? > 0,
    })
}
