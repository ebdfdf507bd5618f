//! [`Connector`]: the engine's [`Connect`] for real and sandbox channels: it finds a channel's
//! credentials (the keyring, or the sandbox's own token) and makes its client.

use std::sync::Arc;

use dealer_core::channel::{Credentials, Platform, Platforms, SalesChannel};
use dealer_core::domain::{ChannelKind, Environment};
use dealer_core::keys::SecretStore;
use dealer_core::secret::Sensitive;
use dealer_core::store::Channel;
use dealer_core::supplier::{Supplier, Suppliers};
use dealer_core::sync::Connect;
use dealer_core::{credentials, Engine};

use crate::usdirect::{SupplierPolicy, UsDirectClient};
use crate::{client_with_policy, Holds, HttpPolicy};

pub struct Connector {
    keyring: Arc<dyn SecretStore>,
    store_id: String,
    /// The sandbox store's token: not a secret, and needed where no keyring answers.
    sandbox_token: String,
    policy: HttpPolicy,
    /// The sandbox supplier's API base and token, when it runs.
    sandbox_supplier: Option<(String, String)>,
    supplier_policy: SupplierPolicy,
    /// The engine's record of the waits peers asked for: every client made here keeps them,
    /// and honours those an earlier process heard.
    holds: Holds,
}

impl Connector {
    pub fn new(engine: &Engine, sandbox_token: &str) -> Self {
        Self {
            keyring: engine.keyring_handle(),
            store_id: engine.store_id().to_string(),
            sandbox_token: sandbox_token.to_string(),
            policy: HttpPolicy::default(),
            sandbox_supplier: None,
            supplier_policy: SupplierPolicy::default(),
            holds: Holds::new(engine.peer_holds()),
        }
    }

    /// The same, with another retry policy (tests and benchmarks shorten the waits).
    pub fn with_policy(mut self, policy: HttpPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// A policy with the engine's holds, unless it brings its own.
    fn keeping_holds(&self, policy: &HttpPolicy) -> HttpPolicy {
        let mut policy = policy.clone();
        if !policy.holds.is_kept() {
            policy.holds = self.holds.clone();
        }
        policy
    }

    fn supplier_policy(&self) -> SupplierPolicy {
        SupplierPolicy {
            http: self.keeping_holds(&self.supplier_policy.http),
            ..self.supplier_policy.clone()
        }
    }
}

impl Connector {
    /// The sandbox supplier (its API base and non-secret token), for sandbox orders.
    pub fn with_sandbox_supplier(mut self, base_url: &str, token: &str) -> Self {
        self.sandbox_supplier = Some((base_url.to_string(), token.to_string()));
        self
    }

    /// The same, with another US Direct policy (tests and benchmarks raise the rate).
    pub fn with_supplier_policy(mut self, policy: SupplierPolicy) -> Self {
        self.supplier_policy = policy;
        self
    }

    /// The US Direct of each environment that can be reached now: the sandbox supplier (when
    /// the Sandbox world runs) for sandbox orders, the dealer's connected account for live
    /// ones. Neither stands in for the other: an environment without its own US Direct is
    /// simply absent, and its jobs wait.
    pub async fn suppliers(&self, engine: &Engine) -> dealer_core::Result<Suppliers> {
        let mut suppliers = Suppliers::default();
        if let Some((url, token)) = &self.sandbox_supplier {
            let client = UsDirectClient::with_policy(
                url,
                Sensitive::new(token.clone()),
                self.supplier_policy(),
            )?;
            suppliers = suppliers.with(Environment::Sandbox, Arc::new(client));
        }
        if let Some(client) = self.live_supplier(engine).await? {
            suppliers = suppliers.with(Environment::Live, Arc::new(client));
        }
        Ok(suppliers)
    }

    /// The dealer's US Direct account, when connected (its URL in the settings, its token in
    /// the keyring). Never the sandbox supplier: an account pointed at it is refused.
    pub async fn live_supplier(
        &self,
        engine: &Engine,
    ) -> dealer_core::Result<Option<UsDirectClient>> {
        let Some(url) = engine.supplier_connection().await?.url else {
            return Ok(None);
        };
        if let Some((sandbox_url, _)) = &self.sandbox_supplier {
            if same_base(&url, sandbox_url) {
                return Err(dealer_core::Error::invalid(
                    "supplier_url",
                    format!(
                        "the US Direct account points at the sandbox supplier ({url}); connect \
                         your real US Direct account in Settings"
                    ),
                ));
            }
        }
        let Some(token) = credentials::load_supplier_token(self.keyring.as_ref(), &self.store_id)?
        else {
            return Ok(None);
        };
        Ok(Some(UsDirectClient::with_policy(
            &url,
            token,
            self.supplier_policy(),
        )?))
    }
}

impl Connector {
    /// Test connection of the US Direct account for live orders: reads one item with the saved
    /// address and token. Any answer but a refusal of the token proves it (an unknown SKU is
    /// such an answer). The engine records the outcome; the account as it now stands is
    /// returned, with the failure, if any, as its `last_error`.
    pub async fn test_supplier(
        &self,
        engine: &Engine,
    ) -> dealer_core::Result<dealer_core::fulfillment::SupplierConnection> {
        use dealer_core::fulfillment::SupplierCheckOutcome;
        /// A SKU no catalog holds: "not found" is the expected answer.
        const PROBE_SKU: &str = "DEALER-PORTAL-CONNECTION-CHECK";
        let not_connected = || {
            dealer_core::Error::invalid(
                "supplier",
                "US Direct is not connected: enter its API address and token in Settings → \
                 US Direct account (or `dealer supplier connect --url …`)",
            )
        };
        let client = self
            .live_supplier(engine)
            .await?
            .ok_or_else(not_connected)?;
        let outcome = match client.get_item(PROBE_SKU).await {
            Ok(_) => SupplierCheckOutcome::Accepted,
            Err(err) => SupplierCheckOutcome::Failed(err),
        };
        engine.record_supplier_check(outcome).await
    }
}

/// Two API bases name the same server (scheme, host and port; `localhost` is not told apart
/// from `127.0.0.1` here, which only errs on the safe side for the check above).
fn same_base(a: &str, b: &str) -> bool {
    let origin = |url: &str| {
        reqwest::Url::parse(url.trim()).ok().map(|url| {
            let host = match url.host_str() {
                Some("localhost") | Some("[::1]") | Some("::1") => "127.0.0.1".to_string(),
                Some(host) => host.to_ascii_lowercase(),
                None => String::new(),
            };
            (url.scheme().to_string(), host, url.port_or_known_default())
        })
    };
    matches!((origin(a), origin(b)), (Some(x), Some(y)) if x == y)
}

impl Platforms for Connector {
    fn platform(&self, kind: ChannelKind) -> &dyn Platform {
        crate::platform(kind)
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
            self.keeping_holds(&self.policy),
        )
    }
}
