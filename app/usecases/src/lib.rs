//! The application layer: each use case (recommend, save a design, order, cancel, change
//! bandwidth, disconnect, the quote actions, the admin's edits…) is a plain async function of
//! who is asking ([`Caller`]) and typed input, returning the types in [`model`] or an
//! [`AppError`]. The browser's server functions (a session cookie) and the REST API (an API
//! token) are sibling adapters over the same functions, so no rule is written twice.
//!
//! This crate knows no UI framework and no HTTP. Without its `server` feature it is only
//! [`model`] and [`AppError`], the types both sides of a server function share, and compiles
//! for the browser; with it, the use cases over the store.

pub mod error;
pub mod model;
pub use error::AppError;

/// The use cases, one module per area; they exist only with the `server` feature.
macro_rules! use_cases {
    ($($area:ident),* $(,)?) => {
        $(
            #[cfg(feature = "server")]
            pub mod $area;
        )*
    };
}
use_cases!(
    accounts,
    admin,
    catalog,
    clouds,
    configure,
    designs,
    invoices,
    maintenance,
    network,
    orders,
    orgs,
    outages,
    passkeys,
    quotes,
    reference,
    services,
    sso,
    tokens,
    usage,
    webhooks
);

#[cfg(feature = "server")]
mod caller;
#[cfg(feature = "server")]
pub use caller::{total, Caller};
