//! The whole Order Sync — client, engine, encrypted store — against each sandbox store with
//! 20 % of requests failing (errors, 429s, dropped connections): every order is stored exactly
//! once, and edits and cancellations made between syncs arrive.

use std::collections::HashSet;
use std::sync::Arc;

use dealer_connectors::{Connector, HttpPolicy, PlatformProfiles};
use dealer_core::activity::SyncTrigger;
use dealer_core::channel::Credentials;
use dealer_core::domain::ChannelKind;
use dealer_core::keys::{MemoryKeyring, Unlock};
use dealer_core::lifecycle::OrderStatus;
use dealer_core::store::ListOrders;
use dealer_core::sync::NoProgress;
use dealer_core::{Engine, OpenRequest};
use dealer_sandbox::{Faults, OrderEdit, StoreKind};

use crate::{credentials, fast_bucket, start};

const WOO_SEED: u64 = 3;

fn kind_of(kind: StoreKind) -> ChannelKind {
    match kind {
        StoreKind::Shopify => ChannelKind::Shopify,
        StoreKind::Woocommerce => ChannelKind::Woocommerce,
        StoreKind::Bigcommerce => ChannelKind::Bigcommerce,
    }
}

async fn every_order_once_through_the_engine(kind: StoreKind, orders: usize, seed: u64) {
    let faults = Faults {
        error_rate: 0.08,
        rate_limit_rate: 0.04,
        retry_after_secs: 1,
        drop_rate: 0.08,
        seed,
        ..Faults::default()
    };
    let store = start(kind, faults, fast_bucket()).await;
    store.place_random_orders(orders, seed);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open_with_keyring(
        OpenRequest {
            data_dir: dir.path().to_path_buf(),
            unlock: Unlock::default(),
        },
        Arc::new(MemoryKeyring::default()),
    )
    .await
    .unwrap();
    let creds: Credentials = credentials(kind);
    engine
        .add_channel(
            &PlatformProfiles,
            kind_of(kind),
            "Faulty store",
            &store.base_url(),
            &creds,
        )
        .await
        .unwrap();
    let policy = HttpPolicy {
        base_backoff: std::time::Duration::from_millis(5),
        max_backoff: std::time::Duration::from_secs(2),
        ..HttpPolicy::default()
    };
    let connector = Connector::new(&engine, "unused").with_policy(policy);
    let sync = || engine.order_sync(&connector, SyncTrigger::Cli, &NoProgress, None);

    // A pass may give up on a page after its retries; the next one carries on from there.
    let mut passes = 0;
    loop {
        passes += 1;
        let report = sync().await.unwrap();
        if !report.failed() || passes == 5 {
            break;
        }
    }
    let all = ListOrders {
        status: None,
        limit: 1000,
        offset: 0,
        ..Default::default()
    };
    let stored = engine.store().list_orders(&all).await.unwrap();
    assert_eq!(
        stored.len(),
        orders,
        "{kind}: every order, once, after {passes} passes"
    );
    let numbers: HashSet<_> = stored.iter().map(|o| o.number.clone()).collect();
    assert_eq!(numbers.len(), orders);
    let stats = store.stats();
    assert!(
        stats.injected_errors + stats.dropped + stats.injected_rate_limits > 0,
        "{stats:?}"
    );

    // Between syncs the store edits one order and cancels another.
    let placed = store.orders();
    let (edited, cancelled) = (placed[10].id, placed[20].id);
    let mut address = placed[10].ship_to.clone();
    address.address1 = "500 Edited Ave".into();
    store
        .edit_order(
            edited,
            OrderEdit {
                ship_to: Some(address),
                email: None,
                lines: None,
            },
        )
        .unwrap();
    store.cancel_order(cancelled).unwrap();
    for _ in 0..5 {
        if !sync().await.unwrap().failed() {
            break;
        }
    }
    let stored = engine.store().list_orders(&all).await.unwrap();
    assert_eq!(stored.len(), orders, "{kind}: edits are not new orders");
    let by_number = |n: u64| {
        stored
            .iter()
            .find(|o| o.number == format!("#{n}"))
            .unwrap_or_else(|| panic!("{kind}: #{n} stored"))
            .clone()
    };
    assert_eq!(
        by_number(placed[20].number).status,
        OrderStatus::Cancelled,
        "{kind}"
    );
    let events = engine
        .store()
        .order_events(by_number(placed[10].number).id)
        .await
        .unwrap();
    assert!(
        events.iter().any(|e| e.detail.contains("ship-to address")),
        "{kind}: the edit is on the timeline: {events:?}"
    );
    engine.close().await;
    store.stop().await;
}

#[tokio::test]
async fn shopify_through_the_engine_under_faults() {
    every_order_once_through_the_engine(StoreKind::Shopify, 120, 31).await;
}

#[tokio::test]
async fn woocommerce_through_the_engine_under_faults() {
    every_order_once_through_the_engine(StoreKind::Woocommerce, 300, WOO_SEED).await;
}

#[tokio::test]
async fn bigcommerce_through_the_engine_under_faults() {
    every_order_once_through_the_engine(StoreKind::Bigcommerce, 60, 33).await;
}
