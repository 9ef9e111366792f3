//! Single sign-on's browser flow with an organisation's OpenID Connect provider: the
//! authorization code flow with PKCE, state and nonce (`openidconnect`).
//!
//! - `GET /sso/start?email=…&next=…`: the email's organisation's provider, if single sign-on
//!   is on for its domain; `GET /sso/test/{organisation}`: its admin's test sign-in.
//! - Both remember the sign-in (state hashed, PKCE verifier, nonce) in the store, bind it to
//!   this browser with a short-lived cookie, and redirect to the provider.
//! - `GET /sso/callback?code=…&state=…`: the state must be this browser's and unused; the code
//!   is exchanged with the PKCE verifier; the ID token's signature (RS256 only: `alg: none`
//!   and others refused), issuer, audience, expiry and nonce are checked; then the use case
//!   signs the member in (or records the admin's test).
//!
//! The provider is reached as webhooks reach receivers: its host resolved once per request and
//! private addresses refused (unless `LIGHTPATH_WEBHOOKS_ALLOW_PRIVATE`, for tests and demos),
//! no redirects followed, answers capped at 1 MiB, 10 s at most. Nothing the provider answers
//! is echoed onto a page: a failure lands on a page with a fixed message for its kind.

use crate::state::AppState;
use app::auth::{ClientIp, Session};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use lightpath_app::sso::{LoginPurpose, ProviderClient, SsoSignIn};
use lightpath_app::{AppError, Caller};
use lightpath_domain::sso::{SsoRefusal, VerifiedIdentity};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreResponseType,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    Scope, StandardErrorResponse, StandardTokenResponse,
};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The cookie that ties a sign-in at the provider to this browser: its state, 10 minutes.
/// SameSite=Lax, because the provider's redirect back is a navigation from another site.
const STATE_COOKIE: &str = "__Host-lightpath-sso";
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_ANSWER_BYTES: usize = 1 << 20;

/// The `groups` claim many providers send (Okta, Keycloak, Entra ID with group claims).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Groups {
    #[serde(default)]
    groups: Vec<String>,
}
impl AdditionalClaims for Groups {}

type IdTokenFields = openidconnect::IdTokenFields<
    Groups,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type TokenResponse = StandardTokenResponse<IdTokenFields, CoreTokenType>;
type OidcClient = openidconnect::Client<
    Groups,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    TokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sso/start", get(start))
        .route("/sso/test/{organisation}", get(test))
        .route(lightpath_app::sso::CALLBACK_PATH, get(callback))
}

#[derive(Debug, Deserialize)]
struct StartQuery {
    email: String,
    next: Option<String>,
}

/// Sends a person to their organisation's provider.
async fn start(
    State(state): State<AppState>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    Query(query): Query<StartQuery>,
) -> Response {
    if let Err(error) = state.auth_limiter.check_address(ip) {
        return error_page(&error);
    }
    let caller = Caller::anonymous(state.store.clone());
    let client = match lightpath_app::sso::sign_in_client(&caller, &query.email).await {
        Ok(client) => client,
        Err(AppError::Fields(_)) | Err(AppError::Invalid(_)) => {
            return Redirect::to(&format!(
                "/sign-in?sso=not-set-up&email={}",
                app::components::percent_encode(query.email.trim())
            ))
            .into_response()
        }
        Err(error) => return error_page(&error),
    };
    let next = query
        .next
        .as_deref()
        .filter(|next| !next.is_empty())
        .map(|next| app::auth::safe_next(Some(next), "/dashboard"));
    to_provider(&state, &caller, &headers, client, LoginPurpose::SignIn, next.as_deref()).await
}

/// The organisation admin's test sign-in: shows them what the provider sends.
async fn test(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Path(organisation): Path<String>,
) -> Response {
    let Some(Extension(session)) = session else {
        return Redirect::to(&format!("/sign-in?next=/orgs/{}", app::components::percent_encode(&organisation)))
            .into_response();
    };
    let caller = Caller::new(Some(session.actor), state.store.clone());
    let client = match lightpath_app::sso::test_client(&caller, organisation).await {
        Ok(client) => client,
        Err(error) => return error_page(&error),
    };
    to_provider(&state, &caller, &headers, client, LoginPurpose::Test, None).await
}

async fn to_provider(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    client: ProviderClient,
    purpose: LoginPurpose,
    next: Option<&str>,
) -> Response {
    let failed = |purpose: LoginPurpose, organisation: &str| landing(purpose, organisation, SsoRefusal::ProviderFailed);
    let Some(redirect) = callback_url(headers) else {
        return (StatusCode::BAD_REQUEST, "The request's Host header is not usable.").into_response();
    };
    let oidc = match oidc_client(&client, &redirect, state.webhook_policy.allow_private).await {
        Ok(oidc) => oidc,
        Err(problem) => {
            tracing::warn!(organisation = %client.organisation, %problem, "single sign-on: provider discovery failed");
            return failed(purpose, client.organisation.as_str());
        }
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let nonce = Nonce::new_random();
    let stored = lightpath_app::sso::remember(caller, &client, purpose, verifier.secret(), nonce.secret(), next).await;
    let state_token = match stored {
        Ok(state_token) => state_token,
        Err(error) => return error_page(&error),
    };
    let csrf = CsrfToken::new(state_token.clone());
    let (url, _, _) = oidc
        .authorize_url(AuthenticationFlow::<CoreResponseType>::AuthorizationCode, move || csrf, move || nonce)
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let cookie = format!("{STATE_COOKIE}={state_token}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=600");
    let mut response = match purpose {
        // The sign-in page's form led here, and its policy (`form-action 'self'`) would stop a
        // redirect to another site: a page that moves on by itself (a meta refresh is not a form
        // submission) and says where to, with a link for a browser that does not refresh.
        LoginPurpose::SignIn => onward_page(url.as_str()),
        LoginPurpose::Test => Redirect::to(url.as_str()).into_response(),
    };
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

#[derive(Debug, Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// The provider's answer.
async fn callback(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Response {
    if let Err(error) = state.auth_limiter.check_address(ip) {
        return error_page(&error);
    }
    let cookie_state = cookie(&headers, STATE_COOKIE);
    // The state must be the one this browser was sent off with: another browser's (a link an
    // attacker got someone to open) is refused before anything is looked up.
    let Some(state_token) = query.state.filter(|state_token| Some(state_token) == cookie_state.as_ref()) else {
        return with_cleared_cookie(landing(LoginPurpose::SignIn, "", SsoRefusal::Expired));
    };
    let caller = Caller::new(session.as_ref().map(|Extension(session)| session.actor.clone()), state.store.clone());
    let (login, client) = match lightpath_app::sso::take(&caller, &state_token).await {
        Ok(taken) => taken,
        Err(AppError::Invalid(_)) => {
            return with_cleared_cookie(landing(LoginPurpose::SignIn, "", SsoRefusal::Expired))
        }
        Err(error) => return error_page(&error),
    };
    let organisation = login.organisation.to_string();
    let refused = |refusal| with_cleared_cookie(landing(login.purpose, &organisation, refusal));
    if query.error.is_some() {
        return refused(SsoRefusal::Cancelled);
    }
    let Some(code) = query.code else { return refused(SsoRefusal::Cancelled) };
    let Some(redirect) = callback_url(&headers) else { return refused(SsoRefusal::ProviderFailed) };
    let identity = match verified_identity(&client, &redirect, &login, code, state.webhook_policy.allow_private).await {
        Ok(identity) => identity,
        Err(problem) => {
            tracing::warn!(organisation, %problem, "single sign-on: the provider's answer was refused");
            return refused(SsoRefusal::ProviderFailed);
        }
    };
    match login.purpose {
        LoginPurpose::Test => match lightpath_app::sso::finish_test(&caller, &login, &identity).await {
            Ok(true) => {
                with_cleared_cookie(Redirect::to(&format!("/orgs/{organisation}?sso=tested#sso")).into_response())
            }
            Ok(false) => {
                with_cleared_cookie(Redirect::to(&format!("/orgs/{organisation}?sso=changed#sso")).into_response())
            }
            Err(error) => error_page(&error),
        },
        LoginPurpose::SignIn => {
            let old = session.map(|Extension(session)| session.token);
            match lightpath_app::sso::finish_sign_in(&caller, &login, &identity, old.as_deref()).await {
                Ok(SsoSignIn::Session { actor, token }) => {
                    let (home, _) = lightpath_domain::policy::home(&actor);
                    let next = app::auth::safe_next(login.next.as_deref(), home);
                    let mut response = with_cleared_cookie(Redirect::to(&next).into_response());
                    let cookie = app::auth::session_cookie(&token, lightpath_app::accounts::SESSION_LIFETIME_SECS);
                    if let Ok(value) = HeaderValue::from_str(&cookie) {
                        response.headers_mut().append(header::SET_COOKIE, value);
                    }
                    response
                }
                Ok(SsoSignIn::Refused(refusal)) => refused(refusal),
                Err(error) => error_page(&error),
            }
        }
    }
}

/// Exchanges the code (with the PKCE verifier) and checks the ID token.
async fn verified_identity(
    client: &ProviderClient,
    redirect: &str,
    login: &lightpath_app::sso::SsoLogin,
    code: String,
    allow_private: bool,
) -> Result<VerifiedIdentity, String> {
    let oidc = oidc_client(client, redirect, allow_private).await?;
    let http = move |request| fetch(request, allow_private);
    let answer = oidc
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|error| format!("no token endpoint: {error}"))?
        .set_pkce_verifier(PkceCodeVerifier::new(login.pkce_verifier.clone()))
        .request_async(&http)
        .await
        .map_err(|error| format!("code exchange: {error}"))?;
    let id_token = answer.extra_fields().id_token().ok_or("the answer has no ID token")?;
    let claims = id_token
        .claims(&oidc.id_token_verifier(), &Nonce::new(login.nonce.clone()))
        .map_err(|error| format!("ID token: {error}"))?;
    Ok(VerifiedIdentity {
        subject: claims.subject().to_string(),
        email: claims.email().map(|email| email.to_string()),
        email_verified: claims.email_verified().unwrap_or(false),
        name: claims.name().and_then(|name| name.get(None)).map(|name| name.to_string()),
        groups: claims.additional_claims().groups.iter().take(200).cloned().collect(),
    })
}

/// Discovers the provider (its issuer must equal the registered one exactly) and makes the
/// client.
async fn oidc_client(client: &ProviderClient, redirect: &str, allow_private: bool) -> Result<OidcClient, String> {
    let http = move |request| fetch(request, allow_private);
    let issuer = IssuerUrl::new(client.issuer.clone()).map_err(|error| format!("issuer: {error}"))?;
    let metadata =
        CoreProviderMetadata::discover_async(issuer, &http).await.map_err(|error| format!("discovery: {error}"))?;
    let redirect = RedirectUrl::new(redirect.to_owned()).map_err(|error| format!("redirect: {error}"))?;
    Ok(OidcClient::from_provider_metadata(
        metadata,
        ClientId::new(client.client_id.clone()),
        Some(ClientSecret::new(client.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct FetchError(String);

/// One request to a provider: https (or http on loopback), its host resolved now and pinned,
/// private addresses refused unless allowed, no redirects, 10 s, 1 MiB.
async fn fetch(
    request: openidconnect::HttpRequest,
    allow_private: bool,
) -> Result<openidconnect::HttpResponse, FetchError> {
    let fail = |why: String| FetchError(why);
    let url = url::Url::parse(&request.uri().to_string()).map_err(|_| fail("not a URL".into()))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        scheme => return Err(fail(format!("{scheme} is not allowed"))),
    }
    let http = crate::webhooks::pinned_client(&url, allow_private, REQUEST_TIMEOUT).await.map_err(|why| {
        fail(match why {
            crate::webhooks::PinError::NoHost => "no host".into(),
            crate::webhooks::PinError::Unresolved(error) => format!("resolve: {error}"),
            crate::webhooks::PinError::OnlyPrivate => "the provider's host resolves only to private addresses".into(),
            crate::webhooks::PinError::Client(error) => error.to_string(),
        })
    })?;
    let (parts, body) = request.into_parts();
    let mut response = http
        .request(parts.method, url)
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(|error| fail(error.without_url().to_string()))?;
    let mut answer = http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        answer = answer.header(name, value);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|error| fail(error.without_url().to_string()))? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(fail("the provider's answer is over 1 MiB".into()));
        }
        body.extend_from_slice(&chunk);
    }
    answer.body(body).map_err(|error| fail(error.to_string()))
}

/// Where the provider sends people back: this portal's own address as the browser used it.
fn callback_url(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    lightpath_domain::sso::callback_url(host, lightpath_app::sso::CALLBACK_PATH)
}

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|value| value.to_str().ok()).find_map(|header| {
        header.split(';').find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name && !value.is_empty()).then(|| value.to_owned())
        })
    })
}

/// The page a refused sign-in lands on: the sign-in page, or for a test the organisation's.
fn landing(purpose: LoginPurpose, organisation: &str, refusal: SsoRefusal) -> Response {
    let to = match purpose {
        LoginPurpose::Test if !organisation.is_empty() => format!("/orgs/{organisation}?sso={}#sso", refusal.slug()),
        _ => format!("/sign-in?sso={}", refusal.slug()),
    };
    Redirect::to(&to).into_response()
}

fn with_cleared_cookie(mut response: Response) -> Response {
    let clear = format!("{STATE_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&clear) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The page that sends a browser on to its provider's sign-in.
fn onward_page(url: &str) -> Response {
    let url = escape(url);
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"0;url={url}\"><title>Single sign-on · Lightpath</title></head>\
         <body><main><h1>Single sign-on</h1><p>Taking you to your organisation’s sign-in page…</p>\
         <p><a id=\"continue\" href=\"{url}\">Continue to your identity provider</a></p></main></body></html>"
    );
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body)
        .into_response()
}

/// A use case's refusal as a plain page (these are navigations, not calls of the page's code).
fn error_page(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Single sign-on</title></head>\
         <body><main><h1>Single sign-on</h1><p>{}</p><p><a href=\"/sign-in\">Back to sign-in</a></p></main></body></html>",
        escape(&error.to_string())
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
