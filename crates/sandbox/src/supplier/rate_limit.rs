//! The contract's rate limit: `rate` requests per second per token, as a token bucket that
//! holds up to `ceil(rate)` requests (so 2/s allows a burst of 2, then one every 500 ms).
//! Beyond it: `429 rate_limited` with `Retry-After` in whole seconds (at least 1). Every
//! answer carries `X-RateLimit-Limit` and `X-RateLimit-Remaining`; with the limit off (rate
//! 0) there is no limit to report and neither header is sent.

use std::collections::HashMap;
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Verdict {
    Unlimited,
    Allowed { limit: u64, remaining: u64 },
    Limited { limit: u64, retry_after_secs: u64 },
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    refilled: Instant,
}

#[derive(Debug)]
pub(crate) struct RateLimiter {
    rate: f64,
    buckets: HashMap<String, Bucket>,
}

impl RateLimiter {
    pub(crate) fn new(rate: f64) -> Self {
        Self {
            rate: sane(rate),
            buckets: HashMap::new(),
        }
    }

    /// A new rate starts every token's bucket full again.
    pub(crate) fn set_rate(&mut self, rate: f64) {
        let rate = sane(rate);
        if rate != self.rate {
            self.rate = rate;
            self.buckets.clear();
        }
    }

    fn capacity(&self) -> f64 {
        self.rate.ceil().max(1.0)
    }

    /// Takes one request from `token`'s bucket, if it has one.
    pub(crate) fn check(&mut self, token: &str, now: Instant) -> Verdict {
        if self.rate == 0.0 {
            return Verdict::Unlimited;
        }
        let (rate, capacity) = (self.rate, self.capacity());
        let bucket = self
            .buckets
            .entry(token.to_owned())
            .or_insert_with(|| Bucket {
                tokens: capacity,
                refilled: now,
            });
        let elapsed = now.saturating_duration_since(bucket.refilled).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(capacity);
        bucket.refilled = now;
        let limit = capacity as u64;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Verdict::Allowed {
                limit,
                remaining: bucket.tokens.floor() as u64,
            }
        } else {
            let wait = ((1.0 - bucket.tokens) / rate).ceil();
            Verdict::Limited {
                limit,
                retry_after_secs: (wait as u64).max(1),
            }
        }
    }
}

fn sane(rate: f64) -> f64 {
    if rate.is_finite() && rate > 0.0 {
        rate
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn two_per_second_per_token() {
        let mut limiter = RateLimiter::new(2.0);
        let start = Instant::now();
        let allowed = |remaining| Verdict::Allowed {
            limit: 2,
            remaining,
        };
        assert_eq!(limiter.check("a", start), allowed(1));
        assert_eq!(limiter.check("a", start), allowed(0));
        assert_eq!(
            limiter.check("a", start),
            Verdict::Limited {
                limit: 2,
                retry_after_secs: 1
            }
        );
        assert_eq!(limiter.check("b", start), allowed(1), "per token");
        let later = start + Duration::from_millis(500);
        assert_eq!(limiter.check("a", later), allowed(0));
        let much_later = start + Duration::from_secs(10);
        assert_eq!(limiter.check("a", much_later), allowed(1), "never above 2");
    }

    #[test]
    fn slow_rates_wait_longer_and_zero_is_off() {
        let mut limiter = RateLimiter::new(0.25);
        let start = Instant::now();
        assert!(matches!(limiter.check("a", start), Verdict::Allowed { .. }));
        assert_eq!(
            limiter.check("a", start),
            Verdict::Limited {
                limit: 1,
                retry_after_secs: 4
            }
        );
        limiter.set_rate(0.0);
        assert_eq!(limiter.check("a", start), Verdict::Unlimited);
    }
}
