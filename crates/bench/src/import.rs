//! Import throughput: N WooCommerce-format orders from loopback sandbox pages into a fresh
//! encrypted store, against a raw insert of the same parsed orders through the engine's insert
//! path; then an Order Sync with nothing new.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use dealer_connectors::{client_for, Connector};
use dealer_core::activity::SyncTrigger;
use dealer_core::channel::{Credentials, Fetched, ListRequest};
use dealer_core::domain::{Actor, ChannelKind, NewOrder};
use dealer_core::secret::Sensitive;
use dealer_core::sync::NoProgress;
use dealer_sandbox::{
    SandboxOptions, SandboxStore, StoreKind, SHOPIFY_TOKEN, WOO_CONSUMER_KEY, WOO_CONSUMER_SECRET,
};

use crate::keyring::open_store;

fn woo_credentials() -> Credentials {
    Credentials::KeySecret {
        key: Sensitive::new(WOO_CONSUMER_KEY.to_string()),
        secret: Sensitive::new(WOO_CONSUMER_SECRET.to_string()),
    }
}

pub async fn run(count: usize, runs: usize) -> Result<()> {
    let woo = SandboxStore::start(StoreKind::Woocommerce, SandboxOptions::default()).await?;
    woo.place_random_orders(count, 42);
    // A store with history: the orders spread over 30 days, the last change an hour ago. The
    // incremental sync re-reads only its overlap window before the cursor.
    woo.spread_order_times(
        Duration::from_secs(30 * 24 * 3600),
        Duration::from_secs(3600),
    );
    let orders = fetch_all(&woo.base_url()).await?;
    if orders.len() != count {
        bail!("the sandbox served {} of {count} orders", orders.len());
    }
    println!("import of {count} WooCommerce-format orders (best of {runs} runs)");
    let mut sync_times = Vec::new();
    let mut raw_times = Vec::new();
    let mut noop_times = Vec::new();
    for _ in 0..runs {
        let (sync, noop) = sync_once(&woo, count).await?;
        sync_times.push(sync);
        noop_times.push(noop);
        raw_times.push(raw_insert(&orders).await?);
    }
    let best = |times: &[Duration]| times.iter().min().copied().unwrap_or_default();
    let (sync, raw, noop) = (best(&sync_times), best(&raw_times), best(&noop_times));
    println!(
        "  Order Sync (HTTP pages + parse + upsert): {:>8.3} s  ({:.0} orders/s)",
        sync.as_secs_f64(),
        count as f64 / sync.as_secs_f64()
    );
    println!(
        "  raw insert of the same orders:            {:>8.3} s",
        raw.as_secs_f64()
    );
    println!(
        "  ratio sync / raw insert:                  {:>8.2}",
        sync.as_secs_f64() / raw.as_secs_f64()
    );
    println!(
        "  incremental sync, nothing new:            {:>8.1} ms",
        noop.as_secs_f64() * 1e3
    );
    woo.stop().await;
    Ok(())
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

/// One full import into a fresh store, then a sync with nothing new.
async fn sync_once(woo: &SandboxStore, count: usize) -> Result<(Duration, Duration)> {
    let dir = tempfile::tempdir()?;
    let engine = open_store(dir.path()).await?;
    engine
        .add_channel(
            &dealer_connectors::PlatformProfiles,
            ChannelKind::Woocommerce,
            "Bench Woo",
            &woo.base_url(),
            &woo_credentials(),
        )
        .await?;
    let connector = Connector::new(&engine, SHOPIFY_TOKEN);
    let started = Instant::now();
    let report = engine
        .order_sync(&connector, SyncTrigger::Cli, &NoProgress, None)
        .await?;
    let sync = started.elapsed();
    eprintln!("  (pages read: {})", report.channels[0].pages);
    if report.imported() as usize != count || report.failed() {
        bail!("import went wrong: {}", report.message);
    }
    let started = Instant::now();
    let again = engine
        .order_sync(&connector, SyncTrigger::Cli, &NoProgress, None)
        .await?;
    let noop = started.elapsed();
    if again.imported() != 0 || again.failed() {
        bail!("the second sync was not empty: {}", again.message);
    }
    engine.close().await;
    Ok((sync, noop))
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
    for page in orders.chunks(100) {
        engine
            .store()
            .insert_orders(channel.id, page, Actor::Scheduler, "raw insert")
            .await?;
    }
    let elapsed = started.elapsed();
    engine.close().await;
    Ok(elapsed)
}
