//! The orders a sandbox store holds, in no particular wire format. Money is integer minor units
//! of `currency`; each wire format renders it its own way.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which store a sandbox server plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    Shopify,
    Woocommerce,
    Bigcommerce,
}

impl StoreKind {
    pub const ALL: [StoreKind; 3] = [Self::Shopify, Self::Woocommerce, Self::Bigcommerce];

    /// The snake_case name, as in JSON and in state file names.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Shopify => "shopify",
            Self::Woocommerce => "woocommerce",
            Self::Bigcommerce => "bigcommerce",
        }
    }
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A postal address as the dealer's customer typed it at checkout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxAddress {
    pub first_name: String,
    pub last_name: String,
    pub address1: String,
    #[serde(default)]
    pub address2: Option<String>,
    pub city: String,
    /// ISO 3166-2 subdivision code without the country, e.g. `TX`.
    pub province_code: String,
    pub zip: String,
    /// ISO 3166-1 alpha-2, e.g. `US`.
    pub country_code: String,
    #[serde(default)]
    pub phone: Option<String>,
}

/// One line of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxLine {
    #[serde(default)]
    pub sku: Option<String>,
    pub title: String,
    pub quantity: u32,
    pub unit_price_minor: i64,
    /// Weight of one unit.
    #[serde(default)]
    pub grams: u32,
    /// False for a digital product or a gift card: the store does not ship it.
    #[serde(default = "shipped")]
    pub requires_shipping: bool,
}

fn shipped() -> bool {
    true
}

/// What a shopper checks out with; the store assigns the id, number and times.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceOrder {
    pub customer_first_name: String,
    pub customer_last_name: String,
    pub email: String,
    pub ship_to: SandboxAddress,
    pub lines: Vec<SandboxLine>,
    #[serde(default)]
    pub shipping_minor: i64,
    #[serde(default)]
    pub tax_minor: i64,
    #[serde(default = "default_currency")]
    pub currency: String,
}

fn default_currency() -> String {
    "USD".to_owned()
}

/// Whether the shopper's payment reached the store, as each platform shows it: Shopify's
/// `displayFinancialStatus` and `risk`, WooCommerce's status, BigCommerce's status id.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SandboxPayment {
    /// Captured: what a card checkout gives.
    #[default]
    Paid,
    /// Not paid yet (a bank transfer or manual payment the store still waits for).
    Unpaid,
    /// Paid, but the store's fraud checks flag it (Shopify: recommendation CANCEL, risk HIGH;
    /// BigCommerce: Manual Verification Required; WooCommerce, which has no risk of its own:
    /// on-hold, as fraud plugins leave it).
    HighRisk,
}

/// An order as the store holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxOrder {
    /// The store's id for the order (what its API uses in URLs and GIDs).
    pub id: u64,
    /// The number the dealer and shopper see: 1001, 1002, …
    pub number: u64,
    pub created_at: DateTime<Utc>,
    /// Strictly increasing across every change in the store, so "changed since" is exact.
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Who cancelled it through the API and why (Shopify's staff note; the others keep none,
    /// so the sandbox notes `"api"`). `None` for an order cancelled in the store's admin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_note: Option<String>,
    pub customer_first_name: String,
    pub customer_last_name: String,
    pub email: String,
    pub ship_to: SandboxAddress,
    pub lines: Vec<SandboxLine>,
    pub shipping_minor: i64,
    pub tax_minor: i64,
    pub currency: String,
    /// Served with a broken field (see `SandboxStore::make_malformed`).
    #[serde(default)]
    pub malformed: bool,
    /// What the store recorded as shipped (Shopify fulfillments, WooCommerce shipment
    /// trackings, BigCommerce shipments), oldest first.
    #[serde(default)]
    pub fulfillments: Vec<SandboxFulfillment>,
    /// Notes on the order (WooCommerce order notes; `customer_note` ones the shopper sees).
    #[serde(default)]
    pub notes: Vec<SandboxNote>,
    /// Set when the store marked the order done (WooCommerce status `completed`).
    #[serde(default)]
    pub completed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub payment: SandboxPayment,
}

/// A shipment the store recorded for an order, with its tracking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxFulfillment {
    /// The store's id for it (unique across the store).
    pub id: u64,
    pub tracking_number: String,
    /// The carrier as the store names it (Shopify's company, Woo's provider, BigCommerce's
    /// shipping provider).
    pub carrier: String,
    #[serde(default)]
    pub tracking_url: Option<String>,
    /// Which lines (by position in `SandboxOrder::lines`) and how many of each.
    pub lines: Vec<SandboxFulfilledLine>,
    pub created_at: DateTime<Utc>,
    /// What the format's API was sent that the fields above do not hold, to echo back as the
    /// store would (WooCommerce's `date_shipped` and custom provider, BigCommerce's
    /// `shipping_provider`, `tracking_carrier`, `comments`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxFulfilledLine {
    pub position: usize,
    pub quantity: u32,
}

/// What a client asks the store to record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewFulfillment {
    pub tracking_number: String,
    pub carrier: String,
    pub tracking_url: Option<String>,
    pub lines: Vec<SandboxFulfilledLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxNote {
    pub id: u64,
    pub note: String,
    pub customer_note: bool,
    pub created_at: DateTime<Utc>,
}

impl SandboxOrder {
    pub fn subtotal_minor(&self) -> i64 {
        self.lines.iter().map(line_total_minor).sum()
    }

    pub fn total_minor(&self) -> i64 {
        self.subtotal_minor() + self.shipping_minor + self.tax_minor
    }

    /// Units of line `position` not yet in a fulfillment.
    pub fn unfulfilled(&self, position: usize) -> u32 {
        let ordered = self.lines.get(position).map_or(0, |line| line.quantity);
        let shipped: u32 = self
            .fulfillments
            .iter()
            .flat_map(|f| &f.lines)
            .filter(|line| line.position == position)
            .map(|line| line.quantity)
            .sum();
        ordered.saturating_sub(shipped)
    }

    pub fn total_grams(&self) -> u64 {
        self.lines
            .iter()
            .map(|line| u64::from(line.grams) * u64::from(line.quantity))
            .sum()
    }

    pub fn item_count(&self) -> u64 {
        self.lines.iter().map(|line| u64::from(line.quantity)).sum()
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled_at.is_some()
    }
}

pub(crate) fn line_total_minor(line: &SandboxLine) -> i64 {
    line.unit_price_minor * i64::from(line.quantity)
}

/// A change the dealer's customer (or the dealer) makes to an order after checkout.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderEdit {
    pub ship_to: Option<SandboxAddress>,
    pub email: Option<String>,
    pub lines: Option<Vec<SandboxLine>>,
}
