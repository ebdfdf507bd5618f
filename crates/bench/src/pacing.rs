//! Shopify cost pacing: an import much larger than the cost bucket, measured as the share of the
//! sandbox's restore rate the client used once the first bucketful was spent, and the number of
//! THROTTLED answers (which should be none).

use std::time::Instant;

use anyhow::{bail, Result};
use dealer_connectors::Connector;
use dealer_core::activity::SyncTrigger;
use dealer_core::channel::Credentials;
use dealer_core::domain::ChannelKind;
use dealer_core::secret::Sensitive;
use dealer_core::sync::NoProgress;
use dealer_sandbox::{SandboxOptions, SandboxStore, ShopifyBucket, StoreKind, SHOPIFY_TOKEN};

use crate::keyring::open_store;

pub async fn run(count: usize) -> Result<()> {
    let bucket = ShopifyBucket {
        maximum_available: 1000.0,
        restore_rate: 50.0,
    };
    let shop = SandboxStore::start(
        StoreKind::Shopify,
        SandboxOptions {
            shopify_bucket: bucket,
            ..Default::default()
        },
    )
    .await?;
    shop.place_random_orders(count, 7);
    let dir = tempfile::tempdir()?;
    let engine = open_store(dir.path()).await?;
    let token = Credentials::Token(Sensitive::new(SHOPIFY_TOKEN.to_string()));
    engine
        .add_channel(
            &dealer_connectors::PlatformProfiles,
            ChannelKind::Shopify,
            "Bench Shopify",
            &shop.base_url(),
            &token,
        )
        .await?;
    let connector = Connector::new(&engine, SHOPIFY_TOKEN);
    let started = Instant::now();
    let report = engine
        .order_sync(&connector, SyncTrigger::Cli, &NoProgress, None)
        .await?;
    let elapsed = started.elapsed().as_secs_f64();
    if report.imported() as usize != count || report.failed() {
        bail!("import went wrong: {}", report.message);
    }
    let stats = shop.stats();
    // The first bucketful is free to spend at once; after that the client can only go as fast
    // as the bucket refills.
    let paced_points = (stats.cost_points_consumed as f64 - bucket.maximum_available).max(0.0);
    let rate = paced_points / elapsed;
    println!(
        "Shopify pacing: {count} orders, bucket {} points, restore {}/s",
        bucket.maximum_available, bucket.restore_rate
    );
    println!(
        "  elapsed:                 {elapsed:>8.1} s over {} pages",
        report.channels[0].pages
    );
    println!(
        "  cost points consumed:    {:>8}",
        stats.cost_points_consumed
    );
    println!(
        "  paced rate:              {rate:>8.1} points/s = {:.1} % of the restore rate",
        100.0 * rate / bucket.restore_rate
    );
    println!("  THROTTLED answers:       {:>8}", stats.throttled);
    println!("  MAX_COST_EXCEEDED:       {:>8}", stats.max_cost_exceeded);
    engine.close().await;
    shop.stop().await;
    Ok(())
}
