//! The window's commands: each a few lines over the engine. The list below is the one place
//! they are named; the handler, the TypeScript bindings and the permission checks all read it.

use dealer_core::activity::{ActivityEntry, SyncTrigger};
use dealer_core::channel::{ConnectionCheck, Credentials};
use dealer_core::domain::{ChannelKind, OrderSummary};
use dealer_core::scheduler::Plan;
use dealer_core::secret::Sensitive;
use dealer_core::store::{Channel, ListOrders};
use dealer_core::sync::SyncReport;
use serde::Deserialize;
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::actions;
use crate::error::{CommandError, CommandResult};
use crate::events::SyncState;
use crate::state::{AppState, AppStatus};
use dealer_core::ErrorCode;

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
            set_plan(plan: Plan) -> Plan;
            list_channels() -> Vec<Channel>;
            add_channel(input: ChannelInput) -> Channel;
            update_channel(id: i64, input: ChannelInput) -> Channel;
            remove_channel(id: i64) -> ();
            test_channel(id: i64) -> ConnectionCheck;
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

#[tauri::command]
pub async fn set_plan(state: State<'_, AppState>, plan: Plan) -> CommandResult<Plan> {
    let services = state.services().await?;
    services.engine.set_plan(plan).await?;
    services.replan().await;
    Ok(plan)
}

#[tauri::command]
pub async fn list_channels(state: State<'_, AppState>) -> CommandResult<Vec<Channel>> {
    Ok(state.engine().await?.store().channels().await?)
}

/// A channel as the dealer enters it. Credentials travel one way: from the window into the
/// keyring; no command sends them back.
#[derive(Debug, Deserialize, TS)]
pub struct ChannelInput {
    pub kind: ChannelKind,
    pub name: String,
    pub url: String,
    /// Shopify's Admin API access token or BigCommerce's API token.
    pub token: Option<String>,
    /// WooCommerce's consumer key and secret.
    pub consumer_key: Option<String>,
    pub consumer_secret: Option<String>,
}

impl ChannelInput {
    /// The credentials typed, if any (editing a channel may keep the stored ones).
    fn credentials(self) -> Option<Credentials> {
        let given = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
        match (
            given(self.token),
            given(self.consumer_key),
            given(self.consumer_secret),
        ) {
            (Some(token), _, _) => Some(Credentials::Token(Sensitive::new(token))),
            (None, Some(key), Some(secret)) => Some(Credentials::KeySecret {
                key: Sensitive::new(key),
                secret: Sensitive::new(secret),
            }),
            (None, Some(key), None) => Some(Credentials::KeySecret {
                key: Sensitive::new(key),
                secret: Sensitive::new(String::new()),
            }),
            _ => None,
        }
    }
}

#[tauri::command]
pub async fn add_channel(
    app: AppHandle,
    state: State<'_, AppState>,
    input: ChannelInput,
) -> CommandResult<Channel> {
    let engine = state.engine().await?;
    let (kind, name, url) = (input.kind, input.name.clone(), input.url.clone());
    let credentials = input.credentials().ok_or_else(|| {
        CommandError::new(ErrorCode::InvalidInput, "enter the store's credentials")
    })?;
    let channel = engine.add_channel(kind, &name, &url, &credentials).await?;
    actions::mode_may_have_changed(&app);
    Ok(channel)
}

#[tauri::command]
pub async fn update_channel(
    state: State<'_, AppState>,
    id: i64,
    input: ChannelInput,
) -> CommandResult<Channel> {
    let engine = state.engine().await?;
    let (name, url) = (input.name.clone(), input.url.clone());
    let credentials = input.credentials();
    Ok(engine
        .update_channel(id, &name, &url, credentials.as_ref())
        .await?)
}

#[tauri::command]
pub async fn remove_channel(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<()> {
    state.engine().await?.remove_channel(id).await?;
    actions::mode_may_have_changed(&app);
    Ok(())
}

#[tauri::command]
pub async fn test_channel(state: State<'_, AppState>, id: i64) -> CommandResult<ConnectionCheck> {
    let services = state.services().await?;
    Ok(services
        .engine
        .test_channel(services.connector.as_ref(), id)
        .await?)
}
