//! Import throughput: N WooCommerce-format orders from loopback sandbox pages into a fresh
//! encrypted store, then routing them to US Direct, then an Order Sync with nothing new; beside
//! them, in the same run, the floors (floor.rs): the same parsed orders into plain SQLite and into
//! SQLite with a SQLCipher key, and a plain fetch of the same pages; and the engine's own insert
//! path for the same orders.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use dealer_connectors::{client_for, Connector};
use dealer_core::activity::SyncTrigger;
use dealer_core::channel::{Credentials, Fetched, ListRequest};
use dealer_core::domain::{Actor, ChannelKind, NewOrder};
use dealer_core::lifecycle::OrderStatus;
use dealer_core::outbox::JobKind;
use dealer_core::secret::Sensitive;
use dealer_core::sync::NoProgress;
use dealer_core::Engine;
use dealer_sandbox::{
    SandboxOptions, SandboxStore, StoreKind, CATALOG, SHOPIFY_TOKEN, WOO_CONSUMER_KEY,
    WOO_CONSUMER_SECRET,
};

use crate::floor::{self, Cipher};
use crate::keyring::open_store;
use crate::report::{Row, Table};

/// The targets (issue 12).
const SYNC_TARGET: Duration = Duration::from_secs(1);
const ROUTING_TARGET: Duration = Duration::from_millis(500);
const INCREMENTAL_TARGET: Duration = Duration::from_millis(100);
/// Order Sync within this many times the plain SQLite floor of the same rows.
const FLOOR_RATIO_TARGET: f64 = 4.0;

pub fn woo_credentials() -> Credentials {
    Credentials::KeySecret {
        key: Sensitive::new(WOO_CONSUMER_KEY.to_string()),
        secret: Sensitive::new(WOO_CONSUMER_SECRET.to_string()),
    }
}

/// A sandbox WooCommerce store with `count` random orders: a store with history, the orders
/// spread over 30 days (inside the first import's window), the last change an hour ago. The
/// incremental sync re-reads only its overlap window before the cursor.
pub async fn sandbox_with_orders(count: usize) -> Result<SandboxStore> {
    let woo = SandboxStore::start(StoreKind::Woocommerce, SandboxOptions::default()).await?;
    woo.place_random_orders(count, 42);
    woo.spread_order_times(
        Duration::from_secs(30 * 24 * 3600),
        Duration::from_secs(3600),
    );
    Ok(woo)
}

/// What one full pass of the engine took.
pub struct Pass {
    pub sync: Duration,
    pub routing: Duration,
}

/// What `dealer sync` does for import and routing, on `engine` (a fresh store): the WooCommerce
/// channel added, the sandbox catalog's SKUs mapped to US Direct's (so every order passes US
/// Direct's rules), one Order Sync, then routing. Fails unless every order is imported and gets
/// its supplier order job.
pub async fn sync_and_route(engine: &Engine, store_url: &str, count: usize) -> Result<Pass> {
    engine
        .add_channel(
            &dealer_connectors::PlatformProfiles,
            ChannelKind::Woocommerce,
            "Bench Woo",
            store_url,
            &woo_credentials(),
        )
        .await?;
    let skus: Vec<&str> = CATALOG.iter().map(|item| item.sku).collect();
    engine.store().map_skus_to_themselves(&skus).await?;
    let connector = Connector::new(engine, SHOPIFY_TOKEN);

    let started = Instant::now();
    let report = engine
        .order_sync(&connector, SyncTrigger::Cli, &NoProgress, None)
        .await?;
    let sync = started.elapsed();
    if report.failed() || report.imported() as usize != count {
        bail!(
            "Order Sync imported {} of {count} orders: {}",
            report.imported(),
            report.message
        );
    }

    let started = Instant::now();
    let routed = engine.route_imported().await?;
    let routing = started.elapsed();
    check_routed(engine, routed, count).await?;
    Ok(Pass { sync, routing })
}

/// Every imported order was looked at and got its `create_supplier_order` job; none waits on
/// the dealer.
async fn check_routed(engine: &Engine, routed: usize, count: usize) -> Result<()> {
    let pool = engine.store().pool();
    let jobs: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox_jobs WHERE kind = ?")
        .bind(JobKind::CreateSupplierOrder.as_str())
        .fetch_one(pool)
        .await?;
    let held: i64 = sqlx::query_scalar("SELECT count(*) FROM orders WHERE status = ?")
        .bind(OrderStatus::NeedsAttention.as_str())
        .fetch_one(pool)
        .await?;
    if routed != count || jobs as usize != count || held != 0 {
        bail!(
            "routing looked at {routed} of {count} orders and queued {jobs} supplier orders \
             ({held} need attention): every sandbox order should pass US Direct's rules"
        );
    }
    Ok(())
}

/// The times of every run, per case.
#[derive(Default)]
struct Runs {
    sync: Vec<Duration>,
    routing: Vec<Duration>,
    incremental: Vec<Duration>,
    raw: Vec<Duration>,
    plain: Vec<Duration>,
    cipher: Vec<Duration>,
    fetch: Vec<Duration>,
}

pub async fn run(count: usize, runs: usize) -> Result<()> {
    if runs == 0 {
        bail!("--runs must be at least 1");
    }
    let woo = sandbox_with_orders(count).await?;
    let orders = fetch_all(&woo.base_url()).await?;
    if orders.len() != count {
        bail!("the sandbox served {} of {count} orders", orders.len());
    }
    let mut times = Runs::default();
    let mut pages = 0;
    let mut bytes = 0;
    // Each run takes every case once, so a busy moment of the shared machine weighs on the
    // figures and their floors alike.
    for run in 1..=runs {
        eprintln!("  (import run {run} of {runs})");
        let (pass, incremental) = sync_once(&woo, count).await?;
        times.sync.push(pass.sync);
        times.routing.push(pass.routing);
        times.incremental.push(incremental);
        times.raw.push(raw_insert(&orders).await?);
        times.plain.push(tokio::task::block_in_place(|| {
            floor::sqlite(&orders, Cipher::None)
        })?);
        times.cipher.push(tokio::task::block_in_place(|| {
            floor::sqlite(&orders, Cipher::Key)
        })?);
        let fetched = floor::fetch(&woo.base_url(), WOO_CONSUMER_KEY, WOO_CONSUMER_SECRET).await?;
        times.fetch.push(fetched.0);
        (pages, bytes) = (fetched.1, fetched.2);
    }
    woo.stop().await;
    if pages as usize != count.div_ceil(floor::PAGE) {
        bail!("the plain fetch read {pages} pages for {count} orders");
    }

    let mut table = Table::new(format!(
        "import of {count} WooCommerce-format orders, {runs} runs (best, median)"
    ));
    table.time(
        Row::new("Order Sync (HTTP pages + parse + upsert)")
            .target_time(SYNC_TARGET)
            .note(format!(
                "{:.0} orders/s",
                count as f64 / best(&times.sync).as_secs_f64()
            )),
        &times.sync,
    );
    table.time(
        Row::new(format!("routing of the {count} imported orders")).target_time(ROUTING_TARGET),
        &times.routing,
    );
    table.time(
        Row::new("incremental sync, nothing new").target_time(INCREMENTAL_TARGET),
        &times.incremental,
    );
    table.time(
        Row::new("engine's insert path, no HTTP (raw insert)").note("pages of 100"),
        &times.raw,
    );
    table.time(
        Row::new("floor: plain SQLite, same rows and indexes").note("no key, prepared statements"),
        &times.plain,
    );
    table.time(
        Row::new("floor: SQLite with a SQLCipher key").note("the same, raw 256-bit key"),
        &times.cipher,
    );
    table.time(
        Row::new(format!("floor: plain fetch of the {pages} pages"))
            .note(format!("{:.1} MB, not parsed", bytes as f64 / 1e6)),
        &times.fetch,
    );
    table.ratio(
        Row::new("sync / plain SQLite floor").target_ratio(FLOOR_RATIO_TARGET),
        &times.sync,
        &times.plain,
    );
    table.ratio(
        Row::new("sync / plain fetch").note("report"),
        &times.sync,
        &times.fetch,
    );
    table.ratio(
        Row::new("SQLCipher floor / plain floor").note("what SQLCipher adds"),
        &times.cipher,
        &times.plain,
    );
    table.ratio(
        Row::new("raw insert / plain SQLite floor").note("the engine's write path"),
        &times.raw,
        &times.plain,
    );
    table.ratio(
        Row::new("sync / raw insert").note("report"),
        &times.sync,
        &times.raw,
    );
    table.print();
    Ok(())
}

fn best(times: &[Duration]) -> Duration {
    times.iter().min().copied().unwrap_or_default()
}

/// Every order the store serves, parsed (outside any timing).
async fn fetch_all(base_url: &str) -> Result<Vec<NewOrder>> {
    let client = client_for(ChannelKind::Woocommerce, base_url, woo_credentials())?;
    let mut request = ListRequest {
        updated_since: chrono::Utc::now() - dealer_core::sync::FIRST_IMPORT_WINDOW,
        page: None,
    };
    let mut orders = Vec::new();
    loop {
        let page = client.list_orders(&request).await?;
        for item in page.items {
            if let Fetched::Order(order) = item {
                orders.push(order.order);
            }
        }
        match page.next {
            Some(next) => request.page = Some(next),
            None => return Ok(orders),
        }
    }
}

/// One full import and routing into a fresh store, then a sync with nothing new.
async fn sync_once(woo: &SandboxStore, count: usize) -> Result<(Pass, Duration)> {
    let dir = tempfile::tempdir()?;
    let engine = open_store(dir.path()).await?;
    let pass = sync_and_route(&engine, &woo.base_url(), count).await?;
    let connector = Connector::new(&engine, SHOPIFY_TOKEN);
    let started = Instant::now();
    let again = engine
        .order_sync(&connector, SyncTrigger::Cli, &NoProgress, None)
        .await?;
    let incremental = started.elapsed();
    if again.imported() != 0 || again.failed() {
        bail!("the second sync was not empty: {}", again.message);
    }
    engine.close().await;
    Ok((pass, incremental))
}

/// The same orders written straight through the engine's insert path, a page at a time.
async fn raw_insert(orders: &[NewOrder]) -> Result<Duration> {
    let dir = tempfile::tempdir()?;
    let engine = open_store(dir.path()).await?;
    let channel = engine
        .store()
        .ensure_channel("Raw", ChannelKind::Woocommerce, "http://127.0.0.1:1", false)
        .await?;
    let started = Instant::now();
    for page in orders.chunks(floor::PAGE) {
        engine
            .store()
            .insert_orders(channel.id, page, Actor::Scheduler, "raw insert")
            .await?;
    }
    let elapsed = started.elapsed();
    engine.close().await;
    Ok(elapsed)
}
