//! Network operations: the fault policy the simulated network provisions under, and span
//! utilisation on the map and in a table.

use super::AdminHead;
use crate::components::forms::{count_successes, outcome, succeeded, Field, FormProblem};
use crate::components::layout::DataTable;
use crate::components::layout::Loaded;
use crate::components::topology_map::TopologyMap;
use crate::server_fns::admin::{load_network_ops, NetworkOps, SetFaults, SpanUse};
use leptos::prelude::*;
use lightpath_domain::faults::FaultPolicy;
use lightpath_domain::money::group_thousands;
use lightpath_domain::SpanId;

/// Network operations: the fault policy the simulated network provisions under, and the map
/// and table of span utilisation.
#[component]
pub fn AdminNetworkPage() -> impl IntoView {
    let save = ServerAction::<SetFaults>::new();
    let changes = count_successes(&[succeeded(outcome(save))]);
    let ops = Resource::new(move || changes.get(), |_| load_network_ops());
    view! {
        <AdminHead
            title="Network operations"
            lede="How full each span is, and how the simulated network misbehaves during provisioning."
        />
        <Loaded data=ops rows=6 let:ops>
            {
                let NetworkOps { network, policy, spans } = ops;
                let load: Vec<(SpanId, u64)> = spans
                    .iter()
                    .filter_map(|span| Some((SpanId::parse(&span.id).ok()?, span.permille)))
                    .collect();
                view! {
                    <FaultSettings policy save />
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

/// How often device steps fail, how the failures split, and how fast the simulation runs.
#[component]
fn FaultSettings(policy: FaultPolicy, save: ServerAction<SetFaults>) -> impl IntoView {
    let saved = outcome(save);
    let [timeout, activation, test] = policy.mix();
    view! {
        <section class="card narrow">
            <h2>"Fault injection"</h2>
            <p class="muted">
                "Device steps (configure, activate, test) fail at this rate; failures are split by the weights. Every server uses these settings."
            </p>
            <ActionForm action=save attr:class="stack-form" attr:novalidate="">
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
            </ActionForm>
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
