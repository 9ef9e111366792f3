//! Admin work: accounts and roles, product texts, price book versions and the audit log.

use lightpath_domain::price_book::PriceLine;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceBookView {
    pub version: i64,
    pub name: String,
    pub status: String,
    /// (product name, line) in book order; the index is the line's position.
    pub lines: Vec<(String, PriceLine)>,
    /// What stops this draft from being published; empty when it is ready.
    pub problems: Vec<String>,
    /// Every product's early termination share, in basis points: (id, name, share).
    pub terminations: Vec<(lightpath_domain::ProductId, String, u32)>,
}

/// A price line as an admin types it into a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceLineForm {
    pub version: i64,
    pub product: String,
    pub option: String,
    pub label: String,
    pub charge: String,
    pub unit: String,
    pub amount: String,
    /// Months (0 = on demand) it applies to; none ticked = every term.
    pub terms: Option<Vec<String>>,
}

/// One span's use, for the network operations page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanUse {
    pub id: String,
    /// "Chicago – Kansas City".
    pub ends: String,
    pub route_km: u32,
    pub capacity_gbps: u64,
    pub reserved_mbps: u64,
    /// Reserved share of capacity in tenths of a percent (125 = 12.5 %).
    pub permille: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkOps {
    pub network: crate::model::network::NetworkView,
    pub policy: lightpath_domain::faults::FaultPolicy,
    /// Busiest first.
    pub spans: Vec<SpanUse>,
    /// Every maintenance window, newest start first.
    pub maintenance: Vec<crate::model::network::MaintenanceLine>,
    /// Every outage, newest first.
    pub outages: Vec<crate::model::network::MaintenanceLine>,
}
