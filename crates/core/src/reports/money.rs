//! Revenue, US Direct's cost and the margin per bucket and currency.
//!
//! Which orders count: every order placed in the bucket but those `cancelled` (no sale) and
//! `not_for_us_direct` (fulfilled elsewhere, no US Direct cost to set against it).
//!
//! - `orders`, `revenue_minor`: those orders, and the sum of their store totals (what the
//!   customers paid, tax included).
//! - `invoiced_orders`, `cost_minor`, `margin_minor`: of those, the orders US Direct has
//!   invoiced in the order's own currency; their invoice totals, and the sum of their margins
//!   as the order page shows each one: subtotal plus the shipping charged, less the invoice
//!   (tax passes through to the tax authority). An order not invoiced yet, or invoiced in
//!   another currency (a CAD store and US Direct's USD), has no margin on its page, so it adds
//!   to neither: the margin is never a sum across currencies. So `margin_minor` is not
//!   `revenue_minor − cost_minor`: revenue counts every order and tax.

use sqlx::Row;

use super::spans::{Spans, SPANS};
use super::MoneyBucket;
use crate::domain::Environment;
use crate::store::Store;
use crate::Result;

impl Store {
    /// The money series over `buckets`, one row per bucket and currency with orders, in bucket
    /// then currency order. The environment's currencies are found by a skip over
    /// `orders_dashboard_sales` (one look-up each); then per bucket and currency one range of
    /// `orders_dashboard_sales` (orders, revenue) and one of `orders_dashboard_invoiced` (cost,
    /// and the subtotal and shipping the margin is taken from): no sort, no row read.
    pub async fn dashboard_money(
        &self,
        environment: Environment,
        buckets: &Spans,
    ) -> Result<Vec<MoneyBucket>> {
        let rows = sqlx::query(&format!(
            "WITH RECURSIVE {SPANS},
             c(cur) AS (
                 SELECT (SELECT min(o.currency) FROM orders o INDEXED BY orders_dashboard_sales
                         WHERE o.environment = ?2 AND {SALE})
                 UNION ALL
                 SELECT (SELECT min(o.currency) FROM orders o INDEXED BY orders_dashboard_sales
                         WHERE o.environment = ?2 AND {SALE} AND o.currency > c.cur)
                 FROM c WHERE c.cur IS NOT NULL)
             SELECT s.k, c.cur,
                    (SELECT json_array(count(*), sum(o.total_minor))
                     FROM orders o INDEXED BY orders_dashboard_sales
                     WHERE o.environment = ?2 AND o.currency = c.cur
                       AND unixepoch(o.placed_at) >= s.lo_s AND unixepoch(o.placed_at) < s.hi_s
                       AND {SALE}) AS sales,
                    (SELECT json_array(count(*), sum(o.supplier_cost_minor), sum(o.subtotal_minor),
                                       sum(o.shipping_minor))
                     FROM orders o INDEXED BY orders_dashboard_invoiced
                     WHERE o.environment = ?2 AND o.currency = c.cur
                       AND coalesce(o.supplier_currency, o.currency) = c.cur
                       AND unixepoch(o.placed_at) >= s.lo_s AND unixepoch(o.placed_at) < s.hi_s
                       AND {SALE}
                       AND o.supplier_cost_minor IS NOT NULL) AS invoiced
             FROM s CROSS JOIN c
             WHERE c.cur IS NOT NULL
             ORDER BY s.k, c.cur"
        ))
        .bind(buckets.json())
        .bind(environment)
        .fetch_all(self.pool())
        .await?;
        let mut money = Vec::new();
        for row in &rows {
            let [orders, revenue_minor] = figures(&row.try_get::<String, _>("sales")?)?;
            if orders == 0 {
                continue;
            }
            let [invoiced_orders, cost_minor, subtotal, shipping] =
                figures(&row.try_get::<String, _>("invoiced")?)?;
            // As the order page: subtotal plus shipping, less the invoice; peers' numbers, so
            // a sum past what an amount holds is an error, not a wrapped margin.
            let margin_minor = subtotal
                .checked_add(shipping)
                .and_then(|sale| sale.checked_sub(cost_minor))
                .ok_or_else(|| {
                    sqlx::Error::Decode("the margin is past what an amount holds".into())
                })?;
            money.push(MoneyBucket {
                start: buckets.start(row.try_get("k")?)?,
                currency: row.try_get("cur")?,
                orders,
                revenue_minor,
                invoiced_orders,
                cost_minor,
                margin_minor,
            });
        }
        Ok(money)
    }
}

/// The sales: the statuses the money counts (the partial indexes' own condition).
const SALE: &str = "o.status NOT IN ('cancelled', 'not_for_us_direct')";

/// `[3, 1500, null]` → `[3, 1500, 0]`: a count and sums, a sum of nothing being 0.
fn figures<const N: usize>(json: &str) -> Result<[i64; N]> {
    let values: Vec<Option<i64>> = serde_json::from_str(json)
        .map_err(|error| sqlx::Error::Decode(format!("{json:?}: {error}").into()))?;
    let values: Vec<i64> = values.into_iter().map(Option::unwrap_or_default).collect();
    Ok(<[i64; N]>::try_from(values)
        .map_err(|_| sqlx::Error::Decode(format!("{json:?}: {N} figures expected").into()))?)
}
