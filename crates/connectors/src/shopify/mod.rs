//! Shopify's Admin GraphQL API, version [`API_VERSION`], with the app's Admin API access token
//! (`X-Shopify-Access-Token`).
//!
//! Orders are listed with one query, `orders(first:, after:, query: "updated_at:>='…'",
//! sortKey: UPDATED_AT)`, paged by cursor; an order with more line items than came with it has
//! the rest fetched by `order(id:) { lineItems(after:) }`. Calls are paced by the cost bucket
//! Shopify reports in `extensions.cost` (see `pacing`), so a long sync runs at the restore rate
//! without being throttled.
//!
//! Tracking goes back with `fulfillmentCreate` on the order's fulfillment orders that allow
//! `CREATE_FULFILLMENT`, after looking for a fulfillment that already carries the tracking
//! number (see `client/push.rs`); that needs the `write_fulfillments` and
//! `write_merchant_managed_fulfillment_orders` scopes, which the connection test checks.
//!
//! Shopify shows only the last 60 days of orders unless the app also has the
//! `read_all_orders` scope; older changes are invisible to this client without it.

mod client;
mod documents;
mod envelope;
mod pacing;
mod parse;
pub(crate) mod profile;
mod tracking;
mod wire;

pub use client::ShopifyClient;
pub use documents::documents;

/// The Admin API version every request names. Shopify supports each for about a year; the
/// connection test reports the version the store answered with (`X-Shopify-API-Version`),
/// which differs once this one is retired. The contract tests check the documents against
/// this version's schema.
pub const API_VERSION: &str = "2026-07";

#[cfg(test)]
mod contract;
#[cfg(test)]
mod fake_bucket;
#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod payment_contract;
