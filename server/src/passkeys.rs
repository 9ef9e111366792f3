//! Passkeys' browser endpoints: each ceremony is two JSON calls from `public/passkeys.js`,
//! `POST /passkeys/{ceremony}/options` (what to pass to `navigator.credentials`) and
//! `POST /passkeys/{ceremony}` (the device's signed answer). The use cases in
//! `lightpath_app::passkeys` do the work; this reads cookies and the Host, and sets the
//! session cookie when a sign-in succeeds. Errors are problem documents like the API's.
//!
//! Like `/sso/*` these are the portal's own pages' calls (session cookie, same-origin writes
//! only), not part of the token API. Every call counts against the client address's sign-in
//! attempts.

use crate::api::v1::Body;
use crate::api::ApiError;
use crate::state::AppState;
use app::auth::{ClientIp, Session};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{middleware, Extension, Json, Router};
use lightpath_app::passkeys::{self, PasskeyOptions};
use lightpath_app::{AppError, Caller};
use lightpath_domain::account::Actor;
use serde::Deserialize;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/passkeys/register/options", post(register_options))
        .route("/passkeys/register", post(register))
        .route("/passkeys/sign-in/options", post(sign_in_options))
        .route("/passkeys/sign-in", post(sign_in))
        .route("/passkeys/second-step/options", post(second_step_options))
        .route("/passkeys/second-step", post(second_step))
        .route("/passkeys/confirm/options", post(confirm_options))
        .route("/passkeys/confirm", post(confirm))
        .route_layer(middleware::from_fn_with_state(state, limit_by_address))
}

/// Every call counts against the client address's sign-in attempts: each starts a stored
/// ceremony or answers one.
async fn limit_by_address(
    State(state): State<AppState>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    match state.auth_limiter.check_address(ip) {
        Ok(()) => next.run(request).await,
        Err(error) => ApiError::from(error).into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct NameBody {
    name: String,
}

#[derive(Debug, Deserialize)]
struct EmailBody {
    email: String,
}

/// The device's answer to a ceremony, and where a sign-in goes next.
#[derive(Debug, Deserialize)]
struct Answer {
    ceremony: String,
    credential: serde_json::Value,
    #[serde(default)]
    next: Option<String>,
}

fn host(headers: &HeaderMap) -> &str {
    headers.get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or_default()
}

fn caller(state: &AppState, session: &Option<Extension<Session>>) -> Caller {
    Caller::new(session.as_ref().map(|Extension(session)| session.actor.clone()), state.store.clone())
}

fn answer_options(options: Result<PasskeyOptions, AppError>) -> Response {
    match options {
        Ok(options) => ([(header::CACHE_CONTROL, "no-store")], Json(options)).into_response(),
        Err(error) => ApiError::from(error).into_response(),
    }
}

fn done(result: Result<(), AppError>) -> Response {
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => ApiError::from(error).into_response(),
    }
}

/// A signed-in answer: where to go, and the new session's cookie (the sign-in's challenge
/// cookie cleared).
fn signed_in(result: Result<(Actor, String), AppError>, next: Option<&str>) -> Response {
    let (actor, token) = match result {
        Ok(signed_in) => signed_in,
        Err(error) => return ApiError::from(error).into_response(),
    };
    let (home, _) = lightpath_domain::policy::home(&actor);
    let redirect = app::auth::safe_next(next.filter(|next| !next.is_empty()), home);
    let mut response =
        ([(header::CACHE_CONTROL, "no-store")], Json(serde_json::json!({ "redirect": redirect }))).into_response();
    let cookies = [
        app::auth::session_cookie(&token, lightpath_app::accounts::SESSION_LIFETIME_SECS),
        app::auth::clear_challenge_cookie(),
    ];
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

async fn register_options(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Body(body): Body<NameBody>,
) -> Response {
    answer_options(passkeys::registration_options(&caller(&state, &session), host(&headers), &body.name).await)
}

async fn register(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Body(answer): Body<Answer>,
) -> Response {
    let token = session.as_ref().map(|Extension(session)| session.token.clone());
    let caller = caller(&state, &session);
    done(
        passkeys::finish_registration(&caller, host(&headers), &answer.ceremony, &answer.credential, token.as_deref())
            .await,
    )
}

async fn sign_in_options(State(state): State<AppState>, headers: HeaderMap, Body(body): Body<EmailBody>) -> Response {
    let caller = Caller::anonymous(state.store.clone());
    answer_options(passkeys::sign_in_options(&caller, host(&headers), &body.email).await)
}

async fn sign_in(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Body(answer): Body<Answer>,
) -> Response {
    let old = session.as_ref().map(|Extension(session)| session.token.clone());
    let caller = Caller::anonymous(state.store.clone());
    let result =
        passkeys::finish_sign_in(&caller, host(&headers), &answer.ceremony, &answer.credential, old.as_deref()).await;
    signed_in(result, answer.next.as_deref())
}

async fn second_step_options(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let challenge = crate::sso::cookie(&headers, app::auth::CHALLENGE_COOKIE);
    let caller = Caller::anonymous(state.store.clone());
    answer_options(passkeys::second_step_options(&caller, host(&headers), challenge.as_deref()).await)
}

async fn second_step(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Body(answer): Body<Answer>,
) -> Response {
    let challenge = crate::sso::cookie(&headers, app::auth::CHALLENGE_COOKIE);
    let old = session.as_ref().map(|Extension(session)| session.token.clone());
    let caller = Caller::anonymous(state.store.clone());
    let result = passkeys::finish_second_step(
        &caller,
        host(&headers),
        challenge.as_deref(),
        &answer.ceremony,
        &answer.credential,
        old.as_deref(),
    )
    .await;
    signed_in(result, answer.next.as_deref())
}

async fn confirm_options(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
) -> Response {
    answer_options(passkeys::confirm_options(&caller(&state, &session), host(&headers)).await)
}

async fn confirm(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Body(answer): Body<Answer>,
) -> Response {
    let token = session.as_ref().map(|Extension(session)| session.token.clone());
    let caller = caller(&state, &session);
    done(
        passkeys::finish_confirm(&caller, host(&headers), &answer.ceremony, &answer.credential, token.as_deref()).await,
    )
}
