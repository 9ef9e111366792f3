//! A cloud connection's own part of its service page: Lightpath's state and the cloud's, what
//! the buyer must still do in their cloud, the VLAN, the BGP session with the routes learned
//! over it, and the configuration for their router.

use crate::components::format_utc;
use crate::components::forms::CopyButton;
use crate::error::AppError;
use crate::server_fns::services::router_config;
use leptos::prelude::*;
use lightpath_domain::cloud::{Cloud, CloudConnectionView, ConnectionState};

/// The router configuration's box: open or not, and what was fetched. Kept by the page, so
/// its refresh every few seconds neither closes the box nor fetches it again.
#[derive(Clone, Copy)]
pub struct RouterConfigState {
    open: RwSignal<bool>,
    fetched: RwSignal<Option<Result<String, AppError>>>,
}

impl RouterConfigState {
    pub fn new() -> RouterConfigState {
        RouterConfigState { open: RwSignal::new(false), fetched: RwSignal::new(None) }
    }
}

#[component]
pub fn CloudConnectionPanel(service: String, cloud: CloudConnectionView, router: RouterConfigState) -> impl IntoView {
    let waiting = cloud.state == ConnectionState::AwaitingAcceptance;
    let banner = match (&cloud.connection_id, cloud.cloud) {
        (Some(id), Cloud::Aws) if waiting => Some(format!(
            "Accept {id} in the AWS console of account {}: the connection carries traffic, and billing starts, once you do.",
            cloud.aws_account.clone().unwrap_or_default()
        )),
        _ => None,
    };
    let deadline = cloud.accept_by_ms.filter(|_| waiting).map(format_utc);
    let rows = [
        ("Lightpath state", cloud.state.label().to_owned()),
        (cloud.cloud.label(), format!("{} ({})", cloud.cloud_state_name, cloud.cloud_state.slug())),
        ("Region", cloud.region.clone()),
        ("Port and VLAN", format!("{} · VLAN {}", cloud.interface, cloud.vlan)),
    ];
    let key_row = cloud
        .connection_id
        .clone()
        .map(|id| ("AWS connection", id))
        .or_else(|| cloud.cloud_key.clone().map(|key| ("Key", key)));
    view! {
        <section class="card cloud-connection" aria-labelledby="cloud-title">
            <h2 id="cloud-title">"Cloud connection"</h2>
            {banner
                .map(|text| {
                    view! {
                        <div class="notice notice-info" role="status" data-testid="acceptance-banner">
                            <p>{text}</p>
                            {deadline
                                .map(|at| {
                                    view! {
                                        <p class="muted">
                                            {format!("Released, at no charge, unless accepted by {at} UTC.")}
                                        </p>
                                    }
                                })}
                            <p>
                                <a href="/clouds">"Open the simulated AWS console"</a>
                            </p>
                        </div>
                    }
                })}
            <dl class="facts">
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
            {cloud
                .bgp
                .clone()
                .map(|bgp| {
                    view! {
                        <h3>"BGP session"</h3>
                        <dl class="facts">
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
                view! {
                    <p class="muted">"None yet: the cloud announces its prefixes once the session is established."</p>
                }
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
            <RouterConfig service state=router />
        </section>
    }
}

/// The buyer's router configuration, fetched when they first open it (it holds the BGP key).
#[component]
fn RouterConfig(service: String, state: RouterConfigState) -> impl IntoView {
    // The summary's click (Enter and Space click it too) opens and closes the box here rather
    // than in the browser, so the state survives the page being drawn again.
    let toggle = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let open = !state.open.get_untracked();
        state.open.set(open);
        if open && state.fetched.with_untracked(Option::is_none) {
            let service = service.clone();
            leptos::task::spawn_local(async move { state.fetched.set(Some(router_config(service).await)) });
        }
    };
    view! {
        <details class="router-config" prop:open=move || state.open.get()>
            <summary on:click=toggle>"Configuration for your router"</summary>
            {move || match state.fetched.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(error)) => view! { <p class="field-error" role="alert">{error.to_string()}</p> }.into_any(),
                Some(Ok(text)) => {
                    let download = format!(
                        "data:text/plain;charset=utf-8,{}",
                        crate::components::percent_encode(&text),
                    );
                    view! {
                        <pre data-testid="router-config">{text.clone()}</pre>
                        <CopyButton text />
                        <p>
                            <a href=download download="lightpath-router.cfg">
                                "Download"
                            </a>
                        </p>
                    }
                        .into_any()
                }
            }}
        </details>
    }
}
