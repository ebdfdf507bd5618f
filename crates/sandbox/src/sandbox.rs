//! `Sandbox`: all three stores at once, as the app's Sandbox mode and the CLI start them.

use serde_json::{json, Value};

use crate::error::SandboxError;
use crate::model::StoreKind;
use crate::store::{SandboxOptions, SandboxStore};

/// One running store of each kind, sharing options (and the state dir, one file per kind).
#[derive(Clone, Debug)]
pub struct Sandbox {
    pub shopify: SandboxStore,
    pub woocommerce: SandboxStore,
    pub bigcommerce: SandboxStore,
}

impl Sandbox {
    pub async fn start_all(options: SandboxOptions) -> Result<Sandbox, SandboxError> {
        Ok(Sandbox {
            shopify: SandboxStore::start(StoreKind::Shopify, options.clone()).await?,
            woocommerce: SandboxStore::start(StoreKind::Woocommerce, options.clone()).await?,
            bigcommerce: SandboxStore::start(StoreKind::Bigcommerce, options).await?,
        })
    }

    pub fn store(&self, kind: StoreKind) -> &SandboxStore {
        match kind {
            StoreKind::Shopify => &self.shopify,
            StoreKind::Woocommerce => &self.woocommerce,
            StoreKind::Bigcommerce => &self.bigcommerce,
        }
    }

    /// `{"shopify": url, "woocommerce": url, "bigcommerce": url}`: each store's base URL.
    pub fn urls_json(&self) -> Value {
        json!({
            "shopify": self.shopify.base_url(),
            "woocommerce": self.woocommerce.base_url(),
            "bigcommerce": self.bigcommerce.base_url(),
        })
    }

    pub async fn stop(self) {
        tokio::join!(
            self.shopify.stop(),
            self.woocommerce.stop(),
            self.bigcommerce.stop()
        );
    }
}
