//! Web security: headers on every response, cross-site writes, body limits, no internals.

use crate::helpers::{spawn_app, spawn_app_with, DEMO_PASSWORD};

#[tokio::test]
async fn pages_carry_a_nonce_csp_and_the_hydration_script_carries_the_nonce() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    let csp = response.headers().get("content-security-policy").expect("CSP").to_str().unwrap().to_owned();
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce").to_owned();
    assert!(nonce.len() >= 16, "{csp}");
    for part in ["script-src 'self'", "'wasm-unsafe-eval'", "frame-ancestors 'none'", "object-src 'none'"] {
        assert!(csp.contains(part), "{csp} lacks {part}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(response.headers().contains_key("referrer-policy"));
    let html = response.text().await.unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries this response's nonce");
    // The 404 page too: its script carries the nonce of its own policy.
    let missing = app.get("/no-such-page").await;
    let csp = missing.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce").to_owned();
    assert!(missing.text().await.unwrap().contains(&format!("nonce=\"{nonce}\"")));
    // A new nonce each response.
    let again = app.get("/").await.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert_ne!(again, csp);
}

#[tokio::test]
async fn api_answers_and_errors_carry_security_headers_too() {
    let app = spawn_app().await;
    for path in ["/api/v1/products", "/healthz", "/no-such-page"] {
        let response = app.get(path).await;
        assert_eq!(response.headers()["x-content-type-options"], "nosniff", "{path}");
        assert!(
            response.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn cross_site_writes_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let attempt = |headers: &'static [(&'static str, &'static str)]| {
        let mut request =
            app.client.post(format!("{}/api/change-password", app.address)).header("cookie", &cookie).form(&[
                ("current", DEMO_PASSWORD),
                ("password", "hijacked password 1"),
                ("confirm", "hijacked password 1"),
            ]);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };
    let cross = attempt(&[("sec-fetch-site", "cross-site")]).await.unwrap();
    assert_eq!(cross.status(), 403);
    assert!(cross.text().await.unwrap().contains("another site"));
    assert_eq!(attempt(&[("origin", "http://evil.example")]).await.unwrap().status(), 403);
    assert_eq!(attempt(&[("sec-fetch-site", "same-site")]).await.unwrap().status(), 403);
    // The password did not change.
    app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
}

#[tokio::test]
async fn state_never_changes_over_get() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let response = app.get_with("/api/sign-out", Some(&cookie)).await;
    assert!(response.status().is_client_error(), "{}", response.status());
    assert_eq!(app.get_with("/account", Some(&cookie)).await.status(), 200, "still signed in");
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let app = spawn_app().await;
    let huge = "x".repeat(200 * 1024);
    let response = app.post_form("/api/sign-in", &[("email", "a@b.example"), ("password", &huge)], None).await;
    assert_eq!(response.status(), 413);
    assert_eq!(app.get("/healthz").await.status(), 200, "the server keeps serving");
}

#[tokio::test]
async fn errors_never_show_sql_or_internals() {
    let app = spawn_app().await;
    let cookie = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let store = app.store().await;
    // Break the audit table: a change must now fail as a whole, with a plain message.
    sqlx::query("DROP TABLE audit_log").execute(store.pool()).await.unwrap();
    let response = app
        .post_form(
            "/api/admin/update-product",
            &[("id", "dark-fiber"), ("name", "Dark Fibre"), ("tagline", "A pair"), ("description", "Glass.")],
            Some(&cookie),
        )
        .await;
    assert_eq!(response.status(), 503);
    let body = response.text().await.unwrap();
    assert!(!body.to_lowercase().contains("audit_log") && !body.contains("SQL"), "{body}");
    assert_eq!(body, "\"Unavailable\"", "the typed error the page turns into a sentence");
    let name: String =
        sqlx::query_scalar("SELECT name FROM products WHERE id = 'dark-fiber'").fetch_one(store.pool()).await.unwrap();
    assert_eq!(name, "Dark Fiber", "nothing half-written");
}

#[tokio::test]
async fn sign_in_redirects_only_to_this_site_and_no_next_parameter_breaks_the_request() {
    let app = spawn_app().await;
    let sign_in = |next: &'static str| {
        app.client
            .post(format!("{}/api/sign-in", app.address))
            .header("sec-fetch-site", "same-origin")
            .header("accept", "text/html")
            .form(&[("email", "grace@acme.example"), ("password", DEMO_PASSWORD), ("next", next)])
            .send()
    };
    let kept = sign_in("/orders?state=running").await.unwrap();
    assert_eq!(kept.headers()["location"], "/orders?state=running");
    // A tab, a newline, a backslash or a dot segment must not lead to another site, and a
    // control character (which no header may carry) must not break the request either.
    for next in ["/\t/evil.example", "/\n/evil.example", "/\r\nSet-Cookie: x=1", "/\\evil.example", "/.//evil.example"]
    {
        let response = sign_in(next).await.expect("the server answers");
        assert!(response.status().is_redirection(), "{next:?}: {}", response.status());
        assert_eq!(response.headers()["location"], "/dashboard", "{next:?}");
    }
}

#[tokio::test]
async fn a_request_id_is_kept_only_when_well_formed() {
    let app = spawn_app().await;
    let with_id =
        |id: &'static str| app.client.get(format!("{}/healthz", app.address)).header("x-request-id", id).send();
    let kept = with_id("checkout-42.retry_1").await.unwrap();
    assert_eq!(kept.headers()["x-request-id"], "checkout-42.retry_1");
    for bad in ["a b", "<script>", "x\ty", "0123456789012345678901234567890123456789012345678901234567890123456789"] {
        let response = app
            .client
            .get(format!("{}/healthz", app.address))
            .header("x-request-id", http::HeaderValue::from_bytes(bad.as_bytes()).unwrap())
            .send()
            .await
            .unwrap();
        let echoed = response.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert_ne!(echoed, bad);
        assert!(uuid::Uuid::parse_str(&echoed).is_ok(), "a fresh id instead of {bad:?}: {echoed}");
    }
}

#[tokio::test]
async fn forwarding_headers_are_believed_only_from_a_trusted_proxy() {
    let sign_in_from = |app: &crate::helpers::TestApp, client: &'static str| {
        app.client
            .post(format!("{}/api/sign-in", app.address))
            .header("sec-fetch-site", "same-origin")
            .header("x-forwarded-for", client)
            .header("x-forwarded-proto", "https")
            .form(&[("email", "nobody@example.com"), ("password", "wrong password here")])
            .send()
    };
    // Nobody trusted: the headers are the client's word; no HSTS over plain HTTP, and a changed
    // X-Forwarded-For does not buy new attempts.
    let direct = spawn_app_with(|config| config.auth_attempts_per_minute = 2).await;
    let mut statuses = Vec::new();
    for client in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
        let response = sign_in_from(&direct, client).await.unwrap();
        assert!(!response.headers().contains_key("strict-transport-security"));
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");

    // Behind a trusted proxy (this test's loopback address): each client has its own budget,
    // and a request that came over HTTPS is told to stay on HTTPS.
    let proxied = spawn_app_with(|config| {
        config.auth_attempts_per_minute = 2;
        config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(sign_in_from(&proxied, "198.51.100.1").await.unwrap().status().as_u16());
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    let other = sign_in_from(&proxied, "198.51.100.2").await.unwrap();
    assert_ne!(other.status(), 429, "another client behind the proxy has its own budget");
    assert_eq!(other.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
    let page = proxied.client.get(format!("{}/", proxied.address)).send().await.unwrap();
    assert!(!page.headers().contains_key("strict-transport-security"), "plain HTTP through the proxy");
}
