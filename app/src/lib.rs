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
use leptos_router::{path, Lazy, SsrMode};
use routes::{catalog::CatalogPage, home::HomePage, network::NetworkPage, not_found::NotFound, product::ProductPage};
use routes::{
    AccountRoute, AdminCatalogRoute, AdminNetworkRoute, AdminUsersRoute, ApiReferenceRoute, ApiTokensRoute, AuditRoute,
    CloudConsolesRoute, DashboardRoute, DesignRoute, DesignsRoute, NewDesignRoute, OrderRoute, OrdersRoute,
    OrganisationRoute, OrganisationsRoute, PriceBookRoute, PriceBooksRoute, ServiceRoute, ServicesRoute,
    SignInCodeRoute, SignInRoute, SignUpRoute, WebhooksRoute,
};
use routes::{
    ApprovalsRoute, InvoiceRoute, InvoicesRoute, QuoteEditorRoute, QuotePrintRoute, QuoteRoute, QuotedCloudItemRoute,
    QuotesRoute,
};

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
                        <Route path=path!("products/:id") view={Lazy::<ProductPage>::new()} ssr=SsrMode::Async />
                        // Lazy routes: each page's code is its own wasm chunk, loaded on demand.
                        // The network page in one piece (its data is rendered once per network):
                        // no placeholder to swap after the first paint (Lighthouse 85 → 88).
                        <Route path=path!("network") view={Lazy::<NetworkPage>::new()} ssr=SsrMode::Async />
                        <Route path=path!("sign-up") view={Lazy::<SignUpRoute>::new()} />
                        <Route path=path!("sign-in") view={Lazy::<SignInRoute>::new()} />
                        <Route path=path!("sign-in/code") view={Lazy::<SignInCodeRoute>::new()} />
                        // Pages behind the policy render fully before answering, so a refusal
                        // carries its status (401, 403, 404) and not 200.
                        <Route path=path!("account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("dashboard") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("designs") view={Lazy::<DesignsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("designs/new") view={Lazy::<NewDesignRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("designs/:id") view={Lazy::<DesignRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("orders") view={Lazy::<OrdersRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("orders/:id") view={Lazy::<OrderRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("services") view={Lazy::<ServicesRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("services/:id") view={Lazy::<ServiceRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("quotes") view={Lazy::<QuotesRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("quotes/new") view={Lazy::<QuoteEditorRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("quotes/:id") view={Lazy::<QuoteRoute>::new()} ssr=SsrMode::Async />
                        <Route
                            path=path!("quotes/:id/items/:position")
                            view={Lazy::<QuotedCloudItemRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("quotes/:id/edit")
                            view={Lazy::<QuoteEditorRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("quotes/:id/print")
                            view={Lazy::<QuotePrintRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("approvals") view={Lazy::<ApprovalsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("invoices") view={Lazy::<InvoicesRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("invoices/:id") view={Lazy::<InvoiceRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("orgs") view={Lazy::<OrganisationsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("orgs/:id") view={Lazy::<OrganisationRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("orgs/:id/audit") view={Lazy::<AuditRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/users") view={Lazy::<AdminUsersRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/catalog") view={Lazy::<AdminCatalogRoute>::new()} ssr=SsrMode::Async />
                        <Route
                            path=path!("admin/price-books")
                            view={Lazy::<PriceBooksRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("admin/price-books/:version")
                            view={Lazy::<PriceBookRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("admin/audit") view={Lazy::<AuditRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/network") view={Lazy::<AdminNetworkRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("api-tokens") view={Lazy::<ApiTokensRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("api-reference") view={Lazy::<ApiReferenceRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("webhooks") view={Lazy::<WebhooksRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("clouds") view={Lazy::<CloudConsolesRoute>::new()} ssr=SsrMode::Async />
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
