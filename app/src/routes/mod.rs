//! One module a page.

pub mod catalog;
pub mod home;
pub mod network;
pub mod not_found;
pub mod product;
