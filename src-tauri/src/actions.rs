//! What the window and the tray both do: run Order Sync, pause syncing, show the window.

use dealer_core::activity::SyncTrigger;
use dealer_core::sync::SyncReport;
use tauri::{AppHandle, Manager, Runtime};

use crate::error::CommandResult;
use crate::events::SyncState;
use crate::state::AppState;

pub const MAIN_WINDOW: &str = "main";

pub async fn order_sync<R: Runtime>(
    app: &AppHandle<R>,
    trigger: SyncTrigger,
) -> CommandResult<SyncReport> {
    let running = app.state::<AppState<R>>().running().await?;
    Ok(running.order_sync(trigger).await?)
}

/// The tray's check item and the window follow from the engine's change event.
pub async fn set_sync_paused<R: Runtime>(
    app: &AppHandle<R>,
    paused: bool,
) -> CommandResult<SyncState> {
    let engine = app.state::<AppState<R>>().engine().await?;
    engine.set_sync_paused(paused).await?;
    Ok(SyncState { paused })
}

/// Shows, restores and focuses the main window (tray Open, a second launch).
pub fn show_main_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let shown = window
            .show()
            .and_then(|()| window.unminimize())
            .and_then(|()| window.set_focus());
        if let Err(err) = shown {
            tracing::warn!("could not show the window: {err}");
        }
    }
}
