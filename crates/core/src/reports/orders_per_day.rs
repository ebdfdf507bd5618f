//! Orders placed per local day and sales channel, and the channels they came from.

use sqlx::Row;

use super::spans::Spans;
use super::{DashboardChannel, DayCount};
use crate::domain::Environment;
use crate::store::Store;
use crate::Result;

impl Store {
    /// Every order placed on each day of `days` (one span a day), cancelled ones too (the store
    /// took them), per channel; days without orders are left out. One walk of
    /// `orders_dashboard_money` over the period.
    pub async fn dashboard_orders_per_day(
        &self,
        environment: Environment,
        days: &Spans,
    ) -> Result<(Vec<DashboardChannel>, Vec<DayCount>)> {
        let rows = sqlx::query(
            "WITH s(k, lo, hi) AS MATERIALIZED (
                 SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),
                        json_extract(value, '$[2]') FROM json_each(?1))
             SELECT s.k, o.channel_id, count(*) AS n
             FROM s CROSS JOIN orders o INDEXED BY orders_dashboard_money
                  ON o.environment = ?2 AND o.placed_at >= s.lo AND o.placed_at < s.hi
             GROUP BY s.k, o.channel_id ORDER BY s.k, o.channel_id",
        )
        .bind(days.json())
        .bind(environment)
        .fetch_all(self.pool())
        .await?;
        let mut counts = Vec::with_capacity(rows.len());
        for row in &rows {
            counts.push(DayCount {
                day: days.start(row.try_get("k")?)?,
                channel_id: row.try_get("channel_id")?,
                orders: row.try_get("n")?,
            });
        }
        let mut ids: Vec<i64> = counts.iter().map(|count| count.channel_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let channels = sqlx::query(
            "SELECT c.id, c.name FROM json_each(?) j JOIN channels c ON c.id = j.value
             ORDER BY c.id",
        )
        .bind(serde_json::to_string(&ids).map_err(|error| sqlx::Error::Encode(error.into()))?)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok(DashboardChannel {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        Ok((channels, counts))
    }
}
