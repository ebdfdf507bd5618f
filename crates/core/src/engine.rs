//! The engine: an open store plus what the front ends ask of it.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::changes::{Change, Changes};
use crate::keys::{self, KeySource, OsKeyring, SecretStore, Unlock};
use crate::paths::DATABASE_FILE;
use crate::store::Store;
use crate::{Error, Result};

/// What a front end needs to open a store.
#[derive(Debug)]
pub struct OpenRequest {
    pub data_dir: PathBuf,
    pub unlock: Unlock,
}

/// Which world the app talks to. The window also sends it to say which test order it marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum Mode {
    /// Loopback servers stand in for the store and US Direct: safe to rehearse with.
    Sandbox,
    /// At least one real sales channel is connected.
    Live,
}

pub struct Engine {
    store: Store,
    changes: Changes,
    pub(crate) sync_running: std::sync::atomic::AtomicBool,
    data_dir: PathBuf,
    key_source: KeySource,
    /// Names this store's keyring entries (its key, its channels' credentials).
    store_id: String,
    keyring: std::sync::Arc<dyn SecretStore>,
    /// Item look-ups' pace at US Direct, shared by every caller ([`crate::catalog`]).
    pub(crate) item_pace: crate::catalog::Pacer,
}

impl Engine {
    /// Opens the store in `request.data_dir`, making it (and its key) on first run. The key
    /// comes from the OS keyring, or from the passphrase for stores made with one.
    pub async fn open(request: OpenRequest) -> Result<Self> {
        Self::open_with_keyring(request, std::sync::Arc::new(OsKeyring)).await
    }

    pub async fn open_with_keyring(
        request: OpenRequest,
        keyring: std::sync::Arc<dyn SecretStore>,
    ) -> Result<Self> {
        let data_dir = request.data_dir;
        create_private_dir(&data_dir)?;
        let db_path = data_dir.join(DATABASE_FILE);
        let is_new = !db_path.exists();
        // Keyring calls go over D-Bus and Argon2id takes tens of milliseconds: off the runtime.
        let (key, manifest) = {
            let data_dir = data_dir.clone();
            let keyring = keyring.clone();
            tokio::task::spawn_blocking(move || {
                keys::resolve(&data_dir, &request.unlock, is_new, keyring.as_ref())
            })
            .await
            .map_err(|err| Error::invalid("open", format!("key lookup stopped: {err}")))??
        };
        let store = Store::open(&db_path, &key, is_new)
            .await
            .map_err(|err| match err {
                Error::WrongKey { data_dir, .. } => Error::WrongKey {
                    data_dir,
                    source_name: match manifest.key_source {
                        KeySource::Keyring => "key in the OS keyring",
                        KeySource::Passphrase => "passphrase",
                    },
                },
                other => other,
            })?;
        tracing::info!(data_dir = %data_dir.display(), new = is_new, "store open");
        Ok(Self {
            store,
            changes: Changes::new(),
            sync_running: std::sync::atomic::AtomicBool::new(false),
            data_dir,
            key_source: manifest.key_source,
            store_id: manifest.store_id,
            keyring,
            item_pace: crate::catalog::Pacer::default(),
        })
    }

    /// The keyring this store's secrets live in.
    pub fn keyring(&self) -> &dyn SecretStore {
        self.keyring.as_ref()
    }

    /// The same keyring, shared (for a connector that outlives a borrow of the engine).
    pub fn keyring_handle(&self) -> std::sync::Arc<dyn SecretStore> {
        self.keyring.clone()
    }

    /// The id naming this store's keyring entries.
    pub fn store_id(&self) -> &str {
        &self.store_id
    }

    /// Tells listeners what changed (see [`Change`]).
    pub fn publish(&self, change: Change) {
        self.changes.publish(change);
    }

    /// Hears every change published from now on.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Change> {
        self.changes.subscribe()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn key_source(&self) -> KeySource {
        self.key_source
    }

    /// Sandbox until a real sales channel is connected.
    pub async fn mode(&self) -> Result<Mode> {
        let live = sqlx::query_scalar!(
            "SELECT count(*) FROM channels WHERE is_sandbox = 0 AND removed_at IS NULL"
        )
        .fetch_one(self.store.pool())
        .await?;
        Ok(if live > 0 { Mode::Live } else { Mode::Sandbox })
    }

    pub async fn close(&self) {
        self.store.close().await;
    }
}

fn create_private_dir(dir: &Path) -> Result<()> {
    crate::paths::private_dir(dir)
}
