//! The outbox: every external effect (create the supplier order, authorize its payment, cancel
//! it, write tracking to the store) is a job row written in the same transaction as the status
//! change that needs it. A worker claims due jobs one at a time under a lease, calls out with the
//! job's idempotency key, and writes the outcome together with the order's next status. A worker
//! that dies leaves its job `running`; the next worker reclaims it (its process is gone, or its
//! lease ran out) and calls again with the same key, so the supplier acts once.
//!
//! - [`queue`]: the table: enqueue, claim under a lease, reschedule with backoff, finish.
//! - [`worker`]: the dispatch loop (claim → handler → finish) and what a failure means.
//! - one [`handler::Handler`] per job kind, each in its own file: it reads the job's frozen
//!   payload, calls US Direct or the store, and records the answer.

mod authorize_payment;
mod cancel_store_order;
mod cancel_supplier_order;
mod create_supplier_order;
mod handler;
mod push_tracking;
mod queue;
mod worker;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Environment;

pub(crate) use authorize_payment::enqueue as enqueue_authorize_payment;
pub(crate) use cancel_store_order::enqueue as enqueue_cancel_store_order;
pub(crate) use cancel_supplier_order::enqueue as enqueue_cancel_supplier_order;
pub(crate) use cancel_supplier_order::enqueue_for_dealer as enqueue_dealer_cancel_supplier_order;
pub(crate) use create_supplier_order::enqueue_many as enqueue_create_supplier_orders;
pub(crate) use push_tracking::enqueue as enqueue_push_tracking;
pub use queue::{backoff, Reach, WorkerId, LEASE, MAX_RETRY_AFTER};
pub(crate) use queue::{cancel, job_row, run_now, stop_pending_steps};
pub use worker::OutboxReport;

/// What a job does. Stored as its snake_case name (`outbox_jobs.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
#[sqlx(rename_all = "snake_case")]
pub enum JobKind {
    CreateSupplierOrder,
    AuthorizePayment,
    CancelSupplierOrder,
    /// Write a shipment's tracking to the store.
    PushTracking,
    /// Cancel the order in the store (the dealer cancelled it in Dealer Portal).
    CancelStoreOrder,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::CreateSupplierOrder => "create_supplier_order",
            JobKind::AuthorizePayment => "authorize_payment",
            JobKind::CancelSupplierOrder => "cancel_supplier_order",
            JobKind::PushTracking => "push_tracking",
            JobKind::CancelStoreOrder => "cancel_store_order",
        }
    }

    /// The job talks to the order's store, not to US Direct: it runs whichever US Direct is
    /// reachable.
    pub fn is_store_job(self) -> bool {
        matches!(self, JobKind::PushTracking | JobKind::CancelStoreOrder)
    }
}

/// Where a job is. Stored as its snake_case name (`outbox_jobs.state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
#[sqlx(rename_all = "snake_case")]
pub enum JobState {
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Pending => "pending",
            JobState::Running => "running",
            JobState::Succeeded => "succeeded",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }
}

/// A job as Activity and `dealer jobs list` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Job {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub kind: JobKind,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub order_id: Option<i64>,
    pub order_number: Option<String>,
    pub idempotency_key: String,
    pub state: JobState,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub attempts: i64,
    pub next_run_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Sandbox or Live, its order's, for good.
    pub environment: Environment,
}

/// A job a worker holds, with what it needs to run.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub kind: JobKind,
    pub order_id: Option<i64>,
    pub idempotency_key: String,
    pub payload: String,
    pub attempts: i64,
    /// The environment the job was queued in.
    pub environment: Environment,
    /// Its order's environment, when the order's and its channel's agree.
    pub order_environment: Option<Environment>,
}
