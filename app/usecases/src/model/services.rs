//! The service inventory: services with their spend, one service's page, and the change
//! orders on it (a bandwidth change priced by the domain engine, a disconnect). Both orders
//! go through the same idempotent ordering path as "Order now".

use lightpath_domain::money::Money;
use lightpath_domain::pricing::Totals;
use lightpath_domain::records::{Paged, ServiceRecord, ServiceSummary};
use lightpath_domain::service::{EarlyTermination, Spend};
use serde::{Deserialize, Serialize};

/// One page of the services a person may see, with the spend of all of them added up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inventory {
    pub services: Paged<ServiceSummary>,
    pub total: Spend,
}

/// A bandwidth the service can be changed to, priced now with the current price book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BandwidthChoice {
    pub option: String,
    pub label: String,
    pub mbps: u64,
    pub totals: Totals,
    /// A cut below the committed monthly charge during the term ends part of the commitment:
    /// what that costs, charged once with the change.
    pub termination: Option<EarlyTermination>,
    /// What ending the service right after this change would cost: its monthly charge
    /// becomes the commitment for the rest of the term (None when nothing committed is left).
    #[serde(default)]
    pub termination_after: Option<EarlyTermination>,
}

impl BandwidthChoice {
    /// What one month costs at this bandwidth (monthly charges plus 730 hours).
    pub fn monthly_estimate(&self) -> Money {
        self.totals.monthly_estimate()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePage {
    pub record: ServiceRecord,
    /// The catalog's names of its product and option.
    pub product_name: String,
    pub option_label: String,
    /// Empty when the product's bandwidth cannot be changed.
    pub choices: Vec<BandwidthChoice>,
    /// The signed-in person may order changes (a member of the owning organisation).
    pub can_change: bool,
    /// What disconnecting now costs, when the term is not yet served.
    pub termination: Option<EarlyTermination>,
    /// Planned maintenance touching it: upcoming, in progress, or ended within 90 days.
    pub maintenance: Vec<crate::model::network::MaintenanceLine>,
    /// The usage card's markup, which the portal renders from `usage::chart` on the server
    /// so that the page's code only places it (empty from `services::load_service`: the REST
    /// API has its own usage calls).
    #[serde(default)]
    pub usage_html: String,
    /// A cloud connection's panel, drawn by the portal on the server like the usage card (None
    /// from `services::load_service`; the REST API has the record's `cloud`).
    #[serde(default)]
    pub cloud_panel: Option<CloudPanel>,
    /// A cloud router's panel, drawn the same way (the REST API has the record's `router`).
    #[serde(default)]
    pub router_panel: Option<RouterPanel>,
}

/// A cloud connection's part of its service page: what it is and what the buyer must do, as
/// markup rendered on the server (before and after the VLAN change), and the VLAN the change
/// form starts from while the connection may move (None: no form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudPanel {
    pub head_html: String,
    pub tail_html: String,
    pub vlan_change_from: Option<u16>,
}

/// A cloud router's part of its service page: its facts and route table as markup rendered on
/// the server, and the attached connections whose prefix filters the page edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouterPanel {
    pub head_html: String,
    pub attachments: Vec<AttachmentFilter>,
    pub tail_html: String,
}

/// One attached connection as its filter form shows it: its service, name, a line on its state
/// and sessions, and its prefix filter (one line a rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentFilter {
    pub service_id: String,
    pub name: String,
    pub status: String,
    pub filter: String,
}
