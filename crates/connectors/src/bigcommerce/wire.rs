//! The parts of BigCommerce's v2 order, order product and order shipping address the engine
//! uses. Amounts are "Float, Float-As-String, Integer" in the spec, hence [`DecimalText`].

use serde::Deserialize;

use crate::decimal::DecimalText;

#[derive(Debug, Deserialize)]
pub(crate) struct BcOrder {
    pub id: u64,
    /// RFC 2822, e.g. `Wed, 10 Jan 2018 21:05:30 +0000`.
    pub date_created: String,
    pub date_modified: String,
    pub status_id: i64,
    pub status: Option<String>,
    pub shipping_cost_ex_tax: DecimalText,
    pub total_tax: DecimalText,
    pub total_inc_tax: DecimalText,
    /// The display currency.
    pub currency_code: Option<String>,
    /// The transactional currency: what the shopper paid in, and what the amounts are in.
    pub default_currency_code: Option<String>,
    pub billing_address: Option<BcAddress>,
}

/// A billing address, or one entry of `/orders/{id}/shipping_addresses`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct BcAddress {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub street_1: Option<String>,
    pub street_2: Option<String>,
    pub city: Option<String>,
    /// The state's name ("Texas").
    pub state: Option<String>,
    pub zip: Option<String>,
    pub country_iso2: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// One entry of `/orders/{id}/products`.
#[derive(Debug, Deserialize)]
pub(crate) struct BcProduct {
    pub name: String,
    pub sku: Option<String>,
    pub quantity: i64,
    pub price_ex_tax: DecimalText,
    /// In the store's weight unit.
    pub weight: Option<DecimalText>,
    /// "physical" or "digital".
    #[serde(default)]
    pub r#type: Option<String>,
}

/// `GET /v2/store`, the Store Information API.
#[derive(Debug, Deserialize)]
pub(crate) struct BcStore {
    pub name: String,
    /// "LBS", "Ounces", "KGS", "Grams" or "Tonnes".
    pub weight_units: Option<String>,
}

/// One entry of `/orders/{id}/shipments`: its id and tracking number.
#[derive(Debug, Deserialize)]
pub(crate) struct BcShipment {
    pub id: u64,
    pub tracking_number: Option<String>,
}

/// What a shipment needs of an order product: its id (the shipment's `order_product_id`), SKU,
/// how many were ordered and shipped, and the address it goes to.
#[derive(Debug, Deserialize)]
pub(crate) struct BcShipProduct {
    pub id: u64,
    pub sku: Option<String>,
    pub quantity: i64,
    #[serde(default)]
    pub quantity_shipped: i64,
    pub order_address_id: Option<u64>,
}

/// One entry of `/orders/{id}/shipping_addresses`: its id (the shipment's `order_address_id`).
#[derive(Debug, Deserialize)]
pub(crate) struct BcAddressId {
    pub id: u64,
}
