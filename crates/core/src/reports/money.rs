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

use super::spans::Spans;
use super::MoneyBucket;
use crate::domain::Environment;
use crate::store::Store;
use crate::Result;

impl Store {
    /// The money series over `buckets`, one row per bucket and currency with orders, in bucket
    /// then currency order. One walk of `orders_dashboard_money` over the period.
    pub async fn dashboard_money(
        &self,
        environment: Environment,
        buckets: &Spans,
    ) -> Result<Vec<MoneyBucket>> {
        let rows = sqlx::query(
            "WITH s(k, lo, hi) AS MATERIALIZED (
                 SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),
                        json_extract(value, '$[2]') FROM json_each(?1))
             SELECT s.k, o.currency, count(*) AS n, sum(o.total_minor) AS revenue,
                    count(o.supplier_cost_minor) FILTER (WHERE coalesce(o.supplier_currency,
                        o.currency) = o.currency) AS invoiced,
                    coalesce(sum(o.supplier_cost_minor) FILTER (WHERE coalesce(
                        o.supplier_currency, o.currency) = o.currency), 0) AS cost,
                    coalesce(sum(o.subtotal_minor + o.shipping_minor - o.supplier_cost_minor)
                        FILTER (WHERE coalesce(o.supplier_currency, o.currency) = o.currency),
                        0) AS margin
             FROM s CROSS JOIN orders o INDEXED BY orders_dashboard_money
                  ON o.environment = ?2 AND o.placed_at >= s.lo AND o.placed_at < s.hi
             WHERE o.status NOT IN ('cancelled', 'not_for_us_direct')
             GROUP BY s.k, o.currency ORDER BY s.k, o.currency",
        )
        .bind(buckets.json())
        .bind(environment)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(MoneyBucket {
                    start: buckets.start(row.try_get("k")?)?,
                    currency: row.try_get("currency")?,
                    orders: row.try_get("n")?,
                    revenue_minor: row.try_get("revenue")?,
                    invoiced_orders: row.try_get("invoiced")?,
                    cost_minor: row.try_get("cost")?,
                    margin_minor: row.try_get("margin")?,
                })
            })
            .collect()
    }
}
