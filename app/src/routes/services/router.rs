//! A cloud router's own part of its service page: its AS number and rate limit, the cloud
//! connections it joins with each one's BGP state, routes and prefix filter (editable), and
//! the route table it learned. The facts and the route table are markup rendered on the
//! server (`router_panel`), placed by the page; the filters are the page's own forms.

use super::edits::CloudEdits;
use leptos::prelude::*;
use lightpath_app::model::services::{AttachmentFilter, RouterPanel};
#[cfg(feature = "ssr")]
use lightpath_domain::cloud_router::{AttachmentView, CloudRouterView};

/// The panel of cloud router `service`: its facts and route table as markup, and each attached
/// connection's filter.
#[cfg(feature = "ssr")]
pub fn router_panel(service: &str, router: CloudRouterView) -> RouterPanel {
    Owner::new().with(|| drawn_router_panel(service, router))
}

#[cfg(feature = "ssr")]
fn drawn_router_panel(service: &str, router: CloudRouterView) -> RouterPanel {
    let CloudRouterView { asn, site, rate_limit_mbps, attachments, routes } = router;
    let rate = lightpath_domain::recommend::format_rate(rate_limit_mbps);
    let none_attached = attachments.is_empty().then(|| {
        view! {
            <p class="muted" data-testid="no-attachments">
                "None yet. Order a "
                <a href="/products/cloud-connection">"Cloud Connection"</a>
                {format!(" starting at {site} with this router's service id, {service}, to join a cloud to it.")}
            </p>
        }
    });
    let head = view! {
        <dl class="review">
            <dt>"AS number"</dt>
            <dd>{format!("AS{asn}")}</dd>
            <dt>"Site"</dt>
            <dd>{site.clone()}</dd>
            <dt>"Rate limit"</dt>
            <dd>{rate}</dd>
        </dl>
        <h3>"Attached cloud connections"</h3>
        {none_attached}
    };
    let table = if routes.is_empty() {
        view! { <p class="muted">"No routes yet: each cloud announces its prefixes once its BGP session is up."</p> }
            .into_any()
    } else {
        view! {
            <table class="routes-table" data-testid="router-routes">
                <thead>
                    <tr>
                        <th scope="col">"Prefix"</th>
                        <th scope="col">"Learned over"</th>
                    </tr>
                </thead>
                <tbody>
                    {routes
                        .into_iter()
                        .map(|route| {
                            view! {
                                <tr>
                                    <td>
                                        <code>{route.prefix}</code>
                                    </td>
                                    <td>{route.via}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let tail = view! {
        <h3>"Route table"</h3>
        {table}
    };
    RouterPanel {
        head_html: head.to_html(),
        attachments: attachments.into_iter().map(attachment_filter).collect(),
        tail_html: tail.to_html(),
    }
}

/// An attached connection as its form shows it.
#[cfg(feature = "ssr")]
fn attachment_filter(attachment: AttachmentView) -> AttachmentFilter {
    let AttachmentView { service_id, name, state, established, filter, routes, .. } = attachment;
    let session = if established { "BGP established" } else { "BGP not up yet" };
    let learned = match routes.len() {
        0 => "no routes".to_owned(),
        1 => "1 route".to_owned(),
        n => format!("{n} routes"),
    };
    AttachmentFilter {
        service_id,
        name,
        status: format!("{} · {session} · {learned}", state.label()),
        filter: filter.join("\n"),
    }
}

#[component]
pub fn CloudRouterPanel(service: String, panel: RouterPanel, can_change: bool, edits: CloudEdits) -> impl IntoView {
    let RouterPanel { head_html, attachments, tail_html } = panel;
    view! {
        <section class="card cloud-router" aria-labelledby="router-title">
            <h2 id="router-title">"Cloud router"</h2>
            <div inner_html=head_html></div>
            {attachments
                .into_iter()
                .map(|attachment| view! { <Attachment router=service.clone() attachment can_change edits /> })
                .collect_view()}
            <div inner_html=tail_html></div>
        </section>
    }
}

#[component]
fn Attachment(router: String, attachment: AttachmentFilter, can_change: bool, edits: CloudEdits) -> impl IntoView {
    let AttachmentFilter { service_id, name, status, filter: saved } = attachment;
    let id = format!("filter-{service_id}");
    let text = edits.text(service_id.clone(), saved.clone());
    let problem = edits.refusal(service_id.clone());
    view! {
        <article class="attachment" data-testid="attachment">
            <h4>
                <a href=format!("/services/{service_id}")>{name}</a>
            </h4>
            <p class="muted">{status}</p>
            <form on:submit={
                let connection = service_id.clone();
                move |ev| {
                    ev.prevent_default();
                    if can_change {
                        edits.submit(router.clone(), "filter", connection.clone(), connection.clone(), saved.clone());
                    }
                }
            }>
                <label for=id.clone()>"Prefix filter"</label>
                <textarea
                    id=id.clone()
                    rows="3"
                    spellcheck="false"
                    readonly=!can_change
                    aria-describedby=format!("{id}-hint")
                    prop:value=text
                    on:input={
                        let connection = service_id.clone();
                        move |ev| edits.type_in(&connection, event_target_value(&ev))
                    }
                ></textarea>
                <p class="hint" id=format!("{id}-hint")>
                    "One line each, first match decides: permit or deny a prefix, with ge and le for longer ones (deny 34.0.0.0/16, then permit 0.0.0.0/0 le 32). No line matching denies; empty: everything."
                </p>
                {move || {
                    problem()
                        .map(|why| {
                            view! {
                                <p class="field-error" role="alert">
                                    {why}
                                </p>
                            }
                        })
                }}
                {can_change
                    .then(|| {
                        view! {
                            <button type="submit" class="button" disabled=move || edits.pending().get()>
                                "Save filter"
                            </button>
                        }
                    })}
            </form>
        </article>
    }
}
