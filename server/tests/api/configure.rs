//! Configure-and-order from a product page: the browser's price (the domain's pricing run on
//! the placement the server answers) is the server's to the cent; an order is placed once per
//! key, provisioned and becomes a service; what the network cannot carry is refused with the
//! span named and nothing held; one-site products are set up at their site.

use crate::helpers::{spawn_app, TestApp, DEMO_PASSWORD};
use lightpath_app::model::catalog::ProductView;
use lightpath_app::model::orders::OrderPlaced;
use lightpath_app::model::services::{Inventory, ServicePage};
use lightpath_domain::configure::{price, Amount, Configuration, Configured, Placement};
use lightpath_domain::order::OrderState;
use lightpath_domain::{PriceUnit, ProductId, SiteId, Term};
use serde_json::{json, Value};

pub(crate) fn wave(option: &str, term: Term, count: u32) -> Configuration {
    Configuration {
        product: ProductId::parse("wavelengths-400g").unwrap(),
        option: option.into(),
        term,
        a_end: SiteId::parse("chi-dc-1").ok(),
        z_end: SiteId::parse("ash-dc-2").ok(),
        diverse: false,
        amounts: vec![],
        count,
    }
}

async fn place(app: &TestApp, config: &Configuration, cookie: &str) -> reqwest::Response {
    app.post_json("/api/place-configuration", &json!({ "config": config }), Some(cookie)).await
}

/// What the product page computes in the browser: the placement from the server, priced with
/// the product page's own product and price book.
pub(crate) async fn browser_price(app: &TestApp, config: &Configuration, cookie: &str) -> Configured {
    let placed = place(app, config, cookie).await;
    assert_eq!(placed.status(), 200);
    let placement: Placement = placed.json().await.unwrap();
    let view: Option<ProductView> =
        app.post_form("/api/product", &[("id", config.product.as_str())], Some(cookie)).await.json().await.unwrap();
    let view = view.expect("the product exists");
    price(config, &placement, &[view.product], &view.price_book).expect("priceable")
}

pub(crate) async fn order(
    app: &TestApp,
    config: &Configuration,
    key: &str,
    seen: &Configured,
    cookie: &str,
) -> reqwest::Response {
    let body = json!({ "config": config, "key": key, "totals": seen.totals });
    app.post_json("/api/order-configuration", &body, Some(cookie)).await
}

#[tokio::test]
async fn a_configured_wave_is_priced_as_the_browser_saw_ordered_once_and_becomes_a_service() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let config = wave("100G", Term::Months12, 1);
    let seen = browser_price(&app, &config, &grace).await;
    let item = &seen.items[0];
    let path = item.path.as_ref().expect("a wave is routed");
    assert_eq!(path.sites.first().map(SiteId::as_str), Some("chi-dc-1"));
    assert_eq!(path.sites.last().map(SiteId::as_str), Some("ash-dc-2"));
    // Switching the term is priced in the browser alone and costs less per month.
    let longer = {
        let placement: Placement = place(&app, &config, &grace).await.json().await.unwrap();
        let view: Option<ProductView> =
            app.post_form("/api/product", &[("id", "wavelengths-400g")], Some(&grace)).await.json().await.unwrap();
        let view = view.unwrap();
        price(&wave("100G", Term::Months36, 1), &placement, &[view.product], &view.price_book).unwrap()
    };
    assert!(longer.totals.monthly < seen.totals.monthly);

    let first = order(&app, &config, "configure-wave-1", &seen, &grace).await;
    assert_eq!(first.status(), 200, "{}", first.text().await.unwrap());
    let first: OrderPlaced = first.json().await.unwrap();
    assert!(first.created);
    let again: OrderPlaced = order(&app, &config, "configure-wave-1", &seen, &grace).await.json().await.unwrap();
    assert_eq!(again.id, first.id);
    assert!(!again.created, "the same key places nothing new");
    let other = order(&app, &wave("10G", Term::Months12, 1), "configure-wave-1", &seen, &grace).await;
    assert_eq!(other.status(), 422, "the same key for another configuration is refused");

    let record = app.until_terminal(first.id.as_str(), &grace).await;
    assert_eq!(record.summary.state, OrderState::Completed, "{:?}", record.events);
    assert_eq!(record.summary.totals, seen.totals, "the order carries the price the buyer saw");
    assert_eq!(record.summary.design_id, None);
    let inventory: Inventory = app.post_form("/api/services", &[], Some(&grace)).await.json().await.unwrap();
    let service = inventory
        .services
        .items
        .iter()
        .find(|service| service.order_id == first.id)
        .expect("the wave became a service");
    assert_eq!(service.product.as_str(), "wavelengths-400g");
    assert_eq!(service.mbps, 100_000);
    assert_eq!(service.term, Term::Months12);
}

#[tokio::test]
async fn a_configuration_the_network_cannot_carry_is_refused_with_the_span_named_and_nothing_held() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let store = app.store().await;
    // Fill every span out of Chicago but 100G.
    for span in store.spans().await.unwrap().iter().filter(|span| span.a.as_str() == "chi" || span.z.as_str() == "chi")
    {
        let mbps = span.capacity_gbps() * 1_000 - 100_000;
        store.reserve(&format!("filler-{}", span.id), std::slice::from_ref(&span.id), mbps).await.unwrap();
    }
    let before = store.reservations().await.unwrap();
    let refused = place(&app, &wave("400G", Term::Months12, 1), &grace).await;
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    let text = body.to_string();
    assert!(text.contains("The shortest path is full on span ash-chi (Ashburn – Chicago, 100G free)"), "{text}");
    assert!(text.contains("100G is available"), "{text}");

    // Ordering it anyway, at any price, is refused the same way and holds nothing.
    let seen = browser_price(&app, &wave("100G", Term::Months12, 1), &grace).await;
    let refused = order(&app, &wave("400G", Term::Months12, 1), "configure-full-1", &seen, &grace).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(store.reservations().await.unwrap(), before, "nothing was reserved");
    let orders: Value = app.post_form("/api/orders", &[], Some(&grace)).await.json().await.unwrap();
    assert_eq!(orders["items"].as_array().unwrap().len(), 0, "no order was written: {orders}");

    // A price the buyer did not see is refused with the one that holds now.
    let mut stale = seen.clone();
    stale.totals.monthly += lightpath_domain::Money::from_cents(1);
    let changed = order(&app, &wave("100G", Term::Months12, 1), "configure-stale-1", &stale, &grace).await;
    assert_eq!(changed.status(), 409);
    assert!(changed.text().await.unwrap().contains("The price has changed"));
}

#[tokio::test]
async fn bad_configurations_are_refused_beside_their_field() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let mut same = wave("100G", Term::Months12, 1);
    same.z_end = same.a_end.clone();
    let mut unknown = wave("100G", Term::Months12, 1);
    unknown.z_end = SiteId::parse("atlantis").ok();
    let mut copies = wave("100G", Term::Months12, 1);
    copies.count = 10_000;
    let mut option = wave("100G", Term::Months12, 1);
    option.option = "\u{0}<script>".into();
    for (config, field) in [(same, "z_end"), (unknown, "z_end"), (copies, "count"), (option, "option")] {
        let refused = place(&app, &config, &grace).await;
        assert_eq!(refused.status(), 422, "{field}");
        let body: Value = refused.json().await.unwrap();
        assert!(body.to_string().contains(field), "{field}: {body}");
    }
    // Signed out: nothing is routed.
    assert_eq!(place(&app, &wave("100G", Term::Months12, 1), "lightpath_session=nope").await.status(), 401);
    // Staff do not order for themselves.
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let seen = browser_price(&app, &wave("100G", Term::Months12, 1), &admin).await;
    assert_eq!(order(&app, &wave("100G", Term::Months12, 1), "configure-staff-1", &seen, &admin).await.status(), 403);
}

#[tokio::test]
async fn one_site_products_are_set_up_at_their_site() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let colocation = Configuration {
        product: ProductId::parse("colocation").unwrap(),
        option: "high-density".into(),
        term: Term::Months36,
        a_end: SiteId::parse("ash-dc-2").ok(),
        z_end: None,
        diverse: false,
        amounts: vec![Amount { unit: PriceUnit::Rack, amount: 1 }],
        count: 1,
    };
    // Power is asked for by name.
    let placed: Placement = place(&app, &colocation, &grace).await.json().await.unwrap();
    let view: Option<ProductView> =
        app.post_form("/api/product", &[("id", "colocation")], Some(&grace)).await.json().await.unwrap();
    let view = view.unwrap();
    let missing = price(&colocation, &placed, std::slice::from_ref(&view.product), &view.price_book).unwrap_err();
    assert_eq!(missing.field, "amount-kw");
    let mut colocation = colocation;
    colocation.amounts.push(Amount { unit: PriceUnit::Kw, amount: 20 });
    let seen = browser_price(&app, &colocation, &grace).await;
    // 1 rack at $350 and 20 kW at $230, the 36-month list price.
    assert_eq!(seen.totals.monthly, lightpath_domain::Money::from_dollars(350 + 20 * 230));
    let placed = order(&app, &colocation, "configure-colo-1", &seen, &grace).await;
    assert_eq!(placed.status(), 200, "{}", placed.text().await.unwrap());
    let placed: OrderPlaced = placed.json().await.unwrap();
    let record = app.until_terminal(placed.id.as_str(), &grace).await;
    assert_eq!(record.summary.state, OrderState::Completed, "{:?}", record.events);
    let service = record.items[0].service_id.clone().expect("a service");
    let page: ServicePage =
        app.post_form("/api/service", &[("id", service.as_str())], Some(&grace)).await.json().await.unwrap();
    assert_eq!(page.record.a_end.as_str(), "ash-dc-2", "set up in Ashburn, not on the platform");
}

async fn keep(
    app: &TestApp,
    config: &Configuration,
    design: Option<&str>,
    quote: bool,
    cookie: &str,
) -> reqwest::Response {
    app.post_json(
        "/api/keep-configuration",
        &json!({ "config": config, "design": design, "quote": quote }),
        Some(cookie),
    )
    .await
}

#[tokio::test]
async fn a_configured_item_is_kept_in_a_design_priced_at_its_own_term_and_ordered_with_it() {
    use lightpath_app::model::designs::SavedAnswer;
    use lightpath_domain::design::DesignIntent;
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let config = wave("100G", Term::Months36, 1);
    let seen = browser_price(&app, &config, &grace).await;

    // In a new design of its own.
    let kept = keep(&app, &config, None, false, &grace).await;
    assert_eq!(kept.status(), 200, "{}", kept.text().await.unwrap());
    let kept: SavedAnswer = kept.json().await.unwrap();
    assert_eq!(kept.intent, DesignIntent::Saved);
    assert_eq!(kept.totals, Some(seen.totals), "the design is priced as the product page showed");

    // Next to a training design's bundle, at its own 36-month term while the bundle is 12.
    let training = app.saved_design(&grace, "Training plus a wave").await;
    let designs: Value = app.post_form("/api/designs", &[], Some(&grace)).await.json().await.unwrap();
    let listed = designs["items"].as_array().unwrap().iter().find(|design| design["id"] == training.as_str()).unwrap();
    let before_monthly = listed["totals"]["monthly"].as_i64().unwrap();
    let added: SavedAnswer = keep(&app, &config, Some(&training), false, &grace).await.json().await.unwrap();
    assert_eq!(added.id.to_string(), training);
    assert_eq!(
        added.totals.unwrap().monthly.cents(),
        before_monthly + seen.totals.monthly.cents(),
        "the bundle's price plus the wave's, at 36 months"
    );
    let placed = app.order_design(&training, "keep-order-0000001", &grace).await;
    assert_eq!(placed.status(), 200, "{}", placed.text().await.unwrap());
    let placed: OrderPlaced = placed.json().await.unwrap();
    let record = app.until_terminal(placed.id.as_str(), &grace).await;
    assert_eq!(record.summary.state, OrderState::Completed, "{:?}", record.events);
    assert!(
        record.items.iter().any(|item| item.title.starts_with("400G Wavelengths 100 Gbps")),
        "ordered with the bundle"
    );

    // Asking for a quote keeps it in a new design sales can quote from.
    let asked: SavedAnswer = keep(&app, &config, None, true, &grace).await.json().await.unwrap();
    assert_eq!(asked.intent, DesignIntent::QuoteRequested);
    // Another organisation's design cannot receive it.
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    assert_eq!(keep(&app, &config, Some(&training), false, &hal).await.status(), 404);
}
