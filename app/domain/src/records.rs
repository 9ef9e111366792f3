//! Records the store reads and the admin pages show as they are: one definition for the
//! server and the browser.

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
