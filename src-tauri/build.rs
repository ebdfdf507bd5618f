//! Tauri's build step, with the app's commands declared so each needs its own permission
//! (see capabilities/main-window.json).

fn main() {
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist/index.html");
    println!("cargo:rerun-if-changed=../ui/dist");
    if std::env::var_os("CARGO_FEATURE_CUSTOM_PROTOCOL").is_some() && !dist.exists() {
        panic!(
            "the front end is not built ({} is missing): run `npm --prefix ui ci && npm --prefix \
             ui run build`, or scripts/run / scripts/test which do it",
            dist.display()
        );
    }
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
        "get_order",
        "authorize_orders",
        "edit_ship_to",
        "release_weight_hold",
        "route_again",
        "list_sku_map",
        "unmapped_skus",
        "set_sku_mapping",
        "remove_sku_mapping",
        "auto_authorize_status",
        "set_auto_authorize",
        "list_jobs",
        "retry_job",
        "cancel_job",
        "onboarding_status",
        "mark_test_order",
        "place_test_order",
        "shipment_notifications",
        "set_shipment_notifications",
        "open_tracking",
        "recent_activity",
        "order_sync",
        "set_sync_paused",
        "set_plan",
        "list_channels",
        "add_channel",
        "update_channel",
        "remove_channel",
        "test_channel",
    ]
}
