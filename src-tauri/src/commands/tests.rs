//! The commands on Tauri's mock runtime, over a real store in a temp dir and the real Sandbox
//! world: what the window gets back, without a window.

use std::sync::Arc;

use dealer_core::keys::MemoryKeyring;
use dealer_core::lifecycle::OrderStatus;
use tauri::test::{mock_app, MockRuntime};
use tauri::{App, Manager};

use super::*;

async fn app_in(dir: &std::path::Path) -> App<MockRuntime> {
    let app = mock_app();
    let state = AppState::open(
        dir.to_path_buf(),
        dealer_core::keys::Unlock::default(),
        app.handle().clone(),
        Arc::new(MemoryKeyring::default()),
    )
    .await;
    app.manage(state);
    app.manage(crate::sku_match::SkuMatches::default());
    app
}

fn first_page() -> ListOrders {
    serde_json::from_value(serde_json::json!({ "limit": 50, "offset": 0 }))
        .unwrap_or_else(|err| panic!("{err}"))
}

#[tokio::test]
async fn a_new_store_opens_in_the_sandbox_and_takes_a_test_order_through_order_sync() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let app = app_in(dir.path()).await;
    let handle = app.handle().clone();

    let status = app_status(handle.clone())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(matches!(
        status,
        AppStatus::Ready {
            mode: dealer_core::Mode::Sandbox,
            ..
        }
    ));

    let placed = place_test_order(handle.clone())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(placed.number.starts_with('#'));
    let report = order_sync(handle.clone())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(report.channels.len(), 1);
    let count = order_count(handle.clone())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(count.count, 1);

    let page = list_orders(handle.clone(), first_page())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(page.total, 1);
    let order = get_order(handle.clone(), page.orders[0].id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(order.number, placed.number);
    assert!(matches!(
        order.status,
        OrderStatus::Imported | OrderStatus::AwaitingAuthorization
    ));

    app.state::<AppState<MockRuntime>>().close().await;
}

#[tokio::test]
async fn a_command_error_crosses_as_code_and_message() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let app = app_in(dir.path()).await;
    let err = get_order(app.handle().clone(), 4242)
        .await
        .err()
        .unwrap_or_else(|| panic!("order 4242 should not exist"));
    assert_eq!(err.code, ErrorCode::NotFound);
    let err = authorize_orders(app.handle().clone(), vec![4242])
        .await
        .err()
        .unwrap_or_else(|| panic!("an unknown order was authorized"));
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(err.message.contains("4242"), "{}", err.message);
    app.state::<AppState<MockRuntime>>().close().await;
}

#[tokio::test]
async fn after_close_every_command_says_the_app_is_quitting() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let app = app_in(dir.path()).await;
    app.state::<AppState<MockRuntime>>().close().await;
    let err = list_orders(app.handle().clone(), first_page())
        .await
        .err()
        .unwrap_or_else(|| panic!("a closed store answered"));
    assert_eq!(err.code, ErrorCode::StoreLocked);
}

#[tokio::test]
async fn the_us_direct_account_is_saved_tested_kept_on_its_host_and_disconnected() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let app = app_in(dir.path()).await;
    let handle = app.handle().clone();
    let supplier = dealer_sandbox::SandboxSupplier::start(dealer_sandbox::SupplierOptions {
        rate_limit_per_sec: 0.0,
        ..dealer_sandbox::SupplierOptions::default()
    })
    .await
    .unwrap_or_else(|err| panic!("{err}"));
    let url = supplier.base_url();

    let fresh = supplier_connection(handle.clone())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((fresh.url, fresh.has_token), (None, false));
    let err = test_supplier(handle.clone())
        .await
        .err()
        .unwrap_or_else(|| panic!("tested an account that is not there"));
    assert_eq!(err.code, ErrorCode::InvalidInput);

    let saved = connect_supplier(
        handle.clone(),
        url.clone(),
        Some(dealer_sandbox::SUPPLIER_TOKEN.to_string()),
    )
    .await
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(saved.has_token);
    let json = serde_json::to_string(&saved).unwrap_or_else(|err| panic!("{err}"));
    assert!(!json.contains(dealer_sandbox::SUPPLIER_TOKEN), "{json}");

    let tested = test_supplier(handle.clone())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(tested.last_checked_at.is_some(), "{tested:?}");
    assert_eq!(tested.last_error, None);

    // The same address without the token keeps it; a new host without it is refused.
    let kept = connect_supplier(handle.clone(), url.clone(), None)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(kept.has_token);
    let err = connect_supplier(
        handle.clone(),
        "https://api.usdirect.example/v1".into(),
        Some(String::new()),
    )
    .await
    .err()
    .unwrap_or_else(|| panic!("the saved token went to a new host"));
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        err.message.contains("moved to a new host"),
        "{}",
        err.message
    );

    let gone = disconnect_supplier(handle.clone())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((gone.url, gone.has_token), (None, false));
    supplier.stop().await;
    app.state::<AppState<MockRuntime>>().close().await;
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("{err}"))
        .map(|entry| {
            entry
                .unwrap_or_else(|err| panic!("{err}"))
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Export CSV writes the list's orders to the file the save dialog answered (here the debug
/// seam: a folder, which takes the suggested name), with the BOM asked for, and says how many.
#[tokio::test]
async fn export_csv_saves_the_filtered_orders_under_the_suggested_name() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let out = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let app = app_in(dir.path()).await;
    app.manage(crate::save::SaveAnswer::Path(out.path().to_path_buf()));
    let handle = app.handle().clone();
    let placed = place_test_order(handle.clone())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    order_sync(handle.clone())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));

    let saved = export_orders_csv(handle.clone(), first_page(), true)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("the seam answered, yet the export was cancelled"));
    let name = format!("orders-{}.csv", chrono::Local::now().date_naive());
    assert_eq!(saved.rows, 1);
    assert_eq!(saved.path, out.path().join(&name).display().to_string());
    assert_eq!(files_in(out.path()), std::slice::from_ref(&name));
    let text = std::fs::read_to_string(out.path().join(&name)).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.starts_with('\u{feff}'), "no BOM: {text:?}");
    assert!(text.contains(&placed.number), "{text}");

    // A search that finds nothing writes the header alone, and says 0.
    let none: ListOrders = serde_json::from_value(
        serde_json::json!({ "limit": 50, "offset": 0, "search": "zzz-none" }),
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let empty = export_orders_csv(handle.clone(), none, false)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("cancelled"));
    assert_eq!(empty.rows, 0);
    let text = std::fs::read_to_string(out.path().join(&name)).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !text.starts_with('\u{feff}'),
        "a BOM not asked for: {text:?}"
    );
    assert_eq!(text.lines().count(), 1, "{text}");

    let statement = export_statement_csv(handle.clone(), 2026, 11, false)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("cancelled"));
    assert!(
        statement.path.ends_with("statement-2026-11.csv"),
        "{statement:?}"
    );
    let err = export_statement_csv(handle.clone(), 2026, 13, false)
        .await
        .err()
        .unwrap_or_else(|| panic!("month 13 was exported"));
    assert_eq!(err.code, ErrorCode::InvalidInput);
    app.state::<AppState<MockRuntime>>().close().await;
}

/// Cancelling the dialog writes nothing; a folder that is gone is a clear error and leaves no
/// partial file.
#[tokio::test]
async fn a_cancelled_dialog_writes_nothing_and_a_gone_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let out = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let app = app_in(dir.path()).await;
    app.manage(crate::save::SaveAnswer::Cancel);
    let cancelled = export_orders_csv(app.handle().clone(), first_page(), false)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(cancelled, None);
    assert!(files_in(out.path()).is_empty());
    app.state::<AppState<MockRuntime>>().close().await;

    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let app = app_in(dir.path()).await;
    let gone = out.path().join("gone").join("sku-map.csv");
    app.manage(crate::save::SaveAnswer::Path(gone));
    let err = export_sku_map_csv(app.handle().clone())
        .await
        .err()
        .unwrap_or_else(|| panic!("saved into a folder that is not there"));
    assert_eq!(err.code, ErrorCode::Storage);
    assert!(err.message.contains("cannot write in"), "{}", err.message);
    assert!(files_in(out.path()).is_empty());
    app.state::<AppState<MockRuntime>>().close().await;
}
