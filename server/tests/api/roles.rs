//! Finer roles and the organisation's own audit log (issue 30): an org admin gives members a
//! role, finance and read-only members read but never order, sign-ins (and failed ones) are in
//! the organisation's log, which its admin filters and exports as CSV; nobody else's entries.

use crate::helpers::{spawn_app, TestApp, DEMO_PASSWORD};
use lightpath_domain::records::{AuditEntry, Paged};

async fn org_id(app: &TestApp, name: &str) -> String {
    sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1 ORDER BY created_at_ms LIMIT 1")
        .bind(name)
        .fetch_one(app.store().await.pool())
        .await
        .unwrap()
}

async fn user_id(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(app.store().await.pool())
        .await
        .unwrap()
}

async fn audit(app: &TestApp, organisation: &str, filter: &[(&str, &str)], cookie: &str) -> Vec<AuditEntry> {
    let mut form = vec![("organisation", organisation)];
    form.extend_from_slice(filter);
    let response = app.post_form("/api/organisation-audit", &form, Some(cookie)).await;
    assert_eq!(response.status(), 200);
    let page: Paged<AuditEntry> = response.json().await.unwrap();
    page.items
}

#[tokio::test]
async fn finance_and_read_only_members_read_but_never_order() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let design = app.saved_design(&grace, "Finance reads this").await;
    for email in ["fran@acme.example", "ken@acme.example"] {
        let reader = app.sign_in(email, DEMO_PASSWORD).await;
        let page = app.get_with(&format!("/designs/{design}"), Some(&reader)).await;
        assert_eq!(page.status(), 200, "{email} reads the organisation's design");
        let wizard: serde_json::Value =
            app.post_form("/api/wizard", &[("id", &design)], Some(&reader)).await.json().await.unwrap();
        assert_eq!(wizard["can_edit"], false, "{email} is offered no Save or Order");
        let ordered = app.order_design(&design, &format!("finance-order-{}", &email[..3]), &reader).await;
        assert_eq!(ordered.status(), 403, "{email} cannot order");
        let problem = ordered.text().await.unwrap();
        assert!(problem.contains("Technical role"), "the refusal says whom to ask: {problem}");
        assert_eq!(app.get_with("/services", Some(&reader)).await.status(), 200);
    }
    // The technical member who made the design edits and orders it.
    let wizard: serde_json::Value =
        app.post_form("/api/wizard", &[("id", &design)], Some(&grace)).await.json().await.unwrap();
    assert_eq!(wizard["can_edit"], true);
    assert_eq!(app.order_design(&design, "finance-order-grace", &grace).await.status(), 200);
}

#[tokio::test]
async fn an_org_admin_gives_roles_and_reads_them_in_the_audit_log() {
    let app = spawn_app().await;
    let acme = org_id(&app, "Acme AI").await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let grace_id = user_id(&app, "grace@acme.example").await;

    // A new member with a role, and a staff role refused by field.
    let add = |role: &'static str, email: &'static str| {
        let (app, acme, ada) = (&app, acme.clone(), ada.clone());
        async move {
            app.post_form(
                "/api/add-member",
                &[
                    ("organisation", &acme),
                    ("email", email),
                    ("name", "Noor Finance"),
                    ("password", "first password for noor"),
                    ("role", role),
                ],
                Some(&ada),
            )
            .await
        }
    };
    let refused = add("admin", "noor@acme.example").await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("role"));
    assert_eq!(add("finance", "noor@acme.example").await.status(), 200);
    let noor = app.sign_in("noor@acme.example", "first password for noor").await;
    let nav = app.post_form("/api/session", &[], Some(&noor)).await.text().await.unwrap();
    assert!(nav.contains("Noor Finance"), "{nav}");
    let role: String =
        sqlx::query_scalar("SELECT COALESCE(full_role, role) FROM users WHERE email = 'noor@acme.example'")
            .fetch_one(app.store().await.pool())
            .await
            .unwrap();
    assert_eq!(role, "finance");

    // Grace becomes read-only: she can no longer start a design.
    let set = |user: String, role: &'static str, cookie: String| {
        let (app, acme) = (&app, acme.clone());
        async move {
            app.post_form(
                "/api/set-member-role",
                &[("organisation", &acme), ("user", &user), ("role", role)],
                Some(&cookie),
            )
            .await
        }
    };
    assert_eq!(set(grace_id.clone(), "read-only", ada.clone()).await.status(), 200);
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let body = serde_json::json!({
        "id": null,
        "draft": crate::helpers::training_draft("read only"),
        "intent": "draft",
        "choice": null
    });
    assert_eq!(app.post_json("/api/save-design", &body, Some(&grace)).await.status(), 403);
    // Nobody changes their own role; staff roles are not an org admin's to give; another
    // organisation's admin cannot touch Acme's members.
    let ada_id = user_id(&app, "ada@acme.example").await;
    assert_eq!(set(ada_id.clone(), "buyer", ada.clone()).await.status(), 422);
    assert_eq!(set(grace_id.clone(), "support", ada.clone()).await.status(), 422);
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    assert_eq!(set(grace_id.clone(), "buyer", hal.clone()).await.status(), 404);
    // A Globex member cannot be changed through Acme's page either.
    let hal_id = user_id(&app, "hal@globex.example").await;
    assert_eq!(set(hal_id, "read-only", ada.clone()).await.status(), 404);
    // The last org admin stays one, even when a Lightpath admin asks.
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let last = set(ada_id, "finance", admin).await;
    assert_eq!(last.status(), 422);
    assert!(last.text().await.unwrap().contains("at least one org admin"));

    // The change is in Acme's log with before and after, and not in Globex's.
    let entries = audit(&app, &acme, &[("action", "account.role")], &ada).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].actor_email, "ada@acme.example");
    assert!(entries[0].before.as_deref().unwrap().contains("buyer"));
    assert!(entries[0].after.as_deref().unwrap().contains("read-only"));
    let globex = org_id(&app, "Globex Robotics").await;
    assert!(audit(&app, &globex, &[("action", "account")], &hal)
        .await
        .iter()
        .all(|entry| !entry.actor_email.ends_with("@acme.example")));
    // A member who is not the org admin does not read it.
    let form = [("organisation", acme.as_str())];
    assert_eq!(app.post_form("/api/organisation-audit", &form, Some(&grace)).await.status(), 403);
}

#[tokio::test]
async fn sign_ins_are_in_the_organisation_s_log_and_export_as_csv() {
    let app = spawn_app().await;
    let acme = org_id(&app, "Acme AI").await;
    // A failed sign-in and a successful one of Grace's.
    let failed =
        app.post_form("/api/sign-in", &[("email", "grace@acme.example"), ("password", "not her password")], None).await;
    assert!(failed.status().is_client_error());
    app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    // An address nobody has writes nothing anywhere.
    app.post_form("/api/sign-in", &[("email", "nobody@acme.example"), ("password", "whatever it is")], None).await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;

    let grace_entries = audit(&app, &acme, &[("actor", "GRACE@acme.example")], &ada).await;
    let actions: Vec<&str> = grace_entries.iter().map(|entry| entry.action.as_str()).collect();
    assert_eq!(actions, ["account.sign-in", "account.sign-in-failed"], "newest first");
    assert!(grace_entries[0].after.as_deref().unwrap().contains("\"method\":\"password\""));
    let failed_only = audit(&app, &acme, &[("action", "account.sign-in-failed")], &ada).await;
    assert_eq!(failed_only.len(), 1);
    assert!(audit(&app, &acme, &[("actor", "nobody@acme.example")], &ada).await.is_empty());

    // Days (UTC): today's entries are in a range that ends today, none in one that starts
    // tomorrow or ended yesterday.
    let today_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let day = |offset: i64| lightpath_domain::time::iso_time(today_ms + offset * 86_400_000)[..10].to_owned();
    let (yesterday, today, tomorrow) = (day(-1), day(0), day(1));
    let grace = [("actor", "grace@acme.example")];
    let two_days = [grace[0], ("from", yesterday.as_str()), ("to", today.as_str())];
    assert_eq!(audit(&app, &acme, &two_days, &ada).await.len(), 2);
    let one_day = [grace[0], ("from", today.as_str()), ("to", today.as_str())];
    assert_eq!(audit(&app, &acme, &one_day, &ada).await.len(), 2, "the last day counts whole");
    assert!(audit(&app, &acme, &[grace[0], ("from", &tomorrow)], &ada).await.is_empty());
    assert!(audit(&app, &acme, &[grace[0], ("to", &yesterday)], &ada).await.is_empty());

    // A filter that cannot be an action, an email or a range of days is refused by field, not run.
    for (field, value) in
        [("action", "order%"), ("actor", "grace\u{7}@acme.example"), ("from", "2026-02-30"), ("to", "yesterday")]
    {
        let response =
            app.post_form("/api/organisation-audit", &[("organisation", &acme), (field, value)], Some(&ada)).await;
        assert_eq!(response.status(), 422, "{field}={value:?}");
    }
    let backwards = app
        .post_form(
            "/api/organisation-audit",
            &[("organisation", acme.as_str()), ("from", today.as_str()), ("to", yesterday.as_str())],
            Some(&ada),
        )
        .await;
    assert_eq!(backwards.status(), 422);

    // The CSV: a header, then the entries newest first, with the filter applied.
    let csv = app
        .get_with(
            &format!("/api/v1/organisations/{acme}/audit-log.csv?actor=grace@acme.example&from={yesterday}&to={today}"),
            Some(&ada),
        )
        .await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "at,who,api_token,action,subject,before,after");
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[1].contains(",grace@acme.example,,account.sign-in,") && lines[1].contains("\"{\"\"method\"\""),
        "{text}"
    );
    assert!(lines[2].contains("account.sign-in-failed"));
    // A filter sent twice is a malformed query: a problem, not a plain-text rejection.
    let twice = app.get_with(&format!("/api/v1/organisations/{acme}/audit-log.csv?to=null&to=null"), Some(&ada)).await;
    assert_eq!(twice.status(), 400);
    assert!(twice.headers()["content-type"].to_str().unwrap().starts_with("application/problem+json"));
    // Another organisation's export is not found, its admin's own works.
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    assert_eq!(app.get_with(&format!("/api/v1/organisations/{acme}/audit-log.csv"), Some(&hal)).await.status(), 404);
}

#[tokio::test]
async fn network_operations_and_support_start_where_their_role_works() {
    let app = spawn_app().await;
    let noc =
        app.post_form("/api/sign-in", &[("email", "noc@lightpath.example"), ("password", DEMO_PASSWORD)], None).await;
    assert_eq!(noc.headers()["location"], "/admin/network");
    let support = app
        .post_form("/api/sign-in", &[("email", "support@lightpath.example"), ("password", DEMO_PASSWORD)], None)
        .await;
    assert_eq!(support.headers()["location"], "/orgs");
    let fran =
        app.post_form("/api/sign-in", &[("email", "fran@acme.example"), ("password", DEMO_PASSWORD)], None).await;
    assert_eq!(fran.headers()["location"], "/dashboard");
}
