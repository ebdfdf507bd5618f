//! Sandbox and Live: the two worlds an order can belong to. An order belongs to its channel's
//! (the sandbox store's orders to the Sandbox, a real store's to Live), and every job queued for
//! it to the order's. Both are fixed when written: going live never moves a rehearsal order to
//! the real US Direct, and removing the last real store never sends a live job to the loopback
//! one.

use serde::{Deserialize, Serialize};

/// Stored as its snake_case name (`orders.environment`, `outbox_jobs.environment`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
#[sqlx(rename_all = "snake_case")]
pub enum Environment {
    /// The loopback sandbox store and US Direct: rehearsal, no real money.
    Sandbox,
    /// A real store and the dealer's US Direct account.
    Live,
}

impl Environment {
    pub const ALL: [Environment; 2] = [Environment::Sandbox, Environment::Live];

    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::Live => "live",
        }
    }

    /// The environment of a channel's orders.
    pub fn of_channel(is_sandbox: bool) -> Self {
        if is_sandbox {
            Environment::Sandbox
        } else {
            Environment::Live
        }
    }

    /// How the window and the CLI name it.
    pub fn label(self) -> &'static str {
        match self {
            Environment::Sandbox => "Sandbox",
            Environment::Live => "Live",
        }
    }
}

impl std::fmt::Display for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
