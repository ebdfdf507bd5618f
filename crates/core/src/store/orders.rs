//! Storing and listing orders.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use sqlx::SqliteConnection;

use super::Store;
use crate::domain::{Actor, NewOrder, OrderEvent, PaymentState};
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
        let orders: Vec<&NewOrder> = orders.iter().collect();
        let ids = insert_new_orders(&mut tx, channel_id, &orders, actor, detail).await?;
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

/// The one insert path for new orders: the orders, their lines, their first events and their
/// rows of the search index, in four statements however many orders there are (each statement
/// reads the orders from one JSON array with `json_each`). Every order is checked before any is
/// written. Returns their ids in the order given.
pub(crate) async fn insert_new_orders(
    conn: &mut SqliteConnection,
    channel_id: i64,
    orders: &[&NewOrder],
    actor: Actor,
    detail: &str,
) -> Result<Vec<i64>> {
    if orders.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows = Vec::with_capacity(orders.len());
    for order in orders {
        order.ship_to.validate()?;
        if order.lines.is_empty() {
            return Err(Error::invalid("lines", "an order needs at least one line"));
        }
        rows.push(OrderRow::new(order, subtotal(order)?.minor));
    }
    let rows = to_json(&rows)?;
    let now = Utc::now();
    // Every order starts `imported`; its first event is written below.
    let status = OrderStatus::Imported;
    let inserted = sqlx::query!(
        r#"INSERT INTO orders (
               channel_id, channel_order_id, number, status, customer_name, customer_email,
               ship_name, ship_line1, ship_line2, ship_city, ship_state_code, ship_postal_code,
               ship_country_code, ship_phone, currency, subtotal_minor, shipping_minor, tax_minor,
               total_minor, placed_at, channel_updated_at, created_at, updated_at, store_payment,
               store_payment_status, environment)
           SELECT ?1, o.value ->> '$.channel_order_id', o.value ->> '$.number', ?2,
                  o.value ->> '$.customer_name', o.value ->> '$.customer_email',
                  o.value ->> '$.ship_name', o.value ->> '$.ship_line1',
                  o.value ->> '$.ship_line2', o.value ->> '$.ship_city',
                  o.value ->> '$.ship_state_code', o.value ->> '$.ship_postal_code',
                  o.value ->> '$.ship_country_code', o.value ->> '$.ship_phone',
                  o.value ->> '$.currency', o.value ->> '$.subtotal_minor',
                  o.value ->> '$.shipping_minor', o.value ->> '$.tax_minor',
                  o.value ->> '$.total_minor', o.value ->> '$.placed_at',
                  o.value ->> '$.channel_updated_at', ?3, ?3, o.value ->> '$.store_payment',
                  o.value ->> '$.store_payment_status',
                  (SELECT CASE is_sandbox WHEN 1 THEN 'sandbox' ELSE 'live' END
                   FROM channels WHERE id = ?1)
           FROM json_each(?4) o
           ORDER BY o.key
           RETURNING id AS "id!", channel_order_id"#,
        channel_id,
        status,
        now,
        rows
    )
    .fetch_all(&mut *conn)
    .await?;
    // RETURNING gives the rows in no set order: match them by the store's id.
    let by_store_id: HashMap<&str, i64> = inserted
        .iter()
        .map(|row| (row.channel_order_id.as_str(), row.id))
        .collect();
    let ids = orders
        .iter()
        .map(|order| {
            by_store_id
                .get(order.channel_order_id.as_str())
                .copied()
                .ok_or_else(|| Error::invalid("orders", "an order of the page was not stored"))
        })
        .collect::<Result<Vec<i64>>>()?;
    let written: Vec<(i64, &NewOrder)> = ids.iter().copied().zip(orders.iter().copied()).collect();
    insert_lines(&mut *conn, &written).await?;
    let ids_json = to_json(&ids)?;
    lifecycle::record_created(&mut *conn, &ids_json, now, actor, detail).await?;
    let search: Vec<SearchRow<'_>> = written
        .iter()
        .map(|(id, order)| SearchRow::new(*id, order))
        .collect();
    let search = to_json(&search)?;
    sqlx::query!(
        "INSERT INTO order_search (rowid, number, customer, email, skus, tracking)
         SELECT value ->> '$.id', value ->> '$.number', value ->> '$.customer',
                value ->> '$.email', value ->> '$.skus', ''
         FROM json_each(?1)",
        search
    )
    .execute(&mut *conn)
    .await?;
    Ok(ids)
}

/// An order's row as [`insert_new_orders`] hands it to SQLite, in the columns' own encoding
/// (times as sqlx writes them, so stored text compares the same whichever path wrote it).
#[derive(Serialize)]
struct OrderRow<'a> {
    channel_order_id: &'a str,
    number: &'a str,
    customer_name: &'a str,
    customer_email: Option<&'a str>,
    ship_name: &'a str,
    ship_line1: &'a str,
    ship_line2: Option<&'a str>,
    ship_city: &'a str,
    ship_state_code: &'a str,
    ship_postal_code: &'a str,
    ship_country_code: &'a str,
    ship_phone: Option<&'a str>,
    currency: &'a str,
    subtotal_minor: i64,
    shipping_minor: i64,
    tax_minor: i64,
    total_minor: i64,
    placed_at: String,
    channel_updated_at: String,
    store_payment: PaymentState,
    store_payment_status: Option<&'a str>,
}

impl<'a> OrderRow<'a> {
    fn new(order: &'a NewOrder, subtotal_minor: i64) -> Self {
        let ship = &order.ship_to;
        let (store_payment, store_payment_status) = order.store_payment.to_columns();
        Self {
            channel_order_id: order.channel_order_id.as_str(),
            number: &order.number,
            customer_name: &order.customer_name,
            customer_email: order.customer_email.as_ref().map(|e| e.as_str()),
            ship_name: &ship.name,
            ship_line1: &ship.line1,
            ship_line2: ship.line2.as_deref(),
            ship_city: &ship.city,
            ship_state_code: &ship.state_code,
            ship_postal_code: &ship.postal_code,
            ship_country_code: &ship.country_code,
            ship_phone: ship.phone.as_deref(),
            currency: order.total.currency.as_str(),
            subtotal_minor,
            shipping_minor: order.shipping.minor,
            tax_minor: order.tax.minor,
            total_minor: order.total.minor,
            placed_at: sql_time(order.placed_at),
            channel_updated_at: sql_time(order.channel_updated_at),
            store_payment,
            store_payment_status,
        }
    }
}

/// A new order's row of the search index: no shipment yet, so no tracking.
#[derive(Serialize)]
struct SearchRow<'a> {
    id: i64,
    number: &'a str,
    customer: &'a str,
    email: &'a str,
    skus: String,
}

impl<'a> SearchRow<'a> {
    fn new(id: i64, order: &'a NewOrder) -> Self {
        let skus: Vec<&str> = order.lines.iter().map(|line| line.sku.as_str()).collect();
        Self {
            id,
            number: &order.number,
            customer: &order.customer_name,
            email: order.customer_email.as_ref().map_or("", |e| e.as_str()),
            skus: skus.join(" "),
        }
    }
}

/// Rows as one JSON array for `json_each`. Plain structs of strings and numbers always
/// serialize; a failure would be an encoding error of the statement.
fn to_json<T: Serialize + ?Sized>(rows: &T) -> Result<String> {
    serde_json::to_string(rows).map_err(|err| sqlx::Error::Encode(Box::new(err)).into())
}

/// A time as sqlx encodes a `DateTime<Utc>` parameter for SQLite.
fn sql_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// Writes the lines of stored orders (`(order id, order)`), in one statement.
pub(crate) async fn insert_lines(
    conn: &mut SqliteConnection,
    orders: &[(i64, &NewOrder)],
) -> Result<()> {
    #[derive(Serialize)]
    struct LineRow<'a> {
        order_id: i64,
        position: usize,
        sku: &'a str,
        title: &'a str,
        quantity: u32,
        unit_price_minor: i64,
        unit_weight_grams: u32,
    }
    let lines: Vec<LineRow<'_>> = orders
        .iter()
        .flat_map(|(order_id, order)| {
            order
                .lines
                .iter()
                .enumerate()
                .map(|(position, line)| LineRow {
                    order_id: *order_id,
                    position,
                    sku: line.sku.as_str(),
                    title: &line.title,
                    quantity: line.quantity,
                    unit_price_minor: line.unit_price.minor,
                    unit_weight_grams: line.unit_weight_grams,
                })
        })
        .collect();
    let lines = to_json(&lines)?;
    sqlx::query!(
        "INSERT INTO order_lines (order_id, position, sku, title, quantity, unit_price_minor,
                                  unit_weight_grams)
         SELECT value ->> '$.order_id', value ->> '$.position', value ->> '$.sku',
                value ->> '$.title', value ->> '$.quantity', value ->> '$.unit_price_minor',
                value ->> '$.unit_weight_grams'
         FROM json_each(?1) ORDER BY key",
        lines
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
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
