//! The supplier's books: orders with their invoices, the change log, the idempotency records
//! and the settings, i.e. everything saved in `supplier.json`. Every operation takes the
//! time (`now`) as an argument, so the books hold no clock of their own; mutations set a dirty
//! flag the caller saves on.

use std::collections::{BTreeMap, HashMap};

use axum::http::StatusCode;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::answer::Answer;
use super::idempotency::{Fingerprint, IdempotencyRecord};
use super::order::{StoredOrder, SupplierOrder};
use super::rules;
use super::settings::SupplierSettings;
use super::wire::{
    AuthorizationResult, ChangesPage, CreateOrderRequest, CreatedOrder, Order, OrderStatus,
    PaymentStatus,
};
use crate::error::SandboxError;

const FIRST_ORDER: usize = 100_001;
const FIRST_INVOICE: usize = 55_001;

/// One entry of the append-only change log: order `order_id` changed at `at`. `listChanges`
/// renders each entry as the order's current state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Change {
    pub seq: u64,
    pub order_id: String,
    pub at: DateTime<Utc>,
}

/// What `supplier.json` holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SupplierData {
    pub settings: SupplierSettings,
    pub orders: Vec<StoredOrder>,
    pub changes: Vec<Change>,
    /// By `Idempotency-Key` (the sandbox has one token, so keys need no token prefix).
    pub idempotency: BTreeMap<String, IdempotencyRecord>,
    /// Shipments made so far: numbers the next shipment and its tracking number.
    pub shipments_made: u64,
}

pub(crate) struct SupplierBook {
    pub(super) data: SupplierData,
    by_id: HashMap<String, usize>,
    by_invoice: HashMap<String, usize>,
    by_number: HashMap<String, Vec<usize>>,
    dirty: bool,
}

/// The opaque `listChanges` cursor for "after change `seq`": base64 of `{"seq":N}`.
pub(crate) fn encode_cursor(seq: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{{\"seq\":{seq}}}"))
}

/// The sequence number in a cursor, in any base64 alphabet, padded or not.
pub(crate) fn decode_cursor(cursor: &str) -> Option<u64> {
    let bytes = [URL_SAFE_NO_PAD, URL_SAFE, STANDARD]
        .iter()
        .find_map(|engine| engine.decode(cursor.trim()).ok())?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let object = value.as_object().filter(|object| object.len() == 1)?;
    object.get("seq").and_then(serde_json::Value::as_u64)
}

fn conflict(code: &'static str, message: String) -> SandboxError {
    SandboxError::SupplierConflict { code, message }
}

impl SupplierBook {
    pub(crate) fn new(data: SupplierData) -> SupplierBook {
        let mut book = SupplierBook {
            data,
            by_id: HashMap::new(),
            by_invoice: HashMap::new(),
            by_number: HashMap::new(),
            dirty: false,
        };
        for index in 0..book.data.orders.len() {
            book.index(index);
        }
        book
    }

    fn index(&mut self, index: usize) {
        let order = &self.data.orders[index];
        self.by_id.insert(order.id.clone(), index);
        self.by_invoice.insert(order.invoice_id.clone(), index);
        self.by_number
            .entry(order.order_number.clone())
            .or_default()
            .push(index);
    }

    pub(crate) fn data(&self) -> &SupplierData {
        &self.data
    }

    /// Whether anything changed since the last call.
    pub(crate) fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    pub(crate) fn settings(&self) -> &SupplierSettings {
        &self.data.settings
    }

    pub(crate) fn set_settings(&mut self, settings: SupplierSettings) {
        self.data.settings = settings;
        self.dirty = true;
    }

    pub(crate) fn recorded(&self, key: &str) -> Option<&IdempotencyRecord> {
        self.data.idempotency.get(key)
    }

    pub(crate) fn record(
        &mut self,
        key: String,
        request: Fingerprint,
        answer: &Answer,
        now: DateTime<Utc>,
    ) {
        self.data
            .idempotency
            .insert(key, IdempotencyRecord::new(request, answer, now));
        self.dirty = true;
    }

    fn find(&self, order_id: &str) -> Option<usize> {
        self.by_id.get(order_id).copied()
    }

    /// Marks a change of the order at `index` and appends it to the change log.
    pub(super) fn changed(&mut self, index: usize, now: DateTime<Utc>) {
        let order = &mut self.data.orders[index];
        let at = order.touch(now);
        let seq = self.data.changes.len() as u64 + 1;
        self.data.changes.push(Change {
            seq,
            order_id: order.id.clone(),
            at,
        });
        self.dirty = true;
    }

    /// `createOrder` after its body passed validation: `(answer, whether an order was made)`.
    pub(crate) fn create_order(
        &mut self,
        request: CreateOrderRequest,
        now: DateTime<Utc>,
    ) -> (Answer, bool) {
        if let Some(existing) = self
            .by_number
            .get(&request.order_number)
            .and_then(|indexes| indexes.first())
        {
            let existing = &self.data.orders[*existing];
            let message = format!(
                "Order {} already exists as {}.",
                existing.order_number, existing.id
            );
            let answer = Answer::error(
                StatusCode::CONFLICT,
                "duplicate_order_number",
                message,
                Some("orderNumber"),
            );
            return (answer, false);
        }
        let grams = match rules::check_business_rules(&request, &self.data.settings) {
            Ok(grams) => grams,
            Err(refusal) => return (Answer::refused(refusal), false),
        };
        let index = self.data.orders.len();
        let order = StoredOrder {
            id: format!("USD-ORD-{}", FIRST_ORDER + index),
            invoice_id: format!("INV-{}", FIRST_INVOICE + index),
            order_number: request.order_number.clone(),
            status: OrderStatus::Open,
            hold_reason: None,
            payment_status: PaymentStatus::NotAuthorized,
            decline_reason: None,
            cancel_reason: None,
            ship_clock_from: None,
            product_cost_minor: rules::product_cost_minor(&request),
            shipping_cost_minor: rules::shipping_cost_minor(grams),
            adjustment_minor: rules::shipping_adjustment_minor(&request, &self.data.settings),
            shipping_method: request
                .shipping_method
                .clone()
                .filter(|method| !method.trim().is_empty())
                .unwrap_or_else(|| "Ground".to_owned()),
            shipping_address: request.shipping_address,
            items: request.items,
            shipments: Vec::new(),
            created_at: now,
            updated_at: now,
            times_authorized: 0,
        };
        self.data.orders.push(order);
        self.index(index);
        self.changed(index, now);
        let order = &self.data.orders[index];
        let created = CreatedOrder {
            id: order.id.clone(),
            order_number: order.order_number.clone(),
            status: order.status,
            invoice: order.invoice(),
            created_at: order.created_at,
        };
        (Answer::json(StatusCode::CREATED, &created), true)
    }

    /// `authorizePayment`: the answer and, when the authorization was decided, its outcome.
    pub(crate) fn authorize(
        &mut self,
        invoice_id: &str,
        now: DateTime<Utc>,
    ) -> (Answer, Option<PaymentStatus>) {
        let Some(index) = self.by_invoice.get(invoice_id).copied() else {
            return (
                Answer::not_found(format!("Invoice {invoice_id} not found.")),
                None,
            );
        };
        let decline = self.data.settings.decline_reason.clone();
        let order = &mut self.data.orders[index];
        if order.status == OrderStatus::Canceled {
            let message = format!("Order {} was canceled.", order.id);
            let answer = Answer::error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "order_canceled",
                message,
                None,
            );
            return (answer, None);
        }
        if let PaymentStatus::Authorized | PaymentStatus::Paid = order.payment_status {
            let state = match order.payment_status {
                PaymentStatus::Paid => "Paid",
                _ => "Authorized",
            };
            let message = format!("Invoice {invoice_id} is already {state}.");
            let answer = Answer::error(StatusCode::CONFLICT, "already_authorized", message, None);
            return (answer, None);
        }
        match &decline {
            Some(reason) => {
                order.payment_status = PaymentStatus::Declined;
                order.decline_reason = Some(reason.clone());
            }
            None => {
                order.payment_status = PaymentStatus::Authorized;
                order.decline_reason = None;
                order.times_authorized += 1;
                order.ship_clock_from = Some(now);
                if order.status == OrderStatus::Open {
                    order.status = OrderStatus::Processing;
                }
            }
        }
        let result = AuthorizationResult {
            invoice_id: invoice_id.to_owned(),
            payment_status: order.payment_status,
            decline_reason: decline,
            authorized_at: now,
        };
        let outcome = order.payment_status;
        self.changed(index, now);
        (Answer::ok(&result), Some(outcome))
    }

    /// `cancelOrder`.
    pub(crate) fn cancel(
        &mut self,
        order_id: &str,
        reason: Option<String>,
        now: DateTime<Utc>,
    ) -> Answer {
        let Some(index) = self.find(order_id) else {
            return Answer::not_found(format!("Order {order_id} not found."));
        };
        let order = &mut self.data.orders[index];
        match order.status {
            OrderStatus::Canceled => return Answer::ok(&order.to_order()),
            OrderStatus::Shipped | OrderStatus::PartiallyShipped => {
                let message = format!("Order {order_id} has shipped and cannot be canceled.");
                return Answer::error(StatusCode::CONFLICT, "already_shipped", message, None);
            }
            OrderStatus::Open | OrderStatus::OnHold | OrderStatus::Processing => {}
        }
        order.status = OrderStatus::Canceled;
        order.hold_reason = None;
        order.cancel_reason = reason;
        order.ship_clock_from = None;
        // US Direct releases the authorization: the invoice is never captured.
        if order.payment_status == PaymentStatus::Authorized {
            order.payment_status = PaymentStatus::NotAuthorized;
        }
        self.changed(index, now);
        Answer::ok(&self.data.orders[index].to_order())
    }

    pub(crate) fn order(&self, order_id: &str) -> Option<Order> {
        self.find(order_id)
            .map(|index| self.data.orders[index].to_order())
    }

    /// The changes after `after` (a sequence number), at most `limit`; `None` when `after`
    /// lies beyond the log (a cursor this supplier never gave out).
    pub(crate) fn changes_page(&self, after: u64, limit: usize) -> Option<ChangesPage> {
        let total = self.data.changes.len();
        let start = usize::try_from(after)
            .ok()
            .filter(|start| *start <= total)?;
        let end = start.saturating_add(limit).min(total);
        let changes = self.data.changes[start..end]
            .iter()
            .filter_map(|change| self.find(&change.order_id))
            .map(|index| self.data.orders[index].to_change())
            .collect();
        Some(ChangesPage {
            changes,
            next_cursor: encode_cursor(end as u64),
            has_more: end < total,
        })
    }

    /// Every order, oldest first, as the admin API shows it.
    pub(crate) fn summaries(&self) -> Vec<SupplierOrder> {
        (0..self.data.orders.len())
            .map(|index| self.summarize(index))
            .collect()
    }

    pub(crate) fn summary(&self, order_id: &str) -> Option<SupplierOrder> {
        self.find(order_id).map(|index| self.summarize(index))
    }

    fn summarize(&self, index: usize) -> SupplierOrder {
        let order = &self.data.orders[index];
        let created = self.by_number.get(&order.order_number).map_or(0, Vec::len);
        order.summary(u32::try_from(created).unwrap_or(u32::MAX))
    }

    fn existing(&self, order_id: &str) -> Result<usize, SandboxError> {
        self.find(order_id)
            .ok_or_else(|| SandboxError::SupplierOrderNotFound(order_id.to_owned()))
    }

    /// Puts an order `On Hold` (US Direct's staff would); it ships nothing until released.
    pub(crate) fn hold(
        &mut self,
        order_id: &str,
        reason: String,
        now: DateTime<Utc>,
    ) -> Result<Order, SandboxError> {
        let index = self.existing(order_id)?;
        let order = &mut self.data.orders[index];
        match order.status {
            OrderStatus::Canceled => {
                return Err(conflict(
                    "order_canceled",
                    format!("Order {order_id} is canceled."),
                ))
            }
            OrderStatus::Shipped | OrderStatus::PartiallyShipped => {
                return Err(conflict(
                    "already_shipped",
                    format!("Order {order_id} has shipped."),
                ))
            }
            OrderStatus::Open | OrderStatus::OnHold | OrderStatus::Processing => {}
        }
        order.status = OrderStatus::OnHold;
        order.hold_reason = Some(reason);
        self.changed(index, now);
        Ok(self.data.orders[index].to_order())
    }

    /// Releases a held order; an authorized one starts its ship delay again from now.
    pub(crate) fn release(
        &mut self,
        order_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Order, SandboxError> {
        let index = self.existing(order_id)?;
        let order = &mut self.data.orders[index];
        if order.status != OrderStatus::OnHold {
            return Err(conflict(
                "not_on_hold",
                format!("Order {order_id} is not on hold."),
            ));
        }
        order.hold_reason = None;
        if order.payment_status == PaymentStatus::Authorized {
            order.status = OrderStatus::Processing;
            order.ship_clock_from = Some(now);
        } else {
            order.status = OrderStatus::Open;
        }
        self.changed(index, now);
        Ok(self.data.orders[index].to_order())
    }

    /// Ships whatever is left of an authorized order now, whatever the delay.
    pub(crate) fn ship_now(
        &mut self,
        order_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Order, SandboxError> {
        let index = self.existing(order_id)?;
        let order = &self.data.orders[index];
        let refuse = |code, what: &str| Err(conflict(code, format!("Order {order_id} {what}.")));
        match order.status {
            OrderStatus::Canceled => return refuse("order_canceled", "is canceled"),
            OrderStatus::Shipped => return refuse("already_shipped", "has shipped"),
            OrderStatus::OnHold => return refuse("on_hold", "is on hold"),
            OrderStatus::Open | OrderStatus::Processing | OrderStatus::PartiallyShipped => {}
        }
        if !matches!(
            order.payment_status,
            PaymentStatus::Authorized | PaymentStatus::Paid
        ) {
            return refuse("not_authorized", "has no authorized invoice");
        }
        let remaining = order.items.len() - order.lines_shipped();
        self.ship(index, remaining, now, now);
        Ok(self.data.orders[index].to_order())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        assert_eq!(encode_cursor(1024), "eyJzZXEiOjEwMjR9");
        assert_eq!(decode_cursor("eyJzZXEiOjEwMjR9"), Some(1024));
        assert_eq!(decode_cursor(&encode_cursor(0)), Some(0));
        assert_eq!(decode_cursor(&STANDARD.encode("{\"seq\":7}")), Some(7));
        assert_eq!(decode_cursor("not a cursor"), None);
        assert_eq!(decode_cursor(&URL_SAFE_NO_PAD.encode("{\"seq\":-1}")), None);
        assert_eq!(decode_cursor(&URL_SAFE_NO_PAD.encode("[1]")), None);
        assert_eq!(decode_cursor(""), None);
    }
}
