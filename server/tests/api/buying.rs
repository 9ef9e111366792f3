//! Buying safely (issue 27): the buyer's purchase-order reference travels with the order from
//! each door, and what it may contain is checked before anything is placed.

use crate::helpers::{spawn_app, DEMO_PASSWORD};
use crate::public_api::{call, call_with_key, design_via_api, json_of, token};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_purchase_order_reference_is_stored_on_the_order_and_bad_ones_place_nothing() {
    let app = spawn_app().await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let token = token(&app, &ada, "ERP", "full").await;
    let design = design_via_api(&app, &token, "Training with a PO").await;

    // A reference that is not one short printable line is refused beside its field, and the
    // key stays unused: nothing was placed.
    let key = "api-po-order-00000000001";
    for bad in ["PO-1\r\nX-Injected: yes", "\u{1b}[31mred", &"9".repeat(65)] {
        let body = json!({ "design": design, "purchase_order": bad });
        let refused = call_with_key(&app, Method::POST, "/api/v1/orders", &token, key, Some(body)).await;
        let problem = json_of(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(problem.to_string().contains("purchase_order"), "{bad:?}: {problem}");
    }
    let listed = call(&app, Method::GET, "/api/v1/orders", &token, None).await;
    assert_eq!(listed.headers()["x-total-count"], "0", "no refused attempt placed an order");

    let body = json!({ "design": design, "purchase_order": "  PO 4500012345 / Ünïcode ok  " });
    let placed = call_with_key(&app, Method::POST, "/api/v1/orders", &token, key, Some(body.clone())).await;
    let order = json_of(placed, StatusCode::CREATED).await;
    assert_eq!(order["summary"]["purchase_order"], "PO 4500012345 / Ünïcode ok", "trimmed, kept as typed");
    let again = call_with_key(&app, Method::POST, "/api/v1/orders", &token, key, Some(body)).await;
    assert_eq!(json_of(again, StatusCode::OK).await["summary"]["id"], order["summary"]["id"]);

    // The same key with another reference is another request: refused, not silently merged.
    let other = json!({ "design": design, "purchase_order": "PO-other" });
    let reused = call_with_key(&app, Method::POST, "/api/v1/orders", &token, key, Some(other)).await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // No reference: none stored, and the field is left out of the answer.
    let plain = json!({ "design": design });
    let placed =
        call_with_key(&app, Method::POST, "/api/v1/orders", &token, "api-po-order-00000000002", Some(plain)).await;
    let order = json_of(placed, StatusCode::CREATED).await;
    assert!(order["summary"].get("purchase_order").is_none(), "{order}");
}
