//! The state machine applied to stored orders: every allowed edge works and leaves an event;
//! forbidden moves and lost races change nothing.

use std::collections::{HashMap, VecDeque};

use dealer_core::domain::Actor;
use dealer_core::fulfillment::routing::RoutingProblem;
use dealer_core::lifecycle::{Attention, AttentionKind, OrderStatus};
use dealer_core::store::Store;
use dealer_core::ErrorCode;

use crate::{open_with_passphrase, PASSPHRASE};

/// A shortest path of allowed moves from `imported` to every status.
fn paths_from_imported() -> HashMap<OrderStatus, Vec<OrderStatus>> {
    let mut paths = HashMap::from([(OrderStatus::Imported, vec![])]);
    let mut queue = VecDeque::from([OrderStatus::Imported]);
    while let Some(status) = queue.pop_front() {
        for &next in status.next_allowed() {
            if !paths.contains_key(&next) {
                let mut path = paths[&status].clone();
                path.push(next);
                paths.insert(next, path);
                queue.push_back(next);
            }
        }
    }
    paths
}

async fn new_order(store: &Store) -> i64 {
    store.seed_orders(1, 1).await.unwrap();
    store
        .list_orders(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .max()
        .unwrap()
}

#[tokio::test]
async fn every_allowed_move_applies_and_records_an_event() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let store = engine.store();
    let paths = paths_from_imported();
    assert_eq!(
        paths.len(),
        OrderStatus::ALL.len(),
        "every status is reachable"
    );
    for from in OrderStatus::ALL {
        for &to in from.next_allowed() {
            let id = new_order(store).await;
            for &step in &paths[&from] {
                store
                    .transition(id, step, Actor::System, "setup")
                    .await
                    .unwrap();
            }
            let applied = store
                .transition(id, to, Actor::Dealer, "under test")
                .await
                .unwrap();
            assert_eq!((applied.from, applied.to), (from, to));
            let events = store.order_events(id).await.unwrap();
            let last = events.last().unwrap();
            assert_eq!(
                (last.from, last.to, last.actor),
                (Some(from), to, Actor::Dealer)
            );
            assert_eq!(last.detail, "under test");
            assert_eq!(
                events.len(),
                paths[&from].len() + 2,
                "created + setup + this move"
            );
            assert_eq!(events[0].from, None);
            assert_eq!(events[0].to, OrderStatus::Imported);
        }
    }
}

#[tokio::test]
async fn forbidden_moves_fail_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let store = engine.store();

    let id = new_order(store).await;
    store
        .transition(
            id,
            OrderStatus::AwaitingAuthorization,
            Actor::Scheduler,
            "routed",
        )
        .await
        .unwrap();
    store
        .transition(id, OrderStatus::Authorized, Actor::Dealer, "authorized")
        .await
        .unwrap();
    let events_before = store.order_events(id).await.unwrap().len();
    let err = store
        .transition(id, OrderStatus::Authorized, Actor::Dealer, "again")
        .await
        .err()
        .unwrap();
    assert_eq!(err.code(), ErrorCode::InvalidTransition);
    assert!(
        err.to_string()
            .contains("is authorized; it cannot become authorized"),
        "{err}"
    );
    assert_eq!(store.order_events(id).await.unwrap().len(), events_before);

    let cancelled = new_order(store).await;
    store
        .transition(
            cancelled,
            OrderStatus::Cancelled,
            Actor::Dealer,
            "customer asked",
        )
        .await
        .unwrap();
    for to in [
        OrderStatus::Shipped,
        OrderStatus::Authorized,
        OrderStatus::Imported,
    ] {
        let err = store
            .transition(cancelled, to, Actor::System, "")
            .await
            .err()
            .unwrap();
        assert_eq!(err.code(), ErrorCode::InvalidTransition);
    }
    let summary = store
        .list_orders(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.id == cancelled)
        .unwrap();
    assert_eq!(summary.status, OrderStatus::Cancelled);

    let err = store
        .transition(999_999, OrderStatus::Cancelled, Actor::Dealer, "")
        .await
        .err()
        .unwrap();
    assert_eq!(err.code(), ErrorCode::InvalidTransition);
}

#[tokio::test]
async fn racing_authorizations_succeed_once() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let store = engine.store().clone();
    let id = new_order(&store).await;
    store
        .transition(
            id,
            OrderStatus::AwaitingAuthorization,
            Actor::Scheduler,
            "routed",
        )
        .await
        .unwrap();
    let attempts: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .transition(id, OrderStatus::Authorized, Actor::Dealer, "click")
                    .await
            })
        })
        .collect();
    let mut successes = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => successes += 1,
            Err(err) => assert_eq!(err.code(), ErrorCode::InvalidTransition),
        }
    }
    assert_eq!(successes, 1);
    let authorized_events = store
        .order_events(id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.to == OrderStatus::Authorized)
        .count();
    assert_eq!(authorized_events, 1);
}

#[tokio::test]
async fn attention_lives_exactly_as_long_as_the_stay_in_needs_attention() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let store = engine.store();
    let id = new_order(store).await;
    let held = Attention::routing(vec![
        RoutingProblem::PoBox,
        RoutingProblem::UnmappedSku {
            sku: "USD-9999".into(),
        },
    ]);
    store
        .transition(id, held.clone(), Actor::System, &held.reason)
        .await
        .unwrap();
    let detail = store.order_detail(id).await.unwrap();
    assert_eq!(detail.status, OrderStatus::NeedsAttention);
    assert_eq!(detail.attention.as_ref(), Some(&held));
    assert!(held.reason.contains("PO boxes"), "{}", held.reason);
    // Settings → SKU map lists the SKUs of orders held by the rules.
    assert!(!store.unmapped_skus().await.unwrap().is_empty());

    store
        .transition(id, OrderStatus::Imported, Actor::Dealer, "resolved")
        .await
        .unwrap();
    assert_eq!(store.order_detail(id).await.unwrap().attention, None);
    assert!(store.unmapped_skus().await.unwrap().is_empty());

    // Back again for another reason: nothing of the first stay is left.
    let declined = Attention::new(AttentionKind::Declined, "card expired");
    store
        .transition(id, OrderStatus::AwaitingAuthorization, Actor::Supplier, "")
        .await
        .unwrap();
    store
        .transition(id, declined.clone(), Actor::Supplier, "card expired")
        .await
        .unwrap();
    let detail = store.order_detail(id).await.unwrap();
    assert_eq!(detail.attention, Some(declined));
    assert!(detail.can_authorize);
}
