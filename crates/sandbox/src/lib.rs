//! Loopback sandbox stores: HTTP servers on 127.0.0.1 that play a dealer's online store in the
//! real wire formats (Shopify Admin GraphQL [`SHOPIFY_API_VERSION`], WooCommerce REST v3, BigCommerce Orders
//! v2). They hold orders (optionally persisted to a state directory), answer the same requests a
//! real store would, and inject faults from a seeded RNG, so the app's Sandbox mode, the tests
//! and the benchmarks all exercise the real clients without any account.
//!
//! What a client talks to (credentials in the `*_TOKEN` / `WOO_*` constants):
//! - Shopify: `POST {base_url}/admin/api/{SHOPIFY_API_VERSION}/graphql.json` with
//!   `X-Shopify-Access-Token`;
//! - WooCommerce: `GET {base_url}/wp-json/wc/v3/orders[/<id>]` with HTTP Basic auth; for
//!   tracking, `PUT …/orders/<id>` (status), `GET|POST …/orders/<id>/notes` and the Shipment
//!   Tracking extension's `GET|POST {base_url}/wp-json/wc-shipment-tracking/v3/orders/<id>/
//!   shipment-trackings`;
//! - BigCommerce: `GET {base_url}/v2/orders[/<id>[/products|/shipping_addresses]]` and
//!   `GET|POST {base_url}/v2/orders/<id>/shipments` with `X-Auth-Token`, where `base_url`
//!   already ends in `/stores/sandbox`.
//!
//! Each store also serves an admin API at `{base_url}/_sandbox` (no auth, no faults) so another
//! process can drive a running sandbox: `GET|POST /orders` (an empty POST places the test
//! order), `POST /orders/random?count=&seed=`, `POST /orders/{id}/edit|cancel|malformed`,
//! `GET /stats`, `GET|PUT /faults` (PUT replaces the whole fault config), `GET|PUT /hostile`
//! (`{"case": "endless_pages"}`, see [`hostile`]), and for WooCommerce `GET|PUT /plugins`
//! (`{"shipment_tracking": bool}`).
//!
//! [`SandboxSupplier`] plays the dropship supplier, US Direct, on the contract of
//! docs/supplier-api.yaml (`{base_url}` ends in `/v1`, `X-API-TOKEN: SUPPLIER_TOKEN`); see
//! the [`supplier`] module.

// `json!` literals of full BigCommerce orders nest deeper than the default limit allows.
#![recursion_limit = "256"]

mod admin;
mod bigcommerce;
mod book;
mod catalog;
mod credentials;
mod dates;
mod error;
mod fault_layer;
mod faults;
mod geo;
pub mod hostile;
mod ids;
mod local;
mod model;
mod money;
mod persist;
mod poison;
mod random_orders;
mod sandbox;
mod server;
mod shopify;
mod state;
mod stats;
mod store;
pub mod supplier;
mod woocommerce;

pub use catalog::{store_line, CatalogItem, CATALOG, SUPPLIER_ONLY};
pub use credentials::{
    BIGCOMMERCE_STORE_HASH, BIGCOMMERCE_TOKEN, SHOPIFY_TOKEN, SHOPIFY_TOKEN_NO_FULFILLMENT_SCOPES,
    SHOPIFY_TOKEN_NO_ORDERS_SCOPE, SUPPLIER_TOKEN, WOO_CONSUMER_KEY, WOO_CONSUMER_SECRET,
};
pub use error::SandboxError;
pub use faults::Faults;
pub use hostile::Hostility;
pub use local::{advertise, Address, LocalSandbox};
pub use model::{
    NewFulfillment, OrderEdit, PlaceOrder, SandboxAddress, SandboxFulfilledLine,
    SandboxFulfillment, SandboxLine, SandboxNote, SandboxOrder, SandboxPayment, StoreKind,
};
pub use poison::{set_poison, Poison, PoisonSetting, CARRIER_MARKUP};
pub use sandbox::Sandbox;
pub use shopify::{
    ShopifyBucket, API_VERSION as SHOPIFY_API_VERSION, VERSION_HEADER as SHOPIFY_VERSION_HEADER,
};
pub use stats::Stats;
pub use store::{SandboxOptions, SandboxStore};
pub use supplier::{
    advertise_supplier, is_valid_ups_tracking_number, LocalSupplier, SandboxSupplier,
    SupplierOptions, SupplierOrder, SupplierSettings, SupplierStats,
};
