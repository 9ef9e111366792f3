//! API token use cases. An organisation's admin manages the organisation's tokens (which act
//! as a buyer of it, or read only); a Lightpath admin manages the staff tokens.

use crate::error::AppError;
use crate::model::tokens::{TokenMade, TokensView};
use crate::Caller;
use lightpath_domain::account::{parse_name, Actor, Id, TokenAccess};
use lightpath_domain::policy::Permission;
use lightpath_store::api_tokens::{NewApiToken, TokenError};

/// The longest a token may live, in days.
const MAX_DAYS: i64 = 366;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The caller and whose tokens they manage: their organisation's (org admins), or the staff
/// tokens (None; Lightpath admins).
fn owner(caller: &Caller) -> Result<(Actor, Option<Id>), AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    match actor.organisation.clone() {
        Some(organisation) => {
            caller.require(Permission::ManageMembers(&organisation.id)).map_err(|error| match error {
                AppError::Forbidden(_) => {
                    AppError::Forbidden("Only your organisation's admin can manage its API tokens.".into())
                }
                other => other,
            })?;
            Ok((actor, Some(organisation.id)))
        }
        None => Ok((caller.require(Permission::ManageUsers)?, None)),
    }
}

pub async fn list(caller: &Caller) -> Result<TokensView, AppError> {
    let (actor, organisation) = owner(caller)?;
    let tokens = caller.store.api_tokens(organisation.as_ref()).await?;
    let owner = actor.organisation.map_or_else(|| "Lightpath staff".to_owned(), |org| org.name);
    Ok(TokensView { owner, tokens, now_ms: now_ms(), confirm_needed: actor.factor_stale })
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_millis() as i64)
}

pub async fn create(caller: &Caller, name: &str, access: &str, expires_in_days: &str) -> Result<TokenMade, AppError> {
    let (actor, organisation) = owner(caller)?;
    lightpath_domain::policy::fresh_factor(&actor)?;
    let mut problems = Vec::new();
    let name = parse_name("name", "a name that says what uses the token", name)
        .map_err(|error| problems.push((error.field.to_owned(), error.message)))
        .ok();
    let access = TokenAccess::parse(access.trim())
        .ok_or_else(|| problems.push(("access".to_owned(), "Choose what the token may do.".to_owned())))
        .ok();
    let expires_at_ms = match expires_in_days.trim() {
        "" => Some(None),
        days => match days.parse::<i64>() {
            Ok(days) if (1..=MAX_DAYS).contains(&days) => Some(Some(now_ms() + days * DAY_MS)),
            _ => {
                problems.push((
                    "expires_in_days".to_owned(),
                    format!("Enter a number of days from 1 to {MAX_DAYS}, or leave it empty for no expiry."),
                ));
                None
            }
        },
    };
    let (Some(name), Some(access), Some(expires_at_ms)) = (name, access, expires_at_ms) else {
        return Err(AppError::Fields(problems));
    };
    let new = NewApiToken { name, access, organisation, expires_at_ms };
    match caller.store.create_api_token(&actor, new).await {
        Ok((token, secret)) => Ok(TokenMade { token, secret }),
        Err(TokenError::Refused(message)) => Err(AppError::Invalid(message)),
        Err(TokenError::Store(error)) => Err(error.into()),
    }
}

pub async fn revoke(caller: &Caller, id: &str) -> Result<(), AppError> {
    let (actor, organisation) = owner(caller)?;
    let id = Id::parse(id).ok_or(AppError::NotFound)?;
    if caller.store.revoke_api_token(&actor, organisation.as_ref(), &id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
