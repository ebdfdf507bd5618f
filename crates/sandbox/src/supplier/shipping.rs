//! Time-driven fulfillment: an authorized order ships `ship_delay` after authorization (or
//! after release from a hold), by UPS Ground, and its invoice is captured (`Paid`) at the first
//! shipment. With split shipments an order of two or more lines ships its first line at the
//! delay (`Partially Shipped`) and the rest at twice the delay. Nothing runs on a timer of its
//! own: [`SupplierBook::advance`] catches up with the clock whenever it is called (on every
//! request and on a light background tick), so a supplier restarted from its state file ships
//! on schedule, with the times the shipments were due.

use chrono::{DateTime, TimeDelta, Utc};

use super::book::SupplierBook;
use super::ups;
use super::wire::{OrderStatus, PaymentStatus, Shipment, ShipmentItem};

const FIRST_SHIPMENT: u64 = 88_001;

impl SupplierBook {
    /// Ships everything due by `now`.
    pub(crate) fn advance(&mut self, now: DateTime<Utc>) {
        for index in 0..self.data.orders.len() {
            while let Some((lines, due)) = self.next_shipment(index) {
                if due > now {
                    break;
                }
                self.ship(index, lines, due, now);
            }
        }
    }

    /// The next shipment the order at `index` is waiting for: (lines, when it is due).
    fn next_shipment(&self, index: usize) -> Option<(usize, DateTime<Utc>)> {
        let order = &self.data.orders[index];
        if !matches!(
            order.status,
            OrderStatus::Processing | OrderStatus::PartiallyShipped
        ) {
            return None;
        }
        let from = order.ship_clock_from?;
        let settings = &self.data.settings;
        let delay = TimeDelta::from_std(settings.ship_delay).unwrap_or(TimeDelta::MAX);
        let total = order.items.len();
        let shipped = order.lines_shipped();
        if shipped >= total {
            return None;
        }
        let (lines, after) = if settings.split_shipments && total >= 2 && shipped == 0 {
            (1, delay)
        } else if settings.split_shipments && total >= 2 {
            (
                total - shipped,
                delay.checked_mul(2).unwrap_or(TimeDelta::MAX),
            )
        } else {
            (total - shipped, delay)
        };
        let due = from
            .checked_add_signed(after)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        Some((lines, due))
    }

    /// Ships the next `lines` lines of the order at `index` as one UPS Ground package.
    pub(super) fn ship(
        &mut self,
        index: usize,
        lines: usize,
        shipped_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) {
        let serial = self.data.shipments_made;
        self.data.shipments_made += 1;
        let tracking_number = ups::tracking_number(serial);
        let order = &mut self.data.orders[index];
        let first = order.lines_shipped();
        let end = (first + lines).min(order.items.len());
        let shipment = Shipment {
            id: format!("SHP-{}", FIRST_SHIPMENT + serial),
            tracking_url: ups::tracking_url(&tracking_number),
            tracking_number,
            carrier: "UPS".to_owned(),
            method: "Ground".to_owned(),
            shipped_at,
            shipment_items: order.items[first..end]
                .iter()
                .map(|item| ShipmentItem {
                    sku: item.sku.clone(),
                    quantity: item.quantity,
                })
                .collect(),
        };
        order.shipments.push(shipment);
        order.status = if order.lines_shipped() >= order.items.len() {
            OrderStatus::Shipped
        } else {
            OrderStatus::PartiallyShipped
        };
        order.payment_status = PaymentStatus::Paid;
        self.changed(index, now);
    }
}
