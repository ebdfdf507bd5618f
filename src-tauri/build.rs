//! Tauri's build step, with the app's commands declared so each needs its own permission
//! (see capabilities/main-window.json).

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(dealer_portal_commands())),
    )
    .unwrap_or_else(|err| panic!("tauri build step failed: {err:#}"));
}

/// Must match the handlers registered in src/commands.rs (the build fails on an unknown one).
fn dealer_portal_commands() -> &'static [&'static str] {
    &[
        "app_status",
        "unlock",
        "list_orders",
        "recent_activity",
        "order_sync",
        "set_sync_paused",
    ]
}
