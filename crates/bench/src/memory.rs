//! Peak memory of a sync: `dealer sync`'s import and routing of N orders into a fresh store, in
//! a child process of its own (this binary's hidden `sync-child`), so its peak resident memory is
//! the engine's alone; the sandbox store serving the orders runs here, in the parent.

use std::path::Path;
use std::process::Stdio;

use anyhow::{bail, Context, Result};
use serde_json::json;

use crate::import::{sandbox_with_orders, sync_and_route};
use crate::keyring::open_store;
use crate::report::{time, Table};

/// The targets: peak memory of a sync of up to 10,000 orders, and of up to 100,000.
const TARGETS_MB: [(usize, f64); 2] = [(10_000, 64.0), (100_000, 128.0)];

/// The target for a sync of `count` orders, in MB (10^6 bytes).
fn target_mb(count: usize) -> Option<f64> {
    TARGETS_MB
        .iter()
        .find(|(orders, _)| count <= *orders)
        .map(|(_, mb)| *mb)
}

pub async fn run(counts: &[usize]) -> Result<()> {
    let exe = std::env::current_exe().context("finding this benchmark's own executable")?;
    let mut table = Table::with_columns(
        "peak memory of a sync (import + routing) in a child process, one run each",
        "peak RSS",
        "",
    );
    for &count in counts {
        eprintln!("  (memory: a sync of {count} orders in a child process)");
        let woo = sandbox_with_orders(count).await?;
        let dir = tempfile::tempdir()?;
        let output = tokio::process::Command::new(&exe)
            .arg("sync-child")
            .arg("--store-url")
            .arg(woo.base_url())
            .arg("--data-dir")
            .arg(dir.path())
            .arg("--orders")
            .arg(count.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .output()
            .await
            .with_context(|| format!("starting {} sync-child", exe.display()))?;
        woo.stop().await;
        if !output.status.success() {
            bail!(
                "the sync of {count} orders in the child process failed ({}); what it said is above",
                output.status
            );
        }
        let child = ChildReport::read(&String::from_utf8_lossy(&output.stdout))?;
        if child.orders != count {
            bail!(
                "the child process reported a sync of {} orders, {count} asked",
                child.orders
            );
        }
        let mb = child.peak_rss_kib as f64 * 1024.0 / 1e6;
        let name = format!("sync of {count} orders");
        let note = format!(
            "sync {}, routing {}",
            time(std::time::Duration::from_secs_f64(child.sync_s)),
            time(std::time::Duration::from_secs_f64(child.routing_s))
        );
        match target_mb(count) {
            Some(target) => table.figure(
                &name,
                &format!("{mb:.1} MB"),
                &format!("< {target:.0} MB"),
                mb < target,
                &note,
            ),
            None => table.figure(&name, &format!("{mb:.1} MB"), "", true, &note),
        }
    }
    table.print();
    Ok(())
}

/// What the child prints: one JSON line.
struct ChildReport {
    orders: usize,
    sync_s: f64,
    routing_s: f64,
    peak_rss_kib: u64,
}

impl ChildReport {
    fn read(stdout: &str) -> Result<Self> {
        let line = stdout
            .lines()
            .rev()
            .find(|line| line.starts_with('{'))
            .with_context(|| format!("the child process printed no report: {stdout:?}"))?;
        let value: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("the child's report {line:?}"))?;
        let number = |key: &str| {
            value[key]
                .as_f64()
                .with_context(|| format!("the child's report {line:?} has no {key}"))
        };
        Ok(Self {
            orders: number("orders")? as usize,
            sync_s: number("sync_s")?,
            routing_s: number("routing_s")?,
            peak_rss_kib: number("peak_rss_kib")? as u64,
        })
    }
}

/// The child: a fresh store in `data_dir`, the store at `store_url` added, one Order Sync and
/// routing (what `dealer sync` does for import and routing), the counts checked; then prints
/// its own peak resident memory and its times as one JSON line.
pub async fn child(store_url: &str, data_dir: &Path, count: usize) -> Result<()> {
    let engine = open_store(data_dir).await?;
    let pass = sync_and_route(&engine, store_url, count).await?;
    engine.close().await;
    println!(
        "{}",
        json!({
            "orders": count,
            "sync_s": pass.sync.as_secs_f64(),
            "routing_s": pass.routing.as_secs_f64(),
            "peak_rss_kib": peak_rss_kib()?,
        })
    );
    Ok(())
}

/// The process's peak resident memory so far (`VmHWM`), in KiB.
pub(crate) fn peak_rss_kib() -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")
        .context("reading /proc/self/status (the memory benchmark needs Linux)")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().strip_suffix("kB"))
        .and_then(|kib| kib.trim().parse().ok())
        .context("no VmHWM line in /proc/self/status")
}
