//! The US Direct account for live orders, against the sandbox supplier: connecting, Test
//! connection with a good and a refused token, a saved token never sent to a new host,
//! disconnecting, and why a live store's supplier jobs wait.

use std::sync::Arc;
use std::time::Duration;

use dealer_connectors::usdirect::SupplierPolicy;
use dealer_connectors::{Connector, HttpPolicy, PlatformProfiles};
use dealer_core::activity::SyncTrigger;
use dealer_core::keys::{MemoryKeyring, Unlock};
use dealer_core::secret::Sensitive;
use dealer_core::sync::NoProgress;
use dealer_core::{credentials, Engine, ErrorCode, OpenRequest};
use dealer_sandbox::{Faults, SandboxSupplier, StoreKind, SupplierOptions, SUPPLIER_TOKEN};

use crate::{channel_kind, credentials as store_credentials, fast_bucket, start};

fn token(text: &str) -> Sensitive<String> {
    Sensitive::new(text.to_string())
}

#[tokio::test]
async fn the_account_is_connected_tested_kept_on_its_host_and_disconnected() {
    let store = start(StoreKind::Shopify, Faults::default(), fast_bucket()).await;
    store.place_random_orders(2, 41);
    let supplier = SandboxSupplier::start(SupplierOptions {
        ship_delay: Duration::from_secs(60),
        rate_limit_per_sec: 0.0,
        ..SupplierOptions::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let keyring = Arc::new(MemoryKeyring::default());
    let engine = Engine::open_with_keyring(
        OpenRequest {
            data_dir: dir.path().to_path_buf(),
            unlock: Unlock::default(),
        },
        keyring.clone(),
    )
    .await
    .unwrap();
    let http = HttpPolicy {
        max_attempts: 1,
        ..HttpPolicy::default()
    };
    let connector = Connector::new(&engine, "unused").with_supplier_policy(SupplierPolicy {
        http,
        requests_per_second: 50.0,
    });

    // A live store's orders, routed: their supplier jobs wait, and the account is why.
    engine
        .add_channel(
            &PlatformProfiles,
            channel_kind(StoreKind::Shopify),
            "Live shop",
            &store.base_url(),
            &store_credentials(StoreKind::Shopify),
        )
        .await
        .unwrap();
    engine
        .order_sync(&connector, SyncTrigger::Schedule, &NoProgress, None)
        .await
        .unwrap();
    let skus: Vec<&str> = dealer_sandbox::CATALOG
        .iter()
        .map(|item| item.sku)
        .collect();
    engine.store().map_skus_to_themselves(&skus).await.unwrap();
    engine.route_imported().await.unwrap();
    let waiting = engine.supplier_connection().await.unwrap();
    assert_eq!(waiting.url, None);
    assert!(!waiting.has_token);
    assert!(waiting.waiting_live_jobs >= 1, "{waiting:?}");
    assert!(
        (1..=2).contains(&waiting.waiting_live_orders),
        "{waiting:?}"
    );
    assert_eq!(
        waiting.blocked_reason.as_deref(),
        Some("your US Direct account is not connected")
    );
    let err = connector.test_supplier(&engine).await.unwrap_err();
    assert!(err.to_string().contains("not connected"), "{err}");

    // No token to keep yet.
    let err = engine
        .save_supplier(&supplier.base_url(), None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(
        err.to_string()
            .starts_with("token: enter US Direct's API token"),
        "{err}"
    );

    // A token US Direct refuses: Test connection says so, and the jobs wait for a new one.
    engine
        .connect_supplier(&supplier.base_url(), &token("usd_wrong"))
        .await
        .unwrap();
    let refused = connector.test_supplier(&engine).await.unwrap();
    assert!(refused.has_token);
    assert_eq!(refused.last_checked_at, None);
    assert!(
        refused
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("refused the API token"),
        "{refused:?}"
    );
    assert_eq!(
        refused.blocked_reason.as_deref(),
        Some("US Direct refused the saved API token")
    );

    // The right token: a new account, so the old check is gone; then the check passes.
    let connected = engine
        .connect_supplier(&supplier.base_url(), &token(SUPPLIER_TOKEN))
        .await
        .unwrap();
    assert_eq!(connected.last_error, None);
    assert_eq!(connected.blocked_reason, None);
    let checked = connector.test_supplier(&engine).await.unwrap();
    assert!(checked.last_checked_at.is_some(), "{checked:?}");
    assert_eq!(checked.last_error, None);
    assert_eq!(checked.url.as_deref(), Some(supplier.base_url().as_str()));

    // The same address, or another path on the same server, keeps the saved token.
    let same = engine
        .save_supplier(&supplier.base_url(), None)
        .await
        .unwrap();
    assert_eq!(
        same.last_checked_at, checked.last_checked_at,
        "nothing changed"
    );
    let origin = supplier.base_url().trim_end_matches("/v1").to_string();
    let moved_path = engine
        .save_supplier(&format!("{origin}/v2"), None)
        .await
        .unwrap();
    assert_eq!(moved_path.url, Some(format!("{origin}/v2")));
    assert!(moved_path.has_token);

    // Another host or port without the token is refused, and nothing changes.
    for elsewhere in ["http://127.0.0.1:9/v1", "https://api.usdirect.example/v1"] {
        let err = engine.save_supplier(elsewhere, None).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert_eq!(
            err.to_string(),
            "token: the address moved to a new host: enter the API token again"
        );
    }
    assert_eq!(
        engine.supplier_connection().await.unwrap().url,
        Some(format!("{origin}/v2"))
    );

    // Disconnected: no address, no token in the keyring, the jobs wait again.
    let gone = engine.disconnect_supplier().await.unwrap();
    assert_eq!(gone.url, None);
    assert!(!gone.has_token);
    assert_eq!(gone.last_checked_at, None);
    assert!(
        credentials::load_supplier_token(keyring.as_ref(), engine.store_id())
            .unwrap()
            .is_none()
    );
    assert_eq!(
        gone.blocked_reason.as_deref(),
        Some("your US Direct account is not connected")
    );
    supplier.stop().await;
    store.stop().await;
}
