//! Who may do what: the one place the portal's access rules are written down. Pages, server
//! functions and REST handlers ask [`check`] and turn its [`Denial`] into 401, 403 or 404.
//!
//! Data of another customer organisation is answered exactly like data that does not exist
//! (404), so a buyer cannot even learn which organisation ids are real.

use crate::account::{Actor, Id, Role, TokenAccess};

/// Something a person asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission<'a> {
    /// Any page that only needs a signed-in person (dashboard, account, change password).
    SignedIn,
    /// See a customer organisation: its members and, later, its quotes, orders and services.
    SeeOrganisation(&'a Id),
    /// Invite and remove the buyers of an organisation.
    ManageMembers(&'a Id),
    /// Browse every customer organisation (carrier staff).
    ListOrganisations,
    /// Edit products and price books.
    ManageCatalog,
    /// Change the role of any account.
    ManageUsers,
    /// Read the audit log.
    ReadAuditLog,
    /// See span utilisation and set the simulated network's fault injection.
    ManageNetwork,
    /// Create, change, duplicate and delete an organisation's designs (its own members only:
    /// carrier staff read designs and quote from them).
    EditDesigns(&'a Id),
    /// Build, revise, send and cancel quotes for customer organisations (carrier staff).
    BuildQuotes,
    /// Approve or reject a discount above the sales engineer's limit (admins).
    ApproveDiscounts,
    /// Set organisations' credit limits and decide on orders held for a credit review (admins).
    ReviewCredit,
}

/// Why a request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// Nobody is signed in: 401, and the page offers to sign in.
    SignInRequired,
    /// Signed in, but the role may not do this: 403 with the reason.
    Forbidden(&'static str),
    /// Another organisation's data, answered as if it did not exist: 404.
    NotFound,
}

impl Denial {
    pub fn status(self) -> u16 {
        match self {
            Denial::SignInRequired => 401,
            Denial::Forbidden(_) => 403,
            Denial::NotFound => 404,
        }
    }
}

const STAFF_ONLY: &str = "Only Lightpath staff can open this page.";
const ADMINS_ONLY: &str = "Only Lightpath administrators can do this. Ask an admin if you need access.";
const CUSTOMERS_ONLY: &str = "Designs are made by the customer's own team; staff can open them and quote from them.";
const SALES_ONLY: &str = "Quotes are prepared by Lightpath's sales engineers: request one from your design.";
const ORG_ADMINS_ONLY: &str = "Only your organisation's admin can invite or remove members.";
const READ_ONLY_TOKEN: &str =
    "This API token is read-only. Ask your organisation's admin for a token with design-and-order access.";

/// Whether `permission` only reads (a read-only API token may use it).
fn only_reads(permission: &Permission<'_>) -> bool {
    matches!(
        permission,
        Permission::SignedIn
            | Permission::SeeOrganisation(_)
            | Permission::ListOrganisations
            | Permission::ReadAuditLog
    )
}

/// Decides whether `actor` (None when nobody is signed in) may do `permission`.
pub fn check(actor: Option<&Actor>, permission: Permission<'_>) -> Result<(), Denial> {
    let actor = actor.ok_or(Denial::SignInRequired)?;
    let read_only = actor.token.as_ref().is_some_and(|token| token.access == TokenAccess::ReadOnly);
    if read_only && !only_reads(&permission) {
        // Another organisation's record stays "not found", whatever the token may do.
        if let Permission::EditDesigns(organisation) | Permission::ManageMembers(organisation) = permission {
            if !actor.role.is_staff() && !actor.belongs_to(organisation) {
                return Err(Denial::NotFound);
            }
        }
        return Err(Denial::Forbidden(READ_ONLY_TOKEN));
    }
    let role = actor.role;
    match permission {
        Permission::SignedIn => Ok(()),
        Permission::SeeOrganisation(organisation) => {
            if role.is_staff() || actor.belongs_to(organisation) {
                Ok(())
            } else {
                Err(Denial::NotFound)
            }
        }
        Permission::ManageMembers(organisation) => match role {
            Role::Admin => Ok(()),
            Role::OrgAdmin if actor.belongs_to(organisation) => Ok(()),
            Role::Buyer if actor.belongs_to(organisation) => Err(Denial::Forbidden(ORG_ADMINS_ONLY)),
            Role::SalesEngineer => Err(Denial::Forbidden(ADMINS_ONLY)),
            Role::Buyer | Role::OrgAdmin => Err(Denial::NotFound),
        },
        Permission::ListOrganisations => {
            if role.is_staff() {
                Ok(())
            } else {
                Err(Denial::Forbidden(STAFF_ONLY))
            }
        }
        Permission::EditDesigns(organisation) => {
            if actor.belongs_to(organisation) {
                Ok(())
            } else if role.is_staff() {
                Err(Denial::Forbidden(CUSTOMERS_ONLY))
            } else {
                Err(Denial::NotFound)
            }
        }
        Permission::BuildQuotes => {
            if role.is_staff() {
                Ok(())
            } else {
                Err(Denial::Forbidden(SALES_ONLY))
            }
        }
        Permission::ManageCatalog
        | Permission::ManageUsers
        | Permission::ReadAuditLog
        | Permission::ManageNetwork
        | Permission::ApproveDiscounts
        | Permission::ReviewCredit => {
            if role == Role::Admin {
                Ok(())
            } else {
                Err(Denial::Forbidden(ADMINS_ONLY))
            }
        }
    }
}

/// Whose records (designs, orders) a list shows `actor`: every organisation's for carrier
/// staff (`Some(None)`), their own organisation's for a customer (`Some(Some(id))`).
pub fn listing_scope(actor: &Actor) -> Option<Option<&Id>> {
    if actor.role.is_staff() {
        Some(None)
    } else {
        actor.organisation.as_ref().map(|organisation| Some(&organisation.id))
    }
}

/// Shorthand for navigation: may `actor` use what `permission` guards?
pub fn allows(actor: Option<&Actor>, permission: Permission<'_>) -> bool {
    check(actor, permission).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{EmailAddress, OrganisationRef};

    const OWN: &str = "00000000-0000-4000-8000-00000000000a";
    const OTHER: &str = "00000000-0000-4000-8000-00000000000b";

    fn actor(role: Role) -> Actor {
        let organisation =
            (!role.is_staff()).then(|| OrganisationRef { id: Id::parse(OWN).unwrap(), name: "Acme".into() });
        Actor {
            id: Id::parse("00000000-0000-4000-8000-000000000001").unwrap(),
            email: EmailAddress::parse("someone@example.com").unwrap(),
            name: "Someone".into(),
            role,
            organisation,
            token: None,
        }
    }

    /// Every permission × every role (and nobody), with the expected HTTP status; 200 = allowed.
    #[test]
    fn the_access_table() {
        let own = Id::parse(OWN).unwrap();
        let other = Id::parse(OTHER).unwrap();
        let permissions: [(&str, Permission<'_>); 15] = [
            ("signed in", Permission::SignedIn),
            ("see own org", Permission::SeeOrganisation(&own)),
            ("see other org", Permission::SeeOrganisation(&other)),
            ("manage own members", Permission::ManageMembers(&own)),
            ("manage other members", Permission::ManageMembers(&other)),
            ("list orgs", Permission::ListOrganisations),
            ("catalog", Permission::ManageCatalog),
            ("users", Permission::ManageUsers),
            ("audit", Permission::ReadAuditLog),
            ("network", Permission::ManageNetwork),
            ("edit own designs", Permission::EditDesigns(&own)),
            ("edit other designs", Permission::EditDesigns(&other)),
            ("build quotes", Permission::BuildQuotes),
            ("approve discounts", Permission::ApproveDiscounts),
            ("review credit", Permission::ReviewCredit),
        ];
        // Columns: nobody, buyer, org admin, sales engineer, admin.
        let expected: [[u16; 5]; 15] = [
            [401, 200, 200, 200, 200],
            [401, 200, 200, 200, 200],
            [401, 404, 404, 200, 200],
            [401, 403, 200, 403, 200],
            [401, 404, 404, 403, 200],
            [401, 403, 403, 200, 200],
            [401, 403, 403, 403, 200],
            [401, 403, 403, 403, 200],
            [401, 403, 403, 403, 200],
            [401, 403, 403, 403, 200],
            [401, 200, 200, 403, 403],
            [401, 404, 404, 403, 403],
            [401, 403, 403, 200, 200],
            [401, 403, 403, 403, 200],
            [401, 403, 403, 403, 200],
        ];
        let actors = [
            None,
            Some(actor(Role::Buyer)),
            Some(actor(Role::OrgAdmin)),
            Some(actor(Role::SalesEngineer)),
            Some(actor(Role::Admin)),
        ];
        for ((name, permission), row) in permissions.iter().zip(expected) {
            for (who, want) in actors.iter().zip(row) {
                let got = check(who.as_ref(), *permission).map_or_else(Denial::status, |()| 200);
                assert_eq!(got, want, "{name} as {:?}", who.as_ref().map(|a| a.role));
            }
        }
    }

    #[test]
    fn a_read_only_token_reads_and_never_writes() {
        let own = Id::parse(OWN).unwrap();
        let other = Id::parse(OTHER).unwrap();
        let mut buyer = actor(Role::Buyer);
        buyer.token = Some(crate::account::TokenRef {
            id: Id::parse("00000000-0000-4000-8000-0000000000aa").unwrap(),
            name: "dashboards".into(),
            prefix: "lpt_00000000".into(),
            access: TokenAccess::ReadOnly,
        });
        assert_eq!(check(Some(&buyer), Permission::SeeOrganisation(&own)), Ok(()));
        assert_eq!(check(Some(&buyer), Permission::EditDesigns(&own)), Err(Denial::Forbidden(READ_ONLY_TOKEN)));
        assert_eq!(check(Some(&buyer), Permission::EditDesigns(&other)), Err(Denial::NotFound));
        assert_eq!(check(Some(&buyer), Permission::SeeOrganisation(&other)), Err(Denial::NotFound));
        let mut admin = actor(Role::Admin);
        admin.token = buyer.token.clone();
        assert_eq!(check(Some(&admin), Permission::ReadAuditLog), Ok(()));
        assert_eq!(check(Some(&admin), Permission::ManageCatalog), Err(Denial::Forbidden(READ_ONLY_TOKEN)));
        buyer.token.as_mut().unwrap().access = TokenAccess::Full;
        assert_eq!(check(Some(&buyer), Permission::EditDesigns(&own)), Ok(()));
    }
}
