//! The authorisation matrix: every guarded page and server function × every role × own or
//! other organisation, with the status each must answer. Another organisation's data answers
//! 404, exactly like data that does not exist.

use crate::helpers::{draft_json, spawn_app, TestApp, DEMO_PASSWORD};
use lightpath_domain::design::DesignDraft;

#[derive(Clone, Copy, Debug)]
enum Who {
    Nobody,
    Buyer,
    OrgAdmin,
    OtherOrgAdmin,
    Sales,
    Admin,
    Finance,
    ReadOnly,
    NetworkOperations,
    Support,
}

const EVERYONE: [Who; 10] = [
    Who::Nobody,
    Who::Buyer,
    Who::OrgAdmin,
    Who::OtherOrgAdmin,
    Who::Sales,
    Who::Admin,
    Who::Finance,
    Who::ReadOnly,
    Who::NetworkOperations,
    Who::Support,
];

fn email(who: Who) -> Option<&'static str> {
    match who {
        Who::Nobody => None,
        Who::Buyer => Some("grace@acme.example"),
        Who::OrgAdmin => Some("ada@acme.example"),
        Who::OtherOrgAdmin => Some("hal@globex.example"),
        Who::Sales => Some("sales@lightpath.example"),
        Who::Admin => Some("admin@lightpath.example"),
        Who::Finance => Some("fran@acme.example"),
        Who::ReadOnly => Some("ken@acme.example"),
        Who::NetworkOperations => Some("noc@lightpath.example"),
        Who::Support => Some("support@lightpath.example"),
    }
}

enum Call {
    Page(String),
    ServerFn(&'static str, Vec<(&'static str, String)>),
}

async fn status(app: &TestApp, call: &Call, cookie: Option<&str>) -> u16 {
    match call {
        Call::Page(path) => app.get_with(path, cookie).await.status().as_u16(),
        Call::ServerFn(path, form) => {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(path, &form, cookie).await.status().as_u16()
        }
    }
}

async fn org_id(app: &TestApp, name: &str) -> String {
    sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1")
        .bind(name)
        .fetch_one(app.store().await.pool())
        .await
        .unwrap()
}

/// A draft design of Acme's, saved by its buyer; returns its id.
async fn acme_design(app: &TestApp, buyer: &Option<String>) -> String {
    let body = serde_json::json!({
        "id": null,
        "draft": draft_json(DesignDraft { name: "Acme draft".into(), ..DesignDraft::default() }),
        "intent": "draft",
        "choice": null
    });
    let response = app.post_json("/api/save-design", &body, buyer.as_deref()).await;
    assert_eq!(response.status(), 200);
    let saved: serde_json::Value = response.json().await.unwrap();
    saved["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn every_route_answers_each_role_as_the_policy_says() {
    let app = spawn_app().await;
    let acme = org_id(&app, "Acme AI").await;
    let missing = "00000000-0000-4000-8000-000000000000".to_owned();
    let mut cookies = Vec::new();
    for who in EVERYONE {
        cookies.push(match email(who) {
            Some(email) => Some(app.sign_in(email, DEMO_PASSWORD).await),
            None => None,
        });
    }
    let design = acme_design(&app, &cookies[1]).await;
    // Columns: nobody, buyer (technical), org admin (both of Acme), Globex's org admin, sales,
    // admin, then Acme's finance and read-only members, network operations and support.
    let table: Vec<(Call, [u16; 10])> = vec![
        (Call::Page("/dashboard".into()), [401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        (Call::Page("/account".into()), [401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        (Call::Page("/orgs".into()), [401, 403, 403, 403, 200, 200, 403, 403, 403, 200]),
        (Call::Page(format!("/orgs/{acme}")), [401, 200, 200, 404, 200, 200, 200, 200, 403, 200]),
        (Call::Page(format!("/orgs/{missing}")), [401, 404, 404, 404, 404, 404, 404, 404, 403, 404]),
        (Call::Page("/orgs/not-an-id".into()), [401, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
        (Call::Page("/admin/users".into()), [401, 403, 403, 403, 403, 200, 403, 403, 403, 403]),
        (Call::Page("/admin/catalog".into()), [401, 403, 403, 403, 403, 200, 403, 403, 403, 403]),
        (Call::Page("/admin/price-books".into()), [401, 403, 403, 403, 403, 200, 403, 403, 403, 403]),
        (Call::Page("/admin/price-books/1".into()), [401, 403, 403, 403, 403, 200, 403, 403, 403, 403]),
        (Call::Page("/admin/audit".into()), [401, 403, 403, 403, 403, 200, 403, 403, 403, 200]),
        (Call::Page("/admin/network".into()), [401, 403, 403, 403, 403, 200, 403, 403, 200, 403]),
        (Call::Page("/designs".into()), [401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        (Call::Page("/designs/new".into()), [401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        (Call::Page(format!("/designs/{design}")), [401, 200, 200, 404, 200, 200, 200, 200, 403, 200]),
        (Call::Page(format!("/designs/{missing}")), [401, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
        (Call::ServerFn("/api/designs", vec![]), [401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        (
            Call::ServerFn("/api/wizard", vec![("id", design.clone())]),
            [401, 200, 200, 404, 200, 200, 200, 200, 403, 200],
        ),
        (
            Call::ServerFn("/api/duplicate-design", vec![("id", design.clone())]),
            [401, 200, 200, 404, 403, 403, 403, 403, 403, 403],
        ),
        (
            Call::ServerFn("/api/delete-design", vec![("id", missing.clone())]),
            [401, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (Call::Page("/orders".into()), [401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        (Call::Page(format!("/orders/{missing}")), [401, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
        (Call::ServerFn("/api/orders", vec![]), [401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        (
            Call::ServerFn("/api/cancel-order", vec![("id", missing.clone())]),
            [401, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            Call::ServerFn(
                "/api/decide-pending-order",
                vec![("id", missing.clone()), ("approve", "true".into()), ("comment", "".into())],
            ),
            [401, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            Call::ServerFn("/api/set-approval-amount", vec![("organisation", acme.clone()), ("amount", "lots".into())]),
            [401, 403, 422, 404, 403, 422, 403, 403, 403, 403],
        ),
        // Single sign-on is the customer's own: its org admins only, not Lightpath's staff.
        (
            Call::ServerFn(
                "/api/save-sso-settings",
                vec![
                    ("organisation", acme.clone()),
                    ("issuer", "ftp://login.acme.example".into()),
                    ("client_id", "lightpath".into()),
                    ("client_secret", "s".into()),
                    ("domains", "acme.example".into()),
                    ("new_members", "none".into()),
                ],
            ),
            [401, 403, 422, 404, 403, 403, 403, 403, 403, 403],
        ),
        (
            Call::ServerFn("/api/set-sso-mode", vec![("organisation", acme.clone()), ("mode", "on".into())]),
            [401, 403, 409, 404, 403, 403, 403, 403, 403, 403],
        ),
        (Call::Page("/quotes".into()), [401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        // The table's design is an unfinished draft: staff reach the editor, which says so.
        (Call::Page(format!("/quotes/new?design={design}")), [401, 403, 403, 403, 422, 422, 403, 403, 403, 403]),
        (Call::Page(format!("/quotes/{missing}")), [401, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
        (Call::Page("/approvals".into()), [401, 403, 403, 403, 403, 200, 403, 403, 403, 403]),
        (Call::ServerFn("/api/approvals", vec![]), [401, 403, 403, 403, 403, 200, 403, 403, 403, 403]),
        (Call::ServerFn("/api/quotes", vec![]), [401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        (
            Call::ServerFn("/api/quote", vec![("id", missing.clone())]),
            [401, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            Call::ServerFn(
                "/api/quote-action",
                vec![
                    ("id", missing.clone()),
                    ("version", "1".into()),
                    ("action", "approve".into()),
                    ("comment", "".into()),
                ],
            ),
            [401, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            Call::ServerFn(
                "/api/accept-quote",
                vec![("id", missing.clone()), ("version", "1".into()), ("key", "accept-0000000000000001".into())],
            ),
            [401, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (Call::Page("/services".into()), [401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        (Call::Page(format!("/services/{missing}")), [401, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
        (Call::ServerFn("/api/services", vec![]), [401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        (
            Call::ServerFn("/api/service", vec![("id", missing.clone())]),
            [401, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            Call::ServerFn(
                "/api/change-bandwidth",
                vec![
                    ("service", missing.clone()),
                    ("option", "1G".into()),
                    ("monthly_cents", "1".into()),
                    ("key", "change-0000000000000001".into()),
                ],
            ),
            [401, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            Call::ServerFn(
                "/api/disconnect-service",
                vec![("service", missing.clone()), ("key", "change-0000000000000002".into())],
            ),
            [401, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            Call::ServerFn("/api/order-design", vec![("design", design.clone()), ("key", "short".into())]),
            [401, 422, 422, 404, 403, 403, 403, 403, 403, 403],
        ),
        (
            Call::ServerFn("/api/organisation", vec![("id", acme.clone())]),
            [401, 200, 200, 404, 200, 200, 200, 200, 403, 200],
        ),
        (Call::ServerFn("/api/organisations", vec![]), [401, 403, 403, 403, 200, 200, 403, 403, 403, 200]),
        // Removing a user who is not there: allowed callers reach the store and get 404.
        (
            Call::ServerFn("/api/remove-member", vec![("organisation", acme.clone()), ("user", missing.clone())]),
            [401, 403, 404, 404, 403, 404, 403, 403, 403, 403],
        ),
        // An incomplete form: allowed callers get 422 for the empty fields, others never get that far.
        (
            Call::ServerFn(
                "/api/add-member",
                vec![
                    ("organisation", acme.clone()),
                    ("email", String::new()),
                    ("name", String::new()),
                    ("password", String::new()),
                ],
            ),
            [401, 403, 422, 404, 403, 422, 403, 403, 403, 403],
        ),
        (Call::ServerFn("/api/admin/users", vec![]), [401, 403, 403, 403, 403, 200, 403, 403, 403, 403]),
        (
            Call::ServerFn("/api/admin/set-role", vec![("user", missing.clone()), ("role", "buyer".into())]),
            [401, 403, 403, 403, 403, 404, 403, 403, 403, 403],
        ),
        (Call::ServerFn("/api/admin/products", vec![]), [401, 403, 403, 403, 403, 200, 403, 403, 403, 403]),
        (
            Call::ServerFn(
                "/api/admin/update-product",
                vec![("id", "nope".into()), ("name", "x".into()), ("tagline", "x".into()), ("description", "x".into())],
            ),
            [401, 403, 403, 403, 403, 404, 403, 403, 403, 403],
        ),
        (Call::ServerFn("/api/admin/price-books", vec![]), [401, 403, 403, 403, 403, 200, 403, 403, 403, 403]),
        (
            Call::ServerFn("/api/admin/price-book", vec![("version", "1".into())]),
            [401, 403, 403, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            Call::ServerFn("/api/admin/set-prices", vec![("version", "1".into()), ("amounts[0]", "1".into())]),
            [401, 403, 403, 403, 403, 422, 403, 403, 403, 403],
        ),
        (
            Call::ServerFn("/api/admin/publish", vec![("version", "1".into())]),
            [401, 403, 403, 403, 403, 422, 403, 403, 403, 403],
        ),
        (Call::ServerFn("/api/admin/audit", vec![]), [401, 403, 403, 403, 403, 200, 403, 403, 403, 200]),
        (Call::ServerFn("/api/admin/network", vec![]), [401, 403, 403, 403, 403, 200, 403, 403, 200, 403]),
        (
            Call::ServerFn(
                "/api/admin/set-faults",
                vec![
                    ("failure_rate", "x".into()),
                    ("device_timeout", "1".into()),
                    ("activation", "1".into()),
                    ("test", "1".into()),
                    ("speedup", "1".into()),
                ],
            ),
            [401, 403, 403, 403, 403, 422, 403, 403, 422, 403],
        ),
        // An organisation's own audit log: its org admins, Lightpath's admins and support.
        (Call::Page(format!("/orgs/{acme}/audit")), [401, 403, 200, 404, 403, 200, 403, 403, 403, 200]),
        (
            Call::ServerFn("/api/organisation-audit", vec![("organisation", acme.clone())]),
            [401, 403, 200, 404, 403, 200, 403, 403, 403, 200],
        ),
        (
            Call::Page(format!("/api/v1/organisations/{acme}/audit-log.csv")),
            [401, 403, 200, 404, 403, 200, 403, 403, 403, 200],
        ),
        // Changing the role of someone who is not a member: allowed callers reach the store.
        (
            Call::ServerFn(
                "/api/set-member-role",
                vec![("organisation", acme.clone()), ("user", missing.clone()), ("role", "finance".into())],
            ),
            [401, 403, 404, 404, 403, 404, 403, 403, 403, 403],
        ),
    ];
    let mut failures = Vec::new();
    for (call, expected) in &table {
        for ((who, cookie), want) in EVERYONE.iter().zip(&cookies).zip(expected) {
            let got = status(&app, call, cookie.as_deref()).await;
            if got != *want {
                let what = match call {
                    Call::Page(path) => format!("GET {path}"),
                    Call::ServerFn(path, _) => format!("POST {path}"),
                };
                failures.push(format!("{what} as {who:?}: expected {want}, got {got}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} cells differ:\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test]
async fn an_org_admin_adds_and_removes_a_buyer_and_the_buyer_sees_only_their_org() {
    let app = spawn_app().await;
    let acme = org_id(&app, "Acme AI").await;
    let globex = org_id(&app, "Globex Robotics").await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let added = app
        .post_form(
            "/api/add-member",
            &[
                ("organisation", &acme),
                ("email", "lin@acme.example"),
                ("name", "Lin Chen"),
                ("password", "first password for lin"),
            ],
            Some(&ada),
        )
        .await;
    assert_eq!(added.status(), 200);
    let page = app.get_with(&format!("/orgs/{acme}"), Some(&ada)).await.text().await.unwrap();
    assert!(page.contains("Lin Chen"), "{page}");
    let duplicate = app
        .post_form(
            "/api/add-member",
            &[
                ("organisation", &acme),
                ("email", "LIN@acme.example"),
                ("name", "Lin"),
                ("password", "first password for lin"),
            ],
            Some(&ada),
        )
        .await;
    assert_eq!(duplicate.status(), 200, "inviting an address twice answers the same and changes nothing");

    let lin = app.sign_in("lin@acme.example", "first password for lin").await;
    assert_eq!(app.get_with(&format!("/orgs/{acme}"), Some(&lin)).await.status(), 200);
    assert_eq!(app.get_with(&format!("/orgs/{globex}"), Some(&lin)).await.status(), 404);

    let lin_id: String = sqlx::query_scalar("SELECT id FROM users WHERE email = 'lin@acme.example'")
        .fetch_one(app.store().await.pool())
        .await
        .unwrap();
    // Globex's admin cannot remove Acme's buyer; Acme's admin can.
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    let form = [("organisation", acme.as_str()), ("user", lin_id.as_str())];
    assert_eq!(app.post_form("/api/remove-member", &form, Some(&hal)).await.status(), 404);
    assert_eq!(app.post_form("/api/remove-member", &form, Some(&ada)).await.status(), 200);
    assert_eq!(app.get_with("/dashboard", Some(&lin)).await.status(), 401, "a removed buyer's session ends");
}

/// A refused viewer of an admin page sees the refusal alone: no admin form renders above it
/// (an org admin once saw a working "Add a product" form over "You don't have access").
#[tokio::test]
async fn an_admin_page_shows_a_refused_viewer_no_form() {
    let app = spawn_app().await;
    let org_admin = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let refused = app.get_with("/admin/catalog", Some(&org_admin)).await;
    assert_eq!(refused.status(), 403);
    let page = refused.text().await.unwrap();
    assert!(page.contains("have access"), "the refusal is said");
    for form in ["Add a product", "Add an option", "Save product"] {
        assert!(!page.contains(form), "a refused viewer sees no {form:?}");
    }
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let page = app.get_with("/admin/catalog", Some(&admin)).await.text().await.unwrap();
    assert!(page.contains("Add a product") && page.contains("Save product"));
    // One id per field on the page, so every label points at its own input.
    assert!(!page.contains(r#"id="field-name""#), "the products' name fields have their own ids");
}
