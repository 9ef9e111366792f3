//! A service's usage and performance: the REST report (numbers, for a program) and the service
//! page's chart (drawn and worded on the server, so the browser's code only places strings).

use serde::{Deserialize, Serialize};

/// A service's usage over a span of its (simulated) life at one resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UsageReport {
    pub service_id: String,
    /// `5m`, `1h` or `1d`.
    #[cfg_attr(feature = "server", schema(example = "1h"))]
    pub resolution: String,
    /// The span asked for, on the network's simulated clock (RFC 3339, UTC).
    pub from: String,
    pub to: String,
    /// The 95th percentile of the points' mean rates in and out (bits per second).
    pub p95_in_bps: u64,
    pub p95_out_bps: u64,
    /// Everything carried in the span.
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// One per interval with measurements, oldest first; a span before activation, after
    /// termination or older than the history kept has none.
    pub points: Vec<UsageReportPoint>,
}

/// One interval's measurements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UsageReportPoint {
    /// Its start (RFC 3339, UTC, simulated clock).
    pub start: String,
    /// 5-minute samples it holds (fewer than the resolution's when part is missing).
    pub samples: u32,
    /// Samples taken while an outage had the service down.
    pub down_samples: u32,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub mean_in_bps: u64,
    pub mean_out_bps: u64,
    /// Mean round trip, jitter (microseconds) and loss (packets per million) while up; null
    /// when down throughout.
    pub latency_us: Option<u64>,
    pub jitter_us: Option<u64>,
    pub loss_ppm: Option<u64>,
}

/// The usage card of a service page, for one of the chart's ranges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageChart {
    pub service_id: String,
    /// The range shown (`24h`, `7d`, `30d`, `180d`) and every range with its label.
    pub range: String,
    pub ranges: Vec<(String, String)>,
    /// Said instead of a chart when there is nothing to draw.
    pub empty: Option<String>,
    /// Headline figures: (label, value).
    pub figures: Vec<(String, String)>,
    /// SVG path data in a 600 × 200 box, the line rate at the top: traffic in, out, and the
    /// 95th percentile's level (in).
    pub line_in: String,
    pub line_out: String,
    pub p95_y: Option<u32>,
    /// What the chart says, for its accessible name.
    pub description: String,
    /// Labels under the chart: its start, middle and end.
    pub axis: Vec<String>,
    /// The same history in a table, a row per hour, day or month.
    pub rows: Vec<UsageRow>,
    /// Where its CSV is.
    pub csv: String,
    /// Its utilisation alert, and whether the reader may set one.
    pub alert: Option<UsageAlertView>,
    pub may_set_alert: bool,
}

/// A service's utilisation alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UsageAlertView {
    /// Fires when the busier direction stays at or over this share of the line rate ...
    pub threshold_percent: u32,
    /// ... for this many minutes (whole 5-minute samples, simulated clock).
    pub minutes: u32,
    pub firing: bool,
    /// When it fired (wall clock, RFC 3339).
    pub firing_since: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageRow {
    pub when: String,
    pub mean_in: String,
    pub mean_out: String,
    pub peak: String,
    pub latency: String,
    pub loss: String,
}
