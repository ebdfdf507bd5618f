//! The window's commands: each a few lines over the engine. The list below is the one place
//! they are named; the handler, the TypeScript bindings and the permission checks all read it.

use dealer_core::activity::{ActivityEntry, SyncTrigger};
use dealer_core::channel::{ConnectionCheck, Credentials};
use dealer_core::domain::{Actor, ChannelKind};
use dealer_core::fulfillment::{AuthorizeOutcome, AutoAuthorize, AutoAuthorizeStatus, ShipToInput};
use dealer_core::onboarding::Onboarding;
use dealer_core::outbox::Job;
use dealer_core::scheduler::Plan;
use dealer_core::secret::Sensitive;
use dealer_core::store::{Channel, ListOrders, OrderDetail, OrderPage, SkuMapping};
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
            list_orders(query: ListOrders) -> OrderPage;
            get_order(id: i64) -> OrderDetail;
            authorize_orders(ids: Vec<i64>) -> Vec<AuthorizeOutcome>;
            edit_ship_to(id: i64, ship_to: ShipToInput) -> OrderDetail;
            release_weight_hold(id: i64) -> OrderDetail;
            route_again(id: i64) -> OrderDetail;
            list_sku_map() -> Vec<SkuMapping>;
            unmapped_skus() -> Vec<String>;
            set_sku_mapping(store_sku: String, supplier_sku: String) -> SkuMapping;
            remove_sku_mapping(store_sku: String) -> ();
            auto_authorize_status() -> AutoAuthorizeStatus;
            set_auto_authorize(rules: AutoAuthorize) -> AutoAuthorizeStatus;
            list_jobs(limit: u32) -> Vec<Job>;
            retry_job(id: i64) -> Job;
            cancel_job(id: i64) -> Job;
            onboarding_status() -> Onboarding;
            mark_test_order(id: i64) -> Onboarding;
            place_test_order() -> PlacedTestOrder;
            shipment_notifications() -> bool;
            set_shipment_notifications(on: bool) -> bool;
            open_tracking(order_id: i64, tracking_number: String) -> ();
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
) -> CommandResult<OrderPage> {
    Ok(state.engine().await?.store().order_page(&query).await?)
}

#[tauri::command]
pub async fn get_order(state: State<'_, AppState>, id: i64) -> CommandResult<OrderDetail> {
    Ok(state.engine().await?.store().order_detail(id).await?)
}

/// Authorize Order for Payment, for one order (the order page) or many (the list's bulk
/// action). The payment authorizations go out through the outbox worker, woken here.
#[tauri::command]
pub async fn authorize_orders(
    app: AppHandle,
    state: State<'_, AppState>,
    ids: Vec<i64>,
) -> CommandResult<Vec<AuthorizeOutcome>> {
    let services = state.services().await?;
    let outcomes = services.engine.authorize(&ids, Actor::Dealer).await?;
    services.outbox.kick();
    actions::orders_changed(&app, "authorized");
    Ok(outcomes)
}

#[tauri::command]
pub async fn edit_ship_to(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    ship_to: ShipToInput,
) -> CommandResult<OrderDetail> {
    let services = state.services().await?;
    let order = services.engine.edit_ship_to(id, ship_to).await?;
    services.outbox.kick();
    actions::orders_changed(&app, "resolved");
    Ok(order)
}

#[tauri::command]
pub async fn release_weight_hold(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<OrderDetail> {
    let services = state.services().await?;
    let order = services.engine.release_weight_hold(id).await?;
    services.outbox.kick();
    actions::orders_changed(&app, "resolved");
    Ok(order)
}

#[tauri::command]
pub async fn route_again(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<OrderDetail> {
    let services = state.services().await?;
    let order = services.engine.route_again(id).await?;
    services.outbox.kick();
    actions::orders_changed(&app, "resolved");
    Ok(order)
}

#[tauri::command]
pub async fn list_sku_map(state: State<'_, AppState>) -> CommandResult<Vec<SkuMapping>> {
    Ok(state.engine().await?.store().sku_map().await?)
}

/// SKUs that orders needing attention wait on.
#[tauri::command]
pub async fn unmapped_skus(state: State<'_, AppState>) -> CommandResult<Vec<String>> {
    Ok(state.engine().await?.store().unmapped_skus().await?)
}

#[tauri::command]
pub async fn set_sku_mapping(
    state: State<'_, AppState>,
    store_sku: String,
    supplier_sku: String,
) -> CommandResult<SkuMapping> {
    Ok(state
        .engine()
        .await?
        .store()
        .set_sku_mapping(&store_sku, &supplier_sku)
        .await?)
}

#[tauri::command]
pub async fn remove_sku_mapping(
    state: State<'_, AppState>,
    store_sku: String,
) -> CommandResult<()> {
    Ok(state
        .engine()
        .await?
        .store()
        .remove_sku_mapping(&store_sku)
        .await?)
}

#[tauri::command]
pub async fn auto_authorize_status(
    state: State<'_, AppState>,
) -> CommandResult<AutoAuthorizeStatus> {
    Ok(state.engine().await?.auto_authorize_status().await?)
}

#[tauri::command]
pub async fn set_auto_authorize(
    state: State<'_, AppState>,
    rules: AutoAuthorize,
) -> CommandResult<AutoAuthorizeStatus> {
    Ok(state.engine().await?.set_auto_authorize(rules).await?)
}

#[tauri::command]
pub async fn list_jobs(state: State<'_, AppState>, limit: u32) -> CommandResult<Vec<Job>> {
    Ok(state.engine().await?.store().list_jobs(None, limit).await?)
}

#[tauri::command]
pub async fn retry_job(app: AppHandle, state: State<'_, AppState>, id: i64) -> CommandResult<Job> {
    let services = state.services().await?;
    let job = services.engine.retry_job(id).await?;
    services.outbox.kick();
    actions::orders_changed(&app, "job_retried");
    Ok(job)
}

#[tauri::command]
pub async fn cancel_job(app: AppHandle, state: State<'_, AppState>, id: i64) -> CommandResult<Job> {
    let job = state.engine().await?.cancel_job(id).await?;
    actions::orders_changed(&app, "job_cancelled");
    Ok(job)
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
    let channel = engine
        .add_channel(
            &dealer_connectors::PlatformProfiles,
            kind,
            &name,
            &url,
            &credentials,
        )
        .await?;
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
        .update_channel(
            &dealer_connectors::PlatformProfiles,
            id,
            &name,
            &url,
            credentials.as_ref(),
        )
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

#[tauri::command]
pub async fn onboarding_status(state: State<'_, AppState>) -> CommandResult<Onboarding> {
    Ok(state.engine().await?.onboarding().await?)
}

#[tauri::command]
pub async fn mark_test_order(state: State<'_, AppState>, id: i64) -> CommandResult<Onboarding> {
    Ok(state.engine().await?.mark_test_order(id).await?)
}

/// The order the Sandbox store just took.
#[derive(Debug, Clone, serde::Serialize, TS)]
pub struct PlacedTestOrder {
    pub number: String,
}

/// Sandbox only: a shopper places the onboarding guide's test order in the sandbox store.
#[tauri::command]
pub async fn place_test_order(state: State<'_, AppState>) -> CommandResult<PlacedTestOrder> {
    let services = state.services().await?;
    if services.engine.mode().await? != dealer_core::Mode::Sandbox {
        return Err(CommandError::new(
            ErrorCode::InvalidInput,
            "a live store is connected: place the test order in your store",
        ));
    }
    let placed = services.place_sandbox_test_order().await?;
    Ok(PlacedTestOrder {
        number: format!("#{}", placed.number),
    })
}

#[tauri::command]
pub async fn shipment_notifications(state: State<'_, AppState>) -> CommandResult<bool> {
    Ok(crate::notify::notifications_on(&*state.engine().await?).await)
}

#[tauri::command]
pub async fn set_shipment_notifications(
    state: State<'_, AppState>,
    on: bool,
) -> CommandResult<bool> {
    state.engine().await?.set_shipment_notifications(on).await?;
    Ok(on)
}

/// Opens a shipment's tracking page in the dealer's browser. The window names the shipment;
/// the address comes from the store (an https carrier page), so the window cannot open
/// anything else.
#[tauri::command]
pub async fn open_tracking(
    app: AppHandle,
    state: State<'_, AppState>,
    order_id: i64,
    tracking_number: String,
) -> CommandResult<()> {
    use tauri_plugin_opener::OpenerExt;
    let shipments = state.engine().await?.store().shipments(order_id).await?;
    let url = shipments
        .into_iter()
        .find(|shipment| shipment.tracking_number == tracking_number)
        .and_then(|shipment| shipment.tracking_url)
        .filter(|url| url.starts_with("https://"))
        .ok_or_else(|| {
            CommandError::new(
                ErrorCode::NotFound,
                "this shipment has no tracking page; search the number on the carrier's site",
            )
        })?;
    app.opener().open_url(url, None::<&str>).map_err(|err| {
        CommandError::new(
            ErrorCode::Internal,
            format!("the browser could not be opened: {err}"),
        )
    })
}
