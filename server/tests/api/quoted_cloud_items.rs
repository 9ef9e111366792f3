//! A quote that holds a cloud router and a cloud connection, over HTTP: accepting it orders the
//! rest at the quoted price and leaves both waiting for the buyer's cloud details; each is then
//! ordered on its own (REST) at its quoted price and on its quoted route, once per line even
//! under racing requests, by its own organisation only; a connection the cloud rejects gives
//! its line back.

use crate::cloud_connections::{aws, field_of, service_of};
use crate::helpers::{spawn_app, TestApp, DEMO_PASSWORD};
use crate::public_api::{call, call_with_key, json_of, token};
use lightpath_domain::order::OrderState;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn router_config() -> Value {
    json!({
        "product": "cloud-router", "option": "1G", "term": 12,
        "a_end": "chi-dc-1", "z_end": null, "diverse": false, "amounts": [], "count": 1
    })
}

fn connection_config() -> Value {
    json!({
        "product": "cloud-connection", "option": "1G", "term": 12,
        "a_end": "chi-dc-1", "z_end": "aws-us-east-1", "diverse": false, "amounts": [], "count": 1
    })
}

/// A quote of Grace's training design with a cloud router and an AWS connection added, at
/// 10 % off, sent to Acme; answers its id.
async fn sent_quote(app: &TestApp, sales: &str, grace: &str) -> String {
    let design = app.saved_design(grace, "Training across clouds").await;
    let body = json!({ "input": {
        "design": design, "quote": null, "seen_version": null,
        "choice": { "tier": "better", "term": 12, "options": [] },
        "removed": [], "discount": "10", "validity_days": "30", "reason": "",
        "added": [router_config(), connection_config()],
    }});
    let saved = app.post_json("/api/save-quote", &body, Some(sales)).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let id: String = saved.json().await.unwrap();
    let form = [("id", id.as_str()), ("version", "1"), ("action", "send"), ("comment", "")];
    assert_eq!(app.post_form("/api/quote-action", &form, Some(sales)).await.status(), 200);
    id
}

async fn quote(app: &TestApp, token: &str, id: &str) -> Value {
    json_of(call(app, Method::GET, &format!("/api/v1/quotes/{id}"), token, None).await, StatusCode::OK).await
}

/// The quote's line of `product`, as its cloud items list it.
fn line(quote: &Value, product: &str) -> Value {
    quote["cloud_items"].as_array().unwrap().iter().find(|item| item["product"] == product).cloned().unwrap()
}

async fn order_line(
    app: &TestApp,
    token: &str,
    id: &str,
    position: &Value,
    key: &str,
    body: Value,
) -> reqwest::Response {
    call_with_key(app, Method::POST, &format!("/api/v1/quotes/{id}/items/{position}/order"), token, key, Some(body))
        .await
}

#[tokio::test]
async fn an_accepted_quotes_cloud_items_wait_for_details_then_are_ordered_once_each_at_the_quoted_price() {
    let app = spawn_app().await;
    app.network_at_speed("1000").await;
    let sales = app.sign_in("sales@lightpath.example", DEMO_PASSWORD).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    let acme = token(&app, &ada, "Acme quotes", "full").await;
    let acme_read = token(&app, &ada, "Acme reader", "read-only").await;
    let globex = token(&app, &hal, "Globex quotes", "full").await;
    let id = sent_quote(&app, &sales, &grace).await;

    // Before acceptance the lines are not for ordering.
    let sent = quote(&app, &acme, &id).await;
    assert_eq!(sent["cloud_items"], json!([]));
    let early = order_line(&app, &acme, &id, &json!(0), "quoted-line-000000000001", json!({})).await;
    assert_eq!(early.status(), StatusCode::CONFLICT);

    // Accepting orders everything but the cloud items, at the quoted price.
    let accepted = app
        .post_form(
            "/api/accept-quote",
            &[("id", id.as_str()), ("version", "1"), ("key", "accept-clouds-00000001")],
            Some(&grace),
        )
        .await;
    assert_eq!(accepted.status(), 200, "{}", accepted.text().await.unwrap());
    let accepted = quote(&app, &acme, &id).await;
    let version = &accepted["versions"][0];
    let quoted: Vec<&Value> =
        version["items"].as_array().unwrap().iter().filter(|item| !item["spec"].is_null()).collect();
    let (cloud, rest): (Vec<&Value>, Vec<&Value>) = quoted
        .iter()
        .partition(|item| ["cloud-router", "cloud-connection"].contains(&item["spec"]["product"].as_str().unwrap()));
    assert_eq!(cloud.len(), 2, "{version}");
    let order_id = accepted["summary"]["order_id"].as_str().unwrap().to_owned();
    let first = app.until_terminal(&order_id, &grace).await;
    assert_eq!(first.summary.state, OrderState::Completed, "{:?}", first.events);
    let titles: Vec<&str> = first.items.iter().map(|item| item.title.as_str()).collect();
    assert_eq!(titles, rest.iter().map(|item| item["title"].as_str().unwrap()).collect::<Vec<_>>());
    let rest_monthly: i64 = rest.iter().map(|item| item["net"]["monthly"].as_i64().unwrap()).sum();
    assert_eq!(
        first.summary.totals.monthly.cents(),
        rest_monthly,
        "the acceptance orders the rest at its quoted price"
    );
    assert!(
        first.events.iter().any(|event| event.message.starts_with("Waiting for your clouds' details")),
        "{:?}",
        first.events
    );
    let (router, connection) = (line(&accepted, "cloud-router"), line(&accepted, "cloud-connection"));
    assert_eq!((router["state"].as_str(), connection["state"].as_str()), (Some("waiting"), Some("waiting")));
    assert!(router["until_ms"].as_i64().unwrap() > first.summary.created_at_ms + 29 * 86_400_000);
    assert_eq!((connection["a_end"].as_str(), connection["z_end"].as_str()), (Some("chi-dc-1"), Some("aws-us-east-1")));

    // Another organisation cannot see the quote, nor order its lines; a reader may not order;
    // a line that is not a cloud item, or no line at all, is not found.
    let router_line = &router["position"];
    let body = json!({ "cloud_router": { "asn": "65010" }, "site": "chi-dc-1" });
    let theirs = order_line(&app, &globex, &id, router_line, "quoted-line-000000000002", body.clone()).await;
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    let reader = order_line(&app, &acme_read, &id, router_line, "quoted-line-000000000003", body.clone()).await;
    assert_eq!(reader.status(), StatusCode::FORBIDDEN);
    let not_cloud = version["items"]
        .as_array()
        .unwrap()
        .iter()
        .position(|item| item["spec"]["product"] != "cloud-router" && item["spec"]["product"] != "cloud-connection")
        .unwrap();
    for position in [json!(not_cloud), json!(999), json!("one"), json!(-1)] {
        let missing = order_line(&app, &acme, &id, &position, "quoted-line-000000000004", body.clone()).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND, "line {position}");
    }
    // A router needs a metro of ours, not an on-ramp; the ASN is checked by its field.
    let nowhere = json!({ "cloud_router": { "asn": "65010" }, "site": "aws-us-east-1" });
    let nowhere = order_line(&app, &acme, &id, router_line, "quoted-line-000000000005", nowhere).await;
    assert_eq!(field_of(&json_of(nowhere, StatusCode::UNPROCESSABLE_ENTITY).await), ["site"]);
    let unknown = json!({ "cloud_router": { "asn": "65010" }, "site": "atlantis-1" });
    let unknown = order_line(&app, &acme, &id, router_line, "quoted-line-000000000006", unknown).await;
    assert_eq!(field_of(&json_of(unknown, StatusCode::UNPROCESSABLE_ENTITY).await), ["site"]);
    let reserved = json!({ "cloud_router": { "asn": "0" }, "site": "chi-dc-1" });
    let reserved = order_line(&app, &acme, &id, router_line, "quoted-line-000000000007", reserved).await;
    assert_eq!(field_of(&json_of(reserved, StatusCode::UNPROCESSABLE_ENTITY).await), ["asn"]);

    // Twenty racing orders for the router's line with different keys: exactly one is placed.
    let racing = (0..20).map(|n| {
        let (app, acme, id, body) = (&app, &acme, &id, body.clone());
        async move { order_line(app, acme, id, router_line, &format!("quoted-race-{n:013}"), body).await.status() }
    });
    let statuses = futures_util::future::join_all(racing).await;
    assert_eq!(statuses.iter().filter(|status| **status == StatusCode::CREATED).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|status| [StatusCode::CREATED, StatusCode::CONFLICT].contains(status)), "{statuses:?}");
    let winner = (0..20).find(|n| statuses[*n] == StatusCode::CREATED).unwrap();
    let again = order_line(&app, &acme, &id, router_line, &format!("quoted-race-{winner:013}"), body.clone()).await;
    let again = json_of(again, StatusCode::OK).await;
    let router_order = again["summary"]["id"].as_str().unwrap().to_owned();
    assert_eq!(again["summary"]["totals"], router["net"], "at the quoted (discounted) price");
    let router_service = service_of(&app, &acme, &router_order).await;
    let router_id = router_service["summary"]["id"].as_str().unwrap().to_owned();
    assert_eq!(line(&quote(&app, &acme, &id).await, "cloud-router")["order"].as_str(), Some(router_order.as_str()));

    // The connection: its AWS details are checked by field, then it attaches to the router.
    let connection_line = &connection["position"];
    let mut bad = aws("0");
    bad["aws_account"] = json!("12345678901");
    let bad = order_line(&app, &acme, &id, connection_line, "quoted-line-000000000008", json!({ "cloud": bad })).await;
    assert_eq!(field_of(&json_of(bad, StatusCode::UNPROCESSABLE_ENTITY).await), ["aws_account"]);
    let none = order_line(&app, &acme, &id, connection_line, "quoted-line-000000000009", json!({})).await;
    assert_eq!(field_of(&json_of(none, StatusCode::UNPROCESSABLE_ENTITY).await), ["cloud"]);
    let mut details = aws("0");
    details["router"] = json!(router_id);
    details["customer_asn"] = json!("");
    let placed =
        order_line(&app, &acme, &id, connection_line, "quoted-line-000000000010", json!({ "cloud": details })).await;
    let placed = json_of(placed, StatusCode::CREATED).await;
    assert_eq!(placed["summary"]["totals"], connection["net"]);
    let connection_order = placed["summary"]["id"].as_str().unwrap().to_owned();
    let waiting = service_of(&app, &acme, &connection_order).await;
    assert_eq!(waiting["cloud"]["state"], "awaiting-acceptance");
    let twice =
        order_line(&app, &acme, &id, connection_line, "quoted-line-000000000011", json!({ "cloud": aws("0") })).await;
    assert!(json_of(twice, StatusCode::CONFLICT).await["detail"].as_str().unwrap().contains("already ordered"));

    // Rejected in AWS: nothing charged, and the line can be ordered again at its quoted price.
    let dxcon = waiting["cloud"]["connectionId"].as_str().unwrap();
    let rejected =
        call(&app, Method::POST, &format!("/api/v1/clouds/aws/connections/{dxcon}/reject"), &acme, None).await;
    assert_eq!(rejected.status(), StatusCode::OK);
    assert_eq!(line(&quote(&app, &acme, &id).await, "cloud-connection")["state"], "waiting");
    let retried =
        order_line(&app, &acme, &id, connection_line, "quoted-line-000000000012", json!({ "cloud": aws("0") })).await;
    let retried = json_of(retried, StatusCode::CREATED).await;
    assert_eq!(retried["summary"]["totals"], connection["net"]);
    let ordered = quote(&app, &acme, &id).await;
    assert_eq!(line(&ordered, "cloud-connection")["order"], retried["summary"]["id"]);
}
