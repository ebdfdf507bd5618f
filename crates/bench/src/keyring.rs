//! Stores for the benchmarks: keys in memory, since they measure import, not the Secret Service.

use std::sync::Arc;

use dealer_core::keys::MemoryKeyring;
use dealer_core::{Engine, OpenRequest};

/// A new encrypted store in `dir`, its key in memory.
pub async fn open_store(dir: &std::path::Path) -> dealer_core::Result<Engine> {
    Engine::open_with_keyring(
        OpenRequest {
            data_dir: dir.to_path_buf(),
            unlock: Default::default(),
        },
        Arc::new(MemoryKeyring::default()),
    )
    .await
}
