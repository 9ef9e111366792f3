//! The page frame: skip link, header with navigation, main area, footer, and the error
//! boundary that turns any page error into a readable message.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <div class="container header-inner">
                <a href="/" class="brand" aria-label="Lightpath home">
                    <Logo />
                    <span>"Lightpath"</span>
                </a>
                <nav class="main-nav" aria-label="Main">
                    <A href="/catalog">"Catalog"</A>
                    <A href="/network">"Network"</A>
                </nav>
                <a href="/catalog" class="button button-small header-cta">"Start a design"</a>
            </div>
        </header>
        <main id="main" class="container main">{children()}</main>
        <footer class="site-footer">
            <div class="container footer-inner">
                <span>"Lightpath — network connectivity for AI, on demand."</span>
                <span class="muted">"Prices in USD, excluding taxes. Simulated network."</span>
            </div>
        </footer>
    }
}

#[component]
fn Logo() -> impl IntoView {
    view! {
        <svg class="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
            <rect width="32" height="32" rx="8" fill="currentColor" />
            <path d="M7 22 L14 10 L19 18 L25 8" fill="none" stroke="#5eead4" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" />
            <circle cx="25" cy="8" r="2.5" fill="#fff" />
        </svg>
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
                        <a href="/" class="button">"Back to the start"</a>
                    </p>
                </section>
            }
        }>{children()}</ErrorBoundary>
    }
}

/// A grey placeholder shown while a page's data loads.
#[component]
pub fn Skeleton(#[prop(default = 3)] rows: usize) -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true" aria-label="Loading">
            {(0..rows).map(|_| view! { <div class="skeleton-row"></div> }).collect_view()}
        </div>
    }
}
