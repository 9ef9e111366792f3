//! What every handler can reach: the Leptos options and the store.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use lightpath_store::Store;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
}
