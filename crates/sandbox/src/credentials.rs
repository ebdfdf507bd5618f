//! The credentials each sandbox store accepts. They are public on purpose: the sandbox only
//! listens on loopback and holds made-up orders.

/// Admin API access token with every scope the app needs.
pub const SHOPIFY_TOKEN: &str = "shpat_sandbox";
/// A token whose app was not granted `read_orders`: `shop` answers, `orders` is denied.
pub const SHOPIFY_TOKEN_NO_ORDERS_SCOPE: &str = "shpat_sandbox_no_read_orders";
/// A token whose app was granted `read_orders` but no fulfillment scopes: it cannot see the
/// orders' fulfillment orders nor create fulfillments (tracking cannot be written back).
pub const SHOPIFY_TOKEN_NO_FULFILLMENT_SCOPES: &str = "shpat_sandbox_no_fulfillments";
pub const WOO_CONSUMER_KEY: &str = "ck_sandbox";
pub const WOO_CONSUMER_SECRET: &str = "cs_sandbox";
pub const BIGCOMMERCE_TOKEN: &str = "sandbox_bc_token";
/// The store hash in the BigCommerce base URL (`/stores/sandbox`).
pub const BIGCOMMERCE_STORE_HASH: &str = "sandbox";
/// The `X-API-TOKEN` the sandbox US Direct supplier accepts.
pub const SUPPLIER_TOKEN: &str = "usd_sandbox_token";
