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
