//! The funnel (orders per status now) and what needs the dealer: the very counts the Orders
//! list's chips show for the environment, read by the same code.

use chrono::{DateTime, Utc};

use super::NeedsYouCounts;
use crate::domain::Environment;
use crate::lifecycle::OrderStatus;
use crate::store::{ListOrders, StatusCount, Store};
use crate::Result;

impl Store {
    /// Orders per status in `environment`, whatever the period, in lifecycle order (statuses
    /// with none left out), and the flags at `now`: the Orders list with only the environment
    /// filter ([`Store::order_page_at`]), its page of one row aside.
    pub async fn dashboard_funnel_and_flags(
        &self,
        environment: Environment,
        now: DateTime<Utc>,
    ) -> Result<(Vec<StatusCount>, NeedsYouCounts)> {
        let filter = ListOrders {
            environment: Some(environment),
            limit: 1,
            ..ListOrders::default()
        };
        let page = self.order_page_at(&filter, now).await?;
        let needs_attention = page
            .counts
            .iter()
            .find(|count| count.status == OrderStatus::NeedsAttention)
            .map_or(0, |count| count.count);
        Ok((
            page.counts,
            NeedsYouCounts {
                needs_attention,
                late: page.flags.late,
                stuck: page.flags.stuck,
                needs_you: page.flags.needs_you,
            },
        ))
    }
}
