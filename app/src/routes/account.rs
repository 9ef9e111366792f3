//! Sign up, sign in and the account page (change password).

use crate::components::forms::{outcome, succeeded, Field, FormProblem, SessionEpoch, SuccessNotice};
use crate::components::layout::Loaded;
use crate::server_fns::account::{ChangePassword, SignIn, SignUp};
use crate::server_fns::orgs::load_dashboard;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use lightpath_domain::account::Role;

/// Re-reads who is signed in once an action succeeds (its redirect then moves the page).
fn refresh_session_on_success<T>(action: ServerAction<T>)
where
    T: leptos::server_fn::ServerFn<Output = (), Error = crate::error::AppError> + Clone + Send + Sync + 'static,
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
    let action = ServerAction::<SignUp>::new();
    refresh_session_on_success(action);
    let outcome = outcome(action);
    view! {
        <Title text="Create an account · Lightpath" />
        <section class="auth-card card">
            <h1>"Create your account"</h1>
            <p class="muted">"Your company gets its own workspace; you can invite colleagues later."</p>
            <ActionForm action=action attr:class="stack-form" attr:novalidate="">
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
            </ActionForm>
            <p class="muted">"Already have an account? " <a href="/sign-in">"Sign in"</a></p>
        </section>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    refresh_session_on_success(action);
    let outcome = outcome(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text="Sign in · Lightpath" />
        <section class="auth-card card">
            <h1>"Sign in"</h1>
            <ActionForm action=action attr:class="stack-form" attr:novalidate="">
                <input type="hidden" name="next" value=next />
                <Field outcome name="email" label="Email" kind="email" autocomplete="email" />
                <Field outcome name="password" label="Password" kind="password" autocomplete="current-password" />
                <FormProblem outcome />
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
            <p class="muted">"New to Lightpath? " <a href="/sign-up">"Create an account"</a></p>
        </section>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| load_dashboard());
    let action = ServerAction::<ChangePassword>::new();
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
                <ActionForm action=action attr:class="stack-form" attr:novalidate="">
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
                </ActionForm>
            </section>
            {matches!(actor.role, Role::OrgAdmin | Role::Admin)
                .then(|| view! { <ApiAccess webhooks=actor.role == Role::OrgAdmin /> })}
        </Loaded>
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
