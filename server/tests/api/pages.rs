//! Server-rendered pages: what a browser (or a crawler) gets before any JavaScript runs.

use crate::helpers::{spawn_app, SEEDED_PRODUCTS};

async fn page(app: &crate::helpers::TestApp, path: &str) -> (u16, String) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn home_says_what_lightpath_does() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Connect your AI"), "{html}");
    assert!(html.contains("/catalog?stage=training"));
    assert!(html.contains("/pkg/lightpath.js"), "the hydration script is linked");
}

#[tokio::test]
async fn the_catalog_renders_every_product_on_the_server() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/catalog").await;
    assert_eq!(status, 200);
    for name in SEEDED_PRODUCTS {
        assert!(html.contains(name), "{name} missing");
    }
    assert!(html.contains("$315.00"), "Internet on Demand starting price");
}

#[tokio::test]
async fn a_product_page_shows_its_prices() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/products/dark-fiber").await;
    assert_eq!(status, 200);
    // (Erased views close a text child with a `<!>` marker: `<h1>Dark Fiber<!></h1>`.)
    assert!(html.contains("<h1>Dark Fiber<"), "{html}");
    assert!(html.contains("$300.00"), "metro pair-mile price at 36 months");
    assert!(html.contains("per route-mile"));
}

#[tokio::test]
async fn unknown_pages_and_products_answer_404() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/no-such-page").await;
    assert_eq!(status, 404);
    assert!(html.contains("We couldn’t find that page"));
    let (status, html) = page(&app, "/products/teleportation").await;
    assert_eq!(status, 404);
    assert!(html.contains("No product is called “teleportation”"), "{html}");
}

#[tokio::test]
async fn the_network_page_lists_sites_and_spans() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/network").await;
    assert_eq!(status, 200);
    assert!(html.contains("Equinix NY5 Secaucus"));
    assert!(html.contains("Google Cloud us-east4"));
    assert!(html.contains("New York – Boston"));
}

#[tokio::test]
async fn the_route_server_function_answers_and_refuses_in_words() {
    let app = spawn_app().await;
    let post = |body: &'static str| {
        app.client
            .post(format!("{}/api/route", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let response = post("from=chi&to=dfw&rate=400G&diverse=yes").await.unwrap();
    assert_eq!(response.status(), 200);
    let answer: serde_json::Value = response.json().await.unwrap();
    assert_eq!(answer["rate"], "400 Gbps");
    assert_eq!(answer["primary"]["sites"][0], "chi");
    let (primary, twin) = (answer["primary"]["spans"].as_array().unwrap(), answer["twin"]["spans"].as_array().unwrap());
    assert!(primary.iter().all(|span| !twin.contains(span)), "{answer}");

    let refused = post("from=chi&to=dfw&rate=7G").await.unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("No connection is sold at “7G”. Choose one of 50M, 1G, 10G, 100G, 400G."));
    let unknown = post("from=chi&to=atlantis&rate=1G").await.unwrap();
    assert_eq!(unknown.status(), 422);
    assert!(unknown.text().await.unwrap().contains("atlantis"));
}
