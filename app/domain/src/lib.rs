//! `lightpath-domain`: the pure core of Lightpath.
//!
//! Catalog and price book types, exact money, the network model and the validation newtypes
//! that every other layer builds on. No IO lives here (no leptos, sqlx or tokio), so the same
//! code runs in the browser (wasm32) and on the server, and its tests run in seconds.

pub mod account;
pub mod approval;
pub mod billing;
pub mod catalog;
pub mod cloud;
pub mod cloud_router;
pub mod configure;
pub mod credit;
pub mod csv;
pub mod design;
pub mod faults;
pub mod maintenance;
pub mod money;
pub mod network;
pub mod order;
pub mod order_plan;
pub mod outage;
pub mod policy;
pub mod price_book;
pub mod pricing;
pub mod quote;
pub mod recommend;
pub mod records;
pub mod retry;
pub mod routing;
pub mod service;
pub mod sso;
pub mod time;
pub mod usage;
pub mod webhooks;

pub use catalog::{Bandwidth, LifecycleStage, Product, ProductId, ProductOption, Term};
pub use money::Money;
pub use network::{Coordinates, Site, SiteId, SiteKind, Span, SpanId};
pub use price_book::{Charge, PriceBook, PriceLine, PriceUnit, TermAdjustment};
