//! Tray notifications for shipments: "Order #1001 shipped — UPS 1Z…", once per shipment (problems
//! are told grouped, by crate::attention), through
//! Tauri's notification plugin (a desktop notification on the session bus). A setting turns
//! them off; the tray menu's "Latest shipment" item opens the order. Background work that
//! stopped and was started again is told too, at most once per component every ten minutes.
//!
//! Every text comes from a store or US Direct (order numbers, carriers, tracking numbers), and
//! notification servers read the body as markup: each is made plain text first ([`plain_text`]).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use dealer_core::shipments::NewShipment;
use dealer_core::Engine;
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use ts_rs::TS;

use crate::events::{self, AppEvent};
use crate::tray::TrayMenu;

/// The window should show an order (the tray's "Latest shipment").
#[derive(Debug, Clone, Serialize, TS)]
pub struct OpenOrder {
    #[ts(type = "number")]
    pub order_id: i64,
}

impl AppEvent for OpenOrder {
    const NAME: &'static str = "open-order";
}

/// The window should show Activity (the tray's "Background work restarted").
#[derive(Debug, Clone, Serialize, TS)]
pub struct OpenActivity {}

impl AppEvent for OpenActivity {
    const NAME: &'static str = "open-activity";
}

pub async fn notifications_on(engine: &Engine) -> bool {
    engine.shipment_notifications().await.unwrap_or(true)
}

/// Tells the dealer of shipments not announced before (the runtime hands each over once).
pub async fn announce_shipments<R: Runtime>(
    app: &AppHandle<R>,
    engine: &Engine,
    shipments: &[NewShipment],
) {
    let Some(latest) = shipments.last() else {
        return;
    };
    if let Some(tray) = app.try_state::<TrayMenu<R>>() {
        tray.show_latest_shipment(latest.order_id, &latest.order_number);
    }
    if !notifications_on(engine).await {
        return;
    }
    // A tracking number that is not valid is told here with the shipment's carrier and number,
    // and again among the problems that arrive with it (crate::attention), which the dealer can
    // switch off in Settings.
    for shipment in shipments {
        let body = if shipment.tracking_valid {
            format!("{} {}", shipment.carrier, shipment.tracking_number)
        } else {
            format!(
                "{} {}: the tracking number is not valid; open the order",
                shipment.carrier, shipment.tracking_number
            )
        };
        let shown = app
            .notification()
            .builder()
            .title(plain_text(&format!(
                "Order {} shipped",
                shipment.order_number
            )))
            .body(plain_text(&body))
            .show();
        match shown {
            Ok(()) => tracing::info!(order = %shipment.order_number, "shipment notification sent"),
            Err(err) => tracing::warn!("the shipment notification could not be shown: {err}"),
        }
    }
}

/// Shows the window on an order.
pub fn open_order<R: Runtime>(app: &AppHandle<R>, order_id: i64) {
    crate::actions::show_main_window(app);
    events::emit(app, OpenOrder { order_id });
}

/// Shows the window on Activity.
pub fn open_activity<R: Runtime>(app: &AppHandle<R>) {
    crate::actions::show_main_window(app);
    events::emit(app, OpenActivity {});
}

/// When each component's restart was last told with a notification.
#[derive(Default)]
pub struct RestartsTold(Mutex<HashMap<&'static str, Instant>>);

const RESTART_NOTICE_EVERY: Duration = Duration::from_secs(600);

/// Tells the dealer that background work stopped and was started again: the tray's health item,
/// and a notification unless this component's was told in the last ten minutes (a component
/// that keeps failing restarts every minute at most; one notice is enough).
pub fn announce_restart<R: Runtime>(
    app: &AppHandle<R>,
    told: &RestartsTold,
    component: &'static str,
    why: &str,
) {
    let at = chrono::Local::now().format("%H:%M").to_string();
    if let Some(tray) = app.try_state::<TrayMenu<R>>() {
        tray.show_restart(&at);
    }
    let due = told.0.lock().is_ok_and(|mut told| {
        let now = Instant::now();
        let due = told
            .get(component)
            .is_none_or(|last| now.duration_since(*last) >= RESTART_NOTICE_EVERY);
        if due {
            told.insert(component, now);
        }
        due
    });
    if !due {
        return;
    }
    let shown = app
        .notification()
        .builder()
        .title("Dealer Portal: background work restarted")
        .body(plain_text(&dealer_runtime::restart_detail(component, why)))
        .show();
    if let Err(err) = shown {
        tracing::warn!("the restart notification could not be shown: {err}");
    }
}

/// Text from outside as a notification shows it: control characters dropped, the markup some
/// notification servers read in a body (`<b>`, `<a href>`, `<img>`) escaped, and at most 240
/// characters.
pub fn plain_text(text: &str) -> String {
    let mut plain = String::with_capacity(text.len().min(1024));
    for c in text.chars().filter(|c| !c.is_control()).take(240) {
        match c {
            '&' => plain.push_str("&amp;"),
            '<' => plain.push_str("&lt;"),
            '>' => plain.push_str("&gt;"),
            c => plain.push(c),
        }
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn outside_text_is_plain_in_a_notification() {
        assert_eq!(
            plain_text("<b>UPS</b><img src=x onerror=alert(1)> & co"),
            "&lt;b&gt;UPS&lt;/b&gt;&lt;img src=x onerror=alert(1)&gt; &amp; co"
        );
        assert_eq!(plain_text("1Z\u{7}999\n\u{1b}[31m"), "1Z999[31m");
        assert_eq!(plain_text(&"x".repeat(10_000)).len(), 240);
        assert_eq!(plain_text("Order #1001 shipped"), "Order #1001 shipped");
    }
}
