//! The API tokens page: an organisation's admin (or a Lightpath admin, for staff tokens)
//! makes a token, sees its secret once, and revokes tokens.

use crate::components::form_action::{FormAction, PostForm};
use crate::components::format_utc;
use crate::components::forms::{count_successes, outcome, succeeded, Field, FormProblem, SelectField};
use crate::components::layout::{DataTable, Loaded};
use crate::server_fns::tokens::{list_api_tokens, CreateApiToken, RevokeApiToken};
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::account::TokenAccess;
use lightpath_domain::records::ApiToken;

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let create = FormAction::<CreateApiToken>::new();
    let revoke = FormAction::<RevokeApiToken>::new();
    let (created, revoked) = (outcome(create), outcome(revoke));
    let changes = count_successes(&[succeeded(created), succeeded(revoked)]);
    let tokens = Resource::new(move || changes.get(), |_| list_api_tokens());
    let secret = move || created.with(|o| o.as_ref().and_then(|r| r.as_ref().ok()).cloned());
    view! {
        <Title text="API tokens · Lightpath" />
        <section class="page-head">
            <p class="eyebrow">"Integrations"</p>
            <h1>"API tokens"</h1>
            <p class="lede">
                "Scripts and pipelines use the REST API with a token: " <code>"Authorization: Bearer lpt_…"</code>
                ". A token acts for your organisation as a buyer, or reads only. "
                <a href="/api-reference">"API reference"</a>
            </p>
        </section>
        <section class="card narrow" aria-labelledby="new-token-heading">
            <h2 id="new-token-heading">"Create a token"</h2>
            <OneTimeSecret
                testid="new-token"
                made=Signal::derive(move || {
                    secret()
                        .map(|made| {
                            (
                                format!("Copy the token “{}” now: it is shown only once.", made.token.name),
                                made.secret,
                            )
                        })
                })
            />
            <PostForm action=create attr:class="stack-form" attr:novalidate="">
                <Field outcome=created name="name" label="Name" hint="What uses it, e.g. “Terraform pipeline”." />
                <SelectField
                    id="field-access"
                    label="What it may do"
                    name="access"
                    options=TokenAccess::ALL
                        .into_iter()
                        .map(|access| (access.slug().to_owned(), access.label().to_owned()))
                        .collect()
                />
                <Field
                    outcome=created
                    name="expires_in_days"
                    label="Expires after (days)"
                    kind="number"
                    value="90"
                    required=false
                    hint="Leave empty for a token that does not expire."
                />
                <FormProblem outcome=created />
                <button type="submit" class="button" disabled=move || create.pending().get()>
                    "Create token"
                </button>
            </PostForm>
        </section>
        <Loaded data=tokens let:view>
            {view.confirm_needed.then(|| view! { <crate::routes::account::ConfirmItsYou /> })}
            <section class="card" aria-labelledby="tokens-heading">
                <h2 id="tokens-heading">{format!("Tokens of {}", view.owner)}</h2>
                {if view.tokens.is_empty() {
                    view! { <p class="muted">"No tokens yet. Create one above to use the API."</p> }.into_any()
                } else {
                    view! {
                        <DataTable
                            class="stacked"
                            columns=&[
                                ("Name", ""),
                                ("Token", ""),
                                ("Access", ""),
                                ("Created", ""),
                                ("Expires", ""),
                                ("Last used", ""),
                                ("Status", ""),
                                ("Actions", "visually-hidden"),
                            ]
                        >
                            {view
                                .tokens
                                .into_iter()
                                .map(|token| view! { <TokenRow token now=view.now_ms revoke /> })
                                .collect_view()}
                        </DataTable>
                    }
                        .into_any()
                }}
                <FormProblem outcome=revoked />
            </section>
        </Loaded>
    }
}

#[component]
fn TokenRow(token: ApiToken, now: i64, revoke: FormAction<RevokeApiToken>) -> impl IntoView {
    let day = |ms: i64| format_utc(ms)[..10].to_owned();
    let status = match (token.revoked_at_ms, token.is_live(now)) {
        (Some(at), _) => format!("Revoked {}", day(at)),
        (None, false) => "Expired".to_owned(),
        (None, true) => "Live".to_owned(),
    };
    let live = token.is_live(now);
    let label = format!("Revoke {}", token.name);
    view! {
        <tr>
            <td data-label="Name">{token.name.clone()}</td>
            <td data-label="Token">
                <code>{format!("{}…", token.prefix)}</code>
            </td>
            <td data-label="Access">{token.access.label()}</td>
            <td data-label="Created">{format!("{} by {}", day(token.created_at_ms), token.created_by)}</td>
            <td data-label="Expires">{token.expires_at_ms.map_or_else(|| "Never".to_owned(), day)}</td>
            <td data-label="Last used">{token.last_used_ms.map_or_else(|| "Not yet".to_owned(), format_utc)}</td>
            <td data-label="Status">{status}</td>
            <td data-label="">
                {live
                    .then(|| {
                        view! {
                            <PostForm action=revoke>
                                <input type="hidden" name="id" value=token.id.to_string() />
                                <button type="submit" class="button button-small button-danger" aria-label=label>
                                    "Revoke"
                                </button>
                            </PostForm>
                        }
                    })}
            </td>
        </tr>
    }
}

/// A secret shown once, right after it was made (`made`: what to do with it, the secret).
#[component]
pub(crate) fn OneTimeSecret(testid: &'static str, made: Signal<Option<(String, String)>>) -> impl IntoView {
    view! {
        <div role="status">
            {move || {
                made.get()
                    .map(|(instruction, secret)| {
                        view! {
                            <div class="notice token-secret" data-testid=testid>
                                <p>
                                    <strong>{instruction}</strong>
                                </p>
                                <p>
                                    <code class="secret">{secret.clone()}</code>
                                </p>
                                <CopyButton text=secret />
                            </div>
                        }
                    })
            }}
        </div>
    }
}

/// Copies `text` to the clipboard and says so.
#[component]
fn CopyButton(text: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        let _ = window().navigator().clipboard().write_text(&text);
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
        copied.set(true);
    };
    view! {
        <p class="actions">
            <button type="button" class="button button-small" on:click=copy>
                "Copy"
            </button>
            <span role="status" class="muted">
                {move || copied.get().then_some("Copied to the clipboard.")}
            </span>
        </p>
    }
}
