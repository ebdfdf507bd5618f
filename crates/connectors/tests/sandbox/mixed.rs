//! A store that sells other brands too: 600 sandbox orders with gift-wrap lines without a SKU,
//! digital gift cards with no shipping address, and other suppliers' items, beside US Direct's.
//! Every order is imported (none quarantined); only US Direct lines reach the sandbox US
//! Direct, each supplier order created once even with requests failing; an order with no US
//! Direct line is "Not for US Direct", never held for the dealer.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use dealer_core::activity::SyncTrigger;
use dealer_core::domain::LineDestination;
use dealer_core::lifecycle::OrderStatus;
use dealer_core::outbox::WorkerId;
use dealer_core::store::ListOrders;
use dealer_core::sync::NoProgress;
use dealer_sandbox::{Faults, SandboxOrder, SandboxSupplier, StoreKind, SupplierOptions, CATALOG};

use crate::{dealer_store, fast_bucket, quick_connector, start};

const ORDERS: usize = 600;

fn faults(seed: u64) -> Faults {
    Faults {
        error_rate: 0.03,
        rate_limit_rate: 0.02,
        retry_after_secs: 1,
        drop_rate: 0.03,
        seed,
        ..Faults::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopify_mixed_store_imports_every_order_and_sends_only_us_direct_lines() {
    mixed_store(StoreKind::Shopify, 21).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn woocommerce_mixed_store_imports_every_order_and_sends_only_us_direct_lines() {
    mixed_store(StoreKind::Woocommerce, 22).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bigcommerce_mixed_store_imports_every_order_and_sends_only_us_direct_lines() {
    mixed_store(StoreKind::Bigcommerce, 23).await;
}

/// The US Direct lines of a store order, merged per SKU, as US Direct should receive them.
fn us_direct_lines(order: &SandboxOrder) -> BTreeMap<String, u32> {
    let mut lines = BTreeMap::new();
    for line in &order.lines {
        let Some(sku) = &line.sku else { continue };
        if line.requires_shipping && CATALOG.iter().any(|item| item.sku == sku) {
            *lines.entry(sku.clone()).or_default() += line.quantity;
        }
    }
    lines
}

async fn mixed_store(kind: StoreKind, seed: u64) {
    let store = start(kind, faults(seed), fast_bucket()).await;
    let placed = store.place_mixed_orders(ORDERS, seed);
    let supplier = SandboxSupplier::start(SupplierOptions {
        faults: faults(seed + 100),
        // Nothing ships during the test: only what was ordered is compared.
        ship_delay: Duration::from_secs(3_600),
        rate_limit_per_sec: 0.0,
        ..SupplierOptions::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let engine = dealer_store(dir.path(), "Mixed store", &store, &supplier).await;
    let connector = quick_connector(&engine, Duration::from_secs(2), 500.0);
    let us_direct = connector.suppliers(&engine).await.unwrap();
    let worker = WorkerId::for_this_process();

    let expected: HashMap<String, BTreeMap<String, u32>> = placed
        .iter()
        .map(|order| (format!("#{}", order.number), us_direct_lines(order)))
        .collect();
    let for_us_direct = expected.values().filter(|lines| !lines.is_empty()).count();
    assert!(
        for_us_direct < ORDERS && for_us_direct > ORDERS / 2,
        "the mix has both kinds: {for_us_direct} of {ORDERS}"
    );

    // Sync, route and run the outbox (a routing pass twice: nothing is sent twice) until every
    // order for US Direct has its supplier order.
    let started = Instant::now();
    loop {
        let _ = engine
            .order_sync(&connector, SyncTrigger::Schedule, &NoProgress, None)
            .await;
        engine.route_imported().await.unwrap();
        engine.route_imported().await.unwrap();
        let soon = Instant::now() + Duration::from_secs(5);
        engine
            .run_outbox_until(&us_direct, &connector, &worker, None, soon)
            .await
            .unwrap();
        let page = engine
            .store()
            .order_page(&ListOrders {
                status: Some(OrderStatus::AwaitingAuthorization),
                limit: 1,
                ..ListOrders::default()
            })
            .await
            .unwrap();
        if page.total == for_us_direct as i64 || started.elapsed() > Duration::from_secs(240) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let all = engine
        .store()
        .order_page(&ListOrders {
            limit: 1000,
            ..ListOrders::default()
        })
        .await
        .unwrap();
    assert_eq!(all.total, ORDERS as i64, "{kind}: every order imported");
    let count = |status| {
        all.counts
            .iter()
            .find(|count| count.status == status)
            .map_or(0, |count| count.count)
    };
    assert_eq!(
        count(OrderStatus::NeedsAttention),
        0,
        "{kind}: nothing held"
    );
    assert_eq!(
        count(OrderStatus::NotForUsDirect),
        (ORDERS - for_us_direct) as i64,
        "{kind}: the orders with no US Direct line"
    );
    assert_eq!(
        count(OrderStatus::AwaitingAuthorization),
        for_us_direct as i64,
        "{kind}: every order with a US Direct line is at US Direct"
    );

    // US Direct received exactly the US Direct lines, each order once.
    let received = supplier.orders();
    assert_eq!(
        received.len(),
        for_us_direct,
        "{kind}: one supplier order each"
    );
    for order in &received {
        assert_eq!(order.times_created, 1, "{kind} {}", order.order_number);
        let lines: BTreeMap<String, u32> = order
            .items
            .iter()
            .map(|item| (item.sku.clone(), item.quantity))
            .collect();
        assert_eq!(
            Some(&lines),
            expected.get(&order.order_number),
            "{kind} {}: only the US Direct lines",
            order.order_number
        );
    }

    // The order page says where each line went.
    for summary in all.orders.iter().take(80) {
        let detail = engine.store().order_detail(summary.id).await.unwrap();
        let wanted = &expected[&detail.number];
        for line in &detail.lines {
            let goes = if line.sku.is_empty() {
                LineDestination::NoSku
            } else if wanted.contains_key(&line.sku) {
                LineDestination::UsDirect
            } else if line.sku.starts_with("GIFTCARD") && kind != StoreKind::Woocommerce {
                LineDestination::NotShipped
            } else {
                LineDestination::OtherSupplier
            };
            assert_eq!(
                line.destination, goes,
                "{kind} {} {}",
                detail.number, line.title
            );
        }
        if detail.status == OrderStatus::NotForUsDirect {
            let why = detail.events.last().unwrap();
            assert!(
                why.detail.starts_with("Not for US Direct"),
                "{}",
                why.detail
            );
        }
    }
    supplier.stop().await;
    store.stop().await;
}
