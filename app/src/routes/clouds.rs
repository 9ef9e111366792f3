//! The simulated cloud consoles: stand-ins for a buyer's own AWS, Azure and Google Cloud
//! accounts. A buyer creates the ExpressRoute circuit or Partner Interconnect attachment a
//! cloud connection is ordered with, copies its key, and sees the prefixes each region
//! announces.

use crate::components::form_action::{FormAction, PostForm};
use crate::components::format_utc;
use crate::components::forms::{count_successes, outcome, succeeded, Alert, Outcome, SelectField};
use crate::components::layout::{DataTable, Loaded};
use crate::server_fns::clouds::{
    load_cloud_consoles, Cloud, CloudConsoles, CloudKeyRecord, CloudRegion, CreateCloudKey, DecideHostedConnection,
    HostedConnection,
};
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::cloud::AZURE_CIRCUIT_SPEEDS_MBPS;
use lightpath_domain::recommend::format_rate;

#[component]
pub fn CloudConsolesPage() -> impl IntoView {
    let create = FormAction::<CreateCloudKey>::new();
    let made = outcome(create);
    let decide = FormAction::<DecideHostedConnection>::new();
    let decided = outcome(decide);
    let changes = count_successes(&[succeeded(made), succeeded(decided)]);
    let consoles = Resource::new(move || changes.get(), |_| load_cloud_consoles());
    // Which form was submitted last: its answer shows beside it. Kept here, since the forms are
    // drawn again when the list reloads after a key is made. (Enter in a form clicks its submit
    // button too.)
    let last = RwSignal::new(None::<Cloud>);
    view! {
        <Title text="Cloud consoles · Lightpath" />
        <section class="page-head">
            <p class="eyebrow">"Simulated network"</p>
            <h1>"Cloud consoles"</h1>
            <p class="lede">
                "Stand-ins for your own cloud accounts: accept the AWS hosted connections Lightpath offers you, create the Azure ExpressRoute circuit or the Google Partner Interconnect attachment a cloud connection is ordered with, and copy its key. Nothing here reaches a real cloud."
            </p>
        </section>
        // Why an Accept, Reject or Activate was refused: one place, above both lists.
        <div role="status">
            {move || {
                decided
                    .with(|decided| match decided {
                        Some(Err(error)) => Some(view! { <Alert message=error.to_string() /> }),
                        _ => None,
                    })
            }}
        </div>
        <Loaded data=consoles let:view>
            <HostedConnections connections=view.hosted.clone() decide />
            <ConsoleForms view=view.clone() create made last />
            <KeysTable keys=view.keys.clone() decide />
            <RegionsTable regions=view.regions />
        </Loaded>
    }
}

#[component]
fn ConsoleForms(
    view: CloudConsoles,
    create: FormAction<CreateCloudKey>,
    made: Outcome<CloudKeyRecord>,
    last: RwSignal<Option<Cloud>>,
) -> impl IntoView {
    let on_ramps = move |cloud: Cloud| -> Vec<(String, String)> {
        view.regions
            .iter()
            .filter(|region| region.cloud == cloud)
            .map(|region| (region.on_ramp.clone(), format!("{} ({})", region.region, region.name)))
            .collect()
    };
    let speeds: Vec<(String, String)> =
        AZURE_CIRCUIT_SPEEDS_MBPS.iter().map(|mbps| (mbps.to_string(), format_rate(*mbps))).collect();
    let domains = vec![("1".to_owned(), "1".to_owned()), ("2".to_owned(), "2".to_owned())];
    let (azure_on_ramps, google_on_ramps) = (on_ramps(Cloud::Azure), on_ramps(Cloud::Google));
    view! {
        <div class="grid grid-2">
            <section class="card" aria-labelledby="azure-heading">
                <h2 id="azure-heading">"Azure: an ExpressRoute circuit"</h2>
                <p class="muted">
                    "Its service key orders a cloud connection to it, at its peering location and up to its bandwidth."
                </p>
                <PostForm action=create attr:class="stack-form">
                    <input type="hidden" name="cloud" value="azure" />
                    <SelectField id="azure-on-ramp" label="Peering location" name="on_ramp" options=azure_on_ramps />
                    <SelectField id="azure-bandwidth" label="Bandwidth" name="size" options=speeds />
                    <Made
                        made
                        shown=Signal::derive(move || last.get() == Some(Cloud::Azure) && !create.pending().get())
                        what="Circuit created. Its service key"
                    />
                    <button
                        type="submit"
                        class="button"
                        disabled=move || create.pending().get()
                        on:click=move |_| last.set(Some(Cloud::Azure))
                    >
                        "Create circuit"
                    </button>
                </PostForm>
            </section>
            <section class="card" aria-labelledby="google-heading">
                <h2 id="google-heading">"Google Cloud: a Partner Interconnect attachment"</h2>
                <p class="muted">"Its pairing key orders a cloud connection to it in the same region."</p>
                <PostForm action=create attr:class="stack-form">
                    <input type="hidden" name="cloud" value="google" />
                    <SelectField id="google-on-ramp" label="Region" name="on_ramp" options=google_on_ramps />
                    <SelectField id="google-domain" label="Edge availability domain" name="size" options=domains />
                    <label class="checkbox">
                        <input type="checkbox" name="pre_activate" value="yes" checked />
                        "Pre-activate: carry traffic as soon as Lightpath has built the connection (otherwise you activate it here)"
                    </label>
                    <Made
                        made
                        shown=Signal::derive(move || last.get() == Some(Cloud::Google) && !create.pending().get())
                        what="Attachment created. Its pairing key"
                    />
                    <button
                        type="submit"
                        class="button"
                        disabled=move || create.pending().get()
                        on:click=move |_| last.set(Some(Cloud::Google))
                    >
                        "Create attachment"
                    </button>
                </PostForm>
            </section>
        </div>
    }
}

/// What the last submit of this form made (its key, to copy) or why it was refused.
#[component]
fn Made(made: Outcome<CloudKeyRecord>, shown: Signal<bool>, what: &'static str) -> impl IntoView {
    view! {
        <div role="status">
            {move || {
                if !shown.get() {
                    return None;
                }
                made.with(|made| match made {
                    Some(Ok(record)) => {
                        Some(
                            view! {
                                <p class="notice" data-testid="cloud-key-made">
                                    {format!("{what} is ")}
                                    <code class="secret">{record.key.clone()}</code>
                                </p>
                            }
                                .into_any(),
                        )
                    }
                    Some(Err(error)) => Some(view! { <Alert message=error.to_string() /> }.into_any()),
                    None => None,
                })
            }}
        </div>
    }
}

/// The console's circuits and attachments; a Google attachment whose connection waits in
/// PENDING_CUSTOMER has its Activate button.
#[component]
fn KeysTable(keys: Vec<CloudKeyRecord>, decide: FormAction<DecideHostedConnection>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="keys-heading">
            <h2 id="keys-heading">"Your circuits and attachments"</h2>
            {if keys.is_empty() {
                view! { <p class="muted">"None yet. Create one above, then order a cloud connection with its key."</p> }
                    .into_any()
            } else {
                view! {
                    <DataTable
                        class="stacked"
                        columns=&[
                            ("Cloud", ""),
                            ("Key", ""),
                            ("Region", ""),
                            ("Size", ""),
                            ("Created", ""),
                            ("In use", ""),
                            ("", ""),
                        ]
                    >
                        {keys
                            .into_iter()
                            .map(|key| {
                                let size = match (key.mbps, key.domain) {
                                    (Some(mbps), _) => format_rate(mbps),
                                    (None, Some(domain)) => format!("Edge availability domain {domain}"),
                                    (None, None) => String::new(),
                                };
                                view! {
                                    <tr>
                                        <td data-label="Cloud">{key.cloud.label()}</td>
                                        <td data-label="Key">
                                            <code class="secret">{key.key.clone()}</code>
                                        </td>
                                        <td data-label="Region">{key.region.clone()}</td>
                                        <td data-label="Size">{size}</td>
                                        <td data-label="Created">{format_utc(key.created_at_ms)}</td>
                                        <td data-label="In use">
                                            {match (key.in_use, key.awaiting_activation, key.pre_activated) {
                                                (_, true, _) => "Yes: PENDING_CUSTOMER, waiting for you to activate it",
                                                (true, _, _) => "Yes",
                                                (false, _, Some(false)) => "Not yet (not pre-activated)",
                                                (false, _, _) => "Not yet",
                                            }}
                                        </td>
                                        <td data-label="">
                                            {key
                                                .awaiting_activation
                                                .then(|| {
                                                    view! {
                                                        <PostForm action=decide attr:class="inline-actions">
                                                            <input type="hidden" name="id" value=key.key.clone() />
                                                            <button
                                                                type="submit"
                                                                name="decision"
                                                                value="activate"
                                                                class="button button-small"
                                                                disabled=move || decide.pending().get()
                                                                aria-label=format!("Activate attachment {}", key.key)
                                                            >
                                                                "Activate"
                                                            </button>
                                                        </PostForm>
                                                    }
                                                })}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </DataTable>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn RegionsTable(regions: Vec<CloudRegion>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="regions-heading">
            <h2 id="regions-heading">"Regions and the prefixes they announce"</h2>
            <DataTable class="stacked" columns=&[("Cloud", ""), ("Region", ""), ("On-ramp", ""), ("Prefixes", "")]>
                {regions
                    .into_iter()
                    .map(|region| {
                        view! {
                            <tr>
                                <td data-label="Cloud">{region.cloud.label()}</td>
                                <td data-label="Region">{region.region.clone()}</td>
                                <td data-label="On-ramp">{region.name.clone()}</td>
                                <td data-label="Prefixes">
                                    <code>{region.prefixes.join(", ")}</code>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </DataTable>
        </section>
    }
}

/// The AWS console's hosted connections: those Lightpath offered waits for Accept or Reject.
#[component]
fn HostedConnections(connections: Vec<HostedConnection>, decide: FormAction<DecideHostedConnection>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="aws-heading">
            <h2 id="aws-heading">"AWS: hosted connections"</h2>
            {if connections.is_empty() {
                view! {
                    <p class="muted">
                        "None yet. Order a Cloud Connection to an AWS on-ramp: it appears here for you to accept."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <DataTable
                        class="stacked"
                        columns=&[
                            ("Connection", ""),
                            ("Account", ""),
                            ("Region", ""),
                            ("Bandwidth", ""),
                            ("VLAN", ""),
                            ("State", ""),
                            ("", ""),
                        ]
                    >
                        {connections
                            .into_iter()
                            .map(|connection| {
                                let waiting = connection.connection_state == "ordering";
                                let id = connection.connection_id.clone();
                                view! {
                                    <tr>
                                        <td data-label="Connection">
                                            <code>{connection.connection_id.clone()}</code>
                                        </td>
                                        <td data-label="Account">{connection.owner_account.clone()}</td>
                                        <td data-label="Region">{connection.region.clone()}</td>
                                        <td data-label="Bandwidth">{connection.bandwidth.clone()}</td>
                                        <td data-label="VLAN">{connection.vlan}</td>
                                        <td data-label="State">{connection.connection_state.clone()}</td>
                                        <td data-label="">
                                            {waiting
                                                .then(|| {
                                                    view! {
                                                        <PostForm action=decide attr:class="inline-actions">
                                                            <input type="hidden" name="id" value=id.clone() />
                                                            <button
                                                                type="submit"
                                                                name="decision"
                                                                value="accept"
                                                                class="button button-small"
                                                                disabled=move || decide.pending().get()
                                                                aria-label=format!("Accept {id}")
                                                            >
                                                                "Accept"
                                                            </button>
                                                            <button
                                                                type="submit"
                                                                name="decision"
                                                                value="reject"
                                                                class="button button-small button-ghost"
                                                                disabled=move || decide.pending().get()
                                                                aria-label=format!("Reject {}", connection.connection_id)
                                                            >
                                                                "Reject"
                                                            </button>
                                                        </PostForm>
                                                    }
                                                })}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </DataTable>
                }
                    .into_any()
            }}
        </section>
    }
}
