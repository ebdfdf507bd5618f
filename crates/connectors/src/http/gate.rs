//! A shared "not before" time: when a server says its window is spent (BigCommerce's
//! `X-Rate-Limit-Requests-Left: 0`, or a 429), every request through the gate waits, including
//! the ones running concurrently, instead of each finding out with its own 429.
//!
//! A gate also paces: with a spacing, each request reserves the next free start time, so
//! concurrent callers together never start two requests closer than that. The supplier limits
//! requests per token, not per client object, so its clients share one gate per base URL and
//! token across the process ([`RateGate::shared`]).

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};
use std::time::Duration;

use tokio::time::Instant;

/// Longest a server may hold us by its window headers alone; beyond it they are not believed.
const LONGEST_HOLD: Duration = Duration::from_secs(300);

/// Gates by keyed hash of their identity; a gate is forgotten once no client holds it.
type Registry = HashMap<u64, Weak<RateGate>>;

#[derive(Debug, Default)]
pub(crate) struct RateGate {
    open_at: Mutex<Option<Instant>>,
    pace: Mutex<Pace>,
}

#[derive(Debug, Default)]
struct Pace {
    /// The earliest start the next caller may reserve.
    next: Option<Instant>,
    /// When the last paced caller actually went through.
    last: Option<Instant>,
}

impl RateGate {
    /// The gate of everyone in this process who calls with `identity` (a base URL and a token,
    /// say). Only a keyed hash of the identity is kept, under a key made at start-up, so the
    /// table holds nothing that could be matched to a token elsewhere.
    pub(crate) fn shared(identity: &[&str]) -> Arc<RateGate> {
        // A process-wide table is the point here: two clients built for the same token (the
        // outbox worker's and a Settings check, say) must count against one limit.
        static GATES: OnceLock<(RandomState, Mutex<Registry>)> = OnceLock::new();
        let (keys, gates) = GATES.get_or_init(Default::default);
        let key = keys.hash_one(identity);
        let mut gates = gates.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(gate) = gates.get(&key).and_then(Weak::upgrade) {
            return gate;
        }
        gates.retain(|_, gate| gate.strong_count() > 0);
        let gate = Arc::new(RateGate::default());
        gates.insert(key, Arc::downgrade(&gate));
        gate
    }

    /// Keeps the gate closed for `wait` from now (never shortens an existing hold).
    pub(crate) fn hold(&self, wait: Duration) {
        let until = Instant::now() + wait.min(LONGEST_HOLD);
        let mut open_at = self.open_at.lock().unwrap_or_else(PoisonError::into_inner);
        if open_at.is_none_or(|current| current < until) {
            *open_at = Some(until);
        }
    }

    /// Waits until the gate is open and, with a `spacing`, until this caller's turn: at least
    /// `spacing` after the previous caller went through.
    pub(crate) async fn pass(&self, spacing: Duration) {
        loop {
            let held = self.remaining();
            if !held.is_zero() {
                tokio::time::sleep(held).await;
                continue;
            }
            if spacing.is_zero() {
                return;
            }
            let turn = {
                let mut pace = self.pace.lock().unwrap_or_else(PoisonError::into_inner);
                let now = Instant::now();
                let turn = pace.next.map_or(now, |next| next.max(now));
                pace.next = Some(turn + spacing);
                turn
            };
            tokio::time::sleep_until(turn).await;
            // A 429 may have closed the gate while this caller waited for its turn.
            if !self.remaining().is_zero() {
                continue;
            }
            if self.go_through(spacing).await {
                return;
            }
        }
    }

    /// Records this caller's start, unless the one before it woke late and went through less
    /// than `spacing` ago: then waits the difference (turns are reserved ahead, starts are
    /// what the server counts). False when the gate closed meanwhile.
    async fn go_through(&self, spacing: Duration) -> bool {
        loop {
            let wait_until = {
                let mut pace = self.pace.lock().unwrap_or_else(PoisonError::into_inner);
                let now = Instant::now();
                match pace.last.map(|last| last + spacing) {
                    Some(free) if free > now => free,
                    _ => {
                        pace.last = Some(now);
                        pace.next = Some(pace.next.map_or(now, |next| next.max(now + spacing)));
                        return true;
                    }
                }
            };
            tokio::time::sleep_until(wait_until).await;
            if !self.remaining().is_zero() {
                return false;
            }
        }
    }

    /// How long the gate stays closed from now.
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
        tokio::join!(gate.pass(Duration::ZERO), gate.pass(Duration::ZERO));
        assert!(started.elapsed() >= Duration::from_millis(75));
        assert_eq!(gate.remaining(), Duration::ZERO);
    }

    /// Virtual time: the instants are exactly the turns the gate gave.
    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_start_a_spacing_apart() {
        let gate = RateGate::default();
        let spacing = Duration::from_millis(30);
        let started = Instant::now();
        let mut starts = futures_util::future::join_all((0..5).map(|_| async {
            gate.pass(spacing).await;
            Instant::now()
        }))
        .await;
        starts.sort();
        for pair in starts.windows(2) {
            assert!(pair[1] - pair[0] >= spacing, "{:?}", pair[1] - pair[0]);
        }
        assert!(starts[4] - started < spacing * 5, "no turn was wasted");
    }

    #[tokio::test(start_paused = true)]
    async fn a_hold_during_the_wait_for_a_turn_is_honoured() {
        let gate = Arc::new(RateGate::default());
        let spacing = Duration::from_millis(100);
        gate.pass(spacing).await;
        let waiting = tokio::spawn({
            let gate = gate.clone();
            async move {
                gate.pass(spacing).await;
                Instant::now()
            }
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        let held_at = Instant::now();
        gate.hold(Duration::from_secs(1));
        let passed_at = waiting.await.unwrap();
        assert!(passed_at - held_at >= Duration::from_secs(1));
    }

    #[test]
    fn one_gate_per_identity() {
        let a = RateGate::shared(&["https://api.example/v1", "token-a"]);
        let again = RateGate::shared(&["https://api.example/v1", "token-a"]);
        let other = RateGate::shared(&["https://api.example/v1", "token-b"]);
        assert!(Arc::ptr_eq(&a, &again));
        assert!(!Arc::ptr_eq(&a, &other));
        drop((a, again));
        // Dropped gates are forgotten, not kept for the life of the process.
        let fresh = RateGate::shared(&["https://api.example/v1", "token-a"]);
        assert_eq!(Arc::strong_count(&fresh), 1);
    }
}
