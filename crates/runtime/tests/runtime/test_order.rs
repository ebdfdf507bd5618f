//! The onboarding guide's "Place a test order" goes to the sandbox store, in Sandbox mode or
//! beside a live store: it is a rehearsal, a sandbox order for good.

use std::time::Duration;

use dealer_core::activity::SyncTrigger;
use dealer_core::channel::Credentials;
use dealer_core::domain::{ChannelKind, Environment};
use dealer_core::secret::Sensitive;
use dealer_core::Mode;
use dealer_runtime::{PassOptions, Runtime};

use crate::{only_order_status, open_engine, Recorder};

#[tokio::test]
async fn a_test_order_beside_a_live_store_is_a_sandbox_order() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = Runtime::open(open_engine(dir.path()).await).await.unwrap();
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

    let placed = runtime.place_test_order().await.unwrap();
    let sandbox = engine
        .store()
        .channels()
        .await
        .unwrap()
        .into_iter()
        .find(|channel| channel.is_sandbox)
        .unwrap();
    let pass = runtime
        .pass_once(
            PassOptions {
                trigger: SyncTrigger::Window,
                only: Some(sandbox.id),
                job_wait: Duration::from_secs(60),
            },
            &Recorder::default(),
        )
        .await
        .unwrap();
    assert_eq!(pass.sync.imported(), 1, "{:?}", pass.sync);
    let (id, _) = only_order_status(&engine).await.unwrap();
    let order = engine.store().order_detail(id).await.unwrap();
    assert_eq!(order.number, format!("#{}", placed.number));
    assert_eq!(order.environment, Environment::Sandbox);
    assert_ne!(order.channel_id, live.id);
    runtime.stop().await;
}
