//! Planned maintenance (issue 31): network operations announce a window on a span or a metro;
//! exactly the services whose routes cross it are told (their organisation's dashboard list,
//! service page, REST and a `maintenance` webhook event naming only its own services), nobody
//! else; a bad window is refused by field; customers cannot announce; cancelling tells them.

use crate::helpers::{spawn_app, TestApp, DEMO_PASSWORD};
use crate::services::wave_in_service;
use lightpath_app::model::network::MaintenanceLine;
use lightpath_domain::maintenance::{MaintenanceNotice, MaintenanceStatus};

fn utc(ms: i64) -> String {
    lightpath_domain::time::iso_time(ms)[..16].to_owned()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

async fn announce(app: &TestApp, cookie: &str, target: &str, reason: &str) -> reqwest::Response {
    let (starts, ends) = (utc(now_ms() + 86_400_000), utc(now_ms() + 86_400_000 + 4 * 3_600_000));
    let form = [("target", target), ("starts", &starts), ("ends", &ends), ("impact", "outage"), ("reason", reason)];
    app.post_form("/api/admin/announce-maintenance", &form, Some(cookie)).await
}

/// The notices the dashboard shows: those that have yet to end.
async fn notices(app: &TestApp, cookie: &str) -> Vec<MaintenanceLine> {
    let response = app.post_form("/api/maintenance", &[], Some(cookie)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_notice_reaches_exactly_the_services_crossing_the_span_and_cancelling_tells_them() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let (ada, grace) =
        (app.sign_in("ada@acme.example", DEMO_PASSWORD).await, app.sign_in("grace@acme.example", DEMO_PASSWORD).await);
    let form = [("url", "https://hooks.example/lightpath"), ("events[0]", "maintenance")];
    assert_eq!(app.post_form("/api/create-webhook", &form, Some(&ada)).await.status(), 200);
    let wave = wave_in_service(&app, &grace).await;
    let crossed = wave.record.spans[0].to_string();
    let noc = app.sign_in("noc@lightpath.example", DEMO_PASSWORD).await;
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;

    // A span the wave does not cross: nobody is told.
    let network: serde_json::Value = app.get_json("/api/v1/spans").await;
    let elsewhere = network
        .as_array()
        .unwrap()
        .iter()
        .map(|span| span["id"].as_str().unwrap().to_owned())
        .find(|id| !wave.record.spans.iter().any(|crossed| crossed.as_str() == id))
        .unwrap();
    assert_eq!(announce(&app, &noc, &format!("span:{elsewhere}"), "Amplifier swap").await.status(), 200);
    assert!(notices(&app, &grace).await.is_empty());

    // The span it crosses: the wave (and only Acme's services that cross it) is named.
    let announced = announce(&app, &noc, &format!("span:{crossed}"), "Fiber splice after a cable cut").await;
    assert_eq!(announced.status(), 200);
    let acme = notices(&app, &grace).await;
    assert_eq!(acme.len(), 1);
    let notice = &acme[0];
    assert_eq!(notice.status, "Upcoming");
    assert!(notice.text.ends_with("Fiber splice after a cable cut"), "{}", notice.text);
    assert!(notice.services.iter().any(|(id, _)| *id == wave.record.summary.id.to_string()));
    let page: serde_json::Value = app
        .post_form("/api/service", &[("id", &wave.record.summary.id.to_string())], Some(&grace))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["maintenance"][0]["id"], notice.id.as_str(), "on the service's page");
    assert!(notices(&app, &hal).await.is_empty(), "another organisation sees nothing");

    // Its webhook event names Acme's services only; Globex has no event.
    let store = app.store().await;
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM webhook_deliveries WHERE event_type = 'maintenance' ORDER BY created_at_ms",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(bodies.len(), 1, "one event: the span nobody crosses told no one");
    let event: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
    assert_eq!(event["eventType"], "MaintenanceEvent");
    assert_eq!(event["event"]["maintenance"]["state"], "scheduled");
    let named: Vec<&str> = event["event"]["maintenance"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|service| service["id"].as_str().unwrap())
        .collect();
    assert_eq!(named.len(), notice.services.len());

    // Customers cannot announce or cancel; a bad window is refused by field.
    assert_eq!(announce(&app, &ada, &format!("span:{crossed}"), "x").await.status(), 403);
    let past = [
        ("target", "span:nowhere-else"),
        ("starts", "2020-01-01T00:00"),
        ("ends", "x"),
        ("impact", "boom"),
        ("reason", ""),
    ];
    let refused = app.post_form("/api/admin/announce-maintenance", &past, Some(&noc)).await;
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    for field in ["starts", "ends", "impact", "reason"] {
        assert!(text.contains(field), "{field}: {text}");
    }
    let unknown = announce(&app, &noc, "span:nowhere-else", "x").await;
    assert_eq!(unknown.status(), 422, "a span the network does not have");
    assert_eq!(app.post_form("/api/admin/cancel-maintenance", &[("id", &notice.id)], Some(&ada)).await.status(), 403);

    // Cancelling: the notice says so, and the same organisations are told.
    assert_eq!(app.post_form("/api/admin/cancel-maintenance", &[("id", &notice.id)], Some(&noc)).await.status(), 200);
    assert!(notices(&app, &grace).await.is_empty(), "off the dashboard");
    let page: serde_json::Value = app
        .post_form("/api/service", &[("id", &wave.record.summary.id.to_string())], Some(&grace))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["maintenance"][0]["status"], "Cancelled", "still on the service's page, as cancelled");
    let again = app.post_form("/api/admin/cancel-maintenance", &[("id", &notice.id)], Some(&noc)).await;
    assert_eq!(again.status(), 422, "cancelled already");
    let states: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM webhook_deliveries WHERE event_type = 'maintenance' ORDER BY created_at_ms",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert!(states[1].contains("\"cancelled\""));
}

#[tokio::test]
async fn a_metro_notice_reaches_services_ending_in_it_and_the_api_lists_them() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let wave = wave_in_service(&app, &grace).await;
    let noc = app.sign_in("noc@lightpath.example", DEMO_PASSWORD).await;
    // The training design's wave ends at the cluster in Ashburn, a data centre of that metro.
    assert_eq!(announce(&app, &noc, "site:ash", "Power work at the Ashburn hub").await.status(), 200);
    let acme = notices(&app, &grace).await;
    assert_eq!(acme.len(), 1);
    assert!(acme[0].services.iter().any(|(id, _)| *id == wave.record.summary.id.to_string()));
    assert!(acme[0].heading.ends_with(" UTC · Ashburn"), "{}", acme[0].heading);

    // The REST list, with a token of the organisation.
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let token = crate::public_api::token(&app, &ada, "ops", "read-only").await;
    let listed: Vec<MaintenanceNotice> = app
        .client
        .get(format!("{}/api/v1/maintenance", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    let notice = &listed[0];
    assert_eq!(
        (notice.id.as_str(), notice.status, notice.target_name.as_str()),
        (acme[0].id.as_str(), MaintenanceStatus::Upcoming, "Ashburn")
    );
    assert_eq!(notice.services.len(), acme[0].services.len());
    assert_eq!(notice.services_touched, notice.services.len() as u64);
    let anonymous = app.client.get(format!("{}/api/v1/maintenance", app.address)).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
}
