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

/// A span identifier such as `nyc-bos`.
pub type SpanId = SiteId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
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
pub struct Coordinates {
    lat: f64,
    lon: f64,
}

impl Coordinates {
    pub fn new(lat: f64, lon: f64) -> Result<Coordinates, NetworkError> {
        if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
            Ok(Coordinates { lat, lon })
        } else {
            Err(NetworkError::BadCoordinates { lat, lon })
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

    pub fn joins(&self, site: &SiteId) -> bool {
        &self.a == site || &self.z == site
    }
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
    #[error("({lat}, {lon}) is not a place on Earth: latitude −90…90, longitude −180…180")]
    BadCoordinates { lat: f64, lon: f64 },
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
