//! `start`: the runtime as the app runs it. The components react to the engine's change events:
//! a command only calls the engine.

use std::sync::Arc;

use dealer_core::activity::SyncTrigger;
use dealer_core::domain::Actor;
use dealer_core::lifecycle::OrderStatus;
use dealer_runtime::{Runtime, RuntimeEvent};

use crate::{eventually, only_order_status, open_engine, Recorder};

#[tokio::test]
async fn order_sync_then_authorize_reach_us_direct_with_no_kick_from_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = Runtime::open(open_engine(dir.path()).await).await.unwrap();
    runtime.place_test_order().await.unwrap();
    let events = Arc::new(Recorder::default());
    let running = runtime.start(events.clone());

    running.order_sync(SyncTrigger::Window).await.unwrap();
    let engine = running.engine().clone();
    let id = eventually(
        "the order to be routed and placed with US Direct",
        || async {
            match only_order_status(&engine).await {
                Some((id, OrderStatus::AwaitingAuthorization)) => Some(id),
                _ => None,
            }
        },
    )
    .await;

    // What the window's Authorize button does: one engine call, nothing else.
    engine.authorize(&[id], Actor::Dealer).await.unwrap();
    eventually("US Direct to accept the payment", || async {
        (only_order_status(&engine).await == Some((id, OrderStatus::Processing))).then_some(())
    })
    .await;

    let events = events.events();
    for reason in ["order_sync", "authorized", "outbox"] {
        assert!(
            events.contains(&RuntimeEvent::Changed { reason }),
            "no {reason} change in {events:?}"
        );
    }
    running.stop().await;
}

#[tokio::test]
async fn pausing_reaches_the_sink_from_the_engine() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = Runtime::open(open_engine(dir.path()).await).await.unwrap();
    let events = Arc::new(Recorder::default());
    let running = runtime.start(events.clone());
    running.engine().set_sync_paused(true).await.unwrap();
    eventually("the pause to reach the sink", || async {
        events
            .events()
            .contains(&RuntimeEvent::SyncPaused { paused: true })
            .then_some(())
    })
    .await;
    running.stop().await;
}
