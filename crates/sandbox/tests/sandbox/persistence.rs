//! A store with a state dir keeps its orders across restarts, numbering and clock included.

use dealer_sandbox::{PlaceOrder, Sandbox, SandboxError, SandboxOptions, SandboxStore, StoreKind};
use serde_json::Value;

use crate::support::{start_with, woo_get};

fn options(dir: &std::path::Path) -> SandboxOptions {
    SandboxOptions {
        state_dir: Some(dir.to_owned()),
        ..SandboxOptions::default()
    }
}

#[tokio::test]
async fn orders_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let store = start_with(StoreKind::Woocommerce, options(dir.path())).await;
    let a = store.place_order(PlaceOrder::test_order());
    let b = store.place_order(PlaceOrder::test_order());
    store.cancel_order(a.id).unwrap();
    store.make_malformed(b.id).unwrap();
    let before = store.orders();
    store.stop().await;
    assert!(dir.path().join("woocommerce.json").is_file());
    assert!(!dir.path().join("woocommerce.json.tmp").exists());

    let again = start_with(StoreKind::Woocommerce, options(dir.path())).await;
    assert_eq!(again.orders(), before);
    let c = again.place_order(PlaceOrder::test_order());
    assert_eq!(c.number, 1003);
    assert!(before.iter().all(|order| c.updated_at > order.updated_at));
    let listed = woo_get(&again, "/orders", &[]).await;
    let body: Value = listed.json().await.unwrap();
    assert_eq!(body.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn start_all_shares_the_state_dir_one_file_per_kind() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start_all(options(dir.path())).await.unwrap();
    for kind in StoreKind::ALL {
        sandbox.store(kind).place_order(PlaceOrder::test_order());
    }
    let urls = sandbox.urls_json();
    assert_eq!(urls["shopify"], sandbox.shopify.base_url());
    assert!(urls["bigcommerce"]
        .as_str()
        .unwrap()
        .ends_with("/stores/sandbox"));
    assert!(urls["woocommerce"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    sandbox.stop().await;
    for name in ["shopify.json", "woocommerce.json", "bigcommerce.json"] {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let saved: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(saved["orders"].as_array().unwrap().len(), 1, "{name}");
    }
}

#[tokio::test]
async fn a_corrupt_state_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shopify.json"), "{ not json").unwrap();
    let started = SandboxStore::start(StoreKind::Shopify, options(dir.path())).await;
    assert!(
        matches!(started, Err(SandboxError::StateFormat { .. })),
        "{started:?}"
    );
}

#[tokio::test]
async fn a_stopped_store_closes_its_port() {
    let store = start_with(StoreKind::Bigcommerce, SandboxOptions::default()).await;
    let url = store.admin_url();
    assert!(reqwest::get(format!("{url}/stats"))
        .await
        .unwrap()
        .status()
        .is_success());
    store.stop().await;
    assert!(reqwest::get(format!("{url}/stats")).await.is_err());
}
