//! Unpaid and risky store orders never reach US Direct: each sandbox store serves an unpaid and
//! a high-risk order as its platform does, the engine holds both in `needs_attention` (Auto
//! Authorize on), routes the unpaid one by itself once a later sync sees it paid, and routes
//! the risky one when the dealer releases it by hand.

use std::time::{Duration, Instant};

use dealer_connectors::Connector;
use dealer_core::activity::SyncTrigger;
use dealer_core::domain::{Actor, StorePayment};
use dealer_core::fulfillment::AutoAuthorize;
use dealer_core::lifecycle::{AttentionKind, OrderStatus};
use dealer_core::outbox::WorkerId;
use dealer_core::store::{ListOrders, OrderDetail};
use dealer_core::sync::NoProgress;
use dealer_core::Engine;
use dealer_sandbox::{
    Faults, PlaceOrder, SandboxOrder, SandboxPayment, SandboxStore, SandboxSupplier, StoreKind,
    SupplierOptions,
};

use crate::{dealer_store, fast_bucket, start};

/// What each platform calls the sandbox's unpaid and high-risk orders.
struct Expected {
    unpaid: &'static str,
    risk_kind: AttentionKind,
    risk: &'static str,
}

fn expected(kind: StoreKind) -> Expected {
    match kind {
        StoreKind::Shopify => Expected {
            unpaid: "(Shopify: PENDING)",
            risk_kind: AttentionKind::FraudRisk,
            risk: "(Shopify: risk recommendation CANCEL)",
        },
        // WooCommerce has no fraud score: a fraud plugin leaves the order on-hold.
        StoreKind::Woocommerce => Expected {
            unpaid: "(WooCommerce: on-hold)",
            risk_kind: AttentionKind::Unpaid,
            risk: "(WooCommerce: on-hold)",
        },
        StoreKind::Bigcommerce => Expected {
            unpaid: "(BigCommerce: Awaiting Payment)",
            risk_kind: AttentionKind::FraudRisk,
            risk: "(BigCommerce: Manual Verification Required)",
        },
    }
}

struct World {
    store: SandboxStore,
    supplier: SandboxSupplier,
    engine: Engine,
    connector: Connector,
    _dir: tempfile::TempDir,
}

impl World {
    async fn start(kind: StoreKind) -> World {
        let store = start(kind, Faults::default(), fast_bucket()).await;
        let supplier = SandboxSupplier::start(SupplierOptions {
            ship_delay: Duration::from_secs(3600),
            rate_limit_per_sec: 0.0,
            ..SupplierOptions::default()
        })
        .await
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let engine = dealer_store(dir.path(), "Payment store", &store, &supplier).await;
        engine
            .set_auto_authorize(AutoAuthorize {
                enabled: true,
                ..AutoAuthorize::default()
            })
            .await
            .unwrap();
        let connector = Connector::new(&engine, "unused");
        World {
            store,
            supplier,
            engine,
            connector,
            _dir: dir,
        }
    }

    /// What the app's schedule and worker do after each sync: import, route, run the outbox.
    async fn sync_and_route(&self) {
        let report = self
            .engine
            .order_sync(&self.connector, SyncTrigger::Schedule, &NoProgress, None)
            .await
            .unwrap();
        assert!(!report.failed(), "{}", report.message);
        self.engine.route_imported().await.unwrap();
        self.run_outbox().await;
    }

    async fn run_outbox(&self) {
        let suppliers = self.connector.suppliers(&self.engine).await.unwrap();
        let worker = WorkerId::for_this_process();
        let deadline = Instant::now() + Duration::from_secs(20);
        let done = self
            .engine
            .run_outbox_until(&suppliers, &self.connector, &worker, None, deadline)
            .await
            .unwrap();
        assert!(done, "the outbox did not drain");
    }

    async fn detail(&self, placed: &SandboxOrder) -> OrderDetail {
        let orders = self
            .engine
            .store()
            .list_orders(&ListOrders {
                limit: 100,
                ..ListOrders::default()
            })
            .await
            .unwrap();
        let number = format!("#{}", placed.number);
        let id = orders
            .iter()
            .find(|o| o.number == number)
            .unwrap_or_else(|| panic!("{number} was imported"))
            .id;
        self.engine.store().order_detail(id).await.unwrap()
    }

    /// Whether US Direct ever received the order.
    fn at_us_direct(&self, placed: &SandboxOrder) -> bool {
        let number = format!("#{}", placed.number);
        self.supplier
            .orders()
            .iter()
            .any(|o| o.order_number == number)
    }
}

fn assert_held(detail: &OrderDetail, kind: AttentionKind, words: &str) {
    assert_eq!(detail.status, OrderStatus::NeedsAttention, "{detail:#?}");
    let attention = detail.attention.as_ref().unwrap();
    assert_eq!(attention.kind, kind);
    assert!(attention.reason.contains(words), "{}", attention.reason);
    assert!(
        attention.reason.contains("release it here"),
        "{}",
        attention.reason
    );
    assert!(
        detail.jobs.is_empty(),
        "no job for a held order: {:?}",
        detail.jobs
    );
    assert_eq!(detail.authorized_by, None);
}

/// Routed, placed at US Direct and authorized by the Auto Authorize rule.
fn assert_on_its_way(detail: &OrderDetail) {
    assert!(
        matches!(
            detail.status,
            OrderStatus::Authorized | OrderStatus::Processing
        ),
        "{:?}: {:#?}",
        detail.status,
        detail.events
    );
    assert_eq!(detail.authorized_by, Some(Actor::AutoRule));
    assert!(detail.attention.is_none());
}

async fn unpaid_and_risky_orders_are_held(kind: StoreKind) {
    let world = World::start(kind).await;
    let paid = world.store.place_order(PlaceOrder::test_order());
    let unpaid = world
        .store
        .place_order_with_payment(PlaceOrder::test_order(), SandboxPayment::Unpaid);
    let risky = world
        .store
        .place_order_with_payment(PlaceOrder::test_order(), SandboxPayment::HighRisk);
    let want = expected(kind);

    world.sync_and_route().await;
    // The paid order shows the set-up works: it went all the way, Auto Authorize and all.
    assert_on_its_way(&world.detail(&paid).await);
    assert!(world.at_us_direct(&paid));
    let held = world.detail(&unpaid).await;
    assert_held(&held, AttentionKind::Unpaid, want.unpaid);
    assert!(!held.store_payment.is_paid());
    assert_held(&world.detail(&risky).await, want.risk_kind, want.risk);
    assert!(!world.at_us_direct(&unpaid) && !world.at_us_direct(&risky));

    // A sync that sees nothing new about them leaves them held.
    world.sync_and_route().await;
    assert_held(
        &world.detail(&unpaid).await,
        AttentionKind::Unpaid,
        want.unpaid,
    );

    // The shopper pays: the next sync routes the order by itself, as a fresh import would be.
    world
        .store
        .set_payment(unpaid.id, SandboxPayment::Paid)
        .unwrap();
    world.sync_and_route().await;
    let routed = world.detail(&unpaid).await;
    assert_on_its_way(&routed);
    assert_eq!(routed.store_payment, StorePayment::Paid);
    assert!(world.at_us_direct(&unpaid));
    assert!(
        routed
            .events
            .iter()
            .any(|e| e.detail == "the store reports it paid: US Direct's checks run"),
        "{:#?}",
        routed.events
    );

    // The dealer releases the risky one by hand: it goes, and a sync that still sees the risk
    // does not hold it again.
    let id = world.detail(&risky).await.id;
    let released = world.engine.release_payment_hold(id).await.unwrap();
    assert!(released.payment_hold_released);
    assert!(released.attention.is_none(), "{:#?}", released.attention);
    world.run_outbox().await;
    assert_on_its_way(&world.detail(&risky).await);
    assert!(world.at_us_direct(&risky));
    let again = world.engine.release_payment_hold(id).await.unwrap_err();
    assert!(
        again
            .to_string()
            .contains("not held for the store's payment"),
        "{again}"
    );

    world.engine.close().await;
    world.store.stop().await;
    world.supplier.stop().await;
}

#[tokio::test]
async fn shopify_unpaid_and_risky_orders_wait_for_payment_or_the_dealer() {
    unpaid_and_risky_orders_are_held(StoreKind::Shopify).await;
}

#[tokio::test]
async fn woocommerce_unpaid_and_risky_orders_wait_for_payment_or_the_dealer() {
    unpaid_and_risky_orders_are_held(StoreKind::Woocommerce).await;
}

#[tokio::test]
async fn bigcommerce_unpaid_and_risky_orders_wait_for_payment_or_the_dealer() {
    unpaid_and_risky_orders_are_held(StoreKind::Bigcommerce).await;
}
