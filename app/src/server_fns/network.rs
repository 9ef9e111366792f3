//! Network reads for the network page.

use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use lightpath_domain::SiteKind;
use lightpath_domain::{Site, SiteId, Span};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkView {
    pub sites: Vec<Site>,
    pub spans: Vec<Span>,
    /// Map positions of the metro hubs (x, y in a 1000 × 620 box), projected on the server.
    pub map: Vec<(SiteId, i32, i32)>,
}

/// The size of the map drawing, in SVG user units.
pub const MAP_WIDTH: i32 = 1000;
pub const MAP_HEIGHT: i32 = 620;

#[server(endpoint = "network")]
pub async fn load_network() -> Result<NetworkView, AppError> {
    let store = super::store()?;
    let sites = store.sites().await?;
    let metros: Vec<Site> = sites.iter().filter(|site| site.kind == SiteKind::Metro).cloned().collect();
    let map = lightpath_domain::network::map_layout(&metros, MAP_WIDTH as u32, MAP_HEIGHT as u32, 70);
    Ok(NetworkView { sites, spans: store.spans().await?, map })
}
