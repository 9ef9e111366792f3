//! Signing up, signing in and out, changing one's password, and what the navigation offers the
//! signed-in person. Cookies, redirects and rate limits per client address are the adapter's:
//! these return the session token to set.

use crate::model::account::*;
use crate::{AppError, Caller};
use lightpath_domain::account::{parse_name, Actor, EmailAddress, FieldError, NewPassword};
use lightpath_domain::policy::{allows, Permission};
use lightpath_store::accounts::{SignUp, ABSOLUTE_TIMEOUT_MS};

/// How long a session lasts at most, in seconds: the session cookie's lifetime.
pub const SESSION_LIFETIME_SECS: i64 = ABSOLUTE_TIMEOUT_MS / 1000;

/// Who is signed in (None for nobody) and what the navigation offers them.
pub async fn navigation(caller: &Caller) -> Result<Option<NavInfo>, AppError> {
    let Some(actor) = caller.actor().cloned() else { return Ok(None) };
    let home = lightpath_domain::policy::home(&actor);
    let quote_requests = if allows(Some(&actor), Permission::BuildQuotes) {
        Some(caller.store.quote_request_count().await?)
    } else {
        None
    };
    Ok(Some(NavInfo {
        home: (home.0.to_owned(), home.1.to_owned()),
        members: actor.organisation.as_ref().map(|o| format!("/orgs/{}", o.id)),
        admin: allows(Some(&actor), Permission::ManageCatalog),
        audit: allows(Some(&actor), Permission::ReadAuditLog),
        quote_requests,
        name: actor.name,
        email: actor.email.to_string(),
    }))
}

/// Collects every field's problem instead of stopping at the first.
fn all_fields<const N: usize>(problems: [Option<FieldError>; N]) -> Result<(), AppError> {
    let fields: Vec<(String, String)> =
        problems.into_iter().flatten().map(|problem| (problem.field.to_owned(), problem.message)).collect();
    if fields.is_empty() {
        Ok(())
    } else {
        Err(AppError::Fields(fields))
    }
}

/// Creates an organisation and its first buyer (its org admin) and starts their session:
/// answers the session token. Every field is checked and every problem reported at once.
pub async fn sign_up(caller: &Caller, form: SignUpForm) -> Result<String, AppError> {
    let SignUpForm { email, name, company, password } = form;
    let email = EmailAddress::parse(&email);
    let name = parse_name("name", "your name", &name);
    let company = parse_name("company", "your company’s name", &company);
    let password = NewPassword::parse("password", &password, email.as_ref().ok());
    all_fields([
        email.as_ref().err().cloned(),
        name.as_ref().err().cloned(),
        company.as_ref().err().cloned(),
        password.as_ref().err().cloned(),
    ])?;
    let (Ok(email), Ok(name), Ok(company), Ok(password)) = (email, name, company, password) else {
        unreachable!("every error was returned above")
    };
    let actor = caller.store.clone().sign_up(SignUp { email, name, company, password }).await?;
    Ok(caller.store.clone().create_session(&actor.id).await?)
}

/// Checks the password and starts a new session (a new token every time: no session
/// fixation), ending `old_session`, the one this browser had. Answers who signed in and the
/// new token.
pub async fn sign_in(
    caller: &Caller,
    email: &str,
    password: &str,
    old_session: Option<&str>,
) -> Result<(Actor, String), AppError> {
    let email = EmailAddress::parse(email)?;
    if password.is_empty() {
        return Err(AppError::field("password", "Enter your password."));
    }
    let store = caller.store.clone();
    let actor = store.authenticate(&email, password).await?;
    if let Some(old) = old_session {
        store.end_session(old).await?;
    }
    let token = store.create_session(&actor.id).await?;
    Ok((actor, token))
}

/// Ends a session on the server.
pub async fn sign_out(caller: &Caller, session: &str) -> Result<(), AppError> {
    Ok(caller.store.clone().end_session(session).await?)
}

/// Changes the signed-in person's password; their sessions other than `session` end.
pub async fn change_password(
    caller: &Caller,
    session: &str,
    current: &str,
    password: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    let new = NewPassword::parse("password", password, Some(&actor.email))?;
    if password != confirm {
        return Err(AppError::field("confirm", "The two new passwords differ. Type the same password twice."));
    }
    Ok(caller.store.clone().change_password(&actor, current, &new, session).await?)
}
