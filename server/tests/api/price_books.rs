//! Price books as versions over HTTP: a draft is copied, edited and published; published
//! versions never change, and the catalog prices from the newest one.

use crate::helpers::{spawn_app, DEMO_PASSWORD};

#[tokio::test]
async fn a_published_draft_becomes_the_current_price_book_and_the_old_version_keeps_its_prices() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let store = app.store().await;
    let before = store.price_book(1).await.unwrap().unwrap();

    let opened = app.post_form("/api/admin/open-draft", &[], Some(&admin)).await;
    assert!(opened.status().is_success() || opened.status().is_redirection(), "{}", opened.status());
    // Opening again continues the same draft.
    app.post_form("/api/admin/open-draft", &[], Some(&admin)).await;
    let drafts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM price_books WHERE status = 'draft'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(drafts, 1);

    // The draft's prices are one form. A bad amount anywhere is refused, naming its line, and
    // nothing is saved, not even the good amounts beside it.
    let line_1 = store.price_book(2).await.unwrap().unwrap().lines[1].amount;
    for bad in ["-5", "abc", "1.999", ""] {
        let response = app
            .post_form(
                "/api/admin/set-prices",
                &[("version", "2"), ("amounts[0]", bad), ("amounts[1]", "12345")],
                Some(&admin),
            )
            .await;
        assert_eq!(response.status(), 422, "{bad:?}");
        let body = response.text().await.unwrap();
        assert!(
            body.contains("Enter an amount in dollars, like 1250 or 3.55, for Internet on Demand "),
            "{bad:?}: {body}"
        );
    }
    assert_eq!(store.price_book(2).await.unwrap().unwrap().lines[1].amount, line_1, "nothing saved");
    // A position that is not a line of the draft (a stale or forged form) changes nothing.
    let stale = app
        .post_form(
            "/api/admin/set-prices",
            &[("version", "2"), ("amounts[0]", "2"), ("amounts[99999]", "1")],
            Some(&admin),
        )
        .await;
    assert_eq!(stale.status(), 422);
    assert!(stale.text().await.unwrap().contains("reload the page"));
    // Too many prices in one save is refused before any is read.
    let mut flood: Vec<(String, String)> = (0..2_001).map(|n| (format!("amounts[{n}]"), "1".to_owned())).collect();
    flood.push(("version".into(), "2".into()));
    let flood: Vec<(&str, &str)> = flood.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let flooded = app.post_form("/api/admin/set-prices", &flood, Some(&admin)).await;
    assert_eq!(flooded.status(), 422);
    assert!(flooded.text().await.unwrap().contains("at most 2000 prices"));
    let set = app.post_form("/api/admin/set-prices", &[("version", "2"), ("amounts[0]", "0.95")], Some(&admin)).await;
    assert_eq!(set.status(), 200);
    assert_eq!(app.post_form("/api/admin/publish", &[("version", "2")], Some(&admin)).await.status(), 200);

    let current = store.current_price_book().await.unwrap();
    assert_eq!(current.version, 2);
    assert_eq!(current.lines[0].amount.cents(), 95);
    // Version 1 is retired, with every price exactly as it was.
    assert_eq!(store.price_book(1).await.unwrap().unwrap(), before);
    // Published and retired versions refuse edits and a second publish.
    for version in ["1", "2"] {
        let edit =
            app.post_form("/api/admin/set-prices", &[("version", version), ("amounts[0]", "1")], Some(&admin)).await;
        assert_eq!(edit.status(), 422);
        assert!(edit.text().await.unwrap().contains("never change"));
        assert_eq!(app.post_form("/api/admin/publish", &[("version", version)], Some(&admin)).await.status(), 422);
    }
    // The public catalog prices from version 2 now.
    let product = app.get_json("/api/v1/products/internet-on-demand").await;
    assert!(product.to_string().contains("95"), "{product}");

    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'price-book.%' ORDER BY at_ms")
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert_eq!(actions, ["price-book.draft", "price-book.edit", "price-book.publish"]);
}

#[tokio::test]
async fn a_draft_with_a_problem_cannot_be_published_and_says_what_to_fix() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    app.post_form("/api/admin/open-draft", &[], Some(&admin)).await;
    let store = app.store().await;
    // A price line lost from the draft (as a broken import would): an option left unpriced.
    sqlx::query("DELETE FROM price_lines WHERE price_book_version = 2 AND product_id = 'colocation'")
        .execute(store.pool())
        .await
        .unwrap();
    let response = app.post_form("/api/admin/publish", &[("version", "2")], Some(&admin)).await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(body.contains("Colocation") && body.contains("no recurring price"), "{body}");
    assert_eq!(store.current_price_book().await.unwrap().version, 1);
}

#[tokio::test]
async fn product_texts_are_edited_with_field_errors_and_an_audit_entry() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let form = |name: &'static str| {
        [
            ("id", "dark-fiber"),
            ("name", name),
            ("tagline", "Your own glass."),
            ("description", "A fiber pair on a fixed route."),
        ]
    };
    // A second server on the same database, its catalog already in memory.
    let other_server = app.store().await;
    let name_there = |products: Vec<lightpath_domain::Product>| {
        products.into_iter().find(|product| product.id.as_str() == "dark-fiber").map(|product| product.name)
    };
    assert_eq!(name_there(other_server.products().await.unwrap()).as_deref(), Some("Dark Fiber"));
    let empty = app.post_form("/api/admin/update-product", &form("  "), Some(&admin)).await;
    assert_eq!(empty.status(), 422);
    assert!(empty.text().await.unwrap().contains("Enter the product name"));
    assert_eq!(app.post_form("/api/admin/update-product", &form("Dark Fibre"), Some(&admin)).await.status(), 200);
    let page = app.get("/products/dark-fiber").await.text().await.unwrap();
    assert!(page.contains("Dark Fibre") && page.contains("Your own glass."));
    // The other server trusts what it read for `CATALOG_FRESHNESS`, then reads the edit.
    tokio::time::sleep(lightpath_store::CATALOG_FRESHNESS).await;
    assert_eq!(
        name_there(other_server.products().await.unwrap()).as_deref(),
        Some("Dark Fibre"),
        "its cache is renewed"
    );
    let audit = app.post_form("/api/admin/audit", &[("action", "product")], Some(&admin)).await.text().await.unwrap();
    assert!(audit.contains("product.edit") && audit.contains("Dark Fiber") && audit.contains("Dark Fibre"), "{audit}");
}

#[tokio::test]
async fn roles_change_within_staff_or_within_customers_only() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let store = app.store().await;
    let id_of = |email: &'static str| {
        let pool = store.pool().clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT id FROM users WHERE email = $1")
                .bind(email)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let grace = id_of("grace@acme.example").await;
    let sales = id_of("sales@lightpath.example").await;
    let ada = id_of("ada@acme.example").await;
    let set = |user: String, role: &'static str| {
        let admin = admin.clone();
        let app = &app;
        async move { app.post_form("/api/admin/set-role", &[("user", user.as_str()), ("role", role)], Some(&admin)).await }
    };
    assert_eq!(set(grace.clone(), "org-admin").await.status(), 200);
    assert_eq!(set(sales.clone(), "admin").await.status(), 200);
    let cross = set(grace.clone(), "admin").await;
    assert_eq!(cross.status(), 422);
    assert!(cross.text().await.unwrap().contains("cannot be swapped"));
    assert_eq!(set(grace.clone(), "root").await.status(), 422);
    // Acme keeps an org admin: Grace is one now, so Ada may become a buyer, but not Grace too.
    assert_eq!(set(ada, "buyer").await.status(), 200);
    assert_eq!(set(grace, "buyer").await.status(), 422);
    // The promoted sales engineer now opens admin pages.
    let promoted = app.sign_in("sales@lightpath.example", DEMO_PASSWORD).await;
    assert_eq!(app.get_with("/admin/audit", Some(&promoted)).await.status(), 200);
}

#[tokio::test]
async fn admins_set_early_termination_shares_in_a_draft_and_they_apply_once_published() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let share = |version: &'static str, product: &'static str, share: &'static str, cookie: String| {
        let app = &app;
        async move {
            let form = [("version", version), ("product", product), ("share", share)];
            app.post_form("/api/admin/set-termination-share", &form, Some(&cookie)).await
        }
    };
    assert_eq!(share("1", "dark-fiber", "50", admin.clone()).await.status(), 422, "version 1 is published");
    app.post_form("/api/admin/open-draft", &[], Some(&admin)).await;
    let draft = app.store().await.price_book(2).await.unwrap().unwrap();
    let internet = lightpath_domain::ProductId::parse("internet-on-demand").unwrap();
    assert_eq!(draft.termination_share(&internet), 5_000, "copied from v1");
    for bad in ["150", "-1", "lots", "12.345"] {
        let refused = share("2", "dark-fiber", bad, admin.clone()).await;
        assert_eq!(refused.status(), 422, "{bad}");
        assert!(refused.text().await.unwrap().contains("from 0 to 100"), "{bad}");
    }
    assert_eq!(share("2", "no-such-product", "50", admin.clone()).await.status(), 404);
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    assert_eq!(share("2", "dark-fiber", "10", grace).await.status(), 403);

    assert_eq!(share("2", "dark-fiber", "62.5", admin.clone()).await.status(), 200);
    let before = app.get_json("/api/v1/products/dark-fiber").await;
    assert_eq!(before["early_termination_share_bp"], 10_000, "a draft changes nothing yet");
    assert_eq!(app.post_form("/api/admin/publish", &[("version", "2")], Some(&admin)).await.status(), 200);
    let after = app.get_json("/api/v1/products/dark-fiber").await;
    assert_eq!(after["early_termination_share_bp"], 6_250);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%early_termination_bp%'")
            .fetch_one(app.store().await.pool())
            .await
            .unwrap();
    assert_eq!(audited, 1);
}
