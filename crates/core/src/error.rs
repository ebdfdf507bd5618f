//! The engine's error type, and the stable codes the window and the CLI match on.

use std::path::PathBuf;

use serde::Serialize;

use crate::lifecycle::TransitionError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of failure this is, for a front end to decide what to show (an unlock screen, a
/// field error, a retry button). Crosses IPC as the `code` of `{ code, message }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum ErrorCode {
    /// No OS keyring answered; a passphrase can be used instead.
    KeyringUnavailable,
    /// The store is locked with a passphrase and none was given.
    PassphraseRequired,
    /// The key or passphrase does not open this store.
    WrongKey,
    /// The store's key is not in the keyring.
    KeyMissing,
    /// The store is not open yet (the window is waiting for a passphrase).
    StoreLocked,
    /// The order's status does not allow this step.
    InvalidTransition,
    NotFound,
    InvalidInput,
    /// The database failed (disk full, corrupt file, ...).
    Storage,
    /// The same work is already running (a second Order Sync click, say).
    AlreadyRunning,
    /// A sales channel refused or failed (the message says what to check).
    Channel,
    Internal,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "No OS keyring is reachable ({detail}). Dealer Portal keeps its database key in the \
         keyring (Secret Service on Linux). Start your desktop's keyring, or use a passphrase \
         instead: enter one in the window, or set DEALER_PASSPHRASE for headless use."
    )]
    KeyringUnavailable { detail: String },

    #[error(
        "The store in {data_dir} is locked with a passphrase. Enter it in the window, or set \
         DEALER_PASSPHRASE."
    )]
    PassphraseRequired { data_dir: PathBuf },

    #[error(
        "The {source_name} does not unlock the store in {data_dir}. Nothing was changed. Check the \
         {source_name}, or point --data-dir at the store it belongs to."
    )]
    WrongKey {
        data_dir: PathBuf,
        source_name: &'static str,
    },

    #[error(
        "The key of the store in {data_dir} is not in the OS keyring (service {service}, entry \
         {account}). Nothing was changed. Restore the keyring entry, or move the data dir aside to \
         start a new, empty store."
    )]
    KeyMissing {
        data_dir: PathBuf,
        service: String,
        account: String,
    },

    #[error("The store manifest {path} cannot be read: {message}. Nothing was changed.")]
    BadManifest { path: PathBuf, message: String },

    #[error(transparent)]
    Transition(#[from] TransitionError),

    #[error("{channel}: {source}")]
    Channel {
        channel: String,
        #[source]
        source: crate::channel::ChannelError,
    },

    #[error("{what} was not found")]
    NotFound { what: String },

    #[error("{what} is already running; wait for it to finish")]
    AlreadyRunning { what: String },

    #[error("{field}: {message}")]
    InvalidInput { field: String, message: String },

    #[error("The database failed: {0}")]
    Database(#[from] sqlx::Error),

    #[error("The database schema could not be brought up to date: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::KeyringUnavailable { .. } => ErrorCode::KeyringUnavailable,
            Error::PassphraseRequired { .. } => ErrorCode::PassphraseRequired,
            Error::WrongKey { .. } => ErrorCode::WrongKey,
            Error::KeyMissing { .. } => ErrorCode::KeyMissing,
            Error::BadManifest { .. } => ErrorCode::Storage,
            Error::Transition(_) => ErrorCode::InvalidTransition,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::AlreadyRunning { .. } => ErrorCode::AlreadyRunning,
            Error::Channel { .. } => ErrorCode::Channel,
            Error::Database(_) | Error::Migration(_) | Error::Io { .. } => ErrorCode::Storage,
        }
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// Input the dealer can correct: `field` names it, `message` says what to change.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.to_string(),
            message: message.into(),
        }
    }
}
