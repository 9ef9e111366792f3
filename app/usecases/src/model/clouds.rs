//! The simulated clouds: the regions Lightpath reaches, and a buyer's own cloud consoles with
//! the circuits and attachments created there.

use lightpath_domain::cloud::{CloudKeyRecord, CloudRegion, HostedConnection};
use serde::{Deserialize, Serialize};

/// A buyer's simulated cloud consoles: where keys can be created, and the ones created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudConsoles {
    pub organisation: String,
    pub regions: Vec<CloudRegion>,
    pub keys: Vec<CloudKeyRecord>,
    /// The AWS hosted connections Lightpath offered the organisation's accounts.
    pub hosted: Vec<HostedConnection>,
}

/// Whether a VLAN is free on a port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VlanAvailability {
    /// The port: the on-ramp's site id, with `/primary` or `/secondary` for Azure.
    pub interface: String,
    pub vlan: u16,
    pub available: bool,
}
