//! Orders placed per local day and sales channel, and the channels they came from.

use sqlx::Row;

use super::spans::{Spans, SPANS};
use super::{DashboardChannel, DayCount};
use crate::domain::Environment;
use crate::store::Store;
use crate::Result;

impl Store {
    /// Every order placed on each day of `days` (one span a day), cancelled ones too (the store
    /// took them), per channel of the environment (a channel is Sandbox or Live for good, and
    /// so are its orders); days without orders are left out. One count of a range of
    /// `orders_channel_placed_at` per day and channel: no sort, no row read.
    pub async fn dashboard_orders_per_day(
        &self,
        environment: Environment,
        days: &Spans,
    ) -> Result<(Vec<DashboardChannel>, Vec<DayCount>)> {
        let rows = sqlx::query(&format!(
            "WITH {SPANS}
             SELECT s.k, c.id, c.name,
                    (SELECT count(*) FROM orders o INDEXED BY orders_channel_placed_at
                     WHERE o.channel_id = c.id AND o.placed_at >= s.lo AND o.placed_at < s.hi)
                        AS n
             FROM s CROSS JOIN channels c
             WHERE c.is_sandbox = ?2
             ORDER BY s.k, c.id"
        ))
        .bind(days.json())
        .bind(environment == Environment::Sandbox)
        .fetch_all(self.pool())
        .await?;
        let mut counts = Vec::new();
        let mut channels: Vec<DashboardChannel> = Vec::new();
        for row in &rows {
            let orders: i64 = row.try_get("n")?;
            if orders == 0 {
                continue;
            }
            let channel_id: i64 = row.try_get("id")?;
            counts.push(DayCount {
                day: days.start(row.try_get("k")?)?,
                channel_id,
                orders,
            });
            if !channels.iter().any(|channel| channel.id == channel_id) {
                channels.push(DashboardChannel {
                    id: channel_id,
                    name: row.try_get("name")?,
                });
            }
        }
        channels.sort_by_key(|channel| channel.id);
        Ok((channels, counts))
    }
}
