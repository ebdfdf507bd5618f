//! What runs while the store is open: the engine, the channel connector, the import schedule
//! and, in the Sandbox, the loopback store. Built whole when the store opens; stopped on exit.

use std::sync::Arc;

use dealer_connectors::Connector;
use dealer_core::domain::ChannelKind;
use dealer_core::scheduler::Scheduler;
use dealer_core::seed::SANDBOX_CHANNEL;
use dealer_core::Engine;
use dealer_sandbox::{LocalSandbox, LocalSupplier, PlaceOrder, SandboxOrder, CATALOG};
use tauri::AppHandle;

use crate::outbox_runner::OutboxRunner;
use crate::progress::WindowProgress;

pub struct Services {
    pub engine: Arc<Engine>,
    pub connector: Arc<Connector>,
    scheduler: Scheduler,
    /// Routes orders and runs the supplier jobs.
    pub outbox: OutboxRunner,
    /// The loopback store that plays the dealer's store in the Sandbox.
    sandbox: LocalSandbox,
    /// The loopback US Direct of the Sandbox.
    supplier: LocalSupplier,
}

impl Services {
    pub async fn start(engine: Engine, app: &AppHandle) -> dealer_core::Result<Self> {
        let engine = Arc::new(engine);
        // The loopback store always runs (it costs next to nothing), so the Sandbox works again
        // the moment the last real store is removed; it is only synced in Sandbox mode.
        let sandbox = LocalSandbox::attach_or_start(&engine.data_dir().join("sandbox"))
            .await
            .map_err(|err| dealer_core::Error::InvalidInput {
                field: "sandbox".into(),
                message: format!("the sandbox store could not start: {err}"),
            })?;
        let state_dir = engine.data_dir().join("sandbox");
        let supplier = match LocalSupplier::attach_or_start(&state_dir).await {
            Ok(supplier) => supplier,
            Err(err) => {
                sandbox.stop().await;
                return Err(dealer_core::Error::InvalidInput {
                    field: "sandbox".into(),
                    message: format!("the sandbox supplier could not start: {err}"),
                });
            }
        };
        engine
            .store()
            .ensure_channel(SANDBOX_CHANNEL, ChannelKind::Shopify, &sandbox.url(), true)
            .await?;
        // The sandbox store sells US Direct's catalog under US Direct's own SKUs.
        let skus: Vec<&str> = CATALOG.iter().map(|item| item.sku).collect();
        engine.store().map_skus_to_themselves(&skus).await?;
        let connector = Arc::new(
            Connector::new(&engine, dealer_sandbox::SHOPIFY_TOKEN)
                .with_sandbox_supplier(&supplier.url(), dealer_sandbox::SUPPLIER_TOKEN),
        );
        let window = Arc::new(WindowProgress::new(app.clone()));
        let scheduler = Scheduler::start(engine.clone(), connector.clone(), window.clone(), window);
        let outbox = OutboxRunner::start(engine.clone(), connector.clone(), app.clone());
        Ok(Self {
            engine,
            connector,
            scheduler,
            outbox,
            sandbox,
            supplier,
        })
    }

    /// The onboarding guide's test order, placed in the sandbox store as a shopper would.
    pub async fn place_sandbox_test_order(&self) -> dealer_core::Result<SandboxOrder> {
        self.sandbox
            .place_order(PlaceOrder::test_order())
            .await
            .map_err(|err| dealer_core::Error::InvalidInput {
                field: "sandbox".into(),
                message: format!("the sandbox store did not take the order: {err}"),
            })
    }

    /// Restarts the schedule's interval (after a plan change).
    pub async fn replan(&self) {
        self.scheduler.replan().await;
    }

    pub async fn stop(self) {
        self.scheduler.stop().await;
        self.outbox.stop().await;
        self.supplier.stop().await;
        self.sandbox.stop().await;
        self.engine.close().await;
    }
}
