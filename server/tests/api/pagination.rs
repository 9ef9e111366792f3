//! Lists come a page at a time: never the whole table, whatever the caller asks for, and a
//! page never shows another organisation's rows.

use crate::helpers::training_draft;
use crate::helpers::{spawn_app, DEMO_PASSWORD};
use lightpath_domain::records::{DesignSummary, PageRequest, Paged};
use serde_json::json;

#[tokio::test]
async fn long_lists_come_a_page_at_a_time_and_stay_in_their_organisation() {
    let app = spawn_app().await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let size = PageRequest::SIZE as usize;
    for n in 0..size + 7 {
        let body =
            json!({ "id": null, "draft": training_draft(&format!("Draft {n:03}")), "intent": "draft", "choice": null });
        assert_eq!(app.post_json("/api/save-design", &body, Some(&grace)).await.status(), 200);
    }
    let page = |number: Option<&'static str>, cookie: String| {
        let app = &app;
        async move {
            let form: Vec<(&str, &str)> = number.map(|n| vec![("page", n)]).unwrap_or_default();
            let response = app.post_form("/api/designs", &form, Some(&cookie)).await;
            assert_eq!(response.status(), 200);
            response.json::<Paged<DesignSummary>>().await.unwrap()
        }
    };
    let first = page(None, grace.clone()).await;
    assert_eq!((first.items.len(), first.page, first.more), (size, 0, true));
    assert_eq!(first.items[0].name, format!("Draft {:03}", size + 6), "newest first");
    let second = page(Some("1"), grace.clone()).await;
    assert_eq!((second.items.len(), second.more), (7, false));
    assert!(second.items.iter().all(|design| !first.items.iter().any(|seen| seen.id == design.id)), "no row twice");
    // An absurd page is bounded (a bounded offset) and simply empty.
    let far = page(Some("4294967295"), grace.clone()).await;
    assert_eq!((far.items.len(), far.page), (0, PageRequest::LAST));
    assert_eq!(app.post_form("/api/designs", &[("page", "-1")], Some(&grace)).await.status(), 400);

    // Another organisation sees none of them on any page; staff see them all, paged too.
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    assert!(page(None, hal.clone()).await.items.is_empty());
    let sales = app.sign_in("sales@lightpath.example", DEMO_PASSWORD).await;
    assert_eq!(page(None, sales).await.items.len(), size);

    // Asking for another organisation's quotes by id answers an empty page.
    let acme = first.items[0].organisation.id.to_string();
    let quotes: serde_json::Value =
        app.post_form("/api/quotes", &[("organisation", acme.as_str())], Some(&hal)).await.json().await.unwrap();
    assert_eq!(quotes["quotes"]["items"], json!([]));
    for path in ["/api/orders", "/api/services", "/api/held-orders", "/api/admin/users", "/api/admin/audit"] {
        let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
        let answer: serde_json::Value = app.post_form(path, &[("page", "0")], Some(&admin)).await.json().await.unwrap();
        let listed = if path == "/api/services" { &answer["services"] } else { &answer };
        assert!(listed["items"].as_array().is_some_and(|items| items.len() <= size), "{path}: {answer}");
    }
}
