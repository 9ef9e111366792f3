//! `GET /api/v1/orders/{id}/events`: an order's timeline as Server-Sent Events, for the order
//! page to follow provisioning live. Each event carries its sequence number as the SSE id, so
//! a browser that reconnects (after a server restart, say) sends `Last-Event-ID` and misses
//! nothing. The stream ends with an `end` event once the order has ended.

use super::ApiError;
use crate::state::AppState;
use app::auth::Session;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::{Extension, Router};
use futures_util::stream::{self, Stream};
use lightpath_domain::account::Id;
use lightpath_domain::policy::{check, Permission};
use std::convert::Infallible;
use std::time::Duration;

/// How often the stream looks for new events.
const POLL: Duration = Duration::from_millis(300);

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/orders/{id}/events", get(events))
}

async fn events(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let actor = session.map(|Extension(session)| session.actor);
    check(actor.as_ref(), Permission::SignedIn).map_err(|_| ApiError::Unauthorized)?;
    let not_found = || ApiError::NotFound(format!("There is no order {id}."));
    let order = Id::parse(&id).ok_or_else(not_found)?;
    let record = state.store.order(&order).await?.ok_or_else(not_found)?;
    check(actor.as_ref(), Permission::SeeOrganisation(&record.summary.organisation.id)).map_err(|_| not_found())?;
    let after: i64 = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok())
        .unwrap_or(0);
    let store = state.store.clone();
    // State: (events sent up to, finished). Each step sends what is new, or waits a little.
    let stream = stream::unfold((after, false), move |(after, finished)| {
        let (store, order) = (store.clone(), order.clone());
        async move {
            if finished {
                return None;
            }
            loop {
                let fresh = store.order_events(&order, after).await.unwrap_or_default();
                if let Some(event) = fresh.first() {
                    let data = serde_json::to_string(event).unwrap_or_default();
                    let sse = Event::default().id(event.seq.to_string()).data(data);
                    return Some((Ok(sse), (event.seq, false)));
                }
                let ended = store.order_state(&order).await.ok().flatten().is_none_or(|state| state.is_terminal());
                if ended {
                    return Some((Ok(Event::default().event("end").data("the order has ended")), (after, true)));
                }
                tokio::time::sleep(POLL).await;
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
