//! The shell's managed state: the running runtime once the store is open, or why it is still
//! locked.

use std::path::PathBuf;
use std::sync::Arc;

use dealer_core::keys::{KeySource, SecretStore, Unlock};
use dealer_core::scheduler::Plan;
use dealer_core::{Engine, ErrorCode, OpenRequest};
use dealer_runtime::{Running, Runtime as DealerRuntime};
use serde::Serialize;
use tauri::{AppHandle, Runtime};
use tokio::sync::RwLock;
use ts_rs::TS;

use crate::error::{CommandError, CommandResult};
use crate::sink::WindowSink;

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
        /// The live test order passed its three checks: the window opens on Orders, not on
        /// the onboarding guide.
        onboarding_complete: bool,
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
    Ready(Arc<Running>),
    /// The app is quitting.
    Closed,
}

/// Built whole in `setup` and managed; the gate moves from locked to ready at most once.
pub struct AppState<R: Runtime> {
    data_dir: PathBuf,
    /// What the environment offered at start (`DEALER_PASSPHRASE`, taken out of it then).
    unlock: Unlock,
    app: AppHandle<R>,
    keyring: Arc<dyn SecretStore>,
    gate: RwLock<Gate>,
}

impl<R: Runtime> AppState<R> {
    /// Opens the store in `data_dir` with what the environment offers (the keyring, or
    /// `DEALER_PASSPHRASE`); a failure leaves the app locked with the reason.
    pub async fn open(
        data_dir: PathBuf,
        unlock: Unlock,
        app: AppHandle<R>,
        keyring: Arc<dyn SecretStore>,
    ) -> Self {
        let gate = Self::try_open(&data_dir, unlock.clone(), &app, &keyring).await;
        Self {
            data_dir,
            unlock,
            app,
            keyring,
            gate: RwLock::new(gate),
        }
    }

    async fn try_open(
        data_dir: &std::path::Path,
        unlock: Unlock,
        app: &AppHandle<R>,
        keyring: &Arc<dyn SecretStore>,
    ) -> Gate {
        match Self::start(data_dir, unlock, app, keyring).await {
            Ok(running) => Gate::Ready(Arc::new(running)),
            Err(err) => {
                tracing::warn!(code = ?err.code(), "store locked: {err}");
                Gate::Locked {
                    code: err.code(),
                    message: err.to_string(),
                }
            }
        }
    }

    async fn start(
        data_dir: &std::path::Path,
        unlock: Unlock,
        app: &AppHandle<R>,
        keyring: &Arc<dyn SecretStore>,
    ) -> dealer_core::Result<Running> {
        let engine = Engine::open_with_keyring(
            OpenRequest {
                data_dir: data_dir.to_path_buf(),
                unlock,
            },
            keyring.clone(),
        )
        .await?;
        let runtime = DealerRuntime::open(engine).await?;
        let sink = WindowSink::new(app.clone(), runtime.engine().clone());
        Ok(runtime.start(Arc::new(sink)))
    }

    /// The running runtime, or `store_locked`.
    pub async fn running(&self) -> CommandResult<Arc<Running>> {
        match &*self.gate.read().await {
            Gate::Ready(running) => Ok(running.clone()),
            Gate::Locked { .. } | Gate::Closed => Err(CommandError::new(
                ErrorCode::StoreLocked,
                "The store is locked: unlock it first",
            )),
        }
    }

    /// The open engine, or `store_locked`.
    pub async fn engine(&self) -> CommandResult<Arc<Engine>> {
        Ok(self.running().await?.engine().clone())
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
                *gate = Self::try_open(
                    &self.data_dir,
                    self.unlock.clone(),
                    &self.app,
                    &self.keyring,
                )
                .await;
            }
        }
        let version = env!("CARGO_PKG_VERSION").to_string();
        let data_dir = self.data_dir.display().to_string();
        match &*self.gate.read().await {
            Gate::Ready(running) => {
                let engine = running.engine();
                Ok(AppStatus::Ready {
                    mode: engine.mode().await?,
                    key_source: engine.key_source(),
                    data_dir,
                    sync_paused: engine.sync_paused().await?,
                    plan: engine.plan().await?,
                    version,
                    onboarding_complete: engine.onboarding_complete().await?,
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
                let running = Self::start(
                    &self.data_dir,
                    Unlock::with_passphrase(passphrase),
                    &self.app,
                    &self.keyring,
                )
                .await?;
                *gate = Gate::Ready(Arc::new(running));
                tracing::info!("store unlocked with a passphrase");
            }
        }
        self.status().await
    }

    /// Stops the runtime and closes the store.
    pub async fn close(&self) {
        let gate = std::mem::replace(&mut *self.gate.write().await, Gate::Closed);
        if let Gate::Ready(running) = gate {
            match Arc::try_unwrap(running) {
                Ok(running) => running.stop().await,
                // A command still holds it: at least leave the database clean.
                Err(shared) => shared.engine().close().await,
            }
        }
    }
}
