//! Counters of what the supplier served, for tests and benchmarks to assert on (not saved:
//! they count since this process started the supplier).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A snapshot of the supplier's counters. JSON in camelCase (`ordersCreated`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupplierStats {
    /// Requests to `/v1`, whatever became of them.
    pub api_requests: u64,
    /// Requests that reached an operation, by `operationId` (`createOrder`, `listChanges`,
    /// `getOrder`, `cancelOrder`, `authorizePayment`, `getItem`).
    pub requests: BTreeMap<String, u64>,
    /// `createOrder` requests that reached the operation (replays included).
    pub create_requests: u64,
    /// `authorizePayment` requests that reached the operation (replays included).
    pub authorize_requests: u64,
    /// Orders actually created.
    pub orders_created: u64,
    /// Authorizations that took effect (`Authorized`).
    pub authorizations_applied: u64,
    /// Authorizations answered `Declined`.
    pub declines: u64,
    /// Answers replayed from an idempotency record instead of acting again.
    pub replays: u64,
    /// `409 idempotency_key_reused` answers.
    pub key_reuses: u64,
    /// `401` answers.
    pub unauthorized: u64,
    /// `429` answers of the real rate limit.
    pub rate_limited: u64,
    /// Injected `500`/`503` answers (before the operation ran).
    pub injected_errors: u64,
    /// Injected `429` answers (before the operation ran).
    pub injected_rate_limits: u64,
    /// Connections closed without an answer after the operation ran.
    pub dropped: u64,
}

impl SupplierStats {
    pub(crate) fn operation(&mut self, operation: &str) {
        *self.requests.entry(operation.to_owned()).or_default() += 1;
        match operation {
            "createOrder" => self.create_requests += 1,
            "authorizePayment" => self.authorize_requests += 1,
            _ => {}
        }
    }
}
