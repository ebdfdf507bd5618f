//! `dealer sync`: one pass of the runtime (import, route, US Direct's jobs, shipments, tracking
//! out), with the sandbox store running while it lasts in Sandbox mode.

use anyhow::Result;
use dealer_core::activity::SyncTrigger;
use dealer_runtime::{NoSink, PassOptions, Runtime, JOB_WAIT};

use super::channel::find;
use super::session::report_jobs;

pub async fn run(runtime: &Runtime, only: Option<&str>, json: bool) -> Result<()> {
    let only = match only {
        Some(name) => Some(find(runtime.engine(), name).await?.id),
        None => None,
    };
    let pass = runtime
        .pass_once(
            PassOptions {
                trigger: SyncTrigger::Cli,
                only,
                job_wait: JOB_WAIT,
            },
            &NoSink,
        )
        .await?;
    report_jobs(&pass.jobs);
    for shipment in &pass.shipments {
        eprintln!(
            "order {} shipped: {} {}{}",
            shipment.order_number,
            shipment.carrier,
            shipment.tracking_number,
            if shipment.tracking_valid {
                ""
            } else {
                " (not a valid tracking number: not sent to the store)"
            }
        );
    }
    if let Some(outcome) = &pass.tracking_jobs {
        report_jobs(outcome);
    }
    let report = pass.sync;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for channel in &report.channels {
            println!(
                "{:<24} {} pages: {} new, {} updated, {} unchanged, {} quarantined{}",
                channel.channel,
                channel.pages,
                channel.imported,
                channel.updated,
                channel.unchanged,
                channel.quarantined,
                channel
                    .error
                    .as_ref()
                    .map(|e| format!("; failed: {e}"))
                    .unwrap_or_default()
            );
        }
        println!("{}", report.message);
    }
    if report.failed() {
        anyhow::bail!("some channels failed to import (see above)");
    }
    Ok(())
}
