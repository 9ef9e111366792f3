//! One module a page.

pub mod account;
pub mod admin;
pub mod catalog;
pub mod home;
pub mod network;
pub mod not_found;
pub mod orgs;
pub mod product;
