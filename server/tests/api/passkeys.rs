//! Passkeys (issue 30), against a software authenticator that signs as a phone or laptop
//! would (webauthn-authenticator-rs): registering one, signing in with it alone, as the second
//! step after a password and for "Confirm it's you"; a replayed or foreign answer refused;
//! sign-in options that do not tell who has an account; removal, by its owner or their admin.

use crate::helpers::{session_cookie, spawn_app, TestApp, DEMO_PASSWORD};
use serde_json::{json, Value};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_rs_proto::{CreationChallengeResponse, RequestChallengeResponse};

/// The portal by name: passkeys are bound to a host name, never to an IP address.
fn named(app: &TestApp) -> (String, url::Url) {
    let port = app.address.rsplit(':').next().unwrap();
    let host = format!("localhost:{port}");
    let origin = url::Url::parse(&format!("http://{host}")).unwrap();
    (host, origin)
}

/// POSTs JSON to a passkey endpoint as the portal's own page would, by its name.
async fn call(app: &TestApp, path: &str, body: &Value, cookie: Option<&str>) -> reqwest::Response {
    let (host, _) = named(app);
    let mut request = app
        .client
        .post(format!("{}{path}", app.address))
        .header("host", host)
        .header("sec-fetch-site", "same-origin")
        .json(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("request reaches the server")
}

fn device() -> WebauthnAuthenticator<SoftPasskey> {
    // `true`: it reports user verification (a fingerprint or PIN), as platform passkeys do.
    WebauthnAuthenticator::new(SoftPasskey::new(true))
}

/// Registers a passkey named `name` on the signed-in `cookie`'s account.
async fn register(app: &TestApp, device: &mut WebauthnAuthenticator<SoftPasskey>, cookie: &str, name: &str) {
    let options = call(app, "/passkeys/register/options", &json!({ "name": name }), Some(cookie)).await;
    assert_eq!(options.status(), 200);
    let options: Value = options.json().await.unwrap();
    let challenge: CreationChallengeResponse = serde_json::from_value(options["options"].clone()).unwrap();
    assert_eq!(challenge.public_key.rp.id, "localhost");
    let credential = device.do_registration(named(app).1, challenge).expect("the device makes a passkey");
    let answer = json!({ "ceremony": options["ceremony"], "credential": credential });
    let finished = call(app, "/passkeys/register", &answer, Some(cookie)).await;
    assert_eq!(finished.status(), 204, "{}", finished.text().await.unwrap());
}

/// Options for an authentication ceremony, and the device's signed answer to them.
async fn sign(
    app: &TestApp,
    device: &mut WebauthnAuthenticator<SoftPasskey>,
    path: &str,
    body: &Value,
    cookie: Option<&str>,
) -> (String, Value) {
    let options = call(app, path, body, cookie).await;
    assert_eq!(options.status(), 200, "{path}");
    let options: Value = options.json().await.unwrap();
    let request: RequestChallengeResponse = serde_json::from_value(options["options"].clone()).unwrap();
    let credential = device.do_authentication(named(app).1, request).expect("the device signs");
    (options["ceremony"].as_str().unwrap().to_owned(), serde_json::to_value(credential).unwrap())
}

async fn latest_method(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT method FROM sessions ORDER BY created_at_ms DESC LIMIT 1")
        .fetch_one(app.store().await.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_passkey_signs_in_alone_once_per_challenge_and_as_the_second_step() {
    let app = spawn_app().await;
    let mut laptop = device();
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    register(&app, &mut laptop, &grace, "Work laptop").await;
    let view: Value = app.post_form("/api/second-factor", &[], Some(&grace)).await.json().await.unwrap();
    assert_eq!(view["passkeys"][0]["name"], "Work laptop");
    assert_eq!(view["passkeys"][0]["last_used_ms"], Value::Null);

    // Signing in with the passkey alone: email, then the device.
    let email = json!({ "email": "grace@acme.example" });
    let (ceremony, credential) = sign(&app, &mut laptop, "/passkeys/sign-in/options", &email, None).await;
    let answer = json!({ "ceremony": ceremony, "credential": credential, "next": "/designs" });
    let signed_in = call(&app, "/passkeys/sign-in", &answer, None).await;
    assert_eq!(signed_in.status(), 200);
    let session = session_cookie(&signed_in).expect("a session");
    assert_eq!(signed_in.json::<Value>().await.unwrap()["redirect"], "/designs");
    assert_eq!(app.get_with("/dashboard", Some(&session)).await.status(), 200);
    assert_eq!(latest_method(&app).await, "passkey");
    // The same answer again: its ceremony is used up.
    let replayed = call(&app, "/passkeys/sign-in", &answer, None).await;
    assert_eq!(replayed.status(), 422);
    assert_eq!(session_cookie(&replayed), None);
    // And it does not answer a new ceremony's challenge either.
    let fresh: Value = call(&app, "/passkeys/sign-in/options", &email, None).await.json().await.unwrap();
    let stale_answer = json!({ "ceremony": fresh["ceremony"], "credential": credential });
    assert_eq!(call(&app, "/passkeys/sign-in", &stale_answer, None).await.status(), 422);

    // With a passkey, a right password waits for a second step, which the passkey answers.
    let password =
        app.post_form("/api/sign-in", &[("email", "grace@acme.example"), ("password", DEMO_PASSWORD)], None).await;
    assert_eq!(session_cookie(&password), None, "no session before the second step");
    let challenge = password
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("__Host-lightpath-sign-in="))
        .and_then(|value| value.split(';').next())
        .expect("the waiting sign-in's cookie")
        .to_owned();
    let (ceremony, credential) =
        sign(&app, &mut laptop, "/passkeys/second-step/options", &json!({}), Some(&challenge)).await;
    let answer = json!({ "ceremony": ceremony, "credential": credential });
    let without = call(&app, "/passkeys/second-step", &answer, None).await;
    assert_eq!(without.status(), 422, "not without the waiting sign-in");
    assert!(without.text().await.unwrap().contains("Sign in again"));
    let (ceremony, credential) =
        sign(&app, &mut laptop, "/passkeys/second-step/options", &json!({}), Some(&challenge)).await;
    let answer = json!({ "ceremony": ceremony, "credential": credential });
    let second = call(&app, "/passkeys/second-step", &answer, Some(&challenge)).await;
    assert_eq!(second.status(), 200);
    assert!(session_cookie(&second).is_some());
    assert_eq!(latest_method(&app).await, "password+passkey");

    let view: Value = app.post_form("/api/second-factor", &[], Some(&grace)).await.json().await.unwrap();
    assert!(view["passkeys"][0]["last_used_ms"].is_i64(), "its use is recorded");
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY at_ms")
        .fetch_all(app.store().await.pool())
        .await
        .unwrap();
    assert!(actions.iter().any(|action| action == "account.second-factor-add"));
}

#[tokio::test]
async fn sign_in_options_do_not_tell_who_has_an_account_and_a_stand_in_cannot_finish() {
    let app = spawn_app().await;
    let options = |email: &'static str| {
        let app = &app;
        async move {
            let answer = call(app, "/passkeys/sign-in/options", &json!({ "email": email }), None).await;
            assert_eq!(answer.status(), 200, "{email}");
            answer.json::<Value>().await.unwrap()
        }
    };
    let ids = |options: &Value| -> Vec<Value> {
        options["options"]["publicKey"]["allowCredentials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].clone())
            .collect()
    };
    let (nobody, nobody_again) = (options("nobody@nowhere.example").await, options("nobody@nowhere.example").await);
    let without_passkey = options("ken@acme.example").await;
    assert!(!ids(&nobody).is_empty(), "an unknown address gets stand-in passkeys");
    assert_eq!(ids(&nobody), ids(&nobody_again), "the same ones each time");
    assert_ne!(nobody["options"]["publicKey"]["challenge"], nobody_again["options"]["publicKey"]["challenge"]);
    assert!(!ids(&without_passkey).is_empty(), "an account without a passkey looks the same");
    assert_eq!(nobody["ceremony"].as_str().unwrap().len(), without_passkey["ceremony"].as_str().unwrap().len());

    // A stand-in's ceremony was never stored: whatever is answered, nothing signs in.
    let mut phone = device();
    let ken = app.sign_in("ken@acme.example", DEMO_PASSWORD).await;
    register(&app, &mut phone, &ken, "Phone").await;
    let (_, credential) = sign(&app, &mut phone, "/passkeys/confirm/options", &json!({}), Some(&ken)).await;
    let answer = json!({ "ceremony": nobody["ceremony"], "credential": credential });
    let refused = call(&app, "/passkeys/sign-in", &answer, None).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(session_cookie(&refused), None);
    // A malformed address is a field error, not a lookup.
    let malformed = call(&app, "/passkeys/sign-in/options", &json!({ "email": "not an\u{7} address" }), None).await;
    assert_eq!(malformed.status(), 422);
}

#[tokio::test]
async fn another_persons_ceremony_or_passkey_is_refused_and_an_ip_address_is_no_relying_party() {
    let app = spawn_app().await;
    let (mut graces, mut hals) = (device(), device());
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    register(&app, &mut graces, &grace, "Grace's laptop").await;
    register(&app, &mut hals, &hal, "Hal's laptop").await;

    // Hal's device answering Grace's sign-in ceremony: not one of her passkeys.
    let email = json!({ "email": "grace@acme.example" });
    let options: Value = call(&app, "/passkeys/sign-in/options", &email, None).await.json().await.unwrap();
    let (_, hals_answer) = sign(&app, &mut hals, "/passkeys/confirm/options", &json!({}), Some(&hal)).await;
    let answer = json!({ "ceremony": options["ceremony"], "credential": hals_answer });
    assert_eq!(call(&app, "/passkeys/sign-in", &answer, None).await.status(), 422);

    // Grace's confirm ceremony finished in Hal's session: refused, and Hal proved nothing.
    let (ceremony, credential) = sign(&app, &mut graces, "/passkeys/confirm/options", &json!({}), Some(&grace)).await;
    let answer = json!({ "ceremony": ceremony, "credential": credential });
    assert_eq!(call(&app, "/passkeys/confirm", &answer, Some(&hal)).await.status(), 422);
    // A ceremony answers only its own purpose.
    let (ceremony, credential) = sign(&app, &mut graces, "/passkeys/confirm/options", &json!({}), Some(&grace)).await;
    let answer = json!({ "ceremony": ceremony, "credential": credential });
    assert_eq!(call(&app, "/passkeys/sign-in", &answer, None).await.status(), 422);

    // Hal removing Grace's passkey: not his to find.
    let graces_id: String =
        sqlx::query_scalar("SELECT p.id FROM passkeys p JOIN users u ON u.id = p.user_id WHERE u.email = $1")
            .bind("grace@acme.example")
            .fetch_one(app.store().await.pool())
            .await
            .unwrap();
    assert_eq!(app.post_form("/api/remove-passkey", &[("id", &graces_id)], Some(&hal)).await.status(), 404);

    // Reached by address, the portal cannot be a relying party: said plainly.
    let by_address = app
        .client
        .post(format!("{}/passkeys/register/options", app.address))
        .header("sec-fetch-site", "same-origin")
        .header("cookie", &grace)
        .json(&json!({ "name": "Tablet" }))
        .send()
        .await
        .unwrap();
    assert_eq!(by_address.status(), 422);
    assert!(by_address.text().await.unwrap().contains("not its IP address"));
    // A name with a control character, or none, is a field error.
    for name in ["", "Lap\u{1b}top"] {
        let refused = call(&app, "/passkeys/register/options", &json!({ "name": name }), Some(&grace)).await;
        assert_eq!(refused.status(), 422, "{name:?}");
    }
    // Nobody signed in registers nothing.
    assert_eq!(call(&app, "/passkeys/register/options", &json!({ "name": "X" }), None).await.status(), 401);
}

#[tokio::test]
async fn confirming_with_a_passkey_and_removing_one_by_its_owner_or_their_admin() {
    let app = spawn_app().await;
    let mut laptop = device();
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let other = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    register(&app, &mut laptop, &ada, "Laptop").await;
    let make_token = |cookie: String| {
        let app = &app;
        async move {
            let form = [("name", "ci"), ("access", "read-only"), ("expires_in_days", "30")];
            app.post_form("/api/create-api-token", &form, Some(&cookie)).await.status()
        }
    };
    assert_eq!(make_token(ada.clone()).await, 200, "registering proved the passkey in that session");
    assert_eq!(make_token(other.clone()).await, 403, "the other session proved nothing");
    let (ceremony, credential) = sign(&app, &mut laptop, "/passkeys/confirm/options", &json!({}), Some(&other)).await;
    let answer = json!({ "ceremony": ceremony, "credential": credential });
    assert_eq!(call(&app, "/passkeys/confirm", &answer, Some(&other)).await.status(), 204);
    assert_eq!(make_token(other.clone()).await, 200, "confirmed with the passkey");

    // Removing a passkey is sensitive: after 15 minutes it asks again (a plain form comes
    // back to the account page's "Confirm it's you").
    let store = app.store().await;
    sqlx::query("UPDATE sessions SET factor_proven_at_ms = factor_proven_at_ms - 900000")
        .execute(store.pool())
        .await
        .unwrap();
    let id: String = sqlx::query_scalar("SELECT id FROM passkeys").fetch_one(store.pool()).await.unwrap();
    let plain = app
        .client
        .post(format!("{}/api/remove-passkey", app.address))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "text/html")
        .header("cookie", &ada)
        .form(&[("id", &id)])
        .send()
        .await
        .unwrap();
    assert!(plain.status().is_redirection());
    assert_eq!(plain.headers()["location"], "/account?confirm=first#confirm");
    let (ceremony, credential) = sign(&app, &mut laptop, "/passkeys/confirm/options", &json!({}), Some(&ada)).await;
    let answer = json!({ "ceremony": ceremony, "credential": credential });
    assert_eq!(call(&app, "/passkeys/confirm", &answer, Some(&ada)).await.status(), 204);
    assert_eq!(app.post_form("/api/remove-passkey", &[("id", &id)], Some(&ada)).await.status(), 200);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM passkeys").fetch_one(store.pool()).await.unwrap();
    assert_eq!(left, 0);

    // Their organisation's admin removes a member's passkeys (they lost the device), audited.
    let mut phone = device();
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    register(&app, &mut phone, &grace, "Phone").await;
    let grace_id: String = sqlx::query_scalar("SELECT id FROM users WHERE email = 'grace@acme.example'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let acme: String = sqlx::query_scalar("SELECT organisation_id FROM users WHERE email = 'grace@acme.example'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let removed =
        app.post_form("/api/remove-member-factor", &[("organisation", &acme), ("user", &grace_id)], Some(&ada)).await;
    assert_eq!(removed.status(), 200, "{}", removed.text().await.unwrap());
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM passkeys").fetch_one(store.pool()).await.unwrap();
    assert_eq!(left, 0);
    // Her passkey no longer signs in.
    let email = json!({ "email": "grace@acme.example" });
    let options: Value = call(&app, "/passkeys/sign-in/options", &email, None).await.json().await.unwrap();
    let request: RequestChallengeResponse = serde_json::from_value(options["options"].clone()).unwrap();
    assert!(phone.do_authentication(named(&app).1, request).is_err(), "stand-ins only: the device has none of them");
}
