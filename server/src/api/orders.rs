//! `GET /api/v1/orders/{id}/events`: an order's timeline as Server-Sent Events, for the order
//! page to follow provisioning live. Each event carries its sequence number as the SSE id, so
//! a browser that reconnects (after a server restart, say) sends `Last-Event-ID` and misses
//! nothing. The stream ends with an `end` event once the order has ended.
//!
//! A stream costs nothing while nothing happens: it sleeps until the store's change feed says
//! its order grew (written by this server's worker, or by another server, seen by the one
//! shared poll of [`lightpath_store::Store::watch_other_servers`]), then reads the new events
//! once. A session holds at most [`STREAMS_PER_SESSION`] streams, and its streams end when it
//! does: at once on sign-out here, within [`SESSION_CHECK`] for an expiry or a sign-out on
//! another server.

use super::auth::{ApiCaller, Credential};
use super::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream};
use lightpath_app::{orders, AppError};
use lightpath_domain::account::Id;
use lightpath_domain::records::OrderEvent;
use lightpath_store::feed::Change;
use lightpath_store::Store;
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// Open timelines one session may follow at once: a tab each, more than anyone reads.
pub const STREAMS_PER_SESSION: usize = 8;
/// How often an idle stream checks that its session is still valid.
pub const SESSION_CHECK: Duration = Duration::from_secs(10);

/// How many streams each session holds open on this server.
#[derive(Clone, Debug, Default)]
pub struct StreamSlots(Arc<Mutex<HashMap<String, usize>>>);

/// One stream's place in its session's (or API token's) count, given back when the stream
/// is dropped.
struct Slot {
    slots: StreamSlots,
    key: String,
    credential: Credential,
}

impl StreamSlots {
    fn take(&self, credential: &Credential) -> Option<Slot> {
        let key = match credential {
            Credential::Session { token } => token.clone(),
            Credential::Token { token, .. } => format!("api-token {}", token.id),
            Credential::Anonymous => return None,
        };
        let mut held = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = held.entry(key.clone()).or_default();
        if *count >= STREAMS_PER_SESSION {
            return None;
        }
        *count += 1;
        Some(Slot { slots: self.clone(), key, credential: credential.clone() })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut held = self.slots.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = held.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                held.remove(&self.key);
            }
        }
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/orders/{id}/events", get(events))
}

/// The order's timeline as Server-Sent Events: each event's id is its sequence number (send it
/// back as `Last-Event-ID` to resume), and an `end` event follows once the order has ended.
#[utoipa::path(get, path = "/api/v1/orders/{id}/events", tag = "orders", operation_id = "followOrderEvents",
    security(("token" = [])),
    params(
        ("id" = String, Path, description = "The order's id"),
        ("Last-Event-ID" = Option<String>, Header, description = "The last event id received: the stream resumes after it"),
    ),
    responses(
        (status = 200, description = "The stream", body = String, content_type = "text/event-stream"),
        (status = 401, description = "No API token, or one unknown, revoked or expired", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order, or another organisation's", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "This token follows 8 streams already, or made too many requests this minute", body = crate::api::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn events(
    State(state): State<AppState>,
    ApiCaller { caller, credential }: ApiCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let not_found = || ApiError::NotFound(format!("There is no order {id}."));
    let record = orders::load_order(&caller, id.clone()).await.map_err(|error| match error {
        AppError::NotFound => not_found(),
        other => other.into(),
    })?;
    let order = record.summary.id.clone();
    let slot = state.streams.take(&credential).ok_or_else(|| ApiError::TooMany {
        message: format!(
            "You are following {STREAMS_PER_SESSION} orders live already: close some of their tabs (or streams) and try again."
        ),
        retry_after_secs: None,
    })?;
    let after: i64 = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok())
        .unwrap_or(0);
    // Subscribed before the first read, so nothing written in between is missed.
    let follow = Follow {
        changes: state.store.changes(),
        store: state.store.clone(),
        order,
        after,
        pending: VecDeque::new(),
        finished: false,
        _slot: slot,
    };
    Ok(Sse::new(stream::unfold(follow, Follow::next)).keep_alive(KeepAlive::default()))
}

/// One open stream: what it has sent, and where it hears about changes.
struct Follow {
    store: Store,
    changes: tokio::sync::broadcast::Receiver<Change>,
    order: Id,
    after: i64,
    pending: VecDeque<OrderEvent>,
    finished: bool,
    _slot: Slot,
}

impl Follow {
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Follow)> {
        if self.finished {
            return None;
        }
        loop {
            if let Some(event) = self.pending.pop_front() {
                self.after = event.seq;
                let data = serde_json::to_string(&event).unwrap_or_default();
                return Some((Ok(Event::default().id(event.seq.to_string()).data(data)), self));
            }
            let fresh = self.store.order_events(&self.order, self.after).await.unwrap_or_default();
            if !fresh.is_empty() {
                self.pending.extend(fresh);
                continue;
            }
            let state = self.store.order_state(&self.order).await.ok().flatten();
            if state.is_none_or(|state| state.is_terminal()) {
                // The last event commits with the terminal state: it may have landed between the
                // two reads above, so read once more before saying the order has ended.
                let last = self.store.order_events(&self.order, self.after).await.unwrap_or_default();
                if !last.is_empty() {
                    self.pending.extend(last);
                    continue;
                }
                self.finished = true;
                return Some((Ok(Event::default().event("end").data("the order has ended")), self));
            }
            if !self.wait_for_change().await {
                return None;
            }
        }
    }

    /// Sleeps until this order may have changed. False when the stream must end: its session
    /// ended or its token was revoked, or the server is shutting down.
    async fn wait_for_change(&mut self) -> bool {
        let credential = self._slot.credential.clone();
        let session = match &credential {
            Credential::Session { token } => token.clone(),
            _ => String::new(),
        };
        let check = tokio::time::sleep(SESSION_CHECK);
        tokio::pin!(check);
        loop {
            tokio::select! {
                change = self.changes.recv() => match change {
                    Ok(Change::Order(id)) if id == self.order => return true,
                    Ok(Change::SessionEnded(ended)) if !session.is_empty() && ended == session => return false,
                    Ok(_) => {}
                    // Missed some: look again rather than guess.
                    Err(RecvError::Lagged(_)) => return true,
                    Err(RecvError::Closed) => return false,
                },
                () = &mut check => {
                    return match &credential {
                        Credential::Session { token } => matches!(self.store.session_actor(token).await, Ok(Some(_))),
                        Credential::Token { secret, .. } => matches!(self.store.token_actor(secret).await, Ok(Some(_))),
                        Credential::Anonymous => false,
                    };
                }
            }
        }
    }
}
