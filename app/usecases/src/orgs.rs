//! Customer organisations: an organisation's page with its members and invitations, the staff
//! list of every organisation, notices, and credit limits.

use crate::model::orgs::*;
use crate::{AppError, Caller};
use lightpath_domain::account::{parse_name, EmailAddress, NewPassword};
use lightpath_domain::account::{Actor, Id, Role};
use lightpath_domain::policy::{allows, Permission};
use lightpath_domain::records::{AuditEntry, Paged};
use lightpath_store::accounts::NewAccount;
use lightpath_store::audit::AuditFilter;

/// A malformed id cannot name anything: the same 404 as a missing record.
fn parse_id(raw: &str) -> Result<Id, AppError> {
    Id::parse(raw).ok_or(AppError::NotFound)
}

pub async fn load_organisation(caller: &Caller, id: String) -> Result<OrganisationView, AppError> {
    // Policy first: a buyer learns nothing about ids, well-formed or not, of other orgs.
    let actor = caller.actor().cloned();
    lightpath_domain::policy::check(actor.as_ref(), Permission::SignedIn)?;
    let id = parse_id(&id)?;
    let actor = caller.require(Permission::SeeOrganisation(&id))?;
    let store = caller.store.clone();
    let (organisation, members) = store.organisation(&id).await?.ok_or(AppError::NotFound)?;
    let can_manage = allows(Some(&actor), Permission::ManageMembers(&id));
    let two_step = if can_manage { Some(store.members_with_second_factor(&id).await?) } else { None };
    let invitations = if can_manage {
        store
            .pending_invitations(&id)
            .await?
            .into_iter()
            .map(|invitation| InvitationView {
                id: invitation.id,
                email: invitation.email,
                name: invitation.name,
                invited_by: invitation.invited_by,
                created_at_ms: invitation.created_at_ms,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(OrganisationView {
        can_manage,
        manages_tokens: can_manage && actor.belongs_to(&id),
        reads_audit: allows(Some(&actor), Permission::ReadOrganisationAudit(&id)),
        viewer: actor.id.clone(),
        confirm_needed: can_manage && actor.factor_stale,
        two_step_policy: if can_manage { store.two_step_policy(&id).await? } else { None },
        invitations,
        sso: crate::sso::view(caller, &id).await?,
        credit_limit: store.credit_limit(&id).await?.flatten(),
        approval_amount: store.approval_threshold(&id).await?,
        can_set_credit: allows(Some(&actor), Permission::ReviewCredit),
        id: organisation.id,
        name: organisation.name,
        members: members
            .into_iter()
            .map(|m| MemberView {
                two_step: two_step.as_ref().map(|ids| ids.contains(&m.id)),
                id: m.id,
                email: m.email.to_string(),
                name: m.name,
                role: m.role,
            })
            .collect(),
    })
}

pub async fn list_organisations(
    caller: &Caller,
    page: Option<u32>,
) -> Result<lightpath_domain::records::Paged<OrganisationRow>, AppError> {
    caller.require(Permission::ListOrganisations)?;
    let page = lightpath_domain::records::PageRequest::new(page.unwrap_or(0));
    Ok(caller.store.organisations(page).await?.map(|o| OrganisationRow { id: o.id, name: o.name, members: o.members }))
}

/// Adds the member the form names. `password_work` counts one password hashing by the admin
/// (the adapter's rate limit, per client address and per admin) once they may add members.
pub async fn add_member(
    caller: &Caller,
    form: MemberForm,
    password_work: impl FnOnce(&Actor) -> Result<(), AppError>,
) -> Result<String, AppError> {
    let MemberForm { organisation, email, name, password, role } = form;
    lightpath_domain::policy::check(caller.actor().cloned().as_ref(), Permission::SignedIn)?;
    let organisation = parse_id(&organisation)?;
    let actor = caller.require(Permission::ManageMembers(&organisation))?;
    // Adding a member hashes a password: limited like sign-in, per address and per admin.
    password_work(&actor)?;
    let store = caller.store.clone();
    store.organisation(&organisation).await?.ok_or(AppError::NotFound)?;
    let email = EmailAddress::parse(&email)?;
    let name = parse_name("name", "their name", &name)?;
    let password = NewPassword::parse("password", &password, Some(&email))?;
    let role = customer_role(&role)?;
    let account = NewAccount { email, name, role, organisation: Some(organisation), password };
    store.invite_member(&actor, account).await?;
    Ok(INVITED.to_owned())
}

pub async fn load_notices(caller: &Caller) -> Result<Vec<NoticeView>, AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    Ok(caller
        .store
        .clone()
        .notices(&actor.id)
        .await?
        .into_iter()
        .map(|notice| NoticeView { id: notice.id, message: notice.message, created_at_ms: notice.created_at_ms })
        .collect())
}

pub async fn dismiss_notice(caller: &Caller, id: String) -> Result<(), AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    let id = parse_id(&id)?;
    Ok(caller.store.dismiss_notice(&actor.id, &id).await?)
}

pub async fn withdraw_invitation(caller: &Caller, organisation: String, invitation: String) -> Result<(), AppError> {
    lightpath_domain::policy::check(caller.actor().cloned().as_ref(), Permission::SignedIn)?;
    let organisation = parse_id(&organisation)?;
    let actor = caller.require(Permission::ManageMembers(&organisation))?;
    let invitation = parse_id(&invitation)?;
    if caller.store.withdraw_invitation(&actor, &organisation, &invitation).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn set_credit_limit(caller: &Caller, organisation: String, limit: String) -> Result<(), AppError> {
    let actor = caller.require(Permission::ReviewCredit)?;
    let organisation = parse_id(&organisation)?;
    let limit = lightpath_domain::credit::parse_limit(&limit).map_err(|message| AppError::field("limit", message))?;
    if caller.store.set_credit_limit(&actor, &organisation, limit).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn remove_member(caller: &Caller, organisation: String, user: String) -> Result<(), AppError> {
    lightpath_domain::policy::check(caller.actor().cloned().as_ref(), Permission::SignedIn)?;
    let organisation = parse_id(&organisation)?;
    let actor = caller.require(Permission::ManageMembers(&organisation))?;
    let user = parse_id(&user)?;
    caller.store.remove_member(&actor, &organisation, &user).await?;
    Ok(())
}

/// A role an organisation's admin may give: one of the customer roles (empty: technical).
fn customer_role(slug: &str) -> Result<Role, AppError> {
    let slug = slug.trim();
    if slug.is_empty() {
        return Ok(Role::Buyer);
    }
    Role::parse(slug).filter(|role| !role.is_staff()).ok_or_else(|| {
        AppError::field("role", "Choose Technical, Organisation admin, Finance or Read only.")
    })
}

/// Gives a member of `organisation` another customer role (its org admin, or a Lightpath
/// admin). Nobody changes their own role, and the last org admin stays one.
pub async fn set_member_role(caller: &Caller, organisation: String, user: String, role: String) -> Result<(), AppError> {
    lightpath_domain::policy::check(caller.actor().cloned().as_ref(), Permission::SignedIn)?;
    let organisation = parse_id(&organisation)?;
    let actor = caller.require_sensitive(Permission::ManageMembers(&organisation))?;
    let user = parse_id(&user)?;
    if role.trim().is_empty() {
        return Err(AppError::field("role", "Choose a role."));
    }
    let role = customer_role(&role)?;
    Ok(caller.store.set_role(&actor, &user, role, Some(&organisation)).await?)
}

/// The filter of an organisation's audit log, as typed (empty values are no filter).
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub organisation: String,
    pub action: Option<String>,
    pub actor: Option<String>,
    /// The first day (`YYYY-MM-DD`, UTC) whose entries to list.
    pub from: Option<String>,
    /// The last day whose entries to list (inclusive).
    pub to: Option<String>,
    pub page: Option<u32>,
}

fn organisation_filter(caller: &Caller, query: AuditQuery) -> Result<AuditFilter, AppError> {
    lightpath_domain::policy::check(caller.actor().cloned().as_ref(), Permission::SignedIn)?;
    let organisation = parse_id(&query.organisation)?;
    caller.require(Permission::ReadOrganisationAudit(&organisation))?;
    let clean = |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let action = clean(query.action);
    if let Some(action) = &action {
        if action.len() > 64 || !action.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c == '.') {
            return Err(AppError::field("action", "An action is lower-case words joined by - and . (e.g. order)."));
        }
    }
    let actor = clean(query.actor);
    if actor.as_ref().is_some_and(|actor| actor.len() > 254 || actor.chars().any(char::is_control)) {
        return Err(AppError::field("actor", "Enter a person's email address."));
    }
    let day = |field: &'static str, raw: Option<String>| -> Result<Option<i64>, AppError> {
        match clean(raw) {
            None => Ok(None),
            Some(raw) => lightpath_domain::time::parse_date_ms(&raw)
                .map(Some)
                .ok_or_else(|| AppError::field(field, "Enter a date like 2026-12-01.")),
        }
    };
    let from_ms = day("from", query.from)?;
    // The last day counts whole: entries before the next midnight.
    let until_ms = day("to", query.to)?.map(|ms| ms + 86_400_000);
    if let (Some(from), Some(until)) = (from_ms, until_ms) {
        if until <= from {
            return Err(AppError::field("to", "The last day comes before the first. Swap them."));
        }
    }
    Ok(AuditFilter {
        action,
        actor,
        from_ms,
        until_ms,
        organisation: Some(organisation),
        page: lightpath_domain::records::PageRequest::new(query.page.unwrap_or(0)),
    })
}

/// One page of an organisation's own audit log, newest first (its org admins; Lightpath
/// admins and support).
pub async fn organisation_audit(caller: &Caller, query: AuditQuery) -> Result<Paged<AuditEntry>, AppError> {
    let filter = organisation_filter(caller, query)?;
    Ok(caller.store.audit_log(&filter).await?)
}

/// The newest entries of an organisation's audit log matching the filter, as CSV text
/// (RFC 4180; a cell that a spreadsheet would run as a formula is prefixed with `'`).
pub async fn organisation_audit_csv(caller: &Caller, query: AuditQuery) -> Result<String, AppError> {
    let filter = organisation_filter(caller, query)?;
    let entries = caller.store.audit_export(&filter).await?;
    Ok(lightpath_domain::records::audit_csv(&entries))
}

/// Removes a member's authenticator app (they lost their phone and their recovery codes): the
/// organisation's admin, or a Lightpath admin. Audited; the member sets up a new one.
pub async fn remove_member_factor(caller: &Caller, organisation: String, user: String) -> Result<(), AppError> {
    lightpath_domain::policy::check(caller.actor().cloned().as_ref(), Permission::SignedIn)?;
    let organisation = parse_id(&organisation)?;
    let actor = caller.require_sensitive(Permission::ManageMembers(&organisation))?;
    let user = parse_id(&user)?;
    Ok(caller.store.remove_member_totp(&actor, &user, Some(&organisation)).await?)
}

/// Sets whom the organisation requires to sign in with a second factor (its admin). An admin
/// the new policy covers sets up their own authenticator first, so it never locks them out.
pub async fn set_two_step_policy(caller: &Caller, organisation: String, policy: String) -> Result<(), AppError> {
    lightpath_domain::policy::check(caller.actor().cloned().as_ref(), Permission::SignedIn)?;
    let organisation = parse_id(&organisation)?;
    let actor = caller.require_sensitive(Permission::ManageMembers(&organisation))?;
    let policy = lightpath_domain::account::TwoStepPolicy::parse(policy.trim())
        .ok_or_else(|| AppError::Invalid("Choose one of the listed policies.".into()))?;
    if actor.belongs_to(&organisation)
        && policy.covers(actor.role)
        && !caller.store.has_second_factor(&actor.id).await?
    {
        return Err(AppError::Invalid(
            "Set up your own authenticator app first (on your account page), so this policy does not lock you out.".into(),
        ));
    }
    Ok(caller.store.set_two_step_policy(&actor, &organisation, policy).await?)
}

/// Sets the amount over which the organisation's orders wait for a second member's approval
/// (its admin); empty: no order waits.
pub async fn set_approval_amount(caller: &Caller, organisation: String, amount: String) -> Result<(), AppError> {
    lightpath_domain::policy::check(caller.actor().cloned().as_ref(), Permission::SignedIn)?;
    let organisation = parse_id(&organisation)?;
    let actor = caller.require_sensitive(Permission::ManageMembers(&organisation))?;
    let amount = lightpath_domain::approval::parse_threshold(&amount).map_err(|message| AppError::field("amount", message))?;
    Ok(caller.store.set_approval_threshold(&actor, &organisation, amount).await?)
}
