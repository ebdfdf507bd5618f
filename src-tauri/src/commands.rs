//! The window's commands: each a few lines over the engine. The list below is the one place
//! they are named; the handler, the TypeScript bindings and the permission checks all read it.

use dealer_core::activity::{ActivityEntry, SyncTrigger};
use dealer_core::domain::OrderSummary;
use dealer_core::store::ListOrders;
use dealer_core::sync::SyncReport;
use tauri::{AppHandle, State};

use crate::actions;
use crate::error::CommandResult;
use crate::events::SyncState;
use crate::state::{AppState, AppStatus};

/// Calls `$callback!` with every command's name, arguments and result type.
macro_rules! with_commands {
    ($callback:ident) => {
        $callback! {
            app_status() -> AppStatus;
            unlock(passphrase: String) -> AppStatus;
            list_orders(query: ListOrders) -> Vec<OrderSummary>;
            recent_activity(limit: u32) -> Vec<ActivityEntry>;
            order_sync() -> SyncReport;
            set_sync_paused(paused: bool) -> SyncState;
        }
    };
}
pub(crate) use with_commands;

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> CommandResult<AppStatus> {
    state.status().await
}

#[tauri::command]
pub async fn unlock(
    app: AppHandle,
    state: State<'_, AppState>,
    passphrase: String,
) -> CommandResult<AppStatus> {
    let status = state.unlock(passphrase).await?;
    crate::sync_tray_with_store(&app).await;
    Ok(status)
}

#[tauri::command]
pub async fn list_orders(
    state: State<'_, AppState>,
    query: ListOrders,
) -> CommandResult<Vec<OrderSummary>> {
    Ok(state.engine().await?.store().list_orders(&query).await?)
}

#[tauri::command]
pub async fn recent_activity(
    state: State<'_, AppState>,
    limit: u32,
) -> CommandResult<Vec<ActivityEntry>> {
    Ok(state.engine().await?.store().recent_activity(limit).await?)
}

#[tauri::command]
pub async fn order_sync(app: AppHandle) -> CommandResult<SyncReport> {
    actions::order_sync(&app, SyncTrigger::Window).await
}

#[tauri::command]
pub async fn set_sync_paused(app: AppHandle, paused: bool) -> CommandResult<SyncState> {
    actions::set_sync_paused(&app, paused).await
}
