//! The runtime's events, delivered to the window and the tray.

use std::sync::Arc;

use dealer_core::Engine;
use dealer_runtime::{RuntimeEvent, Sink};
use tauri::{AppHandle, Manager, Runtime};

use crate::events::{self, ActivityChanged, SyncState};
use crate::tray::TrayMenu;

pub struct WindowSink<R: Runtime> {
    app: AppHandle<R>,
    /// The runtime's engine, held here because events can come before the app's state is
    /// managed (the runtime starts while the store opens).
    engine: Arc<Engine>,
    restarts: crate::notify::RestartsTold,
    /// The count of orders that need the dealer, and the grouped problem notifications.
    attention: crate::attention::Attention,
}

impl<R: Runtime> WindowSink<R> {
    pub fn new(app: AppHandle<R>, engine: Arc<Engine>) -> Self {
        let attention = crate::attention::Attention::start(app.clone(), engine.clone());
        Self {
            app,
            engine,
            restarts: crate::notify::RestartsTold::default(),
            attention,
        }
    }
}

impl<R: Runtime> Sink for WindowSink<R> {
    fn send(&self, event: RuntimeEvent) {
        match event {
            RuntimeEvent::SyncProgress(progress) => events::emit(&self.app, progress),
            RuntimeEvent::Changed { reason } => {
                self.attention.orders_changed();
                events::emit(
                    &self.app,
                    ActivityChanged {
                        reason: reason.into(),
                    },
                );
            }
            RuntimeEvent::Problems(problems) => self.attention.problems(problems),
            RuntimeEvent::SyncPaused { paused } => {
                if let Some(tray) = self.app.try_state::<TrayMenu<R>>() {
                    tray.show_paused(paused);
                }
                events::emit(&self.app, SyncState { paused });
            }
            RuntimeEvent::Shipments(shipments) => {
                let (app, engine) = (self.app.clone(), self.engine.clone());
                tauri::async_runtime::spawn(async move {
                    crate::notify::announce_shipments(&app, &engine, &shipments).await;
                });
            }
            RuntimeEvent::ComponentRestarted { component, why } => {
                tracing::error!(component, %why, "background work restarted");
                crate::notify::announce_restart(&self.app, &self.restarts, component, &why);
                // Activity shows the restart (the runtime has recorded it).
                events::emit(
                    &self.app,
                    ActivityChanged {
                        reason: "component_restarted".into(),
                    },
                );
            }
        }
    }
}
