//! US Direct, the dropship supplier, over its API contract (`docs/supplier-api.yaml`, OpenAPI
//! 3.0.3): `createOrder`, `authorizePayment`, `listChanges`, `getOrder`, `cancelOrder` and
//! `getItem`, behind the engine's [`Supplier`](dealer_core::supplier::Supplier) trait.
//!
//! - **Token**: `X-API-TOKEN`, marked sensitive on the wire and scrubbed from every error.
//! - **Pacing**: the contract allows 2 requests per second per token; every client of the
//!   process with the same base URL and token starts its requests one spacing apart, and a 429
//!   holds them all for its `Retry-After`.
//! - **Retries**: 5xx, 408, 429, timeouts and dropped connections are retried inside the call
//!   (backoff with full jitter, or the server's `Retry-After`) with the same `Idempotency-Key`
//!   and the same body, so the supplier answers a retry from its record instead of acting
//!   twice. When the attempts run out the call fails with `Unavailable` or `RateLimited`, for
//!   the outbox to try again later with that key.
//! - **Refusals** are final: 400 `Invalid`, 401 `Unauthorized`, 404 `NotFound` (`getItem`:
//!   `None`), 409 `Conflict`, 422 `Refused`, each with the body's `code`, `message`, `field`.

mod client;
mod policy;
mod refusal;
mod wire;

pub use client::UsDirectClient;
pub use policy::{SupplierPolicy, CONTRACT_REQUESTS_PER_SECOND};

#[cfg(test)]
mod contract;
#[cfg(test)]
mod tests;
