//! Orders as the engine stores them and as front ends list them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Address, ChannelOrderId, Email, Environment, Money, Sku, StorePayment};
use crate::lifecycle::OrderStatus;
use crate::{Error, Result};

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
    /// The store's SKU; `None` for a line the store gives none (gift wrap, a custom line): it
    /// is never a US Direct item.
    pub sku: Option<Sku>,
    pub title: String,
    pub quantity: u32,
    pub unit_price: Money,
    /// Shipping weight of one unit, for the supplier's weight rules.
    pub unit_weight_grams: u32,
    /// False for a line the store says is not shipped (a digital product, a gift card, a
    /// service): it is never a US Direct item.
    pub requires_shipping: bool,
}

impl NewOrderLine {
    /// The SKU as stored: the empty text for a line without one.
    pub fn sku_text(&self) -> &str {
        self.sku.as_ref().map_or("", Sku::as_str)
    }
}

/// Where a line of an order goes, decided when the order is routed (the SKU map of that
/// moment): only US Direct lines are sent to US Direct. Stored as its snake_case name
/// (`order_lines.destination`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
#[sqlx(rename_all = "snake_case")]
pub enum LineDestination {
    /// Its SKU is mapped to a US Direct item: sent to US Direct.
    UsDirect,
    /// Its SKU is not in the SKU map: another supplier's item, fulfilled by the dealer.
    OtherSupplier,
    /// The store gives it no SKU (gift wrap, a custom line).
    NoSku,
    /// The store says it is not shipped (a digital product, a gift card).
    NotShipped,
}

impl LineDestination {
    /// What the order page says about a line that goes there.
    pub fn label(self) -> &'static str {
        match self {
            LineDestination::UsDirect => "US Direct",
            LineDestination::OtherSupplier => "Not for US Direct: not in the SKU map",
            LineDestination::NoSku => "Not for US Direct: no SKU",
            LineDestination::NotShipped => "Not for US Direct: not shipped",
        }
    }

    /// The destination of a line with `sku` (empty for none) that `requires_shipping`, given
    /// whether the SKU is mapped to a US Direct item.
    pub fn of(sku: &str, requires_shipping: bool, mapped: bool) -> Self {
        if sku.trim().is_empty() {
            LineDestination::NoSku
        } else if !requires_shipping {
            LineDestination::NotShipped
        } else if mapped {
            LineDestination::UsDirect
        } else {
            LineDestination::OtherSupplier
        }
    }
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

impl NewOrder {
    /// The items before shipping and tax: each line's unit price times its quantity. The
    /// numbers are the store's: a product or a sum too large for an amount is an error that
    /// names the line, never a wrapped or panicking sum.
    pub fn subtotal(&self) -> Result<Money> {
        let mut subtotal = Money::new(0, self.total.currency.clone());
        for (index, line) in self.lines.iter().enumerate() {
            let index = index + 1;
            if line.quantity == 0 {
                return Err(Error::invalid(
                    "quantity",
                    format!("line {index} ({}) has quantity 0", line.title),
                ));
            }
            let line_total = line
                .unit_price
                .minor
                .checked_mul(i64::from(line.quantity))
                .map(|minor| Money::new(minor, line.unit_price.currency.clone()))
                .ok_or_else(|| {
                    Error::invalid(
                        "amount",
                        format!(
                            "line {index} ({}): {} × {} is more than an amount can hold",
                            line.title, line.quantity, line.unit_price
                        ),
                    )
                })?;
            subtotal = subtotal.checked_add(&line_total).map_err(|_| {
                Error::invalid(
                    "amount",
                    format!(
                        "the line totals add up to more than an amount can hold (at line {index}, \
                         {})",
                        line.title
                    ),
                )
            })?;
        }
        Ok(subtotal)
    }
}

/// The shipping weight of `lines` in grams: each unit's weight times its quantity, summed.
/// `None` when the store's numbers add up past what a `u64` holds (no parcel weighs that: a
/// weight or quantity in the store is wrong).
pub fn total_weight_grams(lines: &[NewOrderLine]) -> Option<u64> {
    lines.iter().try_fold(0_u64, |sum, line| {
        u64::from(line.unit_weight_grams)
            .checked_mul(u64::from(line.quantity))
            .and_then(|grams| sum.checked_add(grams))
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;

    fn line(quantity: u32, unit_price_minor: i64, unit_weight_grams: u32) -> NewOrderLine {
        NewOrderLine {
            sku: Some(Sku::parse("MUG-1").unwrap()),
            title: "Mug".into(),
            quantity,
            unit_price: Money::new(unit_price_minor, Currency::usd()),
            unit_weight_grams,
            requires_shipping: true,
        }
    }

    fn order(lines: Vec<NewOrderLine>) -> NewOrder {
        let usd = |minor| Money::new(minor, Currency::usd());
        NewOrder {
            channel_order_id: ChannelOrderId::parse("1").unwrap(),
            number: "#1".into(),
            customer_name: "Jane Doe".into(),
            customer_email: None,
            ship_to: Address {
                name: "Jane Doe".into(),
                line1: "1 Main St".into(),
                line2: None,
                city: "Springfield".into(),
                state_code: "IL".into(),
                postal_code: "62701".into(),
                country_code: "US".into(),
                phone: None,
            },
            lines,
            shipping: usd(0),
            tax: usd(0),
            total: usd(0),
            placed_at: Utc::now(),
            channel_updated_at: Utc::now(),
            store_payment: StorePayment::Paid,
        }
    }

    #[test]
    fn subtotal_is_checked_line_by_line_and_in_the_sum() {
        assert_eq!(
            order(vec![line(2, 1_250, 0), line(1, 500, 0)])
                .subtotal()
                .unwrap()
                .minor,
            3_000
        );
        let product = order(vec![line(2, i64::MAX, 0)]).subtotal().unwrap_err();
        assert!(product.to_string().contains("line 1 (Mug)"), "{product}");
        let sum = order(vec![line(1, i64::MAX, 0), line(1, 1, 0)])
            .subtotal()
            .unwrap_err();
        assert!(sum.to_string().contains("add up"), "{sum}");
        let huge = order(vec![line(u32::MAX, i64::MAX / 2, 0)]).subtotal();
        assert!(huge.is_err());
    }

    #[test]
    fn a_line_goes_to_us_direct_only_with_a_sku_that_ships_and_is_mapped() {
        use LineDestination::*;
        assert_eq!(LineDestination::of("USD-1001", true, true), UsDirect);
        assert_eq!(LineDestination::of("OWN-7", true, false), OtherSupplier);
        assert_eq!(LineDestination::of(" ", true, true), NoSku);
        assert_eq!(LineDestination::of("GIFTCARD-25", false, true), NotShipped);
        assert!(OtherSupplier.label().starts_with("Not for US Direct"));
    }

    #[test]
    fn weight_never_wraps() {
        assert_eq!(
            total_weight_grams(&[line(3, 0, 454), line(1, 0, 1)]),
            Some(1_363)
        );
        // Each line alone fits in a u64; two of them do not. A wrapped sum would be light.
        let heavy = line(u32::MAX, 0, u32::MAX);
        assert!(total_weight_grams(std::slice::from_ref(&heavy)).is_some());
        assert_eq!(total_weight_grams(&[heavy.clone(), heavy]), None);
    }
}
