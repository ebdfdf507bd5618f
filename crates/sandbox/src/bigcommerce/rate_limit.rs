//! BigCommerce's rate-limit headers, sent on every API answer: a fixed window of
//! `X-Rate-Limit-Time-Window-Ms` with `X-Rate-Limit-Requests-Quota` requests, how many are left
//! and when the window resets. The quota is generous and only reported, not enforced: 429s come
//! from the fault injector (seeded, so tests stay repeatable), and those report 0 left.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::fault_layer::InjectedRateLimit;
use crate::state::{lock, StoreState};

const WINDOW: Duration = Duration::from_secs(30);
const QUOTA: u64 = 10_000;

#[derive(Debug)]
pub(crate) struct RateWindow {
    started: Instant,
    used: u64,
}

impl Default for RateWindow {
    fn default() -> Self {
        Self {
            started: Instant::now(),
            used: 0,
        }
    }
}

impl RateWindow {
    /// Counts a request; returns (requests left, ms until the window resets).
    fn record(&mut self) -> (u64, u64) {
        let now = Instant::now();
        if now.duration_since(self.started) >= WINDOW {
            self.started = now;
            self.used = 0;
        }
        self.used += 1;
        let reset = WINDOW.saturating_sub(now.duration_since(self.started));
        (
            QUOTA.saturating_sub(self.used),
            u64::try_from(reset.as_millis()).unwrap_or(u64::MAX),
        )
    }
}

pub(crate) async fn rate_limit_headers(
    State(state): State<Arc<StoreState>>,
    request: Request,
    next: Next,
) -> Response {
    let (left, reset_ms) = lock(&state.rate_window).record();
    let mut response = next.run(request).await;
    // An injected 429 is a spent quota that comes back when its Retry-After says, so clients
    // that wait for the reset wait as long as the fault asked, not for the whole window.
    let (left, reset_ms) = if response.extensions().get::<InjectedRateLimit>().is_some() {
        let retry_after_ms = state.faults().retry_after_secs.saturating_mul(1000);
        (0, retry_after_ms.min(reset_ms))
    } else {
        (left, reset_ms)
    };
    let window_ms = u64::try_from(WINDOW.as_millis()).unwrap_or(u64::MAX);
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-rate-limit-requests-left", left),
        ("x-rate-limit-requests-quota", QUOTA),
        ("x-rate-limit-time-window-ms", window_ms),
        ("x-rate-limit-time-reset-ms", reset_ms),
    ] {
        headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
    }
    response
}
