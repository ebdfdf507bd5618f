//! The statement's invoices a page at a time, by date, with a keyset cursor over the
//! `orders_statement` index: the window's statement and the CSV export both read through here.

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};

use super::{overflow, AdjustmentKind, Period, StatementAdjustment, StatementInvoice};
use crate::domain::Environment;
use crate::export::PAGE;
use crate::supplier::PaymentStatus;
use crate::Result;

/// When an invoice falls, and which invoices are on a statement: the `orders_statement` index's
/// expression and condition, repeated word for word so SQLite reads the month from the index.
macro_rules! dated {
    () => {
        "(CASE WHEN payment_status = 'declined' THEN payment_declined_at
          ELSE coalesce(authorized_at, paid_at) END)"
    };
}

const QUERY: &str = concat!(
    "SELECT id, number, supplier_invoice_id, supplier_currency, supplier_product_cost_minor,
            supplier_shipping_cost_minor, supplier_cost_minor, payment_status, authorized_at,
            paid_at, payment_declined_at, ",
    dated!(),
    " AS dated_at
     FROM orders INDEXED BY orders_statement
     WHERE environment = ?6 AND supplier_invoice_id IS NOT NULL
       AND payment_status IN ('authorized', 'paid', 'declined')
       AND ",
    dated!(),
    " >= ?1 AND ",
    dated!(),
    " < ?2 AND (",
    dated!(),
    ", id) > (?3, ?4)
     ORDER BY ",
    dated!(),
    ", id LIMIT ?5"
);

/// Reads a statement's invoices, oldest first, a page at a time.
pub(crate) struct StatementReader<'a> {
    pool: &'a SqlitePool,
    period: Period,
    environment: Environment,
    /// The last invoice read: its date as stored, and its order.
    after: (String, i64),
    done: bool,
}

impl<'a> StatementReader<'a> {
    pub(crate) fn new(pool: &'a SqlitePool, period: Period, environment: Environment) -> Self {
        Self {
            pool,
            period,
            environment,
            after: (String::new(), 0),
            done: false,
        }
    }

    /// The next page of invoices, `None` after the last.
    pub(crate) async fn next_page(&mut self) -> Result<Option<Vec<StatementInvoice>>> {
        if self.done {
            return Ok(None);
        }
        let rows = sqlx::query(QUERY)
            .bind(self.period.from)
            .bind(self.period.to)
            .bind(&self.after.0)
            .bind(self.after.1)
            .bind(PAGE)
            .bind(self.environment)
            .fetch_all(self.pool)
            .await?;
        let Some(last) = rows.last() else {
            self.done = true;
            return Ok(None);
        };
        self.after = (last.try_get("dated_at")?, last.try_get("id")?);
        self.done = i64::try_from(rows.len()).map_or(true, |len| len < PAGE);
        rows.iter().map(invoice).collect::<Result<_>>().map(Some)
    }
}

fn invoice(row: &SqliteRow) -> Result<StatementInvoice> {
    let currency: Option<String> = row.try_get("supplier_currency")?;
    let items: i64 = row
        .try_get::<Option<i64>, _>("supplier_product_cost_minor")?
        .unwrap_or(0);
    let shipping: i64 = row
        .try_get::<Option<i64>, _>("supplier_shipping_cost_minor")?
        .unwrap_or(0);
    let total = items.checked_add(shipping).ok_or_else(overflow)?;
    // What US Direct charges: its invoice's total, items plus shipping when it gave none.
    let charged: Option<i64> = row.try_get("supplier_cost_minor")?;
    let difference = charged
        .map(|charged| charged.checked_sub(total).ok_or_else(overflow))
        .transpose()?
        .unwrap_or(0);
    let adjustments = match difference {
        0 => Vec::new(),
        amount => {
            let kind = if amount > 0 {
                AdjustmentKind::ShippingSurcharge
            } else {
                AdjustmentKind::ShippingCredit
            };
            vec![StatementAdjustment {
                kind,
                description: kind.description().to_owned(),
                amount_minor: amount,
            }]
        }
    };
    Ok(StatementInvoice {
        order_id: row.try_get("id")?,
        order_number: row.try_get("number")?,
        invoice_id: row.try_get("supplier_invoice_id")?,
        currency: currency.unwrap_or_else(|| "USD".into()),
        items_minor: items,
        shipping_minor: shipping,
        total_minor: total,
        status: row.try_get::<PaymentStatus, _>("payment_status")?,
        dated_at: row.try_get::<DateTime<Utc>, _>("dated_at")?,
        authorized_at: row.try_get("authorized_at")?,
        paid_at: row.try_get("paid_at")?,
        declined_at: row.try_get("payment_declined_at")?,
        adjustments,
    })
}
