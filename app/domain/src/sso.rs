//! Single sign-on with OpenID Connect, the rules without the IO: what an organisation's
//! identity provider registration may hold (issuer, client id, the email domains it covers,
//! which provider groups give which role), whether it may be switched on, who may still sign
//! in with a password, and what a verified sign-in from the provider leads to.

use crate::account::{EmailAddress, FieldError, Role};
use serde::{Deserialize, Serialize};

/// An issuer URL as OpenID Connect compares it: exactly as registered (no trailing slash
/// added or removed), `https`, or plain `http` only on a loopback address (a provider on the
/// same machine, for tests and local runs). No credentials, query or fragment.
pub fn parse_issuer(raw: &str) -> Result<String, FieldError> {
    let issuer = raw.trim();
    let bad = |why: &str| FieldError::new("issuer", why);
    if issuer.is_empty() {
        return Err(bad("Enter your identity provider’s issuer URL, like https://login.example.com."));
    }
    if issuer.len() > 500 || issuer.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(bad("Enter the issuer URL without spaces, at most 500 characters."));
    }
    let (scheme, rest) = issuer.split_once("://").ok_or_else(|| bad("Enter a URL starting with https://."))?;
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') || rest.contains('?') || rest.contains('#') {
        return Err(bad(
            "Enter the issuer URL alone: a host and an optional path, without credentials, query or fragment.",
        ));
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(host, _port)| host),
    };
    match scheme {
        "https" => Ok(issuer.to_owned()),
        "http" if matches!(host, "127.0.0.1" | "::1" | "localhost") => Ok(issuer.to_owned()),
        "http" => Err(bad("The issuer must use https:// (plain http is only for a provider on this machine).")),
        _ => Err(bad("Enter a URL starting with https://.")),
    }
}

/// The portal's own origin as the browser asked for it (`host` from the request): https, or
/// http on a loopback address (local runs, tests), where browsers also treat the portal as
/// secure. None for a host that is not a plain host name with an optional port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalOrigin {
    /// `scheme://host[:port]`.
    pub origin: String,
    /// The host name alone, without port or brackets.
    pub name: String,
}

impl PortalOrigin {
    pub fn of_host(host: &str) -> Option<PortalOrigin> {
        let valid = !host.is_empty()
            && host.len() <= 260
            && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !valid {
            return None;
        }
        let name = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => host.rsplit_once(':').map_or(host, |(name, _port)| name),
        };
        let scheme = if matches!(name, "127.0.0.1" | "::1" | "localhost") { "http" } else { "https" };
        Some(PortalOrigin { origin: format!("{scheme}://{host}"), name: name.to_owned() })
    }

    /// The relying party id passkeys are bound to: the host name, which WebAuthn requires to
    /// be a domain (browsers refuse an IP address). None when the portal is reached by address.
    pub fn relying_party_id(&self) -> Option<&str> {
        let is_address = self.name.parse::<std::net::IpAddr>().is_ok() || self.name.contains(':');
        (!is_address && self.name.contains(|c: char| c.is_ascii_alphabetic())).then_some(self.name.as_str())
    }
}

/// The URL a provider sends people back to, on the portal's address as the browser asked for
/// it (see [`PortalOrigin`]).
pub fn callback_url(host: &str, path: &str) -> Option<String> {
    PortalOrigin::of_host(host).map(|portal| format!("{}{path}", portal.origin))
}

/// The client id the provider gave Lightpath: 1 to 200 visible characters.
pub fn parse_client_id(raw: &str) -> Result<String, FieldError> {
    let id = raw.trim();
    if id.is_empty() {
        return Err(FieldError::new("client_id", "Enter the client id your identity provider gave Lightpath."));
    }
    if id.len() > 200 || id.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(FieldError::new("client_id", "Enter the client id without spaces, at most 200 characters."));
    }
    Ok(id.to_owned())
}

/// The client secret: 1 to 500 visible characters. Never shown again once saved.
pub fn parse_client_secret(raw: &str) -> Result<String, FieldError> {
    let secret = raw.trim();
    if secret.is_empty() {
        return Err(FieldError::new("client_secret", "Enter the client secret your identity provider gave Lightpath."));
    }
    if secret.len() > 500 || secret.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(FieldError::new(
            "client_secret",
            "Enter the client secret without spaces, at most 500 characters.",
        ));
    }
    Ok(secret.to_owned())
}

/// At most this many email domains per provider.
pub const MAX_DOMAINS: usize = 20;

/// The email domains a provider covers, one per line or separated by commas: lower-cased,
/// each a dotted host name, no repeats, 1 to [`MAX_DOMAINS`].
pub fn parse_domains(raw: &str) -> Result<Vec<String>, FieldError> {
    let bad = |why: String| FieldError::new("domains", why);
    let mut domains: Vec<String> = Vec::new();
    for part in raw.split([',', '\n']).map(str::trim).filter(|part| !part.is_empty()) {
        let domain = part.trim_start_matches('@').to_lowercase();
        let valid = domain.len() <= 253
            && domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !valid {
            let shown: String = part.chars().filter(|c| !c.is_control()).take(60).collect();
            return Err(bad(format!("“{shown}” is not an email domain: enter domains like acme.example.")));
        }
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    if domains.is_empty() {
        return Err(bad(
            "Enter the email domains your identity provider signs people in for, like acme.example.".into()
        ));
    }
    if domains.len() > MAX_DOMAINS {
        return Err(bad(format!("Enter at most {MAX_DOMAINS} domains.")));
    }
    Ok(domains)
}

/// Whether `email` is in one of `domains`.
pub fn covers(domains: &[String], email: &EmailAddress) -> bool {
    email.as_str().rsplit_once('@').is_some_and(|(_, domain)| domains.iter().any(|covered| covered == domain))
}

/// One line of the group mapping: people in `group` (as the provider's `groups` claim names
/// it) get `role`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRole {
    pub group: String,
    pub role: Role,
}

/// At most this many mapping lines.
pub const MAX_GROUP_LINES: usize = 50;

/// Parses the mapping, one `group = role` per line (role as its slug or its label:
/// `org-admin`, `buyer` or `technical`, `finance`, `read-only`). Blank lines are skipped;
/// lines are kept in order, because the first one that matches wins.
pub fn parse_group_roles(raw: &str) -> Result<Vec<GroupRole>, FieldError> {
    let bad = |why: String| FieldError::new("groups", why);
    let mut lines = Vec::new();
    for (number, line) in raw.lines().enumerate().map(|(i, line)| (i + 1, line.trim())) {
        if line.is_empty() {
            continue;
        }
        let Some((group, role)) = line.split_once('=') else {
            return Err(bad(format!("Line {number}: write it as “group = role”, like “network-team = technical”.")));
        };
        let (group, role) = (group.trim(), role.trim().to_lowercase());
        if group.is_empty() || group.chars().count() > 200 || group.chars().any(char::is_control) {
            return Err(bad(format!("Line {number}: name the group, at most 200 characters.")));
        }
        let role =
            Role::CUSTOMER.into_iter().find(|r| r.slug() == role || r.label().to_lowercase() == role).ok_or_else(
                || bad(format!("Line {number}: the role must be org-admin, technical, finance or read-only.")),
            )?;
        lines.push(GroupRole { group: group.to_owned(), role });
    }
    if lines.len() > MAX_GROUP_LINES {
        return Err(bad(format!("Keep the mapping to {MAX_GROUP_LINES} lines.")));
    }
    Ok(lines)
}

/// The role a new member gets: the first mapping line whose group the person is in, else
/// `default`.
pub fn role_for(mapping: &[GroupRole], groups: &[String], default: Role) -> Role {
    mapping.iter().find(|line| groups.contains(&line.group)).map_or(default, |line| line.role)
}

/// Writes the mapping back as the text it is edited as, each role by the name the form's hint
/// uses (`technical` for the `buyer` slug).
pub fn group_roles_text(mapping: &[GroupRole]) -> String {
    let name = |role: Role| if role == Role::Buyer { "technical" } else { role.slug() };
    mapping.iter().map(|line| format!("{} = {}", line.group, name(line.role))).collect::<Vec<_>>().join("\n")
}

/// Whether single sign-on is in use for an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SsoMode {
    /// Registered, not used for signing in (only the admin's test sign-in).
    Off,
    /// People of the covered domains may sign in through the provider; passwords still work.
    On,
    /// Through the provider only: passwords are refused, except the break-glass admin's.
    Enforced,
}

impl SsoMode {
    pub const ALL: [SsoMode; 3] = [SsoMode::Off, SsoMode::On, SsoMode::Enforced];

    pub fn slug(self) -> &'static str {
        match self {
            SsoMode::Off => "off",
            SsoMode::On => "on",
            SsoMode::Enforced => "enforced",
        }
    }

    pub fn parse(slug: &str) -> Option<SsoMode> {
        SsoMode::ALL.into_iter().find(|mode| mode.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            SsoMode::Off => "Off: only the test sign-in uses it",
            SsoMode::On => "On: members may sign in through the provider or with a password",
            SsoMode::Enforced => "Enforced: members sign in through the provider only",
        }
    }
}

/// Why a mode cannot be chosen, as the admin should read it.
pub fn mode_refusal(mode: SsoMode, tested: bool, break_glass_has_factor: Option<bool>) -> Option<&'static str> {
    match mode {
        SsoMode::Off => None,
        _ if !tested => Some("Run “Test sign-in” with the saved settings first: it shows what the provider sends."),
        SsoMode::On => None,
        SsoMode::Enforced => match break_glass_has_factor {
            None => Some("Choose a break-glass admin first: the one member who may still sign in with a password if the provider is down."),
            Some(false) => Some("The break-glass admin must set up an authenticator app first: their password alone will not do."),
            Some(true) => None,
        },
    }
}

/// Whether a member may sign in with their password: always, unless the organisation
/// enforces single sign-on and they are not its break-glass admin.
pub fn password_allowed(mode: Option<SsoMode>, is_break_glass: bool) -> bool {
    mode != Some(SsoMode::Enforced) || is_break_glass
}

/// What the provider vouched for, read from a verified ID token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedIdentity {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    pub groups: Vec<String>,
}

/// What a verified sign-in leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SsoOutcome {
    /// The member with this email signs in.
    Existing(EmailAddress),
    /// A new member is created with this role.
    Create { email: EmailAddress, name: String, role: Role },
}

/// The registration a sign-in is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoRules {
    pub domains: Vec<String>,
    pub create_members: bool,
    pub mapping: Vec<GroupRole>,
    pub default_role: Role,
}

/// Why a sign-in through a provider signed nobody in. Each has a slug: the page the person
/// lands on shows the message for it, and nothing the provider sent is echoed onto it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SsoRefusal {
    NoEmail,
    OtherDomain,
    Elsewhere,
    NotMember,
    Unverified,
    /// The sign-in was not started in this browser, took over 10 minutes, or came back twice.
    Expired,
    /// The person cancelled at the provider, or it refused them.
    Cancelled,
    /// The provider could not be reached, or its answer failed a check (issuer, audience,
    /// signature, expiry, nonce).
    ProviderFailed,
    /// The organisation switched single sign-on off meanwhile.
    Off,
}

impl SsoRefusal {
    pub const ALL: [SsoRefusal; 9] = [
        SsoRefusal::NoEmail,
        SsoRefusal::OtherDomain,
        SsoRefusal::Elsewhere,
        SsoRefusal::NotMember,
        SsoRefusal::Unverified,
        SsoRefusal::Expired,
        SsoRefusal::Cancelled,
        SsoRefusal::ProviderFailed,
        SsoRefusal::Off,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            SsoRefusal::NoEmail => "no-email",
            SsoRefusal::OtherDomain => "other-domain",
            SsoRefusal::Elsewhere => "elsewhere",
            SsoRefusal::NotMember => "not-member",
            SsoRefusal::Unverified => "unverified",
            SsoRefusal::Expired => "expired",
            SsoRefusal::Cancelled => "cancelled",
            SsoRefusal::ProviderFailed => "provider-failed",
            SsoRefusal::Off => "off",
        }
    }

    pub fn parse(slug: &str) -> Option<SsoRefusal> {
        SsoRefusal::ALL.into_iter().find(|refusal| refusal.slug() == slug)
    }

    pub fn message(self) -> &'static str {
        match self {
            SsoRefusal::NoEmail => "Your identity provider did not send a usable email address. Ask your administrator to release the “email” claim to Lightpath.",
            SsoRefusal::OtherDomain => "Your email address is not in the domains your organisation’s single sign-on covers. Sign in with your password, or ask your administrator.",
            SsoRefusal::Elsewhere => "Your email address belongs to another Lightpath account. Ask Lightpath support to move it to your organisation.",
            SsoRefusal::NotMember => "You are not a member of your organisation on Lightpath yet. Ask your organisation’s admin to add you.",
            SsoRefusal::Unverified => "Your identity provider has not verified your email address, so Lightpath cannot create your account from it. Ask your administrator.",
            SsoRefusal::Expired => "That sign-in expired, was already used, or started in another browser. Start again below.",
            SsoRefusal::Cancelled => "The sign-in was cancelled at your identity provider. Start again below when you are ready.",
            SsoRefusal::ProviderFailed => "Lightpath could not complete the sign-in with your identity provider (it could not be reached, or its answer did not pass Lightpath’s checks). Try again, or ask your administrator to run “Test sign-in”.",
            SsoRefusal::Off => "Your organisation has switched single sign-on off. Sign in with your password.",
        }
    }
}

/// Decides a verified sign-in: the email must be one of the provider's domains; a person who
/// is a member signs in; someone new is created only when the organisation allows it and the
/// provider says the email is verified (else anyone who can set an email at the provider
/// could become a member). `membership`: None for an email no account has, `Some(true)` for a
/// member of this organisation, `Some(false)` for another account (another organisation or
/// staff), which is never signed in through this provider.
pub fn decide(
    rules: &SsoRules,
    identity: &VerifiedIdentity,
    membership: Option<bool>,
) -> Result<SsoOutcome, SsoRefusal> {
    let email = identity.email.as_deref().and_then(|raw| EmailAddress::parse(raw).ok()).ok_or(SsoRefusal::NoEmail)?;
    if !covers(&rules.domains, &email) {
        return Err(SsoRefusal::OtherDomain);
    }
    match membership {
        Some(true) => return Ok(SsoOutcome::Existing(email)),
        Some(false) => return Err(SsoRefusal::Elsewhere),
        None => {}
    }
    if !rules.create_members {
        return Err(SsoRefusal::NotMember);
    }
    if !identity.email_verified {
        return Err(SsoRefusal::Unverified);
    }
    let name = identity
        .name
        .as_deref()
        .and_then(|name| crate::account::parse_name("name", "a name", name).ok())
        .unwrap_or_else(|| email.as_str().split('@').next().unwrap_or_default().to_owned());
    Ok(SsoOutcome::Create { role: role_for(&rules.mapping, &identity.groups, rules.default_role), email, name })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_are_https_or_loopback_http() {
        assert_eq!(parse_issuer(" https://login.acme.example/tenant ").unwrap(), "https://login.acme.example/tenant");
        assert!(parse_issuer("http://127.0.0.1:9400").is_ok());
        assert!(parse_issuer("http://localhost:9400").is_ok());
        assert!(parse_issuer("http://[::1]:9400").is_ok());
        for bad in [
            "",
            "http://login.acme.example",
            "http://127.0.0.1.evil.example",
            "ftp://login.acme.example",
            "https://user:pw@login.acme.example",
            "https://login.acme.example/?x=1",
            "https://login.acme.example/#x",
            "login.acme.example",
            "https://",
            "https://login.acme.example/\u{7}",
        ] {
            assert!(parse_issuer(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn the_callback_is_https_except_on_loopback() {
        assert_eq!(callback_url("portal.example", "/sso/callback").unwrap(), "https://portal.example/sso/callback");
        assert_eq!(callback_url("127.0.0.1:3000", "/sso/callback").unwrap(), "http://127.0.0.1:3000/sso/callback");
        assert_eq!(callback_url("[::1]:3000", "/x").unwrap(), "http://[::1]:3000/x");
        let relying_party =
            |host: &str| PortalOrigin::of_host(host).and_then(|p| p.relying_party_id().map(str::to_owned));
        assert_eq!(relying_party("portal.example:8443").as_deref(), Some("portal.example"));
        assert_eq!(relying_party("localhost:3000").as_deref(), Some("localhost"));
        assert_eq!(relying_party("127.0.0.1:3000"), None, "WebAuthn refuses an IP address");
        assert_eq!(relying_party("[::1]:3000"), None);
        for bad in ["", "evil.example/path", "a@b", "x y", "evil.example\r\n"] {
            assert!(callback_url(bad, "/x").is_none(), "{bad}");
        }
    }

    #[test]
    fn domains_are_lowercased_deduplicated_and_bounded() {
        assert_eq!(
            parse_domains("Acme.example, @acme.example\nlabs.acme.example").unwrap(),
            ["acme.example", "labs.acme.example"]
        );
        assert!(parse_domains("").is_err());
        assert!(parse_domains("localhost").is_err());
        assert!(parse_domains("-bad.example").is_err());
        assert!(parse_domains("a b.example").is_err());
        let many: Vec<String> = (0..=MAX_DOMAINS).map(|i| format!("d{i}.example")).collect();
        assert!(parse_domains(&many.join(",")).is_err());
        let domains = parse_domains("acme.example").unwrap();
        assert!(covers(&domains, &EmailAddress::parse("ada@acme.example").unwrap()));
        assert!(!covers(&domains, &EmailAddress::parse("ada@evilacme.example").unwrap()));
        assert!(!covers(&domains, &EmailAddress::parse("ada@sub.acme.example").unwrap()));
    }

    #[test]
    fn the_first_matching_group_line_gives_the_role() {
        let mapping = parse_group_roles("admins = org-admin\n\nnetwork = Technical\nfinance=finance").unwrap();
        assert_eq!(mapping.len(), 3);
        let groups = |names: &[&str]| names.iter().map(|name| name.to_string()).collect::<Vec<_>>();
        assert_eq!(role_for(&mapping, &groups(&["finance", "network"]), Role::ReadOnly), Role::Buyer);
        assert_eq!(role_for(&mapping, &groups(&["admins"]), Role::ReadOnly), Role::OrgAdmin);
        assert_eq!(role_for(&mapping, &groups(&["other"]), Role::ReadOnly), Role::ReadOnly);
        assert!(parse_group_roles("admins = admin").is_err(), "staff roles are not given through a provider");
        assert!(parse_group_roles("no equals sign").is_err());
        assert_eq!(parse_group_roles(&group_roles_text(&mapping)).unwrap(), mapping);
        assert!(group_roles_text(&mapping).contains("network = technical"));
    }

    #[test]
    fn modes_need_a_test_and_enforcing_needs_a_break_glass_admin_with_a_factor() {
        assert!(mode_refusal(SsoMode::Off, false, None).is_none());
        assert!(mode_refusal(SsoMode::On, false, None).is_some());
        assert!(mode_refusal(SsoMode::On, true, None).is_none());
        assert!(mode_refusal(SsoMode::Enforced, true, None).is_some());
        assert!(mode_refusal(SsoMode::Enforced, true, Some(false)).is_some());
        assert!(mode_refusal(SsoMode::Enforced, true, Some(true)).is_none());
        assert!(password_allowed(None, false));
        assert!(password_allowed(Some(SsoMode::On), false));
        assert!(!password_allowed(Some(SsoMode::Enforced), false));
        assert!(password_allowed(Some(SsoMode::Enforced), true));
    }

    fn identity(email: &str, verified: bool, groups: &[&str]) -> VerifiedIdentity {
        VerifiedIdentity {
            subject: "sub-1".into(),
            email: Some(email.into()),
            email_verified: verified,
            name: Some("Lin Park".into()),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    #[test]
    fn a_sign_in_creates_a_member_only_when_allowed_and_verified() {
        let rules = SsoRules {
            domains: vec!["acme.example".into()],
            create_members: true,
            mapping: parse_group_roles("network = technical").unwrap(),
            default_role: Role::ReadOnly,
        };
        let lin = identity("Lin@Acme.example", true, &["network"]);
        assert_eq!(
            decide(&rules, &lin, None),
            Ok(SsoOutcome::Create {
                email: EmailAddress::parse("lin@acme.example").unwrap(),
                name: "Lin Park".into(),
                role: Role::Buyer
            })
        );
        assert!(matches!(decide(&rules, &lin, Some(true)), Ok(SsoOutcome::Existing(_))));
        assert_eq!(decide(&rules, &identity("lin@acme.example", false, &[]), None), Err(SsoRefusal::Unverified));
        assert!(decide(&rules, &identity("lin@acme.example", false, &[]), Some(true)).is_ok());
        assert_eq!(decide(&rules, &identity("lin@globex.example", true, &[]), None), Err(SsoRefusal::OtherDomain));
        assert_eq!(
            decide(&rules, &lin, Some(false)),
            Err(SsoRefusal::Elsewhere),
            "another account is never taken over"
        );
        let closed = SsoRules { create_members: false, ..rules.clone() };
        assert_eq!(decide(&closed, &lin, None), Err(SsoRefusal::NotMember));
        let no_email = VerifiedIdentity { email: None, ..lin };
        assert_eq!(decide(&rules, &no_email, Some(true)), Err(SsoRefusal::NoEmail));
        for refusal in SsoRefusal::ALL {
            assert_eq!(SsoRefusal::parse(refusal.slug()), Some(refusal));
        }
    }
}
