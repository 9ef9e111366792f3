//! How responses travel: compressed when the client accepts it, and cached for exactly as
//! long as they stay true.
//!
//! - Built files under `/pkg` carry a content hash in their names (cargo-leptos `hash-files`),
//!   so a release never reuses an old name: they are cached for a year and never revalidated.
//!   Without hashing (a debug build) they are revalidated on every use.
//! - Pages and API answers are `no-cache` (a cache must ask again) for anonymous visitors, and
//!   `private, no-store` for a signed-in person, for any request that carries credentials
//!   (`Authorization`, as API tokens do) and for every server function's answer, so no
//!   shared or back-button cache can show one person's data to the next.
//! - Compression: release builds write `.br` and `.gz` beside every built file once
//!   (`--precompress`), served by `ServeDir`; everything else is compressed on the fly at the
//!   lowest level, which costs little CPU. Server-Sent Events, images and tiny bodies are left
//!   alone, and a streamed page is flushed chunk by chunk, so streaming still streams.

use app::auth::Session;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use lightpath_app::AppError;
use tower_http::compression::{predicate::DefaultPredicate, CompressionLayer, CompressionLevel};

/// Hashed build files: cache for a year, never revalidate.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Anonymous pages and public data: a cache may keep them but must ask again before use.
pub const REVALIDATE: &str = "no-cache";
/// Anything about a signed-in person: never stored anywhere.
pub const PRIVATE: &str = "private, no-store";

/// Dynamic responses: brotli first, gzip second, at quality 1. Pages and JSON are small (a few
/// KB): measured with wrk on the home page, brotli at quality 4 halved the requests a second
/// against quality 1 (2.1k against 4.8k) for 0.6 KB less on the wire; the default, 11, costs tens
/// of milliseconds a page. Built files are compressed once, at 11, by the build.
///
/// The default predicate skips bodies under 32 bytes, images, gRPC and `text/event-stream`, and
/// responses that already carry a `Content-Encoding` (the precompressed files).
pub fn compression() -> CompressionLayer<DefaultPredicate> {
    CompressionLayer::new().quality(CompressionLevel::Precise(1))
}

/// Whether the files under `/pkg` have content-hashed names (a cargo-leptos build with
/// `hash-files`, which the server learns from `LEPTOS_HASH_FILES`).
#[derive(Clone, Copy, Debug)]
pub struct AssetNames {
    pub hashed: bool,
}

/// Sets `Cache-Control` on every response that has none (see the module documentation).
/// Runs inside `resolve_session`, so it knows whether the request is signed in.
pub async fn cache_control(State(assets): State<AssetNames>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let policy = if path.starts_with("/pkg/") {
        Some(if assets.hashed { IMMUTABLE } else { REVALIDATE })
    } else if path == "/favicon.svg" {
        Some("public, max-age=86400")
    } else if request.extensions().get::<Session>().is_some()
        || request.headers().contains_key(header::AUTHORIZATION)
        || is_server_function(path)
    {
        Some(PRIVATE)
    } else {
        None
    };
    let mut response = next.run(request).await;
    let found = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let policy = match policy {
        // A missing file must not be remembered for a year.
        Some(IMMUTABLE) if !found => REVALIDATE,
        Some(policy) => policy,
        None if response.headers().contains_key(header::CACHE_CONTROL) => return response,
        None => REVALIDATE,
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// A server function whose arguments cannot be read fails before any use case runs, so
/// nothing set its status: the transport answers 500 with the `serverfnerror` header and the
/// [`AppError`] in the body. That error is the caller's (`Malformed`), answered 400 here.
pub async fn server_function_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !response.headers().contains_key("serverfnerror") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // An error body is one small JSON value; anything larger is left as it was.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return Response::from_parts(parts, axum::body::Body::empty());
    };
    if let Ok(AppError::Malformed(_)) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Leptos server functions answer under `/api/` (the REST API is `/api/v1/`).
fn is_server_function(path: &str) -> bool {
    path.starts_with("/api/") && !path.starts_with("/api/v1/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_functions_are_told_from_the_rest_api() {
        assert!(is_server_function("/api/sign-in"));
        assert!(is_server_function("/api/recommend"));
        assert!(!is_server_function("/api/v1/products"));
        assert!(!is_server_function("/catalog"));
    }
}
