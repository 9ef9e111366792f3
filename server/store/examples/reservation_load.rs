//! Reservation throughput with 200 concurrent reservers, and a leak check afterwards.
//!
//! `cargo run --release -p lightpath-store --example reservation_load -- [DATABASE_URL]`
//! (default: a fresh SQLite file in a temporary directory). Results go in docs/benchmarks.md.

use lightpath_domain::SpanId;
use lightpath_store::{DatabaseTarget, ReserveError, Store};
use std::sync::Arc;
use std::time::Instant;

const RESERVERS: usize = 200;
const ROUNDS: usize = 25;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).unwrap_or_else(|| {
        let dir = std::env::temp_dir().join(format!("lightpath-load-{}", std::process::id()));
        format!("sqlite://{}", dir.join("load.db").display())
    });
    let store = Store::connect(&DatabaseTarget::parse(&url)?).await?;
    store.migrate().await?;
    store.seed().await?;
    let spans: Vec<SpanId> = store.spans().await?.into_iter().map(|span| span.id).collect();
    let store = Arc::new(store);
    let started = Instant::now();
    let tasks: Vec<_> = (0..RESERVERS)
        .map(|reserver| {
            let (store, spans) = (Arc::clone(&store), spans.clone());
            tokio::spawn(async move {
                let (mut granted, mut refused) = (0u32, 0u32);
                for round in 0..ROUNDS {
                    // A three-span path that overlaps with other reservers' paths.
                    let first = (reserver * 7 + round) % spans.len();
                    let path: Vec<SpanId> = (0..3).map(|i| spans[(first + i) % spans.len()].clone()).collect();
                    let holder = format!("load-{reserver}-{round}");
                    match store.reserve(&holder, &path, 2_000_000).await {
                        Ok(()) => granted += 1,
                        Err(ReserveError::NoCapacity { .. }) => refused += 1,
                        Err(error) => panic!("reservation failed: {error}"),
                    }
                    store.release(&holder).await.expect("release");
                }
                (granted, refused)
            })
        })
        .collect();
    let (mut granted, mut refused) = (0, 0);
    for task in tasks {
        let (g, r) = task.await?;
        granted += g;
        refused += r;
    }
    let elapsed = started.elapsed();
    let operations = (granted + refused) as f64 * 2.0;
    let leaked = store.reservations().await?;
    println!(
        "{} reservers × {ROUNDS} reserve+release of 2 Tbps on a 3-span path on {}: {granted} granted, {refused} refused, {:.2} s, {:.0} operations/s, leaked spans: {}",
        RESERVERS,
        if store.is_postgres() { "PostgreSQL" } else { "SQLite" },
        elapsed.as_secs_f64(),
        operations / elapsed.as_secs_f64(),
        leaked.len()
    );
    if !leaked.is_empty() {
        return Err(format!("capacity leaked: {leaked:?}").into());
    }
    Ok(())
}
