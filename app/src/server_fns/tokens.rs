//! API tokens: an organisation's admin (or a Lightpath admin, for staff tokens) lists them,
//! makes one (its secret shown once) and revokes one.

use crate::error::AppError;
use leptos::prelude::*;
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
}

/// A token just made: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenMade {
    pub token: ApiToken,
    pub secret: String,
}

#[server(endpoint = "api-tokens")]
pub async fn list_api_tokens() -> Result<TokensView, AppError> {
    crate::usecases::run(|caller| async move { crate::usecases::tokens::list(&caller).await }).await
}

/// `expires_in_days`: empty for a token that does not expire.
#[server(endpoint = "create-api-token")]
pub async fn create_api_token(name: String, access: String, expires_in_days: String) -> Result<TokenMade, AppError> {
    crate::usecases::run(|caller| async move {
        crate::usecases::tokens::create(&caller, &name, &access, &expires_in_days).await
    })
    .await
}

#[server(endpoint = "revoke-api-token")]
pub async fn revoke_api_token(id: String) -> Result<(), AppError> {
    crate::usecases::run(|caller| async move { crate::usecases::tokens::revoke(&caller, &id).await }).await
}
