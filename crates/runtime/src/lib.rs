//! Dealer Portal runtime: what runs around the engine, started the same way by both front ends.
//!
//! [`Runtime::open`] brings up the Sandbox world (the loopback store and US Direct of the data
//! dir, attached when another process serves them, else started here) and the connector that
//! reaches the stores and each environment's US Direct. From there:
//!
//! - [`Runtime::pass_once`] is one pass of everything, for `dealer sync`: import, route, run the
//!   supplier jobs, read US Direct's shipments, push their tracking.
//! - [`Runtime::start`] is what the app does: the import schedule, the outbox worker, the
//!   supplier sync and a listener on the engine's changes run as supervised components until
//!   [`Running::stop`]. Progress and changes reach the front end through a [`Sink`].
//!
//! Neither front end wires these parts by hand: the shell and the CLI only open the engine,
//! pick a sink and call one of the two.

mod components;
mod jobs;
mod pass;
mod running;
mod sandbox;
mod sink;
mod supervisor;

pub use jobs::{JobsOutcome, JOB_WAIT};
pub use pass::{PassError, PassOptions, PassReport};
pub use running::{restart_detail, Running};
pub use sandbox::{prepare_sandbox_channel, SandboxWorld};
pub use sink::{NoSink, RuntimeEvent, Sink};

use std::sync::Arc;

use dealer_connectors::Connector;
use dealer_core::{Engine, Result};
use dealer_sandbox::SandboxOrder;

/// The engine with the world it talks to.
pub struct Runtime {
    engine: Arc<Engine>,
    connector: Arc<Connector>,
    sandbox: Option<SandboxWorld>,
}

impl Runtime {
    /// Opens the runtime over an open engine, with the Sandbox world beside whatever is live
    /// (it costs next to nothing, and sandbox orders keep their own US Direct). On failure the
    /// engine is closed.
    pub async fn open(engine: Engine) -> Result<Self> {
        Self::open_with(engine, |connector| connector).await
    }

    /// [`open`](Self::open), with the connector adjusted (tests and benchmarks shorten waits).
    pub async fn open_with(
        engine: Engine,
        adjust: impl FnOnce(Connector) -> Connector,
    ) -> Result<Self> {
        let world = match SandboxWorld::open(&engine).await {
            Ok(world) => world,
            Err(err) => {
                engine.close().await;
                return Err(err);
            }
        };
        let connector = Connector::new(&engine, dealer_sandbox::SHOPIFY_TOKEN)
            .with_sandbox_supplier(&world.supplier_url(), dealer_sandbox::SUPPLIER_TOKEN);
        Ok(Self {
            engine: Arc::new(engine),
            connector: Arc::new(adjust(connector)),
            sandbox: Some(world),
        })
    }

    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    pub fn connector(&self) -> &Arc<Connector> {
        &self.connector
    }

    /// The Sandbox world beside the engine.
    pub fn sandbox(&self) -> Option<&SandboxWorld> {
        self.sandbox.as_ref()
    }

    /// A test order placed in the sandbox store as a shopper would: a rehearsal, in Sandbox
    /// mode or beside Live (it is a sandbox order, and only ever reaches the sandbox US Direct).
    pub async fn place_test_order(&self) -> Result<SandboxOrder> {
        match &self.sandbox {
            Some(world) => world.place_test_order().await,
            None => Err(invalid("sandbox", "the sandbox store is not running")),
        }
    }

    /// Stops the Sandbox world and closes the store.
    pub async fn stop(self) {
        if let Some(world) = self.sandbox {
            world.stop().await;
        }
        self.engine.close().await;
    }
}

/// An input error with the field it concerns and what to do.
pub(crate) fn invalid(field: &str, message: impl Into<String>) -> dealer_core::Error {
    dealer_core::Error::InvalidInput {
        field: field.into(),
        message: message.into(),
    }
}
