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

#[tokio::test]
async fn random_reserves_and_releases_keep_the_books_exact() {
    let (_database, store) = seeded_store().await;
    let spans = ["nyc-bos", "nyc-ash", "ash-chi", "chi-kcy", "kcy-dfw"];
    let mut expected: std::collections::HashMap<String, (Vec<&str>, u64)> = std::collections::HashMap::new();
    // A fixed-seed xorshift drives 300 operations: reserve a random path at a random rate, or
    // release a random holder. After each step the stored totals equal the sum of what is held.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |bound: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % bound
    };
    for step in 0..300 {
        if next(3) < 2 {
            let first = next(spans.len() as u64) as usize;
            let length = 1 + next((spans.len() - first) as u64) as usize;
            let path: Vec<&str> = spans[first..first + length].to_vec();
            let mbps = (1 + next(40)) * 400_000;
            let holder = format!("holder-{step}");
            let ids: Vec<SpanId> = path.iter().map(|id| span(id)).collect();
            match store.reserve(&holder, &ids, mbps).await {
                Ok(()) => {
                    expected.insert(holder, (path, mbps));
                }
                Err(ReserveError::NoCapacity { .. }) => {}
                Err(other) => panic!("{other}"),
            }
        } else if !expected.is_empty() {
            let mut holders: Vec<String> = expected.keys().cloned().collect();
            holders.sort();
            let holder = holders[next(holders.len() as u64) as usize].clone();
            let (path, _) = expected.remove(&holder).unwrap();
            assert_eq!(store.release(&holder).await.unwrap(), path.len() as u64);
        }
        let stored = store.reservations().await.unwrap();
        for id in spans {
            let held: u64 = expected.values().filter(|(path, _)| path.contains(&id)).map(|(_, mbps)| mbps).sum();
            assert_eq!(stored.get(&span(id)).copied().unwrap_or(0), held, "span {id} after step {step}");
            assert!(held <= NYC_BOS_MBPS, "never above a span's capacity");
        }
    }
    for holder in expected.keys() {
        store.release(holder).await.unwrap();
    }
    assert!(store.reservations().await.unwrap().is_empty(), "every span back to its prior state");
}
