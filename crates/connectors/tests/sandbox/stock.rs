//! Stock and weights from US Direct's items, against the sandbox WooCommerce store (whose lines
//! carry no weight) and the sandbox US Direct over loopback: an item out of stock holds its
//! order before anything is sent, and the order goes by itself once a later check finds stock;
//! an order heavy by US Direct's weights is held before routing instead of refused; stock that
//! runs out between the check and the order is held the same way.

use std::time::{Duration, Instant};

use dealer_core::activity::SyncTrigger;
use dealer_core::fulfillment::routing::RoutingProblem;
use dealer_core::lifecycle::OrderStatus;
use dealer_core::outbox::WorkerId;
use dealer_core::store::{AttentionKind, ListOrders, OrderDetail};
use dealer_core::sync::NoProgress;
use dealer_core::Engine;
use dealer_sandbox::{Faults, PlaceOrder, SandboxSupplier, StoreKind, SupplierOptions, CATALOG};

use crate::{dealer_store, fast_bucket, quick_connector, start};

fn order_of(sku_index: usize, quantity: u32) -> PlaceOrder {
    PlaceOrder {
        lines: vec![CATALOG[sku_index].line(quantity)],
        ..PlaceOrder::test_order()
    }
}

async fn detail_of(engine: &Engine, number: &str) -> OrderDetail {
    let page = engine
        .store()
        .order_page(&ListOrders {
            limit: 100,
            ..ListOrders::default()
        })
        .await
        .unwrap();
    let id = page
        .orders
        .iter()
        .find(|order| order.number == number)
        .unwrap_or_else(|| panic!("no order {number}"))
        .id;
    engine.store().order_detail(id).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stock_and_weight_come_from_us_direct_before_an_order_is_sent() {
    let kind = StoreKind::Woocommerce;
    let store = start(kind, Faults::default(), fast_bucket()).await;
    let supplier = SandboxSupplier::start(SupplierOptions {
        ship_delay: Duration::from_secs(3_600),
        rate_limit_per_sec: 0.0,
        ..SupplierOptions::default()
    })
    .await
    .unwrap();
    // USD-1003 is out of stock at US Direct.
    let mut settings = supplier.settings();
    settings.stock.insert("USD-1003".into(), 0);
    supplier.set_settings(settings.clone());
    let cutting_boards = store.place_order(order_of(2, 2));
    // Seven skillets: 14 kg by US Direct's weights (the store's lines weigh nothing).
    let skillets = store.place_order(order_of(8, 7));
    let lamp = store.place_order(order_of(3, 1));

    let dir = tempfile::tempdir().unwrap();
    let engine = dealer_store(dir.path(), "Woo store", &store, &supplier).await;
    let connector = quick_connector(&engine, Duration::from_secs(1), 100.0);
    let us_direct = connector.suppliers(&engine).await.unwrap();
    let worker = WorkerId::for_this_process();
    let run_jobs = || async {
        engine
            .run_outbox_until(
                &us_direct,
                &connector,
                &worker,
                None,
                Instant::now() + Duration::from_secs(10),
            )
            .await
            .unwrap();
    };

    engine
        .order_sync(&connector, SyncTrigger::Cli, &NoProgress, None)
        .await
        .unwrap();
    let check = engine.check_stock(&us_direct).await.unwrap();
    assert_eq!(check.items, 3, "each item looked up once");
    engine.route_imported().await.unwrap();
    run_jobs().await;

    let number = |n: u64| format!("#{n}");
    let held = detail_of(&engine, &number(cutting_boards.number)).await;
    assert_eq!(held.status, OrderStatus::NeedsAttention);
    let attention = held.attention.unwrap();
    assert_eq!(attention.kind, AttentionKind::OutOfStock);
    assert!(
        attention
            .reason
            .contains("Out of stock at US Direct: USD-1003 (2 ordered, 0 in stock)"),
        "{}",
        attention.reason
    );
    let heavy = detail_of(&engine, &number(skillets.number)).await;
    assert_eq!(heavy.status, OrderStatus::NeedsAttention);
    assert_eq!(
        heavy.attention.unwrap().problems,
        vec![RoutingProblem::Overweight { grams: 14_000 }],
        "held by US Direct's weights before anything is sent"
    );
    assert_eq!(
        detail_of(&engine, &number(lamp.number)).await.status,
        OrderStatus::AwaitingAuthorization
    );
    let sent: Vec<String> = supplier
        .orders()
        .into_iter()
        .map(|order| order.order_number)
        .collect();
    assert_eq!(
        sent,
        vec![number(lamp.number)],
        "only the lamp went to US Direct"
    );

    // Stock again: a later check (not the answer that held it) sends the order, once.
    settings.stock.insert("USD-1003".into(), 40);
    supplier.set_settings(settings.clone());
    let again = engine.check_stock(&us_direct).await.unwrap();
    assert_eq!(
        again.restocked, 0,
        "the cached answer that held it does not release it"
    );
    let fresh = engine
        .check_stock_within(&us_direct, Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(fresh.restocked, 1);
    engine.route_imported().await.unwrap();
    run_jobs().await;
    let restocked = detail_of(&engine, &number(cutting_boards.number)).await;
    assert_eq!(restocked.status, OrderStatus::AwaitingAuthorization);
    assert!(restocked
        .events
        .iter()
        .any(|event| event.detail.contains("in stock again")));
    let created = supplier
        .orders()
        .into_iter()
        .filter(|order| order.order_number == number(cutting_boards.number))
        .map(|order| order.times_created)
        .collect::<Vec<_>>();
    assert_eq!(created, vec![1]);

    // Stock that runs out after the check: US Direct refuses, and the order waits for stock.
    let last = store.place_order(order_of(4, 1));
    engine
        .order_sync(&connector, SyncTrigger::Cli, &NoProgress, None)
        .await
        .unwrap();
    engine.check_stock(&us_direct).await.unwrap();
    settings.stock.insert("USD-1005".into(), 0);
    supplier.set_settings(settings);
    engine.route_imported().await.unwrap();
    run_jobs().await;
    let refused = detail_of(&engine, &number(last.number)).await;
    assert_eq!(refused.status, OrderStatus::NeedsAttention);
    let attention = refused.attention.unwrap();
    assert_eq!(
        attention.kind,
        AttentionKind::OutOfStock,
        "{}",
        attention.reason
    );
    assert!(attention.reason.contains("Out of stock at US Direct"));

    supplier.stop().await;
    store.stop().await;
}
