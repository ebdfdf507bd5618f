//! CSV export at scale (issue 14: 100,000 orders in ≤ 3 s, flat memory): the Orders list's
//! export (`Engine::export_orders`, every order, to a file through `PartialFile` as the window
//! and the CLI write it) on the Orders benchmark's fixture, beside a floor taken in the same
//! run: one plain streamed SQL read of the same columns (orders, channel, lines, tracking)
//! written with the `csv` crate, no engine. Then the export's peak memory for 10,000 and for
//! 100,000 orders, each in a child process of its own (this binary's hidden `export-child`):
//! a first export (which also fills SQLite's page caches, a bound of their own) and a second
//! on warm caches, whose growth is what the export itself holds.

use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use dealer_core::export::{ExportOptions, PartialFile};
use dealer_core::keys::{MemoryKeyring, Unlock};
use dealer_core::secret::Sensitive;
use dealer_core::store::ListOrders;
use dealer_core::{Engine, OpenRequest};
use futures_util::TryStreamExt;
use serde_json::json;
use sqlx::Row;

use crate::report::{time, Row as TableRow, Table};

/// The target for an export of 100,000 orders.
const TARGET: Duration = Duration::from_secs(3);
/// "Flat": the export of 10× the orders may grow the peak by at most this many MB.
const FLAT_MB: f64 = 16.0;
/// The stores are made with a passphrase, so the child process can open them.
const PASSPHRASE: &str = "bench export passphrase";

async fn open(dir: &Path) -> Result<Engine> {
    Ok(Engine::open_with_keyring(
        OpenRequest {
            data_dir: dir.to_path_buf(),
            unlock: Unlock {
                passphrase: Some(Sensitive::new(PASSPHRASE.to_string())),
            },
        },
        Arc::new(MemoryKeyring::default()),
    )
    .await?)
}

/// A store in `dir` with the Orders benchmark's fixture of `count` orders.
async fn seeded(dir: &Path, count: usize) -> Result<()> {
    let started = Instant::now();
    let engine = open(dir).await?;
    crate::orders::build_fixture(engine.store(), count).await?;
    engine.close().await;
    eprintln!(
        "  (export: fixture of {count} orders built in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub async fn run(count: usize, runs: usize, memory: &[usize]) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let out = tempfile::tempdir()?;
    seeded(dir.path(), count).await?;
    let engine = open(dir.path()).await?;

    let mut exports = Vec::with_capacity(runs);
    let mut floors = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let output = out.path().join("orders.csv");
        let started = Instant::now();
        let mut file = PartialFile::create(&output)?;
        let summary = engine
            .export_orders(
                &ListOrders::default(),
                file.writer()?,
                ExportOptions { bom: true },
            )
            .await?;
        file.commit()?;
        exports.push(started.elapsed());
        if summary.rows != count as u64 {
            bail!("the export wrote {} orders, {count} expected", summary.rows);
        }
        bytes = std::fs::metadata(&output)?.len();

        let started = Instant::now();
        let floor_rows = floor(&engine, &out.path().join("floor.csv")).await?;
        floors.push(started.elapsed());
        if floor_rows != count as u64 {
            bail!("the floor wrote {floor_rows} orders, {count} expected");
        }
    }
    engine.close().await;

    let mut table = Table::new(format!(
        "CSV export of the Orders list, {count} orders to a file ({runs} runs; {:.1} MB written)",
        bytes as f64 / 1e6
    ));
    table.time(
        TableRow::new(format!("export_orders, {count} orders"))
            .target_time(TARGET)
            .note("engine: keyset pages of 500, lines and tracking, neutralised cells"),
        &exports,
    );
    table.time(
        TableRow::new("floor: one streamed SQL read + csv writer")
            .note("the same columns, no engine, no paging, no neutralising"),
        &floors,
    );
    table.ratio(TableRow::new("export over the floor"), &exports, &floors);
    table.print();

    memory_table(memory).await
}

/// The floor: the same orders, columns, lines and tracking numbers in one streamed read, each
/// row written as it comes with the `csv` crate.
async fn floor(engine: &Engine, output: &Path) -> Result<u64> {
    let file = std::fs::File::create(output)?;
    let mut csv = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let mut rows = sqlx::query(
        "SELECT o.number, c.name, o.status, o.customer_name, o.total_minor, o.currency,
                o.placed_at, o.supplier_cost_minor, o.supplier_currency,
                (SELECT group_concat(l.quantity || ' ' || l.sku || ' ' || l.title, '; ')
                 FROM order_lines l WHERE l.order_id = o.id) AS items,
                (SELECT group_concat(s.tracking_number, ' ') FROM shipments s
                 WHERE s.order_id = o.id) AS tracking
         FROM orders o JOIN channels c ON c.id = o.channel_id
         ORDER BY o.placed_at DESC, o.id DESC",
    )
    .fetch(engine.store().pool());
    let mut count = 0_u64;
    while let Some(row) = rows.try_next().await? {
        let text = |i: usize| -> Result<String> {
            Ok(row.try_get::<Option<String>, _>(i)?.unwrap_or_default())
        };
        let number = |i: usize| -> Result<String> {
            Ok(row
                .try_get::<Option<i64>, _>(i)?
                .map(|n| n.to_string())
                .unwrap_or_default())
        };
        csv.write_record([
            text(0)?,
            text(1)?,
            text(2)?,
            text(3)?,
            number(4)?,
            text(5)?,
            text(6)?,
            number(7)?,
            text(8)?,
            text(9)?,
            text(10)?,
        ])?;
        count += 1;
    }
    csv.flush()?;
    Ok(count)
}

/// Peak memory of an export of each count of orders, each in a child process.
async fn memory_table(counts: &[usize]) -> Result<()> {
    let exe = std::env::current_exe().context("finding this benchmark's own executable")?;
    let mut table = Table::with_columns(
        "peak memory of an export of the Orders list, in a child process, one run each",
        "peak RSS",
        "",
    );
    let mut growths = Vec::new();
    for &count in counts {
        let dir = tempfile::tempdir()?;
        seeded(dir.path(), count).await?;
        let output = tokio::process::Command::new(&exe)
            .arg("export-child")
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
            .with_context(|| format!("starting {} export-child", exe.display()))?;
        if !output.status.success() {
            bail!(
                "the export of {count} orders in the child process failed ({})",
                output.status
            );
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout
            .lines()
            .rev()
            .find(|line| line.starts_with('{'))
            .with_context(|| format!("the child printed no report: {stdout:?}"))?;
        let report: serde_json::Value = serde_json::from_str(line)?;
        let field = |key: &str| {
            report[key]
                .as_f64()
                .with_context(|| format!("the child's report {line:?} has no {key}"))
        };
        if field("rows")? as usize != count {
            bail!(
                "the child exported {} orders, {count} asked",
                field("rows")?
            );
        }
        let mb = |key: &str| -> Result<f64> { Ok(field(key)? * 1024.0 / 1e6) };
        let (opened, peak) = (mb("opened_rss_kib")?, mb("peak_rss_kib")?);
        let (warm, warm_peak) = (mb("warm_rss_kib")?, mb("warm_peak_rss_kib")?);
        growths.push(warm_peak - warm);
        table.figure(
            &format!("export of {count} orders"),
            &format!("{peak:.1} MB"),
            "",
            true,
            &format!(
                "+{:.1} MB over the open store ({opened:.1} MB), page caches filling; export {}",
                peak - opened,
                time(Duration::from_secs_f64(field("export_s")?))
            ),
        );
        table.figure(
            &format!("  again, caches warm ({count})"),
            &format!("{warm_peak:.1} MB"),
            "",
            true,
            &format!(
                "+{:.1} MB over {warm:.1} MB: what the export holds",
                warm_peak - warm
            ),
        );
    }
    if let (Some(first), Some(last)) = (growths.first(), growths.last()) {
        let spread = last - first;
        table.figure(
            "warm growth, largest export over smallest",
            &format!("{spread:+.1} MB"),
            &format!("≤ {FLAT_MB:.0} MB"),
            spread <= FLAT_MB,
            "flat: one page of orders held at a time",
        );
    }
    table.print();
    Ok(())
}

/// The child: opens the store in `data_dir`, then exports every order twice to a file beside
/// it, resetting the peak memory to what the process holds before each (Linux's clear_refs
/// "5"; opening a passphrase store runs Argon2id, whose memory would otherwise be the peak).
/// The first export also fills SQLite's page caches (`PAGE_CACHE_KIB` per connection, a bound
/// that does not grow with the orders); the second, on warm caches, shows what the export
/// itself holds. Prints the figures as one JSON line.
pub async fn child(data_dir: &Path, count: usize) -> Result<()> {
    let engine = open(data_dir).await?;
    // The store open and warm: a first page read, as the window does before any export.
    engine.store().order_page(&ListOrders::default()).await?;
    let mut figures = Vec::new();
    let mut rows = 0;
    for _ in 0..2 {
        reset_peak()?;
        let before = crate::memory::peak_rss_kib()?;
        let started = Instant::now();
        let mut file = PartialFile::create(&data_dir.join("export.csv"))?;
        let summary = engine
            .export_orders(
                &ListOrders::default(),
                file.writer()?,
                ExportOptions::default(),
            )
            .await?;
        file.commit()?;
        let export_s = started.elapsed().as_secs_f64();
        rows = summary.rows;
        figures.push((before, crate::memory::peak_rss_kib()?, export_s));
    }
    engine.close().await;
    if rows != count as u64 {
        bail!("exported {rows} orders, {count} expected");
    }
    let [(opened, first_peak, first_s), (warm, second_peak, _)] = figures[..] else {
        bail!("two exports expected");
    };
    println!(
        "{}",
        json!({
            "rows": rows,
            "export_s": first_s,
            "opened_rss_kib": opened,
            "peak_rss_kib": first_peak,
            "warm_rss_kib": warm,
            "warm_peak_rss_kib": second_peak,
        })
    );
    Ok(())
}

fn reset_peak() -> Result<()> {
    std::fs::write("/proc/self/clear_refs", "5")
        .context("resetting the peak memory (/proc/self/clear_refs)")
}
