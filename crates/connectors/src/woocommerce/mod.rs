//! WooCommerce REST API v3 (`/wp-json/wc/v3`), authenticated with the store's consumer key and
//! secret (HTTP Basic over HTTPS).
//!
//! Orders are listed with `GET /wp-json/wc/v3/orders?modified_after=…&dates_are_gmt=true&
//! orderby=modified&order=asc&per_page=100&page=N`; `X-WP-TotalPages` says whether another page
//! follows. Money arrives as decimal strings and is parsed exactly.
//!
//! Tracking goes back through the Shipment Tracking extension where the store has it, else as
//! a customer note and status `completed` (`fulfillment`). The dealer's cancel sets status
//! `cancelled`, looking first (`cancel`).

mod cancel;
mod client;
mod fulfillment;
mod parse;
pub(crate) mod profile;
mod wire;

pub use client::WooClient;

#[cfg(test)]
mod contract;
#[cfg(test)]
mod tracking_contract;
