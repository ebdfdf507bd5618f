//! The import schedule: one task that runs Order Sync on the dealer's plan interval (hourly on
//! Basic, every 15 minutes on Plus and VIP), skips missed ticks, backs off after a failed pass,
//! and stops when asked (or when its handle is dropped).

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior};

use crate::activity::SyncTrigger;
use crate::sync::{Connect, Progress, SyncReport};
use crate::{Engine, Error, Result};

/// The dealer's US Direct plan, which sets how often orders are imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum Plan {
    Basic,
    Plus,
    Vip,
}

impl Plan {
    pub fn interval(self) -> Duration {
        match self {
            Plan::Basic => Duration::from_secs(60 * 60),
            Plan::Plus | Plan::Vip => Duration::from_secs(15 * 60),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Basic => "basic",
            Plan::Plus => "plus",
            Plan::Vip => "vip",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "basic" => Ok(Plan::Basic),
            "plus" => Ok(Plan::Plus),
            "vip" => Ok(Plan::Vip),
            other => Err(Error::invalid(
                "plan",
                format!("{other:?} is not a plan; use basic, plus or vip"),
            )),
        }
    }
}

/// Told about every scheduled pass when it ends.
pub trait OnSynced: Send + Sync {
    fn synced(&self, result: &Result<SyncReport>);
}

enum Command {
    /// The plan changed: start a new interval.
    Replan,
    Stop,
}

/// Handle to the running schedule. Dropping it stops the task.
pub struct Scheduler {
    commands: mpsc::Sender<Command>,
    task: Option<JoinHandle<()>>,
}

/// Longest wait after failed passes before trying again (never longer than the plan interval).
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
const FIRST_BACKOFF: Duration = Duration::from_secs(60);

impl Scheduler {
    pub fn start(
        engine: Arc<Engine>,
        connect: Arc<dyn Connect>,
        progress: Arc<dyn Progress>,
        on_synced: Arc<dyn OnSynced>,
    ) -> Self {
        Self::start_with_intervals(engine, connect, progress, on_synced, Plan::interval)
    }

    /// [`start`](Self::start) with other intervals per plan (tests use milliseconds).
    pub fn start_with_intervals(
        engine: Arc<Engine>,
        connect: Arc<dyn Connect>,
        progress: Arc<dyn Progress>,
        on_synced: Arc<dyn OnSynced>,
        intervals: fn(Plan) -> Duration,
    ) -> Self {
        let (commands, receiver) = mpsc::channel(8);
        let task = tokio::spawn(run(
            engine, connect, progress, on_synced, intervals, receiver,
        ));
        Self {
            commands,
            task: Some(task),
        }
    }

    /// Restarts the interval after a plan change.
    pub async fn replan(&self) {
        let _ = self.commands.send(Command::Replan).await;
    }

    /// Stops the schedule and waits for a pass in progress to end.
    pub async fn stop(mut self) {
        let _ = self.commands.send(Command::Stop).await;
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

async fn run(
    engine: Arc<Engine>,
    connect: Arc<dyn Connect>,
    progress: Arc<dyn Progress>,
    on_synced: Arc<dyn OnSynced>,
    intervals: fn(Plan) -> Duration,
    mut commands: mpsc::Receiver<Command>,
) {
    let mut backoff: Option<Duration> = None;
    loop {
        let period = match engine.plan().await {
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
                    if engine.sync_paused().await.unwrap_or(false) {
                        continue;
                    }
                    let result = engine
                        .order_sync(connect.as_ref(), SyncTrigger::Schedule, progress.as_ref(), None)
                        .await;
                    let failed = match &result {
                        Ok(report) => report.failed(),
                        Err(Error::AlreadyRunning { .. }) => false,
                        Err(_) => true,
                    };
                    on_synced.synced(&result);
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
                command = commands.recv() => match command {
                    Some(Command::Replan) => break,
                    Some(Command::Stop) | None => return,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_set_the_interval() {
        assert_eq!(Plan::Basic.interval(), Duration::from_secs(3600));
        assert_eq!(Plan::Plus.interval(), Duration::from_secs(900));
        assert_eq!(Plan::Vip.interval(), Duration::from_secs(900));
        assert_eq!(Plan::parse(" VIP ").unwrap(), Plan::Vip);
        assert!(Plan::parse("gold")
            .unwrap_err()
            .to_string()
            .contains("basic, plus or vip"));
    }
}
