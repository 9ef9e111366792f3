//! Passkeys (WebAuthn, with webauthn-rs): registering one on the account page, signing in
//! with one (email first, then the device), using one as the second step after a password,
//! and "Confirm it's you" with one before a sensitive change.
//!
//! Each is a ceremony of two requests: `*_options` answers what the browser passes to
//! `navigator.credentials.create()` or `.get()` and a ceremony token; `finish_*` takes the
//! token and the browser's signed answer. The relying party is the portal's host as the
//! browser reached it (a passkey is bound to that name), the origin checked is its own; user
//! verification is required, so a passkey is two factors in itself (a sign-in with one meets
//! any two-step policy).

use crate::accounts::refuse_through_token;
use crate::{AppError, Caller};
use lightpath_domain::account::{parse_passkey_name, Actor, EmailAddress, Id, SignInMethod};
use lightpath_domain::policy::{self, Permission};
use lightpath_domain::sso::PortalOrigin;
use lightpath_store::passkeys::{Ceremony, CeremonyPurpose};
use webauthn_rs::fake::{FakePasskeyDistribution, WebauthnFakeCredentialGenerator};
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, Url, Uuid,
    Webauthn, WebauthnBuilder,
};
use webauthn_rs_proto::AllowCredentials;

/// What the browser needs for one ceremony: the token to send back with its answer, and the
/// options for `navigator.credentials` (the `publicKey` member and the rest, as JSON).
#[derive(Debug, Clone, serde::Serialize)]
pub struct PasskeyOptions {
    pub ceremony: String,
    pub options: serde_json::Value,
}

/// The relying party for the host the browser asked for.
fn relying_party(host: &str) -> Result<Webauthn, AppError> {
    let portal = PortalOrigin::of_host(host).ok_or_else(|| AppError::Malformed("The Host header is not usable.".into()))?;
    let rp_id = portal.relying_party_id().ok_or_else(|| {
        AppError::Invalid(
            "Passkeys need the portal's name, not its IP address: open it by name (on this machine, http://localhost)."
                .into(),
        )
    })?;
    let origin = Url::parse(&portal.origin).map_err(|_| AppError::Malformed("The Host header is not usable.".into()))?;
    WebauthnBuilder::new(rp_id, &origin)
        .and_then(|builder| builder.rp_name("Lightpath").build())
        .map_err(|_| AppError::Malformed("The Host header is not usable.".into()))
}

/// The handle a person's passkeys carry for them: their account id, a UUID.
fn user_handle(actor: &Actor) -> Result<Uuid, AppError> {
    Uuid::parse_str(actor.id.as_str()).map_err(|_| AppError::Unavailable)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|_| AppError::Unavailable)
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, AppError> {
    serde_json::from_str(text).map_err(|_| AppError::Unavailable)
}

/// The browser's answer, as `passkeys.js` sends it.
fn browser_answer<T: serde::de::DeserializeOwned>(credential: &serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(credential.clone())
        .map_err(|_| AppError::Malformed("The browser's passkey answer could not be read. Try again.".into()))
}

fn not_accepted() -> AppError {
    AppError::Invalid("Your passkey's answer was not accepted. Try again, or sign in another way.".into())
}

fn options<T: serde::Serialize>(ceremony: String, options: &T) -> Result<PasskeyOptions, AppError> {
    Ok(PasskeyOptions { ceremony, options: serde_json::to_value(options).map_err(|_| AppError::Unavailable)? })
}

async fn stored_passkeys(caller: &Caller, user: &Id) -> Result<Vec<Passkey>, AppError> {
    caller.store.passkeys_of(user).await?.iter().map(|stored| from_json(&stored.credential)).collect()
}

/// Registering: options for a new passkey named `name` on the signed-in person's account
/// (their other passkeys excluded, so one device is not added twice). Adding a factor is a
/// sensitive change for someone who has one already.
pub async fn registration_options(caller: &Caller, host: &str, name: &str) -> Result<PasskeyOptions, AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    refuse_through_token(&actor)?;
    policy::fresh_factor(&actor)?;
    let name = parse_passkey_name(name)?;
    let webauthn = relying_party(host)?;
    let existing = stored_passkeys(caller, &actor.id).await?;
    let exclude = existing.iter().map(|passkey| passkey.cred_id().clone()).collect();
    let (challenge, state) = webauthn
        .start_passkey_registration(user_handle(&actor)?, actor.email.as_str(), &actor.name, Some(exclude))
        .map_err(|_| AppError::Unavailable)?;
    let token = caller
        .store
        .begin_passkey_ceremony(CeremonyPurpose::Register, &actor.id, Some(&name), &to_json(&state)?)
        .await?;
    options(token, &challenge)
}

/// Registering: checks the device's answer and adds the passkey. It was just proven with user
/// verification, so `session` counts as signed in with a second factor from now on.
pub async fn finish_registration(
    caller: &Caller,
    host: &str,
    ceremony: &str,
    credential: &serde_json::Value,
    session: Option<&str>,
) -> Result<(), AppError> {
    let (actor, Ceremony { name, state, .. }) = own_ceremony(caller, ceremony, CeremonyPurpose::Register).await?;
    let state: PasskeyRegistration = from_json(&state)?;
    let answer: RegisterPublicKeyCredential = browser_answer(credential)?;
    let passkey = relying_party(host)?.finish_passkey_registration(&answer, &state).map_err(|_| not_accepted())?;
    let credential_id = credential_id_text(passkey.cred_id())?;
    let name = name.unwrap_or_else(|| "Passkey".to_owned());
    caller.store.add_passkey(&actor, &name, &credential_id, &to_json(&passkey)?).await?;
    if let Some(session) = session {
        caller.store.mark_session_multi_factor(session, SignInMethod::PasswordAndPasskey).await?;
    }
    Ok(())
}

/// The signed-in person's own ceremony for `purpose`, taken back (used up either way).
async fn own_ceremony(
    caller: &Caller,
    ceremony: &str,
    purpose: CeremonyPurpose,
) -> Result<(Actor, Ceremony), AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    refuse_through_token(&actor)?;
    let ceremony = caller.store.take_passkey_ceremony(ceremony, purpose).await?;
    if ceremony.user != actor.id {
        return Err(not_accepted());
    }
    Ok((actor, ceremony))
}

fn credential_id_text(id: &impl serde::Serialize) -> Result<String, AppError> {
    match serde_json::to_value(id) {
        Ok(serde_json::Value::String(text)) => Ok(text),
        _ => Err(AppError::Unavailable),
    }
}

/// Signing in with a passkey: options for the account `email` names. An address with no
/// account or no passkey gets options of the same shape naming a stand-in credential (the
/// same each time), so the answer does not tell who has an account; no device holds it, so
/// such a sign-in cannot finish.
pub async fn sign_in_options(caller: &Caller, host: &str, email: &str) -> Result<PasskeyOptions, AppError> {
    let email = EmailAddress::parse(email)?;
    crate::sso::refuse_password_early(caller, &email).await?;
    let webauthn = relying_party(host)?;
    let actor = caller.store.actor_by_email(&email).await?;
    let passkeys = match &actor {
        Some(actor) => stored_passkeys(caller, &actor.id).await?,
        None => Vec::new(),
    };
    let (Some(actor), false) = (actor, passkeys.is_empty()) else {
        return decoy_options(caller, &webauthn, &email);
    };
    let (challenge, state) = webauthn.start_passkey_authentication(&passkeys).map_err(|_| AppError::Unavailable)?;
    let token =
        caller.store.begin_passkey_ceremony(CeremonyPurpose::SignIn, &actor.id, None, &to_json(&state)?).await?;
    options(token, &challenge)
}

fn decoy_options(caller: &Caller, webauthn: &Webauthn, email: &EmailAddress) -> Result<PasskeyOptions, AppError> {
    // webauthn-rs' stand-ins: ids of the lengths real devices make, as many as accounts
    // usually have, derived from the address under the server's key (so the same each time).
    let generator = WebauthnFakeCredentialGenerator::<FakePasskeyDistribution>::new(&caller.store.passkey_decoy_key()?)
        .map_err(|_| AppError::Unavailable)?;
    let decoys = generator.generate(email.as_str().as_bytes()).map_err(|_| AppError::Unavailable)?;
    let (mut challenge, _) = webauthn.start_passkey_authentication(&[]).map_err(|_| AppError::Unavailable)?;
    challenge.public_key.allow_credentials = decoys
        .into_iter()
        .map(|id| AllowCredentials { type_: "public-key".into(), id: id.into(), transports: None })
        .collect();
    options(lightpath_store::passkeys::decoy_ceremony_token(), &challenge)
}

/// Checks the device's signed answer to an authentication ceremony against the passkeys the
/// ceremony was begun with, and records the passkey's use (with its new signature counter).
/// A passkey removed since the ceremony began no longer counts.
async fn verify_authentication(
    caller: &Caller,
    host: &str,
    ceremony: &Ceremony,
    credential: &serde_json::Value,
) -> Result<(), AppError> {
    let state: PasskeyAuthentication = from_json(&ceremony.state)?;
    let answer: PublicKeyCredential = browser_answer(credential)?;
    let result = relying_party(host)?.finish_passkey_authentication(&answer, &state).map_err(|_| not_accepted())?;
    for stored in caller.store.passkeys_of(&ceremony.user).await? {
        let mut passkey: Passkey = from_json(&stored.credential)?;
        if passkey.cred_id() == result.cred_id() {
            let updated = passkey.update_credential(&result).unwrap_or(false);
            let credential_id = credential_id_text(passkey.cred_id())?;
            let json = if updated { Some(to_json(&passkey)?) } else { None };
            caller.store.passkey_used(&ceremony.user, &credential_id, json.as_deref()).await?;
            return Ok(());
        }
    }
    Err(not_accepted())
}

/// Signing in with a passkey: checks the device's answer and starts a new session, ending
/// `old_session`. Single sign-on's enforcement applies as to a password (only the
/// break-glass admin signs in without the provider).
pub async fn finish_sign_in(
    caller: &Caller,
    host: &str,
    ceremony: &str,
    credential: &serde_json::Value,
    old_session: Option<&str>,
) -> Result<(Actor, String), AppError> {
    let ceremony = caller.store.take_passkey_ceremony(ceremony, CeremonyPurpose::SignIn).await?;
    verify_authentication(caller, host, &ceremony, credential).await?;
    let actor = caller.store.actor_by_id(&ceremony.user).await?.ok_or_else(not_accepted)?;
    crate::sso::password_allowed(caller, &actor).await?;
    start_session(caller, &actor, SignInMethod::Passkey, old_session).await
}

async fn start_session(
    caller: &Caller,
    actor: &Actor,
    method: SignInMethod,
    old_session: Option<&str>,
) -> Result<(Actor, String), AppError> {
    if let Some(old) = old_session {
        caller.store.end_session(old).await?;
    }
    let token = caller.store.create_session(actor, method).await?;
    Ok((actor.clone(), token))
}

/// The second step after a right password, with a passkey: options for the passkeys of the
/// person whose sign-in `challenge` waits on.
pub async fn second_step_options(
    caller: &Caller,
    host: &str,
    challenge: Option<&str>,
) -> Result<PasskeyOptions, AppError> {
    let challenge = challenge.ok_or(lightpath_store::AccountError::ChallengeExpired)?;
    let actor = caller.store.challenge_actor(challenge).await?;
    authentication_options(caller, host, &actor, CeremonyPurpose::SecondStep).await
}

async fn authentication_options(
    caller: &Caller,
    host: &str,
    actor: &Actor,
    purpose: CeremonyPurpose,
) -> Result<PasskeyOptions, AppError> {
    let webauthn = relying_party(host)?;
    let passkeys = stored_passkeys(caller, &actor.id).await?;
    if passkeys.is_empty() {
        return Err(AppError::Invalid(
            "You have no passkey on this account: use the code from your authenticator app.".into(),
        ));
    }
    let (challenge, state) = webauthn.start_passkey_authentication(&passkeys).map_err(|_| AppError::Unavailable)?;
    let token = caller.store.begin_passkey_ceremony(purpose, &actor.id, None, &to_json(&state)?).await?;
    options(token, &challenge)
}

/// The second step with a passkey: ends the waiting sign-in and starts the session.
pub async fn finish_second_step(
    caller: &Caller,
    host: &str,
    challenge: Option<&str>,
    ceremony: &str,
    credential: &serde_json::Value,
    old_session: Option<&str>,
) -> Result<(Actor, String), AppError> {
    let challenge = challenge.ok_or(lightpath_store::AccountError::ChallengeExpired)?;
    let ceremony = caller.store.take_passkey_ceremony(ceremony, CeremonyPurpose::SecondStep).await?;
    let actor = caller.store.challenge_actor(challenge).await?;
    if actor.id != ceremony.user {
        return Err(not_accepted());
    }
    verify_authentication(caller, host, &ceremony, credential).await?;
    if !caller.store.end_challenge(challenge).await? {
        return Err(lightpath_store::AccountError::ChallengeExpired.into());
    }
    start_session(caller, &actor, SignInMethod::PasswordAndPasskey, old_session).await
}

/// "Confirm it's you" with a passkey: options for the signed-in person's passkeys.
pub async fn confirm_options(caller: &Caller, host: &str) -> Result<PasskeyOptions, AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    refuse_through_token(&actor)?;
    authentication_options(caller, host, &actor, CeremonyPurpose::Confirm).await
}

/// "Confirm it's you" with a passkey: `session` may make sensitive changes for 15 minutes.
pub async fn finish_confirm(
    caller: &Caller,
    host: &str,
    ceremony: &str,
    credential: &serde_json::Value,
    session: Option<&str>,
) -> Result<(), AppError> {
    let session = session.ok_or(AppError::SignInRequired)?;
    let (actor, ceremony) = own_ceremony(caller, ceremony, CeremonyPurpose::Confirm).await?;
    verify_authentication(caller, host, &ceremony, credential).await?;
    Ok(caller.store.prove_factor_now(session, &actor.id).await?)
}

/// Removes one of the signed-in person's passkeys: a sensitive change (a fresh second factor
/// first), audited.
pub async fn remove(caller: &Caller, passkey: &str) -> Result<(), AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    refuse_through_token(&actor)?;
    policy::fresh_factor(&actor)?;
    Ok(caller.store.remove_own_passkey(&actor, passkey).await?)
}
