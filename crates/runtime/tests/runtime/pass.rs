//! `pass_once`: what `dealer sync` does, in one call.

use std::sync::Arc;
use std::time::Duration;

use dealer_core::activity::SyncTrigger;
use dealer_core::keys::MemoryKeyring;
use dealer_core::lifecycle::OrderStatus;
use dealer_runtime::{JobsOutcome, PassOptions, Runtime};

use crate::{only_order_status, open_engine, open_engine_with, Recorder};

#[tokio::test]
async fn one_pass_imports_the_test_order_and_sends_it_to_us_direct() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = Runtime::open(open_engine(dir.path()).await).await.unwrap();
    let placed = runtime.place_test_order().await.unwrap();
    let events = Recorder::default();
    let pass = runtime
        .pass_once(
            PassOptions {
                trigger: SyncTrigger::Cli,
                only: None,
                job_wait: Duration::from_secs(60),
            },
            &events,
        )
        .await
        .unwrap();
    assert_eq!(pass.sync.channels.len(), 1);
    assert_eq!(pass.sync.channels[0].imported, 1);
    assert_eq!(pass.routed, 1);
    assert!(matches!(pass.jobs, JobsOutcome::Done));
    let (id, status) = only_order_status(runtime.engine()).await.unwrap();
    assert_eq!(status, OrderStatus::AwaitingAuthorization);
    let order = runtime.engine().store().order_detail(id).await.unwrap();
    assert_eq!(order.number, format!("#{}", placed.number));
    // The sync's progress reached the sink, ending with the last event.
    let progress: Vec<_> = events
        .events()
        .into_iter()
        .filter_map(|event| match event {
            dealer_runtime::RuntimeEvent::SyncProgress(progress) => Some(progress),
            _ => None,
        })
        .collect();
    assert!(progress.last().is_some_and(|last| last.finished));
    runtime.stop().await;
}

#[tokio::test]
async fn a_second_runtime_on_the_same_data_dir_attaches_to_the_running_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let keyring = Arc::new(MemoryKeyring::default());
    let first = Runtime::open(open_engine_with(dir.path(), keyring.clone()).await)
        .await
        .unwrap();
    first.place_test_order().await.unwrap();
    let store_url = first.engine().store().channels().await.unwrap()[0]
        .base_url
        .clone();
    // Another process would open its own engine; the store file allows a second pool.
    let second = Runtime::open(open_engine_with(dir.path(), keyring).await)
        .await
        .unwrap();
    let channels = second.engine().store().channels().await.unwrap();
    assert_eq!(
        channels[0].base_url, store_url,
        "one sandbox store per data dir"
    );
    second.stop().await;
    // The first still serves it: stopping the second did not stop the first's store.
    first.place_test_order().await.unwrap();
    first.stop().await;
}
