//! The encrypted store, through the engine's public API, on real SQLCipher files in temp dirs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod authorize;
mod cancel;
mod catalog;
mod dashboard;
mod encryption;
mod environments;
mod export;
mod fulfillment;
mod import;
mod late_and_stuck;
mod lifecycle;
mod onboarding;
mod onboarding_live;
mod order_sync;
mod orders;
mod page_loops;
mod resolve;
mod shipments;
mod statement;

use std::path::Path;
use std::sync::Arc;

use dealer_core::keys::{MemoryKeyring, Unlock};
use dealer_core::{Engine, OpenRequest};

pub const PASSPHRASE: &str = "correct horse battery staple";

pub async fn open_with_passphrase(dir: &Path, passphrase: &str) -> dealer_core::Result<Engine> {
    Engine::open(OpenRequest {
        data_dir: dir.to_path_buf(),
        unlock: Unlock::with_passphrase(passphrase.to_string()),
    })
    .await
}

pub async fn open_with_keyring(
    dir: &Path,
    keyring: Arc<MemoryKeyring>,
) -> dealer_core::Result<Engine> {
    Engine::open_with_keyring(
        OpenRequest {
            data_dir: dir.to_path_buf(),
            unlock: Unlock::default(),
        },
        keyring,
    )
    .await
}
