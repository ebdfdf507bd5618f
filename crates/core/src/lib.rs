//! Dealer Portal engine: the domain (orders, money, the order lifecycle), the encrypted store and
//! the keys that unlock it. Knows nothing of Tauri; the desktop shell and the `dealer` CLI both
//! call into it.

pub mod activity;
pub mod catalog;
pub mod changes;
pub mod channel;
mod channels;
pub mod credentials;
pub mod domain;
mod engine;
mod error;
pub mod export;
pub mod fulfillment;
pub mod holds;
pub mod keys;
pub mod lifecycle;
pub mod onboarding;
pub mod outbox;
mod panics;
pub mod paths;
pub mod problems;
pub mod reports;
pub mod scheduler;
pub mod secret;
pub mod seed;
pub mod settings;
pub mod shipments;
pub mod statement;
pub mod store;
pub mod supplier;
pub mod sync;
pub mod tracking;

pub use engine::{Engine, Mode, OpenRequest};
pub use error::{Error, ErrorCode, Result};

/// The application identifier: the Tauri bundle identifier and the keyring namespace.
pub const APP_IDENTIFIER: &str = "com.dealerportal.desktop";
