//! Usage and performance per service (issue 31): the collector measures a wave from its
//! activation, 5-minute samples roll up into hours with the same totals, the 95th percentile
//! is the one a reference computes here, and the history stops at termination. Only the
//! owning organisation reads it; bad queries are refused by field.

use crate::configure::{browser_price, order, wave};
use crate::helpers::{eventually, spawn_app, TestApp, DEMO_PASSWORD};
use crate::public_api::{call, json_of, token};
use lightpath_app::model::orders::OrderPlaced;
use lightpath_app::model::services::{Inventory, ServicePage};
use lightpath_app::model::usage::UsageReport;
use lightpath_domain::faults::FaultPolicy;
use lightpath_domain::order::OrderState;
use lightpath_domain::service::ServiceState;
use lightpath_domain::time::{iso_time, parse_iso_ms};
use lightpath_domain::usage::{history_cutoff, samples_completed, SAMPLE_MS};
use lightpath_domain::Term;
use reqwest::{Method, StatusCode};
use std::time::Duration;

async fn report(app: &TestApp, token: &str, id: &str, query: &str) -> UsageReport {
    let path = format!("/api/v1/services/{id}/usage{query}");
    serde_json::from_value(json_of(call(app, Method::GET, &path, token, None).await, StatusCode::OK).await).unwrap()
}

async fn service_page(app: &TestApp, cookie: &str, id: &str) -> ServicePage {
    app.post_form("/api/service", &[("id", id)], Some(cookie)).await.json().await.unwrap()
}

/// The nearest-rank 95th percentile, written here independently of the domain's.
fn reference_p95(values: &[u64]) -> u64 {
    let mut sorted = values.to_vec();
    sorted.sort();
    let rank = ((sorted.len() as f64) * 0.95).ceil() as usize;
    sorted[rank - 1]
}

/// Grace's 10G wave in service on a fast network: its id, Grace's session and a read-only
/// token of Acme's.
async fn wave_in_service(app: &TestApp) -> (String, String, String) {
    app.fast_network("0", ["1", "1", "1"]).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let config = wave("10G", Term::Months12, 1);
    let seen = browser_price(app, &config, &grace).await;
    let placed: OrderPlaced = order(app, &config, "usage-wave-0000000001", &seen, &grace).await.json().await.unwrap();
    assert_eq!(app.until_terminal(placed.id.as_str(), &grace).await.summary.state, OrderState::Completed);
    let inventory: Inventory = app.post_form("/api/services", &[], Some(&grace)).await.json().await.unwrap();
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let acme = token(app, &ada, "monitoring", "read-only").await;
    (inventory.services.items[0].id.to_string(), grace, acme)
}

#[tokio::test]
async fn usage_starts_at_activation_rolls_up_with_its_totals_and_stops_at_termination() {
    let app = spawn_app().await;
    let (id, grace, acme) = wave_in_service(&app).await;
    let activated = service_page(&app, &grace, &id).await.record.rates[0].from_ms;

    // The first measurements arrive within a collector pass; nothing before activation.
    let before = iso_time(activated - 86_400_000);
    let hourly = eventually("the first measurements", async || {
        Some(report(&app, &acme, &id, &format!("?from={before}&resolution=1h")).await)
            .filter(|hourly| !hourly.points.is_empty())
    })
    .await;
    assert_eq!(hourly.points.first().map(|point| point.start.clone()), Some(iso_time(activated)), "from activation");
    assert!(hourly.points.iter().all(|point| point.samples <= 12 && point.latency_us.is_some()));

    // The last 24 hours at 5 minutes (the default): the 95th percentile is the reference's,
    // each mean rate is the bytes over the interval, and a wave stays under its line rate.
    let recent = report(&app, &acme, &id, "").await;
    assert_eq!((recent.resolution.as_str(), recent.points.len()), ("5m", 288), "{recent:?}");
    let ins: Vec<u64> = recent.points.iter().map(|point| point.mean_in_bps).collect();
    let outs: Vec<u64> = recent.points.iter().map(|point| point.mean_out_bps).collect();
    assert_eq!((recent.p95_in_bps, recent.p95_out_bps), (reference_p95(&ins), reference_p95(&outs)));
    for point in &recent.points {
        assert_eq!(point.mean_in_bps, point.bytes_in * 8 / 300);
        assert!(point.mean_in_bps < 10_000_000_000 && point.mean_out_bps < 10_000_000_000);
    }
    assert_eq!(recent.bytes_in, recent.points.iter().map(|point| point.bytes_in).sum::<u64>());

    // Whole hours of those samples, read again once the collector has rolled them into hours
    // (7 simulated days pass in well under a second here): the same bytes, hour by hour.
    let sample = |start: &str| (parse_iso_ms(start).unwrap() - activated) / SAMPLE_MS;
    let first_hour = recent.points.iter().position(|point| sample(&point.start) % 12 == 0).unwrap();
    let hours = (recent.points.len() - first_hour) / 12;
    let span = &recent.points[first_hour..first_hour + hours * 12];
    let (from, to) =
        (span[0].start.clone(), iso_time(parse_iso_ms(&span[0].start).unwrap() + hours as i64 * 3_600_000));
    let fine = format!("/api/v1/services/{id}/usage?from={from}&to={to}&resolution=5m");
    eventually("the samples' roll-up into hours", async || {
        (call(&app, Method::GET, &fine, &acme, None).await.status() == StatusCode::UNPROCESSABLE_ENTITY).then_some(())
    })
    .await;
    let rolled = report(&app, &acme, &id, &format!("?from={from}&to={to}&resolution=1h")).await;
    assert_eq!(rolled.resolution, "1h", "the span was rolled up");
    assert_eq!(rolled.points.len(), hours);
    for (hour, rolled) in span.chunks(12).zip(&rolled.points) {
        assert_eq!(rolled.samples, 12);
        assert_eq!(rolled.start, hour[0].start);
        assert_eq!(rolled.bytes_in, hour.iter().map(|point| point.bytes_in).sum::<u64>());
        assert_eq!(rolled.bytes_out, hour.iter().map(|point| point.bytes_out).sum::<u64>());
        let latency = hour.iter().map(|point| point.latency_us.unwrap()).sum::<u64>() / 12;
        assert!(rolled.latency_us.unwrap().abs_diff(latency) <= 1, "a mean of the samples' latency");
    }

    // Disconnected: the history ends at termination and grows no more.
    let disconnect = [("service", id.as_str()), ("key", "usage-stop-0000000001")];
    let stop: OrderPlaced =
        app.post_form("/api/disconnect-service", &disconnect, Some(&grace)).await.json().await.unwrap();
    assert_eq!(app.until_terminal(stop.id.as_str(), &grace).await.summary.state, OrderState::Completed);
    let page = service_page(&app, &grace, &id).await;
    assert_eq!(page.record.summary.state, ServiceState::Terminated);
    let ended = page.record.rates.last().unwrap().to_ms.unwrap();
    let lived = samples_completed(activated, ended, FaultPolicy::MAX_SPEEDUP);
    let whole = format!("?from={before}&to={}&resolution=1d", iso_time(activated + 400 * 86_400_000));
    let taken = |life: &UsageReport| -> i64 { life.points.iter().map(|point| i64::from(point.samples)).sum() };
    let life = eventually("every sample from activation (or 180 days back) to termination", async || {
        Some(report(&app, &acme, &id, &whole).await).filter(|life| taken(life) == lived - history_cutoff(lived))
    })
    .await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(report(&app, &acme, &id, &whole).await, life, "nothing after termination");
    let last = life.points.last().unwrap();
    let last_end = parse_iso_ms(&last.start).unwrap() + i64::from(last.samples) * SAMPLE_MS;
    assert_eq!(last_end, activated + lived * SAMPLE_MS);
}

#[tokio::test]
async fn usage_is_the_owners_and_bad_queries_are_refused_by_field() {
    let app = spawn_app().await;
    let (id, grace, acme) = wave_in_service(&app).await;
    let path = |query: &str| format!("/api/v1/services/{id}/usage{query}");

    // Another organisation: not found, as any other of Acme's records.
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    let globex = token(&app, &hal, "globex", "read-only").await;
    assert_eq!(call(&app, Method::GET, &path(""), &globex, None).await.status(), 404);
    assert_eq!(call(&app, Method::GET, &path(".csv"), &globex, None).await.status(), 404);

    let refused = |field: &'static str, query: &'static str| {
        let (app, acme, path) = (&app, &acme, path(query));
        async move {
            let body = json_of(call(app, Method::GET, &path, acme, None).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert!(body["errors"].as_array().unwrap().iter().any(|error| error["field"] == field), "{query}: {body}");
        }
    };
    refused("resolution", "?resolution=1s").await;
    refused("from", "?from=yesterday").await;
    refused("from", "?from=2026-12-07T09:30:00%07Z").await;
    refused("to", "?from=2020-01-01&to=2030-01-01&resolution=1h").await;
    refused("resolution", "?from=2020-01-01&resolution=5m").await;
    refused("from", "?from=2026-12-08&to=2026-12-07").await;
    let unknown = call(&app, Method::GET, &path("?limit=5"), &acme, None).await;
    assert_eq!(unknown.status(), 400);

    // The CSV: a header and a row per point of the same report.
    let csv = eventually("a CSV row", async || {
        let answer = call(&app, Method::GET, &path(".csv?resolution=1d&from=2020-01-01"), &acme, None).await;
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.headers()["content-type"], "text/csv; charset=utf-8");
        Some(answer.text().await.unwrap()).filter(|csv| csv.lines().count() > 1)
    })
    .await;
    assert!(csv.starts_with("start,samples,down_samples,bytes_in,bytes_out,mean_in_bps,mean_out_bps,latency_us"));
    assert!(csv.lines().count() > 1, "{csv}");

    // The service page's card, rendered on the server: its ranges (an unknown one is 24 h),
    // figures, drawn lines, table and CSV link.
    let page: ServicePage =
        app.post_form("/api/service", &[("id", &id), ("usage", "<script>")], Some(&grace)).await.json().await.unwrap();
    let card = page.usage_html;
    assert!(card.contains(r#"<a href="?usage=24h" aria-current="page">24 hours<"#), "{card}");
    assert_eq!(card.matches("?usage=").count(), 4);
    assert!(
        card.contains("95th percentile in") && card.contains(r#"<path d="M0.0"#) && card.contains(r#"class="in""#),
        "{card}"
    );
    assert!(card.contains("<table") && card.contains(&format!("/api/v1/services/{id}/usage.csv?resolution=5m")));
    assert!(!card.contains("<script>"));
    let stranger = app.post_form("/api/service", &[("id", &id), ("usage", "7d")], Some(&hal)).await;
    assert_eq!(stranger.status(), 404);
}

/// The `usage-alert` webhook events' states, oldest first.
async fn alert_events(app: &TestApp) -> Vec<String> {
    let store = app.store().await;
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM webhook_deliveries WHERE event_type = 'usage-alert' ORDER BY number")
            .fetch_all(store.pool())
            .await
            .unwrap();
    bodies
        .iter()
        .map(|body| {
            let event: serde_json::Value = serde_json::from_str(body).unwrap();
            assert_eq!(event["eventType"], "UsageAlertEvent");
            event["event"]["usageAlert"]["state"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_utilisation_alert_fires_on_the_dashboard_and_by_webhook_and_resolves_when_traffic_stops() {
    let app = spawn_app().await;
    let (id, grace, reader) = wave_in_service(&app).await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let form = [("url", "https://hooks.example/lightpath"), ("events[0]", "usage-alert")];
    assert_eq!(app.post_form("/api/create-webhook", &form, Some(&ada)).await.status(), 200);
    let acme = token(&app, &ada, "operations", "full").await;
    let path = format!("/api/v1/services/{id}/usage-alert");
    let read = || async { json_of(call(&app, Method::GET, &path, &acme, None).await, StatusCode::OK).await };
    assert_eq!(read().await, serde_json::Value::Null, "none set");

    // Who may set it, and what it takes.
    let rule = serde_json::json!({ "thresholdPercent": 1, "minutes": 5 });
    assert_eq!(call(&app, Method::PUT, &path, &reader, Some(rule.clone())).await.status(), 403);
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    let globex = token(&app, &hal, "globex", "full").await;
    assert_eq!(call(&app, Method::PUT, &path, &globex, Some(rule.clone())).await.status(), 404);
    let bad = serde_json::json!({ "thresholdPercent": 0, "minutes": 7 });
    let problem =
        json_of(call(&app, Method::PUT, &path, &acme, Some(bad)).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["threshold_percent", "minutes"]);
    assert!(alert_events(&app).await.is_empty());

    // Over 1 % for 5 minutes: the next measurement fires it, once.
    let set = json_of(call(&app, Method::PUT, &path, &acme, Some(rule)).await, StatusCode::OK).await;
    assert_eq!((set["thresholdPercent"].as_u64(), set["firing"].as_bool()), (Some(1), Some(false)));
    let alert =
        eventually("the alert firing", async || Some(read().await).filter(|alert| alert["firing"] == true)).await;
    assert_eq!(alert["firing"], true, "{alert}");
    assert!(alert["firingSince"].is_string());
    let dashboard: Vec<lightpath_app::model::network::MaintenanceLine> =
        app.post_form("/api/maintenance", &[], Some(&grace)).await.json().await.unwrap();
    let line = dashboard.iter().find(|line| line.alert).expect("the dashboard lists the firing alert");
    assert_eq!(line.services[0].0, id);
    assert!(line.heading.starts_with("over 1 % for 5 min"), "{}", line.heading);
    let theirs: Vec<lightpath_app::model::network::MaintenanceLine> =
        app.post_form("/api/maintenance", &[], Some(&hal)).await.json().await.unwrap();
    assert!(theirs.iter().all(|line| !line.alert), "Globex's dashboard does not");
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(alert_events(&app).await, ["firing"], "told once while it keeps firing");

    // An outage on its path stops its traffic: the alert resolves, and says so.
    let spans = service_page(&app, &grace, &id).await.record.spans;
    let noc = app.sign_in("noc@lightpath.example", DEMO_PASSWORD).await;
    let cut = [("span", spans[0].as_str()), ("cause", "Fiber cut near mile 12")];
    assert_eq!(app.post_form("/api/admin/cut-span", &cut, Some(&noc)).await.status(), 200);
    eventually("the alert resolving", async || (read().await["firing"] == false).then_some(())).await;
    assert_eq!(read().await["firing"], false);
    assert_eq!(alert_events(&app).await, ["firing", "resolved"]);

    // Removed: none set, and removing again is no error.
    assert_eq!(call(&app, Method::DELETE, &path, &acme, None).await.status(), 204);
    assert_eq!(read().await, serde_json::Value::Null);
    assert_eq!(call(&app, Method::DELETE, &path, &acme, None).await.status(), 204);
}
