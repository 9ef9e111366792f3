//! Growing the catalog from the portal: an admin adds a product with two options, prices them
//! in a draft (publishing is refused until every option is priced at every term), publishes,
//! and a buyer configures and orders it; the simulated network provisions it with the step
//! durations the admin gave. Everything is audited; bad input is refused beside its field.

use crate::helpers::{spawn_app, TestApp, DEMO_PASSWORD};
use lightpath_app::model::catalog::{CatalogView, ProductView};
use lightpath_app::model::orders::OrderPlaced;
use lightpath_domain::configure::{price, Configuration, Placement};
use lightpath_domain::order::OrderState;
use lightpath_domain::{ProductId, SiteId, Term};
use serde_json::{json, Value};

fn product_form<'a>(id: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("form[id]", id),
        ("form[name]", "GPU Fabric Interconnect"),
        ("form[tagline]", "800G links between GPU halls."),
        ("form[description]", "Dedicated 800G optical links between GPU halls in one metro."),
        ("form[billing]", "Monthly per link on a 12 or 36 month term."),
        ("form[stages][1]", "training"),
        ("form[terms][1]", "12"),
        ("form[terms][3]", "36"),
        ("form[ends]", "two"),
        ("form[lead_days]", "14"),
        ("form[configure_minutes]", "5"),
        ("form[activate_minutes]", "2"),
        ("form[test_minutes]", "7"),
        ("form[option_code]", "400G"),
        ("form[option_label]", "400 Gbps link"),
        ("form[option_bandwidth]", "400G"),
    ];
    for (key, value) in extra {
        form.retain(|(existing, _)| existing != key);
        form.push((key, value));
    }
    form
}

async fn add_line(app: &TestApp, admin: &str, option: &str, months: Option<&str>, amount: &str) -> reqwest::Response {
    let mut form = vec![
        ("line[version]", "2"),
        ("line[product]", "gpu-fabric"),
        ("line[option]", option),
        ("line[label]", "Link"),
        ("line[charge]", "monthly-recurring"),
        ("line[unit]", "service"),
        ("line[amount]", amount),
    ];
    if let Some(months) = months {
        form.push(("line[terms][2]", months));
    }
    app.post_form("/api/admin/add-price-line", &form, Some(admin)).await
}

#[tokio::test]
async fn an_admin_adds_a_product_prices_it_in_a_draft_publishes_and_a_buyer_orders_it() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;

    // Bad input is refused beside its field, and nothing is added.
    let bad =
        product_form("GPU Fabric", &[("form[name]", " "), ("form[ends]", "three"), ("form[test_minutes]", "soon")]);
    let refused = app.post_form("/api/admin/add-product", &bad, Some(&admin)).await;
    assert_eq!(refused.status(), 422);
    let problems: Value = refused.json().await.unwrap();
    for field in ["\"id\"", "\"name\"", "\"ends\"", "\"test_minutes\""] {
        assert!(problems.to_string().contains(field), "{field}: {problems}");
    }
    assert_eq!(
        app.post_form("/api/admin/add-product", &product_form("gpu-fabric", &[]), Some(&grace)).await.status(),
        403
    );

    let added = app.post_form("/api/admin/add-product", &product_form("gpu-fabric", &[]), Some(&admin)).await;
    assert_eq!(added.status(), 200, "{}", added.text().await.unwrap());
    let again = app.post_form("/api/admin/add-product", &product_form("gpu-fabric", &[]), Some(&admin)).await;
    assert_eq!(again.status(), 422, "the id is taken");
    let option = [
        ("product", "gpu-fabric"),
        ("option_code", "800G"),
        ("option_label", "800 Gbps link"),
        ("option_bandwidth", "800G"),
    ];
    assert_eq!(app.post_form("/api/admin/add-option", &option, Some(&admin)).await.status(), 200);
    assert_eq!(app.post_form("/api/admin/add-option", &option, Some(&admin)).await.status(), 422, "the code is taken");
    let control =
        [("product", "gpu-fabric"), ("option_code", "1T"), ("option_label", "bad\u{7}"), ("option_bandwidth", "")];
    assert_eq!(app.post_form("/api/admin/add-option", &control, Some(&admin)).await.status(), 422);

    // Unpriced, it is not in the catalog, and cannot be sold for nothing.
    let catalog: CatalogView = app.post_form("/api/catalog", &[], None).await.json().await.unwrap();
    assert!(catalog.cards.iter().all(|card| card.id != "gpu-fabric"));
    let listed = app.get_json("/api/v1/products").await;
    assert!(!listed.to_string().contains("gpu-fabric"), "nor in the public API's list: {listed}");

    // A draft refuses to publish until both options are priced at both terms.
    app.post_form("/api/admin/open-draft", &[], Some(&admin)).await;
    assert_eq!(add_line(&app, &admin, "400G", None, "9000").await.status(), 200);
    let refused = app.post_form("/api/admin/publish", &[("version", "2")], Some(&admin)).await;
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    assert!(text.contains("800 Gbps link: no recurring price at 12 months"), "{text}");
    assert_eq!(add_line(&app, &admin, "800G", Some("24"), "1").await.status(), 422, "not sold on 24 months");
    assert_eq!(add_line(&app, &admin, "1600G", None, "1").await.status(), 422, "no such option");
    assert_eq!(add_line(&app, &admin, "800G", None, "-1").await.status(), 422);
    assert_eq!(add_line(&app, &admin, "800G", Some("12"), "15000").await.status(), 200);
    let still = app.post_form("/api/admin/publish", &[("version", "2")], Some(&admin)).await;
    assert!(still.text().await.unwrap().contains("no recurring price at 36 months"));
    assert_eq!(add_line(&app, &admin, "800G", Some("36"), "13000").await.status(), 200);
    assert_eq!(app.post_form("/api/admin/publish", &[("version", "2")], Some(&admin)).await.status(), 200);

    let catalog: CatalogView = app.post_form("/api/catalog", &[], None).await.json().await.unwrap();
    assert!(catalog.cards.iter().any(|card| card.id == "gpu-fabric"), "published, it is in the catalog");
    assert!(app.get_json("/api/v1/products").await.to_string().contains("gpu-fabric"));

    // A buyer configures and orders it like any product.
    let config = Configuration {
        product: ProductId::parse("gpu-fabric").unwrap(),
        option: "800G".into(),
        term: Term::Months36,
        a_end: SiteId::parse("ash-dc-1").ok(),
        z_end: SiteId::parse("ash-dc-2").ok(),
        diverse: false,
        amounts: vec![],
        count: 1,
    };
    let placement: Placement = app
        .post_json("/api/place-configuration", &json!({ "config": config }), Some(&grace))
        .await
        .json()
        .await
        .unwrap();
    let view: Option<ProductView> =
        app.post_form("/api/product", &[("id", "gpu-fabric")], Some(&grace)).await.json().await.unwrap();
    let view = view.unwrap();
    let seen = price(&config, &placement, &[view.product], &view.price_book).unwrap();
    assert_eq!(seen.totals.monthly, lightpath_domain::Money::from_dollars(13_000));
    assert_eq!(seen.lead_days, 14);
    let body = json!({ "config": config, "key": "gpu-fabric-order-1", "totals": seen.totals });
    let placed = app.post_json("/api/order-configuration", &body, Some(&grace)).await;
    assert_eq!(placed.status(), 200, "{}", placed.text().await.unwrap());
    let placed: OrderPlaced = placed.json().await.unwrap();
    let record = app.until_terminal(placed.id.as_str(), &grace).await;
    assert_eq!(record.summary.state, OrderState::Completed, "{:?}", record.events);
    // The simulated network took the admin's step durations: 5 minutes per end, 2 to
    // activate, 7 to test (the timeline says how long each step took).
    let timeline: Vec<&str> = record.events.iter().map(|event| event.message.as_str()).collect();
    assert!(timeline.iter().any(|message| message.contains("(5 min on the network)")), "{timeline:?}");
    assert!(timeline.iter().any(|message| message.contains("(7 min on the network)")), "{timeline:?}");

    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action IN ('product.add', 'product.option.add', 'price-book.line.add') ORDER BY at_ms",
    )
    .fetch_all(app.store().await.pool())
    .await
    .unwrap();
    assert_eq!(
        actions,
        ["product.add", "product.option.add", "price-book.line.add", "price-book.line.add", "price-book.line.add"]
    );
}
