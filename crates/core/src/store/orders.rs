//! Storing and listing orders.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::Store;
use crate::domain::{Actor, NewOrder, OrderEvent};
use crate::lifecycle::{self, OrderStatus};
use crate::{Error, Result};

impl Store {
    /// Stores new orders of `channel_id` in one transaction; each gets its `imported` event
    /// with `detail`.
    /// Returns their ids in order.
    pub async fn insert_orders(
        &self,
        channel_id: i64,
        orders: &[NewOrder],
        actor: Actor,
        detail: &str,
    ) -> Result<Vec<i64>> {
        let mut tx = self.write_transaction().await?;
        let mut ids = Vec::with_capacity(orders.len());
        for order in orders {
            ids.push(insert_order(&mut tx, channel_id, order, actor, detail).await?);
        }
        tx.commit().await?;
        Ok(ids)
    }

    pub async fn count_orders(&self) -> Result<i64> {
        Ok(sqlx::query_scalar!("SELECT count(*) FROM orders")
            .fetch_one(&self.pool)
            .await?)
    }

    /// The order's timeline, oldest first.
    pub async fn order_events(&self, order_id: i64) -> Result<Vec<OrderEvent>> {
        let rows = sqlx::query!(
            r#"SELECT id AS "id!", order_id, at AS "at: DateTime<Utc>",
                      from_status AS "from_status: OrderStatus",
                      to_status AS "to_status: OrderStatus", actor AS "actor: Actor", detail
               FROM order_events WHERE order_id = ? ORDER BY id"#,
            order_id
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| OrderEvent {
                id: row.id,
                order_id: row.order_id,
                at: row.at,
                from: row.from_status,
                to: row.to_status,
                actor: row.actor,
                detail: row.detail,
            })
            .collect())
    }

    /// Moves an order along its lifecycle (see [`lifecycle::transition`]) in its own transaction.
    pub async fn transition(
        &self,
        order_id: i64,
        to: impl Into<lifecycle::Target>,
        actor: Actor,
        detail: &str,
    ) -> Result<lifecycle::Applied> {
        let mut tx = self.write_transaction().await?;
        let applied = lifecycle::transition(&mut tx, order_id, to, actor, detail).await?;
        tx.commit().await?;
        Ok(applied)
    }
}

/// The one insert path for a new order: the order, its lines, its first event.
pub(crate) async fn insert_order(
    conn: &mut SqliteConnection,
    channel_id: i64,
    order: &NewOrder,
    actor: Actor,
    detail: &str,
) -> Result<i64> {
    order.ship_to.validate()?;
    if order.lines.is_empty() {
        return Err(Error::invalid("lines", "an order needs at least one line"));
    }
    let subtotal = subtotal(order)?;
    let now = Utc::now();
    // Every order starts `imported`; the lifecycle records its first event below.
    let status = OrderStatus::Imported;
    let email = order.customer_email.as_ref().map(|e| e.as_str());
    let channel_order_id = order.channel_order_id.as_str();
    let ship = &order.ship_to;
    let currency = order.total.currency.as_str();
    let (payment_state, payment_word) = order.store_payment.to_columns();
    let id = sqlx::query_scalar!(
        r#"INSERT INTO orders (
               channel_id, channel_order_id, number, status, customer_name, customer_email,
               ship_name, ship_line1, ship_line2, ship_city, ship_state_code, ship_postal_code,
               ship_country_code, ship_phone, currency, subtotal_minor, shipping_minor, tax_minor,
               total_minor, placed_at, channel_updated_at, created_at, updated_at, store_payment,
               store_payment_status, environment)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                   (SELECT CASE is_sandbox WHEN 1 THEN 'sandbox' ELSE 'live' END
                    FROM channels WHERE id = ?))
           RETURNING id AS "id!""#,
        channel_id,
        channel_order_id,
        order.number,
        status,
        order.customer_name,
        email,
        ship.name,
        ship.line1,
        ship.line2,
        ship.city,
        ship.state_code,
        ship.postal_code,
        ship.country_code,
        ship.phone,
        currency,
        subtotal.minor,
        order.shipping.minor,
        order.tax.minor,
        order.total.minor,
        order.placed_at,
        order.channel_updated_at,
        now,
        now,
        payment_state,
        payment_word,
        channel_id
    )
    .fetch_one(&mut *conn)
    .await?;
    insert_lines(&mut *conn, id, order).await?;
    lifecycle::record_created(&mut *conn, id, now, actor, detail).await?;
    Ok(id)
}

/// Writes `order`'s lines for the stored order `id`, in one statement.
pub(crate) async fn insert_lines(
    conn: &mut SqliteConnection,
    id: i64,
    order: &NewOrder,
) -> Result<()> {
    let lines: Vec<serde_json::Value> = order
        .lines
        .iter()
        .map(|line| {
            serde_json::json!({
                "sku": line.sku.as_str(),
                "title": line.title,
                "quantity": line.quantity,
                "unit_price_minor": line.unit_price.minor,
                "unit_weight_grams": line.unit_weight_grams,
            })
        })
        .collect();
    let lines = serde_json::Value::Array(lines).to_string();
    sqlx::query!(
        "INSERT INTO order_lines (order_id, position, sku, title, quantity, unit_price_minor,
                                  unit_weight_grams)
         SELECT ?1, key, value ->> '$.sku', value ->> '$.title', value ->> '$.quantity',
                value ->> '$.unit_price_minor', value ->> '$.unit_weight_grams'
         FROM json_each(?2)",
        id,
        lines
    )
    .execute(&mut *conn)
    .await?;
    index_for_search(conn, id).await
}

/// Writes the order's row of the search index (number, customer, email, SKUs, tracking), once
/// its lines are in.
pub(crate) async fn index_for_search(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    sqlx::query!("DELETE FROM order_search WHERE rowid = ?", id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "INSERT INTO order_search (rowid, number, customer, email, skus, tracking)
         SELECT o.id, o.number, o.customer_name, coalesce(o.customer_email, ''),
                coalesce((SELECT group_concat(sku, ' ') FROM order_lines l
                          WHERE l.order_id = o.id), ''),
                coalesce((SELECT group_concat(tracking_number, ' ') FROM shipments s
                          WHERE s.order_id = o.id), '')
         FROM orders o WHERE o.id = ?",
        id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Subtotal of `order`'s lines, checked: every line has a quantity, all in one currency.
pub(crate) fn subtotal(order: &NewOrder) -> Result<crate::domain::Money> {
    order.subtotal()
}
