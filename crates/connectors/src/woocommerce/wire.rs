//! The parts of a WooCommerce order (`GET /wp-json/wc/v3/orders`) the engine uses. Everything
//! the store may leave out is optional here; the mapper decides what is required.

use serde::Deserialize;

use crate::decimal::DecimalText;

#[derive(Debug, Deserialize)]
pub(crate) struct WooOrder {
    pub id: u64,
    /// Usually the id as a string; order-number plugins make it their own.
    pub number: Option<serde_json::Value>,
    pub status: String,
    pub currency: String,
    pub date_created_gmt: Option<String>,
    pub date_modified_gmt: Option<String>,
    pub shipping_total: DecimalText,
    pub total_tax: DecimalText,
    pub total: DecimalText,
    pub billing: Option<WooAddress>,
    pub shipping: Option<WooAddress>,
    #[serde(default)]
    pub line_items: Vec<WooLine>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct WooAddress {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub address_1: Option<String>,
    pub address_2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    /// Billing only.
    pub email: Option<String>,
    /// Billing always; shipping since WooCommerce 5.6.
    pub phone: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct WooLine {
    pub name: String,
    pub quantity: i64,
    /// The line before discounts, excluding tax.
    pub subtotal: DecimalText,
    pub sku: Option<String>,
}

/// `GET /wp-json/`: the site index.
#[derive(Debug, Deserialize)]
pub(crate) struct SiteIndex {
    pub name: Option<String>,
    #[serde(default)]
    pub namespaces: Vec<String>,
}

/// An item of the Shipment Tracking extension (`wc-shipment-tracking/v3`): its id and number.
#[derive(Debug, Deserialize)]
pub(crate) struct WooTracking {
    pub tracking_id: String,
    #[serde(default)]
    pub tracking_number: String,
}

/// An order note (`/orders/<id>/notes`).
#[derive(Debug, Deserialize)]
pub(crate) struct WooNote {
    pub id: u64,
    #[serde(default)]
    pub note: String,
}

/// The order's status, read before completing it.
#[derive(Debug, Deserialize)]
pub(crate) struct WooOrderStatus {
    pub status: String,
}

/// WordPress's REST error body, `{code, message, data}`: the code says which 404 it is.
#[derive(Debug, Deserialize)]
pub(crate) struct WpError {
    pub code: String,
}
