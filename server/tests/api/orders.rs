//! Ordering a saved design over HTTP: one order per idempotency key (even under 1,000
//! concurrent submissions), the same key with another request refused, the price checked
//! again, provisioning to a terminal state with its timeline, and a permanent fault rolled
//! back with its capacity released exactly.

use crate::helpers::{eventually, spawn_app, training_draft, TestApp, DEMO_PASSWORD};
use lightpath_app::model::designs::SavedAnswer;
use lightpath_app::model::orders::OrderPlaced;
use lightpath_domain::order::OrderState;
use lightpath_domain::recommend::{Choice, Tier};
use lightpath_domain::Term;
use serde_json::json;
use std::time::Duration;

pub(crate) async fn reserved_mbps(app: &TestApp) -> u64 {
    app.store().await.reservations().await.unwrap().values().sum()
}

#[tokio::test]
async fn an_order_is_acknowledged_once_per_key_and_provisioned_to_completion() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let design = app.saved_design(&grace, "Training feed").await;
    let key = "order-0123456789abcdef";

    let first = app.order_design(&design, key, &grace).await;
    assert_eq!(first.status(), 200);
    let first: OrderPlaced = first.json().await.unwrap();
    assert!(first.created);
    // A double click: the same key answers with the same order.
    let again: OrderPlaced = app.order_design(&design, key, &grace).await.json().await.unwrap();
    assert_eq!((again.id.clone(), again.created), (first.id.clone(), false));

    let done = app.until_terminal(&first.id.to_string(), &grace).await;
    assert_eq!(done.summary.state, OrderState::Completed, "{:?}", done.events);
    assert!(done.items.iter().all(|item| item.state == OrderState::Completed));
    let messages: Vec<&str> = done.events.iter().map(|event| event.message.as_str()).collect();
    assert!(messages[0].starts_with("Order acknowledged"), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("capacity reserved")), "{messages:?}");
    assert!(messages.last().unwrap().starts_with("Order completed"), "{messages:?}");
    // The routed item holds its capacity now that it is in service.
    assert!(reserved_mbps(&app).await > 0);
    let listed = app.post_form("/api/orders", &[], Some(&grace)).await.text().await.unwrap();
    assert!(listed.contains("Training feed"), "{listed}");
}

#[tokio::test]
async fn a_thousand_concurrent_submissions_with_one_key_make_one_order() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let design = app.saved_design(&grace, "Stampede").await;
    let key = "order-stampede-000000000001";
    let app = std::sync::Arc::new(app);
    let submissions: Vec<_> = (0..1_000)
        .map(|_| {
            let (app, design, grace) = (app.clone(), design.clone(), grace.clone());
            tokio::spawn(async move { app.order_design(&design, key, &grace).await.status().as_u16() })
        })
        .collect();
    let mut statuses = Vec::new();
    for submission in submissions {
        statuses.push(submission.await.unwrap());
    }
    assert!(
        statuses.iter().all(|status| *status == 200),
        "{:?}",
        statuses.iter().filter(|s| **s != 200).collect::<Vec<_>>()
    );
    let orders: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(app.store().await.pool()).await.unwrap();
    assert_eq!(orders, 1);
}

#[tokio::test]
async fn the_same_key_with_another_request_and_a_stale_price_are_refused_and_write_nothing() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let first = app.saved_design(&grace, "First").await;
    let second = app.saved_design(&grace, "Second").await;
    let key = "order-reused-key-000000001";
    assert_eq!(app.order_design(&first, key, &grace).await.status(), 200);
    let reused = app.order_design(&second, key, &grace).await;
    assert_eq!(reused.status(), 422);
    assert!(reused.text().await.unwrap().contains("already used for a different order"));
    // A malformed key.
    let malformed = app.order_design(&second, "short", &grace).await;
    assert_eq!(malformed.status(), 422);
    assert!(malformed.text().await.unwrap().contains("16 to 128"));
    // Another organisation's design is not there at all.
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    assert_eq!(app.order_design(&second, "order-globex-key-0000001", &hal).await.status(), 404);

    // Prices change after the design was saved: the order is refused with the new price.
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    app.post_form("/api/admin/open-draft", &[], Some(&admin)).await;
    let book = app.store().await.price_book(2).await.unwrap().unwrap();
    let position = book
        .lines
        .iter()
        .position(|line| line.product.as_str() == "wavelengths-400g" && line.label == "Wavelength")
        .unwrap()
        .to_string();
    let set = app
        .post_form(
            "/api/admin/set-prices",
            &[("version", "2"), (&format!("amounts[{position}]"), "99999")],
            Some(&admin),
        )
        .await;
    assert_eq!(set.status(), 200);
    assert_eq!(app.post_form("/api/admin/publish", &[("version", "2")], Some(&admin)).await.status(), 200);
    let stale = app.order_design(&second, "order-stale-price-000000001", &grace).await;
    assert_eq!(stale.status(), 409);
    assert!(stale.text().await.unwrap().contains("The price has changed"));
    let orders: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(app.store().await.pool()).await.unwrap();
    assert_eq!(orders, 1, "only the first order exists");
}

#[tokio::test]
async fn a_permanent_fault_rolls_the_item_back_and_releases_its_capacity() {
    let app = spawn_app().await;
    // Every device step fails with an activation error, which is never retried.
    app.fast_network("100", ["0", "1", "0"]).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let design = app.saved_design(&grace, "Doomed").await;
    let placed: OrderPlaced =
        app.order_design(&design, "order-doomed-0000000000001", &grace).await.json().await.unwrap();
    let done = app.until_terminal(&placed.id.to_string(), &grace).await;
    assert_eq!(done.summary.state, OrderState::Failed, "{:?}", done.events);
    assert!(done.summary.reason.as_deref().unwrap_or_default().contains("could not be provisioned"));
    assert!(done.items.iter().all(|item| item.state == OrderState::Failed));
    assert!(done.events.iter().any(|event| event.message.contains("Rolled back; its capacity is released")));
    assert_eq!(reserved_mbps(&app).await, 0, "no capacity leaks");
}

#[tokio::test]
async fn transient_faults_are_retried_and_every_order_ends_with_exact_capacity() {
    let app = spawn_app().await;
    // One device step in five times out (retried); some orders still fail after four tries.
    app.fast_network("20", ["1", "0", "0"]).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let mut placed = Vec::new();
    for n in 0..10 {
        let design = app.saved_design(&grace, &format!("Batch {n}")).await;
        let answer: OrderPlaced =
            app.order_design(&design, &format!("order-batch-{n:020}"), &grace).await.json().await.unwrap();
        placed.push(answer.id.to_string());
    }
    let mut held = 0;
    let store = app.store().await;
    for id in &placed {
        let done = app.until_terminal(id, &grace).await;
        assert!(matches!(done.summary.state, OrderState::Completed | OrderState::Partial | OrderState::Failed));
        for (position, item) in done.items.iter().enumerate() {
            let holding = store.holding(&format!("{id}/{position}")).await.unwrap();
            match item.state {
                OrderState::Completed => held += holding.map_or(0, |h| h.mbps * h.spans.len() as u64),
                _ => assert!(holding.is_none(), "a failed item holds nothing"),
            }
        }
    }
    let retried = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM order_events WHERE outcome = 'retry'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert!(retried > 0, "some steps were retried");
    assert_eq!(reserved_mbps(&app).await, held, "capacity accounting is exact");
}

#[tokio::test]
async fn a_running_order_is_cancelled_once_and_gives_its_capacity_back() {
    let app = spawn_app().await;
    // Ten times real time: the wave's first device step takes minutes, so the order is
    // still running when the buyer cancels it.
    app.fast_network("0", ["1", "1", "1"]).await;
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let slow = [("failure_rate", "0"), ("device_timeout", "1"), ("activation", "1"), ("test", "1"), ("speedup", "10")];
    assert_eq!(app.post_form("/api/admin/set-faults", &slow, Some(&admin)).await.status(), 200);
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let design = app.saved_design(&grace, "Changed our mind").await;
    let placed: OrderPlaced =
        app.order_design(&design, "order-cancel-me-0000000001", &grace).await.json().await.unwrap();
    let id = placed.id.to_string();
    eventually("the wave reserving its capacity", async || (reserved_mbps(&app).await > 0).then_some(())).await;

    // Another organisation cannot cancel it; the buyer can, once.
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    assert_eq!(app.post_form("/api/cancel-order", &[("id", &id)], Some(&hal)).await.status(), 404);
    assert_eq!(app.post_form("/api/cancel-order", &[("id", &id)], Some(&grace)).await.status(), 200);
    let twice = app.post_form("/api/cancel-order", &[("id", &id)], Some(&grace)).await;
    assert_eq!(twice.status(), 422);
    assert!(twice.text().await.unwrap().contains("already"));

    let done = app.until_terminal(&id, &grace).await;
    assert_eq!(done.summary.state, OrderState::Cancelled, "{:?}", done.events);
    assert!(done.items.iter().all(|item| item.state == OrderState::Cancelled));
    assert_eq!(reserved_mbps(&app).await, 0, "the cancelled order holds nothing");
    let messages: Vec<&str> = done.events.iter().map(|event| event.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.starts_with("Cancellation requested by Grace")), "{messages:?}");
    assert_eq!(*messages.last().unwrap(), "Order cancelled.");
    let ended = app.post_form("/api/cancel-order", &[("id", &id)], Some(&grace)).await;
    assert_eq!(ended.status(), 422);
    assert!(ended.text().await.unwrap().contains("already cancelled"));
}

#[tokio::test]
async fn two_hundred_concurrent_orders_over_shared_spans_never_oversell_and_all_end() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    // 1,000 TB in 2 hours: three 400G waves per order, 1.2 Tbps; 200 orders want 240 Tbps
    // between Chicago and Ashburn, far more than the spans there carry.
    let mut draft = training_draft("Greedy");
    draft["training"]["dataset_tb"] = json!("1000");
    draft["training"]["hours"] = json!("2");
    draft["training"]["power_kw"] = json!("");
    let choice = Choice { tier: Tier::Better, term: Term::Months12, options: vec![] };
    let body = json!({ "id": null, "draft": draft, "intent": "saved", "choice": choice });
    let saved: SavedAnswer = app.post_json("/api/save-design", &body, Some(&grace)).await.json().await.unwrap();
    let design = saved.id.to_string();

    let app = std::sync::Arc::new(app);
    let submissions: Vec<_> = (0..200)
        .map(|n| {
            let (app, design, grace) = (app.clone(), design.clone(), grace.clone());
            tokio::spawn(async move {
                let response = app.order_design(&design, &format!("order-greedy-{n:016}"), &grace).await;
                let status = response.status().as_u16();
                let placed = (status == 200).then_some(()).map(|()| response);
                match placed {
                    Some(response) => (status, Some(response.json::<OrderPlaced>().await.unwrap().id.to_string())),
                    None => (status, None),
                }
            })
        })
        .collect();
    let (mut accepted, mut refused) = (Vec::new(), 0);
    for submission in submissions {
        let (status, id) = submission.await.unwrap();
        // Accepted, or refused because the route (and so the price) changed as capacity ran out.
        assert!(status == 200 || status == 409, "{status}");
        refused += usize::from(status == 409);
        accepted.extend(id);
    }
    assert!(!accepted.is_empty());

    let store = app.store().await;
    let mut completed = 0;
    for id in &accepted {
        let done = app.until_terminal(id, &grace).await;
        completed += usize::from(done.summary.state == OrderState::Completed);
    }
    assert!(completed > 0);
    assert!(refused + accepted.len() - completed > 0, "capacity ran out for some orders");
    // No span holds more than it carries, and the spans hold exactly what the holders hold.
    let oversold: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT id, reserved_mbps, wavelengths * wavelength_gbps * 1000 FROM spans WHERE reserved_mbps > wavelengths * wavelength_gbps * 1000",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert!(oversold.is_empty(), "{oversold:?}");
    let held: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(SUM(mbps), 0) AS BIGINT) FROM span_reservations")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(held as u64, reserved_mbps(&app).await);
    let full: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM spans WHERE reserved_mbps > 0").fetch_one(store.pool()).await.unwrap();
    assert!(full > 0);
}

#[tokio::test]
async fn the_timeline_streams_as_server_sent_events_and_resumes_after_the_last_event_id() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let design = app.saved_design(&grace, "Streamed").await;
    let placed: OrderPlaced =
        app.order_design(&design, "order-streamed-00000000001", &grace).await.json().await.unwrap();
    let path = format!("{}/api/v1/orders/{}/events", app.address, placed.id);
    let stream = |last: Option<&str>| {
        let mut request = app.client.get(&path).header("cookie", &grace);
        if let Some(last) = last {
            request = request.header("last-event-id", last);
        }
        request
    };
    // The stream follows the order until it ends, then says so and closes.
    let response = stream(None).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let body = tokio::time::timeout(Duration::from_secs(30), response.text()).await.unwrap().unwrap();
    let done = app.order_record(&placed.id.to_string(), &grace).await;
    let ids: Vec<&str> = body.lines().filter_map(|line| line.strip_prefix("id: ")).collect();
    assert_eq!(ids.len(), done.events.len(), "{body}");
    assert!(body.contains("event: end"), "{body}");
    assert!(body.contains("Order completed"), "{body}");
    // A reconnecting browser sends the last id it saw and gets only what came after.
    let resumed = stream(Some("3")).send().await.unwrap().text().await.unwrap();
    let first: Option<&str> = resumed.lines().find_map(|line| line.strip_prefix("id: "));
    assert_eq!(first, Some("4"), "{resumed}");
    // Nobody signed in, and another organisation, get nothing.
    assert_eq!(app.client.get(&path).send().await.unwrap().status(), 401);
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    assert_eq!(app.client.get(&path).header("cookie", &hal).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn live_timelines_are_capped_per_session_and_end_with_the_session() {
    use server::api::orders::STREAMS_PER_SESSION;
    // The simulated network in real time: the order runs for minutes, so its streams stay open.
    let app = spawn_app().await;
    app.network_at_speed("1").await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let design = app.saved_design(&grace, "Followed in many tabs").await;
    let placed: OrderPlaced =
        app.order_design(&design, "order-many-tabs-000000001", &grace).await.json().await.unwrap();
    let path = format!("{}/api/v1/orders/{}/events", app.address, placed.id);
    let open = |cookie: &str| app.client.get(&path).header("cookie", cookie).send();

    let mut streams = Vec::new();
    for _ in 0..STREAMS_PER_SESSION {
        let mut response = open(&grace).await.unwrap();
        assert_eq!(response.status(), 200);
        let first = tokio::time::timeout(Duration::from_secs(10), response.chunk()).await.unwrap().unwrap();
        assert!(String::from_utf8_lossy(&first.unwrap()).contains("id: 1"));
        streams.push(response);
    }
    let refused = open(&grace).await.unwrap();
    assert_eq!(refused.status(), 429);
    assert!(refused.text().await.unwrap().contains("close some of their tabs"));
    // Another session of the same person has its own allowance; a closed tab frees a place.
    let other_session = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let mut elsewhere = open(&other_session).await.unwrap();
    assert_eq!(elsewhere.status(), 200);
    drop(streams.pop());
    let mut freed = None;
    for _ in 0..50 {
        let response = open(&grace).await.unwrap();
        if response.status() == 200 {
            freed = Some(response);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    streams.push(freed.expect("a closed stream gives its place back"));

    // Signing out ends every stream of that session at once, and only those.
    assert!(app.post_form("/api/sign-out", &[], Some(&grace)).await.status().is_success());
    for mut stream in streams {
        let ended = tokio::time::timeout(Duration::from_secs(3), async {
            while let Some(_chunk) = stream.chunk().await.unwrap() {}
        })
        .await;
        assert!(ended.is_ok(), "a stream outlived its session");
    }
    let still_open = tokio::time::timeout(Duration::from_millis(500), elsewhere.chunk()).await;
    assert!(still_open.is_err() || matches!(still_open, Ok(Ok(Some(_)))), "the other session's stream goes on");
    assert_eq!(open(&grace).await.unwrap().status(), 401, "the signed-out cookie opens nothing");
}

#[tokio::test]
async fn a_timeline_follows_provisioning_done_by_another_server_on_postgresql() {
    // Servers share PostgreSQL; SQLite is one server's file, so this case does not arise there.
    let provisioning = spawn_app().await;
    if !provisioning.database.target.is_postgres() {
        return;
    }
    let target = provisioning.database.target.clone();
    // This server only serves pages and streams: it provisions nothing itself.
    let serving = crate::helpers::spawn_app_with(|config| {
        config.database = target;
        config.provisioning_workers = 0;
    })
    .await;
    // A few seconds of provisioning, so the stream is open while the other server works.
    provisioning.network_at_speed("20000").await;
    let grace = serving.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let design = serving.saved_design(&grace, "Across servers").await;
    let placed: OrderPlaced =
        serving.order_design(&design, "order-across-servers-0001", &grace).await.json().await.unwrap();
    let path = format!("{}/api/v1/orders/{}/events", serving.address, placed.id);
    let response = serving.client.get(&path).header("cookie", &grace).send().await.unwrap();
    // Well before an idle stream's session check (10 s): the shared poll wakes it.
    let opened = std::time::Instant::now();
    let body =
        tokio::time::timeout(Duration::from_secs(9), response.text()).await.expect("streamed to the end").unwrap();
    assert!(body.contains("Order completed") && body.contains("event: end"), "{body}");
    assert!(opened.elapsed() > Duration::from_millis(500), "the order was still running when the stream opened");
}

/// Writers that add to one order's timeline at the same moment (a worker's steps and a buyer's
/// cancellation, servers sharing PostgreSQL) each get the next number: none of them fails on
/// a number another took first.
#[tokio::test]
async fn events_added_to_one_timeline_at_the_same_moment_all_land() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let design = app.saved_design(&grace, "Busy timeline").await;
    let placed: OrderPlaced = app.order_design(&design, "order-busy-timeline-0001", &grace).await.json().await.unwrap();
    let store = app.store().await;
    let notes = (0..24).map(|n| {
        let (store, order) = (store.clone(), placed.id.clone());
        async move { store.order_note(&order, None, "info", &format!("Busy note {n}.")).await }
    });
    for added in futures_util::future::join_all(notes).await {
        added.expect("every note is added");
    }
    let events = store.order_events(&placed.id, 0).await.unwrap();
    assert_eq!(events.iter().filter(|event| event.message.starts_with("Busy note")).count(), 24);
    let numbers: std::collections::BTreeSet<i64> = events.iter().map(|event| event.seq).collect();
    assert_eq!(numbers.len(), events.len(), "each event has its own number");
}
