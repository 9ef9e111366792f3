//! A cloud router's own part of its service page: its AS number and rate limit, the cloud
//! connections it joins with each one's BGP state, routes and prefix filter (editable), and
//! the route table it learned.

use crate::error::AppError;
use crate::server_fns::services::set_attachment_filter;
use leptos::prelude::*;
use lightpath_domain::cloud_router::{AttachmentView, CloudRouterView};
use std::collections::BTreeMap;

/// The filters being edited on the page: kept by the page, not the panel, so the refresh
/// every few seconds keeps what the buyer is typing and the last refusal.
#[derive(Clone, Copy)]
pub struct FilterEdits {
    /// Text typed per attachment (its service id), not saved yet.
    drafts: RwSignal<BTreeMap<String, String>>,
    /// The attachment whose filter was refused last, and why.
    refused: RwSignal<Option<(String, String)>>,
    save: Action<(String, String, String), Result<(), AppError>>,
}

impl FilterEdits {
    pub fn new(refresh: RwSignal<u64>) -> FilterEdits {
        let drafts = RwSignal::new(BTreeMap::new());
        let refused = RwSignal::new(None);
        let save = Action::new_local(move |(router, connection, text): &(String, String, String)| {
            let (router, connection, text) = (router.clone(), connection.clone(), text.clone());
            async move {
                let saved = set_attachment_filter(router, connection.clone(), text).await;
                match &saved {
                    Ok(()) => {
                        drafts.update(|drafts| _ = drafts.remove(&connection));
                        refused.set(None);
                    }
                    Err(error) => refused.set(Some((connection, error.to_string()))),
                }
                refresh.update(|n| *n += 1);
                saved
            }
        });
        FilterEdits { drafts, refused, save }
    }
}

#[component]
pub fn CloudRouterPanel(
    service: String,
    router: CloudRouterView,
    can_change: bool,
    edits: FilterEdits,
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
fn Attachment(router: String, attachment: AttachmentView, can_change: bool, edits: FilterEdits) -> impl IntoView {
    let AttachmentView { service_id, name, state, established, filter, routes, .. } = attachment;
    let saved = filter.join("\n");
    let id = format!("filter-{service_id}");
    let connection = service_id.clone();
    let text = Signal::derive({
        let (connection, saved) = (connection.clone(), saved.clone());
        move || edits.drafts.with(|drafts| drafts.get(&connection).cloned().unwrap_or_else(|| saved.clone()))
    });
    let problem = {
        let connection = connection.clone();
        move || {
            edits
                .refused
                .with(|refused| refused.as_ref().filter(|(on, _)| *on == connection).map(|(_, why)| why.clone()))
        }
    };
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
            <form on:submit=move |ev| {
                ev.prevent_default();
                if can_change {
                    edits.save.dispatch((router.clone(), connection.clone(), text.get_untracked()));
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
                        move |ev| {
                            let typed = event_target_value(&ev);
                            edits.drafts.update(|drafts| _ = drafts.insert(connection.clone(), typed));
                        }
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
                            <button type="submit" class="button" disabled=move || edits.save.pending().get()>
                                "Save filter"
                            </button>
                        }
                    })}
            </form>
        </article>
    }
}
