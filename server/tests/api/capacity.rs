//! Capacity reservations against the real database: all-or-nothing, idempotent, exact
//! release, and never oversold by 200 concurrent reservers — on SQLite and PostgreSQL.

use crate::helpers::seeded_store;
use lightpath_domain::SpanId;
use lightpath_store::ReserveError;
use std::sync::Arc;

fn span(id: &str) -> SpanId {
    SpanId::parse(id).unwrap()
}

/// nyc-bos carries 96 × 400G = 38.4 Tbps.
const NYC_BOS_MBPS: u64 = 96 * 400 * 1_000;

#[tokio::test]
async fn two_hundred_concurrent_reservers_never_oversell_the_last_capacity() {
    let (_database, store) = seeded_store().await;
    let store = Arc::new(store);
    // 200 buyers each want a 400G wave on New York–Boston; 96 fit.
    let attempts = (0..200).map(|i| {
        let store = Arc::clone(&store);
        tokio::spawn(async move { store.reserve(&format!("order-{i}"), &[span("nyc-bos")], 400_000).await })
    });
    let mut granted = 0;
    for attempt in attempts {
        match attempt.await.expect("task") {
            Ok(()) => granted += 1,
            Err(ReserveError::NoCapacity { .. }) => {}
            Err(other) => panic!("unexpected failure: {other}"),
        }
    }
    assert_eq!(granted, 96);
    assert_eq!(store.reservations().await.unwrap()[&span("nyc-bos")], NYC_BOS_MBPS);
}

#[tokio::test]
async fn a_path_is_reserved_all_or_nothing() {
    let (_database, store) = seeded_store().await;
    store.reserve("big", &[span("bos-chi")], 64 * 400 * 1_000).await.expect("fill bos-chi");
    let path = [span("nyc-bos"), span("bos-chi")];
    let refused = store.reserve("blocked", &path, 100_000).await;
    assert!(
        matches!(refused, Err(ReserveError::NoCapacity { ref span, .. }) if span.as_str() == "bos-chi"),
        "{refused:?}"
    );
    // Nothing was left behind on nyc-bos by the refused reservation.
    let reserved = store.reservations().await.unwrap();
    assert!(!reserved.contains_key(&span("nyc-bos")), "{reserved:?}");
    assert!(store.holding("blocked").await.unwrap().is_none());
}

#[tokio::test]
async fn reserving_is_idempotent_and_release_is_exact() {
    let (_database, store) = seeded_store().await;
    let path = [span("nyc-ash"), span("ash-atl")];
    store.reserve("item-1", &path, 10_000).await.unwrap();
    store.reserve("item-1", &path, 10_000).await.unwrap();
    store.reserve("item-2", &[span("nyc-ash")], 1_000).await.unwrap();
    let reserved = store.reservations().await.unwrap();
    assert_eq!(reserved[&span("nyc-ash")], 11_000);
    assert_eq!(reserved[&span("ash-atl")], 10_000);
    assert_eq!(store.holding("item-1").await.unwrap().unwrap().spans.len(), 2);

    assert_eq!(store.release("item-1").await.unwrap(), 2);
    assert_eq!(store.release("item-1").await.unwrap(), 0, "a second release frees nothing");
    let reserved = store.reservations().await.unwrap();
    assert_eq!(reserved[&span("nyc-ash")], 1_000);
    assert!(!reserved.contains_key(&span("ash-atl")));
    store.release("item-2").await.unwrap();
    assert!(store.reservations().await.unwrap().is_empty(), "no capacity leaks");
}

#[tokio::test]
async fn bad_reservations_are_refused() {
    let (_database, store) = seeded_store().await;
    assert!(matches!(store.reserve("x", &[], 1_000).await, Err(ReserveError::Empty)));
    assert!(matches!(store.reserve("x", &[span("nyc-bos")], 0).await, Err(ReserveError::Empty)));
    let unknown = store.reserve("x", &[span("nyc-moon")], 1_000).await;
    assert!(matches!(unknown, Err(ReserveError::UnknownSpan(_))), "{unknown:?}");
}
