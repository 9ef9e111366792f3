//! Network operations: the fault policy the simulated network provisions under, and span
//! utilisation on the map and in a table.

use super::AdminHead;
use crate::components::form_action::{FormAction, PostForm};
use crate::components::forms::{
    count_successes, error_id, outcome, problem_of, succeeded, Field, FormField, FormProblem, RedirectNotice,
    SuccessNotice,
};
use crate::components::layout::DataTable;
use crate::components::layout::Loaded;
use crate::components::maintenance::MaintenanceList;
use crate::components::topology_map::TopologyMap;
use crate::server_fns::admin::{load_network_ops, AnnounceMaintenance, CutSpan, NetworkOps, SetFaults, SpanUse};
use leptos::prelude::*;
use lightpath_app::model::network::{MaintenanceLine, NetworkView};
use lightpath_domain::faults::FaultPolicy;
use lightpath_domain::maintenance::Impact;
use lightpath_domain::money::group_thousands;
use lightpath_domain::SpanId;

/// Network operations: the fault policy the simulated network provisions under, and the map
/// and table of span utilisation.
#[component]
pub fn AdminNetworkPage() -> impl IntoView {
    let save = FormAction::<SetFaults>::new();
    let announce = FormAction::<AnnounceMaintenance>::new();
    let cut = FormAction::<CutSpan>::new();
    let changes = count_successes(&[succeeded(outcome(save)), succeeded(outcome(announce)), succeeded(outcome(cut))]);
    let ops = Resource::new(move || changes.get(), |_| load_network_ops());
    view! {
        <AdminHead
            title="Network operations"
            lede="How full each span is, how the simulated network misbehaves, its outages and planned maintenance."
        />
        <Loaded data=ops rows=6 let:ops>
            {
                let NetworkOps { network, policy, spans, maintenance, outages } = ops;
                let load: Vec<(SpanId, u64)> = spans
                    .iter()
                    .filter_map(|span| Some((SpanId::parse(&span.id).ok()?, span.permille)))
                    .collect();
                view! {
                    <FaultSettings policy save />
                    <OutageCard network=network.clone() outages cut />
                    <MaintenanceCard network=network.clone() notices=maintenance announce />
                    <h2>"Span utilisation"</h2>
                    <ul class="map-legend" aria-label="Span colours">
                        <li class="low">"under 50 % used"</li>
                        <li class="mid">"50–80 %"</li>
                        <li class="high">"80 % and over"</li>
                    </ul>
                    <TopologyMap network load />
                    <SpanUseTable spans />
                }
                    .into_any()
            }
        </Loaded>
    }
}

/// Taking a span of the simulated network down (an outage opens, and the services crossing
/// it go down) and bringing it back, with every outage.
#[component]
fn OutageCard(network: NetworkView, outages: Vec<MaintenanceLine>, cut: FormAction<CutSpan>) -> impl IntoView {
    let cut_outcome = outcome(cut);
    let spans = network
        .spans
        .iter()
        .map(|span| {
            let name = network.span_names(std::slice::from_ref(&span.id));
            view! { <option value=span.id.to_string()>{name}</option> }
        })
        .collect_view();
    view! {
        <section class="card" id="outages" aria-labelledby="outages-heading">
            <h2 id="outages-heading">"Outages"</h2>
            <p>
                "Take a span down as a fiber cut would: an outage opens, the services crossing it go down (a diverse twin on other spans stays up), and their customers are told. Restore it to close the outage."
            </p>
            <RedirectNotice
                key="outage"
                value="restored"
                message="The span is back: its outage is closed, and its customers told."
            />
            <PostForm action=cut attr:class="stack-form" attr:novalidate="">
                <FormField id="outage-span".into() label="Span" message=problem_of(cut_outcome, "span")>
                    <select id="outage-span" name="span" aria-describedby=error_id("outage-span")>
                        {spans}
                    </select>
                </FormField>
                <Field
                    outcome=cut_outcome
                    name="cause"
                    label="What happened"
                    hint="Customers read this, e.g. “Fiber cut by roadworks near mile 40”."
                />
                <FormProblem outcome=cut_outcome />
                <SuccessNotice
                    when=succeeded(cut_outcome)
                    message="The span is down: the services crossing it are down and their customers told."
                />
                <button type="submit" class="button button-danger" disabled=move || cut.pending().get()>
                    "Take the span down"
                </button>
            </PostForm>
            {if outages.is_empty() {
                view! { <p class="muted">"No outages yet."</p> }.into_any()
            } else {
                view! { <MaintenanceList notices=outages cancel=true /> }.into_any()
            }}
        </section>
    }
}

/// Announcing planned maintenance on a span or a metro, and every window announced.
#[component]
fn MaintenanceCard(
    network: NetworkView,
    notices: Vec<MaintenanceLine>,
    announce: FormAction<AnnounceMaintenance>,
) -> impl IntoView {
    let announced = outcome(announce);
    let spans: Vec<(String, String)> = network
        .spans
        .iter()
        .map(|span| (format!("span:{}", span.id), network.span_names(std::slice::from_ref(&span.id))))
        .collect();
    let metros: Vec<(String, String)> = network
        .sites
        .iter()
        .filter(|site| site.kind == lightpath_domain::SiteKind::Metro)
        .map(|site| (format!("site:{}", site.id), site.name.clone()))
        .collect();
    let options = |choices: Vec<(String, String)>| {
        choices.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()
    };
    view! {
        <section class="card" id="maintenance" aria-labelledby="maintenance-heading">
            <h2 id="maintenance-heading">"Planned maintenance"</h2>
            <p>
                "Announce work on a span or a metro: the customers whose services cross it are told on their dashboard and service pages, and by webhook."
            </p>
            <RedirectNotice
                key="maintenance"
                value="cancelled"
                message="The maintenance is cancelled, and its customers told."
            />
            <PostForm action=announce attr:class="stack-form" attr:novalidate="">
                <FormField id="maintenance-target".into() label="Where" message=problem_of(announced, "target")>
                    <select id="maintenance-target" name="target" aria-describedby=error_id("maintenance-target")>
                        <optgroup label="Spans">{options(spans)}</optgroup>
                        <optgroup label="Metros">{options(metros)}</optgroup>
                    </select>
                </FormField>
                <Field outcome=announced name="starts" label="Starts (UTC)" kind="datetime-local" />
                <Field outcome=announced name="ends" label="Ends (UTC)" kind="datetime-local" />
                <FormField
                    id="maintenance-impact".into()
                    label="Expected impact"
                    message=problem_of(announced, "impact")
                >
                    <select id="maintenance-impact" name="impact" aria-describedby=error_id("maintenance-impact")>
                        {Impact::ALL
                            .into_iter()
                            .map(|impact| view! { <option value=impact.slug()>{impact.label()}</option> })
                            .collect_view()}
                    </select>
                </FormField>
                <Field
                    outcome=announced
                    name="reason"
                    label="What the work is"
                    hint="Customers read this: say what is done and why, e.g. “Fiber splice after a cable cut”."
                />
                <FormProblem outcome=announced />
                <SuccessNotice
                    when=succeeded(announced)
                    message="Announced: the customers whose services cross it are told."
                />
                <button type="submit" class="button" disabled=move || announce.pending().get()>
                    "Announce"
                </button>
            </PostForm>
            {if notices.is_empty() {
                view! { <p class="muted">"No maintenance announced yet."</p> }.into_any()
            } else {
                view! { <MaintenanceList notices cancel=true /> }.into_any()
            }}
        </section>
    }
}

/// How often device steps fail, how the failures split, and how fast the simulation runs.
#[component]
fn FaultSettings(policy: FaultPolicy, save: FormAction<SetFaults>) -> impl IntoView {
    let saved = outcome(save);
    let [timeout, activation, test] = policy.mix();
    view! {
        <section class="card narrow">
            <h2>"Fault injection"</h2>
            <p class="muted">
                "Device steps (configure, activate, test) fail at this rate; failures are split by the weights. Every server uses these settings."
            </p>
            <PostForm action=save attr:class="stack-form" attr:novalidate="">
                <Field
                    outcome=saved
                    name="failure_rate"
                    label="Failure rate (%)"
                    value=policy.rate_percent_text()
                    hint="0 to 100, up to two decimals."
                />
                <div class="grid grid-3">
                    <Field outcome=saved name="device_timeout" label="Device timeouts" value=timeout.to_string() />
                    <Field outcome=saved name="activation" label="Activation failures" value=activation.to_string() />
                    <Field outcome=saved name="test" label="Test failures" value=test.to_string() />
                </div>
                <Field
                    outcome=saved
                    name="speedup"
                    label="Speed-up"
                    value=policy.speedup().to_string()
                    hint="How many times faster than real time: 1000 turns an hour of provisioning into 3.6 seconds."
                />
                <FormProblem outcome=saved />
                <Show when=move || matches!(saved.get(), Some(Ok(())))>
                    <p class="form-success" role="status">
                        "Saved. New provisioning steps use these settings."
                    </p>
                </Show>
                <button type="submit" class="button" disabled=move || save.pending().get()>
                    "Save fault settings"
                </button>
            </PostForm>
        </section>
    }
}

/// Each span's capacity, what is reserved on it and how full it is.
#[component]
fn SpanUseTable(spans: Vec<SpanUse>) -> impl IntoView {
    view! {
        <DataTable
            columns=&[("Span", ""), ("Route km", "num"), ("Capacity", "num"), ("Reserved", "num"), ("Used", "")]
            class="utilisation"
        >
            {spans
                .into_iter()
                .map(|span| {
                    let percent = format!("{}.{} %", span.permille / 10, span.permille % 10);
                    view! {
                        <tr>
                            <td>{span.ends} <span class="muted">{format!(" · {}", span.id)}</span></td>
                            <td class="num">{group_thousands(u64::from(span.route_km))}</td>
                            <td class="num">{format!("{} Gbps", group_thousands(span.capacity_gbps))}</td>
                            <td class="num">{format!("{} Gbps", group_thousands(span.reserved_mbps / 1_000))}</td>
                            <td class="used">
                                <meter
                                    min="0"
                                    max="1000"
                                    low="500"
                                    high="800"
                                    optimum="0"
                                    value=span.permille.to_string()
                                    aria-label=format!("{percent} used")
                                ></meter>
                                " "
                                {percent}
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
}
