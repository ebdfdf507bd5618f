//! The sandbox stores over real HTTP on loopback, driven with reqwest as a client would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin;
mod bigcommerce;
mod faults;
mod persistence;
mod shopify;
mod shopify_fulfillment;
mod store_fulfillment;
mod supplier;
mod support;
mod woocommerce;
