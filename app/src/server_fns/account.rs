//! Sign-up, sign-in, sign-out, the current person, and changing one's password.

use crate::error::AppError;
use leptos::prelude::*;
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
}

/// Who is signed in (None for nobody) and what the navigation offers them.
#[server(endpoint = "session")]
pub async fn who_am_i() -> Result<Option<NavInfo>, AppError> {
    use lightpath_domain::policy::{allows, Permission};
    Ok(crate::auth::actor().map(|actor| {
        let home = if allows(Some(&actor), Permission::ListOrganisations) {
            ("/orgs", "Customers")
        } else {
            ("/dashboard", "Dashboard")
        };
        NavInfo {
            home: (home.0.to_owned(), home.1.to_owned()),
            members: actor.organisation.as_ref().map(|o| format!("/orgs/{}", o.id)),
            admin: allows(Some(&actor), Permission::ManageCatalog),
            name: actor.name,
            email: actor.email.to_string(),
        }
    }))
}

/// Creates an organisation and its first buyer (its org admin), signs them in and opens the
/// dashboard. Every field is checked and every problem is reported at once.
#[server(endpoint = "sign-up")]
pub async fn sign_up(email: String, name: String, company: String, password: String) -> Result<(), AppError> {
    crate::with_status(ssr::sign_up(email, name, company, password).await)
}

/// Signs in and goes to `next` (a path on this site) or the dashboard.
#[server(endpoint = "sign-in")]
pub async fn sign_in(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    crate::with_status(ssr::sign_in(email, password, next).await)
}

/// Ends the session on the server and in the browser.
#[server(endpoint = "sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::with_status(ssr::sign_out().await)
}

/// Changes the signed-in person's password; their other sessions end.
#[server(endpoint = "change-password")]
pub async fn change_password(current: String, password: String, confirm: String) -> Result<(), AppError> {
    crate::with_status(ssr::change_password(current, password, confirm).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::auth::{self, limiter};
    use crate::error::AppError;
    use http::header::{HeaderValue, SET_COOKIE};
    use leptos::prelude::*;
    use lightpath_domain::account::{parse_name, EmailAddress, FieldError, Id, NewPassword};
    use lightpath_domain::policy::Permission;
    use lightpath_store::accounts::{SignUp, ABSOLUTE_TIMEOUT_MS};

    fn set_cookie(value: String) {
        if let (Some(options), Ok(value)) =
            (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&value))
        {
            options.append_header(SET_COOKIE, value);
        }
    }

    /// Starts a new session (a new token every time: no session fixation) and sets the cookie.
    async fn start_session(user: &Id) -> Result<(), AppError> {
        let token = super::super::store()?.create_session(user).await?;
        set_cookie(auth::session_cookie(&token, ABSOLUTE_TIMEOUT_MS / 1000));
        Ok(())
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

    pub async fn sign_up(email: String, name: String, company: String, password: String) -> Result<(), AppError> {
        limiter()?.check()?;
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
        let actor = super::super::store()?.sign_up(SignUp { email, name, company, password }).await?;
        start_session(&actor.id).await?;
        leptos_axum::redirect("/dashboard");
        Ok(())
    }

    pub async fn sign_in(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
        limiter()?.check()?;
        let email = EmailAddress::parse(&email)?;
        if password.is_empty() {
            return Err(AppError::field("password", "Enter your password."));
        }
        let store = super::super::store()?;
        let actor = store.authenticate(&email, &password).await?;
        // A new session id at every sign-in; an old session in this browser ends.
        if let Some(old) = auth::session() {
            store.end_session(&old.token).await?;
        }
        start_session(&actor.id).await?;
        let home = if actor.role.is_staff() { "/orgs" } else { "/dashboard" };
        leptos_axum::redirect(&auth::safe_next(next.as_deref(), home));
        Ok(())
    }

    pub async fn sign_out() -> Result<(), AppError> {
        if let Some(session) = auth::session() {
            super::super::store()?.end_session(&session.token).await?;
        }
        set_cookie(auth::clear_session_cookie());
        leptos_axum::redirect("/");
        Ok(())
    }

    pub async fn change_password(current: String, password: String, confirm: String) -> Result<(), AppError> {
        let actor = auth::require(Permission::SignedIn)?;
        let session = auth::session().ok_or(AppError::SignInRequired)?;
        limiter()?.check_account(actor.id.as_str())?;
        let new = NewPassword::parse("password", &password, Some(&actor.email))?;
        if password != confirm {
            return Err(AppError::field("confirm", "The two new passwords differ. Type the same password twice."));
        }
        super::super::store()?.change_password(&actor, &current, &new, &session.token).await?;
        Ok(())
    }
}
