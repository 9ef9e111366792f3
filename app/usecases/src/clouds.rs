//! The simulated clouds, as a buyer's own cloud consoles would be: the regions each cloud
//! announces, and the ExpressRoute circuits and Partner Interconnect attachments a buyer
//! creates before ordering a cloud connection to them.

use crate::error::AppError;
use crate::model::clouds::CloudConsoles;
use crate::Caller;
use lightpath_domain::account::{Actor, OrganisationRef};
use lightpath_domain::cloud::{AzureCircuit, Cloud, CloudKeyRecord, CloudRegion, OnRamp, PairingKey, ServiceKey};
use lightpath_domain::policy::Permission;
use lightpath_store::clouds::{fresh_key, CloudKeyError, NewCloudKey, MAX_KEYS_PER_ORGANISATION};

/// Every cloud region Lightpath reaches, with the prefixes announced there; for anyone.
pub async fn regions(caller: &Caller) -> Result<Vec<CloudRegion>, AppError> {
    Ok(caller.store.sites().await?.iter().filter_map(CloudRegion::of).collect())
}

/// The caller, who must be a member of a customer organisation allowed to design and order:
/// the consoles stand for the buyer's own cloud accounts.
fn console_owner(caller: &Caller) -> Result<(Actor, OrganisationRef), AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    let Some(organisation) = actor.organisation.clone() else {
        return Err(AppError::Forbidden(
            "The simulated cloud consoles stand for a customer's own cloud accounts: sign in as a customer's member."
                .into(),
        ));
    };
    caller.require(Permission::EditDesigns(&organisation.id))?;
    Ok((actor, organisation))
}

pub async fn consoles(caller: &Caller) -> Result<CloudConsoles, AppError> {
    let (_, organisation) = console_owner(caller)?;
    Ok(CloudConsoles {
        regions: regions(caller).await?,
        keys: caller.store.cloud_keys(&organisation.id).await?,
        organisation: organisation.name,
    })
}

/// The on-ramp `site` names, which must be one of `cloud`'s.
async fn on_ramp(caller: &Caller, site: &str, cloud: Cloud) -> Result<OnRamp, AppError> {
    let regions = regions(caller).await?;
    let of_cloud: Vec<&CloudRegion> = regions.iter().filter(|region| region.cloud == cloud).collect();
    match of_cloud.iter().find(|region| region.on_ramp == site.trim()) {
        Some(region) => Ok(OnRamp { cloud, region: region.region.clone() }),
        None => Err(AppError::field(
            "on_ramp",
            format!(
                "Choose one of the {} on-ramps: {}.",
                cloud.label(),
                of_cloud.iter().map(|region| region.on_ramp.as_str()).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

async fn keep(caller: &Caller, actor: &Actor, organisation: &OrganisationRef, new: NewCloudKey<'_>) -> Result<CloudKeyRecord, AppError> {
    match caller.store.create_cloud_key(actor, &organisation.id, new).await {
        Ok(record) => Ok(record),
        Err(CloudKeyError::Full) => Err(AppError::Conflict(format!(
            "Your cloud consoles hold {MAX_KEYS_PER_ORGANISATION} keys already, the most they keep."
        ))),
        Err(CloudKeyError::Store(error)) => Err(error.into()),
    }
}

/// Creates an ExpressRoute circuit at an Azure on-ramp: its service key is what a cloud
/// connection to it is ordered with.
pub async fn create_azure_circuit(caller: &Caller, site: &str, mbps: u64) -> Result<CloudKeyRecord, AppError> {
    let (actor, organisation) = console_owner(caller)?;
    let on_ramp = on_ramp(caller, site, Cloud::Azure).await?;
    let service_key = ServiceKey::parse(&fresh_key())
        .map_err(|(field, message)| AppError::field(field, message))?;
    let circuit = AzureCircuit::create(&on_ramp, mbps, service_key)
        .map_err(|(field, message)| AppError::field(field, message))?;
    keep(caller, &actor, &organisation, NewCloudKey::Azure { site: site.trim(), circuit: &circuit }).await
}

/// Creates a Partner Interconnect attachment at a Google on-ramp in edge availability domain
/// 1 or 2: its pairing key is what a cloud connection to it is ordered with.
pub async fn create_google_attachment(caller: &Caller, site: &str, domain: &str) -> Result<CloudKeyRecord, AppError> {
    let (actor, organisation) = console_owner(caller)?;
    let on_ramp = on_ramp(caller, site, Cloud::Google).await?;
    let attachment = PairingKey::issue(&fresh_key(), &on_ramp, domain)
        .map_err(|(field, message)| AppError::field(field, message))?;
    keep(caller, &actor, &organisation, NewCloudKey::Google { site: site.trim(), attachment: &attachment }).await
}

/// The caller's ExpressRoute circuit with this service key (another organisation's is not
/// found: a key is a secret its owner hands over).
pub async fn azure_circuit(caller: &Caller, key: &str) -> Result<CloudKeyRecord, AppError> {
    let (_, organisation) = console_owner(caller)?;
    let key = ServiceKey::parse(key).map_err(|_| AppError::NotFound)?;
    caller.store.azure_circuit(&organisation.id, &key).await?.ok_or(AppError::NotFound)
}
