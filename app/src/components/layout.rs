//! The page frame: skip link, header with navigation, main area, footer, and the error
//! boundary that turns any page error into a readable message.

use crate::components::forms::{Alert, SessionEpoch};
use crate::error::AppError;
use crate::server_fns::account::{who_am_i, NavInfo};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let epoch = use_context::<SessionEpoch>().map(|epoch| epoch.0);
    let me = Resource::new(move || epoch.map(|e| e.get()), |_| who_am_i());
    view! {
        <a class="skip-link" href="#main">
            "Skip to content"
        </a>
        <header class="site-header">
            <div class="container header-inner">
                <a href="/" class="brand" aria-label="Lightpath home">
                    <Logo />
                    <span>"Lightpath"</span>
                </a>
                <Transition fallback=|| {
                    view! { <PublicNav /> }
                }>
                    {move || Suspend::new(async move {
                        match me.await {
                            Ok(Some(nav)) => view! { <SignedInNav nav /> }.into_any(),
                            _ => view! { <PublicNav /> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
        </header>
        <main id="main" class="container main">
            {children()}
        </main>
        <RouteAnnouncer />
        <footer class="site-footer">
            <div class="container footer-inner">
                <span>"Lightpath — network connectivity for AI, on demand."</span>
                <span class="muted">"Prices in USD, excluding taxes. Simulated network."</span>
            </div>
        </footer>
    }
}

/// After a move to another page of the portal, focus goes to the new page's main heading and
/// its title is announced (GOV.UK's pattern): otherwise focus stays on the link that was
/// pressed, or drops to the page's body, and a screen reader hears nothing. Someone who moved
/// focus while the page loaded (opened a menu, began to type) keeps it; the title is still
/// announced.
#[component]
fn RouteAnnouncer() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let announced = RwSignal::new(String::new());
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|previous| previous != path) {
            // The old page is still on screen while the new one loads: its heading is not the
            // one to move to.
            if let Ok(Some(old)) = document().query_selector("main h1") {
                let _ = old.set_attribute("data-announced", "");
            }
            focus_new_heading(announced, document().active_element(), 0);
        }
        path
    });
    view! {
        <p class="visually-hidden" role="status" aria-live="polite" data-testid="route-announcer">
            {announced}
        </p>
    }
}

/// The new page renders once its code and data have arrived: look for its heading every
/// tenth of a second, for up to five seconds. A heading already announced is the old page's.
/// `focused` is what had focus when the move began: focus moves only if it is still there, or
/// nowhere (the page's body, when the pressed control went with the old page).
fn focus_new_heading(announced: RwSignal<String>, focused: Option<leptos::web_sys::Element>, tries: u32) {
    use leptos::wasm_bindgen::JsCast;
    let heading = document()
        .query_selector("main h1:not([data-announced])")
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<leptos::web_sys::HtmlElement>().ok());
    match heading {
        Some(heading) => {
            let _ = heading.set_attribute("data-announced", "");
            let now = document().active_element();
            let body = document().body().map(leptos::web_sys::Element::from);
            if now.is_none() || now == body || now == focused {
                let _ = heading.set_attribute("tabindex", "-1");
                let _ = heading.focus();
            }
            announced.set(document().title());
        }
        None if tries < 50 => {
            set_timeout(move || focus_new_heading(announced, focused, tries + 1), std::time::Duration::from_millis(100))
        }
        None => {}
    }
}

#[component]
fn PublicNav() -> impl IntoView {
    view! {
        <nav class="main-nav public-nav" aria-label="Main">
            <div class="nav-links">
                <A href="/catalog">"Catalog"</A>
                <A href="/network">"Network"</A>
            </div>
        </nav>
        <div class="session-nav">
            <A href="/sign-in">"Sign in"</A>
            <a href="/sign-up" class="button button-small header-cta">
                "Create account"
            </a>
        </div>
    }
}

/// The navigation of a signed-in person: only what their role may use (the server decided).
/// Lightpath admins' own pages sit under one "Admin" menu so the header fits a laptop.
#[component]
fn SignedInNav(nav: NavInfo) -> impl IntoView {
    let NavInfo { name, email, home, members, admin, audit, quote_requests } = nav;
    // Sales engineers see how many quote requests wait for them beside Quotes.
    let quotes_label = match quote_requests {
        Some(waiting) if waiting > 0 => format!("Quotes ({waiting})"),
        _ => "Quotes".to_owned(),
    };
    let quotes_title = quote_requests
        .filter(|waiting| *waiting > 0)
        .map(|waiting| format!("{waiting} quote request{} waiting", if waiting == 1 { "" } else { "s" }));
    view! {
        <MainNav>
            <A href=home.0>{home.1}</A>
            <A href="/catalog">"Catalog"</A>
            <A href="/network">"Network"</A>
            <A href="/designs">"Designs"</A>
            <A href="/orders">"Orders"</A>
            <A href="/services">"Services"</A>
            <A href="/quotes" attr:title=quotes_title>
                {quotes_label}
            </A>
            {members.map(|href| view! { <A href=href>"Members"</A> })}
            {admin
                .then(|| {
                    view! {
                        <A href="/approvals">"Approvals"</A>
                        <NavMenu label="Admin" id="admin-menu">
                            <A href="/admin/price-books">"Price books"</A>
                            <A href="/admin/catalog">"Products"</A>
                            <A href="/admin/users">"Users"</A>
                            <A href="/admin/network">"Network ops"</A>
                            <A href="/admin/audit">"Audit log"</A>
                            <A href="/invoices">"Invoices"</A>
                        </NavMenu>
                    }
                })}
            // Support reads the audit log without the other admin pages.
            {(audit && !admin).then(|| view! { <A href="/admin/audit">"Audit log"</A> })}
        </MainNav>
        <div class="session-nav">
            <A href="/account" attr:title=email>
                {name}
            </A>
            // A plain form: signing out reloads the whole page, so nothing of the session stays
            // in the browser's memory.
            <form method="post" action="/api/sign-out" class="inline-form">
                <button type="submit" class="button button-small button-ghost">
                    "Sign out"
                </button>
            </form>
        </div>
    }
}

/// The "Main" navigation landmark. On a laptop its links sit in the header; on a phone they
/// fold behind a "Menu" button. Opening another page folds it again.
#[component]
fn MainNav(children: Children) -> impl IntoView {
    let open = Disclosure::new();
    view! {
        <nav class="main-nav" aria-label="Main" on:keydown=move |ev| close_on_escape(ev, open)>
            <button
                type="button"
                class="menu-toggle"
                aria-expanded=move || open.is_open().to_string()
                aria-controls="main-links"
                on:click=move |_| open.toggle()
            >
                "Menu"
            </button>
            <div
                id="main-links"
                class="nav-links"
                class:open=move || open.is_open()
                on:click=move |ev| close_on_link(ev, open)
            >
                {children()}
            </div>
        </nav>
    }
}

/// A disclosure button and the links it shows: opens and closes by click, Enter or Space,
/// closes on Escape (focus back on the button), when focus leaves it, and on navigation.
#[component]
fn NavMenu(label: &'static str, id: &'static str, children: Children) -> impl IntoView {
    let open = Disclosure::new();
    let group = NodeRef::<leptos::html::Div>::new();
    let focus_left = move |ev: leptos::ev::FocusEvent| {
        use leptos::wasm_bindgen::JsCast;
        let next = ev.related_target().and_then(|target| target.dyn_into::<leptos::web_sys::Node>().ok());
        let still_inside = group.get_untracked().is_some_and(|group| group.contains(next.as_ref()));
        if !still_inside {
            open.close();
        }
    };
    view! {
        <div class="nav-menu" node_ref=group on:focusout=focus_left on:keydown=move |ev| close_on_escape(ev, open)>
            <button
                type="button"
                class="nav-menu-toggle"
                aria-expanded=move || open.is_open().to_string()
                aria-controls=id
                on:click=move |_| open.toggle()
            >
                {label}
            </button>
            <div
                id=id
                class="nav-menu-links"
                class:open=move || open.is_open()
                on:click=move |ev| close_on_link(ev, open)
            >
                {children()}
            </div>
        </div>
    }
}

/// Whether a header menu is open. It remembers the page it was opened on and counts as closed
/// on any other, so a new page (a link, back or forward) always starts with it folded.
#[derive(Clone, Copy)]
struct Disclosure {
    opened_on: RwSignal<Option<String>>,
    path: Memo<String>,
}

impl Disclosure {
    fn new() -> Self {
        Disclosure { opened_on: RwSignal::new(None), path: leptos_router::hooks::use_location().pathname }
    }

    fn is_open(&self) -> bool {
        let path = self.path.read();
        self.opened_on.with(|opened_on| opened_on.as_deref() == Some(path.as_str()))
    }

    fn is_open_untracked(&self) -> bool {
        untrack(|| self.is_open())
    }

    fn toggle(&self) {
        let next = (!self.is_open_untracked()).then(|| self.path.get_untracked());
        self.opened_on.set(next);
    }

    fn close(&self) {
        self.opened_on.set(None);
    }
}

/// Following one of a menu's links closes it (the page changes under it).
fn close_on_link(ev: leptos::ev::MouseEvent, open: Disclosure) {
    use leptos::wasm_bindgen::JsCast;
    let on_link = ev
        .target()
        .and_then(|target| target.dyn_into::<leptos::web_sys::Element>().ok())
        .is_some_and(|element| element.closest("a[href]").ok().flatten().is_some());
    if on_link {
        open.close();
    }
}

/// Escape closes an open menu and puts focus back on its button.
fn close_on_escape(ev: leptos::ev::KeyboardEvent, open: Disclosure) {
    use leptos::wasm_bindgen::JsCast;
    if ev.key() != "Escape" || !open.is_open_untracked() {
        return;
    }
    ev.stop_propagation();
    open.close();
    let toggle = ev
        .current_target()
        .and_then(|target| target.dyn_into::<leptos::web_sys::Element>().ok())
        .and_then(|menu| menu.query_selector("button[aria-expanded]").ok().flatten())
        .and_then(|button| button.dyn_into::<leptos::web_sys::HtmlElement>().ok());
    if let Some(toggle) = toggle {
        let _ = toggle.focus();
    }
}

#[component]
fn Logo() -> impl IntoView {
    view! {
        <svg class="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
            <rect width="32" height="32" rx="8" fill="currentColor" />
            <path
                d="M7 22 L14 10 L19 18 L25 8"
                fill="none"
                stroke="#5eead4"
                stroke-width="3"
                stroke-linecap="round"
                stroke-linejoin="round"
            />
            <circle cx="25" cy="8" r="2.5" fill="#fff" />
        </svg>
    }
}

/// Renders a page's data, or the problem that stopped it (sign in, no access, not found,
/// unavailable) with the matching HTTP status. Pages use this rather than throwing to the
/// error boundary, so the server's HTML and the hydrating browser agree.
pub fn or_problem<T>(outcome: Result<T, AppError>, render: impl FnOnce(T) -> AnyView) -> AnyView {
    match outcome {
        Ok(value) => render(value),
        Err(error) => problem_page(error),
    }
}

/// The problem half of `or_problem`, compiled once rather than once per page's data type (it
/// was 20 KB of the account area's code before wasm-opt as a copy per type).
#[inline(never)]
fn problem_page(error: AppError) -> AnyView {
    crate::set_http_status(error.status());
    view! { <Problem error /> }.into_any()
}

/// What went wrong and what to do next.
#[component]
pub fn Problem(error: AppError) -> impl IntoView {
    let title = match &error {
        AppError::SignInRequired => "Please sign in",
        AppError::Forbidden(_) => "You don’t have access to this page",
        AppError::NotFound => "We couldn’t find that",
        _ => "Something went wrong",
    };
    let sign_in = matches!(error, AppError::SignInRequired);
    let next = leptos_router::hooks::use_location().pathname.get_untracked();
    view! {
        <Title text=format!("{title} · Lightpath") />
        <section class="problem" role="alert">
            <h1>{title}</h1>
            <p>{error.to_string()}</p>
            <p class="actions">
                {sign_in
                    .then(|| {
                        view! {
                            <a href=format!("/sign-in?next={next}") class="button">
                                "Sign in"
                            </a>
                        }
                    })} <a href="/" class="button button-ghost">
                    "Back to the start"
                </a>
            </p>
        </section>
    }
}

/// Catches errors thrown by the page below and shows what happened and what to do.
#[component]
pub fn PageErrors(children: Children) -> impl IntoView {
    view! {
        <ErrorBoundary fallback=|errors| {
            view! {
                <section class="problem" role="alert">
                    <h1>"Something went wrong"</h1>
                    <ul>
                        {move || {
                            errors
                                .get()
                                .into_iter()
                                .map(|(_, error)| {
                                    let message = error
                                        .downcast_ref::<AppError>()
                                        .map(ToString::to_string)
                                        .unwrap_or_else(|| {
                                            "An unexpected error happened. Please reload the page.".to_owned()
                                        });
                                    view! { <li>{message}</li> }
                                })
                                .collect_view()
                        }}
                    </ul>
                    <p>
                        <a href="/" class="button">
                            "Back to the start"
                        </a>
                    </p>
                </section>
            }
        }>{children()}</ErrorBoundary>
    }
}

/// What a list says when it has nothing in it yet, and the way to the first thing.
#[component]
pub fn EmptyState(title: &'static str, text: &'static str, href: &'static str, action: &'static str) -> impl IntoView {
    view! {
        <section class="card empty-state">
            <h2>{title}</h2>
            <p>{text}</p>
            <p class="actions">
                <a href=href class="button">
                    {action}
                </a>
            </p>
        </section>
    }
}

/// The page a list shows, from `?page=N` (1-based for people; 0-based for the server).
pub fn page_from_query() -> impl Fn() -> u32 + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || lightpath_domain::records::PageRequest::from_query(query.read().get("page").as_deref()).page
}

/// Links to the page before and after a list's page (on `path`, keeping `keep`: other query
/// parameters already escaped, like `action=price-book&`). Nothing when the list fits one page.
#[component]
pub fn Pager(page: u32, more: bool, #[prop(into)] path: String, #[prop(optional, into)] keep: String) -> impl IntoView {
    (page > 0 || more).then(|| {
        let link = move |number: u32| format!("{path}?{keep}page={number}");
        view! {
            <nav class="pager" aria-label="Pages">
                {(page > 0)
                    .then(|| {
                        view! {
                            <a href=link(page) rel="prev">
                                "← Previous page"
                            </a>
                        }
                    })}
                <span class="muted" aria-current="page">
                    {format!("Page {}", page + 1)}
                </span>
                {more
                    .then(|| {
                        view! {
                            <a href=link(page + 2) rel="next">
                                "Next page →"
                            </a>
                        }
                    })}
            </nav>
        }
    })
}

/// A grey placeholder shown while a page's data loads.
#[component]
pub fn Skeleton(#[prop(default = 3)] rows: usize) -> impl IntoView {
    view! {
        <div class="skeleton" role="status" aria-busy="true" aria-label="Loading">
            {(0..rows).map(|_| view! { <div class="skeleton-row"></div> }).collect_view()}
        </div>
    }
}

/// When loaded data counts as an empty list (`when`, e.g. no items on its first page), what the
/// page says then and where it sends the reader (see [`EmptyState`], [`Loaded`]).
pub struct Empty<T> {
    pub when: fn(&T) -> bool,
    pub title: &'static str,
    pub text: &'static str,
    pub href: &'static str,
    pub action: &'static str,
}

// By hand: derived impls would ask `T: Clone`, which a function pointer of `&T` never needs.
impl<T> Clone for Empty<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Empty<T> {}

/// The frame of every page's data: a skeleton of `rows` lines while it loads, then the problem
/// that stopped it (with its HTTP status), the `empty` state when the data is an empty list, or
/// else what `children` draws of it.
#[component]
pub fn Loaded<T, F, V>(
    data: Resource<Result<T, AppError>>,
    children: F,
    #[prop(default = 3)] rows: usize,
    #[prop(optional)] empty: Option<Empty<T>>,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let draw = move |loaded: T, children: F| match empty {
        Some(Empty { when, title, text, href, action }) if when(&loaded) => {
            view! { <EmptyState title text href action /> }.into_any()
        }
        _ => children(loaded).into_any(),
    };
    view! {
        <Transition fallback=move || {
            view! { <Skeleton rows /> }
        }>
            {move || {
                let children = children.clone();
                Suspend::new(async move { or_problem(data.await, move |loaded| draw(loaded, children)) })
            }}
        </Transition>
    }
}

/// A data table in its scrolling frame (focusable, so a keyboard can scroll it): the column
/// heads (`(label, class)`; the class `visually-hidden` names a column for screen readers
/// only), then `children` as its rows.
#[component]
pub fn DataTable(
    columns: &'static [(&'static str, &'static str)],
    /// A column left out this time (its rows leave out their cell too): the organisation of
    /// rows that all belong to one, see [`mixes_organisations`].
    #[prop(default = None)]
    without: Option<&'static str>,
    #[prop(optional)] class: &'static str,
    /// What the table holds, for screen readers, when the page around it does not say.
    #[prop(optional, into)]
    caption: Option<String>,
    /// The table's foot rows (totals), if any.
    #[prop(optional)]
    foot: Option<Children>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0">
            <table class=format!(
                "data-table {class}",
            )>
                {caption.map(|caption| view! { <caption class="visually-hidden">{caption}</caption> })} <thead>
                    <tr>
                        {columns
                            .iter()
                            .filter(|&&(label, _)| Some(label) != without)
                            .map(|&(label, class)| {
                                if class == "visually-hidden" {
                                    // A column without a visible head (row actions) still has a name.
                                    view! {
                                        <th scope="col">
                                            <span class="visually-hidden">{label}</span>
                                        </th>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <th scope="col" class=(!class.is_empty()).then_some(class)>
                                            {label}
                                        </th>
                                    }
                                        .into_any()
                                }
                            })
                            .collect_view()}
                    </tr>
                </thead> <tbody>{children()}</tbody> {foot.map(|foot| view! { <tfoot>{foot()}</tfoot> })}
            </table>
        </div>
    }
}

/// Whether a list's rows come from more than one organisation (as staff see them): only then
/// does it need an "Organisation" column. A buyer's own lists name their organisation once.
pub fn mixes_organisations<'a>(mut organisations: impl Iterator<Item = &'a lightpath_domain::account::Id>) -> bool {
    let first = organisations.next();
    organisations.any(|other| Some(other) != first)
}

/// The column to leave out of a list whose rows all belong to one organisation.
pub fn organisation_column(mixed: bool) -> Option<&'static str> {
    (!mixed).then_some("Organisation")
}

/// The head of one record's page: its name in the browser's tab (`title`, when it differs), the
/// way back to its list (`list`: address and name), the organisation it belongs to, its name,
/// then `children` (its state, its actions).
#[component]
pub fn RecordHead(
    list: (&'static str, &'static str),
    #[prop(into)] name: String,
    #[prop(optional, into)] title: Option<String>,
    #[prop(optional, into)] eyebrow: Option<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let title = title.unwrap_or_else(|| name.clone());
    view! {
        <Title text=format!("{title} · Lightpath") />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href=list.0>{list.1}</a>
            " / "
            <span aria-current="page">{name.clone()}</span>
        </nav>
        <section class="page-head">
            {eyebrow.map(|eyebrow| view! { <p class="eyebrow">{eyebrow}</p> })} <h1>{name}</h1>
            {children.map(|children| children())}
        </section>
    }
}

/// The problem that stopped the last action on a page (none: nothing shown), announced.
#[component]
pub fn ProblemBanner(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || message.get().map(|message| view! { <Alert message /> })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lightpath_domain::account::Id;

    #[test]
    fn the_organisation_column_shows_only_for_rows_of_several_organisations() {
        let acme = Id::parse("00000000-0000-4000-8000-000000000001").unwrap();
        let globex = Id::parse("00000000-0000-4000-8000-000000000002").unwrap();
        assert!(!mixes_organisations([].iter()), "an empty list");
        assert!(!mixes_organisations([acme.clone(), acme.clone()].iter()), "a buyer's own rows");
        assert!(mixes_organisations([acme.clone(), acme, globex].iter()), "staff's rows");
        assert_eq!(organisation_column(false), Some("Organisation"));
        assert_eq!(organisation_column(true), None);
    }
}
