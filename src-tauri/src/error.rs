//! The one error type that crosses IPC: `{ code, message }`.

use dealer_core::ErrorCode;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
}

impl CommandError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<dealer_core::Error> for CommandError {
    fn from(err: dealer_core::Error) -> Self {
        tracing::warn!(code = ?err.code(), "command failed: {err}");
        Self::new(err.code(), err.to_string())
    }
}

impl From<tauri::Error> for CommandError {
    fn from(err: tauri::Error) -> Self {
        tracing::error!("window failure: {err}");
        Self::new(ErrorCode::Internal, err.to_string())
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
