//! A cloud router's own part of its service page: its AS number and rate limit, the cloud
//! connections it joins with each one's BGP state, routes and prefix filter (editable), and
//! the route table it learned.

use super::edits::CloudEdits;
use leptos::prelude::*;
use lightpath_domain::cloud_router::{AttachmentView, CloudRouterView};

#[component]
pub fn CloudRouterPanel(
    service: String,
    router: CloudRouterView,
    can_change: bool,
    edits: CloudEdits,
) -> impl IntoView {
    let CloudRouterView { asn, site, rate_limit_mbps, attachments, routes } = router;
    let rate = lightpath_domain::recommend::format_rate(rate_limit_mbps);
    view! {
        <section class="card cloud-router" aria-labelledby="router-title">
            <h2 id="router-title">"Cloud router"</h2>
            <dl class="review">
                <dt>"AS number"</dt>
                <dd>{format!("AS{asn}")}</dd>
                <dt>"Site"</dt>
                <dd>{site.clone()}</dd>
                <dt>"Rate limit"</dt>
                <dd>{rate}</dd>
            </dl>
            <h3>"Attached cloud connections"</h3>
            {if attachments.is_empty() {
                view! {
                    <p class="muted" data-testid="no-attachments">
                        "None yet. Order a "
                        <a href="/products/cloud-connection">"Cloud Connection"</a>
                        {format!(
                            " starting at {site} with this router's service id, {service}, to join a cloud to it.",
                        )}
                    </p>
                }
                    .into_any()
            } else {
                attachments
                    .into_iter()
                    .map(|attachment| view! { <Attachment router=service.clone() attachment can_change edits /> })
                    .collect_view()
                    .into_any()
            }}
            <h3>"Route table"</h3>
            {if routes.is_empty() {
                view! {
                    <p class="muted">"No routes yet: each cloud announces its prefixes once its BGP session is up."</p>
                }
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
            }}
        </section>
    }
}

#[component]
fn Attachment(router: String, attachment: AttachmentView, can_change: bool, edits: CloudEdits) -> impl IntoView {
    let AttachmentView { service_id, name, state, established, filter, routes, .. } = attachment;
    let saved = filter.join("\n");
    let id = format!("filter-{service_id}");
    let text = edits.text(service_id.clone(), saved.clone());
    let problem = edits.refusal(service_id.clone());
    let session = if established { "BGP established" } else { "BGP not up yet" };
    let learned = match routes.len() {
        0 => "no routes".to_owned(),
        1 => "1 route".to_owned(),
        n => format!("{n} routes"),
    };
    view! {
        <article class="attachment" data-testid="attachment">
            <h4>
                <a href=format!("/services/{service_id}")>{name}</a>
            </h4>
            <p class="muted">{format!("{} · {session} · {learned}", state.label())}</p>
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
