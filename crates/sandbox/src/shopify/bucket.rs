//! Shopify's cost-based rate limit: a leaky bucket of points per store. A query may run when
//! its requested cost fits in what is currently available; the requested points are taken up
//! front and the unused part (requested − actual) is given back afterwards. The bucket refills
//! at `restore_rate` points per second up to `maximum_available`.

use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The bucket's size and refill speed (Shopify's standard plan: 1000 points, 50 per second).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShopifyBucket {
    pub maximum_available: f64,
    pub restore_rate: f64,
}

impl Default for ShopifyBucket {
    fn default() -> Self {
        Self {
            maximum_available: 1000.0,
            restore_rate: 50.0,
        }
    }
}

/// Why a query may not run now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Refusal {
    /// More than the bucket can ever hold.
    MaxCostExceeded,
    /// Not enough points yet; this many seconds until there are.
    Throttled { wait_secs: f64 },
}

#[derive(Debug)]
pub(crate) struct CostBucket {
    config: ShopifyBucket,
    available: f64,
    refilled_at: Instant,
}

impl CostBucket {
    pub(crate) fn new(config: ShopifyBucket) -> Self {
        Self {
            config,
            available: config.maximum_available,
            refilled_at: Instant::now(),
        }
    }

    /// Takes `requested` points, or says why not.
    pub(crate) fn take(&mut self, requested: u64) -> Result<(), Refusal> {
        self.refill();
        let requested = requested as f64;
        if requested > self.config.maximum_available {
            return Err(Refusal::MaxCostExceeded);
        }
        if requested > self.available {
            let missing = requested - self.available;
            let wait_secs = if self.config.restore_rate > 0.0 {
                missing / self.config.restore_rate
            } else {
                f64::INFINITY
            };
            return Err(Refusal::Throttled { wait_secs });
        }
        self.available -= requested;
        Ok(())
    }

    /// Gives back points a query was charged but did not use.
    pub(crate) fn refund(&mut self, points: u64) {
        self.refill();
        self.available = (self.available + points as f64).min(self.config.maximum_available);
    }

    pub(crate) fn maximum(&self) -> f64 {
        self.config.maximum_available
    }

    /// `extensions.cost.throttleStatus`, as Shopify prints it (available in whole points).
    pub(crate) fn throttle_status(&mut self) -> Value {
        self.refill();
        json!({
            "maximumAvailable": self.config.maximum_available,
            "currentlyAvailable": self.available.floor() as u64,
            "restoreRate": self.config.restore_rate,
        })
    }

    fn refill(&mut self) {
        let now = Instant::now();
        let elapsed = now.duration_since(self.refilled_at).as_secs_f64();
        self.refilled_at = now;
        self.available = (self.available + elapsed * self.config.restore_rate)
            .min(self.config.maximum_available);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_refund_and_refuse() {
        let mut bucket = CostBucket::new(ShopifyBucket {
            maximum_available: 100.0,
            restore_rate: 0.0,
        });
        assert_eq!(bucket.take(101), Err(Refusal::MaxCostExceeded));
        assert_eq!(bucket.take(60), Ok(()));
        bucket.refund(20);
        assert_eq!(bucket.throttle_status()["currentlyAvailable"], 60);
        assert!(matches!(bucket.take(61), Err(Refusal::Throttled { .. })));
        assert_eq!(bucket.take(60), Ok(()));
        bucket.refund(500);
        assert_eq!(bucket.throttle_status()["currentlyAvailable"], 100);
    }

    #[test]
    fn refills_over_time() {
        let mut bucket = CostBucket::new(ShopifyBucket {
            maximum_available: 100.0,
            restore_rate: 1000.0,
        });
        assert_eq!(bucket.take(100), Ok(()));
        std::thread::sleep(std::time::Duration::from_millis(30));
        assert!(bucket.take(20).is_ok());
    }
}
