//! `GET /v2/store`: the store's profile, which clients show to confirm they reached the right
//! store.

use serde_json::{json, Value};

use crate::credentials::BIGCOMMERCE_STORE_HASH;

pub(crate) const STORE_NAME: &str = "Sandbox Store";

pub(crate) fn store_object(origin: &str) -> Value {
    json!({
        "id": BIGCOMMERCE_STORE_HASH,
        "account_uuid": "00000000-0000-4000-8000-000000000001",
        "domain": "sandbox-store.mybigcommerce.com",
        "secure_url": origin,
        "control_panel_base_url": origin,
        "status": "live",
        "name": STORE_NAME,
        "first_name": "Sandbox",
        "last_name": "Owner",
        "address": "500 W 2nd St\nAustin, TX 78701",
        "country": "United States",
        "country_code": "US",
        "phone": "+1 512-555-0100",
        "admin_email": "owner@sandbox-store.example.com",
        "order_email": "orders@sandbox-store.example.com",
        "timezone": {
            "name": "Etc/UTC",
            "raw_offset": 0,
            "dst_offset": 0,
            "dst_correction": false,
            "date_format": {
                "display": "M jS Y",
                "export": "M jS Y",
                "extended_display": "M jS Y @ g:i A",
            },
        },
        "language": "en",
        "currency": "USD",
        "currency_symbol": "$",
        "decimal_separator": ".",
        "thousands_separator": ",",
        "decimal_places": 2,
        "currency_symbol_location": "left",
        "weight_units": "LBS",
        "dimension_units": "Inches",
        "dimension_decimal_places": "2",
        "dimension_decimal_token": ".",
        "dimension_thousands_token": ",",
        "plan_name": "Sandbox",
        "plan_level": "Sandbox",
        "plan_is_trial": false,
        "industry": "Home & Garden",
        "is_price_entered_with_tax": false,
        "store_id": 1,
        "default_channel_id": 1,
        "default_site_id": 1,
        "features": {
            "stencil_enabled": false,
            "sitewidehttps_enabled": true,
            "facebook_catalog_id": "",
            "checkout_type": "optimized",
            "wishlists_enabled": false,
            "graphql_storefront_api_enabled": false,
            "shopper_consent_tracking_enabled": false,
            "multi_storefront_enabled": false,
        },
    })
}
