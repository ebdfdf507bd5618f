//! Orders as the engine stores them and as front ends list them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Address, ChannelOrderId, Email, Environment, Money, Sku, StorePayment};
use crate::lifecycle::OrderStatus;

/// The store platform a channel speaks. Stored as its snake_case name (`channels.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
#[sqlx(rename_all = "snake_case")]
pub enum ChannelKind {
    Shopify,
    Woocommerce,
    Bigcommerce,
}

impl ChannelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Shopify => "shopify",
            ChannelKind::Woocommerce => "woocommerce",
            ChannelKind::Bigcommerce => "bigcommerce",
        }
    }

    /// The platform's name as its makers write it.
    pub fn display_name(self) -> &'static str {
        match self {
            ChannelKind::Shopify => "Shopify",
            ChannelKind::Woocommerce => "WooCommerce",
            ChannelKind::Bigcommerce => "BigCommerce",
        }
    }
}

/// Who made a change: shown on the order's timeline. Stored as its snake_case name
/// (`order_events.actor`, `orders.authorized_by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
#[sqlx(rename_all = "snake_case")]
pub enum Actor {
    /// The dealer, from the window or the CLI.
    Dealer,
    /// An auto-authorize rule.
    AutoRule,
    /// A scheduled or requested sync (import, supplier updates).
    Scheduler,
    /// The engine itself (seeding, migrations of data, routing checks).
    System,
    /// US Direct: its answers (order placed, payment authorized or declined, shipments).
    Supplier,
}

impl Actor {
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Dealer => "dealer",
            Actor::AutoRule => "auto_rule",
            Actor::Scheduler => "scheduler",
            Actor::System => "system",
            Actor::Supplier => "supplier",
        }
    }
}

/// One line of an order as it arrives from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrderLine {
    pub sku: Sku,
    pub title: String,
    pub quantity: u32,
    pub unit_price: Money,
    /// Shipping weight of one unit, for the supplier's weight rules.
    pub unit_weight_grams: u32,
}

/// An order as it arrives from the store, before the engine has stored it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    pub channel_order_id: ChannelOrderId,
    /// The number the dealer and the customer see (`#1001`).
    pub number: String,
    pub customer_name: String,
    pub customer_email: Option<Email>,
    pub ship_to: Address,
    pub lines: Vec<NewOrderLine>,
    pub shipping: Money,
    pub tax: Money,
    pub total: Money,
    pub placed_at: DateTime<Utc>,
    pub channel_updated_at: DateTime<Utc>,
    /// Whether the store has been paid for it: an order that is not paid is held before US
    /// Direct.
    pub store_payment: StorePayment,
}

/// A row of the Orders list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrderSummary {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// Name of the sales channel the order came from.
    pub channel: String,
    pub number: String,
    pub status: OrderStatus,
    pub customer_name: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total_minor: i64,
    pub currency: String,
    pub placed_at: DateTime<Utc>,
    /// Sandbox (a rehearsal) or Live, for good.
    pub environment: Environment,
}

/// One step of an order's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrderEvent {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub order_id: i64,
    pub at: DateTime<Utc>,
    pub from: Option<OrderStatus>,
    pub to: OrderStatus,
    pub actor: Actor,
    pub detail: String,
}
