//! Two-step sign-in with an authenticator app (issue 30): setting it up, the sign-in that waits
//! for its code, a code never accepted twice, recovery codes that work once, the lock after
//! five wrong codes, removal by the organisation's admin, and all of it in the audit log.

use crate::helpers::{session_cookie, spawn_app, TestApp, DEMO_PASSWORD};
use totp_rs::{Algorithm, Secret, TOTP};

/// The 30-second step an authenticator app is in now.
pub(crate) fn step_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 / 30
}

/// The code an authenticator app shows in `step`. Tests name steps relative to the one the
/// app was set up in, so a step that ends mid-test changes no expectation.
pub(crate) fn code(secret: &str, step: i64) -> String {
    let totp =
        TOTP::new(Algorithm::SHA1, 6, 1, 30, Secret::Encoded(secret.to_owned()).to_bytes().unwrap(), None, "x".into())
            .unwrap();
    totp.generate((step * 30) as u64)
}

/// The `name=value` of the waiting sign-in's cookie a response sets.
fn challenge_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("__Host-lightpath-sign-in=") && !value.contains("Max-Age=0"))
        .and_then(|value| value.split(';').next())
        .map(str::to_owned)
}

/// Signs in with the password: answers the waiting sign-in's cookie (and checks no session).
pub(crate) async fn password_step(app: &TestApp, email: &str) -> String {
    let response = app.post_form("/api/sign-in", &[("email", email), ("password", DEMO_PASSWORD)], None).await;
    assert!(response.status().is_redirection() || response.status().is_success(), "{}", response.status());
    assert_eq!(session_cookie(&response), None, "no session before the code");
    if let Some(location) = response.headers().get("location") {
        assert_eq!(location, "/sign-in/code");
    }
    challenge_cookie(&response).expect("the waiting sign-in's cookie")
}

async fn code_step(app: &TestApp, challenge: &str, code: &str) -> reqwest::Response {
    app.post_form("/api/sign-in-code", &[("code", code)], Some(challenge)).await
}

/// Someone sets up an authenticator; answers its secret, the step its first code was of, and
/// the recovery codes.
pub(crate) async fn enrol(app: &TestApp, cookie: &str) -> (String, i64, Vec<String>) {
    let setup: serde_json::Value = app.post_form("/api/start-totp", &[], Some(cookie)).await.json().await.unwrap();
    let secret = setup["secret"].as_str().unwrap().to_owned();
    assert!(setup["url"].as_str().unwrap().starts_with("otpauth://totp/Lightpath:"));
    assert!(setup["qr_svg"].as_str().unwrap().contains("<svg"));
    let step = step_now();
    let wrong = app.post_form("/api/confirm-totp", &[("code", "000000")], Some(cookie)).await;
    if (step - 1..=step + 1).all(|near| code(&secret, near) != "000000") {
        assert_eq!(wrong.status(), 422, "a wrong first code does not turn it on");
    }
    let confirmed = app.post_form("/api/confirm-totp", &[("code", &code(&secret, step))], Some(cookie)).await;
    assert_eq!(confirmed.status(), 200);
    let codes: Vec<String> = confirmed.json().await.unwrap();
    assert_eq!(codes.len(), 10);
    let store = app.store().await;
    let stored: Vec<String> = sqlx::query("SELECT secret FROM totp_factors")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| sqlx::Row::try_get(row, 0).unwrap())
        .collect();
    assert!(
        stored.iter().all(|value| value.starts_with("v1:") && !value.contains(&secret)),
        "secrets are stored sealed"
    );
    (secret, step, codes)
}

#[tokio::test]
async fn a_code_signs_in_once_and_a_replayed_or_old_code_is_refused() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let (secret, step, _) = enrol(&app, &grace).await;

    let challenge = password_step(&app, "grace@acme.example").await;
    // Not signed in while the code is awaited.
    assert_eq!(app.get_with("/dashboard", Some(&challenge)).await.status(), 401);
    // The code that confirmed the app was used already; so was every older one.
    let replayed = code_step(&app, &challenge, &code(&secret, step)).await;
    assert_eq!(replayed.status(), 422, "a code is never accepted twice");
    assert_eq!(code_step(&app, &challenge, &code(&secret, step - 1)).await.status(), 422);
    assert_eq!(code_step(&app, &challenge, "12ab").await.status(), 422, "not a code at all");
    // The next step's code (one step of drift) signs in, once.
    let next = code(&secret, step + 1);
    let signed_in = code_step(&app, &challenge, &next).await;
    assert!(signed_in.status().is_success() || signed_in.status().is_redirection(), "{}", signed_in.status());
    let session = session_cookie(&signed_in).expect("a session after the right code");
    assert_eq!(app.get_with("/dashboard", Some(&session)).await.status(), 200);
    let method: String = sqlx::query_scalar("SELECT method FROM sessions ORDER BY created_at_ms DESC LIMIT 1")
        .fetch_one(app.store().await.pool())
        .await
        .unwrap();
    assert_eq!(method, "password+totp");
    // The challenge ended with it, and the same code does not sign in again.
    assert_eq!(code_step(&app, &challenge, &next).await.status(), 422);
    let again = password_step(&app, "grace@acme.example").await;
    assert_eq!(code_step(&app, &again, &next).await.status(), 422);
    // Without the waiting sign-in's cookie nothing is checked at all.
    let none = app.post_form("/api/sign-in-code", &[("code", &code(&secret, step + 1))], None).await;
    assert_eq!(none.status(), 422);
    assert!(none.text().await.unwrap().contains("Sign in again"));
}

#[tokio::test]
async fn recovery_codes_work_once_and_five_wrong_codes_lock() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let (secret, step, codes) = enrol(&app, &grace).await;

    let challenge = password_step(&app, "grace@acme.example").await;
    let recovered = code_step(&app, &challenge, &codes[3].to_lowercase()).await;
    assert!(session_cookie(&recovered).is_some(), "a recovery code signs in, in any case");
    let again = password_step(&app, "grace@acme.example").await;
    assert_eq!(code_step(&app, &again, &codes[3]).await.status(), 422, "each recovery code works once");

    // Four more wrong codes make five in a row: the factor locks, even for the right code.
    for _ in 0..4 {
        assert_eq!(code_step(&app, &again, "999999").await.status(), 422);
    }
    let locked = code_step(&app, &again, &code(&secret, step + 1)).await;
    assert_eq!(locked.status(), 429, "locked after five wrong codes");

    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let acme: String = sqlx::query_scalar("SELECT id FROM organisations WHERE name = 'Acme AI'")
        .fetch_one(app.store().await.pool())
        .await
        .unwrap();
    let form = [("organisation", acme.as_str())];
    let entries: serde_json::Value =
        app.post_form("/api/organisation-audit", &form, Some(&ada)).await.json().await.unwrap();
    let actions: Vec<&str> =
        entries["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"account.second-factor-add"), "{actions:?}");
    // The reused recovery code and four wrong codes; the refusal while locked is not counted.
    assert_eq!(actions.iter().filter(|action| **action == "account.second-factor-failed").count(), 5, "{actions:?}");
    let newest_failure =
        entries["items"].as_array().unwrap().iter().find(|e| e["action"] == "account.second-factor-failed");
    assert!(newest_failure.unwrap()["after"].as_str().unwrap().contains("\"locked\":true"));
    let recovery_sign_in =
        entries["items"].as_array().unwrap().iter().any(|e| {
            e["action"] == "account.sign-in" && e["after"].as_str().unwrap().contains("password+recovery-code")
        });
    assert!(recovery_sign_in, "the sign-in says how: {entries}");
}

#[tokio::test]
async fn an_org_admin_removes_a_lost_authenticator_and_the_member_signs_in_with_a_password() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    enrol(&app, &grace).await;
    let store = app.store().await;
    let (acme, grace_id): (String, String) = (
        sqlx::query_scalar("SELECT id FROM organisations WHERE name = 'Acme AI'")
            .fetch_one(store.pool())
            .await
            .unwrap(),
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'grace@acme.example'")
            .fetch_one(store.pool())
            .await
            .unwrap(),
    );
    let form = [("organisation", acme.as_str()), ("user", grace_id.as_str())];
    // Another organisation's admin and a member who is not an admin cannot.
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    assert_eq!(app.post_form("/api/remove-member-factor", &form, Some(&hal)).await.status(), 404);
    let fran = app.sign_in("fran@acme.example", DEMO_PASSWORD).await;
    assert_eq!(app.post_form("/api/remove-member-factor", &form, Some(&fran)).await.status(), 403);
    // The org admin sees it on and removes it.
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let organisation: serde_json::Value =
        app.post_form("/api/organisation", &[("id", &acme)], Some(&ada)).await.json().await.unwrap();
    let grace_row =
        organisation["members"].as_array().unwrap().iter().find(|m| m["email"] == "grace@acme.example").unwrap();
    assert_eq!(grace_row["two_step"], true);
    assert_eq!(app.post_form("/api/remove-member-factor", &form, Some(&ada)).await.status(), 200);
    assert_eq!(app.post_form("/api/remove-member-factor", &form, Some(&ada)).await.status(), 422, "nothing left");
    // A member who is not an admin is not told who has a factor.
    let ken = app.sign_in("ken@acme.example", DEMO_PASSWORD).await;
    let organisation: serde_json::Value =
        app.post_form("/api/organisation", &[("id", &acme)], Some(&ken)).await.json().await.unwrap();
    assert!(organisation["members"].as_array().unwrap().iter().all(|m| m["two_step"].is_null()));
    // Grace signs in with her password alone again.
    app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
}

#[tokio::test]
async fn turning_it_off_needs_a_current_code() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let (secret, step, _) = enrol(&app, &grace).await;
    assert_eq!(app.post_form("/api/start-totp", &[], Some(&grace)).await.status(), 422, "already on");
    assert_eq!(app.post_form("/api/remove-totp", &[("code", "123456")], Some(&grace)).await.status(), 422);
    let status: serde_json::Value = app.post_form("/api/second-factor", &[], Some(&grace)).await.json().await.unwrap();
    assert_eq!(status["recovery_codes_left"], 10);
    assert!(status["since_ms"].is_i64());
    assert_eq!(
        app.post_form("/api/remove-totp", &[("code", &code(&secret, step + 1))], Some(&grace)).await.status(),
        200
    );
    let status: serde_json::Value = app.post_form("/api/second-factor", &[], Some(&grace)).await.json().await.unwrap();
    assert!(status["since_ms"].is_null());
    app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
}

#[tokio::test]
async fn an_organisation_s_policy_sends_members_without_a_factor_to_set_one_up() {
    let app = spawn_app().await;
    let acme: String = sqlx::query_scalar("SELECT id FROM organisations WHERE name = 'Acme AI'")
        .fetch_one(app.store().await.pool())
        .await
        .unwrap();
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let set = |policy: &'static str, cookie: String| {
        let (app, acme) = (&app, acme.clone());
        async move {
            app.post_form("/api/set-two-step-policy", &[("organisation", &acme), ("policy", policy)], Some(&cookie))
                .await
        }
    };
    // Not before the admin has a factor of their own, and only a listed policy.
    let refused = set("everyone", ada.clone()).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("your own authenticator app first"));
    enrol(&app, &ada).await;
    assert_eq!(set("sometimes", ada.clone()).await.status(), 422);
    let grace_before = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    assert_eq!(set("everyone", ada.clone()).await.status(), 200);
    // Not the policy of a member who does not manage members, nor of another organisation.
    assert_eq!(set("off", grace_before.clone()).await.status(), 403);
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    assert_eq!(set("off", hal).await.status(), 404);

    // Grace has no factor: her password session opens her own pages only, even one started
    // before the policy, and a new sign-in starts on her account page.
    assert_eq!(app.get_with(&format!("/orgs/{acme}"), Some(&grace_before)).await.status(), 403);
    let response =
        app.post_form("/api/sign-in", &[("email", "grace@acme.example"), ("password", DEMO_PASSWORD)], None).await;
    assert_eq!(response.headers()["location"], "/account");
    let grace = session_cookie(&response).unwrap();
    assert_eq!(app.get_with("/dashboard", Some(&grace)).await.status(), 200);
    assert_eq!(app.get_with("/account", Some(&grace)).await.status(), 200);
    let refused = app.get_with(&format!("/orgs/{acme}"), Some(&grace)).await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("requires two-step sign-in"));
    assert_eq!(app.post_form("/api/services", &[], Some(&grace)).await.status(), 200, "lists are scoped, not refused");
    assert_eq!(app.post_form("/api/organisation", &[("id", &acme)], Some(&grace)).await.status(), 403);
    // Setting one up in that session opens everything at once.
    enrol(&app, &grace).await;
    assert_eq!(app.get_with(&format!("/orgs/{acme}"), Some(&grace)).await.status(), 200);

    // The policy change is in the organisation's log.
    let entries: serde_json::Value = app
        .post_form("/api/organisation-audit", &[("organisation", &acme), ("action", "organisation")], Some(&ada))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(entries["items"][0]["action"], "organisation.two-step-policy");
}

#[tokio::test]
async fn staff_need_a_second_factor_when_the_server_requires_it() {
    let app = crate::helpers::spawn_app_with(|config| config.staff_two_step = true).await;
    let response =
        app.post_form("/api/sign-in", &[("email", "admin@lightpath.example"), ("password", DEMO_PASSWORD)], None).await;
    assert_eq!(response.headers()["location"], "/account");
    let admin = session_cookie(&response).unwrap();
    assert_eq!(app.get_with("/admin/users", Some(&admin)).await.status(), 403);
    enrol(&app, &admin).await;
    assert_eq!(app.get_with("/admin/users", Some(&admin)).await.status(), 200);
    // Customers are not covered by the staff rule.
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    assert_eq!(app.get_with("/designs", Some(&grace)).await.status(), 200);
}

/// A sensitive change (tokens, webhooks, roles, sign-in and approval settings) asks a person
/// with an authenticator for a code entered in this session within 15 minutes; "Confirm it's
/// you" gives one, used up like a sign-in code; a plain form post comes back to its page.
#[tokio::test]
async fn sensitive_changes_ask_for_a_fresh_code() {
    let app = spawn_app().await;
    let store = app.store().await;
    let acme: String = sqlx::query_scalar("SELECT id FROM organisations WHERE name = 'Acme AI'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    // Two sessions of Ada's from before she had an authenticator; she sets it up in the first.
    let (fresh, stale) =
        (app.sign_in("ada@acme.example", DEMO_PASSWORD).await, app.sign_in("ada@acme.example", DEMO_PASSWORD).await);
    let (secret, step, _) = enrol(&app, &fresh).await;
    let make_token = |cookie: String| {
        let app = &app;
        async move {
            let form = [("name", "ci"), ("access", "read-only"), ("expires_in_days", "30")];
            app.post_form("/api/create-api-token", &form, Some(&cookie)).await
        }
    };
    assert_eq!(make_token(fresh.clone()).await.status(), 200, "the code that set it up counts");

    // The other session proved nothing: every sensitive change asks first, and says where.
    let refused = make_token(stale.clone()).await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("Confirm it's you"));
    let sensitive: [(&str, Vec<(&str, &str)>); 3] = [
        ("/api/set-approval-amount", vec![("organisation", &acme), ("amount", "5000")]),
        ("/api/set-two-step-policy", vec![("organisation", &acme), ("policy", "off")]),
        ("/api/create-webhook", vec![("url", "https://hooks.example/lightpath"), ("events[0]", "order-state-changed")]),
    ];
    for (path, form) in &sensitive {
        assert_eq!(app.post_form(path, form, Some(&stale)).await.status(), 403, "{path}");
    }
    let view: serde_json::Value =
        app.post_form("/api/organisation", &[("id", &acme)], Some(&stale)).await.json().await.unwrap();
    assert_eq!(view["confirm_needed"], true);
    // Reading is not sensitive.
    assert_eq!(app.post_form("/api/api-tokens", &[], Some(&stale)).await.status(), 200);

    // A plain form with a wrong code comes back to its page saying so; nothing counts.
    let page = format!("/orgs/{acme}");
    let wrong = if (step - 1..=step + 2).any(|near| code(&secret, near) == "000000") { "111111" } else { "000000" };
    let answer = app
        .client
        .post(format!("{}/api/confirm-its-you", app.address))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "text/html")
        .header("referer", format!("{}{page}?confirm=wrong", app.address))
        .header("cookie", &stale)
        .form(&[("code", wrong)])
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_redirection());
    assert_eq!(answer.headers()["location"], format!("{page}?confirm=wrong#confirm").as_str());
    assert_eq!(make_token(stale.clone()).await.status(), 403);

    // The next code confirms; it is then used up, like at sign-in.
    let next = code(&secret, step + 1);
    assert_eq!(app.post_form("/api/confirm-its-you", &[("code", &next)], Some(&stale)).await.status(), 200);
    assert_eq!(app.post_form("/api/confirm-its-you", &[("code", &next)], Some(&stale)).await.status(), 422);
    assert_eq!(make_token(stale.clone()).await.status(), 200);
    for (path, form) in &sensitive {
        assert_ne!(app.post_form(path, form, Some(&stale)).await.status(), 403, "{path}");
    }

    // Fifteen minutes later it asks again.
    sqlx::query("UPDATE sessions SET factor_proven_at_ms = factor_proven_at_ms - 900000")
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(make_token(stale).await.status(), 403);
    assert_eq!(make_token(fresh).await.status(), 403);
    // People without an authenticator are not asked.
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    assert_eq!(make_token(hal).await.status(), 200);
}
