//! Approvals inside the customer (issue 30): an organisation's admin sets an amount; an order
//! whose first month is over it waits (`pending`), reserves nothing and is visible with who
//! placed it; a second Technical, Finance or Organisation admin member approves it (then
//! Lightpath's credit check, then provisioning) or rejects it with a reason; the person who
//! placed it, read-only members, staff and other organisations cannot; every decision is in
//! the organisation's audit log; the REST API decides with a token.

use crate::helpers::{spawn_app, TestApp, DEMO_PASSWORD};
use crate::public_api::{call, json_of, token};
use lightpath_app::model::orders::OrderPlaced;
use lightpath_app::model::orgs::OrganisationView;
use lightpath_domain::order::OrderState;
use lightpath_domain::records::{AuditEntry, OrderRecord, Paged};
use lightpath_domain::Money;
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn acme(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT id FROM organisations WHERE name = 'Acme AI'")
        .fetch_one(app.store().await.pool())
        .await
        .unwrap()
}

async fn set_amount(app: &TestApp, organisation: &str, amount: &str, cookie: &str) -> reqwest::Response {
    app.post_form("/api/set-approval-amount", &[("organisation", organisation), ("amount", amount)], Some(cookie)).await
}

async fn decide(app: &TestApp, order: &str, approve: bool, comment: &str, cookie: &str) -> reqwest::Response {
    let approve = approve.to_string();
    let form = [("id", order), ("approve", approve.as_str()), ("comment", comment)];
    app.post_form("/api/decide-pending-order", &form, Some(cookie)).await
}

async fn place(app: &TestApp, cookie: &str, name: &str, key: &str) -> String {
    let design = app.saved_design(cookie, name).await;
    let response = app.order_design(&design, key, cookie).await;
    assert_eq!(response.status(), 200);
    let placed: OrderPlaced = response.json().await.unwrap();
    placed.id.to_string()
}

async fn read(app: &TestApp, order: &str, cookie: &str) -> OrderRecord {
    let response = app.post_form("/api/order", &[("id", order)], Some(cookie)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn an_order_over_the_amount_waits_for_a_second_member_and_nobody_else_decides() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let acme = acme(&app).await;
    let [grace, ada, fran, ken, hal, sales] = [
        "grace@acme.example",
        "ada@acme.example",
        "fran@acme.example",
        "ken@acme.example",
        "hal@globex.example",
        "sales@lightpath.example",
    ]
    .map(|email| app.sign_in(email, DEMO_PASSWORD));
    let (grace, ada, fran, ken, hal, sales) = (grace.await, ada.await, fran.await, ken.await, hal.await, sales.await);

    // Only the organisation's admin sets the amount, and only a sane one.
    let refused = set_amount(&app, &acme, "lots", &ada).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("whole dollars"));
    assert_eq!(set_amount(&app, &acme, "1", &grace).await.status(), 403);
    assert_eq!(set_amount(&app, &acme, "1", &hal).await.status(), 404);
    assert_eq!(set_amount(&app, &acme, "1", &ada).await.status(), 200);
    let view: OrganisationView =
        app.post_form("/api/organisation", &[("id", &acme)], Some(&ken)).await.json().await.unwrap();
    assert_eq!(view.approval_amount, Some(Money::from_dollars(1)), "every member reads the rule");

    // Grace's order waits, says why and for whom, and reserves nothing.
    let order = place(&app, &grace, "Needs a second member", "approval-wait-0000000001").await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let waiting = read(&app, &order, &grace).await;
    assert_eq!(waiting.summary.state, OrderState::Pending, "{:?}", waiting.events);
    let reason = waiting.summary.reason.clone().unwrap();
    assert!(reason.contains("second member") && reason.contains("$1.00") && reason.contains("Grace"), "{reason}");
    assert!(app.store().await.reservations().await.unwrap().is_empty(), "a waiting order reserves nothing");
    let approval = waiting.approval.expect("the approval panel");
    assert!(approval.placed_by.starts_with("Grace"));
    assert!(!approval.reader_may_decide);
    assert!(approval.reader_may_not.unwrap().contains("You placed this order"));
    assert!(read(&app, &order, &fran).await.approval.unwrap().reader_may_decide, "finance approves spend");
    let ken_sees = read(&app, &order, &ken).await.approval.unwrap();
    assert!(!ken_sees.reader_may_decide && ken_sees.reader_may_not.unwrap().contains("Technical or Finance"));
    assert!(!read(&app, &order, &sales).await.approval.unwrap().reader_may_decide, "staff read, never approve");

    // The members who may approve are told on their dashboard; the one who placed it is not.
    let notices = |cookie: String| {
        let app = &app;
        async move { app.post_form("/api/notices", &[], Some(&cookie)).await.text().await.unwrap() }
    };
    for (cookie, told) in [(&fran, true), (&ada, true), (&grace, false), (&ken, false)] {
        let said = notices(cookie.clone()).await;
        assert_eq!(said.contains("waits for a second member's approval"), told, "{said}");
    }

    // Nobody but a second member decides.
    let own = decide(&app, &order, true, "", &grace).await;
    assert_eq!(own.status(), 403);
    assert!(own.text().await.unwrap().contains("second member"));
    assert_eq!(decide(&app, &order, true, "", &ken).await.status(), 403);
    assert_eq!(decide(&app, &order, true, "", &sales).await.status(), 403);
    assert_eq!(decide(&app, &order, true, "", &hal).await.status(), 404, "another organisation's order");
    assert_eq!(decide(&app, "not-an-id", true, "", &fran).await.status(), 404);
    assert_eq!(read(&app, &order, &grace).await.summary.state, OrderState::Pending);

    // Fran approves from the order page's plain form (no script needed): the answer opens
    // the order page again. No credit limit, so it provisions; a second decision is too late.
    let approved = app
        .client
        .post(format!("{}/api/decide-pending-order", app.address))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", format!("{}/orders/{order}", app.address))
        .header("cookie", &fran)
        .form(&[("id", order.as_str()), ("approve", "true"), ("comment", "")])
        .send()
        .await
        .unwrap();
    assert!(approved.status().is_redirection(), "{}", approved.status());
    assert_eq!(approved.headers()["location"], format!("/orders/{order}").as_str());
    assert_eq!(decide(&app, &order, false, "changed my mind", &ada).await.status(), 409);
    let done = app.until_terminal(&order, &grace).await;
    assert_eq!(done.summary.state, OrderState::Completed, "{:?}", done.events);
    assert!(done.events.iter().any(|event| event.message.starts_with("Approved by Fran")));
    assert!(done.approval.is_none());

    // The decision and the amount are in the organisation's audit log.
    let log: Paged<AuditEntry> = app
        .post_form("/api/organisation-audit", &[("organisation", &acme), ("action", "order")], Some(&ada))
        .await
        .json()
        .await
        .unwrap();
    let approve = log.items.iter().find(|entry| entry.action == "order.approve").expect("audited");
    assert_eq!(approve.actor_email, "fran@acme.example", "{approve:?}");
    let log: Paged<AuditEntry> =
        app.post_form("/api/organisation-audit", &[("organisation", &acme)], Some(&ada)).await.json().await.unwrap();
    assert!(log.items.iter().any(|entry| entry.action == "organisation.approval-amount"));
}

#[tokio::test]
async fn a_rejected_or_cancelled_waiting_order_ends_and_an_approved_one_meets_the_credit_check() {
    let app = spawn_app().await;
    let acme = acme(&app).await;
    let (grace, ada, admin) = (
        app.sign_in("grace@acme.example", DEMO_PASSWORD).await,
        app.sign_in("ada@acme.example", DEMO_PASSWORD).await,
        app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await,
    );
    assert_eq!(set_amount(&app, &acme, "1", &ada).await.status(), 200);
    let rejected = place(&app, &grace, "Rejected by Ada", "approval-reject-000000001").await;
    let cancelled = place(&app, &grace, "Withdrawn by Grace", "approval-cancel-000000001").await;
    let credit = place(&app, &grace, "Then the credit check", "approval-credit-000000001").await;

    // A rejection needs its reason, which Grace then reads.
    let silent = decide(&app, &rejected, false, "  ", &ada).await;
    assert_eq!(silent.status(), 422);
    assert!(silent.text().await.unwrap().contains("Say why"));
    assert_eq!(decide(&app, &rejected, false, "bell\u{7}", &ada).await.status(), 422, "control characters");
    assert_eq!(decide(&app, &rejected, false, "Over this quarter's budget.", &ada).await.status(), 200);
    let record = read(&app, &rejected, &grace).await;
    assert_eq!(record.summary.state, OrderState::Rejected);
    assert!(record.summary.reason.unwrap().contains("Over this quarter's budget."));

    // Grace withdraws hers while it waits: it ends at once.
    assert_eq!(app.post_form("/api/cancel-order", &[("id", &cancelled)], Some(&grace)).await.status(), 200);
    assert_eq!(read(&app, &cancelled, &grace).await.summary.state, OrderState::Cancelled);
    assert_eq!(decide(&app, &cancelled, true, "", &ada).await.status(), 409, "no longer waits");

    // Approved, the third meets Lightpath's credit check: over the limit, it is held.
    assert_eq!(
        app.post_form("/api/set-credit-limit", &[("organisation", &acme), ("limit", "1")], Some(&admin)).await.status(),
        200
    );
    assert_eq!(decide(&app, &credit, true, "", &ada).await.status(), 200);
    let held = read(&app, &credit, &grace).await;
    assert_eq!(held.summary.state, OrderState::Held, "{:?}", held.events);
    assert!(held.summary.reason.unwrap().contains("credit limit"));
    assert!(held.events.iter().any(|event| event.message.contains("waits for Lightpath's credit review")));
    assert!(app.store().await.reservations().await.unwrap().is_empty());

    // Under the amount, an order goes straight on.
    assert_eq!(set_amount(&app, &acme, "100000000", &ada).await.status(), 200);
    assert_eq!(
        app.post_form("/api/set-credit-limit", &[("organisation", &acme), ("limit", "")], Some(&admin)).await.status(),
        200
    );
    let straight = place(&app, &grace, "Under the amount", "approval-under-0000000001").await;
    let record = read(&app, &straight, &grace).await;
    assert!(matches!(record.summary.state, OrderState::Acknowledged | OrderState::InProgress | OrderState::Completed));
    assert!(record.approval.is_none());
}

#[tokio::test]
async fn the_rest_api_decides_with_a_member_s_token_and_a_read_only_token_cannot() {
    let app = spawn_app().await;
    let acme = acme(&app).await;
    let (grace, ada) =
        (app.sign_in("grace@acme.example", DEMO_PASSWORD).await, app.sign_in("ada@acme.example", DEMO_PASSWORD).await);
    assert_eq!(set_amount(&app, &acme, "1", &ada).await.status(), 200);
    let order = place(&app, &grace, "Approved over REST", "approval-rest-00000000001").await;
    let (writer, reader) =
        (token(&app, &ada, "approvals", "full").await, token(&app, &ada, "reads", "read-only").await);
    let path = format!("/api/v1/orders/{order}/approval");

    let shown =
        json_of(call(&app, Method::GET, &format!("/api/v1/orders/{order}"), &writer, None).await, StatusCode::OK).await;
    assert_eq!(shown["summary"]["state"], "pending");
    assert_eq!(shown["approval"]["reader_may_decide"], true, "{shown}");

    let body = json!({ "approve": true });
    assert_eq!(call(&app, Method::POST, &path, &reader, Some(body.clone())).await.status(), StatusCode::FORBIDDEN);
    let unknown = call(&app, Method::POST, &path, &writer, Some(json!({ "approve": true, "extra": 1 }))).await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY, "unknown fields are refused");
    let decided = json_of(call(&app, Method::POST, &path, &writer, Some(body.clone())).await, StatusCode::OK).await;
    assert_ne!(decided["summary"]["state"], "pending", "{decided}");
    let again = call(&app, Method::POST, &path, &writer, Some(body)).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
}
