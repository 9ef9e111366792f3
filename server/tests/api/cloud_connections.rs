//! Cloud connections ordered over REST against the real server and database (SQLite, or
//! PostgreSQL with `DATABASE_URL`): an AWS hosted connection waits for the buyer's acceptance
//! in the simulated AWS, unbilled, then runs with BGP up and is billed from that moment; a
//! rejected or expired one is released at no charge; every bad value is refused by its field;
//! a VLAN or key in use is a conflict.

use crate::helpers::{eventually, spawn_app, spawn_app_with, TestApp, DEMO_PASSWORD};
use crate::public_api::{call, call_with_key, json_of, token};
use lightpath_app::model::services::ServicePage;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub(crate) fn configuration(z_end: &str, option: &str) -> Value {
    json!({
        "product": "cloud-connection", "option": option, "term": 12,
        "a_end": "chi-dc-1", "z_end": z_end, "diverse": false, "amounts": [], "count": 1
    })
}

pub(crate) fn aws(vlan: &str) -> Value {
    json!({
        "vlan": vlan, "aws_account": "123456789012", "virtual_interface": "private", "customer_asn": "65001",
        "customer_address": "169.254.10.1/30", "cloud_address": "169.254.10.2/30"
    })
}

/// Prices the configuration as an integrator would (`/api/v1/offers`), then orders it with the
/// cloud's details; answers the response.
pub(crate) async fn order(app: &TestApp, token: &str, config: &Value, cloud: &Value, key: &str) -> reqwest::Response {
    let offer =
        json_of(call(app, Method::POST, "/api/v1/offers", token, Some(config.clone())).await, StatusCode::OK).await;
    let body = json!({ "configuration": config, "totals": offer["totals"], "cloud": cloud });
    call_with_key(app, Method::POST, "/api/v1/orders", token, key, Some(body)).await
}

/// Waits for the order to end; answers the service it made.
pub(crate) async fn service_of(app: &TestApp, token: &str, order: &str) -> Value {
    let href = format!("/api/v1/orders/{order}");
    eventually(&format!("order {order} completing"), async || {
        let record = json_of(call(app, Method::GET, &href, token, None).await, StatusCode::OK).await;
        let state = record["summary"]["state"].as_str().unwrap();
        assert!(!["failed", "cancelled", "rejected"].contains(&state), "{record}");
        (state == "completed").then_some(())
    })
    .await;
    let services =
        json_of(call(app, Method::GET, "/api/v1/services?limit=100", token, None).await, StatusCode::OK).await;
    let made = services.as_array().unwrap().iter().find(|service| service["order_id"] == order).cloned();
    let id = made.expect("the completed order made a service")["id"].as_str().unwrap().to_owned();
    json_of(call(app, Method::GET, &format!("/api/v1/services/{id}"), token, None).await, StatusCode::OK).await
}

/// The service's page as the portal reads it (its server function), for `session`.
async fn portal_page(app: &TestApp, session: &str, id: &str) -> ServicePage {
    let response = app.post_form("/api/service", &[("id", id)], Some(session)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn service(app: &TestApp, token: &str, id: &str) -> Value {
    json_of(call(app, Method::GET, &format!("/api/v1/services/{id}"), token, None).await, StatusCode::OK).await
}

/// API tokens of Acme's and Globex's admins.
pub(crate) async fn tokens(app: &TestApp) -> (String, String) {
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    (token(app, &ada, "Acme cloud", "full").await, token(app, &hal, "Globex cloud", "full").await)
}

pub(crate) fn field_of(problem: &Value) -> Vec<String> {
    problem["errors"].as_array().map_or_else(Vec::new, |errors| {
        errors.iter().filter_map(|error| error["field"].as_str().map(str::to_owned)).collect()
    })
}

#[tokio::test]
async fn an_aws_connection_waits_unbilled_for_acceptance_then_runs_with_bgp_and_is_billed_from_then() {
    let app = spawn_app().await;
    app.network_at_speed("1000").await;
    let (acme, globex) = tokens(&app).await;

    // Acme's receiver is told of service changes (a dead address: the deliveries are what count).
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let hooks = token(&app, &ada, "Acme hooks", "admin").await;
    let hub = json!({ "callback": "http://127.0.0.1:9/hook", "events": ["service-changed"] });
    assert_eq!(call(&app, Method::POST, "/api/v1/hub", &hooks, Some(hub)).await.status(), 201);
    let placed = order(&app, &acme, &configuration("aws-us-east-1", "1G"), &aws("0"), "aws-order-0000000000001").await;
    let placed = json_of(placed, StatusCode::CREATED).await;
    let waiting = service_of(&app, &acme, placed["summary"]["id"].as_str().unwrap()).await;
    let id = waiting["summary"]["id"].as_str().unwrap().to_owned();
    let cloud = &waiting["cloud"];
    assert_eq!(
        (waiting["summary"]["state"].as_str(), cloud["state"].as_str()),
        (Some("inactive"), Some("awaiting-acceptance"))
    );
    assert_eq!((cloud["cloudState"].as_str(), cloud["cloudStateName"].as_str()), (Some("ordering"), Some("ordering")));
    assert_eq!((cloud["vlan"].as_u64(), cloud["bgp"]["state"].as_str()), (Some(1), Some("idle")));
    assert_eq!(
        cloud["bgp"]["keyMasked"].as_str().unwrap().chars().filter(|c| *c == '•').count(),
        22,
        "generated, masked"
    );
    assert_eq!(cloud["routes"], json!([]));
    assert!(cloud["acceptByMs"].as_i64().is_some());
    assert_eq!(waiting["rates"], json!([]), "nothing billed while waiting");
    assert_eq!(waiting["summary"]["spend"]["so_far"], 0);
    let dxcon = cloud["connectionId"].as_str().unwrap().to_owned();
    assert!(dxcon.starts_with("dxcon-") && dxcon.len() == 14, "{dxcon}");
    // The portal's page gets the panel drawn on the server: what to accept where, the session
    // with its key masked; no VLAN change before the service runs.
    let portal = portal_page(&app, &ada, &id).await;
    let panel = portal.cloud_panel.expect("a cloud connection's page has its panel");
    assert!(
        panel.head_html.contains(&format!("Accept {dxcon} in the AWS console of account 123456789012")),
        "{}",
        panel.head_html
    );
    assert!(
        panel.tail_html.contains("data-testid=\"bgp-state\"") && panel.tail_html.contains("••••"),
        "{}",
        panel.tail_html
    );
    assert!(panel.tail_html.contains(&format!("/api/v1/services/{id}/router-config")), "{}", panel.tail_html);
    assert_eq!((panel.vlan_change_from, portal.router_panel), (None, None));

    // The buyer's AWS console lists it; another organisation's does not, and cannot accept it.
    let listed =
        json_of(call(&app, Method::GET, "/api/v1/clouds/aws/connections", &acme, None).await, StatusCode::OK).await;
    assert_eq!(
        (listed[0]["connectionId"].as_str(), listed[0]["connectionState"].as_str()),
        (Some(dxcon.as_str()), Some("ordering"))
    );
    assert_eq!(
        (listed[0]["ownerAccount"].as_str(), listed[0]["bandwidth"].as_str()),
        (Some("123456789012"), Some("1Gbps"))
    );
    let theirs =
        json_of(call(&app, Method::GET, "/api/v1/clouds/aws/connections", &globex, None).await, StatusCode::OK).await;
    assert_eq!(theirs, json!([]));
    let accept = format!("/api/v1/clouds/aws/connections/{dxcon}/accept");
    assert_eq!(call(&app, Method::POST, &accept, &globex, None).await.status(), 404);

    let accepted = json_of(call(&app, Method::POST, &accept, &acme, None).await, StatusCode::OK).await;
    assert_eq!(accepted["connectionState"], "available");
    let active = service(&app, &acme, &id).await;
    assert_eq!(
        (active["summary"]["state"].as_str(), active["cloud"]["state"].as_str()),
        (Some("active"), Some("active"))
    );
    assert_eq!(active["cloud"]["bgp"]["state"], "established");
    assert_eq!(active["cloud"]["routes"].as_array().map(Vec::len), Some(2), "the region's prefixes are learned");
    assert_eq!(active["rates"].as_array().map(Vec::len), Some(1), "billed from acceptance");
    assert!(active["rates"][0]["monthly"].as_i64().unwrap() > 0);
    // Running, its VLAN may move: the form starts from VLAN 1 for the organisation's admin, and
    // is not there for a read-only member.
    assert_eq!(portal_page(&app, &ada, &id).await.cloud_panel.unwrap().vlan_change_from, Some(1));
    let ken = app.sign_in("ken@acme.example", DEMO_PASSWORD).await;
    assert_eq!(portal_page(&app, &ken, &id).await.cloud_panel.unwrap().vlan_change_from, None);
    // Deciding twice is refused; the timeline says what happened.
    let again = json_of(call(&app, Method::POST, &accept, &acme, None).await, StatusCode::CONFLICT).await;
    assert!(again["detail"].as_str().unwrap().contains("available"), "{again}");
    // Each move was told by a ServiceStateChangeEvent carrying both states.
    let store = app.store().await;
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM webhook_deliveries ORDER BY number")
        .fetch_all(store.pool())
        .await
        .unwrap();
    let told: Vec<(Value, Value)> = bodies
        .iter()
        .filter_map(|body| serde_json::from_str::<Value>(body).ok())
        .map(|event| {
            let cloud = &event["event"]["service"]["cloudConnection"];
            (cloud["state"].clone(), cloud["cloudState"].clone())
        })
        .collect();
    assert_eq!(
        told,
        [(json!("awaiting-acceptance"), json!("ordering")), (json!("active"), json!("available"))],
        "{bodies:?}"
    );
    let timeline = json_of(
        call(&app, Method::GET, &format!("/api/v1/orders/{}", placed["summary"]["id"].as_str().unwrap()), &acme, None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(timeline.to_string().contains("Accepted in AWS"), "{timeline}");

    // The buyer's router configuration, with the key in clear, for the organisation only.
    let config = call(&app, Method::GET, &format!("/api/v1/services/{id}/router-config"), &acme, None).await;
    assert_eq!(config.headers()["content-type"], "text/plain; charset=utf-8");
    let config = config.text().await.unwrap();
    assert!(
        config.contains("encapsulation dot1Q 1") && config.contains("neighbor 169.254.10.2 remote-as 64512"),
        "{config}"
    );
    let key = config.lines().find_map(|line| line.strip_prefix(" neighbor 169.254.10.2 password ")).unwrap();
    assert!(key.len() >= 6, "{config}");
    assert_eq!(
        call(&app, Method::GET, &format!("/api/v1/services/{id}/router-config"), &globex, None).await.status(),
        404
    );
    // Lightpath's support (helping the buyer) and a read-only member read it with the key
    // masked; the rest is the same configuration.
    for reader in ["support@lightpath.example", "ken@acme.example"] {
        let session = app.sign_in(reader, DEMO_PASSWORD).await;
        let masked = app.get_with(&format!("/api/v1/services/{id}/router-config"), Some(&session)).await;
        assert_eq!(masked.status(), StatusCode::OK, "{reader}");
        let masked = masked.text().await.unwrap();
        assert!(!masked.contains(key) && masked.contains("! neighbor 169.254.10.2 password "), "{reader}: {masked}");
        assert!(masked.contains("neighbor 169.254.10.2 remote-as 64512"), "{masked}");
        assert_eq!(masked.lines().count(), config.lines().count());
    }
}

#[tokio::test]
async fn a_rejected_connection_is_released_with_its_vlan_and_capacity_and_costs_nothing() {
    let app = spawn_app().await;
    app.network_at_speed("1000").await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let acme = token(&app, &ada, "Acme cloud", "full").await;
    let check = "/api/v1/clouds/vlans?on_ramp=aws-us-east-1&vlan=300";
    assert_eq!(json_of(call(&app, Method::GET, check, &acme, None).await, StatusCode::OK).await["available"], true);

    let placed =
        order(&app, &acme, &configuration("aws-us-east-1", "10G"), &aws("300"), "aws-order-0000000000002").await;
    let placed = json_of(placed, StatusCode::CREATED).await;
    let waiting = service_of(&app, &acme, placed["summary"]["id"].as_str().unwrap()).await;
    assert_eq!(waiting["cloud"]["vlan"], 300);
    assert_eq!(json_of(call(&app, Method::GET, check, &acme, None).await, StatusCode::OK).await["available"], false);
    let store = app.store().await;
    let holder = format!("{}/0", placed["summary"]["id"].as_str().unwrap());
    assert!(store.holding(&holder).await.unwrap().is_some(), "capacity is held while waiting");

    // The same VLAN on that port again is a conflict that names it; on another port it is free.
    let taken = order(&app, &acme, &configuration("aws-us-east-1", "1G"), &aws("300"), "aws-order-0000000000003").await;
    let taken = json_of(taken, StatusCode::CONFLICT).await;
    assert!(taken["detail"].as_str().unwrap().contains("VLAN 300 is already in use on aws-us-east-1"), "{taken}");
    let elsewhere =
        order(&app, &acme, &configuration("aws-us-east-2", "1G"), &aws("300"), "aws-order-0000000000004").await;
    assert_eq!(elsewhere.status(), 201);

    let dxcon = waiting["cloud"]["connectionId"].as_str().unwrap();
    let rejected =
        call(&app, Method::POST, &format!("/api/v1/clouds/aws/connections/{dxcon}/reject"), &acme, None).await;
    assert_eq!(json_of(rejected, StatusCode::OK).await["connectionState"], "rejected");
    let released = service(&app, &acme, waiting["summary"]["id"].as_str().unwrap()).await;
    assert_eq!(
        (released["summary"]["state"].as_str(), released["cloud"]["state"].as_str()),
        (Some("terminated"), Some("rejected"))
    );
    assert_eq!(
        (released["summary"]["spend"]["so_far"].as_i64(), released["rates"].as_array().map(Vec::len)),
        (Some(0), Some(0))
    );
    assert!(store.holding(&holder).await.unwrap().is_none(), "capacity released");
    assert_eq!(json_of(call(&app, Method::GET, check, &acme, None).await, StatusCode::OK).await["available"], true);
}

#[tokio::test]
async fn a_connection_not_accepted_in_time_is_released() {
    let app = spawn_app_with(|config| config.cloud_acceptance_days = Some(1)).await;
    // A simulated day passes in under a second.
    app.network_at_speed("200000").await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let acme = token(&app, &ada, "Acme cloud", "full").await;
    let placed = order(&app, &acme, &configuration("aws-us-east-1", "1G"), &aws("77"), "aws-order-0000000000005").await;
    let placed = json_of(placed, StatusCode::CREATED).await;
    let made = service_of(&app, &acme, placed["summary"]["id"].as_str().unwrap()).await;
    let id = made["summary"]["id"].as_str().unwrap();
    // The service is read before its cloud view: once it reads terminated, the release
    // (one transaction) has committed, and the cloud view read after it shows it.
    let now = eventually("the connection's release after its day", async || {
        Some(service(&app, &acme, id).await).filter(|now| now["summary"]["state"] == "terminated")
    })
    .await;
    assert_eq!(
        (now["cloud"]["state"].as_str(), now["cloud"]["cloudState"].as_str()),
        (Some("rejected"), Some("deleted"))
    );
    assert_eq!(now["summary"]["spend"]["so_far"], 0);

    // A Google attachment left in PENDING_CUSTOMER is released the same way, and its pairing
    // key is free to order with again.
    let made = google_attachment(&app, &acme, false).await;
    let google = json!({ "pairing_key": made["key"] });
    let placed =
        order(&app, &acme, &configuration("gcp-us-central1", "1G"), &google, "google-expire-00000000001").await;
    let made_service =
        service_of(&app, &acme, json_of(placed, StatusCode::CREATED).await["summary"]["id"].as_str().unwrap()).await;
    let id = made_service["summary"]["id"].as_str().unwrap();
    let now = eventually("the attachment's release after its day", async || {
        Some(service(&app, &acme, id).await).filter(|now| now["summary"]["state"] == "terminated")
    })
    .await;
    assert_eq!(now["summary"]["spend"]["so_far"], 0);
    let keys = json_of(call(&app, Method::GET, "/api/v1/clouds/keys", &acme, None).await, StatusCode::OK).await;
    let listed = keys.as_array().unwrap().iter().find(|key| key["key"] == made["key"]).cloned().unwrap();
    assert_eq!((listed["inUse"].as_bool(), listed["awaitingActivation"].as_bool()), (Some(false), Some(false)));
}

/// A Partner Interconnect attachment made in the simulated Google Cloud, its pairing key.
async fn google_attachment(app: &TestApp, token: &str, pre_activated: bool) -> Value {
    let new = json!({ "on_ramp": "gcp-us-central1", "domain": 2, "pre_activated": pre_activated });
    json_of(call(app, Method::POST, "/api/v1/clouds/google/attachments", token, Some(new)).await, StatusCode::CREATED)
        .await
}

#[tokio::test]
async fn a_google_attachment_not_pre_activated_waits_unbilled_for_its_owner_to_activate_it() {
    let app = spawn_app().await;
    app.network_at_speed("1000").await;
    let (acme, globex) = tokens(&app).await;
    let made = google_attachment(&app, &acme, false).await;
    assert_eq!((made["preActivated"].as_bool(), made["awaitingActivation"].as_bool()), (Some(false), Some(false)));
    let pairing_key = made["key"].as_str().unwrap().to_owned();
    let attachment = pairing_key.split('/').next().unwrap().to_owned();
    let activate = format!("/api/v1/clouds/google/attachments/{attachment}/activate");
    // Nothing to activate before Lightpath has built a connection over it.
    let early = json_of(call(&app, Method::POST, &activate, &acme, None).await, StatusCode::CONFLICT).await;
    assert!(early["detail"].as_str().unwrap().contains("No connection uses this attachment yet"), "{early}");

    let google = json!({ "pairing_key": pairing_key });
    let placed =
        order(&app, &acme, &configuration("gcp-us-central1", "1G"), &google, "google-pending-0000000001").await;
    let placed = json_of(placed, StatusCode::CREATED).await;
    let waiting = service_of(&app, &acme, placed["summary"]["id"].as_str().unwrap()).await;
    let id = waiting["summary"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (waiting["summary"]["state"].as_str(), waiting["cloud"]["state"].as_str()),
        (Some("inactive"), Some("awaiting-acceptance"))
    );
    assert_eq!(waiting["cloud"]["cloudStateName"], "PENDING_CUSTOMER");
    assert!(waiting["cloud"]["acceptByMs"].as_i64().is_some());
    assert_eq!(waiting["rates"], json!([]), "nothing billed while waiting");

    // The owner's console lists it as waiting; another organisation cannot activate it, and a
    // key that names no attachment is not found.
    let keys = json_of(call(&app, Method::GET, "/api/v1/clouds/keys", &acme, None).await, StatusCode::OK).await;
    let listed = keys.as_array().unwrap().iter().find(|key| key["key"] == pairing_key.as_str()).cloned().unwrap();
    assert_eq!((listed["inUse"].as_bool(), listed["awaitingActivation"].as_bool()), (Some(true), Some(true)));
    assert_eq!(call(&app, Method::POST, &activate, &globex, None).await.status(), 404);
    let nonsense = "/api/v1/clouds/google/attachments/not-a-key/activate";
    assert_eq!(call(&app, Method::POST, nonsense, &acme, None).await.status(), 404);

    // Activated (by the whole pairing key's first part, in capitals too): active, ACTIVE and
    // billed from now; a second activation is refused saying the state it is in.
    let upper = format!("/api/v1/clouds/google/attachments/{}/activate", attachment.to_uppercase());
    let activated = json_of(call(&app, Method::POST, &upper, &acme, None).await, StatusCode::OK).await;
    assert_eq!(
        (activated["key"].as_str(), activated["awaitingActivation"].as_bool()),
        (Some(&*pairing_key), Some(false))
    );
    let active = service(&app, &acme, &id).await;
    assert_eq!(
        (active["summary"]["state"].as_str(), active["cloud"]["state"].as_str()),
        (Some("active"), Some("active"))
    );
    assert_eq!(active["cloud"]["cloudStateName"], "ACTIVE");
    assert_eq!(active["rates"].as_array().map(Vec::len), Some(1), "billed from activation");
    let again = json_of(call(&app, Method::POST, &activate, &acme, None).await, StatusCode::CONFLICT).await;
    assert!(again["detail"].as_str().unwrap().contains("This attachment is ACTIVE"), "{again}");
    let href = format!("/api/v1/orders/{}", placed["summary"]["id"].as_str().unwrap());
    let timeline = json_of(call(&app, Method::GET, &href, &acme, None).await, StatusCode::OK).await;
    assert!(timeline.to_string().contains("Activated in Google Cloud"), "{timeline}");
    // Its key stays taken by the connection built with it.
    let reused =
        order(&app, &acme, &configuration("gcp-us-central1", "1G"), &google, "google-pending-0000000003").await;
    assert_eq!(reused.status(), StatusCode::CONFLICT);

    // A pre-activated attachment (the default) carries traffic as soon as it is built.
    let made = google_attachment(&app, &acme, true).await;
    let google = json!({ "pairing_key": made["key"] });
    let placed =
        order(&app, &acme, &configuration("gcp-us-central1", "1G"), &google, "google-pending-0000000002").await;
    let placed = json_of(placed, StatusCode::CREATED).await;
    let running = service_of(&app, &acme, placed["summary"]["id"].as_str().unwrap()).await;
    assert_eq!(
        (running["summary"]["state"].as_str(), running["cloud"]["cloudStateName"].as_str()),
        (Some("active"), Some("ACTIVE"))
    );
}

#[tokio::test]
async fn every_bad_value_is_refused_by_its_field_and_a_used_key_is_a_conflict() {
    let app = spawn_app().await;
    app.network_at_speed("1000").await;
    let (acme, globex) = tokens(&app).await;

    let spoilt = [
        (json!({ "aws_account": "12345678901" }), "aws_account"),
        (json!({ "vlan": "4095" }), "vlan"),
        (json!({ "bgp_key": "abcde" }), "bgp_key"),
        (json!({ "customer_asn": "64500" }), "customer_asn"),
        (json!({ "mtu": "9000" }), "mtu"),
    ];
    for (index, (change, field)) in spoilt.into_iter().enumerate() {
        let mut cloud = aws("0");
        for (name, value) in change.as_object().unwrap() {
            cloud[name] = value.clone();
        }
        let key = format!("bad-aws-order-{index:010}");
        let refused = json_of(
            order(&app, &acme, &configuration("aws-us-east-1", "1G"), &cloud, &key).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(field_of(&refused), [field], "{refused}");
    }
    // A cloud connection needs its details; a wrong-region pairing key is refused by field.
    let config = configuration("aws-us-east-1", "1G");
    let offer =
        json_of(call(&app, Method::POST, "/api/v1/offers", &acme, Some(config.clone())).await, StatusCode::OK).await;
    let bare = json!({ "configuration": config, "totals": offer["totals"] });
    let bare = call_with_key(&app, Method::POST, "/api/v1/orders", &acme, "bare-cloud-order-000001", Some(bare)).await;
    assert_eq!(field_of(&json_of(bare, StatusCode::UNPROCESSABLE_ENTITY).await), ["cloud"]);
    let wrong_region = json!({ "pairing_key": "7e51371e-72a3-40b5-b844-2e3efefaee59/us-west1/1" });
    let refused =
        order(&app, &acme, &configuration("gcp-us-east4", "1G"), &wrong_region, "google-order-0000000001").await;
    assert_eq!(field_of(&json_of(refused, StatusCode::UNPROCESSABLE_ENTITY).await), ["pairing_key"]);

    // An Azure circuit's key connects once, and only for its organisation.
    let circuit = json!({ "on_ramp": "azure-east-us", "bandwidth_mbps": 1000 });
    let circuit = json_of(
        call(&app, Method::POST, "/api/v1/clouds/azure/circuits", &acme, Some(circuit)).await,
        StatusCode::CREATED,
    )
    .await;
    let azure = json!({
        "service_key": circuit["key"], "azure_port": "primary", "customer_asn": "65010",
        "customer_address": "192.168.100.1/30", "cloud_address": "192.168.100.2/30"
    });
    let config = configuration("azure-east-us", "1G");
    let stolen = json_of(
        order(&app, &globex, &config, &azure, "azure-order-0000000001").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(field_of(&stolen), ["service_key"], "another organisation's key is not found");
    let over = json_of(
        order(&app, &acme, &configuration("azure-east-us", "2G"), &azure, "azure-order-0000000002").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(field_of(&over), ["bandwidth"], "more than the circuit has");
    let placed =
        json_of(order(&app, &acme, &config, &azure, "azure-order-0000000003").await, StatusCode::CREATED).await;
    let reused =
        json_of(order(&app, &acme, &config, &azure, "azure-order-0000000004").await, StatusCode::CONFLICT).await;
    assert!(reused["detail"].as_str().unwrap().contains("already used by another cloud connection"), "{reused}");
    // Azure connects without an acceptance step: active once built, on the port's own VLANs.
    let active = service_of(&app, &acme, placed["summary"]["id"].as_str().unwrap()).await;
    assert_eq!(
        (active["summary"]["state"].as_str(), active["cloud"]["cloudStateName"].as_str()),
        (Some("active"), Some("Provisioned"))
    );
    assert_eq!(
        (active["cloud"]["interface"].as_str(), active["cloud"]["bgp"]["cloudAsn"].as_u64()),
        (Some("azure-east-us/primary"), Some(12076))
    );
    // It may change bandwidth, but never past its 1 Gbps circuit.
    let choices: Vec<u64> =
        active["bandwidth_choices"].as_array().unwrap().iter().filter_map(|choice| choice["mbps"].as_u64()).collect();
    assert!(choices.contains(&500) && choices.iter().all(|mbps| *mbps <= 1_000), "{choices:?}");
}

#[tokio::test]
async fn two_hundred_concurrent_orders_for_one_vlan_place_exactly_one_and_automatic_picks_never_collide() {
    let app = std::sync::Arc::new(spawn_app().await);
    app.network_at_speed("1").await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let acme = token(&app, &ada, "Acme cloud", "full").await;
    let config = configuration("aws-us-west-2", "50M");
    let offer =
        json_of(call(&app, Method::POST, "/api/v1/offers", &acme, Some(config.clone())).await, StatusCode::OK).await;
    let attempt = |n: usize, vlan: &str| {
        let (app, acme) = (app.clone(), acme.clone());
        let body = json!({ "configuration": config, "totals": offer["totals"], "cloud": aws(vlan) });
        tokio::spawn(async move {
            let key = format!("vlan-race-order-{n:08}");
            call_with_key(&app, Method::POST, "/api/v1/orders", &acme, &key, Some(body)).await.status()
        })
    };
    let racing: Vec<_> = (0..200).map(|n| attempt(n, "100")).collect();
    let mut statuses = Vec::new();
    for one in racing {
        statuses.push(one.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|status| **status == StatusCode::CREATED).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|status| **status == StatusCode::CONFLICT).count(), 199);

    let picking: Vec<_> = (200..240).map(|n| attempt(n, "0")).collect();
    for one in picking {
        assert_eq!(one.await.unwrap(), StatusCode::CREATED);
    }
    let store = app.store().await;
    let used = store.vlans_in_use("aws-us-west-2").await.unwrap();
    assert_eq!(used.len(), 41, "one VLAN per placed order, none shared");
    assert!(used.iter().any(|vlan| vlan.id() == 100));
}

#[tokio::test]
async fn a_cancelled_order_gives_back_its_vlan_and_its_key() {
    let app = spawn_app().await;
    // Steps take minutes: the order is cancelled before its connection is built.
    app.network_at_speed("1").await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let acme = token(&app, &ada, "Acme cloud", "full").await;
    let circuit = json!({ "on_ramp": "azure-east-us", "bandwidth_mbps": 1000 });
    let circuit = json_of(
        call(&app, Method::POST, "/api/v1/clouds/azure/circuits", &acme, Some(circuit)).await,
        StatusCode::CREATED,
    )
    .await;
    let key = circuit["key"].as_str().unwrap().to_owned();
    let azure = json!({
        "vlan": "500", "service_key": key, "azure_port": "secondary", "customer_asn": "65010",
        "customer_address": "192.168.100.1/30", "cloud_address": "192.168.100.2/30"
    });
    let placed = order(&app, &acme, &configuration("azure-east-us", "1G"), &azure, "azure-cancel-0000000001").await;
    let id = json_of(placed, StatusCode::CREATED).await["summary"]["id"].as_str().unwrap().to_owned();
    let check = "/api/v1/clouds/vlans?on_ramp=azure-east-us&port=secondary&vlan=500";
    assert_eq!(json_of(call(&app, Method::GET, check, &acme, None).await, StatusCode::OK).await["available"], false);
    let circuit_path = format!("/api/v1/clouds/azure/circuits/{key}");
    assert_eq!(json_of(call(&app, Method::GET, &circuit_path, &acme, None).await, StatusCode::OK).await["inUse"], true);

    let cancel = call(&app, Method::POST, &format!("/api/v1/orders/{id}/cancel"), &acme, None).await;
    assert_eq!(cancel.status(), StatusCode::ACCEPTED);
    let href = format!("/api/v1/orders/{id}");
    eventually("the cancellation", async || {
        let record = json_of(call(&app, Method::GET, &href, &acme, None).await, StatusCode::OK).await;
        (record["summary"]["state"] == "cancelled").then_some(())
    })
    .await;
    assert_eq!(json_of(call(&app, Method::GET, check, &acme, None).await, StatusCode::OK).await["available"], true);
    let circuit = json_of(call(&app, Method::GET, &circuit_path, &acme, None).await, StatusCode::OK).await;
    assert_eq!(circuit["inUse"], false, "the key can be ordered with again");
}

#[tokio::test]
async fn a_vlan_change_keeps_the_connection_and_frees_the_old_vlan() {
    let app = spawn_app().await;
    app.network_at_speed("1000").await;
    let (acme, globex) = tokens(&app).await;
    let first = order(&app, &acme, &configuration("aws-us-east-1", "1G"), &aws("500"), "vlan-change-0000000001").await;
    let first = json_of(first, StatusCode::CREATED).await;
    let first = service_of(&app, &acme, first["summary"]["id"].as_str().unwrap()).await;
    let second = order(&app, &acme, &configuration("aws-us-east-1", "1G"), &aws("501"), "vlan-change-0000000002").await;
    let second = json_of(second, StatusCode::CREATED).await;
    service_of(&app, &acme, second["summary"]["id"].as_str().unwrap()).await;
    let id = first["summary"]["id"].as_str().unwrap();
    let path = format!("/api/v1/services/{id}/vlan");

    let moved =
        json_of(call(&app, Method::PUT, &path, &acme, Some(json!({ "vlan": "600" }))).await, StatusCode::OK).await;
    assert_eq!(moved["vlan"], 600);
    assert_eq!(moved["connectionId"], first["cloud"]["connectionId"], "the same hosted connection");
    assert_eq!(moved["bgp"]["customerAddress"], first["cloud"]["bgp"]["customerAddress"]);
    let free = |vlan: u16| format!("/api/v1/clouds/vlans?on_ramp=aws-us-east-1&vlan={vlan}");
    let available = |body: Value| body["available"].as_bool().unwrap();
    assert!(available(json_of(call(&app, Method::GET, &free(500), &acme, None).await, StatusCode::OK).await));
    assert!(!available(json_of(call(&app, Method::GET, &free(600), &acme, None).await, StatusCode::OK).await));
    assert_eq!(service(&app, &acme, id).await["cloud"]["vlan"], 600);

    // Another connection's VLAN is a conflict naming it, and nothing moves; "pick one" and
    // nonsense are refused by field; another organisation does not find the service.
    let taken = call(&app, Method::PUT, &path, &acme, Some(json!({ "vlan": "501" }))).await;
    let taken = json_of(taken, StatusCode::CONFLICT).await;
    assert!(taken["detail"].as_str().unwrap().contains("VLAN 501 is already in use on aws-us-east-1"), "{taken}");
    assert_eq!(service(&app, &acme, id).await["cloud"]["vlan"], 600);
    for bad in ["0", "4095", "ten"] {
        let refused = call(&app, Method::PUT, &path, &acme, Some(json!({ "vlan": bad }))).await;
        assert_eq!(field_of(&json_of(refused, StatusCode::UNPROCESSABLE_ENTITY).await), ["vlan"], "{bad}");
    }
    assert_eq!(call(&app, Method::PUT, &path, &globex, Some(json!({ "vlan": "700" }))).await.status(), 404);
}
