//! Network reads for the network page.

use crate::error::AppError;
use leptos::prelude::*;
use lightpath_domain::{Site, Span};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkView {
    pub sites: Vec<Site>,
    pub spans: Vec<Span>,
}

#[server(endpoint = "network")]
pub async fn load_network() -> Result<NetworkView, AppError> {
    let store = super::store()?;
    Ok(NetworkView { sites: store.sites().await?, spans: store.spans().await? })
}
