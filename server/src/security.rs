//! Request guards every route goes through: who is signed in (the session cookie), where a
//! state-changing request comes from, and the security headers on every response.

use crate::state::AppState;
use app::auth::{clear_session_cookie, ClientIp, Session, SESSION_COOKIE};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The largest request body accepted: forms and JSON are small; anything bigger is refused
/// with 413 before it is read.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The policy for responses that are not pages (API answers, files).
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The nonce of one response's inline scripts, made here and handed to the Leptos renderer
/// (see `startup::router`), so the page's scripts and its policy always agree.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

impl CspNonce {
    fn new() -> CspNonce {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        CspNonce(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// A page's policy: scripts only from this site or carrying this response's nonce (the
/// hydration script), WebAssembly allowed, nothing inline otherwise, no framing by others.
fn page_policy(nonce: &str) -> String {
    // `cargo leptos watch` reloads the page over a websocket on the reload port.
    let reload = if std::env::var_os("LEPTOS_WATCH").is_some() { " ws:" } else { "" };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'{reload}; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Resolves the session cookie into a [`Session`] in the request's extensions. A cookie that
/// names no live session (forged, expired, signed out elsewhere) is removed from the browser
/// and the request goes on as anonymous.
pub async fn resolve_session(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    // Static files never need the session; skip the lookup for them.
    let token = if request.uri().path().starts_with("/pkg/") {
        None
    } else {
        cookie(request.headers(), SESSION_COOKIE).map(str::to_owned)
    };
    let Some(token) = token else {
        return next.run(request).await;
    };
    let stale = match state.store.session_actor(&token).await {
        Ok(Some(actor)) => {
            request.extensions_mut().insert(Session { token, actor });
            false
        }
        Ok(None) => true,
        Err(error) => {
            tracing::error!(%error, "cannot read the session");
            return (StatusCode::SERVICE_UNAVAILABLE, "Lightpath cannot reach its database. Try again in a minute.")
                .into_response();
        }
    };
    let mut response = next.run(request).await;
    if stale && !response.headers().contains_key(header::SET_COOKIE) {
        if let Ok(value) = HeaderValue::from_str(&clear_session_cookie()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// Refuses state-changing requests that a browser says come from another site. Browsers
/// send `Sec-Fetch-Site` (and `Origin`) on every POST; a request with neither is not from a
/// browser page (curl, an integration) and cannot ride on a victim's cookies, so it passes.
pub async fn same_origin_writes(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let header_text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let cross_site = match (header_text("sec-fetch-site"), header_text("origin")) {
        (Some(site), _) => site != "same-origin",
        (None, Some(origin)) => {
            let host = header_text("host").unwrap_or_default();
            origin.split_once("://").map(|(_, authority)| authority) != Some(host)
        }
        (None, None) => false,
    };
    if cross_site {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site write");
        return (StatusCode::FORBIDDEN, "This request came from another site, so Lightpath refused it.")
            .into_response();
    }
    next.run(request).await
}

/// The reverse proxies whose forwarding headers are believed (`LIGHTPATH_TRUSTED_PROXIES`).
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(pub Arc<[IpAddr]>);

/// Where a request comes from: the client's address and whether it reached us over HTTPS.
/// The peer is the client unless it is a trusted proxy; then `X-Forwarded-For` is read from
/// the right (the entry the proxy itself appended), skipping further trusted proxies, and the
/// first other address is the client. Entries left of it were written by the client and could
/// say anything, so they are never used.
fn client_of(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> (IpAddr, bool) {
    if !trusted.contains(&peer) {
        return (peer, false);
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for entry in forwarded.iter().rev() {
        match entry.parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => client = ip,
            Ok(ip) => {
                client = ip;
                break;
            }
            // A malformed entry: what lies left of it cannot be trusted either.
            Err(_) => break,
        }
    }
    let https = headers
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .last()
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
    (client, https)
}

/// How long browsers keep to HTTPS once they have seen it here.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Records the client's address (for rate limits) and, for a request that came over HTTPS
/// through a trusted proxy, tells the browser to use HTTPS only from now on.
pub async fn client_address(State(proxies): State<TrustedProxies>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    let Some(peer) = peer else { return next.run(request).await };
    let (client, https) = client_of(peer, request.headers(), &proxies.0);
    request.extensions_mut().insert(ClientIp(client));
    let mut response = next.run(request).await;
    if https {
        response.headers_mut().insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    response
}

/// Security headers on every response; HTML pages get the policy with their nonce.
pub async fn security_headers(mut request: Request, next: Next) -> Response {
    let nonce = CspNonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    let headers = response.headers_mut();
    if is_html {
        if let Ok(policy) = HeaderValue::from_str(&page_policy(&nonce.0)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DEFAULT_CSP));
    }
    response
}

/// Drops a client's `X-Request-Id` unless it is 1 to 64 letters, digits, `-`, `_` or `.`, so
/// the id the logs and the response carry is either the client's well-formed one or a fresh
/// UUID, never arbitrary text written into every log line.
pub async fn sane_request_id(mut request: Request, next: Next) -> Response {
    let well_formed = |value: &HeaderValue| {
        let bytes = value.as_bytes();
        (1..=64).contains(&bytes.len())
            && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    if request.headers().get(REQUEST_ID).is_some_and(|value| !well_formed(value)) {
        request.headers_mut().remove(REQUEST_ID);
    }
    next.run(request).await
}

const REQUEST_ID: &str = "x-request-id";

/// The answer to a request whose handling panicked: a plain 500 that says what to do, never
/// the panic's message (it may name internals).
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("no message");
    tracing::error!(panic = message, "a request panicked");
    let mut response = (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on our side and we have logged it. Please try again, or go back to the start page.",
    )
        .into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn forwarding_headers_count_only_from_a_trusted_proxy() {
        let ip = |text: &str| text.parse::<IpAddr>().unwrap();
        let proxy = [ip("10.0.0.2"), ip("10.0.0.3")];
        let spoof = forwarded(&[("x-forwarded-for", "203.0.113.9"), ("x-forwarded-proto", "https")]);
        assert_eq!(client_of(ip("198.51.100.7"), &spoof, &proxy), (ip("198.51.100.7"), false), "not a proxy");
        assert_eq!(client_of(ip("198.51.100.7"), &spoof, &[]), (ip("198.51.100.7"), false));
        // The client wrote the first entry itself; the proxies appended the rest.
        let chain = forwarded(&[
            ("x-forwarded-for", "1.2.3.4, 198.51.100.7"),
            ("x-forwarded-for", "10.0.0.3"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_eq!(client_of(ip("10.0.0.2"), &chain, &proxy), (ip("198.51.100.7"), true));
        let garbled = forwarded(&[("x-forwarded-for", "1.2.3.4, not-an-ip"), ("x-forwarded-proto", "http")]);
        assert_eq!(client_of(ip("10.0.0.2"), &garbled, &proxy), (ip("10.0.0.2"), false));
        assert_eq!(client_of(ip("10.0.0.2"), &HeaderMap::new(), &proxy), (ip("10.0.0.2"), false));
    }

    #[test]
    fn finds_the_session_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("a=1; __Host-lightpath-session=tok; b=2"));
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("tok"));
        assert_eq!(cookie(&headers, "missing"), None);
    }
}
