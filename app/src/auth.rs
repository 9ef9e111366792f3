//! Who is asking, on the server: the session that the server's middleware resolved from the
//! cookie, the policy check every server function starts with, and the session cookie itself.

use crate::error::AppError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use lightpath_domain::account::Actor;
use lightpath_domain::policy::{self, Permission};
use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;

/// The session cookie. `__Host-` makes the browser insist on Secure, Path=/ and no Domain,
/// so no other site or subdomain can set or read it. Browsers count http://localhost and
/// http://127.0.0.1 as secure, so this works in local runs and tests without TLS.
pub const SESSION_COOKIE: &str = "__Host-lightpath-session";

/// The signed-in person and their session token, put in the request's extensions by the
/// server's session middleware.
#[derive(Clone, Debug)]
pub struct Session {
    pub token: String,
    pub actor: Actor,
}

/// The cookie that starts a session: HttpOnly (no script reads it), SameSite=Lax (other
/// sites' forms and scripts do not send it on POST), and the session's absolute lifetime.
pub fn session_cookie(token: &str, max_age_secs: i64) -> String {
    format!("{SESSION_COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}")
}

/// The cookie that removes the session cookie from the browser.
pub fn clear_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The cookie of a sign-in waiting for its second factor: five minutes, HttpOnly, and sent by
/// the browser to this site's own requests only (SameSite=Strict).
pub const CHALLENGE_COOKIE: &str = "__Host-lightpath-sign-in";

pub fn challenge_cookie(token: &str) -> String {
    format!("{CHALLENGE_COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=300")
}

pub fn clear_challenge_cookie() -> String {
    format!("{CHALLENGE_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// The token of the sign-in this browser has waiting for its code, if any.
pub fn challenge() -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    parts.headers.get_all(http::header::COOKIE).iter().filter_map(|value| value.to_str().ok()).find_map(|header| {
        header.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == CHALLENGE_COOKIE && !value.is_empty()).then(|| value.to_owned())
        })
    })
}

/// The session of the current request, if someone is signed in.
pub fn session() -> Option<Session> {
    leptos::prelude::use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<Session>().cloned())
}

/// The signed-in person, if any.
pub fn actor() -> Option<Actor> {
    session().map(|session| session.actor)
}

/// Checks `permission` for the current request and returns who is asking. A refusal becomes
/// the matching error (401, 403 or 404).
pub fn require(permission: Permission<'_>) -> Result<Actor, AppError> {
    let actor = actor();
    policy::check(actor.as_ref(), permission)?;
    actor.ok_or(AppError::SignInRequired)
}

/// The address a request came from, put in the extensions by the server.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

/// Every path that hashes or checks a password (sign-in, sign-up, adding a member, changing a
/// password) costs argon2's 19 MiB and tens of milliseconds, and can probe accounts: each is
/// limited per client address (an IPv6 address per /64, the block one subscriber gets), and the
/// ones a signed-in person starts also per account. Failed sign-ins are also counted per account
/// in the database (see `lightpath_store`). In memory, per server.
pub struct AuthRateLimiter {
    by_address: DefaultKeyedRateLimiter<IpAddr>,
    by_account: DefaultKeyedRateLimiter<String>,
}

/// The limiter the server provides to every server function.
pub fn limiter() -> Result<std::sync::Arc<AuthRateLimiter>, AppError> {
    leptos::prelude::use_context::<std::sync::Arc<AuthRateLimiter>>().ok_or(AppError::Unavailable)
}

/// Above this many remembered keys, keys whose quota has refilled are forgotten.
const PRUNE_ABOVE: usize = 10_000;

impl AuthRateLimiter {
    pub fn per_minute(attempts: u32) -> AuthRateLimiter {
        let quota = Quota::per_minute(NonZeroU32::new(attempts.max(1)).unwrap_or(NonZeroU32::MIN));
        AuthRateLimiter { by_address: RateLimiter::keyed(quota), by_account: RateLimiter::keyed(quota) }
    }

    /// Counts one attempt from the current request's address.
    pub fn check(&self) -> Result<(), AppError> {
        let ip = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<ClientIp>().map(|ip| ip.0))
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        self.check_address(ip)
    }

    /// Counts one attempt from `ip` (for handlers outside server functions).
    pub fn check_address(&self, ip: IpAddr) -> Result<(), AppError> {
        if self.by_address.len() > PRUNE_ABOVE {
            self.by_address.retain_recent();
        }
        self.by_address.check_key(&address_key(ip)).map_err(too_many)
    }

    /// Counts one password operation of the signed-in `account`, and one from its address.
    pub fn check_account(&self, account: &str) -> Result<(), AppError> {
        self.check()?;
        if self.by_account.len() > PRUNE_ABOVE {
            self.by_account.retain_recent();
        }
        self.by_account.check_key(&account.to_owned()).map_err(too_many)
    }
}

fn too_many(not_until: governor::NotUntil<governor::clock::QuantaInstant>) -> AppError {
    let wait = not_until.wait_time_from(DefaultClock::default().now());
    AppError::TooManyAttempts { retry_after_secs: wait.as_secs().max(1) }
}

/// An IPv4 address as it is; an IPv6 address by its /64 (one subscriber gets a whole /64, so
/// keying per /128 would give them 2^64 quotas).
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => IpAddr::V6(std::net::Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
    }
}

/// Whether the request is a plain HTML form post (the browser navigates to the answer) rather
/// than the page's code calling a server function.
pub fn plain_form() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// The path (without its query) of the page on this site a form was posted from, for the
/// answer to go back to; `default` when there is none or it is another site's.
pub fn referring_page(default: &str) -> String {
    let referer = leptos::prelude::use_context::<http::request::Parts>().and_then(|parts| {
        parts.headers.get(http::header::REFERER).and_then(|value| value.to_str().ok()).map(str::to_owned)
    });
    let path = referer.as_deref().and_then(|referer| url::Url::parse(referer).ok()).map(|url| url.path().to_owned());
    safe_next(path.as_deref(), default)
}

/// Only paths on this site may be redirect targets after sign-in (no open redirect). The
/// target is resolved against this site's origin the way a browser would and kept only when it
/// stays there; a control character or a backslash anywhere refuses it outright (browsers drop
/// tabs and newlines, so `/\t/evil.example` would become `//evil.example`, and a control
/// character cannot even be put in a `Location` header).
pub fn safe_next(next: Option<&str>, default: &str) -> String {
    const HERE: &str = "http://lightpath.invalid";
    let Some(path) = next else { return default.to_owned() };
    if !path.starts_with('/') || path.contains('\\') || path.chars().any(char::is_control) {
        return default.to_owned();
    }
    let Ok(base) = url::Url::parse(HERE) else { return default.to_owned() };
    let Ok(resolved) = base.join(path) else { return default.to_owned() };
    // What the browser will ask for: the normalised path, query and fragment on this site;
    // never one that normalised into `//host` (a URL of another site, relative to the scheme).
    let target = &resolved[url::Position::BeforePath..];
    if resolved.origin() != base.origin() || target.starts_with("//") {
        return default.to_owned();
    }
    target.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_host_prefixed_secure_httponly_and_lax() {
        let cookie = session_cookie("abc", 60);
        for part in ["__Host-lightpath-session=abc", "Path=/", "Secure", "HttpOnly", "SameSite=Lax", "Max-Age=60"] {
            assert!(cookie.contains(part), "{cookie} lacks {part}");
        }
        assert!(!cookie.contains("Domain"));
        assert!(clear_session_cookie().contains("Max-Age=0"));
    }

    #[test]
    fn an_ipv6_subscriber_is_one_key_per_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(other));
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(address_key(v4), v4);
    }

    #[test]
    fn password_work_is_limited_per_account() {
        let limiter = AuthRateLimiter::per_minute(3);
        for _ in 0..3 {
            assert!(limiter.by_account.check_key(&"ada".to_owned()).is_ok());
        }
        assert!(limiter.by_account.check_key(&"ada".to_owned()).is_err());
        assert!(limiter.by_account.check_key(&"grace".to_owned()).is_ok());
    }

    #[test]
    fn redirects_stay_on_this_site() {
        assert_eq!(safe_next(Some("/orgs"), "/dashboard"), "/orgs");
        assert_eq!(safe_next(Some("/quotes/7?tab=lines#top"), "/dashboard"), "/quotes/7?tab=lines#top");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/\u{7f}",
            "/.//evil.example",
            "/..//evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(bad), "/dashboard"), "/dashboard", "{bad}");
        }
        assert_eq!(safe_next(None, "/dashboard"), "/dashboard");
    }
}
