//! What changed, told to whoever follows it on this server: an order's timeline grew, or a
//! session ended. One channel per server replaces a database poll per open order page; the
//! store sends on it after each commit that adds an order event or ends a session, and on
//! PostgreSQL [`Store::watch_other_servers`] adds what other servers wrote (one shared poll).

use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::Id;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::broadcast;

/// One change. Receivers that fall behind by more than the channel holds are told they
/// lagged and look again, so a burst loses nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The order has new timeline events.
    Order(Id),
    /// The session with this token ended (signed out).
    SessionEnded(String),
}

#[derive(Debug)]
pub(crate) struct Feed {
    sender: broadcast::Sender<Change>,
}

impl Default for Feed {
    fn default() -> Feed {
        Feed { sender: broadcast::channel(1024).0 }
    }
}

impl Feed {
    pub(crate) fn send(&self, change: Change) {
        // No receiver is not an error: nobody is following anything right now.
        let _ = self.sender.send(change);
    }
}

/// How often one server asks the shared database what other servers added.
pub const SHARED_POLL: Duration = Duration::from_millis(500);

impl Store {
    /// Follows changes from now on.
    pub fn changes(&self) -> broadcast::Receiver<Change> {
        self.feed.sender.subscribe()
    }

    pub(crate) fn order_changed(&self, order: &Id) {
        self.feed.send(Change::Order(order.clone()));
    }

    /// Tells this server's followers about timeline events other servers wrote, with one
    /// query every [`SHARED_POLL`] while anyone follows (none when nobody does). Events seen
    /// already are not told twice; the window looks back a few seconds so a writer whose clock
    /// is a little behind is not missed.
    pub async fn watch_other_servers(self) {
        const LOOK_BACK_MS: i64 = 5_000;
        let mut told: HashMap<String, i64> = HashMap::new();
        let mut ticker = tokio::time::interval(SHARED_POLL);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if self.feed.sender.receiver_count() == 0 {
                told.clear();
                continue;
            }
            match self.recent_event_heads(now_ms() - LOOK_BACK_MS).await {
                Ok(heads) => {
                    for (order, seq) in &heads {
                        if told.get(order).is_none_or(|seen| seen < seq) {
                            if let Some(id) = Id::parse(order) {
                                self.feed.send(Change::Order(id));
                            }
                        }
                    }
                    told = heads;
                }
                // The server is shutting down.
                Err(_) if self.is_closed() => return,
                Err(error) => tracing::warn!(%error, "cannot read recent order events"),
            }
        }
    }

    /// The newest event of every order that had one since `since_ms`.
    async fn recent_event_heads(&self, since_ms: i64) -> Result<HashMap<String, i64>, StoreError> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT order_id, MAX(seq) FROM order_events WHERE at_ms >= $1 GROUP BY order_id")
                .bind(since_ms)
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().collect())
    }
}
