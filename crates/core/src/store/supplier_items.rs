//! The item cache: what US Direct last answered about each SKU, per environment
//! (`supplier_items`). Read and written by [`crate::catalog`]; nothing else asks US Direct
//! about items.

use chrono::{DateTime, Utc};

use super::Store;
use crate::domain::Environment;
use crate::supplier::SupplierItem;
use crate::Result;

/// A stored answer: the item, or "US Direct does not carry it" (`item: None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedItem {
    pub sku: String,
    pub item: Option<SupplierItem>,
    pub checked_at: DateTime<Utc>,
}

impl Store {
    /// The stored answers for `skus` in `environment` (SKUs never asked about are absent).
    pub async fn cached_items(
        &self,
        environment: Environment,
        skus: &[String],
    ) -> Result<Vec<CachedItem>> {
        let skus = serde_json::to_string(skus)
            .map_err(|err| crate::Error::invalid("skus", err.to_string()))?;
        let rows = sqlx::query!(
            r#"SELECT sku AS "sku!", carried AS "carried!: bool", title,
                      weight_grams AS "weight_grams?: i64", available AS "available?: i64",
                      checked_at AS "checked_at!: DateTime<Utc>"
               FROM supplier_items
               WHERE environment = ?1 AND sku IN (SELECT value FROM json_each(?2))"#,
            environment,
            skus
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| CachedItem {
                item: row.carried.then(|| SupplierItem {
                    sku: row.sku.clone(),
                    title: row.title.unwrap_or_default(),
                    weight_grams: to_u32(row.weight_grams),
                    available: to_u32(row.available),
                }),
                sku: row.sku,
                checked_at: row.checked_at,
            })
            .collect())
    }

    /// Keeps US Direct's answer about `sku` (replacing an older one).
    pub async fn cache_item(
        &self,
        environment: Environment,
        sku: &str,
        item: Option<&SupplierItem>,
        checked_at: DateTime<Utc>,
    ) -> Result<()> {
        let carried = item.is_some();
        let title = item.map(|i| i.title.as_str());
        let weight = item.map(|i| i64::from(i.weight_grams));
        let available = item.map(|i| i64::from(i.available));
        sqlx::query!(
            "INSERT INTO supplier_items
                 (environment, sku, carried, title, weight_grams, available, checked_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (environment, sku) DO UPDATE SET
                 carried = excluded.carried, title = excluded.title,
                 weight_grams = excluded.weight_grams, available = excluded.available,
                 checked_at = excluded.checked_at",
            environment,
            sku,
            carried,
            title,
            weight,
            available,
            checked_at
        )
        .execute(self.pool())
        .await?;
        Ok(())
    }
}

fn to_u32(value: Option<i64>) -> u32 {
    value
        .and_then(|v| u32::try_from(v).ok())
        .unwrap_or_default()
}
