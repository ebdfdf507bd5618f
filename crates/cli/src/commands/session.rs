//! What a command that talks to the stores or US Direct needs: in Sandbox mode, the data dir's
//! sandbox store and sandbox supplier (the running ones, or started here from their saved
//! state), the sandbox channel pointed at the store and the catalog's SKUs mapped; in live
//! mode, the connected accounts.

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::Result;
use dealer_connectors::Connector;
use dealer_core::domain::ChannelKind;
use dealer_core::outbox::WorkerId;
use dealer_core::seed::SANDBOX_CHANNEL;
use dealer_core::{Engine, Mode};
use dealer_sandbox::{LocalSandbox, LocalSupplier, CATALOG};

pub async fn with_services<T, F, Fut>(engine: &Engine, work: F) -> Result<T>
where
    F: FnOnce(Connector) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let connector = Connector::new(engine, dealer_sandbox::SHOPIFY_TOKEN);
    if engine.mode().await? != Mode::Sandbox {
        return work(connector).await;
    }
    let state_dir = engine.data_dir().join("sandbox");
    let store = LocalSandbox::attach_or_start(&state_dir).await?;
    let supplier = match LocalSupplier::attach_or_start(&state_dir).await {
        Ok(supplier) => supplier,
        Err(err) => {
            store.stop().await;
            return Err(err.into());
        }
    };
    let result = async {
        engine
            .store()
            .ensure_channel(SANDBOX_CHANNEL, ChannelKind::Shopify, &store.url(), true)
            .await?;
        let skus: Vec<&str> = CATALOG.iter().map(|item| item.sku).collect();
        engine.store().map_skus_to_themselves(&skus).await?;
        let connector =
            connector.with_sandbox_supplier(&supplier.url(), dealer_sandbox::SUPPLIER_TOKEN);
        work(connector).await
    }
    .await;
    supplier.stop().await;
    store.stop().await;
    result
}

/// Runs the outbox until the jobs (of `order_id`, or all) are done or `wait` passes. Says what
/// is still waiting, and why, when it gives up.
pub async fn run_jobs(
    engine: &Engine,
    connector: &Connector,
    order_id: Option<i64>,
    wait: Duration,
) -> Result<bool> {
    let Some(supplier) = connector.supplier(engine).await? else {
        eprintln!(
            "US Direct is not connected: jobs wait. Connect it with `dealer supplier connect`."
        );
        return Ok(false);
    };
    let worker = WorkerId::for_this_process();
    let done = engine
        .run_outbox_until(
            supplier.as_ref(),
            connector,
            &worker,
            order_id,
            Instant::now() + wait,
        )
        .await?;
    if !done {
        let jobs = engine.store().list_jobs(order_id, 1000).await?;
        for job in jobs.iter().filter(|job| {
            matches!(
                job.state,
                dealer_core::outbox::JobState::Pending | dealer_core::outbox::JobState::Running
            )
        }) {
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
    }
    Ok(done)
}
