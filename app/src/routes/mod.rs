//! One module a page.

pub mod account;
pub mod admin;
pub mod catalog;
pub mod designs;
pub mod home;
pub mod network;
pub mod not_found;
pub mod orders;
pub mod orgs;
pub mod product;
pub mod quotes;
pub mod services;

/// Declares the lazy routes of one area of the portal. Every page of an area is compiled into
/// one wasm module (`wasm_split` with the area's name), fetched the first time a page of the
/// area opens; code that several areas share lands in a few shared chunks. One module per area
/// rather than per page keeps a page's code in a handful of files (a module per page made
/// hundreds of tiny chunks, each a request and a wasm-opt run) while the first page of a visit
/// carries none of it. On the server, rendering a page of the area names the area's module, so
/// the page's HTML preloads exactly the files its hydration needs.
macro_rules! lazy_area {
    ($area:ident { $($route:ident => $page:path as $render:ident;)* }) => {$(
        pub struct $route;

        #[cfg_attr(
            feature = "hydrate",
            ::leptos::wasm_split::wasm_split($area, wasm_split_path = ::leptos::wasm_split)
        )]
        fn $render() -> ::leptos::prelude::AnyView {
            ::leptos::prelude::IntoAny::into_any($page())
        }

        impl ::leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> ::leptos::prelude::AnyView {
                #[cfg(feature = "hydrate")]
                let view = $render().await;
                #[cfg(not(feature = "hydrate"))]
                let view = {
                    ::leptos::prefetch_lazy_fn_on_server(stringify!($area));
                    $render()
                };
                view
            }
        }
    )*};
}

lazy_area!(account {
    SignUpRoute => account::SignUpPage as render_sign_up;
    SignInRoute => account::SignInPage as render_sign_in;
    AccountRoute => account::AccountPage as render_account;
    DashboardRoute => orgs::DashboardPage as render_dashboard;
    OrganisationsRoute => orgs::OrganisationsPage as render_organisations;
    OrganisationRoute => orgs::OrganisationPage as render_organisation;
});

lazy_area!(admin {
    AdminUsersRoute => admin::AdminUsersPage as render_admin_users;
    AdminCatalogRoute => admin::AdminCatalogPage as render_admin_catalog;
    PriceBooksRoute => admin::PriceBooksPage as render_price_books;
    PriceBookRoute => admin::PriceBookPage as render_price_book;
    AuditRoute => admin::AuditPage as render_audit;
    AdminNetworkRoute => admin::AdminNetworkPage as render_admin_network;
});

lazy_area!(designs {
    DesignsRoute => designs::DesignsPage as render_designs;
    NewDesignRoute => designs::NewDesignPage as render_new_design;
    DesignRoute => designs::DesignPage as render_design;
});

lazy_area!(orders {
    OrdersRoute => orders::OrdersPage as render_orders;
    OrderRoute => orders::OrderPage as render_order;
    ServicesRoute => services::ServicesPage as render_services;
    ServiceRoute => services::ServiceDetailPage as render_service;
});

lazy_area!(quotes {
    QuotesRoute => quotes::QuotesPage as render_quotes;
    QuoteEditorRoute => quotes::QuoteEditorPage as render_quote_editor;
    QuoteRoute => quotes::QuotePage as render_quote;
    QuotePrintRoute => quotes::QuotePrintPage as render_quote_print;
    ApprovalsRoute => quotes::ApprovalsPage as render_approvals;
});
