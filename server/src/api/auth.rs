//! Who a REST request acts for. `Authorization: Bearer lpt_…` names an API token (made by an
//! organisation's admin; see `lightpath_store::api_tokens`), limited per token. Without a
//! token the browser's session may read (`GET`, `HEAD`) but never change anything: a cookie
//! rides along on requests its person did not mean to make, a token is sent on purpose.
//! Server functions read only the cookie, so a token never works for them.

use super::ApiError;
use crate::state::AppState;
use app::auth::Session;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use lightpath_app::Caller;
use lightpath_domain::account::TokenRef;
use std::num::NonZeroU32;
use std::sync::Arc;

pub const SEND_A_TOKEN: &str =
    "Send an API token: `Authorization: Bearer lpt_…`. An organisation admin creates one under Organisation → API tokens.";
const BAD_TOKEN: &str = "This API token is not valid: it is unknown, revoked or expired. Ask your organisation's admin for a new one (Organisation → API tokens).";
const COOKIE_WRITE: &str = "The REST API makes changes only with an API token (`Authorization: Bearer lpt_…`), never with a browser session. An organisation admin creates one under Organisation → API tokens.";

/// Requests per API token per minute, in memory on each server.
#[derive(Clone)]
pub struct ApiRateLimiter(Arc<DefaultKeyedRateLimiter<String>>);

/// Above this many remembered tokens, tokens whose quota has refilled are forgotten.
const PRUNE_ABOVE: usize = 10_000;

impl ApiRateLimiter {
    pub fn per_minute(requests: u32) -> ApiRateLimiter {
        let quota = Quota::per_minute(NonZeroU32::new(requests.max(1)).unwrap_or(NonZeroU32::MIN));
        ApiRateLimiter(Arc::new(RateLimiter::keyed(quota)))
    }

    fn check(&self, token: &TokenRef) -> Result<(), ApiError> {
        if self.0.len() > PRUNE_ABOVE {
            self.0.retain_recent();
        }
        self.0.check_key(&token.id.to_string()).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1);
            ApiError::TooMany {
                message: format!(
                    "This API token made too many requests this minute: wait {wait} seconds and try again."
                ),
                retry_after_secs: Some(wait),
            }
        })
    }
}

/// How a request proved who it is.
#[derive(Clone, Debug)]
pub enum Credential {
    /// An API token: its secret (to check it is still live) and what it is.
    Token {
        secret: String,
        token: TokenRef,
    },
    /// The browser's session cookie (reads only).
    Session {
        token: String,
    },
    Anonymous,
}

/// The caller of a REST request, for the application layer.
pub struct ApiCaller {
    pub caller: Caller,
    pub credential: Credential,
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let secret = value
                .to_str()
                .ok()
                .and_then(|text| text.strip_prefix("Bearer "))
                .map(str::trim)
                .ok_or_else(|| ApiError::Unauthorized(SEND_A_TOKEN.to_owned()))?;
            let actor =
                state.store.token_actor(secret).await?.ok_or_else(|| ApiError::Unauthorized(BAD_TOKEN.to_owned()))?;
            let token = actor.token.clone().ok_or(ApiError::Down)?;
            state.api_limiter.check(&token)?;
            tracing::info!(token = %token.prefix, "API request with a token");
            let credential = Credential::Token { secret: secret.to_owned(), token };
            return Ok(ApiCaller { caller: Caller::new(Some(actor), state.store.clone()), credential });
        }
        let session = parts.extensions.get::<Session>().cloned();
        let reads = matches!(parts.method, Method::GET | Method::HEAD);
        match session {
            Some(_) if !reads => Err(ApiError::Unauthorized(COOKIE_WRITE.to_owned())),
            // Every change needs a token: refused before its body is read, whatever it holds.
            None if !reads => Err(ApiError::Unauthorized(SEND_A_TOKEN.to_owned())),
            Some(Session { token, actor }) => Ok(ApiCaller {
                caller: Caller::new(Some(actor), state.store.clone()),
                credential: Credential::Session { token },
            }),
            None => Ok(ApiCaller { caller: Caller::new(None, state.store.clone()), credential: Credential::Anonymous }),
        }
    }
}
