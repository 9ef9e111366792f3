//! Sales quotes over HTTP: every state move and every refused one, versions kept on revision,
//! the admin's approval of a discount above the sales engineer's limit, acceptance placing the
//! order at the quoted (discounted) price, scoping by role and organisation, and the CSV.

use crate::helpers::{spawn_app, TestApp, DEMO_PASSWORD};
use lightpath_app::model::orders::OrderPlaced;
use lightpath_app::model::quotes::{QuoteView, QuotesView};
use lightpath_domain::order::OrderState;
use lightpath_domain::quote::QuoteState;
use lightpath_domain::recommend::{Choice, Tier};
use lightpath_domain::Term;
use serde_json::json;

struct People {
    sales: String,
    admin: String,
    grace: String,
    hal: String,
}

async fn people(app: &TestApp) -> People {
    People {
        sales: app.sign_in("sales@lightpath.example", DEMO_PASSWORD).await,
        admin: app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await,
        grace: app.sign_in("grace@acme.example", DEMO_PASSWORD).await,
        hal: app.sign_in("hal@globex.example", DEMO_PASSWORD).await,
    }
}

fn input(design: &str, discount: &str, reason: &str, quote: Option<(&str, i64)>) -> serde_json::Value {
    json!({ "input": {
        "design": design,
        "quote": quote.map(|(id, _)| id),
        "seen_version": quote.map(|(_, version)| version),
        "choice": Choice { tier: Tier::Better, term: Term::Months12, options: vec![] },
        "removed": [],
        "discount": discount,
        "validity_days": "30",
        "reason": reason,
    }})
}

async fn save(app: &TestApp, body: &serde_json::Value, cookie: &str) -> reqwest::Response {
    app.post_json("/api/save-quote", body, Some(cookie)).await
}

async fn new_quote(app: &TestApp, design: &str, discount: &str, reason: &str, cookie: &str) -> String {
    let response = save(app, &input(design, discount, reason, None), cookie).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn view(app: &TestApp, id: &str, cookie: &str) -> QuoteView {
    let response = app.post_form("/api/quote", &[("id", id)], Some(cookie)).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn act(app: &TestApp, id: &str, version: i64, action: &str, comment: &str, cookie: &str) -> reqwest::Response {
    let version = version.to_string();
    let form = [("id", id), ("version", version.as_str()), ("action", action), ("comment", comment)];
    app.post_form("/api/quote-action", &form, Some(cookie)).await
}

async fn accept(app: &TestApp, id: &str, version: i64, key: &str, cookie: &str) -> reqwest::Response {
    let version = version.to_string();
    app.post_form("/api/accept-quote", &[("id", id), ("version", version.as_str()), ("key", key)], Some(cookie)).await
}

async fn state(app: &TestApp, id: &str, cookie: &str) -> QuoteState {
    view(app, id, cookie).await.record.summary.state
}

#[tokio::test]
async fn a_discount_within_the_limit_is_sent_accepted_and_ordered_at_the_quoted_price() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let who = people(&app).await;
    let design = app.saved_design(&who.grace, "Training feed").await;
    let id = new_quote(&app, &design, "10", "", &who.sales).await;

    let quote = view(&app, &id, &who.sales).await;
    assert_eq!(quote.record.summary.state, QuoteState::InProgress);
    let current = quote.record.current().unwrap().clone();
    assert_eq!(current.discount_bp, 1_000);
    assert!(current.net.monthly < current.list.monthly);
    let line_sum: i64 = current.items.iter().map(|item| item.net.monthly.cents()).sum();
    assert_eq!(line_sum, current.net.monthly.cents(), "the lines add up to the total");
    // Not sent yet: the customer does not see it.
    assert_eq!(app.post_form("/api/quote", &[("id", &id)], Some(&who.grace)).await.status(), 404);
    let listed: QuotesView = app.post_form("/api/quotes", &[], Some(&who.grace)).await.json().await.unwrap();
    assert!(listed.quotes.items.is_empty() && !listed.can_build);

    // Within the limit: no approval to ask for; sending goes straight out.
    assert_eq!(act(&app, &id, 1, "requestApproval", "", &who.sales).await.status(), 422);
    assert_eq!(act(&app, &id, 1, "send", "", &who.grace).await.status(), 404, "buyers cannot send");
    assert_eq!(act(&app, &id, 1, "send", "", &who.sales).await.status(), 200);
    assert_eq!(act(&app, &id, 1, "send", "", &who.sales).await.status(), 422, "sent twice");
    let seen = view(&app, &id, &who.grace).await;
    assert_eq!(seen.record.summary.state, QuoteState::Sent);
    assert!(seen.actions.contains(&lightpath_domain::quote::QuoteAction::Accept));
    assert!(!seen.staff);
    assert_eq!(app.post_form("/api/quote", &[("id", &id)], Some(&who.hal)).await.status(), 404);
    assert_eq!(accept(&app, &id, 1, "accept-key-0000000001", &who.hal).await.status(), 404);
    assert_eq!(accept(&app, &id, 1, "accept-key-0000000001", &who.sales).await.status(), 403, "staff do not accept");

    let key = "accept-key-0000000002";
    let placed: OrderPlaced = accept(&app, &id, 1, key, &who.grace).await.json().await.unwrap();
    assert!(placed.created);
    let again: OrderPlaced = accept(&app, &id, 1, key, &who.grace).await.json().await.unwrap();
    assert_eq!((again.id.clone(), again.created), (placed.id.clone(), false), "a double click, one order");
    assert_eq!(accept(&app, &id, 1, "accept-key-0000000003", &who.grace).await.status(), 422, "accepted already");
    let done = app.until_terminal(&placed.id.to_string(), &who.grace).await;
    assert_eq!(done.summary.state, OrderState::Completed, "{:?}", done.events);
    assert_eq!(done.summary.totals, current.net, "ordered at the quoted price");
    assert_eq!(done.summary.price_book_version, current.price_book_version);
    let accepted = view(&app, &id, &who.grace).await.record.summary;
    assert_eq!(accepted.state, QuoteState::Accepted);
    assert_eq!(accepted.order_id, Some(placed.id));
    assert_eq!(act(&app, &id, 1, "cancel", "", &who.sales).await.status(), 422, "an accepted quote stays");
}

#[tokio::test]
async fn a_discount_over_the_limit_needs_an_admin_and_a_revision_keeps_every_version() {
    let app = spawn_app().await;
    let who = people(&app).await;
    let design = app.saved_design(&who.grace, "Training feed").await;
    let no_reason = save(&app, &input(&design, "20", "", None), &who.sales).await;
    assert_eq!(no_reason.status(), 422);
    assert!(no_reason.text().await.unwrap().contains("reason"));
    let id = new_quote(&app, &design, "20", "Three-year commitment expected after the pilot.", &who.sales).await;

    let needs = act(&app, &id, 1, "send", "", &who.sales).await;
    assert_eq!(needs.status(), 422);
    assert!(needs.text().await.unwrap().contains("approval"));
    assert_eq!(act(&app, &id, 1, "approve", "", &who.sales).await.status(), 403, "sales engineers do not approve");
    assert_eq!(act(&app, &id, 1, "approve", "", &who.admin).await.status(), 422, "nothing asked yet");
    assert_eq!(act(&app, &id, 1, "requestApproval", "", &who.sales).await.status(), 200);
    assert_eq!(state(&app, &id, &who.admin).await, QuoteState::PendingApproval);
    let without_comment = act(&app, &id, 1, "reject", "  ", &who.admin).await;
    assert_eq!(without_comment.status(), 422);
    assert_eq!(act(&app, &id, 1, "reject", "Margin too thin at 20 %; 15 % is fine.", &who.admin).await.status(), 200);
    let rejected = view(&app, &id, &who.sales).await;
    assert_eq!(rejected.record.summary.state, QuoteState::Rejected);
    assert!(rejected.record.summary.decision.unwrap().contains("Margin too thin"));
    assert_eq!(act(&app, &id, 1, "send", "", &who.sales).await.status(), 422, "a rejected quote is not sent");
    assert!(rejected.can_revise);

    // A revision is a new version; the first is kept as it was.
    assert_eq!(save(&app, &input(&design, "20", "Pilot first.", Some((&id, 1))), &who.sales).await.status(), 200);
    let stale = save(&app, &input(&design, "20", "Pilot first.", Some((&id, 1))), &who.sales).await;
    assert_eq!(stale.status(), 409, "a revision of a version that is no longer current");
    let revised = view(&app, &id, &who.sales).await.record;
    assert_eq!(revised.versions.len(), 2);
    assert_eq!(revised.summary.state, QuoteState::InProgress);
    assert!(revised.summary.decision.is_none());
    assert_eq!(revised.versions[0].reason, "Three-year commitment expected after the pilot.");
    assert_eq!(act(&app, &id, 1, "requestApproval", "", &who.sales).await.status(), 409, "acting on an old version");
    assert_eq!(act(&app, &id, 2, "requestApproval", "", &who.sales).await.status(), 200);
    assert_eq!(act(&app, &id, 2, "approve", "Fine for the pilot.", &who.admin).await.status(), 200);
    assert_eq!(act(&app, &id, 2, "send", "", &who.sales).await.status(), 200);
    assert_eq!(state(&app, &id, &who.grace).await, QuoteState::Sent);
    let net = revised.versions[1].net.monthly.cents();
    let list = revised.versions[1].list.monthly.cents();
    assert!((list * 8 - net * 10).abs() <= revised.versions[1].items.len() as i64 * 10, "20 % off: {net} of {list}");

    // Cancelled quotes are final.
    assert_eq!(act(&app, &id, 2, "cancel", "", &who.sales).await.status(), 200);
    assert_eq!(accept(&app, &id, 2, "accept-key-1000000001", &who.grace).await.status(), 404, "no longer shown");
    assert_eq!(act(&app, &id, 2, "cancel", "", &who.sales).await.status(), 422);
    let listed: QuotesView = app.post_form("/api/quotes", &[], Some(&who.sales)).await.json().await.unwrap();
    assert!(listed.can_build && listed.quotes.items.iter().any(|quote| quote.id.to_string() == id));
}

#[tokio::test]
async fn customers_read_the_offer_not_the_internal_record_and_a_revision_keeps_its_design() {
    let app = spawn_app().await;
    let who = people(&app).await;
    let design = app.saved_design(&who.grace, "Training feed").await;
    let reason = "Internal: they threatened to walk to a rival carrier.";
    let id = new_quote(&app, &design, "20", reason, &who.sales).await;
    assert_eq!(act(&app, &id, 1, "requestApproval", "", &who.sales).await.status(), 200);
    assert_eq!(act(&app, &id, 1, "reject", "Margin too thin.", &who.admin).await.status(), 200);

    // A revision naming another organisation's design still prices the quote's own design.
    let other = app.saved_design(&who.hal, "Globex secret plan").await;
    let revised = save(&app, &input(&other, "20", reason, Some((&id, 1))), &who.sales).await;
    assert_eq!(revised.status(), 200, "{}", revised.text().await.unwrap());
    let staff_view = view(&app, &id, &who.sales).await.record;
    assert_eq!(staff_view.summary.design_id.map(|id| id.to_string()), Some(design.clone()));
    assert_eq!(staff_view.versions.len(), 2, "staff keep every version");
    assert_eq!(staff_view.versions[1].reason, reason);
    assert_eq!(act(&app, &id, 2, "requestApproval", "", &who.sales).await.status(), 200);
    assert_eq!(act(&app, &id, 2, "approve", "Fine once, not again.", &who.admin).await.status(), 200);
    assert_eq!(act(&app, &id, 2, "send", "", &who.sales).await.status(), 200);

    // The buyer gets the sent version's lines, totals and validity, and nothing internal.
    let response = app.post_form("/api/quote", &[("id", &id)], Some(&who.grace)).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    for internal in ["walk to a rival", "Margin too thin", "Fine once", "Sam Rivera", "Globex"] {
        assert!(!text.contains(internal), "{internal} reached the customer: {text}");
    }
    let seen: QuoteView = serde_json::from_str(&text).unwrap();
    assert_eq!(seen.record.versions.len(), 1, "only the version sent");
    let current = seen.record.current().unwrap();
    assert_eq!((current.version, current.net), (2, staff_view.versions[1].net));
    assert!(!current.items.is_empty() && current.valid_until_ms > 0);
    let listed = app.post_form("/api/quotes", &[], Some(&who.grace)).await.text().await.unwrap();
    assert!(listed.contains(&id) && !listed.contains("walk to a rival") && !listed.contains("Fine once"), "{listed}");
}

#[tokio::test]
async fn an_admin_cannot_approve_a_discount_they_wrote_themselves() {
    use lightpath_domain::account::{EmailAddress, NewPassword, Role};
    let app = spawn_app().await;
    let who = people(&app).await;
    let design = app.saved_design(&who.grace, "Training feed").await;
    let id = new_quote(&app, &design, "25", "Strategic logo.", &who.admin).await;
    assert_eq!(act(&app, &id, 1, "requestApproval", "", &who.admin).await.status(), 200);
    let own = view(&app, &id, &who.admin).await;
    assert!(!own.actions.contains(&lightpath_domain::quote::QuoteAction::Approve), "{:?}", own.actions);
    let refused = act(&app, &id, 1, "approve", "Looks fine to me.", &who.admin).await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("another admin"));
    assert_eq!(act(&app, &id, 1, "reject", "Changed my mind.", &who.admin).await.status(), 403);
    assert_eq!(state(&app, &id, &who.admin).await, QuoteState::PendingApproval);

    // A second admin decides.
    let email = EmailAddress::parse("second.admin@lightpath.example").unwrap();
    let password = NewPassword::parse("password", "another long password", Some(&email)).unwrap();
    let account = lightpath_store::accounts::NewAccount {
        email,
        name: "Second Admin".into(),
        role: Role::Admin,
        organisation: None,
        password,
    };
    app.store().await.create_account(None, account).await.unwrap();
    let second = app.sign_in("second.admin@lightpath.example", "another long password").await;
    assert!(view(&app, &id, &second).await.actions.contains(&lightpath_domain::quote::QuoteAction::Approve));
    assert_eq!(act(&app, &id, 1, "approve", "Approved for the logo.", &second).await.status(), 200);
    assert_eq!(state(&app, &id, &who.admin).await, QuoteState::Approved);
}

#[tokio::test]
async fn bad_input_and_expired_quotes_are_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let who = people(&app).await;
    let design = app.saved_design(&who.grace, "Training feed").await;
    for (discount, days, field) in [("150", "30", "discount"), ("-5", "30", "discount"), ("10", "0", "validity_days")] {
        let mut body = input(&design, discount, "A reason.", None);
        body["input"]["validity_days"] = json!(days);
        let refused = save(&app, &body, &who.sales).await;
        assert_eq!(refused.status(), 422, "{discount} {days}");
        assert!(refused.text().await.unwrap().contains(field));
    }
    let unknown = save(&app, &input("00000000-0000-4000-8000-0000000000ff", "0", "", None), &who.sales).await;
    assert_eq!(unknown.status(), 422);
    assert_eq!(save(&app, &input(&design, "0", "", None), &who.grace).await.status(), 403, "buyers request, not build");
    let listed: QuotesView = app.post_form("/api/quotes", &[], Some(&who.sales)).await.json().await.unwrap();
    assert!(listed.quotes.items.is_empty(), "nothing written");

    // A sent quote past its validity reads expired and cannot be accepted.
    let id = new_quote(&app, &design, "5", "", &who.sales).await;
    assert_eq!(act(&app, &id, 1, "send", "", &who.sales).await.status(), 200);
    sqlx::query("UPDATE quote_versions SET valid_until_ms = 1 WHERE quote_id = $1")
        .bind(&id)
        .execute(app.store().await.pool())
        .await
        .unwrap();
    assert_eq!(state(&app, &id, &who.grace).await, QuoteState::Expired);
    let expired = accept(&app, &id, 1, "accept-key-2000000001", &who.grace).await;
    assert_eq!(expired.status(), 422);
    assert!(expired.text().await.unwrap().contains("expired"));
    assert_eq!(accept(&app, &id, 1, "bad", &who.grace).await.status(), 422, "malformed key");
    let orders: serde_json::Value = app.post_form("/api/orders", &[], Some(&who.grace)).await.json().await.unwrap();
    assert_eq!(orders["items"], serde_json::json!([]));
}

#[tokio::test]
async fn the_line_items_download_as_csv_for_those_who_may_see_the_quote() {
    let app = spawn_app().await;
    let who = people(&app).await;
    let design = app.saved_design(&who.grace, "Training feed").await;
    let id = new_quote(&app, &design, "10", "", &who.sales).await;
    let path = format!("/api/v1/quotes/{id}/lines.csv");
    assert_eq!(app.get_with(&path, None).await.status(), 401);
    assert_eq!(app.get_with(&path, Some(&who.grace)).await.status(), 404, "not sent yet");
    assert_eq!(app.get_with(&path, Some(&who.hal)).await.status(), 404);
    let response = app.get_with(&path, Some(&who.sales)).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = response.text().await.unwrap();
    let items = view(&app, &id, &who.sales).await.record.current().unwrap().items.len();
    assert_eq!(text.lines().count(), items + 1, "a header and one line per item:\n{text}");
    assert!(text.starts_with("quote,version,item,"));
    assert!(text.contains("10 %"));
}

#[tokio::test]
async fn racing_acceptances_with_different_keys_place_one_order() {
    let app = spawn_app().await;
    let who = people(&app).await;
    let design = app.saved_design(&who.grace, "Training feed").await;
    let id = new_quote(&app, &design, "5", "", &who.sales).await;
    assert_eq!(act(&app, &id, 1, "send", "", &who.sales).await.status(), 200);
    // Twenty tabs press Accept at once, each with its own key.
    let app = std::sync::Arc::new(app);
    let attempts: Vec<_> = (0..20)
        .map(|n| {
            let (app, id, grace) = (app.clone(), id.clone(), who.grace.clone());
            tokio::spawn(async move {
                accept(&app, &id, 1, &format!("accept-race-{n:012}"), &grace).await.status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for attempt in attempts {
        statuses.push(attempt.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|status| **status == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|status| [200, 409, 422].contains(status)), "{statuses:?}");
    let orders: serde_json::Value = app.post_form("/api/orders", &[], Some(&who.grace)).await.json().await.unwrap();
    assert_eq!(orders["items"].as_array().unwrap().len(), 1, "exactly one order");
    assert_eq!(state(&app, &id, &who.grace).await, QuoteState::Accepted);
}

#[tokio::test]
async fn a_quote_with_an_added_catalog_item_is_accepted_and_orders_exactly_its_lines() {
    use lightpath_domain::configure::Configuration;
    use lightpath_domain::{ProductId, SiteId};
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let who = people(&app).await;
    let design = app.saved_design(&who.grace, "Training and a wave").await;
    let wave = Configuration {
        product: ProductId::parse("wavelengths-400g").unwrap(),
        option: "100G".into(),
        term: Term::Months36,
        a_end: SiteId::parse("nyc-dc-1").ok(),
        z_end: SiteId::parse("bos-dc-1").ok(),
        diverse: false,
        amounts: vec![],
        count: 2,
    };
    let mut body = input(&design, "10", "", None);
    body["input"]["added"] = json!([wave]);
    let saved = save(&app, &body, &who.sales).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let id: String = saved.json().await.unwrap();
    let current = view(&app, &id, &who.sales).await.record.current().unwrap().clone();
    assert_eq!(current.added, vec![wave.clone()], "the version keeps what was added");
    let added = current
        .items
        .iter()
        .find(|item| item.title.starts_with("2 × 400G Wavelengths 100 Gbps"))
        .expect("the wave is a line");
    let route = added.route.as_ref().expect("routed");
    assert_eq!((route.a_end.as_str(), route.z_end.as_str(), route.mbps), ("nyc-dc-1", "bos-dc-1", 200_000));
    let line_sum: i64 = current.items.iter().map(|item| item.net.monthly.cents()).sum();
    assert_eq!(line_sum, current.net.monthly.cents(), "the lines add up to the total");

    // Too many items, or one the network cannot serve, is refused and nothing is written.
    let mut many = input(&design, "10", "", None);
    many["input"]["added"] = json!(vec![wave.clone(); 21]);
    assert_eq!(save(&app, &many, &who.sales).await.status(), 422);
    let mut nowhere = wave.clone();
    nowhere.z_end = nowhere.a_end.clone();
    let mut refused = input(&design, "10", "", None);
    refused["input"]["added"] = json!([nowhere]);
    assert_eq!(save(&app, &refused, &who.sales).await.status(), 422);

    assert_eq!(act(&app, &id, 1, "send", "", &who.sales).await.status(), 200);
    let placed: OrderPlaced = accept(&app, &id, 1, "accept-key-added-0001", &who.grace).await.json().await.unwrap();
    let done = app.until_terminal(&placed.id.to_string(), &who.grace).await;
    assert_eq!(done.summary.state, OrderState::Completed, "{:?}", done.events);
    assert_eq!(done.summary.totals, current.net, "ordered at the quoted price");
    let ordered: Vec<&str> = done.items.iter().map(|item| item.title.as_str()).collect();
    let quoted: Vec<&str> =
        current.items.iter().filter(|item| item.spec.is_some()).map(|item| item.title.as_str()).collect();
    assert_eq!(ordered, quoted, "exactly the quoted lines");
}
