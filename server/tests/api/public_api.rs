//! The public REST API with API tokens: the whole journey (recommend → design → order →
//! completed → bandwidth change → disconnect) with a token; one order for 1,000 concurrent
//! submissions with one key; another organisation's token 404; a revoked token 401; a
//! read-only token 403 on writes; a browser cookie never writes; problems as RFC 9457 JSON;
//! paging with `X-Total-Count`; the per-token rate limit; changes audited under the token.

use crate::helpers::training_draft;
use crate::helpers::{eventually, spawn_app, spawn_app_with, TestApp, DEMO_PASSWORD};
use lightpath_app::model::tokens::TokenMade;
use lightpath_domain::recommend::{Choice, Tier};
use lightpath_domain::Term;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// An org admin makes a token in the portal; returns its secret.
pub(crate) async fn token(app: &TestApp, admin: &str, name: &str, access: &str) -> String {
    let form = [("name", name), ("access", access), ("expires_in_days", "30")];
    let response = app.post_form("/api/create-api-token", &form, Some(admin)).await;
    assert_eq!(response.status(), 200);
    let made: TokenMade = response.json().await.unwrap();
    assert!(made.secret.starts_with(&made.token.prefix));
    made.secret
}

/// A REST call with a bearer token (no cookie, no browser headers: what curl sends).
pub(crate) async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app.client.request(method, format!("{}{path}", app.address)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("request reaches the server")
}

pub(crate) async fn call_with_key(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    key: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request =
        app.client.request(method, format!("{}{path}", app.address)).bearer_auth(token).header("idempotency-key", key);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("request reaches the server")
}

pub(crate) async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    let actual = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(actual, status, "{body}");
    body
}

/// Waits until the order ends, reading it through the API.
pub(crate) async fn until_done(app: &TestApp, token: &str, href: &str) -> Value {
    eventually(&format!("{href} finishing"), async || {
        let order = json_of(call(app, Method::GET, href, token, None).await, StatusCode::OK).await;
        let state = order["summary"]["state"].as_str().unwrap();
        ["completed", "failed", "partial", "cancelled", "rejected"].contains(&state).then_some(order)
    })
    .await
}

/// A saved design with the better bundle chosen, made through the API; returns its id.
pub(crate) async fn design_via_api(app: &TestApp, token: &str, name: &str) -> String {
    let choice = Choice { tier: Tier::Better, term: Term::Months12, options: vec![] };
    let body = json!({ "draft": training_draft(name), "intent": "saved", "choice": choice });
    let created = call(app, Method::POST, "/api/v1/designs", token, Some(body)).await;
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let design = json_of(created, StatusCode::CREATED).await;
    assert_eq!((design["@type"].as_str(), design["href"].as_str()), (Some("Design"), Some(location.as_str())));
    design["summary"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_integrator_recommends_designs_orders_changes_and_disconnects_with_a_token() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let token = token(&app, &ada, "Terraform pipeline", "full").await;

    let recommended = call(&app, Method::POST, "/api/v1/recommendations", &token, Some(training_draft("Feed"))).await;
    let recommended = json_of(recommended, StatusCode::OK).await;
    assert_eq!(recommended["recommendation"]["bundles"].as_array().unwrap().len(), 3);

    let design = design_via_api(&app, &token, "Training feed").await;
    let listed = call(&app, Method::GET, "/api/v1/designs?limit=1", &token, None).await;
    assert_eq!(listed.headers()["x-total-count"], "1");
    assert_eq!(json_of(listed, StatusCode::OK).await[0]["id"], design);

    // No key: refused before anything is written.
    let keyless = call(&app, Method::POST, "/api/v1/orders", &token, Some(json!({ "design": design }))).await;
    assert_eq!(keyless.status(), 400);
    let key = "api-order-0000000000000001";
    let first =
        call_with_key(&app, Method::POST, "/api/v1/orders", &token, key, Some(json!({ "design": design }))).await;
    let href = first.headers()["location"].to_str().unwrap().to_owned();
    let order = json_of(first, StatusCode::CREATED).await;
    assert_eq!(order["@type"], "ProductOrder");
    let again =
        call_with_key(&app, Method::POST, "/api/v1/orders", &token, key, Some(json!({ "design": design }))).await;
    assert_eq!(
        json_of(again, StatusCode::OK).await["summary"]["id"],
        order["summary"]["id"],
        "a retry, the same order"
    );
    let done = until_done(&app, &token, &href).await;
    assert_eq!(done["summary"]["state"], "completed", "{done}");

    let services = call(&app, Method::GET, "/api/v1/services?limit=100", &token, None).await;
    let total: usize = services.headers()["x-total-count"].to_str().unwrap().parse().unwrap();
    let services = json_of(services, StatusCode::OK).await;
    assert_eq!(services.as_array().unwrap().len(), total);
    let wave = services.as_array().unwrap().iter().find(|s| s["product"] == "wavelengths-400g").unwrap().clone();
    let wave_href = wave["href"].as_str().unwrap().to_owned();
    let service = json_of(call(&app, Method::GET, &wave_href, &token, None).await, StatusCode::OK).await;
    let bigger =
        service["bandwidth_choices"].as_array().unwrap().iter().find(|c| c["option"] == "100G").unwrap().clone();
    let cents = bigger["monthly_estimate_cents"].as_i64().unwrap();

    // A price that moved is 409 with the new one; the right price changes the bandwidth.
    let stale = json!({ "option": "100G", "monthly_cents": cents - 1 });
    let stale = call_with_key(&app, Method::PATCH, &wave_href, &token, "api-change-00000000000001", Some(stale)).await;
    assert_eq!(stale.status(), 409);
    assert_eq!(stale.headers()["content-type"], "application/problem+json");
    let change = json!({ "option": "100G", "monthly_cents": cents });
    let changed =
        call_with_key(&app, Method::PATCH, &wave_href, &token, "api-change-00000000000002", Some(change)).await;
    let changed = json_of(changed, StatusCode::CREATED).await;
    let done = until_done(&app, &token, changed["href"].as_str().unwrap()).await;
    assert_eq!(done["summary"]["state"], "completed", "{done}");
    let service = json_of(call(&app, Method::GET, &wave_href, &token, None).await, StatusCode::OK).await;
    assert_eq!(service["summary"]["mbps"], 100_000);

    let gone = call_with_key(&app, Method::DELETE, &wave_href, &token, "api-disconnect-0000000001", None).await;
    let gone = json_of(gone, StatusCode::CREATED).await;
    let done = until_done(&app, &token, gone["href"].as_str().unwrap()).await;
    assert_eq!(done["summary"]["state"], "completed", "{done}");
    let service = json_of(call(&app, Method::GET, &wave_href, &token, None).await, StatusCode::OK).await;
    assert_eq!(service["summary"]["state"], "terminated");

    // Every change is in the audit log under the token's name.
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let audit = app.post_form("/api/admin/audit", &[("action", "order")], Some(&admin)).await.text().await.unwrap();
    assert!(audit.contains("Terraform pipeline"), "{audit}");
}

#[tokio::test]
async fn a_thousand_concurrent_api_submissions_with_one_key_make_one_order() {
    let app = spawn_app().await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let token = token(&app, &ada, "Stampede", "full").await;
    let design = design_via_api(&app, &token, "Stampede").await;
    let app = std::sync::Arc::new(app);
    let submissions: Vec<_> = (0..1_000)
        .map(|_| {
            let (app, design, token) = (app.clone(), design.clone(), token.clone());
            tokio::spawn(async move {
                let body = Some(json!({ "design": design }));
                let response =
                    call_with_key(&app, Method::POST, "/api/v1/orders", &token, "api-stampede-000000000001", body)
                        .await;
                let status = response.status().as_u16();
                let body: Value = response.json().await.unwrap();
                (status, body["summary"]["id"].as_str().map(str::to_owned))
            })
        })
        .collect();
    let mut answers = Vec::new();
    for submission in submissions {
        answers.push(submission.await.unwrap());
    }
    assert_eq!(answers.iter().filter(|(status, _)| *status == 201).count(), 1, "one placed it");
    assert!(answers.iter().all(|(status, _)| *status == 201 || *status == 200), "the others saw it");
    let ids: std::collections::HashSet<_> = answers.into_iter().map(|(_, id)| id.unwrap()).collect();
    assert_eq!(ids.len(), 1);
    let orders: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(app.store().await.pool()).await.unwrap();
    assert_eq!(orders, 1);
}

#[tokio::test]
async fn tokens_are_bound_to_their_organisation_access_and_life() {
    let app = spawn_app().await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    let acme = token(&app, &ada, "Acme CI", "full").await;
    let globex = token(&app, &hal, "Globex CI", "full").await;
    let design = design_via_api(&app, &acme, "Acme only").await;
    let path = format!("/api/v1/designs/{design}");

    // Another organisation's token: as if it did not exist.
    let other = call(&app, Method::GET, &path, &globex, None).await;
    assert_eq!(other.status(), 404);
    assert_eq!(other.headers()["content-type"], "application/problem+json");
    let problem: Value = other.json().await.unwrap();
    assert_eq!((problem["status"].as_u64(), problem["title"].as_str()), (Some(404), Some("Not Found")));
    assert_eq!(call(&app, Method::DELETE, &path, &globex, None).await.status(), 404);
    let listed = call(&app, Method::GET, "/api/v1/designs", &globex, None).await;
    assert_eq!(listed.headers()["x-total-count"], "0");

    // A read-only token reads and is refused every change.
    let reader = token(&app, &ada, "Dashboards", "read-only").await;
    assert_eq!(call(&app, Method::GET, &path, &reader, None).await.status(), 200);
    let refused = call(&app, Method::DELETE, &path, &reader, None).await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("read-only"));
    let body = json!({ "draft": training_draft("Nope") });
    assert_eq!(call(&app, Method::POST, "/api/v1/designs", &reader, Some(body)).await.status(), 403);

    // Revoked: 401 at once.
    let tokens: Value = app.post_form("/api/api-tokens", &[], Some(&ada)).await.json().await.unwrap();
    let acme_ci = tokens["tokens"].as_array().unwrap().iter().find(|t| t["name"] == "Acme CI").unwrap()["id"].clone();
    let revoke = app.post_form("/api/revoke-api-token", &[("id", acme_ci.as_str().unwrap())], Some(&ada)).await;
    assert_eq!(revoke.status(), 200);
    let revoked = call(&app, Method::GET, &path, &acme, None).await;
    assert_eq!(revoked.status(), 401);
    assert!(revoked.text().await.unwrap().contains("revoked"));
    // A made-up token is refused the same way.
    assert_eq!(call(&app, Method::GET, &path, "lpt_00000000_ffff", None).await.status(), 401);

    // Hal cannot revoke Acme's tokens; a buyer cannot make tokens.
    let reader_id =
        tokens["tokens"].as_array().unwrap().iter().find(|t| t["name"] == "Dashboards").unwrap()["id"].clone();
    let foreign = app.post_form("/api/revoke-api-token", &[("id", reader_id.as_str().unwrap())], Some(&hal)).await;
    assert_eq!(foreign.status(), 404);
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let form = [("name", "mine"), ("access", "full"), ("expires_in_days", "")];
    assert_eq!(app.post_form("/api/create-api-token", &form, Some(&grace)).await.status(), 403);
    // Bad input is named by field, a control character included.
    let form = [("name", "bad\u{7}name"), ("access", "root"), ("expires_in_days", "9999")];
    let bad = app.post_form("/api/create-api-token", &form, Some(&ada)).await;
    assert_eq!(bad.status(), 422);
    let bad = bad.text().await.unwrap();
    for field in ["name", "access", "expires_in_days"] {
        assert!(bad.contains(&format!("\"{field}\"")), "{bad}");
    }
}

#[tokio::test]
async fn a_cookie_never_writes_through_the_api_and_a_token_never_works_for_the_portal() {
    let app = spawn_app().await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let token = token(&app, &ada, "CI", "full").await;
    let design = design_via_api(&app, &token, "Kept").await;

    // The browser's session reads the API, but a write with it is refused, even same-origin.
    let read = app.client.get(format!("{}/api/v1/designs", app.address)).header("cookie", &ada).send().await.unwrap();
    assert_eq!(read.status(), 200);
    let write = app
        .client
        .delete(format!("{}/api/v1/designs/{design}", app.address))
        .header("cookie", &ada)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(write.status(), 401);
    assert!(write.text().await.unwrap().contains("API token"));
    // The token means nothing to the portal's server functions.
    let portal = app
        .client
        .post(format!("{}/api/delete-design", app.address))
        .bearer_auth(&token)
        .form(&[("id", design.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(portal.status(), 401);
    assert_eq!(call(&app, Method::GET, &format!("/api/v1/designs/{design}"), &token, None).await.status(), 200);
    // Nobody at all: 401 with what to send.
    let anonymous = app.client.get(format!("{}/api/v1/orders", app.address)).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    assert!(anonymous.text().await.unwrap().contains("Authorization: Bearer"));
}

#[tokio::test]
async fn bad_requests_are_problems_and_lists_are_windows() {
    let app = spawn_app().await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let token = token(&app, &ada, "CI", "full").await;
    for name in ["One", "Two", "Three"] {
        design_via_api(&app, &token, name).await;
    }
    let window = call(&app, Method::GET, "/api/v1/designs?limit=2&offset=1", &token, None).await;
    assert_eq!(window.headers()["x-total-count"], "3");
    let window = json_of(window, StatusCode::OK).await;
    assert_eq!(window.as_array().unwrap().len(), 2);
    assert_eq!(window[0]["name"], "Two", "newest first, one skipped");
    for bad in ["limit=0", "limit=101", "offset=-1", "limit=ten", "offset=99999999", "colour=blue"] {
        let response = call(&app, Method::GET, &format!("/api/v1/orders?{bad}"), &token, None).await;
        assert_eq!(response.status(), 400, "{bad}");
        assert_eq!(response.headers()["content-type"], "application/problem+json");
    }
    // Not JSON; JSON of the wrong shape; a draft with problems named by field.
    let not_json = app
        .client
        .post(format!("{}/api/v1/designs", app.address))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), 400);
    let wrong = call(&app, Method::POST, "/api/v1/orders", &token, Some(json!({ "design": 7 }))).await;
    assert_eq!(wrong.status(), 422);
    let mut draft = training_draft("Bad");
    draft["training"]["cluster"] = json!("nowhere");
    let problem = json_of(
        call(&app, Method::POST, "/api/v1/recommendations", &token, Some(draft)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(!problem["errors"].as_array().unwrap().is_empty(), "{problem}");
    assert!(problem["errors"][0]["field"].is_string() && problem["errors"][0]["message"].is_string());
}

#[tokio::test]
async fn each_token_is_rate_limited() {
    let app = spawn_app_with(|config| config.api_requests_per_minute = 3).await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let (first, second) = (token(&app, &ada, "Busy", "full").await, token(&app, &ada, "Quiet", "full").await);
    for _ in 0..3 {
        assert_eq!(call(&app, Method::GET, "/api/v1/orders", &first, None).await.status(), 200);
    }
    let limited = call(&app, Method::GET, "/api/v1/orders", &first, None).await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    assert_eq!(call(&app, Method::GET, "/api/v1/orders", &second, None).await.status(), 200, "per token");
}

#[tokio::test]
async fn the_openapi_document_describes_every_call_and_its_problems() {
    let app = spawn_app().await;
    let document = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["components"]["securitySchemes"]["token"]["scheme"], "bearer");
    let calls = [
        ("/api/v1/recommendations", "post"),
        ("/api/v1/designs", "get"),
        ("/api/v1/designs", "post"),
        ("/api/v1/designs/{id}", "get"),
        ("/api/v1/designs/{id}", "put"),
        ("/api/v1/designs/{id}", "delete"),
        ("/api/v1/orders", "get"),
        ("/api/v1/orders", "post"),
        ("/api/v1/orders/{id}", "get"),
        ("/api/v1/orders/{id}/cancel", "post"),
        ("/api/v1/services", "get"),
        ("/api/v1/services/{id}", "get"),
        ("/api/v1/services/{id}", "patch"),
        ("/api/v1/services/{id}", "delete"),
        ("/api/v1/quotes", "get"),
        ("/api/v1/quotes/{id}", "get"),
        ("/api/v1/quotes/{id}/accept", "post"),
    ];
    for (path, method) in calls {
        let operation = &document["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} is documented");
        assert!(
            operation["summary"].as_str().is_some_and(|text| !text.is_empty()),
            "{method} {path} says what it does"
        );
        let unauthorised = &operation["responses"]["401"]["content"]["application/problem+json"]["schema"]["$ref"];
        assert_eq!(unauthorised, "#/components/schemas/Problem", "{method} {path} documents its problems");
    }
    // The public calls, the event stream and the quote CSV are documented too.
    for (path, method) in [
        ("/api/v1/products", "get"),
        ("/api/v1/products/{id}", "get"),
        ("/api/v1/sites", "get"),
        ("/api/v1/spans", "get"),
        ("/api/v1/routes", "get"),
        ("/api/v1/orders/{id}/events", "get"),
        ("/api/v1/quotes/{id}/lines.csv", "get"),
    ] {
        assert!(document["paths"][path][method]["summary"].as_str().is_some(), "{method} {path} is documented");
    }
    assert!(document["paths"]["/api/v1/orders/{id}/events"]["get"]["responses"]["200"]["content"]["text/event-stream"]
        .is_object());
    // Generated clients need one name per call, a server to call, and no stray types.
    let mut operation_ids = Vec::new();
    for methods in document["paths"].as_object().unwrap().values() {
        for operation in methods.as_object().unwrap().values() {
            operation_ids.push(operation["operationId"].as_str().expect("every call is named").to_owned());
        }
    }
    let count = operation_ids.len();
    operation_ids.sort();
    operation_ids.dedup();
    assert_eq!(operation_ids.len(), count, "operationIds are unique: {operation_ids:?}");
    assert_eq!(document["servers"][0]["url"], "/");
    let text = document.to_string();
    for name in document["components"]["schemas"].as_object().unwrap().keys() {
        assert!(text.contains(&format!("#/components/schemas/{name}\"")), "{name} is used");
    }
    let placing = &document["paths"]["/api/v1/orders"]["post"]["parameters"];
    assert!(placing.as_array().unwrap().iter().any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header"));
    // The document is public: integrators read it before they have a token.
    let response = app.get("/api/v1/openapi.json").await;
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
}
