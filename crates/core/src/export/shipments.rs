//! The shipments of a period, one row per tracking number.

use std::collections::HashMap;
use std::io::Write;

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{text, time, ExportOptions, ExportSummary, Sheet, PAGE};
use crate::domain::Environment;
use crate::{Engine, Result};

const HEADER: [&str; 6] = [
    "Order",
    "Tracking number",
    "Carrier",
    "Shipped at",
    "Pushed to store at",
    "Lines",
];

impl Engine {
    /// Writes the shipments of `environment`'s orders shipped in `[from, to)`, oldest first, to
    /// `out` as CSV.
    pub async fn export_shipments<W: Write + Send>(
        &self,
        environment: Environment,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        out: W,
        options: ExportOptions,
    ) -> Result<ExportSummary> {
        let pool = self.store().pool();
        let mut sheet = Sheet::new(out, options, &HEADER)?;
        let mut after = 0_i64;
        loop {
            let rows = sqlx::query(
                "SELECT s.id, o.number, s.tracking_number, s.carrier, s.shipped_at, s.pushed_at
                 FROM shipments s JOIN orders o ON o.id = s.order_id
                 WHERE s.id > ?1 AND s.shipped_at >= ?2 AND s.shipped_at < ?3
                   AND o.environment = ?4
                 ORDER BY s.id LIMIT ?5",
            )
            .bind(after)
            .bind(from)
            .bind(to)
            .bind(environment)
            .bind(PAGE)
            .fetch_all(pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("id")?;
            let ids = rows
                .iter()
                .map(|row| row.try_get::<i64, _>("id"))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            let ids_json =
                serde_json::to_string(&ids).map_err(|err| sqlx::Error::Decode(Box::new(err)))?;
            let lines = sqlx::query(
                "SELECT shipment_id, sku, quantity FROM shipment_lines
                 WHERE shipment_id IN (SELECT value FROM json_each(?1))
                 ORDER BY shipment_id, sku",
            )
            .bind(&ids_json)
            .fetch_all(pool)
            .await?;
            let mut by_shipment: HashMap<i64, Vec<String>> = HashMap::new();
            for line in &lines {
                let quantity: i64 = line.try_get("quantity")?;
                let sku: String = line.try_get("sku")?;
                by_shipment
                    .entry(line.try_get("shipment_id")?)
                    .or_default()
                    .push(format!("{quantity}\u{d7} {sku}"));
            }
            for row in &rows {
                let id: i64 = row.try_get("id")?;
                let number: String = row.try_get("number")?;
                let tracking: String = row.try_get("tracking_number")?;
                let carrier: String = row.try_get("carrier")?;
                let shipped_at: DateTime<Utc> = row.try_get("shipped_at")?;
                let pushed_at: Option<DateTime<Utc>> = row.try_get("pushed_at")?;
                let lines = by_shipment
                    .get(&id)
                    .map(|lines| lines.join("; "))
                    .unwrap_or_default();
                sheet.row([
                    text(&number).as_ref(),
                    text(&tracking).as_ref(),
                    text(&carrier).as_ref(),
                    &time(&shipped_at),
                    &pushed_at.as_ref().map(time).unwrap_or_default(),
                    text(&lines).as_ref(),
                ])?;
            }
        }
        sheet.finish()
    }
}
