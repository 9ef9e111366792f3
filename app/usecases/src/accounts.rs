//! Signing up, signing in and out, changing one's password, and what the navigation offers the
//! signed-in person. Cookies, redirects and rate limits per client address are the adapter's:
//! these return the session token to set.

use crate::model::account::*;
use crate::{AppError, Caller};
use lightpath_domain::account::{
    parse_name, Actor, EmailAddress, FieldError, NewPassword, SecondFactorCode, SignInMethod,
};
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
    Ok(caller.store.clone().create_session(&actor, SignInMethod::Password).await?)
}

/// Where a right password leads.
pub enum SignedIn {
    /// A new session (a new token every time: no session fixation). `set_up_two_step`: the
    /// person's organisation (or staff role) requires a second factor they do not have yet,
    /// so they start on their account page.
    Session { actor: Box<Actor>, token: String, set_up_two_step: bool },
    /// The person has a second factor: the token of the sign-in waiting for its code, for a
    /// short-lived cookie. No session exists yet.
    SecondFactor { challenge: String },
}

/// Checks the password; starts a new session, ending `old_session` (the one this browser
/// had), or, for someone with a second factor, a sign-in that waits for its code.
pub async fn sign_in(
    caller: &Caller,
    email: &str,
    password: &str,
    old_session: Option<&str>,
) -> Result<SignedIn, AppError> {
    let email = EmailAddress::parse(email)?;
    if password.is_empty() {
        return Err(AppError::field("password", "Enter your password."));
    }
    crate::sso::refuse_password_early(caller, &email).await?;
    let store = caller.store.clone();
    let actor = store.authenticate(&email, password).await?;
    crate::sso::password_allowed(caller, &actor).await?;
    if store.has_second_factor(&actor.id).await? {
        return Ok(SignedIn::SecondFactor { challenge: store.create_challenge(&actor.id).await? });
    }
    if let Some(old) = old_session {
        store.end_session(old).await?;
    }
    let token = store.create_session(&actor, SignInMethod::Password).await?;
    let set_up_two_step = store.session_actor(&token).await?.is_some_and(|actor| actor.two_step_missing);
    Ok(SignedIn::Session { actor: Box::new(actor), token, set_up_two_step })
}

/// The second step of a sign-in: the code of the person's authenticator app, or one of their
/// recovery codes, for the sign-in `challenge` waits on. Answers the new session.
pub async fn answer_second_factor(
    caller: &Caller,
    challenge: Option<&str>,
    code: &str,
    old_session: Option<&str>,
) -> Result<(Actor, String), AppError> {
    let challenge = challenge.ok_or(lightpath_store::AccountError::ChallengeExpired)?;
    let code = SecondFactorCode::parse(code)?;
    let store = caller.store.clone();
    let (actor, method) = store.answer_challenge(challenge, &code).await?;
    if let Some(old) = old_session {
        store.end_session(old).await?;
    }
    let token = store.create_session(&actor, method).await?;
    Ok((actor, token))
}

/// The signed-in person's second factors: their authenticator app (since when, and how many
/// recovery codes are left) and their passkeys.
pub async fn second_factor(caller: &Caller) -> Result<SecondFactorView, AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    let (since_ms, recovery_codes_left) = match caller.store.second_factor_status(&actor.id).await? {
        Some((since, left)) => (Some(since), left),
        None => (None, 0),
    };
    let passkeys = caller
        .store
        .passkeys_of(&actor.id)
        .await?
        .into_iter()
        .map(|passkey| PasskeyView {
            id: passkey.id,
            name: passkey.name,
            created_ms: passkey.created_at_ms,
            last_used_ms: passkey.last_used_at_ms,
        })
        .collect();
    Ok(SecondFactorView { since_ms, recovery_codes_left, passkeys, confirm_needed: actor.factor_stale })
}

/// Starts setting up an authenticator app: the secret to scan or type.
pub async fn start_totp(caller: &Caller) -> Result<TotpSetupView, AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    refuse_through_token(&actor)?;
    let setup = caller.store.start_totp(&actor).await?;
    Ok(TotpSetupView { secret: setup.secret, url: setup.url, qr_svg: setup.qr_svg })
}

/// Confirms the authenticator app with its first code; answers the ten recovery codes, shown
/// this once. The code just proved the factor, so `session` counts as signed in with it.
pub async fn confirm_totp(caller: &Caller, code: &str, session: Option<&str>) -> Result<Vec<String>, AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    refuse_through_token(&actor)?;
    let SecondFactorCode::Totp(code) = SecondFactorCode::parse(code)? else {
        return Err(AppError::field("code", "Enter the 6-digit code your authenticator app shows."));
    };
    let codes = caller.store.confirm_totp(&actor, &code).await?;
    if let Some(session) = session {
        caller.store.mark_session_multi_factor(session, SignInMethod::PasswordAndTotp).await?;
    }
    Ok(codes)
}

/// "Confirm it's you": a code from the person's authenticator app (or a recovery code) makes
/// this session's sensitive changes possible for the next 15 minutes.
pub async fn confirm_its_you(caller: &Caller, code: &str, session: Option<&str>) -> Result<(), AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    refuse_through_token(&actor)?;
    let session = session.ok_or(AppError::SignInRequired)?;
    let code = SecondFactorCode::parse(code)?;
    Ok(caller.store.confirm_its_you(&actor, session, &code).await?)
}

/// Turns off the signed-in person's authenticator app; a current code proves they hold it.
pub async fn remove_totp(caller: &Caller, code: &str) -> Result<(), AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    refuse_through_token(&actor)?;
    let code = SecondFactorCode::parse(code)?;
    Ok(caller.store.remove_own_totp(&actor, &code).await?)
}

/// Second factors are a person's own: never set up or removed through an API token.
pub(crate) fn refuse_through_token(actor: &Actor) -> Result<(), AppError> {
    match actor.token {
        Some(_) => Err(AppError::Forbidden("Sign in to the portal to change your second factor.".into())),
        None => Ok(()),
    }
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
