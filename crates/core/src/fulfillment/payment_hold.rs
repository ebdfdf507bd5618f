//! The store's payment hold: an order the store has not been paid for (or that its fraud checks
//! flag) waits in `needs_attention` instead of going to US Direct, where the dealer's own money
//! would pay for it. A later sync that sees it paid routes it by itself; the dealer can also
//! release it by hand. Import holds a new order, routing checks again before every send.

use sqlx::SqliteConnection;

use super::not_found;
use crate::changes::Change;
use crate::domain::{Actor, ChannelKind, PaymentState, StorePayment};
use crate::lifecycle::{self, Attention, AttentionKind, OrderStatus};
use crate::store::OrderDetail;
use crate::{Engine, Error, Result};

impl Engine {
    /// Resolve → release the payment hold: the dealer sends the order to US Direct whatever
    /// the store says of its payment. Routes it right away.
    pub async fn release_payment_hold(&self, order_id: i64) -> Result<OrderDetail> {
        let mut tx = self.store().write_transaction().await?;
        let updated = sqlx::query!(
            "UPDATE orders SET payment_hold_released = 1
             WHERE id = ? AND status = ? AND attention_kind IN (?, ?)",
            order_id,
            OrderStatus::NeedsAttention,
            AttentionKind::Unpaid,
            AttentionKind::FraudRisk
        )
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            let exists = sqlx::query_scalar!("SELECT count(*) FROM orders WHERE id = ?", order_id)
                .fetch_one(&mut *tx)
                .await?;
            if exists == 0 {
                return Err(not_found(order_id));
            }
            return Err(Error::invalid(
                "order",
                format!(
                    "order {order_id} is not held for the store's payment; there is nothing to \
                     release"
                ),
            ));
        }
        lifecycle::record_note(
            &mut tx,
            order_id,
            Actor::Dealer,
            "payment hold released by the dealer: the order goes to US Direct as it is",
        )
        .await?;
        tx.commit().await?;
        self.publish(Change::Orders {
            reason: "payment hold released",
        });
        self.route_again(order_id).await
    }
}

/// Why the order must wait for the store's payment, or `None` when it may go to US Direct (the
/// store has been paid, or the dealer released it).
pub(crate) async fn payment_hold(
    conn: &mut SqliteConnection,
    order_id: i64,
) -> Result<Option<Attention>> {
    let row = sqlx::query!(
        r#"SELECT o.store_payment AS "state: PaymentState", o.store_payment_status,
                  o.payment_hold_released, c.kind AS "kind: ChannelKind"
           FROM orders o JOIN channels c ON c.id = o.channel_id WHERE o.id = ?"#,
        order_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| not_found(order_id))?;
    let payment = StorePayment::from_columns(row.state, row.store_payment_status);
    Ok(hold_for(&payment, row.payment_hold_released != 0, row.kind))
}

/// Why an order with `payment` from a `platform` store must wait, unless the dealer
/// `released` it.
pub(crate) fn hold_for(
    payment: &StorePayment,
    released: bool,
    platform: ChannelKind,
) -> Option<Attention> {
    if released {
        return None;
    }
    let kind = match payment {
        StorePayment::Paid => return None,
        StorePayment::Unpaid { .. } => AttentionKind::Unpaid,
        StorePayment::HighRisk { .. } => AttentionKind::FraudRisk,
    };
    payment
        .hold_reason(platform)
        .map(|reason| Attention::new(kind, reason))
}

/// Holds an `imported` order for the store's payment when it must wait; says whether it did.
pub(crate) async fn hold_if_unpaid(
    conn: &mut SqliteConnection,
    order_id: i64,
    actor: Actor,
) -> Result<bool> {
    let Some(attention) = payment_hold(conn, order_id).await? else {
        return Ok(false);
    };
    // An order with no US Direct line is not for US Direct, paid or not: routing says so.
    let for_us_direct = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM order_lines l JOIN sku_map m ON m.store_sku = l.sku
                          WHERE l.order_id = ? AND l.requires_shipping = 1 AND l.sku != '')
           AS "for_us_direct!: bool""#,
        order_id
    )
    .fetch_one(&mut *conn)
    .await?;
    if !for_us_direct {
        return Ok(false);
    }
    let reason = attention.reason.clone();
    lifecycle::transition(conn, order_id, attention, actor, &reason).await?;
    Ok(true)
}

/// Writes what the store now says of the order's payment; says whether it changed. Called by
/// import for every newer version of a stored order.
pub(crate) async fn update_store_payment(
    conn: &mut SqliteConnection,
    order_id: i64,
    payment: &StorePayment,
) -> Result<bool> {
    let (state, word) = payment.to_columns();
    let updated = sqlx::query!(
        "UPDATE orders SET store_payment = ?1, store_payment_status = ?2
         WHERE id = ?3 AND (store_payment IS NOT ?1 OR store_payment_status IS NOT ?2)",
        state,
        word,
        order_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(updated.rows_affected() > 0)
}

/// After the store's payment changed: an order held for it goes back to `imported` when the
/// store reports it paid (the sync then routes it, as a fresh import would be), or is held
/// again with the store's new word.
pub(crate) async fn payment_changed(conn: &mut SqliteConnection, order_id: i64) -> Result<()> {
    let row = sqlx::query!(
        r#"SELECT status AS "status: OrderStatus", attention_kind AS "kind: AttentionKind"
           FROM orders WHERE id = ?"#,
        order_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| not_found(order_id))?;
    let held = row.status == OrderStatus::NeedsAttention
        && matches!(
            row.kind,
            Some(AttentionKind::Unpaid | AttentionKind::FraudRisk)
        );
    if !held {
        return Ok(());
    }
    let paid = payment_hold(conn, order_id).await?.is_none();
    let detail = if paid {
        "the store reports it paid: US Direct's checks run"
    } else {
        "the store's payment changed: checked again"
    };
    lifecycle::transition(
        conn,
        order_id,
        OrderStatus::Imported,
        Actor::Scheduler,
        detail,
    )
    .await?;
    if !paid {
        hold_if_unpaid(conn, order_id, Actor::Scheduler).await?;
    }
    Ok(())
}
