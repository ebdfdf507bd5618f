//! Retry and Cancel from Activity. Retry runs a waiting job now with its key, or takes a failed
//! or cancelled step again, from where the order is now, as a new job with a new key. Cancel
//! stops a job that has not run to its end and hands its order to the dealer.

use super::authorize::authorize_in_tx;
use super::routing::route_in_tx;
use crate::changes::Change;
use crate::domain::Actor;
use crate::lifecycle::{self, Attention, AttentionKind, OrderStatus};
use crate::outbox::{self, Job, JobKind, JobState};
use crate::{Engine, Error, Result};

impl Engine {
    /// Retry from Activity. A waiting job runs now, with its key. A step that failed or was
    /// cancelled is taken again from where the order is now (routed again, or authorized
    /// again), as a new job with a new key: the old answer stands for the old request.
    pub async fn retry_job(&self, job_id: i64) -> Result<Job> {
        let mut tx = self.store().write_transaction().await?;
        let job = outbox::job_row(&mut tx, job_id).await?;
        let redo = match job.state {
            JobState::Pending => false,
            JobState::Failed | JobState::Cancelled => matches!(
                job.kind,
                JobKind::CreateSupplierOrder | JobKind::AuthorizePayment
            ),
            JobState::Running => return Err(Error::invalid("job", "the job is running now")),
            JobState::Succeeded => {
                return Err(Error::invalid(
                    "job",
                    "the job succeeded; there is nothing to retry",
                ))
            }
        };
        if !redo {
            outbox::run_now(&mut tx, job_id).await?;
            tx.commit().await?;
            self.publish(Change::Orders {
                reason: "job_retried",
            });
            self.publish(Change::JobsDue);
            return self.store().job(job_id).await;
        }
        let order_id = job
            .order_id
            .ok_or_else(|| Error::invalid("job", "the job names no order"))?;
        let status = lifecycle::status(&mut tx, order_id).await?;
        if status != OrderStatus::NeedsAttention {
            return Err(Error::invalid(
                "job",
                format!(
                    "its order is {} now; nothing to retry",
                    status.as_str().replace('_', " ")
                ),
            ));
        }
        match job.kind {
            JobKind::CreateSupplierOrder => {
                lifecycle::transition(
                    &mut tx,
                    order_id,
                    OrderStatus::Imported,
                    Actor::Dealer,
                    "retried: routing again",
                )
                .await?;
                route_in_tx(&mut tx, self.store_id(), order_id).await?;
            }
            _ => {
                lifecycle::transition(
                    &mut tx,
                    order_id,
                    OrderStatus::AwaitingAuthorization,
                    Actor::Dealer,
                    "retried: payment to be authorized again",
                )
                .await?;
                authorize_in_tx(&mut tx, self.store_id(), order_id, Actor::Dealer).await?;
            }
        }
        let latest = sqlx::query_scalar!(
            r#"SELECT max(id) AS "id!: i64" FROM outbox_jobs WHERE order_id = ?"#,
            order_id
        )
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        self.publish(Change::Orders {
            reason: "job_retried",
        });
        self.publish(Change::JobsDue);
        self.store().job(latest).await
    }

    /// Cancels a job that has not run to its end. Its order needs the dealer afterwards.
    pub async fn cancel_job(&self, job_id: i64) -> Result<Job> {
        let mut tx = self.store().write_transaction().await?;
        let job = outbox::job_row(&mut tx, job_id).await?;
        match job.state {
            JobState::Pending | JobState::Failed => {}
            JobState::Running => {
                return Err(Error::invalid(
                    "job",
                    "the job is talking to US Direct right now; cancel it when it is back",
                ))
            }
            other @ (JobState::Succeeded | JobState::Cancelled) => {
                return Err(Error::invalid(
                    "job",
                    format!("the job has {} already", other.as_str()),
                ))
            }
        }
        outbox::cancel(&mut tx, job_id).await?;
        if let Some(order_id) = job.order_id {
            let kind = job.kind;
            let what = match kind {
                JobKind::CreateSupplierOrder => "Sending the order to US Direct",
                JobKind::AuthorizePayment => "The payment authorization",
                JobKind::CancelSupplierOrder => "Cancelling at US Direct",
                JobKind::PushTracking => "Writing the tracking to your store",
                JobKind::CancelStoreOrder => "Cancelling in your store",
            };
            let parked = matches!(
                lifecycle::status(&mut tx, order_id).await?,
                OrderStatus::Imported | OrderStatus::Authorized
            );
            if parked
                && matches!(
                    kind,
                    JobKind::CreateSupplierOrder | JobKind::AuthorizePayment
                )
            {
                let reason = format!(
                    "{what} was cancelled by you. Resolve to send it again, or cancel the order \
                     in your store."
                );
                lifecycle::transition(
                    &mut tx,
                    order_id,
                    Attention::new(AttentionKind::Stopped, &reason),
                    Actor::Dealer,
                    &reason,
                )
                .await?;
                if kind == JobKind::AuthorizePayment {
                    sqlx::query!(
                        "UPDATE orders SET authorized_at = NULL, authorized_by = NULL WHERE id = ?",
                        order_id
                    )
                    .execute(&mut *tx)
                    .await?;
                }
            } else {
                lifecycle::record_note(
                    &mut tx,
                    order_id,
                    Actor::Dealer,
                    &format!("{what} was cancelled by you"),
                )
                .await?;
            }
        }
        tx.commit().await?;
        self.publish(Change::Orders {
            reason: "job_cancelled",
        });
        self.store().job(job_id).await
    }
}
