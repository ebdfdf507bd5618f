//! Injected faults: 429s with `Retry-After`, and a 20 % mix of errors, 429s and dropped
//! connections through which every order still arrives exactly once per pass.

use std::time::{Duration, Instant};

use dealer_sandbox::{Faults, StoreKind};

use crate::{assert_complete, client, epoch, fast_bucket, pass, start};

#[tokio::test]
async fn shopify_waits_out_429_retry_after() {
    rate_limited(StoreKind::Shopify, 24).await;
}

#[tokio::test]
async fn woocommerce_waits_out_429_retry_after() {
    rate_limited(StoreKind::Woocommerce, 250).await;
}

#[tokio::test]
async fn bigcommerce_waits_out_429_retry_after() {
    // Up to 30 s: the 429s report no requests left until the window resets.
    rate_limited(StoreKind::Bigcommerce, 6).await;
}

/// A quarter of the requests answer 429 with `Retry-After: 1`: passes until some did, each
/// complete, each 429 waited out.
async fn rate_limited(kind: StoreKind, orders: usize) {
    let faults = Faults {
        rate_limit_rate: 0.25,
        retry_after_secs: 1,
        seed: 11,
        ..Faults::default()
    };
    let store = start(kind, faults, fast_bucket()).await;
    store.place_random_orders(orders, 3);
    let client = client(&store);
    let started = Instant::now();
    for passes in 1.. {
        let pass = pass(&*client, epoch()).await;
        assert_complete(kind, &pass, &store.orders());
        if store.stats().injected_rate_limits > 0 {
            break;
        }
        assert!(passes < 10, "{kind}: no 429 in {passes} passes");
    }
    let elapsed = started.elapsed();
    let limited = store.stats().injected_rate_limits;
    // Each 429 holds the client a full second (concurrent BigCommerce requests share a pause).
    assert!(
        elapsed >= Duration::from_millis(990),
        "{kind}: {limited} 429s in {elapsed:?}"
    );
}

#[tokio::test]
async fn shopify_at_20_percent_faults_every_order_arrives_once() {
    faulty(StoreKind::Shopify, 40, 4, 20).await;
}

#[tokio::test]
async fn woocommerce_at_20_percent_faults_every_order_arrives_once() {
    faulty(StoreKind::Woocommerce, 320, 3, 20).await;
}

#[tokio::test]
async fn bigcommerce_at_20_percent_faults_every_order_arrives_once() {
    // Each injected 429 reports the window spent, which holds the client until the sandbox's
    // 30 s window resets: one pass, with a seed whose ~50 draws hold a single 429 (and eight
    // drops and three errors).
    faulty(StoreKind::Bigcommerce, 20, 1, 22).await;
}

/// Import passes through 8 % server errors, 4 % 429s and 8 % dropped connections drawn from
/// `seed`: at least `passes`, and until each kind of fault has happened.
async fn faulty(kind: StoreKind, orders: usize, passes: usize, seed: u64) {
    let faults = Faults {
        error_rate: 0.08,
        rate_limit_rate: 0.04,
        retry_after_secs: 1,
        drop_rate: 0.08,
        seed,
        ..Faults::default()
    };
    let store = start(kind, faults, fast_bucket()).await;
    store.place_random_orders(orders, 5);
    let client = client(&store);
    for done in 1.. {
        // `pass` fails on any error or on an order seen twice; then all must be there.
        let pass = pass(&*client, epoch()).await;
        assert_complete(kind, &pass, &store.orders());
        let stats = store.stats();
        let exercised =
            stats.injected_errors > 0 && stats.dropped > 0 && stats.injected_rate_limits > 0;
        if done >= passes && exercised {
            break;
        }
        assert!(
            done < 15,
            "{kind}: faults not all exercised in {done} passes: {stats:?}"
        );
    }
    let stats = store.stats();
    let injected = stats.injected_errors + stats.injected_rate_limits + stats.dropped;
    let share = injected as f64 / stats.api_requests as f64;
    assert!(
        (0.05..0.5).contains(&share),
        "{kind}: {share:.2} of requests faulted: {stats:?}"
    );
}
