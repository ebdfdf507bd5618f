//! Errors of the sandbox's own API (starting a store or the supplier, editing their orders).

use std::path::PathBuf;

/// Why a sandbox operation failed.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("could not bind a loopback port for the sandbox store: {0}")]
    Bind(#[source] std::io::Error),
    #[error("could not use the sandbox state file {path}: {source}")]
    StateIo {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the sandbox state file {path} is not valid: {source}")]
    StateFormat {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("the sandbox store has no order with id {0}")]
    OrderNotFound(u64),
    #[error("order {0} is already cancelled")]
    AlreadyCancelled(u64),
    /// A fulfillment the order cannot take (no lines, more than is left to ship).
    #[error("invalid fulfillment: {0}")]
    InvalidFulfillment(String),
    #[error("the running sandbox store at {url} did not take the request: {detail}")]
    Remote { url: String, detail: String },
    #[error("the sandbox supplier has no order {0}")]
    SupplierOrderNotFound(String),
    /// The supplier order is not in a state that allows the change (`code` says why).
    #[error("{message}")]
    SupplierConflict { code: &'static str, message: String },
}

impl SandboxError {
    /// A stable code for the admin API's `{code, message}` error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Bind(_) => "bind",
            Self::StateIo { .. } => "state_io",
            Self::StateFormat { .. } => "state_format",
            Self::OrderNotFound(_) => "order_not_found",
            Self::AlreadyCancelled(_) => "already_cancelled",
            Self::InvalidFulfillment(_) => "invalid_fulfillment",
            Self::Remote { .. } => "remote",
            Self::SupplierOrderNotFound(_) => "order_not_found",
            Self::SupplierConflict { code, .. } => code,
        }
    }
}
