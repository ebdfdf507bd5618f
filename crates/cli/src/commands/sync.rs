//! `dealer sync`: one import pass, with the sandbox store running while it lasts in Sandbox mode.

use anyhow::Result;
use dealer_connectors::Connector;
use dealer_core::activity::SyncTrigger;
use dealer_core::sync::NoProgress;
use dealer_core::Engine;

use super::channel::find;
use super::fulfillment::JOB_WAIT;
use super::session::{run_jobs, with_services};

pub async fn run(engine: &Engine, only: Option<&str>, json: bool) -> Result<()> {
    let only = match only {
        Some(name) => Some(find(engine, name).await?.id),
        None => None,
    };
    // Import, route what came in, then send it to US Direct (and any jobs still waiting).
    let report = with_services(engine, |connector: Connector| async move {
        let report = engine
            .order_sync(&connector, SyncTrigger::Cli, &NoProgress, only)
            .await?;
        engine.route_imported().await?;
        run_jobs(engine, &connector, None, JOB_WAIT).await?;
        // US Direct's shipments, then their tracking out to the store.
        if let Some(supplier) = connector.supplier(engine).await? {
            let shipped = engine.supplier_sync(supplier.as_ref()).await?;
            for shipment in &shipped.shipments {
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
            if !shipped.shipments.is_empty() {
                run_jobs(engine, &connector, None, JOB_WAIT).await?;
            }
        }
        Ok(report)
    })
    .await?;
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
