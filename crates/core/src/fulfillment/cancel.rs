//! Cancel order, by the dealer (the order page's button, `dealer orders cancel`): one
//! transaction moves the order to `cancelled` with the dealer's reason on its timeline, stops
//! the steps that have not run, and queues the two cancellations that need a peer: US Direct's
//! order (when it has one; keyed by its id, the same key a store-started cancel uses) and the
//! store's (`cancel_store_order`, keyed by the order). A second click, or another process, finds
//! the order cancelled and queues nothing. Once anything has shipped the cancel is refused: the
//! goods are on their way, and the store's return is the way back.
//!
//! A cancellation that starts in the store takes the import's path
//! ([`super::cancelled_in_store`]), which never queues `cancel_store_order`: the store has
//! already done it.

use serde::Serialize;

use crate::changes::Change;
use crate::domain::Actor;
use crate::lifecycle::{self, OrderStatus};
use crate::outbox;
use crate::{Engine, Error, Result};

/// The longest reason kept: a sentence or two for the timeline and the store's staff note. A
/// reason is the dealer's own words, but it goes into a store's field too, and none of them
/// documents a larger note than this comfortably holds.
pub const MAX_CANCEL_REASON: usize = 500;

/// What Cancel order did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CancelOutcome {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub order_id: i64,
    pub number: String,
    pub result: CancelResult,
    /// For the dealer: what happens next.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum CancelResult {
    /// Cancelled here; the store's and US Direct's cancellations are on their way.
    Cancelled,
    /// It was already cancelled (a double click, another device, the store): nothing more
    /// was done.
    AlreadyCancelled,
}

/// Why Cancel order does not apply to an order in `status` with `shipments` shipments, or
/// `None` when it does. The order page disables its button with this text, and the engine
/// refuses with it: one rule, in one place.
pub fn cancel_blocked(number: &str, status: OrderStatus, shipments: usize) -> Option<String> {
    let shipped = shipments > 0
        || matches!(
            status,
            OrderStatus::PartiallyShipped | OrderStatus::Shipped | OrderStatus::Completed
        );
    if shipped {
        return Some(format!(
            "Order {number} has shipped, so it can no longer be cancelled. Handle it in your \
             store as a return (refund the customer there when the goods come back)."
        ));
    }
    if status == OrderStatus::Cancelled {
        return Some(format!("Order {number} is cancelled."));
    }
    None
}

impl Engine {
    /// Cancels an order at the dealer's request: here at once, in the store and at US Direct
    /// through the outbox, each once. `reason` is required (it goes on the timeline and to the
    /// store). Refused, with what to do instead, once anything has shipped.
    pub async fn cancel_order(
        &self,
        order_id: i64,
        reason: &str,
        actor: Actor,
    ) -> Result<CancelOutcome> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid(
                "reason",
                "say why the order is cancelled (for example \"the customer asked\")",
            ));
        }
        if reason.chars().count() > MAX_CANCEL_REASON || reason.chars().any(char::is_control) {
            return Err(Error::invalid(
                "reason",
                format!("keep the reason to one line of at most {MAX_CANCEL_REASON} characters"),
            ));
        }
        let mut tx = self.store().write_transaction().await?;
        let order = sqlx::query!(
            r#"SELECT number, status AS "status: OrderStatus",
                      (SELECT count(*) FROM shipments s WHERE s.order_id = o.id)
                        AS "shipments!: i64"
               FROM orders o WHERE o.id = ?"#,
            order_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| super::not_found(order_id))?;
        let shipments = usize::try_from(order.shipments).unwrap_or(usize::MAX);
        if order.status == OrderStatus::Cancelled && shipments == 0 {
            return Ok(CancelOutcome {
                order_id,
                number: order.number.clone(),
                result: CancelResult::AlreadyCancelled,
                message: format!(
                    "Order {} was already cancelled; nothing more was done.",
                    order.number
                ),
            });
        }
        if let Some(refusal) = cancel_blocked(&order.number, order.status, shipments) {
            return Err(Error::invalid("cancel", refusal));
        }
        let detail = format!("cancelled by the {}: {reason}", actor_name(actor));
        lifecycle::transition(&mut tx, order_id, OrderStatus::Cancelled, actor, &detail).await?;
        outbox::stop_pending_steps(&mut tx, order_id).await?;
        outbox::enqueue_dealer_cancel_supplier_order(&mut tx, order_id, reason).await?;
        outbox::enqueue_cancel_store_order(&mut tx, self.store_id(), order_id, reason).await?;
        tx.commit().await?;
        tracing::info!(
            order_id,
            actor = actor.as_str(),
            "order cancelled by the dealer"
        );
        self.publish(Change::Orders {
            reason: "cancelled",
        });
        self.publish(Change::JobsDue);
        Ok(CancelOutcome {
            order_id,
            number: order.number.clone(),
            result: CancelResult::Cancelled,
            message: format!(
                "Order {} is cancelled. Your store and US Direct are being told; the timeline \
                 shows when each has done it.",
                order.number
            ),
        })
    }
}

fn actor_name(actor: Actor) -> &'static str {
    match actor {
        Actor::Dealer => "dealer",
        Actor::AutoRule => "auto-authorize rule",
        Actor::Scheduler => "scheduler",
        Actor::System => "system",
        Actor::Supplier => "supplier",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_applies_until_anything_ships() {
        for status in [
            OrderStatus::Imported,
            OrderStatus::AwaitingAuthorization,
            OrderStatus::Authorized,
            OrderStatus::Processing,
            OrderStatus::NeedsAttention,
        ] {
            assert_eq!(cancel_blocked("#1001", status, 0), None, "{status}");
        }
        for status in [
            OrderStatus::PartiallyShipped,
            OrderStatus::Shipped,
            OrderStatus::Completed,
        ] {
            let why = cancel_blocked("#1001", status, 0).expect("refused");
            assert!(why.contains("return"), "{why}");
        }
        // A shipment recorded while the order is still processing (or flagged) counts too.
        assert!(cancel_blocked("#1001", OrderStatus::NeedsAttention, 1).is_some());
        assert!(cancel_blocked("#1001", OrderStatus::Cancelled, 0).is_some());
    }
}
