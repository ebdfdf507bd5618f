//! The encrypted store, through the engine's public API, on real SQLCipher files in temp dirs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod encryption;
mod import;
mod lifecycle;
mod orders;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use dealer_core::keys::{SecretStore, Unlock};
use dealer_core::secret::Sensitive;
use dealer_core::{Engine, OpenRequest};

pub const PASSPHRASE: &str = "correct horse battery staple";

/// A keyring in memory: the real Secret Service is exercised by the end-to-end tests.
#[derive(Default)]
pub struct MemoryKeyring(pub Mutex<HashMap<(String, String), String>>);

impl SecretStore for MemoryKeyring {
    fn get(&self, service: &str, account: &str) -> dealer_core::Result<Option<Sensitive<String>>> {
        let map = self.0.lock().unwrap();
        Ok(map
            .get(&(service.to_string(), account.to_string()))
            .cloned()
            .map(Sensitive::new))
    }

    fn set(
        &self,
        service: &str,
        account: &str,
        secret: &Sensitive<String>,
    ) -> dealer_core::Result<()> {
        self.0.lock().unwrap().insert(
            (service.to_string(), account.to_string()),
            secret.expose().clone(),
        );
        Ok(())
    }

    fn delete(&self, service: &str, account: &str) -> dealer_core::Result<()> {
        self.0
            .lock()
            .unwrap()
            .remove(&(service.to_string(), account.to_string()));
        Ok(())
    }
}

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
