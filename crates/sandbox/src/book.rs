//! A store's orders and the rules for changing them: numbers from #1001, and an `updated_at`
//! that strictly increases across every change in the store (`max(now, last + 1 ms)`), so a
//! "changed since" filter never misses or reorders a change.

use std::collections::BTreeMap;

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};

use crate::error::SandboxError;
use crate::ids;
use crate::model::{
    NewFulfillment, OrderEdit, PlaceOrder, SandboxFulfilledLine, SandboxFulfillment, SandboxNote,
    SandboxOrder, SandboxPayment, StoreKind,
};

const FIRST_NUMBER: u64 = 1001;

#[derive(Debug)]
pub(crate) struct OrderBook {
    kind: StoreKind,
    orders: BTreeMap<u64, SandboxOrder>,
    next_number: u64,
    last_stamp: Option<DateTime<Utc>>,
}

impl OrderBook {
    pub(crate) fn new(kind: StoreKind) -> Self {
        Self::from_orders(kind, Vec::new())
    }

    /// Picks up numbering and the clock where a saved store left off.
    pub(crate) fn from_orders(kind: StoreKind, orders: Vec<SandboxOrder>) -> Self {
        let next_number = orders
            .iter()
            .map(|order| order.number + 1)
            .max()
            .unwrap_or(FIRST_NUMBER);
        let last_stamp = orders.iter().map(|order| order.updated_at).max();
        let orders = orders.into_iter().map(|order| (order.id, order)).collect();
        Self {
            kind,
            orders,
            next_number,
            last_stamp,
        }
    }

    pub(crate) fn kind(&self) -> StoreKind {
        self.kind
    }

    pub(crate) fn get(&self, id: u64) -> Option<&SandboxOrder> {
        self.orders.get(&id)
    }

    /// Every order, by id.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &SandboxOrder> {
        self.orders.values()
    }

    pub(crate) fn place(&mut self, order: PlaceOrder) -> SandboxOrder {
        self.place_with(order, SandboxPayment::Paid)
    }

    /// Places an order whose payment is in the state given (unpaid, or flagged as a risk).
    pub(crate) fn place_with(
        &mut self,
        order: PlaceOrder,
        payment: SandboxPayment,
    ) -> SandboxOrder {
        let number = self.next_number;
        self.next_number += 1;
        let now = self.stamp();
        let placed = SandboxOrder {
            id: ids::order_id(self.kind, number),
            number,
            created_at: now,
            updated_at: now,
            cancelled_at: None,
            cancel_note: None,
            customer_first_name: order.customer_first_name,
            customer_last_name: order.customer_last_name,
            email: order.email,
            ship_to: order.ship_to,
            lines: order.lines,
            shipping_minor: order.shipping_minor,
            tax_minor: order.tax_minor,
            currency: order.currency,
            malformed: false,
            fulfillments: Vec::new(),
            notes: Vec::new(),
            completed_at: None,
            payment,
        };
        self.orders.insert(placed.id, placed.clone());
        placed
    }

    pub(crate) fn edit(&mut self, id: u64, edit: OrderEdit) -> Result<SandboxOrder, SandboxError> {
        self.change(id, |order, _| {
            if let Some(ship_to) = edit.ship_to {
                order.ship_to = ship_to;
            }
            if let Some(email) = edit.email {
                order.email = email;
            }
            if let Some(lines) = edit.lines {
                order.lines = lines;
            }
            Ok(())
        })
    }

    /// Cancels the order as a client's API call does, keeping `note`.
    pub(crate) fn cancel_with_note(
        &mut self,
        id: u64,
        note: String,
    ) -> Result<SandboxOrder, SandboxError> {
        self.change(id, |order, now| {
            if order.cancelled_at.is_some() {
                return Err(SandboxError::AlreadyCancelled(id));
            }
            order.cancelled_at = Some(now);
            order.cancel_note = Some(note);
            Ok(())
        })
    }

    pub(crate) fn cancel(&mut self, id: u64) -> Result<SandboxOrder, SandboxError> {
        self.change(id, |order, now| {
            if order.cancelled_at.is_some() {
                return Err(SandboxError::AlreadyCancelled(id));
            }
            order.cancelled_at = Some(now);
            Ok(())
        })
    }

    /// Records a fulfillment (lines must still be unfulfilled), as the store does on a
    /// fulfillment or shipment call. Ids are unique across the store.
    pub(crate) fn fulfill(
        &mut self,
        id: u64,
        new: NewFulfillment,
    ) -> Result<(SandboxOrder, SandboxFulfillment), SandboxError> {
        self.fulfill_with(id, new, BTreeMap::new())
    }

    /// [`OrderBook::fulfill`], keeping what else the format's API was sent (`details`).
    pub(crate) fn fulfill_with(
        &mut self,
        id: u64,
        new: NewFulfillment,
        details: BTreeMap<String, String>,
    ) -> Result<(SandboxOrder, SandboxFulfillment), SandboxError> {
        self.record_fulfillment(id, details, |order| {
            if new.lines.is_empty() {
                return Err(SandboxError::InvalidFulfillment(
                    "a fulfillment needs at least one line".into(),
                ));
            }
            for line in &new.lines {
                if line.quantity == 0 || line.quantity > order.unfulfilled(line.position) {
                    return Err(SandboxError::InvalidFulfillment(format!(
                        "line {} has {} unfulfilled; {} asked",
                        line.position,
                        order.unfulfilled(line.position),
                        line.quantity
                    )));
                }
            }
            Ok(new)
        })
    }

    /// Records tracking that names no lines (WooCommerce's Shipment Tracking has none): it
    /// takes every unit still unshipped, which may be none when earlier tracking took them all.
    /// `new.lines` is ignored.
    pub(crate) fn fulfill_remaining(
        &mut self,
        id: u64,
        new: NewFulfillment,
        details: BTreeMap<String, String>,
    ) -> Result<(SandboxOrder, SandboxFulfillment), SandboxError> {
        self.record_fulfillment(id, details, |order| {
            let lines = (0..order.lines.len())
                .map(|position| SandboxFulfilledLine {
                    position,
                    quantity: order.unfulfilled(position),
                })
                .filter(|line| line.quantity > 0)
                .collect();
            Ok(NewFulfillment { lines, ..new })
        })
    }

    /// Appends the fulfillment `decide` makes from the order as it stands (or changes nothing
    /// if it refuses).
    fn record_fulfillment(
        &mut self,
        id: u64,
        details: BTreeMap<String, String>,
        decide: impl FnOnce(&SandboxOrder) -> Result<NewFulfillment, SandboxError>,
    ) -> Result<(SandboxOrder, SandboxFulfillment), SandboxError> {
        let fulfillment_id = self
            .orders
            .values()
            .flat_map(|order| order.fulfillments.iter().map(|f| f.id))
            .max()
            .unwrap_or(7_000_000)
            + 1;
        let mut made = None;
        let order = self.change(id, |order, now| {
            if order.cancelled_at.is_some() {
                return Err(SandboxError::AlreadyCancelled(id));
            }
            let new = decide(order)?;
            let fulfillment = SandboxFulfillment {
                id: fulfillment_id,
                tracking_number: new.tracking_number,
                carrier: new.carrier,
                tracking_url: new.tracking_url,
                lines: new.lines,
                created_at: now,
                details,
            };
            order.fulfillments.push(fulfillment.clone());
            made = Some(fulfillment);
            Ok(())
        })?;
        let fulfillment = made.ok_or(SandboxError::OrderNotFound(id))?;
        Ok((order, fulfillment))
    }

    /// Adds a note to the order (WooCommerce order notes).
    pub(crate) fn add_note(
        &mut self,
        id: u64,
        note: String,
        customer_note: bool,
    ) -> Result<(SandboxOrder, SandboxNote), SandboxError> {
        let note_id = self
            .orders
            .values()
            .flat_map(|order| order.notes.iter().map(|n| n.id))
            .max()
            .unwrap_or(8_000_000)
            + 1;
        let mut made = None;
        let order = self.change(id, |order, now| {
            let note = SandboxNote {
                id: note_id,
                note,
                customer_note,
                created_at: now,
            };
            order.notes.push(note.clone());
            made = Some(note);
            Ok(())
        })?;
        let note = made.ok_or(SandboxError::OrderNotFound(id))?;
        Ok((order, note))
    }

    /// Marks the order completed (WooCommerce status `completed`).
    pub(crate) fn complete(&mut self, id: u64) -> Result<SandboxOrder, SandboxError> {
        self.change(id, |order, now| {
            if order.cancelled_at.is_some() {
                return Err(SandboxError::AlreadyCancelled(id));
            }
            order.completed_at.get_or_insert(now);
            Ok(())
        })
    }

    /// The shopper's payment arrives (or the store clears the risk), as the store owner sees it.
    pub(crate) fn set_payment(
        &mut self,
        id: u64,
        payment: SandboxPayment,
    ) -> Result<SandboxOrder, SandboxError> {
        self.change(id, |order, _| {
            order.payment = payment;
            Ok(())
        })
    }

    pub(crate) fn make_malformed(&mut self, id: u64) -> Result<SandboxOrder, SandboxError> {
        self.change(id, |order, _| {
            order.malformed = true;
            Ok(())
        })
    }

    /// Spreads the orders' times evenly over `period`, the last one `ago` before now, in id
    /// order: a store with history, whose last change was a while back. Benchmarks use it to
    /// measure an import with nothing new to fetch.
    pub(crate) fn spread_times(&mut self, period: TimeDelta, ago: TimeDelta) {
        let count = self.orders.len().max(1) as i32;
        let end = Utc::now().trunc_subsecs(3) - ago;
        let step = period / count;
        for (i, order) in self.orders.values_mut().enumerate() {
            let stamp = end - period + step * (i as i32 + 1);
            let stamp = stamp.trunc_subsecs(3);
            order.created_at = stamp;
            order.updated_at = stamp;
            if let Some(cancelled) = order.cancelled_at.as_mut() {
                *cancelled = stamp;
            }
        }
        self.last_stamp = self.orders.values().map(|order| order.updated_at).max();
    }

    /// Applies `apply` (given the change's time) and bumps `updated_at`, or changes nothing if it
    /// fails.
    fn change(
        &mut self,
        id: u64,
        apply: impl FnOnce(&mut SandboxOrder, DateTime<Utc>) -> Result<(), SandboxError>,
    ) -> Result<SandboxOrder, SandboxError> {
        let mut order = self
            .orders
            .get(&id)
            .cloned()
            .ok_or(SandboxError::OrderNotFound(id))?;
        let now = self.peek_stamp();
        apply(&mut order, now)?;
        order.updated_at = now;
        self.last_stamp = Some(now);
        self.orders.insert(id, order.clone());
        Ok(order)
    }

    /// The next change time, strictly after the last one. Millisecond precision so that a
    /// saved and reloaded store compares the same.
    fn stamp(&mut self) -> DateTime<Utc> {
        let stamp = self.peek_stamp();
        self.last_stamp = Some(stamp);
        stamp
    }

    fn peek_stamp(&self) -> DateTime<Utc> {
        let now = Utc::now().trunc_subsecs(3);
        match self.last_stamp {
            Some(last) if now <= last => last + TimeDelta::milliseconds(1),
            _ => now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_stamps() {
        let mut book = OrderBook::new(StoreKind::Woocommerce);
        let a = book.place(PlaceOrder::test_order());
        let b = book.place(PlaceOrder::test_order());
        assert_eq!((a.number, b.number), (1001, 1002));
        assert_eq!(a.id, 1001);
        assert!(b.updated_at > a.updated_at);
        let edited = book
            .edit(
                a.id,
                OrderEdit {
                    email: Some("new@example.com".into()),
                    ..OrderEdit::default()
                },
            )
            .unwrap();
        assert!(edited.updated_at > b.updated_at);
        assert_eq!(edited.created_at, a.created_at);
        let cancelled = book.cancel(a.id).unwrap();
        assert!(cancelled.updated_at > edited.updated_at);
        assert_eq!(cancelled.cancelled_at, Some(cancelled.updated_at));
        assert!(matches!(
            book.cancel(a.id),
            Err(SandboxError::AlreadyCancelled(_))
        ));
        assert_eq!(book.get(a.id).unwrap().updated_at, cancelled.updated_at);
        assert!(matches!(
            book.edit(9, OrderEdit::default()),
            Err(SandboxError::OrderNotFound(9))
        ));
    }

    #[test]
    fn reload_continues_numbering_and_clock() {
        let mut book = OrderBook::new(StoreKind::Shopify);
        let a = book.place(PlaceOrder::test_order());
        let mut reloaded =
            OrderBook::from_orders(StoreKind::Shopify, book.iter().cloned().collect());
        let b = reloaded.place(PlaceOrder::test_order());
        assert_eq!(b.number, 1002);
        assert!(b.updated_at > a.updated_at);
    }
}
