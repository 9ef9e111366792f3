//! A half-typed form kept in the browser's local storage, so leaving the page (or closing the
//! tab) loses nothing. Browser-only: on the server every read finds nothing and writes are
//! skipped. A storage the browser refuses (private mode, full) is treated the same way.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// What was kept under `key`, if anything readable is there.
pub fn read<T: DeserializeOwned>(key: &str) -> Option<T> {
    #[cfg(feature = "hydrate")]
    {
        let text = storage()?.get_item(key).ok()??;
        serde_json::from_str(&text).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        None
    }
}

/// Keeps `value` under `key`.
pub fn write<T: Serialize>(key: &str, value: &T) {
    #[cfg(feature = "hydrate")]
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(value)) {
        let _ = storage.set_item(key, &text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, value);
}

/// Drops what was kept under `key` (once it is saved for real).
pub fn forget(key: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<leptos::web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}
