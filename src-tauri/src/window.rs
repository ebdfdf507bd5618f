//! The window's life beside the tray: started with `--hidden` (at login) it stays hidden and
//! only the tray shows; closing it hides it to the tray (said once, with a notification) and
//! saves its size, position and maximised state; "Start Dealer Portal when I log in" writes or
//! removes the login entry (Tauri's autostart plugin, `~/.config/autostart/` on Linux).

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::{AppHandle, Manager, Runtime, Window};
use tauri_plugin_autostart::ManagerExt as _;
use tauri_plugin_notification::NotificationExt;
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;
use dealer_core::ErrorCode;

/// The argument the login entry starts the app with: no window, only the tray.
pub const HIDDEN: &str = "--hidden";

/// What is remembered of the window: not whether it was visible (`--hidden` says that) nor
/// its decorations.
pub fn remembered() -> StateFlags {
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED
}

pub const TRAY_NOTICE_TITLE: &str = "Dealer Portal is still running in the tray";
pub const TRAY_NOTICE_BODY: &str = "Orders keep syncing and shipments are still told. To stop \
     it, choose Quit in the tray icon's menu.";

/// The notice was given in this run while the store was still locked (so not yet remembered).
#[derive(Default)]
pub struct TrayNoticeThisRun(AtomicBool);

/// At start: the window shows unless the app was started with `--hidden`.
pub fn show_unless_hidden<R: Runtime>(app: &AppHandle<R>, hidden: bool) {
    if hidden {
        tracing::info!("started with {HIDDEN}: only the tray shows");
    } else {
        crate::actions::show_main_window(app);
    }
}

/// Closing the main window hides it to the tray: its state is saved first (the plugin saves
/// only on exit, and a session that ends may never get there), and the first time the dealer is
/// told the app is still running.
pub fn hide_to_tray<R: Runtime>(window: &Window<R>) {
    let app = window.app_handle();
    if let Err(err) = app.save_window_state(remembered()) {
        tracing::warn!("the window's size and position could not be saved: {err}");
    }
    if let Err(err) = window.hide() {
        tracing::warn!("could not hide the window: {err}");
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move { tell_once(&app).await });
}

async fn tell_once<R: Runtime>(app: &AppHandle<R>) {
    let this_run = &app.state::<TrayNoticeThisRun>().0;
    let first = match app.state::<AppState<R>>().engine_if_ready().await {
        Some(engine) => match engine.first_tray_notice().await {
            Ok(first) => first && !this_run.load(Ordering::SeqCst),
            Err(err) => {
                tracing::warn!("the tray notice setting could not be read: {err}");
                false
            }
        },
        // Locked: say it once in this run; the store remembers it once it is open.
        None => !this_run.load(Ordering::SeqCst),
    };
    this_run.store(true, Ordering::SeqCst);
    if !first {
        return;
    }
    let shown = app
        .notification()
        .builder()
        .title(TRAY_NOTICE_TITLE)
        .body(TRAY_NOTICE_BODY)
        .show();
    match shown {
        Ok(()) => tracing::info!("told the dealer the app goes on in the tray"),
        Err(err) => tracing::warn!("the tray notice could not be shown: {err}"),
    }
}

/// Whether the login entry exists.
pub fn autostart_enabled<R: Runtime>(app: &AppHandle<R>) -> CommandResult<bool> {
    app.autolaunch().is_enabled().map_err(|err| {
        CommandError::new(
            ErrorCode::Internal,
            format!("could not read whether Dealer Portal starts at login: {err}"),
        )
    })
}

/// Writes (`on`) or removes the login entry; what is there afterwards.
pub fn set_autostart<R: Runtime>(app: &AppHandle<R>, on: bool) -> CommandResult<bool> {
    let manager = app.autolaunch();
    let done = if on {
        manager.enable()
    } else {
        manager.disable()
    };
    done.map_err(|err| {
        CommandError::new(
            ErrorCode::Internal,
            format!(
                "could not {} the login entry ({err}); check that ~/.config/autostart is \
                 writable",
                if on { "write" } else { "remove" }
            ),
        )
    })?;
    tracing::info!(on, "start at login changed");
    autostart_enabled(app)
}

/// Quits from the window (Ctrl+Q), as the tray's Quit does: the window's state is saved and the
/// store closed on the way out (`RunEvent::Exit`).
pub fn quit<R: Runtime>(app: &AppHandle<R>) {
    tracing::info!("quit from the window");
    app.exit(0);
}
