//! Tray notifications for shipments: "Order #1001 shipped — UPS 1Z…", once per shipment, through
//! Tauri's notification plugin (a desktop notification on the session bus). A setting turns
//! them off; the tray menu's "Latest shipment" item opens the order.

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
            .title(format!("Order {} shipped", shipment.order_number))
            .body(body)
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
