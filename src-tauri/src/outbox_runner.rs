//! The app's outbox worker: routes imported orders and runs due jobs (supplier orders, payment
//! authorizations, cancellations) in the background, woken at once by the window's actions and
//! otherwise when the next job comes due. The window hears of every change.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use dealer_connectors::Connector;
use dealer_core::outbox::WorkerId;
use dealer_core::Engine;
use tauri::AppHandle;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

use crate::actions;

/// Longest sleep between passes: imported orders are routed at least this often.
const IDLE: Duration = Duration::from_secs(5);

/// How often US Direct's changes (shipments, holds) are read when nothing asks sooner.
pub const SUPPLIER_POLL: Duration = Duration::from_secs(5 * 60);

pub struct OutboxRunner {
    wake: Arc<Notify>,
    /// Set by Order Sync: read US Direct's changes on the next pass.
    poll_now: Arc<AtomicBool>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl OutboxRunner {
    pub fn start(engine: Arc<Engine>, connector: Arc<Connector>, app: AppHandle) -> Self {
        let wake = Arc::new(Notify::new());
        let poll_now = Arc::new(AtomicBool::new(true));
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(
            engine,
            connector,
            app,
            wake.clone(),
            poll_now.clone(),
            stopped,
        ));
        Self {
            wake,
            poll_now,
            stop,
            task,
        }
    }

    /// Reads US Direct's changes on a pass now (Order Sync asks for it).
    pub fn poll_supplier(&self) {
        self.poll_now.store(true, Ordering::Release);
        self.wake.notify_one();
    }

    /// Runs a pass now (an order was authorized, resolved, a job retried).
    pub fn kick(&self) {
        self.wake.notify_one();
    }

    pub async fn stop(self) {
        let _ = self.stop.send(true);
        self.wake.notify_one();
        let _ = self.task.await;
    }
}

async fn run(
    engine: Arc<Engine>,
    connector: Arc<Connector>,
    app: AppHandle,
    wake: Arc<Notify>,
    poll_now: Arc<AtomicBool>,
    mut stopped: watch::Receiver<bool>,
) {
    let worker = WorkerId::for_this_process();
    let mut last_poll: Option<Instant> = None;
    loop {
        if *stopped.borrow() {
            return;
        }
        let due = last_poll.is_none_or(|at| at.elapsed() >= SUPPLIER_POLL);
        let poll = poll_now.swap(false, Ordering::AcqRel) || due;
        if poll {
            last_poll = Some(Instant::now());
        }
        let changed = pass(&engine, &connector, &worker, poll, &app).await;
        if changed {
            actions::orders_changed(&app, "outbox");
        }
        let wait = match engine.store().next_job_due().await {
            Ok(Some(at)) => (at - Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .clamp(Duration::from_millis(100), IDLE),
            _ => IDLE,
        };
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
            _ = stopped.changed() => return,
        }
    }
}

/// One pass; true when something changed that the window shows.
async fn pass(
    engine: &Engine,
    connector: &Connector,
    worker: &WorkerId,
    poll: bool,
    app: &AppHandle,
) -> bool {
    let mut changed = false;
    match engine.route_imported().await {
        Ok(routed) => changed |= routed > 0,
        Err(err) => tracing::warn!("routing imported orders failed: {err}"),
    }
    let supplier = match connector.supplier(engine).await {
        Ok(Some(supplier)) => supplier,
        Ok(None) => return changed,
        Err(err) => {
            tracing::warn!("US Direct is not reachable: {err}");
            return changed;
        }
    };
    match engine
        .run_outbox(supplier.as_ref(), connector, worker)
        .await
    {
        Ok(report) => changed |= report.succeeded + report.failed > 0,
        Err(err) => tracing::warn!("the outbox worker failed: {err}"),
    }
    if poll {
        match engine.supplier_sync(supplier.as_ref()).await {
            Ok(report) => {
                changed |= report.changes > 0;
                // New tracking goes out to the store right away.
                if !report.shipments.is_empty() {
                    if let Err(err) = engine
                        .run_outbox(supplier.as_ref(), connector, worker)
                        .await
                    {
                        tracing::warn!("the outbox worker failed: {err}");
                    }
                }
            }
            Err(err) => tracing::warn!("reading US Direct's changes failed: {err}"),
        }
    }
    crate::notify::announce_shipments(app, engine).await;
    changed
}
