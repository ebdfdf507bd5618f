//! US Direct's statement for a period: every invoice authorized, paid or declined in it, and a
//! totals row per currency that is the sum of the rows to the cent.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sqlx::Row;

use super::{amount, day_start, text, time, ExportOptions, ExportSummary, Sheet, PAGE};
use crate::supplier::PaymentStatus;
use crate::{Engine, Error, Result};

const HEADER: [&str; 9] = [
    "Order",
    "Invoice",
    "Items cost",
    "Shipping",
    "Total",
    "Currency",
    "Status",
    "Authorized at",
    "Last changed at",
];

/// A statement's period: `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Period {
    /// A calendar month, UTC.
    pub fn month(year: i32, month: u32) -> Result<Self> {
        let bad = || Error::invalid("month", format!("{year}-{month:02} is not a month"));
        let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
        let next = if first.month() == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        }
        .ok_or_else(bad)?;
        Ok(Self {
            from: day_start(first),
            to: day_start(next),
        })
    }
}

/// Sums per currency: items, shipping, total.
type Totals = BTreeMap<String, [i64; 3]>;

impl Engine {
    /// Writes every US Direct invoice authorized, paid or declined in `period`, in order of
    /// the dealer's orders, then a `Total` row per currency, to `out` as CSV.
    ///
    /// An invoice falls in the period by when it was authorized; a declined one (its
    /// authorization undone) by when the order last changed, which is the decline unless the
    /// dealer acted on the order since.
    pub async fn export_statement<W: Write + Send>(
        &self,
        period: Period,
        out: W,
        options: ExportOptions,
    ) -> Result<ExportSummary> {
        let pool = self.store().pool();
        let mut sheet = Sheet::new(out, options, &HEADER)?;
        let mut totals = Totals::new();
        let mut after = 0_i64;
        loop {
            let rows = sqlx::query(
                "SELECT o.id, o.number, o.supplier_invoice_id, o.supplier_currency,
                        o.supplier_product_cost_minor, o.supplier_shipping_cost_minor,
                        o.supplier_cost_minor, o.payment_status, o.authorized_at, o.updated_at
                 FROM orders o
                 WHERE o.id > ?1 AND o.supplier_invoice_id IS NOT NULL
                   AND o.payment_status IN ('authorized', 'paid', 'declined')
                   AND coalesce(o.authorized_at, o.updated_at) >= ?2
                   AND coalesce(o.authorized_at, o.updated_at) < ?3
                 ORDER BY o.id LIMIT ?4",
            )
            .bind(after)
            .bind(period.from)
            .bind(period.to)
            .bind(PAGE)
            .fetch_all(pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("id")?;
            for row in &rows {
                let number: String = row.try_get("number")?;
                let invoice: String = row.try_get("supplier_invoice_id")?;
                let currency: Option<String> = row.try_get("supplier_currency")?;
                let currency = currency.unwrap_or_else(|| "USD".into());
                let items: i64 = row
                    .try_get::<Option<i64>, _>("supplier_product_cost_minor")?
                    .unwrap_or(0);
                let shipping: i64 = row
                    .try_get::<Option<i64>, _>("supplier_shipping_cost_minor")?
                    .unwrap_or(0);
                let total: Option<i64> = row.try_get("supplier_cost_minor")?;
                let total = total.unwrap_or(items.saturating_add(shipping));
                let status: PaymentStatus = row.try_get("payment_status")?;
                let authorized_at: Option<DateTime<Utc>> = row.try_get("authorized_at")?;
                let updated_at: DateTime<Utc> = row.try_get("updated_at")?;
                let sums = totals.entry(currency.clone()).or_default();
                for (sum, value) in sums.iter_mut().zip([items, shipping, total]) {
                    *sum = sum.checked_add(value).ok_or_else(|| {
                        Error::invalid("statement", "the statement's totals overflow")
                    })?;
                }
                sheet.row([
                    text(&number).as_ref(),
                    text(&invoice).as_ref(),
                    &amount(items, &currency),
                    &amount(shipping, &currency),
                    &amount(total, &currency),
                    text(&currency).as_ref(),
                    status_name(status),
                    &authorized_at.as_ref().map(time).unwrap_or_default(),
                    &time(&updated_at),
                ])?;
            }
        }
        for (currency, [items, shipping, total]) in &totals {
            sheet.extra([
                "Total",
                "",
                &amount(*items, currency),
                &amount(*shipping, currency),
                &amount(*total, currency),
                text(currency).as_ref(),
                "",
                "",
                "",
            ])?;
        }
        sheet.finish()
    }
}

fn status_name(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::NotAuthorized => "not_authorized",
        PaymentStatus::Authorized => "authorized",
        PaymentStatus::Paid => "paid",
        PaymentStatus::Declined => "declined",
    }
}
