//! `Sandbox`: all three stores and the US Direct supplier at once, as the app's Sandbox mode
//! and the CLI start them.

use serde_json::{json, Value};

use crate::error::SandboxError;
use crate::model::StoreKind;
use crate::store::{SandboxOptions, SandboxStore};
use crate::supplier::{SandboxSupplier, SupplierOptions};

/// One running store of each kind and the supplier, sharing options (the state dir, one file
/// each, and the faults); the supplier otherwise runs with its defaults.
#[derive(Clone, Debug)]
pub struct Sandbox {
    pub shopify: SandboxStore,
    pub woocommerce: SandboxStore,
    pub bigcommerce: SandboxStore,
    pub supplier: SandboxSupplier,
}

impl Sandbox {
    pub async fn start_all(options: SandboxOptions) -> Result<Sandbox, SandboxError> {
        let supplier = SupplierOptions {
            state_dir: options.state_dir.clone(),
            faults: options.faults.clone(),
            ..SupplierOptions::default()
        };
        Ok(Sandbox {
            shopify: SandboxStore::start(StoreKind::Shopify, options.clone()).await?,
            woocommerce: SandboxStore::start(StoreKind::Woocommerce, options.clone()).await?,
            bigcommerce: SandboxStore::start(StoreKind::Bigcommerce, options).await?,
            supplier: SandboxSupplier::start(supplier).await?,
        })
    }

    pub fn store(&self, kind: StoreKind) -> &SandboxStore {
        match kind {
            StoreKind::Shopify => &self.shopify,
            StoreKind::Woocommerce => &self.woocommerce,
            StoreKind::Bigcommerce => &self.bigcommerce,
        }
    }

    /// `{"shopify": url, "woocommerce": url, "bigcommerce": url, "supplier": url}`: each
    /// store's base URL and the supplier's (`…/v1`).
    pub fn urls_json(&self) -> Value {
        json!({
            "shopify": self.shopify.base_url(),
            "woocommerce": self.woocommerce.base_url(),
            "bigcommerce": self.bigcommerce.base_url(),
            "supplier": self.supplier.base_url(),
        })
    }

    pub async fn stop(self) {
        tokio::join!(
            self.shopify.stop(),
            self.woocommerce.stop(),
            self.bigcommerce.stop(),
            self.supplier.stop()
        );
    }
}
