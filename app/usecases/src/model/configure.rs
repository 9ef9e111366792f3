//! Configure-and-order of one product from its page: the sites to pick from, placing a
//! configuration on the live network, and ordering it (idempotent, re-placed and re-priced
//! here; the browser's figures are only compared, never trusted).

use crate::model::network::{NetworkView, SiteChoice};
use serde::{Deserialize, Serialize};

/// What the configurator needs besides the product page's own data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfiguratorData {
    pub sites: Vec<SiteChoice>,
    /// For drawing the path on the map.
    pub network: NetworkView,
    /// Whether the viewer may order for an organisation (a member who designs and orders).
    pub can_order: bool,
    /// The newest designs of the viewer's organisation, to keep a configured item in one:
    /// (id, name).
    pub designs: Vec<(String, String)>,
    /// The organisation's active cloud routers a cloud connection can attach to.
    pub routers: Vec<RouterChoice>,
}

/// One of the organisation's cloud routers, as the configurator offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouterChoice {
    /// Its service id.
    pub id: String,
    pub site: String,
    pub asn: u32,
}
