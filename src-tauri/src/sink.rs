//! The runtime's events, delivered to the window and the tray.

use dealer_runtime::{RuntimeEvent, Sink};
use tauri::{AppHandle, Manager, Runtime};

use crate::events::{self, ActivityChanged, SyncState};
use crate::state::AppState;
use crate::tray::TrayMenu;

pub struct WindowSink<R: Runtime> {
    app: AppHandle<R>,
}

impl<R: Runtime> WindowSink<R> {
    pub fn new(app: AppHandle<R>) -> Self {
        Self { app }
    }
}

impl<R: Runtime> Sink for WindowSink<R> {
    fn send(&self, event: RuntimeEvent) {
        match event {
            RuntimeEvent::SyncProgress(progress) => events::emit(&self.app, progress),
            RuntimeEvent::Changed { reason } => events::emit(
                &self.app,
                ActivityChanged {
                    reason: reason.into(),
                },
            ),
            RuntimeEvent::SyncPaused { paused } => {
                if let Some(tray) = self.app.try_state::<TrayMenu<R>>() {
                    tray.show_paused(paused);
                }
                events::emit(&self.app, SyncState { paused });
            }
            RuntimeEvent::Shipments(shipments) => {
                let app = self.app.clone();
                tauri::async_runtime::spawn(async move {
                    let Some(engine) = app.state::<AppState<R>>().engine_if_ready().await else {
                        return;
                    };
                    crate::notify::announce_shipments(&app, &engine, &shipments).await;
                });
            }
            RuntimeEvent::ComponentRestarted { component, why } => {
                tracing::error!(component, %why, "background work restarted");
            }
        }
    }
}
