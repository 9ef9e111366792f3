//! Usage and performance per service: the collector that every server runs (it measures each
//! connection on the simulated network every few seconds and keeps the history compact), a
//! service's report for the REST API and its CSV, and the service page's chart.

use crate::model::network::MaintenanceLine;
use crate::model::usage::{UsageAlertView, UsageChart, UsageReport, UsageReportPoint, UsageRow};
use crate::{AppError, Caller};
use lightpath_domain::catalog::LifecycleStage;
use lightpath_domain::policy::Permission;
use lightpath_domain::records::ServiceRecord;
use lightpath_domain::service::ServiceState;
use lightpath_domain::time::{iso_time, parse_iso_ms, utc_minute};
use lightpath_domain::usage::{
    self, format_bps, format_bytes, percentile_95, roll_up, AlertRule, ChartRange, Link, Resolution, UsagePoint,
    Workload,
};
use lightpath_store::Store;
use std::collections::HashMap;

/// The most points one report holds: a year of hours, or 7 days of 5-minute samples with room.
pub const MAX_POINTS: i64 = 8_784;

/// Measures every connection up to wall-clock `now_ms`: the samples each one completed since
/// the last pass (all of them after a pause, up to the history kept: a sample measures the
/// same whenever it is taken), rolled up and aged like the rest. Answers how many were taken.
pub async fn collect(store: &Store, now_ms: i64) -> Result<u64, AppError> {
    let speedup = store.fault_policy().await?.speedup();
    let workloads: HashMap<String, Workload> = store
        .products()
        .await?
        .into_iter()
        .map(|product| (product.id.to_string(), Workload::of(&product.stages)))
        .collect();
    let alerts: HashMap<String, lightpath_store::usage::UsageAlert> =
        store.usage_alerts(None).await?.into_iter().map(|alert| (alert.service_id.clone(), alert)).collect();
    let mut taken = 0;
    for service in store.metered_services(now_ms).await? {
        let until = service.ended_ms.map_or(now_ms, |ended| ended.min(now_ms));
        let completed = usage::samples_completed(service.activated_ms, until, speedup);
        let from = service.collected.max(usage::history_cutoff(completed));
        if from >= completed {
            continue;
        }
        let link = Link {
            service_id: &service.id,
            mbps: service.mbps,
            workload: workloads.get(&service.product).copied().unwrap_or(Workload::of(&[LifecycleStage::MultiCloud])),
            round_trip_us: service.round_trip_us,
            activated_ms: service.activated_ms,
            down: service.down,
        };
        let samples: Vec<UsagePoint> = (from..completed).map(|sample| usage::measure(&link, sample)).collect();
        // A stretch already past the raw window goes in as whole hours. The hour the pass
        // starts in may hold samples of the last pass: its new samples go in as samples, and
        // the store rolls that hour up with them.
        let raw_cutoff = usage::raw_cutoff(completed);
        let next_hour = (from + usage::HOUR_SAMPLES - 1).div_euclid(usage::HOUR_SAMPLES) * usage::HOUR_SAMPLES;
        let head = samples.partition_point(|point| point.first_sample < next_hour.min(raw_cutoff));
        let tail = samples.partition_point(|point| point.first_sample < raw_cutoff).max(head);
        let mut points = samples[..head].to_vec();
        points.extend(roll_up(&samples[head..tail], usage::HOUR_SAMPLES));
        points.extend_from_slice(&samples[tail..]);
        store.record_usage(&service.id, &points, raw_cutoff, usage::history_cutoff(completed)).await?;
        taken += samples.len() as u64;
        if let Some(alert) = alerts.get(&service.id).filter(|_| service.ended_ms.is_none()) {
            let recent = store.usage(&service.id, completed - alert.rule.samples() as i64, completed).await?;
            let breached = alert.rule.breached(service.mbps, &recent);
            if breached != alert.firing_since_ms.is_some() {
                let busiest = recent.last().map_or(0, |point| {
                    let (bps_in, bps_out) = point.mean_bps();
                    bps_in.max(bps_out)
                });
                store.usage_alert_changed(&service.id, breached, alert.rule, busiest).await?;
            }
        }
    }
    Ok(taken)
}

/// Sets service `id`'s utilisation alert (its organisation's members who may order changes).
pub async fn set_alert(caller: &Caller, id: &str, threshold_percent: &str, minutes: &str) -> Result<(), AppError> {
    let record = crate::services::visible(caller, id).await?;
    let actor = caller.require(Permission::EditDesigns(&record.summary.organisation.id))?;
    if record.summary.mbps == 0 || record.summary.state != ServiceState::Active {
        return Err(AppError::Conflict("Only an active connection has traffic to alert on.".into()));
    }
    let rule = AlertRule::parse(threshold_percent, minutes).map_err(|problems| {
        AppError::Fields(problems.into_iter().map(|problem| (problem.field.to_owned(), problem.message)).collect())
    })?;
    let organisation = record.summary.organisation.id.to_string();
    caller.store.set_usage_alert(&actor, record.summary.id.as_str(), &organisation, rule).await?;
    Ok(())
}

/// Removes service `id`'s utilisation alert.
pub async fn clear_alert(caller: &Caller, id: &str) -> Result<(), AppError> {
    let record = crate::services::visible(caller, id).await?;
    let actor = caller.require(Permission::EditDesigns(&record.summary.organisation.id))?;
    let organisation = record.summary.organisation.id.to_string();
    caller.store.clear_usage_alert(&actor, record.summary.id.as_str(), &organisation).await?;
    Ok(())
}

/// Service `id`'s alert, for the REST API.
pub async fn alert(caller: &Caller, id: &str) -> Result<Option<UsageAlertView>, AppError> {
    let record = crate::services::visible(caller, id).await?;
    Ok(caller.store.usage_alert(record.summary.id.as_str()).await?.as_ref().map(alert_view))
}

fn alert_view(alert: &lightpath_store::usage::UsageAlert) -> UsageAlertView {
    UsageAlertView {
        threshold_percent: alert.rule.threshold_percent,
        minutes: alert.rule.minutes,
        firing: alert.firing_since_ms.is_some(),
        firing_since: alert.firing_since_ms.map(iso_time),
    }
}

/// The caller's organisation's firing alerts, as the dashboard lists its notices.
pub async fn firing_for_my_organisation(caller: &Caller) -> Result<Vec<MaintenanceLine>, AppError> {
    let Some(organisation) = caller.actor().and_then(|actor| actor.organisation.as_ref()) else {
        return Ok(Vec::new());
    };
    Ok(caller
        .store
        .usage_alerts(Some(organisation.id.as_str()))
        .await?
        .iter()
        .map(|alert| MaintenanceLine {
            id: alert.service_id.clone(),
            status: "Utilisation alert".into(),
            open: true,
            heading: format!("{} · since {} UTC", alert.rule.describe(), alert.firing_since_ms.map(utc_minute).unwrap_or_default()),
            text: "Its busier direction has stayed over the threshold: see its usage, or raise its bandwidth.".into(),
            services: vec![(alert.service_id.clone(), alert.service_title.clone())],
            services_touched: 1,
            outage: false,
            alert: true,
        })
        .collect())
}

/// A service's history: when its sample 0 started and how many samples are measured (the
/// latest measurement, not the clock, ends "the last 24 hours": the collector runs every few
/// seconds, which at a high speed-up is days of simulated time).
struct Timeline {
    activated_ms: i64,
    completed: i64,
}

async fn timeline(store: &Store, record: &ServiceRecord) -> Result<Option<Timeline>, AppError> {
    let Some(first) = record.rates.first() else {
        return Ok(None);
    };
    if record.summary.mbps == 0 {
        return Ok(None);
    }
    let completed = store.usage_collected(record.summary.id.as_str()).await?;
    Ok(Some(Timeline { activated_ms: first.from_ms, completed }))
}

/// Service `id`'s usage from `from` to `to` (RFC 3339 on the simulated clock; by default the
/// last 24 hours of its life) at `resolution` (`5m`, `1h` or `1d`; by default the finest the
/// span keeps). A 5-minute resolution reaches back 7 days; a span of more than
/// [`MAX_POINTS`] points is refused with what to ask instead.
pub async fn report(
    caller: &Caller,
    id: &str,
    from: Option<&str>,
    to: Option<&str>,
    resolution: Option<&str>,
) -> Result<UsageReport, AppError> {
    let record = crate::services::visible(caller, id).await?;
    let mut problems = Vec::new();
    let mut time = |field: &'static str, raw: Option<&str>| match raw.map(parse_iso_ms) {
        Some(None) => {
            problems.push((
                field.to_owned(),
                "Write a UTC time like 2026-12-07T09:30:00Z (or a date like 2026-12-07).".to_owned(),
            ));
            None
        }
        Some(parsed) => parsed,
        None => None,
    };
    let (from_ms, to_ms) = (time("from", from), time("to", to));
    let resolution = match resolution.map(Resolution::parse) {
        Some(None) => {
            problems.push(("resolution".to_owned(), "Use 5m, 1h or 1d.".to_owned()));
            None
        }
        Some(parsed) => parsed,
        None => None,
    };
    if !problems.is_empty() {
        return Err(AppError::Fields(problems));
    }
    let empty = |from: i64, to: i64, resolution: Resolution| UsageReport {
        service_id: record.summary.id.to_string(),
        resolution: resolution.slug().to_owned(),
        from: iso_time(from),
        to: iso_time(to),
        p95_in_bps: 0,
        p95_out_bps: 0,
        bytes_in: 0,
        bytes_out: 0,
        points: Vec::new(),
    };
    let Some(clock) = timeline(&caller.store, &record).await? else {
        let at = record.summary.created_at_ms;
        return Ok(empty(from_ms.unwrap_or(at), to_ms.unwrap_or(at), resolution.unwrap_or(Resolution::Hour)));
    };
    let end = to_ms.unwrap_or_else(|| usage::sample_start_ms(clock.activated_ms, clock.completed));
    let start = from_ms.unwrap_or(end - ChartRange::Day.samples() * usage::SAMPLE_MS);
    if start >= end {
        return Err(AppError::field("from", "Start before `to`."));
    }
    let (first, last) = (usage::sample_at(clock.activated_ms, start), usage::sample_at(clock.activated_ms, end - 1) + 1);
    let raw_from = usage::raw_cutoff(clock.completed);
    let resolution = resolution.unwrap_or(if first >= raw_from { Resolution::FiveMinutes } else { Resolution::Hour });
    if resolution == Resolution::FiveMinutes && first < raw_from {
        let kept = iso_time(usage::sample_start_ms(clock.activated_ms, raw_from));
        return Err(AppError::field(
            "resolution",
            format!("5-minute samples are kept for 7 days (from {kept}): ask for 1h or 1d, or start later."),
        ));
    }
    if (last - first) / resolution.samples() > MAX_POINTS {
        return Err(AppError::field(
            "to",
            format!("That is more than {MAX_POINTS} points: ask for a coarser resolution or a shorter span."),
        ));
    }
    let points = roll_up(&caller.store.usage(record.summary.id.as_str(), first.max(0), last.max(0)).await?, resolution.samples());
    let (ins, outs): (Vec<u64>, Vec<u64>) = points.iter().map(UsagePoint::mean_bps).unzip();
    Ok(UsageReport {
        p95_in_bps: percentile_95(&ins),
        p95_out_bps: percentile_95(&outs),
        bytes_in: points.iter().map(|point| point.bytes_in).sum(),
        bytes_out: points.iter().map(|point| point.bytes_out).sum(),
        points: points
            .iter()
            .map(|point| {
                let (mean_in_bps, mean_out_bps) = point.mean_bps();
                let performance = point.performance();
                UsageReportPoint {
                    start: iso_time(usage::sample_start_ms(clock.activated_ms, point.first_sample)),
                    samples: point.samples,
                    down_samples: point.down_samples,
                    bytes_in: point.bytes_in,
                    bytes_out: point.bytes_out,
                    mean_in_bps,
                    mean_out_bps,
                    latency_us: performance.map(|(latency, _, _)| latency),
                    jitter_us: performance.map(|(_, jitter, _)| jitter),
                    loss_ppm: performance.map(|(_, _, loss)| loss),
                }
            })
            .collect(),
        ..empty(start, end, resolution)
    })
}

/// A report as CSV, one row per point, for a spreadsheet.
pub fn csv(report: &UsageReport) -> String {
    use lightpath_domain::csv::row;
    let mut out = row(&[
        "start",
        "samples",
        "down_samples",
        "bytes_in",
        "bytes_out",
        "mean_in_bps",
        "mean_out_bps",
        "latency_us",
        "jitter_us",
        "loss_ppm",
    ]);
    let optional = |value: Option<u64>| value.map(|value| value.to_string()).unwrap_or_default();
    for point in &report.points {
        out.push_str(&row(&[
            &point.start,
            &point.samples.to_string(),
            &point.down_samples.to_string(),
            &point.bytes_in.to_string(),
            &point.bytes_out.to_string(),
            &point.mean_in_bps.to_string(),
            &point.mean_out_bps.to_string(),
            &optional(point.latency_us),
            &optional(point.jitter_us),
            &optional(point.loss_ppm),
        ]));
    }
    out
}

/// The usage card of the service page showing `record` (which the caller was allowed to read)
/// for `range` (`24h`, `7d`, `30d` or `180d`; anything else is the last 24 hours).
pub async fn chart(caller: &Caller, record: &ServiceRecord, range: &str) -> Result<UsageChart, AppError> {
    let range = ChartRange::parse(range);
    let mut chart = UsageChart {
        service_id: record.summary.id.to_string(),
        range: range.slug().to_owned(),
        ranges: ChartRange::ALL.iter().map(|range| (range.slug().to_owned(), range.label().to_owned())).collect(),
        empty: None,
        figures: Vec::new(),
        line_in: String::new(),
        line_out: String::new(),
        p95_y: None,
        description: String::new(),
        axis: Vec::new(),
        rows: Vec::new(),
        alert: caller.store.usage_alert(record.summary.id.as_str()).await?.as_ref().map(alert_view),
        may_set_alert: record.summary.state == ServiceState::Active
            && record.summary.mbps > 0
            && caller.require(Permission::EditDesigns(&record.summary.organisation.id)).is_ok(),
        csv: format!("/api/v1/services/{}/usage.csv?resolution={}", record.summary.id, range.resolution().slug()),
    };
    let clock = match timeline(&caller.store, record).await? {
        None if record.summary.mbps == 0 => {
            chart.empty = Some("This service is not a connection: it has no traffic to measure.".into());
            return Ok(chart);
        }
        None => {
            chart.empty = Some("Usage starts when the service is delivered.".into());
            return Ok(chart);
        }
        Some(clock) => clock,
    };
    let last = clock.completed;
    let first = (last - range.samples()).max(0);
    let (from_text, to_text) = (
        iso_time(usage::sample_start_ms(clock.activated_ms, first)),
        iso_time(usage::sample_start_ms(clock.activated_ms, last)),
    );
    chart.csv = format!("{}&from={from_text}&to={to_text}", chart.csv);
    let samples = caller.store.usage(record.summary.id.as_str(), first, last).await?;
    if samples.is_empty() {
        chart.empty = Some("No measurements yet: the first arrive within a few seconds of delivery.".into());
        return Ok(chart);
    }
    let step = range.resolution().samples();
    let points = roll_up(&samples, step);
    let line_rate = record.summary.mbps.saturating_mul(1_000_000).max(1);
    let rates: Vec<(u64, u64)> = points.iter().map(UsagePoint::mean_bps).collect();
    let (ins, outs): (Vec<u64>, Vec<u64>) = rates.iter().copied().unzip();
    let (p95_in, p95_out) = (percentile_95(&ins), percentile_95(&outs));
    let peak = rates.iter().map(|(i, o)| *i.max(o)).max().unwrap_or(0);
    let total: UsagePoint = roll_up(&samples, i64::MAX / 2).first().copied().unwrap_or_default();
    let span = (range.samples() / step).max(1) as f64;
    let x = |point: &UsagePoint| (point.first_sample - first).div_euclid(step) as f64 * 600.0 / (span - 1.0).max(1.0);
    let y = |bps: u64| 200.0 - (bps.min(line_rate) as f64 / line_rate as f64 * 196.0);
    let line = |pick: fn(&(u64, u64)) -> u64| {
        points
            .iter()
            .zip(&rates)
            .enumerate()
            .map(|(index, (point, rate))| {
                format!("{}{:.1} {:.1}", if index == 0 { "M" } else { " L" }, x(point), y(pick(rate)))
            })
            .collect::<String>()
    };
    chart.line_in = line(|rate| rate.0);
    chart.line_out = line(|rate| rate.1);
    chart.p95_y = Some(y(p95_in).round() as u32);
    let percent = |bps: u64| bps.saturating_mul(100) / line_rate;
    chart.figures = vec![
        ("95th percentile in".into(), format!("{} ({} %)", format_bps(p95_in), percent(p95_in))),
        ("95th percentile out".into(), format!("{} ({} %)", format_bps(p95_out), percent(p95_out))),
        ("Peak".into(), format!("{} ({} %)", format_bps(peak), percent(peak))),
        ("Carried".into(), format!("{} in, {} out", format_bytes(total.bytes_in), format_bytes(total.bytes_out))),
    ];
    match total.performance() {
        Some((latency, jitter, loss)) => chart.figures.push((
            "Round trip".into(),
            format!("{:.2} ms, jitter {:.2} ms, loss {:.3} %", latency as f64 / 1e3, jitter as f64 / 1e3, loss as f64 / 1e4),
        )),
        None => chart.figures.push(("Round trip".into(), "not measured: down throughout".into())),
    }
    if total.down_samples > 0 {
        let minutes = i64::from(total.down_samples) * usage::SAMPLE_MS / 60_000;
        chart.figures.push(("Down".into(), format!("{} h {} min", minutes / 60, minutes % 60)));
    }
    chart.description = format!(
        "Traffic over the last {} as a share of the {} line rate: 95th percentile in {}, out {}, peak {}.",
        range.label(),
        format_bps(line_rate),
        format_bps(p95_in),
        format_bps(p95_out),
        format_bps(peak)
    );
    let at = |sample: i64| utc_minute(usage::sample_start_ms(clock.activated_ms, sample));
    // The drawn window: a young service's first day fills it from the left.
    let window_end = first + range.samples();
    chart.axis = vec![at(first), at(first + range.samples() / 2), at(window_end)];
    let per_row = match range {
        ChartRange::Day => usage::HOUR_SAMPLES,
        ChartRange::Week | ChartRange::Month => 24 * usage::HOUR_SAMPLES,
        ChartRange::HalfYear => 30 * 24 * usage::HOUR_SAMPLES,
    };
    chart.rows = roll_up(&samples, per_row)
        .iter()
        .map(|row| {
            let (mean_in, mean_out) = row.mean_bps();
            let inside = |point: &&UsagePoint| point.first_sample.div_euclid(per_row) * per_row == row.first_sample;
            let peak = points.iter().zip(&rates).filter(|(point, _)| inside(point)).map(|(_, (i, o))| *i.max(o)).max();
            let performance = row.performance();
            UsageRow {
                when: at(row.first_sample),
                mean_in: format_bps(mean_in),
                mean_out: format_bps(mean_out),
                peak: format_bps(peak.unwrap_or(0)),
                latency: performance.map_or_else(|| "down".into(), |(latency, _, _)| format!("{:.2} ms", latency as f64 / 1e3)),
                loss: performance.map_or_else(|| "—".into(), |(_, _, loss)| format!("{:.3} %", loss as f64 / 1e4)),
            }
        })
        .collect();
    Ok(chart)
}
