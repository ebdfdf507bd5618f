//! The Resolve actions of `needs_attention`: route again (after the dealer fixed the order, or
//! back to authorization when US Direct already has it), edit the ship-to, release the weight
//! hold.

use chrono::Utc;
use serde::Deserialize;

use super::not_found;
use super::routing::{route_in_tx, RoutingProblem};
use crate::changes::Change;
use crate::domain::{Actor, Address};
use crate::lifecycle::{self, OrderStatus};
use crate::outbox::{JobKind, JobState};
use crate::store::OrderDetail;
use crate::{Engine, Error, Result};

/// A dealer's edit of the ship-to (Resolve → edit the address).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ShipToInput {
    pub name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state_code: String,
    pub postal_code: String,
    pub country_code: String,
    pub phone: Option<String>,
}

impl Engine {
    /// Resolve: routes a `needs_attention` order again after the dealer fixed it (or returns
    /// it to authorization when the supplier order already exists).
    pub async fn route_again(&self, order_id: i64) -> Result<OrderDetail> {
        let mut tx = self.store().write_transaction().await?;
        let row = sqlx::query!(
            r#"SELECT status AS "status: OrderStatus", supplier_order_id FROM orders WHERE id = ?"#,
            order_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| not_found(order_id))?;
        if !matches!(
            row.status,
            OrderStatus::NeedsAttention | OrderStatus::NotForUsDirect
        ) {
            return Err(Error::invalid(
                "order",
                format!(
                    "order {order_id} is {}; only an order that needs attention or is not for \
                     US Direct is routed again",
                    row.status.as_str().replace('_', " ")
                ),
            ));
        }
        if row.supplier_order_id.is_some() && row.status == OrderStatus::NeedsAttention {
            lifecycle::transition(
                &mut tx,
                order_id,
                OrderStatus::AwaitingAuthorization,
                Actor::Dealer,
                "resolved: back to authorization",
            )
            .await?;
        } else {
            lifecycle::transition(
                &mut tx,
                order_id,
                OrderStatus::Imported,
                Actor::Dealer,
                "resolved: routing again",
            )
            .await?;
            route_in_tx(&mut tx, self.store_id(), order_id).await?;
        }
        tx.commit().await?;
        self.publish(Change::Orders { reason: "resolved" });
        self.publish(Change::JobsDue);
        self.store().order_detail(order_id).await
    }

    /// Resolve → edit the address. The order is routed again right away.
    pub async fn edit_ship_to(&self, order_id: i64, input: ShipToInput) -> Result<OrderDetail> {
        let address = Address {
            name: input.name.trim().to_string(),
            line1: input.line1.trim().to_string(),
            line2: input
                .line2
                .map(|line| line.trim().to_string())
                .filter(|line| !line.is_empty()),
            city: input.city.trim().to_string(),
            state_code: input.state_code.trim().to_ascii_uppercase(),
            postal_code: input.postal_code.trim().to_string(),
            country_code: input.country_code.trim().to_ascii_uppercase(),
            phone: input
                .phone
                .map(|phone| phone.trim().to_string())
                .filter(|phone| !phone.is_empty()),
        };
        address.validate()?;
        let mut tx = self.store().write_transaction().await?;
        let status = sqlx::query_scalar!(
            r#"SELECT status AS "status: OrderStatus" FROM orders WHERE id = ?"#,
            order_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| not_found(order_id))?;
        if !matches!(status, OrderStatus::Imported | OrderStatus::NeedsAttention) {
            return Err(Error::invalid(
                "order",
                "the address can only be edited before the order goes to US Direct",
            ));
        }
        // A routed order's request to US Direct is frozen with its idempotency key (the
        // address inside it): an edit now would show here but never reach US Direct.
        let on_its_way = sqlx::query_scalar!(
            r#"SELECT count(*) AS "jobs!: i64" FROM outbox_jobs
               WHERE order_id = ? AND kind = ? AND state IN (?, ?, ?)"#,
            order_id,
            JobKind::CreateSupplierOrder,
            JobState::Pending,
            JobState::Running,
            JobState::Succeeded
        )
        .fetch_one(&mut *tx)
        .await?;
        if status == OrderStatus::Imported && on_its_way > 0 {
            return Err(Error::invalid(
                "order",
                "the order is on its way to US Direct with the address it has; to change it, \
                 cancel its job in Activity first, then edit the address and Resolve",
            ));
        }
        let now = Utc::now();
        sqlx::query!(
            "UPDATE orders SET ship_name = ?, ship_line1 = ?, ship_line2 = ?, ship_city = ?,
                    ship_state_code = ?, ship_postal_code = ?, ship_country_code = ?,
                    ship_phone = ?, updated_at = ?
             WHERE id = ?",
            address.name,
            address.line1,
            address.line2,
            address.city,
            address.state_code,
            address.postal_code,
            address.country_code,
            address.phone,
            now,
            order_id
        )
        .execute(&mut *tx)
        .await?;
        let line2 = address
            .line2
            .as_deref()
            .map(|line| format!(", {line}"))
            .unwrap_or_default();
        lifecycle::record_note(
            &mut tx,
            order_id,
            Actor::Dealer,
            &format!(
                "ship-to edited: {}, {}{line2}, {}, {} {}, {}",
                address.name,
                address.line1,
                address.city,
                address.state_code,
                address.postal_code,
                address.country_code
            ),
        )
        .await?;
        tx.commit().await?;
        self.publish(Change::Orders { reason: "resolved" });
        if status == OrderStatus::NeedsAttention {
            self.route_again(order_id).await
        } else {
            self.store().order_detail(order_id).await
        }
    }

    /// Resolve → release the weight hold (the dealer checked with US Direct). Routes again.
    pub async fn release_weight_hold(&self, order_id: i64) -> Result<OrderDetail> {
        let mut tx = self.store().write_transaction().await?;
        let updated = sqlx::query!(
            "UPDATE orders SET weight_hold_released = 1 WHERE id = ? AND status = ?",
            order_id,
            OrderStatus::NeedsAttention
        )
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(Error::invalid(
                "order",
                format!("order {order_id} is not waiting on a hold"),
            ));
        }
        lifecycle::record_note(
            &mut tx,
            order_id,
            Actor::Dealer,
            "weight hold released by the dealer",
        )
        .await?;
        tx.commit().await?;
        self.route_again(order_id).await
    }

    /// Releases the order's holds that the dealer may overrule, as is: a PO box that is a
    /// street ("12 Pobox Ave"), a weight US Direct agreed to ship, a payment the store has not
    /// confirmed. Recorded on the timeline with who released what, then routed again (a rule
    /// that cannot be overruled, such as an address outside the lower 48, holds it again).
    pub async fn release_hold(&self, order_id: i64, actor: Actor) -> Result<OrderDetail> {
        let detail = self.store().order_detail(order_id).await?;
        let Some(attention) = detail
            .attention
            .filter(|_| detail.status == OrderStatus::NeedsAttention)
        else {
            return Err(Error::invalid(
                "order",
                format!("order {order_id} is not held; there is nothing to release"),
            ));
        };
        if matches!(
            attention.kind,
            crate::lifecycle::AttentionKind::Unpaid | crate::lifecycle::AttentionKind::FraudRisk
        ) {
            return self.release_payment_hold(order_id).await;
        }
        let po_box = attention
            .problems
            .iter()
            .any(|problem| matches!(problem, RoutingProblem::PoBox));
        let weight = attention
            .problems
            .iter()
            .any(|problem| matches!(problem, RoutingProblem::Overweight { .. }));
        if !po_box && !weight {
            return Err(Error::invalid(
                "order",
                format!(
                    "order {order_id} is held for something that cannot be released as is: {} \
                     Fix it (edit the address, map the SKU) or cancel the order.",
                    attention.reason
                ),
            ));
        }
        let mut tx = self.store().write_transaction().await?;
        sqlx::query!(
            "UPDATE orders SET po_box_hold_released = po_box_hold_released OR ?,
                               weight_hold_released = weight_hold_released OR ?
             WHERE id = ? AND status = ?",
            po_box,
            weight,
            order_id,
            OrderStatus::NeedsAttention
        )
        .execute(&mut *tx)
        .await?;
        let released: Vec<&str> = [(po_box, "the PO box hold"), (weight, "the weight hold")]
            .into_iter()
            .filter_map(|(held, what)| held.then_some(what))
            .collect();
        let who = match actor {
            Actor::Dealer => "the dealer",
            _ => actor.as_str(),
        };
        lifecycle::record_note(
            &mut tx,
            order_id,
            actor,
            &format!("{} released as is by {who}", released.join(" and ")),
        )
        .await?;
        tx.commit().await?;
        self.route_again(order_id).await
    }
}
