//! How the runtime tells a front end what happens: the app forwards each event to the window
//! and the tray, the CLI prints what it needs or nothing.

use dealer_core::problems::Problem;
use dealer_core::shipments::NewShipment;
use dealer_core::sync::{Progress, SyncProgress};

/// One thing a front end may show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeEvent {
    /// Where a running Order Sync is.
    SyncProgress(SyncProgress),
    /// Orders or activity changed: views reload. The reason names what did it (`order_sync`,
    /// `scheduled_sync`, `outbox`, `authorized`, `resolved`, `job_retried`, `job_cancelled`,
    /// `channels_changed`, …).
    Changed { reason: &'static str },
    /// Scheduled syncing was paused or resumed.
    SyncPaused { paused: bool },
    /// Shipments not announced before, each told once.
    Shipments(Vec<NewShipment>),
    /// Problems not told before (declined, refused, invalid tracking, late), each told once;
    /// the front end groups those that arrive together.
    Problems(Vec<Problem>),
    /// A component stopped unexpectedly and is started again.
    ComponentRestarted {
        component: &'static str,
        why: String,
    },
}

/// Where events go. Called from the runtime's tasks: keep it quick (hand slow work to a task).
pub trait Sink: Send + Sync + 'static {
    fn send(&self, event: RuntimeEvent);
}

/// Drops every event (a CLI command that prints its own report).
pub struct NoSink;

impl Sink for NoSink {
    fn send(&self, _event: RuntimeEvent) {}
}

/// An Order Sync's progress, as events.
pub(crate) struct SinkProgress<'a>(pub &'a dyn Sink);

impl Progress for SinkProgress<'_> {
    fn report(&self, progress: &SyncProgress) {
        self.0.send(RuntimeEvent::SyncProgress(progress.clone()));
    }
}
