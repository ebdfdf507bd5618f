//! Stores for the benchmarks: keys in memory, since they measure the store, not the Secret Service.

use std::sync::Arc;

use dealer_core::keys::MemoryKeyring;
use dealer_core::{Engine, OpenRequest};

/// A new encrypted store in `dir`, its key in memory.
pub async fn open_store(dir: &std::path::Path) -> dealer_core::Result<Engine> {
    open_store_with(dir, Arc::new(MemoryKeyring::default())).await
}

/// The store in `dir`, made with its key in `keyring` if it is new; opening it again with the
/// same keyring finds the key.
pub async fn open_store_with(
    dir: &std::path::Path,
    keyring: Arc<MemoryKeyring>,
) -> dealer_core::Result<Engine> {
    Engine::open_with_keyring(
        OpenRequest {
            data_dir: dir.to_path_buf(),
            unlock: Default::default(),
        },
        keyring,
    )
    .await
}
