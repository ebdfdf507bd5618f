//! The outbox worker: routes imported orders and runs due jobs (supplier orders, payment
//! authorizations, cancellations, tracking pushes), woken at once when jobs are queued and
//! otherwise when the next job comes due. Shipments and problems not announced yet are handed to
//! the sink after each pass (the CLI may have read them while the app was closed); the engine
//! turns orders that crossed the Late line since the last pass into problems there.

use std::time::Duration;

use chrono::Utc;
use dealer_core::outbox::{Reach, WorkerId};
use dealer_core::supplier::Suppliers;

use super::Context;
use crate::sink::RuntimeEvent;

/// Longest sleep between passes: imported orders are routed at least this often.
const IDLE: Duration = Duration::from_secs(5);

pub(crate) async fn run(cx: Context) {
    let mut stop = cx.stop.clone();
    let worker = WorkerId::for_this_process();
    loop {
        if *stop.borrow() {
            return;
        }
        if pass(&cx, &worker).await {
            cx.sink.send(RuntimeEvent::Changed { reason: "outbox" });
        }
        announce_shipments(&cx).await;
        announce_problems(&cx).await;
        let reach = match cx.connector.suppliers(&cx.engine).await {
            Ok(suppliers) => suppliers.reach(),
            Err(_) => Reach::default(),
        };
        let wait = match cx.engine.store().next_job_due(reach).await {
            Ok(Some(at)) => (at - Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .clamp(Duration::from_millis(100), IDLE),
            _ => IDLE,
        };
        tokio::select! {
            () = cx.controls.outbox.notified() => {}
            () = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
    }
}

/// One pass; true when something changed that the window shows.
async fn pass(cx: &Context, worker: &WorkerId) -> bool {
    let mut changed = false;
    // Each job goes to its own environment's US Direct; one that is not connected only
    // holds back its own jobs (tracking pushes go to the stores and always run).
    let suppliers = match cx.connector.suppliers(&cx.engine).await {
        Ok(suppliers) => suppliers,
        Err(err) => {
            tracing::warn!("US Direct is not reachable: {err}");
            Suppliers::default()
        }
    };
    // US Direct's stock and weights of what is about to be routed (cached, paced).
    match cx.engine.check_stock(&suppliers).await {
        Ok(check) => changed |= check.restocked > 0,
        Err(err) => tracing::warn!("the stock check failed: {err}"),
    }
    match cx.engine.route_imported().await {
        Ok(routed) => changed |= routed > 0,
        Err(err) => tracing::warn!("routing imported orders failed: {err}"),
    }
    match cx
        .engine
        .run_outbox(&suppliers, cx.connector.as_ref(), worker)
        .await
    {
        Ok(report) => changed |= report.succeeded + report.failed > 0,
        Err(err) => tracing::warn!("the outbox worker failed: {err}"),
    }
    changed
}

async fn announce_shipments(cx: &Context) {
    match cx.engine.take_unannounced_shipments().await {
        Ok(shipments) if !shipments.is_empty() => {
            cx.sink.send(RuntimeEvent::Shipments(shipments));
        }
        Ok(_) => {}
        Err(err) => tracing::warn!("could not read new shipments: {err}"),
    }
}

async fn announce_problems(cx: &Context) {
    match cx.engine.take_new_problems().await {
        Ok(problems) if !problems.is_empty() => {
            cx.sink.send(RuntimeEvent::Problems(problems));
        }
        Ok(_) => {}
        Err(err) => tracing::warn!("could not read new problems: {err}"),
    }
}
