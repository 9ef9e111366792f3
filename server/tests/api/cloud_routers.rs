//! A cloud router joining two clouds, over REST against the real server and database: it is
//! ordered like any product, AWS and Google connections attach to it, it learns both regions'
//! prefixes once each session is up, and a deny line in an attachment's filter removes one.

use crate::cloud_connections::{field_of, service_of, tokens};
use crate::helpers::spawn_app;
use crate::public_api::{call, call_with_key, json_of};
use lightpath_app::model::services::ServicePage;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn configuration(product: &str, option: &str, a_end: &str, z_end: Option<&str>) -> Value {
    json!({
        "product": product, "option": option, "term": 12,
        "a_end": a_end, "z_end": z_end, "diverse": false, "amounts": [], "count": 1
    })
}

/// Prices the configuration, then orders it with `extra` (`cloud` or `cloud_router`).
async fn order(
    app: &crate::helpers::TestApp,
    token: &str,
    config: Value,
    extra: Value,
    key: &str,
) -> reqwest::Response {
    let offer =
        json_of(call(app, Method::POST, "/api/v1/offers", token, Some(config.clone())).await, StatusCode::OK).await;
    let mut body = json!({ "configuration": config, "totals": offer["totals"] });
    for (name, value) in extra.as_object().unwrap() {
        body[name] = value.clone();
    }
    call_with_key(app, Method::POST, "/api/v1/orders", token, key, Some(body)).await
}

#[tokio::test]
async fn a_cloud_router_joining_aws_and_google_learns_both_regions_and_a_deny_line_removes_one() {
    let app = spawn_app().await;
    app.network_at_speed("1000").await;
    let (acme, globex) = tokens(&app).await;

    // A router at an on-ramp, or with a documentation ASN, is refused by its field.
    let at_on_ramp = order(
        &app,
        &acme,
        configuration("cloud-router", "1G", "aws-us-east-1", None),
        json!({}),
        "router-order-000000000000",
    )
    .await;
    assert_eq!(field_of(&json_of(at_on_ramp, StatusCode::UNPROCESSABLE_ENTITY).await), ["a_end"]);
    let bad_asn = order(
        &app,
        &acme,
        configuration("cloud-router", "1G", "chi-dc-1", None),
        json!({ "cloud_router": { "asn": "64500" } }),
        "router-order-000000000001",
    )
    .await;
    assert_eq!(field_of(&json_of(bad_asn, StatusCode::UNPROCESSABLE_ENTITY).await), ["asn"]);

    let placed = order(
        &app,
        &acme,
        configuration("cloud-router", "2G", "chi-dc-1", None),
        json!({ "cloud_router": { "asn": "65100" } }),
        "router-order-000000000002",
    )
    .await;
    let placed = json_of(placed, StatusCode::CREATED).await;
    let router = service_of(&app, &acme, placed["summary"]["id"].as_str().unwrap()).await;
    let router_id = router["summary"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (router["router"]["asn"].as_u64(), router["router"]["rateLimitMbps"].as_u64()),
        (Some(65_100), Some(2_000))
    );
    assert_eq!((router["router"]["attachments"].clone(), router["router"]["routes"].clone()), (json!([]), json!([])));
    assert_eq!(router["summary"]["state"], "active");

    // Another organisation cannot attach to it, nor read it; a connection from elsewhere or
    // with another customer ASN is refused by its field.
    let aws = |router: &str, asn: &str| {
        json!({ "cloud": {
            "aws_account": "123456789012", "virtual_interface": "private", "customer_asn": asn,
            "customer_address": "169.254.20.1/30", "cloud_address": "169.254.20.2/30", "router": router
        }})
    };
    let aws_config = configuration("cloud-connection", "1G", "chi-dc-1", Some("aws-us-east-1"));
    let theirs = order(&app, &globex, aws_config.clone(), aws(&router_id, ""), "router-attach-globex-0001").await;
    assert_eq!(field_of(&json_of(theirs, StatusCode::UNPROCESSABLE_ENTITY).await), ["router"]);
    assert_eq!(call(&app, Method::GET, &format!("/api/v1/services/{router_id}"), &globex, None).await.status(), 404);
    let elsewhere = configuration("cloud-connection", "1G", "chi-dc-2", Some("aws-us-east-1"));
    let elsewhere = order(&app, &acme, elsewhere, aws(&router_id, ""), "router-attach-acme-000001").await;
    assert_eq!(field_of(&json_of(elsewhere, StatusCode::UNPROCESSABLE_ENTITY).await), ["a_end"]);
    let other_asn = order(&app, &acme, aws_config.clone(), aws(&router_id, "65001"), "router-attach-acme-000002").await;
    assert_eq!(field_of(&json_of(other_asn, StatusCode::UNPROCESSABLE_ENTITY).await), ["customer_asn"]);

    // AWS and Google attach; the router's ASN is their customer side.
    let placed = order(&app, &acme, aws_config, aws(&router_id, ""), "router-attach-acme-000003").await;
    let placed = json_of(placed, StatusCode::CREATED).await;
    let aws_service = service_of(&app, &acme, placed["summary"]["id"].as_str().unwrap()).await;
    assert_eq!(aws_service["cloud"]["router"].as_str(), Some(router_id.as_str()));
    assert_eq!(aws_service["cloud"]["bgp"]["customerAsn"], 65_100);
    let attachment = json!({ "on_ramp": "gcp-us-central1", "domain": 1 });
    let made = call(&app, Method::POST, "/api/v1/clouds/google/attachments", &acme, Some(attachment)).await;
    let pairing_key = json_of(made, StatusCode::CREATED).await["key"].as_str().unwrap().to_owned();
    let google_config = configuration("cloud-connection", "1G", "chi-dc-1", Some("gcp-us-central1"));
    let google = json!({ "cloud": { "pairing_key": pairing_key, "router": router_id } });
    let placed = order(&app, &acme, google_config, google, "router-attach-acme-000004").await;
    let placed = json_of(placed, StatusCode::CREATED).await;
    let google_service = service_of(&app, &acme, placed["summary"]["id"].as_str().unwrap()).await;
    let google_id = google_service["summary"]["id"].as_str().unwrap().to_owned();

    // Until AWS accepts its side, only Google's routes are learned.
    let path = format!("/api/v1/services/{router_id}");
    let router = json_of(call(&app, Method::GET, &path, &acme, None).await, StatusCode::OK).await;
    let routes = |router: &Value| -> Vec<(String, String)> {
        router["router"]["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|route| (route["prefix"].as_str().unwrap().to_owned(), route["via"].as_str().unwrap().to_owned()))
            .collect()
    };
    assert_eq!(router["router"]["attachments"].as_array().map(Vec::len), Some(2));
    assert_eq!(router["router"]["attachments"][0]["state"], "awaiting-acceptance");
    assert_eq!(routes(&router).len(), 2);
    assert!(routes(&router).iter().all(|(prefix, via)| prefix.starts_with("34.") && via.starts_with("Google Cloud")));

    let dxcon = aws_service["cloud"]["connectionId"].as_str().unwrap();
    let accept = format!("/api/v1/clouds/aws/connections/{dxcon}/accept");
    assert_eq!(call(&app, Method::POST, &accept, &acme, None).await.status(), 200);
    let router = json_of(call(&app, Method::GET, &path, &acme, None).await, StatusCode::OK).await;
    let learned = routes(&router);
    assert_eq!(learned.len(), 4, "both regions' prefixes: {learned:?}");
    let regions = json_of(call(&app, Method::GET, "/api/v1/clouds/regions", &acme, None).await, StatusCode::OK).await;
    let announced = |on_ramp: &str| -> Vec<String> {
        let region = regions.as_array().unwrap().iter().find(|region| region["onRamp"] == on_ramp).unwrap();
        region["prefixes"].as_array().unwrap().iter().map(|prefix| prefix.as_str().unwrap().to_owned()).collect()
    };
    let mut expected: Vec<String> = [announced("aws-us-east-1"), announced("gcp-us-central1")].concat();
    expected.sort();
    assert_eq!(learned.iter().map(|(prefix, _)| prefix.clone()).collect::<Vec<_>>(), expected);

    // A deny line on the Google attachment removes one of its prefixes, and only that one.
    let denied = announced("gcp-us-central1")[0].clone();
    let filter_path = format!("/api/v1/services/{router_id}/attachments/{google_id}/filter");
    let filter = json!({ "lines": [format!("deny {denied}"), "permit 0.0.0.0/0 le 32"] });
    let filtered =
        json_of(call(&app, Method::PUT, &filter_path, &acme, Some(filter.clone())).await, StatusCode::OK).await;
    let learned = routes(&json!({ "router": filtered }));
    assert_eq!(learned.len(), 3);
    assert!(!learned.iter().any(|(prefix, _)| *prefix == denied));
    let google_view = filtered["attachments"].as_array().unwrap().iter().find(|a| a["serviceId"] == google_id.as_str());
    assert_eq!(google_view.unwrap()["filter"], json!([format!("deny {denied}"), "permit 0.0.0.0/0 le 32"]));
    // It holds when read back.
    let router = json_of(call(&app, Method::GET, &path, &acme, None).await, StatusCode::OK).await;
    assert_eq!(routes(&router).len(), 3);
    // The portal's page draws the route table on the server and hands its form each attached
    // connection's filter, one line a rule.
    let ada = app.sign_in("ada@acme.example", crate::helpers::DEMO_PASSWORD).await;
    let portal: ServicePage =
        app.post_form("/api/service", &[("id", router_id.as_str())], Some(&ada)).await.json().await.unwrap();
    let panel = portal.router_panel.expect("a cloud router's page has its panel");
    assert_eq!(panel.tail_html.matches("<tr>").count(), 1 + 3, "{}", panel.tail_html);
    assert!(!panel.tail_html.contains(&denied), "{}", panel.tail_html);
    let google_form = panel.attachments.iter().find(|attachment| attachment.service_id == google_id).unwrap();
    assert_eq!(google_form.filter, format!("deny {denied}\npermit 0.0.0.0/0 le 32"));
    assert!(google_form.status.contains("BGP established"), "{}", google_form.status);
    assert_eq!(portal.cloud_panel, None);

    // A bad line is refused naming it, and the filter stays as it was; another organisation's
    // caller, a connection not attached to this router, a control character and a huge list
    // are refused too.
    let bad = json!({ "lines": ["deny 34.0.0.0/8 ge 4"] });
    let refused =
        json_of(call(&app, Method::PUT, &filter_path, &acme, Some(bad)).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(field_of(&refused), ["lines"]);
    assert!(refused.to_string().contains("ge must be longer"), "{refused}");
    assert_eq!(routes(&json_of(call(&app, Method::GET, &path, &acme, None).await, StatusCode::OK).await).len(), 3);
    assert_eq!(call(&app, Method::PUT, &filter_path, &globex, Some(filter.clone())).await.status(), 404);
    let unattached = format!("/api/v1/services/{router_id}/attachments/{router_id}/filter");
    assert_eq!(call(&app, Method::PUT, &unattached, &acme, Some(filter)).await.status(), 404);
    let control = json!({ "lines": ["permit 0.0.0.0/0\u{0} le 32"] });
    assert_eq!(call(&app, Method::PUT, &filter_path, &acme, Some(control)).await.status(), 422);
    let huge = json!({ "lines": vec!["permit 10.0.0.0/8"; 101] });
    assert_eq!(call(&app, Method::PUT, &filter_path, &acme, Some(huge)).await.status(), 422);

    // Emptying the filter brings everything back.
    let cleared = json!({ "lines": [] });
    let cleared = json_of(call(&app, Method::PUT, &filter_path, &acme, Some(cleared)).await, StatusCode::OK).await;
    assert_eq!(cleared["routes"].as_array().map(Vec::len), Some(4));

    // The buyer's routers as the configurator lists them (one query for all) agree with the
    // router's own record, attachments counted.
    let store = app.store().await;
    let id = lightpath_domain::account::Id::parse(&router_id).unwrap();
    let record = store.cloud_router(&id).await.unwrap().expect("the router's record");
    assert_eq!(record.live_attachments, 2);
    assert_eq!(store.active_cloud_routers(&record.organisation).await.unwrap(), [record]);

    // A router that still joins connections is not disconnected.
    let disconnect = call_with_key(&app, Method::DELETE, &path, &acme, "router-disconnect-000001", None).await;
    let refused = json_of(disconnect, StatusCode::CONFLICT).await;
    assert!(refused["detail"].as_str().unwrap().contains("disconnect them first"), "{refused}");
}

#[tokio::test]
async fn a_two_cloud_design_recommends_a_router_and_connections_and_ordering_it_leaves_them_for_their_pages() {
    let app = spawn_app().await;
    app.network_at_speed("1000").await;
    let (acme, _) = tokens(&app).await;
    let mut draft = crate::helpers::inference_draft("Two clouds");
    draft["stages"] = json!(["multi-cloud"]);
    draft["multi_cloud"] =
        json!({ "on_ramps": ["aws-us-east-1", "gcp-us-central1"], "sites": ["chi-dc-1"], "bandwidth": "2G" });
    let recommended =
        json_of(call(&app, Method::POST, "/api/v1/recommendations", &acme, Some(draft.clone())).await, StatusCode::OK)
            .await;
    let better = &recommended["recommendation"]["bundles"][1];
    let products: Vec<&str> =
        better["items"].as_array().unwrap().iter().map(|item| item["spec"]["product"].as_str().unwrap()).collect();
    assert_eq!(
        products.iter().filter(|product| **product == "cloud-connection").count(),
        2,
        "one connection per cloud: {products:?}"
    );
    assert_eq!(products.iter().filter(|product| **product == "cloud-router").count(), 1, "{products:?}");
    let connection =
        better["items"].as_array().unwrap().iter().find(|item| item["spec"]["product"] == "cloud-connection");
    assert_eq!(connection.unwrap()["spec"]["option"], "2G", "sized to the stage's bandwidth");

    // One cloud only: connections, no router.
    let mut one_cloud = draft.clone();
    one_cloud["multi_cloud"]["on_ramps"] = json!(["aws-us-east-1", "aws-us-west-2"]);
    let recommended =
        json_of(call(&app, Method::POST, "/api/v1/recommendations", &acme, Some(one_cloud)).await, StatusCode::OK)
            .await;
    let items = recommended["recommendation"]["bundles"][1]["items"].as_array().unwrap().clone();
    assert!(!items.iter().any(|item| item["spec"]["product"] == "cloud-router"));

    // Ordering the design orders the rest, and its timeline names what was left for the
    // product pages (they need the clouds' details).
    let body = json!({ "draft": draft, "intent": "saved", "choice": { "tier": "better", "term": 12, "options": [] } });
    let design =
        json_of(call(&app, Method::POST, "/api/v1/designs", &acme, Some(body)).await, StatusCode::CREATED).await;
    let design = design["summary"]["id"].as_str().unwrap().to_owned();
    let placed = call_with_key(
        &app,
        Method::POST,
        "/api/v1/orders",
        &acme,
        "two-clouds-design-000001",
        Some(json!({ "design": design })),
    )
    .await;
    let placed = json_of(placed, StatusCode::CREATED).await;
    let ordered: Vec<&str> =
        placed["items"].as_array().unwrap().iter().map(|item| item["title"].as_str().unwrap()).collect();
    assert!(!ordered.is_empty() && !ordered.iter().any(|title| title.starts_with("Cloud ")), "{ordered:?}");
    assert!(
        placed.to_string().contains("Not in this order, as they need your clouds' details: Cloud Router"),
        "{placed}"
    );
    let monthly = placed["summary"]["totals"]["monthly"].as_i64().unwrap();
    let saved_monthly = better["totals"]["monthly"].as_i64().unwrap();
    assert!(monthly < saved_monthly, "the order's totals are those of what it holds: {monthly} < {saved_monthly}");
}
