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
    for (index, line) in lines.iter().enumerate() {
        // Stored from a u32; anything else is a store (or a file) that cannot be trusted, and
        // a quantity read as 0 would weigh nothing.
        let (Ok(quantity), Ok(unit_weight_grams)) = (
            u32::try_from(line.quantity),
            u32::try_from(line.unit_weight_grams),
        ) else {
            let reason = format!(
                "Line {} ({}) has quantity {} and weight {} g, which cannot be sent to US \
                 Direct. Fix the order in the store, or cancel it.",
                index + 1,
                line.title,
                line.quantity,
                line.unit_weight_grams
            );
            return hold_for_numbers(conn, order_id, &reason).await;
        };
        check_lines.push(NewOrderLine {
            sku: Sku::parse(&line.sku)?,
            title: line.title.clone(),
            quantity,
            unit_price: Money::new(line.unit_price_minor, currency.clone()),
            unit_weight_grams,
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
    let Some(supplier_lines) = supplier_lines(
        lines
            .iter()
            .zip(&check_lines)
            .map(|(line, checked)| (line.supplier_sku.as_deref(), checked)),
    ) else {
        let reason = "Lines of this order for the same US Direct item add up to more units \
                      than one order can carry: a quantity in the store is wrong. Fix the order \
                      in the store, or cancel it.";
        return hold_for_numbers(conn, order_id, reason).await;
    };
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

/// One line per US Direct SKU (the store's SKU where none is mapped), quantities added; `None`
/// when a sum passes what a quantity holds.
fn supplier_lines<'a>(
    lines: impl Iterator<Item = (Option<&'a str>, &'a NewOrderLine)>,
) -> Option<Vec<SupplierLine>> {
    let mut merged: Vec<SupplierLine> = Vec::new();
    for (supplier_sku, line) in lines {
        let sku = supplier_sku.unwrap_or(line.sku.as_str());
        match merged.iter_mut().find(|l| l.sku == sku) {
            Some(existing) => existing.quantity = existing.quantity.checked_add(line.quantity)?,
            None => merged.push(SupplierLine {
                sku: sku.to_string(),
                quantity: line.quantity,
            }),
        }
    }
    Some(merged)
}

/// Sends the order to `needs_attention` for numbers that cannot be routed, with `reason`.
async fn hold_for_numbers(conn: &mut SqliteConnection, order_id: i64, reason: &str) -> Result<()> {
    let attention = Attention::new(AttentionKind::Routing, reason);
    lifecycle::transition(conn, order_id, attention, Actor::System, reason).await?;
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

    fn line(sku: &str, quantity: u32) -> NewOrderLine {
        NewOrderLine {
            sku: Sku::parse(sku).unwrap(),
            title: "Item".into(),
            quantity,
            unit_price: Money::new(100, Currency::usd()),
            unit_weight_grams: 0,
        }
    }

    #[test]
    fn lines_for_one_supplier_item_merge_with_checked_quantities() {
        let a = line("MUG-1", 2);
        let b = line("MUG-2", 3);
        let merged = supplier_lines([(Some("USD-1"), &a), (Some("USD-1"), &b)].into_iter());
        assert_eq!(
            merged,
            Some(vec![SupplierLine {
                sku: "USD-1".into(),
                quantity: 5
            }])
        );
        let huge = line("MUG-3", u32::MAX);
        assert_eq!(
            supplier_lines([(None, &huge), (Some("USD-1"), &a)].into_iter()).map(|l| l.len()),
            Some(2)
        );
        assert_eq!(
            supplier_lines([(Some("USD-1"), &huge), (Some("USD-1"), &a)].into_iter()),
            None,
            "u32::MAX + 2 units of one item is refused, not wrapped to 1"
        );
    }

    #[test]
    fn names_split_into_first_and_last() {
        assert_eq!(split_name("Jane Q. Doe"), ("Jane Q.".into(), "Doe".into()));
        assert_eq!(split_name("Cher"), ("Cher".into(), "Cher".into()));
    }
}
