//! Order Sync's choice of channels (none connected; the sandbox store only until a live store
//! is), and the quarantine's count of an unreadable order seen again.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use dealer_core::activity::{ActivityEntry, SyncTrigger};
use dealer_core::channel::{
    ChannelError, ConnectionCheck, Fetched, ListRequest, Malformed, Page, SalesChannel,
};
use dealer_core::domain::ChannelKind;
use dealer_core::seed::SANDBOX_CHANNEL;
use dealer_core::store::Channel;
use dealer_core::sync::{Connect, NoProgress, SyncReport};
use dealer_core::{Engine, ErrorCode};

use crate::import::{setup, sync};
use crate::{open_with_passphrase, PASSPHRASE};

/// A store with no orders.
struct EmptyStore;

#[async_trait]
impl SalesChannel for EmptyStore {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Shopify
    }

    async fn list_orders(&self, _: &ListRequest) -> Result<Page, ChannelError> {
        Ok(Page {
            items: Vec::new(),
            next: None,
        })
    }

    async fn test_connection(&self) -> Result<ConnectionCheck, ChannelError> {
        Ok(ConnectionCheck {
            store_name: "empty".into(),
            api_version: None,
        })
    }
}

/// Notes which channels Order Sync asked for a client.
#[derive(Default)]
struct Recording(Mutex<Vec<String>>);

impl Recording {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

impl Connect for Recording {
    fn client(&self, channel: &Channel) -> dealer_core::Result<Arc<dyn SalesChannel>> {
        self.0.lock().unwrap().push(channel.name.clone());
        Ok(Arc::new(EmptyStore))
    }
}

async fn order_sync(engine: &Engine, connect: &Recording, only: Option<i64>) -> SyncReport {
    engine
        .order_sync(connect, SyncTrigger::Window, &NoProgress, only)
        .await
        .unwrap()
}

#[tokio::test]
async fn with_no_channel_order_sync_says_to_add_one_and_records_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let connect = Recording::default();
    let report = order_sync(&engine, &connect, None).await;
    assert!(report.channels.is_empty());
    assert_eq!(
        report.message,
        "No sales channel is connected: add one in Settings."
    );
    assert!(connect.take().is_empty());
    let activity = engine.store().recent_activity(10).await.unwrap();
    assert!(
        matches!(
            activity.as_slice(),
            [ActivityEntry::SyncRun {
                channel: None,
                error: None,
                ..
            }]
        ),
        "{activity:?}"
    );
}

#[tokio::test]
async fn the_sandbox_store_keeps_syncing_beside_a_live_store() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let sandbox = engine
        .store()
        .ensure_channel(
            SANDBOX_CHANNEL,
            ChannelKind::Shopify,
            "http://127.0.0.1:9",
            true,
        )
        .await
        .unwrap();
    let connect = Recording::default();
    let report = order_sync(&engine, &connect, None).await;
    assert_eq!(connect.take(), vec![SANDBOX_CHANNEL.to_string()]);
    assert_eq!(report.message, "Order Sync: 0 new, 0 updated.");

    engine
        .store()
        .add_channel(
            ChannelKind::Woocommerce,
            "My Shop",
            "https://shop.example.com",
        )
        .await
        .unwrap();
    // Going live does not end the rehearsal: both are read, each its own environment.
    let report = order_sync(&engine, &connect, None).await;
    assert_eq!(
        connect.take(),
        vec![SANDBOX_CHANNEL.to_string(), "My Shop".to_string()]
    );
    let names: Vec<&str> = report.channels.iter().map(|c| c.channel.as_str()).collect();
    assert_eq!(names, [SANDBOX_CHANNEL, "My Shop"]);

    // Either can be synced alone.
    engine
        .order_sync(&connect, SyncTrigger::Window, &NoProgress, Some(sandbox.id))
        .await
        .unwrap();
    assert_eq!(connect.take(), vec![SANDBOX_CHANNEL.to_string()]);

    // A live store may not take the sandbox's name, and the sandbox may not take a live one's.
    let err = engine
        .store()
        .ensure_channel("My Shop", ChannelKind::Shopify, "http://127.0.0.1:9", true)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    let shop = engine
        .store()
        .channel_by_name("My Shop")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(shop.base_url, "https://shop.example.com", "never repointed");
    assert!(!shop.is_sandbox);
}

fn unreadable(id: Option<&str>) -> Fetched {
    Fetched::Malformed(Malformed::new(
        id.map(str::to_string),
        "total_price \"abc\" is not an amount",
        "{\"totalPrice\":\"abc\"}",
    ))
}

/// The quarantine entries in Activity, as (store's order id, times seen).
async fn quarantined(engine: &Engine) -> Vec<(Option<String>, i64)> {
    let mut found: Vec<_> = engine
        .store()
        .recent_activity(100)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|entry| match entry {
            ActivityEntry::Quarantined {
                channel_order_id,
                times_seen,
                ..
            } => Some((channel_order_id, times_seen)),
            _ => None,
        })
        .collect();
    found.sort();
    found
}

#[tokio::test]
async fn an_unreadable_order_seen_again_is_counted_not_repeated() {
    let (_dir, engine, store, _orders) = setup(0).await;
    *store.orders.lock().unwrap() = vec![unreadable(Some("gid://shopify/Order/77"))];
    for _ in 0..3 {
        let report = sync(&engine, &store).await;
        assert_eq!(report.channels[0].quarantined, 1);
    }
    assert_eq!(
        quarantined(&engine).await,
        vec![(Some("gid://shopify/Order/77".to_string()), 3)]
    );

    // Another unreadable order has its own count.
    store
        .orders
        .lock()
        .unwrap()
        .push(unreadable(Some("gid://shopify/Order/78")));
    sync(&engine, &store).await;
    assert_eq!(
        quarantined(&engine).await,
        vec![
            (Some("gid://shopify/Order/77".to_string()), 4),
            (Some("gid://shopify/Order/78".to_string()), 1),
        ]
    );
}
