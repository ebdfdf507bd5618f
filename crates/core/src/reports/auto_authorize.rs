//! What Auto Authorize spent per local day, against its rules.

use sqlx::Row;

use super::spans::{Spans, SPANS};
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
    /// One sum of a range of `orders_authorized_by` per day.
    pub async fn dashboard_auto_authorize(
        &self,
        environment: Environment,
        days: &Spans,
    ) -> Result<AutoAuthorizeSpend> {
        let rules: AutoAuthorize = settings::get(self.pool()).await?;
        let rows = sqlx::query(&format!(
            "WITH {SPANS}
             SELECT s.k,
                    (SELECT sum(o.supplier_cost_minor) FROM orders o INDEXED BY orders_authorized_by
                     WHERE o.environment = ?2 AND o.authorized_by = ?3
                       AND o.authorized_at >= s.lo AND o.authorized_at < s.hi) AS spent
             FROM s ORDER BY s.k"
        ))
        .bind(days.json())
        .bind(environment)
        .bind(Actor::AutoRule)
        .fetch_all(self.pool())
        .await?;
        let mut spent_days = Vec::new();
        for row in &rows {
            // NULL: nothing authorized by the rules that day.
            if let Some(spent_minor) = row.try_get::<Option<i64>, _>("spent")? {
                spent_days.push(DaySpend {
                    day: days.start(row.try_get("k")?)?,
                    spent_minor,
                });
            }
        }
        Ok(AutoAuthorizeSpend {
            enabled: rules.enabled,
            currency: "USD".into(),
            daily_cap_minor: rules.daily_cap_minor,
            days: spent_days,
        })
    }
}
