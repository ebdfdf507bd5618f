//! The item look-ups' pace: US Direct allows 2 requests per second per token
//! (docs/supplier-api.yaml, "Rate limit"). The US Direct client already spaces every request
//! of a token (dealer-connectors' rate gate); the engine keeps its own pace for item look-ups
//! too, so a 500-SKU match stays within the limit whatever `Supplier` it is given, and leaves
//! the outbox's orders their share of the gate.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::domain::Environment;

/// US Direct's documented limit for `getItem` (and every other call): 2 requests per second.
pub const ITEM_LOOKUPS_PER_SECOND: u32 = 2;

/// Hands out request slots at most `per_second` apart, per environment (each has its own
/// US Direct token). A slot is reserved under a short lock and waited for outside it, so
/// look-ups from several tasks share the one pace.
#[derive(Debug)]
pub struct Pacer {
    spacing: Duration,
    next: Mutex<HashMap<Environment, Instant>>,
}

impl Pacer {
    pub fn new(per_second: u32) -> Self {
        Self {
            // 5 ms over the exact spacing, as the client's gate: a server's clock that runs a
            // little ahead never sees three requests inside its second.
            spacing: Duration::from_millis(1000 / u64::from(per_second.max(1)) + 5),
            next: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for `environment`'s next slot.
    pub async fn wait(&self, environment: Environment) {
        let now = Instant::now();
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            let slot = next.get(&environment).copied().unwrap_or(now).max(now);
            next.insert(environment, slot + self.spacing);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }

    /// US Direct asked to wait `wait`: no slot before then.
    pub fn defer(&self, environment: Environment, wait: Duration) {
        let until = Instant::now() + wait;
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let slot = next.entry(environment).or_insert(until);
        *slot = (*slot).max(until);
    }
}

impl Default for Pacer {
    fn default() -> Self {
        Self::new(ITEM_LOOKUPS_PER_SECOND)
    }
}
