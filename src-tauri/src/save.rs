//! Export CSV's save dialog. The export commands open the native dialog themselves (from Rust,
//! through the dialog plugin) and write the file the dealer chose: the window only asks for
//! "the orders as filtered" and gets back how many rows went where. It never names a path and
//! holds no dialog, file system or path permission, so a script in the webview cannot write a
//! file anywhere, nor learn a path the dealer did not just choose.
//!
//! **Test seam.** The end-to-end tests cannot click a GTK dialog. In debug builds only,
//! `DEALER_PORTAL_SAVE_PATH` answers the dialog without opening it: a folder that exists takes
//! the suggested file name, anything else is the file itself. Release builds do not read it
//! (the code is not compiled in), so an installed app always asks the dealer.

use std::path::PathBuf;

use dealer_core::ErrorCode;
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime};
use ts_rs::TS;

use crate::actions::MAIN_WINDOW;
use crate::error::{CommandError, CommandResult};

/// The environment variable of the test seam (debug builds only).
#[cfg_attr(not(any(test, debug_assertions)), allow(dead_code))]
pub const SAVE_PATH_ENV: &str = "DEALER_PORTAL_SAVE_PATH";

/// What an export saved, for the window's "Saved 1,234 orders to …".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SavedExport {
    /// Data rows written (orders, invoices, shipments or mappings), header and totals aside.
    #[ts(type = "number")]
    pub rows: u64,
    /// The file, as the dealer chose it.
    pub path: String,
}

/// How the save dialog is answered: by the dealer (the native dialog), or, in tests, at once.
#[derive(Debug, Clone, Default)]
pub enum SaveAnswer {
    /// Open the native dialog.
    #[default]
    Dialog,
    /// Answer this path (a folder takes the suggested name): the seam.
    #[cfg_attr(not(any(test, debug_assertions)), allow(dead_code))]
    Path(PathBuf),
    /// The dealer cancels.
    #[cfg(test)]
    Cancel,
}

impl SaveAnswer {
    /// The native dialog, or in a debug build with `DEALER_PORTAL_SAVE_PATH` set, that path.
    pub fn from_env() -> Self {
        #[cfg(debug_assertions)]
        if let Some(path) = std::env::var_os(SAVE_PATH_ENV).filter(|p| !p.is_empty()) {
            tracing::warn!(
                "{SAVE_PATH_ENV} is set: exports go to {} without a save dialog",
                PathBuf::from(&path).display()
            );
            return Self::Path(PathBuf::from(path));
        }
        Self::Dialog
    }
}

/// Asks where to save `suggested` (e.g. `orders-2026-12-05.csv`); `None` when the dealer
/// cancels.
pub async fn choose<R: Runtime>(
    app: &AppHandle<R>,
    suggested: &str,
) -> CommandResult<Option<PathBuf>> {
    let answer = app
        .try_state::<SaveAnswer>()
        .map(|answer| answer.inner().clone())
        .unwrap_or_default();
    match answer {
        SaveAnswer::Dialog => native_dialog(app, suggested).await,
        SaveAnswer::Path(path) if path.is_dir() => Ok(Some(path.join(suggested))),
        SaveAnswer::Path(path) => Ok(Some(path)),
        #[cfg(test)]
        SaveAnswer::Cancel => Ok(None),
    }
}

async fn native_dialog<R: Runtime>(
    app: &AppHandle<R>,
    suggested: &str,
) -> CommandResult<Option<PathBuf>> {
    use tauri_plugin_dialog::DialogExt;
    let mut dialog = app
        .dialog()
        .file()
        .set_title("Export CSV")
        .add_filter("CSV", &["csv"])
        .set_file_name(suggested);
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        dialog = dialog.set_parent(&window);
    }
    // The plugin opens the dialog on the main thread and answers from its own thread; this
    // command waits without holding either.
    let (tx, rx) = tokio::sync::oneshot::channel();
    dialog.save_file(move |chosen| {
        let _ = tx.send(chosen);
    });
    let chosen = rx.await.map_err(|_| {
        CommandError::new(
            ErrorCode::Internal,
            "the save dialog could not be opened; try again, or restart Dealer Portal",
        )
    })?;
    let Some(chosen) = chosen else {
        return Ok(None);
    };
    let path = chosen.into_path().map_err(|err| {
        CommandError::new(
            ErrorCode::InvalidInput,
            format!("that place cannot be saved to ({err}); choose a folder on this computer"),
        )
    })?;
    Ok(Some(with_csv_extension(path)))
}

/// A name typed without an extension gets `.csv` (GTK's dialog does not add it).
fn with_csv_extension(path: PathBuf) -> PathBuf {
    match path.extension() {
        Some(_) => path,
        None => path.with_extension("csv"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_without_an_extension_gets_csv_and_another_extension_is_kept() {
        assert_eq!(
            with_csv_extension(PathBuf::from("/tmp/orders")),
            PathBuf::from("/tmp/orders.csv")
        );
        assert_eq!(
            with_csv_extension(PathBuf::from("/tmp/orders.txt")),
            PathBuf::from("/tmp/orders.txt")
        );
    }
}
