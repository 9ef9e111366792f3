//! API tokens: an organisation's admin (or a Lightpath admin, for staff tokens) lists them,
//! makes one (its secret shown once) and revokes one.

use lightpath_domain::records::ApiToken;
use serde::{Deserialize, Serialize};

/// Whose tokens the page manages, and the tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensView {
    /// The organisation's name, or "Lightpath staff".
    pub owner: String,
    pub tokens: Vec<ApiToken>,
    /// The server's clock, to tell live tokens from expired ones.
    pub now_ms: i64,
    /// Sensitive changes here need a fresh code from the viewer's authenticator app first
    /// ("Confirm it's you").
    pub confirm_needed: bool,
}

/// A token just made: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenMade {
    pub token: ApiToken,
    pub secret: String,
}
