//! The Lightpath web app: the HTML shell, the router and every page, rendered on the server
//! and hydrated in the browser. Server functions (in `server_fns`) are the only way pages
//! reach data; they run on the server with the store provided as context.

#![recursion_limit = "256"]

pub mod components;
pub mod error;
pub mod routes;
pub mod server_fns;

use components::layout::{Layout, PageErrors};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};
use routes::{catalog::CatalogPage, home::HomePage, network::NetworkPage, not_found::NotFound, product::ProductPage};

/// The HTML document around the app, rendered once per request on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/lightpath.css" />
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Meta name="description" content="Design, price, order and watch the provisioning of network connectivity for AI workloads." />
        <Meta name="theme-color" content="#0b1f3a" />
        <Router>
            <Layout>
                <PageErrors>
                    <Routes fallback=|| view! { <NotFound /> }>
                        <Route path=path!("") view=HomePage />
                        <Route path=path!("catalog") view=CatalogPage />
                        // Async: the page waits for its data so an unknown product answers 404.
                        <Route path=path!("products/:id") view={Lazy::<ProductPage>::new()} ssr=SsrMode::Async />
                        // Lazy routes: each page's code is its own wasm chunk, loaded on demand.
                        <Route path=path!("network") view={Lazy::<NetworkPage>::new()} />
                    </Routes>
                </PageErrors>
            </Layout>
        </Router>
    }
}

/// Sets the HTTP status of the page being rendered on the server; nothing in the browser.
pub fn set_http_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(code)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(status))
    {
        options.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}
