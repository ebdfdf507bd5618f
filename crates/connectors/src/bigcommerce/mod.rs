//! BigCommerce Orders API v2 (`https://api.bigcommerce.com/stores/{store_hash}/v2`), with the
//! API account's `X-Auth-Token`.
//!
//! Orders are listed with `GET /v2/orders?min_date_modified=…&sort=date_modified:asc&page=N&
//! limit=250` (204 when there are none); each order's lines and ship-to come from
//! `/v2/orders/{id}/products` and `/v2/orders/{id}/shipping_addresses`, fetched a few orders at a
//! time. The rate-limit headers (`X-Rate-Limit-Requests-Left`, `X-Rate-Limit-Time-Reset-Ms`)
//! pause every request of the client when the window is spent.
//!
//! Tracking goes back as an order shipment (`POST /v2/orders/{id}/shipments`, `fulfillment`).
//! The dealer's cancel sets `status_id` 5, Cancelled, looking first (`cancel`).

mod cancel;
mod client;
mod fulfillment;
mod parse;
pub(crate) mod profile;
mod wire;

pub use client::BigCommerceClient;

#[cfg(test)]
mod contract;
#[cfg(test)]
mod shipment_contract;
