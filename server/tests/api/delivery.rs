//! How responses travel: brotli when the client accepts it (plain otherwise), hashed build
//! files cached as immutable, signed-in pages and server-function answers never stored, and
//! Server-Sent Events delivered as they happen, never held back by compression.

use crate::helpers::{spawn_app, spawn_app_with, TestApp, DEMO_PASSWORD};
use lightpath_app::model::orders::OrderPlaced;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";

fn unbrotli(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(body, 4096).read_to_end(&mut out).expect("a valid brotli stream");
    out
}

impl TestApp {
    async fn get_encoded(&self, path: &str, accept: Option<&str>, cookie: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(format!("{}{path}", self.address));
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("request reaches the server")
    }
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|value| value.to_str().ok())
}

/// A built site like cargo-leptos writes with `hash-files`: hashed names under `pkg/`.
fn hashed_site(root: &Path) -> Vec<(&'static str, Vec<u8>)> {
    let files = vec![
        ("pkg/lightpath.AbC123.wasm", b"\0asm\x01\0\0\0".iter().copied().cycle().take(40_000).collect::<Vec<u8>>()),
        ("pkg/lightpath.AbC123.js", "export function hydrate() { return 1; }\n".repeat(400).into_bytes()),
        ("pkg/lightpath.XyZ789.css", "body { margin: 0; color: #0b1f3a; }\n".repeat(400).into_bytes()),
    ];
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    for (name, bytes) in &files {
        std::fs::write(root.join(name), bytes).unwrap();
    }
    files
}

#[tokio::test]
async fn built_files_are_compressed_when_accepted_and_cached_as_immutable() {
    let site = std::env::temp_dir().join(format!("lightpath-site-{}", uuid::Uuid::new_v4().simple()));
    let files = hashed_site(&site);
    let root = site.to_str().unwrap().to_owned();
    let app = spawn_app_with(|config| {
        config.site_root = root;
        config.hash_files = true;
    })
    .await;
    for (name, bytes) in &files {
        let path = format!("/{name}");
        let response = app.get_encoded(&path, Some(BROWSER_ENCODINGS), None).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(header(&response, "content-encoding"), Some("br"), "{path}");
        assert_eq!(header(&response, "cache-control"), Some("public, max-age=31536000, immutable"), "{path}");
        let body = response.bytes().await.unwrap();
        assert!(body.len() < bytes.len() / 4, "{path}: {} compressed bytes of {}", body.len(), bytes.len());
        assert_eq!(unbrotli(&body), *bytes, "{path}");
        // A client that accepts no encoding gets the file as it is.
        let plain = app.get_encoded(&path, None, None).await;
        assert_eq!(header(&plain, "content-encoding"), None, "{path}");
        assert_eq!(plain.bytes().await.unwrap(), *bytes, "{path}");
    }
    // A file the build wrote compressed (`--precompress`) is sent as written.
    let precompressed = b"precompressed by the build".to_vec();
    std::fs::write(site.join("pkg/lightpath.AbC123.js.br"), &precompressed).unwrap();
    let response = app.get_encoded("/pkg/lightpath.AbC123.js", Some(BROWSER_ENCODINGS), None).await;
    assert_eq!(header(&response, "content-encoding"), Some("br"));
    assert_eq!(response.bytes().await.unwrap(), precompressed);
    // A missing file is not remembered for a year.
    let missing = app.get_encoded("/pkg/lightpath.0ld.wasm", Some(BROWSER_ENCODINGS), None).await;
    assert_eq!(missing.status(), 404);
    assert_ne!(header(&missing, "cache-control"), Some("public, max-age=31536000, immutable"));
    let _ = std::fs::remove_dir_all(&site);
}

#[tokio::test]
async fn pages_and_json_are_compressed_when_accepted_and_never_stored_when_signed_in() {
    let app = spawn_app().await;
    for (path, marker) in [("/", "Connect your AI"), ("/catalog", "Dark Fiber"), ("/api/v1/products", "Dark Fiber")] {
        let response = app.get_encoded(path, Some(BROWSER_ENCODINGS), None).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(header(&response, "content-encoding"), Some("br"), "{path}");
        assert_eq!(header(&response, "cache-control"), Some("no-cache"), "{path}");
        let text = String::from_utf8(unbrotli(&response.bytes().await.unwrap())).unwrap();
        assert!(text.contains(marker), "{path}: {text}");
        let plain = app.get_encoded(path, None, None).await;
        assert_eq!(header(&plain, "content-encoding"), None, "{path}");
        assert!(plain.text().await.unwrap().contains(marker), "{path}");
    }
    // gzip for a client without brotli.
    let gzip = app.get_encoded("/catalog", Some("gzip"), None).await;
    assert_eq!(header(&gzip, "content-encoding"), Some("gzip"));

    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    for path in ["/dashboard", "/catalog", "/designs"] {
        let response = app.get_encoded(path, Some(BROWSER_ENCODINGS), Some(&grace)).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(header(&response, "cache-control"), Some("private, no-store"), "{path}");
        assert_eq!(header(&response, "content-encoding"), Some("br"), "{path}");
    }
    // A server function's answer is never stored, signed in or not.
    let answer = app.post_form("/api/session", &[], Some(&grace)).await;
    assert_eq!(header(&answer, "cache-control"), Some("private, no-store"));
    let anonymous = app.post_form("/api/session", &[], None).await;
    assert_eq!(header(&anonymous, "cache-control"), Some("private, no-store"));
}

#[tokio::test]
async fn server_sent_events_arrive_at_once_and_uncompressed() {
    // The simulated network in real time: the order runs for minutes, so the stream stays open
    // and only the events written so far can reach the client.
    let app = spawn_app().await;
    app.network_at_speed("1").await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;
    let design = app.saved_design(&grace, "Streamed uncompressed").await;
    let placed: OrderPlaced =
        app.order_design(&design, "order-sse-compression-0001", &grace).await.json().await.unwrap();
    let path = format!("/api/v1/orders/{}/events", placed.id);
    let mut response = app.get_encoded(&path, Some(BROWSER_ENCODINGS), Some(&grace)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-encoding"), None);
    // A compressor that buffered would hold the first event until the order ends, long after
    // this bound.
    let first = tokio::time::timeout(Duration::from_secs(10), response.chunk())
        .await
        .expect("the first event arrives while the order runs")
        .unwrap()
        .expect("a first chunk");
    let text = String::from_utf8_lossy(&first);
    assert!(text.contains("id: 1"), "{text}");
}
