//! Network reads for the network page.

use lightpath_domain::routing::Path;
use lightpath_domain::{Site, SiteId, SiteKind, Span, SpanId};
use serde::{Deserialize, Serialize};

/// A maintenance notice or an outage as the portal's pages show it, worded on the server (a page decodes
/// text only: the notice's own record is the REST API's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceLine {
    pub id: String,
    /// "Upcoming", "In progress", "Completed", "Cancelled".
    pub status: String,
    /// Upcoming or in progress: it can still be cancelled.
    pub open: bool,
    /// "2027-01-15 02:00 – 06:00 UTC · Chicago – Ashburn".
    pub heading: String,
    /// The expected impact and what the work is.
    pub text: String,
    /// The reader's services it touches (id, title); none listed for network operations.
    pub services: Vec<(String, String)>,
    pub services_touched: u64,
    /// An outage (a span down) rather than planned maintenance: `open` while it lasts, and
    /// network operations restore the span instead of cancelling.
    #[serde(default)]
    pub outage: bool,
    /// A service's utilisation alert that is firing (the dashboard lists it with the notices).
    #[serde(default)]
    pub alert: bool,
}

/// Taking a span down, as the network operations page's form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutageForm {
    /// The span's id.
    pub span: String,
    /// What happened (customers read it).
    pub cause: String,
}

/// A maintenance window as the network operations page's form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceForm {
    /// `span:<id>` or `site:<id>`.
    pub target: String,
    /// `YYYY-MM-DDTHH:MM`, UTC.
    pub starts: String,
    pub ends: String,
    /// `outage`, `degraded` or `none-expected`.
    pub impact: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkView {
    pub sites: Vec<Site>,
    pub spans: Vec<Span>,
    /// Map positions of the metro hubs (x, y in a 1000 × 620 box), projected on the server.
    pub map: Vec<(SiteId, i32, i32)>,
}

impl NetworkView {
    /// Spans as a person reads them, by their metros' names ("Chicago – Ashburn, Ashburn – New
    /// York"); an id the view does not know stays as it is.
    pub fn span_names(&self, spans: &[SpanId]) -> String {
        let name = |site: &SiteId| {
            self.sites.iter().find(|s| &s.id == site).map_or_else(|| site.to_string(), |s| s.name.clone())
        };
        spans
            .iter()
            .map(|id| match self.spans.iter().find(|span| &span.id == id) {
                Some(span) => format!("{} – {}", name(&span.a), name(&span.z)),
                None => id.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A site the wizard offers in its lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteChoice {
    pub id: SiteId,
    pub name: String,
    pub kind: SiteKind,
    /// The metro's name, to group and label the lists.
    pub metro: String,
}

/// Every site as the site pickers list it.
pub fn site_choices(sites: &[Site]) -> Vec<SiteChoice> {
    let metro_name =
        |metro: &SiteId| sites.iter().find(|s| &s.id == metro).map_or_else(String::new, |s| s.name.clone());
    sites
        .iter()
        .map(|site| SiteChoice {
            id: site.id.clone(),
            name: site.name.clone(),
            kind: site.kind,
            metro: metro_name(&site.metro),
        })
        .collect()
}

/// The network in numbers: what the home page shows, without the whole network behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkFacts {
    pub metros: u32,
    pub data_centres: u32,
    /// Distinct public clouds with an on-ramp on the network.
    pub clouds: u32,
    pub route_km: u64,
}

impl NetworkFacts {
    pub fn count(sites: &[Site], spans: &[Span]) -> NetworkFacts {
        let count = |kind: SiteKind| sites.iter().filter(|site| site.kind == kind).count() as u32;
        let clouds: std::collections::BTreeSet<&str> = sites
            .iter()
            .filter(|site| site.kind == SiteKind::CloudOnRamp)
            .filter_map(|site| site.operator.as_deref())
            .collect();
        NetworkFacts {
            metros: count(SiteKind::Metro),
            data_centres: count(SiteKind::DataCenter),
            clouds: clouds.len() as u32,
            route_km: spans.iter().map(|span| u64::from(span.route_km)).sum(),
        }
    }
}

/// The size of the map drawing, in SVG user units.
pub const MAP_WIDTH: i32 = 1000;

pub const MAP_HEIGHT: i32 = 620;

/// A route across the network: the lowest-latency path and, when asked, its diverse twin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteAnswer {
    pub rate: String,
    pub primary: Path,
    pub twin: Option<Path>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use lightpath_domain::network::Coordinates;

    fn metro(id: &str, name: &str) -> Site {
        let id = SiteId::parse(id).unwrap();
        Site {
            id: id.clone(),
            kind: SiteKind::Metro,
            name: name.into(),
            metro: id,
            location: Coordinates::new(0.0, 0.0).unwrap(),
            operator: None,
            access_km: 0,
        }
    }

    #[test]
    fn spans_read_by_their_metros_names() {
        let id = |text: &str| SiteId::parse(text).unwrap();
        let span = Span {
            id: id("ash-chi"),
            a: id("ash"),
            z: id("chi"),
            route_km: 1_102,
            wavelengths: 96,
            wavelength_gbps: 400,
            fiber_pairs: 2,
        };
        let network = NetworkView {
            sites: vec![metro("ash", "Ashburn"), metro("chi", "Chicago")],
            spans: vec![span],
            map: vec![],
        };
        assert_eq!(network.span_names(&[id("ash-chi")]), "Ashburn – Chicago");
        assert_eq!(network.span_names(&[id("ash-chi"), id("gone-span")]), "Ashburn – Chicago, gone-span");
        assert_eq!(network.span_names(&[]), "");
    }
}
