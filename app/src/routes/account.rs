//! Sign up, sign in (and its second step), and the account page: password and two-step sign-in.

use crate::components::form_action::{FormAction, PostForm};
use crate::components::forms::{
    outcome, succeeded, Alert, Field, FormProblem, RedirectNotice, SessionEpoch, SuccessNotice,
};
use crate::components::layout::Loaded;
use crate::server_fns::account::{
    load_second_factor, ChangePassword, ConfirmTotp, RemoveTotp, SignIn, SignInCode, SignUp, StartTotp,
};
use crate::server_fns::orgs::load_dashboard;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use lightpath_domain::account::Role;

/// Re-reads who is signed in once an action succeeds (its redirect then moves the page).
fn refresh_session_on_success<T>(action: FormAction<T>)
where
    T: leptos::server_fn::ServerFn<Output = (), Error = crate::error::AppError> + 'static,
{
    let value = outcome(action);
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(()))) {
            SessionEpoch::bump();
        }
    });
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = FormAction::<SignUp>::new();
    refresh_session_on_success(action);
    let outcome = outcome(action);
    view! {
        <Title text="Create an account · Lightpath" />
        <section class="auth-card card">
            <h1>"Create your account"</h1>
            <p class="muted">"Your company gets its own workspace; you can invite colleagues later."</p>
            <PostForm action=action attr:class="stack-form" attr:novalidate="">
                <Field outcome name="email" label="Work email" kind="email" autocomplete="email" />
                <Field outcome name="name" label="Your name" autocomplete="name" />
                <Field outcome name="company" label="Company" autocomplete="organization" />
                <Field
                    outcome
                    name="password"
                    label="Password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 12 characters. A short phrase of several words is strong and easy to remember."
                />
                <FormProblem outcome />
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Creating your account…" } else { "Create account" }}
                </button>
            </PostForm>
            <p class="muted">"Already have an account? " <a href="/sign-in">"Sign in"</a></p>
        </section>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = FormAction::<SignIn>::new();
    refresh_session_on_success(action);
    let outcome = outcome(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text="Sign in · Lightpath" />
        <section class="auth-card card">
            <h1>"Sign in"</h1>
            <PostForm action=action attr:class="stack-form" attr:novalidate="">
                <input type="hidden" name="next" value=next />
                <Field outcome name="email" label="Email" kind="email" autocomplete="email" />
                <Field outcome name="password" label="Password" kind="password" autocomplete="current-password" />
                <FormProblem outcome />
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
                <PasskeyButton kind="sign-in" label="Sign in with a passkey" />
            </PostForm>
            <p class="muted">"New to Lightpath? " <a href="/sign-up">"Create an account"</a></p>
            <SingleSignOnStart />
        </section>
    }
}

/// Sign-in through the organisation's identity provider: a plain form (works before the
/// page's code arrives) to `/sso/start`, which sends the person to their provider; a refused
/// sign-in comes back here with `?sso=…`, shown as its fixed message.
#[component]
fn SingleSignOnStart() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let email = move || query.read().get("email").unwrap_or_default();
    let problem = move || {
        query.read().get("sso").and_then(|slug| match slug.as_str() {
            "not-set-up" => {
                Some("Single sign-on is not set up for that email address. Sign in with your password above.")
            }
            other => lightpath_domain::sso::SsoRefusal::parse(other).map(|refusal| refusal.message()),
        })
    };
    view! {
        <form method="get" action="/sso/start" class="stack-form sso-start" id="sso">
            <h2>"Single sign-on"</h2>
            {move || problem().map(|message| view! { <Alert message /> })}
            <input type="hidden" name="next" value=next />
            <div class="field">
                <label for="sso-email">"Work email"</label>
                <input id="sso-email" name="email" type="email" autocomplete="email" required value=email />
                <p class="hint">"If your organisation signs you in with its identity provider, you go there next."</p>
            </div>
            <button type="submit" class="button button-ghost">
                "Sign in with single sign-on"
            </button>
        </form>
    }
}

/// The second step of signing in, for someone with an authenticator app.
#[component]
pub fn SignInCodePage() -> impl IntoView {
    let action = FormAction::<SignInCode>::new();
    refresh_session_on_success(action);
    let outcome = outcome(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text="Your sign-in code · Lightpath" />
        <section class="auth-card card">
            <h1>"Your second step"</h1>
            <p class="muted">
                "Your password was right. Use your passkey, or type the 6-digit code your authenticator app shows for Lightpath."
            </p>
            <form class="stack-form passkey-step" data-passkey="second-step">
                <input type="hidden" name="next" value=next />
                <PasskeyButton kind="second-step" label="Use your passkey" submits=true />
            </form>
            <PostForm action=action attr:class="stack-form" attr:novalidate="">
                <input type="hidden" name="next" value=next />
                <Field
                    outcome
                    name="code"
                    label="Code"
                    kind="text"
                    autocomplete="one-time-code"
                    hint="No phone? Type one of your recovery codes instead (each works once)."
                />
                <FormProblem outcome />
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Checking…" } else { "Sign in" }}
                </button>
            </PostForm>
            <p class="muted">
                "Lost your phone, your passkeys and your recovery codes? Your organisation's admin can remove them. "
                <a href="/sign-in">"Start again"</a>
            </p>
        </section>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| load_dashboard());
    let action = FormAction::<ChangePassword>::new();
    let outcome = outcome(action);
    view! {
        <Title text="Your account · Lightpath" />
        <Loaded data=me let:actor>
            <section class="page-head">
                <h1>"Your account"</h1>
                <p class="lede">{format!("{} · {} · {}", actor.name, actor.email, actor.role.label())}</p>
            </section>
            <section class="card narrow">
                <h2>"Change your password"</h2>
                <PostForm action=action attr:class="stack-form" attr:novalidate="">
                    <Field
                        outcome
                        name="current"
                        label="Current password"
                        kind="password"
                        autocomplete="current-password"
                    />
                    <Field
                        outcome
                        name="password"
                        label="New password"
                        kind="password"
                        autocomplete="new-password"
                        hint="At least 12 characters."
                    />
                    <Field
                        outcome
                        name="confirm"
                        label="New password again"
                        kind="password"
                        autocomplete="new-password"
                    />
                    <FormProblem outcome />
                    <SuccessNotice
                        when=succeeded(outcome)
                        message="Your password is changed. Your other sessions were signed out."
                    />
                    <button type="submit" class="button" disabled=move || action.pending().get()>
                        "Change password"
                    </button>
                </PostForm>
            </section>
            <TwoStepSignIn />
            {matches!(actor.role, Role::OrgAdmin | Role::Admin)
                .then(|| view! { <ApiAccess webhooks=actor.role == Role::OrgAdmin /> })}
        </Loaded>
    }
}

/// Setting up, and turning off, an authenticator app for signing in.
#[component]
fn TwoStepSignIn() -> impl IntoView {
    let start = FormAction::<StartTotp>::new();
    let confirm = FormAction::<ConfirmTotp>::new();
    let remove = FormAction::<RemoveTotp>::new();
    let changes = crate::components::forms::count_successes(&[succeeded(outcome(confirm)), succeeded(outcome(remove))]);
    let status = Resource::new(move || changes.get(), |_| load_second_factor());
    let (started, confirmed, removed) = (outcome(start), outcome(confirm), outcome(remove));
    view! {
        <section class="card narrow" aria-labelledby="two-step-heading">
            <h2 id="two-step-heading">"Two-step sign-in"</h2>
            // The recovery codes, shown once right after setting up.
            {move || {
                confirmed
                    .with(|o| o.as_ref().and_then(|r| r.as_ref().ok()).cloned())
                    .map(|codes| {
                        view! {
                            <div class="notice" role="status" data-testid="recovery-codes">
                                <p>
                                    <strong>"Your authenticator app is on."</strong>
                                    " Keep these recovery codes somewhere safe: each signs you in once without your phone, and they are shown only now."
                                </p>
                                <ul class="recovery-codes">
                                    {codes
                                        .into_iter()
                                        .map(|code| {
                                            view! {
                                                <li>
                                                    <code>{code}</code>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </div>
                        }
                    })
            }}
            <Loaded data=status rows=2 let:factor>
                {factor.confirm_needed.then(|| view! { <ConfirmItsYou /> })}
                <Passkeys passkeys=factor.passkeys.clone() />
                <h3>"Authenticator app"</h3>
                {match factor.since_ms {
                    Some(since) => {
                        view! {
                            <p>
                                {format!(
                                    "On since {} (UTC). Signing in asks for a code from your authenticator app. {} recovery code{} left.",
                                    &crate::components::format_utc(since)[..10],
                                    factor.recovery_codes_left,
                                    if factor.recovery_codes_left == 1 { "" } else { "s" },
                                )}
                            </p>
                            <PostForm action=remove attr:class="stack-form" attr:novalidate="">
                                <Field
                                    outcome=removed
                                    id="remove-code"
                                    name="code"
                                    label="A current code, to turn it off"
                                    autocomplete="one-time-code"
                                />
                                <FormProblem outcome=removed />
                                <button
                                    type="submit"
                                    class="button button-ghost"
                                    disabled=move || remove.pending().get()
                                >
                                    "Turn off two-step sign-in"
                                </button>
                            </PostForm>
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <p>
                                "Sign in with your password and a code from an authenticator app (Google Authenticator, 1Password, Authy…), so a stolen password alone does not open your account."
                            </p>
                            {move || {
                                started
                                    .with(|o| o.as_ref().and_then(|r| r.as_ref().ok()).cloned())
                                    .map(|setup| {
                                        view! {
                                            <div class="totp-setup">
                                                <div
                                                    class="qr"
                                                    role="img"
                                                    aria-label="QR code of your new authenticator key"
                                                    inner_html=setup.qr_svg
                                                ></div>
                                                <p>
                                                    "Scan it with your app, or type this key: "
                                                    <code data-testid="totp-secret">{setup.secret}</code>
                                                </p>
                                            </div>
                                            <PostForm action=confirm attr:class="stack-form" attr:novalidate="">
                                                <Field
                                                    outcome=confirmed
                                                    id="confirm-code"
                                                    name="code"
                                                    label="The code your app shows"
                                                    autocomplete="one-time-code"
                                                />
                                                <FormProblem outcome=confirmed />
                                                <button
                                                    type="submit"
                                                    class="button"
                                                    disabled=move || confirm.pending().get()
                                                >
                                                    "Turn on"
                                                </button>
                                            </PostForm>
                                        }
                                    })
                            }}
                            <PostForm action=start attr:class="inline-form">
                                <button
                                    type="submit"
                                    class="button button-ghost"
                                    disabled=move || start.pending().get()
                                >
                                    {move || {
                                        if started.with(|o| matches!(o, Some(Ok(_)))) {
                                            "Start again with a new key"
                                        } else {
                                            "Set up an authenticator app"
                                        }
                                    }}
                                </button>
                            </PostForm>
                            <FormProblem outcome=started />
                        }
                            .into_any()
                    }
                }}
            </Loaded>
        </section>
    }
}

/// A button that runs a passkey ceremony in `/passkeys.js` (loaded with it), and the line
/// that says what went wrong. It reads its form's `email`, `name` and `next`. In a form of
/// its own (`data-passkey` on the form) it is that form's submit button, so Enter starts it
/// too; inside another form (the password's) it is a plain button.
#[component]
fn PasskeyButton(kind: &'static str, label: &'static str, #[prop(optional)] submits: bool) -> impl IntoView {
    view! {
        // A plain element: drawn on the server it loads with the page; drawn in the browser
        // (a client-side navigation) it is created and so runs too. The script loads once.
        <script src="/passkeys.js" defer></script>
        <p class="passkey-status" role="alert" data-passkey-status hidden></p>
        <button
            type=if submits { "submit" } else { "button" }
            class="button button-ghost"
            data-passkey=(!submits).then_some(kind)
        >
            {label}
        </button>
    }
}

/// The signed-in person's passkeys: each with when it was added and last used, and a
/// remove button (a plain form); a name and a button to add one on this device.
#[component]
fn Passkeys(passkeys: Vec<lightpath_app::model::account::PasskeyView>) -> impl IntoView {
    let day = |ms: i64| crate::components::format_utc(ms)[..10].to_owned();
    view! {
        <h3>"Passkeys"</h3>
        <p>
            "Sign in with your device's fingerprint, face or PIN instead of a password and code. A passkey stays on your device and works only on this portal."
        </p>
        <RedirectNotice key="passkey" value="removed" message="The passkey is removed." />
        {(!passkeys.is_empty())
            .then(|| {
                view! {
                    <ul class="passkeys" data-testid="passkeys">
                        {passkeys
                            .into_iter()
                            .map(|passkey| {
                                let used = passkey
                                    .last_used_ms
                                    .map_or("never used yet".to_owned(), |ms| format!("last used {}", day(ms)));
                                view! {
                                    <li>
                                        <span>
                                            <strong>{passkey.name.clone()}</strong>
                                            {format!(" · added {} · {used}", day(passkey.created_ms))}
                                        </span>
                                        <form method="post" action="/api/remove-passkey" class="inline-form">
                                            <input type="hidden" name="id" value=passkey.id />
                                            <button
                                                type="submit"
                                                class="button button-ghost"
                                                aria-label=format!("Remove the passkey {}", passkey.name)
                                            >
                                                "Remove"
                                            </button>
                                        </form>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })}
        <form class="stack-form passkey-add" data-passkey="register">
            <div class="field">
                <label for="passkey-name">"Name this passkey"</label>
                <input id="passkey-name" name="name" maxlength="60" autocomplete="off" required />
                <p class="hint">"The device it is on, so you can tell them apart: “Work laptop”, “Phone”."</p>
            </div>
            <PasskeyButton kind="register" label="Add a passkey" submits=true />
        </form>
    }
}

/// Where scripts and pipelines get their tokens (and, for an organisation's admin, webhooks).
#[component]
pub(crate) fn ApiAccess(webhooks: bool) -> impl IntoView {
    view! {
        <section class="card narrow" aria-labelledby="api-heading">
            <h2 id="api-heading">"API access"</h2>
            <p>
                "Scripts, pipelines and infrastructure-as-code design, order and change services through the REST API with a token."
            </p>
            <p class="actions">
                <a href="/api-tokens" class="button button-ghost">
                    "Manage API tokens"
                </a>
                {webhooks
                    .then(|| {
                        view! {
                            " "
                            <a href="/webhooks" class="button button-ghost">
                                "Webhooks"
                            </a>
                        }
                    })}
            </p>
        </section>
    }
}

/// "Confirm it's you": before sensitive changes (API tokens, webhooks, roles, the
/// organisation's sign-in and approval settings), a code from the authenticator app, which
/// counts for 15 minutes. A plain form: it needs none of the page's code, and the answer comes
/// back to this page (saying so when the code did not count).
#[component]
pub fn ConfirmItsYou() -> impl IntoView {
    let query = use_query_map();
    let problem = move || {
        query.with(|query| query.get("confirm")).map(|kind| match kind.as_str() {
            "locked" => "Too many wrong codes: your authenticator is locked for 15 minutes. Try again then.",
            "first" => "Confirm it's you first (with your passkey or a code), then remove the passkey again.",
            _ => "That code did not count: enter the newest code your app shows (each code works once).",
        })
    };
    view! {
        <section class="card narrow" aria-labelledby="confirm-heading" id="confirm" data-testid="confirm-its-you">
            <h2 id="confirm-heading">"Confirm it's you"</h2>
            <p>
                "Changes to API tokens, webhooks, roles and sign-in settings need a fresh second factor: your passkey or a code from your authenticator app. It counts for 15 minutes."
            </p>
            {move || {
                problem()
                    .map(|message| {
                        view! {
                            <p class="form-problem" role="alert">
                                {message}
                            </p>
                        }
                    })
            }}
            <form class="stack-form" data-passkey="confirm">
                <PasskeyButton kind="confirm" label="Confirm with your passkey" submits=true />
            </form>
            <form method="post" action="/api/confirm-its-you" class="stack-form">
                <div class="field">
                    <label for="confirm-code">"Or a code from your authenticator app"</label>
                    <input
                        id="confirm-code"
                        name="code"
                        inputmode="numeric"
                        autocomplete="one-time-code"
                        maxlength="32"
                        required
                    />
                </div>
                <button type="submit" class="button">
                    "Confirm"
                </button>
            </form>
        </section>
    }
}
