//! The window's commands: each a few lines over the engine. The list below is the one place
//! they are named: the invoke handler, the TypeScript bindings, build.rs's permission list and
//! the window's capability file are all made from it. Commands are generic over Tauri's
//! runtime (tests drive them on the mock runtime), and what follows a change (wake the outbox,
//! tell the window) comes from the engine's change events, not from the command.

use chrono::{DateTime, Local, Utc};
use dealer_core::activity::{ActivityEntry, SyncTrigger};
use dealer_core::catalog::csv::CsvImport;
use dealer_core::catalog::mapping::{MatchReport, SeenSku};
use dealer_core::catalog::LookupProgress;
use dealer_core::channel::{ConnectionCheck, Credentials};
use dealer_core::domain::{Actor, ChannelKind};
use dealer_core::export::{ExportOptions, ExportSummary, PartialFile, Period};
use dealer_core::fulfillment::{
    AuthorizeOutcome, AutoAuthorize, AutoAuthorizeStatus, ShipToInput, SupplierConnection,
};
use dealer_core::onboarding::Onboarding;
use dealer_core::outbox::Job;
use dealer_core::problems::ProblemNotifications;
use dealer_core::reports::{Dashboard, DashboardQuery};
use dealer_core::scheduler::Plan;
use dealer_core::secret::Sensitive;
use dealer_core::store::{Channel, ListOrders, OrderDetail, OrderPage, SkuMapping};
use dealer_core::sync::SyncReport;
use serde::Deserialize;
use std::sync::Arc;

use dealer_core::Engine;
use dealer_runtime::Running;
use tauri::{AppHandle, Manager, Runtime};
use ts_rs::TS;

use crate::actions;
use crate::attention::NeedsYou;
use crate::error::{CommandError, CommandResult};
use crate::events::SyncState;
use crate::save::SavedExport;
use crate::sku_match::SkuMatches;
use crate::state::{AppState, AppStatus};
use dealer_core::ErrorCode;

/// Calls `$callback!` with every command's name, arguments and result type.
macro_rules! with_commands {
    ($callback:ident) => {
        $callback! {
            app_status() -> AppStatus;
            unlock(passphrase: String) -> AppStatus;
            list_orders(query: ListOrders) -> OrderPage;
            dashboard(query: dealer_core::reports::DashboardQuery) -> dealer_core::reports::Dashboard;
            statement(year: i32, month: u32) -> dealer_core::statement::Statement;
            get_order(id: i64) -> OrderDetail;
            authorize_orders(ids: Vec<i64>) -> Vec<AuthorizeOutcome>;
            cancel_order(id: i64, reason: String) -> OrderDetail;
            edit_ship_to(id: i64, ship_to: ShipToInput) -> OrderDetail;
            release_weight_hold(id: i64) -> OrderDetail;
            release_payment_hold(id: i64) -> OrderDetail;
            release_hold(id: i64) -> OrderDetail;
            route_again(id: i64) -> OrderDetail;
            list_sku_map() -> Vec<SkuMapping>;
            unmapped_skus() -> Vec<String>;
            set_sku_mapping(store_sku: String, supplier_sku: String) -> SkuMapping;
            remove_sku_mapping(store_sku: String) -> ();
            seen_skus() -> Vec<SeenSku>;
            match_seen_skus() -> MatchReport;
            stop_sku_match() -> ();
            confirm_sku_matches(skus: Option<Vec<String>>) -> Vec<SkuMapping>;
            export_sku_map_csv() -> Option<SavedExport>;
            export_orders_csv(query: ListOrders, bom: bool) -> Option<SavedExport>;
            export_statement_csv(year: i32, month: u32, bom: bool) -> Option<SavedExport>;
            export_shipments_csv(from: DateTime<Utc>, before: DateTime<Utc>, bom: bool) -> Option<SavedExport>;
            import_sku_map_csv(text: String) -> CsvImport;
            auto_authorize_status() -> AutoAuthorizeStatus;
            set_auto_authorize(rules: AutoAuthorize) -> AutoAuthorizeStatus;
            list_jobs(limit: u32) -> Vec<Job>;
            retry_job(id: i64) -> Job;
            cancel_job(id: i64) -> Job;
            onboarding_status() -> Onboarding;
            mark_test_order(id: i64, mode: dealer_core::Mode) -> Onboarding;
            place_test_order() -> PlacedTestOrder;
            shipment_notifications() -> bool;
            set_shipment_notifications(on: bool) -> bool;
            problem_notifications() -> ProblemNotifications;
            set_problem_notifications(wanted: ProblemNotifications) -> ProblemNotifications;
            late_after_business_days() -> u32;
            set_late_after_business_days(days: u32) -> u32;
            autostart_enabled() -> bool;
            set_autostart(on: bool) -> bool;
            quit() -> ();
            window_interactive(page: String) -> ();
            needs_you_count() -> NeedsYou;
            order_count() -> OrderCount;
            tray_status() -> TrayStatus;
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
            supplier_connection() -> SupplierConnection;
            connect_supplier(url: String, token: Option<String>) -> SupplierConnection;
            disconnect_supplier() -> SupplierConnection;
            test_supplier() -> SupplierConnection;
        }
    };
}
pub(crate) use with_commands;

async fn running<R: Runtime>(app: &AppHandle<R>) -> CommandResult<Arc<Running>> {
    app.state::<AppState<R>>().running().await
}

async fn engine<R: Runtime>(app: &AppHandle<R>) -> CommandResult<Arc<Engine>> {
    app.state::<AppState<R>>().engine().await
}

#[tauri::command]
pub async fn app_status<R: Runtime>(app: AppHandle<R>) -> CommandResult<AppStatus> {
    app.state::<AppState<R>>().status().await
}

#[tauri::command]
pub async fn unlock<R: Runtime>(app: AppHandle<R>, passphrase: String) -> CommandResult<AppStatus> {
    let status = app.state::<AppState<R>>().unlock(passphrase).await?;
    crate::sync_tray_with_store(&app).await;
    Ok(status)
}

#[tauri::command]
pub async fn list_orders<R: Runtime>(
    app: AppHandle<R>,
    query: ListOrders,
) -> CommandResult<OrderPage> {
    Ok(engine(&app).await?.store().order_page(&query).await?)
}

/// The Dashboard's figures for a period (one environment: the Sandbox has its own).
#[tauri::command]
pub async fn dashboard<R: Runtime>(
    app: AppHandle<R>,
    query: DashboardQuery,
) -> CommandResult<Dashboard> {
    Ok(engine(&app).await?.dashboard(&query).await?)
}

/// US Direct's statement for a calendar month (UTC): its invoices, their surcharges and
/// credits, and the totals per currency.
#[tauri::command]
pub async fn statement<R: Runtime>(
    app: AppHandle<R>,
    year: i32,
    month: u32,
) -> CommandResult<dealer_core::statement::Statement> {
    let period = dealer_core::statement::Period::month(year, month)?;
    Ok(engine(&app).await?.statement(period).await?)
}

#[tauri::command]
pub async fn get_order<R: Runtime>(app: AppHandle<R>, id: i64) -> CommandResult<OrderDetail> {
    Ok(engine(&app).await?.store().order_detail(id).await?)
}

/// Authorize Order for Payment, for one order (the order page) or many (the list's bulk
/// action). The payment authorizations go out through the outbox worker.
#[tauri::command]
pub async fn authorize_orders<R: Runtime>(
    app: AppHandle<R>,
    ids: Vec<i64>,
) -> CommandResult<Vec<AuthorizeOutcome>> {
    Ok(engine(&app).await?.authorize(&ids, Actor::Dealer).await?)
}

/// Cancel order (the order page): cancelled here at once; the store's and US Direct's
/// cancellations go out through the outbox worker. Refused, with what to do, once shipped.
#[tauri::command]
pub async fn cancel_order<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    reason: String,
) -> CommandResult<OrderDetail> {
    let engine = engine(&app).await?;
    engine.cancel_order(id, &reason, Actor::Dealer).await?;
    Ok(engine.store().order_detail(id).await?)
}

#[tauri::command]
pub async fn edit_ship_to<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    ship_to: ShipToInput,
) -> CommandResult<OrderDetail> {
    Ok(engine(&app).await?.edit_ship_to(id, ship_to).await?)
}

#[tauri::command]
pub async fn release_weight_hold<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
) -> CommandResult<OrderDetail> {
    Ok(engine(&app).await?.release_weight_hold(id).await?)
}

/// Resolve → release a hold the dealer overrules as is (a street that only looks like a PO
/// box), recorded with the dealer's name on the timeline.
#[tauri::command]
pub async fn release_hold<R: Runtime>(app: AppHandle<R>, id: i64) -> CommandResult<OrderDetail> {
    Ok(engine(&app).await?.release_hold(id, Actor::Dealer).await?)
}

/// Resolve → release an order held for the store's payment (or its fraud risk).
#[tauri::command]
pub async fn release_payment_hold<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
) -> CommandResult<OrderDetail> {
    Ok(engine(&app).await?.release_payment_hold(id).await?)
}

#[tauri::command]
pub async fn route_again<R: Runtime>(app: AppHandle<R>, id: i64) -> CommandResult<OrderDetail> {
    Ok(engine(&app).await?.route_again(id).await?)
}

#[tauri::command]
pub async fn list_sku_map<R: Runtime>(app: AppHandle<R>) -> CommandResult<Vec<SkuMapping>> {
    Ok(engine(&app).await?.store().sku_map().await?)
}

/// SKUs that orders needing attention wait on.
#[tauri::command]
pub async fn unmapped_skus<R: Runtime>(app: AppHandle<R>) -> CommandResult<Vec<String>> {
    Ok(engine(&app).await?.store().unmapped_skus().await?)
}

/// Maps a store SKU after US Direct confirms it carries the item; refused (nothing saved) when
/// it does not, or cannot be asked.
#[tauri::command]
pub async fn set_sku_mapping<R: Runtime>(
    app: AppHandle<R>,
    store_sku: String,
    supplier_sku: String,
) -> CommandResult<SkuMapping> {
    let running = running(&app).await?;
    let suppliers = running.connector().suppliers(running.engine()).await?;
    Ok(running
        .engine()
        .map_sku(&suppliers, &store_sku, &supplier_sku)
        .await?)
}

/// Store SKUs seen in orders without a mapping, with what US Direct last said of each.
#[tauri::command]
pub async fn seen_skus<R: Runtime>(app: AppHandle<R>) -> CommandResult<Vec<SeenSku>> {
    Ok(engine(&app).await?.seen_skus().await?)
}

/// Match with US Direct: asks about every seen SKU (2 a second), telling the window after
/// each (`sku-match-progress`); `stop_sku_match` ends it early.
#[tauri::command]
pub async fn match_seen_skus<R: Runtime>(app: AppHandle<R>) -> CommandResult<MatchReport> {
    let running = running(&app).await?;
    let suppliers = running.connector().suppliers(running.engine()).await?;
    let matches = app.state::<SkuMatches>();
    let guard = matches.begin().ok_or_else(|| {
        CommandError::new(
            ErrorCode::AlreadyRunning,
            "a match with US Direct is already running; wait for it or stop it",
        )
    })?;
    let emitter = app.clone();
    let mut on_progress = move |progress: LookupProgress| {
        crate::events::emit(&emitter, progress);
        guard.next()
    };
    Ok(running
        .engine()
        .match_seen_skus(&suppliers, &mut on_progress)
        .await?)
}

#[tauri::command]
pub async fn stop_sku_match<R: Runtime>(app: AppHandle<R>) -> CommandResult<()> {
    app.state::<SkuMatches>().stop();
    Ok(())
}

/// Confirm N matches: maps each (or every matched) seen SKU to the same US Direct SKU.
#[tauri::command]
pub async fn confirm_sku_matches<R: Runtime>(
    app: AppHandle<R>,
    skus: Option<Vec<String>>,
) -> CommandResult<Vec<SkuMapping>> {
    Ok(engine(&app)
        .await?
        .confirm_sku_matches(skus.as_deref())
        .await?)
}

/// Export CSV (Settings → SKU map): the map as Import CSV reads it, saved where the dealer
/// chooses; `None` when they cancel the dialog.
#[tauri::command]
pub async fn export_sku_map_csv<R: Runtime>(
    app: AppHandle<R>,
) -> CommandResult<Option<SavedExport>> {
    let engine = engine(&app).await?;
    let Some(mut file) = save_to(&app, "sku-map.csv").await? else {
        return Ok(None);
    };
    let summary = engine.export_sku_map(file.writer()?).await?;
    saved(file, summary)
}

/// Export CSV (the Orders list): the orders under the list's filters, every one of them (not
/// the page shown), with items, costs and tracking, saved where the dealer chooses.
#[tauri::command]
pub async fn export_orders_csv<R: Runtime>(
    app: AppHandle<R>,
    query: ListOrders,
    bom: bool,
) -> CommandResult<Option<SavedExport>> {
    let engine = engine(&app).await?;
    let name = format!("orders-{}.csv", Local::now().date_naive());
    let Some(mut file) = save_to(&app, &name).await? else {
        return Ok(None);
    };
    let summary = engine
        .export_orders(&query, file.writer()?, ExportOptions { bom })
        .await?;
    saved(file, summary)
}

/// US Direct's statement of a calendar month (UTC), with its totals.
#[tauri::command]
pub async fn export_statement_csv<R: Runtime>(
    app: AppHandle<R>,
    year: i32,
    month: u32,
    bom: bool,
) -> CommandResult<Option<SavedExport>> {
    let period = Period::month(year, month)?;
    let engine = engine(&app).await?;
    let name = format!("statement-{year:04}-{month:02}.csv");
    let Some(mut file) = save_to(&app, &name).await? else {
        return Ok(None);
    };
    let summary = engine
        .export_statement(period, file.writer()?, ExportOptions { bom })
        .await?;
    saved(file, summary)
}

/// The shipments of `[from, before)`: the window sends the dealer's local days as instants.
#[tauri::command]
pub async fn export_shipments_csv<R: Runtime>(
    app: AppHandle<R>,
    from: DateTime<Utc>,
    before: DateTime<Utc>,
    bom: bool,
) -> CommandResult<Option<SavedExport>> {
    if from >= before {
        return Err(CommandError::new(
            ErrorCode::InvalidInput,
            "the “from” day is after the “to” day; choose the first day, then the last",
        ));
    }
    let engine = engine(&app).await?;
    let last_day = (before - chrono::Duration::seconds(1)).with_timezone(&Local);
    let name = format!(
        "shipments-{}-to-{}.csv",
        from.with_timezone(&Local).date_naive(),
        last_day.date_naive()
    );
    let Some(mut file) = save_to(&app, &name).await? else {
        return Ok(None);
    };
    let environment = engine.statement_environment().await?;
    let summary = engine
        .export_shipments(
            environment,
            from,
            before,
            file.writer()?,
            ExportOptions { bom },
        )
        .await?;
    saved(file, summary)
}

/// The file the dealer chose (see [`crate::save`]), opened under a hidden name beside it.
async fn save_to<R: Runtime>(
    app: &AppHandle<R>,
    suggested: &str,
) -> CommandResult<Option<PartialFile>> {
    match crate::save::choose(app, suggested).await? {
        Some(path) => Ok(Some(PartialFile::create(&path)?)),
        None => Ok(None),
    }
}

/// Renames the written file into place. An error before this point drops the file, which
/// removes it: a failed export leaves no partial file.
fn saved(file: PartialFile, summary: ExportSummary) -> CommandResult<Option<SavedExport>> {
    let path = file.output().display().to_string();
    file.commit()?;
    Ok(Some(SavedExport {
        rows: summary.rows,
        path,
    }))
}

/// Imports the text of a CSV file the dealer picked: all rows or none.
#[tauri::command]
pub async fn import_sku_map_csv<R: Runtime>(
    app: AppHandle<R>,
    text: String,
) -> CommandResult<CsvImport> {
    let running = running(&app).await?;
    let suppliers = running.connector().suppliers(running.engine()).await?;
    Ok(running
        .engine()
        .import_sku_map_csv(
            &suppliers,
            &text,
            &mut dealer_core::catalog::mapping::no_progress,
        )
        .await?)
}

#[tauri::command]
pub async fn remove_sku_mapping<R: Runtime>(
    app: AppHandle<R>,
    store_sku: String,
) -> CommandResult<()> {
    Ok(engine(&app)
        .await?
        .store()
        .remove_sku_mapping(&store_sku)
        .await?)
}

#[tauri::command]
pub async fn auto_authorize_status<R: Runtime>(
    app: AppHandle<R>,
) -> CommandResult<AutoAuthorizeStatus> {
    Ok(engine(&app).await?.auto_authorize_status().await?)
}

#[tauri::command]
pub async fn set_auto_authorize<R: Runtime>(
    app: AppHandle<R>,
    rules: AutoAuthorize,
) -> CommandResult<AutoAuthorizeStatus> {
    Ok(engine(&app).await?.set_auto_authorize(rules).await?)
}

#[tauri::command]
pub async fn list_jobs<R: Runtime>(app: AppHandle<R>, limit: u32) -> CommandResult<Vec<Job>> {
    Ok(engine(&app).await?.store().list_jobs(None, limit).await?)
}

#[tauri::command]
pub async fn retry_job<R: Runtime>(app: AppHandle<R>, id: i64) -> CommandResult<Job> {
    Ok(engine(&app).await?.retry_job(id).await?)
}

#[tauri::command]
pub async fn cancel_job<R: Runtime>(app: AppHandle<R>, id: i64) -> CommandResult<Job> {
    Ok(engine(&app).await?.cancel_job(id).await?)
}

#[tauri::command]
pub async fn recent_activity<R: Runtime>(
    app: AppHandle<R>,
    limit: u32,
) -> CommandResult<Vec<ActivityEntry>> {
    Ok(engine(&app).await?.store().recent_activity(limit).await?)
}

#[tauri::command]
pub async fn order_sync<R: Runtime>(app: AppHandle<R>) -> CommandResult<SyncReport> {
    actions::order_sync(&app, SyncTrigger::Window).await
}

#[tauri::command]
pub async fn set_sync_paused<R: Runtime>(
    app: AppHandle<R>,
    paused: bool,
) -> CommandResult<SyncState> {
    actions::set_sync_paused(&app, paused).await
}

#[tauri::command]
pub async fn set_plan<R: Runtime>(app: AppHandle<R>, plan: Plan) -> CommandResult<Plan> {
    engine(&app).await?.set_plan(plan).await?;
    Ok(plan)
}

#[tauri::command]
pub async fn list_channels<R: Runtime>(app: AppHandle<R>) -> CommandResult<Vec<Channel>> {
    Ok(engine(&app).await?.store().channels().await?)
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
pub async fn add_channel<R: Runtime>(
    app: AppHandle<R>,
    input: ChannelInput,
) -> CommandResult<Channel> {
    let (kind, name, url) = (input.kind, input.name.clone(), input.url.clone());
    let credentials = input.credentials().ok_or_else(|| {
        CommandError::new(ErrorCode::InvalidInput, "enter the store's credentials")
    })?;
    let running = running(&app).await?;
    // The connector knows each platform's URL rules and credential shapes.
    Ok(running
        .engine()
        .add_channel(
            running.connector().as_ref(),
            kind,
            &name,
            &url,
            &credentials,
        )
        .await?)
}

#[tauri::command]
pub async fn update_channel<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    input: ChannelInput,
) -> CommandResult<Channel> {
    let running = running(&app).await?;
    let (name, url) = (input.name.clone(), input.url.clone());
    let credentials = input.credentials();
    Ok(running
        .engine()
        .update_channel(
            running.connector().as_ref(),
            id,
            &name,
            &url,
            credentials.as_ref(),
        )
        .await?)
}

#[tauri::command]
pub async fn remove_channel<R: Runtime>(app: AppHandle<R>, id: i64) -> CommandResult<()> {
    Ok(engine(&app).await?.remove_channel(id).await?)
}

#[tauri::command]
pub async fn test_channel<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
) -> CommandResult<ConnectionCheck> {
    let running = running(&app).await?;
    Ok(running
        .engine()
        .test_channel(running.connector().as_ref(), id)
        .await?)
}

/// The US Direct account for live orders, and why live orders wait, if they do.
#[tauri::command]
pub async fn supplier_connection<R: Runtime>(
    app: AppHandle<R>,
) -> CommandResult<SupplierConnection> {
    Ok(engine(&app).await?.supplier_connection().await?)
}

/// Saves US Direct's API address and, when typed, its token (into the keyring; no command
/// sends it back). Without a token the saved one is kept, on the same server only.
#[tauri::command]
pub async fn connect_supplier<R: Runtime>(
    app: AppHandle<R>,
    url: String,
    token: Option<String>,
) -> CommandResult<SupplierConnection> {
    let token = token.filter(|t| !t.trim().is_empty()).map(Sensitive::new);
    Ok(engine(&app)
        .await?
        .save_supplier(&url, token.as_ref())
        .await?)
}

#[tauri::command]
pub async fn disconnect_supplier<R: Runtime>(
    app: AppHandle<R>,
) -> CommandResult<SupplierConnection> {
    Ok(engine(&app).await?.disconnect_supplier().await?)
}

/// Test connection: one real call to US Direct with the saved token; the outcome is kept.
#[tauri::command]
pub async fn test_supplier<R: Runtime>(app: AppHandle<R>) -> CommandResult<SupplierConnection> {
    let running = running(&app).await?;
    Ok(running.connector().test_supplier(running.engine()).await?)
}

#[tauri::command]
pub async fn onboarding_status<R: Runtime>(app: AppHandle<R>) -> CommandResult<Onboarding> {
    Ok(engine(&app).await?.onboarding().await?)
}

/// Marks the order as the test order of the Sandbox rehearsal or of Live (a live test order
/// must come from a real store).
#[tauri::command]
pub async fn mark_test_order<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    mode: dealer_core::Mode,
) -> CommandResult<Onboarding> {
    Ok(engine(&app).await?.mark_test_order(id, mode).await?)
}

/// The order the Sandbox store just took.
#[derive(Debug, Clone, serde::Serialize, TS)]
pub struct PlacedTestOrder {
    pub number: String,
}

/// Sandbox only: a shopper places the onboarding guide's test order in the sandbox store.
#[tauri::command]
pub async fn place_test_order<R: Runtime>(app: AppHandle<R>) -> CommandResult<PlacedTestOrder> {
    let placed = running(&app).await?.runtime().place_test_order().await?;
    Ok(PlacedTestOrder {
        number: format!("#{}", placed.number),
    })
}

#[tauri::command]
pub async fn shipment_notifications<R: Runtime>(app: AppHandle<R>) -> CommandResult<bool> {
    Ok(crate::notify::notifications_on(&*engine(&app).await?).await)
}

#[tauri::command]
pub async fn set_shipment_notifications<R: Runtime>(
    app: AppHandle<R>,
    on: bool,
) -> CommandResult<bool> {
    engine(&app).await?.set_shipment_notifications(on).await?;
    Ok(on)
}

/// "Start Dealer Portal when I log in" (Settings → Notifications): whether the login entry is
/// there. It lives outside the store, so it answers while the store is locked too.
#[tauri::command]
pub async fn autostart_enabled<R: Runtime>(app: AppHandle<R>) -> CommandResult<bool> {
    crate::window::autostart_enabled(&app)
}

/// Writes or removes the login entry, which starts the app with `--hidden` (only the tray).
#[tauri::command]
pub async fn set_autostart<R: Runtime>(app: AppHandle<R>, on: bool) -> CommandResult<bool> {
    crate::window::set_autostart(&app, on)
}

/// Ctrl+Q in the window: quits, as the tray's Quit does.
#[tauri::command]
pub async fn quit<R: Runtime>(app: AppHandle<R>) -> CommandResult<()> {
    crate::window::quit(&app);
    Ok(())
}

/// The window's first page has its data on screen: logged once with the time since start
/// (docs/BENCHMARKS.md, "Start-up", measures to this line).
#[tauri::command]
pub async fn window_interactive(page: String) -> CommandResult<()> {
    crate::startup::window_interactive(&page);
    Ok(())
}

/// Which problems get a desktop notification (Settings → Notifications).
#[tauri::command]
pub async fn problem_notifications<R: Runtime>(
    app: AppHandle<R>,
) -> CommandResult<ProblemNotifications> {
    Ok(engine(&app).await?.problem_notifications().await?)
}

#[tauri::command]
pub async fn set_problem_notifications<R: Runtime>(
    app: AppHandle<R>,
    wanted: ProblemNotifications,
) -> CommandResult<ProblemNotifications> {
    engine(&app)
        .await?
        .set_problem_notifications(wanted)
        .await?;
    Ok(wanted)
}

/// "Late after N business days" (Settings → Orders).
#[tauri::command]
pub async fn late_after_business_days<R: Runtime>(app: AppHandle<R>) -> CommandResult<u32> {
    Ok(engine(&app).await?.late_after_business_days().await?)
}

#[tauri::command]
pub async fn set_late_after_business_days<R: Runtime>(
    app: AppHandle<R>,
    days: u32,
) -> CommandResult<u32> {
    engine(&app)
        .await?
        .set_late_after_business_days(days)
        .await?;
    Ok(days)
}

/// How many orders need the dealer now (the sidebar's count when the window opens; changes
/// come as `needs-you-changed` events).
#[tauri::command]
pub async fn needs_you_count<R: Runtime>(app: AppHandle<R>) -> CommandResult<NeedsYou> {
    Ok(NeedsYou {
        count: engine(&app).await?.needs_you_count().await?,
    })
}

/// How many orders the store holds, Sandbox and live (Settings → Store).
#[derive(Debug, Clone, serde::Serialize, TS)]
pub struct OrderCount {
    #[ts(type = "number")]
    pub count: i64,
}

/// The store's order count, asked by the page that shows it. Not part of `app_status`: the
/// status is asked at every start and after every change, and counting 100,000 orders reads
/// the whole orders index (~0.1 s on a cold start, docs/BENCHMARKS.md, "Start-up").
#[tauri::command]
pub async fn order_count<R: Runtime>(app: AppHandle<R>) -> CommandResult<OrderCount> {
    Ok(OrderCount {
        count: engine(&app).await?.store().count_orders().await?,
    })
}

/// What the tray shows about the orders that need the dealer. The window does not use it: the
/// end-to-end tests read the tray through it, as no tray host runs in their session.
#[derive(Debug, Clone, serde::Serialize, TS)]
pub struct TrayStatus {
    pub tooltip: String,
    pub needs_attention_item: String,
}

#[tauri::command]
pub async fn tray_status<R: Runtime>(app: AppHandle<R>) -> CommandResult<TrayStatus> {
    let (tooltip, needs_attention_item) = app
        .try_state::<crate::tray::TrayMenu<R>>()
        .map(|tray| tray.needs_you_shown())
        .unwrap_or_default();
    Ok(TrayStatus {
        tooltip,
        needs_attention_item,
    })
}

/// Opens a shipment's tracking page in the dealer's browser. The window names the shipment;
/// the address comes from the store (an https carrier page), so the window cannot open
/// anything else.
#[tauri::command]
pub async fn open_tracking<R: Runtime>(
    app: AppHandle<R>,
    order_id: i64,
    tracking_number: String,
) -> CommandResult<()> {
    use tauri_plugin_opener::OpenerExt;
    let shipments = engine(&app).await?.store().shipments(order_id).await?;
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

#[cfg(test)]
mod tests;
