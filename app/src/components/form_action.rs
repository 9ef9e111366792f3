//! A server function called by a form, with the form's fields sent as the browser encodes
//! them. Leptos' `ActionForm` decodes the form into the server function's arguments in the
//! browser and encodes them again to send them, both with `serde_qs`, compiled for every
//! form's arguments: a round trip that changes nothing and cost the account pages 62 KB of
//! code (brotli), the product and quote pages 20 KB (docs/benchmarks.md, "What each chunk
//! holds, and forms that post their own fields"). `PostForm` posts the form's own fields
//! instead (`URLSearchParams`), which the server decodes exactly as a form posted without the
//! page's code, and reads the answer as every server function's (`JsonAnswer`).

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server::ServerActionError;
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::ServerFn;
#[cfg(feature = "hydrate")]
use lightpath_app::error::JsonAnswer;

/// A form's server function `S`: whether it is running, its last answer, how many it gave.
pub struct FormAction<S: ServerFn> {
    action: Action<String, Result<S::Output, AppError>>,
}

impl<S: ServerFn> Clone for FormAction<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ServerFn> Copy for FormAction<S> {}

/// An answer the browser reads as every server function's (`JsonAnswer`).
#[cfg(feature = "hydrate")]
pub trait FormAnswer:
    leptos::server_fn::codec::FromRes<JsonAnswer, leptos::server_fn::response::browser::BrowserResponse, AppError>
{
}

#[cfg(feature = "hydrate")]
impl<T> FormAnswer for T where
    T: leptos::server_fn::codec::FromRes<JsonAnswer, leptos::server_fn::response::browser::BrowserResponse, AppError>
{
}

/// On the server a form's answer is never read.
#[cfg(not(feature = "hydrate"))]
pub trait FormAnswer {}

#[cfg(not(feature = "hydrate"))]
impl<T> FormAnswer for T {}

impl<S> FormAction<S>
where
    S: ServerFn<Error = AppError> + 'static,
    S::Output: FormAnswer + Send + Sync + 'static,
{
    /// Call while the component is set up. A form posted without the page's code that failed
    /// comes back with its error in the address; it shows as this action's answer, as
    /// `ServerAction` shows it.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        let failed = failed_without_code(S::PATH).map(Err);
        FormAction { action: Action::new_local_with_value(failed, |body: &String| post::<S>(body.clone())) }
    }

    pub fn pending(&self) -> Memo<bool> {
        self.action.pending()
    }

    pub fn value(&self) -> MappedSignal<Option<Result<S::Output, AppError>>> {
        self.action.value()
    }

    pub fn version(&self) -> RwSignal<usize> {
        self.action.version()
    }
}

/// The error a form posted without the page's code to `path` came back with, if any (once for
/// every form, rather than a copy per server function).
#[inline(never)]
fn failed_without_code(path: &str) -> Option<AppError> {
    use_context::<ServerActionError>()
        .filter(|error| error.path() == path)
        .map(|error| ServerFnUrlError::<AppError>::decode_err(error.err()))
}

/// Sends a form's fields, URL-encoded, to the server function `S` and reads its answer;
/// follows the redirect the server asks for, as a server function call does. (One copy per
/// form: the status and redirect handling in a shared function measured 0.7 KB more.)
async fn post<S>(body: String) -> Result<S::Output, AppError>
where
    S: ServerFn<Error = AppError>,
    S::Output: FormAnswer,
{
    #[cfg(feature = "hydrate")]
    {
        use leptos::server_fn::client::{browser::BrowserClient, Client};
        use leptos::server_fn::codec::FromRes;
        use leptos::server_fn::error::FromServerFnError;
        use leptos::server_fn::request::{browser::BrowserRequest, ClientReq};
        use leptos::server_fn::response::ClientRes;
        use leptos::server_fn::ContentType;

        let request = <BrowserRequest as ClientReq<AppError>>::try_new_post(
            S::PATH,
            "application/x-www-form-urlencoded",
            JsonAnswer::CONTENT_TYPE,
            body,
        )?;
        let response = <BrowserClient as Client<AppError>>::send(request).await?;
        let status = ClientRes::<AppError>::status(&response);
        let location = ClientRes::<AppError>::location(&response);
        let redirect = ClientRes::<AppError>::has_redirect(&response);
        let answer = if (400..=599).contains(&status) {
            Err(AppError::de(ClientRes::<AppError>::try_into_bytes(response).await?))
        } else {
            S::Output::from_res(response).await
        };
        if (300..=399).contains(&status) || redirect {
            leptos::server_fn::redirect::call_redirect_hook(&location);
        }
        answer
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = body;
        Err(AppError::Transport("a form is sent from the browser".into()))
    }
}

/// A `<form>` that posts to `action`'s server function: with the page's code, from the page
/// (the fields as typed, the pressed button's name and value among them); without it, as a
/// plain form the server answers with a redirect. Attributes given as `attr:` land on the form.
#[component]
pub fn PostForm<S>(action: FormAction<S>, children: Children) -> impl IntoView
where
    S: ServerFn<Error = AppError> + 'static,
    S::Output: FormAnswer + Send + Sync + 'static,
{
    let send = move |fields: Option<String>| match fields {
        Some(body) => {
            action.action.dispatch(body);
        }
        None => {
            action.value().set(Some(Err(AppError::Transport("the form could not be read".into()))));
            action.version().update(|n| *n += 1);
        }
    };
    form_posting_to(S::PATH, children, Box::new(send))
}

/// The form itself, built once for every server function (a copy per form was 7 KB of the
/// account area's code before wasm-opt); `send` gets its fields on submit.
#[inline(never)]
fn form_posting_to(path: &'static str, children: Children, send: Box<dyn Fn(Option<String>) + Send + Sync>) -> AnyView {
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        if event.default_prevented() {
            return;
        }
        event.prevent_default();
        #[cfg(feature = "hydrate")]
        send(form_fields(&event));
        #[cfg(not(feature = "hydrate"))]
        let _ = &send;
    };
    view! {
        <form method="post" action=path on:submit=on_submit>
            {children()}
        </form>
    }
    .into_any()
}

/// The submitted form's fields, URL-encoded by the browser, with the pressed button's name and
/// value when it has a name (as the browser sends them itself).
#[cfg(feature = "hydrate")]
fn form_fields(event: &leptos::ev::SubmitEvent) -> Option<String> {
    use leptos::wasm_bindgen::JsCast;
    use web_sys::{FormData, HtmlButtonElement, HtmlFormElement, HtmlInputElement, UrlSearchParams};

    let form = event.target()?.dyn_into::<HtmlFormElement>().ok()?;
    let fields = FormData::new_with_form(&form).ok()?;
    let pressed = event.submitter().and_then(|submitter| {
        if let Some(button) = submitter.dyn_ref::<HtmlButtonElement>() {
            Some((button.name(), button.value()))
        } else {
            submitter.dyn_ref::<HtmlInputElement>().map(|input| (input.name(), input.value()))
        }
    });
    if let Some((name, value)) = pressed.filter(|(name, _)| !name.is_empty()) {
        fields.append_with_str(&name, &value).ok()?;
    }
    let encoded = UrlSearchParams::new_with_str_sequence_sequence(&fields).ok()?;
    Some(String::from(encoded.to_string()))
}
