//! The shell's managed state: the engine once the store is open, or why it is still locked.

use std::path::PathBuf;
use std::sync::Arc;

use dealer_core::keys::{KeySource, Unlock};
use dealer_core::scheduler::Plan;
use dealer_core::{Engine, ErrorCode, OpenRequest};
use serde::Serialize;
use tauri::AppHandle;
use tokio::sync::RwLock;
use ts_rs::TS;

use crate::error::{CommandError, CommandResult};
use crate::services::Services;

/// What the window shows first: the app, or the unlock screen and why.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(tag = "state", rename_all = "snake_case")]
pub enum AppStatus {
    Ready {
        mode: dealer_core::Mode,
        key_source: KeySource,
        data_dir: String,
        sync_paused: bool,
        plan: Plan,
        version: String,
        #[ts(type = "number")]
        order_count: i64,
    },
    Locked {
        data_dir: String,
        code: ErrorCode,
        message: String,
        /// No store exists yet: a passphrase typed now makes one.
        new_store: bool,
        /// A passphrase can open (or make) this store.
        can_use_passphrase: bool,
        version: String,
    },
}

enum Gate {
    Locked {
        code: ErrorCode,
        message: String,
    },
    Ready(Arc<Services>),
    /// The app is quitting.
    Closed,
}

/// Built whole in `setup` and managed; the gate moves from locked to ready at most once.
pub struct AppState {
    data_dir: PathBuf,
    app: AppHandle,
    gate: RwLock<Gate>,
}

impl AppState {
    /// Opens the store in `data_dir` with what the environment offers (keyring, or
    /// `DEALER_PASSPHRASE`); a failure leaves the app locked with the reason.
    pub async fn open(data_dir: PathBuf, app: AppHandle) -> Self {
        let gate = Self::try_open(&data_dir, Unlock::from_env(), &app).await;
        Self {
            data_dir,
            app,
            gate: RwLock::new(gate),
        }
    }

    async fn try_open(data_dir: &std::path::Path, unlock: Unlock, app: &AppHandle) -> Gate {
        let opened = match Engine::open(OpenRequest {
            data_dir: data_dir.to_path_buf(),
            unlock,
        })
        .await
        {
            Ok(engine) => Services::start(engine, app).await,
            Err(err) => Err(err),
        };
        match opened {
            Ok(services) => Gate::Ready(Arc::new(services)),
            Err(err) => {
                tracing::warn!(code = ?err.code(), "store locked: {err}");
                Gate::Locked {
                    code: err.code(),
                    message: err.to_string(),
                }
            }
        }
    }

    /// What runs while the store is open, or `store_locked`.
    pub async fn services(&self) -> CommandResult<Arc<Services>> {
        match &*self.gate.read().await {
            Gate::Ready(services) => Ok(services.clone()),
            Gate::Locked { .. } | Gate::Closed => Err(CommandError::new(
                ErrorCode::StoreLocked,
                "The store is locked: unlock it first",
            )),
        }
    }

    /// The open engine, or `store_locked`.
    pub async fn engine(&self) -> CommandResult<Arc<Engine>> {
        Ok(self.services().await?.engine.clone())
    }

    /// The open engine if there is one, for background work that simply skips while locked.
    pub async fn engine_if_ready(&self) -> Option<Arc<Engine>> {
        self.engine().await.ok()
    }

    /// What the window should show. While locked, the store is tried again first: the dealer
    /// may have started their keyring or restored its entry since ("Check again").
    pub async fn status(&self) -> CommandResult<AppStatus> {
        {
            let mut gate = self.gate.write().await;
            if let Gate::Locked { .. } = &*gate {
                *gate = Self::try_open(&self.data_dir, Unlock::from_env(), &self.app).await;
            }
        }
        let version = env!("CARGO_PKG_VERSION").to_string();
        let data_dir = self.data_dir.display().to_string();
        match &*self.gate.read().await {
            Gate::Ready(services) => {
                let engine = &services.engine;
                Ok(AppStatus::Ready {
                    mode: engine.mode().await?,
                    key_source: engine.key_source(),
                    data_dir,
                    sync_paused: engine.sync_paused().await?,
                    plan: engine.plan().await?,
                    version,
                    order_count: engine.store().count_orders().await?,
                })
            }
            Gate::Closed => Err(CommandError::new(
                ErrorCode::StoreLocked,
                "Dealer Portal is quitting",
            )),
            Gate::Locked { code, message } => Ok(AppStatus::Locked {
                data_dir,
                code: *code,
                message: message.clone(),
                new_store: !self
                    .data_dir
                    .join(dealer_core::paths::DATABASE_FILE)
                    .exists(),
                can_use_passphrase: matches!(
                    code,
                    ErrorCode::KeyringUnavailable
                        | ErrorCode::PassphraseRequired
                        | ErrorCode::WrongKey
                ) && self.passphrase_can_help(),
                version,
            }),
        }
    }

    /// A passphrase helps a new store (where no keyring answered) or a passphrase store; it
    /// cannot open a store whose key lives in the keyring.
    fn passphrase_can_help(&self) -> bool {
        match dealer_core::keys::Manifest::read(&self.data_dir) {
            Ok(Some(manifest)) => manifest.key_source == KeySource::Passphrase,
            Ok(None) => true,
            Err(_) => false,
        }
    }

    /// Tries `passphrase` on the locked store. Wrong passphrases leave it locked.
    pub async fn unlock(&self, passphrase: String) -> CommandResult<AppStatus> {
        {
            let mut gate = self.gate.write().await;
            if let Gate::Locked { .. } = &*gate {
                let engine = Engine::open(OpenRequest {
                    data_dir: self.data_dir.clone(),
                    unlock: Unlock::with_passphrase(passphrase),
                })
                .await?;
                *gate = Gate::Ready(Arc::new(Services::start(engine, &self.app).await?));
                tracing::info!("store unlocked with a passphrase");
            }
        }
        self.status().await
    }

    /// Stops the schedule and the sandbox and closes the store.
    pub async fn close(&self) {
        let gate = std::mem::replace(&mut *self.gate.write().await, Gate::Closed);
        if let Gate::Ready(services) = gate {
            match Arc::try_unwrap(services) {
                Ok(services) => services.stop().await,
                // A command still holds them: at least leave the database clean.
                Err(shared) => shared.engine.close().await,
            }
        }
    }
}
