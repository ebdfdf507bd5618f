//! The supplier sync: reads US Direct's change log (shipments, holds, cancellations) every few
//! minutes and whenever Order Sync asks; new tracking goes out to the store at once.

use std::time::Duration;

use tokio::time::Instant;

use super::Context;
use crate::sink::RuntimeEvent;

/// How often US Direct's changes are read when nothing asks sooner.
pub const SUPPLIER_POLL: Duration = Duration::from_secs(5 * 60);

pub(crate) async fn run(cx: Context) {
    let mut stop = cx.stop.clone();
    loop {
        if *stop.borrow() {
            return;
        }
        read_changes(&cx).await;
        let next = Instant::now() + SUPPLIER_POLL;
        tokio::select! {
            () = cx.controls.supplier.notified() => {}
            () = tokio::time::sleep_until(next) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn read_changes(cx: &Context) {
    let suppliers = match cx.connector.suppliers(&cx.engine).await {
        Ok(suppliers) => suppliers,
        Err(err) => {
            tracing::warn!("US Direct is not reachable: {err}");
            return;
        }
    };
    match cx.engine.supplier_sync_all(&suppliers).await {
        Ok(report) => {
            if !report.shipments.is_empty() {
                // Their tracking goes out to the store right away.
                cx.controls.kick_outbox();
            }
            if report.changes > 0 {
                cx.sink.send(RuntimeEvent::Changed { reason: "outbox" });
            }
        }
        Err(err) => tracing::warn!("reading US Direct's changes failed: {err}"),
    }
}
