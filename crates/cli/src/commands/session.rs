//! Commands that talk to the stores or US Direct run inside the shared runtime for as long as
//! they last (that brings up the data dir's sandbox store and supplier, beside what is live),
//! and print what the runtime reports.

use anyhow::Result;
use dealer_core::Engine;
use dealer_runtime::{JobsOutcome, Runtime};

/// Opens the runtime over `engine`, runs `work`, then stops the runtime (and closes the store).
pub async fn in_runtime<T>(
    engine: Engine,
    work: impl AsyncFnOnce(&Runtime) -> Result<T>,
) -> Result<T> {
    let runtime = Runtime::open(engine).await?;
    let result = work(&runtime).await;
    runtime.stop().await;
    result
}

/// Says what still waits, and why, when a foreground run of the outbox gave up. True when
/// every job ended.
pub fn report_jobs(outcome: &JobsOutcome) -> bool {
    match outcome {
        JobsOutcome::Done => true,
        JobsOutcome::NotConnected(jobs) => {
            eprintln!(
                "{} live job(s) wait: your US Direct account is not connected. Connect it with \
                 `dealer supplier connect --url …` (or in the window: Settings → US Direct \
                 account).",
                jobs.len()
            );
            false
        }
        JobsOutcome::Waiting(jobs) => {
            for job in jobs {
                eprintln!(
                    "job {} ({}) for order {} is still waiting: next try {}{}",
                    job.id,
                    job.kind.as_str(),
                    job.order_number.as_deref().unwrap_or("-"),
                    job.next_run_at.format("%H:%M:%S UTC"),
                    job.last_error
                        .as_deref()
                        .map(|e| format!("; last error: {e}"))
                        .unwrap_or_default()
                );
            }
            false
        }
    }
}
