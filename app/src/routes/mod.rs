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

/// Declares a lazy route around a page component: the page's code (and whatever only it
/// uses) becomes a wasm chunk the browser fetches when the page is first opened, so the
/// first page of a visit stays small.
macro_rules! lazy_page {
    ($($route:ident => $page:path;)*) => {$(
        pub struct $route;

        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> leptos::prelude::AnyView {
                leptos::prelude::IntoAny::into_any($page())
            }
        }
    )*};
}

lazy_page! {
    SignUpRoute => account::SignUpPage;
    SignInRoute => account::SignInPage;
    AccountRoute => account::AccountPage;
    DashboardRoute => orgs::DashboardPage;
    OrganisationsRoute => orgs::OrganisationsPage;
    OrganisationRoute => orgs::OrganisationPage;
    AdminUsersRoute => admin::AdminUsersPage;
    AdminCatalogRoute => admin::AdminCatalogPage;
    PriceBooksRoute => admin::PriceBooksPage;
    PriceBookRoute => admin::PriceBookPage;
    AuditRoute => admin::AuditPage;
    AdminNetworkRoute => admin::AdminNetworkPage;
    DesignsRoute => designs::DesignsPage;
    NewDesignRoute => designs::NewDesignPage;
    DesignRoute => designs::DesignPage;
    OrdersRoute => orders::OrdersPage;
    OrderRoute => orders::OrderPage;
    ServicesRoute => services::ServicesPage;
    ServiceRoute => services::ServiceDetailPage;
    QuotesRoute => quotes::QuotesPage;
    QuoteEditorRoute => quotes::QuoteEditorPage;
    QuoteRoute => quotes::QuotePage;
    QuotePrintRoute => quotes::QuotePrintPage;
    ApprovalsRoute => quotes::ApprovalsPage;
}
