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

/// The signed-in person's second factors, as their account page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorView {
    /// When their authenticator app was set up; None when they have none.
    pub since_ms: Option<i64>,
    pub recovery_codes_left: i64,
    /// Their passkeys, oldest first.
    pub passkeys: Vec<PasskeyView>,
    /// Sensitive changes here need a fresh proof of a second factor first ("Confirm it's you").
    pub confirm_needed: bool,
}

/// One of a person's passkeys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyView {
    pub id: String,
    pub name: String,
    pub created_ms: i64,
    pub last_used_ms: Option<i64>,
}

/// An authenticator app being set up: its secret as text, as a link and as a QR code (an SVG
/// the server drew).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpSetupView {
    pub secret: String,
    pub url: String,
    pub qr_svg: String,
}
