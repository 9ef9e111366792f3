//! The Lightpath web app: the HTML shell, the router and every page, rendered on the server
//! and hydrated in the browser. Server functions (in `server_fns`) are the only way pages
//! reach data; they run on the server with the store provided as context.

#![recursion_limit = "256"]

#[cfg(feature = "ssr")]
pub mod auth;
pub mod components;
pub mod routes;
pub mod server_fns;
/// The application layer's error, which every server function carries to the page.
pub use lightpath_app::error;

use components::layout::{Layout, PageErrors};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};
use routes::{catalog::CatalogPage, home::HomePage, not_found::NotFound, NETWORK, PRODUCT};
use routes::{
    ACCOUNT, ADMIN_CATALOG, ADMIN_NETWORK, ADMIN_USERS, API_REFERENCE, API_TOKENS, AUDIT, CLOUD_CONSOLES, DASHBOARD,
    DESIGN, DESIGNS, NEW_DESIGN, ORDER, ORDERS, ORGANISATION, ORGANISATIONS, PRICE_BOOK, PRICE_BOOKS, SERVICE,
    SERVICES, SIGN_IN, SIGN_IN_CODE, SIGN_UP, WEBHOOKS,
};
use routes::{APPROVALS, INVOICE, INVOICES, QUOTE, QUOTED_CLOUD_ITEM, QUOTES, QUOTE_EDITOR, QUOTE_PRINT};

/// The HTML document around the app, rendered once per request on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                // The stylesheet's name carries its content hash in release builds.
                <HashedStylesheet options=options.clone() id="leptos" />
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
    provide_context(components::forms::SessionEpoch(RwSignal::new(0)));
    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Meta
            name="description"
            content="Design, price, order and watch the provisioning of network connectivity for AI workloads."
        />
        <Meta name="theme-color" content="#0b1f3a" />
        <Router>
            <Layout>
                <PageErrors>
                    <Routes fallback=|| view! { <NotFound /> }>
                        <Route path=path!("") view=HomePage />
                        <Route path=path!("catalog") view=CatalogPage />
                        // Async: the page waits for its data so an unknown product answers 404.
                        <Route path=path!("products/:id") view=PRODUCT ssr=SsrMode::Async />
                        // Lazy routes: each page's code is its own wasm chunk, loaded on demand.
                        // The network page in one piece (its data is rendered once per network):
                        // no placeholder to swap after the first paint (Lighthouse 85 → 88).
                        <Route path=path!("network") view=NETWORK ssr=SsrMode::Async />
                        <Route path=path!("sign-up") view=SIGN_UP />
                        <Route path=path!("sign-in") view=SIGN_IN />
                        <Route path=path!("sign-in/code") view=SIGN_IN_CODE />
                        // Pages behind the policy render fully before answering, so a refusal
                        // carries its status (401, 403, 404) and not 200.
                        <Route path=path!("account") view=ACCOUNT ssr=SsrMode::Async />
                        <Route path=path!("dashboard") view=DASHBOARD ssr=SsrMode::Async />
                        <Route path=path!("designs") view=DESIGNS ssr=SsrMode::Async />
                        <Route path=path!("designs/new") view=NEW_DESIGN ssr=SsrMode::Async />
                        <Route path=path!("designs/:id") view=DESIGN ssr=SsrMode::Async />
                        <Route path=path!("orders") view=ORDERS ssr=SsrMode::Async />
                        <Route path=path!("orders/:id") view=ORDER ssr=SsrMode::Async />
                        <Route path=path!("services") view=SERVICES ssr=SsrMode::Async />
                        <Route path=path!("services/:id") view=SERVICE ssr=SsrMode::Async />
                        <Route path=path!("quotes") view=QUOTES ssr=SsrMode::Async />
                        <Route path=path!("quotes/new") view=QUOTE_EDITOR ssr=SsrMode::Async />
                        <Route path=path!("quotes/:id") view=QUOTE ssr=SsrMode::Async />
                        <Route path=path!("quotes/:id/items/:position") view=QUOTED_CLOUD_ITEM ssr=SsrMode::Async />
                        <Route path=path!("quotes/:id/edit") view=QUOTE_EDITOR ssr=SsrMode::Async />
                        <Route path=path!("quotes/:id/print") view=QUOTE_PRINT ssr=SsrMode::Async />
                        <Route path=path!("approvals") view=APPROVALS ssr=SsrMode::Async />
                        <Route path=path!("invoices") view=INVOICES ssr=SsrMode::Async />
                        <Route path=path!("invoices/:id") view=INVOICE ssr=SsrMode::Async />
                        <Route path=path!("orgs") view=ORGANISATIONS ssr=SsrMode::Async />
                        <Route path=path!("orgs/:id") view=ORGANISATION ssr=SsrMode::Async />
                        <Route path=path!("orgs/:id/audit") view=AUDIT ssr=SsrMode::Async />
                        <Route path=path!("admin/users") view=ADMIN_USERS ssr=SsrMode::Async />
                        <Route path=path!("admin/catalog") view=ADMIN_CATALOG ssr=SsrMode::Async />
                        <Route path=path!("admin/price-books") view=PRICE_BOOKS ssr=SsrMode::Async />
                        <Route path=path!("admin/price-books/:version") view=PRICE_BOOK ssr=SsrMode::Async />
                        <Route path=path!("admin/audit") view=AUDIT ssr=SsrMode::Async />
                        <Route path=path!("admin/network") view=ADMIN_NETWORK ssr=SsrMode::Async />
                        <Route path=path!("api-tokens") view=API_TOKENS ssr=SsrMode::Async />
                        <Route path=path!("api-reference") view=API_REFERENCE ssr=SsrMode::Async />
                        <Route path=path!("webhooks") view=WEBHOOKS ssr=SsrMode::Async />
                        <Route path=path!("clouds") view=CLOUD_CONSOLES ssr=SsrMode::Async />
                    </Routes>
                </PageErrors>
            </Layout>
        </Router>
    }
}

/// Sets the HTTP status from an outcome (a server function's error would otherwise answer
/// 500, a page's 200) and passes the outcome through.
pub fn with_status<T>(outcome: Result<T, error::AppError>) -> Result<T, error::AppError> {
    if let Err(error) = &outcome {
        set_http_status(error.status());
    }
    outcome
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
