//! A peer's "not before": when a store or US Direct tells a client to wait (a `Retry-After`, a
//! spent rate window), the time is kept in the store, so the next process (the next
//! `dealer sync` after a crash or a kill) honours it too instead of calling early.
//!
//! The connectors know only [`PeerHolds`]; the engine's store implements it. A hold is clamped to
//! [`MAX_RETRY_AFTER`] from now before it is written, whatever the peer said.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::outbox::MAX_RETRY_AFTER;
use crate::store::Store;
use crate::{Engine, Result};

/// Until when each peer (by origin, `scheme://host:port`) asked not to be called.
#[async_trait]
pub trait PeerHolds: Send + Sync {
    /// The time `origin` may be called again, when it is still ahead of `now`.
    async fn held_until(&self, origin: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>>;

    /// `origin` asked not to be called for `wait` from `now` (at most [`MAX_RETRY_AFTER`]).
    async fn hold(&self, origin: &str, now: DateTime<Utc>, wait: std::time::Duration)
        -> Result<()>;
}

/// `now + wait`, the wait clamped to [`MAX_RETRY_AFTER`]: never an overflow.
pub fn hold_end(now: DateTime<Utc>, wait: std::time::Duration) -> DateTime<Utc> {
    let wait = chrono::Duration::from_std(wait.min(MAX_RETRY_AFTER)).unwrap_or_default();
    now.checked_add_signed(wait).unwrap_or(now)
}

/// A peer's wait as the dealer reads it: "until 14:32 UTC (60 min)", from now; the wait is
/// the clamped one, never the peer's own number.
pub fn wait_text(wait: std::time::Duration) -> String {
    let wait = wait.min(MAX_RETRY_AFTER);
    let until = hold_end(Utc::now(), wait).format("%H:%M UTC");
    let secs = wait.as_secs().max(1);
    if secs < 120 {
        format!("until {until} ({secs} s)")
    } else {
        format!("until {until} ({} min)", secs.div_ceil(60))
    }
}

#[async_trait]
impl PeerHolds for Store {
    async fn held_until(&self, origin: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        // A hold is never longer than MAX_RETRY_AFTER from when it was heard; a row further
        // ahead (a clock set back since) is not believed beyond that from now.
        let until = self.peer_held_until(origin, now).await?;
        Ok(until.map(|until| until.min(hold_end(now, MAX_RETRY_AFTER))))
    }

    async fn hold(
        &self,
        origin: &str,
        now: DateTime<Utc>,
        wait: std::time::Duration,
    ) -> Result<()> {
        self.hold_peer(origin, hold_end(now, wait)).await
    }
}

impl Engine {
    /// The store's record of the peers' holds, for a connector that outlives a borrow of the
    /// engine.
    pub fn peer_holds(&self) -> Arc<dyn PeerHolds> {
        Arc::new(self.store().clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_wait_reads_as_the_clamped_one() {
        let text = wait_text(std::time::Duration::from_secs(9_999_999_999_999));
        assert!(text.ends_with("(60 min)"), "{text}");
        assert!(!text.contains("9999"), "{text}");
        assert!(wait_text(std::time::Duration::from_secs(3)).ends_with("(3 s)"));
    }

    #[test]
    fn a_hold_ends_an_hour_ahead_at_most() {
        let now = Utc::now();
        let huge = std::time::Duration::from_secs(9_999_999_999_999);
        assert_eq!(hold_end(now, huge), now + chrono::Duration::hours(1));
        assert_eq!(
            hold_end(now, std::time::Duration::from_secs(30)),
            now + chrono::Duration::seconds(30)
        );
    }
}
