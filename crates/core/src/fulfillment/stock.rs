//! Stock before routing: before an order goes to US Direct, US Direct's item look-up is asked
//! about each of its US Direct items (through the item cache, [`crate::catalog`], at US
//! Direct's 2 requests a second). Routing then reads the answers: an item US Direct has too
//! few of holds the order "Out of stock at US Direct" instead of sending an order US Direct
//! would refuse, and US Direct's weight of each item replaces the store's (WooCommerce lines
//! carry none). An order held for stock routes by itself once a later check finds enough.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::changes::Change;
use crate::domain::{Actor, Environment};
use crate::lifecycle::{self, AttentionKind, OrderStatus};
use crate::outbox::{JobKind, JobState};
use crate::supplier::Suppliers;
use crate::{Engine, Result};

/// How long a stock answer is trusted before an order is sent: stock moves within the day, and
/// ten minutes keeps a busy store's routing to a few look-ups per item an hour.
pub const STOCK_MAX_AGE: Duration = Duration::from_secs(10 * 60);

/// What a stock check did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StockCheck {
    /// Items looked up (from the cache or US Direct).
    pub items: usize,
    /// Orders held for stock that were released because US Direct has enough again.
    pub restocked: usize,
}

impl Engine {
    /// Looks up, in each reachable environment, the US Direct items of the orders about to be
    /// routed and of the orders held for stock, then moves the held orders whose items are in
    /// stock again back to `imported` (the next routing sends them). A look-up that fails
    /// leaves its items unknown: routing then uses the store's numbers, and US Direct's own
    /// checks stay the last word.
    pub async fn check_stock(&self, suppliers: &Suppliers) -> Result<StockCheck> {
        self.check_stock_within(suppliers, STOCK_MAX_AGE).await
    }

    /// [`check_stock`](Self::check_stock) trusting cached answers younger than `max_age`.
    pub async fn check_stock_within(
        &self,
        suppliers: &Suppliers,
        max_age: Duration,
    ) -> Result<StockCheck> {
        let mut check = StockCheck::default();
        for (environment, supplier) in suppliers.each() {
            let skus = self.skus_to_check(environment).await?;
            if skus.is_empty() {
                continue;
            }
            let looked = self
                .look_up_items(environment, supplier, &skus, max_age)
                .await?;
            check.items += looked.len();
        }
        check.restocked = self.release_restocked().await?;
        if check.restocked > 0 {
            self.publish(Change::Orders {
                reason: "restocked",
            });
        }
        Ok(check)
    }

    /// The US Direct SKUs of `environment`'s orders that routing will look at: imported with no
    /// supplier order under way, or held for stock.
    async fn skus_to_check(&self, environment: Environment) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar!(
            r#"SELECT DISTINCT m.supplier_sku AS "sku!" FROM orders o
               JOIN order_lines l ON l.order_id = o.id
               JOIN sku_map m ON m.store_sku = l.sku
               WHERE o.environment = ?1 AND l.requires_shipping = 1 AND l.sku != ''
                 AND ((o.status = ?2 AND NOT EXISTS (
                           SELECT 1 FROM outbox_jobs j
                           WHERE j.order_id = o.id AND j.kind = ?3
                             AND j.state IN (?4, ?5, ?6)))
                      OR (o.status = ?7 AND o.attention_kind = ?8))
               ORDER BY 1"#,
            environment,
            OrderStatus::Imported,
            JobKind::CreateSupplierOrder,
            JobState::Pending,
            JobState::Running,
            JobState::Succeeded,
            OrderStatus::NeedsAttention,
            AttentionKind::OutOfStock
        )
        .fetch_all(self.store().pool())
        .await?)
    }

    /// Orders held for stock whose every US Direct item US Direct has enough of by an answer
    /// given after the hold (so an order is not sent back and forth on the answer that held
    /// it): back to `imported`, with a note on the timeline. Returns how many.
    async fn release_restocked(&self) -> Result<usize> {
        // Every outbox pass comes here: with nothing held for stock (the usual case), a read
        // on the pool answers, and the writer is left to the jobs.
        let held = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM orders WHERE status = ?1 AND attention_kind = ?2)
                 AS "held!: bool""#,
            OrderStatus::NeedsAttention,
            AttentionKind::OutOfStock
        )
        .fetch_one(self.store().pool())
        .await?;
        if !held {
            return Ok(0);
        }
        let mut tx = self.store().write_transaction().await?;
        let rows = sqlx::query!(
            r#"SELECT o.id AS "id!", m.supplier_sku AS "sku!", sum(l.quantity) AS "wanted!: i64",
                      i.available AS "available?: i64", i.carried AS "carried?: bool",
                      i.checked_at > o.updated_at AS "since_hold?: bool"
               FROM orders o
               JOIN order_lines l ON l.order_id = o.id
               JOIN sku_map m ON m.store_sku = l.sku
               LEFT JOIN supplier_items i ON i.environment = o.environment
                                         AND i.sku = m.supplier_sku
               WHERE o.status = ?1 AND o.attention_kind = ?2
                 AND l.requires_shipping = 1 AND l.sku != ''
               GROUP BY o.id, m.supplier_sku"#,
            OrderStatus::NeedsAttention,
            AttentionKind::OutOfStock
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut in_stock: BTreeMap<i64, bool> = BTreeMap::new();
        for row in rows {
            // Only an answer given after the hold counts: the one before it is why it waits.
            let enough = row.carried == Some(true)
                && row.since_hold == Some(true)
                && row
                    .available
                    .is_some_and(|available| available >= row.wanted);
            let entry = in_stock.entry(row.id).or_insert(true);
            *entry &= enough;
        }
        let mut released = 0;
        for (order_id, enough) in in_stock {
            if !enough {
                continue;
            }
            lifecycle::transition(
                &mut tx,
                order_id,
                OrderStatus::Imported,
                Actor::System,
                "US Direct has every item in stock again: sending the order",
            )
            .await?;
            released += 1;
        }
        tx.commit().await?;
        Ok(released)
    }
}
