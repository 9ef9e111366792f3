//! Sign-up, sign-in, sessions and passwords over HTTP, with every bad input of the issue.

use crate::helpers::{session_cookie, spawn_app, spawn_app_with, DEMO_PASSWORD};
use sqlx::Row;

const NEW_PASSWORD: &str = "violet staple orbit lamp";

async fn count(store: &lightpath_store::Store, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(store.pool()).await.unwrap().try_get(0).unwrap()
}

fn sign_up_form<'a>(email: &'a str, password: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("email", email), ("name", "Nia Buyer"), ("company", "Nia Robotics"), ("password", password)]
}

#[tokio::test]
async fn a_new_buyer_signs_up_into_a_new_organisation_and_lands_on_the_dashboard() {
    let app = spawn_app().await;
    let response = app.post_form("/api/sign-up", &sign_up_form("Nia@Robotics.example", NEW_PASSWORD), None).await;
    assert!(response.status().is_success() || response.status().is_redirection(), "{}", response.status());
    let set_cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    for part in ["__Host-lightpath-session=", "Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(part), "{set_cookie} lacks {part}");
    }
    assert!(!set_cookie.contains("Domain"), "{set_cookie}");
    let cookie = session_cookie(&response).unwrap();

    let dashboard = app.get_with("/dashboard", Some(&cookie)).await;
    assert_eq!(dashboard.status(), 200);
    let html = dashboard.text().await.unwrap();
    assert!(html.contains("Welcome, Nia Buyer") && html.contains("Nia Robotics"), "{html}");
    assert!(html.contains("Nothing running yet"), "an empty dashboard");

    let store = app.store().await;
    let row = sqlx::query("SELECT role, password_hash FROM users WHERE email = 'nia@robotics.example'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("role"), "org-admin");
    assert!(row.get::<String, _>("password_hash").starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    assert_eq!(count(&store, "SELECT COUNT(*) FROM audit_log WHERE action = 'account.sign-up'").await, 1);
}

#[tokio::test]
async fn bad_sign_ups_say_what_to_fix_and_write_nothing() {
    let app = spawn_app().await;
    let store = app.store().await;
    let (users, orgs) =
        (count(&store, "SELECT COUNT(*) FROM users").await, count(&store, "SELECT COUNT(*) FROM organisations").await);

    let cases: [(&str, &str, &str); 4] = [
        ("nia@robotics.example", "short", "at least 12 characters"),
        ("nia@robotics.example", "password1234", "too common"),
        ("not-an-email", NEW_PASSWORD, "name@company.com"),
        ("ada@acme.example", NEW_PASSWORD, "already exists"),
    ];
    for (email, password, expected) in cases {
        let response = app.post_form("/api/sign-up", &sign_up_form(email, password), None).await;
        assert_eq!(response.status(), 422, "{email} / {password}");
        assert!(session_cookie(&response).is_none());
        let body = response.text().await.unwrap();
        assert!(body.contains(expected), "{email} / {password}: {body}");
    }
    // Every empty field is reported at once.
    let response =
        app.post_form("/api/sign-up", &[("email", ""), ("name", ""), ("company", ""), ("password", "")], None).await;
    let body = response.text().await.unwrap();
    for field in ["\"email\"", "\"name\"", "\"company\"", "\"password\""] {
        assert!(body.contains(field), "{field} missing in {body}");
    }
    assert_eq!(count(&store, "SELECT COUNT(*) FROM users").await, users);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM organisations").await, orgs);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    let wrong =
        app.post_form("/api/sign-in", &[("email", "ada@acme.example"), ("password", "not her password")], None).await;
    let unknown = app
        .post_form("/api/sign-in", &[("email", "nobody@acme.example"), ("password", "not her password")], None)
        .await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(unknown.status(), 422);
    assert!(session_cookie(&wrong).is_none() && session_cookie(&unknown).is_none());
    let (wrong, unknown) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!(wrong, unknown);
    assert!(wrong.contains("do not match an account"), "{wrong}");
}

#[tokio::test]
async fn an_account_waits_after_five_failed_sign_ins_even_with_the_right_password() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let response = app
            .post_form("/api/sign-in", &[("email", "grace@acme.example"), ("password", "guess guess guess")], None)
            .await;
        assert_eq!(response.status(), 422);
    }
    let response =
        app.post_form("/api/sign-in", &[("email", "grace@acme.example"), ("password", DEMO_PASSWORD)], None).await;
    assert_eq!(response.status(), 429);
    let body = response.text().await.unwrap();
    assert!(body.contains("retry_after_secs"), "{body}");
    // Another account is not affected.
    app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
}

#[tokio::test]
async fn sign_ins_from_one_address_are_rate_limited() {
    let app = spawn_app_with(|config| config.auth_attempts_per_minute = 3).await;
    for _ in 0..3 {
        let response =
            app.post_form("/api/sign-in", &[("email", "x@example.com"), ("password", "whatever-it-is")], None).await;
        assert_eq!(response.status(), 422);
    }
    let response =
        app.post_form("/api/sign-in", &[("email", "x@example.com"), ("password", "whatever-it-is")], None).await;
    assert_eq!(response.status(), 429);
}

#[tokio::test]
async fn sign_in_gives_a_new_session_and_sign_out_destroys_it() {
    let app = spawn_app().await;
    let first = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    assert_eq!(app.get_with("/account", Some(&first)).await.status(), 200);
    // Signing in again from the same browser replaces the session: the old id stops working.
    let response = app
        .post_form("/api/sign-in", &[("email", "ada@acme.example"), ("password", DEMO_PASSWORD)], Some(&first))
        .await;
    let second = session_cookie(&response).unwrap();
    assert_ne!(first, second);
    assert_eq!(app.get_with("/account", Some(&first)).await.status(), 401);
    assert_eq!(app.get_with("/account", Some(&second)).await.status(), 200);

    let out = app.post_form("/api/sign-out", &[], Some(&second)).await;
    assert!(out.headers().get_all("set-cookie").iter().any(|v| v.to_str().unwrap().contains("Max-Age=0")));
    assert_eq!(app.get_with("/account", Some(&second)).await.status(), 401);
}

#[tokio::test]
async fn forged_and_expired_sessions_are_anonymous_and_the_cookie_is_removed() {
    let app = spawn_app().await;
    let forged = "__Host-lightpath-session=0123456789abcdef";
    let response = app.get_with("/dashboard", Some(forged)).await;
    assert_eq!(response.status(), 401);
    assert!(response.headers().get("set-cookie").unwrap().to_str().unwrap().contains("Max-Age=0"));
    assert!(response.text().await.unwrap().contains("Please sign in"));

    let cookie = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let store = app.store().await;
    // Idle for longer than the idle timeout.
    sqlx::query("UPDATE sessions SET last_seen_ms = 0").execute(store.pool()).await.unwrap();
    assert_eq!(app.get_with("/dashboard", Some(&cookie)).await.status(), 401);
    // Past the absolute lifetime, however active.
    let cookie = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    sqlx::query("UPDATE sessions SET expires_at_ms = 1").execute(store.pool()).await.unwrap();
    assert_eq!(app.get_with("/dashboard", Some(&cookie)).await.status(), 401);
}

#[tokio::test]
async fn changing_the_password_checks_the_current_one_and_ends_other_sessions() {
    let app = spawn_app().await;
    let here = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let elsewhere = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let change = |current: &'static str, password: &'static str, confirm: &'static str| {
        let here = here.clone();
        let app = &app;
        async move {
            app.post_form(
                "/api/change-password",
                &[("current", current), ("password", password), ("confirm", confirm)],
                Some(&here),
            )
            .await
        }
    };
    let wrong = change("not my password", NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.unwrap().contains("not your current password"));
    let mismatch = change(DEMO_PASSWORD, NEW_PASSWORD, "violet staple orbit lump").await;
    assert!(mismatch.text().await.unwrap().contains("differ"));
    assert_eq!(change(DEMO_PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await.status(), 200);

    assert_eq!(app.get_with("/account", Some(&here)).await.status(), 200);
    assert_eq!(app.get_with("/account", Some(&elsewhere)).await.status(), 401);
    app.sign_in("grace@acme.example", NEW_PASSWORD).await;
}

#[tokio::test]
async fn demo_accounts_can_be_switched_off() {
    let app = spawn_app_with(|config| config.demo_data = false).await;
    let store = app.store().await;
    assert_eq!(count(&store, "SELECT COUNT(*) FROM users").await, 0);
    let response =
        app.post_form("/api/sign-in", &[("email", "admin@lightpath.example"), ("password", DEMO_PASSWORD)], None).await;
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn demo_accounts_seeded_earlier_stop_working_when_demo_data_is_switched_off() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    assert_eq!(app.get_with("/dashboard", Some(&grace)).await.status(), 200);
    // The same database started again without demo data.
    let mut config = crate::helpers::test_config(app.database.target.clone());
    config.demo_data = false;
    let restarted = server::startup::Application::build(config).await.expect("starts");
    let address = format!("http://{}", restarted.address());
    tokio::spawn(restarted.run_until_stopped());
    let response = app
        .client
        .post(format!("{address}/api/sign-in"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", "grace@acme.example"), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422, "the published password no longer signs in");
    let old_session = app.client.get(format!("{address}/dashboard")).header("cookie", &grace).send().await.unwrap();
    assert_eq!(old_session.status(), 401, "the demo sessions ended");
}

#[tokio::test]
async fn failed_sign_ins_are_forgotten_once_their_window_has_ended() {
    let app = spawn_app().await;
    let store = app.store().await;
    // A failure from long ago, for an address nobody uses.
    sqlx::query("INSERT INTO sign_in_failures (email, failures, window_started_ms) VALUES ($1, 3, 0)")
        .bind("probe-1999@nowhere.example")
        .execute(store.pool())
        .await
        .unwrap();
    let wrong = [("email", "ada@acme.example"), ("password", "not-the-password-at-all")];
    assert_eq!(app.post_form("/api/sign-in", &wrong, None).await.status(), 422);
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM sign_in_failures WHERE email = 'probe-1999@nowhere.example'").await,
        0
    );
    assert_eq!(count(&store, "SELECT COUNT(*) FROM sign_in_failures WHERE email = 'ada@acme.example'").await, 1);
}

#[tokio::test]
async fn adding_a_member_never_reveals_whether_an_email_has_an_account() {
    use lightpath_app::model::orgs::{NoticeView, OrganisationView, INVITED};
    let app = spawn_app().await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let me: lightpath_domain::account::Actor =
        app.post_form("/api/dashboard", &[], Some(&ada)).await.json().await.unwrap();
    let acme = me.organisation.unwrap().id.to_string();
    let invite = |email: &'static str, name: &'static str| {
        let (app, ada, acme) = (&app, ada.clone(), acme.clone());
        async move {
            let form =
                [("organisation", acme.as_str()), ("email", email), ("name", name), ("password", "first password 123")];
            let response = app.post_form("/api/add-member", &form, Some(&ada)).await;
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    // A staff address, another organisation's admin, and a new address: one answer.
    let staff = invite("sales@lightpath.example", "Sam").await;
    let other = invite("hal@globex.example", "Hal").await;
    let fresh = invite("new.buyer@acme.example", "New Buyer").await;
    assert_eq!(staff.0, 200);
    assert!(staff.1.contains(&INVITED[..40]), "{}", staff.1);
    assert_eq!(staff, other);
    assert_eq!(staff, fresh);

    // The organisation page lists the three alike, and none of them as a member yet.
    let view: OrganisationView =
        app.post_form("/api/organisation", &[("id", acme.as_str())], Some(&ada)).await.json().await.unwrap();
    let invited: Vec<&str> = view.invitations.iter().map(|invitation| invitation.email.as_str()).collect();
    assert_eq!(invited, ["sales@lightpath.example", "hal@globex.example", "new.buyer@acme.example"]);
    assert!(view.members.iter().all(|member| member.email != "new.buyer@acme.example"));

    // A customer who has an account is told, and the account is unchanged. Lightpath's staff
    // are never told: a customer-chosen name on a staff dashboard would be a phishing line.
    let sam = app.sign_in("sales@lightpath.example", DEMO_PASSWORD).await;
    let staff_notices: Vec<NoticeView> = app.post_form("/api/notices", &[], Some(&sam)).await.json().await.unwrap();
    assert!(staff_notices.is_empty(), "{staff_notices:?}");
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    let notices: Vec<NoticeView> = app.post_form("/api/notices", &[], Some(&hal)).await.json().await.unwrap();
    assert_eq!(notices.len(), 1);
    assert!(notices[0].message.contains("Acme AI") && notices[0].message.contains("nothing changed"));
    let id = notices[0].id.to_string();
    assert_eq!(app.post_form("/api/dismiss-notice", &[("id", &id)], Some(&sam)).await.status(), 200);
    let still: Vec<NoticeView> = app.post_form("/api/notices", &[], Some(&hal)).await.json().await.unwrap();
    assert_eq!(still.len(), 1, "only its owner dismisses a notice");
    assert_eq!(app.post_form("/api/dismiss-notice", &[("id", &id)], Some(&hal)).await.status(), 200);
    let gone: Vec<NoticeView> = app.post_form("/api/notices", &[], Some(&hal)).await.json().await.unwrap();
    assert!(gone.is_empty());
    let hal_me: lightpath_domain::account::Actor =
        app.post_form("/api/dashboard", &[], Some(&hal)).await.json().await.unwrap();
    assert_eq!(hal_me.organisation.unwrap().name, "Globex Robotics");

    // The new person's first sign-in makes them a member; a withdrawn invitation takes the
    // unused account with it.
    app.sign_in("new.buyer@acme.example", "first password 123").await;
    let view: OrganisationView =
        app.post_form("/api/organisation", &[("id", acme.as_str())], Some(&ada)).await.json().await.unwrap();
    assert!(view.members.iter().any(|member| member.email == "new.buyer@acme.example"));
    assert_eq!(view.invitations.len(), 2);
    let late = invite("late@acme.example", "Late").await;
    assert_eq!(late, staff);
    let view: OrganisationView =
        app.post_form("/api/organisation", &[("id", acme.as_str())], Some(&ada)).await.json().await.unwrap();
    let late_id =
        view.invitations.iter().find(|invitation| invitation.email == "late@acme.example").unwrap().id.to_string();
    let form = [("organisation", acme.as_str()), ("invitation", late_id.as_str())];
    assert_eq!(app.post_form("/api/withdraw-invitation", &form, Some(&hal)).await.status(), 404, "not Globex's");
    assert_eq!(app.post_form("/api/withdraw-invitation", &form, Some(&ada)).await.status(), 200);
    let refused = app
        .post_form("/api/sign-in", &[("email", "late@acme.example"), ("password", "first password 123")], None)
        .await;
    assert!(refused.status().is_client_error(), "the withdrawn account is gone");
}
