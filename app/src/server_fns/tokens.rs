//! API tokens: an organisation's admin (or a Lightpath admin, for staff tokens) lists them,
//! makes one (its secret shown once) and revokes one.

use crate::error::AppError;
use leptos::prelude::*;
pub use lightpath_app::model::tokens::*;

#[server(endpoint = "api-tokens", output = lightpath_app::error::JsonAnswer)]
pub async fn list_api_tokens() -> Result<TokensView, AppError> {
    super::run(|caller| async move { lightpath_app::tokens::list(&caller).await }).await
}

/// `expires_in_days`: empty for a token that does not expire.
#[server(endpoint = "create-api-token", output = lightpath_app::error::JsonAnswer)]
pub async fn create_api_token(name: String, access: String, expires_in_days: String) -> Result<TokenMade, AppError> {
    super::run(|caller| async move { lightpath_app::tokens::create(&caller, &name, &access, &expires_in_days).await })
        .await
}

#[server(endpoint = "revoke-api-token", output = lightpath_app::error::JsonAnswer)]
pub async fn revoke_api_token(id: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::tokens::revoke(&caller, &id).await }).await
}
