//! The sandbox shop as a Shopify `Shop` object.

use serde_json::{json, Value};

pub(crate) const SHOP_NAME: &str = "Sandbox Store";

pub(crate) fn shop_object(origin: &str) -> Value {
    json!({
        "id": "gid://shopify/Shop/1",
        "name": SHOP_NAME,
        "email": "owner@sandbox-store.example.com",
        "contactEmail": "support@sandbox-store.example.com",
        "myshopifyDomain": "sandbox-store.myshopify.com",
        "url": origin,
        "currencyCode": "USD",
        "ianaTimezone": "Etc/UTC",
        "timezoneAbbreviation": "UTC",
        "weightUnit": "GRAMS",
    })
}
