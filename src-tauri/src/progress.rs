//! Tells the window how a sync is going and when one has ended.

use dealer_core::sync::{Progress, SyncProgress, SyncReport};
use tauri::AppHandle;

use crate::events::{self, ActivityChanged};

pub struct WindowProgress {
    app: AppHandle,
}

impl WindowProgress {
    pub fn new(app: AppHandle) -> Self {
        Self { app }
    }
}

impl Progress for WindowProgress {
    fn report(&self, progress: &SyncProgress) {
        events::emit(&self.app, progress.clone());
    }
}

impl dealer_core::scheduler::OnSynced for WindowProgress {
    fn synced(&self, result: &dealer_core::Result<SyncReport>) {
        if let Err(err) = result {
            tracing::warn!("scheduled sync: {err}");
        }
        events::emit(
            &self.app,
            ActivityChanged {
                reason: "scheduled_sync".into(),
            },
        );
    }
}
