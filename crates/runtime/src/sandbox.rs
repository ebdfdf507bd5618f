//! The Sandbox world of one data dir: the loopback store (Shopify wire format) and the loopback
//! US Direct, attached when another process already serves them (`dealer sandbox serve`, the
//! app while a CLI command runs), else started here from their saved state; the sandbox
//! channel pointed at the store and the catalog's SKUs mapped to themselves. One `stop` ends
//! what this process started.

use dealer_core::domain::ChannelKind;
use dealer_core::seed::SANDBOX_CHANNEL;
use dealer_core::{Engine, Result};
use dealer_sandbox::{LocalSandbox, LocalSupplier, PlaceOrder, SandboxOrder, CATALOG};

use crate::invalid;

pub struct SandboxWorld {
    store: LocalSandbox,
    supplier: LocalSupplier,
}

impl SandboxWorld {
    pub async fn open(engine: &Engine) -> Result<Self> {
        let state_dir = engine.data_dir().join("sandbox");
        let store = LocalSandbox::attach_or_start(&state_dir)
            .await
            .map_err(|err| {
                invalid(
                    "sandbox",
                    format!("the sandbox store could not start: {err}"),
                )
            })?;
        let supplier = match LocalSupplier::attach_or_start(&state_dir).await {
            Ok(supplier) => supplier,
            Err(err) => {
                store.stop().await;
                return Err(invalid(
                    "sandbox",
                    format!("the sandbox supplier could not start: {err}"),
                ));
            }
        };
        let world = Self { store, supplier };
        if let Err(err) = world.prepare(engine).await {
            world.stop().await;
            return Err(err);
        }
        Ok(world)
    }

    /// Points the sandbox channel at the store and maps the catalog: the sandbox store sells
    /// US Direct's catalog under US Direct's own SKUs.
    async fn prepare(&self, engine: &Engine) -> Result<()> {
        engine
            .store()
            .ensure_channel(
                SANDBOX_CHANNEL,
                ChannelKind::Shopify,
                &self.store.url(),
                true,
            )
            .await?;
        let skus: Vec<&str> = CATALOG.iter().map(|item| item.sku).collect();
        engine.store().map_skus_to_themselves(&skus).await?;
        Ok(())
    }

    /// The sandbox store's URL.
    pub fn store_url(&self) -> String {
        self.store.url()
    }

    /// The sandbox US Direct this process serves (not when it attached to another's): tests
    /// look inside it.
    pub fn own_supplier(&self) -> Option<&dealer_sandbox::SandboxSupplier> {
        self.supplier.own()
    }

    /// The sandbox US Direct's API base.
    pub fn supplier_url(&self) -> String {
        self.supplier.url()
    }

    /// The onboarding guide's test order, placed as a shopper would.
    pub async fn place_test_order(&self) -> Result<SandboxOrder> {
        self.store
            .place_order(PlaceOrder::test_order())
            .await
            .map_err(|err| {
                invalid(
                    "sandbox",
                    format!("the sandbox store did not take the order: {err}"),
                )
            })
    }

    pub async fn stop(self) {
        self.supplier.stop().await;
        self.store.stop().await;
    }
}

/// Points the sandbox channel at the sandbox store at `store_url` and maps the catalog: the
/// sandbox store sells US Direct's catalog under US Direct's own SKUs.
pub async fn prepare_sandbox_channel(engine: &Engine, store_url: &str) -> Result<()> {
    engine
        .store()
        .ensure_channel(SANDBOX_CHANNEL, ChannelKind::Shopify, store_url, true)
        .await?;
    let skus: Vec<&str> = CATALOG.iter().map(|item| item.sku).collect();
    engine.store().map_skus_to_themselves(&skus).await?;
    Ok(())
}
