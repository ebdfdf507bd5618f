//! Listens to the engine's changes: queued jobs wake the outbox worker, a new plan restarts the
//! schedule, and the front end hears what to reload. So a command that authorizes, resolves or
//! retries only calls the engine; what follows comes from here.

use dealer_core::changes::Change;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;

use super::Context;
use crate::sink::RuntimeEvent;

/// `subscribed` is the subscription made when the runtime started (so nothing published right
/// after start is missed); a restart subscribes anew.
pub(crate) async fn run(cx: Context, subscribed: Option<Receiver<Change>>) {
    let mut stop = cx.stop.clone();
    let mut changes = subscribed.unwrap_or_else(|| cx.engine.subscribe());
    loop {
        let change = tokio::select! {
            change = changes.recv() => change,
            _ = stop.changed() => return,
        };
        match change {
            Ok(change) => apply(&cx, change),
            // Fell behind: act as if everything changed.
            Err(RecvError::Lagged(skipped)) => {
                tracing::debug!(skipped, "change listener fell behind");
                cx.controls.kick_outbox();
                cx.sink.send(RuntimeEvent::Changed { reason: "outbox" });
            }
            Err(RecvError::Closed) => return,
        }
    }
}

fn apply(cx: &Context, change: Change) {
    match change {
        Change::JobsDue => cx.controls.kick_outbox(),
        Change::Plan => cx.controls.replan(),
        Change::Orders { reason } => cx.sink.send(RuntimeEvent::Changed { reason }),
        Change::Channels => cx.sink.send(RuntimeEvent::Changed {
            reason: "channels_changed",
        }),
        Change::SyncPaused { paused } => cx.sink.send(RuntimeEvent::SyncPaused { paused }),
    }
}
