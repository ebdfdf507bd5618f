//! Dealer Portal desktop shell: the window, the tray, thin commands over `dealer-core`.

mod actions;
mod args;
mod attention;
pub mod bindings;
mod commands;
mod error;
mod events;
/// Component-test fixtures from real engine calls, checked for drift like the bindings.
#[cfg(test)]
mod fixtures;
mod logging;
mod notify;
mod save;
mod sink;
mod sku_match;
mod startup;
mod state;
mod tray;
mod window;

use std::sync::Arc;

use tauri::{AppHandle, Manager, RunEvent, Runtime, WindowEvent};

use crate::state::AppState;

/// Keeps the log writer flushing for the life of the app.
struct LogGuard(#[allow(dead_code)] Option<tracing_appender::non_blocking::WorkerGuard>);

macro_rules! invoke_handler {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        tauri::generate_handler![$(commands::$name),*]
    };
}

pub fn run() {
    startup::started();
    // Before any thread: what the app writes is the dealer's alone, and the passphrase leaves
    // the environment (the web view's processes and anything opened from the app would
    // inherit it).
    dealer_core::paths::private_files();
    let unlock = dealer_core::keys::Unlock::take_from_env();
    let app = tauri::Builder::default()
        // First plugin, so a second launch hands over before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            // The login entry starting an app already running leaves it in the tray.
            if args::hidden_from(&argv) {
                tracing::info!("second launch with --hidden: staying in the tray");
                return;
            }
            tracing::info!("second launch: focusing the running window");
            actions::show_main_window(app);
        }))
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        // Export CSV's save dialog, opened by the export commands: the window's capability
        // grants none of the plugin's own commands.
        .plugin(tauri_plugin_dialog::init())
        // "Start Dealer Portal when I log in": the entry starts the app in the tray.
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec![window::HIDDEN]),
        ))
        // The window's size, position and maximised state, restored before it shows.
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(window::remembered())
                .build(),
        )
        .setup(move |app| {
            let explicit = args::data_dir_from(
                std::env::args().skip(1),
                std::env::var(dealer_core::paths::DATA_DIR_ENV).ok(),
            );
            // The same resolver as the CLI's, so both find the same store.
            let data_dir = dealer_core::paths::resolve_data_dir(explicit.as_deref())?;
            // The logs live with the data they describe, private like it.
            app.manage(LogGuard(logging::init(&data_dir.join("logs"))));
            let state = tauri::async_runtime::block_on(AppState::open(
                data_dir,
                unlock.clone(),
                app.handle().clone(),
                Arc::new(dealer_core::keys::OsKeyring),
            ));
            app.manage(state);
            app.manage(sku_match::SkuMatches::default());
            app.manage(save::SaveAnswer::from_env());
            let paused = tauri::async_runtime::block_on(sync_paused(app.handle()));
            let tray = tray::build(app.handle(), paused)?;
            app.manage(tray);
            // The store may have opened before the tray was there to show its count.
            tauri::async_runtime::spawn(attention::show_count_now(app.handle().clone()));
            app.manage(window::TrayNoticeThisRun::default());
            // The window is made hidden (tauri.conf.json): it shows now unless started at login.
            window::show_unless_hidden(app.handle(), args::hidden_from(std::env::args().skip(1)));
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window hides it: the tray stays and syncing goes on.
            if let WindowEvent::CloseRequested { api, .. } = event {
                if window.label() == actions::MAIN_WINDOW {
                    api.prevent_close();
                    window::hide_to_tray(window);
                }
            }
        })
        .invoke_handler(commands::with_commands!(invoke_handler))
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(err) => {
            tracing::error!("Dealer Portal could not start: {err}");
            eprintln!("Dealer Portal could not start: {err}");
            std::process::exit(1);
        }
    };
    app.run(|app, event| {
        if let RunEvent::Exit = event {
            tauri::async_runtime::block_on(app.state::<AppState<tauri::Wry>>().close());
            tracing::info!("Dealer Portal stopped");
        }
    });
}

async fn sync_paused<R: Runtime>(app: &AppHandle<R>) -> bool {
    match app.state::<AppState<R>>().engine_if_ready().await {
        Some(engine) => engine.sync_paused().await.unwrap_or(false),
        None => false,
    }
}

/// After an unlock, the tray shows the store's own pause setting.
pub(crate) async fn sync_tray_with_store<R: Runtime>(app: &AppHandle<R>) {
    let paused = sync_paused(app).await;
    if let Some(tray) = app.try_state::<tray::TrayMenu<R>>() {
        tray.show_paused(paused);
    }
}
