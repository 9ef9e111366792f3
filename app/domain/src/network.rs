//! The carrier network model: sites (metros, data centres, cloud on-ramps, customer edges)
//! and the fiber spans between metros, with distance and latency arithmetic.
//!
//! Data centres and on-ramps hang off their metro by a short access run (`access_km`); spans
//! join metros. Routing and capacity build on these types.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Speed of light in fiber: ≈ 4.9 µs (4 900 ns) per km, one way.
pub const FIBER_NANOS_PER_KM: u64 = 4_900;

/// A site identifier such as `nyc`, `ash-dc-2` or `aws-us-east-1`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteId(String);

impl SiteId {
    pub fn parse(text: &str) -> Result<SiteId, NetworkError> {
        let ok = (2..=48).contains(&text.len())
            && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !text.starts_with('-')
            && !text.ends_with('-');
        if ok {
            Ok(SiteId(text.to_owned()))
        } else {
            Err(NetworkError::BadSiteId(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SiteId {
    type Error = NetworkError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        SiteId::parse(&value)
    }
}

impl From<SiteId> for String {
    fn from(id: SiteId) -> String {
        id.0
    }
}

impl fmt::Display for SiteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The carrier's own platform, as the end of a service that has no site of its own (secure
/// access, colocation) and as the place of a fault in the core network.
pub const PLATFORM_SITE: &str = "core";

/// A span identifier such as `nyc-bos`.
pub type SpanId = SiteId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SiteKind {
    Metro,
    DataCenter,
    CloudOnRamp,
    CustomerEdge,
}

impl SiteKind {
    pub const ALL: [SiteKind; 4] =
        [SiteKind::Metro, SiteKind::DataCenter, SiteKind::CloudOnRamp, SiteKind::CustomerEdge];

    pub fn slug(self) -> &'static str {
        match self {
            SiteKind::Metro => "metro",
            SiteKind::DataCenter => "data-center",
            SiteKind::CloudOnRamp => "cloud-on-ramp",
            SiteKind::CustomerEdge => "customer-edge",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SiteKind::Metro => "Metro hub",
            SiteKind::DataCenter => "Data centre",
            SiteKind::CloudOnRamp => "Cloud on-ramp",
            SiteKind::CustomerEdge => "Customer edge",
        }
    }

    pub fn parse(text: &str) -> Result<SiteKind, NetworkError> {
        SiteKind::ALL
            .into_iter()
            .find(|kind| kind.slug() == text)
            .ok_or_else(|| NetworkError::BadSiteKind(text.to_owned()))
    }
}

/// A point on Earth in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coordinates {
    lat: f64,
    lon: f64,
}

impl Coordinates {
    pub fn new(lat: f64, lon: f64) -> Result<Coordinates, NetworkError> {
        if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
            Ok(Coordinates { lat, lon })
        } else {
            Err(NetworkError::BadCoordinates)
        }
    }

    pub fn lat(self) -> f64 {
        self.lat
    }

    pub fn lon(self) -> f64 {
        self.lon
    }

    /// Great-circle distance in km (haversine, mean Earth radius 6 371 km).
    pub fn great_circle_km(self, other: Coordinates) -> f64 {
        const EARTH_RADIUS_KM: f64 = 6_371.0;
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let d_lat = lat2 - lat1;
        let d_lon = (other.lon - self.lon).to_radians();
        let a = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }
}

/// A place the network reaches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Site {
    pub id: SiteId,
    pub kind: SiteKind,
    pub name: String,
    /// The metro hub this site belongs to (a metro belongs to itself).
    pub metro: SiteId,
    pub location: Coordinates,
    /// The data centre operator or cloud provider, when there is one.
    pub operator: Option<String>,
    /// Fiber distance from the metro hub; 0 for the hub itself.
    pub access_km: u32,
}

/// A fiber route between two metros.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Span {
    pub id: SpanId,
    pub a: SiteId,
    pub z: SiteId,
    pub route_km: u32,
    /// Wavelength slots on the span's line system.
    pub wavelengths: u32,
    /// The rate of one wavelength slot in Gbps (e.g. 400).
    pub wavelength_gbps: u32,
    pub fiber_pairs: u32,
}

impl Span {
    /// One-way propagation delay over the span, in microseconds (rounded).
    pub fn latency_micros(&self) -> u64 {
        (u64::from(self.route_km) * FIBER_NANOS_PER_KM + 500) / 1_000
    }

    /// Total optical capacity of the span in Gbps.
    pub fn capacity_gbps(&self) -> u64 {
        u64::from(self.wavelengths) * u64::from(self.wavelength_gbps)
    }

    /// Total optical capacity of the span in Mbps, the unit reservations count in.
    pub fn capacity_mbps(&self) -> u64 {
        self.capacity_gbps() * 1_000
    }

    /// What is left of the span's capacity once `reserved` is taken, in Mbps: the one
    /// definition of a span's free capacity.
    pub fn free_mbps(&self, reserved: &crate::routing::Reservations) -> u64 {
        self.capacity_mbps().saturating_sub(reserved.get(&self.id).copied().unwrap_or(0))
    }

    pub fn joins(&self, site: &SiteId) -> bool {
        &self.a == site || &self.z == site
    }
}

/// Albers equal-area conic projection for the contiguous United States (standard parallels
/// 29.5° and 45.5°, origin 37.5° N 96° W): the projection US maps use. Returns unitless x
/// (east) and y (south, as on a screen).
pub fn albers_usa(location: Coordinates) -> (f64, f64) {
    let (phi1, phi2, phi0, lambda0) =
        (29.5f64.to_radians(), 45.5f64.to_radians(), 37.5f64.to_radians(), -96f64.to_radians());
    let n = (phi1.sin() + phi2.sin()) / 2.0;
    let c = phi1.cos().powi(2) + 2.0 * n * phi1.sin();
    let rho0 = (c - 2.0 * n * phi0.sin()).sqrt() / n;
    let theta = n * (location.lon().to_radians() - lambda0);
    let rho = (c - 2.0 * n * location.lat().to_radians().sin()).sqrt() / n;
    (rho * theta.sin(), -(rho0 - rho * theta.cos()))
}

/// Where each site sits on a `width` × `height` map with `margin` on every side, keeping the
/// projection's aspect ratio. Integer positions, so the browser draws without trigonometry.
pub fn map_layout(sites: &[Site], width: u32, height: u32, margin: u32) -> Vec<(SiteId, i32, i32)> {
    let projected: Vec<(f64, f64)> = sites.iter().map(|site| albers_usa(site.location)).collect();
    let (min_x, max_x) = projected.iter().fold((f64::MAX, f64::MIN), |(lo, hi), (x, _)| (lo.min(*x), hi.max(*x)));
    let (min_y, max_y) = projected.iter().fold((f64::MAX, f64::MIN), |(lo, hi), (_, y)| (lo.min(*y), hi.max(*y)));
    let inner_w = f64::from(width.saturating_sub(2 * margin));
    let inner_h = f64::from(height.saturating_sub(2 * margin));
    let scale = (inner_w / (max_x - min_x).max(1e-9)).min(inner_h / (max_y - min_y).max(1e-9));
    // Centre the drawing in the box.
    let offset_x = f64::from(margin) + (inner_w - (max_x - min_x) * scale) / 2.0;
    let offset_y = f64::from(margin) + (inner_h - (max_y - min_y) * scale) / 2.0;
    sites
        .iter()
        .zip(projected)
        .map(|(site, (x, y))| {
            (
                site.id.clone(),
                (offset_x + (x - min_x) * scale).round() as i32,
                (offset_y + (y - min_y) * scale).round() as i32,
            )
        })
        .collect()
}

/// Microseconds as milliseconds with two decimals (truncated): `1914` → `1.91 ms`.
pub fn format_millis(micros: u64) -> String {
    format!("{}.{:02} ms", micros / 1_000, (micros % 1_000) / 10)
}

#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum NetworkError {
    #[error("“{0}” is not a site id: use 2–48 lowercase letters, digits and dashes")]
    BadSiteId(String),
    #[error("“{0}” is not a kind of site: use metro, data-center, cloud-on-ramp or customer-edge")]
    BadSiteKind(String),
    // The message leaves the numbers out: formatting a float would pull Rust's float printing
    // (≈ 18 KB before optimisation) into every browser bundle that can decode a site.
    #[error("these coordinates are not a place on Earth: latitude −90…90, longitude −180…180")]
    BadCoordinates,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn great_circle_new_york_to_los_angeles() {
        let nyc = Coordinates::new(40.7128, -74.0060).unwrap();
        let lax = Coordinates::new(34.0522, -118.2437).unwrap();
        let km = nyc.great_circle_km(lax);
        assert!((3_930.0..3_950.0).contains(&km), "{km}");
    }

    #[test]
    fn the_map_puts_the_west_left_and_the_north_up_inside_the_box() {
        let site = |id: &str, lat: f64, lon: f64| Site {
            id: SiteId::parse(id).unwrap(),
            kind: SiteKind::Metro,
            name: id.to_owned(),
            metro: SiteId::parse(id).unwrap(),
            location: Coordinates::new(lat, lon).unwrap(),
            operator: None,
            access_km: 0,
        };
        let sites = [site("sea", 47.6, -122.3), site("mia", 25.8, -80.2), site("msp", 45.0, -93.3)];
        let layout = map_layout(&sites, 1000, 600, 20);
        let at = |id: &str| layout.iter().find(|(site, _, _)| site.as_str() == id).map(|(_, x, y)| (*x, *y)).unwrap();
        assert!(at("sea").0 < at("msp").0 && at("msp").0 < at("mia").0, "{layout:?}");
        assert!(at("msp").1 < at("mia").1, "north is up: {layout:?}");
        assert!(layout.iter().all(|(_, x, y)| (20..=980).contains(x) && (20..=580).contains(y)), "{layout:?}");
    }

    #[test]
    fn refuses_bad_coordinates_and_ids() {
        assert!(Coordinates::new(91.0, 0.0).is_err());
        assert!(Coordinates::new(0.0, -181.0).is_err());
        assert!(SiteId::parse("NYC").is_err());
        assert!(SiteId::parse("ash-dc-2").is_ok());
        assert!(SiteKind::parse("cloud-on-ramp").is_ok());
        assert!(SiteKind::parse("moon").is_err());
    }

    #[test]
    fn span_latency_is_4_9_micros_per_km() {
        let span = Span {
            id: SiteId::parse("nyc-bos").unwrap(),
            a: SiteId::parse("nyc").unwrap(),
            z: SiteId::parse("bos").unwrap(),
            route_km: 1000,
            wavelengths: 96,
            wavelength_gbps: 400,
            fiber_pairs: 24,
        };
        assert_eq!(span.latency_micros(), 4_900);
        assert_eq!(format_millis(4_900), "4.90 ms");
        assert_eq!(format_millis(1_914), "1.91 ms");
        assert_eq!(span.capacity_gbps(), 38_400);
    }
}
