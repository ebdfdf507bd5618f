//! The runtime's components, each one loop over its timer, its wake-ups and the stop signal,
//! started and restarted by the supervisor:
//!
//! - `schedule`: Order Sync on the dealer's plan interval;
//! - `outbox`: routes imported orders and runs due supplier and store jobs;
//! - `supplier`: reads US Direct's changes (shipments, holds) every few minutes and on demand;
//! - `changes`: turns the engine's change events into wake-ups and front-end events.

pub(crate) mod changes;
pub(crate) mod outbox;
pub(crate) mod schedule;
pub(crate) mod supplier;

use std::sync::Arc;

use dealer_connectors::Connector;
use dealer_core::Engine;
use tokio::sync::{watch, Notify};

use crate::sink::Sink;

/// What every component shares: the engine, the world, where events go, and the wake-ups
/// components give each other.
#[derive(Clone)]
pub(crate) struct Context {
    pub engine: Arc<Engine>,
    pub connector: Arc<Connector>,
    pub sink: Arc<dyn Sink>,
    pub controls: Arc<Controls>,
    pub stop: watch::Receiver<bool>,
}

/// Wake-ups. A `Notify` keeps one permit, so a wake-up given while a component is busy makes it
/// run once more afterwards rather than being lost.
#[derive(Default)]
pub(crate) struct Controls {
    /// Run the outbox now (jobs were queued or made due).
    pub outbox: Notify,
    /// Read US Direct's changes now (Order Sync asks for it).
    pub supplier: Notify,
    /// Start the schedule's interval again (the plan changed).
    pub replan: Notify,
}

impl Controls {
    pub fn kick_outbox(&self) {
        self.outbox.notify_one();
    }

    pub fn poll_supplier(&self) {
        self.supplier.notify_one();
    }

    pub fn replan(&self) {
        self.replan.notify_one();
    }
}
