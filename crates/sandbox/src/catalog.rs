//! The products the sandbox stores sell: a small US Direct-style catalog, so test and random
//! orders carry SKUs a supplier sandbox can map.

use crate::model::{PlaceOrder, SandboxAddress, SandboxLine};

/// One product of the sandbox catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatalogItem {
    pub sku: &'static str,
    pub title: &'static str,
    pub unit_price_minor: i64,
    pub grams: u32,
}

impl CatalogItem {
    pub fn line(&self, quantity: u32) -> SandboxLine {
        SandboxLine {
            sku: Some(self.sku.to_owned()),
            title: self.title.to_owned(),
            quantity,
            unit_price_minor: self.unit_price_minor,
            grams: self.grams,
            requires_shipping: true,
        }
    }
}

/// Every item weighs at most 2 kg so random orders (≤ 3 lines × 2 units) stay under the
/// supplier's 30 lb hold.
pub const CATALOG: &[CatalogItem] = &[
    item("USD-1001", "Sample Pack: Microfiber Cloth", 499, 60),
    item("USD-1002", "Stainless Water Bottle 20 oz", 1899, 340),
    item("USD-1003", "Bamboo Cutting Board", 2450, 1100),
    item("USD-1004", "LED Desk Lamp", 3999, 1450),
    item("USD-1005", "Cotton Throw Blanket", 3450, 1300),
    item("USD-1006", "Ceramic Coffee Mug Set (4)", 2899, 1900),
    item("USD-1007", "Wireless Phone Charger", 2199, 180),
    item("USD-1008", "Yoga Mat 6 mm", 2999, 1000),
    item("USD-1009", "Cast Iron Skillet 10 in", 3299, 2000),
    item("USD-1010", "Scented Soy Candle", 1450, 400),
    item("USD-1011", "Kids' Puzzle 100 pc", 1299, 450),
    item("USD-1012", "Garden Hose Nozzle", 999, 230),
];

/// Items the sandbox US Direct carries that the sandbox store's catalog above does not hold,
/// so the app never maps them by itself: a store that also sells these (a test order placed
/// with `dealer sandbox place-order --sku USD-2001`) has SKUs for "Match with US Direct" to find.
pub const SUPPLIER_ONLY: &[CatalogItem] = &[
    item("USD-2001", "Garden Kneeler Pad", 1999, 500),
    item("USD-2002", "Insulated Tumbler 30 oz", 2499, 450),
    item("USD-2003", "Picnic Blanket", 2999, 900),
];

/// A store line for `sku`: the catalog's item when either list holds it, else a product of the
/// dealer's own (another supplier's) at $9.99 and 200 g.
pub fn store_line(sku: &str) -> SandboxLine {
    match CATALOG.iter().chain(SUPPLIER_ONLY).find(|i| i.sku == sku) {
        Some(item) => item.line(1),
        None => SandboxLine {
            sku: Some(sku.to_owned()),
            title: format!("Store item {sku}"),
            quantity: 1,
            unit_price_minor: 999,
            grams: 200,
            requires_shipping: true,
        },
    }
}

const fn item(sku: &'static str, title: &'static str, price: i64, grams: u32) -> CatalogItem {
    CatalogItem {
        sku,
        title,
        unit_price_minor: price,
        grams,
    }
}

impl PlaceOrder {
    /// The low-dollar order the onboarding guide asks a new dealer to place: one $4.99 item,
    /// free shipping, Texas sales tax, shipped inside the lower 48.
    pub fn test_order() -> PlaceOrder {
        let sample = CATALOG[0];
        PlaceOrder {
            customer_first_name: "Taylor".to_owned(),
            customer_last_name: "Tester".to_owned(),
            email: "taylor.tester@example.com".to_owned(),
            ship_to: SandboxAddress {
                first_name: "Taylor".to_owned(),
                last_name: "Tester".to_owned(),
                address1: "500 W 2nd St".to_owned(),
                address2: Some("Suite 1900".to_owned()),
                city: "Austin".to_owned(),
                province_code: "TX".to_owned(),
                zip: "78701".to_owned(),
                country_code: "US".to_owned(),
                phone: Some("+1 512-555-0134".to_owned()),
            },
            lines: vec![sample.line(1)],
            shipping_minor: 0,
            tax_minor: 41,
            currency: "USD".to_owned(),
        }
    }
}
