//! A SKU gained a mapping (one at a time, confirmed in bulk or from a CSV import): the orders
//! not for US Direct that hold it (and orders an earlier version held for the unmapped SKU) are
//! routed again at once, not with the next Order Sync.

use super::routing::route_in_tx;
use crate::changes::Change;
use crate::domain::Actor;
use crate::lifecycle::{self, AttentionKind, OrderStatus};
use crate::{Engine, Result};

impl Engine {
    /// Routes again every order `not_for_us_direct` with a line among `store_skus`, and every
    /// order in `needs_attention` whose routing problems (written by an earlier version) include
    /// an unmapped SKU among them (and that US Direct has no order for yet). An order that
    /// still fails a rule (its address, its weight) goes to `needs_attention` with what remains.
    /// Returns how many orders were routed again.
    pub async fn sku_mappings_changed(&self, store_skus: &[String]) -> Result<usize> {
        if store_skus.is_empty() {
            return Ok(0);
        }
        let skus = serde_json::to_string(store_skus)
            .map_err(|err| crate::Error::invalid("skus", err.to_string()))?;
        let mut tx = self.store().write_transaction().await?;
        let waiting = sqlx::query_scalar!(
            r#"SELECT o.id AS "id!" FROM orders o
               WHERE (o.status = ?1 AND o.attention_kind = ?2 AND o.supplier_order_id IS NULL
                      AND EXISTS (
                          SELECT 1 FROM json_each(o.attention_detail) p
                          WHERE json_extract(p.value, '$.rule') = 'unmapped_sku'
                            AND json_extract(p.value, '$.sku') IN (SELECT value FROM json_each(?3))))
                  OR (o.status = ?4 AND EXISTS (
                          SELECT 1 FROM order_lines l
                          WHERE l.order_id = o.id
                            AND l.sku IN (SELECT value FROM json_each(?3))))
               ORDER BY o.placed_at, o.id"#,
            OrderStatus::NeedsAttention,
            AttentionKind::Routing,
            skus,
            OrderStatus::NotForUsDirect
        )
        .fetch_all(&mut *tx)
        .await?;
        for &order_id in &waiting {
            lifecycle::transition(
                &mut tx,
                order_id,
                OrderStatus::Imported,
                Actor::Dealer,
                "a SKU of this order was mapped to a US Direct item: routing again",
            )
            .await?;
            route_in_tx(&mut tx, self.store_id(), order_id).await?;
        }
        tx.commit().await?;
        if !waiting.is_empty() {
            self.publish(Change::Orders {
                reason: "sku mapped",
            });
            self.publish(Change::JobsDue);
        }
        Ok(waiting.len())
    }
}
