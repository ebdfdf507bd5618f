//! The onboarding guide from the Sandbox to Live, stage by stage: no live store; a store but no
//! US Direct; both but no live order; the live test order imported; and completed. The Sandbox
//! rehearsal's orders stay beside Live and never count as the live test order.

use std::sync::Arc;

use dealer_core::domain::{Actor, ChannelKind, Environment};
use dealer_core::keys::{MemoryKeyring, SecretStore};
use dealer_core::onboarding::{GuideStep, Onboarding, OnboardingStep};
use dealer_core::outbox::WorkerId;
use dealer_core::secret::Sensitive;
use dealer_core::{Engine, ErrorCode, Mode};

use crate::fulfillment::{FakeSupplier, NoStores};
use crate::onboarding::checks;
use crate::open_with_keyring;
use crate::shipments::{change, ConnectFake, FakeStore};

/// Each step as (step, done, hint).
fn steps(onboarding: &Onboarding) -> Vec<(GuideStep, bool, Option<&str>)> {
    onboarding
        .steps
        .iter()
        .map(|step| (step.step, step.done, step.hint.as_deref()))
        .collect()
}

fn done(onboarding: &Onboarding) -> Vec<GuideStep> {
    onboarding
        .steps
        .iter()
        .filter(|step| step.done)
        .map(|step| step.step)
        .collect()
}

/// A fresh store with one sandbox order already in (a rehearsal under way), its SKUs mapped.
async fn fresh(dir: &std::path::Path) -> Engine {
    let engine = open_with_keyring(dir, Arc::new(MemoryKeyring::default()))
        .await
        .unwrap();
    engine.store().seed_orders(1, 7).await.unwrap();
    let skus: Vec<String> = (1001..=1008).map(|n| format!("USD-{n}")).collect();
    let skus: Vec<&str> = skus.iter().map(String::as_str).collect();
    engine.store().map_skus_to_themselves(&skus).await.unwrap();
    engine
}

async fn connect_store(engine: &Engine) -> i64 {
    engine
        .store()
        .ensure_channel(
            "My Shop",
            ChannelKind::Shopify,
            "https://shop.example.com",
            false,
        )
        .await
        .unwrap()
        .id
}

async fn connect_supplier(engine: &Engine) {
    engine
        .connect_supplier(
            "https://api.usdirect.example",
            &Sensitive::new("live-token".to_string()),
        )
        .await
        .unwrap();
}

/// `count` real orders imported from the live store, numbered from #2001.
async fn import_live(engine: &Engine, channel: i64, count: usize) -> Vec<i64> {
    let orders = dealer_core::seed::synthetic_orders(count, 2001, 3).unwrap();
    engine
        .store()
        .insert_orders(channel, &orders, Actor::System, "imported")
        .await
        .unwrap()
}

#[tokio::test]
async fn the_guide_names_what_is_missing_next_from_sandbox_to_start_selling() {
    let dir = tempfile::tempdir().unwrap();
    let engine = fresh(dir.path()).await;

    // 1. No live store: the rehearsal is offered, the store is what selling waits for.
    let start = engine.onboarding().await.unwrap();
    assert_eq!(
        steps(&start),
        vec![
            (
                GuideStep::RehearseInSandbox,
                false,
                Some(
                    "Optional: place a test order in the Sandbox store and watch it pass the \
                     three checks. No real store, supplier or money is involved."
                )
            ),
            (
                GuideStep::ConnectStore,
                false,
                Some(
                    "Add your Shopify, WooCommerce or BigCommerce store in Settings → Sales \
                     channels."
                )
            ),
            (
                GuideStep::ConnectSupplier,
                false,
                Some("Enter your US Direct API URL and token in Settings → US Direct.")
            ),
            (
                GuideStep::PlaceLiveTestOrder,
                false,
                Some(
                    "Connect your store first; then place a real low-dollar order in it and \
                     press Order Sync."
                )
            ),
            (
                GuideStep::LiveChecks,
                false,
                Some("Waiting for the live test order.")
            ),
        ]
    );
    assert!(start.steps[0].optional && start.steps[1..].iter().all(|s| !s.optional));
    assert_eq!(start.next, Some(GuideStep::ConnectStore));
    assert!(!start.complete);
    // The sandbox order is the rehearsal's test order, never the live one.
    let sandbox_order = start.sandbox_rehearsal.test_order.clone().unwrap();
    assert_eq!(sandbox_order.number, "#1001");
    assert_eq!(start.live.test_order, None);
    assert!(!engine.onboarding_complete().await.unwrap());

    // 2. A store, but no US Direct.
    let channel = connect_store(&engine).await;
    let stored = engine.onboarding().await.unwrap();
    assert_eq!(done(&stored), vec![GuideStep::ConnectStore]);
    assert_eq!(stored.next, Some(GuideStep::ConnectSupplier));
    assert!(stored.steps[3]
        .hint
        .as_deref()
        .is_some_and(|hint| hint.starts_with("Place a real low-dollar order in your store")));

    // 3. Both, but no live order yet: a Sandbox order cannot stand in for it.
    connect_supplier(&engine).await;
    let connected = engine.onboarding().await.unwrap();
    assert_eq!(
        done(&connected),
        vec![GuideStep::ConnectStore, GuideStep::ConnectSupplier]
    );
    assert_eq!(connected.next, Some(GuideStep::PlaceLiveTestOrder));
    let err = engine
        .mark_test_order(sandbox_order.id, Mode::Live)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(engine.onboarding().await.unwrap().live.test_order, None);

    // 4. The live test order is imported: the first order from the live store.
    let ids = import_live(&engine, channel, 2).await;
    let imported = engine.onboarding().await.unwrap();
    assert_eq!(imported.next, Some(GuideStep::LiveChecks));
    let live = imported.live.test_order.clone().unwrap();
    assert_eq!(
        (live.id, live.number.as_str(), live.marked),
        (ids[0], "#2001", false)
    );
    assert_eq!(
        imported.steps[4].hint.as_deref(),
        Some("The three checks below tick by themselves as order #2001 passes them.")
    );
    let now = checks(&imported.live);
    assert_eq!(now[0], (OnboardingStep::Imported, true, None));
    assert_eq!(
        now[1].2,
        Some(
            "Being sent to US Direct; this takes a few seconds (see Activity → Jobs if it does \
             not move)."
        )
    );
    assert_eq!(
        imported.sandbox_rehearsal.test_order.unwrap().id,
        sandbox_order.id,
        "the rehearsal keeps its own test order beside Live"
    );
    // The dealer may choose the other live order; marking it does not touch the rehearsal's.
    let marked = engine.mark_test_order(ids[1], Mode::Live).await.unwrap();
    let live = marked.live.test_order.unwrap();
    assert_eq!((live.id, live.marked), (ids[1], true));
    let err = engine
        .mark_test_order(ids[1], Mode::Sandbox)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);

    // 5. The live test order is authorized, shipped and its tracking is in the store.
    let supplier = FakeSupplier::default();
    let suppliers = supplier.everywhere();
    let worker = WorkerId::for_this_process();
    engine.route_imported().await.unwrap();
    engine
        .run_outbox(&suppliers, &NoStores, &worker)
        .await
        .unwrap();
    engine.authorize(&[ids[1]], Actor::Dealer).await.unwrap();
    engine
        .run_outbox(&suppliers, &NoStores, &worker)
        .await
        .unwrap();
    let order = engine.store().order_detail(ids[1]).await.unwrap();
    let lines: Vec<(&str, u32)> = order
        .lines
        .iter()
        .map(|line| (line.sku.as_str(), line.quantity))
        .collect();
    supplier.state().changes = vec![change(&order, vec![("1Z999AA10123456784", lines)])];
    engine
        .supplier_sync(Environment::Live, &supplier)
        .await
        .unwrap();
    assert!(
        !engine.onboarding().await.unwrap().complete,
        "shipped, not yet in the store"
    );
    let store = ConnectFake(Arc::new(FakeStore::default()));
    engine
        .run_outbox(&suppliers, &store, &worker)
        .await
        .unwrap();

    let complete = engine.onboarding().await.unwrap();
    assert!(complete.complete, "{:#?}", complete.live);
    assert_eq!(complete.next, None);
    assert_eq!(
        done(&complete),
        vec![
            GuideStep::ConnectStore,
            GuideStep::ConnectSupplier,
            GuideStep::PlaceLiveTestOrder,
            GuideStep::LiveChecks
        ],
        "the rehearsal was skipped, which selling does not wait for"
    );
    assert!(complete.steps[1..].iter().all(|step| step.hint.is_none()));
    assert!(checks(&complete.live).iter().all(|(_, ticked, _)| *ticked));
    assert!(engine.onboarding_complete().await.unwrap());
}

#[tokio::test]
async fn a_live_order_imported_before_us_direct_is_connected_says_to_connect_it() {
    let dir = tempfile::tempdir().unwrap();
    let engine = fresh(dir.path()).await;
    let channel = connect_store(&engine).await;
    import_live(&engine, channel, 1).await;
    let waiting = engine.onboarding().await.unwrap();
    assert_eq!(waiting.next, Some(GuideStep::ConnectSupplier));
    assert_eq!(
        checks(&waiting.live)[1].2,
        Some(
            "Waiting for US Direct: connect your US Direct account in Settings → US Direct so \
             the order can be sent."
        )
    );
    // Once connected, the same check says the order is on its way.
    connect_supplier(&engine).await;
    let connected = engine.onboarding().await.unwrap();
    assert!(checks(&connected.live)[1]
        .2
        .is_some_and(|hint| hint.starts_with("Being sent to US Direct")));
    assert_eq!(connected.next, Some(GuideStep::LiveChecks));
}

#[tokio::test]
async fn a_store_with_only_a_url_for_us_direct_asks_for_the_token_again() {
    let dir = tempfile::tempdir().unwrap();
    let keyring = Arc::new(MemoryKeyring::default());
    let engine = open_with_keyring(dir.path(), keyring.clone())
        .await
        .unwrap();
    connect_supplier(&engine).await;
    assert!(engine.onboarding().await.unwrap().steps[2].done);
    // The token is gone from the keyring (restored from a backup on another machine, say).
    let account = dealer_core::credentials::supplier_account(engine.store_id());
    keyring
        .delete(dealer_core::APP_IDENTIFIER, &account)
        .unwrap();
    let missing = engine.onboarding().await.unwrap();
    assert_eq!(
        missing.steps[2].hint.as_deref(),
        Some(
            "US Direct's API token is not in the keyring: enter it again in Settings → US Direct."
        )
    );
}
