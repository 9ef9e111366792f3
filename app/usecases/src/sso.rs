//! Single sign-on with an organisation's OpenID Connect provider: its admin registers the
//! provider, tests it and switches it on; people of its email domains sign in through it.
//! The provider's HTTP (discovery, the code exchange, the ID token's checks) is the server's
//! adapter (`server/src/sso.rs`): these take what it verified.

use crate::model::orgs::{SsoForm, SsoView};
use crate::{AppError, Caller};
use lightpath_domain::account::{Actor, EmailAddress, Id, Role, SignInMethod};
use lightpath_domain::policy::Permission;
use lightpath_domain::sso::{self, SsoMode, SsoRefusal, SsoRules, VerifiedIdentity};
use lightpath_store::sso::{SsoError, SsoSettings};

pub use lightpath_store::sso::{LoginPurpose, SsoLogin};

/// Where a provider sends people back to.
pub const CALLBACK_PATH: &str = "/sso/callback";

/// What the adapter needs to talk to a provider.
#[derive(Debug, Clone)]
pub struct ProviderClient {
    pub organisation: Id,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
}

impl From<SsoError> for AppError {
    fn from(error: SsoError) -> Self {
        match error {
            SsoError::DomainTaken { .. } | SsoError::DomainUsedElsewhere { .. } => {
                AppError::field("domains", error.to_string())
            }
            SsoError::SecretMissing => AppError::field("client_secret", error.to_string()),
            SsoError::Refused(why) => AppError::Conflict(why),
            SsoError::Store(error) => error.into(),
        }
    }
}

fn parse_id(raw: &str) -> Result<Id, AppError> {
    Id::parse(raw).ok_or(AppError::NotFound)
}

/// The organisation's single sign-on as its own admin sees it (None for anyone else).
pub async fn view(caller: &Caller, organisation: &Id) -> Result<Option<SsoView>, AppError> {
    if !lightpath_domain::policy::allows(caller.actor(), Permission::ManageSignIn(organisation)) {
        return Ok(None);
    }
    let provider = caller.store.sso_provider(organisation).await?;
    Ok(Some(match provider {
        None => SsoView {
            registered: false,
            issuer: String::new(),
            client_id: String::new(),
            domains: String::new(),
            create_members: false,
            group_roles: String::new(),
            default_role: Role::ReadOnly,
            mode: SsoMode::Off,
            break_glass: None,
            tested: None,
            redirect_url: CALLBACK_PATH.to_owned(),
        },
        Some(provider) => SsoView {
            registered: true,
            issuer: provider.issuer,
            client_id: provider.client_id,
            domains: provider.domains.join("\n"),
            create_members: provider.create_members,
            group_roles: sso::group_roles_text(&provider.group_roles),
            default_role: provider.default_role,
            mode: provider.mode,
            break_glass: provider.break_glass,
            tested: provider.tested,
            redirect_url: CALLBACK_PATH.to_owned(),
        },
    }))
}

/// Registers or changes the organisation's provider (a sensitive change). Every field is
/// checked and every problem reported at once; a saved change switches single sign-on off
/// until a test sign-in succeeds again.
pub async fn save_settings(caller: &Caller, organisation: String, form: SsoForm) -> Result<(), AppError> {
    lightpath_domain::policy::check(caller.actor(), Permission::SignedIn)?;
    let organisation = parse_id(&organisation)?;
    let actor = caller.require_sensitive(Permission::ManageSignIn(&organisation))?;
    let issuer = sso::parse_issuer(&form.issuer);
    let client_id = sso::parse_client_id(&form.client_id);
    let secret = if form.client_secret.trim().is_empty() { Ok(None) } else { sso::parse_client_secret(&form.client_secret).map(Some) };
    let domains = sso::parse_domains(&form.domains);
    let group_roles = sso::parse_group_roles(&form.group_roles);
    let default_role = Role::CUSTOMER
        .into_iter()
        .find(|role| role.slug() == form.default_role.trim())
        .ok_or_else(|| lightpath_domain::account::FieldError::new("default_role", "Choose the role new members get."));
    let problems: Vec<(String, String)> = [
        issuer.as_ref().err(),
        client_id.as_ref().err(),
        secret.as_ref().err(),
        domains.as_ref().err(),
        group_roles.as_ref().err(),
        default_role.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    .map(|problem| (problem.field.to_owned(), problem.message.clone()))
    .collect();
    let (Ok(issuer), Ok(client_id), Ok(client_secret), Ok(domains), Ok(group_roles), Ok(default_role)) =
        (issuer, client_id, secret, domains, group_roles, default_role)
    else {
        return Err(AppError::Fields(problems));
    };
    let settings =
        SsoSettings { issuer, client_id, client_secret, domains, create_members: form.create_members, group_roles, default_role };
    Ok(caller.store.save_sso_settings(&actor, &organisation, settings).await?)
}

/// Switches single sign-on off, on or to enforced (a sensitive change); enforced names the
/// break-glass admin.
pub async fn set_mode(caller: &Caller, organisation: String, mode: String, break_glass: Option<String>) -> Result<(), AppError> {
    lightpath_domain::policy::check(caller.actor(), Permission::SignedIn)?;
    let organisation = parse_id(&organisation)?;
    let actor = caller.require_sensitive(Permission::ManageSignIn(&organisation))?;
    let mode = SsoMode::parse(mode.trim()).ok_or_else(|| AppError::field("mode", "Choose off, on or enforced."))?;
    let break_glass = match break_glass.as_deref().map(str::trim).filter(|id| !id.is_empty()) {
        Some(id) => Some(Id::parse(id).ok_or_else(|| AppError::field("break_glass", "Choose a member of this organisation."))?),
        None => None,
    };
    let break_glass = if mode == SsoMode::Enforced { break_glass } else { None };
    Ok(caller.store.set_sso_mode(&actor, &organisation, mode, break_glass.as_ref()).await?)
}

/// The provider of an organisation, for its admin's test sign-in.
pub async fn test_client(caller: &Caller, organisation: String) -> Result<ProviderClient, AppError> {
    lightpath_domain::policy::check(caller.actor(), Permission::SignedIn)?;
    let organisation = parse_id(&organisation)?;
    caller.require(Permission::ManageSignIn(&organisation))?;
    client_of(caller, &organisation).await?.ok_or_else(|| AppError::Conflict("Save the provider’s settings first.".into()))
}

async fn client_of(caller: &Caller, organisation: &Id) -> Result<Option<ProviderClient>, AppError> {
    Ok(caller.store.sso_provider(organisation).await?.map(|provider| ProviderClient {
        organisation: organisation.clone(),
        issuer: provider.issuer,
        client_id: provider.client_id,
        client_secret: provider.client_secret,
    }))
}

/// The provider that signs in `email`: its domain's organisation, with single sign-on on.
pub async fn sign_in_client(caller: &Caller, email: &str) -> Result<ProviderClient, AppError> {
    let email = EmailAddress::parse(email)?;
    let not_set_up = || {
        AppError::field("email", "Single sign-on is not set up for this email address. Sign in with your password instead.")
    };
    let route = caller.store.sso_route(&email).await?.filter(|route| route.mode != SsoMode::Off).ok_or_else(not_set_up)?;
    client_of(caller, &route.organisation).await?.ok_or_else(not_set_up)
}

/// Remembers a sign-in sent to the provider; answers the state it carries.
pub async fn remember(
    caller: &Caller,
    client: &ProviderClient,
    purpose: LoginPurpose,
    pkce_verifier: &str,
    nonce: &str,
    next: Option<&str>,
) -> Result<String, AppError> {
    Ok(caller.store.begin_sso_login(&client.organisation, purpose, pkce_verifier, nonce, next).await?)
}

/// Takes the sign-in `state` names (used once, 10 minutes at most) and its provider.
pub async fn take(caller: &Caller, state: &str) -> Result<(SsoLogin, ProviderClient), AppError> {
    let expired = || AppError::Invalid("This sign-in expired or was already used. Start again from the sign-in page.".into());
    let login = caller.store.take_sso_login(state).await?.ok_or_else(expired)?;
    let client = client_of(caller, &login.organisation).await?.ok_or_else(expired)?;
    Ok((login, client))
}

/// Records what the admin's test sign-in received (the session that started it must still be
/// one of the organisation's admins). Answers whether the settings were still those tested.
pub async fn finish_test(caller: &Caller, login: &SsoLogin, identity: &VerifiedIdentity) -> Result<bool, AppError> {
    let actor = caller.require(Permission::ManageSignIn(&login.organisation))?;
    Ok(caller.store.record_sso_test(&actor, login, identity).await?)
}

/// How a verified sign-in ended.
pub enum SsoSignIn {
    /// Signed in: the new session's token.
    Session { actor: Box<Actor>, token: String },
    Refused(SsoRefusal),
}

/// Signs in (or creates, when the organisation allows it) the member the provider vouched
/// for; ends `old_session`. Refused while single sign-on is off.
pub async fn finish_sign_in(
    caller: &Caller,
    login: &SsoLogin,
    identity: &VerifiedIdentity,
    old_session: Option<&str>,
) -> Result<SsoSignIn, AppError> {
    let store = caller.store.clone();
    let provider = store.sso_provider(&login.organisation).await?.ok_or(AppError::NotFound)?;
    if provider.mode == SsoMode::Off {
        return Ok(SsoSignIn::Refused(SsoRefusal::Off));
    }
    let rules = SsoRules {
        domains: provider.domains,
        create_members: provider.create_members,
        mapping: provider.group_roles,
        default_role: provider.default_role,
    };
    let membership = match identity.email.as_deref().and_then(|email| EmailAddress::parse(email).ok()) {
        Some(email) => store.account_membership(&email, &login.organisation).await?,
        None => None,
    };
    let outcome = match sso::decide(&rules, identity, membership) {
        Ok(outcome) => outcome,
        Err(refusal) => return Ok(SsoSignIn::Refused(refusal)),
    };
    let actor = store.sso_member(&login.organisation, &outcome, identity).await?;
    if let Some(old) = old_session {
        store.end_session(old).await?;
    }
    let token = store.create_session(&actor, SignInMethod::Sso).await?;
    Ok(SsoSignIn::Session { actor: Box::new(actor), token })
}

/// Whether a right password may sign `actor` in: not when their organisation enforces single
/// sign-on, unless they are its break-glass admin and have an authenticator app (their
/// password alone never will do).
pub async fn password_allowed(caller: &Caller, actor: &Actor) -> Result<(), AppError> {
    let Some(organisation) = actor.organisation.as_ref() else { return Ok(()) };
    let Some(route) = caller.store.sso_route_of_organisation(&organisation.id).await? else { return Ok(()) };
    let break_glass = route.break_glass.as_ref() == Some(&actor.id) && caller.store.has_second_factor(&actor.id).await?;
    if sso::password_allowed(Some(route.mode), break_glass) {
        Ok(())
    } else {
        Err(sso_required())
    }
}

/// Refuses a password before it is checked when the email's domain is covered by an
/// organisation that enforces single sign-on (its break-glass admin excepted): says nothing
/// about whether the account exists, and costs no password hashing.
pub async fn refuse_password_early(caller: &Caller, email: &EmailAddress) -> Result<(), AppError> {
    let Some(route) = caller.store.sso_route(email).await? else { return Ok(()) };
    if route.mode != SsoMode::Enforced {
        return Ok(());
    }
    let break_glass = match route.break_glass.as_ref() {
        Some(id) => caller.store.email_of(id).await?.is_some_and(|address| &address == email),
        None => false,
    };
    if break_glass {
        Ok(())
    } else {
        Err(sso_required())
    }
}

fn sso_required() -> AppError {
    AppError::Forbidden(
        "Your organisation signs you in with single sign-on. Use “Sign in with single sign-on” with your work email.".into(),
    )
}
