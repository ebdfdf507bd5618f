//! The dealer's SKU map: which US Direct item each store SKU is.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Store;
use crate::catalog::mapping::{SeenAnswer, SeenSku};
use crate::domain::Environment;
use crate::lifecycle::{AttentionKind, OrderStatus};
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SkuMapping {
    pub store_sku: String,
    pub supplier_sku: String,
    pub updated_at: DateTime<Utc>,
}

/// A SKU as typed: trimmed, 1–64 printable characters without spaces.
pub fn clean_sku(field: &str, sku: &str) -> Result<String> {
    let sku = sku.trim();
    if sku.is_empty() {
        return Err(Error::invalid(field, "is empty; type the SKU"));
    }
    if sku.chars().count() > 64 || sku.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            field,
            format!("{sku:?} is not a SKU: use up to 64 characters, without spaces"),
        ));
    }
    Ok(sku.to_string())
}

impl Store {
    pub async fn sku_map(&self) -> Result<Vec<SkuMapping>> {
        Ok(sqlx::query_as!(
            SkuMapping,
            r#"SELECT store_sku AS "store_sku!", supplier_sku, updated_at AS "updated_at: DateTime<Utc>"
               FROM sku_map ORDER BY store_sku"#
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// Maps `store_sku` to `supplier_sku` (replacing an earlier mapping).
    pub async fn set_sku_mapping(&self, store_sku: &str, supplier_sku: &str) -> Result<SkuMapping> {
        let store_sku = clean_sku("store_sku", store_sku)?;
        let supplier_sku = clean_sku("supplier_sku", supplier_sku)?;
        let now = Utc::now();
        sqlx::query!(
            "INSERT INTO sku_map (store_sku, supplier_sku, updated_at) VALUES (?, ?, ?)
             ON CONFLICT (store_sku) DO UPDATE
             SET supplier_sku = excluded.supplier_sku, updated_at = excluded.updated_at",
            store_sku,
            supplier_sku,
            now
        )
        .execute(self.pool())
        .await?;
        Ok(SkuMapping {
            store_sku,
            supplier_sku,
            updated_at: now,
        })
    }

    /// Maps each SKU to itself where it has no mapping yet (the Sandbox's catalog).
    pub async fn map_skus_to_themselves(&self, skus: &[&str]) -> Result<()> {
        let now = Utc::now();
        let mut tx = self.write_transaction().await?;
        for sku in skus {
            sqlx::query!(
                "INSERT INTO sku_map (store_sku, supplier_sku, updated_at) VALUES (?, ?, ?)
                 ON CONFLICT (store_sku) DO NOTHING",
                sku,
                sku,
                now
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn remove_sku_mapping(&self, store_sku: &str) -> Result<()> {
        let removed = sqlx::query!("DELETE FROM sku_map WHERE store_sku = ?", store_sku)
            .execute(self.pool())
            .await?;
        if removed.rows_affected() == 0 {
            return Err(Error::NotFound {
                what: format!("a mapping for SKU {store_sku}"),
            });
        }
        Ok(())
    }

    /// Maps each `(store_sku, supplier_sku)` pair in one transaction (all or none), replacing
    /// earlier mappings. The SKUs are checked as [`clean_sku`] checks them.
    pub async fn set_sku_mappings(&self, pairs: &[(String, String)]) -> Result<Vec<SkuMapping>> {
        let mut cleaned = Vec::with_capacity(pairs.len());
        for (store_sku, supplier_sku) in pairs {
            cleaned.push((
                clean_sku("store_sku", store_sku)?,
                clean_sku("supplier_sku", supplier_sku)?,
            ));
        }
        let now = Utc::now();
        let mut tx = self.write_transaction().await?;
        for (store_sku, supplier_sku) in &cleaned {
            sqlx::query!(
                "INSERT INTO sku_map (store_sku, supplier_sku, updated_at) VALUES (?, ?, ?)
                 ON CONFLICT (store_sku) DO UPDATE
                 SET supplier_sku = excluded.supplier_sku, updated_at = excluded.updated_at",
                store_sku,
                supplier_sku,
                now
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(cleaned
            .into_iter()
            .map(|(store_sku, supplier_sku)| SkuMapping {
                store_sku,
                supplier_sku,
                updated_at: now,
            })
            .collect())
    }

    /// Store SKUs order lines hold that have no mapping, most orders first: how many orders and
    /// lines hold each, how many orders wait on it, and US Direct's last answer about the same
    /// SKU in `environment`.
    pub async fn seen_unmapped_skus(&self, environment: Environment) -> Result<Vec<SeenSku>> {
        let rows = sqlx::query!(
            r#"SELECT l.sku AS "sku!", count(DISTINCT l.order_id) AS "orders!: i64",
                      count(*) AS "lines!: i64",
                      count(DISTINCT CASE WHEN o.status = ?4
                                                OR (o.status = ?1 AND o.attention_kind = ?2)
                                           THEN o.id END) AS "waiting!: i64",
                      i.carried AS "carried?: bool", i.title,
                      i.checked_at AS "checked_at?: DateTime<Utc>"
               FROM order_lines l JOIN orders o ON o.id = l.order_id
               LEFT JOIN supplier_items i ON i.environment = ?3 AND i.sku = l.sku
               WHERE l.sku <> ''
                 AND NOT EXISTS (SELECT 1 FROM sku_map m WHERE m.store_sku = l.sku)
               GROUP BY l.sku ORDER BY count(DISTINCT l.order_id) DESC, l.sku"#,
            OrderStatus::NeedsAttention,
            AttentionKind::Routing,
            environment,
            OrderStatus::NotForUsDirect
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| SeenSku {
                store_sku: row.sku,
                orders: row.orders,
                lines: row.lines,
                waiting_orders: row.waiting,
                us_direct: match (row.carried, row.checked_at) {
                    (Some(carried), Some(checked_at)) => Some(SeenAnswer {
                        carried,
                        title: row.title.filter(|_| carried),
                        checked_at,
                    }),
                    _ => None,
                },
            })
            .collect())
    }

    /// Store SKUs of orders that a mapping would send to US Direct (orders not for US Direct,
    /// and orders held by US Direct's rules), most orders first. Lines without a SKU and lines
    /// the store does not ship are never US Direct items.
    pub async fn unmapped_skus(&self) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar!(
            r#"SELECT l.sku AS "sku!" FROM order_lines l JOIN orders o ON o.id = l.order_id
               WHERE (o.status = ?1 OR (o.status = ?2 AND o.attention_kind = ?3))
                 AND l.sku != '' AND l.requires_shipping = 1
                 AND NOT EXISTS (SELECT 1 FROM sku_map m WHERE m.store_sku = l.sku)
               GROUP BY l.sku ORDER BY count(*) DESC, l.sku"#,
            OrderStatus::NotForUsDirect,
            OrderStatus::NeedsAttention,
            AttentionKind::Routing
        )
        .fetch_all(self.pool())
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skus_are_trimmed_and_checked() {
        assert_eq!(clean_sku("s", "  USD-1001 ").unwrap(), "USD-1001");
        assert!(clean_sku("s", "").is_err());
        assert!(clean_sku("s", "two words").is_err());
        assert!(clean_sku("s", &"x".repeat(65)).is_err());
    }
}
