//! The read-only REST API over the seeded catalog and network.

use crate::helpers::{spawn_app, spawn_on, TestDatabase, SEEDED_PRODUCTS};
use serde_json::Value;

#[tokio::test]
async fn lists_the_eight_products_with_starting_prices() {
    let app = spawn_app().await;
    let products = app.get_json("/api/v1/products").await;
    let products = products.as_array().unwrap();
    let names: Vec<&str> = products.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, SEEDED_PRODUCTS);
    for product in products {
        assert!(product["starting_price"]["amount"].as_i64().unwrap() > 0, "{}", product["name"]);
        assert!(!product["options"].as_array().unwrap().is_empty());
    }
    // Internet on Demand from $450 × (1 − 30 %) = $315.00 at 60 months.
    assert_eq!(products[0]["starting_price"]["amount"], 31_500);
    assert_eq!(products[0]["starting_price"]["term"], 60);
}

#[tokio::test]
async fn a_product_comes_with_its_price_lines_in_cents() {
    let app = spawn_app().await;
    let product = app.get_json("/api/v1/products/internet-on-demand").await;
    assert_eq!(product["currency"], "USD");
    assert_eq!(product["price_book_version"], 1);
    let prices = product["prices"].as_array().unwrap();
    let hourly_1g =
        prices.iter().find(|line| line["option"] == "1G" && line["charge"] == "hourly").expect("1G hourly price");
    assert_eq!(hourly_1g["amount"], 355);
    assert_eq!(hourly_1g["terms"], serde_json::json!([0]));
    assert_eq!(product["term_adjustments"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn an_unknown_product_is_a_404_with_a_message() {
    let app = spawn_app().await;
    for id in ["teleportation", "Not%20A%20Slug"] {
        let response = app.get(&format!("/api/v1/products/{id}")).await;
        assert_eq!(response.status(), 404, "{id}");
        let body: Value = response.json().await.unwrap();
        assert!(body["detail"].as_str().unwrap().contains("GET /api/v1/products"), "{body}");
        assert_eq!(body["status"], 404, "an RFC 9457 problem: {body}");
    }
}

#[tokio::test]
async fn the_network_is_seeded() {
    let app = spawn_app().await;
    let sites = app.get_json("/api/v1/sites").await;
    let sites = sites.as_array().unwrap();
    let count = |kind: &str| sites.iter().filter(|s| s["kind"] == kind).count();
    assert_eq!(count("metro"), 16);
    assert!(count("data-center") >= 60, "{} data centres", count("data-center"));
    assert!(count("cloud-on-ramp") >= 12);
    let ashburn = sites.iter().find(|s| s["id"] == "ash").unwrap();
    assert!((ashburn["location"]["lat"].as_f64().unwrap() - 39.04).abs() < 0.01);
    let spans = app.get_json("/api/v1/spans").await;
    let spans = spans.as_array().unwrap();
    assert!(spans.len() >= 24);
    assert!(spans.iter().all(|s| s["route_km"].as_u64().unwrap() > 0 && s["wavelengths"].as_u64().unwrap() > 0));
}

#[tokio::test]
async fn seeding_is_idempotent_across_restarts_and_concurrent_starts() {
    let database = TestDatabase::create().await;
    // Three servers start on one empty database at once, then a fourth restarts on it.
    let (a, b, c) = tokio::join!(spawn_on(&database), spawn_on(&database), spawn_on(&database));
    let d = spawn_on(&database).await;
    let client = reqwest::Client::new();
    for address in [a, b, c, d] {
        let products: Value =
            client.get(format!("{address}/api/v1/products")).send().await.unwrap().json().await.unwrap();
        assert_eq!(products.as_array().unwrap().len(), 10);
        let sites: Value = client.get(format!("{address}/api/v1/sites")).send().await.unwrap().json().await.unwrap();
        let metros = sites.as_array().unwrap().iter().filter(|s| s["kind"] == "metro").count();
        assert_eq!(metros, 16);
        let product: Value =
            client.get(format!("{address}/api/v1/products/ip-vpn")).send().await.unwrap().json().await.unwrap();
        assert_eq!(product["prices"].as_array().unwrap().len(), 12, "price lines are not duplicated");
    }
}

#[tokio::test]
async fn routes_are_planned_around_full_spans_and_refusals_are_422() {
    let app = spawn_app().await;
    let route = app.get_json("/api/v1/routes?from=nyc&to=bos&rate=400G").await;
    assert_eq!(route["primary"]["spans"], serde_json::json!(["nyc-bos"]));
    assert_eq!(route["primary"]["route_km"], 390);
    assert!(route["twin"].is_null());
    let pair = app.get_json("/api/v1/routes?from=nyc-dc-1&to=lax-dc-1&rate=100G&diverse=true").await;
    let (primary, twin) = (pair["primary"]["spans"].as_array().unwrap(), pair["twin"]["spans"].as_array().unwrap());
    assert!(primary.iter().all(|span| !twin.contains(span)), "{pair}");
    assert_eq!(pair["rate"], 100_000);
    for (query, says) in [
        ("from=nyc&to=nyc&rate=1G", "Both ends are New York."),
        ("from=nyc&to=bos&rate=3G", "No connection is sold at “3G”."),
        ("from=nyc&to=moon&rate=1G", "There is no site “moon” on the network."),
    ] {
        let response = app.get(&format!("/api/v1/routes?{query}")).await;
        assert_eq!(response.status(), 422, "{query}");
        let body: Value = response.json().await.unwrap();
        assert!(body["detail"].as_str().unwrap().starts_with(says), "{body}");
    }
}
