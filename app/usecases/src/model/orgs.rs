//! Customer organisations: the buyer's dashboard, an organisation's page with its members,
//! and the staff list of every organisation.

use lightpath_domain::account::{Id, Role};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: Id,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Whether they sign in with an authenticator app (shown to those who manage members).
    pub two_step: Option<bool>,
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
    /// Whether the viewer reads the organisation's audit log.
    pub reads_audit: bool,
    /// Sensitive changes here need a fresh code from the viewer's authenticator app first
    /// ("Confirm it's you").
    pub confirm_needed: bool,
    /// Who is looking (nobody changes their own role).
    pub viewer: Id,
    /// Whom the organisation requires to sign in with a second factor (shown to those who
    /// manage members).
    pub two_step_policy: Option<lightpath_domain::account::TwoStepPolicy>,
    /// What the organisation may owe in a month before new orders wait for a credit review
    /// (None: no limit).
    pub credit_limit: Option<lightpath_domain::Money>,
    /// The first month over which the organisation's orders wait for a second member's
    /// approval (None: no order waits); its admins change it.
    pub approval_amount: Option<lightpath_domain::Money>,
    /// Whether the viewer may change the credit limit (Lightpath admins).
    pub can_set_credit: bool,
    /// Invitations waiting for a first sign-in (shown to those who manage members).
    pub invitations: Vec<InvitationView>,
    /// The organisation's single sign-on, for its own admins (None for everyone else).
    pub sso: Option<SsoView>,
}

/// An organisation's single sign-on as its admin edits it. The client secret is never sent
/// back: only whether one is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SsoView {
    /// Whether a provider is registered at all (the rest is empty until then).
    pub registered: bool,
    pub issuer: String,
    pub client_id: String,
    pub domains: String,
    pub create_members: bool,
    pub group_roles: String,
    pub default_role: Role,
    pub mode: lightpath_domain::sso::SsoMode,
    pub break_glass: Option<Id>,
    /// The last successful test sign-in with the settings as saved: when, and what the
    /// provider sent.
    pub tested: Option<(i64, lightpath_domain::sso::VerifiedIdentity)>,
    /// Where the provider must send people back (registered at the provider): the path, made
    /// absolute on the portal's address by the adapter that knows it.
    pub redirect_url: String,
}

/// What an organisation's admin submits to register or change the provider. An empty client
/// secret keeps the stored one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoForm {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub domains: String,
    pub create_members: bool,
    pub group_roles: String,
    pub default_role: String,
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

/// A message for the signed-in person (someone tried to add them to an organisation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeView {
    pub id: Id,
    pub message: String,
    pub created_at_ms: i64,
}

/// A member as an organisation's admin adds them: the first password is theirs to pass on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberForm {
    pub organisation: String,
    pub email: String,
    pub name: String,
    pub password: String,
    /// A customer role's slug; empty means technical (`buyer`).
    pub role: String,
}
