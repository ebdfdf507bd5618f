//! The tray icon and its menu: Open, Needs attention (N), Order Sync, Pause syncing, Latest
//! shipment, the health of the background work, Quit. Its tooltip says how many orders need the
//! dealer. It stays when the window is closed, so syncing goes on in the background.

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
const NEEDS_YOU: &str = "needs-attention";
const TRAY_ID: &str = "main";

/// What the tray says about the orders that need the dealer: its tooltip and its menu item.
pub fn needs_you_texts(count: i64) -> (String, String) {
    let tooltip = match count {
        0 => "Dealer Portal".to_string(),
        1 => "Dealer Portal — 1 order needs you".to_string(),
        n => format!("Dealer Portal — {n} orders need you"),
    };
    (tooltip, format!("Needs attention ({count})"))
}

/// The menu items whose state the app changes after the tray is built.
pub struct TrayMenu<R: Runtime> {
    pause: CheckMenuItem<R>,
    latest: MenuItem<R>,
    latest_order: std::sync::Mutex<Option<i64>>,
    health: MenuItem<R>,
    needs_you: MenuItem<R>,
    /// The tooltip and menu text last shown, for the end-to-end test's `tray_status`.
    shown: std::sync::Mutex<(String, String)>,
}

impl<R: Runtime> TrayMenu<R> {
    /// "Needs attention (N)" and the tooltip "Dealer Portal — N orders need you".
    pub fn show_needs_you(&self, app: &AppHandle<R>, count: i64) {
        let (tooltip, item) = needs_you_texts(count);
        if let Err(err) = self.needs_you.set_text(&item) {
            tracing::warn!("tray menu: {err}");
        }
        if let Some(tray) = app.tray_by_id(TRAY_ID) {
            if let Err(err) = tray.set_tooltip(Some(&tooltip)) {
                tracing::warn!("tray tooltip: {err}");
            }
        }
        if let Ok(mut shown) = self.shown.lock() {
            *shown = (tooltip, item);
        }
    }

    /// The tooltip and the "Needs attention" item as last shown.
    pub fn needs_you_shown(&self) -> (String, String) {
        self.shown
            .lock()
            .map(|shown| shown.clone())
            .unwrap_or_default()
    }

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
    let (tooltip, item) = needs_you_texts(0);
    let needs_you = MenuItem::with_id(app, NEEDS_YOU, &item, true, None::<&str>)?;
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
        &[
            &open, &needs_you, &sync, &pause, &latest, &health, &separator, &quit,
        ],
    )?;
    let mut tray = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip(&tooltip)
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
        needs_you,
        shown: std::sync::Mutex::new((tooltip, item)),
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
        NEEDS_YOU => crate::attention::open_needs_you(app),
        QUIT => app.exit(0),
        other => tracing::debug!(id = other, "unknown tray menu item"),
    }
}

#[cfg(test)]
mod tests {
    use super::needs_you_texts;

    #[test]
    fn the_tray_says_how_many_orders_need_the_dealer() {
        assert_eq!(
            needs_you_texts(3),
            (
                "Dealer Portal — 3 orders need you".to_string(),
                "Needs attention (3)".to_string()
            )
        );
        assert_eq!(needs_you_texts(1).0, "Dealer Portal — 1 order needs you");
        assert_eq!(needs_you_texts(0).0, "Dealer Portal");
    }
}
