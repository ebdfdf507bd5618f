//! One trait for every kind of job: a handler reads the job's frozen payload, calls US Direct or
//! the store with the job's idempotency key, and records the answer with the order's next status
//! in the transaction that finishes the job.

use async_trait::async_trait;
use serde::de::DeserializeOwned;

use super::queue::{self, WorkerId};
use super::{Claimed, JobKind, JobState};
use crate::channel::ChannelError;
use crate::lifecycle::{Attention, AttentionKind};
use crate::supplier::{Supplier, SupplierError, Suppliers};
use crate::sync::Connect;
use crate::{Engine, Error, Result};

/// What a handler works with: the engine, and the suppliers and stores of this pass.
pub(super) struct Context<'a> {
    pub engine: &'a Engine,
    pub suppliers: &'a Suppliers,
    pub connect: &'a dyn Connect,
    pub worker: &'a WorkerId,
}

impl Context<'_> {
    /// The US Direct of the job's own environment: never another's. The worker claims only
    /// jobs whose environment is reachable, so a miss here means it went away mid-pass (the
    /// job waits and is tried again).
    pub fn supplier(&self, job: &Claimed) -> Result<&dyn Supplier, JobError> {
        self.suppliers.get(job.environment).ok_or_else(|| {
            JobError::Engine(Error::invalid(
                "supplier",
                format!(
                    "US Direct for {} orders is not connected; the job waits",
                    job.environment
                ),
            ))
        })
    }

    /// Opens the transaction that records a job's answer, with the job already marked
    /// succeeded in it; `None` when the job is no longer this worker's (its lease ran out and
    /// another worker took it over), in which case nothing is written.
    pub async fn succeed(
        &self,
        job: &Claimed,
    ) -> Result<Option<sqlx::Transaction<'static, sqlx::Sqlite>>> {
        let mut tx = self.engine.store().write_transaction().await?;
        if queue::finish(&mut tx, job, self.worker, JobState::Succeeded, None).await? {
            Ok(Some(tx))
        } else {
            Ok(None)
        }
    }
}

/// How a job's run ended.
pub(super) enum JobEnd {
    Done,
    Retrying,
    Failed,
}

/// Why a job's run stopped short; the worker decides between trying again and giving up.
pub(super) enum JobError {
    Supplier(SupplierError),
    Channel(ChannelError),
    Engine(Error),
}

impl From<SupplierError> for JobError {
    fn from(error: SupplierError) -> Self {
        JobError::Supplier(error)
    }
}

impl From<Error> for JobError {
    fn from(error: Error) -> Self {
        JobError::Engine(error)
    }
}

impl From<sqlx::Error> for JobError {
    fn from(error: sqlx::Error) -> Self {
        JobError::Engine(error.into())
    }
}

#[async_trait]
pub(super) trait Handler: Sync {
    /// Runs the job: its payload, the call, and the answer recorded through
    /// [`Context::succeed`].
    async fn run(&self, cx: &Context<'_>, job: &Claimed) -> Result<JobEnd, JobError>;

    /// Why the order needs the dealer when US Direct's answer to this job is final (a
    /// refusal, not an outage).
    fn refusal(&self, error: &SupplierError) -> Attention {
        refused(error)
    }
}

/// A final answer worded for any job: the order needs a look before it is sent again.
pub(super) fn refused(error: &SupplierError) -> Attention {
    Attention::new(
        AttentionKind::Refused,
        format!("{error}. Check the order, then Resolve to try again."),
    )
}

/// The handler of each kind of job.
pub(super) fn for_kind(kind: JobKind) -> &'static dyn Handler {
    match kind {
        JobKind::CreateSupplierOrder => &super::create_supplier_order::CreateSupplierOrder,
        JobKind::AuthorizePayment => &super::authorize_payment::AuthorizePayment,
        JobKind::CancelSupplierOrder => &super::cancel_supplier_order::CancelSupplierOrder,
        JobKind::PushTracking => &super::push_tracking::PushTracking,
        JobKind::CancelStoreOrder => &super::cancel_store_order::CancelStoreOrder,
    }
}

impl Claimed {
    /// The request frozen in the job when it was queued.
    pub(super) fn payload<T: DeserializeOwned>(&self) -> Result<T, JobError> {
        serde_json::from_str(&self.payload).map_err(|err| self.unreadable(&err.to_string()).into())
    }

    /// The job cannot be run as it is (it is retried slowly, and Activity shows why).
    pub(super) fn unreadable(&self, why: &str) -> Error {
        Error::invalid("job", format!("job {} cannot be read: {why}", self.id))
    }

    /// The order the job is for (every job queued names one).
    pub(super) fn order(&self) -> Result<i64, JobError> {
        self.order_id
            .ok_or_else(|| self.unreadable("it names no order").into())
    }
}

/// Serializes a payload for [`queue::enqueue`].
pub(super) fn to_payload<T: serde::Serialize>(payload: &T) -> Result<serde_json::Value> {
    serde_json::to_value(payload).map_err(|err| Error::invalid("job", err.to_string()))
}
