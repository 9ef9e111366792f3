//! Single sign-on with OpenID Connect (issue 30) against a real provider on loopback
//! (`oidc-provider-mock`, installed by `scripts/oidc-provider.sh`): an org admin registers
//! and tests it, a new member is created with the role their groups map to, and a wrong
//! state, nonce, audience or issuer signs nobody in and creates nothing. With single sign-on
//! enforced, passwords are refused except the break-glass admin's, who needs their code.

use crate::helpers::{session_cookie, spawn_app_with, TestApp, DEMO_PASSWORD};
use crate::second_factor::{enrol, password_step};
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const STATE_COOKIE: &str = "__Host-lightpath-sso";

/// An OpenID Connect provider on a free loopback port, stopped when dropped.
struct Provider {
    url: String,
    child: Child,
    http: reqwest::Client,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Provider {
    async fn start() -> Provider {
        let program = std::env::var("LIGHTPATH_TEST_OIDC_PROVIDER").unwrap_or_else(|_| {
            format!("{}/../target/oidc-provider-venv/bin/oidc-provider-mock", env!("CARGO_MANIFEST_DIR"))
        });
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(&program)
            .args(["--port", &port.to_string(), "--require-nonce", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!("cannot start the OpenID Connect provider {program} ({error}): run scripts/oidc-provider.sh")
            });
        let provider = Provider {
            url: format!("http://127.0.0.1:{port}"),
            child,
            http: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
        };
        for _ in 0..200 {
            let discovery =
                provider.http.get(format!("{}/.well-known/openid-configuration", provider.url)).send().await;
            if discovery.is_ok_and(|answer| answer.status() == 200) {
                return provider;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the OpenID Connect provider did not answer on {}", provider.url);
    }

    /// Tells the provider who `subject` is.
    async fn person(&self, subject: &str, claims: Value) {
        let answer =
            self.http.put(format!("{}/users/{subject}", self.url)).json(&claims).send().await.expect("the provider");
        assert_eq!(answer.status(), 204);
    }

    /// Signs `subject` in on the provider's page for the authorization request `url`;
    /// answers where the provider sends the browser back (our callback with a code).
    async fn authorize(&self, url: &str, subject: &str) -> String {
        let answer = self.http.post(url).form(&[("sub", subject)]).send().await.expect("the provider");
        assert!(answer.status().is_redirection(), "the provider answered {}", answer.status());
        answer.headers()["location"].to_str().unwrap().to_owned()
    }
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").map(|value| value.to_str().unwrap().to_owned()).unwrap_or_default()
}

/// The `name=value` of the sign-in state cookie a response sets.
fn state_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with(&format!("{STATE_COOKIE}=")) && !value.contains("Max-Age=0"))
        .and_then(|value| value.split(';').next())
        .expect("the sign-in state cookie")
        .to_owned()
}

/// The callback path and query the provider redirected to, on our server.
fn on_our_server(app: &TestApp, redirect: &str) -> String {
    let path = redirect.strip_prefix(&app.address).unwrap_or_else(|| panic!("{redirect} is not on {}", app.address));
    assert!(path.starts_with("/sso/callback?"), "{path}");
    path.to_owned()
}

async fn organisation_of(app: &TestApp, cookie: &str) -> String {
    let nav: Value = app.post_form("/api/session", &[], Some(cookie)).await.json().await.unwrap();
    nav["members"].as_str().unwrap().trim_start_matches("/orgs/").to_owned()
}

async fn organisation(app: &TestApp, id: &str, cookie: &str) -> Value {
    let answer = app.post_form("/api/organisation", &[("id", id)], Some(cookie)).await;
    assert_eq!(answer.status(), 200);
    answer.json().await.unwrap()
}

async fn save_settings(app: &TestApp, cookie: &str, org: &str, issuer: &str, client_id: &str) -> reqwest::Response {
    app.post_form(
        "/api/save-sso-settings",
        &[
            ("organisation", org),
            ("issuer", issuer),
            ("client_id", client_id),
            ("client_secret", "client-secret-of-acme"),
            ("domains", "acme.example"),
            ("group_roles", "network-team = technical\nfinance-team = finance"),
            ("new_members", "read-only"),
        ],
        Some(cookie),
    )
    .await
}

/// Starts a sign-in at `/sso/start` (the page that moves on to the provider by itself):
/// answers the provider's authorization URL and the state cookie.
async fn start(app: &TestApp, email: &str) -> (String, String) {
    let started = app.get(&format!("/sso/start?email={email}")).await;
    assert_eq!(started.status(), 200, "{}", location(&started));
    let cookie = state_cookie(&started);
    let page = started.text().await.unwrap();
    let href = page.split("id=\"continue\" href=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("a link on");
    let url = href.replace("&amp;", "&");
    assert!(page.contains(&format!("content=\"0;url={href}\"")), "the page moves on by itself: {page}");
    (url, cookie)
}

async fn callback(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    app.get_with(path, Some(cookie)).await
}

/// Acme's admin registers the provider, tests it and switches it on.
async fn set_up(app: &TestApp, provider: &Provider) -> (String, String) {
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let org = organisation_of(app, &ada).await;
    assert_eq!(save_settings(app, &ada, &org, &provider.url, "lightpath-acme").await.status(), 200);
    provider
        .person(
            "ada-sub",
            json!({ "email": "ada@acme.example", "email_verified": true, "name": "Ada", "groups": ["admins"] }),
        )
        .await;
    let test = app.get_with(&format!("/sso/test/{org}"), Some(&ada)).await;
    assert_eq!(test.status(), 303);
    let cookies = format!("{ada}; {}", state_cookie(&test));
    let back = provider.authorize(&location(&test), "ada-sub").await;
    let tested = callback(app, &on_our_server(app, &back), &cookies).await;
    assert_eq!(location(&tested), format!("/orgs/{org}?sso=tested#sso"));
    assert_eq!(session_cookie(&tested), None, "a test signs nobody in");
    let view = organisation(app, &org, &ada).await;
    assert_eq!(view["sso"]["tested"][1]["email"], "ada@acme.example");
    assert_eq!(view["sso"]["tested"][1]["groups"], json!(["admins"]));
    assert_eq!(view["sso"]["redirect_url"], format!("{}/sso/callback", app.address));
    let on = app.post_form("/api/set-sso-mode", &[("organisation", &org), ("mode", "on")], Some(&ada)).await;
    assert_eq!(on.status(), 200);
    (ada, org)
}

async fn member_count(app: &TestApp, org: &str, cookie: &str) -> usize {
    organisation(app, org, cookie).await["members"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_new_member_signs_in_through_the_provider_with_the_role_of_their_group() {
    let provider = Provider::start().await;
    let app = spawn_app_with(|config| config.webhooks.allow_private = true).await;
    let (ada, org) = set_up(&app, &provider).await;
    let before = member_count(&app, &org, &ada).await;

    let store = app.store().await;
    let secret_stored: String = sqlx::Row::try_get(
        &sqlx::query("SELECT client_secret_sealed FROM sso_providers").fetch_one(store.pool()).await.unwrap(),
        0,
    )
    .unwrap();
    assert!(!secret_stored.contains("client-secret-of-acme"), "the client secret is stored sealed");

    provider
        .person(
            "lin-sub",
            json!({ "email": "lin@acme.example", "email_verified": true, "name": "Lin Park", "groups": ["network-team"] }),
        )
        .await;
    let (authorize, cookie) = start(&app, "lin@acme.example").await;
    assert!(authorize.starts_with(&provider.url));
    for part in ["code_challenge=", "code_challenge_method=S256", "nonce=", "state=", "scope=openid"] {
        assert!(authorize.contains(part), "the authorization request lacks {part}: {authorize}");
    }
    let back = provider.authorize(&authorize, "lin-sub").await;
    let signed_in = callback(&app, &on_our_server(&app, &back), &cookie).await;
    assert_eq!(signed_in.status(), 303);
    assert_eq!(location(&signed_in), "/dashboard");
    let lin = session_cookie(&signed_in).expect("a session");
    let nav: Value = app.post_form("/api/session", &[], Some(&lin)).await.json().await.unwrap();
    assert_eq!(nav["email"], "lin@acme.example");
    assert_eq!(nav["name"], "Lin Park");

    let view = organisation(&app, &org, &ada).await;
    let members = view["members"].as_array().unwrap();
    assert_eq!(members.len(), before + 1);
    let created = members.iter().find(|member| member["email"] == "lin@acme.example").unwrap();
    assert_eq!(created["role"], "buyer", "network-team maps to Technical");

    // The same code, or the same state, a second time signs nobody in.
    let replayed = callback(&app, &on_our_server(&app, &back), &cookie).await;
    assert_eq!(location(&replayed), "/sign-in?sso=expired");
    assert_eq!(session_cookie(&replayed), None);

    // The sign-in is in the organisation's audit log, with how.
    let audit = app.post_form("/api/organisation-audit", &[("organisation", &org)], Some(&ada)).await;
    let audit: Value = audit.json().await.unwrap();
    let entries = audit["items"].as_array().unwrap();
    assert!(entries
        .iter()
        .any(|e| e["action"] == "account.sign-in" && e["after"].as_str().unwrap().contains("\"sso\"")));
    assert!(entries.iter().any(|e| e["action"] == "organisation.sso-settings"));
    assert!(entries.iter().all(|e| !e["after"].as_str().unwrap_or_default().contains("client-secret-of-acme")));
}

#[tokio::test]
async fn a_wrong_state_nonce_audience_or_issuer_signs_nobody_in() {
    let provider = Provider::start().await;
    let app = spawn_app_with(|config| config.webhooks.allow_private = true).await;
    let (ada, org) = set_up(&app, &provider).await;
    let before = member_count(&app, &org, &ada).await;
    provider
        .person("mo-sub", json!({ "email": "mo@acme.example", "email_verified": true, "name": "Mo", "groups": [] }))
        .await;

    // State: the provider's answer to one sign-in, brought back by a browser that started
    // another (or none).
    let (first, first_cookie) = start(&app, "mo@acme.example").await;
    let (_, other_cookie) = start(&app, "mo@acme.example").await;
    let back = provider.authorize(&first, "mo-sub").await;
    for cookie in [other_cookie.as_str(), ""] {
        let refused = callback(&app, &on_our_server(&app, &back), cookie).await;
        assert_eq!(location(&refused), "/sign-in?sso=expired");
        assert_eq!(session_cookie(&refused), None);
    }
    // The right browser may still finish it (the refusals above used nothing up).
    let good = callback(&app, &on_our_server(&app, &back), &first_cookie).await;
    assert!(session_cookie(&good).is_some());
    let created = member_count(&app, &org, &ada).await;
    assert_eq!(created, before + 1);

    // Nonce: a code issued for one sign-in, presented with another's state (and this
    // browser's cookie for it): its ID token carries the first sign-in's nonce.
    provider
        .person("nia-sub", json!({ "email": "nia@acme.example", "email_verified": true, "name": "Nia", "groups": [] }))
        .await;
    let (a, _) = start(&app, "nia@acme.example").await;
    let (_, b_cookie) = start(&app, "nia@acme.example").await;
    let code_for_a = provider.authorize(&a, "nia-sub").await;
    let code = query_value(&code_for_a, "code");
    let b_state = b_cookie.split_once('=').unwrap().1.to_owned();
    let swapped = callback(&app, &format!("/sso/callback?code={code}&state={b_state}"), &b_cookie).await;
    assert_eq!(location(&swapped), "/sign-in?sso=provider-failed");
    assert_eq!(session_cookie(&swapped), None);

    // Audience: a code the provider issued to another client.
    let (_, c_cookie) = start(&app, "nia@acme.example").await;
    let c_state = c_cookie.split_once('=').unwrap().1.to_owned();
    let foreign = format!(
        "{}/oauth2/authorize?client_id=someone-else&response_type=code&scope=openid+email&nonce=n1&state=s1&redirect_uri={}",
        provider.url,
        percent(&format!("{}/sso/callback", app.address)),
    );
    let foreign_code = query_value(&provider.authorize(&foreign, "nia-sub").await, "code");
    let wrong_audience = callback(&app, &format!("/sso/callback?code={foreign_code}&state={c_state}"), &c_cookie).await;
    assert_eq!(location(&wrong_audience), "/sign-in?sso=provider-failed");
    assert_eq!(session_cookie(&wrong_audience), None);
    assert_eq!(member_count(&app, &org, &ada).await, created, "nobody was created");

    // Issuer: registered with a trailing slash, it is not the issuer the provider states;
    // the test sign-in fails at discovery and single sign-on stays off.
    let changed = save_settings(&app, &ada, &org, &format!("{}/", provider.url), "lightpath-acme").await;
    assert_eq!(changed.status(), 200);
    let test = app.get_with(&format!("/sso/test/{org}"), Some(&ada)).await;
    assert_eq!(location(&test), format!("/orgs/{org}?sso=provider-failed#sso"));
    let view = organisation(&app, &org, &ada).await;
    assert_eq!(view["sso"]["mode"], "off", "a saved change switches it off");
    assert!(view["sso"]["tested"].is_null());
    let on = app.post_form("/api/set-sso-mode", &[("organisation", &org), ("mode", "on")], Some(&ada)).await;
    assert_eq!(on.status(), 409, "not before a test succeeds");
    let start_again = app.get("/sso/start?email=nia@acme.example").await;
    assert!(location(&start_again).starts_with("/sign-in?sso=not-set-up"), "{}", location(&start_again));
}

#[tokio::test]
async fn an_unverified_email_creates_nobody_and_other_organisations_keep_their_accounts() {
    let provider = Provider::start().await;
    let app = spawn_app_with(|config| config.webhooks.allow_private = true).await;
    let (ada, org) = set_up(&app, &provider).await;
    let before = member_count(&app, &org, &ada).await;
    provider
        .person("uv-sub", json!({ "email": "uv@acme.example", "email_verified": false, "name": "Uv", "groups": [] }))
        .await;
    let (authorize, cookie) = start(&app, "uv@acme.example").await;
    let back = provider.authorize(&authorize, "uv-sub").await;
    let refused = callback(&app, &on_our_server(&app, &back), &cookie).await;
    assert_eq!(location(&refused), "/sign-in?sso=unverified");
    assert_eq!(member_count(&app, &org, &ada).await, before);

    // A provider that sends another organisation's member's address signs nobody in.
    provider
        .person(
            "hal-sub",
            json!({ "email": "hal@globex.example", "email_verified": true, "name": "Hal", "groups": [] }),
        )
        .await;
    let (authorize, cookie) = start(&app, "someone@acme.example").await;
    let back = provider.authorize(&authorize, "hal-sub").await;
    let refused = callback(&app, &on_our_server(&app, &back), &cookie).await;
    assert_eq!(location(&refused), "/sign-in?sso=other-domain");
    assert_eq!(session_cookie(&refused), None);

    // Globex cannot claim Acme's domain, nor a domain Acme's members use.
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    let globex = organisation_of(&app, &hal).await;
    let claimed = save_settings(&app, &hal, &globex, &provider.url, "lightpath-globex").await;
    assert_eq!(claimed.status(), 422);
    let body = claimed.text().await.unwrap();
    assert!(body.contains("acme.example"), "{body}");
    // Nor set up Acme's provider, nor read it.
    let foreign = save_settings(&app, &hal, &org, &provider.url, "x").await;
    assert_eq!(foreign.status(), 404);
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    assert_eq!(save_settings(&app, &grace, &org, &provider.url, "x").await.status(), 403);
    assert!(organisation(&app, &org, &grace).await["sso"].is_null(), "only the organisation's admins see it");
}

#[tokio::test]
async fn enforced_single_sign_on_refuses_passwords_except_the_break_glass_admin_with_a_code() {
    let provider = Provider::start().await;
    let app = spawn_app_with(|config| config.webhooks.allow_private = true).await;
    let (ada, org) = set_up(&app, &provider).await;
    let ada_id = {
        let view = organisation(&app, &org, &ada).await;
        let members = view["members"].as_array().unwrap().clone();
        members.iter().find(|member| member["email"] == "ada@acme.example").unwrap()["id"].as_str().unwrap().to_owned()
    };
    let enforce = |break_glass: &str| {
        let (org, break_glass) = (org.clone(), break_glass.to_owned());
        let (app, ada) = (&app, ada.clone());
        async move {
            app.post_form(
                "/api/set-sso-mode",
                &[("organisation", &org), ("mode", "enforced"), ("break_glass", &break_glass)],
                Some(&ada),
            )
            .await
        }
    };
    assert_eq!(enforce("").await.status(), 409, "enforcing needs a break-glass admin");
    assert_eq!(enforce(&ada_id).await.status(), 409, "who has an authenticator app");
    enrol(&app, &ada).await;
    assert_eq!(enforce(&ada_id).await.status(), 200);

    // Members' passwords are refused, right or wrong, known account or not: the same answer.
    for email in ["grace@acme.example", "nobody@acme.example"] {
        for password in [DEMO_PASSWORD, "wrong-password-123"] {
            let refused = app.post_form("/api/sign-in", &[("email", email), ("password", password)], None).await;
            assert_eq!(refused.status(), 403, "{email}");
            assert_eq!(session_cookie(&refused), None);
            assert!(refused.text().await.unwrap().contains("single sign-on"));
        }
    }
    // The break-glass admin signs in with her password and then her code.
    password_step(&app, "ada@acme.example").await;
    // Other organisations are not affected.
    app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    // Members still sign in through the provider.
    provider
        .person(
            "grace-sub",
            json!({ "email": "grace@acme.example", "email_verified": true, "name": "Grace", "groups": [] }),
        )
        .await;
    let (authorize, cookie) = start(&app, "grace@acme.example").await;
    let back = provider.authorize(&authorize, "grace-sub").await;
    let grace = callback(&app, &on_our_server(&app, &back), &cookie).await;
    assert!(session_cookie(&grace).is_some());
}

fn query_value(url: &str, name: &str) -> String {
    let parsed = url::Url::parse(url).unwrap();
    let value = parsed.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned());
    percent(&value.unwrap_or_else(|| panic!("{url} has no {name}")))
}

fn percent(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
