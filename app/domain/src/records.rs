//! Records the store reads and the admin pages show as they are: one definition for the
//! server and the browser.

use crate::account::{Id, OrganisationRef};
use crate::catalog::LifecycleStage;
use crate::design::{DesignDraft, DesignIntent};
use crate::money::Money;
use crate::pricing::Totals;
use crate::recommend::Choice;
use serde::{Deserialize, Serialize};

/// One audit log entry: who changed what, when, with the changed fields before and after
/// (as JSON text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: String,
    pub at_ms: i64,
    pub actor_email: String,
    pub action: String,
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A price book version as listed for admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceBookSummary {
    pub version: i64,
    pub name: String,
    /// `draft`, `published` (the current version) or `retired`.
    pub status: String,
    pub created_at_ms: i64,
    pub published_at_ms: Option<i64>,
}

/// A saved design as listed: whose it is, what it covers, what it costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesignSummary {
    pub id: Id,
    pub organisation: OrganisationRef,
    pub name: String,
    pub stages: Vec<LifecycleStage>,
    pub intent: DesignIntent,
    /// The chosen bundle's totals, re-priced by the server on save; None for a draft.
    pub totals: Option<Totals>,
    pub price_book_version: Option<i64>,
    pub created_by: String,
    pub updated_at_ms: i64,
}

impl DesignSummary {
    pub fn monthly_estimate(&self) -> Option<Money> {
        self.totals.map(Totals::monthly_estimate)
    }
}

/// A saved design with everything needed to reopen it in the wizard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedDesign {
    pub summary: DesignSummary,
    pub draft: DesignDraft,
    pub choice: Option<Choice>,
}
