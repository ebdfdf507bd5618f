//! Storing and listing orders.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use super::Store;
use crate::domain::{Actor, NewOrder, NewOrderLine, OrderEvent};
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
/// rows of the search index, each a statement for up to [`ROWS_PER_STATEMENT`] rows (a page of
/// orders is four statements). Every order is checked before any is written. Returns their ids
/// in the order given.
///
/// The rows are bound as parameters of one multi-row `INSERT … VALUES`, so nothing is encoded
/// on the way (one statement per row made the round trips to SQLite's thread the import's cost;
/// rows as JSON for `json_each` made SQLite parse each row again for every column).
pub(crate) async fn insert_new_orders(
    conn: &mut SqliteConnection,
    channel_id: i64,
    orders: &[&NewOrder],
    actor: Actor,
    detail: &str,
) -> Result<Vec<i64>> {
    let mut subtotals = Vec::with_capacity(orders.len());
    for order in orders {
        if !order.ship_to.is_blank() {
            order.ship_to.validate()?;
        }
        if order.lines.is_empty() {
            return Err(Error::invalid("lines", "an order needs at least one line"));
        }
        subtotals.push(subtotal(order)?.minor);
    }
    let now = Utc::now();
    let environment = sqlx::query_scalar!(
        r#"SELECT CASE is_sandbox WHEN 1 THEN 'sandbox' ELSE 'live' END AS "environment!: String"
           FROM channels WHERE id = ?"#,
        channel_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::NotFound {
        what: format!("channel {channel_id}"),
    })?;
    let mut ids = Vec::with_capacity(orders.len());
    for (chunk, subtotals) in orders
        .chunks(ROWS_PER_STATEMENT)
        .zip(subtotals.chunks(ROWS_PER_STATEMENT))
    {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO orders (
                 channel_id, channel_order_id, number, status, customer_name, customer_email,
                 ship_name, ship_line1, ship_line2, ship_city, ship_state_code, ship_postal_code,
                 ship_country_code, ship_phone, currency, subtotal_minor, shipping_minor,
                 tax_minor, total_minor, placed_at, channel_updated_at, created_at, updated_at,
                 store_payment, store_payment_status, environment) ",
        );
        insert.push_values(chunk.iter().zip(subtotals), |mut row, (order, subtotal)| {
            let ship = &order.ship_to;
            let (payment, payment_word) = order.store_payment.to_columns();
            // Every order starts `imported`; its first event is written below.
            row.push_bind(channel_id)
                .push_bind(order.channel_order_id.as_str())
                .push_bind(order.number.as_str())
                .push_bind(OrderStatus::Imported)
                .push_bind(order.customer_name.as_str())
                .push_bind(order.customer_email.as_ref().map(|e| e.as_str()))
                .push_bind(ship.name.as_str())
                .push_bind(ship.line1.as_str())
                .push_bind(ship.line2.as_deref())
                .push_bind(ship.city.as_str())
                .push_bind(ship.state_code.as_str())
                .push_bind(ship.postal_code.as_str())
                .push_bind(ship.country_code.as_str())
                .push_bind(ship.phone.as_deref())
                .push_bind(order.total.currency.as_str())
                .push_bind(*subtotal)
                .push_bind(order.shipping.minor)
                .push_bind(order.tax.minor)
                .push_bind(order.total.minor)
                .push_bind(order.placed_at)
                .push_bind(order.channel_updated_at)
                .push_bind(now)
                .push_bind(now)
                .push_bind(payment)
                .push_bind(payment_word)
                .push_bind(environment.as_str());
        });
        insert.push(" RETURNING id, channel_order_id");
        let inserted = insert.build().fetch_all(&mut *conn).await?;
        // RETURNING gives the rows in no set order: match them by the store's id.
        let mut by_store_id: HashMap<String, i64> = HashMap::with_capacity(inserted.len());
        for row in &inserted {
            by_store_id.insert(row.try_get("channel_order_id")?, row.try_get("id")?);
        }
        for order in chunk {
            let id = by_store_id
                .get(order.channel_order_id.as_str())
                .copied()
                .ok_or_else(|| Error::invalid("orders", "an order of the page was not stored"))?;
            ids.push(id);
        }
    }
    let written: Vec<(i64, &NewOrder)> = ids.iter().copied().zip(orders.iter().copied()).collect();
    insert_lines(&mut *conn, &written).await?;
    let ids_json = to_json(&ids)?;
    let created = (None, OrderStatus::Imported);
    lifecycle::record_events(&mut *conn, &ids_json, now, created, actor, detail).await?;
    for chunk in written.chunks(ROWS_PER_STATEMENT) {
        // A new order has no shipment yet, so no tracking.
        let mut search = QueryBuilder::<Sqlite>::new(
            "INSERT INTO order_search (rowid, number, customer, email, tracking) ",
        );
        search.push_values(chunk, |mut row, (id, order)| {
            row.push_bind(*id)
                .push_bind(order.number.as_str())
                .push_bind(order.customer_name.as_str())
                .push_bind(order.customer_email.as_ref().map_or("", |e| e.as_str()))
                .push_bind("");
        });
        search.build().execute(&mut *conn).await?;
    }
    // SKUs are searched from the lines: the page's distinct SKUs join the ones seen before.
    let skus: BTreeSet<&str> = orders
        .iter()
        .flat_map(|order| order.lines.iter().filter_map(|line| line.sku.as_ref()))
        .map(|sku| sku.as_str())
        .collect();
    let skus = to_json(&skus)?;
    sqlx::query!(
        "INSERT OR IGNORE INTO search_skus (sku) SELECT value FROM json_each(?)",
        skus
    )
    .execute(&mut *conn)
    .await?;
    Ok(ids)
}

/// The most rows one multi-row statement binds: 26 parameters a row stay well under SQLite's
/// 32,766, and a page of orders (100 to 250) is one statement.
const ROWS_PER_STATEMENT: usize = 500;

/// Rows as one JSON array for `json_each`. Plain structs of strings and numbers always
/// serialize; a failure would be an encoding error of the statement.
fn to_json<T: Serialize + ?Sized>(rows: &T) -> Result<String> {
    serde_json::to_string(rows).map_err(|err| sqlx::Error::Encode(Box::new(err)).into())
}

/// Writes the lines of stored orders (`(order id, order)`), a statement for up to
/// [`ROWS_PER_STATEMENT`] lines.
pub(crate) async fn insert_lines(
    conn: &mut SqliteConnection,
    orders: &[(i64, &NewOrder)],
) -> Result<()> {
    let lines: Vec<(i64, usize, &NewOrderLine)> = orders
        .iter()
        .flat_map(|(order_id, order)| {
            order
                .lines
                .iter()
                .enumerate()
                .map(move |(position, line)| (*order_id, position, line))
        })
        .collect();
    for chunk in lines.chunks(ROWS_PER_STATEMENT) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO order_lines (order_id, position, sku, title, quantity,
                                      unit_price_minor, unit_weight_grams, requires_shipping) ",
        );
        insert.push_values(chunk, |mut row, (order_id, position, line)| {
            row.push_bind(*order_id)
                .push_bind(i64::try_from(*position).unwrap_or(i64::MAX))
                .push_bind(line.sku_text())
                .push_bind(line.title.as_str())
                .push_bind(line.quantity)
                .push_bind(line.unit_price.minor)
                .push_bind(line.unit_weight_grams)
                .push_bind(line.requires_shipping);
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Writes the order's row of the search index (number, customer, email, tracking) and adds its
/// lines' SKUs to the SKUs searched, once its lines are in.
pub(crate) async fn index_for_search(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    sqlx::query!("DELETE FROM order_search WHERE rowid = ?", id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "INSERT INTO order_search (rowid, number, customer, email, tracking)
         SELECT o.id, o.number, o.customer_name, coalesce(o.customer_email, ''),
                coalesce((SELECT group_concat(tracking_number, ' ') FROM shipments s
                          WHERE s.order_id = o.id), '')
         FROM orders o WHERE o.id = ?",
        id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT OR IGNORE INTO search_skus (sku)
         SELECT sku FROM order_lines WHERE order_id = ? AND sku != ''",
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
