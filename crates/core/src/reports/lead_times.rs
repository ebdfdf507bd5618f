//! How long orders took from placed to authorized, to tracking and to completed, per week.
//!
//! The three moments are columns of the order (`authorized_at`, `tracking_at`: the first
//! shipment US Direct sent, `completed_at`: every tracking number written back to the store),
//! read beside `placed_at` from the `orders_dashboard_lead` index, which holds only authorized
//! orders: an order reaches tracking and completed only through authorization, and one whose
//! authorization was withdrawn (a declined payment) counts again once it is authorized anew.
//! An order that has not reached a milestone is left out of that milestone's figures.
//!
//! Median and p90 are nearest-rank: of the `n` durations in order, the `⌈n/2⌉`-th and the
//! `⌈9n/10⌉`-th (so always a duration some order took; with one order both are its own).
//! Durations are whole seconds; a moment recorded before the placed time (a store's clock
//! ahead of ours) counts as 0.

use sqlx::Row;

use super::spans::{Spans, SPANS};
use super::{LeadTime, Milestone};
use crate::domain::Environment;
use crate::store::Store;
use crate::Result;

impl Store {
    /// The lead times of the orders placed in each week of `weeks`, per milestone, weeks with
    /// none left out. One range of `orders_dashboard_lead` per week; the durations come back as
    /// one text per week and are ranked here.
    pub async fn dashboard_lead_times(
        &self,
        environment: Environment,
        weeks: &Spans,
    ) -> Result<Vec<LeadTime>> {
        // The expressions are the index's own: read from it, not computed again.
        let rows = sqlx::query(&format!(
            "WITH {SPANS}
             SELECT s.k,
                    (SELECT coalesce(group_concat({AUTHORIZED}), '') || '|'
                            || coalesce(group_concat({TRACKING}), '') || '|'
                            || coalesce(group_concat({COMPLETED}), '')
                     FROM orders o INDEXED BY orders_dashboard_lead
                     WHERE o.environment = ?2 AND unixepoch(o.placed_at) >= s.lo_s
                       AND unixepoch(o.placed_at) < s.hi_s
                       AND o.authorized_at IS NOT NULL) AS seconds
             FROM s ORDER BY s.k"
        ))
        .bind(weeks.json())
        .bind(environment)
        .fetch_all(self.pool())
        .await?;
        let mut lead_times = Vec::new();
        for row in &rows {
            let week = weeks.start(row.try_get("k")?)?;
            let text: Option<String> = row.try_get("seconds")?;
            let text = text.unwrap_or_default();
            let mut parts = text.split('|');
            for milestone in [
                Milestone::Authorized,
                Milestone::Tracking,
                Milestone::Completed,
            ] {
                let mut seconds = parse_seconds(parts.next().unwrap_or_default())?;
                if let Some((median_seconds, p90_seconds)) = median_and_p90(&mut seconds) {
                    lead_times.push(LeadTime {
                        week,
                        milestone,
                        orders: i64::try_from(seconds.len()).unwrap_or(i64::MAX),
                        median_seconds,
                        p90_seconds,
                    });
                }
            }
        }
        Ok(lead_times)
    }
}

/// Seconds from placed to each moment, as `orders_dashboard_lead` holds them.
const AUTHORIZED: &str = "unixepoch(o.authorized_at) - unixepoch(o.placed_at)";
const TRACKING: &str = "unixepoch(o.tracking_at) - unixepoch(o.placed_at)";
const COMPLETED: &str = "unixepoch(o.completed_at) - unixepoch(o.placed_at)";

/// `"3600,7200"` → `[3600, 7200]`. A milestone whose moment is NULL adds nothing (group_concat
/// skips the NULL difference).
fn parse_seconds(text: &str) -> Result<Vec<i64>> {
    text.split(',')
        .filter(|word| !word.is_empty())
        .map(|word| {
            // A moment before the placed time (a store's clock ahead of ours) counts as 0.
            word.parse::<i64>()
                .map(|seconds| seconds.max(0))
                .map_err(|_| {
                    sqlx::Error::Decode(format!("{word:?} is not a number of seconds").into())
                        .into()
                })
        })
        .collect()
}

/// Nearest-rank median and p90 (see the module), `None` for no durations.
pub fn median_and_p90(seconds: &mut [i64]) -> Option<(i64, i64)> {
    seconds.sort_unstable();
    let n = seconds.len();
    let rank = |numerator: usize| -> Option<i64> {
        // ⌈numerator·n/10⌉, 1-based.
        let rank = (numerator * n).div_ceil(10);
        seconds.get(rank.checked_sub(1)?).copied()
    };
    Some((rank(5)?, rank(9)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_takes_a_duration_some_order_took() {
        assert_eq!(median_and_p90(&mut []), None);
        assert_eq!(median_and_p90(&mut [7]), Some((7, 7)));
        // n = 4: ⌈2⌉ = 2nd, ⌈3.6⌉ = 4th.
        assert_eq!(median_and_p90(&mut [40, 10, 30, 20]), Some((20, 40)));
        // n = 10: 5th and 9th.
        let mut ten: Vec<i64> = (1..=10).rev().collect();
        assert_eq!(median_and_p90(&mut ten), Some((5, 9)));
        // n = 11: ⌈5.5⌉ = 6th, ⌈9.9⌉ = 10th.
        let mut eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(median_and_p90(&mut eleven), Some((6, 10)));
    }
}
