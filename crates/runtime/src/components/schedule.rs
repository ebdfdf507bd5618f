//! The import schedule: Order Sync on the dealer's plan interval (hourly on Basic, every 15
//! minutes on Plus and VIP), missed ticks skipped, a growing pause after a failed pass, a new
//! interval when the plan changes. Paused syncing skips the ticks; Order Sync on demand still
//! runs.

use std::time::Duration;

use dealer_core::activity::SyncTrigger;
use dealer_core::scheduler::Plan;
use dealer_core::Error;
use tokio::time::{Instant, MissedTickBehavior};

use super::Context;
use crate::sink::{RuntimeEvent, SinkProgress};

/// Longest wait after failed passes before trying again (never longer than the plan interval).
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
const FIRST_BACKOFF: Duration = Duration::from_secs(60);

pub(crate) async fn run(cx: Context, intervals: fn(Plan) -> Duration) {
    let mut stop = cx.stop.clone();
    let mut backoff: Option<Duration> = None;
    loop {
        let period = match cx.engine.plan().await {
            Ok(plan) => intervals(plan),
            Err(err) => {
                tracing::warn!("plan setting unreadable, syncing hourly: {err}");
                intervals(Plan::Basic)
            }
        };
        let first = backoff.map_or(period, |wait| wait.min(period));
        let mut ticker = tokio::time::interval_at(Instant::now() + first, period);
        ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
        loop {
            tokio::select! {
                _ = ticker.tick() => {
                    if cx.engine.sync_paused().await.unwrap_or(false) {
                        continue;
                    }
                    let result = cx
                        .engine
                        .order_sync(
                            cx.connector.as_ref(),
                            SyncTrigger::Schedule,
                            &SinkProgress(cx.sink.as_ref()),
                            None,
                        )
                        .await;
                    let failed = match &result {
                        Ok(report) => report.failed(),
                        Err(Error::AlreadyRunning { .. }) => false,
                        Err(err) => {
                            tracing::warn!("scheduled sync: {err}");
                            true
                        }
                    };
                    // What came in goes to US Direct now.
                    cx.controls.kick_outbox();
                    cx.sink.send(RuntimeEvent::Changed { reason: "scheduled_sync" });
                    if let Ok(report) = &result {
                        cx.engine.tidy_after_sync(report).await;
                    }
                    if failed {
                        let next = backoff.map_or(FIRST_BACKOFF, |b| (b * 2).min(MAX_BACKOFF));
                        backoff = Some(next);
                        tracing::info!(retry_in_s = next.as_secs(), "scheduled sync failed");
                        break;
                    }
                    if backoff.take().is_some() {
                        break;
                    }
                }
                () = cx.controls.replan.notified() => break,
                _ = stop.changed() => return,
            }
        }
    }
}
