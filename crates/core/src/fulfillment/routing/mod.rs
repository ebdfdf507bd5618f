//! Routing: an `imported` order is checked against US Direct's rules ([`rules`]); every failed
//! rule sends it to `needs_attention` with its message and the rule itself, so the order page
//! offers the matching Resolve action. A passing order gets a `create_supplier_order` job with
//! the request frozen in its payload. An order the store has not been paid for is held before
//! any of that ([`super::payment_hold`]). The order stays `imported` until US Direct answers.

mod rules;

use sqlx::SqliteConnection;

pub use rules::{check, RoutingProblem, MAX_WEIGHT_GRAMS};

use super::not_found;
use crate::changes::Change;
use crate::domain::{Actor, Address, Currency, Money, NewOrderLine, Sku};
use crate::lifecycle::{self, Attention, AttentionKind, OrderStatus};
use crate::outbox::{self, JobKind, JobState};
use crate::supplier::{ShipTo, SupplierLine, SupplierOrderRequest};
use crate::{Engine, Result};

impl Engine {
    /// Routes every `imported` order that has no supplier order under way: the supplier's
    /// rules first, then the supplier order through the outbox. Returns how many were looked at.
    /// Runs after each Order Sync (the app's worker, `dealer sync`), not inside it, so the import
    /// itself stays as fast as it was.
    pub async fn route_imported(&self) -> Result<usize> {
        // An order whose supplier order is queued, being sent or placed is not routed again.
        let ids = sqlx::query_scalar!(
            r#"SELECT o.id AS "id!" FROM orders o
               WHERE o.status = ?1
                 AND NOT EXISTS (SELECT 1 FROM outbox_jobs j
                                 WHERE j.order_id = o.id AND j.kind = ?2
                                   AND j.state IN (?3, ?4, ?5))
               ORDER BY o.placed_at, o.id"#,
            OrderStatus::Imported,
            JobKind::CreateSupplierOrder,
            JobState::Pending,
            JobState::Running,
            JobState::Succeeded
        )
        .fetch_all(self.store().pool())
        .await?;
        // A hundred orders a transaction: a large first import is routed in seconds.
        for chunk in ids.chunks(100) {
            let mut tx = self.store().write_transaction().await?;
            for id in chunk {
                route_isolated(&mut tx, self.store_id(), *id).await?;
            }
            tx.commit().await?;
        }
        if !ids.is_empty() {
            self.publish(Change::Orders { reason: "routed" });
            self.publish(Change::JobsDue);
        }
        Ok(ids.len())
    }
}

/// [`route_in_tx`] in a savepoint of its own: a bug met on one order's data rolls back what it
/// did and sends that order to the dealer with the reason; the others are routed.
async fn route_isolated(conn: &mut SqliteConnection, store_id: &str, order_id: i64) -> Result<()> {
    let mut one = sqlx::Connection::begin(&mut *conn).await?;
    match crate::panics::isolate(
        "routing an order",
        route_in_tx(&mut one, store_id, order_id),
    )
    .await
    {
        Ok(routed) => {
            routed?;
            one.commit().await?;
        }
        Err(panic) => {
            drop(one);
            let reason =
                crate::panics::reason("checking this order against US Direct's rules", &panic);
            let attention = Attention::new(AttentionKind::Refused, &reason);
            lifecycle::transition(conn, order_id, attention, Actor::System, &reason).await?;
        }
    }
    Ok(())
}

/// Checks an `imported` order against US Direct's rules; queues its supplier order when they
/// pass, or moves it to `needs_attention` with every failed rule.
pub(super) async fn route_in_tx(
    conn: &mut SqliteConnection,
    store_id: &str,
    order_id: i64,
) -> Result<()> {
    let order = sqlx::query!(
        r#"SELECT status AS "status: OrderStatus", number, customer_email, ship_name, ship_line1, ship_line2, ship_city,
                  ship_state_code, ship_postal_code, ship_country_code, ship_phone, currency,
                  weight_hold_released
           FROM orders WHERE id = ?"#,
        order_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| not_found(order_id))?;
    if order.status != OrderStatus::Imported {
        return Ok(());
    }
    // The store's payment first: an unpaid order waits whatever else is wrong with it.
    if super::hold_if_unpaid(conn, order_id, Actor::System).await? {
        return Ok(());
    }
    let lines = sqlx::query!(
        r#"SELECT l.sku, l.title, l.quantity, l.unit_price_minor, l.unit_weight_grams,
                  m.supplier_sku AS "supplier_sku?"
           FROM order_lines l LEFT JOIN sku_map m ON m.store_sku = l.sku
           WHERE l.order_id = ? ORDER BY l.position"#,
        order_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let ship_to = Address {
        name: order.ship_name.clone(),
        line1: order.ship_line1.clone(),
        line2: order.ship_line2.clone(),
        city: order.ship_city.clone(),
        state_code: order.ship_state_code.clone(),
        postal_code: order.ship_postal_code.clone(),
        country_code: order.ship_country_code.clone(),
        phone: order.ship_phone.clone(),
    };
    let currency = Currency::parse(&order.currency).unwrap_or_else(|_| Currency::usd());
    let mut check_lines = Vec::with_capacity(lines.len());
    for line in &lines {
        check_lines.push(NewOrderLine {
            sku: Sku::parse(&line.sku)?,
            title: line.title.clone(),
            quantity: u32::try_from(line.quantity).unwrap_or(0),
            unit_price: Money::new(line.unit_price_minor, currency.clone()),
            unit_weight_grams: u32::try_from(line.unit_weight_grams).unwrap_or(0),
        });
    }
    let mapped: std::collections::HashSet<&str> = lines
        .iter()
        .filter(|line| line.supplier_sku.is_some())
        .map(|line| line.sku.as_str())
        .collect();
    let mut problems = rules::check(&ship_to, &check_lines, &|sku| mapped.contains(sku));
    if order.weight_hold_released != 0 {
        problems.retain(|problem| !matches!(problem, RoutingProblem::Overweight { .. }));
    }
    if !problems.is_empty() {
        let attention = Attention::routing(problems);
        let reason = attention.reason.clone();
        lifecycle::transition(conn, order_id, attention, Actor::System, &reason).await?;
        return Ok(());
    }
    // One line per US Direct SKU, as the contract asks.
    let mut supplier_lines: Vec<SupplierLine> = Vec::new();
    for line in &lines {
        let sku = line
            .supplier_sku
            .clone()
            .unwrap_or_else(|| line.sku.clone());
        let quantity = u32::try_from(line.quantity).unwrap_or(0);
        match supplier_lines.iter_mut().find(|l| l.sku == sku) {
            Some(existing) => existing.quantity += quantity,
            None => supplier_lines.push(SupplierLine { sku, quantity }),
        }
    }
    let (first_name, last_name) = split_name(&ship_to.name);
    let request = SupplierOrderRequest {
        order_number: order.number.clone(),
        ship_to: ShipTo {
            first_name,
            last_name,
            line1: ship_to.line1,
            line2: ship_to.line2,
            city: ship_to.city,
            state_code: ship_to.state_code.to_ascii_uppercase(),
            postal: ship_to.postal_code,
            country_code: ship_to.country_code.to_ascii_uppercase(),
            phone: ship_to.phone,
            email: order.customer_email.clone(),
        },
        lines: supplier_lines,
    };
    outbox::enqueue_create_supplier_order(conn, store_id, order_id, request).await?;
    lifecycle::record_note(
        conn,
        order_id,
        Actor::System,
        "US Direct's checks passed; sending the order to US Direct",
    )
    .await?;
    Ok(())
}

/// "Jane Q. Doe" → ("Jane Q.", "Doe"); a single word is the last name.
fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.rsplit_once(char::is_whitespace) {
        Some((first, last)) => (first.trim().to_string(), last.trim().to_string()),
        None => (name.to_string(), name.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_first_and_last() {
        assert_eq!(split_name("Jane Q. Doe"), ("Jane Q.".into(), "Doe".into()));
        assert_eq!(split_name("Cher"), ("Cher".into(), "Cher".into()));
    }
}
