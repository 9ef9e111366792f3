//! One module a page.

pub mod account;
pub mod admin;
pub mod catalog;
pub mod clouds;
pub mod configurator;
pub mod dashboard;
pub mod designs;
pub mod home;
pub mod invoices;
pub mod network;
pub mod not_found;
pub mod orders;
pub mod organisation;
pub mod orgs;
pub mod product;
pub mod quotes;
pub mod reference;
pub mod services;
pub mod single_sign_on;
pub mod tokens;
pub mod webhooks;

use leptos_router::params::Params;

/// The `:id` of a record's page: a design, an order, a service, a quote, an organisation.
#[derive(leptos::Params, Clone, Debug, PartialEq)]
pub struct RecordId {
    id: Option<String>,
}

/// The record id of the page's route, tracked: `None` on a route without one (the quote
/// editor opens on `/quotes/new` and on `/quotes/:id/edit`).
pub fn record_id_if_any() -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    use leptos::prelude::With;
    let params = leptos_router::hooks::use_params::<RecordId>();
    move || params.with(|params| params.as_ref().ok().and_then(|params| params.id.clone()))
}

/// The record id of the page's route, tracked. Empty when the route has none, which the
/// server answers with "not found" like any unknown id.
pub fn record_id() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let id = record_id_if_any();
    move || id().unwrap_or_default()
}

/// Declares the lazy routes of one area of the portal. Every page of an area is compiled into
/// one wasm module (`wasm_split` with the area's name), fetched the first time a page of the
/// area opens; code that several areas share lands in a few shared chunks (one per set of areas
/// sharing it). A module per page made hundreds of chunks, and a page fetched up to 214 of
/// them; a few areas keep every page within a handful of files while the first page of a visit
/// carries none of their code. An area is split when its pages' code outgrows the page budget
/// (`scripts/bundle-budget.js`): quotes from orders. Every area added multiplies the shared
/// chunks (one per set of areas sharing code): eight areas made 111 files and 58 per page,
/// slower on a throttled link than fewer, larger ones; a sixth area for one page made every
/// other page ≈ 10 KB heavier and 8 files longer (docs/benchmarks.md, "Bundle budgets"). On the
/// server, rendering a page names its area's module, so the page's
/// HTML preloads exactly the files its hydration needs.
///
/// A route is a type with `fn load() -> Self`, run when the route is chosen, before its code is
/// fetched, and `fn page(self) -> AnyView`, which runs inside the area's module. Starting a
/// page's data in `load()` would overlap it with the code's download on a client-side
/// navigation, but it puts the data's decoder in the first route's module, so pages ask for
/// their data in `page()`.
macro_rules! lazy_area {
    ($area:ident { $($route:ident => $page:path as $render:ident;)* }) => {$(
        pub struct $route;

        impl $route {
            fn load() -> Self {
                $route
            }

            fn page(self) -> ::leptos::prelude::AnyView {
                ::leptos::prelude::IntoAny::into_any($page())
            }
        }

        lazy_area!(@route $area, $route, $render);
    )*};
    (@route $area:ident, $route:ty, $render:ident) => {
        // In the browser: the page's code is in the area's module, fetched on first use. The
        // router preloads it before the page hydrates or is shown (`LazyRoute::preload`).
        #[cfg(feature = "hydrate")]
        mod $render {
            use super::*;

            #[::leptos::wasm_split::wasm_split($area, wasm_split_path = ::leptos::wasm_split, preload(preload))]
            pub fn $render(this: $route) -> ::leptos::prelude::AnyView {
                this.page()
            }
        }

        // On the server: the page's HTML will preload the area's module.
        #[cfg(not(feature = "hydrate"))]
        mod $render {
            use super::*;

            pub async fn $render(this: $route) -> ::leptos::prelude::AnyView {
                ::leptos::prefetch_lazy_fn_on_server(stringify!($area));
                this.page()
            }

            pub async fn preload() {}
        }

        impl ::leptos_router::LazyRoute for $route {
            fn data() -> Self {
                <$route>::load()
            }

            async fn view(this: Self) -> ::leptos::prelude::AnyView {
                $render::$render(this).await
            }

            async fn preload() {
                $render::preload().await
            }
        }
    };
}

// Anyone's pages beyond home and catalog: a product, and the network with its map.
lazy_area!(@route explore, product::ProductPage, render_product);
lazy_area!(@route explore, network::NetworkPage, render_network);

// Signing in and up, a person's account, the dashboard, organisations, the developer pages, the
// simulated cloud consoles (built from the same forms and tables as the token and webhook
// pages, so they add the least here) and the admin pages.
lazy_area!(account {
    SignUpRoute => account::SignUpPage as render_sign_up;
    SignInRoute => account::SignInPage as render_sign_in;
    SignInCodeRoute => account::SignInCodePage as render_sign_in_code;
    AccountRoute => account::AccountPage as render_account;
    DashboardRoute => dashboard::DashboardPage as render_dashboard;
    OrganisationsRoute => orgs::OrganisationsPage as render_organisations;
    OrganisationRoute => organisation::OrganisationPage as render_organisation;
    ApiTokensRoute => tokens::ApiTokensPage as render_api_tokens;
    ApiReferenceRoute => reference::ApiReferencePage as render_api_reference;
    WebhooksRoute => webhooks::WebhooksPage as render_webhooks;
    CloudConsolesRoute => clouds::CloudConsolesPage as render_cloud_consoles;
    AdminUsersRoute => admin::AdminUsersPage as render_admin_users;
    AdminCatalogRoute => admin::AdminCatalogPage as render_admin_catalog;
    PriceBooksRoute => admin::PriceBooksPage as render_price_books;
    PriceBookRoute => admin::PriceBookPage as render_price_book;
    AuditRoute => admin::AuditPage as render_audit;
    AdminNetworkRoute => admin::AdminNetworkPage as render_admin_network;
});

// Designing: the wizard and saved designs.
lazy_area!(designs {
    DesignsRoute => designs::DesignsPage as render_designs;
    NewDesignRoute => designs::NewDesignPage as render_new_design;
    DesignRoute => designs::DesignPage as render_design;
});

// Quotes: the list, the editor, one quote and its print, an accepted quote's cloud item (with
// the product page's cloud fields, shared with the explore area: beside the product page they
// made every product page 28 KB heavier, here the quote pages 29 KB, which a buyer has loaded on
// the quote the item is opened from), and the approval queue; invoices (printed like a quote).
lazy_area!(quotes {
    QuotesRoute => quotes::QuotesPage as render_quotes;
    QuoteEditorRoute => quotes::QuoteEditorPage as render_quote_editor;
    QuoteRoute => quotes::QuotePage as render_quote;
    QuotePrintRoute => quotes::QuotePrintPage as render_quote_print;
    QuotedCloudItemRoute => configurator::quoted::QuotedCloudItemPage as render_quoted_cloud_item;
    ApprovalsRoute => quotes::ApprovalsPage as render_approvals;
    InvoicesRoute => invoices::InvoicesPage as render_invoices;
    InvoiceRoute => invoices::InvoicePrintPage as render_invoice;
});

// Orders and their timelines, services and their changes.
lazy_area!(orders {
    OrdersRoute => orders::OrdersPage as render_orders;
    OrderRoute => orders::OrderPage as render_order;
    ServicesRoute => services::ServicesPage as render_services;
    ServiceRoute => services::ServiceDetailPage as render_service;
});
