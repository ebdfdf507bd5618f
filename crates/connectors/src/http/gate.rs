//! A shared "not before" time: when a store says its window is spent (BigCommerce's
//! `X-Rate-Limit-Requests-Left: 0`, or a 429), every request of that client waits, including
//! the ones running concurrently, instead of each finding out with its own 429.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// Longest a store may hold us by its window headers alone; beyond it they are not believed.
const LONGEST_HOLD: Duration = Duration::from_secs(300);

#[derive(Debug, Default)]
pub(crate) struct RateGate {
    open_at: Mutex<Option<Instant>>,
}

impl RateGate {
    /// Keeps the gate closed for `wait` from now (never shortens an existing hold).
    pub(crate) fn hold(&self, wait: Duration) {
        let until = Instant::now() + wait.min(LONGEST_HOLD);
        let mut open_at = self.open_at.lock().unwrap_or_else(PoisonError::into_inner);
        if open_at.is_none_or(|current| current < until) {
            *open_at = Some(until);
        }
    }

    /// Waits until the gate is open.
    pub(crate) async fn pass(&self) {
        loop {
            let open_at = *self.open_at.lock().unwrap_or_else(PoisonError::into_inner);
            match open_at {
                Some(at) if at > Instant::now() => tokio::time::sleep_until(at).await,
                _ => return,
            }
        }
    }

    /// How long the gate stays closed from now.
    #[cfg(test)]
    pub(crate) fn remaining(&self) -> Duration {
        let open_at = *self.open_at.lock().unwrap_or_else(PoisonError::into_inner);
        open_at
            .map(|at| at.saturating_duration_since(Instant::now()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn holds_every_caller_until_it_opens() {
        let gate = RateGate::default();
        gate.hold(Duration::from_millis(80));
        gate.hold(Duration::from_millis(10));
        assert!(
            gate.remaining() > Duration::from_millis(50),
            "a shorter hold must not win"
        );
        let started = Instant::now();
        tokio::join!(gate.pass(), gate.pass());
        assert!(started.elapsed() >= Duration::from_millis(75));
        assert_eq!(gate.remaining(), Duration::ZERO);
    }
}
