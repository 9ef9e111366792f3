//! Form pieces shared by every form: a labelled field that shows its own error beside it,
//! and the summary of an error that names no field. Inputs are never cleared on an error,
//! so nothing typed is lost.

use crate::components::form_action::{FormAction, FormAnswer};
use crate::error::AppError;
use leptos::prelude::*;

/// A server action's latest outcome, for showing errors and success.
pub type Outcome<T> = Signal<Option<Result<T, AppError>>>;

/// The outcome signal of `action`.
pub fn outcome<S>(action: FormAction<S>) -> Outcome<S::Output>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + 'static,
    S::Output: FormAnswer + Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || value.get())
}

/// The problem the last submit named for one field (`None` when it named none).
pub type FieldMessage = Signal<Option<String>>;

/// The problems of a form that keeps them itself (the wizard, the quote editor), by field
/// name as the server names them (`training.hours`).
pub type FieldProblems = Signal<Vec<(String, String)>>;

/// The problem `outcome`'s last submit named for `field`.
pub fn problem_of<T: Send + Sync + 'static>(outcome: Outcome<T>, field: &'static str) -> FieldMessage {
    Signal::derive(move || {
        outcome.with(|o| o.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.message_for(field)))
    })
}

/// The problem kept in `problems` for `field`.
pub fn problem_in(problems: FieldProblems, field: impl Into<String>) -> FieldMessage {
    let field = field.into();
    Signal::derive(move || problems.with(|found| find_problem(found, &field)))
}

/// The message for `field` among a form's problems.
pub fn find_problem(found: &[(String, String)], field: &str) -> Option<String> {
    found.iter().find(|(name, _)| name == field).map(|(_, message)| message.clone())
}

/// The element id of the field named `name` (`form[id]` and `training.hours` make valid ids).
pub fn field_id(name: &str) -> String {
    format!("field-{}", name.replace(['[', '.'], "-").replace(']', ""))
}

/// The id of the message below the control `id`, which the control names in `aria-describedby`.
pub fn error_id(id: &str) -> String {
    format!("{id}-error")
}

/// The frame every form control sits in: its label, the control, a hint, and the problem the
/// last submit named for it (announced, and tied to the control by `aria-describedby`).
#[component]
pub fn FormField(
    /// The control's id.
    id: String,
    #[prop(into)] label: String,
    message: FieldMessage,
    #[prop(optional)] hint: &'static str,
    children: Children,
) -> impl IntoView {
    let error_id = error_id(&id);
    view! {
        <div class="field" class:has-error=move || message.with(Option::is_some)>
            <label for=id>{label}</label>
            {children()}
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <p class="field-error" id=error_id role="alert">
                {message}
            </p>
        </div>
    }
}

/// Set once the page has hydrated (the browser entry point calls [`mark_hydrated`]).
static HYDRATED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Marks the page hydrated: from now on a posted field drawn again (a form re-rendered after a
/// successful submit) starts from its first value instead of keeping what was sent.
pub fn mark_hydrated() {
    HYDRATED.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// A labelled text input in its [`FormField`]: either a named input of a form that posts
/// (`name`, first `value`) or one bound to a signal (`bind`).
#[component]
pub fn TextField(
    id: String,
    #[prop(into)] label: String,
    message: FieldMessage,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional, into)] value: String,
    #[prop(optional)] bind: Option<(Signal<String>, Callback<String>)>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = None)] inputmode: Option<&'static str>,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let described = error_id(&id);
    let invalid = move || message.with(Option::is_some).to_string();
    let autocomplete = (!autocomplete.is_empty()).then_some(autocomplete);
    // A bound field's value follows its signal. A posted field's property is left alone while
    // the page hydrates (`None`), so what someone typed before the wasm arrived stays in the
    // box; drawn again afterwards (the form re-rendered after a successful submit) it starts
    // from its first value. Leaving it `None` then would set the property to `undefined`.
    let first = bind.map_or(value, |(bound, _)| bound.get_untracked());
    let posted_value = first.clone();
    let input = view! {
        <input
            id=id.clone()
            name=name
            type=kind
            inputmode=inputmode
            autocomplete=autocomplete
            required=required
            value=first
            prop:value=move || match bind {
                Some((bound, _)) => Some(bound.get()),
                None => HYDRATED.load(std::sync::atomic::Ordering::Relaxed).then(|| posted_value.clone()),
            }
            on:input=move |ev| {
                if let Some((_, set)) = bind {
                    set.run(event_target_value(&ev));
                }
            }
            aria-invalid=invalid
            aria-describedby=described
        />
    };
    view! {
        <FormField id label message hint>
            {input}
        </FormField>
    }
}

/// A labelled input of a form posted to a server action, with the error its last submit
/// named for it right below.
#[component]
pub fn Field<T: Send + Sync + 'static>(
    outcome: Outcome<T>,
    /// The element id, when one page has several forms with this field (ids are unique per
    /// page, or labels point at the wrong input); [`field_id`] of the name otherwise.
    #[prop(optional, into)]
    id: Option<String>,
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(default = true)] required: bool,
    /// The field the server names in its errors, when it differs from the input's name
    /// (`form[id]` is reported as `id`).
    #[prop(optional)]
    error_key: Option<&'static str>,
) -> impl IntoView {
    let message = problem_of(outcome, error_key.unwrap_or(name));
    let id = id.unwrap_or_else(|| field_id(name));
    view! { <TextField id label message name=name kind autocomplete hint value required /> }
}

/// The error of the last submit when it names no field (wrong password, too many attempts,
/// a refusal), in a banner above the submit button.
#[component]
pub fn FormProblem<T: Send + Sync + 'static>(outcome: Outcome<T>) -> impl IntoView {
    let problem = move || {
        outcome.with(|o| match o {
            Some(Err(AppError::Fields(_))) | None | Some(Ok(_)) => None,
            Some(Err(error)) => Some(error.to_string()),
        })
    };
    move || problem().map(|message| view! { <Alert message /> })
}

/// A problem stated in one line and announced at once.
#[component]
pub fn Alert(#[prop(into)] message: String) -> impl IntoView {
    view! {
        <p class="form-problem" role="alert">
            {message}
        </p>
    }
}

/// The line a form shows once its last submit succeeded (`when`), announced politely.
#[component]
pub fn SuccessNotice(when: Signal<bool>, message: &'static str) -> impl IntoView {
    view! {
        <Show when=move || when.get()>
            <p class="form-success" role="status">
                {message}
            </p>
        </Show>
    }
}

/// What a plain form (posted without the page's code) did, said on the page it redirected to:
/// shown while the address carries `?{key}={value}`.
#[component]
pub fn RedirectNotice(key: &'static str, value: &'static str, message: &'static str) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    move || {
        query.with(|query| query.get(key)).is_some_and(|got| got == value).then(|| {
            view! {
                <p class="notice" role="status">
                    {message}
                </p>
            }
        })
    }
}

/// The answer a form that keeps its own state shows: what was done, or the problem (None
/// before anything was asked).
pub type Answer = Option<Result<Done, String>>;

/// What was done, and a link to where it now is.
#[derive(Clone, Debug, PartialEq)]
pub struct Done {
    pub message: String,
    pub href: String,
    pub link: &'static str,
}

/// The answer to the last thing asked of a form that keeps its own state: what was done (with
/// the way to it) or the problem, announced in a region that is always there.
#[component]
pub fn Notice(#[prop(into)] notice: Signal<Option<Result<Done, String>>>) -> impl IntoView {
    view! {
        <div aria-live="polite">
            {move || {
                notice
                    .get()
                    .map(|said| match said {
                        Ok(Done { message, href, link }) => {
                            view! { <p class="form-success">{message} " " <a href=href>{link}</a></p> }.into_any()
                        }
                        Err(message) => view! { <Alert message /> }.into_any(),
                    })
            }}
        </div>
    }
}

/// A labelled list to pick one of `options` (`(value, label)`) from, posted as `name`.
#[component]
pub fn SelectField(
    id: &'static str,
    label: &'static str,
    name: &'static str,
    options: Vec<(String, String)>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name>
                {options
                    .into_iter()
                    .map(|(value, label)| view! { <option value=value>{label}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A group of check boxes or cards under its legend, with the problem the last submit named
/// for the group (`error_id`) below them.
#[component]
pub fn ChoiceGroup(
    legend: &'static str,
    #[prop(default = "choices")] class: &'static str,
    /// The id of the message, named by the group's `aria-describedby`.
    #[prop(optional)]
    error_id: Option<&'static str>,
    #[prop(optional, into)] message: Option<FieldMessage>,
    children: Children,
) -> impl IntoView {
    let message = message.unwrap_or_else(|| Signal::stored(None));
    view! {
        <fieldset class=class class:has-error=move || message.with(Option::is_some) aria-describedby=error_id>
            <legend>{legend}</legend>
            {children()}
            <p class="field-error" id=error_id role="alert">
                {message}
            </p>
        </fieldset>
    }
}

/// Bumped whenever someone signs in or out, so the navigation asks again who is signed in.
#[derive(Clone, Copy)]
pub struct SessionEpoch(pub RwSignal<u64>);

impl SessionEpoch {
    pub fn bump() {
        if let Some(epoch) = use_context::<SessionEpoch>() {
            epoch.0.update(|n| *n += 1);
        }
    }
}

/// A counter that goes up each time one of `outcomes` turns into a success: the key that
/// reloads a page's data after a change, but not after a failed submit.
pub fn count_successes(outcomes: &[Signal<bool>]) -> ReadSignal<u64> {
    let count = RwSignal::new(0u64);
    for &outcome in outcomes {
        Effect::new(move |_| {
            if outcome.get() {
                count.update(|n| *n += 1);
            }
        });
    }
    count.read_only()
}

/// True when the last submit of an action succeeded.
pub fn succeeded<T: Send + Sync + 'static>(outcome: Outcome<T>) -> Signal<bool> {
    Signal::derive(move || outcome.with(|o| matches!(o, Some(Ok(_)))))
}

/// A labelled list of terms bound to `term` (every term unless `terms` narrows it).
#[component]
pub fn TermSelect(
    id: String,
    #[prop(default = "Term")] label: &'static str,
    term: RwSignal<lightpath_domain::Term>,
    #[prop(optional)] terms: Option<Vec<lightpath_domain::Term>>,
    #[prop(optional)] message: Option<FieldMessage>,
) -> impl IntoView {
    use lightpath_domain::Term;
    let message = message.unwrap_or_else(|| Signal::stored(None));
    let described = error_id(&id);
    let options = terms
        .unwrap_or_else(|| Term::ALL.to_vec())
        .into_iter()
        .map(|t| {
            view! {
                <option value=t.months().to_string() selected=move || term.get() == t>
                    {t.label()}
                </option>
            }
        })
        .collect_view();
    view! {
        <FormField id=id.clone() label message>
            <select
                id=id
                aria-describedby=described
                aria-invalid=move || message.with(Option::is_some).to_string()
                on:change=move |ev| {
                    if let Some(picked) = event_target_value(&ev)
                        .parse::<u8>()
                        .ok()
                        .and_then(|m| Term::from_months(m).ok())
                    {
                        term.set(picked);
                    }
                }
            >
                {options}
            </select>
        </FormField>
    }
}

/// The `<option>`s of a role choice: `choices` in order, `current` selected.
#[component]
pub fn RoleOptions(
    choices: &'static [lightpath_domain::account::Role],
    current: lightpath_domain::account::Role,
) -> impl IntoView {
    choices
        .iter()
        .map(|role| {
            view! {
                <option value=role.slug() selected=*role == current>
                    {role.label()}
                </option>
            }
        })
        .collect_view()
}
