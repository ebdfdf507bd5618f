//! What changed in the engine, told to whoever listens: the runtime wakes the outbox worker
//! when jobs are due, and the front ends reload what they show. The engine method that makes a
//! change publishes it, so no front end repeats "kick the outbox, tell the window" per command.

use tokio::sync::broadcast;

/// One change, as a listener needs to act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Orders changed (status, attention, details, shipments): views of orders reload.
    /// `reason` names what did it, for the window and the logs (`authorized`, `resolved`,
    /// `job_retried`, `job_cancelled`, `outbox`, `order_sync`, `scheduled_sync`, and `imported`
    /// while an Order Sync still runs).
    Orders { reason: &'static str },
    /// Outbox jobs were queued or made due now: the worker should run a pass.
    JobsDue,
    /// A sales channel was added, edited or removed: the mode (Sandbox or live) may differ.
    Channels,
    /// The import plan changed: the schedule takes the new interval.
    Plan,
    /// Scheduled syncing was paused or resumed.
    SyncPaused { paused: bool },
}

/// The engine's side of the channel. Publishing never blocks and never fails: a change nobody
/// listens to is simply dropped.
#[derive(Debug)]
pub struct Changes {
    sender: broadcast::Sender<Change>,
}

/// How many changes a slow listener may fall behind before it skips (it then reloads anyway).
const BACKLOG: usize = 256;

impl Changes {
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(BACKLOG);
        Self { sender }
    }

    pub fn publish(&self, change: Change) {
        let _ = self.sender.send(change);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.sender.subscribe()
    }
}

impl Default for Changes {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_listener_hears_each_change() {
        let changes = Changes::new();
        let mut first = changes.subscribe();
        let mut second = changes.subscribe();
        changes.publish(Change::JobsDue);
        assert_eq!(first.recv().await.ok(), Some(Change::JobsDue));
        assert_eq!(second.recv().await.ok(), Some(Change::JobsDue));
    }

    #[test]
    fn publishing_without_listeners_is_fine() {
        Changes::new().publish(Change::Plan);
    }
}
