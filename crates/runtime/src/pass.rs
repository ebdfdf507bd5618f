//! One pass of everything, in the foreground: what `dealer sync` does.

use std::time::Duration;

use dealer_core::activity::SyncTrigger;
use dealer_core::shipments::{NewShipment, SupplierSyncError};
use dealer_core::sync::SyncReport;

use crate::sink::{Sink, SinkProgress};
use crate::{JobsOutcome, Runtime};

#[derive(Debug, Clone)]
pub struct PassOptions {
    pub trigger: SyncTrigger,
    /// Import this channel only.
    pub only: Option<i64>,
    /// How long to wait for US Direct's answers, each time the outbox runs.
    pub job_wait: Duration,
}

/// What the pass did, step by step.
#[derive(Debug)]
pub struct PassReport {
    pub sync: SyncReport,
    /// Orders checked against US Direct's rules.
    pub routed: usize,
    /// The supplier jobs after routing.
    pub jobs: JobsOutcome,
    /// Shipments read from US Direct in this pass.
    pub shipments: Vec<NewShipment>,
    /// The tracking pushes of those shipments (when there were any).
    pub tracking_jobs: Option<JobsOutcome>,
}

pub type PassError = SupplierSyncError;

impl Runtime {
    /// Imports (from every channel, or `only`), routes what came in, runs the supplier jobs,
    /// reads US Direct's shipments and pushes their tracking to the store.
    pub async fn pass_once(
        &self,
        options: PassOptions,
        sink: &dyn Sink,
    ) -> Result<PassReport, PassError> {
        let engine = self.engine();
        let sync = engine
            .order_sync(
                self.connector().as_ref(),
                options.trigger,
                &SinkProgress(sink),
                options.only,
            )
            .await?;
        // US Direct's stock and weights of what is about to be routed; a check that fails
        // leaves routing to the store's numbers and US Direct's own checks.
        match self.connector().suppliers(engine).await {
            Ok(suppliers) => {
                if let Err(err) = engine.check_stock(&suppliers).await {
                    tracing::warn!("the stock check failed: {err}");
                }
            }
            Err(err) => tracing::warn!("US Direct is not reachable for the stock check: {err}"),
        }
        let routed = engine.route_imported().await?;
        engine.tidy_after_sync(&sync).await;
        let jobs = self.run_jobs(None, options.job_wait).await?;
        let mut tracking_jobs = None;
        let suppliers = self.connector().suppliers(engine).await?;
        let shipments = engine.supplier_sync_all(&suppliers).await?.shipments;
        if !shipments.is_empty() {
            tracking_jobs = Some(self.run_jobs(None, options.job_wait).await?);
        }
        Ok(PassReport {
            sync,
            routed,
            jobs,
            shipments,
            tracking_jobs,
        })
    }
}
