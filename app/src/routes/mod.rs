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
/// Each page of an area is a [`LazyPage`] constant, named after the page, for its route's
/// `view`. Its code runs inside the area's module; it asks for its data there too (starting it
/// before the code arrives would put the data's decoder in the first route's module).
macro_rules! lazy_area {
    ($area:ident { $($page_const:ident => $page:path as $render:ident;)* }) => {$(
        // In the browser: the page's code is in the area's module, fetched on first use. The
        // router fetches it before the page hydrates or is shown (`LazyPage::preload`).
        #[cfg(feature = "hydrate")]
        mod $render {
            use super::*;

            #[::leptos::wasm_split::wasm_split($area, wasm_split_path = ::leptos::wasm_split, preload(preload))]
            fn $render() -> ::leptos::prelude::AnyView {
                ::leptos::prelude::IntoAny::into_any($page())
            }

            pub fn draw() -> Drawn {
                Box::pin($render())
            }

            pub fn fetch() -> Fetched {
                Box::pin(preload())
            }
        }

        // On the server: the page's HTML will preload the area's module.
        #[cfg(not(feature = "hydrate"))]
        mod $render {
            use super::*;

            pub fn draw() -> Drawn {
                Box::pin(async {
                    ::leptos::prefetch_lazy_fn_on_server(stringify!($area));
                    ::leptos::prelude::IntoAny::into_any($page())
                })
            }

            pub fn fetch() -> Fetched {
                Box::pin(async {})
            }
        }

        pub const $page_const: LazyPage = LazyPage { draw: $render::draw, fetch: $render::fetch };
    )*};
}

/// A page drawn by its area's module once it has arrived.
type Drawn = ::std::pin::Pin<Box<dyn ::std::future::Future<Output = ::leptos::prelude::AnyView>>>;
/// The area's module arriving.
type Fetched = ::std::pin::Pin<Box<dyn ::std::future::Future<Output = ()>>>;

/// A lazy page as its route's view: how to draw it and how to fetch its area's module ahead.
/// Two function pointers rather than leptos_router's `Lazy<T>`, a type per route: the router's
/// code for a lazy route is compiled once, not once per route (1.1 KB off the first route and
/// about as much off every page; docs/benchmarks.md, "Cloud panels drawn on the server, one
/// lazy route type").
#[derive(Clone, Copy)]
pub struct LazyPage {
    draw: fn() -> Drawn,
    fetch: fn() -> Fetched,
}

impl leptos_router::ChooseView for LazyPage {
    async fn choose(self) -> ::leptos::prelude::AnyView {
        (self.draw)().await
    }

    async fn preload(&self) {
        (self.fetch)().await
    }
}

// Anyone's pages beyond home and catalog: a product, and the network with its map.
lazy_area!(explore {
    PRODUCT => product::product_page as render_product;
    NETWORK => network::network_page as render_network;
});

// Signing in and up, a person's account, the dashboard, organisations, the developer pages, the
// simulated cloud consoles (built from the same forms and tables as the token and webhook
// pages, so they add the least here) and the admin pages.
lazy_area!(account {
    SIGN_UP => account::SignUpPage as render_sign_up;
    SIGN_IN => account::SignInPage as render_sign_in;
    SIGN_IN_CODE => account::SignInCodePage as render_sign_in_code;
    ACCOUNT => account::AccountPage as render_account;
    DASHBOARD => dashboard::DashboardPage as render_dashboard;
    ORGANISATIONS => orgs::OrganisationsPage as render_organisations;
    ORGANISATION => organisation::OrganisationPage as render_organisation;
    API_TOKENS => tokens::ApiTokensPage as render_api_tokens;
    API_REFERENCE => reference::ApiReferencePage as render_api_reference;
    WEBHOOKS => webhooks::WebhooksPage as render_webhooks;
    CLOUD_CONSOLES => clouds::CloudConsolesPage as render_cloud_consoles;
    ADMIN_USERS => admin::AdminUsersPage as render_admin_users;
    ADMIN_CATALOG => admin::AdminCatalogPage as render_admin_catalog;
    PRICE_BOOKS => admin::PriceBooksPage as render_price_books;
    PRICE_BOOK => admin::PriceBookPage as render_price_book;
    AUDIT => admin::AuditPage as render_audit;
    ADMIN_NETWORK => admin::AdminNetworkPage as render_admin_network;
});

// Designing: the wizard and saved designs.
lazy_area!(designs {
    DESIGNS => designs::DesignsPage as render_designs;
    NEW_DESIGN => designs::NewDesignPage as render_new_design;
    DESIGN => designs::DesignPage as render_design;
});

// Quotes: the list, the editor, one quote and its print, an accepted quote's cloud item (with
// the product page's cloud fields, shared with the explore area: beside the product page they
// made every product page 28 KB heavier, here the quote pages 29 KB, which a buyer has loaded on
// the quote the item is opened from), and the approval queue; invoices (printed like a quote).
lazy_area!(quotes {
    QUOTES => quotes::QuotesPage as render_quotes;
    QUOTE_EDITOR => quotes::QuoteEditorPage as render_quote_editor;
    QUOTE => quotes::QuotePage as render_quote;
    QUOTE_PRINT => quotes::QuotePrintPage as render_quote_print;
    QUOTED_CLOUD_ITEM => configurator::quoted::QuotedCloudItemPage as render_quoted_cloud_item;
    APPROVALS => quotes::ApprovalsPage as render_approvals;
    INVOICES => invoices::InvoicesPage as render_invoices;
    INVOICE => invoices::InvoicePrintPage as render_invoice;
});

// Orders and their timelines, services and their changes.
lazy_area!(orders {
    ORDERS => orders::OrdersPage as render_orders;
    ORDER => orders::OrderPage as render_order;
    SERVICES => services::ServicesPage as render_services;
    SERVICE => services::ServiceDetailPage as render_service;
});
