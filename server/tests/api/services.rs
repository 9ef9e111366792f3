//! The service inventory over HTTP: completed items become services with their spend, a
//! bandwidth change is priced by the domain engine and resizes the capacity, a disconnect
//! releases it, and every refusal (another organisation, a stale price, a rate the path
//! cannot carry, a second change at once, a terminated service) writes nothing.

use crate::helpers::{spawn_app, TestApp, DEMO_PASSWORD};
use crate::orders::reserved_mbps;
use lightpath_app::model::orders::OrderPlaced;
use lightpath_app::model::services::{Inventory, ServicePage};
use lightpath_domain::order::OrderState;
use lightpath_domain::service::{OrderAction, ServiceState};

/// Orders the training design and waits for it; returns the page of its routed wave.
pub(crate) async fn wave_in_service(app: &TestApp, cookie: &str) -> ServicePage {
    let design = app.saved_design(cookie, "Training feed").await;
    let placed: OrderPlaced =
        app.order_design(&design, "order-services-0000000001", cookie).await.json().await.unwrap();
    let done = app.until_terminal(&placed.id.to_string(), cookie).await;
    assert_eq!(done.summary.state, OrderState::Completed, "{:?}", done.events);
    assert!(done.items.iter().all(|item| item.service_id.is_some()), "every completed item links its service");
    let inventory = services(app, cookie).await;
    assert_eq!(inventory.services.items.len(), done.items.len());
    let wave = inventory.services.items.iter().find(|service| service.product.as_str() == "wavelengths-400g").unwrap();
    service(app, &wave.id.to_string(), cookie).await
}

async fn services(app: &TestApp, cookie: &str) -> Inventory {
    let response = app.post_form("/api/services", &[], Some(cookie)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn service(app: &TestApp, id: &str, cookie: &str) -> ServicePage {
    let response = app.post_form("/api/service", &[("id", id)], Some(cookie)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn change(app: &TestApp, id: &str, option: &str, cents: i64, key: &str, cookie: &str) -> reqwest::Response {
    let cents = cents.to_string();
    let form = [("service", id), ("option", option), ("monthly_cents", cents.as_str()), ("key", key)];
    app.post_form("/api/change-bandwidth", &form, Some(cookie)).await
}

async fn disconnect(app: &TestApp, id: &str, key: &str, cookie: &str) -> reqwest::Response {
    app.post_form("/api/disconnect-service", &[("service", id), ("key", key)], Some(cookie)).await
}

#[tokio::test]
async fn a_bandwidth_change_is_priced_resizes_capacity_and_starts_a_new_rate() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let page = wave_in_service(&app, &grace).await;
    let id = page.record.summary.id.to_string();
    assert!(page.can_change);
    assert_eq!(page.record.summary.state, ServiceState::Active);
    assert_eq!(page.record.rates.len(), 1);
    assert!(!page.record.spans.is_empty() && page.record.round_trip_micros.is_some());
    let options: Vec<&str> = page.choices.iter().map(|choice| choice.option.as_str()).collect();
    assert_eq!(options, ["10G", "100G", "400G"], "the wave's rates, smallest first");
    let (before, reserved_before) = (page.record.summary.mbps, reserved_mbps(&app).await);
    assert_eq!((page.record.spec.option.as_str(), before), ("10G", 10_000), "the design's wave");
    let bigger = page.choices.iter().find(|choice| choice.option == "100G").unwrap().clone();
    assert!(bigger.monthly_estimate() > page.record.summary.spend.monthly_estimate);

    // A price other than today's is refused with the new one; an unknown rate is refused.
    let stale = change(&app, &id, "100G", bigger.monthly_estimate().cents() - 1, "change-key-0000000001", &grace).await;
    assert_eq!(stale.status(), 409);
    assert!(stale.text().await.unwrap().contains(&bigger.monthly_estimate().to_string()));
    let unknown = change(&app, &id, "800G", 1, "change-key-0000000002", &grace).await;
    assert_eq!(unknown.status(), 422);
    let same = change(&app, &id, "10G", 1, "change-key-0000000003", &grace).await;
    let same_status = same.status();
    assert_eq!(same_status, 422, "the rate it already runs at");
    assert_eq!(reserved_mbps(&app).await, reserved_before, "nothing held by refused requests");

    let key = "change-key-0000000004";
    let placed: OrderPlaced =
        change(&app, &id, "100G", bigger.monthly_estimate().cents(), key, &grace).await.json().await.unwrap();
    // A double click answers with the same order.
    let again: OrderPlaced =
        change(&app, &id, "100G", bigger.monthly_estimate().cents(), key, &grace).await.json().await.unwrap();
    assert_eq!((again.id.clone(), again.created), (placed.id.clone(), false));
    let done = app.until_terminal(&placed.id.to_string(), &grace).await;
    assert_eq!(done.summary.state, OrderState::Completed, "{:?}", done.events);
    assert_eq!(done.summary.action, OrderAction::Modify);
    assert!(done.events.iter().any(|event| event.message.contains("capacity resized")), "{:?}", done.events);
    assert_eq!(done.events.last().unwrap().message, "Order completed: the service runs at its new bandwidth.");

    let after = service(&app, &id, &grace).await;
    assert_eq!(after.record.summary.mbps, 100_000);
    assert_eq!(after.record.spec.option, "100G");
    assert!(after.record.summary.title.contains("100 Gbps"), "{}", after.record.summary.title);
    assert_eq!(after.record.rates.len(), 2, "the old rate closed, the new one open");
    assert!(after.record.rates[0].to_ms.is_some() && after.record.rates[1].to_ms.is_none());
    assert_eq!(after.record.summary.spend.monthly_estimate, bigger.monthly_estimate());
    assert!(after.record.summary.pending_order.is_none());
    assert_eq!(after.record.orders.len(), 2);
    let spans = after.record.spans.len() as u64;
    assert_eq!(reserved_mbps(&app).await, reserved_before + spans * (100_000 - before));
}

#[tokio::test]
async fn a_rise_the_path_cannot_carry_and_a_second_change_at_once_are_refused() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let page = wave_in_service(&app, &grace).await;
    let id = page.record.summary.id.to_string();
    let price = |option: &str| page.choices.iter().find(|c| c.option == option).unwrap().monthly_estimate().cents();

    // Someone else takes all but 100 Gbps of one span of the path.
    let store = app.store().await;
    let span = page.record.spans[0].clone();
    let capacity = store.spans().await.unwrap().iter().find(|s| s.id == span).unwrap().capacity_gbps() * 1_000;
    let taken = store.reservations().await.unwrap().get(&span).copied().unwrap_or(0);
    store.reserve("someone-else", std::slice::from_ref(&span), capacity - taken - 100_000).await.unwrap();
    let reserved = reserved_mbps(&app).await;
    let refused = change(&app, &id, "400G", price("400G"), "change-key-1000000001", &grace).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains(&format!("span {span}")));
    assert_eq!(reserved_mbps(&app).await, reserved);

    // A slow network keeps a change running; a second change waits for it.
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let slow = [("failure_rate", "0"), ("device_timeout", "1"), ("activation", "1"), ("test", "1"), ("speedup", "1")];
    assert_eq!(app.post_form("/api/admin/set-faults", &slow, Some(&admin)).await.status(), 200);
    let first: OrderPlaced =
        change(&app, &id, "100G", price("100G"), "change-key-1000000002", &grace).await.json().await.unwrap();
    let second = change(&app, &id, "400G", price("400G"), "change-key-1000000003", &grace).await;
    assert_eq!(second.status(), 409);
    assert!(disconnect(&app, &id, "change-key-1000000004", &grace).await.status() == 409);
    // Cancelling the running change keeps the previous bandwidth and frees the slot.
    assert_eq!(app.post_form("/api/cancel-order", &[("id", &first.id.to_string())], Some(&grace)).await.status(), 200);
    let cancelled = app.until_terminal(&first.id.to_string(), &grace).await;
    assert_eq!(cancelled.summary.state, OrderState::Cancelled, "{:?}", cancelled.events);
    let after = service(&app, &id, &grace).await;
    assert_eq!(after.record.summary.mbps, 10_000);
    assert!(after.record.summary.pending_order.is_none());
    assert_eq!(reserved_mbps(&app).await, reserved);
}

#[tokio::test]
async fn a_disconnect_terminates_the_service_releases_its_capacity_and_stops_billing() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let page = wave_in_service(&app, &grace).await;
    let id = page.record.summary.id.to_string();
    let holder = app.store().await.service_holder(&page.record.summary.id).await.unwrap().unwrap();
    assert!(app.store().await.holding(&holder).await.unwrap().is_some());

    // Staff see the service but cannot change it; another organisation does not see it.
    let sales = app.sign_in("sales@lightpath.example", DEMO_PASSWORD).await;
    assert!(!service(&app, &id, &sales).await.can_change);
    assert_eq!(disconnect(&app, &id, "disconnect-key-000000001", &sales).await.status(), 403);
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    assert_eq!(app.post_form("/api/service", &[("id", &id)], Some(&hal)).await.status(), 404);
    assert_eq!(disconnect(&app, &id, "disconnect-key-000000002", &hal).await.status(), 404);
    assert!(services(&app, &hal).await.services.items.is_empty());
    assert_eq!(disconnect(&app, &id, "bad key", &grace).await.status(), 422);

    let placed: OrderPlaced = disconnect(&app, &id, "disconnect-key-000000003", &grace).await.json().await.unwrap();
    let done = app.until_terminal(&placed.id.to_string(), &grace).await;
    assert_eq!(done.summary.state, OrderState::Completed, "{:?}", done.events);
    assert_eq!(done.summary.action, OrderAction::Disconnect);
    assert!(done.events.last().unwrap().message.contains("disconnected and its capacity released"));
    let after = service(&app, &id, &grace).await;
    assert_eq!(after.record.summary.state, ServiceState::Terminated);
    assert!(!after.can_change);
    assert!(app.store().await.holding(&holder).await.unwrap().is_none(), "its capacity is released");
    assert_eq!(after.record.summary.spend.monthly_estimate.cents(), 0);
    let so_far = after.record.summary.spend.so_far;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(service(&app, &id, &grace).await.record.summary.spend.so_far, so_far, "billing stopped");
    // Disconnecting again, or changing a terminated service, is refused.
    let twice = disconnect(&app, &id, "disconnect-key-000000004", &grace).await;
    assert_eq!(twice.status(), 422);
    assert!(twice.text().await.unwrap().contains("terminated"));
    let total = services(&app, &grace).await.total;
    assert!(total.so_far >= so_far);
}

#[tokio::test]
async fn racing_bandwidth_changes_place_one_order() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let page = wave_in_service(&app, &grace).await;
    let id = page.record.summary.id.to_string();
    let cents = page.choices.iter().find(|choice| choice.option == "100G").unwrap().monthly_estimate().cents();
    let app = std::sync::Arc::new(app);
    let attempts: Vec<_> = (0..20)
        .map(|n| {
            let (app, id, grace) = (app.clone(), id.clone(), grace.clone());
            tokio::spawn(async move {
                change(&app, &id, "100G", cents, &format!("change-race-{n:012}"), &grace).await.status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for attempt in attempts {
        statuses.push(attempt.await.unwrap());
    }
    // One change runs; the others are told a change is running, or (once it finished) that
    // the service already runs at that rate.
    assert!(statuses.iter().all(|status| [200, 409, 422].contains(status)), "{statuses:?}");
    let placed = statuses.iter().filter(|status| **status == 200).count();
    let orders: serde_json::Value = app.post_form("/api/orders", &[], Some(&grace)).await.json().await.unwrap();
    let changes = orders["items"].as_array().unwrap().iter().filter(|order| order["action"] == "modify").count();
    assert_eq!((placed, changes), (1, 1), "{statuses:?}");
}

#[tokio::test]
async fn ending_a_term_early_costs_the_fee_shown_before_and_it_is_spent() {
    let app = spawn_app().await;
    // Fast enough to provision in a second, slow enough that the 12-month term barely moves
    // while the test runs (≈ 5.6 simulated hours a second).
    app.network_at_speed("20000").await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let page = wave_in_service(&app, &grace).await;
    let id = page.record.summary.id.to_string();
    let monthly = page.record.rates.last().unwrap().monthly;
    let fee = page.termination.expect("a 12-month term just begun has a fee");
    assert_eq!((fee.monthly, fee.share_bp), (monthly, 10_000), "all the remaining months of a wave");
    let whole_term = lightpath_domain::Money::from_cents(monthly.cents() * 12);
    assert!(fee.fee <= whole_term && fee.fee.cents() * 100 >= whole_term.cents() * 99, "{fee:?}");
    let spent_before = page.record.summary.spend.so_far;

    let placed: OrderPlaced = disconnect(&app, &id, "disconnect-fee-000000001", &grace).await.json().await.unwrap();
    let done = app.until_terminal(&placed.id.to_string(), &grace).await;
    assert_eq!(done.summary.state, OrderState::Completed, "{:?}", done.events);
    let charged = done.summary.totals.one_time;
    assert!(
        charged <= fee.fee && charged.cents() * 100 >= fee.fee.cents() * 99,
        "charged {charged}, shown {}",
        fee.fee
    );
    assert_eq!(done.summary.totals.monthly, lightpath_domain::Money::ZERO);

    let after = service(&app, &id, &grace).await;
    assert_eq!(after.record.summary.state, ServiceState::Terminated);
    assert!(after.termination.is_none(), "nothing left to end");
    assert!(after.record.summary.spend.so_far >= spent_before + charged, "the fee counts in spend");

    // The price book sets the share per product (50 % for Internet on Demand in the seed).
    let internet = app.get_json("/api/v1/products/internet-on-demand").await;
    assert_eq!(internet["early_termination_share_bp"], 5000);
}

#[tokio::test]
async fn cutting_bandwidth_below_the_commitment_costs_a_share_and_a_served_term_costs_nothing() {
    let app = spawn_app().await;
    app.network_at_speed("20000").await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let page = wave_in_service(&app, &grace).await;
    let id = page.record.summary.id.to_string();
    let price = |page: &ServicePage, option: &str| page.choices.iter().find(|c| c.option == option).unwrap().clone();
    assert!(price(&page, "100G").termination.is_none(), "a rise gives up nothing");
    let up = price(&page, "100G");
    let placed: OrderPlaced = change(&app, &id, "100G", up.monthly_estimate().cents(), "cut-key-0000000000001", &grace)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(app.until_terminal(&placed.id.to_string(), &grace).await.summary.totals.one_time.cents(), 0);

    // Back down to 10G during the term: the drop in the committed monthly charge is given up.
    let page = service(&app, &id, &grace).await;
    let down = price(&page, "10G");
    let cut = down.termination.expect("a cut below the commitment has a fee");
    assert_eq!(cut.monthly, page.record.rates.last().unwrap().monthly - down.totals.monthly);
    let placed: OrderPlaced =
        change(&app, &id, "10G", down.monthly_estimate().cents(), "cut-key-0000000000002", &grace)
            .await
            .json()
            .await
            .unwrap();
    let done = app.until_terminal(&placed.id.to_string(), &grace).await;
    assert_eq!(done.summary.state, OrderState::Completed, "{:?}", done.events);
    assert!(done.summary.totals.one_time > lightpath_domain::Money::ZERO && done.summary.totals.one_time <= cut.fee);

    // Once the term is served, disconnecting costs nothing.
    sqlx::query("UPDATE service_rates SET from_ms = from_ms - $1 WHERE service_id = $2")
        .bind(400_i64 * 86_400_000)
        .bind(&id)
        .execute(app.store().await.pool())
        .await
        .unwrap();
    let served = service(&app, &id, &grace).await;
    assert!(served.termination.is_none(), "{:?}", served.termination);
    let placed: OrderPlaced = disconnect(&app, &id, "disconnect-served-00001", &grace).await.json().await.unwrap();
    let done = app.until_terminal(&placed.id.to_string(), &grace).await;
    assert_eq!(done.summary.totals.one_time.cents(), 0);
}
