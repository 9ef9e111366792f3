//! Designs over HTTP: the recommendation, the server re-pricing a chosen bundle to the cent the
//! browser showed, field problems on bad input with nothing saved, drafts kept as typed, and
//! designs scoped to their organisation (staff read, customers edit).

use crate::helpers::{inference_draft, spawn_app, TestApp, DEMO_PASSWORD};
use lightpath_app::model::designs::{Recommended, SavedAnswer};
use lightpath_domain::recommend::{Choice, Tier};
use lightpath_domain::records::DesignSummary;
use lightpath_domain::Term;
use serde_json::{json, Value};

async fn recommend(app: &TestApp, draft: &Value, cookie: &str) -> Recommended {
    let response = app.post_json("/api/recommend", &json!({ "draft": draft }), Some(cookie)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn save(
    app: &TestApp,
    id: Option<&str>,
    draft: &Value,
    intent: &str,
    choice: Option<&Choice>,
    cookie: &str,
) -> reqwest::Response {
    let body = json!({ "id": id, "draft": draft, "intent": intent, "choice": choice });
    app.post_json("/api/save-design", &body, Some(cookie)).await
}

async fn designs(app: &TestApp, cookie: &str) -> Vec<DesignSummary> {
    let response = app.post_form("/api/designs", &[], Some(cookie)).await;
    assert_eq!(response.status(), 200);
    response.json::<lightpath_domain::records::Paged<DesignSummary>>().await.unwrap().items
}

#[tokio::test]
async fn the_server_prices_a_saved_bundle_exactly_as_the_browser_showed_it() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let draft = inference_draft("Store vision");
    let answer = recommend(&app, &draft, &grace).await;
    let tiers: Vec<Tier> = answer.recommendation.bundles.iter().map(|bundle| bundle.tier).collect();
    assert_eq!(tiers, [Tier::Good, Tier::Better, Tier::Best]);
    let near_net = answer.recommendation.sites.iter().find(|site| site.name == "Store 3").unwrap();
    assert_eq!(near_net.status.slug(), "near-net");

    // What the browser does when the buyer raises the first connection's bandwidth and picks
    // 36 months: re-price with the domain engine and the prices the page received.
    let better = answer.recommendation.bundles.iter().find(|bundle| bundle.tier == Tier::Better).unwrap();
    let faster = better.items[0].alternatives.last().unwrap().0.clone();
    let choice = Choice { tier: Tier::Better, term: Term::Months36, options: vec![(0, faster)] };
    let shown = better.with_choices(&answer.products, &answer.book, choice.term, &choice.options).unwrap();
    assert_ne!(shown.totals, better.totals, "the change re-priced the bundle");

    let response = save(&app, None, &draft, "saved", Some(&choice), &grace).await;
    assert_eq!(response.status(), 200);
    let saved: SavedAnswer = response.json().await.unwrap();
    assert_eq!(saved.totals, Some(shown.totals), "the server's price is the browser's, to the cent");
    assert_eq!(saved.price_book_version, Some(1));

    // Found again, and it reopens with what was typed.
    let listed = designs(&app, &grace).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "Store vision");
    assert_eq!(listed[0].monthly_estimate(), Some(shown.monthly_estimate()));
    let wizard = app.post_form("/api/wizard", &[("id", &saved.id.to_string())], Some(&grace)).await;
    assert_eq!(wizard.status(), 200);
    let wizard: Value = wizard.json().await.unwrap();
    assert_eq!(wizard["draft"], draft);
    assert_eq!(wizard["choice"]["term"], 36);

    // Saving again updates the same design; the audit log has both.
    let again = save(&app, Some(&saved.id.to_string()), &draft, "quote-requested", Some(&choice), &grace).await;
    assert_eq!(again.status(), 200);
    let listed = designs(&app, &grace).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].intent.slug(), "quote-requested");
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'design.%' ORDER BY at_ms")
            .fetch_all(app.store().await.pool())
            .await
            .unwrap();
    assert_eq!(actions, ["design.create", "design.update"]);
}

#[tokio::test]
async fn bad_input_is_listed_by_field_and_nothing_is_saved_except_a_draft_as_typed() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let mut draft = inference_draft("Broken");
    draft["term_months"] = json!("7");
    draft["inference"]["mbps_per_site"] = json!("-5");
    draft["inference"]["latency_ms"] = json!("0");
    draft["edge_sites"][1]["metro"] = json!("dfw-dc-1");
    let response = app.post_json("/api/recommend", &json!({ "draft": draft }), Some(&grace)).await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    for expected in [
        "term_months",
        "inference.mbps_per_site",
        "cannot be negative",
        "inference.latency_ms",
        "more than zero",
        "edge_sites.1.metro",
    ] {
        assert!(body.contains(expected), "{expected} missing from {body}");
    }

    // Saving it as a finished design is refused the same way, and writes nothing.
    let choice = Choice { tier: Tier::Good, term: Term::OnDemand, options: vec![] };
    assert_eq!(save(&app, None, &draft, "saved", Some(&choice), &grace).await.status(), 422);
    assert!(designs(&app, &grace).await.is_empty());

    // As a draft it is kept exactly as typed, to come back to.
    let response = save(&app, None, &draft, "draft", None, &grace).await;
    assert_eq!(response.status(), 200);
    let saved: SavedAnswer = response.json().await.unwrap();
    assert_eq!(saved.totals, None);
    let wizard: Value =
        app.post_form("/api/wizard", &[("id", &saved.id.to_string())], Some(&grace)).await.json().await.unwrap();
    assert_eq!(wizard["draft"], draft);
}

#[tokio::test]
async fn what_the_network_cannot_do_is_said_in_the_bundle() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    // A Seattle store served from Miami cannot meet 10 ms; a Seattle data centre can.
    let mut draft = inference_draft("Far away");
    draft["edge_sites"] = json!([{ "name": "Store 9", "metro": "sea", "distance_km": "1" }]);
    draft["inference"]["serving"] = json!("mia-dc-1");
    // A hundred petabytes in one hour is more than any path carries.
    draft["stages"] = json!(["training", "inference"]);
    draft["training"] = json!({ "cluster": "ash-dc-2", "data_site": "chi-dc-1", "dataset_tb": "100000", "hours": "1", "second_cluster": "", "power_kw": "" });
    let answer = recommend(&app, &draft, &grace).await;
    let better = answer.recommendation.bundles.iter().find(|bundle| bundle.tier == Tier::Better).unwrap();
    let shortfalls = better.shortfalls.join("\n");
    assert!(shortfalls.contains("over your 10.00 ms target"), "{shortfalls}");
    assert!(shortfalls.contains("serve it from"), "{shortfalls}");
    assert!(shortfalls.contains("No path from"), "{shortfalls}");
    // The rest of the design is still recommended.
    assert!(!better.items.is_empty());
}

#[tokio::test]
async fn designs_belong_to_their_organisation() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    let sales = app.sign_in("sales@lightpath.example", DEMO_PASSWORD).await;
    let draft = inference_draft("Acme stores");
    let saved: SavedAnswer = save(&app, None, &draft, "draft", None, &grace).await.json().await.unwrap();
    let id = saved.id.to_string();

    // Another organisation: as if it did not exist.
    assert!(designs(&app, &hal).await.is_empty());
    assert_eq!(app.post_form("/api/wizard", &[("id", &id)], Some(&hal)).await.status(), 404);
    assert_eq!(app.post_form("/api/delete-design", &[("id", &id)], Some(&hal)).await.status(), 404);
    assert_eq!(save(&app, Some(&id), &draft, "draft", None, &hal).await.status(), 404);

    // Staff read every customer's designs but do not edit them.
    assert_eq!(designs(&app, &sales).await.len(), 1);
    assert_eq!(app.post_form("/api/wizard", &[("id", &id)], Some(&sales)).await.status(), 200);
    assert_eq!(save(&app, Some(&id), &draft, "draft", None, &sales).await.status(), 403);
    assert_eq!(save(&app, None, &draft, "draft", None, &sales).await.status(), 403);
    assert_eq!(app.post_form("/api/delete-design", &[("id", &id)], Some(&sales)).await.status(), 403);

    // The organisation's other members duplicate and delete it.
    let copy = app.post_form("/api/duplicate-design", &[("id", &id)], Some(&ada)).await;
    assert_eq!(copy.status(), 200);
    let names: Vec<String> = designs(&app, &grace).await.into_iter().map(|design| design.name).collect();
    assert!(names.contains(&"Copy of Acme stores".to_owned()), "{names:?}");
    assert_eq!(app.post_form("/api/delete-design", &[("id", &id)], Some(&ada)).await.status(), 200);
    assert_eq!(app.post_form("/api/delete-design", &[("id", &id)], Some(&ada)).await.status(), 404);
    assert_eq!(designs(&app, &grace).await.len(), 1);
    // Nobody signed in gets nothing.
    assert_eq!(app.post_form("/api/designs", &[], None).await.status(), 401);
    assert_eq!(app.post_json("/api/recommend", &json!({ "draft": draft }), None).await.status(), 401);
}

#[tokio::test]
async fn a_design_listing_one_cloud_thousands_of_times_is_refused_with_a_small_answer() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let mut draft = inference_draft("Amplified");
    draft["stages"] = json!(["multi-cloud"]);
    draft["multi_cloud"] =
        json!({ "on_ramps": vec!["aws-us-east-1"; 2_000], "sites": ["dfw-dc-1"], "bandwidth": "1G" });
    let request = json!({ "draft": draft });
    assert!(request.to_string().len() > 30_000, "the request itself is large");
    let response = app.post_json("/api/recommend", &request, Some(&grace)).await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(body.contains("multi_cloud.on_ramps") && body.contains("up to 8"), "{body}");
    assert!(body.len() < 2_000, "the answer stays small: {} bytes", body.len());
    // Repeats are refused too, and a capped list of distinct regions is recommended.
    draft["multi_cloud"]["on_ramps"] = json!(["aws-us-east-1", "aws-us-east-1"]);
    let response = app.post_json("/api/recommend", &json!({ "draft": draft }), Some(&grace)).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("listed twice"));
    draft["multi_cloud"]["on_ramps"] = json!(["aws-us-east-1", "azure-east-us"]);
    let response = app.post_json("/api/recommend", &json!({ "draft": draft }), Some(&grace)).await;
    assert_eq!(response.status(), 200);
}
