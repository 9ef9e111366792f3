//! Usage and performance of a service: traffic in and out per 5-minute sample and the path's
//! round-trip latency, jitter and loss, as the simulated network measures them, with the
//! roll-ups that keep older history compact and the 95th percentile buyers are billed on
//! elsewhere.
//!
//! Time is the simulated network's (the clock billing runs on, `speedup` times faster): a
//! service's history starts at its activation and sample `n` covers simulated minutes
//! `[5n, 5n + 5)` after it. Points are interval aggregates that add up: a roll-up of points
//! carries the sum of their bytes and samples, so totals are the same at every resolution.

use crate::account::FieldError;
use crate::catalog::LifecycleStage;
use serde::{Deserialize, Serialize};

/// One sample covers five simulated minutes.
pub const SAMPLE_MS: i64 = 300_000;
/// 5-minute samples are kept for the last 7 days of a service's (simulated) life ...
pub const RAW_SAMPLES_KEPT: i64 = 7 * 288;
/// ... and hourly roll-ups of them for 180 days; older history is dropped.
pub const HISTORY_SAMPLES_KEPT: i64 = 180 * 288;
/// Samples in an hour's roll-up.
pub const HOUR_SAMPLES: i64 = 12;

/// What one interval of a service's life measured: one 5-minute sample, or the sum of several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UsagePoint {
    /// The first 5-minute sample it covers (0: the one starting at activation).
    pub first_sample: i64,
    /// How many samples it covers.
    pub samples: u32,
    /// How many of them found the service down (an outage on its path): no traffic, no latency.
    pub down_samples: u32,
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// Sums over the samples that were up, so a roll-up's mean is exact.
    pub latency_us_sum: u64,
    pub jitter_us_sum: u64,
    /// Packets lost per million, summed over the samples that were up.
    pub loss_ppm_sum: u64,
}

impl UsagePoint {
    /// The mean rate in and out over the interval, in bits per second.
    pub fn mean_bps(&self) -> (u64, u64) {
        let seconds = u64::from(self.samples.max(1)) * (SAMPLE_MS as u64 / 1_000);
        (self.bytes_in * 8 / seconds, self.bytes_out * 8 / seconds)
    }

    fn up_samples(&self) -> u64 {
        u64::from(self.samples - self.down_samples)
    }

    /// Mean round-trip latency, jitter (µs) and loss (ppm) while up; None when down throughout.
    pub fn performance(&self) -> Option<(u64, u64, u64)> {
        let up = self.up_samples();
        (up > 0).then(|| (self.latency_us_sum / up, self.jitter_us_sum / up, self.loss_ppm_sum / up))
    }

    fn plus(mut self, other: &UsagePoint) -> UsagePoint {
        self.add(other);
        self
    }

    fn add(&mut self, other: &UsagePoint) {
        self.samples += other.samples;
        self.down_samples += other.down_samples;
        self.bytes_in += other.bytes_in;
        self.bytes_out += other.bytes_out;
        self.latency_us_sum += other.latency_us_sum;
        self.jitter_us_sum += other.jitter_us_sum;
        self.loss_ppm_sum += other.loss_ppm_sum;
    }
}

/// How finely a history is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Resolution {
    FiveMinutes,
    Hour,
    Day,
}

impl Resolution {
    pub fn parse(text: &str) -> Option<Resolution> {
        match text.trim() {
            "5m" => Some(Resolution::FiveMinutes),
            "1h" => Some(Resolution::Hour),
            "1d" => Some(Resolution::Day),
            _ => None,
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Resolution::FiveMinutes => "5m",
            Resolution::Hour => "1h",
            Resolution::Day => "1d",
        }
    }

    pub fn samples(self) -> i64 {
        match self {
            Resolution::FiveMinutes => 1,
            Resolution::Hour => HOUR_SAMPLES,
            Resolution::Day => 24 * HOUR_SAMPLES,
        }
    }
}

/// The ranges a service page charts, each at the resolution that gives it a readable line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChartRange {
    Day,
    Week,
    Month,
    HalfYear,
}

impl ChartRange {
    pub const ALL: [ChartRange; 4] = [ChartRange::Day, ChartRange::Week, ChartRange::Month, ChartRange::HalfYear];

    /// `24h`, `7d`, `30d` or `180d`; anything else is the default, the last 24 hours.
    pub fn parse(text: &str) -> ChartRange {
        ChartRange::ALL.into_iter().find(|range| range.slug() == text.trim()).unwrap_or(ChartRange::Day)
    }

    pub fn slug(self) -> &'static str {
        match self {
            ChartRange::Day => "24h",
            ChartRange::Week => "7d",
            ChartRange::Month => "30d",
            ChartRange::HalfYear => "180d",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChartRange::Day => "24 hours",
            ChartRange::Week => "7 days",
            ChartRange::Month => "30 days",
            ChartRange::HalfYear => "180 days",
        }
    }

    pub fn samples(self) -> i64 {
        match self {
            ChartRange::Day => 288,
            ChartRange::Week => 7 * 288,
            ChartRange::Month => 30 * 288,
            ChartRange::HalfYear => 180 * 288,
        }
    }

    pub fn resolution(self) -> Resolution {
        match self {
            ChartRange::Day => Resolution::FiveMinutes,
            ChartRange::Week | ChartRange::Month => Resolution::Hour,
            ChartRange::HalfYear => Resolution::Day,
        }
    }
}

/// Sums `points` (in order of `first_sample`) into one point per `samples`-long interval,
/// aligned to the service's activation; an interval with no points is left out.
pub fn roll_up(points: &[UsagePoint], samples: i64) -> Vec<UsagePoint> {
    let samples = samples.max(1);
    let mut out: Vec<UsagePoint> = Vec::new();
    for point in points {
        let start = point.first_sample.div_euclid(samples) * samples;
        match out.last_mut() {
            Some(last) if last.first_sample == start => last.add(point),
            _ => out.push(UsagePoint { first_sample: start, ..UsagePoint::default() }.plus(point)),
        }
    }
    out
}

/// The 95th percentile of `values` by the nearest-rank method (the value below which 95 % of
/// them fall, the top 5 % ignored, as burstable billing reads it); 0 for none.
pub fn percentile_95(values: &[u64]) -> u64 {
    if values.is_empty() {
        return 0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let rank = (sorted.len() * 95).div_ceil(100);
    sorted[rank.max(1) - 1]
}

/// What shapes a service's traffic: the lifecycle stage its product serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// Training: bulk transfers in bursts (checkpoints, dataset shards), quiet between.
    Bursts,
    /// Inference: steady requests with a mild daily rhythm, answers larger than questions.
    Steady,
    /// Data ingestion and multi-cloud: a working-day rhythm, mostly inbound.
    Daily,
}

impl Workload {
    pub fn of(stages: &[LifecycleStage]) -> Workload {
        match stages.first() {
            Some(LifecycleStage::Training) => Workload::Bursts,
            Some(LifecycleStage::Inference) => Workload::Steady,
            _ => Workload::Daily,
        }
    }
}

/// What the network knows about a service when it samples it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link<'a> {
    pub service_id: &'a str,
    pub mbps: u64,
    pub workload: Workload,
    /// The path's round trip without load (µs); 0 when unknown.
    pub round_trip_us: u64,
    pub activated_ms: i64,
    pub down: bool,
}

/// The simulated network's measurement of sample `n` of a service: traffic that follows the
/// time of day and the workload, latency that grows with load, loss only near saturation.
/// The same service and sample always measure the same (a collector that restarts fills a
/// gap with what it would have seen), except whether the service is down, which is read live.
pub fn measure(link: &Link, sample: i64) -> UsagePoint {
    let point = UsagePoint { first_sample: sample, samples: 1, ..UsagePoint::default() };
    if link.down {
        return UsagePoint { down_samples: 1, ..point };
    }
    let draw = |salt: u64| unit(hash(link.service_id) ^ (sample as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ salt);
    let minute_of_day = (link.activated_ms + sample * SAMPLE_MS).rem_euclid(86_400_000) as f64 / 60_000.0;
    // 0 at 03:00, 1 at 15:00 (UTC, the simulated clock's).
    let daily = 0.5 - 0.5 * ((minute_of_day - 180.0) / 1_440.0 * std::f64::consts::TAU).cos();
    let (load_in, out_share) = match link.workload {
        Workload::Bursts => {
            // Two-hour blocks, a third of them carrying a transfer near line rate.
            let block = sample.div_euclid(24) as u64;
            let busy = unit(hash(link.service_id) ^ block.wrapping_mul(0xd6e8_feb8_6659_fd93)) < 0.34;
            (if busy { 0.82 + 0.12 * draw(1) } else { 0.04 + 0.06 * draw(1) }, 0.15)
        }
        Workload::Steady => (0.30 + 0.15 * daily + 0.08 * (draw(1) - 0.5), 1.6),
        Workload::Daily => (0.08 + 0.55 * daily + 0.10 * (draw(1) - 0.5), 0.35),
    };
    let load_in = load_in.clamp(0.0, 0.98);
    let load_out = (load_in * out_share * (0.9 + 0.2 * draw(2))).clamp(0.0, 0.98);
    let bytes = |load: f64| (load * link.mbps as f64 * 1_000_000.0 / 8.0 * (SAMPLE_MS / 1_000) as f64) as u64;
    let busiest = load_in.max(load_out);
    // Queueing: a few per cent more latency as the link fills, much more near line rate.
    let queueing = 1.0 + 0.05 * busiest + if busiest > 0.85 { (busiest - 0.85) * 2.0 } else { 0.0 };
    let base = link.round_trip_us.max(200) as f64;
    let latency = base * queueing * (1.0 + 0.01 * (draw(3) - 0.5));
    let jitter = base * (0.002 + 0.01 * busiest) * (0.5 + draw(4));
    let loss = if busiest > 0.9 { (busiest - 0.9) * 20_000.0 * draw(5) } else { 2.0 * draw(5) };
    UsagePoint {
        bytes_in: bytes(load_in),
        bytes_out: bytes(load_out),
        latency_us_sum: latency as u64,
        jitter_us_sum: jitter as u64,
        loss_ppm_sum: loss as u64,
        ..point
    }
}

fn hash(text: &str) -> u64 {
    text.bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// A well-mixed draw in [0, 1) from `seed`.
fn unit(seed: u64) -> f64 {
    let mut draw = seed;
    draw ^= draw >> 33;
    draw = draw.wrapping_mul(0xff51_afd7_ed55_8ccd);
    draw ^= draw >> 33;
    draw = draw.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    draw ^= draw >> 33;
    (draw >> 11) as f64 / (1u64 << 53) as f64
}

/// The samples a service has completed by wall-clock `now_ms` on a network `speedup` times
/// faster: samples `0..n` (its simulated life in whole 5-minute steps).
pub fn samples_completed(activated_ms: i64, now_ms: i64, speedup: u32) -> i64 {
    let simulated = i128::from((now_ms - activated_ms).max(0)) * i128::from(speedup.max(1));
    (simulated / i128::from(SAMPLE_MS)).min(i128::from(i64::MAX)) as i64
}

/// The simulated moment sample `n` of a service activated at `activated_ms` starts.
pub fn sample_start_ms(activated_ms: i64, sample: i64) -> i64 {
    activated_ms.saturating_add(sample.saturating_mul(SAMPLE_MS))
}

/// The sample a simulated moment falls in (may be negative: before activation).
pub fn sample_at(activated_ms: i64, simulated_ms: i64) -> i64 {
    (simulated_ms - activated_ms).div_euclid(SAMPLE_MS)
}

/// The first sample whose 5-minute record is still kept once `completed` samples exist;
/// older ones survive only in hourly roll-ups (whole hours, so a roll-up never splits one).
pub fn raw_cutoff(completed: i64) -> i64 {
    (completed - RAW_SAMPLES_KEPT).max(0).div_euclid(HOUR_SAMPLES) * HOUR_SAMPLES
}

/// The first sample kept at all once `completed` samples exist.
pub fn history_cutoff(completed: i64) -> i64 {
    (completed - HISTORY_SAMPLES_KEPT).max(0).div_euclid(HOUR_SAMPLES) * HOUR_SAMPLES
}

/// A utilisation alert on a service: it fires when the busier direction's mean rate stays at or
/// above `threshold_percent` of the line rate for `minutes` (whole 5-minute samples in a row),
/// and resolves at the first sample under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertRule {
    pub threshold_percent: u32,
    pub minutes: u32,
}

impl AlertRule {
    /// The choices the service page offers (the API takes any in range).
    pub const THRESHOLDS: [u32; 6] = [50, 60, 70, 80, 90, 95];
    pub const DURATIONS: [u32; 5] = [5, 15, 30, 60, 240];

    /// A threshold of 1–100 % and a duration of 5–1440 minutes in steps of 5.
    pub fn parse(threshold: &str, minutes: &str) -> Result<AlertRule, Vec<FieldError>> {
        let threshold_percent = threshold.trim().parse::<u32>().ok().filter(|value| (1..=100).contains(value));
        let minutes = minutes.trim().parse::<u32>().ok().filter(|value| (5..=1_440).contains(value) && value % 5 == 0);
        let mut problems = Vec::new();
        if threshold_percent.is_none() {
            problems
                .push(FieldError::new("threshold_percent", "Enter a whole percentage of the line rate from 1 to 100."));
        }
        if minutes.is_none() {
            problems.push(FieldError::new("minutes", "Enter minutes from 5 to 1440, in steps of 5 (one sample each)."));
        }
        match (threshold_percent, minutes) {
            (Some(threshold_percent), Some(minutes)) => Ok(AlertRule { threshold_percent, minutes }),
            _ => Err(problems),
        }
    }

    /// The samples in a row it looks at.
    pub fn samples(self) -> usize {
        (self.minutes / 5) as usize
    }

    /// Whether the last [`samples`](Self::samples) of `recent` (5-minute samples, oldest
    /// first) were all at or over the threshold on a line of `mbps`; false with fewer.
    pub fn breached(self, mbps: u64, recent: &[UsagePoint]) -> bool {
        let line_rate = u128::from(mbps) * 1_000_000;
        recent.len() >= self.samples()
            && recent[recent.len() - self.samples()..].iter().all(|point| {
                let (bps_in, bps_out) = point.mean_bps();
                u128::from(bps_in.max(bps_out)) * 100 >= line_rate * u128::from(self.threshold_percent)
            })
    }

    /// `over 80 % for 15 min`.
    pub fn describe(self) -> String {
        format!("over {} % for {} min", self.threshold_percent, self.minutes)
    }
}

/// `12.4 Gbps`, `850 Mbps`, `3.2 kbps`: a rate as a person reads it.
pub fn format_bps(bps: u64) -> String {
    let value = bps as f64;
    match bps {
        0..=999 => format!("{bps} bps"),
        1_000..=999_999 => format!("{:.1} kbps", value / 1e3),
        1_000_000..=999_999_999 => format!("{:.1} Mbps", value / 1e6),
        _ => format!("{:.2} Gbps", value / 1e9),
    }
}

/// `1.24 TB`, `850.0 GB`: a volume as a person reads it (decimal units, as links are sold).
pub fn format_bytes(bytes: u64) -> String {
    let value = bytes as f64;
    match bytes {
        0..=999_999 => format!("{:.1} kB", value / 1e3),
        1_000_000..=999_999_999 => format!("{:.1} MB", value / 1e6),
        1_000_000_000..=999_999_999_999 => format!("{:.1} GB", value / 1e9),
        _ => format!("{:.2} TB", value / 1e12),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn link(workload: Workload) -> Link<'static> {
        Link {
            service_id: "svc-1",
            mbps: 10_000,
            workload,
            round_trip_us: 12_000,
            activated_ms: 1_700_000_000_000,
            down: false,
        }
    }

    #[test]
    fn the_same_sample_measures_the_same_and_stays_under_line_rate() {
        for workload in [Workload::Bursts, Workload::Steady, Workload::Daily] {
            let link = link(workload);
            for sample in 0..2_000 {
                let point = measure(&link, sample);
                assert_eq!(point, measure(&link, sample));
                let (bps_in, bps_out) = point.mean_bps();
                assert!(bps_in < 10_000_000_000 && bps_out < 10_000_000_000, "{point:?}");
                let (latency, _, loss) = point.performance().unwrap();
                assert!((11_900..20_000).contains(&latency), "{latency}");
                assert!(loss < 2_000, "{loss}");
            }
        }
    }

    #[test]
    fn a_down_service_carries_nothing_and_measures_no_latency() {
        let point = measure(&Link { down: true, ..link(Workload::Steady) }, 7);
        assert_eq!((point.bytes_in, point.bytes_out, point.down_samples), (0, 0, 1));
        assert_eq!(point.performance(), None);
    }

    #[test]
    fn training_comes_in_bursts_and_inference_stays_steady() {
        let rates = |workload| -> Vec<u64> { (0..2_016).map(|n| measure(&link(workload), n).mean_bps().0).collect() };
        let spread = |rates: &[u64]| rates.iter().max().unwrap() - rates.iter().min().unwrap();
        let (bursts, steady) = (rates(Workload::Bursts), rates(Workload::Steady));
        assert!(spread(&bursts) > 2 * spread(&steady));
        assert!(bursts.iter().filter(|bps| **bps > 8_000_000_000).count() > 100);
    }

    #[test]
    fn the_95th_percentile_ignores_the_top_five_per_cent() {
        let values: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile_95(&values), 95);
        assert_eq!(percentile_95(&[7]), 7);
        assert_eq!(percentile_95(&[]), 0);
        assert_eq!(percentile_95(&[5, 1, 9, 3]), 9);
    }

    #[test]
    fn samples_follow_the_simulated_clock_from_activation() {
        assert_eq!(samples_completed(1_000, 1_000 + 299, 1_000), 0);
        assert_eq!(samples_completed(1_000, 1_000 + 300, 1_000), 1);
        assert_eq!(samples_completed(1_000, 0, 1_000), 0);
        assert_eq!(sample_at(1_000, sample_start_ms(1_000, 42)), 42);
        assert_eq!(raw_cutoff(2_016), 0);
        assert_eq!(raw_cutoff(2_016 + 25), 24);
        assert_eq!(history_cutoff(180 * 288 + 13), 12);
    }

    #[test]
    fn an_alert_needs_every_sample_of_its_duration_over_the_threshold() {
        let rule = AlertRule::parse("80", "15").unwrap();
        let at = |percent: u64| UsagePoint {
            samples: 1,
            bytes_in: percent * 10_000 * 1_000_000 / 100 / 8 * 300,
            ..UsagePoint::default()
        };
        assert!(rule.breached(10_000, &[at(10), at(80), at(85), at(99)]));
        assert!(!rule.breached(10_000, &[at(80), at(79), at(99), at(99)]));
        assert!(!rule.breached(10_000, &[at(99), at(99)]), "fewer samples than its duration");
        assert_eq!(rule.describe(), "over 80 % for 15 min");
        for (threshold, minutes) in
            [("0", "15"), ("101", "15"), ("80", "7"), ("80", "0"), ("80", "1445"), ("x", "\u{7}")]
        {
            assert!(AlertRule::parse(threshold, minutes).is_err(), "{threshold} {minutes}");
        }
    }

    #[test]
    fn rates_and_volumes_read_well() {
        assert_eq!(format_bps(850_000_000), "850.0 Mbps");
        assert_eq!(format_bps(12_400_000_000), "12.40 Gbps");
        assert_eq!(format_bytes(1_240_000_000_000), "1.24 TB");
        assert_eq!(ChartRange::parse("7d"), ChartRange::Week);
        assert_eq!(ChartRange::parse("<script>"), ChartRange::Day);
    }

    proptest! {
        #[test]
        fn roll_ups_keep_every_total(start in 0i64..500, len in 1usize..600, down_every in 2i64..50, by in 1i64..300) {
            let samples: Vec<UsagePoint> = (start..start + len as i64)
                .map(|n| measure(&Link { down: n % down_every == 0, ..link(Workload::Daily) }, n))
                .collect();
            let total = roll_up(&samples, i64::MAX / 2);
            let hourly = roll_up(&samples, HOUR_SAMPLES);
            // Rolling up the roll-ups is the same as rolling up the samples.
            prop_assert_eq!(roll_up(&hourly, HOUR_SAMPLES * by), roll_up(&samples, HOUR_SAMPLES * by));
            prop_assert_eq!(roll_up(&hourly, i64::MAX / 2), total.clone());
            let sum = |points: &[UsagePoint], f: fn(&UsagePoint) -> u64| points.iter().map(f).sum::<u64>();
            prop_assert_eq!(sum(&hourly, |p| p.bytes_in), sum(&samples, |p| p.bytes_in));
            prop_assert_eq!(sum(&hourly, |p| p.bytes_out), sum(&samples, |p| p.bytes_out));
            prop_assert_eq!(sum(&hourly, |p| u64::from(p.samples)), len as u64);
            prop_assert!(hourly.iter().all(|p| p.first_sample % HOUR_SAMPLES == 0 && p.samples <= 12));
        }
    }
}
