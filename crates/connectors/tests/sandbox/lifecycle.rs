//! The whole lifecycle under faults: 50 sandbox orders imported, routed to the sandbox US
//! Direct, auto authorized, shipped, their tracking written back to the store, with 20 % of the
//! store's and the supplier's requests failing (errors, 429s, dropped connections, answers lost
//! after the server acted). Every order must end `completed`, the store must hold exactly one
//! fulfillment per tracking number, and US Direct must have created and authorized each order
//! once.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use dealer_core::activity::SyncTrigger;
use dealer_core::fulfillment::AutoAuthorize;
use dealer_core::lifecycle::OrderStatus;
use dealer_core::outbox::WorkerId;
use dealer_core::store::ListOrders;
use dealer_core::sync::NoProgress;
use dealer_sandbox::{Faults, SandboxSupplier, StoreKind, SupplierOptions};

use crate::{dealer_store, fast_bucket, quick_connector, start};

fn faults(seed: u64) -> Faults {
    Faults {
        error_rate: 0.08,
        rate_limit_rate: 0.04,
        retry_after_secs: 1,
        drop_rate: 0.08,
        seed,
        ..Faults::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopify_store_fifty_orders_complete_under_faults_with_one_fulfillment_per_tracking() {
    lifecycle_under_faults(StoreKind::Shopify, 50, 5).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn woocommerce_store_fifty_orders_complete_under_faults_with_one_fulfillment_per_tracking() {
    lifecycle_under_faults(StoreKind::Woocommerce, 50, 6).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bigcommerce_store_fifty_orders_complete_under_faults_with_one_fulfillment_per_tracking() {
    lifecycle_under_faults(StoreKind::Bigcommerce, 50, 7).await;
}

async fn lifecycle_under_faults(kind: StoreKind, orders: usize, seed: u64) {
    let store = start(kind, faults(seed), fast_bucket()).await;
    store.place_random_orders(orders, seed);
    let supplier = SandboxSupplier::start(SupplierOptions {
        faults: faults(seed + 100),
        ship_delay: Duration::from_millis(200),
        rate_limit_per_sec: 0.0,
        ..SupplierOptions::default()
    })
    .await
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let engine = dealer_store(dir.path(), "Faulty store", &store, &supplier).await;
    engine
        .set_auto_authorize(AutoAuthorize {
            enabled: true,
            ..AutoAuthorize::default()
        })
        .await
        .unwrap();
    let connector = quick_connector(&engine, Duration::from_secs(2), 200.0);
    let us_direct = connector.suppliers(&engine).await.unwrap();
    assert!(us_direct.reach().live, "the live US Direct is connected");
    let worker = WorkerId::for_this_process();

    // What the app's schedule and worker do, over and over, until every order is done.
    let started = Instant::now();
    let completed = loop {
        let _ = engine
            .order_sync(&connector, SyncTrigger::Schedule, &NoProgress, None)
            .await;
        engine.route_imported().await.unwrap();
        let soon = Instant::now() + Duration::from_secs(5);
        engine
            .run_outbox_until(&us_direct, &connector, &worker, None, soon)
            .await
            .unwrap();
        let _ = engine.supplier_sync_all(&us_direct).await;
        let soon = Instant::now() + Duration::from_secs(5);
        engine
            .run_outbox_until(&us_direct, &connector, &worker, None, soon)
            .await
            .unwrap();
        let page = engine
            .store()
            .order_page(&ListOrders {
                limit: 1000,
                ..ListOrders::default()
            })
            .await
            .unwrap();
        let done = page
            .counts
            .iter()
            .find(|count| count.status == OrderStatus::Completed)
            .map_or(0, |count| count.count);
        if done == orders as i64 || started.elapsed() > Duration::from_secs(240) {
            break page;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(
        completed.total, orders as i64,
        "{kind}: every order imported"
    );
    let stuck: Vec<_> = completed
        .orders
        .iter()
        .filter(|order| order.status != OrderStatus::Completed)
        .map(|order| format!("{} {}", order.number, order.status))
        .collect();
    assert!(stuck.is_empty(), "{kind}: not completed: {stuck:?}");

    // The store: one fulfillment per tracking number, and every shipment there.
    let shipments: HashMap<String, usize> = supplier
        .orders()
        .iter()
        .map(|order| (order.order_number.clone(), order.shipments.len()))
        .collect();
    for order in store.orders() {
        let mut numbers: Vec<&str> = order
            .fulfillments
            .iter()
            .map(|f| f.tracking_number.as_str())
            .collect();
        let all = numbers.len();
        numbers.sort_unstable();
        numbers.dedup();
        assert_eq!(
            numbers.len(),
            all,
            "{kind} #{}: a tracking number twice",
            order.number
        );
        let shipped = shipments
            .get(&format!("#{}", order.number))
            .copied()
            .unwrap_or_default();
        assert_eq!(
            all, shipped,
            "{kind} #{}: every shipment in the store",
            order.number
        );
    }
    for order in supplier.orders() {
        assert_eq!(order.times_created, 1, "{kind} {}", order.order_number);
        assert_eq!(order.times_authorized, 1, "{kind} {}", order.order_number);
    }
    let stats = store.stats();
    let supplier_stats = supplier.stats();
    eprintln!(
        "{kind}: completed in {:?}; store faults {}+{}+{}, supplier faults {}+{}+{}",
        started.elapsed(),
        stats.injected_errors,
        stats.injected_rate_limits,
        stats.dropped,
        supplier_stats.injected_errors,
        supplier_stats.injected_rate_limits,
        supplier_stats.dropped
    );
    assert!(
        supplier_stats.dropped > 0 && stats.dropped > 0,
        "faults happened"
    );
    supplier.stop().await;
    store.stop().await;
}
