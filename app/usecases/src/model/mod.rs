//! The types the use cases take and return, one module per area. Server functions carry them
//! to the browser, so they compile for wasm and depend only on the domain and serde.

pub mod account;
pub mod admin;
pub mod catalog;
pub mod clouds;
pub mod configure;
pub mod designs;
pub mod invoices;
pub mod network;
pub mod orders;
pub mod orgs;
pub mod quotes;
pub mod reference;
pub mod services;
pub mod tokens;
pub mod usage;
pub mod webhooks;
