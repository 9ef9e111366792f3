//! Form pieces shared by every form: a labelled field that shows its own error beside it,
//! and the summary of an error that names no field. Inputs are never cleared on an error,
//! so nothing typed is lost.

use crate::error::AppError;
use leptos::prelude::*;

/// A server action's latest outcome, for showing errors and success.
pub type Outcome<T> = Signal<Option<Result<T, AppError>>>;

/// The outcome signal of `action`.
pub fn outcome<S>(action: ServerAction<S>) -> Outcome<S::Output>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || value.get())
}

/// A labelled input with its error (if the last submit named this field) right below it.
#[component]
pub fn Field<T: Send + Sync + 'static>(
    outcome: Outcome<T>,
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
    let id = format!("field-{}", name.replace('[', "-").replace(']', ""));
    let key = error_key.unwrap_or(name);
    let error_id = format!("{id}-error");
    let message = move || outcome.with(|o| o.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.message_for(key)));
    let described = error_id.clone();
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                required=required
                value=value
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=described
            />
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <p class="field-error" id=error_id role="alert">
                {message}
            </p>
        </div>
    }
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
    view! {
        <Show when=move || problem().is_some()>
            <p class="form-problem" role="alert">
                {problem}
            </p>
        </Show>
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
