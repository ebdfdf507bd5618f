//! Order Sync: one import pass over the connected sales channels, recorded in Activity.

use std::sync::atomic::Ordering;

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::activity::SyncTrigger;
use crate::{Engine, Error, Result};

/// Setting key: scheduled syncing paused by the dealer ("true"/"false").
pub const SYNC_PAUSED_SETTING: &str = "sync_paused";

/// What one Order Sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SyncReport {
    pub started_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub imported: i64,
    /// One line for the dealer.
    pub message: String,
}

/// Releases the running flag however the pass ends.
struct RunningGuard<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for RunningGuard<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl Engine {
    /// Runs one Order Sync pass. A call while one is running is refused, not queued.
    pub async fn order_sync(&self, trigger: SyncTrigger) -> Result<SyncReport> {
        if self.sync_running.swap(true, Ordering::AcqRel) {
            return Err(Error::AlreadyRunning {
                what: "Order Sync".into(),
            });
        }
        let _guard = RunningGuard(&self.sync_running);
        let started_at = Utc::now();
        // No sales-channel importer exists in this version: the run is recorded as such so the
        // dealer sees exactly what happened.
        let error = "Order import is not available in this version";
        self.store()
            .record_sync_run(trigger, started_at, 0, Some(error))
            .await?;
        tracing::info!(trigger = trigger.as_str(), "order sync recorded");
        Ok(SyncReport {
            started_at,
            imported: 0,
            message: format!("Nothing imported. {error}."),
        })
    }

    pub async fn sync_paused(&self) -> Result<bool> {
        Ok(self.store().setting(SYNC_PAUSED_SETTING).await?.as_deref() == Some("true"))
    }

    pub async fn set_sync_paused(&self, paused: bool) -> Result<()> {
        self.store()
            .set_setting(SYNC_PAUSED_SETTING, if paused { "true" } else { "false" })
            .await
    }
}
