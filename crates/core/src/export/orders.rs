//! The Orders list as filtered, one row per order.

use std::collections::HashMap;
use std::io::Write;

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{amount, text, time, ExportOptions, ExportSummary, Sheet, PAGE};
use crate::lifecycle::OrderStatus;
use crate::store::ListOrders;
use crate::{Engine, Result};

const HEADER: [&str; 12] = [
    "Number",
    "Channel",
    "Status",
    "Customer",
    "Total",
    "Currency",
    "Placed at",
    "Items",
    "US Direct cost",
    "US Direct currency",
    "Margin",
    "Tracking numbers",
];

impl Engine {
    /// Writes the orders `filter` finds (its `limit` and `offset` aside: every match), newest
    /// first as the list shows them, to `out` as CSV.
    pub async fn export_orders<W: Write + Send>(
        &self,
        filter: &ListOrders,
        out: W,
        options: ExportOptions,
    ) -> Result<ExportSummary> {
        let store = self.store();
        let mut sheet = Sheet::new(out, options, &HEADER)?;
        let hits = store.export_hits(filter).await?;
        let mut cursor = None;
        loop {
            let (ids, next) = store
                .export_page_ids(filter, hits.as_ref(), cursor.as_ref(), PAGE)
                .await?;
            if ids.is_empty() {
                break;
            }
            write_page(self, &mut sheet, &ids).await?;
            // The cursor moves strictly down the list's order; a page that ends where the last
            // one did would loop for ever.
            if next.is_none() || next == cursor {
                return Err(crate::Error::invalid(
                    "export",
                    "the export stopped moving through the orders; try again",
                ));
            }
            if ids.len() < PAGE as usize {
                break;
            }
            cursor = next;
        }
        sheet.finish()
    }
}

/// The orders `ids`, in that order, with their lines and tracking numbers.
async fn write_page<W: Write>(engine: &Engine, sheet: &mut Sheet<W>, ids: &[i64]) -> Result<()> {
    let pool = engine.store().pool();
    let ids_json = serde_json::to_string(ids).map_err(|err| sqlx::Error::Decode(Box::new(err)))?;
    let rows = sqlx::query(
        "SELECT o.id, o.number, c.name AS channel, o.status, o.customer_name, o.subtotal_minor,
                o.shipping_minor, o.total_minor, o.currency, o.placed_at, o.supplier_currency,
                coalesce(o.supplier_cost_minor,
                         o.supplier_product_cost_minor + o.supplier_shipping_cost_minor)
                    AS supplier_cost,
                (SELECT group_concat(s.tracking_number, ' ') FROM shipments s
                 WHERE s.order_id = o.id) AS tracking
         FROM orders o JOIN channels c ON c.id = o.channel_id
         WHERE o.id IN (SELECT value FROM json_each(?1))",
    )
    .bind(&ids_json)
    .fetch_all(pool)
    .await?;
    let lines = sqlx::query(
        "SELECT order_id, sku, title, quantity FROM order_lines
         WHERE order_id IN (SELECT value FROM json_each(?1))
         ORDER BY order_id, position",
    )
    .bind(&ids_json)
    .fetch_all(pool)
    .await?;
    let mut items: HashMap<i64, Vec<String>> = HashMap::new();
    for line in &lines {
        let order_id: i64 = line.try_get("order_id")?;
        let sku: String = line.try_get("sku")?;
        let title: String = line.try_get("title")?;
        let quantity: i64 = line.try_get("quantity")?;
        items
            .entry(order_id)
            .or_default()
            .push(format!("{quantity}\u{d7} {sku} {title}"));
    }
    let mut by_id = HashMap::with_capacity(rows.len());
    for row in rows {
        by_id.insert(row.try_get::<i64, _>("id")?, row);
    }
    for id in ids {
        // An order deleted between the two reads is simply not written.
        let Some(row) = by_id.get(id) else { continue };
        let status: OrderStatus = row.try_get("status")?;
        let currency: String = row.try_get("currency")?;
        let placed_at: DateTime<Utc> = row.try_get("placed_at")?;
        let subtotal: i64 = row.try_get("subtotal_minor")?;
        let shipping: i64 = row.try_get("shipping_minor")?;
        let total: i64 = row.try_get("total_minor")?;
        let supplier_currency: Option<String> = row.try_get("supplier_currency")?;
        let supplier_cost: Option<i64> = row.try_get("supplier_cost")?;
        // As the order page: subtotal plus shipping charged, less US Direct's invoice (tax
        // passes through), when both are in one currency.
        let margin = supplier_cost
            .filter(|_| supplier_currency.as_deref() == Some(currency.as_str()))
            .and_then(|cost| subtotal.checked_add(shipping)?.checked_sub(cost));
        let tracking: Option<String> = row.try_get("tracking")?;
        let items = items
            .get(id)
            .map(|items| items.join("; "))
            .unwrap_or_default();
        let number: String = row.try_get("number")?;
        let channel: String = row.try_get("channel")?;
        let customer: String = row.try_get("customer_name")?;
        let supplier_currency = supplier_currency.unwrap_or_default();
        sheet.row([
            text(&number).as_ref(),
            text(&channel).as_ref(),
            status.as_str(),
            text(&customer).as_ref(),
            &amount(total, &currency),
            text(&currency).as_ref(),
            &time(&placed_at),
            text(&items).as_ref(),
            &supplier_cost.map_or_else(String::new, |cost| amount(cost, &supplier_currency)),
            text(&supplier_currency).as_ref(),
            &margin.map_or_else(String::new, |margin| amount(margin, &currency)),
            text(tracking.as_deref().unwrap_or_default()).as_ref(),
        ])?;
    }
    Ok(())
}
