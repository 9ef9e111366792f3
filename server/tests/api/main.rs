//! Black-box HTTP tests: each test starts the real server on a free port with a fresh
//! database — SQLite by default, PostgreSQL when `LIGHTPATH_TEST_POSTGRES_URL` is set.

mod helpers;

mod accounts;
mod approvals;
mod authorization;
mod buying;
mod capacity;
mod catalog_growth;
mod cloud;
mod cloud_connections;
mod cloud_routers;
mod configure;
mod credit;
mod delivery;
mod designs;
mod health;
mod invoices;
mod maintenance;
mod network_backend;
mod network_ops;
mod orders;
mod outages;
mod pages;
mod pagination;
mod passkeys;
mod price_books;
mod public_api;
mod quoted_cloud_items;
mod quotes;
mod rest;
mod roles;
mod second_factor;
mod second_review;
mod security;
mod services;
mod single_sign_on;
mod startup;
mod usage;
mod webhooks;
