//! The worker: claims due jobs one at a time, hands each to its kind's handler, and decides what
//! a failure means. A transient one (network, rate limit, US Direct down) backs off and tries
//! again with the same key; a final answer about the request fails the job and hands its order to
//! the dealer.

use std::time::Duration;

use chrono::Utc;
use serde::Serialize;

use super::handler::{self, Context, JobEnd, JobError};
use super::queue::{self, WorkerId};
use super::{Claimed, JobKind, JobState};
use crate::channel::ChannelError;
use crate::domain::Actor;
use crate::lifecycle::{self, OrderStatus};
use crate::supplier::{SupplierError, Suppliers};
use crate::sync::Connect;
use crate::{Engine, Result};

/// What one pass of the worker did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutboxReport {
    pub succeeded: u32,
    pub retrying: u32,
    pub failed: u32,
}

impl Engine {
    /// Runs due jobs until none is due now (jobs that come due later wait for the next pass).
    /// A supplier job runs only when its own environment's US Direct is in `suppliers`; the
    /// others wait.
    pub async fn run_outbox(
        &self,
        suppliers: &Suppliers,
        connect: &dyn Connect,
        worker: &WorkerId,
    ) -> Result<OutboxReport> {
        let cx = Context {
            engine: self,
            suppliers,
            connect,
            worker,
        };
        let mut report = OutboxReport::default();
        while let Some(job) = self.store().claim_job(worker, suppliers.reach()).await? {
            match run_job(&cx, &job).await? {
                JobEnd::Done => report.succeeded += 1,
                JobEnd::Retrying => report.retrying += 1,
                JobEnd::Failed => report.failed += 1,
            }
        }
        Ok(report)
    }

    /// Runs jobs, waiting for ones that come due (backoff), until no job of `order_id` (or
    /// none at all) that `suppliers` can run is left pending or running, or `deadline` passes.
    /// Returns false on the deadline.
    pub async fn run_outbox_until(
        &self,
        suppliers: &Suppliers,
        connect: &dyn Connect,
        worker: &WorkerId,
        order_id: Option<i64>,
        deadline: std::time::Instant,
    ) -> Result<bool> {
        let reach = suppliers.reach();
        let (sandbox, live) = (reach.sandbox, reach.live);
        loop {
            self.run_outbox(suppliers, connect, worker).await?;
            let open = sqlx::query_scalar!(
                "SELECT count(*) FROM outbox_jobs
                 WHERE state IN (?2, ?3) AND (?1 IS NULL OR order_id = ?1)
                   AND (kind IN (?4, ?7) OR (environment = 'sandbox' AND ?5)
                        OR (environment = 'live' AND ?6))",
                order_id,
                JobState::Pending,
                JobState::Running,
                JobKind::PushTracking,
                sandbox,
                live,
                JobKind::CancelStoreOrder
            )
            .fetch_one(self.store().pool())
            .await?;
            if open == 0 {
                return Ok(true);
            }
            let now = std::time::Instant::now();
            if now >= deadline {
                return Ok(false);
            }
            let wait = match self.store().next_job_due(reach).await? {
                Some(at) => (at - Utc::now())
                    .to_std()
                    .unwrap_or(Duration::ZERO)
                    .max(Duration::from_millis(50)),
                None => Duration::from_millis(200),
            };
            // Nothing comes due before the deadline: no use waiting for it.
            if now + wait > deadline {
                return Ok(false);
            }
            tokio::time::sleep(wait).await;
        }
    }
}

/// Claim → handler → finish, for one job.
async fn run_job(cx: &Context<'_>, job: &Claimed) -> Result<JobEnd> {
    tracing::debug!(
        job = job.id,
        kind = job.kind.as_str(),
        attempt = job.attempts,
        "job"
    );
    if let Some(refusal) = environment_mismatch(job) {
        return refuse(cx, job, &refusal).await;
    }
    let handler = handler::for_kind(job.kind);
    let ran = match crate::panics::isolate(job.kind.as_str(), handler.run(cx, job)).await {
        Ok(ran) => ran,
        // A bug met in this job (its transaction, if one was open, rolled back as it
        // unwound): the job fails with the reason and the worker goes on with the next.
        Err(panic) => {
            let reason = crate::panics::reason(&format!("running job {}", job.id), &panic);
            return refuse(cx, job, &reason).await;
        }
    };
    match ran {
        Ok(end) => Ok(end),
        Err(JobError::Channel(error)) => {
            let transient = matches!(
                error,
                ChannelError::Unreachable { .. }
                    | ChannelError::RateLimited { .. }
                    | ChannelError::Server { .. }
            );
            let retry_after = match &error {
                ChannelError::RateLimited { retry_after } => Some(*retry_after),
                _ => None,
            };
            if transient {
                return retry_later(cx, job, &error.to_string(), retry_after).await;
            }
            // The store refused it (credentials, permissions, a missing order): it waits for
            // the dealer, retried slowly, since fixing the channel lets it through.
            let what = match job.kind {
                JobKind::CancelStoreOrder => "the cancellation",
                _ => "the tracking",
            };
            let message = format!("the store did not take {what}: {error}");
            retry_later(cx, job, &message, Some(Duration::from_secs(600))).await
        }
        Err(JobError::Supplier(error)) if error.is_transient() => {
            retry_later(cx, job, &error.to_string(), error.retry_after()).await
        }
        Err(JobError::Supplier(
            error @ (SupplierError::Unauthorized | SupplierError::Redirected { .. }),
        )) => {
            // Fixing the token or the address lets it go on: keep it, slowly.
            retry_later(cx, job, &error.to_string(), Some(Duration::from_secs(300))).await
        }
        Err(JobError::Supplier(error)) => {
            // A final answer about this request: the order needs the dealer.
            let mut tx = cx.engine.store().write_transaction().await?;
            if !queue::finish(
                &mut tx,
                job,
                cx.worker,
                JobState::Failed,
                Some(&error.to_string()),
            )
            .await?
            {
                return Ok(JobEnd::Retrying);
            }
            if let Some(order_id) = job.order_id {
                let attention = handler.refusal(&error);
                let reason = attention.reason.clone();
                if lifecycle::status(&mut tx, order_id)
                    .await?
                    .can_move_to(OrderStatus::NeedsAttention)
                {
                    lifecycle::transition(&mut tx, order_id, attention, Actor::Supplier, &reason)
                        .await?;
                } else {
                    lifecycle::record_note(&mut tx, order_id, Actor::Supplier, &reason).await?;
                }
            }
            tx.commit().await?;
            tracing::warn!(job = job.id, %error, "job failed");
            Ok(JobEnd::Failed)
        }
        Err(JobError::Engine(error)) => {
            let message = format!("this job could not run: {error}");
            retry_later(cx, job, &message, Some(Duration::from_secs(60))).await
        }
    }
}

/// Why a job must not run in the environment it is about to: its order's environment (and its
/// channel's) must be the job's. `None` when they agree.
fn environment_mismatch(job: &Claimed) -> Option<String> {
    job.order_id?;
    match job.order_environment {
        Some(order) if order == job.environment => None,
        Some(order) => Some(format!(
            "refused: this job was queued in {} but its order belongs to {order}; nothing was \
             sent. Cancel it and Route again from the order page",
            job.environment
        )),
        None => Some(format!(
            "refused: this {} job's order no longer says which environment it belongs to; \
             nothing was sent",
            job.environment
        )),
    }
}

/// Fails a job that must not run, loudly: the job says why, and its order needs the dealer.
async fn refuse(cx: &Context<'_>, job: &Claimed, reason: &str) -> Result<JobEnd> {
    let mut tx = cx.engine.store().write_transaction().await?;
    if !queue::finish(&mut tx, job, cx.worker, JobState::Failed, Some(reason)).await? {
        return Ok(JobEnd::Retrying);
    }
    if let Some(order_id) = job.order_id {
        let attention = crate::lifecycle::Attention::new(
            crate::lifecycle::AttentionKind::Refused,
            reason.to_string(),
        );
        if lifecycle::status(&mut tx, order_id)
            .await?
            .can_move_to(OrderStatus::NeedsAttention)
        {
            lifecycle::transition(&mut tx, order_id, attention, Actor::System, reason).await?;
        } else {
            lifecycle::record_note(&mut tx, order_id, Actor::System, reason).await?;
        }
    }
    tx.commit().await?;
    tracing::error!(job = job.id, environment = %job.environment, reason, "job refused");
    Ok(JobEnd::Failed)
}

async fn retry_later(
    cx: &Context<'_>,
    job: &Claimed,
    error: &str,
    retry_after: Option<Duration>,
) -> Result<JobEnd> {
    let delay = queue::backoff(job.attempts - 1, retry_after);
    let mut tx = cx.engine.store().write_transaction().await?;
    queue::reschedule(&mut tx, job, cx.worker, delay, error).await?;
    tx.commit().await?;
    tracing::info!(
        job = job.id,
        error,
        delay_ms = delay.as_millis() as u64,
        "job will retry"
    );
    Ok(JobEnd::Retrying)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Environment;

    fn job(environment: Environment, order: Option<Environment>) -> Claimed {
        Claimed {
            id: 7,
            kind: JobKind::AuthorizePayment,
            order_id: Some(3),
            idempotency_key: "k".into(),
            payload: "{}".into(),
            attempts: 1,
            environment,
            order_environment: order,
        }
    }

    #[test]
    fn a_job_runs_only_in_its_orders_environment() {
        assert_eq!(
            environment_mismatch(&job(Environment::Live, Some(Environment::Live))),
            None
        );
        assert_eq!(
            environment_mismatch(&job(Environment::Sandbox, Some(Environment::Sandbox))),
            None
        );
        let crossed = environment_mismatch(&job(Environment::Sandbox, Some(Environment::Live)))
            .expect("refused");
        assert!(
            crossed.contains("queued in Sandbox but its order belongs to Live"),
            "{crossed}"
        );
        assert!(crossed.contains("nothing was sent"), "{crossed}");
        assert!(environment_mismatch(&job(Environment::Live, None)).is_some());
    }
}
