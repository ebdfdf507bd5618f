//! What Auto Authorize spent per local day, against its rules.

use sqlx::Row;

use super::spans::Spans;
use super::{AutoAuthorizeSpend, DaySpend};
use crate::domain::{Actor, Environment};
use crate::fulfillment::AutoAuthorize;
use crate::store::Store;
use crate::{settings, Result};

impl Store {
    /// The rules (on/off, daily cap) and, per day of `days` on which the rules authorized
    /// something, the sum of those orders' US Direct invoice totals: the same sum the daily cap
    /// counts (authorized by the rules, authorized that local day, this environment). An
    /// authorization withdrawn since (a declined payment) no longer counts, for the cap either.
    /// From the `orders_authorized_by` index alone.
    pub async fn dashboard_auto_authorize(
        &self,
        environment: Environment,
        days: &Spans,
    ) -> Result<AutoAuthorizeSpend> {
        let rules: AutoAuthorize = settings::get(self.pool()).await?;
        let rows = sqlx::query(
            "WITH s(k, lo, hi) AS MATERIALIZED (
                 SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),
                        json_extract(value, '$[2]') FROM json_each(?1))
             SELECT s.k, coalesce(sum(o.supplier_cost_minor), 0) AS spent
             FROM s CROSS JOIN orders o INDEXED BY orders_authorized_by
                  ON o.environment = ?2 AND o.authorized_by = ?3
                     AND o.authorized_at >= s.lo AND o.authorized_at < s.hi
             GROUP BY s.k ORDER BY s.k",
        )
        .bind(days.json())
        .bind(environment)
        .bind(Actor::AutoRule)
        .fetch_all(self.pool())
        .await?;
        let days = rows
            .iter()
            .map(|row| {
                Ok(DaySpend {
                    day: days.start(row.try_get("k")?)?,
                    spent_minor: row.try_get("spent")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(AutoAuthorizeSpend {
            enabled: rules.enabled,
            currency: "USD".into(),
            daily_cap_minor: rules.daily_cap_minor,
            days,
        })
    }
}
