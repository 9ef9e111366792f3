//! Customer organisations: the buyer's dashboard, an organisation's page with its members,
//! and the staff list of every organisation.

use crate::error::AppError;
use leptos::prelude::*;
pub use lightpath_app::model::orgs::*;
use lightpath_domain::account::Actor;

/// The signed-in person, for the dashboard.
#[server(endpoint = "dashboard", output = lightpath_app::error::JsonAnswer)]
pub async fn load_dashboard() -> Result<Actor, AppError> {
    super::run(|caller| async move { caller.require(lightpath_domain::policy::Permission::SignedIn) }).await
}

/// One organisation and its members. Another organisation's id answers 404 to a buyer,
/// exactly like an id that does not exist; a malformed id too.
#[server(endpoint = "organisation", output = lightpath_app::error::JsonAnswer)]
pub async fn load_organisation(id: String) -> Result<OrganisationView, AppError> {
    super::run(|caller| async move {
        let mut organisation = lightpath_app::orgs::load_organisation(&caller, id).await?;
        // The provider needs the absolute URL, on the portal's address as this browser uses it.
        if let Some(sso) = organisation.sso.as_mut() {
            let host = use_context::<http::request::Parts>()
                .and_then(|parts| parts.headers.get(http::header::HOST)?.to_str().ok().map(str::to_owned));
            if let Some(url) = host.and_then(|host| lightpath_domain::sso::callback_url(&host, &sso.redirect_url)) {
                sso.redirect_url = url;
            }
        }
        Ok(organisation)
    })
    .await
}

/// Registers or changes the organisation's identity provider (its own admin, with a fresh
/// second factor). An empty client secret keeps the stored one; a saved change switches
/// single sign-on off until a test sign-in succeeds again.
/// `new_members`: `none` (an admin adds members) or the customer role a person gets when their
/// first sign-in creates them and no group line matches.
#[server(endpoint = "save-sso-settings", output = lightpath_app::error::JsonAnswer)]
pub async fn save_sso_settings(
    organisation: String,
    issuer: String,
    client_id: String,
    #[server(default)] client_secret: String,
    domains: String,
    #[server(default)] group_roles: String,
    new_members: String,
) -> Result<(), AppError> {
    super::run(|caller| async move {
        let create_members = new_members.trim() != "none";
        let default_role = if create_members { new_members } else { "read-only".to_owned() };
        let form = SsoForm { issuer, client_id, client_secret, domains, create_members, group_roles, default_role };
        lightpath_app::sso::save_settings(&caller, organisation, form).await
    })
    .await
}

/// Switches single sign-on off, on or to enforced (with its break-glass admin).
#[server(endpoint = "set-sso-mode", output = lightpath_app::error::JsonAnswer)]
pub async fn set_sso_mode(
    organisation: String,
    mode: String,
    #[server(default)] break_glass: Option<String>,
) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::sso::set_mode(&caller, organisation, mode, break_glass).await })
        .await
}

/// One page (0-based) of the customer organisations, by name (carrier staff).
#[server(endpoint = "organisations", output = lightpath_app::error::JsonAnswer)]
pub async fn list_organisations(
    page: Option<u32>,
) -> Result<lightpath_domain::records::Paged<OrganisationRow>, AppError> {
    super::run(|caller| async move { lightpath_app::orgs::list_organisations(&caller, page).await }).await
}

/// Invites a buyer into an organisation with a first password the org admin passes on; the
/// buyer changes it on their account page. Answers [`INVITED`] whether or not the address
/// already has an account.
#[server(endpoint = "add-member", output = lightpath_app::error::JsonAnswer)]
pub async fn add_member(
    organisation: String,
    email: String,
    name: String,
    password: String,
    #[server(default)] role: String,
) -> Result<String, AppError> {
    super::run(|caller| async move {
        let form = MemberForm { organisation, email, name, password, role };
        let limiter = crate::auth::limiter()?;
        lightpath_app::orgs::add_member(&caller, form, |admin| limiter.check_account(admin.id.as_str())).await
    })
    .await
}

/// Planned maintenance touching the signed-in person's organisation's services that has yet
/// to end.
#[server(endpoint = "maintenance", output = lightpath_app::error::JsonAnswer)]
pub async fn load_maintenance() -> Result<Vec<lightpath_app::model::network::MaintenanceLine>, AppError> {
    super::run(|caller| async move { lightpath_app::maintenance::open_for_my_organisation(&caller).await }).await
}

/// The signed-in person's notices, newest first.
#[server(endpoint = "notices", output = lightpath_app::error::JsonAnswer)]
pub async fn load_notices() -> Result<Vec<NoticeView>, AppError> {
    super::run(|caller| async move { lightpath_app::orgs::load_notices(&caller).await }).await
}

#[server(endpoint = "dismiss-notice", output = lightpath_app::error::JsonAnswer)]
pub async fn dismiss_notice(id: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::orgs::dismiss_notice(&caller, id).await }).await
}

/// Withdraws an invitation that is still waiting (the unused account goes with it).
#[server(endpoint = "withdraw-invitation", output = lightpath_app::error::JsonAnswer)]
pub async fn withdraw_invitation(organisation: String, invitation: String) -> Result<(), AppError> {
    super::run(
        |caller| async move { lightpath_app::orgs::withdraw_invitation(&caller, organisation, invitation).await },
    )
    .await
}

/// Sets an organisation's credit limit in dollars; empty lifts it (admins).
#[server(endpoint = "set-credit-limit", output = lightpath_app::error::JsonAnswer)]
pub async fn set_credit_limit(organisation: String, limit: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::orgs::set_credit_limit(&caller, organisation, limit).await }).await
}

#[server(endpoint = "remove-member", output = lightpath_app::error::JsonAnswer)]
pub async fn remove_member(organisation: String, user: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::orgs::remove_member(&caller, organisation, user).await }).await
}

/// Gives a member another customer role (the organisation's admin).
#[server(endpoint = "set-member-role", output = lightpath_app::error::JsonAnswer)]
pub async fn set_member_role(organisation: String, user: String, role: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::orgs::set_member_role(&caller, organisation, user, role).await })
        .await
}

/// One page of an organisation's own audit log, optionally one kind of action or one person.
#[server(endpoint = "organisation-audit", output = lightpath_app::error::JsonAnswer)]
pub async fn load_organisation_audit(
    organisation: String,
    action: Option<String>,
    actor: Option<String>,
    #[server(default)] from: Option<String>,
    #[server(default)] to: Option<String>,
    page: Option<u32>,
) -> Result<lightpath_domain::records::Paged<lightpath_domain::records::AuditEntry>, AppError> {
    super::run(|caller| async move {
        let query = lightpath_app::orgs::AuditQuery { organisation, action, actor, from, to, page };
        lightpath_app::orgs::organisation_audit(&caller, query).await
    })
    .await
}

/// Removes a member's second factors, authenticator app and passkeys (the organisation's admin), audited.
#[server(endpoint = "remove-member-factor", output = lightpath_app::error::JsonAnswer)]
pub async fn remove_member_factor(organisation: String, user: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::orgs::remove_member_factor(&caller, organisation, user).await })
        .await
}

/// Sets whom the organisation requires to sign in with a second factor (its admin).
#[server(endpoint = "set-two-step-policy", output = lightpath_app::error::JsonAnswer)]
pub async fn set_two_step_policy(organisation: String, policy: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::orgs::set_two_step_policy(&caller, organisation, policy).await })
        .await
}

/// Sets the amount over which the organisation's orders wait for a second member (its admin).
#[server(endpoint = "set-approval-amount", output = lightpath_app::error::JsonAnswer)]
pub async fn set_approval_amount(organisation: String, amount: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::orgs::set_approval_amount(&caller, organisation, amount).await })
        .await
}
