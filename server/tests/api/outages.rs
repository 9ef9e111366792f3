//! Outages (issue 31): network operations take a span down; an outage opens naming exactly the
//! services whose routes cross it, which read as down (a diverse twin on other spans stays
//! up, a cloud connection's BGP session goes down with it), their organisation is told on the
//! dashboard, the service page, REST and an `outage` webhook event, and nobody else is; the
//! span comes back and the outage closes with its duration.

use crate::configure::{browser_price, order, wave};
use crate::helpers::{spawn_app, TestApp, DEMO_PASSWORD};
use crate::public_api::{call, json_of, token};
use lightpath_app::model::network::MaintenanceLine;
use lightpath_app::model::orders::OrderPlaced;
use lightpath_app::model::services::{Inventory, ServicePage};
use lightpath_domain::order::OrderState;
use lightpath_domain::outage::Outage;
use lightpath_domain::Term;
use reqwest::{Method, StatusCode};

async fn cut(app: &TestApp, cookie: &str, span: &str, cause: &str) -> reqwest::Response {
    app.post_form("/api/admin/cut-span", &[("span", span), ("cause", cause)], Some(cookie)).await
}

async fn restore(app: &TestApp, cookie: &str, id: &str) -> reqwest::Response {
    app.post_form("/api/admin/restore-span", &[("id", id)], Some(cookie)).await
}

/// What the dashboard lists: open outages, then maintenance that has yet to end.
async fn dashboard(app: &TestApp, cookie: &str) -> Vec<MaintenanceLine> {
    let response = app.post_form("/api/maintenance", &[], Some(cookie)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn page(app: &TestApp, id: &str, cookie: &str) -> ServicePage {
    let response = app.post_form("/api/service", &[("id", id)], Some(cookie)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The `outage` webhook events' bodies, oldest first.
async fn outage_events(app: &TestApp) -> Vec<serde_json::Value> {
    let store = app.store().await;
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM webhook_deliveries WHERE event_type = 'outage' ORDER BY number")
            .fetch_all(store.pool())
            .await
            .unwrap();
    bodies.iter().map(|body| serde_json::from_str(body).unwrap()).collect()
}

#[tokio::test]
async fn a_cut_span_takes_down_the_services_crossing_it_the_diverse_twin_stays_up_and_restoring_closes_it() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let (ada, grace) =
        (app.sign_in("ada@acme.example", DEMO_PASSWORD).await, app.sign_in("grace@acme.example", DEMO_PASSWORD).await);
    let form = [("url", "https://hooks.example/lightpath"), ("events[0]", "outage")];
    assert_eq!(app.post_form("/api/create-webhook", &form, Some(&ada)).await.status(), 200);

    // A wave on diverse paths: two services whose routes share no span.
    let mut config = wave("100G", Term::Months12, 1);
    config.diverse = true;
    let seen = browser_price(&app, &config, &grace).await;
    let placed: OrderPlaced =
        order(&app, &config, "outage-diverse-000000001", &seen, &grace).await.json().await.unwrap();
    let done = app.until_terminal(placed.id.as_str(), &grace).await;
    assert_eq!(done.summary.state, OrderState::Completed, "{:?}", done.events);
    let inventory: Inventory = app.post_form("/api/services", &[], Some(&grace)).await.json().await.unwrap();
    let ids: Vec<String> = inventory.services.items.iter().map(|service| service.id.to_string()).collect();
    assert_eq!(ids.len(), 2, "the wave and its diverse twin");
    let (primary, twin) = (page(&app, &ids[0], &grace).await, page(&app, &ids[1], &grace).await);
    assert!(primary.record.spans.iter().all(|span| !twin.record.spans.contains(span)), "diverse");
    assert!(!primary.record.summary.down && !twin.record.summary.down);
    let cut_span = primary.record.spans[0].to_string();

    // Customers cannot cut a span; a bad form is refused field by field.
    assert_eq!(cut(&app, &ada, &cut_span, "x").await.status(), 403);
    let noc = app.sign_in("noc@lightpath.example", DEMO_PASSWORD).await;
    let refused = cut(&app, &noc, "nowhere-else", "bell\u{7}").await;
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    assert!(text.contains("\"span\"") && text.contains("\"cause\""), "{text}");
    assert!(outage_events(&app).await.is_empty(), "nothing opened");

    // The cut: the service crossing it is down, its diverse twin is not.
    let opened = cut(&app, &noc, &cut_span, "Fiber cut by roadworks near mile 40").await;
    assert_eq!(opened.status(), 200);
    let outage_id: String = opened.json().await.unwrap();
    let (primary_now, twin_now) = (page(&app, &ids[0], &grace).await, page(&app, &ids[1], &grace).await);
    assert!(primary_now.record.summary.down, "the service over the cut span is down");
    assert!(!twin_now.record.summary.down, "the diverse twin stays up on its other path");
    assert_eq!(primary_now.maintenance[0].id, outage_id);
    assert!(primary_now.maintenance[0].outage && primary_now.maintenance[0].open);
    assert_eq!(primary_now.maintenance[0].status, "Outage, ongoing");
    assert!(twin_now.maintenance.is_empty(), "the twin's page has no outage");
    let listed: Inventory = app.post_form("/api/services", &[], Some(&grace)).await.json().await.unwrap();
    assert_eq!(listed.services.items.iter().filter(|service| service.down).count(), 1, "the list says so too");

    // The dashboard names the service it took down and not the twin; Globex sees nothing.
    let acme = dashboard(&app, &grace).await;
    assert_eq!(acme.len(), 1);
    assert_eq!(acme[0].services.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(), [ids[0].as_str()]);
    assert!(acme[0].text.ends_with("Fiber cut by roadworks near mile 40"), "{}", acme[0].text);
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    assert!(dashboard(&app, &hal).await.is_empty(), "another organisation sees nothing");

    // One event, to Acme, naming only the service it took down.
    let events = outage_events(&app).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["eventType"], "OutageEvent");
    let told = &events[0]["event"]["outage"];
    assert_eq!((told["state"].as_str(), told["span"].as_str()), (Some("opened"), Some(cut_span.as_str())));
    assert_eq!(told["services"].as_array().unwrap().len(), 1);
    assert_eq!(told["services"][0]["id"], ids[0].as_str());
    assert!(told["ended"].is_null());

    // Cutting it again is a conflict: one outage per span at a time.
    let again = cut(&app, &noc, &cut_span, "Second report of the same cut").await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("down already"));

    // REST: the organisation's outages, ongoing.
    let read_only = token(&app, &ada, "ops", "read-only").await;
    let listed = json_of(call(&app, Method::GET, "/api/v1/outages", &read_only, None).await, StatusCode::OK).await;
    let listed: Vec<Outage> = serde_json::from_value(listed).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].id.as_str(), listed[0].ended_ms, listed[0].services_affected), (outage_id.as_str(), None, 1));
    let service = json_of(
        call(&app, Method::GET, &format!("/api/v1/services/{}", ids[0]), &read_only, None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(service["summary"]["down"], true, "the REST record carries it");

    // Restoring the span: the service is back, the outage closed with its duration.
    assert_eq!(restore(&app, &ada, &outage_id).await.status(), 403);
    assert_eq!(restore(&app, &noc, &outage_id).await.status(), 200);
    assert_eq!(restore(&app, &noc, &outage_id).await.status(), 422, "closed already");
    let back = page(&app, &ids[0], &grace).await;
    assert!(!back.record.summary.down);
    assert_eq!(back.maintenance[0].status, "Outage, resolved", "still on the service's page");
    assert!(dashboard(&app, &grace).await.is_empty(), "off the dashboard once resolved");
    let listed = json_of(call(&app, Method::GET, "/api/v1/outages", &read_only, None).await, StatusCode::OK).await;
    let listed: Vec<Outage> = serde_json::from_value(listed).unwrap();
    let ended = listed[0].ended_ms.expect("ended");
    assert!(ended >= listed[0].started_ms);
    assert_eq!(listed[0].duration_seconds, Some((ended - listed[0].started_ms) / 1_000));
    let events = outage_events(&app).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[1]["event"]["outage"]["state"], "resolved");
    assert!(events[1]["event"]["outage"]["durationSeconds"].is_i64());

    // A span can be cut again once restored; the audit log has both moves.
    assert_eq!(cut(&app, &noc, &cut_span, "Another cut").await.status(), 200);
    let store = app.store().await;
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'network.span-%' ORDER BY at_ms, action")
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert_eq!(actions, ["network.span-down", "network.span-up", "network.span-down"]);
}

#[tokio::test]
async fn a_cloud_connection_over_a_cut_span_goes_down_with_its_bgp_session_and_comes_back() {
    let app = spawn_app().await;
    app.network_at_speed("1000").await;
    let (acme, _) = crate::cloud_connections::tokens(&app).await;
    let config = crate::cloud_connections::configuration("aws-us-east-1", "1G");
    let placed = crate::cloud_connections::order(
        &app,
        &acme,
        &config,
        &crate::cloud_connections::aws("0"),
        "outage-aws-0000000001",
    )
    .await;
    let placed = json_of(placed, StatusCode::CREATED).await;
    let waiting = crate::cloud_connections::service_of(&app, &acme, placed["summary"]["id"].as_str().unwrap()).await;
    let (id, dxcon) = (waiting["summary"]["id"].as_str().unwrap(), waiting["cloud"]["connectionId"].as_str().unwrap());
    let accept = format!("/api/v1/clouds/aws/connections/{dxcon}/accept");
    json_of(call(&app, Method::POST, &accept, &acme, None).await, StatusCode::OK).await;
    let read = || async {
        json_of(call(&app, Method::GET, &format!("/api/v1/services/{id}"), &acme, None).await, StatusCode::OK).await
    };
    let active = read().await;
    assert_eq!(active["cloud"]["bgp"]["state"], "established");
    let span = active["spans"][0].as_str().expect("Chicago to the Ashburn on-ramp crosses a span").to_owned();

    let noc = app.sign_in("noc@lightpath.example", DEMO_PASSWORD).await;
    let opened = cut(&app, &noc, &span, "Fiber cut").await;
    assert_eq!(opened.status(), 200);
    let outage: String = opened.json().await.unwrap();
    let down = read().await;
    assert_eq!((down["summary"]["down"].as_bool(), down["cloud"]["state"].as_str()), (Some(true), Some("down")));
    assert_eq!(down["cloud"]["bgp"]["state"], "down");
    assert_eq!(down["cloud"]["routes"], serde_json::json!([]), "no routes are learned over a down session");
    assert_eq!(down["summary"]["state"], "active", "still in service: it comes back with the span");

    assert_eq!(restore(&app, &noc, &outage).await.status(), 200);
    let back = read().await;
    assert_eq!(
        (back["cloud"]["state"].as_str(), back["cloud"]["bgp"]["state"].as_str()),
        (Some("active"), Some("established"))
    );
    assert_eq!(back["cloud"]["routes"].as_array().map(Vec::len), Some(2));
}
