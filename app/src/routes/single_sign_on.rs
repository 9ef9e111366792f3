//! The organisation page's single sign-on card, for the organisation's own admins: the
//! provider's registration, its test sign-in and what it received, and the switch (off, on,
//! enforced with a break-glass admin).

use crate::components::form_action::{FormAction, PostForm};
use crate::components::format_utc;
use crate::components::forms::{outcome, problem_of, Alert, Field, FormField, FormProblem};
use crate::server_fns::orgs::{MemberView, SaveSsoSettings, SetSsoMode, SsoView};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use lightpath_domain::account::Role;
use lightpath_domain::sso::{SsoMode, SsoRefusal};

/// What a test sign-in's return says, from the `sso` query parameter the server sets.
fn test_outcome(slug: &str) -> Option<(bool, &'static str)> {
    match slug {
        "tested" => Some((
            true,
            "Test sign-in succeeded. This is what your provider sent; you can now switch single sign-on on.",
        )),
        "changed" => Some((false, "The settings were changed while the test ran. Run the test sign-in again.")),
        other => SsoRefusal::parse(other).map(|refusal| (false, refusal.message())),
    }
}

#[component]
pub fn SingleSignOn(
    sso: SsoView,
    org_id: String,
    members: Vec<MemberView>,
    save: FormAction<SaveSsoSettings>,
    set_mode: FormAction<SetSsoMode>,
) -> impl IntoView {
    let saved = outcome(save);
    let switched = outcome(set_mode);
    let query = use_query_map();
    let returned = move || query.read().get("sso").and_then(|slug| test_outcome(&slug));
    let admins: Vec<MemberView> = members.into_iter().filter(|member| member.role == Role::OrgAdmin).collect();
    let status = if !sso.registered {
        "Not set up: everyone signs in with their password.".to_owned()
    } else {
        match (sso.mode, &sso.tested) {
            (SsoMode::Off, None) => "Registered, not tested yet: run “Test sign-in”, then switch it on.".to_owned(),
            (mode, _) => mode.label().to_owned(),
        }
    };
    let tested = sso.tested.clone().map(|(at_ms, identity)| {
        view! {
            <h3>"Last test sign-in"</h3>
            <dl class="claims" data-testid="sso-claims">
                <dt>"When"</dt>
                <dd>{format_utc(at_ms)}</dd>
                <dt>"Subject"</dt>
                <dd>{identity.subject}</dd>
                <dt>"Email"</dt>
                <dd>
                    {format!(
                        "{} ({})",
                        identity.email.unwrap_or_else(|| "none sent".into()),
                        if identity.email_verified { "verified" } else { "not verified" },
                    )}
                </dd>
                <dt>"Name"</dt>
                <dd>{identity.name.unwrap_or_else(|| "none sent".into())}</dd>
                <dt>"Groups"</dt>
                <dd>{if identity.groups.is_empty() { "none sent".to_owned() } else { identity.groups.join(", ") }}</dd>
            </dl>
        }
    });
    let test_link = format!("/sso/test/{org_id}");
    let secret_hint = if sso.registered {
        "Stored sealed and never shown. Leave empty to keep it."
    } else {
        "Stored sealed and never shown again."
    };
    let domains_message = problem_of(saved, "domains");
    let groups_message = problem_of(saved, "groups");
    let mode_org = org_id.clone();
    view! {
        <section class="card narrow" id="sso" aria-labelledby="sso-heading">
            <h2 id="sso-heading">"Single sign-on"</h2>
            <p data-testid="sso-status">{status}</p>
            {move || {
                returned()
                    .map(|(good, message)| {
                        if good {
                            view! {
                                <p class="form-success" role="status">
                                    {message}
                                </p>
                            }
                                .into_any()
                        } else {
                            view! { <Alert message /> }.into_any()
                        }
                    })
            }}
            {tested}
            <h3>"Identity provider (OpenID Connect)"</h3>
            <p class="muted">
                "Register Lightpath at your provider as a web application with this redirect URL: "
                <code data-testid="sso-redirect">{sso.redirect_url.clone()}</code>
                ". Saving changed settings switches single sign-on off until a test sign-in succeeds again."
            </p>
            <PostForm action=save attr:class="stack-form" attr:novalidate="">
                <input type="hidden" name="organisation" value=org_id.clone() />
                <Field
                    outcome=saved
                    name="issuer"
                    label="Issuer URL"
                    kind="url"
                    value=sso.issuer.clone()
                    hint="Exactly as your provider’s discovery document states it, like https://login.acme.example."
                />
                <Field outcome=saved name="client_id" label="Client id" value=sso.client_id.clone() />
                <Field
                    outcome=saved
                    name="client_secret"
                    label="Client secret"
                    kind="password"
                    autocomplete="off"
                    required=!sso.registered
                    hint=secret_hint
                />
                <FormField
                    id="field-domains".to_owned()
                    label="Email domains"
                    message=domains_message
                    hint="One per line. People with these addresses are sent to your provider."
                >
                    <textarea id="field-domains" name="domains" rows="2" aria-describedby="field-domains-error">
                        {sso.domains.clone()}
                    </textarea>
                </FormField>
                <FormField
                    id="field-groups".to_owned()
                    label="Roles from the provider’s groups"
                    message=groups_message
                    hint="One “group = role” per line (org-admin, technical, finance, read-only); the first match wins. Used when a member is created."
                >
                    <textarea id="field-groups" name="group_roles" rows="3" aria-describedby="field-groups-error">
                        {sso.group_roles.clone()}
                    </textarea>
                </FormField>
                <div class="field">
                    <label for="sso-new-members">"People who are not members yet"</label>
                    <select name="new_members" id="sso-new-members">
                        <option value="none" selected=!sso.create_members>
                            "Refused: an admin adds them first"
                        </option>
                        {Role::CUSTOMER
                            .into_iter()
                            .map(|role| {
                                let selected = sso.create_members && role == sso.default_role;
                                view! {
                                    <option value=role.slug() selected=selected>
                                        {format!(
                                            "Created at their first sign-in as {} (unless a group line matches)",
                                            role.label(),
                                        )}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <p class="hint">"Only when the provider says their email address is verified."</p>
                </div>
                <FormProblem outcome=saved />
                <button type="submit" class="button" disabled=move || save.pending().get()>
                    "Save the provider"
                </button>
            </PostForm>
            {sso
                .registered
                .then(|| {
                    view! {
                        <h3>"Test and switch on"</h3>
                        <p>
                            <a class="button button-ghost" href=test_link rel="external">
                                "Test sign-in"
                            </a>
                            " signs you in at your provider and shows what it sends, without signing anyone in here."
                        </p>
                        <PostForm action=set_mode attr:class="stack-form" attr:novalidate="">
                            <input type="hidden" name="organisation" value=mode_org />
                            <div class="field">
                                <label for="sso-mode">"Single sign-on"</label>
                                <select name="mode" id="sso-mode">
                                    {SsoMode::ALL
                                        .into_iter()
                                        .map(|mode| {
                                            view! {
                                                <option value=mode.slug() selected=mode == sso.mode>
                                                    {mode.label()}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="sso-break-glass">"Break-glass admin (for enforced)"</label>
                                <select name="break_glass" id="sso-break-glass">
                                    <option value="">"None"</option>
                                    {admins
                                        .into_iter()
                                        .map(|admin| {
                                            let selected = sso.break_glass.as_ref() == Some(&admin.id);
                                            let factor = match admin.two_step {
                                                Some(true) => "has an authenticator app",
                                                _ => "no authenticator app yet",
                                            };
                                            view! {
                                                <option value=admin.id.to_string() selected=selected>
                                                    {format!("{} ({factor})", admin.name)}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                                <p class="hint">
                                    "When enforced, members sign in through the provider only; this one organisation admin may still use their password with their authenticator app, should the provider be down."
                                </p>
                            </div>
                            <FormProblem outcome=switched />
                            <button type="submit" class="button" disabled=move || set_mode.pending().get()>
                                "Save"
                            </button>
                        </PostForm>
                    }
                })}
        </section>
    }
}
