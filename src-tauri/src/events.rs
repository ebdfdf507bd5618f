//! Events the shell sends to the window, each a typed payload with its name.

use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime};
use ts_rs::TS;

pub trait AppEvent: Serialize + Clone {
    const NAME: &'static str;
}

/// Scheduled syncing was paused or resumed (from the tray or the window).
#[derive(Debug, Clone, Serialize, TS)]
pub struct SyncState {
    pub paused: bool,
}

impl AppEvent for SyncState {
    const NAME: &'static str = "sync-paused-changed";
}

/// Orders or activity changed outside the window's own calls (a tray Order Sync, say).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ActivityChanged {
    pub reason: String,
}

impl AppEvent for ActivityChanged {
    const NAME: &'static str = "activity-changed";
}

/// Where a running Order Sync is: channel, pages and orders so far.
impl AppEvent for dealer_core::sync::SyncProgress {
    const NAME: &'static str = "sync-progress";
}

pub fn emit<R: Runtime, E: AppEvent>(app: &AppHandle<R>, event: E) {
    if let Err(err) = app.emit(E::NAME, event) {
        tracing::warn!(event = E::NAME, "could not reach the window: {err}");
    }
}
