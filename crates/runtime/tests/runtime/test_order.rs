//! The onboarding guide's "Place a test order" goes to the sandbox store only while the app is
//! in the Sandbox: with a live store connected the dealer places it in their own store.

use std::time::Duration;

use dealer_core::activity::SyncTrigger;
use dealer_core::channel::Credentials;
use dealer_core::domain::ChannelKind;
use dealer_core::secret::Sensitive;
use dealer_core::{ErrorCode, Mode};
use dealer_runtime::{PassOptions, Runtime, SandboxPolicy};

use crate::{only_order_status, open_engine, Recorder};

#[tokio::test]
async fn a_test_order_is_refused_while_a_live_store_is_connected() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = Runtime::open(open_engine(dir.path()).await, SandboxPolicy::Always)
        .await
        .unwrap();
    let engine = runtime.engine().clone();
    let live = engine
        .add_channel(
            runtime.connector().as_ref(),
            ChannelKind::Woocommerce,
            "My shop",
            "https://shop.example.com",
            &Credentials::KeySecret {
                key: Sensitive::new("ck_live".to_string()),
                secret: Sensitive::new("cs_live".to_string()),
            },
        )
        .await
        .unwrap();
    assert_eq!(engine.mode().await.unwrap(), Mode::Live);

    let err = runtime.place_test_order().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        err.to_string(),
        "mode: a live store is connected: place the test order in your store"
    );

    // Back in the Sandbox the button works again, and the sandbox store holds only that order:
    // the refused one never reached it.
    engine.remove_channel(live.id).await.unwrap();
    let placed = runtime.place_test_order().await.unwrap();
    let pass = runtime
        .pass_once(
            PassOptions {
                trigger: SyncTrigger::Window,
                only: None,
                job_wait: Duration::from_secs(60),
            },
            &Recorder::default(),
        )
        .await
        .unwrap();
    assert_eq!(pass.sync.imported(), 1, "{:?}", pass.sync);
    let (id, _) = only_order_status(&engine).await.unwrap();
    assert_eq!(
        engine.store().order_detail(id).await.unwrap().number,
        format!("#{}", placed.number)
    );
    runtime.stop().await;
}
