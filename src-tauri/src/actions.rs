//! What the window and the tray both do: run Order Sync, pause syncing, show the window.

use dealer_core::activity::SyncTrigger;
use dealer_core::sync::SyncReport;
use tauri::{AppHandle, Manager};

use crate::error::CommandResult;
use crate::events::{self, ActivityChanged, SyncState};
use crate::progress::WindowProgress;
use crate::state::AppState;
use crate::tray::TrayMenu;

pub const MAIN_WINDOW: &str = "main";

pub async fn order_sync(app: &AppHandle, trigger: SyncTrigger) -> CommandResult<SyncReport> {
    let services = app.state::<AppState>().services().await?;
    let progress = WindowProgress::new(app.clone());
    let report = services
        .engine
        .order_sync(services.connector.as_ref(), trigger, &progress, None)
        .await?;
    // Order Sync also sends what it imported to US Direct and reads US Direct's shipments.
    services.outbox.poll_supplier();
    events::emit(
        app,
        ActivityChanged {
            reason: "order_sync".into(),
        },
    );
    Ok(report)
}

pub async fn set_sync_paused(app: &AppHandle, paused: bool) -> CommandResult<SyncState> {
    let engine = app.state::<AppState>().engine().await?;
    engine.set_sync_paused(paused).await?;
    app.state::<TrayMenu>().show_paused(paused);
    let state = SyncState { paused };
    events::emit(app, state.clone());
    Ok(state)
}

/// Shows, restores and focuses the main window (tray Open, a second launch).
pub fn show_main_window(app: &AppHandle) {
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

/// Adding or removing a real store switches between Sandbox and live: the window reloads its
/// status.
pub fn mode_may_have_changed(app: &AppHandle) {
    events::emit(
        app,
        ActivityChanged {
            reason: "channels_changed".into(),
        },
    );
}

/// Orders changed outside the window's own reads (a command, the outbox worker): the window
/// reloads what it shows.
pub fn orders_changed(app: &AppHandle, reason: &str) {
    events::emit(
        app,
        ActivityChanged {
            reason: reason.into(),
        },
    );
}
