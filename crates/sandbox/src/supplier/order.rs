//! One supplier order as the supplier keeps it, and its renderings: the contract's `Order`,
//! `OrderChange` and invoice, and the admin API's [`SupplierOrder`] (with the counters tests
//! assert on).

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::wire::{
    Address, Invoice, Money, Order, OrderChange, OrderItem, OrderStatus, PaymentStatus, Shipment,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StoredOrder {
    pub id: String,
    pub order_number: String,
    pub invoice_id: String,
    pub status: OrderStatus,
    pub hold_reason: Option<String>,
    pub payment_status: PaymentStatus,
    pub decline_reason: Option<String>,
    pub cancel_reason: Option<String>,
    /// Shipping is due `ship_delay` after this (set at authorization and on release from a
    /// hold); `None` while nothing should ship.
    pub ship_clock_from: Option<DateTime<Utc>>,
    pub shipping_address: Address,
    pub items: Vec<OrderItem>,
    pub shipping_method: String,
    pub product_cost_minor: i64,
    pub shipping_cost_minor: i64,
    /// A shipping surcharge (credit when negative) the invoice's total carries beside its
    /// items and shipping (`shippingAdjustmentMinor` in the settings).
    #[serde(default)]
    pub adjustment_minor: i64,
    pub shipments: Vec<Shipment>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Authorizations that took effect (declines excluded).
    pub times_authorized: u32,
}

impl StoredOrder {
    pub(crate) fn invoice(&self) -> Invoice {
        Invoice {
            id: self.invoice_id.clone(),
            total_product_cost: Money::usd(self.product_cost_minor),
            total_shipping_cost: Money::usd(self.shipping_cost_minor),
            // A credit never takes an invoice below nothing.
            total_cost: Money::usd(
                (self.product_cost_minor + self.shipping_cost_minor + self.adjustment_minor).max(0),
            ),
            payment_status: self.payment_status,
        }
    }

    fn hold_reason(&self) -> Option<String> {
        (self.status == OrderStatus::OnHold)
            .then(|| self.hold_reason.clone())
            .flatten()
    }

    pub(crate) fn to_order(&self) -> Order {
        Order {
            id: self.id.clone(),
            order_number: self.order_number.clone(),
            status: self.status,
            hold_reason: self.hold_reason(),
            invoice: self.invoice(),
            shipping_address: Some(self.shipping_address.clone()),
            items: Some(self.items.clone()),
            shipping_method: Some(self.shipping_method.clone()),
            shipments: self.shipments.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }

    pub(crate) fn to_change(&self) -> OrderChange {
        OrderChange {
            order_id: self.id.clone(),
            order_number: self.order_number.clone(),
            status: self.status,
            hold_reason: self.hold_reason(),
            invoice: self.invoice(),
            shipments: self.shipments.clone(),
            updated_at: self.updated_at,
        }
    }

    /// Lines already in a shipment (lines ship in order, whole).
    pub(crate) fn lines_shipped(&self) -> usize {
        self.shipments.iter().map(|s| s.shipment_items.len()).sum()
    }

    /// Marks a change at `now`, strictly after the previous one so `orderId` + `updatedAt`
    /// tells every change apart; returns the change's time.
    pub(crate) fn touch(&mut self, now: DateTime<Utc>) -> DateTime<Utc> {
        let at = now.max(self.updated_at + TimeDelta::milliseconds(1));
        self.updated_at = at;
        at
    }

    pub(crate) fn summary(&self, times_created: u32) -> SupplierOrder {
        SupplierOrder {
            id: self.id.clone(),
            order_number: self.order_number.clone(),
            status: self.status,
            hold_reason: self.hold_reason(),
            payment_status: self.payment_status,
            decline_reason: self.decline_reason.clone(),
            invoice: self.invoice(),
            items: self.items.clone(),
            shipments: self.shipments.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            times_created,
            times_authorized: self.times_authorized,
        }
    }
}

/// A supplier order as the admin API shows it (`GET /_sandbox/orders`): its state plus how
/// many times it was created and authorized, so tests can prove that retries never acted
/// twice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupplierOrder {
    pub id: String,
    pub order_number: String,
    pub status: OrderStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_reason: Option<String>,
    pub payment_status: PaymentStatus,
    /// Why the last authorization was declined, while the invoice is `Declined`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decline_reason: Option<String>,
    pub invoice: Invoice,
    pub items: Vec<OrderItem>,
    pub shipments: Vec<Shipment>,
    #[serde(with = "super::wire::time")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "super::wire::time")]
    pub updated_at: DateTime<Utc>,
    /// How many orders were created under this `orderNumber` (1 unless something is wrong).
    pub times_created: u32,
    /// Authorizations of the invoice that took effect (declines excluded).
    pub times_authorized: u32,
}
