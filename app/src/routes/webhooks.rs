//! The webhooks page: an organisation's admin subscribes a callback URL to events (its
//! signing secret shown once), sends a test event, watches the deliveries, removes one.

use crate::components::form_action::{FormAction, PostForm};
use crate::components::format_utc;
use crate::components::forms::{count_successes, outcome, problem_of, succeeded, ChoiceGroup, Field, FormProblem};
use crate::components::layout::{DataTable, Loaded};
use crate::routes::tokens::OneTimeSecret;
use crate::server_fns::webhooks::{list_webhooks, CreateWebhook, PingWebhook, RemoveWebhook, ResumeWebhook};
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::money::group_thousands;
use lightpath_domain::records::{WebhookDelivery, WebhookSubscription};
use lightpath_domain::webhooks::{EventType, MAX_BACKLOG};

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let create = FormAction::<CreateWebhook>::new();
    let remove = FormAction::<RemoveWebhook>::new();
    let ping = FormAction::<PingWebhook>::new();
    let resume = FormAction::<ResumeWebhook>::new();
    let (created, removed, pinged, resumed) = (outcome(create), outcome(remove), outcome(ping), outcome(resume));
    let changes = count_successes(&[succeeded(created), succeeded(removed), succeeded(pinged), succeeded(resumed)]);
    // Deliveries happen in the background: the list is read again every few seconds.
    let tick = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    {
        let handle = leptos::prelude::set_interval_with_handle(
            move || tick.update(|n| *n += 1),
            std::time::Duration::from_secs(3),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
    let webhooks = Resource::new(move || (changes.get(), tick.get()), |_| list_webhooks());
    let secret = move || created.with(|o| o.as_ref().and_then(|r| r.as_ref().ok()).cloned());
    let events_problem = problem_of(created, "events");
    view! {
        <Title text="Webhooks · Lightpath" />
        <section class="page-head">
            <p class="eyebrow">"Integrations"</p>
            <h1>"Webhooks"</h1>
            <p class="lede">
                "Lightpath POSTs a signed JSON event to your URL when an order changes state, an item is provisioned, a service starts, changes or ends, or a quote is sent to you. "
                "Each webhook gets its events one at a time, in the order they happened: while one is retried, later ones wait. "
                {format!(
                    "A webhook whose receiver falls {} events behind is paused until you resume it. ",
                    group_thousands(MAX_BACKLOG.unsigned_abs()),
                )} "Check each one's "<code>"Lightpath-Signature"</code>" (see the "
                <a href="/api-reference">"API reference"</a>")."
            </p>
        </section>
        <section class="card narrow" aria-labelledby="new-webhook-heading">
            <h2 id="new-webhook-heading">"Add a webhook"</h2>
            <OneTimeSecret
                testid="new-webhook"
                made=Signal::derive(move || {
                    secret().map(|made| ("Copy the signing secret now: it is shown only once.".to_owned(), made.secret))
                })
            />
            <PostForm action=create attr:class="stack-form" attr:novalidate="">
                <Field
                    outcome=created
                    name="url"
                    label="Callback URL"
                    kind="url"
                    hint="https://… on the public internet."
                />
                <ChoiceGroup legend="Events" class="field" message=events_problem>
                    {EventType::SUBSCRIBABLE
                        .into_iter()
                        .enumerate()
                        .map(|(index, kind)| {
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        name=format!("events[{index}]")
                                        value=kind.slug()
                                        checked=true
                                    />
                                    {kind.label()}
                                </label>
                            }
                        })
                        .collect_view()}
                </ChoiceGroup>
                <FormProblem outcome=created />
                <button type="submit" class="button" disabled=move || create.pending().get()>
                    "Add webhook"
                </button>
            </PostForm>
        </section>
        <Loaded data=webhooks let:view>
            {view.confirm_needed.then(|| view! { <crate::routes::account::ConfirmItsYou /> })}
            <section class="card" aria-labelledby="webhooks-heading">
                <h2 id="webhooks-heading">{format!("Webhooks of {}", view.organisation)}</h2>
                <FormProblem outcome=removed />
                <FormProblem outcome=pinged />
                <FormProblem outcome=resumed />
                {if view.subscriptions.is_empty() {
                    view! {
                        <p class="muted">"No webhooks yet. Add one above to be told about changes as they happen."</p>
                    }
                        .into_any()
                } else {
                    view.subscriptions
                        .into_iter()
                        .map(|subscription| view! { <Subscription subscription remove ping resume /> })
                        .collect_view()
                        .into_any()
                }}
            </section>
        </Loaded>
    }
}

#[component]
fn Subscription(
    subscription: WebhookSubscription,
    remove: FormAction<RemoveWebhook>,
    ping: FormAction<PingWebhook>,
    resume: FormAction<ResumeWebhook>,
) -> impl IntoView {
    let events: Vec<&str> = subscription.events.iter().map(|kind| kind.label()).collect();
    let id = subscription.id.to_string();
    let paused = subscription.paused_at_ms.map(|paused_at| {
        let id = id.clone();
        view! {
            <div class="notice notice-row" role="status">
                <p>
                    {format!(
                        "Paused since {}: the receiver fell {} events behind, so events since then were not queued for it. {} are still waiting and keep being sent. Resume once your receiver keeps up again.",
                        format_utc(paused_at),
                        group_thousands(MAX_BACKLOG.unsigned_abs()),
                        group_thousands(subscription.backlog),
                    )}
                </p>
                <PostForm action=resume attr:class="inline-form">
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="button button-small">
                        "Resume"
                    </button>
                </PostForm>
            </div>
        }
    });
    let waiting = (subscription.paused_at_ms.is_none() && subscription.backlog > 0)
        .then(|| format!(" · {} waiting", group_thousands(subscription.backlog)));
    // A paused webhook takes no test event (the server refuses it): the button goes with it.
    let can_ping = subscription.paused_at_ms.is_none();
    let (ping_id, remove_id) = (id.clone(), id);
    let remove_label = format!("Remove the webhook {}", subscription.url);
    view! {
        <article class="webhook" aria-label=format!("Webhook {}", subscription.url)>
            <h3>
                <code>{subscription.url.clone()}</code>
            </h3>
            <p class="muted">
                {format!(
                    "{} · added {} by {}",
                    events.join(", "),
                    &format_utc(subscription.created_at_ms)[..10],
                    subscription.created_by,
                )} {waiting}
            </p>
            {paused}
            <div class="actions">
                {can_ping
                    .then(|| {
                        view! {
                            <PostForm action=ping attr:class="inline-form">
                                <input type="hidden" name="id" value=ping_id.clone() />
                                <button type="submit" class="button button-small button-ghost">
                                    "Send a test event"
                                </button>
                            </PostForm>
                        }
                    })} <PostForm action=remove attr:class="inline-form">
                    <input type="hidden" name="id" value=remove_id.clone() />
                    <button type="submit" class="button button-small button-danger" aria-label=remove_label.clone()>
                        "Remove"
                    </button>
                </PostForm>
            </div>
            {if subscription.deliveries.is_empty() {
                view! { <p class="muted">"Nothing sent yet."</p> }.into_any()
            } else {
                view! {
                    <DataTable
                        class="stacked"
                        columns=&[
                            ("Event", ""),
                            ("Event id", ""),
                            ("Status", ""),
                            ("Attempts", ""),
                            ("Answer", ""),
                            ("Created", ""),
                        ]
                        caption=format!("Deliveries to {}", subscription.url)
                    >
                        {subscription
                            .deliveries
                            .into_iter()
                            .map(|delivery| view! { <DeliveryRow delivery /> })
                            .collect_view()}
                    </DataTable>
                }
                    .into_any()
            }}
        </article>
    }
}

#[component]
fn DeliveryRow(delivery: WebhookDelivery) -> impl IntoView {
    let answer = match (delivery.last_status, &delivery.last_error) {
        (Some(status), _) => format!("HTTP {status}"),
        (None, Some(error)) => error.clone(),
        (None, None) => "—".to_owned(),
    };
    let state = match delivery.state.as_str() {
        "delivered" => "Delivered",
        "failed" => "Failed",
        _ if delivery.attempts > 0 => "Retrying",
        _ => "Waiting",
    };
    view! {
        <tr>
            <td data-label="Event">{delivery.event_type.tmf_name()}</td>
            <td data-label="Event id">
                <code>{delivery.event_id[..8].to_owned()}"…"</code>
            </td>
            <td data-label="Status">{state}</td>
            <td data-label="Attempts">{delivery.attempts}</td>
            <td data-label="Answer">{answer}</td>
            <td data-label="Created">{format_utc(delivery.created_at_ms)}</td>
        </tr>
    }
}
