//! An in-memory keyring: the benchmarks measure import, not the Secret Service.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use dealer_core::keys::SecretStore;
use dealer_core::secret::Sensitive;
use dealer_core::{Engine, OpenRequest};

#[derive(Default)]
pub struct MemoryKeyring(Mutex<HashMap<(String, String), String>>);

impl SecretStore for MemoryKeyring {
    fn get(&self, service: &str, account: &str) -> dealer_core::Result<Option<Sensitive<String>>> {
        let map = self.0.lock().unwrap_or_else(|poison| poison.into_inner());
        Ok(map
            .get(&(service.into(), account.into()))
            .cloned()
            .map(Sensitive::new))
    }

    fn set(
        &self,
        service: &str,
        account: &str,
        secret: &Sensitive<String>,
    ) -> dealer_core::Result<()> {
        let mut map = self.0.lock().unwrap_or_else(|poison| poison.into_inner());
        map.insert((service.into(), account.into()), secret.expose().clone());
        Ok(())
    }

    fn delete(&self, service: &str, account: &str) -> dealer_core::Result<()> {
        let mut map = self.0.lock().unwrap_or_else(|poison| poison.into_inner());
        map.remove(&(service.into(), account.into()));
        Ok(())
    }
}

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
