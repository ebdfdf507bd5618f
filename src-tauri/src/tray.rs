//! The tray icon and its menu: Open, Order Sync, Pause syncing, Latest shipment, the health of
//! the background work, Quit. It stays when the window
//! is closed, so syncing goes on in the background.

use dealer_core::activity::SyncTrigger;
use tauri::menu::{CheckMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

use crate::actions;

const OPEN: &str = "open";
const ORDER_SYNC: &str = "order-sync";
const PAUSE: &str = "pause-syncing";
const QUIT: &str = "quit";
const LATEST_SHIPMENT: &str = "latest-shipment";
const HEALTH: &str = "background-health";

/// The menu items whose state the app changes after the tray is built.
pub struct TrayMenu<R: Runtime> {
    pause: CheckMenuItem<R>,
    latest: MenuItem<R>,
    latest_order: std::sync::Mutex<Option<i64>>,
    health: MenuItem<R>,
}

impl<R: Runtime> TrayMenu<R> {
    /// "Latest shipment: #1001" leads to that order.
    pub fn show_latest_shipment(&self, order_id: i64, number: &str) {
        if let Ok(mut latest) = self.latest_order.lock() {
            *latest = Some(order_id);
        }
        let shown = self
            .latest
            .set_text(format!("Latest shipment: order {number}"))
            .and_then(|()| self.latest.set_enabled(true));
        if let Err(err) = shown {
            tracing::warn!("tray menu: {err}");
        }
    }

    /// "Background work restarted at 10:32: see Activity", which opens Activity.
    pub fn show_restart(&self, at: &str) {
        let shown = self
            .health
            .set_text(format!("Background work restarted at {at}: see Activity"))
            .and_then(|()| self.health.set_enabled(true));
        if let Err(err) = shown {
            tracing::warn!("tray menu: {err}");
        }
    }

    pub fn show_paused(&self, paused: bool) {
        if let Err(err) = self.pause.set_checked(paused) {
            tracing::warn!("tray menu: {err}");
        }
    }
}

pub fn build<R: Runtime>(app: &AppHandle<R>, paused: bool) -> tauri::Result<TrayMenu<R>> {
    let open = MenuItem::with_id(app, OPEN, "Open Dealer Portal", true, None::<&str>)?;
    let sync = MenuItem::with_id(app, ORDER_SYNC, "Order Sync", true, None::<&str>)?;
    let pause = CheckMenuItem::with_id(app, PAUSE, "Pause syncing", true, paused, None::<&str>)?;
    let quit = MenuItem::with_id(app, QUIT, "Quit", true, None::<&str>)?;
    let latest = MenuItem::with_id(
        app,
        LATEST_SHIPMENT,
        "No shipments yet",
        false,
        None::<&str>,
    )?;
    let health = MenuItem::with_id(app, HEALTH, "Background work: running", false, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(
        app,
        &[&open, &sync, &pause, &latest, &health, &separator, &quit],
    )?;
    let mut tray = TrayIconBuilder::with_id("main")
        .tooltip("Dealer Portal")
        .menu(&menu)
        .on_menu_event(on_menu_event);
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(TrayMenu {
        pause,
        latest,
        latest_order: std::sync::Mutex::new(None),
        health,
    })
}

fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    match event.id().as_ref() {
        OPEN => actions::show_main_window(app),
        ORDER_SYNC => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                if let Err(err) = actions::order_sync(&app, SyncTrigger::Tray).await {
                    tracing::warn!(code = ?err.code, "tray Order Sync: {}", err.message);
                }
            });
        }
        PAUSE => {
            // The check item has already flipped itself; make the setting follow it.
            let paused = app
                .state::<TrayMenu<R>>()
                .pause
                .is_checked()
                .unwrap_or(false);
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                if let Err(err) = actions::set_sync_paused(&app, paused).await {
                    tracing::warn!(code = ?err.code, "tray pause: {}", err.message);
                    app.state::<TrayMenu<R>>().show_paused(!paused);
                }
            });
        }
        LATEST_SHIPMENT => {
            let latest = app
                .state::<TrayMenu<R>>()
                .latest_order
                .lock()
                .ok()
                .and_then(|latest| *latest);
            if let Some(order_id) = latest {
                crate::notify::open_order(app, order_id);
            }
        }
        HEALTH => crate::notify::open_activity(app),
        QUIT => app.exit(0),
        other => tracing::debug!(id = other, "unknown tray menu item"),
    }
}
