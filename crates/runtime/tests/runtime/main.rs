//! The runtime as the front ends use it: over a real SQLCipher store in a temp dir, with the
//! Sandbox world (loopback store and US Direct) on real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod environments;
mod pass;
mod running;
mod schedule;
mod test_order;

use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dealer_core::keys::{MemoryKeyring, Unlock};
use dealer_core::lifecycle::OrderStatus;
use dealer_core::{Engine, OpenRequest};
use dealer_runtime::{RuntimeEvent, Sink};

pub async fn open_engine(dir: &Path) -> Engine {
    open_engine_with(dir, Arc::new(MemoryKeyring::default())).await
}

/// Opens the store with `keyring` (a second engine on the same store needs the same one).
pub async fn open_engine_with(dir: &Path, keyring: Arc<MemoryKeyring>) -> Engine {
    Engine::open_with_keyring(
        OpenRequest {
            data_dir: dir.to_path_buf(),
            unlock: Unlock::default(),
        },
        keyring,
    )
    .await
    .unwrap()
}

/// The one order's status.
pub async fn only_order_status(engine: &Engine) -> Option<(i64, OrderStatus)> {
    let page = engine
        .store()
        .order_page(
            &serde_json::from_value(serde_json::json!({ "limit": 10, "offset": 0 })).unwrap(),
        )
        .await
        .unwrap();
    page.orders.first().map(|order| (order.id, order.status))
}

/// Waits (up to a minute) for `check` to give a value.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    for _ in 0..600 {
        if let Some(value) = check().await {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Keeps every event, for the test to read.
#[derive(Default)]
pub struct Recorder(Mutex<Vec<RuntimeEvent>>);

impl Recorder {
    pub fn events(&self) -> Vec<RuntimeEvent> {
        self.0.lock().unwrap().clone()
    }
}

impl Sink for Recorder {
    fn send(&self, event: RuntimeEvent) {
        self.0.lock().unwrap().push(event);
    }
}
