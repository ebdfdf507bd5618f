//! Shopify's leaky bucket as a model, for tests: admits a query whose requested cost fits what
//! is available, charges its actual cost, refills at the restore rate.

use tokio::time::Instant;

use super::pacing::ThrottleStatus;

#[derive(Debug, Clone)]
pub(crate) struct FakeBucket {
    pub maximum: f64,
    pub restore_rate: f64,
    available: f64,
    at: Instant,
    pub throttled: u32,
    pub too_expensive: u32,
    pub charged: f64,
}

/// How the bucket answered a query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Admission {
    Admitted,
    Throttled,
    MaxCostExceeded,
}

impl FakeBucket {
    pub(crate) fn full(maximum: f64, restore_rate: f64, now: Instant) -> Self {
        Self {
            maximum,
            restore_rate,
            available: maximum,
            at: now,
            throttled: 0,
            too_expensive: 0,
            charged: 0.0,
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.available = (self.available + elapsed * self.restore_rate).min(self.maximum);
        self.at = self.at.max(now);
    }

    /// Admits (and charges `actual`) or refuses a query of `requested` points at `now`.
    pub(crate) fn query(&mut self, now: Instant, requested: f64, actual: f64) -> Admission {
        self.refill(now);
        if requested > self.maximum {
            self.too_expensive += 1;
            return Admission::MaxCostExceeded;
        }
        if requested > self.available {
            self.throttled += 1;
            return Admission::Throttled;
        }
        self.available -= actual;
        self.charged += actual;
        Admission::Admitted
    }

    pub(crate) fn status(&self) -> ThrottleStatus {
        ThrottleStatus {
            maximum_available: self.maximum,
            currently_available: self.available,
            restore_rate: self.restore_rate,
        }
    }
}
