//! The ids a store gives an order's parts. They are derived from the order (no extra state to
//! persist) and each format keeps its own id space, like the real platforms.

use crate::model::StoreKind;

/// Lines per order the derived line ids leave room for.
const LINES_PER_ORDER: u64 = 1_000;

/// The store's id for its `number`th order: Shopify's are 13-digit, WooCommerce's and
/// BigCommerce's equal the order number (their default).
pub(crate) fn order_id(kind: StoreKind, number: u64) -> u64 {
    match kind {
        StoreKind::Shopify => 5_730_000_000_000 + number,
        StoreKind::Woocommerce | StoreKind::Bigcommerce => number,
    }
}

/// The id of the line at `index` (Shopify `LineItem`, Woo line item, BigCommerce order product).
pub(crate) fn line_id(kind: StoreKind, number: u64, index: usize) -> u64 {
    let base = match kind {
        StoreKind::Shopify => 13_400_000_000_000,
        StoreKind::Woocommerce | StoreKind::Bigcommerce => 0,
    };
    base + number * LINES_PER_ORDER + index as u64 + 1
}

/// The id of the order's (single) shipping address.
pub(crate) fn address_id(kind: StoreKind, number: u64) -> u64 {
    match kind {
        StoreKind::Shopify => 7_100_000_000_000 + number,
        StoreKind::Woocommerce | StoreKind::Bigcommerce => number * 10 + 1,
    }
}

/// A stable id for a name (customer email, SKU): the same input gets the same id in every run.
pub(crate) fn stable_id(namespace: u64, text: &str) -> u64 {
    namespace + fnv1a(text) % 1_000_000_000
}

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
