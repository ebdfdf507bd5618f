//! Connecting, editing and removing stores through the engine, against the sandbox stores: what
//! an edit keeps, which credentials each platform refuses, that the sandbox channel stays, and
//! that a removed store's orders stay with the app back in the Sandbox.

use std::sync::Arc;

use dealer_connectors::Connector;
use dealer_core::activity::SyncTrigger;
use dealer_core::channel::Credentials;
use dealer_core::domain::ChannelKind;
use dealer_core::keys::{MemoryKeyring, Unlock};
use dealer_core::lifecycle::OrderStatus;
use dealer_core::secret::Sensitive;
use dealer_core::store::ListOrders;
use dealer_core::sync::NoProgress;
use dealer_core::{Engine, ErrorCode, Mode, OpenRequest};
use dealer_sandbox::{Faults, SandboxStore, StoreKind, WOO_CONSUMER_KEY, WOO_CONSUMER_SECRET};

use crate::{credentials, fast_bucket, start};

async fn open_engine(dir: &std::path::Path) -> Engine {
    Engine::open_with_keyring(
        OpenRequest {
            data_dir: dir.to_path_buf(),
            unlock: Unlock::default(),
        },
        Arc::new(MemoryKeyring::default()),
    )
    .await
    .unwrap()
}

async fn woo_store() -> SandboxStore {
    start(StoreKind::Woocommerce, Faults::default(), fast_bucket()).await
}

fn key_secret(key: &str, secret: &str) -> Credentials {
    Credentials::KeySecret {
        key: Sensitive::new(key.to_string()),
        secret: Sensitive::new(secret.to_string()),
    }
}

fn token(text: &str) -> Credentials {
    Credentials::Token(Sensitive::new(text.to_string()))
}

/// The stored credentials as plain text, to compare.
fn exposed(credentials: &Credentials) -> (String, String) {
    match credentials {
        Credentials::Token(token) => (token.expose().clone(), String::new()),
        Credentials::KeySecret { key, secret } => (key.expose().clone(), secret.expose().clone()),
    }
}

#[tokio::test]
async fn an_edit_keeps_the_platform_and_the_credentials_unless_new_ones_are_given() {
    let store = woo_store().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = open_engine(dir.path()).await;
    let connector = Connector::new(&engine, "unused");
    let url = store.base_url();
    let added = engine
        .add_channel(
            &dealer_connectors::PlatformProfiles,
            ChannelKind::Woocommerce,
            "Woo shop",
            &url,
            &credentials(StoreKind::Woocommerce),
        )
        .await
        .unwrap();

    let renamed = engine
        .update_channel(
            &dealer_connectors::PlatformProfiles,
            added.id,
            "Woo outlet",
            &url,
            None,
        )
        .await
        .unwrap();
    assert_eq!(renamed.kind, ChannelKind::Woocommerce);
    assert_eq!(renamed.name, "Woo outlet");
    assert_eq!(
        exposed(&engine.channel_credentials(&renamed).unwrap()),
        (
            WOO_CONSUMER_KEY.to_string(),
            WOO_CONSUMER_SECRET.to_string()
        )
    );
    engine
        .test_channel(&connector, added.id)
        .await
        .expect("the kept credentials still open the store");

    // The kept credentials never go to another server: a new host or port needs them again.
    let elsewhere = "http://127.0.0.1:9";
    let err = engine
        .update_channel(
            &dealer_connectors::PlatformProfiles,
            added.id,
            "Woo outlet",
            elsewhere,
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        err.to_string(),
        "credentials: the address moved to a new host: enter the store's credentials again"
    );
    assert_eq!(
        engine.store().channel(added.id).await.unwrap().base_url,
        url
    );

    // A token is not what WooCommerce takes: refused, and nothing changes.
    let err = engine
        .update_channel(
            &dealer_connectors::PlatformProfiles,
            added.id,
            "Woo renamed again",
            &url,
            Some(&token("shpat_x")),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        err.to_string(),
        "credentials: WooCommerce uses a consumer key and secret, not a token"
    );
    let unchanged = engine.store().channel(added.id).await.unwrap();
    assert_eq!(unchanged.name, "Woo outlet");

    // New credentials replace the old: these the store refuses.
    let edited = engine
        .update_channel(
            &dealer_connectors::PlatformProfiles,
            added.id,
            "Woo outlet",
            &url,
            Some(&key_secret(WOO_CONSUMER_KEY, "cs_wrong")),
        )
        .await
        .unwrap();
    assert_eq!(edited.kind, ChannelKind::Woocommerce);
    let err = engine.test_channel(&connector, added.id).await.unwrap_err();
    assert!(err.to_string().contains("refused the credentials"), "{err}");
    store.stop().await;
}

#[tokio::test]
async fn credentials_of_the_wrong_kind_and_a_taken_name_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_engine(dir.path()).await;
    let url = "http://127.0.0.1:9";

    for (kind, credentials, message) in [
        (
            ChannelKind::Woocommerce,
            token("ck_as_a_token"),
            "credentials: WooCommerce uses a consumer key and secret, not a token",
        ),
        (
            ChannelKind::Shopify,
            key_secret("key", "secret"),
            "credentials: this store uses an access token, not a key and secret",
        ),
        (
            ChannelKind::Bigcommerce,
            key_secret("key", "secret"),
            "credentials: this store uses an access token, not a key and secret",
        ),
    ] {
        let err = engine
            .add_channel(
                &dealer_connectors::PlatformProfiles,
                kind,
                "Shop",
                url,
                &credentials,
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert_eq!(err.to_string(), message, "{kind:?}");
    }
    assert!(engine.store().channels().await.unwrap().is_empty());
    assert_eq!(engine.mode().await.unwrap(), Mode::Sandbox);

    let shop = engine
        .add_channel(
            &dealer_connectors::PlatformProfiles,
            ChannelKind::Shopify,
            "Shop",
            url,
            &token("shpat_x"),
        )
        .await
        .unwrap();
    let taken = "name: a channel called \"Shop\" exists already; pick another name";
    let err = engine
        .add_channel(
            &dealer_connectors::PlatformProfiles,
            ChannelKind::Bigcommerce,
            " Shop ",
            url,
            &token("bc_x"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(err.to_string(), taken);
    let other = engine
        .add_channel(
            &dealer_connectors::PlatformProfiles,
            ChannelKind::Bigcommerce,
            "Other",
            url,
            &token("bc_x"),
        )
        .await
        .unwrap();
    let err = engine
        .update_channel(
            &dealer_connectors::PlatformProfiles,
            other.id,
            "Shop",
            url,
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), taken);
    // Keeping its own name is no clash.
    engine
        .update_channel(
            &dealer_connectors::PlatformProfiles,
            shop.id,
            "Shop",
            url,
            None,
        )
        .await
        .unwrap();
    let names: Vec<String> = engine
        .store()
        .channels()
        .await
        .unwrap()
        .into_iter()
        .map(|channel| channel.name)
        .collect();
    assert_eq!(names, ["Other", "Shop"]);
}

#[tokio::test]
async fn the_sandbox_channel_can_be_neither_edited_nor_removed() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_engine(dir.path()).await;
    let sandbox = engine
        .store()
        .ensure_channel(
            dealer_core::seed::SANDBOX_CHANNEL,
            ChannelKind::Shopify,
            "http://127.0.0.1:9",
            true,
        )
        .await
        .unwrap();
    let err = engine
        .update_channel(
            &dealer_connectors::PlatformProfiles,
            sandbox.id,
            "My sandbox",
            "http://127.0.0.1:10",
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        err.to_string(),
        "channel: the sandbox store cannot be edited"
    );
    let err = engine.remove_channel(sandbox.id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        err.to_string(),
        "channel: the sandbox store cannot be removed"
    );
    assert_eq!(
        engine.store().channels().await.unwrap(),
        vec![sandbox],
        "unchanged"
    );
}

#[tokio::test]
async fn a_removed_store_keeps_its_orders_and_the_app_returns_to_the_sandbox() {
    let store = woo_store().await;
    store.place_random_orders(3, 11);
    let dir = tempfile::tempdir().unwrap();
    let engine = open_engine(dir.path()).await;
    let connector = Connector::new(&engine, "unused");
    let channel = engine
        .add_channel(
            &dealer_connectors::PlatformProfiles,
            ChannelKind::Woocommerce,
            "Woo shop",
            &store.base_url(),
            &credentials(StoreKind::Woocommerce),
        )
        .await
        .unwrap();
    assert_eq!(engine.mode().await.unwrap(), Mode::Live);
    let report = engine
        .order_sync(&connector, SyncTrigger::Window, &NoProgress, None)
        .await
        .unwrap();
    assert_eq!(report.imported(), 3, "{report:?}");

    engine.remove_channel(channel.id).await.unwrap();
    assert_eq!(engine.mode().await.unwrap(), Mode::Sandbox);
    assert!(engine.store().channels().await.unwrap().is_empty());
    assert!(
        engine.channel_credentials(&channel).is_err(),
        "its credentials left the keyring"
    );
    let all = ListOrders {
        limit: 100,
        ..ListOrders::default()
    };
    let orders = engine.store().list_orders(&all).await.unwrap();
    assert_eq!(orders.len(), 3, "the orders stay");
    for order in &orders {
        assert_eq!(order.status, OrderStatus::Imported);
        assert!(
            order.channel.starts_with("Woo shop (removed "),
            "the channel shows as removed: {}",
            order.channel
        );
    }
    // Order Sync no longer reaches it; its name is free for a new connection.
    let report = engine
        .order_sync(&connector, SyncTrigger::Window, &NoProgress, None)
        .await
        .unwrap();
    assert!(report.channels.is_empty(), "{report:?}");
    engine
        .add_channel(
            &dealer_connectors::PlatformProfiles,
            ChannelKind::Woocommerce,
            "Woo shop",
            &store.base_url(),
            &credentials(StoreKind::Woocommerce),
        )
        .await
        .unwrap();
    let orders = engine.store().list_orders(&all).await.unwrap();
    assert!(orders
        .iter()
        .all(|order| order.channel.starts_with("Woo shop (removed ")));
    store.stop().await;
}
