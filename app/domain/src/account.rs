//! People and organisations: the validated inputs of sign-up and sign-in (email, names,
//! passwords), the roles, and the identity of whoever is signed in.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A field-level problem: which form field is wrong and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> FieldError {
        FieldError { field, message: message.into() }
    }
}

/// A lower-cased, trimmed email address with one `@` and a dotted domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<EmailAddress, FieldError> {
        let email = raw.trim().to_lowercase();
        let bad = |why: &str| FieldError::new("email", why);
        if email.is_empty() {
            return Err(bad("Enter your work email address."));
        }
        if email.len() > Self::MAX_LEN {
            return Err(bad("That email address is too long (254 characters at most)."));
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(bad("Enter an email address like name@company.com."));
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || local.len() > 64 || !domain_ok || email.chars().any(char::is_whitespace) {
            return Err(bad("Enter an email address like name@company.com."));
        }
        Ok(EmailAddress(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        EmailAddress::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> String {
        value.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses a person's or a company's name: trimmed, 1 to 100 characters, no control characters.
pub fn parse_name(field: &'static str, what: &str, raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldError::new(field, format!("Enter {what}.")));
    }
    if name.chars().count() > 100 {
        return Err(FieldError::new(field, format!("Shorten {what} to 100 characters or fewer.")));
    }
    if name.chars().any(char::is_control) {
        return Err(FieldError::new(field, format!("Remove the control characters from {what}.")));
    }
    Ok(name.to_owned())
}

/// Parses the name a person gives a passkey so they can tell their devices apart ("Work
/// laptop"): 1 to 60 characters, no control characters.
pub fn parse_passkey_name(raw: &str) -> Result<String, FieldError> {
    let name = parse_name("name", "a name for this passkey (the device it is on)", raw)?;
    if name.chars().count() > 60 {
        return Err(FieldError::new("name", "Shorten the passkey's name to 60 characters or fewer."));
    }
    Ok(name)
}

/// Parses a note a person writes for someone else to read (a decision's reason): trimmed, at
/// most 1,000 characters, line breaks allowed and no other control characters. May be empty.
pub fn parse_note(field: &'static str, raw: &str) -> Result<String, FieldError> {
    let note = raw.trim();
    if note.chars().count() > 1_000 {
        return Err(FieldError::new(field, "Shorten this to 1,000 characters or fewer."));
    }
    if note.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(FieldError::new(field, "Remove the control characters from this text."));
    }
    Ok(note.to_owned())
}

/// A password someone chose: 12 to 128 characters, not a well-known password and not their
/// email. Only ever held long enough to hash it; never displayed or logged.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

/// Passwords of 12+ characters that top the breached-password lists; shorter ones are
/// already refused by the length rule.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678910111",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "aaaaaaaaaaaa",
    "abc123456789",
    "abcdefghijkl",
    "administrator",
    "changeme1234",
    "correcthorsebatterystaple",
    "iloveyou1234",
    "letmein12345",
    "password1234",
    "password12345",
    "password123456",
    "passwordpassword",
    "qwerty123456",
    "qwertyuiop12",
    "qwertyuiopasdf",
    "welcome12345",
    "lightpath1234",
];

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(field: &'static str, raw: &str, email: Option<&EmailAddress>) -> Result<NewPassword, FieldError> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(FieldError::new(
                field,
                format!("Use at least {} characters; a short phrase of several words works well.", Self::MIN_CHARS),
            ));
        }
        if chars > Self::MAX_CHARS {
            return Err(FieldError::new(field, format!("Use {} characters or fewer.", Self::MAX_CHARS)));
        }
        let lowered = raw.to_lowercase();
        let one_character = raw.chars().all(|c| raw.starts_with(c));
        if one_character || COMMON_PASSWORDS.contains(&lowered.as_str()) {
            return Err(FieldError::new(field, "That password is too common and easy to guess; choose another."));
        }
        if email.is_some_and(|email| lowered == email.as_str()) {
            return Err(FieldError::new(field, "Do not use your email address as your password."));
        }
        Ok(NewPassword(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// What a person may do, decided by [`crate::policy`].
///
/// Customer roles belong to one organisation; staff roles to none. The slugs are stored and
/// sent over the API, so they never change (a technical member is still `buyer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Technical: designs, orders and changes services for their own organisation.
    Buyer,
    /// Everything a technical member does, plus members, API tokens and webhooks.
    OrgAdmin,
    /// Reads the organisation's services, orders and spend; orders and changes nothing.
    Finance,
    /// Reads the organisation's designs, orders and services; changes nothing.
    ReadOnly,
    /// Carrier staff: quotes for any customer organisation.
    SalesEngineer,
    /// Carrier staff: catalog, price books, users, network settings, audit log.
    Admin,
    /// Carrier staff: the network and its fault injection, and nothing of the customers'.
    NetworkOperations,
    /// Carrier staff: reads every customer organisation and the audit log; changes nothing.
    Support,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Buyer,
        Role::OrgAdmin,
        Role::Finance,
        Role::ReadOnly,
        Role::SalesEngineer,
        Role::Admin,
        Role::NetworkOperations,
        Role::Support,
    ];

    /// The roles an organisation's admin can give its members.
    pub const CUSTOMER: [Role; 4] = [Role::Buyer, Role::OrgAdmin, Role::Finance, Role::ReadOnly];
    /// Lightpath's own roles.
    pub const STAFF: [Role; 4] = [Role::SalesEngineer, Role::Admin, Role::NetworkOperations, Role::Support];

    pub fn slug(self) -> &'static str {
        match self {
            Role::Buyer => "buyer",
            Role::OrgAdmin => "org-admin",
            Role::Finance => "finance",
            Role::ReadOnly => "read-only",
            Role::SalesEngineer => "sales-engineer",
            Role::Admin => "admin",
            Role::NetworkOperations => "network-operations",
            Role::Support => "support",
        }
    }

    pub fn parse(slug: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Buyer => "Technical",
            Role::OrgAdmin => "Organisation admin",
            Role::Finance => "Finance",
            Role::ReadOnly => "Read only",
            Role::SalesEngineer => "Sales engineer",
            Role::Admin => "Admin",
            Role::NetworkOperations => "Network operations",
            Role::Support => "Support",
        }
    }

    /// What the role may do, in a line (shown beside the role choices).
    pub fn summary(self) -> &'static str {
        match self {
            Role::Buyer => "Designs, orders and changes services.",
            Role::OrgAdmin => "Also manages members, API tokens, webhooks and reads the audit log.",
            Role::Finance => "Reads services, orders and spend; cannot order.",
            Role::ReadOnly => "Reads designs, orders and services; changes nothing.",
            Role::SalesEngineer => "Quotes for every customer.",
            Role::Admin => "Catalog, price books, users, credit, network and audit log.",
            Role::NetworkOperations => "The network and its faults only.",
            Role::Support => "Reads every customer and the audit log; changes nothing.",
        }
    }

    /// Carrier staff work for the carrier and belong to no customer organisation.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::SalesEngineer | Role::Admin | Role::NetworkOperations | Role::Support)
    }

    /// Staff who read customers' records (every organisation's designs, orders and services).
    pub fn reads_customers(self) -> bool {
        matches!(self, Role::SalesEngineer | Role::Admin | Role::Support)
    }

    /// Customer members who design, order and change services.
    pub fn orders(self) -> bool {
        matches!(self, Role::Buyer | Role::OrgAdmin)
    }

    /// Customer members who approve their organisation's orders waiting for a second member:
    /// those who order, and finance, who answers for the spend.
    pub fn approves_orders(self) -> bool {
        self.orders() || self == Role::Finance
    }
}

/// How a session was signed in: recorded with it and in the organisation's audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignInMethod {
    Password,
    /// A password, then a code from an authenticator app.
    PasswordAndTotp,
    /// A password, then one of the recovery codes.
    PasswordAndRecoveryCode,
    /// Through the organisation's identity provider (OpenID Connect).
    Sso,
    /// A passkey (WebAuthn) with user verification: something the person has, unlocked by
    /// something they know or are, so a second factor in itself.
    Passkey,
    /// A password, then a passkey.
    PasswordAndPasskey,
}

impl SignInMethod {
    pub fn slug(self) -> &'static str {
        match self {
            SignInMethod::Password => "password",
            SignInMethod::PasswordAndTotp => "password+totp",
            SignInMethod::PasswordAndRecoveryCode => "password+recovery-code",
            SignInMethod::Sso => "sso",
            SignInMethod::Passkey => "passkey",
            SignInMethod::PasswordAndPasskey => "password+passkey",
        }
    }

    pub const ALL: [SignInMethod; 6] = [
        SignInMethod::Password,
        SignInMethod::PasswordAndTotp,
        SignInMethod::PasswordAndRecoveryCode,
        SignInMethod::Sso,
        SignInMethod::Passkey,
        SignInMethod::PasswordAndPasskey,
    ];

    pub fn parse(slug: &str) -> Option<SignInMethod> {
        SignInMethod::ALL.into_iter().find(|method| method.slug() == slug)
    }

    /// Whether a second factor of Lightpath's was part of it.
    pub fn multi_factor(self) -> bool {
        matches!(
            self,
            SignInMethod::PasswordAndTotp
                | SignInMethod::PasswordAndRecoveryCode
                | SignInMethod::Passkey
                | SignInMethod::PasswordAndPasskey
        )
    }

    /// Whether it meets an organisation's two-step policy: a second factor of Lightpath's, or
    /// the organisation's own identity provider, which decides how its people prove who they
    /// are.
    pub fn meets_two_step_policy(self) -> bool {
        self.multi_factor() || self == SignInMethod::Sso
    }
}

/// Whom an organisation requires to sign in with a second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TwoStepPolicy {
    Off,
    /// Its organisation admins.
    Admins,
    /// Every member.
    Everyone,
}

impl TwoStepPolicy {
    pub const ALL: [TwoStepPolicy; 3] = [TwoStepPolicy::Off, TwoStepPolicy::Admins, TwoStepPolicy::Everyone];

    pub fn slug(self) -> &'static str {
        match self {
            TwoStepPolicy::Off => "off",
            TwoStepPolicy::Admins => "admins",
            TwoStepPolicy::Everyone => "everyone",
        }
    }

    pub fn parse(slug: &str) -> Option<TwoStepPolicy> {
        TwoStepPolicy::ALL.into_iter().find(|policy| policy.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            TwoStepPolicy::Off => "Each member chooses",
            TwoStepPolicy::Admins => "Required for organisation admins",
            TwoStepPolicy::Everyone => "Required for everyone",
        }
    }

    /// Whether a member with `role` must sign in with a second factor.
    pub fn covers(self, role: Role) -> bool {
        match self {
            TwoStepPolicy::Off => false,
            TwoStepPolicy::Admins => role == Role::OrgAdmin,
            TwoStepPolicy::Everyone => !role.is_staff(),
        }
    }
}

/// What a person typed as their second factor, read before anything is looked up: six digits
/// from an authenticator app, or a recovery code (ten letters and digits, dashes and spaces
/// ignored, any case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactorCode {
    Totp(String),
    Recovery(String),
}

impl SecondFactorCode {
    pub fn parse(raw: &str) -> Result<SecondFactorCode, FieldError> {
        let compact: String =
            raw.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        if compact.len() == 6 && compact.bytes().all(|b| b.is_ascii_digit()) {
            Ok(SecondFactorCode::Totp(compact))
        } else if compact.len() == 10 && compact.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(SecondFactorCode::Recovery(compact))
        } else {
            Err(FieldError::new(
                "code",
                "Enter the 6-digit code your authenticator app shows, or one of your recovery codes.",
            ))
        }
    }
}

/// An opaque identifier of a user or an organisation: a UUID in its 36-character text form.
/// Parsing a URL segment into one turns a malformed id into "not found" before any query.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Id(String);

impl Id {
    pub fn parse(raw: &str) -> Option<Id> {
        let bytes = raw.as_bytes();
        let well_formed = bytes.len() == 36
            && bytes.iter().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => *b == b'-',
                _ => b.is_ascii_hexdigit() && !b.is_ascii_uppercase(),
            });
        well_formed.then(|| Id(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A customer organisation as the signed-in person sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationRef {
    pub id: Id,
    pub name: String,
}

/// Whoever is signed in: resolved from the session on every request, on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub id: Id,
    pub email: EmailAddress,
    pub name: String,
    pub role: Role,
    /// The customer organisation of a buyer or org admin; None for carrier staff.
    pub organisation: Option<OrganisationRef>,
    /// The API token the request came with; None for a person's browser session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenRef>,
    /// The session signed in without the second factor its organisation's policy (or a staff
    /// role) requires: until the person sets one up, only their own pages are open.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub two_step_missing: bool,
    /// The person has an authenticator app but has not entered a code from it in this session
    /// for [`FRESH_FACTOR_MS`]: sensitive changes ask for one first.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub factor_stale: bool,
}

/// How long a code entered in a session counts for sensitive changes (API tokens, webhooks,
/// roles, the organisation's sign-in and approval settings).
pub const FRESH_FACTOR_MS: i64 = 15 * 60 * 1000;

/// Whether a session whose second factor was last proven at `proven_at_ms` (None: never) asks a
/// person with an authenticator for a code before a sensitive change at `now_ms`.
pub fn factor_stale(has_factor: bool, proven_at_ms: Option<i64>, now_ms: i64) -> bool {
    has_factor && proven_at_ms.is_none_or(|at| now_ms - at >= FRESH_FACTOR_MS)
}

/// What an API token may do: everything its role may, or only read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TokenAccess {
    /// Designs, orders and changes services (an organisation's token acts as a buyer).
    Full,
    /// Reads only: every change is refused with 403.
    ReadOnly,
    /// Everything its maker's role may: for an organisation's admin, also its webhooks and
    /// the listing and revoking of its tokens (never making new ones).
    Admin,
}

impl TokenAccess {
    pub const ALL: [TokenAccess; 3] = [TokenAccess::Full, TokenAccess::ReadOnly, TokenAccess::Admin];

    pub fn slug(self) -> &'static str {
        match self {
            TokenAccess::Full => "full",
            TokenAccess::ReadOnly => "read-only",
            TokenAccess::Admin => "admin",
        }
    }

    pub fn parse(slug: &str) -> Option<TokenAccess> {
        TokenAccess::ALL.into_iter().find(|access| access.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            TokenAccess::Full => "Design and order",
            TokenAccess::ReadOnly => "Read only",
            TokenAccess::Admin => "Design, order, webhooks and tokens (admin)",
        }
    }
}

/// The API token behind a request: named in the audit log and in the server's logs by its
/// prefix (the secret itself is never stored or logged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRef {
    pub id: Id,
    pub name: String,
    /// The token's first characters (`lpt_1a2b3c4d`), enough to recognise it.
    pub prefix: String,
    pub access: TokenAccess,
}

impl Actor {
    pub fn belongs_to(&self, organisation: &Id) -> bool {
        self.organisation.as_ref().is_some_and(|own| &own.id == organisation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sign_in_method_reads_back_and_a_passkey_is_two_factors() {
        for method in SignInMethod::ALL {
            assert_eq!(SignInMethod::parse(method.slug()), Some(method));
        }
        assert!(SignInMethod::Passkey.multi_factor() && SignInMethod::PasswordAndPasskey.multi_factor());
        assert!(!SignInMethod::Password.meets_two_step_policy());
        assert!(SignInMethod::Passkey.meets_two_step_policy());
    }

    #[test]
    fn a_passkey_name_is_short_visible_text() {
        assert_eq!(parse_passkey_name("  Work laptop ").unwrap(), "Work laptop");
        for bad in ["", "   ", "Lap\u{1b}top", &"x".repeat(61)] {
            assert_eq!(parse_passkey_name(bad).unwrap_err().field, "name", "{bad:?}");
        }
        assert!(parse_passkey_name(&"x".repeat(60)).is_ok());
    }

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(EmailAddress::parse("  Ada@Example.COM ").unwrap().as_str(), "ada@example.com");
    }

    #[test]
    fn bad_emails_say_what_to_type() {
        for bad in ["", "ada", "ada@", "@example.com", "ada@example", "ada@.com", "a da@example.com", "ada@ex..com"] {
            let error = EmailAddress::parse(bad).unwrap_err();
            assert_eq!(error.field, "email");
            assert!(error.message.starts_with("Enter"), "{bad}: {error}");
        }
    }

    #[test]
    fn passwords_need_length_and_must_not_be_common() {
        let email = EmailAddress::parse("ada@example.com").unwrap();
        assert!(NewPassword::parse("password", "short", None).unwrap_err().message.contains("12 characters"));
        assert!(NewPassword::parse("password", "Password1234", None).unwrap_err().message.contains("common"));
        assert!(NewPassword::parse("password", "zzzzzzzzzzzzzz", None).unwrap_err().message.contains("common"));
        assert!(NewPassword::parse("password", "ada@example.com", Some(&email)).is_err());
        assert!(NewPassword::parse("password", &"x".repeat(129), None).is_err());
        assert!(NewPassword::parse("password", "violet staple orbit", Some(&email)).is_ok());
    }

    #[test]
    fn the_password_never_shows_in_debug_output() {
        let password = NewPassword::parse("password", "violet staple orbit", None).unwrap();
        assert!(!format!("{password:?}").contains("violet"));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("name", "your name", "  Ada Lovelace ").unwrap(), "Ada Lovelace");
        assert!(parse_name("name", "your name", "   ").unwrap_err().message.contains("your name"));
        assert!(parse_name("company", "the company name", &"a".repeat(101)).is_err());
    }

    #[test]
    fn ids_are_lower_case_uuids() {
        assert!(Id::parse("0b7c5e7e-3d3b-4c1e-9a49-2f0c7a1d4e55").is_some());
        for bad in
            ["", "42", "0B7C5E7E-3D3B-4C1E-9A49-2F0C7A1D4E55", "0b7c5e7e-3d3b-4c1e-9a49-2f0c7a1d4e5g", "../etc/passwd"]
        {
            assert!(Id::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn role_slugs_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.slug()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
