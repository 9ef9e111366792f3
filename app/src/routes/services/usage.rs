//! A service's usage card, rendered to HTML on the server only: the range tabs, headline
//! figures, the SVG chart (in, out, the 95th percentile), the same history as a table, the CSV
//! link and the utilisation alert's plain forms. The page's code receives the markup and
//! places it (see `detail::UsageCard`), so none of this is in the browser's bundle; every
//! value is escaped by the view's renderer.

use leptos::prelude::*;
use lightpath_app::model::usage::{UsageAlertView, UsageChart};
use lightpath_domain::usage::AlertRule;

/// The card's markup for `chart`.
pub fn usage_html(chart: UsageChart) -> String {
    Owner::new().with(|| view! { <UsageBody chart /> }.to_html())
}

#[component]
fn UsageBody(chart: UsageChart) -> impl IntoView {
    let UsageChart {
        service_id,
        range,
        ranges,
        empty,
        figures,
        line_in,
        line_out,
        p95_y,
        description,
        axis,
        rows,
        csv,
        alert,
        may_set_alert,
    } = chart;
    let tabs = ranges
        .into_iter()
        .map(|(slug, label)| {
            let current = (slug == range).then_some("page");
            view! {
                <a href=format!("?usage={slug}") aria-current=current>
                    {label}
                </a>
            }
        })
        .collect_view();
    let body = match empty {
        Some(text) => view! { <p class="muted">{text}</p> }.into_any(),
        None => view! {
            <dl class="usage-figures">
                {figures
                    .into_iter()
                    .map(|(label, value)| {
                        view! {
                            <div>
                                <dt>{label}</dt>
                                <dd>{value}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
            <svg class="usage-chart" viewBox="0 0 600 200" preserveAspectRatio="none" role="img" aria-label=description>
                {p95_y.map(|y| view! { <line class="p95" x1="0" x2="600" y1=y.to_string() y2=y.to_string() /> })}
                <path class="out" d=line_out />
                <path class="in" d=line_in />
            </svg>
            <div class="usage-axis" aria-hidden="true">
                {axis.into_iter().map(|label| view! { <span>{label}</span> }).collect_view()}
            </div>
            <p class="usage-legend muted" aria-hidden="true">
                <span class="key in"></span>
                "In "
                <span class="key out"></span>
                "Out "
                <span class="key p95"></span>
                "95th percentile in (the line rate is the top)"
            </p>
            <details class="usage-table">
                <summary>"The chart as a table"</summary>
                <table class="stacked">
                    <thead>
                        <tr>
                            <th scope="col">"From (UTC)"</th>
                            <th scope="col">"Mean in"</th>
                            <th scope="col">"Mean out"</th>
                            <th scope="col">"Peak"</th>
                            <th scope="col">"Round trip"</th>
                            <th scope="col">"Loss"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|row| {
                                view! {
                                    <tr>
                                        <th scope="row" data-label="From (UTC)">
                                            {row.when}
                                        </th>
                                        <td data-label="Mean in">{row.mean_in}</td>
                                        <td data-label="Mean out">{row.mean_out}</td>
                                        <td data-label="Peak">{row.peak}</td>
                                        <td data-label="Round trip">{row.latency}</td>
                                        <td data-label="Loss">{row.loss}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </details>
            <p>
                <a href=csv download="">
                    "Download CSV"
                </a>
            </p>
        }
        .into_any(),
    };
    view! {
        <nav class="range-tabs" aria-label="Usage over">
            {tabs}
        </nav>
        {body}
        <UsageAlertForm service_id alert may_set_alert />
    }
}

/// The service's utilisation alert: what it is and whether it fires, and plain forms to set or
/// remove it (no page code: the server answers with this page again, saying what it did).
#[component]
fn UsageAlertForm(service_id: String, alert: Option<UsageAlertView>, may_set_alert: bool) -> impl IntoView {
    let (threshold, minutes) = alert.as_ref().map_or((80, 15), |alert| (alert.threshold_percent, alert.minutes));
    let status = match &alert {
        None => {
            "None set: set one to be told (here, on the dashboard and by webhook) when the link stays full.".to_owned()
        }
        Some(alert) => {
            let state = match &alert.firing_since {
                Some(since) => format!("firing since {} UTC", since.get(..16).unwrap_or(since).replace('T', " ")),
                None => "quiet".to_owned(),
            };
            format!("Over {} % of the line rate for {} min: {state}.", alert.threshold_percent, alert.minutes)
        }
    };
    let options = |choices: &[u32], current: u32, unit: &str| {
        choices
            .iter()
            .map(|choice| {
                view! {
                    <option value=choice.to_string() selected=*choice == current>
                        {format!("{choice}{unit}")}
                    </option>
                }
            })
            .collect_view()
    };
    let firing = alert.as_ref().is_some_and(|alert| alert.firing);
    let removable = alert.is_some();
    view! {
        <div class="usage-alert">
            <h3>"Utilisation alert"</h3>
            <p data-testid="usage-alert" class:firing=firing>
                {status}
            </p>
            {may_set_alert
                .then(|| {
                    view! {
                        <form method="post" action="/api/set-usage-alert" class="inline-form">
                            <input type="hidden" name="service" value=service_id.clone() />
                            <label>
                                "Over "
                                <select name="threshold_percent">
                                    {options(&AlertRule::THRESHOLDS, threshold, " %")}
                                </select>
                            </label>
                            <label>
                                " for "
                                <select name="minutes">{options(&AlertRule::DURATIONS, minutes, " min")}</select>
                            </label>
                            <button type="submit" class="button button-small">
                                "Set alert"
                            </button>
                        </form>
                        {removable
                            .then(|| {
                                view! {
                                    <form method="post" action="/api/clear-usage-alert" class="inline-form">
                                        <input type="hidden" name="service" value=service_id.clone() />
                                        <button type="submit" class="button button-small button-ghost">
                                            "Remove alert"
                                        </button>
                                    </form>
                                }
                            })}
                    }
                })}
        </div>
    }
}
