//! Sandbox and Live never mix. A dealer rehearses in the Sandbox (orders left in every state:
//! unrouted, awaiting authorization, authorized with its payment job in backoff), then connects
//! a real store and US Direct account (here: a second loopback store and supplier on their own
//! ports, over real HTTP), turns Auto Authorize on and syncs. Each order and each job reaches
//! only its own environment's US Direct; removing the last live store sends no live job to the
//! sandbox supplier.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use dealer_connectors::{HttpPolicy, SupplierPolicy};
use dealer_core::activity::SyncTrigger;
use dealer_core::channel::Credentials;
use dealer_core::domain::{Actor, ChannelKind, Environment};
use dealer_core::fulfillment::AutoAuthorize;
use dealer_core::lifecycle::OrderStatus;
use dealer_core::outbox::{JobKind, JobState};
use dealer_core::secret::Sensitive;
use dealer_core::store::ListOrders;
use dealer_core::sync::NoProgress;
use dealer_core::{Engine, Mode};
use dealer_runtime::{JobsOutcome, PassOptions, Runtime};
use dealer_sandbox::{
    Faults, PlaceOrder, SandboxOptions, SandboxStore, SandboxSupplier, StoreKind, SupplierOptions,
    SupplierSettings, SHOPIFY_TOKEN, SUPPLIER_TOKEN,
};

use crate::{open_engine, Recorder};

fn fast(connector: dealer_connectors::Connector) -> dealer_connectors::Connector {
    let http = HttpPolicy {
        max_attempts: 2,
        base_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
        ..HttpPolicy::default()
    };
    connector
        .with_policy(http.clone())
        .with_supplier_policy(SupplierPolicy {
            http,
            requests_per_second: 500.0,
        })
}

fn pass(wait: Duration) -> PassOptions {
    PassOptions {
        trigger: SyncTrigger::Window,
        only: None,
        job_wait: wait,
    }
}

fn failing() -> Faults {
    Faults {
        error_rate: 1.0,
        ..Faults::default()
    }
}

async fn orders(engine: &Engine, environment: Environment) -> Vec<(i64, OrderStatus)> {
    engine
        .store()
        .list_orders(&ListOrders {
            environment: Some(environment),
            limit: 1000,
            ..ListOrders::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|order| (order.id, order.status))
        .collect()
}

/// The supplier order ids the engine recorded for `environment`'s orders.
async fn recorded_supplier_orders(engine: &Engine, environment: Environment) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for (id, _) in orders(engine, environment).await {
        let detail = engine.store().order_detail(id).await.unwrap();
        assert_eq!(detail.environment, environment);
        if let Some(supplier) = detail.supplier {
            ids.insert(supplier.order_id);
        }
    }
    ids
}

fn supplier_orders(supplier: &SandboxSupplier) -> BTreeSet<String> {
    supplier
        .orders()
        .into_iter()
        .map(|order| order.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_orders_never_reach_the_live_us_direct_and_live_jobs_never_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = Runtime::open_with(open_engine(dir.path()).await, fast)
        .await
        .unwrap();
    let engine = runtime.engine().clone();
    let sink = Recorder::default();
    let sandbox_supplier = runtime
        .sandbox()
        .and_then(|world| world.own_supplier())
        .expect("this test's process serves the sandbox supplier");
    // The client here does not pace itself to US Direct's 2 requests a second.
    sandbox_supplier.set_settings(SupplierSettings {
        rate_limit_per_sec: 0.0,
        ..sandbox_supplier.settings()
    });

    // Rehearsal: three test orders routed and invoiced by the sandbox US Direct.
    for _ in 0..3 {
        runtime.place_test_order().await.unwrap();
    }
    runtime
        .pass_once(pass(Duration::from_secs(30)), &sink)
        .await
        .unwrap();
    let rehearsed: Vec<i64> = orders(&engine, Environment::Sandbox)
        .await
        .into_iter()
        .map(|(id, status)| {
            assert_eq!(status, OrderStatus::AwaitingAuthorization);
            id
        })
        .collect();
    assert_eq!(rehearsed.len(), 3);
    // One authorized while the sandbox US Direct is down: its payment job waits in backoff.
    sandbox_supplier.set_faults(failing());
    engine
        .authorize(&rehearsed[..1], Actor::Dealer)
        .await
        .unwrap();
    runtime
        .run_jobs(None, Duration::from_millis(300))
        .await
        .unwrap();
    let job = &engine
        .store()
        .list_jobs(Some(rehearsed[0]), 10)
        .await
        .unwrap()[0];
    assert_eq!(
        (job.kind, job.state, job.environment),
        (
            JobKind::AuthorizePayment,
            JobState::Pending,
            Environment::Sandbox
        )
    );
    // And one imported but not routed yet.
    runtime.place_test_order().await.unwrap();
    engine
        .order_sync(
            runtime.connector().as_ref(),
            SyncTrigger::Window,
            &NoProgress,
            None,
        )
        .await
        .unwrap();
    assert!(orders(&engine, Environment::Sandbox)
        .await
        .iter()
        .any(|(_, status)| *status == OrderStatus::Imported));

    // Going live: a real store and the dealer's US Direct account, Auto Authorize on.
    let live_store = SandboxStore::start(StoreKind::Shopify, SandboxOptions::default())
        .await
        .unwrap();
    let live_supplier = SandboxSupplier::start(SupplierOptions {
        ship_delay: Duration::from_secs(3600),
        rate_limit_per_sec: 0.0,
        ..SupplierOptions::default()
    })
    .await
    .unwrap();
    let shop = engine
        .add_channel(
            runtime.connector().as_ref(),
            ChannelKind::Shopify,
            "My shop",
            &live_store.base_url(),
            &Credentials::Token(Sensitive::new(SHOPIFY_TOKEN.to_string())),
        )
        .await
        .unwrap();
    engine
        .connect_supplier(
            &live_supplier.base_url(),
            &Sensitive::new(SUPPLIER_TOKEN.to_string()),
        )
        .await
        .unwrap();
    assert_eq!(engine.mode().await.unwrap(), Mode::Live);
    engine
        .set_auto_authorize(AutoAuthorize {
            enabled: true,
            ..AutoAuthorize::default()
        })
        .await
        .unwrap();
    live_store.place_order(PlaceOrder::test_order());
    live_store.place_order(PlaceOrder::test_order());
    sandbox_supplier.set_faults(Faults::default());

    // A few syncs, and a bulk Authorize across both environments.
    for _ in 0..2 {
        runtime
            .pass_once(pass(Duration::from_secs(30)), &sink)
            .await
            .unwrap();
    }
    let waiting: Vec<i64> = orders(&engine, Environment::Sandbox)
        .await
        .into_iter()
        .filter(|(_, status)| *status == OrderStatus::AwaitingAuthorization)
        .map(|(id, _)| id)
        .collect();
    assert_eq!(waiting.len(), 2, "the two rehearsal orders still wait");
    let live: Vec<i64> = orders(&engine, Environment::Live)
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(live.len(), 2);
    let bulk: Vec<i64> = waiting.iter().chain(&live).copied().collect();
    engine.authorize(&bulk, Actor::Dealer).await.unwrap();
    runtime
        .pass_once(pass(Duration::from_secs(30)), &sink)
        .await
        .unwrap();

    // The live US Direct saw the two live orders and nothing else; the sandbox one saw the four
    // rehearsal orders, each paid once.
    let live_stats = live_supplier.stats();
    assert_eq!(live_stats.orders_created, 2, "{live_stats:?}");
    assert_eq!(live_stats.authorizations_applied, 2, "{live_stats:?}");
    assert_eq!(
        supplier_orders(&live_supplier),
        recorded_supplier_orders(&engine, Environment::Live).await
    );
    let sandbox_stats = sandbox_supplier.stats();
    assert_eq!(sandbox_stats.orders_created, 4, "{sandbox_stats:?}");
    assert_eq!(sandbox_stats.authorizations_applied, 4, "{sandbox_stats:?}");
    assert_eq!(
        supplier_orders(sandbox_supplier),
        recorded_supplier_orders(&engine, Environment::Sandbox).await
    );
    for environment in Environment::ALL {
        for (id, status) in orders(&engine, environment).await {
            assert_eq!(
                status,
                OrderStatus::Processing,
                "order {id} ({environment})"
            );
        }
    }

    // A live order whose supplier order waits (US Direct down), then the last live store is
    // removed: the job stays live and waits for the live account, never the sandbox one.
    live_supplier.set_faults(failing());
    live_store.place_order(PlaceOrder::test_order());
    engine
        .order_sync(
            runtime.connector().as_ref(),
            SyncTrigger::Window,
            &NoProgress,
            Some(shop.id),
        )
        .await
        .unwrap();
    assert_eq!(engine.route_imported().await.unwrap(), 1);
    runtime
        .run_jobs(None, Duration::from_millis(300))
        .await
        .unwrap();
    engine.remove_channel(shop.id).await.unwrap();
    assert_eq!(engine.mode().await.unwrap(), Mode::Sandbox);
    let outcome = runtime
        .run_jobs(None, Duration::from_millis(500))
        .await
        .unwrap();
    assert!(
        matches!(outcome, JobsOutcome::Waiting(ref jobs) if jobs.iter().all(|job| job.environment == Environment::Live)),
        "{outcome:?}"
    );
    assert_eq!(sandbox_supplier.stats().orders_created, 4);
    live_supplier.set_faults(Faults::default());
    let outcome = runtime
        .run_jobs(None, Duration::from_secs(60))
        .await
        .unwrap();
    assert!(matches!(outcome, JobsOutcome::Done), "{outcome:?}");
    assert_eq!(live_supplier.stats().orders_created, 3);
    assert_eq!(sandbox_supplier.stats().orders_created, 4);
    assert_eq!(
        supplier_orders(&live_supplier),
        recorded_supplier_orders(&engine, Environment::Live).await
    );

    runtime.stop().await;
    live_store.stop().await;
    live_supplier.stop().await;
    let _ = Arc::strong_count(&engine);
}

#[tokio::test]
async fn live_jobs_wait_while_the_us_direct_account_is_not_connected() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = Runtime::open_with(open_engine(dir.path()).await, fast)
        .await
        .unwrap();
    // The pass asks the sandbox US Direct about the item, creates the order and reads its
    // changes at once; this test's client does not pace itself, so the supplier does not
    // limit it either.
    if let Some(supplier) = runtime.sandbox().and_then(|w| w.own_supplier()) {
        let mut settings = supplier.settings();
        settings.rate_limit_per_sec = 0.0;
        supplier.set_settings(settings);
    }
    let engine = runtime.engine().clone();
    let live_store = SandboxStore::start(StoreKind::Shopify, SandboxOptions::default())
        .await
        .unwrap();
    engine
        .add_channel(
            runtime.connector().as_ref(),
            ChannelKind::Shopify,
            "My shop",
            &live_store.base_url(),
            &Credentials::Token(Sensitive::new(SHOPIFY_TOKEN.to_string())),
        )
        .await
        .unwrap();
    live_store.place_order(PlaceOrder::test_order());
    runtime.place_test_order().await.unwrap();
    let report = runtime
        .pass_once(pass(Duration::from_secs(30)), &Recorder::default())
        .await
        .unwrap();
    // The sandbox order went through its own US Direct; the live one waits, and says why.
    let JobsOutcome::NotConnected(waiting) = report.jobs else {
        panic!("{:?}", report.jobs);
    };
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].environment, Environment::Live);
    assert_eq!(waiting[0].kind, JobKind::CreateSupplierOrder);
    let sandbox = orders(&engine, Environment::Sandbox).await;
    assert_eq!(sandbox.len(), 1);
    assert_eq!(sandbox[0].1, OrderStatus::AwaitingAuthorization);
    let sandbox_supplier = runtime.sandbox().and_then(|w| w.own_supplier()).unwrap();
    assert_eq!(sandbox_supplier.stats().orders_created, 1);
    runtime.stop().await;
    live_store.stop().await;
}
