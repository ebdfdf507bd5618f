//! Activity: what the engine did and when (order events and sync runs), newest first.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::Actor;
use crate::lifecycle::OrderStatus;
use crate::store::Store;
use crate::Result;

/// What started a sync run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum SyncTrigger {
    Schedule,
    Window,
    Tray,
    Cli,
}

impl SyncTrigger {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncTrigger::Schedule => "schedule",
            SyncTrigger::Window => "window",
            SyncTrigger::Tray => "tray",
            SyncTrigger::Cli => "cli",
        }
    }
}

/// One line of the Activity page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(tag = "kind", rename_all = "snake_case"))]
pub enum ActivityEntry {
    OrderEvent {
        at: DateTime<Utc>,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        order_id: i64,
        order_number: String,
        from: Option<OrderStatus>,
        to: OrderStatus,
        actor: Actor,
        detail: String,
    },
    SyncRun {
        at: DateTime<Utc>,
        trigger: String,
        /// The channel imported from; none when no channel was connected.
        channel: Option<String>,
        finished_at: Option<DateTime<Utc>>,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        imported: i64,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        updated: i64,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        quarantined: i64,
        error: Option<String>,
    },
    /// An order the store sent that could not be read; kept aside, with why.
    Quarantined {
        at: DateTime<Utc>,
        channel: String,
        channel_order_id: Option<String>,
        reason: String,
        excerpt: String,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        times_seen: i64,
    },
    /// Background work that went wrong outside any one order (a worker stopped and was
    /// started again, a change from US Direct that could not be applied).
    Incident {
        at: DateTime<Utc>,
        source: String,
        detail: String,
    },
}

impl ActivityEntry {
    fn at(&self) -> DateTime<Utc> {
        match self {
            ActivityEntry::OrderEvent { at, .. }
            | ActivityEntry::SyncRun { at, .. }
            | ActivityEntry::Quarantined { at, .. }
            | ActivityEntry::Incident { at, .. } => *at,
        }
    }
}

impl Store {
    /// The `limit` most recent entries.
    pub async fn recent_activity(&self, limit: u32) -> Result<Vec<ActivityEntry>> {
        let limit = i64::from(limit.clamp(1, 500));
        let events = sqlx::query!(
            r#"SELECT e.at AS "at: DateTime<Utc>", e.order_id, o.number,
                      e.from_status AS "from_status: OrderStatus",
                      e.to_status AS "to_status: OrderStatus", e.actor AS "actor: Actor",
                      e.detail
               FROM order_events e JOIN orders o ON o.id = e.order_id
               ORDER BY e.at DESC, e.id DESC LIMIT ?"#,
            limit
        )
        .fetch_all(self.pool())
        .await?;
        let runs = sqlx::query!(
            r#"SELECT r.started_at AS "started_at: DateTime<Utc>", r.trigger, c.name AS channel,
                      r.finished_at AS "finished_at: DateTime<Utc>", r.imported, r.updated,
                      r.quarantined, r.error
               FROM sync_runs r LEFT JOIN channels c ON c.id = r.channel_id
               ORDER BY r.started_at DESC, r.id DESC LIMIT ?"#,
            limit
        )
        .fetch_all(self.pool())
        .await?;
        let quarantined = sqlx::query!(
            r#"SELECT q.last_seen_at AS "at: DateTime<Utc>", c.name AS channel,
                      q.channel_order_id, q.reason, q.excerpt, q.times_seen
               FROM quarantined_orders q JOIN channels c ON c.id = q.channel_id
               ORDER BY q.last_seen_at DESC LIMIT ?"#,
            limit
        )
        .fetch_all(self.pool())
        .await?;
        let incidents = sqlx::query!(
            r#"SELECT at AS "at: DateTime<Utc>", source, detail
               FROM incidents ORDER BY at DESC, id DESC LIMIT ?"#,
            limit
        )
        .fetch_all(self.pool())
        .await?;
        let mut entries: Vec<ActivityEntry> = events
            .into_iter()
            .map(|row| ActivityEntry::OrderEvent {
                at: row.at,
                order_id: row.order_id,
                order_number: row.number,
                from: row.from_status,
                to: row.to_status,
                actor: row.actor,
                detail: row.detail,
            })
            .chain(runs.into_iter().map(|row| ActivityEntry::SyncRun {
                at: row.started_at,
                trigger: row.trigger,
                channel: row.channel,
                finished_at: row.finished_at,
                imported: row.imported,
                updated: row.updated,
                quarantined: row.quarantined,
                error: row.error,
            }))
            .chain(
                quarantined
                    .into_iter()
                    .map(|row| ActivityEntry::Quarantined {
                        at: row.at,
                        channel: row.channel,
                        channel_order_id: row.channel_order_id,
                        reason: row.reason,
                        excerpt: row.excerpt,
                        times_seen: row.times_seen,
                    }),
            )
            .chain(incidents.into_iter().map(|row| ActivityEntry::Incident {
                at: row.at,
                source: row.source,
                detail: row.detail,
            }))
            .collect();
        entries.sort_by_key(|entry| std::cmp::Reverse(entry.at()));
        entries.truncate(limit as usize);
        Ok(entries)
    }

    /// Records background work that went wrong outside any one order, for Activity. Kept
    /// short: the detail is cut at 1,000 characters (it may quote a peer).
    pub async fn record_incident(&self, source: &str, detail: &str) -> Result<()> {
        let detail: String = detail.chars().take(1000).collect();
        let at = Utc::now();
        sqlx::query!(
            "INSERT INTO incidents (at, source, detail) VALUES (?, ?, ?)",
            at,
            source,
            detail
        )
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Records a finished sync run of one channel (or of none, when none is connected).
    pub async fn record_sync_run(
        &self,
        trigger: SyncTrigger,
        channel_id: Option<i64>,
        started_at: DateTime<Utc>,
        counts: &crate::sync::RunCounts,
        error: Option<&str>,
    ) -> Result<()> {
        let finished_at = Utc::now();
        let trigger = trigger.as_str();
        let (pages, imported, updated, unchanged, quarantined) = (
            i64::from(counts.pages),
            i64::from(counts.imported),
            i64::from(counts.updated),
            i64::from(counts.unchanged),
            i64::from(counts.quarantined),
        );
        sqlx::query!(
            "INSERT INTO sync_runs (channel_id, trigger, started_at, finished_at, pages, imported,
                                    updated, unchanged, quarantined, error)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            channel_id,
            trigger,
            started_at,
            finished_at,
            pages,
            imported,
            updated,
            unchanged,
            quarantined,
            error
        )
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
