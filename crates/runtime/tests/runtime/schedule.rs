//! The import schedule as a component of the running runtime: on the plan's interval, skipped
//! while paused, and on a new interval when the plan changes (from the engine's change event,
//! with no call to the schedule).

use std::sync::Arc;
use std::time::Duration;

use dealer_core::scheduler::Plan;
use dealer_runtime::{Runtime, RuntimeEvent};

use crate::{eventually, only_order_status, open_engine, Recorder};

/// The plans' intervals shrunk to milliseconds: Basic 400 ms, Plus and VIP 100 ms.
fn short_intervals(plan: Plan) -> Duration {
    Duration::from_millis(plan.interval().as_secs() / 9)
}

fn scheduled_runs(events: &Recorder) -> usize {
    events
        .events()
        .iter()
        .filter(|event| {
            **event
                == RuntimeEvent::Changed {
                    reason: "scheduled_sync",
                }
        })
        .count()
}

#[tokio::test]
async fn the_schedule_imports_on_the_plan_interval_and_skips_while_paused() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = Runtime::open(open_engine(dir.path()).await).await.unwrap();
    runtime.engine().set_plan(Plan::Basic).await.unwrap();
    runtime.place_test_order().await.unwrap();
    let events = Arc::new(Recorder::default());
    let running = runtime.start_with_intervals(events.clone(), short_intervals);

    // Nothing before the first interval (Basic: 400 ms here).
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(scheduled_runs(&events), 0);
    eventually("a scheduled sync", || async {
        (scheduled_runs(&events) >= 1).then_some(())
    })
    .await;
    let engine = running.engine().clone();
    eventually("the order imported by it", || async {
        only_order_status(&engine).await
    })
    .await;

    // Paused: several intervals pass without a sync.
    engine.set_sync_paused(true).await.unwrap();
    let before = scheduled_runs(&events);
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert!(
        scheduled_runs(&events) <= before + 1,
        "at most one already under way"
    );
    let paused_runs = scheduled_runs(&events);
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(scheduled_runs(&events), paused_runs, "no sync while paused");

    // Resumed on a faster plan: the schedule takes it from the engine's change event.
    engine.set_sync_paused(false).await.unwrap();
    engine.set_plan(Plan::Vip).await.unwrap();
    eventually("a sync after resuming", || async {
        (scheduled_runs(&events) > paused_runs).then_some(())
    })
    .await;
    running.stop().await;
}
