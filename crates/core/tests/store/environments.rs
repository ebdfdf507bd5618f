//! An order's environment is its channel's and a job's is its order's, fixed when written: the
//! store itself refuses a write that would move either.

use dealer_core::domain::{ChannelKind, Environment};
use dealer_core::lifecycle::OrderStatus;
use dealer_core::store::ListOrders;

use crate::fulfillment::{engine_with_orders, FakeSupplier, NoStores};

#[tokio::test]
async fn environments_are_fixed_when_written() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 2).await;
    let orders = engine
        .store()
        .list_orders(&ListOrders::default())
        .await
        .unwrap();
    // Seeded orders are the sandbox store's.
    assert!(orders
        .iter()
        .all(|order| order.environment == Environment::Sandbox));
    let live_only = ListOrders {
        environment: Some(Environment::Live),
        ..ListOrders::default()
    };
    assert!(engine
        .store()
        .list_orders(&live_only)
        .await
        .unwrap()
        .is_empty());

    engine.route_imported().await.unwrap();
    let jobs = engine.store().list_jobs(None, 10).await.unwrap();
    assert_eq!(jobs.len(), 2);
    assert!(jobs
        .iter()
        .all(|job| job.environment == Environment::Sandbox));

    let pool = engine.store().pool();
    for (what, sql) in [
        ("an order", "UPDATE orders SET environment = 'live'"),
        ("a job", "UPDATE outbox_jobs SET environment = 'live'"),
        ("a channel", "UPDATE channels SET is_sandbox = 0"),
    ] {
        let err = sqlx::query(sql).execute(pool).await.unwrap_err();
        assert!(
            err.to_string().contains("fixed") || err.to_string().contains("for good"),
            "{what}: {err}"
        );
    }
    // A write that names the wrong environment for its channel is refused too.
    let live = engine
        .store()
        .add_channel(
            ChannelKind::Shopify,
            "My shop",
            "https://acme.myshopify.com",
        )
        .await
        .unwrap();
    let err = sqlx::query(
        "INSERT INTO orders (channel_id, channel_order_id, number, status, customer_name,
             ship_name, ship_line1, ship_city, ship_state_code, ship_postal_code,
             ship_country_code, currency, subtotal_minor, shipping_minor, tax_minor,
             total_minor, placed_at, channel_updated_at, created_at, updated_at, environment)
         VALUES (?, 'x', '#1', 'imported', 'A', 'A', 'l', 'c', 'TX', '78701', 'US', 'USD',
                 1, 0, 0, 1, 't', 't', 't', 't', 'sandbox')",
    )
    .bind(live.id)
    .execute(pool)
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("environment of its channel"),
        "{err}"
    );

    // The jobs still run, in their own environment.
    let supplier = FakeSupplier::default();
    let only_sandbox = dealer_core::supplier::Suppliers::default()
        .with(Environment::Sandbox, std::sync::Arc::new(supplier.clone()));
    let only_live = dealer_core::supplier::Suppliers::default()
        .with(Environment::Live, std::sync::Arc::new(supplier.clone()));
    let worker = dealer_core::outbox::WorkerId::for_this_process();
    let report = engine
        .run_outbox(&only_live, &NoStores, &worker)
        .await
        .unwrap();
    assert_eq!(
        report.succeeded, 0,
        "a sandbox job never goes to the live supplier"
    );
    assert_eq!(
        engine
            .store()
            .next_job_due(only_live.reach())
            .await
            .unwrap(),
        None
    );
    let report = engine
        .run_outbox(&only_sandbox, &NoStores, &worker)
        .await
        .unwrap();
    assert_eq!(report.succeeded, 2);
    let waiting = engine
        .store()
        .list_orders(&ListOrders {
            status: Some(OrderStatus::AwaitingAuthorization),
            ..ListOrders::default()
        })
        .await
        .unwrap();
    assert_eq!(waiting.len(), 2);
}
