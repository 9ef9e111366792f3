//! Sign-up, sign-in, sign-out, the current person, and changing one's password. The use cases
//! are `lightpath_app::accounts`; here live the browser's parts: the session cookie, the
//! redirect after a form, and the rate limit per client address.

use crate::error::AppError;
use leptos::prelude::*;
pub use lightpath_app::model::account::*;

/// Who is signed in (None for nobody) and what the navigation offers them.
#[server(endpoint = "session", output = lightpath_app::error::JsonAnswer)]
pub async fn who_am_i() -> Result<Option<NavInfo>, AppError> {
    super::run(|caller| async move { lightpath_app::accounts::navigation(&caller).await }).await
}

/// Creates an organisation and its first buyer (its org admin), signs them in and opens the
/// dashboard. Every field is checked and every problem is reported at once.
#[server(endpoint = "sign-up", output = lightpath_app::error::JsonAnswer)]
pub async fn sign_up(email: String, name: String, company: String, password: String) -> Result<(), AppError> {
    super::run(|caller| async move {
        crate::auth::limiter()?.check()?;
        let form = SignUpForm { email, name, company, password };
        let token = lightpath_app::accounts::sign_up(&caller, form).await?;
        ssr::set_session_cookie(&token);
        leptos_axum::redirect("/dashboard");
        Ok(())
    })
    .await
}

/// Signs in and goes to `next` (a path on this site) or the person's start page; someone with
/// a second factor goes to the page that asks for its code first.
#[server(endpoint = "sign-in", output = lightpath_app::error::JsonAnswer)]
pub async fn sign_in(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    super::run(|caller| async move {
        use lightpath_app::accounts::SignedIn;
        crate::auth::limiter()?.check()?;
        // A new session id at every sign-in; an old session in this browser ends.
        let old = crate::auth::session().map(|session| session.token);
        match lightpath_app::accounts::sign_in(&caller, &email, &password, old.as_deref()).await? {
            SignedIn::Session { actor, token, set_up_two_step } => {
                ssr::set_session_cookie(&token);
                if set_up_two_step {
                    leptos_axum::redirect("/account");
                } else {
                    let (home, _) = lightpath_domain::policy::home(&actor);
                    leptos_axum::redirect(&crate::auth::safe_next(next.as_deref(), home));
                }
            }
            SignedIn::SecondFactor { challenge } => {
                ssr::set_cookie(crate::auth::challenge_cookie(&challenge));
                let next = next.filter(|next| !next.is_empty()).map(|next| crate::components::percent_encode(&next));
                leptos_axum::redirect(&match next {
                    Some(next) => format!("/sign-in/code?next={next}"),
                    None => "/sign-in/code".to_owned(),
                });
            }
        }
        Ok(())
    })
    .await
}

/// The second step of signing in: the authenticator app's code or a recovery code.
#[server(endpoint = "sign-in-code", output = lightpath_app::error::JsonAnswer)]
pub async fn sign_in_code(code: String, next: Option<String>) -> Result<(), AppError> {
    super::run(|caller| async move {
        crate::auth::limiter()?.check()?;
        let challenge = crate::auth::challenge();
        let old = crate::auth::session().map(|session| session.token);
        let (actor, token) =
            lightpath_app::accounts::answer_second_factor(&caller, challenge.as_deref(), &code, old.as_deref()).await?;
        ssr::set_cookie(crate::auth::clear_challenge_cookie());
        ssr::set_session_cookie(&token);
        let (home, _) = lightpath_domain::policy::home(&actor);
        leptos_axum::redirect(&crate::auth::safe_next(next.as_deref(), home));
        Ok(())
    })
    .await
}

/// The signed-in person's authenticator app, if they have one.
#[server(endpoint = "second-factor", output = lightpath_app::error::JsonAnswer)]
pub async fn load_second_factor() -> Result<SecondFactorView, AppError> {
    super::run(|caller| async move { lightpath_app::accounts::second_factor(&caller).await }).await
}

/// Starts setting up an authenticator app: the secret to scan or type.
#[server(endpoint = "start-totp", output = lightpath_app::error::JsonAnswer)]
pub async fn start_totp() -> Result<TotpSetupView, AppError> {
    super::run(|caller| async move { lightpath_app::accounts::start_totp(&caller).await }).await
}

/// Confirms the authenticator app with a first code; answers the recovery codes, once.
#[server(endpoint = "confirm-totp", output = lightpath_app::error::JsonAnswer)]
pub async fn confirm_totp(code: String) -> Result<Vec<String>, AppError> {
    super::run(|caller| async move {
        let actor = caller.require(lightpath_domain::policy::Permission::SignedIn)?;
        crate::auth::limiter()?.check_account(actor.id.as_str())?;
        let session = crate::auth::session().map(|session| session.token);
        lightpath_app::accounts::confirm_totp(&caller, &code, session.as_deref()).await
    })
    .await
}

/// Turns off the authenticator app, with a current code.
#[server(endpoint = "remove-totp", output = lightpath_app::error::JsonAnswer)]
pub async fn remove_totp(code: String) -> Result<(), AppError> {
    super::run(|caller| async move {
        let actor = caller.require(lightpath_domain::policy::Permission::SignedIn)?;
        crate::auth::limiter()?.check_account(actor.id.as_str())?;
        lightpath_app::accounts::remove_totp(&caller, &code).await
    })
    .await
}

/// Ends the session on the server and in the browser.
#[server(endpoint = "sign-out", output = lightpath_app::error::JsonAnswer)]
pub async fn sign_out() -> Result<(), AppError> {
    super::run(|caller| async move {
        if let Some(session) = crate::auth::session() {
            lightpath_app::accounts::sign_out(&caller, &session.token).await?;
        }
        ssr::set_cookie(crate::auth::clear_session_cookie());
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

/// "Confirm it's you": a code from the person's authenticator app lets this session make
/// sensitive changes for 15 minutes. Posted as a plain form, it answers with the page it came
/// from (with `?confirm=wrong` or `?confirm=locked` when the code did not count).
#[server(endpoint = "confirm-its-you", output = lightpath_app::error::JsonAnswer)]
pub async fn confirm_its_you(code: String) -> Result<(), AppError> {
    super::run(|caller| async move {
        let session = crate::auth::session().map(|session| session.token);
        let confirmed = lightpath_app::accounts::confirm_its_you(&caller, &code, session.as_deref()).await;
        if !crate::auth::plain_form() {
            return confirmed;
        }
        let back = crate::auth::referring_page("/account");
        match confirmed {
            Ok(()) => leptos_axum::redirect(&back),
            Err(AppError::TooManyAttempts { .. }) => leptos_axum::redirect(&format!("{back}?confirm=locked#confirm")),
            Err(AppError::SignInRequired) => return Err(AppError::SignInRequired),
            Err(_) => leptos_axum::redirect(&format!("{back}?confirm=wrong#confirm")),
        }
        Ok(())
    })
    .await
}

/// Removes one of the signed-in person's passkeys. Posted as a plain form from the account
/// page, it answers with that page (`?passkey=removed`, or the refusal's kind).
#[server(endpoint = "remove-passkey", output = lightpath_app::error::JsonAnswer)]
pub async fn remove_passkey(id: String) -> Result<(), AppError> {
    super::run(|caller| async move {
        let removed = lightpath_app::passkeys::remove(&caller, &id).await;
        if !crate::auth::plain_form() {
            return removed;
        }
        match removed {
            Ok(()) => leptos_axum::redirect("/account?passkey=removed#two-step-heading"),
            Err(AppError::SignInRequired) => return Err(AppError::SignInRequired),
            Err(AppError::Forbidden(_)) => leptos_axum::redirect("/account?confirm=first#confirm"),
            Err(error) => return Err(error),
        }
        Ok(())
    })
    .await
}

/// Changes the signed-in person's password; their other sessions end.
#[server(endpoint = "change-password", output = lightpath_app::error::JsonAnswer)]
pub async fn change_password(current: String, password: String, confirm: String) -> Result<(), AppError> {
    super::run(|caller| async move {
        let actor = caller.require(lightpath_domain::policy::Permission::SignedIn)?;
        let session = crate::auth::session().ok_or(AppError::SignInRequired)?;
        crate::auth::limiter()?.check_account(actor.id.as_str())?;
        lightpath_app::accounts::change_password(&caller, &session.token, &current, &password, &confirm).await
    })
    .await
}

#[cfg(feature = "ssr")]
mod ssr {
    use http::header::{HeaderValue, SET_COOKIE};
    use leptos::prelude::use_context;

    pub fn set_cookie(value: String) {
        if let (Some(options), Ok(value)) =
            (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&value))
        {
            options.append_header(SET_COOKIE, value);
        }
    }

    /// The cookie of a session that just started, for its absolute lifetime.
    pub fn set_session_cookie(token: &str) {
        set_cookie(crate::auth::session_cookie(token, lightpath_app::accounts::SESSION_LIFETIME_SECS));
    }
}
