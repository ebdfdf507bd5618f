//! The Sandbox rehearsal's test order beyond the happy path: what the guide says before there is
//! one, which order it follows (the first sandbox order, or the one the dealer marked), and the
//! hint of each stuck step as the order moves on. The live path is in `onboarding_live`.

use dealer_core::domain::Actor;
use dealer_core::lifecycle::OrderStatus;
use dealer_core::onboarding::{OnboardingStep, TestOrderChecks};
use dealer_core::outbox::WorkerId;
use dealer_core::{Engine, ErrorCode, Mode};

use crate::fulfillment::{engine_with_orders, FakeSupplier, NoStores};
use crate::shipments::change;
use crate::{open_with_passphrase, PASSPHRASE};

/// Each check as (step, ticked, hint).
pub fn checks(test_order: &TestOrderChecks) -> Vec<(OnboardingStep, bool, Option<&str>)> {
    test_order
        .checks
        .iter()
        .map(|check| (check.step, check.done_at.is_some(), check.hint.as_deref()))
        .collect()
}

/// The hint of the routed-and-authorized check, the one that follows the order's status.
async fn routed_hint(engine: &Engine) -> Option<String> {
    engine.onboarding().await.unwrap().sandbox_rehearsal.checks[1]
        .hint
        .clone()
}

async fn run_jobs(engine: &Engine, supplier: &FakeSupplier) {
    engine
        .run_outbox(
            &supplier.everywhere(),
            &NoStores,
            &WorkerId::for_this_process(),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn before_any_order_the_guide_says_how_to_place_the_test_order() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let onboarding = engine.onboarding().await.unwrap().sandbox_rehearsal;
    assert_eq!(onboarding.test_order, None);
    assert!(!onboarding.complete);
    assert_eq!(
        checks(&onboarding),
        vec![
            (
                OnboardingStep::Imported,
                false,
                Some(
                    "Press Place a test order: a shopper orders one $4.99 item in the Sandbox \
                     store. Then press Order Sync."
                )
            ),
            (
                OnboardingStep::RoutedAndAuthorized,
                false,
                Some("Waiting for the test order.")
            ),
            (
                OnboardingStep::TrackingSynced,
                false,
                Some("Waiting for the test order.")
            ),
        ]
    );
    let err = engine.mark_test_order(1, Mode::Sandbox).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert_eq!(
        engine
            .onboarding()
            .await
            .unwrap()
            .sandbox_rehearsal
            .test_order,
        None
    );
}

#[tokio::test]
async fn the_marked_test_order_is_followed_with_a_hint_at_each_stuck_step() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 3).await;
    let supplier = FakeSupplier::default();
    let mut ids: Vec<i64> = engine
        .store()
        .list_orders(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .map(|order| order.id)
        .collect();
    ids.sort();

    // Unmarked, the first order is the test order.
    let first = engine.onboarding().await.unwrap().sandbox_rehearsal;
    let test_order = first.test_order.clone().unwrap();
    assert_eq!((test_order.id, test_order.marked), (ids[0], false));
    assert_eq!(
        checks(&first)[0],
        (OnboardingStep::Imported, true, None),
        "imported: ticked, no hint"
    );
    assert_eq!(
        routed_hint(&engine).await.as_deref(),
        Some(
            "Being sent to US Direct; this takes a few seconds (see Activity → Jobs if it does \
             not move)."
        )
    );

    // The dealer marks another; a missing order is not found and changes nothing.
    let marked = engine.mark_test_order(ids[1], Mode::Sandbox).await.unwrap();
    let test_order = marked.sandbox_rehearsal.test_order.unwrap();
    assert_eq!((test_order.id, test_order.marked), (ids[1], true));
    let err = engine
        .mark_test_order(ids[2] + 1000, Mode::Sandbox)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    // A sandbox order is never the live test order.
    let err = engine
        .mark_test_order(ids[2], Mode::Live)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(
        err.to_string()
            .contains("is an order from the Sandbox store"),
        "{err}"
    );
    let now = engine.onboarding().await.unwrap();
    assert_eq!(now.sandbox_rehearsal.test_order.unwrap().id, ids[1]);
    assert_eq!(now.live.test_order, None);

    engine.route_imported().await.unwrap();
    run_jobs(&engine, &supplier).await;
    assert_eq!(
        routed_hint(&engine).await.as_deref(),
        Some("Awaiting authorization: open the order and press Authorize Order for Payment.")
    );

    engine.authorize(&[ids[1]], Actor::Dealer).await.unwrap();
    assert_eq!(
        routed_hint(&engine).await.as_deref(),
        Some("Authorized; waiting for US Direct to confirm the payment.")
    );

    run_jobs(&engine, &supplier).await;
    let processing = engine.onboarding().await.unwrap().sandbox_rehearsal;
    assert_eq!(
        processing.test_order.as_ref().unwrap().status,
        OrderStatus::Processing
    );
    let now = checks(&processing);
    assert_eq!(now[1], (OnboardingStep::RoutedAndAuthorized, true, None));
    assert_eq!(now[2].0, OnboardingStep::TrackingSynced);
    assert!(
        now[2]
            .2
            .is_some_and(|hint| hint.starts_with("No tracking yet")),
        "{now:?}"
    );

    // US Direct ships it all; the tracking is not in the store yet.
    let order = engine.store().order_detail(ids[1]).await.unwrap();
    let lines: Vec<(&str, u32)> = order
        .lines
        .iter()
        .map(|line| (line.sku.as_str(), line.quantity))
        .collect();
    supplier.state().changes = vec![change(&order, vec![("1Z999AA10123456784", lines)])];
    engine
        .supplier_sync(dealer_core::domain::Environment::Sandbox, &supplier)
        .await
        .unwrap();
    let shipped = engine.onboarding().await.unwrap().sandbox_rehearsal;
    assert_eq!(
        shipped.test_order.as_ref().unwrap().status,
        OrderStatus::Shipped
    );
    assert_eq!(
        checks(&shipped)[2],
        (
            OnboardingStep::TrackingSynced,
            false,
            Some(
                "Tracking arrived; it is being written to your store (see Activity → Jobs if it \
                 does not move)."
            )
        )
    );
    assert!(!shipped.complete);

    // A cancelled test order asks for another.
    engine.mark_test_order(ids[2], Mode::Sandbox).await.unwrap();
    engine
        .store()
        .transition(
            ids[2],
            OrderStatus::Cancelled,
            Actor::Dealer,
            "customer asked",
        )
        .await
        .unwrap();
    assert_eq!(
        routed_hint(&engine).await.as_deref(),
        Some("The test order was cancelled: place another one.")
    );
}
