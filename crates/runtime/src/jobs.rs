//! Running the outbox for a while in the foreground (a CLI command that waits for US Direct's
//! answer), and saying what still waits when it gives up.

use std::time::{Duration, Instant};

use dealer_core::outbox::{Job, JobState, WorkerId};
use dealer_core::Result;

use crate::Runtime;

/// How long `dealer authorize` and `dealer sync` wait for US Direct's answers.
pub const JOB_WAIT: Duration = Duration::from_secs(120);

/// How a foreground run of the outbox ended.
#[derive(Debug)]
pub enum JobsOutcome {
    /// Every job (of the order asked about, or all) has ended.
    Done,
    /// Jobs wait for an environment whose US Direct is not connected (the dealer's account,
    /// for live orders).
    NotConnected(Vec<Job>),
    /// The wait ran out; these jobs are still pending or running.
    Waiting(Vec<Job>),
}

impl Runtime {
    /// Runs the outbox until the jobs (of `order_id`, or all) are done or `wait` passes. Each
    /// job goes to its own environment's US Direct.
    pub async fn run_jobs(&self, order_id: Option<i64>, wait: Duration) -> Result<JobsOutcome> {
        let engine = self.engine();
        let suppliers = self.connector().suppliers(engine).await?;
        let worker = WorkerId::for_this_process();
        let done = engine
            .run_outbox_until(
                &suppliers,
                self.connector().as_ref(),
                &worker,
                order_id,
                Instant::now() + wait,
            )
            .await?;
        let reach = suppliers.reach();
        let (blocked, waiting): (Vec<Job>, Vec<Job>) = engine
            .store()
            .list_jobs(order_id, 1000)
            .await?
            .into_iter()
            .filter(|job| matches!(job.state, JobState::Pending | JobState::Running))
            .partition(|job| !job.kind.is_store_job() && !reach.has(job.environment));
        if !done {
            return Ok(JobsOutcome::Waiting(waiting));
        }
        if blocked.is_empty() {
            Ok(JobsOutcome::Done)
        } else {
            Ok(JobsOutcome::NotConnected(blocked))
        }
    }
}
