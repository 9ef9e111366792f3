//! Network repository: sites and spans.

use crate::{Store, StoreError};
use lightpath_domain::network::{Coordinates, Site, SiteId, SiteKind, Span};
use sqlx::Row;

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

fn count(row: &sqlx::any::AnyRow, column: &str) -> Result<u32, StoreError> {
    let value: i64 = row.try_get(column)?;
    u32::try_from(value).map_err(|_| corrupt(format!("{column} = {value}")))
}

impl Store {
    /// Every site: metros first, then data centres, on-ramps and edges, by metro and name.
    pub async fn sites(&self) -> Result<Vec<Site>, StoreError> {
        if let Some(sites) = crate::lock(&self.cache.sites).as_ref() {
            return Ok(sites.clone());
        }
        let sites = self.read_sites().await?;
        // Before the seed is loaded there is nothing worth keeping.
        if !sites.is_empty() {
            *crate::lock(&self.cache.sites) = Some(sites.clone());
        }
        Ok(sites)
    }

    async fn read_sites(&self) -> Result<Vec<Site>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, kind, name, metro_id, lat, lon, operator, access_km FROM sites ORDER BY metro_id, name",
        )
        .fetch_all(self.pool())
        .await?;
        let mut sites = rows
            .iter()
            .map(|r| {
                Ok(Site {
                    id: SiteId::parse(&r.try_get::<String, _>("id")?).map_err(corrupt)?,
                    kind: SiteKind::parse(&r.try_get::<String, _>("kind")?).map_err(corrupt)?,
                    name: r.try_get("name")?,
                    metro: SiteId::parse(&r.try_get::<String, _>("metro_id")?).map_err(corrupt)?,
                    location: Coordinates::new(r.try_get("lat")?, r.try_get("lon")?).map_err(corrupt)?,
                    operator: r.try_get("operator")?,
                    access_km: count(r, "access_km")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        sites.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.name.cmp(&b.name)));
        Ok(sites)
    }

    /// Every fiber span between metros.
    pub async fn spans(&self) -> Result<Vec<Span>, StoreError> {
        if let Some(spans) = crate::lock(&self.cache.spans).as_ref() {
            return Ok(spans.clone());
        }
        let spans = self.read_spans().await?;
        if !spans.is_empty() {
            *crate::lock(&self.cache.spans) = Some(spans.clone());
        }
        Ok(spans)
    }

    async fn read_spans(&self) -> Result<Vec<Span>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, a_site, z_site, route_km, wavelengths, wavelength_gbps, fiber_pairs FROM spans ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Span {
                    id: SiteId::parse(&r.try_get::<String, _>("id")?).map_err(corrupt)?,
                    a: SiteId::parse(&r.try_get::<String, _>("a_site")?).map_err(corrupt)?,
                    z: SiteId::parse(&r.try_get::<String, _>("z_site")?).map_err(corrupt)?,
                    route_km: count(r, "route_km")?,
                    wavelengths: count(r, "wavelengths")?,
                    wavelength_gbps: count(r, "wavelength_gbps")?,
                    fiber_pairs: count(r, "fiber_pairs")?,
                })
            })
            .collect()
    }
}
