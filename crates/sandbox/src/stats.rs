//! Counters of what a store served and injected, for tests and benchmarks to assert on.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// A snapshot of a store's counters since it started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Requests to API routes (everything but `/_sandbox`), faulty or not.
    pub api_requests: u64,
    /// Injected 500/503 answers.
    pub injected_errors: u64,
    /// Injected 429 answers.
    pub injected_rate_limits: u64,
    /// Connections closed without an answer.
    pub dropped: u64,
    /// Shopify `THROTTLED` answers (the cost bucket was short).
    pub throttled: u64,
    /// Shopify `MAX_COST_EXCEEDED` answers.
    pub max_cost_exceeded: u64,
    /// Orders included in API answers (a listed or fetched order counts each time).
    pub orders_served: u64,
    /// Shopify cost points taken from the bucket (the actual cost of each answered query).
    pub cost_points_consumed: u64,
    /// Cancel writes received through the API (Shopify `orderCancel`, WooCommerce status
    /// `cancelled`, BigCommerce `status_id` 5), including ones for an order already cancelled:
    /// a client that cancels once sends one.
    #[serde(default)]
    pub api_cancels: u64,
}

#[derive(Default)]
pub(crate) struct StatsCounters {
    pub api_requests: AtomicU64,
    pub injected_errors: AtomicU64,
    pub injected_rate_limits: AtomicU64,
    pub dropped: AtomicU64,
    pub throttled: AtomicU64,
    pub max_cost_exceeded: AtomicU64,
    pub orders_served: AtomicU64,
    pub cost_points_consumed: AtomicU64,
    pub api_cancels: AtomicU64,
}

impl StatsCounters {
    pub(crate) fn bump(counter: &AtomicU64) {
        Self::add(counter, 1);
    }

    pub(crate) fn add(counter: &AtomicU64, amount: u64) {
        counter.fetch_add(amount, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> Stats {
        let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        Stats {
            api_requests: get(&self.api_requests),
            injected_errors: get(&self.injected_errors),
            injected_rate_limits: get(&self.injected_rate_limits),
            dropped: get(&self.dropped),
            throttled: get(&self.throttled),
            max_cost_exceeded: get(&self.max_cost_exceeded),
            orders_served: get(&self.orders_served),
            cost_points_consumed: get(&self.cost_points_consumed),
            api_cancels: get(&self.api_cancels),
        }
    }
}
