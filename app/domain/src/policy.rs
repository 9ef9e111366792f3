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
    /// Create, change, duplicate and delete an organisation's designs, order them and change
    /// its services (its technical members and org admins only: carrier staff read designs and
    /// quote from them; finance and read-only members read).
    EditDesigns(&'a Id),
    /// Build, revise, send and cancel quotes for customer organisations (carrier staff).
    BuildQuotes,
    /// Approve or reject a discount above the sales engineer's limit (admins).
    ApproveDiscounts,
    /// Read one organisation's own audit log (its org admins; Lightpath admins and support).
    ReadOrganisationAudit(&'a Id),
    /// Approve or reject an order of the organisation waiting for a second member (its
    /// technical, finance and org admin members; never the one who placed it, which the
    /// approval module checks).
    ApproveOrders(&'a Id),
    /// Set organisations' credit limits and decide on orders held for a credit review (admins).
    ReviewCredit,
    /// Register the organisation's identity provider and switch single sign-on on or off (its
    /// own org admins only: who signs its people in is the customer's decision).
    ManageSignIn(&'a Id),
    /// Read one organisation's invoices (its finance members and org admins; Lightpath's
    /// admins and support).
    ReadInvoices(&'a Id),
    /// Read every organisation's invoices (Lightpath's admins and support).
    ReadAllInvoices,
    /// Run billing before the monthly run (Lightpath's admins).
    RunBilling,
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
const CUSTOMER_READERS_ONLY: &str = "Only Lightpath's admins, sales engineers and support read customers' records.";
const ADMINS_ONLY: &str = "Only Lightpath administrators can do this. Ask an admin if you need access.";
const NETWORK_ONLY: &str = "Only Lightpath's network operations and administrators can do this.";
const AUDIT_READERS_ONLY: &str = "Only Lightpath's administrators and support read the audit log.";
const CUSTOMERS_ONLY: &str = "Designs are made by the customer's own team; staff can open them and quote from them.";
const ORDERING_MEMBERS_ONLY: &str =
    "Your role reads but does not design, order or change services. Ask your organisation's admin for the Technical role.";
const CUSTOMERS_APPROVE: &str =
    "Orders waiting for a second member's approval are approved by the customer's own members.";
const APPROVERS_ONLY: &str =
    "Your role reads but does not approve orders. Ask your organisation's admin for the Technical or Finance role.";
const SALES_ONLY: &str = "Quotes are prepared by Lightpath's sales engineers: request one from your design.";
const ORG_ADMINS_ONLY: &str = "Only your organisation's admin can invite or remove members.";
const INVOICE_READERS_ONLY: &str =
    "Invoices are read by your organisation's finance members and its admin. Ask your admin for the Finance role.";
const INVOICE_STAFF_ONLY: &str = "Only Lightpath's administrators and support read customers' invoices.";
const ORG_SIGN_IN_ONLY: &str = "Single sign-on is set up by the organisation's own admin.";
const ORG_AUDIT_ONLY: &str = "Only your organisation's admin reads its audit log.";
const TWO_STEP_REQUIRED: &str =
    "Your organisation requires two-step sign-in. Set up an authenticator app on your account page, then go on.";
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
            | Permission::ReadOrganisationAudit(_)
            | Permission::ReadInvoices(_)
            | Permission::ReadAllInvoices
    )
}

/// Decides whether `actor` (None when nobody is signed in) may do `permission`.
pub fn check(actor: Option<&Actor>, permission: Permission<'_>) -> Result<(), Denial> {
    let actor = actor.ok_or(Denial::SignInRequired)?;
    // A session without its required second factor opens only the person's own pages.
    if actor.two_step_missing && actor.token.is_none() && permission != Permission::SignedIn {
        return Err(Denial::Forbidden(TWO_STEP_REQUIRED));
    }
    let read_only = actor.token.as_ref().is_some_and(|token| token.access == TokenAccess::ReadOnly);
    if read_only && !only_reads(&permission) {
        // Another organisation's record stays "not found", whatever the token may do.
        if let Permission::EditDesigns(organisation)
        | Permission::ManageMembers(organisation)
        | Permission::ApproveOrders(organisation)
        | Permission::ManageSignIn(organisation) = permission
        {
            if !actor.role.is_staff() && !actor.belongs_to(organisation) {
                return Err(Denial::NotFound);
            }
        }
        return Err(Denial::Forbidden(READ_ONLY_TOKEN));
    }
    let role = actor.role;
    // A customer's request about another organisation: answered as if it did not exist.
    let foreign = |organisation: &Id| !role.is_staff() && !actor.belongs_to(organisation);
    match permission {
        Permission::SignedIn => Ok(()),
        Permission::SeeOrganisation(organisation) => {
            if role.reads_customers() || actor.belongs_to(organisation) {
                Ok(())
            } else if role.is_staff() {
                Err(Denial::Forbidden(CUSTOMER_READERS_ONLY))
            } else {
                Err(Denial::NotFound)
            }
        }
        Permission::ManageMembers(organisation) => match role {
            Role::Admin => Ok(()),
            _ if foreign(organisation) => Err(Denial::NotFound),
            Role::OrgAdmin => Ok(()),
            _ if role.is_staff() => Err(Denial::Forbidden(ADMINS_ONLY)),
            _ => Err(Denial::Forbidden(ORG_ADMINS_ONLY)),
        },
        Permission::ManageSignIn(organisation) => match role {
            _ if foreign(organisation) => Err(Denial::NotFound),
            Role::OrgAdmin => Ok(()),
            _ => Err(Denial::Forbidden(ORG_SIGN_IN_ONLY)),
        },
        Permission::ReadOrganisationAudit(organisation) => match role {
            Role::Admin | Role::Support => Ok(()),
            _ if foreign(organisation) => Err(Denial::NotFound),
            Role::OrgAdmin => Ok(()),
            _ if role.is_staff() => Err(Denial::Forbidden(AUDIT_READERS_ONLY)),
            _ => Err(Denial::Forbidden(ORG_AUDIT_ONLY)),
        },
        Permission::ReadInvoices(organisation) => match role {
            Role::Admin | Role::Support => Ok(()),
            _ if foreign(organisation) => Err(Denial::NotFound),
            Role::OrgAdmin | Role::Finance => Ok(()),
            _ if role.is_staff() => Err(Denial::Forbidden(INVOICE_STAFF_ONLY)),
            _ => Err(Denial::Forbidden(INVOICE_READERS_ONLY)),
        },
        Permission::ReadAllInvoices => {
            if matches!(role, Role::Admin | Role::Support) {
                Ok(())
            } else {
                Err(Denial::Forbidden(INVOICE_STAFF_ONLY))
            }
        }
        Permission::ListOrganisations => {
            if role.reads_customers() {
                Ok(())
            } else if role.is_staff() {
                Err(Denial::Forbidden(CUSTOMER_READERS_ONLY))
            } else {
                Err(Denial::Forbidden(STAFF_ONLY))
            }
        }
        Permission::EditDesigns(organisation) => {
            if foreign(organisation) {
                Err(Denial::NotFound)
            } else if role.is_staff() {
                Err(Denial::Forbidden(CUSTOMERS_ONLY))
            } else if role.orders() {
                Ok(())
            } else {
                Err(Denial::Forbidden(ORDERING_MEMBERS_ONLY))
            }
        }
        Permission::ApproveOrders(organisation) => {
            if foreign(organisation) {
                Err(Denial::NotFound)
            } else if role.is_staff() {
                Err(Denial::Forbidden(CUSTOMERS_APPROVE))
            } else if role.approves_orders() {
                Ok(())
            } else {
                Err(Denial::Forbidden(APPROVERS_ONLY))
            }
        }
        Permission::BuildQuotes => {
            if matches!(role, Role::Admin | Role::SalesEngineer) {
                Ok(())
            } else {
                Err(Denial::Forbidden(SALES_ONLY))
            }
        }
        Permission::ReadAuditLog => {
            if matches!(role, Role::Admin | Role::Support) {
                Ok(())
            } else {
                Err(Denial::Forbidden(AUDIT_READERS_ONLY))
            }
        }
        Permission::ManageNetwork => {
            if matches!(role, Role::Admin | Role::NetworkOperations) {
                Ok(())
            } else {
                Err(Denial::Forbidden(NETWORK_ONLY))
            }
        }
        Permission::ManageCatalog
        | Permission::ManageUsers
        | Permission::ApproveDiscounts
        | Permission::ReviewCredit
        | Permission::RunBilling => {
            if role == Role::Admin {
                Ok(())
            } else {
                Err(Denial::Forbidden(ADMINS_ONLY))
            }
        }
    }
}

/// Whose records (designs, orders) a list shows `actor`: every organisation's for carrier
/// staff who read customers (`Some(None)`), their own organisation's for a customer
/// (`Some(Some(id))`), nobody's for network operations (`None`).
pub fn listing_scope(actor: &Actor) -> Option<Option<&Id>> {
    if actor.role.reads_customers() {
        Some(None)
    } else if actor.role.is_staff() {
        None
    } else {
        actor.organisation.as_ref().map(|organisation| Some(&organisation.id))
    }
}

const CONFIRM_FIRST: &str = "This change needs a fresh second factor: enter a code from your authenticator app \
     or use your passkey under “Confirm it's you” on this page or your account page, then try again (it counts for \
     15 minutes).";

/// Checks a sensitive change (API tokens, webhooks, roles, the organisation's sign-in and
/// approval settings): a person with an authenticator app must have entered a code from it in
/// the last 15 minutes of this session. API tokens are not asked (they have no second factor).
pub fn fresh_factor(actor: &Actor) -> Result<(), Denial> {
    if actor.factor_stale && actor.token.is_none() {
        Err(Denial::Forbidden(CONFIRM_FIRST))
    } else {
        Ok(())
    }
}

/// Where `actor` starts after signing in, and what the navigation calls it: the customer list
/// for staff who read customers, the network for network operations, the dashboard otherwise.
pub fn home(actor: &Actor) -> (&'static str, &'static str) {
    if allows(Some(actor), Permission::ListOrganisations) {
        ("/orgs", "Customers")
    } else if actor.role.is_staff() && allows(Some(actor), Permission::ManageNetwork) {
        ("/admin/network", "Network ops")
    } else {
        ("/dashboard", "Dashboard")
    }
}

/// Shorthand for navigation: may `actor` use what `permission` guards?
pub fn allows(actor: Option<&Actor>, permission: Permission<'_>) -> bool {
    check(actor, permission).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{EmailAddress, OrganisationRef, TwoStepPolicy};

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
            two_step_missing: false,
            factor_stale: false,
        }
    }

    /// Every permission × every role (and nobody), with the expected HTTP status; 200 = allowed.
    #[test]
    fn the_access_table() {
        let own = Id::parse(OWN).unwrap();
        let other = Id::parse(OTHER).unwrap();
        let permissions: [(&str, Permission<'_>); 21] = [
            ("signed in", Permission::SignedIn),
            ("see own org", Permission::SeeOrganisation(&own)),
            ("see other org", Permission::SeeOrganisation(&other)),
            ("manage own members", Permission::ManageMembers(&own)),
            ("manage other members", Permission::ManageMembers(&other)),
            ("own org audit", Permission::ReadOrganisationAudit(&own)),
            ("other org audit", Permission::ReadOrganisationAudit(&other)),
            ("list orgs", Permission::ListOrganisations),
            ("catalog", Permission::ManageCatalog),
            ("users", Permission::ManageUsers),
            ("audit", Permission::ReadAuditLog),
            ("network", Permission::ManageNetwork),
            ("edit own designs", Permission::EditDesigns(&own)),
            ("edit other designs", Permission::EditDesigns(&other)),
            ("approve own orders", Permission::ApproveOrders(&own)),
            ("approve other orders", Permission::ApproveOrders(&other)),
            ("build quotes", Permission::BuildQuotes),
            ("approve discounts", Permission::ApproveDiscounts),
            ("review credit", Permission::ReviewCredit),
            ("own sign-in", Permission::ManageSignIn(&own)),
            ("other sign-in", Permission::ManageSignIn(&other)),
        ];
        // Columns: nobody, technical (buyer), org admin, finance, read only,
        // sales engineer, admin, network operations, support.
        let expected: [[u16; 9]; 21] = [
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
            [401, 200, 200, 200, 200, 200, 200, 403, 200],
            [401, 404, 404, 404, 404, 200, 200, 403, 200],
            [401, 403, 200, 403, 403, 403, 200, 403, 403],
            [401, 404, 404, 404, 404, 403, 200, 403, 403],
            [401, 403, 200, 403, 403, 403, 200, 403, 200],
            [401, 404, 404, 404, 404, 403, 200, 403, 200],
            [401, 403, 403, 403, 403, 200, 200, 403, 200],
            [401, 403, 403, 403, 403, 403, 200, 403, 403],
            [401, 403, 403, 403, 403, 403, 200, 403, 403],
            [401, 403, 403, 403, 403, 403, 200, 403, 200],
            [401, 403, 403, 403, 403, 403, 200, 200, 403],
            [401, 200, 200, 403, 403, 403, 403, 403, 403],
            [401, 404, 404, 404, 404, 403, 403, 403, 403],
            [401, 200, 200, 200, 403, 403, 403, 403, 403],
            [401, 404, 404, 404, 404, 403, 403, 403, 403],
            [401, 403, 403, 403, 403, 200, 200, 403, 403],
            [401, 403, 403, 403, 403, 403, 200, 403, 403],
            [401, 403, 403, 403, 403, 403, 200, 403, 403],
            [401, 403, 200, 403, 403, 403, 403, 403, 403],
            [401, 404, 404, 404, 404, 403, 403, 403, 403],
        ];
        let actors: Vec<Option<Actor>> = std::iter::once(None).chain(Role::ALL.map(|role| Some(actor(role)))).collect();
        for ((name, permission), row) in permissions.iter().zip(expected) {
            for (who, want) in actors.iter().zip(row) {
                let got = check(who.as_ref(), *permission).map_or_else(Denial::status, |()| 200);
                assert_eq!(got, want, "{name} as {:?}", who.as_ref().map(|a| a.role));
            }
        }
    }

    #[test]
    fn invoices_are_read_by_finance_and_org_admins_and_billing_run_by_admins() {
        let (own, other) = (Id::parse(OWN).unwrap(), Id::parse(OTHER).unwrap());
        let reads = |role: Role, organisation: &Id| check(Some(&actor(role)), Permission::ReadInvoices(organisation));
        for role in [Role::Finance, Role::OrgAdmin, Role::Admin, Role::Support] {
            assert_eq!(reads(role, &own), Ok(()), "{role:?}");
        }
        for role in [Role::Buyer, Role::ReadOnly, Role::SalesEngineer, Role::NetworkOperations] {
            assert!(matches!(reads(role, &own), Err(Denial::Forbidden(_))), "{role:?}");
        }
        assert_eq!(reads(Role::Finance, &other), Err(Denial::NotFound), "another organisation's: not found");
        assert_eq!(reads(Role::Admin, &other), Ok(()));
        assert!(allows(Some(&actor(Role::Support)), Permission::ReadAllInvoices));
        assert!(!allows(Some(&actor(Role::Finance)), Permission::ReadAllInvoices));
        assert!(allows(Some(&actor(Role::Admin)), Permission::RunBilling));
        assert!(!allows(Some(&actor(Role::Support)), Permission::RunBilling));
    }

    #[test]
    fn a_session_missing_its_second_factor_opens_only_the_person_s_own_pages() {
        let own = Id::parse(OWN).unwrap();
        let mut admin = actor(Role::OrgAdmin);
        admin.two_step_missing = true;
        assert_eq!(check(Some(&admin), Permission::SignedIn), Ok(()));
        assert_eq!(check(Some(&admin), Permission::SeeOrganisation(&own)), Err(Denial::Forbidden(TWO_STEP_REQUIRED)));
        assert_eq!(check(Some(&admin), Permission::EditDesigns(&own)), Err(Denial::Forbidden(TWO_STEP_REQUIRED)));
        assert!(TwoStepPolicy::Admins.covers(Role::OrgAdmin) && !TwoStepPolicy::Admins.covers(Role::Buyer));
        assert!(TwoStepPolicy::Everyone.covers(Role::ReadOnly) && !TwoStepPolicy::Off.covers(Role::OrgAdmin));
    }

    #[test]
    fn a_sensitive_change_asks_a_person_with_an_authenticator_for_a_fresh_code() {
        use crate::account::{factor_stale, FRESH_FACTOR_MS};
        let now = 10 * FRESH_FACTOR_MS;
        assert!(!factor_stale(false, None, now), "nobody is asked for a factor they do not have");
        assert!(factor_stale(true, None, now), "signed in with the password only");
        assert!(!factor_stale(true, Some(now - FRESH_FACTOR_MS + 1), now));
        assert!(factor_stale(true, Some(now - FRESH_FACTOR_MS), now));
        let mut admin = actor(Role::OrgAdmin);
        admin.factor_stale = true;
        assert_eq!(fresh_factor(&admin), Err(Denial::Forbidden(CONFIRM_FIRST)));
        admin.token = Some(crate::account::TokenRef {
            id: Id::parse("00000000-0000-4000-8000-000000000009").unwrap(),
            name: "ci".into(),
            prefix: "lpt_abcd".into(),
            access: TokenAccess::Full,
        });
        assert_eq!(fresh_factor(&admin), Ok(()), "a token is not asked");
        admin.token = None;
        admin.factor_stale = false;
        assert_eq!(fresh_factor(&admin), Ok(()));
    }

    #[test]
    fn every_role_has_a_slug_that_parses_back_and_customers_are_not_staff() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.slug()), Some(role));
        }
        assert!(Role::CUSTOMER.iter().all(|role| !role.is_staff()));
        assert!(Role::STAFF.iter().all(|role| role.is_staff()));
        assert_eq!(Role::CUSTOMER.len() + Role::STAFF.len(), Role::ALL.len());
    }

    #[test]
    fn network_operations_list_nobody_s_records_and_support_everyone_s() {
        assert_eq!(listing_scope(&actor(Role::NetworkOperations)), None);
        assert_eq!(listing_scope(&actor(Role::Support)), Some(None));
        assert!(matches!(listing_scope(&actor(Role::Finance)), Some(Some(_))));
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
