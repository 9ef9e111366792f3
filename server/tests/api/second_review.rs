//! The second security review (issue 25): each test reproduces one finding over HTTP.

use crate::helpers::{spawn_app, DEMO_PASSWORD};
use crate::public_api::{call, call_with_key, design_via_api, json_of, token, until_done};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test]
async fn every_api_write_without_a_token_is_401_whatever_the_body() {
    let app = spawn_app().await;
    for (method, path, body) in [
        (Method::POST, "/api/v1/orders", "{}"),
        (Method::POST, "/api/v1/orders", "not json"),
        (Method::POST, "/api/v1/designs", "{\"draft\": 1}"),
        (Method::POST, "/api/v1/recommendations", "{}"),
        (Method::PATCH, "/api/v1/services/00000000-0000-0000-0000-000000000000", "{}"),
        (Method::DELETE, "/api/v1/designs/00000000-0000-0000-0000-000000000000", ""),
    ] {
        let response = app
            .client
            .request(method.clone(), format!("{}{path}", app.address))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{method} {path} {body}");
        assert!(response.text().await.unwrap().contains("Authorization: Bearer"), "{method} {path}");
    }
}

#[tokio::test]
async fn token_answers_are_never_stored_like_cookie_answers() {
    let app = spawn_app().await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let token = token(&app, &ada, "Cache check", "read-only").await;
    for path in ["/api/v1/orders", "/api/v1/designs", "/api/v1/services", "/api/v1/products"] {
        let response = call(&app, Method::GET, path, &token, None).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "private, no-store", "{path}");
    }
    // A refused token's answer is not stored either.
    let refused = call(&app, Method::GET, "/api/v1/orders", "lpt_00000000_ffff", None).await;
    assert_eq!(refused.status(), 401);
    assert_eq!(refused.headers()["cache-control"], "private, no-store");
}

#[tokio::test]
async fn a_member_another_organisation_invited_can_still_be_removed() {
    use lightpath_app::model::orgs::{NoticeView, OrganisationView};
    let app = spawn_app().await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    let organisation_of = |cookie: String| {
        let app = &app;
        async move {
            let me: lightpath_domain::account::Actor =
                app.post_form("/api/dashboard", &[], Some(&cookie)).await.json().await.unwrap();
            me.organisation.unwrap().id.to_string()
        }
    };
    let (acme, globex) = (organisation_of(ada.clone()).await, organisation_of(hal.clone()).await);
    let add = |organisation: String, email: &'static str, by: String| {
        let app = &app;
        async move {
            let form = [
                ("organisation", organisation.as_str()),
                ("email", email),
                ("name", "Someone"),
                ("password", "first password 123"),
            ];
            assert_eq!(app.post_form("/api/add-member", &form, Some(&by)).await.status(), 200);
        }
    };
    // Globex "adds" Acme's buyer, and an address Acme invited that has not signed in yet.
    add(acme.clone(), "pending@acme.example", ada.clone()).await;
    add(globex.clone(), "grace@acme.example", hal.clone()).await;
    add(globex.clone(), "pending@acme.example", hal.clone()).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let notices: Vec<NoticeView> = app.post_form("/api/notices", &[], Some(&grace)).await.json().await.unwrap();
    assert_eq!(notices.len(), 1, "Grace is told");

    let view: OrganisationView =
        app.post_form("/api/organisation", &[("id", acme.as_str())], Some(&ada)).await.json().await.unwrap();
    let grace_id = view.members.iter().find(|member| member.email == "grace@acme.example").unwrap().id.to_string();
    let form = [("organisation", acme.as_str()), ("user", grace_id.as_str())];
    let removed = app.post_form("/api/remove-member", &form, Some(&ada)).await;
    assert_eq!(removed.status(), 200, "{}", removed.text().await.unwrap());
    assert_eq!(app.get_with("/dashboard", Some(&grace)).await.status(), 401, "her session ended with her account");

    // The waiting invitation can be withdrawn although Globex's notice names its account.
    let pending = view.invitations.iter().find(|invitation| invitation.email == "pending@acme.example").unwrap();
    let form = [("organisation", acme.as_str()), ("invitation", &pending.id.to_string())];
    assert_eq!(app.post_form("/api/withdraw-invitation", &form, Some(&ada)).await.status(), 200);
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email IN ('grace@acme.example', 'pending@acme.example')")
            .fetch_one(app.store().await.pool())
            .await
            .unwrap();
    assert_eq!(left, 0);
}

/// TMF622: a cancellation stops what is not yet delivered; an item already delivered stays a
/// service under its term, with its early termination fee, so cancelling is never a free way
/// out of a contract.
#[tokio::test]
async fn cancelling_an_order_never_ends_a_delivered_service_for_free() {
    let app = spawn_app().await;
    // Fast enough that an item is delivered in seconds, slow enough to cancel the next one.
    app.network_at_speed("1000").await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let token = token(&app, &ada, "Cancel check", "full").await;
    let design = design_via_api(&app, &token, "Half delivered").await;
    let placed = call_with_key(
        &app,
        Method::POST,
        "/api/v1/orders",
        &token,
        "cancel-after-delivery-0001",
        Some(json!({ "design": design })),
    )
    .await;
    let href = placed.headers()["location"].to_str().unwrap().to_owned();
    let placed = json_of(placed, StatusCode::CREATED).await;
    assert!(placed["items"].as_array().unwrap().len() >= 2, "{placed}");
    let items = |order: &Value| order["items"].as_array().unwrap().clone();
    let mut delivered = Vec::new();
    for _ in 0..600 {
        let order = json_of(call(&app, Method::GET, &href, &token, None).await, StatusCode::OK).await;
        delivered = items(&order).into_iter().filter(|item| item["state"] == "completed").collect();
        if !delivered.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(delivered.len(), 1, "one item delivered, the next still running");
    let cancel = call(&app, Method::POST, &format!("{href}/cancel"), &token, None).await;
    assert_eq!(cancel.status(), 202);

    let done = until_done(&app, &token, &href).await;
    assert_eq!(done["summary"]["state"], "cancelled", "{done}");
    let reason = done["summary"]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("stays in service") && reason.contains("early termination fee"), "{reason}");
    let states: Vec<Value> = items(&done).iter().map(|item| item["state"].clone()).collect();
    assert_eq!(states.iter().filter(|state| *state == "completed").count(), 1, "{states:?}");
    assert!(states.iter().all(|state| state == "completed" || state == "cancelled"), "{states:?}");

    // The delivered item is an active service that still owes its fee if ended early.
    let service = delivered[0]["service_id"].as_str().expect("the delivered item's service");
    let service =
        json_of(call(&app, Method::GET, &format!("/api/v1/services/{service}"), &token, None).await, StatusCode::OK)
            .await;
    assert_eq!(service["summary"]["state"], "active", "{service}");
    assert!(service["early_termination"]["fee"].as_i64().unwrap_or_default() > 0, "{service}");
}

/// The organisation-wide caps hold under concurrent creates (on PostgreSQL a plain `BEGIN`
/// let two transactions count the same rows; the organisation's row is now locked first).
#[tokio::test]
async fn concurrent_creates_never_pass_the_token_and_webhook_caps() {
    let app = spawn_app().await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let burst = |path: &'static str, count: usize, form: fn(usize) -> Vec<(&'static str, String)>| {
        let (app, ada) = (&app, ada.clone());
        async move {
            let calls = (0..count).map(|n| {
                let ada = ada.clone();
                async move {
                    let form = form(n);
                    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    app.post_form(path, &form, Some(&ada)).await.status().as_u16()
                }
            });
            futures_util::future::join_all(calls).await
        }
    };
    let token_form =
        |n: usize| vec![("name", format!("CI {n}")), ("access", "read-only".into()), ("expires_in_days", "30".into())];
    let first = burst("/api/create-api-token", 40, token_form).await;
    assert!(first.iter().all(|status| *status == 200), "{first:?}");
    let second = burst("/api/create-api-token", 20, token_form).await;
    assert_eq!(second.iter().filter(|status| **status == 200).count(), 10, "{second:?}");
    let webhook_form =
        |n: usize| vec![("url", format!("https://hooks{n}.example.com/in")), ("events[0]", "quote-sent".to_owned())];
    let webhooks = burst("/api/create-webhook", 20, webhook_form).await;
    assert_eq!(webhooks.iter().filter(|status| **status == 200).count(), 10, "{webhooks:?}");

    let store = app.store().await;
    let count = |sql: &'static str| {
        let store = &store;
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(store.pool()).await.unwrap() }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM api_tokens WHERE revoked_at_ms IS NULL AND organisation_id IS NOT NULL").await,
        50
    );
    assert_eq!(count("SELECT COUNT(*) FROM webhook_subscriptions WHERE removed_at_ms IS NULL").await, 10);
    store.close().await;
}

/// A token's name is data its maker chose: it never reads as, or filters as, another person.
#[tokio::test]
async fn a_token_named_like_someone_else_is_not_audited_as_them() {
    use lightpath_domain::records::{AuditEntry, Paged};
    let app = spawn_app().await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let spoof = token(&app, &ada, "admin@lightpath.example", "full").await;
    design_via_api(&app, &spoof, "Made with a look-alike token").await;

    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let audit = |actor: &'static str| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let page: Paged<AuditEntry> =
                app.post_form("/api/admin/audit", &[("actor", actor)], Some(&admin)).await.json().await.unwrap();
            page.items
        }
    };
    let as_admin = audit("admin@lightpath.example").await;
    assert!(
        as_admin.iter().all(|entry| entry.actor_email == "admin@lightpath.example" && entry.token.is_none()),
        "{as_admin:?}"
    );
    let as_ada = audit("ADA@acme.example").await;
    let by_token: Vec<&AuditEntry> = as_ada.iter().filter(|entry| entry.action == "design.create").collect();
    assert_eq!(by_token.len(), 1, "{as_ada:?}");
    assert_eq!(by_token[0].actor_email, "ada@acme.example");
    assert!(by_token[0].token.as_deref().unwrap_or_default().starts_with("API token “admin@lightpath.example” (lpt_"));
    // Part of an address is not a person.
    assert!(audit("acme.example").await.is_empty());
}

/// An integrator prices a configuration with one call and orders it with what that call
/// answered, without a price engine of their own; a price that moved is a 409 that carries
/// the price now.
#[tokio::test]
async fn a_configuration_is_priced_then_ordered_through_rest_alone() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let token = token(&app, &ada, "Procurement bot", "full").await;
    let configuration = json!({
        "product": "wavelengths-400g", "option": "100G", "term": 12,
        "a_end": "chi-dc-1", "z_end": "ash-dc-2", "diverse": true, "amounts": [], "count": 1,
    });
    let offer =
        json_of(call(&app, Method::POST, "/api/v1/offers", &token, Some(configuration.clone())).await, StatusCode::OK)
            .await;
    assert_eq!(offer["paths"].as_array().unwrap().len(), 2, "a diverse pair: {offer}");
    assert!(offer["ends"].as_array().unwrap().iter().all(|end| end["status"] == "on-net"), "{offer}");
    assert!(offer["items"][0]["priced"].is_object() && offer["lead_days"].as_u64().unwrap() > 0, "{offer}");
    assert!(offer["totals"]["monthly"].as_i64().unwrap() > 0);

    // The price seen is stale: 409, with the price now as a member of the problem.
    let mut stale = offer["totals"].clone();
    stale["monthly"] = json!(stale["monthly"].as_i64().unwrap() - 100);
    let body = json!({ "configuration": configuration, "totals": stale });
    let moved =
        call_with_key(&app, Method::POST, "/api/v1/orders", &token, "offer-order-stale-00001", Some(body)).await;
    let moved = json_of(moved, StatusCode::CONFLICT).await;
    assert_eq!(moved["totals"], offer["totals"], "{moved}");

    let body = json!({ "configuration": configuration, "totals": moved["totals"] });
    let placed =
        call_with_key(&app, Method::POST, "/api/v1/orders", &token, "offer-order-fresh-00001", Some(body)).await;
    let placed = json_of(placed, StatusCode::CREATED).await;
    assert_eq!(placed["summary"]["totals"], offer["totals"]);
    let done = until_done(&app, &token, placed["href"].as_str().unwrap()).await;
    assert_eq!(done["summary"]["state"], "completed", "{done}");

    // A configuration that cannot be sold names the field at fault; nothing is priced.
    let nowhere = json!({
        "product": "wavelengths-400g", "option": "100G", "term": 12,
        "a_end": "chi-dc-1", "z_end": "no-such-site", "diverse": false, "amounts": [], "count": 1,
    });
    let refused = json_of(
        call(&app, Method::POST, "/api/v1/offers", &token, Some(nowhere)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(refused["errors"].as_array().is_some_and(|errors| !errors.is_empty()), "{refused}");
}

/// Webhooks and tokens are managed through the API by an organisation admin's admin token,
/// audited under it; a buyer's token, a read-only one and another organisation's are refused.
#[tokio::test]
async fn an_admin_token_manages_webhooks_as_a_hub_and_revokes_tokens() {
    use lightpath_domain::records::{AuditEntry, Paged};
    let app = crate::helpers::spawn_app_with(|config| config.webhooks.allow_private = false).await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let admin_token = token(&app, &ada, "Platform team", "admin").await;
    let buyer_token = token(&app, &ada, "Ordering bot", "full").await;
    let reader = token(&app, &ada, "Dashboards", "read-only").await;
    let subscription = json!({ "callback": "https://hooks.example.com/lightpath", "events": ["order-state-changed"] });

    for (who, refused) in [(&buyer_token, StatusCode::FORBIDDEN), (&reader, StatusCode::FORBIDDEN)] {
        let answer = call(&app, Method::POST, "/api/v1/hub", who, Some(subscription.clone())).await;
        assert_eq!(answer.status(), refused);
        assert_eq!(call(&app, Method::GET, "/api/v1/tokens", who, None).await.status(), StatusCode::FORBIDDEN);
    }
    let made = call(&app, Method::POST, "/api/v1/hub", &admin_token, Some(subscription.clone())).await;
    let location = made.headers()["location"].to_str().unwrap().to_owned();
    let made = json_of(made, StatusCode::CREATED).await;
    assert!(made["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(location, format!("/api/v1/hub/{}", made["id"].as_str().unwrap()));
    let listed = json_of(call(&app, Method::GET, "/api/v1/hub", &admin_token, None).await, StatusCode::OK).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(listed[0].get("secret").is_none(), "the secret is shown once");
    let bad = json!({ "callback": "https://169.254.169.254/latest", "events": ["order-state-changed"] });
    let bad = json_of(
        call(&app, Method::POST, "/api/v1/hub", &admin_token, Some(bad)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(bad["errors"][0]["field"], "callback", "{bad}");

    // Another organisation's admin token finds nothing of Acme's.
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    let globex = token(&app, &hal, "Globex platform", "admin").await;
    assert_eq!(call(&app, Method::DELETE, &location, &globex, None).await.status(), StatusCode::NOT_FOUND);
    assert!(json_of(call(&app, Method::GET, "/api/v1/hub", &globex, None).await, StatusCode::OK)
        .await
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(call(&app, Method::DELETE, &location, &admin_token, None).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(call(&app, Method::DELETE, &location, &admin_token, None).await.status(), StatusCode::NOT_FOUND);

    // Tokens: listed without secrets, revoked at once; Globex cannot revoke Acme's.
    let tokens = json_of(call(&app, Method::GET, "/api/v1/tokens", &admin_token, None).await, StatusCode::OK).await;
    assert_eq!(tokens.as_array().unwrap().len(), 3);
    assert!(!tokens.to_string().contains(&buyer_token));
    let bot = tokens.as_array().unwrap().iter().find(|t| t["name"] == "Ordering bot").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/tokens/{bot}");
    assert_eq!(call(&app, Method::DELETE, &path, &globex, None).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(call(&app, Method::DELETE, &path, &admin_token, None).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(call(&app, Method::GET, "/api/v1/orders", &buyer_token, None).await.status(), StatusCode::UNAUTHORIZED);

    // Audited under the admin token.
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let page: Paged<AuditEntry> =
        app.post_form("/api/admin/audit", &[("actor", "ada@acme.example")], Some(&admin)).await.json().await.unwrap();
    for action in ["webhook.create", "webhook.remove", "api-token.revoke"] {
        let entry =
            page.items.iter().find(|entry| entry.action == action).unwrap_or_else(|| panic!("{action}: {page:?}"));
        assert!(entry.token.as_deref().unwrap_or_default().contains("Platform team"), "{entry:?}");
    }
}

/// Issue 27 (item 11): inviting someone who is already a member answers as any invitation
/// does and invites nobody.
#[tokio::test]
async fn inviting_a_member_again_creates_no_pending_invitation() {
    use lightpath_app::model::orgs::OrganisationView;
    let app = spawn_app().await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let me: lightpath_domain::account::Actor =
        app.post_form("/api/dashboard", &[], Some(&ada)).await.json().await.unwrap();
    let acme = me.organisation.unwrap().id.to_string();
    let form = [
        ("organisation", acme.as_str()),
        ("email", "GRACE@acme.example"),
        ("name", "Grace"),
        ("password", "first password 123"),
    ];
    assert_eq!(app.post_form("/api/add-member", &form, Some(&ada)).await.status(), 200);
    let view: OrganisationView =
        app.post_form("/api/organisation", &[("id", acme.as_str())], Some(&ada)).await.json().await.unwrap();
    assert!(view.invitations.is_empty(), "{:?}", view.invitations);
    assert_eq!(view.members.iter().filter(|member| member.email == "grace@acme.example").count(), 1);
}
