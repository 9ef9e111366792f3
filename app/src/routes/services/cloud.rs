//! A cloud connection's own part of its service page: Lightpath's state and the cloud's, what
//! the buyer must still do in their cloud, the VLAN, the BGP session with the routes learned
//! over it, and the configuration for their router. All of it but the VLAN change is markup
//! rendered on the server (`cloud_panel`) that the page places as it places the usage card: as
//! components, with their records' decoders, both cloud panels cost the page 12 KB more code.

use super::edits::CloudEdits;
use leptos::prelude::*;
use lightpath_app::model::services::CloudPanel;
#[cfg(feature = "ssr")]
use lightpath_domain::cloud::{Cloud, CloudConnectionView, ConnectionState};

/// The panel of cloud connection `service`: its facts as markup, and the VLAN change while the
/// connection is live and the person may change it.
#[cfg(feature = "ssr")]
pub fn cloud_panel(service: &str, cloud: CloudConnectionView, can_change: bool) -> CloudPanel {
    let live = matches!(cloud.state, ConnectionState::Active | ConnectionState::AwaitingAcceptance);
    let vlan_change_from = (can_change && live).then_some(cloud.vlan);
    let service = service.to_owned();
    Owner::new().with(|| {
        let head_html = cloud_facts(&cloud).to_html();
        CloudPanel { head_html, tail_html: view! { <CloudSessions cloud service /> }.to_html(), vlan_change_from }
    })
}

#[component]
pub fn CloudConnectionPanel(service: String, panel: CloudPanel, edits: CloudEdits) -> impl IntoView {
    let CloudPanel { head_html, tail_html, vlan_change_from } = panel;
    view! {
        <section class="card cloud-connection" aria-labelledby="cloud-title">
            <h2 id="cloud-title">"Cloud connection"</h2>
            <div inner_html=head_html></div>
            {vlan_change_from.map(|current| view! { <VlanChange service edits current /> })}
            <div inner_html=tail_html></div>
        </section>
    }
}

/// What the buyer must still do in their cloud, and the connection's states, region, port,
/// VLAN and key.
#[cfg(feature = "ssr")]
fn cloud_facts(cloud: &CloudConnectionView) -> impl IntoView {
    let waiting = cloud.state == ConnectionState::AwaitingAcceptance;
    let banner = match (&cloud.connection_id, cloud.cloud) {
        (Some(id), Cloud::Aws) if waiting => Some(format!(
            "Accept {id} in the AWS console of account {}: the connection carries traffic, and billing starts, once you do.",
            cloud.aws_account.clone().unwrap_or_default()
        )),
        (_, Cloud::Google) if waiting => Some(
            "Activate the attachment in your Google Cloud console (it is PENDING_CUSTOMER): the connection carries traffic, and billing starts, once you do."
                .to_owned(),
        ),
        _ => None,
    };
    let (decision, console) = match cloud.cloud {
        Cloud::Google => ("activated", "Open the simulated Google Cloud console"),
        _ => ("accepted", "Open the simulated AWS console"),
    };
    let deadline = cloud.accept_by_ms.filter(|_| waiting).map(crate::components::format_utc);
    let rows = [
        ("Lightpath state", cloud.state.label().to_owned()),
        (cloud.cloud.label(), cloud.cloud_state_name.clone()),
        ("Region", cloud.region.clone()),
        ("Port and VLAN", format!("{} · VLAN {}", cloud.interface, cloud.vlan)),
    ];
    let key_row = cloud
        .connection_id
        .clone()
        .map(|id| ("AWS connection", id))
        .or_else(|| cloud.cloud_key.clone().map(|key| ("Key", key)));
    view! {
        {banner
            .map(|text| {
                view! {
                    <div class="notice notice-info" role="status" data-testid="acceptance-banner">
                        <p>{text}</p>
                        {deadline
                            .map(|at| {
                                view! {
                                    <p class="muted">
                                        {format!("Released, at no charge, unless {decision} by {at} UTC.")}
                                    </p>
                                }
                            })}
                        <p>
                            <a href="/clouds">{console}</a>
                        </p>
                    </div>
                }
            })}
        <dl class="review">
            {rows
                .into_iter()
                .chain(key_row)
                .map(|(term, value)| {
                    view! {
                        <dt>{term}</dt>
                        <dd>{value}</dd>
                    }
                })
                .collect_view()}
        </dl>
    }
}

/// The BGP session, the routes learned over it, and the buyer's side: their router's
/// configuration, or the cloud router the connection is attached to.
#[cfg(feature = "ssr")]
#[component]
fn CloudSessions(cloud: CloudConnectionView, service: String) -> impl IntoView {
    view! {
        {cloud
            .bgp
            .clone()
            .map(|bgp| {
                view! {
                    <h3>"BGP session"</h3>
                    <dl class="review">
                        <dt>"State"</dt>
                        <dd data-testid="bgp-state">{bgp.state.label()}</dd>
                        <dt>"Your side"</dt>
                        <dd>{format!("AS{} · {}", bgp.customer_asn, bgp.customer_address)}</dd>
                        <dt>"Cloud side"</dt>
                        <dd>{format!("AS{} · {}", bgp.cloud_asn, bgp.cloud_address)}</dd>
                        <dt>"MD5 key"</dt>
                        <dd>{bgp.key_masked.unwrap_or_else(|| "none".to_owned())}</dd>
                    </dl>
                }
            })}
        <h3>"Routes learned"</h3>
        {if cloud.routes.is_empty() {
            view! { <p class="muted">"None yet: the cloud announces its prefixes once the session is established."</p> }
                .into_any()
        } else {
            view! {
                <ul class="routes" data-testid="cloud-routes">
                    {cloud
                        .routes
                        .into_iter()
                        .map(|prefix| {
                            view! {
                                <li>
                                    <code>{prefix}</code>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
        {match cloud.router {
            Some(router) => {
                view! {
                    <h3>"Your side"</h3>
                    <p data-testid="attached-router">
                        "Attached to your " <a href=format!("/services/{router}")>"cloud router"</a>
                        ", which runs BGP with the cloud for you: its route table shows what this cloud announces."
                    </p>
                }
                    .into_any()
            }
            None => view! { <RouterConfig service /> }.into_any(),
        }}
    }
}

/// The buyer's router configuration: a plain-text read of the REST API with the session
/// (it holds the BGP key, so it is fetched only when asked for), to open or download.
#[cfg(feature = "ssr")]
#[component]
fn RouterConfig(service: String) -> impl IntoView {
    let href = format!("/api/v1/services/{service}/router-config");
    view! {
        <h3>"Your router"</h3>
        <p>
            "The VLAN sub-interface, its address and the BGP neighbour with its key, for your router: "
            <a href=href.clone() data-testid="router-config">
                "open it to copy"
            </a> " or " <a href=href download="lightpath-router.cfg">
                "download it"
            </a> "."
        </p>
    }
}

/// Moves the connection to another VLAN on its port: the same connection, BGP session and id.
#[component]
fn VlanChange(service: String, edits: CloudEdits, current: u16) -> impl IntoView {
    let field = || "vlan".to_owned();
    let typed = edits.text(field(), String::new());
    view! {
        <form
            class="inline-actions vlan-change"
            on:submit=move |ev| {
                ev.prevent_default();
                edits.submit(service.clone(), "vlan", String::new(), field(), String::new());
            }
        >
            <label for="vlan-change">"Move to VLAN"</label>
            <input
                id="vlan-change"
                inputmode="numeric"
                size="6"
                placeholder=current.to_string()
                aria-describedby="vlan-change-hint"
                prop:value=typed
                on:input=move |ev| edits.type_in("vlan", event_target_value(&ev))
            />
            <button type="submit" class="button button-ghost" disabled=move || edits.pending().get()>
                "Change VLAN"
            </button>
            <p class="hint" id="vlan-change-hint">
                "The connection stays as it is, on the new VLAN: update your router's sub-interface to match."
            </p>
            {move || {
                edits
                    .refusal(field())()
                    .map(|why| {
                        view! {
                            <p class="field-error" role="alert">
                                {why}
                            </p>
                        }
                    })
            }}
        </form>
    }
}
