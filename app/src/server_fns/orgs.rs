//! Customer organisations: the buyer's dashboard, an organisation's page with its members,
//! and the staff list of every organisation.

use crate::error::AppError;
use leptos::prelude::*;
use lightpath_domain::account::{Actor, Id, Role};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: Id,
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationView {
    pub id: Id,
    pub name: String,
    pub members: Vec<MemberView>,
    /// Whether the viewer may add and remove members.
    pub can_manage: bool,
    /// Whether the viewer manages the organisation's API tokens (its own org admin).
    pub manages_tokens: bool,
    /// What the organisation may owe in a month before new orders wait for a credit review
    /// (None: no limit).
    pub credit_limit: Option<lightpath_domain::Money>,
    /// Whether the viewer may change the credit limit (Lightpath admins).
    pub can_set_credit: bool,
    /// Invitations waiting for a first sign-in (shown to those who manage members).
    pub invitations: Vec<InvitationView>,
}

/// An invitation as the organisation page lists it: the same whether or not the address
/// already had an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub id: Id,
    pub email: String,
    pub name: String,
    pub invited_by: String,
    pub created_at_ms: i64,
}

/// What adding a member answers, whatever the address: an existing account is never revealed.
pub const INVITED: &str =
    "Invited. If the address is new to Lightpath, they sign in with the first password you set and \
     then appear as a member. If it already has a Lightpath account, we told its owner instead and nothing changed.";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationRow {
    pub id: Id,
    pub name: String,
    pub members: i64,
}

/// The signed-in person, for the dashboard.
#[server(endpoint = "dashboard")]
pub async fn load_dashboard() -> Result<Actor, AppError> {
    crate::with_status(crate::auth::require(lightpath_domain::policy::Permission::SignedIn))
}

/// One organisation and its members. Another organisation's id answers 404 to a buyer,
/// exactly like an id that does not exist; a malformed id too.
#[server(endpoint = "organisation")]
pub async fn load_organisation(id: String) -> Result<OrganisationView, AppError> {
    crate::with_status(ssr::load_organisation(id).await)
}

/// One page (0-based) of the customer organisations, by name (carrier staff).
#[server(endpoint = "organisations")]
pub async fn list_organisations(
    page: Option<u32>,
) -> Result<lightpath_domain::records::Paged<OrganisationRow>, AppError> {
    crate::with_status(ssr::list_organisations(page).await)
}

/// Invites a buyer into an organisation with a first password the org admin passes on; the
/// buyer changes it on their account page. Answers [`INVITED`] whether or not the address
/// already has an account.
#[server(endpoint = "add-member")]
pub async fn add_member(
    organisation: String,
    email: String,
    name: String,
    password: String,
) -> Result<String, AppError> {
    crate::with_status(ssr::add_member(AddMember { organisation, email, name, password }).await)
}

/// A message for the signed-in person (someone tried to add them to an organisation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeView {
    pub id: Id,
    pub message: String,
    pub created_at_ms: i64,
}

/// The signed-in person's notices, newest first.
#[server(endpoint = "notices")]
pub async fn load_notices() -> Result<Vec<NoticeView>, AppError> {
    crate::with_status(ssr::load_notices().await)
}

#[server(endpoint = "dismiss-notice")]
pub async fn dismiss_notice(id: String) -> Result<(), AppError> {
    crate::with_status(ssr::dismiss_notice(id).await)
}

/// Withdraws an invitation that is still waiting (the unused account goes with it).
#[server(endpoint = "withdraw-invitation")]
pub async fn withdraw_invitation(organisation: String, invitation: String) -> Result<(), AppError> {
    crate::with_status(ssr::withdraw_invitation(organisation, invitation).await)
}

/// Sets an organisation's credit limit in dollars; empty lifts it (admins).
#[server(endpoint = "set-credit-limit")]
pub async fn set_credit_limit(organisation: String, limit: String) -> Result<(), AppError> {
    crate::with_status(ssr::set_credit_limit(organisation, limit).await)
}

#[server(endpoint = "remove-member")]
pub async fn remove_member(organisation: String, user: String) -> Result<(), AppError> {
    crate::with_status(ssr::remove_member(organisation, user).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::require;
    use lightpath_domain::account::{parse_name, EmailAddress, NewPassword};
    use lightpath_domain::policy::{allows, Permission};
    use lightpath_store::accounts::NewAccount;

    /// A malformed id cannot name anything: the same 404 as a missing record.
    fn parse_id(raw: &str) -> Result<Id, AppError> {
        Id::parse(raw).ok_or(AppError::NotFound)
    }

    pub async fn load_organisation(id: String) -> Result<OrganisationView, AppError> {
        // Policy first: a buyer learns nothing about ids, well-formed or not, of other orgs.
        let actor = crate::auth::actor();
        lightpath_domain::policy::check(actor.as_ref(), Permission::SignedIn)?;
        let id = parse_id(&id)?;
        let actor = require(Permission::SeeOrganisation(&id))?;
        let store = super::super::store()?;
        let (organisation, members) = store.organisation(&id).await?.ok_or(AppError::NotFound)?;
        let can_manage = allows(Some(&actor), Permission::ManageMembers(&id));
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
            invitations,
            credit_limit: store.credit_limit(&id).await?.flatten(),
            can_set_credit: allows(Some(&actor), Permission::ReviewCredit),
            id: organisation.id,
            name: organisation.name,
            members: members
                .into_iter()
                .map(|m| MemberView { id: m.id, email: m.email.to_string(), name: m.name, role: m.role })
                .collect(),
        })
    }

    pub async fn list_organisations(
        page: Option<u32>,
    ) -> Result<lightpath_domain::records::Paged<OrganisationRow>, AppError> {
        require(Permission::ListOrganisations)?;
        let page = lightpath_domain::records::PageRequest::new(page.unwrap_or(0));
        Ok(super::super::store()?.organisations(page).await?.map(|o| OrganisationRow {
            id: o.id,
            name: o.name,
            members: o.members,
        }))
    }

    /// Adds the member the form names (the server function's own arguments).
    pub async fn add_member(form: AddMember) -> Result<String, AppError> {
        let AddMember { organisation, email, name, password } = form;
        lightpath_domain::policy::check(crate::auth::actor().as_ref(), Permission::SignedIn)?;
        let organisation = parse_id(&organisation)?;
        let actor = require(Permission::ManageMembers(&organisation))?;
        // Adding a member hashes a password: limited like sign-in, per address and per admin.
        crate::auth::limiter()?.check_account(actor.id.as_str())?;
        let store = super::super::store()?;
        store.organisation(&organisation).await?.ok_or(AppError::NotFound)?;
        let email = EmailAddress::parse(&email)?;
        let name = parse_name("name", "their name", &name)?;
        let password = NewPassword::parse("password", &password, Some(&email))?;
        let account = NewAccount { email, name, role: Role::Buyer, organisation: Some(organisation), password };
        store.invite_member(&actor, account).await?;
        Ok(INVITED.to_owned())
    }

    pub async fn load_notices() -> Result<Vec<NoticeView>, AppError> {
        let actor = require(Permission::SignedIn)?;
        Ok(super::super::store()?
            .notices(&actor.id)
            .await?
            .into_iter()
            .map(|notice| NoticeView { id: notice.id, message: notice.message, created_at_ms: notice.created_at_ms })
            .collect())
    }

    pub async fn dismiss_notice(id: String) -> Result<(), AppError> {
        let actor = require(Permission::SignedIn)?;
        let id = parse_id(&id)?;
        Ok(super::super::store()?.dismiss_notice(&actor.id, &id).await?)
    }

    pub async fn withdraw_invitation(organisation: String, invitation: String) -> Result<(), AppError> {
        lightpath_domain::policy::check(crate::auth::actor().as_ref(), Permission::SignedIn)?;
        let organisation = parse_id(&organisation)?;
        let actor = require(Permission::ManageMembers(&organisation))?;
        let invitation = parse_id(&invitation)?;
        if super::super::store()?.withdraw_invitation(&actor, &organisation, &invitation).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    pub async fn set_credit_limit(organisation: String, limit: String) -> Result<(), AppError> {
        let actor = require(Permission::ReviewCredit)?;
        let organisation = parse_id(&organisation)?;
        let limit =
            lightpath_domain::credit::parse_limit(&limit).map_err(|message| AppError::field("limit", message))?;
        if super::super::store()?.set_credit_limit(&actor, &organisation, limit).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    pub async fn remove_member(organisation: String, user: String) -> Result<(), AppError> {
        lightpath_domain::policy::check(crate::auth::actor().as_ref(), Permission::SignedIn)?;
        let organisation = parse_id(&organisation)?;
        let actor = require(Permission::ManageMembers(&organisation))?;
        let user = parse_id(&user)?;
        super::super::store()?.remove_member(&actor, &organisation, &user).await?;
        Ok(())
    }
}
