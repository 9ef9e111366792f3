//! Sign-up, sign-in, sign-out, the current person, and changing one's password.

use serde::{Deserialize, Serialize};

/// What the navigation shows a signed-in person, decided on the server by the policy (so the
/// browser bundle carries no access rules, only links).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NavInfo {
    pub name: String,
    pub email: String,
    /// (path, label) of their start page: the dashboard, or the customer list for staff.
    pub home: (String, String),
    /// Their organisation's members page, for buyers.
    pub members: Option<String>,
    /// Whether to show the admin pages.
    pub admin: bool,
    /// Whether to show the whole audit log (admins and support).
    pub audit: bool,
    /// For sales engineers: how many quote requests wait for them.
    pub quote_requests: Option<u64>,
}

/// The sign-up form as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUpForm {
    pub email: String,
    pub name: String,
    pub company: String,
    pub password: String,
}
