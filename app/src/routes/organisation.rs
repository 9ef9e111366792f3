//! One organisation's page: its quotes, members (and their roles) and waiting invitations, its
//! credit limit, its API access, adding a member, and the way to its audit log.

use crate::components::form_action::{FormAction, PostForm};
use crate::components::format_utc;
use crate::components::forms::{count_successes, outcome, succeeded, Field, FormProblem, RoleOptions};
use crate::components::layout::Loaded;
use crate::routes::account::ApiAccess;
use crate::routes::quotes::OrganisationQuotes;
use crate::routes::record_id;
use crate::routes::single_sign_on::SingleSignOn;
use crate::server_fns::orgs::{
    load_organisation, AddMember, InvitationView, MemberView, OrganisationView, RemoveMember, RemoveMemberFactor,
    SaveSsoSettings, SetApprovalAmount, SetCreditLimit, SetMemberRole, SetSsoMode, SetTwoStepPolicy,
    WithdrawInvitation,
};
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::account::{Id, Role, TwoStepPolicy};
use lightpath_domain::Money;

#[component]
pub fn OrganisationPage() -> impl IntoView {
    let id = record_id();
    let add = FormAction::<AddMember>::new();
    let remove = FormAction::<RemoveMember>::new();
    let set_limit = FormAction::<SetCreditLimit>::new();
    let withdraw = FormAction::<WithdrawInvitation>::new();
    let set_role = FormAction::<SetMemberRole>::new();
    let remove_factor = FormAction::<RemoveMemberFactor>::new();
    let set_policy = FormAction::<SetTwoStepPolicy>::new();
    let set_approval = FormAction::<SetApprovalAmount>::new();
    let save_sso = FormAction::<SaveSsoSettings>::new();
    let set_sso_mode = FormAction::<SetSsoMode>::new();
    // Reload after a successful change only: a failed one keeps the form as typed.
    let changes = count_successes(&[
        succeeded(outcome(add)),
        succeeded(outcome(set_role)),
        succeeded(outcome(remove_factor)),
        succeeded(outcome(set_policy)),
        succeeded(outcome(set_approval)),
        succeeded(outcome(save_sso)),
        succeeded(outcome(set_sso_mode)),
        succeeded(outcome(remove)),
        succeeded(outcome(set_limit)),
        succeeded(outcome(withdraw)),
    ]);
    let organisation = Resource::new(move || (id(), changes.get()), |(id, _)| load_organisation(id));
    view! {
        <Loaded data=organisation rows=4 let:org>
            {
                let OrganisationView {
                    id,
                    name,
                    members,
                    can_manage,
                    manages_tokens,
                    reads_audit,
                    confirm_needed,
                    viewer,
                    two_step_policy,
                    credit_limit,
                    approval_amount,
                    can_set_credit,
                    invitations,
                    sso,
                } = org;
                let sso_members = sso.as_ref().map(|_| members.clone()).unwrap_or_default();
                let org_id = id.to_string();
                view! {
                    <Title text=format!("{name} · Lightpath") />
                    <section class="page-head">
                        <p class="eyebrow">"Organisation"</p>
                        <h1>{name}</h1>
                        {reads_audit
                            .then(|| {
                                view! {
                                    <p>
                                        <a href=format!("/orgs/{org_id}/audit")>"Audit log"</a>
                                        " · who signed in, ordered and changed what"
                                    </p>
                                }
                            })}
                    </section>
                    {confirm_needed.then(|| view! { <crate::routes::account::ConfirmItsYou /> })}
                    <OrganisationQuotes organisation=id />
                    <Members members org_id=org_id.clone() can_manage viewer remove set_role remove_factor />
                    {two_step_policy
                        .map(|policy| {
                            view! { <TwoStepPolicyForm policy org_id=org_id.clone() set_policy /> }
                        })}
                    {(can_manage && !invitations.is_empty())
                        .then(|| view! { <Invitations invitations org_id=org_id.clone() withdraw /> })}
                    <OrderApprovals amount=approval_amount org_id=org_id.clone() can_manage set_approval />
                    <CreditLimit limit=credit_limit org_id=org_id.clone() can_set=can_set_credit set_limit />
                    {sso
                        .map(|sso| {
                            view! {
                                <SingleSignOn
                                    sso
                                    org_id=org_id.clone()
                                    members=sso_members
                                    save=save_sso
                                    set_mode=set_sso_mode
                                />
                            }
                        })}
                    {manages_tokens.then(|| view! { <ApiAccess webhooks=true /> })}
                    {can_manage.then(|| view! { <AddMemberForm org_id add /> })}
                }
                    .into_any()
            }
        </Loaded>
    }
}

#[component]
fn Members(
    members: Vec<MemberView>,
    org_id: String,
    can_manage: bool,
    viewer: Id,
    remove: FormAction<RemoveMember>,
    set_role: FormAction<SetMemberRole>,
    remove_factor: FormAction<RemoveMemberFactor>,
) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Members"</h2>
            <div class="table-wrap" tabindex="0">
                <table class="data-table stacked">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Email"</th>
                            <th scope="col">"Role"</th>
                            {can_manage.then(|| view! { <th scope="col">"Two-step sign-in"</th> })}
                            {can_manage
                                .then(|| {
                                    view! {
                                        <th scope="col">
                                            <span class="visually-hidden">"Actions"</span>
                                        </th>
                                    }
                                })}
                        </tr>
                    </thead>
                    <tbody>
                        {members
                            .into_iter()
                            .map(|member| {
                                let (org_id, label) = (org_id.clone(), format!("Remove {}", member.name));
                                let role = if can_manage && member.id != viewer {
                                    view! { <RoleChoice member=member.clone() org_id=org_id.clone() set_role /> }
                                        .into_any()
                                } else {
                                    member.role.label().into_any()
                                };
                                let (factor_org, factor_user, factor_label) = (
                                    org_id.clone(),
                                    member.id.to_string(),
                                    format!(
                                        "Remove the second factors (authenticator app, passkeys) of {}",
                                        member.name,
                                    ),
                                );
                                let two_step = member
                                    .two_step
                                    .map(move |on| {
                                        let body = if on {
                                            view! {
                                                "On "
                                                <PostForm action=remove_factor attr:class="inline-form">
                                                    <input type="hidden" name="organisation" value=factor_org />
                                                    <input type="hidden" name="user" value=factor_user />
                                                    <button
                                                        type="submit"
                                                        class="button button-small button-ghost"
                                                        aria-label=factor_label
                                                    >
                                                        "Remove"
                                                    </button>
                                                </PostForm>
                                            }
                                                .into_any()
                                        } else {
                                            "Off".into_any()
                                        };
                                        view! { <td data-label="Two-step sign-in">{body}</td> }
                                    });
                                let removal = can_manage
                                    .then(move || {
                                        view! {
                                            <td data-label="">
                                                <PostForm action=remove>
                                                    <input type="hidden" name="organisation" value=org_id />
                                                    <input type="hidden" name="user" value=member.id.to_string() />
                                                    <button
                                                        type="submit"
                                                        class="button button-small button-danger"
                                                        aria-label=label
                                                    >
                                                        "Remove"
                                                    </button>
                                                </PostForm>
                                            </td>
                                        }
                                    });
                                view! {
                                    <tr>
                                        <td data-label="Name">{member.name.clone()}</td>
                                        <td data-label="Email">{member.email.clone()}</td>
                                        <td data-label="Role">{role}</td>
                                        {two_step}
                                        {removal}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <FormProblem outcome=outcome(remove) />
            <FormProblem outcome=outcome(set_role) />
            <FormProblem outcome=outcome(remove_factor) />
            {can_manage.then(|| view! { <RoleKey /> })}
        </section>
    }
}

/// Whom the organisation requires to sign in with an authenticator app.
#[component]
fn TwoStepPolicyForm(policy: TwoStepPolicy, org_id: String, set_policy: FormAction<SetTwoStepPolicy>) -> impl IntoView {
    let saved = outcome(set_policy);
    view! {
        <section class="card narrow" aria-labelledby="two-step-policy-heading">
            <h2 id="two-step-policy-heading">"Two-step sign-in"</h2>
            <p class="muted">
                "Members it covers sign in with their password and a code from an authenticator app. Someone covered who has none yet is sent to set one up and can open nothing else until then. API tokens are not affected."
            </p>
            <PostForm action=set_policy attr:class="stack-form" attr:novalidate="">
                <input type="hidden" name="organisation" value=org_id />
                <div class="field">
                    <label for="two-step-policy">"Policy"</label>
                    <select name="policy" id="two-step-policy">
                        {TwoStepPolicy::ALL
                            .into_iter()
                            .map(|choice| {
                                view! {
                                    <option value=choice.slug() selected=choice == policy>
                                        {choice.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <FormProblem outcome=saved />
                <button type="submit" class="button" disabled=move || set_policy.pending().get()>
                    "Save the policy"
                </button>
            </PostForm>
        </section>
    }
}

/// A member's role as a choice their organisation's admin changes in place.
#[component]
fn RoleChoice(member: MemberView, org_id: String, set_role: FormAction<SetMemberRole>) -> impl IntoView {
    let field = format!("role-{}", member.id);
    view! {
        <PostForm action=set_role attr:class="inline-form">
            <input type="hidden" name="organisation" value=org_id />
            <input type="hidden" name="user" value=member.id.to_string() />
            <label class="visually-hidden" for=field.clone()>
                {format!("Role of {}", member.name)}
            </label>
            <select name="role" id=field>
                <RoleOptions choices=&Role::CUSTOMER current=member.role />
            </select>
            <button type="submit" class="button button-small" aria-label=format!("Save the role of {}", member.name)>
                "Save"
            </button>
        </PostForm>
    }
}

/// What each customer role may do, below the members.
#[component]
fn RoleKey() -> impl IntoView {
    view! {
        <dl class="role-key small">
            {Role::CUSTOMER
                .into_iter()
                .map(|role| {
                    view! {
                        <dt>{role.label()}</dt>
                        <dd>{role.summary()}</dd>
                    }
                })
                .collect_view()}
        </dl>
    }
}

/// Invitations waiting for a first sign-in, each with Withdraw.
#[component]
fn Invitations(
    invitations: Vec<InvitationView>,
    org_id: String,
    withdraw: FormAction<WithdrawInvitation>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="invited-heading">
            <h2 id="invited-heading">"Invited, waiting for a first sign-in"</h2>
            <ul class="plain invitations">
                {invitations
                    .into_iter()
                    .map(|invitation| {
                        let org_id = org_id.clone();
                        view! {
                            <li>
                                {format!(
                                    "{} · {} · invited by {} on {}",
                                    invitation.name,
                                    invitation.email,
                                    invitation.invited_by,
                                    &format_utc(invitation.created_at_ms)[..10],
                                )} <PostForm action=withdraw attr:class="inline-form">
                                    <input type="hidden" name="organisation" value=org_id />
                                    <input type="hidden" name="invitation" value=invitation.id.to_string() />
                                    <button
                                        type="submit"
                                        class="button button-small button-ghost"
                                        aria-label=format!("Withdraw the invitation of {}", invitation.email)
                                    >
                                        "Withdraw"
                                    </button>
                                </PostForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <FormProblem outcome=outcome(withdraw) />
        </section>
    }
}

/// Which orders wait for a second member's approval; the organisation's admins change it here.
#[component]
fn OrderApprovals(
    amount: Option<Money>,
    org_id: String,
    can_manage: bool,
    set_approval: FormAction<SetApprovalAmount>,
) -> impl IntoView {
    let saved = outcome(set_approval);
    let rule = amount.map_or_else(
        || "Off: every order goes straight on to provisioning (after Lightpath's credit check).".to_owned(),
        |amount| {
            format!(
                "On: an order whose first month (a month of its charges plus one-time charges) is over {amount} waits until a second Technical, Finance or Organisation admin member approves it. Nothing is reserved while it waits.",
            )
        },
    );
    let value = amount.map(|amount| (amount.cents() / 100).to_string()).unwrap_or_default();
    view! {
        <section class="card narrow" aria-labelledby="approvals-heading">
            <h2 id="approvals-heading">"Order approvals"</h2>
            <p data-testid="approval-rule">{rule}</p>
            {can_manage
                .then(|| {
                    view! {
                        <PostForm action=set_approval attr:class="stack-form" attr:novalidate="">
                            <input type="hidden" name="organisation" value=org_id />
                            <Field
                                outcome=saved
                                name="amount"
                                label="Approval needed above, in dollars"
                                value=value
                                required=false
                                hint="Leave empty so no order waits for approval."
                            />
                            <FormProblem outcome=saved />
                            <button type="submit" class="button" disabled=move || set_approval.pending().get()>
                                "Save the approval amount"
                            </button>
                        </PostForm>
                    }
                })}
        </section>
    }
}

/// The limit and what it means; Lightpath admins change it here.
#[component]
fn CreditLimit(
    limit: Option<Money>,
    org_id: String,
    can_set: bool,
    set_limit: FormAction<SetCreditLimit>,
) -> impl IntoView {
    let limited = outcome(set_limit);
    let limit_text = limit.map_or_else(
        || "No credit limit: orders are never held for a credit review.".to_owned(),
        |limit| {
            format!(
                "{limit} a month. An order that would take what the organisation owes in a month (active services, plus open orders' first month and one-time charges) over this waits for a Lightpath admin.",
            )
        },
    );
    let limit_value = limit.map(|limit| (limit.cents() / 100).to_string()).unwrap_or_default();
    view! {
        <section class="card narrow" aria-labelledby="credit-heading">
            <h2 id="credit-heading">"Credit limit"</h2>
            <p>{limit_text}</p>
            {can_set
                .then(|| {
                    view! {
                        <PostForm action=set_limit attr:class="stack-form" attr:novalidate="">
                            <input type="hidden" name="organisation" value=org_id />
                            <Field
                                outcome=limited
                                name="limit"
                                label="Limit in dollars a month"
                                value=limit_value
                                required=false
                                hint="Leave empty for no limit."
                            />
                            <FormProblem outcome=limited />
                            <button type="submit" class="button" disabled=move || set_limit.pending().get()>
                                "Save the limit"
                            </button>
                        </PostForm>
                    }
                })}
        </section>
    }
}

#[component]
fn AddMemberForm(org_id: String, add: FormAction<AddMember>) -> impl IntoView {
    let added = outcome(add);
    view! {
        <section class="card narrow">
            <h2>"Add a member"</h2>
            <p class="muted">"Give them a first password; they change it on their account page after signing in."</p>
            <div role="status">
                {move || {
                    added
                        .with(|o| o.as_ref().and_then(|r| r.as_ref().ok()).cloned())
                        .map(|text| {
                            view! {
                                <p class="notice" data-testid="invited">
                                    {text}
                                </p>
                            }
                        })
                }}
            </div>
            <PostForm action=add attr:class="stack-form" attr:novalidate="">
                <input type="hidden" name="organisation" value=org_id />
                <Field outcome=added name="email" label="Their work email" kind="email" />
                <Field outcome=added name="name" label="Their name" />
                <Field
                    outcome=added
                    name="password"
                    label="First password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 12 characters."
                />
                <div class="field">
                    <label for="new-member-role">"Their role"</label>
                    <select name="role" id="new-member-role">
                        <RoleOptions choices=&Role::CUSTOMER current=Role::Buyer />
                    </select>
                </div>
                <FormProblem outcome=added />
                <button type="submit" class="button" disabled=move || add.pending().get()>
                    "Add member"
                </button>
            </PostForm>
        </section>
    }
}
