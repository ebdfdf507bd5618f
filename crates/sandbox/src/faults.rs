//! Fault injection for the API routes: each request draws from a seeded RNG, so a run with the
//! same seed and the same request order fails the same way. One draw picks at most one fault,
//! so each rate is the share of requests that get that fault: latency first (always), then a
//! dropped connection, then a 429, then a 5xx.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// What goes wrong, and how often. `Faults::default()` is a well-behaved store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Share of API requests answered 500 or 503 with the format's JSON error body.
    pub error_rate: f64,
    /// Share of API requests answered 429 with `Retry-After: retry_after_secs`.
    pub rate_limit_rate: f64,
    pub retry_after_secs: u64,
    /// Share of API requests whose connection is closed without an answer.
    pub drop_rate: f64,
    /// Added to every API request, faulty or not.
    #[serde(rename = "latency_ms", with = "millis")]
    pub latency: Duration,
    pub seed: u64,
    /// Shopify only: answer a cost throttle (`THROTTLED`) with HTTP 429 instead of 200. Shopify
    /// does both, so clients must handle both.
    pub throttled_as_429: bool,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            error_rate: 0.0,
            rate_limit_rate: 0.0,
            retry_after_secs: 1,
            drop_rate: 0.0,
            latency: Duration::ZERO,
            seed: 0,
            throttled_as_429: false,
        }
    }
}

/// What happens to one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    None,
    Drop,
    RateLimit { retry_after_secs: u64 },
    ServerError { status: u16 },
}

pub(crate) struct FaultInjector {
    faults: Faults,
    rng: StdRng,
}

impl FaultInjector {
    pub(crate) fn new(faults: Faults) -> Self {
        let rng = StdRng::seed_from_u64(faults.seed);
        Self { faults, rng }
    }

    pub(crate) fn faults(&self) -> &Faults {
        &self.faults
    }

    /// The latency to add and the fault to inject. Draws the same amount of randomness every
    /// time so one request's outcome never shifts the next one's.
    pub(crate) fn draw(&mut self) -> (Duration, Fault) {
        let roll: f64 = self.rng.gen();
        let pick_503: bool = self.rng.gen();
        let drop = share(self.faults.drop_rate);
        let rate_limit = drop + share(self.faults.rate_limit_rate);
        let error = rate_limit + share(self.faults.error_rate);
        let fault = if roll < drop {
            Fault::Drop
        } else if roll < rate_limit {
            Fault::RateLimit {
                retry_after_secs: self.faults.retry_after_secs,
            }
        } else if roll < error {
            Fault::ServerError {
                status: if pick_503 { 503 } else { 500 },
            }
        } else {
            Fault::None
        };
        (self.faults.latency, fault)
    }
}

fn share(rate: f64) -> f64 {
    if rate.is_nan() {
        0.0
    } else {
        rate.clamp(0.0, 1.0)
    }
}

pub(crate) mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        value: &Duration,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(u64::try_from(value.as_millis()).unwrap_or(u64::MAX))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Duration, D::Error> {
        u64::deserialize(deserializer).map(Duration::from_millis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcomes(faults: Faults, n: usize) -> Vec<Fault> {
        let mut injector = FaultInjector::new(faults);
        (0..n).map(|_| injector.draw().1).collect()
    }

    #[test]
    fn rates_and_repeatability() {
        let faults = Faults {
            error_rate: 0.2,
            rate_limit_rate: 0.1,
            drop_rate: 0.05,
            seed: 42,
            ..Faults::default()
        };
        let a = outcomes(faults.clone(), 10_000);
        assert_eq!(a, outcomes(faults.clone(), 10_000));
        let count = |f: fn(&Fault) -> bool| a.iter().filter(|o| f(o)).count();
        let errors = count(|o| matches!(o, Fault::ServerError { .. }));
        let limits = count(|o| matches!(o, Fault::RateLimit { .. }));
        let drops = count(|o| matches!(o, Fault::Drop));
        assert!((1800..2200).contains(&errors), "{errors}");
        assert!((850..1150).contains(&limits), "{limits}");
        assert!((400..600).contains(&drops), "{drops}");
        let other_seed = outcomes(Faults { seed: 43, ..faults }, 10_000);
        assert_ne!(a, other_seed);
    }

    #[test]
    fn no_faults_by_default_and_json_round_trip() {
        assert!(outcomes(Faults::default(), 1000)
            .iter()
            .all(|o| *o == Fault::None));
        let json = serde_json::json!({"error_rate": 1.0, "latency_ms": 25});
        let faults: Faults = serde_json::from_value(json).unwrap();
        assert_eq!(faults.latency, Duration::from_millis(25));
        assert_eq!(faults.retry_after_secs, 1);
        assert_eq!(serde_json::to_value(&faults).unwrap()["latency_ms"], 25);
    }
}
